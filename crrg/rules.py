"""Who may do what in the CRRG, declared once (views and the admin use these)."""

import rules

from accounts.rules import has_verified_email, is_crrg_coordinator

is_coordinator = is_crrg_coordinator | rules.is_superuser

# Coordinators' pages: summaries, rosters (with consenting members' emails), exports, messages.
rules.add_perm("crrg.coordinate", rules.is_authenticated & is_coordinator)
# Answering a questionnaire needs a verified address: the answers feed rosters and mail.
rules.add_perm("crrg.answer", rules.is_authenticated & has_verified_email)
