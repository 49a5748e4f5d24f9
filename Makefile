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

.PHONY: help venv labelstudio labelstudio-stop test test-fast
