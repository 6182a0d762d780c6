"""Downloads in the browser tests: a PDF the page links to, clicked like a person would,
read back as its text layer."""

import io
from pathlib import Path

from pypdf import PdfReader


def downloaded_pdf_text(page, link_name: str, *, exact: bool = True) -> str:
    """Click the link named `link_name`, wait for its download, and return the PDF's
    text with runs of blank space as one space."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=exact).click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())
