# tieju: `make run` to try it, `make test` to test it. Needs python3 (3.11) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_ENV := DEBUG=true

# lint: ruff's lint and format check (configured in pyproject.toml); `make format` rewrites.
.PHONY: lint format run test install install-test migrate demo reset-demo check messages deploy bench load clean

# What running needs; `make test` adds the test tools (pytest, Playwright…), `make bench` the bench's.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { echo "python3 cannot make a virtualenv: on Debian/Ubuntu run: sudo apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet .
	@# The compiled .mo files are committed; rebuild them when msgfmt is at hand.
	@if command -v msgfmt >/dev/null; then $(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv >/dev/null; fi
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet ".[test]"
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PIP) install --quiet ".[test,bench]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# A checkout is a development machine: the first `make run` writes .env (never committed) with DEBUG on,
# and manage.py reads it, so `python manage.py …` keeps working in this checkout. Servers never have it:
# they load their own environment file (README, "Deploying to production").
.env:
	@printf '%s\n' '# Written by `make run` for this checkout only (development). Servers: see .env.example.' 'DEBUG=true' > $@
	@echo "Wrote .env (DEBUG=true) for this development checkout."

migrate: install .env
	mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py setup_roles

# Loads the demo only into an empty database, so a second `make run` keeps your data
# (`make reset-demo` starts again from the demo).
demo: migrate
	@if $(DEV_ENV) $(PY) manage.py shell -c "from tasks.models import Requirement; import sys; sys.exit(0 if Requirement.objects.exists() else 1)" 2>/dev/null; \
	then echo "Database already holds data; demo not reloaded (demo accounts: see the README)."; \
	else $(DEV_ENV) $(PY) manage.py load_demo; fi

run: demo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install-test
	$(PY) -m pytest

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py check

# Refresh locale/en from the code and templates, then compile. Fill the empty msgstr
# entries in locale/en/LC_MESSAGES/django.po and run it again; commit both .po and .mo.
messages: install
	$(DEV_ENV) $(PY) manage.py makemessages -l en --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=var --ignore=test-artifacts
	$(DEV_ENV) $(PY) manage.py compilemessages -l en --ignore=.venv
	@msgattrib --untranslated locale/en/LC_MESSAGES/django.po | grep -c '^msgid ' | sed 's/^/untranslated strings left: /' || true
	@msgattrib --only-fuzzy locale/en/LC_MESSAGES/django.po | grep -c '^msgid ' | sed 's/^/fuzzy strings to check: /' || true

# The production steps, to run on each deploy (with the production environment loaded).
deploy: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_roles
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py check --deploy --fail-level WARNING

# Loopback only, bounded in time (see bench/run.py, bench/locustfile.py). PostgreSQL on 127.0.0.1.
bench: $(VENV)/.installed-bench
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) -m bench.run

load: $(VENV)/.installed-bench
	$(PY) -m bench.load

# Throws away the local SQLite database and uploads, then loads the demo afresh (development only).
reset-demo: install
	rm -f var/tieju.sqlite3
	rm -rf var/media
	$(MAKE) demo

# Removes the virtualenv and build leftovers; the database in var/ is kept (see reset-demo).
clean:
	rm -rf $(VENV) staticfiles .pytest_cache
