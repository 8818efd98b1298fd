# vwnw-evaluation: `make report` and `make test` are all a newcomer needs.
# The environment is a virtualenv built with uv from the pinned, hashed, universal requirements.lock
# (Linux, macOS, Windows; Python 3.11-3.13). Any Python 3.11, 3.12 or 3.13 will do: the first found on
# the PATH, or the one named with PYTHON=3.12 (on the PATH or installed with pyenv) or PYTHON=/path/to/python.
# VENV names the environment folder, so two can live side by side: make test PYTHON=3.13 VENV=.venv-3.13

PYTHON      ?=
VENV        ?= .venv
PY          := $(VENV)/bin/python
UV          := $(VENV)/bin/uv
STAMP       := $(VENV)/.installed
KERNEL      := vwnw-evaluation
KERNEL_SHOW := Python (vwnw-evaluation)
JOBS        ?= 2
REPORT_JOBS ?= auto
ARGS        ?=
# JupyterLab refuses to start as root unless told to (containers, CI)
ALLOW_ROOT  := $(if $(filter 0,$(shell id -u)),--allow-root,)
# with PYTHON= given, an existing $(VENV) must have been built with that Python version
PY_CHECK    := $(if $(strip $(PYTHON)),python-check,)

# Python may cache the bytecode of the project's own code (src/, tests/, pytest's rewritten tests) even
# where the machine sets PYTHONDONTWRITEBYTECODE: the libraries' bytecode is compiled at install (uv
# --compile-bytecode), but without this every kernel, command and pytest worker compiled the project's
# 140 modules again (0.7 s of CPU per kernel, 6 s per pytest worker; git ignores __pycache__/)
export PYTHONDONTWRITEBYTECODE :=

.DEFAULT_GOAL := help
.PHONY: help env report test test-audit test-scale test-fast test-portable lint verify bench lab kernel lock clean clean-env synthetic exhibits codebook \
        browser-test browser-deps python-check pdf

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-13s %s\n", $$1, $$2}'

python-check:
	@want=$$(tools/find-python $(PYTHON)) || exit 1; \
	[ -x $(PY) ] || exit 0; \
	v() { "$$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }; \
	if [ "$$(v $(PY))" != "$$(v $$want)" ]; then \
	  echo "error: $(VENV) was built with Python $$(v $(PY)), not $$(v $$want) (PYTHON=$(PYTHON)). Give the environment"; \
	  echo "  its own folder (make VENV=.venv-$$(v $$want) PYTHON=$(PYTHON) ...) or rebuild this one (make clean-env)."; exit 1; fi

# uv itself, pinned by hash, installed into the environment with the Python's own pip
$(UV): tools/uv-requirements.txt | $(PY_CHECK)
	@py=$$(tools/find-python $(PYTHON)) || exit 1; \
	if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$py"; "$$py" -m venv $(VENV) || exit 1; fi; \
	$(PY) -m pip install --quiet --disable-pip-version-check --no-input --require-hashes \
	  -r tools/uv-requirements.txt >$(VENV)/uv-install.log 2>&1 || { cat $(VENV)/uv-install.log; exit 1; }

$(STAMP): requirements.lock pyproject.toml | $(PY_CHECK) $(UV)
	@start=$$(date +%s); log=$(VENV)/install.log; \
	{ $(UV) pip sync --python $(PY) --compile-bytecode --require-hashes requirements.lock && \
	  $(UV) pip install --python $(PY) --compile-bytecode --no-deps -e . && \
	  $(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "$(KERNEL_SHOW)"; } >$$log 2>&1 \
	  || { cat $$log; echo "error: building $(VENV) failed (this output is kept in $$log)"; exit 1; }; \
	n=$$($(UV) pip list --python $(PY) --format freeze 2>/dev/null | wc -l | tr -d ' '); \
	echo "environment $(VENV) ready: Python $$($(PY) -c 'import platform; print(platform.python_version())')," \
	     "$$n packages (requirements.lock), $$(( $$(date +%s) - start )) s; details in $$log"
	@touch $(STAMP)

env: $(STAMP) ## Create or update the environment (.venv, or VENV=..., from requirements.lock)

report: $(STAMP) ## Run every notebook (papermill), publish HTML to reports/html/ (unchanged notebooks are skipped)
	$(PY) -m analysis report -j $(REPORT_JOBS) $(ARGS)

test: $(STAMP) lint report ## Lint, then the test suite without the tests of tests/deep_tests.txt and the heavy audits (make test-audit)
	$(PY) -m pytest -n $(JOBS) --dist loadfile -m "not audit and not heavy and not scale and not deep" $(ARGS)

# worksteal, not loadfile: the audits are a few tests of 1 to 4 minutes each, and by file one core sat idle
# for minutes (CI: 8.4 min of CPU in 5.9 min on 2 cores)
test-audit: $(STAMP) browser-deps report ## The deep tests (tests/deep_tests.txt: every page in Chromium, reports in temporary projects), the heavy intruder audits and the runner's kill tests; CI runs them
	$(PY) -m pytest -n $(JOBS) --dist worksteal -m "(audit or heavy or deep) and not scale" $(ARGS)

test-scale: $(STAMP) ## Audits at a size where more is published (minutes of CPU each; not in CI)
	$(PY) -m pytest -n $(JOBS) --dist worksteal -m scale $(ARGS)

test-fast: $(STAMP) ## Tests without notebook executions, large simulations or the browser
	$(PY) -m pytest -n $(JOBS) --dist loadfile -m "not slow and not browser" $(ARGS)

# The part of the suite where the Python version itself can change a result: the standard library's
# readers (csv, zipfile, xml, datetime) on the hostile corpus and the exports, the paths and files a
# command writes, the runner's processes and signals. CI runs it (with make report, compared byte for
# byte) on a second Python version; the rest runs there only through the report.
PORTABLE_TESTS = tests/test_hostile_corpus.py tests/test_validation.py tests/test_mapping.py \
	tests/test_mapping_export_route.py tests/test_history_input.py tests/test_sheet_rows.py tests/test_inspect.py \
	tests/test_write_targets.py tests/test_runner.py tests/test_runner_hostile.py \
	tests/test_cli_terminal_and_system_paths.py tests/test_processed.py tests/test_validate_once.py tests/test_environment.py
test-portable: $(STAMP) ## The fast tests of what a Python version can change (readers, files, processes): CI's second version
	$(PY) -m pytest -n $(JOBS) --dist loadfile -m "not slow and not browser" $(PORTABLE_TESTS) $(ARGS)

lint: $(STAMP) ## ruff check of the code and notebooks (rules in pyproject.toml); the layer contracts (.importlinter)
	$(VENV)/bin/ruff check --output-format concise .
	$(VENV)/bin/lint-imports --no-cache --no-logo .importlinter

verify: $(STAMP) ## Rerun everything into a temporary folder and compare with reports/ byte for byte
	$(PY) -m analysis verify

bench: $(STAMP) ## Benchmarks (docs/performance.md): report run vs its floor; the report's path at N = 30 to 2,000,000; the gate against N
	$(PY) benchmarks/report_run.py $(BENCH_REPORT_ARGS)
	$(PY) benchmarks/gate_scaling.py
	$(PY) benchmarks/run.py $(ARGS)

browser-test: $(STAMP) browser-deps report ## Check reports/html in headless Chromium
	$(PY) -m pytest -m browser -p no:xdist $(ARGS)

pdf: $(STAMP) browser-deps ## Print every published page to reports/pdf/ (A4) with the browser test's Chromium
	$(PY) tests/print_pages.py $(ARGS)

browser-deps: $(STAMP) ## Find Chromium; as root on Debian/Ubuntu install it with apt-get if missing (never sudo)
	@$(PY) tests/chromium.py --quiet && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium and chromium-driver for the browser test (apt-get, once)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends chromium chromium-driver >/dev/null; } || $(PY) tests/chromium.py || true; \
	else $(PY) tests/chromium.py || true; fi

lab: $(STAMP) ## Start JupyterLab with the project's kernel "Python (vwnw-evaluation)" (as root too)
	$(VENV)/bin/jupyter lab --notebook-dir=. $(ALLOW_ROOT) $(ARGS)

kernel: $(STAMP) ## Register the kernel "Python (vwnw-evaluation)" for your user: any JupyterLab can then run the notebooks
	@$(PY) -m ipykernel install --user --name $(KERNEL) --display-name "$(KERNEL_SHOW)"
	@echo "  it runs $(abspath $(PY)); remove it with: jupyter kernelspec remove $(KERNEL)"

synthetic: $(STAMP) ## Regenerate data/raw/pilot_participants_synthetic.csv (seeded)
	$(PY) -m analysis synthetic

exhibits: $(STAMP) ## Regenerate docs/exhibits.md, the list of every published table and figure, from reports/
	$(PY) -m analysis.pipeline.exhibits > docs/exhibits.md

codebook: $(STAMP) ## Regenerate the codebook data/raw/README.md from the schemas
	$(PY) -m analysis codebook > data/raw/README.md

lock: | $(UV) ## Re-pin requirements.lock (Linux, macOS, Windows; Python 3.11-3.13) and environment.yml (needs network)
	$(UV) pip compile pyproject.toml --universal --python-version 3.11 --extra test --extra browser \
	  -c tools/lock-constraints.txt \
	  --generate-hashes --quiet -o requirements.lock
	$(PY) tools/lock_tools.py wheels --uv $(UV)
	$(PY) tools/lock_tools.py environment > environment.yml.tmp && mv environment.yml.tmp environment.yml
	@echo "requirements.lock and environment.yml updated; run make env"

clean: ## Remove generated outputs (reports/, scratch/, data/processed/), keep the environment and raw data
	rm -rf reports scratch
	if [ -d data/processed ]; then find data/processed -mindepth 1 ! -name README.md -delete; fi
	find . -name __pycache__ -type d -prune -not -path './.venv*' -exec rm -rf {} +

clean-env: ## Remove the environment (.venv, or VENV=...) too
	rm -rf $(VENV)
