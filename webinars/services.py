"""Every write in the webinars app that touches more than one row or has a side effect."""

import unicodedata
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextField, Value
from django.urls import reverse
from django.utils.text import slugify

from accounts.enums import Role
from accounts.identity import canonical_email
from accounts.models import User
from community.models import Person
from community.services import person_find_or_create, person_matching, person_save
from gds_portal.history import set_change_reason, set_history_user
from gds_portal.mail import send_template_mail
from gds_portal.markdown import plain_text
from gds_portal.once import claim_token
from gds_portal.search import EXACT, PROSE
from webinars.enums import (
    OPEN_STATUSES,
    PUBLIC_STATUS,
    NominationStatus,
    SpeakerPersonChoice,
    WebinarKind,
)
from webinars.models import (
    RESERVED_SLUGS,
    AnyNomination,
    FormToken,
    HostVolunteer,
    SpeakerNomination,
    StatusMail,
    Topic,
    Webinar,
    WebinarSpeaker,
)


def _text(value: str) -> Value:
    return Value(value or "", output_field=TextField())


def webinar_reindex(*, webinar_ids: list[int]) -> None:
    """Rebuild the full-text document of the given webinars.

    Side effects: updates `Webinar.search_vector` (title A; speakers, host and
    topics B; description C). Called after every edit of a webinar, its
    speakers or topics, and when a person's name or a topic's name changes.
    """
    webinars = Webinar.objects.filter(pk__in=webinar_ids).select_related("host")
    webinars = webinars.prefetch_related("speaker_slots__person", "topics")
    for webinar in webinars:
        people = [slot.person.name for slot in webinar.speaker_slots.all()]
        talks = [slot.talk_title for slot in webinar.speaker_slots.all()]
        if webinar.host:
            people.append(webinar.host.name)
        topics = [topic.name for topic in webinar.topics.all()]
        # Names as written and as prose (for queries mixing a name and other words),
        # topics and prose stemmed, the description as the reader sees it (plain text:
        # no Markdown or TeX source indexed); accents forgiven throughout.
        document = (
            SearchVector(_text(webinar.title), weight="A", config=PROSE)
            + SearchVector(_text(" ".join(people)), weight="B", config=EXACT)
            + SearchVector(_text(" ".join(people)), weight="B", config=PROSE)
            + SearchVector(_text(" ".join(topics)), weight="B", config=PROSE)
            + SearchVector(
                _text(" ".join([*talks, plain_text(webinar.description)])),
                weight="C",
                config=PROSE,
            )
        )
        Webinar.objects.filter(pk=webinar.pk).update(search_vector=document)


def unique_webinar_slug(title: str) -> str:
    base = slugify(title)[:100] or "webinar"
    taken = set(Webinar.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    taken |= RESERVED_SLUGS
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _committee_emails() -> list[str]:
    users = User.objects.filter(groups__name=Role.WEBINAR_COMMITTEE, is_active=True)
    return sorted(set(users.values_list("email", flat=True)))


@dataclass
class Submitted:
    """What nomination_submit did; `replayed` when its form had been sent before."""

    nomination: AnyNomination | None
    replayed: bool = False


@transaction.atomic
def nomination_submit(
    *, nomination: AnyNomination, by: User, token: uuid.UUID, topics: list[Topic] | None = None
) -> Submitted:
    """Record a member's new nomination (topic suggestion, speaker nomination or host offer),
    once per form.

    Side effects: a FormToken row; the nomination row (status new, nominator `by`) and
    its first history version (by `by`), its topics, an acknowledgement mail to the
    nominator and one notification mail to the Webinar committee — neither mail
    carries the voluntary flags. The same form (`token`) sent again — twice, or five
    times at once — writes and mails nothing more and answers with the first
    nomination (None when the token was someone else's).
    """
    if earlier := claim_token(FormToken, token=token, by=by):
        return Submitted(
            nomination=earlier.made if earlier.user_id == by.pk else None, replayed=True
        )
    nomination.nominator = by
    nomination.status = NominationStatus.NEW
    nomination.full_clean()
    set_history_user(nomination, by)
    nomination.save()
    FormToken.objects.filter(token=token).update(
        content_type=ContentType.objects.get_for_model(nomination), object_id=nomination.pk
    )
    if topics is not None and hasattr(nomination, "topics"):
        nomination.topics.set(topics)
    _mail_nomination_received(nomination, by)
    return Submitted(nomination=nomination)


def _mail_nomination_received(nomination: AnyNomination, by: User) -> None:
    context = {
        "kind": nomination.kind_label.lower(),
        "summary": str(nomination),
        "nominator": by,
        "my_url": nomination.get_absolute_url(),
        "admin_url": reverse(
            f"admin:webinars_{nomination._meta.model_name}_change", args=[nomination.pk]
        ),
    }
    send_template_mail("webinars/nomination-ack", to=[by.email], context=context)
    committee = _committee_emails()
    if committee:
        send_template_mail("webinars/nomination-new", to=committee, context=context)


@transaction.atomic
def nomination_set_status(
    *, nomination: AnyNomination, status: str, by: User, note: str = "", notify: bool = True
) -> None:
    """Move a nomination to `status`; the only way its status ever changes.

    Side effects: updates the nomination's status, which writes one history version
    (by `by`, with `note` as its reason). Moving to accepted, scheduled or declined
    queues one status mail to each person concerned who was not yet told of that state
    (a StatusMail row each; `_mail_status`) and, if any mail went, clears the committee's
    note that the mail carried. `notify=False` (the demo loader, which mails no one)
    records the change without any of that. A nominator may only withdraw their own open item;
    the Webinar committee may set any status. Raises ValidationError otherwise.
    """
    status = NominationStatus(status)
    current = type(nomination).objects.select_for_update().get(pk=nomination.pk)
    if current.status == status:
        return
    is_committee = by.has_perm("webinars.triage")
    withdrawing = (
        status == NominationStatus.WITHDRAWN
        and current.nominator_id == by.pk
        and current.status in OPEN_STATUSES
    )
    if not (is_committee or withdrawing):
        raise ValidationError("You cannot change the status of this nomination.")
    if status == NominationStatus.MATCHED and not isinstance(current, HostVolunteer):
        raise ValidationError("Only an offer to host can be matched.")
    if notify and status == NominationStatus.SCHEDULED and isinstance(current, SpeakerNomination):
        # (The demo loader, notify=False, mails no one and records invented speakers.)
        _refuse_unscheduled_webinar(current)
    current.status = status
    set_history_user(current, by)
    set_change_reason(current, note or None)
    fields = ["status", "updated_at"]
    if notify and status in MAILED_STATUSES and _mail_status(current):
        current.committee_note = ""
        fields.append("committee_note")
    current.save(update_fields=fields)
    nomination.status = status
    nomination.committee_note = current.committee_note
    if status == NominationStatus.SCHEDULED and isinstance(current, SpeakerNomination):
        _match_host_volunteer(current, by=by, notify=notify)


NOT_SCHEDULED_YET = (
    "“{nomination}” cannot be marked scheduled yet: its webinar must first be published "
    "with its date. The status mail (sent once) tells the speaker and the host the date."
)


def _refuse_unscheduled_webinar(nomination: SpeakerNomination) -> None:
    """A speaker is scheduled only once their webinar is published with a date: the
    scheduled mail (and the host's matched mail, sent at the same moment) goes out once
    and could not be corrected if the draft's date then moved."""
    webinar = nomination.webinar
    if webinar is None or not webinar.is_published or webinar.start_at is None:
        raise ValidationError(NOT_SCHEDULED_YET.format(nomination=nomination))


def _match_host_volunteer(nomination: SpeakerNomination, *, by: User, notify: bool) -> None:
    """The volunteer chosen to host a scheduled speaker's webinar now hosts: their
    accepted offer becomes matched (one status change, one mail to the volunteer)."""
    volunteer = nomination.host_volunteer
    if volunteer is not None and volunteer.status == NominationStatus.ACCEPTED:
        nomination_set_status(
            nomination=volunteer,
            status=NominationStatus.MATCHED,
            by=by,
            note=f"Hosts the webinar of “{nomination}”",
            notify=notify,
        )


# The states the people concerned are told of; the others are the committee's own steps
# (under review, invited) or the nominator's own act (withdrawn).
MAILED_STATUSES = {
    NominationStatus.ACCEPTED,
    NominationStatus.SCHEDULED,
    NominationStatus.MATCHED,
    NominationStatus.DECLINED,
}


def _status_recipients(nomination: AnyNomination) -> list[tuple[str, bool]]:
    """Who is told of a status change, with the mail each gets: the nominator (for an
    offer to host: the volunteer) and, for a speaker nomination whose nominator confirmed
    that the nominee agreed to be contacted, the nominee. A self-nominee is the
    nominator and is told once, as such."""
    recipients = [(nomination.nominator.email, False)]
    if (
        isinstance(nomination, SpeakerNomination)
        and nomination.nominee_may_be_contacted
        and not nomination.is_self_nomination
        and nomination.email
        and canonical_email(nomination.email) != canonical_email(nomination.nominator.email)
    ):
        recipients.append((nomination.email, True))
    return recipients


def _mail_status(nomination: AnyNomination) -> int:
    """Queue the status mail of the nomination's (locked, saved) state to each recipient
    not yet told of it; return how many were queued.

    The committee's note goes in as context data, never as template source: the text
    body carries it as written, the HTML body escaped.
    """
    status = NominationStatus(nomination.status)
    queued = 0
    for email, is_nominee in _status_recipients(nomination):
        _, created = StatusMail.objects.get_or_create(
            kind=nomination.kind_slug,
            nomination_id=nomination.pk,
            status=status,
            recipient=canonical_email(email),
        )
        if not created:
            continue  # told of this state before: back and forth mails no one twice
        summary = "" if isinstance(nomination, HostVolunteer) else str(nomination)
        context = {
            "nominator": nomination.nominator,
            "nomination": nomination,
            "kind": nomination.kind_label.lower(),
            "summary": summary,
            "status": status.value,
            "status_label": PUBLIC_STATUS[status],
            "note": nomination.committee_note,
            "my_url": nomination.get_absolute_url(),
        }
        if is_nominee:  # no My GDS link: the nominee may have no account
            send_template_mail("webinars/nomination-status-nominee", to=[email], context=context)
        else:
            send_template_mail("webinars/nomination-status", to=[email], context=context)
        queued += 1
    return queued


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def nominee_person_conflict(nomination: SpeakerNomination) -> Person | None:
    """The existing Person the nominee's email or ORCID iD matches when it may not be the
    nominee: their name differs from the nomination's, or it is the nominator's own
    profile on a nomination of someone else. None when there is nothing to resolve.

    The committee resolves it (`nomination_choose_speaker_person`) before a draft
    webinar is made: otherwise a nominator who typed their own ORCID iD (or address)
    would become the speaker.
    """
    person = person_matching(email=nomination.email, orcid=nomination.orcid)
    if person is None:
        return None
    differs = _name_key(person.name) != _name_key(nomination.nominee_name)
    nominators_own = (
        not nomination.is_self_nomination
        and person.user_id is not None
        and person.user_id == nomination.nominator_id
    )
    return person if differs or nominators_own else None


def person_for_nominee(nomination: SpeakerNomination) -> Person:
    """The nominee's Person: the existing one with their email or ORCID iD, or a new one.

    When that match is in doubt (`nominee_person_conflict`) the committee's choice
    decides: the matched person, or a new person with the nominee's name (without the
    identifiers, which belong to the matched person). Undecided: ValidationError.
    """
    details = {"affiliation": nomination.affiliation, "website": nomination.website}
    conflict = nominee_person_conflict(nomination)
    if conflict is not None:
        if nomination.speaker_person == SpeakerPersonChoice.USE_MATCH:
            return conflict
        if nomination.speaker_person != SpeakerPersonChoice.NEW_PERSON:
            raise ValidationError(speaker_conflict_message(nomination, conflict))
        return person_save(person=Person(name=nomination.nominee_name, **details))
    return person_find_or_create(
        name=nomination.nominee_name,
        email=nomination.email,
        orcid=nomination.orcid,
        details=details,
    )


def speaker_conflict_message(nomination: SpeakerNomination, person: Person) -> str:
    return (
        f"The nominee's email or ORCID iD belongs to “{person.name}”, not "
        f"“{nomination.nominee_name}”. Choose “Use the matched person” or “Create a new "
        "person for the nominee” before creating the webinar."
    )


@transaction.atomic
def nomination_choose_speaker_person(
    *, nomination: SpeakerNomination, choice: str, by: User
) -> None:
    """Record the committee's answer to a doubtful person match (see above).

    Side effects: the nomination's `speaker_person` and one history version (by `by`).
    Raises ValidationError unless `by` is on the Webinar committee.
    """
    if not by.has_perm("webinars.triage"):
        raise ValidationError("Only the Webinar committee decides who the speaker is.")
    nomination = SpeakerNomination.objects.select_for_update().get(pk=nomination.pk)
    nomination.speaker_person = SpeakerPersonChoice(choice)
    set_history_user(nomination, by)
    set_change_reason(nomination, f"Speaker's person: {nomination.get_speaker_person_display()}")
    nomination.save(update_fields=["speaker_person", "updated_at"])


def person_for_member(user: User) -> Person:
    """The Person linked to a member (or with their email or ORCID), created if needed.

    Never links the account itself: linking a Person to a User is the executive
    committee's act (community.services.person_link_account), not a side effect.
    """
    return person_find_or_create(
        name=user.full_name or user.email.split("@")[0],
        user=user,
        email=user.email,
        orcid=user.orcid,
        details={"affiliation": user.affiliation},
    )


def matched_host_volunteer(nomination: SpeakerNomination) -> HostVolunteer | None:
    """The committee's chosen volunteer, else the longest-waiting accepted one on a shared topic."""
    if nomination.host_volunteer_id:
        return nomination.host_volunteer
    topic_ids = list(nomination.topics.values_list("pk", flat=True))
    if not topic_ids:
        return None
    return (
        HostVolunteer.objects.filter(status=NominationStatus.ACCEPTED, topics__in=topic_ids)
        .select_related("nominator")
        .order_by("created_at", "pk")
        .first()
    )


@transaction.atomic
def webinar_create_from_nomination(*, nomination: SpeakerNomination, by: User) -> Webinar:
    """Turn an accepted speaker nomination into an unpublished draft webinar.

    Side effects: reuses or creates the nominee's Person (matched by email or
    ORCID iD), reuses or creates the matched host volunteer's Person, writes
    the draft Webinar (unpublished, no date yet), its speaker slot
    and topics, links the nomination to the webinar and to the volunteer (a history
    version of the nomination, by `by`, naming the draft). Raises ValidationError
    unless the nomination is accepted and has no webinar yet.
    """
    nomination = SpeakerNomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.ACCEPTED:
        raise ValidationError("Only an accepted nomination can become a webinar.")
    if nomination.webinar_id:
        raise ValidationError("A webinar was already created from this nomination.")
    speaker = person_for_nominee(nomination)  # refuses while a doubtful match is undecided
    volunteer = matched_host_volunteer(nomination)
    webinar = Webinar.objects.create(
        title=nomination.proposed_title,
        slug=unique_webinar_slug(nomination.proposed_title),
        kind=WebinarKind.TALK,
        start_at=None,  # no date until one is agreed (the invitation proposes one)
        host=person_for_member(volunteer.nominator) if volunteer else None,
        is_published=False,
    )
    webinar.topics.set(nomination.topics.all())
    WebinarSpeaker.objects.create(webinar=webinar, person=speaker, talk_title=webinar.title)
    nomination.webinar = webinar
    nomination.host_volunteer = volunteer
    set_history_user(nomination, by)
    set_change_reason(nomination, f"Draft webinar created: {webinar.slug}")
    nomination.save(update_fields=["webinar", "host_volunteer", "updated_at"])
    webinar_reindex(webinar_ids=[webinar.pk])
    return webinar
