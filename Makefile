# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: workers messages translations-check audit run test test-fast typecheck lint format install install-dev migrate demo clean help serve replica replica-stop bench bench-smoke bench-varnish varnish

help:
	@echo "make run    - install, migrate, load the demo data and serve on http://$(HOST):$(PORT)/"
	@echo "make test   - the whole test suite (SQLite, or PostgreSQL when DATABASE_URL points there)"
	@echo "make test-fast - the fast lane: everything but the slow and browser tests (under 90 s)"
	@echo "make typecheck - mypy with the Django and DRF stubs (also part of make lint)"
	@echo "make lint   - manage.py check, makemigrations --check, ruff format --check, ruff check, mypy"
	@echo "make format - apply ruff's formatting and safe fixes"
	@echo "make audit  - bandit over the code, pip-audit over the dependencies"
	@echo "make serve  - production: migrate, collectstatic, gunicorn on \$$PORT (settings from the environment, see .env.example)"
	@echo "make workers - run the webhook, reader email and edge-purge workers locally (emails are printed here)"
	@echo "make bench  - load test with wrk at 10k and 100k claims (SQLite) and 1M (PostgreSQL), written to BENCHMARKS.md"
	@echo "make bench-smoke - the same harness on tiny data in a minute (CI runs it)"
	@echo "make bench-varnish - the claim page and list through Varnish, its hit ratio under writes (needs varnish, varnish-modules, wrk)"
	@echo "make replica / make replica-stop - a local streaming PostgreSQL standby on 127.0.0.1:5433 for the replica tests"
	@echo "make varnish - Varnish with the repository's VCL on 127.0.0.1:\$$VARNISH_PORT (6081) in front of the app on \$$PORT (needs varnish and varnish-modules)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py ensure_local_admin --admin-url http://$(HOST):$(PORT)/admin/
	$(PY) manage.py runserver $(HOST):$(PORT)

# Beside `make run`, in a second terminal: partners' webhooks and readers' email (printed to this
# terminal by the console backend in development). Ctrl-C stops both.
workers: migrate
	$(PY) manage.py deliver_webhooks & webhooks=$$!; \
	$(PY) manage.py purge_edge_cache & purges=$$!; \
	trap 'kill $$webhooks $$purges 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py send_reader_email

test: install-dev
	$(PY) -m pytest

# The lane to run after every edit, on both cores; tests/conftest.py (SLOW_TEST_FILES) says which files are slow.
test-fast: install-dev
	$(PY) -m pytest -n 2 -m "not slow and not browser"

# Configured in pyproject.toml ([tool.mypy]); `make lint` runs it too.
typecheck: install-dev
	$(VENV)/bin/mypy .

lint: install-dev
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

audit: install-dev
	bash scripts/audit.sh

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The interface catalogues (locale/): bring them up to date with the code after marking strings.
messages: install-dev
	$(PY) manage.py makemessages -l uk -l ru --add-location file --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(PY) manage.py compilemessages -l uk -l ru --ignore=.venv

# CI: the catalogues hold a translation for every marked string and compile (needs GNU gettext).
translations-check: messages
	$(PY) scripts/check_translations.py

serve: install
	HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

# Not part of `make test`: loads the site with wrk and writes BENCHMARKS.md (see bench/run.py).
BENCH_SMALL_CLAIMS ?= 10000
BENCH_SQLITE_CLAIMS ?= 100000
BENCH_PG_CLAIMS ?= 1000000
BENCH_SECONDS ?= 10
bench: install
	BENCH_SMALL_CLAIMS=$(BENCH_SMALL_CLAIMS) BENCH_SQLITE_CLAIMS=$(BENCH_SQLITE_CLAIMS) \
		BENCH_PG_CLAIMS=$(BENCH_PG_CLAIMS) BENCH_SECONDS=$(BENCH_SECONDS) $(PY) bench/run.py

# The whole harness on tiny data, a second per endpoint, written to bench/.results/smoke.md (CI
# runs it so the harness cannot rot; its timings mean nothing and are not checked).
bench-smoke: install
	BENCH_SMALL_CLAIMS=300 BENCH_SQLITE_CLAIMS=1000 BENCH_PG_CLAIMS=0 BENCH_SECONDS=1 \
		BENCH_REPORT=bench/.results/smoke.md $(PY) bench/run.py

# The claim page and the claim list through Varnish against a static object in Varnish, and the hit
# ratio and stale reads under reads at full speed with a verdict every few seconds (bench/varnish.py),
# on a copy of the 100k SQLite bench database; written to BENCHMARKS.md, "Through Varnish".
BENCH_VARNISH_CLAIMS ?= $(BENCH_SQLITE_CLAIMS)
BENCH_VARNISH_MIXED_SECONDS ?= 30
bench-varnish: install
	BENCH_VARNISH_CLAIMS=$(BENCH_VARNISH_CLAIMS) BENCH_VARNISH_MIXED_SECONDS=$(BENCH_VARNISH_MIXED_SECONDS) \
		BENCH_SECONDS=$(BENCH_SECONDS) $(PY) bench/varnish.py

# Varnish in front of the app (`make serve` or `make run` on $(PORT)), in the foreground; Ctrl-C stops it.
# The repository's VCL is rendered with the backend's port into VARNISH_DIR (docs/deploy.md, "An HTTP
# accelerator: Varnish with xkey"). `-j none` runs it as whoever runs make: a local tool, not a service.
VARNISH_PORT ?= 6081
VARNISH_DIR ?= /tmp/claimtracker-varnish-$(VARNISH_PORT)
VARNISH_STORAGE ?= malloc,256m
VARNISHD ?= $(shell command -v varnishd 2>/dev/null || echo /usr/sbin/varnishd)
varnish:
	@[ -x "$(VARNISHD)" ] || { echo "varnishd is missing: apt-get install varnish varnish-modules"; exit 2; }
	@mkdir -p $(VARNISH_DIR)
	@sed -e 's/^\(\s*\.host = \)"[^"]*";/\1"127.0.0.1";/' -e 's/^\(\s*\.port = \)"[^"]*";/\1"$(PORT)";/' \
		deploy/varnish/claimtracker.vcl > $(VARNISH_DIR)/claimtracker.vcl
	@echo "Varnish on http://127.0.0.1:$(VARNISH_PORT)/ in front of http://127.0.0.1:$(PORT)/; Ctrl-C stops it."
	@echo "Purge it after every write with the worker, in another terminal:"
	@echo "    EDGE_CACHE_PURGE_URLS=http://127.0.0.1:$(VARNISH_PORT)/ $(PY) manage.py purge_edge_cache"
	$(VARNISHD) -F -j none -T none -a 127.0.0.1:$(VARNISH_PORT) -f $(VARNISH_DIR)/claimtracker.vcl \
		-n $(VARNISH_DIR)/instance -s $(VARNISH_STORAGE)

replica:
	scripts/replica.sh start

replica-stop:
	scripts/replica.sh stop

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
