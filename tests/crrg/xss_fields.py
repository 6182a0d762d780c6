"""XSS corpus fields of the CRRG and surveys (see tests/security/xss.py): the
coordinators' public page, interest groups, questionnaires (a conditional question
whose note quotes a choice label), a member's answers and a group message."""

import uuid
from datetime import timedelta

from crrg.enums import MembershipSource, QuestionKind
from crrg.forms import ResponseForm
from crrg.models import CrrgPage, InterestGroupMembership, Invitation
from crrg.selectors import invitations
from crrg.services import answering as answering_services
from crrg.services import groups as groups_services
from crrg.services import mailings as mailings_services
from crrg.services import results as results_services
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
    answering_services.response_submit(
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
    message = groups_services.group_message_send(
        group=group,
        by=corpus.user,
        subject=corpus.text("group message subject"),
        body=corpus.text("group message body", 20000),
    )
    _invite_and_remind(corpus, survey, group)
    anonymous = _anonymous(corpus)
    summary = "/crrg/coordinators/questionnaires/{}/"
    corpus.export(summary.format(anonymous.slug) + "export.csv")
    corpus.export(summary.format(anonymous.slug) + "export.xlsx")
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
        summary.format(anonymous.slug),
        summary.format(anonymous.slug) + "crosstab/",
        f"/surveys/{anonymous.slug}/",
        f"/surveys/{anonymous.slug}/results/",
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
    segments = invitations.segments(with_groups=True)
    segment = next(s for s in segments if s.key == f"group:{group.slug}")
    mailings_services.survey_invite(
        questionnaire=survey,
        segment=segment,
        note=corpus.text("survey invitation note", 2000),
        by=corpus.user,
        token=uuid.uuid4(),
    )
    Invitation.objects.filter(user=invitee).update(
        last_mailed_at=survey.created_at - timedelta(days=2)
    )
    mailings_services.survey_remind(questionnaire=survey, by=corpus.user, token=uuid.uuid4())


def _anonymous(corpus):
    """An anonymous survey answered by five members (its results appear: k = 5), with a
    summary released to members under a note."""
    questionnaire = QuestionnaireFactory(
        slug="xss-anonymous",
        anonymous=True,
        title=corpus.text("anonymous survey title"),
        introduction=corpus.markdown("anonymous survey introduction"),
    )
    picker = QuestionFactory(
        questionnaire=questionnaire,
        kind=QuestionKind.SINGLE_CHOICE,
        text=corpus.text("anonymous question text", 500),
    )
    choice = ChoiceFactory(question=picker, label=corpus.text("anonymous choice label", 300))
    other = QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.YES_NO, text="Other")
    words = QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.LONG_TEXT, text="Say")
    text = corpus.text("anonymous free-text answer", 5000)
    for n in range(questionnaire.min_cell_size):
        member = corpus.user if n == 0 else UserFactory()
        answering_services.response_submit(
            questionnaire=questionnaire,
            user=member,
            answers={picker: [choice], other: n % 2 == 0, words: text},
            consent_contact=False,
            consent_listed=False,
        )
    results_services.summary_release(
        questionnaire=questionnaire,
        note=corpus.text("published summary note", 5000),
        by=corpus.user,
    )
    return questionnaire
