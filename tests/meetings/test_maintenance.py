"""The form-token purge: old one-time tokens go, recent ones and every abstract stay."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from meetings.maintenance import form_tokens_purge
from meetings.models import Abstract, AbstractAuthor, FormToken
from tests.factories.meetings import make_abstract

pytestmark = pytest.mark.django_db


def _token(user, *, age_days: int, abstract=None) -> FormToken:
    token = FormToken.objects.create(
        token=uuid.uuid4(), user=user, action="save", abstract=abstract
    )
    # created_at is set on insert; age the row as if it had been written back then.
    FormToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=age_days)
    )
    return token


def _remaining() -> list:
    return sorted(FormToken.objects.values_list("token", flat=True))


def test_purge_deletes_tokens_older_than_thirty_days_and_keeps_recent_ones(personas):
    old = [_token(personas.member, age_days=31), _token(personas.other_member, age_days=400)]
    recent = [_token(personas.member, age_days=29), _token(personas.member, age_days=0)]
    assert form_tokens_purge() == len(old)
    assert _remaining() == sorted(t.token for t in recent)


def test_purge_takes_the_age_in_days(personas):
    _token(personas.member, age_days=8)
    kept = _token(personas.member, age_days=6)
    assert form_tokens_purge(days=7) == 1
    assert _remaining() == [kept.token]


def test_purge_deletes_in_batches_until_none_is_left(personas, django_assert_num_queries):
    for _ in range(5):
        _token(personas.member, age_days=40)
    kept = _token(personas.member, age_days=1)
    # Batches of 2, 2 and 1 rows, one DELETE each: nothing listens for a token's
    # deletion (the page cache watches the SQL, not post_delete), so Django deletes
    # without reading the rows first.
    with django_assert_num_queries(3):
        assert form_tokens_purge(batch_size=2) == 5
    assert _remaining() == [kept.token]


def test_purge_of_a_token_bound_to_an_abstract_keeps_the_abstract(personas, focus):
    abstract = make_abstract(submitter=personas.member, category=focus)
    FormToken.objects.filter(abstract=abstract).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    assert form_tokens_purge() == 1
    assert _remaining() == []
    assert list(Abstract.objects.values_list("pk", "reference")) == [
        (abstract.pk, abstract.reference)
    ]
    assert AbstractAuthor.objects.filter(abstract=abstract).count() == 1


def test_nothing_depends_on_a_form_token():
    # Deleting a token can only cascade to rows that point at it; none may, ever.
    assert [rel.related_model for rel in FormToken._meta.related_objects] == []
    # The token points at its abstract: deleting the abstract takes its tokens, not the reverse.
    assert FormToken._meta.get_field("abstract").related_model is Abstract


def test_command_purges_and_says_how_many(personas):
    _token(personas.member, age_days=31)
    _token(personas.member, age_days=3)
    out = StringIO()
    call_command("purge_form_tokens", stdout=out)
    assert out.getvalue() == "Deleted 1 form token(s) older than 30 days.\n"
    out = StringIO()
    call_command("purge_form_tokens", "--days", "2", "--batch-size", "1", stdout=out)
    assert out.getvalue() == "Deleted 1 form token(s) older than 2 days.\n"
    assert _remaining() == []


@pytest.mark.parametrize("args", [["--days", "0"], ["--batch-size", "0"]])
def test_command_refuses_a_cut_off_or_batch_below_one(personas, args):
    kept = _token(personas.member, age_days=31)
    with pytest.raises(CommandError, match="at least 1"):
        call_command("purge_form_tokens", *args, stdout=StringIO())
    assert _remaining() == [kept.token]
