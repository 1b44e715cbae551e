# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AB := $(BIN)/assetbridge
STAMP := $(VENV)/.installed-stamp

.PHONY: install neo4j neo4j-stop migrate demo-data demo serve test test-faults lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Uses NEO4J_URI when it is set (Docker, Aura, a cluster); otherwise runs the local server.
neo4j: install
	@if [ -n "$$NEO4J_URI" ]; then echo "using NEO4J_URI=$$NEO4J_URI"; else $(AB) neo4j start; fi

neo4j-stop: install
	$(AB) neo4j stop

migrate: neo4j
	$(AB) db migrate

demo-data: migrate
	@if $(AB) demo --help >/dev/null 2>&1; then $(AB) demo load; else echo "(no demo data loader yet)"; fi

serve: install
	$(AB) serve --host 127.0.0.1 --port 8000

demo: demo-data
	@echo "assetbridge on http://127.0.0.1:8000  (GraphiQL at /graphql, health at /readyz)"
	$(AB) serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

test: lint typecheck
	$(BIN)/pytest

bench: install
	@if ls bench/*.py >/dev/null 2>&1; then for b in bench/*.py; do $(BIN)/python $$b || exit 1; done; else echo "(no benchmarks yet)"; fi

clean:
	-$(AB) neo4j stop
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
