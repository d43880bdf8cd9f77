# Two commands on a fresh machine: `make run` and `make test`. Everything else is installed here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run serve test lint bench init chromium test-tools translations clean help

help:
	@echo "make run    start the dashboard on http://localhost:$(PORT) (installs what it needs)"
	@echo "make serve  production: WORKERS app processes behind nginx (default: one per core)"
	@echo "make test   lint and run the whole test suite (installs the test tools it needs)"
	@echo "make bench  run the benchmarks and write docs/performance.md"
	@echo "make translations  the messages the code marks into the French and Spanish catalogs"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's chromium: kaleido uses it for PNG/SVG export, the browser tests drive it. The charts
# and the PDF briefs are set in Liberation Sans (DejaVu Sans for the status icons).
RUN_PACKAGES := chromium fonts-liberation fonts-dejavu-core
# What the tests use besides: poppler-utils reads the PDF briefs back (pdftotext, pdffonts,
# pdftoppm); postgresql is the shared store's server, started by the tests on loopback; nginx and
# iproute2 (network namespaces) for the deployment tests; curl for the health checks; ab
# (apache2-utils) for the read API's benchmark.
# Node runs the OpenID Connect provider the login tests start (tests/oidc): the machine's own
# node and npm when it has them, else Debian's (oidc-provider 9 needs Node 20.18 or later:
# Debian 13's nodejs, or NodeSource's on Debian 12, whose own is 18).
NODE_PACKAGES := $(if $(shell command -v node),,nodejs) $(if $(shell command -v npm),,npm)
TEST_PACKAGES := $(RUN_PACKAGES) poppler-utils postgresql nginx iproute2 curl apache2-utils \
    $(NODE_PACKAGES)
# The provider itself: npm's oidc-provider at the version tests/oidc/package-lock.json pins.
OIDC_STAMP := tests/oidc/node_modules/.installed

# Installs whichever of the given Debian packages is missing, in one apt-get call (needs root).
define install_missing
	@missing=$$(for package in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$package 2>/dev/null | grep -q "install ok installed" \
		|| echo $$package; done | xargs); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian's $$missing (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			$$missing >/dev/null; \
	fi
endef

chromium:
	$(call install_missing,$(RUN_PACKAGES))

test-tools:
	$(call install_missing,$(TEST_PACKAGES))
	@$(MAKE) --no-print-directory $(OIDC_STAMP)

$(OIDC_STAMP): tests/oidc/package.json tests/oidc/package-lock.json
	@node -e 'process.exit(typeof URL.parse === "function" ? 0 : 1)' || { echo "The login \
		tests' OpenID Connect provider needs Node 20.18 or later and this node is \
		$$(node --version): install a newer nodejs (NodeSource's 22.x, for example)."; exit 1; }
	cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error
	touch $@

init: $(STAMP)
	$(VENV)/bin/indicators init

run: $(STAMP) chromium init
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# One test process per core (pytest-xdist); tests/conftest.py keeps each module on one process
# and each half of the browser tests on one. The 25 slowest tests are listed at the end (where
# the time goes).
test: $(STAMP) test-tools lint
	$(VENV)/bin/pytest -q -n auto --durations=25

bench: $(STAMP) test-tools
	$(PY) -m benchmarks

# Production: WORKERS app processes (default: one per core) behind nginx with sticky sessions,
# all on one database: $$INDICATORS_DB (a DuckDB file, or a postgresql:// URL for a shared
# server). Listens on ADDRESS:PORT; stops everything on Ctrl-C. See docs/deploy.md.
WORKERS ?= $(shell nproc)
ADDRESS ?= 127.0.0.1
serve: $(STAMP) chromium init
	WORKERS=$(WORKERS) PORT=$(PORT) ADDRESS=$(ADDRESS) deploy/serve.sh run

# README, "Languages": the messages marked in the code (_, N_) into the template and the .po
# files (new ones empty, to translate; left-over ones dropped). The .mo are compiled on first use.
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ --no-location --sort-output \
		--project anti-trafficking-indicators --version 0.1.0 -o indicators/locale/messages.pot .
	$(VENV)/bin/pybabel update -i indicators/locale/messages.pot -d indicators/locale -w 96 \
		--ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) tests/artifacts tests/oidc/node_modules data/indicators.duckdb data/indicators.duckdb.wal \
		data/indicators.duckdb.lock
