# Two commands: `make demo` runs wattz on its built-in demo, `make test` runs the suite.
# Each creates its own virtual environment (.venv) with only Python 3.11+ on the machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-postgres lint bench clean

$(BIN)/wattz: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(BIN)/wattz

$(VENV)/.test-deps: $(BIN)/wattz
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.test-deps

demo: $(BIN)/wattz
	WATTZ_HOME=$${WATTZ_HOME:-$(CURDIR)/.demo-home} $(BIN)/wattz demo

test: $(VENV)/.test-deps
	$(BIN)/python -m pytest

# The same suite on a throwaway PostgreSQL server (.ci/postgres installs, starts and stops it).
test-postgres: $(VENV)/.test-deps
	.ci/postgres run $(BIN)/python -m pytest

lint: $(VENV)/.test-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy --strict src

bench: $(BIN)/wattz
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/plan.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) .demo-home
