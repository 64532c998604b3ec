# newsgraph — `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export NEWSGRAPH_HOME ?= $(CURDIR)/.newsgraph
export DAGSTER_HOME   := $(NEWSGRAPH_HOME)/dagster
export DAGSTER_DISABLE_TELEMETRY := yes

.PHONY: install run test dev serve status bench lint kb kb-data train-ner clean-state help

help:
	@echo "make run        set up .venv, install, run tonight's job on the sample corpus"
	@echo "make test       set up .venv, install, run the tests"
	@echo "make dev        Dagster UI on http://127.0.0.1:3000"
	@echo "make serve      SPARQL endpoint and linked-data pages on http://127.0.0.1:8080"
	@echo "make status     what the latest night collected, what failed and why"
	@echo "make bench      throughput, scaling and memory (about an hour on 2 cores): bench/results.json, docs/benchmarks.md"
	@echo "make lint       ruff, and mypy on pipelines and tests"
	@echo "make kb         (re)build the knowledge-base index"
	@echo "make kb-data    rebuild the shipped KB extract data/kb/wikidata-extract.jsonl.gz from ../shared/kb"
	@echo "make train-ner  retrain the German NER models from ../shared/corpora (best of 3 seeds and their greedy weight average, compared as decoded; refuses to ship below dev-a F1 0.82)"

$(STAMP): pyproject.toml tools/pyproject.toml
	@echo "make: installing newsgraph, its developer tools and their dependencies into $(VENV) (a few minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]' -e './tools[bench]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/newsgraph run

test: install
	$(BIN)/python -m pytest

dev: install
	@mkdir -p $(DAGSTER_HOME)
	$(BIN)/python -c "from pipelines.instance import prepare_dagster_home; from pipelines.settings import Settings; prepare_dagster_home(Settings.from_env())"
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

serve: install
	$(BIN)/newsgraph serve --host 127.0.0.1 --port 8080

status: install
	$(BIN)/newsgraph status

bench: install
	$(BIN)/newsgraph bench --sizes 100,1000,10000 --out bench/results.json

lint: install
	$(BIN)/ruff check pipelines tests tools
	$(BIN)/ruff format --check pipelines tests tools
	$(BIN)/mypy pipelines tools/newsgraph_tools
	$(BIN)/mypy tests

kb: install
	$(BIN)/newsgraph kb build

kb-data: install
	$(BIN)/newsgraph kb export

train-ner: install
	$(BIN)/pip install --quiet -e './tools[train]'
	$(BIN)/newsgraph train-ner

clean-state:
	rm -rf $(NEWSGRAPH_HOME)
