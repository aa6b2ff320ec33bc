PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint typecheck-all demo-reset bench migration clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[postgres]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/wellness-console demo --if-new
	$(BIN)/wellness-console run --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

# console/ and db/ are not yet free of type errors, so they are reported here and not gated.
typecheck-all: $(VENV)/.installed-dev
	$(BIN)/mypy scoring console db

bench: $(VENV)/.installed-dev
	$(BIN)/wellness-console bench

demo-reset: $(VENV)/.installed
	$(BIN)/wellness-console demo --reset

migration: $(VENV)/.installed-dev
	@test -n "$(MESSAGE)" || { echo 'Say what the migration does: make migration MESSAGE="add the outbox table"'; exit 2; }
	$(BIN)/python -m db.migrate "$(MESSAGE)"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
