from django import forms

from community.models import Person
from gds_portal.uploads import clean_image
from gds_portal.validators import normalize_orcid, orcid_form_field


class PersonForm(forms.ModelForm):
    """Used by the admin: photos are validated, re-encoded and resized here.

    The account link (`user`) is not among its own fields: the admin adds it only for
    those who may link accounts (community.rules), and person_save refuses it anyway.
    """

    orcid = orcid_form_field()

    class Meta:
        model = Person
        fields = [
            "name",
            "slug",
            "affiliation",
            "position",
            "bio",
            "photo",
            "website",
            "orcid",
            "email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A role with view permission only gets a form without fields.
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Leave empty to make one from the name."

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and "photo" in self.changed_data:
            return clean_image(photo, max_side=480)
        return photo

    def clean_orcid(self) -> str:
        return normalize_orcid(self.cleaned_data["orcid"]) if self.cleaned_data["orcid"] else ""
