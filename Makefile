# nisba: the ML engineer's front door. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
NISBA := $(BIN)/nisba

# No model hub and no dataset hub here: fail fast instead of waiting on a network.
export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TOKENIZERS_PARALLELISM := false

# Where things go (all git-ignored).
ARTIFACTS ?= artifacts
DATA ?= $(ARTIFACTS)/data
MODEL ?= $(ARTIFACTS)/model
REPORT ?= $(ARTIFACTS)/report
PRETRAINED ?= .nisba/pretrained
TRAIN_CONFIG ?= configs/train.yaml
TRAIN_ARGS ?=
PROJECT ?= nisba Arabic news
ACCELERATE_CONFIG ?=
PYTEST_ARGS ?=

help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.installed ## create .venv with nisba and its ML stack (torch CPU 2.13.0)

labelstudio: venv ## start the embedded Label Studio on 127.0.0.1:8080 (installs it in its own venv first time)
	$(NISBA) server start

labelstudio-stop: venv ## stop the Label Studio that nisba started
	$(NISBA) server stop

test: venv ## run every test; integration tests start their own Label Studio on a free port
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: venv ## unit tests only (no server, no training)
	$(BIN)/python -m pytest -m "not integration and not slow" $(PYTEST_ARGS)

DEMO_GOLD_DOCS ?= 120
DEMO_TRAIN_ARGS ?= epochs=3

demo: venv ## the whole loop on the embedded Label Studio: import, pull, train, evaluate, pre-annotate
	@start=$$(date +%s); set -e; \
	$(NISBA) server start; \
	$(NISBA) project create --title "$(PROJECT)"; \
	$(NISBA) import --project "$(PROJECT)" tests/fixtures/seed_gold.json; \
	$(NISBA) import --project "$(PROJECT)" --corpus newsfane --with-annotations --limit $(DEMO_GOLD_DOCS); \
	$(NISBA) import --project "$(PROJECT)" --corpus newsfane; \
	$(NISBA) pull --project "$(PROJECT)" --out $(DATA); \
	$(NISBA) pretrain --out $(PRETRAINED); \
	$(NISBA) train --data $(DATA) --out $(MODEL) --config $(TRAIN_CONFIG) model=$(PRETRAINED) $(DEMO_TRAIN_ARGS); \
	$(NISBA) evaluate --model $(MODEL) --data $(DATA) --split test --report $(REPORT); \
	$(NISBA) predict --model rules --project "$(PROJECT)" --only-unlabeled; \
	$(NISBA) predict --model $(MODEL) --project "$(PROJECT)" --only-unlabeled; \
	$(NISBA) demo-summary --project "$(PROJECT)" --report $(REPORT); \
	echo "make demo took $$(( $$(date +%s) - start )) s"

pull: venv ## pull the project's annotations into a DatasetDict at $(DATA)
	$(NISBA) pull --project "$(PROJECT)" --out $(DATA)

export: venv ## export the pulled gold dataset as parquet, jsonl and conll next to $(DATA)
	for f in parquet jsonl conll; do $(NISBA) export --data $(DATA) --format $$f || exit 1; done

agreement: venv ## agreement between annotators on the pulled dataset
	$(NISBA) agreement --data $(DATA)

pretrain: venv ## build the offline default model (tokenizer + small encoder, MLM on the corpora); cached
	$(NISBA) pretrain --out $(PRETRAINED)

train: venv ## fine-tune on $(DATA) into $(MODEL); ACCELERATE_CONFIG=file runs under accelerate launch
ifeq ($(ACCELERATE_CONFIG),)
	$(NISBA) train --data $(DATA) --out $(MODEL) --config $(TRAIN_CONFIG) $(TRAIN_ARGS)
else
	$(BIN)/accelerate launch --config_file $(ACCELERATE_CONFIG) $(NISBA) train --data $(DATA) --out $(MODEL) --config $(TRAIN_CONFIG) $(TRAIN_ARGS)
endif

evaluate: venv ## evaluate $(MODEL) on the test split of $(DATA); report in $(REPORT)
	$(NISBA) evaluate --model $(MODEL) --data $(DATA) --split test --report $(REPORT)

predict: venv ## push $(MODEL)'s predictions into the project as pre-annotations (unlabelled tasks)
	$(NISBA) predict --model $(MODEL) --project "$(PROJECT)" --only-unlabeled

next: venv ## list the 50 least confident unlabelled tasks (active learning)
	$(NISBA) next --project "$(PROJECT)" --n 50

serve: venv ## serve $(MODEL) as a Label Studio ML backend on 127.0.0.1:9090
	$(NISBA) serve --model $(MODEL)

ui-check: venv ## open a pre-annotated task in headless Chromium, check RTL and regions, save a screenshot
	$(NISBA) ui-check --project "$(PROJECT)" --screenshot $(REPORT)/ui-check.png

bench: venv ## run the benchmarks; JSON and a table in artifacts/bench
	$(BIN)/python -m tests.benchmarks.run --out $(ARTIFACTS)/bench $(BENCH_ARGS)

clean: ## remove artifacts (keeps .venv, Label Studio data and the pretrained model)
	rm -rf $(ARTIFACTS)

.PHONY: help venv labelstudio labelstudio-stop test test-fast demo pull export agreement pretrain train evaluate predict next serve ui-check bench clean
