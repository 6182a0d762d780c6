"""Who may do what with webinars and nominations, declared once."""

import rules

from accounts.rules import has_verified_email, is_webinar_committee


@rules.predicate
def is_own_nomination(user, nomination) -> bool:
    return nomination is not None and nomination.nominator_id == user.pk


# Verified members nominate speakers, suggest topics and volunteer to host.
rules.add_perm("webinars.nominate", rules.is_authenticated & has_verified_email)
# A nominator sees their own items (never the committee's notes); the committee sees all.
rules.add_perm("webinars.see_nomination", rules.is_authenticated & is_own_nomination)
rules.add_perm("webinars.withdraw_nomination", rules.is_authenticated & is_own_nomination)
rules.add_perm("webinars.triage", rules.is_authenticated & is_webinar_committee)
# Aggregate counts of the voluntary flags: Webinar committee only.
rules.add_perm("webinars.view_participation", rules.is_authenticated & is_webinar_committee)
# Drafts can be previewed by the committee before they are published.
rules.add_perm("webinars.preview_webinar", rules.is_authenticated & is_webinar_committee)
