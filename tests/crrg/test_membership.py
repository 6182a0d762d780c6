"""Group membership from answers, leaving, coordinators' manual changes, My GDS, the public page."""

import pytest

from crrg.enums import MembershipSource
from crrg.models import InterestGroupMembership, Response
from crrg.services import answering as answering_services
from crrg.services import groups as groups_services
from tests.crrg.test_coordinators import join

pytestmark = pytest.mark.django_db


def _active(user) -> list[str]:
    return sorted(
        InterestGroupMembership.objects.filter(user=user, left_at__isnull=True).values_list(
            "group__slug", flat=True
        )
    )


def test_leaving_a_group_sticks_until_the_member_picks_it_again(crrg, personas):
    member = personas.member
    join(crrg, member, contact=True, groups=[crrg.pick_modeling, crrg.pick_imaging])
    groups_services.interest_group_leave(user=member, group=crrg.modeling)
    # Saving the same picks again does not put them back in a group they left ...
    join(crrg, member, contact=True, groups=[crrg.pick_modeling, crrg.pick_imaging])
    assert _active(member) == ["imaging"]
    # ... un-picking and picking it again does.
    join(crrg, member, contact=True, groups=[crrg.pick_imaging])
    join(crrg, member, contact=True, groups=[crrg.pick_modeling, crrg.pick_imaging])
    assert _active(member) == ["imaging", "modeling"]


def test_answers_never_undo_a_coordinators_placement(crrg, personas):
    groups_services.interest_group_add(group=crrg.analytics, user=personas.member)
    join(crrg, personas.member, contact=True, groups=[crrg.pick_analytics])
    join(crrg, personas.member, contact=True, groups=[])
    membership = InterestGroupMembership.objects.get(user=personas.member)
    assert (membership.group, membership.source, membership.left_at) == (
        crrg.analytics,
        MembershipSource.COORDINATOR,
        None,
    )


def test_my_gds_lists_groups_and_leaving_one_keeps_the_others(crrg, personas, client_for):
    join(crrg, personas.member, contact=True, groups=[crrg.pick_modeling, crrg.pick_imaging])
    client = client_for(personas.member)
    page = client.get("/my/").content.decode()
    assert "You are a member of the CRRG" in page
    assert "Leave Modeling" in page and "Leave Imaging" in page
    assert client.post("/crrg/groups/modeling/leave/").status_code == 302
    assert _active(personas.member) == ["imaging"]
    assert "Leave Modeling" not in client.get("/my/").content.decode()


def test_a_member_cannot_leave_for_someone_else(crrg, personas, client_for):
    join(crrg, personas.other_member, contact=True, groups=[crrg.pick_modeling])
    client_for(personas.member).post("/crrg/groups/modeling/leave/")
    assert _active(personas.other_member) == ["modeling"]


def test_leaving_the_crrg_withdraws_and_unlists(crrg, personas, client_for):
    join(crrg, personas.member, contact=True, listed=True, groups=[crrg.pick_modeling])
    public = client_for(None)
    assert personas.member.full_name in public.get("/crrg/").content.decode()
    assert client_for(personas.member).post("/crrg/leave/").status_code == 302
    assert _active(personas.member) == []
    assert Response.objects.get(user=personas.member).withdrawn_at is not None
    assert personas.member.full_name not in public.get("/crrg/").content.decode()
    # Answering again rejoins.
    join(crrg, personas.member, contact=True, listed=True)
    assert Response.objects.get(user=personas.member).withdrawn_at is None


def test_public_page_lists_only_members_who_chose_to_be_listed(crrg, personas, client_for):
    join(crrg, personas.member, contact=False, listed=True)
    join(crrg, personas.other_member, contact=True, listed=False)
    page = client_for(None).get("/crrg/").content.decode()
    assert personas.member.full_name in page
    assert personas.other_member.full_name not in page
    assert personas.member.email not in page
    assert "Join the CRRG" in page
    assert "Modeling" in page


def test_public_page_links_related_webinars_when_configured(crrg, client_for):
    from crrg.models import CrrgPage

    page = CrrgPage.get_solo()
    page.webinars_url = "https://gds.example.org/webinars/?topic=covid"
    page.webinars_link_text = "COVID webinars"
    page.save()
    html = client_for(None).get("/crrg/").content.decode()
    assert 'href="https://gds.example.org/webinars/?topic=covid">COVID webinars</a>' in html


def test_survey_answers_do_not_list_anyone_publicly(personas, client_for):
    from tests.factories.crrg import QuestionnaireFactory

    survey = QuestionnaireFactory(slug="barriers")
    answering_services.response_submit(
        questionnaire=survey,
        user=personas.member,
        answers={},
        consent_contact=False,
        consent_listed=True,
    )
    assert Response.objects.get().consent_listed is False
    assert personas.member.full_name not in client_for(None).get("/crrg/").content.decode()


@pytest.mark.parametrize(
    ("link", "valid"),
    [
        ("/webinars/?topic=covid", True),
        ("https://example.org/w", True),
        ("javascript:alert(1)", False),
        ("//evil.example/x", False),
        ("webinars", False),
    ],
)
def test_webinars_link_is_a_site_path_or_web_address(link, valid):
    from django.core.exceptions import ValidationError

    from crrg.models import validate_link

    if valid:
        validate_link(link)
    else:
        with pytest.raises(ValidationError):
            validate_link(link)
