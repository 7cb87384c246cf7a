# Operational Alignment Toolkit — the two commands a new user needs:
#   make demo   set up .venv and produce the demo clients' assessment decks
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= reports

.PHONY: demo test lab setup clean bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/alignment validate client_data
	$(BIN)/alignment batch client_data --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

# JupyterLab refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/explore.ipynb $(ROOT_FLAG) \
		--ContentsManager.pre_save_hook=toolkit.explore.lab.scrub_on_save

bench: $(STAMP)
	$(BIN)/python benchmarks/intake.py
	$(BIN)/python benchmarks/metrics.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/explore.py
	$(BIN)/python benchmarks/privacy.py
	$(BIN)/python benchmarks/batch.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
