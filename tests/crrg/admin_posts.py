"""What the survey admin's change form posts, for tests that drive it."""


def questionnaire_post(survey, questions=(), **changes) -> dict:
    """The questionnaire change form as it stands, its question rows included, with
    `changes` on top (e.g. {"questions-0-DELETE": "on"})."""
    data = {
        "title": survey.title,
        "slug": survey.slug,
        "owner": survey.owner,
        "introduction": "",
        "opens_at_0": survey.opens_at.strftime("%Y-%m-%d"),
        "opens_at_1": survey.opens_at.strftime("%H:%M:%S"),
        "coordinator_emails": "",
        "min_cell_size": survey.min_cell_size,
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
    }
    for i, q in enumerate(questions):
        data.update(
            {
                f"questions-{i}-id": q.pk,
                f"questions-{i}-questionnaire": survey.pk,
                f"questions-{i}-order": q.order,
                f"questions-{i}-text": q.text,
                f"questions-{i}-kind": q.kind,
            }
        )
        if q.required:
            data[f"questions-{i}-required"] = "on"
    return {**data, **changes}


def question_post(question, **changes) -> dict:
    """The question change form with its choice rows, `changes` on top."""
    choices = list(question.choices.all())
    data = {
        "questionnaire": question.questionnaire_id,
        "order": question.order,
        "text": question.text,
        "kind": question.kind,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
    }
    for i, choice in enumerate(choices):
        data.update(
            {
                f"choices-{i}-id": choice.pk,
                f"choices-{i}-question": question.pk,
                f"choices-{i}-order": choice.order,
                f"choices-{i}-label": choice.label,
            }
        )
    return {**data, **changes}
