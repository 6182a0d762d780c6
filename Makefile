# GDS Portal — `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=
export UV_PROJECT_ENVIRONMENT := $(VENV)
# The venv's python, gunicorn and pytest first, for recipes and the scripts they start.
export PATH := $(abspath $(BIN)):$(PATH)
# Development commands fill what the environment leaves unset from env/local.env
# (gds_portal/env.py); with DATABASE_URL unset that names the embedded PostgreSQL, which
# settings start (scripts/embedded_db.py). The tests read env/test.env themselves.
LOCAL := GDS_ENV=local
# For scripts that connect before Django does (backup, restore, drills): DATABASE_URL
# when it is set, else the embedded server's address.
DB_URL = DATABASE_URL="$${DATABASE_URL:-$$(python scripts/embedded_db.py)}"

.PHONY: install run serve test test-fast lint fmt worker migrate demo clean-db bench check-wrk profile

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Development installs the dev group and every extra (the tests cover Redis and S3 settings).
$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --all-extras --quiet
	touch $@

install: $(VENV)/.synced

migrate: install
	$(LOCAL) python manage.py migrate --noinput

demo: migrate
	$(LOCAL) python manage.py load_demo

# Install, start the database, migrate, load the demo, then serve with the workers
# (outgoing mail, the committee's likely-duplicate check, webinar reminders, scheduled
# newsletter issues).
run: demo
	@echo "GDS Portal: http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	$(LOCAL) sh -c 'python manage.py send_queued_mail --loop & mail=$$!; python manage.py check_duplicates --loop & dupes=$$!; python manage.py send_webinar_reminders --loop & reminders=$$!; python manage.py announce_issues --loop & issues=$$!; trap "kill $$mail $$dupes $$reminders $$issues" EXIT INT TERM; python manage.py runserver 127.0.0.1:8000'

# Production-style: gunicorn, DEBUG off, hashed static files (needs the production env).
serve: install
	$(LOCAL) sh -c 'DEBUG=false python manage.py collectstatic --noinput -v0 && DEBUG=false WHITENOISE_USE_FINDERS=false gunicorn gds_portal.wsgi --bind 127.0.0.1:8000 --workers $${WEB_CONCURRENCY:-2} --access-logfile -'

# The background workers: outgoing mail, the likely-duplicate check, webinar reminders,
# scheduled newsletter issues.
worker: install
	$(LOCAL) sh -c 'python manage.py check_duplicates --loop & dupes=$$!; python manage.py send_webinar_reminders --loop & reminders=$$!; python manage.py announce_issues --loop & issues=$$!; trap "kill $$dupes $$reminders $$issues" EXIT INT TERM; python manage.py send_queued_mail --loop'

# The same checks as pre-commit (.pre-commit-config.yaml), without rewriting anything.
# Last, mypy strict on every app's services and selectors ([tool.mypy] in pyproject.toml):
# django-stubs loads the settings, which need a DATABASE_URL, but nothing connects to it.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	GDS_ENV=test DATABASE_URL=postgres://mypy@127.0.0.1:5432/unused $(BIN)/mypy

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-chromium:
	@test -x $(CHROMIUM) || { echo "Browser tests need Chromium at $(CHROMIUM): apt-get install -y chromium (or set CHROMIUM=/path)."; exit 1; }

# The whole suite: lint, migrations check, unit and browser tests.
test: lint check-chromium
	GDS_ENV=test python manage.py makemigrations --check --dry-run
	pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

# Quicker loop while developing: no lint, no browser tests.
test-fast: install
	pytest -m "not e2e" $(PYTEST_ARGS)

# Stop the embedded PostgreSQL (its data stay in var/pgdata).
clean-db:
	-python scripts/embedded_db.py stop

.PHONY: backup restore drill-restore drill-rush plans

# A consistent pg_dump -Fc and a media archive with SHA-256 manifest, in var/backups/<timestamp>/.
backup: install
	$(DB_URL) python scripts/backup.py backup

# Restore a backup folder into a fresh database and media folder, then verify it.
# make restore FILE=var/backups/<ts> [DB=name] [MEDIA=path] [FORCE=1]
restore: install
	$(DB_URL) python scripts/backup.py restore $(FILE) $(if $(DB),--database $(DB)) $(if $(MEDIA),--media $(MEDIA)) $(if $(FORCE),--force)

# Deadline rush against gunicorn (2 workers) and PostgreSQL; MEMBERS=5000 for the full drill.
drill-rush: install
	$(LOCAL) $(DB_URL) python bench/drill_rush.py --members $${MEMBERS:-200} $(DRILL_ARGS)

# Backup while submissions flow, restore into a scratch database, compare.
drill-restore: install
	$(LOCAL) $(DB_URL) python bench/drill_restore.py $(DRILL_ARGS)

# Can the hot queries use their indexes? EXPLAIN on the development database (bench/plans.py).
plans: install
	$(LOCAL) python bench/plans.py

check-wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get install -y -q wrk >/dev/null; \
	  else echo "make bench needs wrk (Debian package wrk): sudo apt-get install wrk"; exit 1; fi; }

# Scale 1 and scale 10 in a separate database (BENCH_DATABASE_URL, default
# gds_bench on the local server), gunicorn as `make serve` runs it, wrk; about
# 25 minutes. Anonymous readers, then members signed in and the committees' pages;
# BENCH_PARTS=signed-in (or anonymous) runs one part, BENCH_REUSE=1 keeps the databases
# of the last run, BENCH_SECONDS the seconds per page. Appends the figures to
# bench/RESULTS.md (BENCH_RESULTS=file for elsewhere). See bench/run.py.
bench: install check-wrk
	$(LOCAL) python -m bench.run

# cProfile over each page `make bench` measures signed in, in-process, on the scale-1 bench
# database `make bench` leaves (PROFILE_ARGS="--scale 10 --only call --runs 20 --cold";
# --database-url for any other). See bench/profile_pages.py.
profile: install
	$(LOCAL) python bench/profile_pages.py $(PROFILE_ARGS)
