# PTSP portal: the front door. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PTSP_PORT ?= 8000
export PTSP_PORT

SCREENSHOTS_DIR ?= docs/screenshots

.PHONY: screenshots help run test lint fmt messages check setup setup-dev node clean lock bench bench-smoke

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.lock
	@scripts/check-prereqs.sh
	@test -x $(PY) || $$(scripts/find-python.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(PY) -m pip install --quiet -r requirements-dev.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

setup: $(VENV)/.runtime ## Create the virtual environment with pinned dependencies

setup-dev: $(VENV)/.dev

node: node_modules/.installed

messages-compile: setup
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: setup messages-compile ## Run web, worker and beat on the embedded default (Ctrl-C stops all)
	@mkdir -p var/celery/queue var/celery/processed var/celery/control
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py load_catalogue
	$(PY) manage.py seed_fee_rules
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_queue_demo
	@echo; echo "  Portal: http://127.0.0.1:$(PTSP_PORT)/   admin: http://127.0.0.1:$(PTSP_PORT)/admin/"; echo
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/honcho start -f Procfile.dev

test: setup-dev node messages-compile ## Run the whole suite (PostgreSQL/Redis if reachable, else SQLite)
	@scripts/check-prereqs.sh --test
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

lint: setup-dev ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: setup-dev ## Format and autofix with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

screenshots: setup-dev node messages-compile ## Capture the key pages into docs/screenshots (runs the browser journeys)
	PTSP_SCREENSHOTS_DIR=$(abspath $(SCREENSHOTS_DIR)) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest tests/browser -q $(PYTEST_ARGS)

messages: setup ## Extract translatable strings into locale/{id,en}
	$(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete

BENCH_AUDIT ?= 1000000
BENCH_APPLICATIONS ?= 1000000
BENCH_TICKETS ?= 200000
bench: setup-dev messages-compile ## Benchmarks vs raw baselines; writes BENCHMARKS.md (PostgreSQL, Redis)
	$(PY) -m bench --audit $(BENCH_AUDIT) --applications $(BENCH_APPLICATIONS) --tickets $(BENCH_TICKETS) $(BENCH_ARGS)

bench-smoke: setup-dev messages-compile ## Every benchmark at tiny sizes, nothing judged (CI)
	$(PY) -m bench --smoke $(BENCH_ARGS)

check: setup ## Fail if models changed without a migration
	$(PY) manage.py makemigrations --check --dry-run

lock: ## Re-pin dependencies from pyproject.toml (needs network)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml -q --python-version 3.12 --no-header -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --group dev -q --python-version 3.12 --no-header -o requirements-dev.lock

clean: ## Remove the virtual environment and local data under var/
	rm -rf $(VENV) var node_modules
