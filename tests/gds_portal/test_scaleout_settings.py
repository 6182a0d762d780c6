"""Settings that let several app servers share state, each chosen by the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
from django.conf import settings
from django.core.files.storage import storages
from django.urls import get_resolver
print(json.dumps({
    "storage": f"{type(storages['default']).__module__}.{type(storages['default']).__name__}",
    "storage_backend": settings.STORAGES["default"]["BACKEND"],
    "storage_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"],
    "pages": settings.CACHES["pages"],
    "sessions": settings.SESSION_ENGINE,
    "session_cache": settings.SESSION_CACHE_ALIAS,
    "sessions_cache": settings.CACHES["sessions"],
    "middleware": settings.MIDDLEWARE,
    "apps": settings.INSTALLED_APPS,
    "ceiling": any(str(p.pattern) == "bench/ceiling/" for p in get_resolver().url_patterns),
}))
"""


def _settings(**env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CACHE_URL", "MEDIA_STORAGE", "BENCH_MODE", "S3_BUCKET"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_keep_state_in_shared_places_and_bench_tools_off():
    found = _settings()
    assert found["storage_backend"] == "django.core.files.storage.FileSystemStorage"
    # One cache for every process of the machine (the page cache's generation): files.
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert found["cache"]["LOCATION"] == str(ROOT / "var" / "cache")
    assert found["pages"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    # Sessions in PostgreSQL, read through the shared cache: any app server can read a
    # login made on another, and a logout ends it everywhere at once.
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert found["session_cache"] == "sessions"
    assert found["sessions_cache"]["BACKEND"] == found["cache"]["BACKEND"]
    assert found["sessions_cache"]["LOCATION"] == str(ROOT / "var" / "cache" / "sessions")
    assert not [name for name in found["middleware"] if name.startswith("devtools.")]
    assert "devtools" not in found["apps"]
    assert found["ceiling"] is False


def test_s3_storage_is_selected_by_the_environment():
    found = _settings(
        MEDIA_STORAGE="s3", S3_BUCKET="gds-media", S3_ENDPOINT_URL="https://s3.example.org"
    )
    assert found["storage_backend"] == "storages.backends.s3.S3Storage"
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["storage_options"]["bucket_name"] == "gds-media"
    assert found["storage_options"]["endpoint_url"] == "https://s3.example.org"


def test_redis_cache_is_selected_by_cache_url():
    found = _settings(CACHE_URL="redis://cache.internal:6379/1")
    assert found["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    assert found["pages"] == found["cache"]  # pages shared in Redis too


def test_bench_mode_installs_devtools_with_the_ceiling_page_and_the_query_counter():
    found = _settings(BENCH_MODE="1")
    assert "devtools" in found["apps"]
    assert found["middleware"][0] == "devtools.middleware.QueryCountMiddleware"
    # The cold-render header is understood by the bench's page cache alone.
    assert "devtools.middleware.BenchPageCacheMiddleware" in found["middleware"]
    assert "gds_portal.pagecache.AnonymousPageCacheMiddleware" not in found["middleware"]
    assert found["ceiling"] is True


def test_file_and_per_process_caches_are_selected_by_cache_url(tmp_path):
    found = _settings(CACHE_URL=f"file://{tmp_path}")
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert found["cache"]["LOCATION"] == str(tmp_path)
    found = _settings(CACHE_URL="locmem:")
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_unknown_storage_or_cache_stops_start_up():
    for env in ({"MEDIA_STORAGE": "ftp"}, {"CACHE_URL": "memcached://x"}):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
