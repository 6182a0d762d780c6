from crispy_forms.helper import FormHelper
from django import forms
from django_countries.fields import CountryField

from accounts.enums import CareerStage
from accounts.models import User
from gds_portal.form_layout import Submit, mark_own_details
from gds_portal.validators import normalize_orcid, orcid_form_field


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth adds email and passwords)."""

    full_name = forms.CharField(max_length=200, label="Full name")
    affiliation = forms.CharField(max_length=200, required=False)
    country = CountryField(blank=True).formfield(required=False)
    career_stage = forms.ChoiceField(
        choices=[("", "—"), *CareerStage.choices], required=False, label="Career stage"
    )

    field_order = ["full_name", "email", "affiliation", "country", "career_stage"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_own_details(self)

    def signup(self, request, user):
        for field in ("full_name", "affiliation", "country", "career_stage"):
            setattr(user, field, self.cleaned_data[field])
        user.save()


class ProfileForm(forms.ModelForm):
    orcid = orcid_form_field()

    class Meta:
        model = User
        fields = User.PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_own_details(self)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save profile"))

    def clean_orcid(self) -> str:
        return normalize_orcid(self.cleaned_data["orcid"]) if self.cleaned_data["orcid"] else ""
