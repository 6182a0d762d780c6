"""Who may do what with people, declared once for the admin and the services."""

import rules

from accounts.rules import is_executive_committee

# Linking a Person to a User says "this account is this person". Elsewhere a link is
# what makes someone, say, a meeting's program chair, so it is a privileged act: the
# executive committee or a superuser, never a committee editing a profile.
may_link_accounts = rules.is_authenticated & (rules.is_superuser | is_executive_committee)
rules.add_perm("community.link_person_account", may_link_accounts)
