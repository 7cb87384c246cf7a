# Operational Alignment Toolkit — the two commands a new user needs:
#   make demo   set up .venv and produce the demo clients' assessment decks
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= reports

.PHONY: demo test test-fast lint typecheck lint-counts lab setup clean bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/alignment validate client_data
	$(BIN)/alignment batch client_data --out $(OUT)

# Lint first, so a style or type error fails in seconds rather than after the suite.
test: lint
	$(BIN)/python -m pytest

# The quick loop: everything but notebooks, browsers and tests marked slow (tests/conftest.py marks the
# heavy files and does not even import a file all of whose tests are deselected). The hypothesis and
# anyio plugins are not loaded: only slow tests use them, and loading them costs seconds.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -p no:hypothesispytest -p no:anyio -m "not notebook and not browser and not slow"

# ruff (pyflakes, isort, pyupgrade, bugbear) on all Python, then mypy on the whole configured tree
# (pyproject.toml: toolkit/ --strict, tests/ and benchmarks/ leniently; all clean). `make test` runs lint
# first, so CI type-checks too.
lint: $(STAMP)
	$(BIN)/ruff check toolkit tests benchmarks
	$(BIN)/mypy

# mypy strict on toolkit/, lenient on tests and benchmarks (config in pyproject.toml).
typecheck: $(STAMP)
	$(BIN)/mypy

# Only the counts (after a merge: how much is left to clean); never fails.
lint-counts: $(STAMP)
	@$(BIN)/python tests/lint_counts.py

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
