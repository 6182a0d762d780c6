"""Request bodies are capped before anything reads them (issue 15, break 12).

An outside tester's 300 MB anonymous multipart POST was written to disk before
CSRF refused it. These tests go through the real WSGI application with a body
stream that would produce far more than the cap, count what was read from it, and
look at the upload temp directory: an oversized request is refused with the 413
page without a byte being read or written.
"""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

pytestmark = pytest.mark.django_db

BOUNDARY = "----limit-test"
MB = 1024 * 1024


class EndlessUpload:
    """A multipart body with one file part of `size` zero bytes, made as it is read."""

    def __init__(self, size: int):
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"'
            "\r\nContent-Type: application/pdf\r\n\r\n"
        ).encode()
        self.parts = [head, size, f"\r\n--{BOUNDARY}--\r\n".encode()]
        self.length = len(head) + size + len(self.parts[2])
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = self.length - self.read_bytes if size is None or size < 0 else size
        out = b""
        while len(out) < size and self.parts:
            part = self.parts[0]
            want = size - len(out)
            if isinstance(part, int):
                chunk = b"\0" * min(part, want)
                self.parts[0] = part - len(chunk)
                if self.parts[0] == 0:
                    self.parts.pop(0)
            else:
                chunk, self.parts[0] = part[:want], part[want:]
                if not self.parts[0]:
                    self.parts.pop(0)
            out += chunk
        self.read_bytes += len(out)
        return out

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def _post(path: str, body: EndlessUpload, *, length: int | None, cookie: str = "", **meta):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": None,
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        # A well-formed CSRF cookie, as any visitor of a form page has: Django then
        # reads the body to find the form's token (and without a cap, wrote it to disk).
        "HTTP_COOKIE": f"csrftoken={'a' * 32}; {cookie}",
        **meta,
    }
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, start_response)
        page = b"".join(result).decode()
        result.close()  # as a WSGI server does: closes (and deletes) uploaded temp files
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], page


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", ["/newsletters/subscribe/", "/accounts/signup/", "/no-such/"])
def test_oversized_anonymous_post_is_refused_unread(upload_dir, path):
    body = EndlessUpload(300 * MB)
    status, page = _post(path, body, length=body.length)
    assert (status, body.read_bytes, list(upload_dir.iterdir())) == (413, 0, [])
    assert "This form is too large to send" in page
    assert "at most 2 MB" in page


def test_a_body_just_over_the_page_limit_is_refused_unread(upload_dir):
    # Over the limit but small enough that, before the cap, Django parsed it and
    # wrote the file to disk on the way to the CSRF 403.
    body = EndlessUpload(12 * MB)
    status, _ = _post("/newsletters/subscribe/", body, length=body.length)
    assert (status, body.read_bytes, list(upload_dir.iterdir())) == (413, 0, [])


def test_chunked_body_without_a_length_is_refused_unread(upload_dir):
    body = EndlessUpload(300 * MB)
    status, page = _post(
        "/newsletters/subscribe/", body, length=None, HTTP_TRANSFER_ENCODING="chunked"
    )
    assert (status, body.read_bytes, list(upload_dir.iterdir())) == (411, 0, [])
    assert "without its size" in page


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_admin_uploads_may_be_larger_for_staff_only(upload_dir, personas):
    # 10 MB: over the plain-form limit, under the admin's (an image and a PDF at once).
    staff = _session_cookie(personas.staff)
    body = EndlessUpload(10 * MB)
    status, _ = _post("/admin/newsletters/issue/add/", body, length=body.length, cookie=staff)
    assert status == 403  # read, then refused by CSRF as this form carries no token
    assert body.read_bytes == body.length
    member = _session_cookie(personas.member)
    for cookie in ("", member):
        body = EndlessUpload(10 * MB)
        status, _ = _post("/admin/newsletters/issue/add/", body, length=body.length, cookie=cookie)
        assert (status, body.read_bytes, list(upload_dir.iterdir())) == (413, 0, [])
    # Past the admin's own limit even staff are refused unread.
    body = EndlessUpload(40 * MB)
    status, _ = _post("/admin/newsletters/issue/add/", body, length=body.length, cookie=staff)
    assert (status, body.read_bytes, list(upload_dir.iterdir())) == (413, 0, [])


def test_ordinary_form_posts_still_work(client, personas):
    client.force_login(personas.member)
    response = client.post("/my/profile/", {"full_name": "Mia Changed"})
    assert response.status_code == 302
    personas.member.refresh_from_db()
    assert personas.member.full_name == "Mia Changed"
