from django.db import models


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    YES_NO = "yes_no", "Yes or no"
    SCALE = "scale", "Scale from 1 to 5"
    URL = "url", "Web address (URL)"

    @classmethod
    def with_choices(cls) -> set[str]:
        """Kinds whose answers are picked from the question's own choices."""
        return {cls.SINGLE_CHOICE, cls.MULTIPLE_CHOICE}

    @classmethod
    def free_text(cls) -> set[str]:
        return {cls.SHORT_TEXT, cls.LONG_TEXT, cls.URL}


class MembershipSource(models.TextChoices):
    """How a member came to be in an interest group."""

    ANSWERS = "answers", "From their answers"
    COORDINATOR = "coordinator", "Added by a coordinator"


class MailingKind(models.TextChoices):
    """What a coordinators' mailing to a survey's members was."""

    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder"
