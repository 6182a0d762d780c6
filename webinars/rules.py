"""Who may do what with webinars and nominations, declared once."""

import rules

from accounts.identity import has_verified_address
from accounts.rules import has_verified_email, is_webinar_committee
from webinars.enums import InvitationState
from webinars.feedback import feedback_open


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
# The series' figures per webinar and the attendance import: Webinar committee only
# (the public series page shows only the headline figures).
rules.add_perm("webinars.view_figures", rules.is_authenticated & is_webinar_committee)
rules.add_perm("webinars.record_attendance", rules.is_authenticated & is_webinar_committee)
# Drafts can be previewed by the committee before they are published.
rules.add_perm("webinars.preview_webinar", rules.is_authenticated & is_webinar_committee)


@rules.predicate
def is_own_registration(user, registration) -> bool:
    # The address is the person (webinars.registration): a verified address owns the
    # registrations made under it, as a member or as a guest.
    return registration is not None and has_verified_address(user, registration.email)


# Members register in one click with their verified address; everyone else as a guest.
rules.add_perm("webinars.register", rules.is_authenticated & has_verified_email)
rules.add_perm("webinars.cancel_registration", rules.is_authenticated & is_own_registration)
# Who registered: the Webinar committee only (admin), never other members.
rules.add_perm("webinars.see_registrations", rules.is_authenticated & is_webinar_committee)


@rules.predicate
def has_attended(user, registration) -> bool:
    return registration is not None and registration.attended_at is not None


@rules.predicate
def is_feedback_open(user, registration) -> bool:
    return registration is not None and feedback_open(registration)


@rules.predicate
def is_speaker(user, webinar) -> bool:
    # A speaker is a community Person; it is this member only once the executive
    # committee linked the person to the account.
    return webinar is not None and webinar.speaker_slots.filter(person__user=user).exists()


@rules.predicate
def shares_feedback(user, webinar) -> bool:
    return webinar is not None and webinar.share_feedback_with_speakers


# Attendees rate their own registration's webinar, until the cut-off (webinars.feedback).
rules.add_perm(
    "webinars.give_feedback",
    rules.is_authenticated & is_own_registration & has_attended & is_feedback_open,
)
# Speakers see aggregates and approved comments of their own webinars while sharing is
# on; the committee sees everything (admin) and what the speakers see.
rules.add_perm(
    "webinars.see_speaker_feedback",
    rules.is_authenticated & ((is_speaker & shares_feedback) | is_webinar_committee),
)
rules.add_perm("webinars.moderate_feedback", rules.is_authenticated & is_webinar_committee)


@rules.predicate
def invitation_is_open(user, invitation) -> bool:
    # The signed link is the speaker's key (webinars.speakers); a declined invitation,
    # or one whose webinar was cancelled, takes no more answers.
    return (
        invitation is not None
        and invitation.state != InvitationState.DECLINED
        and not invitation.webinar.is_cancelled
    )


# Anyone holding the invitation's signed link answers it (no account needed).
rules.add_perm("webinars.answer_invitation", invitation_is_open)
# The committee invites speakers, reads their answers and records releases (admin).
rules.add_perm("webinars.invite_speakers", rules.is_authenticated & is_webinar_committee)
