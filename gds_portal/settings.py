"""Settings for GDS Portal, read from the environment.

Defaults are production-safe: nothing here trusts a developer's machine unless an
environment variable says so (development and tests fill the variables they leave
unset from env/local.env and env/test.env: see gds_portal/env.py). See
docs/deploy.md for every variable.
"""

import os
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from xstatic.pkg import bootstrap as xstatic_bootstrap

from gds_portal.env import env_bool, env_int, env_list, env_str, load_env_file

# GDS_ENV=local or test (the Makefile, manage.py in a developer's checkout): fill what the
# environment leaves unset from env/<name>.env. A deployment never sets it.
if os.environ.get("GDS_ENV"):
    load_env_file(os.environ["GDS_ENV"])

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
# The one public address of the site. Links in mail (password resets, unsubscribe
# links) are built from it, never from the request's Host header.
SITE_URL = env_str("SITE_URL", "https://gds.example.org").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "gds_portal",
    "accounts",
    "community",
    "newsletters",
    "meetings",
    "webinars",
    "crrg",
    # Elections before the ombudsman: its demo appoints the demo ombudsman (a term of
    # the "Ombudsman" office), whom the ombudsman's demo then has answer a concern.
    "elections",
    "ombudsman",
    "gds_portal.apps.PortalAdminConfig",  # django.contrib.admin with the lookup allowlist
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "django_countries",
    "solo",
    "csp",
    "axes",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The header middleware sits outside WhiteNoise, so /static/ responses and the
    # early refusals below carry every header a page does (docs/security.md).
    "csp.middleware.CSPMiddleware",
    "gds_portal.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything reads the request: an oversized body is a 413 unread, and a
    # NUL byte in the path, query, a cookie or a header is a 400, never a 500.
    "gds_portal.middleware.RequestBodyLimitMiddleware",
    "gds_portal.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and authentication, which a cached anonymous page never needs.
    "gds_portal.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records who made each change to models with HistoricalRecords (meetings.Abstract).
    "simple_history.middleware.HistoryRequestMiddleware",
    "gds_portal.middleware.PrivateCacheMiddleware",
    "gds_portal.middleware.FlatpageFallbackMiddleware",
    # After the header middleware, so that its lockout page still gets every header.
    "axes.middleware.AxesMiddleware",
    # After everything else has seen the request: a signed-in member's GET of a shared
    # page is answered from the page every member shares, their own parts filled in.
    "gds_portal.sharedpages.MemberPageCacheMiddleware",
]

ROOT_URLCONF = "gds_portal.urls"

# `make bench` only, never in production: the development-only `devtools` app, with
# its no-op ceiling page, per-request query count and cold-render header. This block
# is the only place the bench touches the site's settings, URLs or middleware.
BENCH_MODE = env_bool("BENCH_MODE", False)
if BENCH_MODE:
    INSTALLED_APPS.append("devtools")
    ROOT_URLCONF = "devtools.urls"
    MIDDLEWARE = ["devtools.middleware.QueryCountMiddleware"] + [
        "devtools.middleware.BenchPageCacheMiddleware"
        if name == "gds_portal.pagecache.AnonymousPageCacheMiddleware"
        else name
        for name in MIDDLEWARE
    ]
WSGI_APPLICATION = "gds_portal.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # Django's default loaders, but for the app directories ours, which silences
        # crispy's required-field asterisk for screen readers (gds_portal.template_loaders).
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "gds_portal.template_loaders.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "gds_portal.context_processors.site",
                # Last: in a shared page (gds_portal/sharedpages.py) it replaces the
                # CSRF token and the messages with markers filled in per member.
                "gds_portal.context_processors.visitor",
            ],
        },
    },
]

# --- Database: PostgreSQL only ------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", required=True)
if DATABASE_URL == "embedded:":
    # Development and tests only: env/local.env and env/test.env say `embedded:` when no
    # real DATABASE_URL is set. It is the embedded PostgreSQL in var/pgdata, started here
    # if it is not running; a deployment can never reach this by accident, as it would
    # have to write the marker itself and install the development group (it installs
    # with --no-dev). The server's address replaces the marker in the environment, so
    # the commands this process starts (test subprocesses, workers) connect directly.
    from scripts import embedded_db

    try:
        DATABASE_URL = os.environ["DATABASE_URL"] = embedded_db.database_url()
    except embedded_db.Unavailable as error:
        raise ImproperlyConfigured(str(error)) from None
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…).")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _require_extra(module: str, extra: str, chosen: str) -> None:
    """Optional backends come with the extra that installs them (pyproject.toml,
    docs/deploy.md): without it, stop at start-up rather than at the first request."""
    if find_spec(module) is None:
        raise ImproperlyConfigured(
            f"{chosen} needs the {extra!r} extra: uv sync --frozen --no-dev --extra {extra}."
        )


def _cache_settings(url: str) -> dict:
    """CACHE_URL: `file:` (the default), `file:///a/directory`, `locmem:` or `redis://…`.

    The cache holds the page cache's generation, so it must be one cache for every
    process that serves the site, or a change made through one gunicorn worker leaves
    the others serving the old page until it expires (outside probe of issue 22: the
    webinar figures alternated between old and new for a minute). Files under
    var/cache are shared by every process on one machine; Redis by every machine.
    `locmem:` is one cache per process: for a single process (the tests, runserver).
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        directory = Path(parts.path or "var/cache")
        directory = directory if directory.is_absolute() else BASE_DIR / directory
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(directory),
            # Pages of old generations are culled beyond this many entries.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gds"}
    if parts.scheme in {"redis", "rediss"}:
        _require_extra("redis", "redis", "CACHE_URL=redis://…")
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with file:, locmem: or redis://, not {url!r}."
    )


_SHARED_CACHE = _cache_settings(env_str("CACHE_URL", "file:"))


def _sessions_cache(shared: dict) -> dict:
    """Sessions beside the shared cache, never in it: a file cache culls a third of its
    entries, chosen at random, once it holds MAX_ENTRIES, and a session per login would
    soon make that cull the login throttles and the page generation too (outside probe
    of issue 20). Files: their own directory and a larger limit (a session lives two
    weeks); a culled session is only read again from PostgreSQL. Redis evicts by itself."""
    if shared["BACKEND"].endswith("FileBasedCache"):
        return {
            **shared,
            "LOCATION": str(Path(shared["LOCATION"]) / "sessions"),
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    if shared["BACKEND"].endswith("LocMemCache"):
        return {**shared, "LOCATION": "gds-sessions"}
    return shared


CACHES = {
    # Shared by every process: the page cache's generation, login throttles, settings.
    "default": _SHARED_CACHE,
    # Sessions (cached_db): shared by every process, as the generation is.
    "sessions": _sessions_cache(_SHARED_CACHE),
    # Rendered pages and fragments (gds_portal/pagecache.py): in each process's memory
    # beside a file cache, where reading a page file per view would cost more than it
    # saves; in Redis beside Redis. Both are retired by the shared generation.
    "pages": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gds-pages"}
        if _SHARED_CACHE["BACKEND"].endswith("FileBasedCache")
        else _SHARED_CACHE
    ),
}
# Anonymous readers' pages are cached this long at most (gds_portal/pagecache.py);
# 0 switches the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
PAGE_CACHE_ALIAS = "pages"
# Sessions live in PostgreSQL, which every app server shares, and are read through the
# shared cache (files on one machine, Redis across machines), so a signed-in request
# does not query the session table (issue 20; docs/deploy.md). Never a per-process
# cache: a logout in one worker must end the session in every other at once.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
MESSAGE_COOKIE_NAME = "messages"

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt for a locked-out account or address.
    "gds_portal.throttle.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:my_gds"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# Sign-in, email change and password reset find accounts by the canonical address
# (accounts/identity.py); see accounts/allauth_forms.py.
ACCOUNT_FORMS = {
    "login": "accounts.allauth_forms.LoginForm",
    "add_email": "accounts.allauth_forms.AddEmailForm",
    "reset_password": "accounts.allauth_forms.ResetPasswordForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up says plainly that an address is taken (at the field, keeping what was
# typed) instead of silently mailing the owner: membership of GDS is not secret,
# and a member who forgot they had an account is far more common than an attacker.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[GDS] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "https"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Failed logins are counted by django-axes (below), in the database, so allauth's
# own cache-based counter is switched off; its other limits stay (see
# docs/security.md for why each tool does which part).
ACCOUNT_RATE_LIMIT_WINDOW = timedelta(hours=1)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "",
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key",
    # The newsletter's subscribe form (newsletters/views.py): each send may mail a
    # confirmation link, so at most 3 an hour to one address, 20 from one network.
    "newsletter_subscribe": "20/h/ip,3/h/key",
    # A webinar's guest registration form (webinars/views.py) mails a confirmation link.
    "webinar_register": "20/h/ip,3/h/key",
    # The ombudsman's limits are counted in the database instead (ombudsman/throttle.py),
    # so that every worker process shares them.
}

# --- Ombudsman ----------------------------------------------------------------
# Fernet keys that encrypt concerns and replies at rest (ombudsman/crypto.py), comma
# separated: the first encrypts, every one decrypts, so a new key goes in front and
# the old one stays until `manage.py ombudsman_rotate_key` has re-encrypted every row
# (docs/ombudsman.md). Not required to start: without a usable key the concern form
# says it is closed and stores nothing, and the rest of the site runs.
OMBUDSMAN_ENCRYPTION_KEYS = env_list("OMBUDSMAN_ENCRYPTION_KEYS", [])
# How long the signed link that verifies a visitor's address stays valid.
OMBUDSMAN_ADDRESS_LINK_SECONDS = env_int("OMBUDSMAN_ADDRESS_LINK_SECONDS", 24 * 60 * 60)

# --- Login throttling (django-axes) -------------------------------------------
# At most 10 failed logins per account, and separately per client address, in
# 15 minutes; each further failure during a lockout restarts the 15 minutes.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "gds_portal.throttle.login_name"
AXES_CLIENT_IP_CALLABLE = "gds_portal.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "gds_portal.throttle.lockout_response"
# Success records would be a log of every member's addresses; failures suffice.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the xstatic-bootstrap package, never a CDN.
    ("vendor/bootstrap", xstatic_bootstrap.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploads go through Django's storage API: the local disk by default, or any
# S3-compatible object store when MEDIA_STORAGE=s3 (so several app servers share them).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    _MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _require_extra("storages", "s3", "MEDIA_STORAGE=s3")
    _MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", required=True),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "custom_domain": env_str("S3_CUSTOM_DOMAIN", "") or None,
            "location": env_str("S3_PREFIX", "media"),
            # Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the
            # instance role, as boto3 finds them; never from this file.
            "default_acl": None,
            "querystring_auth": env_bool("S3_SIGNED_URLS", False),
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": _MEDIA_BACKEND,
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; local runs and tests
        # serve straight from the finders instead.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_HASHED", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and `make run` serve static files straight from the finders, so no
# collectstatic step is needed there; production runs collectstatic.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MANIFEST_STRICT = False
# Our static files are for our own pages (Cross-Origin-Resource-Policy: same-origin);
# no other site needs to read them.
WHITENOISE_ALLOW_ALL_ORIGINS = False
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_IMAGE_UPLOAD_BYTES = env_int("MAX_IMAGE_UPLOAD_BYTES", 5 * 1024 * 1024)
MAX_PDF_UPLOAD_BYTES = env_int("MAX_PDF_UPLOAD_BYTES", 20 * 1024 * 1024)
# Whole request bodies, refused (413) before anything reads them
# (gds_portal.middleware.RequestBodyLimitMiddleware). Every page's forms are text;
# files are uploaded only in the admin (an issue's cover and PDF in one form at
# most), and only signed-in staff get that larger allowance.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 2 * 1024 * 1024)
UPLOAD_REQUEST_MAX_BYTES = MAX_IMAGE_UPLOAD_BYTES + MAX_PDF_UPLOAD_BYTES + REQUEST_MAX_BYTES

# --- Forms --------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Mail ---------------------------------------------------------------------
# Every message goes to the outbox table first; `manage.py send_queued_mail`
# delivers it through the backend that EMAIL_URL chooses.
EMAIL_BACKEND = "gds_portal.mail.OutboxBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GDS Portal <no-reply@gds.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)


def _email_settings(url: str) -> dict:
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with one of {', '.join(sorted(backends))}:, not {url!r}."
        )
    query = parse_qs(parts.query)
    return {
        "OUTBOX_DELIVERY_BACKEND": backends[parts.scheme],
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true", "yes"},
        "EMAIL_TIMEOUT": 10,
    }


globals().update(_email_settings(env_str("EMAIL_URL", "smtp://localhost:25")))

# --- Security -----------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# The __Host- prefix pins cookies to this exact host over https; browsers
# refuse such cookies without Secure, so plain-http local runs keep plain names.
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "gds_portal.views.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only a configured proxy may tell us the original scheme.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies append to X-Forwarded-For in front of the app. With
# 0 the header is ignored and the connection's address is the client's; with
# N the N-th entry from the right is (gds_portal.throttle.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Video hosts whose privacy-friendly players the webinar archive embeds.
EMBED_FRAME_HOSTS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        # Nothing is allowed unless a directive below names it.
        "default-src": ["'none'"],
        # Our own files only: no template has an inline script, so there is no nonce
        # (and the page cache stores pages as they are, with nothing per response).
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "frame-src": EMBED_FRAME_HOSTS,
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Email is unique through its canonical form (User.email_canonical, unique), which
# Django's system check cannot see; login looks it up by that form.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
SOLO_CACHE = "default"
