"""Stored mail takes the template names of the one naming scheme (issue 22).

Every mail template now lives in its app's folder, `emails/<app>/<name>`, and each
app's mail domain claims that folder. Rows queued or sent before keep the name they
were rendered from; renamed here, they name a template that exists and whose domain
is the one already stored on the row, so who may read them in the outbox does not
change. `test-notice` was a test's template that the site never sent; it left for
tests/templates/, and a stray row of it keeps its name. Names are strings: the ground
floor imports no domain app.
"""

from django.db import migrations
from django.db.models import Case, Value, When

RENAMED = {
    "abstract-decision": "meetings/abstract-decision",
    "abstract-receipt": "meetings/abstract-receipt",
    "abstract-reminder": "meetings/abstract-reminder",
    "crrg-group-message": "crrg/group-message",
    "webinars_nomination_ack": "webinars/nomination-ack",
    "webinars_nomination_new": "webinars/nomination-new",
}


def _rename(apps, names: dict[str, str]) -> None:
    OutboundEmail = apps.get_model("gds_portal", "OutboundEmail")
    # One statement over the outbox, however many names change; `domain` stays.
    OutboundEmail.objects.filter(template__in=names).update(
        template=Case(*(When(template=old, then=Value(new)) for old, new in names.items()))
    )


def forward(apps, schema_editor):
    _rename(apps, RENAMED)


def backward(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("gds_portal", "0006_diversity_actions_and_code_of_conduct")]
    operations = [migrations.RunPython(forward, backward)]
