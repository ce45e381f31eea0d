# Two set-up commands that work on a fresh machine (Python >= 3.10 with venv):
#   make run    install the runtime into .venv (pip install -e .) and normalize samples/ into out/samples.jsonl
#   make test   install the runtime plus the test dependencies (pip install -e '.[dev]') and run the tests
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint install install-dev clean

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

# the runtime only: what `normalizer run` needs
$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet -e .
	touch $@

# the runtime plus pytest, hypothesis, jsonschema, pyarrow, warcio and Ray
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	mkdir -p out
	$(VENV)/bin/normalizer run samples/ -o out/samples.jsonl --overwrite
	@echo "wrote out/samples.jsonl"

test: install-dev
	$(PY) -m pytest

# ruff (pinned in the dev extras): lint rules and formatting as configured in pyproject.toml
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) out .pytest_cache
