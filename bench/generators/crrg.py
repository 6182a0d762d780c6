"""Benchmark data for the CRRG: interest groups, the member questionnaire, its responses
and the memberships they grant."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bench.vocabulary import TOPICS

if TYPE_CHECKING:
    from bench.generate import Generator


def generate(g: Generator, members: list) -> None:
    Questionnaire = g.model("crrg.Questionnaire")
    if Questionnaire is None:
        g.out("  (crrg: no questionnaire model yet, skipped)")
        return
    Group, Question = g.model("crrg.InterestGroup"), g.model("crrg.Question")
    Choice, Response = g.model("crrg.Choice"), g.model("crrg.Response")
    Answer, Pick = g.model("crrg.Answer"), g.model("crrg.AnswerChoice")
    Membership = g.model("crrg.InterestGroupMembership")
    groups = g.insert(
        "interest groups",
        [
            Group(
                name=topic.capitalize(),
                slug=f"bench-{topic.replace(' ', '-')}",
                description=g.text(3),
                order=i,
            )
            for i, topic in enumerate(TOPICS[:8])
        ],
    )
    survey = g.insert(
        "questionnaires",
        [
            Questionnaire(
                title="CRRG member survey (demo)",
                slug="bench-crrg-survey",
                introduction=g.text(2),
                opens_at=g.now - timedelta(days=400),
                grants_membership=True,
            )
        ],
    )[0]
    kinds = ["multiple_choice", "single_choice", "scale", "yes_no", "long_text"]
    questions = g.insert(
        "questions",
        [
            Question(
                questionnaire=survey,
                order=i,
                text=f"Question {i + 1}: {g.title()}?",
                kind=kind,
                required=i == 0,
            )
            for i, kind in enumerate(kinds)
        ],
    )
    choices = g.insert(
        "choices",
        [
            Choice(question=questions[0], order=i, label=g.name, interest_group=g)
            for i, g in enumerate(groups)
        ]
        + [
            Choice(question=questions[1], order=i, label=label)
            for i, label in enumerate(["Student", "Postdoc", "Faculty", "Industry"])
        ],
    )
    picks_by_group, memberships = {}, []
    responders = g.random.sample(members, min(2000 * g.scale, len(members)))
    responses = g.insert(
        "questionnaire responses",
        [
            Response(
                questionnaire=survey,
                user=user,
                consent_contact=g.random.random() < 0.6,
                consent_listed=g.random.random() < 0.3,
                created_at=(answered := g.now - timedelta(days=g.random.randint(0, 400))),
                submitted_at=answered,
            )
            for user in responders
        ],
    )
    answers, chosen = [], []
    for response in responses:
        picked = g.random.sample(choices[: len(groups)], g.random.randint(1, 3))
        chosen.append([*picked, g.random.choice(choices[len(groups) :])])
        answers += [
            Answer(response=response, question=questions[0]),
            Answer(response=response, question=questions[1]),
            Answer(response=response, question=questions[2], number=g.random.randint(1, 5)),
            Answer(response=response, question=questions[3], boolean=g.random.random() < 0.5),
            Answer(response=response, question=questions[4], text=g.text(2)),
        ]
        for choice in picked:
            picks_by_group.setdefault(choice.interest_group_id, set()).add(response.user_id)
    answers = g.insert("answers", answers)
    links = []
    for index, picked in enumerate(chosen):
        multiple, single = answers[5 * index], answers[5 * index + 1]
        links += [Pick(answer=multiple, choice=c) for c in picked[:-1]]
        links.append(Pick(answer=single, choice=picked[-1]))
    g.insert("answer choices", links)
    for group_id, user_ids in picks_by_group.items():
        memberships += [
            Membership(group_id=group_id, user_id=u, source="answers") for u in sorted(user_ids)
        ]
    g.insert("interest group memberships", memberships)
