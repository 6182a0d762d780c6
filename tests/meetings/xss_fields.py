"""XSS corpus fields of meetings (see tests/security/xss.py): the member's abstract and
authors, the committee's categories, reviews, sessions and the nominations."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.enums import Role
from community.models import Person
from meetings.enums import Decision, SessionOwnership
from meetings.links import confirmation_token
from meetings.models import (
    ContributedSession,
    DeadlineExtension,
    InvitedSession,
    InvitedTalk,
    Review,
    RubricCriterion,
    SpeakerConfirmation,
    SpeakerNomination,
)
from meetings.services.decisions import abstracts_decide, decisions_send
from meetings.services.sessions import session_publish, talk_add
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, author, make_abstract


def seed(corpus) -> list[str]:
    now = timezone.now()
    meeting = MeetingFactory(
        name=corpus.text("meeting name"),
        place=corpus.text("meeting place"),
        description=corpus.markdown("meeting description"),
        slug="xss-meeting",
        invited_session_slots=1,
        nominations_open_at=now - timedelta(days=1),
        nominations_close_at=now + timedelta(days=9),
        contributed_published=True,
        title_max_length=500,
        body_max_length=5000,
    )
    category = SortingCategoryFactory(
        meeting=meeting,
        code="23.01.01",
        title=corpus.text("category title"),
        description=corpus.markdown("category description"),
    )
    abstract = make_abstract(
        submitter=corpus.user,
        category=category,
        title=corpus.text("abstract title", 300),
        body=corpus.markdown("abstract body"),
        keywords=corpus.text("abstract keywords", 300),
        funding=corpus.text("abstract funding"),
        authors=[
            author(
                corpus.text("author name"),
                "author@example.org",
                affiliations=[corpus.text("affiliation")],
            )
        ],
    )
    # The visitor is an author of `abstract`: another committee member decides it (the
    # author may not), and its decision is sent so the member pages show it.
    decider = UserFactory(roles=[Role.PROGRAM_COMMITTEE])
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=decider)
    decisions_send(meeting=meeting, by=decider)
    # Another member's abstract, decided and not sent: its text reaches the visiting
    # committee member in the decision-mail preview (a text body, shown as text) and in
    # the admin, which hides the visitor's own abstract from them.
    pending = make_abstract(
        submitter=UserFactory(),
        category=category,
        title=corpus.text("pending abstract title", 300),
        body=corpus.text("pending abstract body", 1000),
        authors=[
            author(
                corpus.text("pending author name"),
                "pending@example.org",
                affiliations=[corpus.text("pending affiliation")],
            )
        ],
    )
    abstracts_decide(abstracts=[pending], decision=Decision.REJECT, by=decider)
    # The rubric (committee-written): on the review form's labels, help and rubric list,
    # the other review's criterion scores, the export's header and the meeting's admin.
    criterion = RubricCriterion.objects.create(
        meeting=meeting,
        name=corpus.text("rubric criterion name", 100),
        description=corpus.text("rubric criterion description", 1000),
        weight=2,
    )
    # Another reviewer's comment, as the visiting committee member reads it on the form
    # (of an abstract they are not an author of: their own they may not open), once they
    # have reviewed it themselves (blind until scored).
    Review.objects.create(abstract=pending, reviewer=corpus.user, score=3)
    other_review = Review.objects.create(
        abstract=pending,
        reviewer=UserFactory(),
        score=4,
        comment=corpus.text("review comment", 1000),
    )
    other_review.criterion_scores.create(criterion=criterion, score=4)
    nomination = SpeakerNomination.objects.create(
        meeting=meeting,
        nominator=corpus.user,
        nominee_name=corpus.text("nominee name"),
        nominee_affiliation=corpus.text("nominee affiliation"),
        nominee_email="nominee@example.org",
        talk_title=corpus.text("proposed talk title"),
        rationale=corpus.text("nomination rationale", 1000),
        alternate_1_name=corpus.text("alternate name"),
        alternate_1_affiliation=corpus.text("alternate affiliation"),
        alternate_2_name=corpus.text("second alternate name"),
        alternate_2_affiliation=corpus.text("second alternate affiliation"),
        committee_notes=corpus.text("nomination committee notes", 1000),
        session_chair=corpus.text("proposed session chair"),
    )
    session = InvitedSession.objects.create(
        meeting=meeting,
        title=corpus.text("invited session title"),
        code=corpus.text("invited session code", 10),
        description=corpus.markdown("invited session description"),
        ownership=SessionOwnership.WHOLLY_OWNED,
    )
    speaker = PersonFactory(name=corpus.text("invited speaker name"))
    InvitedTalk.objects.create(
        session=session, speaker=speaker, title=corpus.text("invited talk title")
    )
    DeadlineExtension.objects.create(
        meeting=meeting,
        member=UserFactory(),
        closes_at=now + timedelta(days=20),
        reason=corpus.text("deadline extension reason", 250),
        granted_by=corpus.user,
    )
    # A published session of contributed talks (issue 16, item 5), with the visitor's
    # accepted and told abstract as its talk; the decider (not an author) places it.
    contributed = ContributedSession.objects.create(
        meeting=meeting,
        title=corpus.text("contributed session title"),
        code=corpus.text("contributed session code", 10),
        chair_name=corpus.text("contributed session chair name"),
        room=corpus.text("contributed session room"),
    )
    talk_add(session=contributed, abstract=abstract, by=decider)
    session_publish(session=contributed, by=decider)
    # The visitor chairs the meeting, so the chair-only pages (the reminder previews) are
    # walked too: those ask the rule set, which a superuser alone does not pass.
    corpus.user.groups.add(Group.objects.get(name=Role.PROGRAM_COMMITTEE))
    # (The visitor may already have a person page from another app's seed.)
    meeting.program_chair = Person.objects.filter(user=corpus.user).first() or PersonFactory(
        user=corpus.user
    )
    meeting.save(update_fields=["program_chair"])
    base = f"/meetings/{meeting.slug}"
    # Sending the accepted decision asked its presenter (the author named by a payload):
    # their confirmation page, the committee's Presenters page and the reminder preview.
    confirmation = SpeakerConfirmation.objects.get(abstract=abstract)
    return [
        f"{base}/confirm/{confirmation_token(confirmation)}/",
        f"{base}/committee/presenters/",
        f"{base}/committee/presenters/remind/",
        f"{base}/committee/sessions/",
        f"{base}/committee/sessions/{contributed.pk}/",
        meeting.get_absolute_url(),
        meeting.get_call_url(),
        abstract.get_absolute_url(),
        "/meetings/my/abstracts/",
        "/meetings/my/nominations/",
        f"/meetings/my/nominations/{nomination.pk}/edit/",
        f"/meetings/my/nominations/{nomination.pk}/withdraw/",
        "/my/",
        f"{base}/committee/",
        f"{base}/committee/reviews/",
        f"{base}/committee/reviews/{pending.pk}/",
        f"{base}/committee/decisions/",
        f"{base}/committee/decisions/preview/",
        f"{base}/committee/book/",
        f"{base}/committee/nominations/",
        f"{base}/committee/exports/",
        "/admin/meetings/abstract/",
        f"/admin/meetings/abstract/{pending.pk}/change/",
        "/admin/meetings/decisionnotification/",
        "/admin/meetings/review/",
        "/admin/meetings/speakernomination/",
        f"/admin/meetings/speakernomination/{nomination.pk}/change/",
        "/admin/meetings/invitedsession/",
        f"/admin/meetings/invitedsession/{session.pk}/change/",
        f"/admin/meetings/meeting/{meeting.pk}/change/",
    ]
