# Two commands on a fresh machine: `make run` and `make test`. Everything else is installed here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint bench init chromium clean help

help:
	@echo "make run    start the dashboard on http://localhost:$(PORT) (installs what it needs)"
	@echo "make test   lint and run the whole test suite (installs test tools and chromium)"
	@echo "make bench  run the benchmarks and write docs/performance.md"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's chromium: kaleido uses it for PNG/SVG export, the browser tests drive it.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

init: $(STAMP)
	$(VENV)/bin/indicators init

run: $(STAMP) chromium init
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: $(STAMP) chromium lint
	$(VENV)/bin/pytest -q

bench: $(STAMP) chromium
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) tests/artifacts data/indicators.duckdb data/indicators.duckdb.wal
