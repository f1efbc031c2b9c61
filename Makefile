# Two commands on a fresh machine: `make run` and `make test`.
# The virtual environment is created once and re-installed only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint format screenshots bench bench-gui bench-view clean

run: $(STAMP)
	$(BIN)/nn-tutor

# Everything CI checks: the fast checks, then the whole suite headless.
test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The fast checks: style and format, types of the engine, and the import contracts.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Rewrite the code in the house format and apply the safe lint fixes.
format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/nn-tutor --screenshot screenshots

# Speed, measured side by side in one run (ratios, not timings, are what mean something).
bench: $(STAMP)
	$(BIN)/python -m benchmarks.engine

bench-gui: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.gui_train

bench-view: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.network_view

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info screenshots
