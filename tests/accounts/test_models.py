import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User
from gds_portal.validators import validate_orcid

pytestmark = pytest.mark.django_db


def test_user_email_is_unique_regardless_of_case():
    User.objects.create_user("Ada@Example.org", "pw-123456789", full_name="Ada")
    with pytest.raises(IntegrityError):
        User.objects.create_user("ada@example.ORG", "pw-123456789", full_name="Other Ada")


def test_user_login_lookup_ignores_case():
    user = User.objects.create_user("Grace@Example.org", "pw-123456789", full_name="Grace")
    assert User.objects.get_by_natural_key("grace@example.org") == user


@pytest.mark.parametrize(
    "orcid", ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"]
)
def test_validate_orcid_accepts_real_identifiers(orcid):
    validate_orcid(orcid)
    validate_orcid(f"https://orcid.org/{orcid}")


@pytest.mark.parametrize(
    ("orcid", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),
        ("0000-0002-1825", "orcid_format"),
        ("abcd-0002-1825-0097", "orcid_format"),
    ],
)
def test_validate_orcid_rejects_bad_identifiers(orcid, code):
    with pytest.raises(ValidationError) as error:
        validate_orcid(orcid)
    assert error.value.code == code
