from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development-only instruments for `make bench`; settings install this app only
    when BENCH_MODE is set, and no production module imports it
    (tests/test_import_boundaries.py)."""

    name = "devtools"
    verbose_name = "Development tools"
