"""The CRRG in /sitemap.xml: its public page only."""

import pytest

from tests.factories.crrg import InterestGroupFactory, QuestionnaireFactory
from tests.sitemap_checks import sitemap_paths

pytestmark = pytest.mark.django_db


def test_sitemap_lists_the_public_crrg_page_only(client):
    # Pages that exist for these rows but need a login (joining, rosters, summaries).
    InterestGroupFactory(slug="modeling")
    QuestionnaireFactory(slug="membership", grants_membership=True)
    paths = sitemap_paths(client)
    assert [path for path in paths if path.startswith(("/crrg/", "/surveys/"))] == ["/crrg/"]
