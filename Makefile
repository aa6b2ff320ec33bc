PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint lock demo-reset bench migration messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

LOCK_OPTIONS := --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links

# Installs come from the lock files (exact versions, checked against their hashes); the project itself
# is installed on top without resolving anything again.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

# Regenerates both lock files from pyproject.toml: run it after changing a dependency, then `make test`.
lock: $(VENV)/.installed-dev
	$(BIN)/pip-compile $(LOCK_OPTIONS) --extra postgres -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_OPTIONS) --extra dev --extra postgres -o requirements-dev.lock pyproject.toml

run: $(VENV)/.installed
	$(BIN)/wellness-console demo --if-new
	$(BIN)/wellness-console run --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto -m "not browser"
	$(BIN)/python -m pytest -m browser

# mypy checks the packages listed in pyproject.toml: scoring/ (strict), console/ and db/.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

# Lists every message shown to people that a catalogue lacks, in every language (see console/core/message_catalogue.py).
messages: $(VENV)/.installed-dev
	$(BIN)/python -m console.core.message_catalogue check

bench: $(VENV)/.installed-dev
	$(BIN)/wellness-console bench

demo-reset: $(VENV)/.installed
	$(BIN)/wellness-console demo --reset

migration: $(VENV)/.installed-dev
	@test -n "$(MESSAGE)" || { echo 'Say what the migration does: make migration MESSAGE="add the outbox table"'; exit 2; }
	$(BIN)/python -m db.migrate "$(MESSAGE)"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
