# Two set-up commands that work on a fresh machine (Python >= 3.10 with venv):
#   make run    install into .venv and normalize samples/ into out/samples.jsonl
#   make test   install into .venv with test dependencies and run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test install bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p out
	$(VENV)/bin/normalizer run samples/ -o out/samples.jsonl
	@echo "wrote out/samples.jsonl"

test: install
	$(PY) -m pytest

clean:
	rm -rf $(VENV) out .pytest_cache
