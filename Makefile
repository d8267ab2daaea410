# One command for the main job, one for every test; both create .venv first if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# The AWS CLI (v1, from PyPI) pins docutils below 0.20 and Sphinx needs 0.20 or newer, so the
# tests' AWS CLI lives in a venv of its own; tests/test_steps.py runs it from there.
AWSCLI := $(VENV)/awscli/bin/aws

.PHONY: demo test docs lab samples bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("signin-lab needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(AWSCLI): $(STAMP)
	$(PYTHON) -m venv $(VENV)/awscli
	$(VENV)/awscli/bin/python -m pip install --quiet "awscli>=1.32"

## the whole pipeline on in-process moto, step by step
demo: $(STAMP)
	$(BIN)/signin-lab demo

## every test: unit, conformance, CLI, the executed notebooks (nbval), the docs site in Chromium
test: $(STAMP) $(AWSCLI)
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg

## the course book (Sphinx, MyST-NB, sphinx-book-theme) from the stored, executed notebooks into site/; executes nothing
docs: $(STAMP)
	$(BIN)/python -m signin_lab.cli docs build

## JupyterLab on the course notebooks
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

## regenerate data/sample_events from signin_lab.events.samples
samples: $(STAMP)
	$(BIN)/python -c 'from signin_lab.events.samples import write_samples; write_samples("data/sample_events")'

## re-execute every notebook in place (after changing the package)
notebooks: $(STAMP)
	$(BIN)/python -m signin_lab.cli docs execute

## speed: ratios against a baseline in the same run
bench: $(STAMP)
	$(BIN)/python benchmarks/filterpattern.py
	$(BIN)/python benchmarks/scan.py
	$(BIN)/python benchmarks/backtest.py
	$(BIN)/python benchmarks/notebooks.py

clean:
	rm -rf $(VENV) site build *.egg-info .pytest_cache .hypothesis
