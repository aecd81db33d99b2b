# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= gestae.duckdb
STAMP  := $(VENV)/.installed

.PHONY: run test install clean bench browser-deps test-browser serve

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/gestae ingest examples/ --db $(DB)
	$(BIN)/gestae summary --db $(DB)
	@echo "Open the web page on this database:  $(BIN)/gestae serve --db $(DB)   (then http://127.0.0.1:8000/)"

serve: $(STAMP)
	$(BIN)/gestae serve --db $(DB)

test: $(STAMP)
	$(BIN)/python -m pytest

# Headless Chromium and its WebDriver from Debian, for the browser test (installed only when missing; needs root).
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; else \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; fi

test-browser: $(STAMP) browser-deps
	$(BIN)/python -m pytest -p no:cacheprovider tests_browser

bench: $(STAMP)
	$(BIN)/python bench/throughput.py $(CORPUS)

clean:
	rm -rf $(VENV) $(DB) $(DB).wal build *.egg-info
