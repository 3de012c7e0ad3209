# netbook — `make run` opens the window, `make test` runs the whole suite headless,
# `make test-fast` all but the tests marked slow (the loop while you work; `make test`
# before landing); both end with `make lint`'s checks (ruff, then mypy). All set
# everything up first: a .venv with the project installed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench lint demo clean qt-check headless

run: $(STAMP) qt-check
	@tools/sysdeps.sh --window
	$(BIN)/netbook $(ARGS)

PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
LINT   := $(BIN)/ruff check netbook tests bench tools
# mypy: what it checks, and how strictly, is [tool.mypy] in pyproject.toml
TYPES  := $(BIN)/mypy

test: headless
	$(PYTEST) $(PYTEST_ARGS)
	$(LINT)
	$(TYPES)

test-fast: headless
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)
	$(LINT)
	$(TYPES)

bench: headless
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

lint: $(STAMP)
	$(LINT)
	$(TYPES)

# fonts and Qt's offscreen platform, checked (or installed) before any headless run
headless: $(STAMP)
	@tools/sysdeps.sh
	@$(BIN)/python tools/qtcheck.py --offscreen

demo: $(STAMP)
	$(BIN)/netbook demo

qt-check: $(STAMP)
	@$(BIN)/python tools/qtcheck.py

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
	  || { echo "netbook needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; \
	       echo "Run: make PYTHON=python3.12 (or another 3.11+ interpreter)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) \
	  || { echo "Could not create a virtual environment: sudo apt-get install python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
