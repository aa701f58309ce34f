# reviewdesk — `make help` lists the targets. `make run` and `make test` are the two entry points.
SHELL := /bin/bash
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test lint typecheck check migrations-check bench clean

help: #: list the targets
	@grep -E '^[a-z-]+:.*#:' Makefile | sed -E 's/:.*#:/\t/'

$(UV):
	@$(PYTHON) -m venv $(TOOLS)
	@$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV) #: create or update .venv from the committed uv.lock
	@$(UV) sync --frozen --quiet
	@echo "environment ready: $(BIN)/reviewdesk"

run: install #: migrate, load the demo shop and serve the app with its worker on SQLite
	@$(BIN)/reviewdesk migrate --no-input -v 0
	@$(BIN)/reviewdesk demo load --url http://$(HOST):$(PORT)/
	@$(BIN)/reviewdesk serve --host $(HOST) --port $(PORT)

test: install #: run the whole suite (SQLite, plus PostgreSQL + Redis when they answer)
	@$(BIN)/python -m reviewdesk.testing.run_suite

lint: install #: ruff check and format check
	@$(BIN)/ruff check src tests benchmarks
	@$(BIN)/ruff format --check src tests benchmarks

typecheck: install #: mypy strict on the code, the tests and the benchmarks
	@$(BIN)/mypy src tests benchmarks

migrations-check: install #: fail when models changed without a migration
	@$(BIN)/reviewdesk makemigrations --check --dry-run

check: lint typecheck migrations-check test #: everything CI cares about

bench: install #: run the benchmarks (they print figures)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean: #: remove the environment and local data
	rm -rf $(VENV) $(TOOLS) var
