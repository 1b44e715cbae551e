# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AB := $(BIN)/assetbridge
STAMP := $(VENV)/.installed-stamp
# Browser assets copied from npm at the versions web/package-lock.json pins, each with its
# licence: the explorer page's graph library, and GraphiQL with React (so /graphql works
# offline). The stamp is written last, so an interrupted copy is redone.
VENDOR := api/static/vendor
ASSETS := $(VENDOR)/.copied
NPM_FILES := cytoscape/dist/cytoscape.min.js graphiql/graphiql.min.js graphiql/graphiql.min.css \
	react/umd/react.production.min.js react-dom/umd/react-dom.production.min.js
NPM_LICENSED := cytoscape graphiql react react-dom

# What the suite needs beyond Python (Chromium, npm): installed when missing where we may.
.PHONY: system-deps install assets neo4j neo4j-stop migrate demo-data demo serve test test-faults lint typecheck bench clean schema

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

$(ASSETS): web/package.json web/package-lock.json
	@command -v npm >/dev/null 2>&1 || bash scripts/system-deps.sh
	cd web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp $(addprefix web/node_modules/,$(NPM_FILES)) $(VENDOR)/
	for package in $(NPM_LICENSED); do cp web/node_modules/$$package/LICENSE $(VENDOR)/$$package.LICENSE; done
	touch $@

assets: $(ASSETS)

# Uses NEO4J_URI when it is set (Docker, Aura, a cluster); otherwise runs the local server.
neo4j: install
	@if [ -n "$$NEO4J_URI" ]; then echo "using NEO4J_URI=$$NEO4J_URI"; else $(AB) neo4j start; fi

neo4j-stop: install
	$(AB) neo4j stop

migrate: neo4j
	$(AB) db migrate

demo-data: migrate
	$(AB) demo load

serve: install assets
	$(AB) serve --host 127.0.0.1 --port 8000

# The demo's first place is the default place (a setting, `home` unless set; .env counts).
DEMO_HOME = $$($(BIN)/python -c "from graph.settings import get_place_settings as s; print(s().default_place_id)")

demo: demo-data assets
	@echo "assetbridge on http://127.0.0.1:8000  (GraphiQL at /graphql, health at /readyz)"
	@echo "Partnership explorer for a place leader (token valid 8 hours):"
	@echo "  http://127.0.0.1:8000/explore#token=$$($(AB) auth token --role place_leader --subject demo-leader)"
	@echo "  and for Calderford, the second city: http://127.0.0.1:8000/explore#token=$$($(AB) auth token --role place_leader --place calderford --subject demo-leader-calderford)"
	@echo "  and for a leader of both cities (the page's place picker offers both): http://127.0.0.1:8000/explore#token=$$($(AB) auth token --role place_leader --place $(DEMO_HOME) --place calderford --subject demo-leader-both)"
	@echo "In GraphiQL's headers tab, send one of these (each valid 8 hours):"
	@echo "  place leader: {\"Authorization\": \"Bearer $$($(AB) auth token --role place_leader --subject demo-leader)\"}"
	@echo "  place leader of the neighbourhood only (the default place, $(DEMO_HOME)):"
	@echo "    {\"Authorization\": \"Bearer $$($(AB) auth token --role place_leader --place $(DEMO_HOME) --subject demo-leader-home)\"}"
	@echo "  place leader of Calderford only, the second city:"
	@echo "    {\"Authorization\": \"Bearer $$($(AB) auth token --role place_leader --place calderford --subject demo-leader-calderford)\"}"
	@echo "  analyst of both places (placeComparison side by side):"
	@echo "    {\"Authorization\": \"Bearer $$($(AB) auth token --role analyst --place $(DEMO_HOME) --place calderford --subject demo-analyst)\"}"
	@echo "  caseworker:   {\"Authorization\": \"Bearer $$($(AB) auth token --role caseworker --org org-refugee-support --subject demo-caseworker)\"}"
	@echo "  admin:        {\"Authorization\": \"Bearer $$($(AB) auth token --role admin --subject demo-admin)\"}"
	$(AB) serve --host 127.0.0.1 --port 8000

# The SDL clients' tools read; tests/schema/test_sdl.py keeps it in step.
schema: install
	$(BIN)/python -c "from schema import build_schema; print(build_schema().as_str())" > schema.graphql

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

test: system-deps lint typecheck assets
	PYTEST=$(BIN)/pytest scripts/test-suite.sh

# Only the fault tests (also part of `make test`): stop Neo4j under a load and under
# the API, kill a loader half-way. They run a Neo4j of their own (port 7731 by default).
test-faults: install
	$(BIN)/pytest -m faults

# Writes docs/benchmarks.md; runs its own Neo4j (var/neo4j-bench) and wipes it.
bench: install
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.queries
	$(BIN)/python -m bench.busy
	$(BIN)/python -m bench.load_test --workers 1
	$(BIN)/python -m bench.load_test --workers 4
	$(BIN)/python -m bench.analytics
	$(BIN)/python -m bench.token_check
	$(BIN)/python -m bench.loader_memory
	$(BIN)/python -m bench.places

clean:
	-$(AB) neo4j stop
	rm -rf var .pytest_cache .mypy_cache .ruff_cache web/node_modules api/static/vendor
