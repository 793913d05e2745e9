# Portail Famille — the two commands: `make run` and `make test`.
# Needs only Python 3.11 and make (npm is used, when present, for the accessibility checker).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# Extra pytest arguments, e.g. `make test TEST_ARGS="-k deadline"`.
TEST_ARGS ?=
# Parallel test workers (pytest-xdist).
WORKERS ?= 2

export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.PHONY: run test install install-test migrate demo check-migrations deploy-check messages clean help

help:
	@echo "make run    set up a virtualenv, migrate SQLite, load the demo commune, serve on $(HOST):$(PORT)"
	@echo "make test   install the test tools and run the whole suite"

$(VENV)/.installed: requirements.txt constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt -c constraints.txt
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	@if [ -f package-lock.json ] && command -v npm >/dev/null 2>&1; then \
		[ -d node_modules/axe-core ] || npm ci --no-audit --no-fund --silent; \
	else echo "npm absent: the accessibility checks of the browser tests will be skipped"; fi

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-test
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest -n $(WORKERS) $(TEST_ARGS)

# Refresh the English catalogue: extract the strings, fill them from tools/translations_en.py
# and each app's translations_en.py, compile (the .mo file is committed).
messages: install
	$(PY) manage.py makemessages -l en --no-location --no-obsolete -i node_modules -i var -i .venv -i tests
	$(PY) tools/translations_en.py
	$(PY) manage.py compilemessages -l en -i .venv -i node_modules

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

# Production settings with a throwaway secret: what `check --deploy` says must be empty.
deploy-check: install
	DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-portail.example.org}" \
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" \
	PAYFIP_URL="$${PAYFIP_URL:-https://www.payfip.gouv.fr/tpa/services/securite}" \
	PAYFIP_MODE="$${PAYFIP_MODE:-W}" PAYFIP_CLIENT_NUMBER="$${PAYFIP_CLIENT_NUMBER:-012345}" \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var node_modules .pytest_cache
