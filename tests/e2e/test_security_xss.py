"""Stored XSS: payloads in every known field, every page that shows them, zero scripts run.

Apps add fields and pages in tests/<app>/xss_fields.py (see tests/security/xss.py).
"""

from gds_portal.models import OutboundEmail
from tests.e2e.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.security.xss import Corpus, seed_modules

# Anything a payload could have planted in the DOM, even where CSP stopped it running.
PLANTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on")) found.push(`${el.tagName} ${attr.name}`);
      if (["href", "src", "action", "formaction"].includes(attr.name)
          && value.replace(/[\\s\\u0000-\\u001f]/g, "").startsWith("javascript:"))
        found.push(`${el.tagName} ${attr.name}=${attr.value}`);
    }
  }
  return found;
}"""


def test_stored_payloads_never_run(page):
    user = UserFactory(email="xss@example.org", is_staff=True, is_superuser=True)
    corpus = Corpus(user=user)
    paths = [path for module in seed_modules() for path in module.seed(corpus)]
    login(page, "xss@example.org", PASSWORD)

    seen = ""
    for path in paths:
        assert page.goto(page.live_url + path).status == 200, path
        page.wait_for_load_state("load")
        assert page.evaluate(PLANTED) == [], path
        assert page.problems == [], path
        seen += page.content()

    for url, data in corpus.posts:
        page.goto(page.live_url + url)
        form = page.locator(f"form:has([name={next(iter(data))}])")
        for name, value in data.items():
            form.locator(f"[name={name}]").fill(value)
        form.locator("[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.evaluate(PLANTED) == [], url
        assert page.problems == [], url
        seen += page.content()

    # Mail is read without our CSP (and may style itself inline, as mail does), so
    # only escaping protects it: an unescaped payload would open a dialog here.
    mails = list(OutboundEmail.objects.exclude(body_html=""))
    for mail in mails:
        page.goto("about:blank")
        page.set_content(mail.body_html)
        assert page.evaluate(PLANTED) == [], mail.subject
        assert page.problems == [], mail.subject
        seen += page.content()

    unseen = {marker: what for marker, what in corpus.markers.items() if marker not in seen}
    assert unseen == {}, f"fields stored but never shown on a visited page: {unseen}"
    assert len(corpus.markers) >= 13
