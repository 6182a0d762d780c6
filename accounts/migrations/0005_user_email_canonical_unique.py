from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_fill_email_canonical")]

    operations = [
        migrations.RemoveConstraint(model_name="user", name="accounts_user_email_ci_unique"),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                fields=["email_canonical"],
                name="accounts_user_email_canonical_unique",
                violation_error_message="An account with this email address already exists.",
            ),
        ),
    ]
