# The two commands the README opens with. Both create and use .venv themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test system lint bench docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) system
	$(BIN)/jjis demo --no-serve

# The Debian packages of .ci/packages.txt and a running PostgreSQL (scripts/setup-system.sh).
system:
	scripts/setup-system.sh

test: $(STAMP) system
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

docs: $(STAMP)
	$(BIN)/jjis docs

bench: $(STAMP)
	$(BIN)/python benchmarks/import.py

clean:
	rm -rf $(VENV) demo jjis.duckdb jjis.key
