# The project's front door. `make site` and `make test` are the README's Quick start: on a fresh
# machine they create .venv, install the pinned dependencies, and do their job.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install site test lint check serve clean

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

## Lint and run the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

check: $(STAMP)
	$(BIN)/sillok check

serve: $(STAMP)
	$(BIN)/mkdocs serve

clean:
	rm -rf site docs/records .pytest_cache
