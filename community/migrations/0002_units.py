from django.db import migrations

# The APS units that co-sponsor GDS sessions and programmes.
UNITS = [
    ("GDS", "Topical Group on Data Science"),
    ("DCOMP", "Division of Computational Physics"),
    ("GSNP", "Topical Group on Statistical and Nonlinear Physics"),
    ("DBIO", "Division of Biological Physics"),
    ("DMP", "Division of Materials Physics"),
    ("DPOLY", "Division of Polymer Physics"),
    ("FIAP", "Forum on Industrial and Applied Physics"),
    ("DSOFT", "Division of Soft Matter"),
    ("GMED", "Topical Group on Medical Physics"),
    ("DQI", "Division of Quantum Information"),
]


def load_units(apps, schema_editor):
    Unit = apps.get_model("community", "Unit")
    for code, name in UNITS:
        Unit.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(load_units, migrations.RunPython.noop)]
