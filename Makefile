# linli — `make run` serves the demo; `make test` runs every gate. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BASE_STAMP := $(VENV)/.base-installed
DEV_STAMP := $(VENV)/.dev-installed
VENDOR := linli/core/static/vendor
POSTGRES_URL ?= $(or $(LINLI_TEST_POSTGRES_URL),postgres://postgres@127.0.0.1:5432/postgres)
CHROMIUM_PATH ?= $(or $(shell command -v chromium 2>/dev/null),/usr/bin/chromium)
PYTEST := $(BIN)/python -m pytest
# Test processes per leg (pytest-xdist); "auto" is one per core.
TEST_WORKERS ?= auto
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run serve test test-fast lint format typecheck migrations-check i18n-check i18n \
	test-sqlite test-postgres test-browser check-postgres check-chromium bench lock assets clean

## run: install from the lock file, build assets, migrate SQLite, load the demo once, serve
run: $(BASE_STAMP) assets
	$(BIN)/linli migrate --noinput
	$(BIN)/linli collectstatic --noinput --verbosity 0
	$(BIN)/linli demo
	$(BIN)/linli serve

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "linli needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(BASE_STAMP): requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): requirements/dev.lock $(BASE_STAMP)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to build the front-end assets"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

## assets: copy the pinned npm packages into static files (no CDN at run time)
assets: $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/echarts.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $@

## test: every gate; fails with a clear message if PostgreSQL or Chromium is missing
test: check-postgres check-chromium lint typecheck migrations-check i18n-check test-sqlite test-postgres test-browser
	@echo "All gates passed."

## test-fast: lint, types and the SQLite tests only (no PostgreSQL, no browser)
test-fast: lint typecheck migrations-check test-sqlite

check-postgres: $(DEV_STAMP)
	@$(BIN)/python scripts/check_postgres.py "$(POSTGRES_URL)"

check-chromium:
	@test -x "$(CHROMIUM_PATH)" || { echo "Chromium not found at $(CHROMIUM_PATH)."; \
		echo "Install it (Debian/Ubuntu: apt-get install chromium fonts-wqy-microhei)"; \
		echo "or set CHROMIUM_PATH; or run 'make test-fast' to skip the browser tests."; exit 1; }

lint: $(DEV_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy linli

migrations-check: $(DEV_STAMP)
	LINLI_ENV=test $(BIN)/linli makemigrations --check --dry-run

i18n-check: $(DEV_STAMP)
	@command -v xgettext >/dev/null || { echo "GNU gettext is needed (apt-get install gettext)"; exit 1; }
	$(BIN)/python scripts/check_translations.py

## i18n: refresh the catalogue after changing strings, then translate and compile
i18n: $(DEV_STAMP)
	$(BIN)/python scripts/check_translations.py --update

test-sqlite: $(DEV_STAMP) assets
	$(PYTEST) -m "not browser" -q -n $(TEST_WORKERS) --durations=5

test-postgres: $(DEV_STAMP) assets
	DATABASE_URL="$(POSTGRES_URL)" $(PYTEST) -m "not browser" -q -n $(TEST_WORKERS) --durations=5

test-browser: $(DEV_STAMP) assets
	CHROMIUM_PATH="$(CHROMIUM_PATH)" $(PYTEST) -m browser -q

## bench: benchmarks with their reference figures (installs the peers they compare against)
bench: $(DEV_STAMP)
	$(BIN)/pip install --quiet --require-hashes -r requirements/bench.lock
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null || echo "wrk missing: the HTTP figures are skipped"
	$(BIN)/python bench/import_residents.py
	LINLI_TEST_POSTGRES_URL="$(POSTGRES_URL)" $(BIN)/python bench/appeals.py
	LINLI_TEST_POSTGRES_URL="$(POSTGRES_URL)" $(BIN)/python bench/ballots.py
	LINLI_TEST_POSTGRES_URL="$(POSTGRES_URL)" $(BIN)/python bench/evaluations.py

## lock: re-pin every dependency with hashes (needs uv)
lock:
	uv pip compile --universal --python-version 3.11 --generate-hashes -q requirements/base.in -o requirements/base.lock
	uv pip compile --universal --python-version 3.11 --generate-hashes -q -c requirements/base.lock requirements/dev.in -o requirements/dev.lock
	uv pip compile --universal --python-version 3.11 --generate-hashes -q -c requirements/dev.lock requirements/bench.in -o requirements/bench.lock

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
