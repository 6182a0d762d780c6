"""Read /sitemap.xml as a crawler would."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


def sitemap_paths(client) -> list[str]:
    """The paths /sitemap.xml lists, in its order."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 -- our own view's output, in a test
    return [urlsplit(loc.text).path for loc in root.iter(LOC)]
