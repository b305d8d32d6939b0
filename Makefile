# Every task of the project. `make run` and `make test` do all the set-up.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
# A Python >= 3.12 found by running each candidate: pyenv shims such as
# python3.12 exist on PATH but fail unless that version is selected.
PYTHON_CANDIDATES := $(PYTHON) python3.13 python3.12 python3 \
	/root/.pyenv/versions/3.13.0/bin/python3 /root/.pyenv/versions/3.12.1/bin/python3
FIND_PYTHON := for p in $(PYTHON_CANDIDATES); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo $$p; break; fi; done
DEV_ENV := DEBUG=1
TEST_ENV := DEBUG=1 DJANGO_ALLOW_ASYNC_UNSAFE=true
PORT ?= 8000

.PHONY: help run test lint format migrate demo admin-account synthetic bench check-deploy collectstatic clean messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then echo "No Python 3.12 or newer found. Install one, or run: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$py"; $$py -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

# The local, git-ignored settings for development, read by tracker/settings.py:
# written once if missing, never overwritten (order-only: a newer Python does
# not rebuild it). Production sets real environment variables and has no .env;
# check-deploy and collectstatic neither write nor read it.
.env: | $(BIN)/python
	@if [ ! -e $@ ]; then \
		umask 077; \
		{ echo "# Development settings written by make (see .env.example). Real environment"; \
		  echo "# variables win over these; with DEBUG=0 in the environment this file is not read."; \
		  echo "DEBUG=1"; \
		  echo "SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
		} > $@.tmp && mv $@.tmp $@ && echo "Wrote $@ (DEBUG=1, a new SECRET_KEY)"; \
	fi

# The background worker (large admin imports) runs beside the server and
# stops with it (Ctrl+C, or the server exiting).
run: $(VENV)/.installed .env ## Migrate, load the demo, create a local admin, serve on http://127.0.0.1:8000 (SQLite) with a background worker
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) PORT=$(PORT) $(BIN)/python manage.py local_admin
	@$(DEV_ENV) $(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# axe-core for the accessibility tests, from the npm registry (never a CDN).
AXE_STAMP := tests/browser/node_modules/.installed
$(AXE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/browser --no-audit --no-fund && touch $@; \
	else echo "npm not found: the axe-core accessibility tests will be skipped" >&2; fi

test: $(VENV)/.installed .env $(AXE_STAMP) ## Run the whole suite (SQLite, or PostgreSQL with DATABASE_URL)
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed .env ## ruff check and format check, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(VENV)/.installed .env ## Apply migrations
	$(DEV_ENV) $(BIN)/python manage.py migrate

demo: $(VENV)/.installed .env ## Load the demo records (again)
	$(DEV_ENV) $(BIN)/python manage.py load_demo

admin-account: $(VENV)/.installed .env ## Create or reset the local admin login (DEBUG only)
	$(DEV_ENV) $(BIN)/python manage.py local_admin

synthetic: $(VENV)/.installed .env ## Generate synthetic people: make synthetic N=100000
	$(DEV_ENV) $(BIN)/python manage.py generate_synthetic --persons $(or $(N),1000) --seed $(or $(SEED),1)

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	@touch $@

bench: $(VENV)/.bench-installed .env ## Ours vs Datasette vs raw SQL at 100,000 persons on PostgreSQL (BENCH_ARGS=--reuse)
	$(BIN)/python bench/compare.py $(BENCH_ARGS)

check-deploy: $(VENV)/.installed ## Production settings pass Django's deployment checks
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=tracker.example.org SITE_URL=https://tracker.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# makemessages must not read these (tests/test_i18n.py ignores the same).
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench --ignore=.git
messages: $(VENV)/.installed .env ## After changing text: update the be and ru catalogs (needs gettext), then compile them
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l be -l ru $(MESSAGES_IGNORE)
	$(DEV_ENV) $(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE)

collectstatic: $(VENV)/.installed ## Gather static files for production
	$(BIN)/python manage.py collectstatic --no-input

clean: ## Remove the virtualenv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
