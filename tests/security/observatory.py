"""A header scorer following the Mozilla HTTP Observatory's published scoring table.

Source: MDN HTTP Observatory, "Tests & Scoring"
(https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring), the
2024 rewrite of the Observatory. Written from that table; only the tests that
can be judged from one response are here. Redirection (http → https) is not
applicable to a test client and is left out; Subresource Integrity is judged
from the page's <script> tags.

Scoring: start at 100, add each test's modifier. Bonuses (positive modifiers)
count only when the score without them is at least 90. A+ is 100 or more.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

# (test, result) → modifier, from the published table.
SCORES = {
    "content-security-policy": {
        "csp-implemented-with-no-unsafe-default-src-none": 10,
        "csp-implemented-with-no-unsafe": 5,
        "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
        "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
        "csp-implemented-with-unsafe-eval": -10,
        "csp-implemented-with-unsafe-inline": -20,
        "csp-implemented-with-insecure-scheme": -20,
        "csp-header-invalid": -25,
        "csp-not-implemented": -25,
    },
    "cookies": {
        "cookies-secure-with-httponly-sessions-and-samesite": 5,
        "cookies-secure-with-httponly-sessions": 0,
        "cookies-not-found": 0,
        "cookies-without-secure-flag-but-protected-by-hsts": -5,
        "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
        "cookies-without-secure-flag": -20,
        "cookies-samesite-flag-invalid": -20,
        "cookies-anticsrf-without-samesite-flag": -20,
        "cookies-session-without-httponly-flag": -30,
        "cookies-session-without-secure-flag": -40,
    },
    "cross-origin-resource-sharing": {
        "cross-origin-resource-sharing-not-implemented": 0,
        "cross-origin-resource-sharing-implemented-with-public-access": 0,
        "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
        "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    },
    "referrer-policy": {
        "referrer-policy-private": 5,
        "referrer-policy-no-referrer-when-downgrade": 0,
        "referrer-policy-not-implemented": 0,
        "referrer-policy-unsafe": -5,
        "referrer-policy-header-invalid": -5,
    },
    "strict-transport-security": {
        # hsts-preloaded (+5) needs the browsers' preload list, not a header.
        "hsts-implemented-max-age-at-least-six-months": 0,
        "hsts-implemented-max-age-less-than-six-months": -10,
        "hsts-not-implemented": -20,
        "hsts-header-invalid": -20,
    },
    "subresource-integrity": {
        "sri-implemented-and-all-scripts-loaded-securely": 5,
        "sri-implemented-and-external-scripts-loaded-securely": 0,
        "sri-not-implemented-response-not-html": 0,
        "sri-not-implemented-but-no-scripts-loaded": 0,
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
        "sri-not-implemented-but-external-scripts-loaded-securely": -5,
        "sri-implemented-but-external-scripts-not-loaded-securely": -20,
        "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    },
    "x-content-type-options": {
        "x-content-type-options-nosniff": 0,
        "x-content-type-options-not-implemented": -5,
        "x-content-type-options-header-invalid": -5,
    },
    "x-frame-options": {
        "x-frame-options-implemented-via-csp": 5,
        "x-frame-options-sameorigin-or-deny": 0,
        "x-frame-options-not-implemented": -20,
        "x-frame-options-header-invalid": -20,
    },
    "cross-origin-resource-policy": {
        "corp-implemented-with-same-origin": 0,
        "corp-implemented-with-same-site": 0,
        "corp-implemented-with-cross-origin": 0,
        "corp-not-implemented": 0,
        "corp-header-invalid": -5,
    },
}

SIX_MONTHS = 15_768_000
PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRER = {"origin", "origin-when-cross-origin", "unsafe-url"}
REFERRER_VALUES = PRIVATE_REFERRER | UNSAFE_REFERRER | {"no-referrer-when-downgrade"}
FETCH_DIRECTIVES_FOR_SCRIPTS = ("script-src", "default-src")
PASSIVE_DIRECTIVES = ("img-src", "media-src")


@dataclass
class Report:
    results: dict[str, str] = field(default_factory=dict)

    def modifier(self, test: str) -> int:
        return SCORES[test][self.results[test]]

    @property
    def penalties(self) -> dict[str, str]:
        return {t: r for t, r in self.results.items() if SCORES[t][r] < 0}

    @property
    def score(self) -> int:
        base = 100 + sum(min(self.modifier(t), 0) for t in self.results)
        bonus = sum(max(self.modifier(t), 0) for t in self.results)
        return base + bonus if base >= 90 else base


def parse_csp(header: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            name = tokens[0].lower()
            if name in policy:
                raise ValueError(f"directive {name} repeated")
            policy[name] = tokens[1:]
    return policy


def csp_result(response) -> str:
    header = response.headers.get("Content-Security-Policy")
    if not header:
        return "csp-not-implemented"
    try:
        policy = parse_csp(header)
    except ValueError:
        return "csp-header-invalid"
    scripts = next((policy[d] for d in FETCH_DIRECTIVES_FOR_SCRIPTS if d in policy), None)
    styles = policy.get("style-src", policy.get("default-src"))
    objects = policy.get("object-src", policy.get("default-src"))
    if scripts is None or objects is None:
        # Nothing restricts scripts or plugins: as good as unsafe-inline.
        return "csp-implemented-with-unsafe-inline"
    # Any of these in script-src or object-src lets an attacker load their own code.
    broad = {"*", "http:", "https:", "data:"}
    if "'unsafe-inline'" in scripts and "'strict-dynamic'" not in scripts:
        return "csp-implemented-with-unsafe-inline"
    if broad & set(scripts) or broad & set(objects):
        return "csp-implemented-with-unsafe-inline"
    active = [*scripts, *objects, *(styles or [])]
    if any(source.lower().startswith("http://") for source in active):
        return "csp-implemented-with-insecure-scheme"
    passive = [s for d in PASSIVE_DIRECTIVES for s in policy.get(d, [])]
    if any(source.lower().startswith("http://") for source in passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only"
    if "'unsafe-eval'" in scripts:
        return "csp-implemented-with-unsafe-eval"
    if styles is not None and "'unsafe-inline'" in styles:
        return "csp-implemented-with-unsafe-inline-in-style-src-only"
    if policy.get("default-src") == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none"
    return "csp-implemented-with-no-unsafe"


def _is_session_cookie(name: str) -> bool:
    return any(word in name.lower() for word in ("session", "sess", "login", "auth"))


def cookies_result(response, *, hsts: bool) -> str:
    cookies = list(response.cookies.values())
    if not cookies:
        return "cookies-not-found"
    samesite_everywhere = True
    for morsel in cookies:
        samesite = morsel["samesite"]
        if samesite and samesite.lower() not in {"strict", "lax", "none"}:
            return "cookies-samesite-flag-invalid"
        if "csrf" in morsel.key.lower() and not samesite:
            return "cookies-anticsrf-without-samesite-flag"
        samesite_everywhere = samesite_everywhere and bool(samesite)
        session = _is_session_cookie(morsel.key)
        if session and not morsel["httponly"]:
            return "cookies-session-without-httponly-flag"
        if not morsel["secure"]:
            if session:
                return (
                    "cookies-session-without-secure-flag-but-protected-by-hsts"
                    if hsts
                    else "cookies-session-without-secure-flag"
                )
            return (
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-without-secure-flag"
            )
    if samesite_everywhere:
        return "cookies-secure-with-httponly-sessions-and-samesite"
    return "cookies-secure-with-httponly-sessions"


def cors_result(response) -> str:
    origin = response.headers.get("Access-Control-Allow-Origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented"
    if origin.strip() == "*":
        if response.headers.get("Access-Control-Allow-Credentials", "").lower() == "true":
            return "cross-origin-resource-sharing-implemented-with-universal-access"
        return "cross-origin-resource-sharing-implemented-with-public-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def referrer_result(response) -> str:
    header = response.headers.get("Referrer-Policy")
    if header is None:
        return "referrer-policy-not-implemented"
    values = [v.strip().lower() for v in header.split(",") if v.strip()]
    if not values or any(v not in REFERRER_VALUES for v in values):
        return "referrer-policy-header-invalid"
    effective = values[-1]  # browsers use the last value they understand
    if effective in PRIVATE_REFERRER:
        return "referrer-policy-private"
    if effective in UNSAFE_REFERRER:
        return "referrer-policy-unsafe"
    return "referrer-policy-no-referrer-when-downgrade"


def hsts_result(response) -> str:
    header = response.headers.get("Strict-Transport-Security")
    if header is None:
        return "hsts-not-implemented"
    directives = dict(
        ([*part.strip().split("=", 1), ""])[:2] for part in header.split(";") if part.strip()
    )
    try:
        max_age = int(directives["max-age"].strip('"'))
    except (KeyError, ValueError):
        return "hsts-header-invalid"
    if max_age < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months"
    return "hsts-implemented-max-age-at-least-six-months"


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def sri_result(response, *, origin: str) -> str:
    if "text/html" not in response.headers.get("Content-Type", ""):
        return "sri-not-implemented-response-not-html"
    parser = _Scripts()
    parser.feed(response.content.decode())
    sources = [s for s in parser.scripts if s.get("src")]
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded"
    external = [s for s in sources if urlsplit(s["src"]).netloc not in {"", origin}]
    insecure = [s for s in external if not s["src"].startswith(("https:", "//"))]
    with_sri = [s for s in sources if s.get("integrity")]
    if with_sri and len(with_sri) == len(sources) and not insecure:
        return "sri-implemented-and-all-scripts-loaded-securely"
    if not external:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    if insecure:
        return (
            "sri-implemented-but-external-scripts-not-loaded-securely"
            if with_sri
            else "sri-not-implemented-and-external-scripts-not-loaded-securely"
        )
    if all(s.get("integrity") for s in external):
        return "sri-implemented-and-external-scripts-loaded-securely"
    return "sri-not-implemented-but-external-scripts-loaded-securely"


def nosniff_result(response) -> str:
    header = response.headers.get("X-Content-Type-Options")
    if header is None:
        return "x-content-type-options-not-implemented"
    if header.strip().lower() != "nosniff":
        return "x-content-type-options-header-invalid"
    return "x-content-type-options-nosniff"


def frame_result(response) -> str:
    csp = response.headers.get("Content-Security-Policy")
    if csp:
        try:
            ancestors = parse_csp(csp).get("frame-ancestors")
        except ValueError:
            ancestors = None
        if ancestors and "*" not in ancestors:
            return "x-frame-options-implemented-via-csp"
    header = response.headers.get("X-Frame-Options")
    if header is None:
        return "x-frame-options-not-implemented"
    if header.strip().lower() in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny"
    return "x-frame-options-header-invalid"


def corp_result(response) -> str:
    header = response.headers.get("Cross-Origin-Resource-Policy")
    if header is None:
        return "corp-not-implemented"
    value = header.strip().lower()
    if value not in {"same-origin", "same-site", "cross-origin"}:
        return "corp-header-invalid"
    return f"corp-implemented-with-{value}"


def score(response, *, origin: str) -> Report:
    """Score one response (over https) the way the Observatory would."""
    hsts = hsts_result(response)
    report = Report()
    report.results = {
        "content-security-policy": csp_result(response),
        "cookies": cookies_result(response, hsts=hsts.startswith("hsts-implemented")),
        "cross-origin-resource-sharing": cors_result(response),
        "referrer-policy": referrer_result(response),
        "strict-transport-security": hsts,
        "subresource-integrity": sri_result(response, origin=origin),
        "x-content-type-options": nosniff_result(response),
        "x-frame-options": frame_result(response),
        "cross-origin-resource-policy": corp_result(response),
    }
    return report
