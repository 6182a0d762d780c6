"""BibTeX and RIS downloads of references, against entries written by hand from each
format's specification (BibTeX: Patashnik, "BibTeXing"; RIS: the Research Information
Systems format specification) for a real reference of the Summer 2020 issue."""

import shutil

import pytest
from django.urls import reverse

from newsletters.citations import bibtex, ris
from newsletters.demo import DEMO_FOLDER
from newsletters.enums import IssueStatus
from newsletters.importer import ImportFolderError, import_issue
from newsletters.models import Reference
from tests.factories.newsletters import ArticleFactory, IssueFactory, ReferenceFactory

pytestmark = pytest.mark.django_db

# Delhommelle's research highlight, Summer 2020, reference 1 (as the seed prints it:
# "Caroline Desgranges and Jerome Delhommelle J. Phys. Chem. C, 124, 1907 (2020)
# DOI: 10.1021/acs.jpcc.9b07936"; the printed newsletter gives no title).
DESGRANGES = {
    "citation": "C. Desgranges and J. Delhommelle, J. Phys. Chem. C 124, 1907 (2020).",
    "authors": "Desgranges, Caroline\nDelhommelle, Jerome",
    "journal": "J. Phys. Chem. C",
    "volume": "124",
    "pages": "1907",
    "year": 2020,
    "doi": "10.1021/acs.jpcc.9b07936",
}

DESGRANGES_BIBTEX = """\
@article{Desgranges2020,
  author = {Desgranges, Caroline and Delhommelle, Jerome},
  journal = {J. Phys. Chem. C},
  volume = {124},
  pages = {1907},
  year = {2020},
  doi = {10.1021/acs.jpcc.9b07936}
}
"""

DESGRANGES_RIS = (
    "TY  - JOUR\r\n"
    "AU  - Desgranges, Caroline\r\n"
    "AU  - Delhommelle, Jerome\r\n"
    "T2  - J. Phys. Chem. C\r\n"
    "VL  - 124\r\n"
    "SP  - 1907\r\n"
    "PY  - 2020\r\n"
    "DO  - 10.1021/acs.jpcc.9b07936\r\n"
    "ER  - \r\n"
)


def _desgranges():
    issue = IssueFactory(year=2020, season="summer")
    article = ArticleFactory(issue=issue, slug="machine-learned-partition-functions")
    return ReferenceFactory(article=article, **DESGRANGES)


def test_bibtex_of_a_published_reference():
    assert bibtex(_desgranges()) == DESGRANGES_BIBTEX


def test_ris_of_a_published_reference():
    assert ris(_desgranges()) == DESGRANGES_RIS


def test_bibtex_escapes_what_tex_and_bibtex_read():
    reference = ReferenceFactory(
        authors="Müller, Jürgen\nLIGO Scientific Collaboration and Virgo Collaboration",
        title="A {lone brace, 50% of $x_1$ & #2 ~ ^ \\emph",
        journal="Phys. Rev. D",
        pages="1907\u20131917",  # an en dash
        year=2020,
        doi="10.1000/a{b}",
    )
    entry = bibtex(reference)
    assert entry.startswith("@article{Muller2020,\n")
    assert (
        "  author = {Müller, Jürgen and {LIGO Scientific Collaboration and Virgo Collaboration}},"
    ) in entry
    assert (
        r"  title = {A \textbraceleft{}lone brace, 50\% of \$x\_1\$ \& \#2 "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{}emph},"
    ) in entry
    assert "  pages = {1907--1917}," in entry
    assert "  doi = {10.1000/a%7Bb%7D}" in entry
    # Every value's braces balance, so no value can close its field early.
    # BibTeX counts every brace, escaped or not: only the entry's last one may close it.
    body = entry[entry.index("{") + 1 : entry.rindex("}")]
    depth = 0
    for char in body:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_ris_keeps_each_value_on_its_line():
    reference = ReferenceFactory(
        authors="Doe, Jane",
        title="First line\r\nER  - \nTY  - BOOK",
        journal="",
        pages="10-12",
        year=None,
    )
    lines = ris(reference).split("\r\n")
    assert lines[0] == "TY  - GEN"
    assert "TI  - First line ER - TY - BOOK" in lines
    assert ("SP  - 10" in lines) and ("EP  - 12" in lines)
    assert [line for line in lines if line.startswith("ER  -")] == ["ER  - "]


def test_reference_with_only_its_printed_line_cites_it_as_a_note():
    reference = ReferenceFactory(citation="Some {report} & more.", authors="", title="")
    assert r"  note = {Some \textbraceleft{}report\textbraceright{} \& more.}" in bibtex(reference)
    assert "N1  - Some {report} & more.\r\n" in ris(reference)


def test_cite_downloads_have_their_content_types_and_filenames(client):
    reference = _desgranges()
    args = (2020, "summer", reference.article.slug, 1)
    response = client.get(reverse("newsletters:cite_bibtex", args=args))
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Desgranges2020.bib"'
    assert response.content.decode() == DESGRANGES_BIBTEX
    response = client.get(reverse("newsletters:cite_ris", args=args))
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Desgranges2020.ris"'
    assert response.content.decode() == DESGRANGES_RIS


def test_cite_is_offered_for_references_with_a_doi_only(client):
    reference = _desgranges()
    ReferenceFactory(article=reference.article, doi="", url="https://example.org/page")
    html = client.get(reference.article.get_absolute_url()).content.decode()
    first = reverse("newsletters:cite_bibtex", args=(2020, "summer", reference.article.slug, 1))
    assert f'href="{first}"' in html
    assert first.replace("/1.bib", "/2.bib") not in html
    second = reverse("newsletters:cite_ris", args=(2020, "summer", reference.article.slug, 2))
    assert client.get(second).status_code == 404
    assert client.get(second.replace("/2.ris", "/3.ris")).status_code == 404
    assert client.get(second.replace("/2.ris", "/0.ris")).status_code == 404


def test_cite_of_an_unpublished_issue_is_not_found(client):
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None, year=2099, season="winter")
    article = ArticleFactory(issue=issue, slug="secret")
    ReferenceFactory(article=article)
    url = reverse("newsletters:cite_bibtex", args=(2099, "winter", "secret", 1))
    assert client.get(url).status_code == 404


def test_doi_links_are_percent_encoded_for_doi_org(client):
    reference = _desgranges()
    ReferenceFactory(article=reference.article, doi="10.1002/(SICI)1097#x?<y>")
    html = client.get(reference.article.get_absolute_url()).content.decode()
    assert 'href="https://doi.org/10.1021/acs.jpcc.9b07936"' in html
    assert 'href="https://doi.org/10.1002/(SICI)1097%23x%3F%3Cy%3E"' in html


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_cite(client, django_assert_num_queries, n):
    reference = _desgranges()
    for _ in range(n - 1):
        ReferenceFactory(article=reference.article)
    url = reverse("newsletters:cite_ris", args=(2020, "summer", reference.article.slug, n))
    client.get("/")
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_demo_reference_carries_the_seed_facts_into_its_citations():
    import_issue(folder=DEMO_FOLDER)
    reference = Reference.objects.get(article__slug="machine-learned-partition-functions")
    assert bibtex(reference) == DESGRANGES_BIBTEX
    assert ris(reference) == DESGRANGES_RIS


def test_import_refuses_a_reference_year_that_is_not_a_number(tmp_path):
    shutil.copytree(DEMO_FOLDER, tmp_path / "issue")
    article = tmp_path / "issue" / "08-machine-learned-partition-functions.md"
    article.write_text(article.read_text().replace("year: 2020", "year: twenty"))
    with pytest.raises(ImportFolderError, match=r"08-machine-learned-partition-functions\.md"):
        import_issue(folder=tmp_path / "issue")
    assert not Reference.objects.exists()
