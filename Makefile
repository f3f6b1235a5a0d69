# tieju: `make run` to try it, `make test` to test it. Needs python3 (3.11) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_ENV := DEBUG=true

.PHONY: run test install install-test migrate demo check bench load clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py setup_roles

# Loads the demo only into an empty database, so a second `make run` keeps your data.
demo: migrate
	@if $(DEV_ENV) $(PY) manage.py shell -c "from tasks.models import Requirement; import sys; sys.exit(0 if Requirement.objects.exists() else 1)" 2>/dev/null; \
	then echo "Database already holds data; demo not reloaded."; \
	else $(DEV_ENV) $(PY) manage.py load_demo; fi
	@echo "Demo accounts (password tieju-demo-2026): admin (管理员), leader (局领导), water (水生态环境处), air (大气环境处), office, party, hr, law, enforce, monitor, futian, baoan"

run: demo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

check: install
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
