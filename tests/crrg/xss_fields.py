"""XSS corpus fields of the CRRG and surveys (see tests/security/xss.py): the
coordinators' public page, interest groups, questionnaires (a conditional question
whose note quotes a choice label), a member's answers and a group message."""

import uuid
from datetime import timedelta

from crrg import selectors, services
from crrg.enums import MembershipSource, QuestionKind
from crrg.forms import ResponseForm
from crrg.models import CrrgPage, InterestGroupMembership, Invitation
from tests.factories.accounts import UserFactory
from tests.factories.crrg import (
    ChoiceFactory,
    InterestGroupFactory,
    QuestionFactory,
    QuestionnaireFactory,
)


def _questionnaire(corpus, *, slug: str, grants_membership: bool, group):
    questionnaire = QuestionnaireFactory(
        slug=slug,
        grants_membership=grants_membership,
        title=corpus.text(f"{slug} questionnaire title"),
        introduction=corpus.markdown(f"{slug} questionnaire introduction"),
    )
    picker = QuestionFactory(
        questionnaire=questionnaire,
        kind=QuestionKind.SINGLE_CHOICE,
        text=corpus.text(f"{slug} question text", 500),
        help_text=corpus.text(f"{slug} question help text", 500),
    )
    choice = ChoiceFactory(
        question=picker, label=corpus.text(f"{slug} choice label", 300), interest_group=group
    )
    details = QuestionFactory(
        questionnaire=questionnaire,
        kind=QuestionKind.LONG_TEXT,
        shown_if=choice,
        text=corpus.text(f"{slug} conditional question text", 500),
    )
    # The member answers through the form, as on the page.
    data = {f"q{picker.pk}": choice.pk, f"q{details.pk}": corpus.text(f"{slug} answer", 5000)}
    form = ResponseForm(data, questionnaire=questionnaire, response=None)
    assert form.is_valid(), form.errors
    services.response_submit(
        questionnaire=questionnaire,
        user=corpus.user,
        answers=form.answers(),
        consent_contact=True,
        consent_listed=grants_membership,
    )
    return questionnaire


def seed(corpus) -> list[str]:
    page = CrrgPage.get_solo()
    page.about = corpus.markdown("CRRG page about")
    page.webinars_link_text = corpus.text("CRRG webinars link text", 120)
    page.webinars_url = "/webinars/"
    page.save()
    group = InterestGroupFactory(
        slug="xss-group",
        name=corpus.text("interest group name", 120),
        description=corpus.markdown("interest group description"),
    )
    join = _questionnaire(corpus, slug="xss-join", grants_membership=True, group=group)
    survey = _questionnaire(corpus, slug="xss-survey", grants_membership=False, group=None)
    message = services.group_message_send(
        group=group,
        by=corpus.user,
        subject=corpus.text("group message subject"),
        body=corpus.text("group message body", 20000),
    )
    _invite_and_remind(corpus, survey, group)
    summary = "/crrg/coordinators/questionnaires/{}/"
    for questionnaire in (join, survey):
        corpus.export(summary.format(questionnaire.slug) + "export.csv")
        corpus.export(summary.format(questionnaire.slug) + "export.xlsx")
    question = join.questions.first()
    response = join.responses.get()
    return [
        "/crrg/",
        "/crrg/join/",
        f"/surveys/{survey.slug}/",
        "/my/",
        "/crrg/coordinators/",
        summary.format(join.slug),
        summary.format(survey.slug),
        summary.format(survey.slug) + "invitations/",
        f"/crrg/coordinators/groups/{group.slug}/",
        "/admin/crrg/crrgpage/",
        "/admin/crrg/interestgroup/",
        f"/admin/crrg/interestgroup/{group.pk}/change/",
        "/admin/crrg/questionnaire/",
        f"/admin/crrg/questionnaire/{join.pk}/change/",
        f"/admin/crrg/question/{question.pk}/change/",
        "/admin/crrg/response/",
        f"/admin/crrg/response/{response.pk}/change/",
        "/admin/crrg/groupmessage/",
        f"/admin/crrg/groupmessage/{message.pk}/change/",
    ]


def _invite_and_remind(corpus, survey, group) -> None:
    """An invitation to the interest group (its name is the mailing's audience) with a
    note, then a reminder a day later: both mails and the page's list of mailings."""
    invitee = UserFactory(email="xss-invitee@example.org")
    InterestGroupMembership.objects.create(
        group=group, user=invitee, source=MembershipSource.COORDINATOR
    )
    segments = selectors.segments(with_groups=True)
    segment = next(s for s in segments if s.key == f"group:{group.slug}")
    services.survey_invite(
        questionnaire=survey,
        segment=segment,
        note=corpus.text("survey invitation note", 2000),
        by=corpus.user,
        token=uuid.uuid4(),
    )
    Invitation.objects.filter(user=invitee).update(
        last_mailed_at=survey.created_at - timedelta(days=2)
    )
    services.survey_remind(questionnaire=survey, by=corpus.user, token=uuid.uuid4())
