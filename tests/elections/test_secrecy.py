"""Ballot secrecy: after a scripted election, nothing joins a voter to a ballot.

Tried here: every join the columns of the roll and the ballot tables offer (keys,
values, system columns such as xmin, storage order), every table and column of the
database for a tracker or ballot id where it should not be, every admin page as a
superuser, every export, every log line and every mail.
"""

import logging

import pytest
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from elections.enums import TrackerPolicy
from elections.models import Ballot, CountedTracker, Voter
from elections.services.results import results_publish
from gds_portal.models import OutboundEmail
from tests.elections.scripted import close, scripted_election

pytestmark = pytest.mark.django_db

SECRET_SIDES = (Ballot, CountedTracker)


def _rows(model, order: str = "ctid") -> tuple[list[str], list[tuple]]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        system = "xmin::text AS row_xmin, ctid::text AS row_ctid"
        cursor.execute(f"SELECT {system}, * FROM {table} ORDER BY {order}")  # noqa: S608 -- our own table and column names
        columns = [c.name for c in cursor.description]
        return columns, cursor.fetchall()


@pytest.fixture(params=[TrackerPolicy.LIST_ONLY, TrackerPolicy.ON_BALLOTS])
def election(request, personas, caplog):
    with caplog.at_level(logging.DEBUG):
        election, voters, trackers, _ = scripted_election(voters=6, tracker_policy=request.param)
        close(election)
        results_publish(election=election, by=personas.executive)
    election.refresh_from_db()
    ballot_ids = [str(pk) for pk in Ballot.objects.values_list("id", flat=True)]
    return election, voters, trackers, ballot_ids, caplog.text


def test_the_tables_have_no_link_no_time_and_random_keys():
    for model in (Voter, *SECRET_SIDES):
        kinds = [type(f) for f in model._meta.get_fields() if f.concrete]
        assert not any(issubclass(k, (models.DateField, models.TimeField)) for k in kinds)
        relations = [f.related_model for f in model._meta.get_fields() if f.is_relation]
        others = {Voter: {"accounts.User"}, Ballot: set(), CountedTracker: set()}[model]
        assert {m._meta.label for m in relations} - {"elections.Election"} == others
    for model in SECRET_SIDES:
        assert isinstance(model._meta.pk, models.UUIDField)


def test_every_value_join_between_roll_and_ballots_is_uniform_or_empty(election):
    """A column pair joins the sides if two ballots match different sets of voters."""
    voter_columns, voter_rows = _rows(Voter)
    for model in SECRET_SIDES:
        columns, rows = _rows(model)
        for i, vc in enumerate(voter_columns):
            for j, bc in enumerate(columns):
                if {vc, bc} & {"row_xmin", "row_ctid"}:
                    continue  # system columns: see the next test
                matched = {
                    frozenset(n for n, vr in enumerate(voter_rows) if str(vr[i]) == str(br[j]))
                    for br in rows
                }
                assert len(matched) <= 1, (model.__name__, vc, bc)


def test_no_transaction_id_or_storage_order_tells_when_anyone_voted(election):
    _election, _voters, _trackers, ballot_ids, _ = election
    for model, order in ((Ballot, "id"), (CountedTracker, "tracker"), (Voter, "id")):
        columns, rows = _rows(model)
        if not rows:
            continue
        # One transaction wrote every row (the seal), so xmin is the same everywhere.
        assert len({row[0] for row in rows}) == 1, model
        # Storage order is the order of a key fixed without regard to when anyone voted.
        key = columns.index(order)
        assert [row[key] for row in rows] == sorted(row[key] for row in rows), model
    # Trackers (the order votes came in) line up with neither the ballot ids nor storage.
    assert ballot_ids == sorted(ballot_ids)


def _tables_holding(needles: list[str]) -> set[str]:
    """Every table.column of the database whose text shows any of `needles`."""
    found = set()
    patterns = [f"%{n}%" for n in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT 1 FROM {connection.ops.quote_name(table)} "  # noqa: S608 -- names from introspection, quoted; values bound
                    f"WHERE {name}::text ILIKE ANY(%s) LIMIT 1",
                    [patterns],
                )
                if cursor.fetchone():
                    found.add(f"{table}.{column.name}")
    return found


def test_no_table_holds_a_ballot_id_or_tracker_where_it_could_join(election):
    election_, _voters, trackers, ballot_ids, _ = election
    assert _tables_holding(ballot_ids) == {"elections_ballot.id"}
    if election_.trackers_on_ballots:
        # Printed on the ballot, the tracker is nowhere else: not in the receipt mail.
        assert _tables_holding(trackers) == {"elections_ballot.tracker"}
    else:
        # Kept apart from the ballots; mailed to the voter, where it says only that they voted.
        assert _tables_holding(trackers) == {
            "elections_countedtracker.tracker",
            "gds_portal_outboundemail.body_text",
            "gds_portal_outboundemail.body_html",
        }
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        assert not any(t in decoded for t in trackers + ballot_ids)


def test_no_log_line_names_a_ballot_tracker_or_choice(election):
    _election, _voters, trackers, ballot_ids, log_text = election
    assert log_text  # the freeze and the count were logged
    assert not any(secret in log_text for secret in trackers + ballot_ids)


def test_no_mail_says_what_anyone_chose(election):
    _election, _voters, _trackers, ballot_ids, _ = election
    for mail in OutboundEmail.objects.all():
        body = mail.body_text + mail.body_html + mail.subject
        assert not any(b in body for b in ballot_ids)
        assert "marks" not in body


def test_no_admin_page_shows_ballots_or_the_roll_beside_them(election, personas):
    election_, voters, trackers, ballot_ids, _ = election
    client = Client()
    client.force_login(personas.staff)
    pages = []
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if opts.app_label == "elections":
            for obj in model.objects.all()[:5]:
                pages.append(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
    assert not any(m in admin.site._registry for m in (Voter, *SECRET_SIDES))
    for page in pages:
        body = client.get(page).content.decode()
        assert not any(b in body for b in ballot_ids), page
        if election_.trackers_on_ballots:
            assert not any(t in body for t in trackers), page
        assert not any("has_voted" in body and v.email in body for v in voters), page


def test_exports_name_no_voter(election, client):
    election_, voters, _trackers, ballot_ids, _ = election
    # Names no candidate can share: generated names once matched a candidate's, whose
    # name the exports rightly carry (a failure that said nothing about voters).
    for voter in voters:
        voter.full_name = f"Voter {voter.pk} of the roll"
        voter.save(update_fields=["full_name"])
    for url in (
        f"/elections/{election_.slug}/audit.json",
        f"/elections/{election_.slug}/ballots.csv",
        f"/elections/{election_.slug}/ballots/",
    ):
        body = client.get(url).content.decode()
        for voter in voters:
            assert voter.email not in body and voter.full_name not in body
        assert all(b in body or url.endswith("/ballots/") for b in ballot_ids)
