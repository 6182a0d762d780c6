"""allauth's forms where GDS needs more than its hooks (settings.ACCOUNT_FORMS).

Apart from accounts/forms.py because allauth's forms module imports that one
(ACCOUNT_SIGNUP_FORM_CLASS) while it loads: importing allauth's forms from there
would be circular.
"""

from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm as BaseAddEmailForm
from allauth.account.forms import LoginForm as BaseLoginForm
from allauth.account.forms import ResetPasswordForm as BaseResetPasswordForm

from accounts.identity import refuse_lookalike
from accounts.models import User
from gds_portal.form_errors import mark_concerned


class LoginForm(BaseLoginForm):
    """Sign-in: any spelling of an account's address signs in to that account.

    The backends find the account by the canonical form already; handing allauth
    the address on file as well keeps its later steps (is this address verified?
    where does a verification mail go?) on the account's own spelling, never on
    the one typed.

    A wrong password is a non-field error (it must not say which of the two is wrong);
    both fields are marked invalid and described by it (gds_portal.form_errors).
    """

    non_field_errors_concern = ("login", "password")

    def full_clean(self):
        super().full_clean()
        mark_concerned(self)

    def clean_login(self) -> str:
        login = super().clean_login()
        stored = User.objects.with_email(login).values_list("email", flat=True).first()
        return stored or login


class AddEmailForm(BaseAddEmailForm):
    """Email change: the new address may not be, or look like, another account's."""

    def clean_email(self) -> str:
        value = super().clean_email()
        refuse_lookalike(value, exclude_pk=self.user.pk)
        return value


class ResetPasswordForm(BaseResetPasswordForm):
    """Password reset: find the account by the canonical form; mail only the address on file.

    allauth sends the link to the address *as typed*. That is safe only while its
    lookup is exact; with any broader match (ours is the canonical form, which treats
    `sam@` spelled with a long s U+017F as `sam@`) a person who controls a mailbox
    spelled like a member's would receive that member's link. So the typed spelling
    only finds the account, and the mail goes to the account's own address.
    """

    def clean_email(self) -> str:
        typed = self.cleaned_data["email"]
        self.users = list(User.objects.with_email(typed).filter(is_active=True))
        if not self.users:
            raise get_adapter().validation_error("unknown_email")
        return self.users[0].email
