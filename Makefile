# Two commands for a newcomer: `make demo` and `make test`. Both create .venv when missing and
# install everything first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB := demo.db
SAMPLES := src/talentflow/data/samples
COHORT := src/talentflow/data/cohorts/openai-2024.txt

.PHONY: demo test lint eval weights-check train vendor clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres,ray]"
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/talentflow ingest $(SAMPLES) --db $(DEMO_DB)
	$(BIN)/talentflow moves --db $(DEMO_DB) --limit 12
	$(BIN)/talentflow flows --db $(DEMO_DB) --limit 8
	$(BIN)/talentflow flows --db $(DEMO_DB) --between OpenAI Meta --since 2025
	$(BIN)/talentflow alumni OpenAI --db $(DEMO_DB)
	$(BIN)/talentflow cohort create openai-2024 --from-file $(COHORT) --org OpenAI --db $(DEMO_DB)
	$(BIN)/talentflow cohort status openai-2024 --db $(DEMO_DB)
	$(BIN)/talentflow serve --db $(DEMO_DB)

test: $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

CORPORA := ../shared/corpus/train ../shared/corpus/dev

# Extraction figures cross-validated by article over the labelled corpora, and the graph resolved from
# the same claims; fails below the floors or on a move that no claim states.
eval: $(STAMP)
	$(BIN)/talentflow eval --folds 5 --graph $(CORPORA) --floors eval-floors.json

# The shipped weights are what `talentflow train` fits on the corpora: refit and compare.
weights-check: $(STAMP)
	$(BIN)/talentflow train $(CORPORA) --output /tmp/talentflow-scorer.json
	cmp /tmp/talentflow-scorer.json src/talentflow/data/scorer.json

# Refit the shipped weights (commit the result).
train: $(STAMP)
	$(BIN)/talentflow train $(CORPORA)

# Refresh the JavaScript the web app ships, ECharts and Swagger UI (needs npm; the result is committed).
SWAGGER := web/node_modules/swagger-ui-dist
vendor:
	cd web && npm ci --no-audit --no-fund
	cp web/node_modules/echarts/dist/echarts.min.js web/node_modules/echarts/LICENSE \
	   web/node_modules/echarts/NOTICE src/talentflow/web/static/vendor/echarts/
	cp -r web/node_modules/echarts/licenses src/talentflow/web/static/vendor/echarts/
	cp $(SWAGGER)/swagger-ui-bundle.js $(SWAGGER)/swagger-ui-bundle.js.LICENSE.txt $(SWAGGER)/swagger-ui.css \
	   $(SWAGGER)/LICENSE $(SWAGGER)/NOTICE src/talentflow/web/static/vendor/swagger-ui/

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .ruff_cache test-output web/node_modules
