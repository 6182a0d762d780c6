"""Demo CRRG: the public page, the four interest groups, the membership questionnaire, responses.

Facts come from the seed newsletter (GDS and GMED set the group up; broad
webinars, focused interest groups, outreach to partner organisations and the
press). The respondents are invented and labelled as demo data.
"""

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from crrg.enums import QuestionKind
from crrg.models import Choice, CrrgPage, InterestGroup, Question, Questionnaire
from crrg.services.answering import response_submit

ABOUT = """\
The COVID Research and Resources Group (CRRG) brings together physicists who work on
COVID-19, or want to. It was started jointly by the Topical Group on Data Science (GDS)
and the Topical Group on Medical Physics (GMED).

What the group does:

- **Webinars** on COVID research that are open to the whole community.
- **Interest groups** where members working on the same kind of problem meet and talk.
- **Outreach**: putting members in touch with partner organisations, other societies,
  companies and journalists who are looking for expertise.

Join by answering a short questionnaire; you can change your answers or leave at any time.
"""

GROUPS = [
    ("modeling", "Modeling", "Epidemic and transmission models, from compartments to agents."),
    (
        "data-analytics",
        "Data analytics",
        "Case, mobility and clinical data: cleaning, statistics and machine learning.",
    ),
    ("imaging", "Imaging", "Medical imaging for diagnosis and follow-up, with GMED colleagues."),
    ("technologies", "Technologies", "Sensors, devices and computing that help fight the virus."),
]

QUESTIONNAIRE = {
    "slug": "crrg-membership",
    "title": "Join the COVID Research and Resources Group",
    "introduction": "A few questions so the coordinators can plan webinars, form interest "
    "groups and connect you with partners. It takes about three minutes.",
}

# order, text, kind, required, help text, choices [(label, group slug)], condition (q order, label)
QUESTIONS = [
    (
        10,
        "Are you working on COVID-related research now?",
        QuestionKind.SINGLE_CHOICE,
        True,
        "",
        [
            ("Yes, it is my main work", None),
            ("Yes, alongside other work", None),
            ("Not yet, but I would like to", None),
        ],
        None,
    ),
    (
        20,
        "Which interest groups would you like to join?",
        QuestionKind.MULTIPLE_CHOICE,
        False,
        "Pick any; you are placed in the groups you choose and can leave them in My GDS.",
        [(name, slug) for slug, name, _ in GROUPS],
        None,
    ),
    (
        30,
        "Describe your COVID-related work in a few sentences.",
        QuestionKind.LONG_TEXT,
        False,
        "",
        [],
        (10, "Yes, it is my main work"),
    ),
    (
        40,
        "Would you give or host a webinar for the CRRG?",
        QuestionKind.YES_NO,
        False,
        "",
        [],
        None,
    ),
    (
        50,
        "How useful would introductions to partner organisations, companies or the press be "
        "for your work?",
        QuestionKind.SCALE,
        False,
        "1 = not useful, 5 = very useful.",
        [],
        None,
    ),
    (
        60,
        "A link to your work (paper, preprint, code or group page)",
        QuestionKind.URL,
        False,
        "",
        [],
        None,
    ),
]

DEMO_RESPONDENTS = [
    # email, name, answers by question order, contact, listed
    (
        "crrg.alice@demo.gds.example.org",
        "Alice Demo (demo data)",
        {
            10: ["Yes, it is my main work"],
            20: ["Modeling", "Data analytics"],
            30: "Agent-based transmission models calibrated on mobility data (demo data).",
            40: True,
            50: 4,
        },
        True,
        True,
    ),
    (
        "crrg.bruno@demo.gds.example.org",
        "Bruno Demo (demo data)",
        {10: ["Yes, alongside other work"], 20: ["Imaging"], 40: False, 50: 2},
        False,
        True,
    ),
    (
        "crrg.chen@demo.gds.example.org",
        "Chen Demo (demo data)",
        {
            10: ["Not yet, but I would like to"],
            20: ["Technologies", "Data analytics"],
            50: 5,
            60: "https://example.org/demo-preprint",
        },
        True,
        False,
    ),
]


def load(stdout) -> None:
    page = CrrgPage.get_solo()
    page.about = ABOUT
    page.webinars_url = page.webinars_url or "/webinars/"
    page.save()
    groups = {
        slug: InterestGroup.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": text, "order": i, "active": True}
        )[0]
        for i, (slug, name, text) in enumerate(GROUPS)
    }
    questionnaire, _ = Questionnaire.objects.update_or_create(
        slug=QUESTIONNAIRE["slug"],
        defaults={**QUESTIONNAIRE, "grants_membership": True},
        create_defaults={**QUESTIONNAIRE, "grants_membership": True, "opens_at": timezone.now()},
    )
    questions = _questions(questionnaire, groups)
    for email, name, answers, contact, listed in DEMO_RESPONDENTS:
        user = _demo_user(email, name)
        response_submit(
            questionnaire=questionnaire,
            user=user,
            answers={questions[order]: _value(questions[order], v) for order, v in answers.items()},
            consent_contact=contact,
            consent_listed=listed,
        )
    stdout.write(
        f"CRRG: 4 interest groups, questionnaire /crrg/join/, {len(DEMO_RESPONDENTS)} "
        "demo responses"
    )
    load_barriers_survey(stdout)


def _questions(questionnaire: Questionnaire, groups: dict) -> dict[int, Question]:
    questions: dict[int, Question] = {}
    for order, text, kind, required, help_text, choices, condition in QUESTIONS:
        shown_if = None
        if condition:
            shown_if = questions[condition[0]].choices.get(label=condition[1])
        question, _ = Question.objects.update_or_create(
            questionnaire=questionnaire,
            order=order,
            defaults={
                "text": text,
                "kind": kind,
                "required": required,
                "help_text": help_text,
                "shown_if": shown_if,
            },
        )
        for i, (label, slug) in enumerate(choices):
            Choice.objects.update_or_create(
                question=question,
                label=label,
                defaults={"order": i, "interest_group": groups.get(slug)},
            )
        questions[order] = question
    return questions


def _value(question: Question, value):
    if question.has_choices:
        return list(question.choices.filter(label__in=value))
    return value


def _demo_user(email: str, name: str) -> User:
    user = User.objects.with_email(email).first()
    if user is None:
        user = User(email=email)
        user.set_unusable_password()
    user.full_name = name
    user.affiliation = "Demo University (demo data)"
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


# --- The barriers survey (issue 18): the executive committee's anonymous survey ----------
# The seed's Statement on Diversity commits the executive committee to "survey our
# membership to better understand the barriers and challenges" at the intersection of
# physics and data science. The questions below are written for the demo; every
# respondent and answer is demo data.

BARRIERS = {
    "slug": "barriers-survey",
    "title": "Barriers in physics and data science (demo data)",
    "introduction": "The executive committee asks what makes it harder for you to take part "
    "in physics and data science, so that GDS can act on it. It takes about five minutes. "
    "This survey is anonymous.",
}

# order, text, kind, required, help text, choices
BARRIER_QUESTIONS = [
    (
        10,
        "Which best describes where you are in your career?",
        QuestionKind.SINGLE_CHOICE,
        True,
        "",
        [
            "Student",
            "Postdoctoral researcher",
            "Faculty or staff scientist",
            "Industry or government",
        ],
    ),
    (
        20,
        "Have you met barriers to taking part in physics and data science?",
        QuestionKind.YES_NO,
        True,
        "",
        [],
    ),
    (
        30,
        "Which barriers have you met?",
        QuestionKind.MULTIPLE_CHOICE,
        False,
        "Pick any.",
        [
            "Access to computing resources",
            "Access to data",
            "Mentoring and professional networks",
            "Cost of travel to meetings",
            "Caring responsibilities",
            "Feeling unwelcome or excluded",
        ],
    ),
    (
        40,
        "How welcome do you feel at GDS meetings and webinars?",
        QuestionKind.SCALE,
        False,
        "1 = not at all, 5 = very much.",
        [],
    ),
    (50, "What would help you most?", QuestionKind.LONG_TEXT, False, "", []),
]

# Twelve demo respondents: answers by question order. Ten join the results (two groups
# of five) and two wait for a third group, as the summary page explains.
BARRIER_ANSWERS = [
    {
        10: ["Student"],
        20: True,
        30: ["Access to computing resources"],
        40: 4,
        50: "Shared GPU time for student projects (demo data).",
    },
    {10: ["Faculty or staff scientist"], 20: False, 40: 5},
    {
        10: ["Faculty or staff scientist"],
        20: True,
        30: ["Caring responsibilities"],
        40: 3,
        50: "Webinar replays at times that suit other time zones (demo data).",
    },
    {
        10: ["Postdoctoral researcher"],
        20: True,
        30: ["Mentoring and professional networks", "Cost of travel to meetings"],
        40: 3,
        50: "A mentoring scheme across institutions (demo data).",
    },
    {10: ["Faculty or staff scientist"], 20: False, 40: 4},
    {
        10: ["Industry or government"],
        20: True,
        30: ["Access to data"],
        40: 4,
        50: "Clear routes for people outside academia to present at meetings (demo data).",
    },
    {
        10: ["Faculty or staff scientist"],
        20: True,
        30: ["Cost of travel to meetings"],
        40: 2,
        50: "Travel grants for early-career members (demo data).",
    },
    {10: ["Faculty or staff scientist"], 20: False, 40: 5},
    {
        10: ["Student"],
        20: True,
        30: ["Feeling unwelcome or excluded"],
        40: 2,
    },
    {
        10: ["Faculty or staff scientist"],
        20: True,
        30: ["Mentoring and professional networks"],
        40: 4,
    },
    {
        10: ["Postdoctoral researcher"],
        20: True,
        30: ["Access to computing resources"],
        40: 3,
        50: "A code of conduct that is enforced at every session (demo data).",
    },
    {10: ["Faculty or staff scientist"], 20: False, 40: 4},
]


def load_barriers_survey(stdout) -> None:
    from accounts.enums import Role
    from crrg.models import Participation
    from crrg.services.results import summary_release

    values = {**BARRIERS, "owner": Role.EXECUTIVE_COMMITTEE, "anonymous": True}
    survey, _ = Questionnaire.objects.update_or_create(
        slug=BARRIERS["slug"],
        defaults=values,
        create_defaults={**values, "opens_at": timezone.now() - timezone.timedelta(days=14)},
    )
    questions: dict[int, Question] = {}
    for order, text, kind, required, help_text, choices in BARRIER_QUESTIONS:
        question, _ = Question.objects.update_or_create(
            questionnaire=survey,
            order=order,
            defaults={"text": text, "kind": kind, "required": required, "help_text": help_text},
        )
        for i, label in enumerate(choices):
            Choice.objects.update_or_create(question=question, label=label, defaults={"order": i})
        questions[order] = question
    for n, answers in enumerate(BARRIER_ANSWERS, start=1):
        user = _demo_user(
            f"survey.respondent{n}@demo.gds.example.org", f"Survey Respondent {n} (demo data)"
        )
        if Participation.objects.filter(questionnaire=survey, user=user).exists():
            continue  # answered at an earlier load: an anonymous survey is answered once
        response_submit(
            questionnaire=survey,
            user=user,
            answers={questions[o]: _value(questions[o], v) for o, v in answers.items()},
            consent_contact=False,
            consent_listed=False,
        )
    executive = User.objects.with_email("exec@demo.gds.example.org").first()
    summary_release(
        questionnaire=survey,
        note="First results of the barriers survey, released while it stays open (demo data).",
        by=executive,
    )
    stdout.write(
        f"Surveys: the anonymous barriers survey /surveys/{survey.slug}/ with "
        f"{len(BARRIER_ANSWERS)} demo responses and its released summary"
    )
