"""Tests run on env/test.env, so `pytest` works directly in the venv.

A pytest plugin (pyproject.toml: `-p tests.environment`), imported before pytest-django
reads the settings. Variables already set win: CI's DATABASE_URL points at the machine's
PostgreSQL; unset, env/test.env names the embedded one.
"""

import os

from gds_portal.env import load_env_file

load_env_file("test")
# env/test.env alone, also for the commands the tests start (manage.py, gunicorn), which
# inherit these variables: a developer's GDS_ENV=local must not add to them.
os.environ.pop("GDS_ENV", None)
