# netbook — `make run` opens the window, `make test` runs the whole suite headless.
# Both set everything up first: a .venv with the project installed from pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint demo clean qt-check

run: $(STAMP) qt-check
	@tools/sysdeps.sh --window
	$(BIN)/netbook $(ARGS)

test: $(STAMP)
	@tools/sysdeps.sh
	@$(BIN)/python tools/qtcheck.py --offscreen
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/ruff check netbook tests bench tools

bench: $(STAMP)
	@tools/sysdeps.sh
	@$(BIN)/python tools/qtcheck.py --offscreen
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check netbook tests bench tools

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
