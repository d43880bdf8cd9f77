# Two commands on a fresh machine: `make run` and `make test`. Everything else is installed here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint bench init chromium poppler clean help

help:
	@echo "make run    start the dashboard on http://localhost:$(PORT) (installs what it needs)"
	@echo "make test   lint and run the whole test suite (installs test tools, chromium, poppler)"
	@echo "make bench  run the benchmarks and write docs/performance.md"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's chromium: kaleido uses it for PNG/SVG export, the browser tests drive it. The charts
# and the PDF briefs are set in Liberation Sans (DejaVu Sans for the status icons).
chromium:
	@if [ ! -x $(CHROMIUM) ] || [ ! -d /usr/share/fonts/truetype/liberation ]; then \
		echo "Installing Debian's chromium and fonts (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
			fonts-liberation fonts-dejavu-core >/dev/null; \
	fi

# Debian's poppler-utils: the tests read the PDF briefs back (pdftotext, pdffonts, pdftoppm).
poppler:
	@if ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null \
		|| ! command -v pdftoppm >/dev/null; then \
		echo "Installing Debian's poppler-utils (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			poppler-utils >/dev/null; \
	fi

init: $(STAMP)
	$(VENV)/bin/indicators init

run: $(STAMP) chromium init
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: $(STAMP) chromium poppler lint
	$(VENV)/bin/pytest -q

bench: $(STAMP) chromium
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) tests/artifacts data/indicators.duckdb data/indicators.duckdb.wal
