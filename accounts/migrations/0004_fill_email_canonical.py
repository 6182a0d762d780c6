"""Fill the canonical form and look-alike key of every existing address.

Accounts whose addresses are one address in two spellings (`sam@` and the same with a
long s U+017F or a full-width S) could exist before: the old constraint compared only `LOWER(email)`. One of
each group keeps the address, preferring an active account with a verified address,
then the one registered first (a look-alike is registered *after* the address it
imitates). The others are deactivated and keep no canonical form (NULL, which the
unique constraint does not count), so they can no longer sign in, be found by a
lookup, or receive a reset link; their rows and history stay for an administrator,
who can see them in the admin (inactive) and give them a different address. Each one
is printed when the migration runs.
"""

from collections import defaultdict

from django.db import migrations

from accounts.identity import canonical_email, lookalike_key


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    verified = set(EmailAddress.objects.filter(verified=True).values_list("user_id", "email"))
    groups = defaultdict(list)
    for user in User.objects.order_by("pk"):
        groups[canonical_email(user.email)].append(user)
    for canonical, users in groups.items():
        users.sort(
            key=lambda u: (not u.is_active, (u.pk, u.email) not in verified, u.date_joined, u.pk)
        )
        keeper, *duplicates = users
        for user in users:
            user.email_lookalike_key = lookalike_key(user.email)
        keeper.email_canonical = canonical
        for user in duplicates:
            user.email_canonical = None
            user.is_active = False
            # An administrator must see what the migration changed.
            print(
                f"\n  accounts: deactivated user {user.pk} <{user.email!r}>: the same address "
                f"as user {keeper.pk} <{keeper.email!r}> in another spelling"
            )
        User.objects.bulk_update(users, ["email_canonical", "email_lookalike_key", "is_active"])
    _report_lookalikes(User)


def _report_lookalikes(User):
    """Accounts whose different addresses read the same stay active (they are different
    mailboxes, e.g. `rnary@` and `mary@`), but an administrator should know of them."""
    keys = defaultdict(list)
    for pk, email, key in User.objects.filter(is_active=True).values_list(
        "pk", "email", "email_lookalike_key"
    ):
        keys[key].append(f"{pk} <{email!r}>")
    for accounts in keys.values():
        if len(accounts) > 1:
            print(f"\n  accounts: these addresses look alike, please review: {', '.join(accounts)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_email_canonical"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
