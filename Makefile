# vwnw-evaluation: `make report` and `make test` are all a newcomer needs.
# The environment is a virtualenv in .venv built from the pinned, hashed requirements.lock.

PYTHON_BOOT ?= python3.11
VENV        := .venv
PY          := $(VENV)/bin/python
UV          := $(VENV)/bin/uv
STAMP       := $(VENV)/.installed
JOBS        ?= 2
REPORT_JOBS ?= auto
ARGS        ?=

.DEFAULT_GOAL := help
.PHONY: help env report test test-fast verify bench lab lock clean clean-env synthetic codebook browser-test browser-deps

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON_BOOT) >/dev/null || { echo "error: $(PYTHON_BOOT) not found; install Python 3.11 or run make PYTHON_BOOT=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-input "uv==0.13.9"
	$(UV) pip sync --python $(PY) --compile-bytecode --require-hashes requirements.lock
	$(UV) pip install --python $(PY) --compile-bytecode --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name vwnw-evaluation --display-name "Python (vwnw-evaluation)" >/dev/null
	touch $(STAMP)

env: $(STAMP) ## Create or update the environment (.venv from requirements.lock)

report: $(STAMP) ## Run every notebook (papermill), publish HTML to reports/html/ (unchanged notebooks are skipped)
	$(PY) -m analysis report -j $(REPORT_JOBS) $(ARGS)

test: $(STAMP) browser-deps report ## Full test suite: notebook runs, and reports/html checked in headless Chromium
	$(PY) -m pytest -n $(JOBS) --dist loadfile $(ARGS)

test-fast: $(STAMP) ## Tests without notebook executions or large simulations
	$(PY) -m pytest -m "not slow and not browser" $(ARGS)

verify: $(STAMP) ## Rerun everything into a temporary folder and compare with reports/ byte for byte
	$(PY) -m analysis verify

bench: $(STAMP) ## Benchmarks: report run vs floor and naive loop, scaling to 1,000,000 participants
	$(PY) benchmarks/report_run.py
	$(PY) benchmarks/run.py $(ARGS)

browser-test: $(STAMP) browser-deps report ## Check reports/html in headless Chromium (installs Debian's chromium if missing)
	$(PY) -m pytest -m browser -p no:xdist $(ARGS)

browser-deps: ## Install Debian's chromium and chromium-driver if missing (root or sudo)
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	echo "installing Debian's chromium and chromium-driver for the browser test"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	  --no-install-recommends chromium chromium-driver >/dev/null

lab: $(STAMP) ## Start JupyterLab with the project's kernel "Python (vwnw-evaluation)"
	$(VENV)/bin/jupyter lab --notebook-dir=.

synthetic: $(STAMP) ## Regenerate data/raw/pilot_participants_synthetic.csv (seeded)
	$(PY) -m analysis synthetic

codebook: $(STAMP) ## Regenerate the codebook data/raw/README.md from the schemas
	$(PY) -m analysis codebook > data/raw/README.md

lock: ## Re-pin requirements.lock from pyproject.toml (needs network)
	$(UV) pip compile pyproject.toml --extra test --extra browser --python-version 3.11 --generate-hashes -o requirements.lock

clean: ## Remove generated outputs (reports/, data/processed/), keep the environment and raw data
	rm -rf reports
	find data/processed -mindepth 1 ! -name README.md -delete
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +

clean-env: ## Remove the environment too
	rm -rf $(VENV)
