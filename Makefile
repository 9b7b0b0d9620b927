# Rusinnspill: `make` alone lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
KERNEL := rusinnspill
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
RUN_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help env run test lint lab bench bench-ingest bench-themes bench-positions clean-outputs

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed, found " + sys.version)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	touch $(STAMP)

env: $(STAMP) ## create .venv with every dependency and register the Jupyter kernel

run: $(STAMP) ## run the whole pipeline (data/raw/, or the example corpus when it is empty); RUN_ARGS="--only 20"
	$(BIN)/python -m helpers run $(RUN_ARGS)

test: $(STAMP) ## lint, then the test suite (includes real papermill runs of the whole pipeline)
	$(BIN)/ruff check src tests notebooks scripts
	bash scripts/with_temp_home.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff over code, tests and notebooks
	$(BIN)/ruff check src tests notebooks scripts

lab: $(STAMP) ## open the notebooks in JupyterLab with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

bench: bench-ingest bench-themes bench-positions ## all speed/memory benchmarks (minutes; prints figures)

bench-ingest: $(STAMP) ## ingest throughput on 2,000 PDF pages and 10,000 text files
	bash scripts/with_temp_home.sh $(BIN)/python scripts/bench_ingest.py

bench-themes: $(STAMP) ## themes at 10k/100k/1M paragraphs (add BERTopic: BENCH_ARGS="--bertopic /tmp/bt/bin/python")
	bash scripts/with_temp_home.sh $(BIN)/python scripts/bench_themes.py $(BENCH_ARGS)

bench-positions: $(STAMP) ## positions for 10,000 submissions
	bash scripts/with_temp_home.sh $(BIN)/python scripts/bench_positions.py

clean-outputs: ## delete generated tables, figures and runs (they are all re-made by `make run`)
	rm -rf data/processed/* runs figures/*/ figures/manifest.csv
	git checkout -- data/processed/README.md figures/README.md 2>/dev/null || true
