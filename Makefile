# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
# Both create the virtual environment (.venv) when it is missing.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# A Python >= 3.12 found by itself: PYTHON=... wins, then python3.13/3.12 on PATH,
# then pyenv's versions, then plain python3 if it is new enough.
FIND_PYTHON = for c in $(PYTHON) python3.13 python3.12 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV) python3; do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$c; exit 0; fi; done; exit 1

.PHONY: run test test-fast venv clean dashboard solara-cdn bench translations

$(STAMP): pyproject.toml
	@py=$$($(FIND_PYTHON)) || { echo "error: no Python >= 3.12 found (Mesa 3.5 needs it). Install one (e.g. 'pyenv install 3.12') or run 'make PYTHON=/path/to/python3.12 ...'." >&2; exit 2; }; \
	echo "using $$py ($$($$py --version))"; \
	test -x $(PY) || $$py -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

# The main job: the key scenarios side by side with common random numbers, each over the same 24 draws
# from the bundled posterior (parameter uncertainty; calibrations/netherlands).
KEY_SCENARIOS := scenarios/no_team.toml scenarios/current_practice.toml scenarios/recommended.toml scenarios/full_mandate.toml

run: $(STAMP)
	$(VENV)/bin/wijkteam compare $(KEY_SCENARIOS) --posterior --draws 24 --report --out results/key-scenarios

test: $(STAMP)
	$(PY) -m pytest -q

# The suite without the slow behavioural calibration tests (marked `slow`); `make test` runs all.
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

# The dashboard on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it). Its web files are fetched
# once from npm into Solara's cache in the venv (see docs/dashboard-offline-notes.md).
PORT ?= 8765

dashboard: $(STAMP)
	$(VENV)/bin/wijkteam dashboard --port $(PORT)

solara-cdn: $(STAMP)
	$(PY) -c "from dashboards.serve import fill_cdn_cache; print(fill_cdn_cache())"

# Speed benchmarks (not tests): issue 16's goals as ratios to the shared anchors (../shared/bench),
# the first call's compile time apart, scaling to 100,000 residents, the dashboard step, where a
# week goes, the executors; writes results/benchmarks/report.md (about 5 minutes;
# 'make bench BENCH_ARGS=--quick' for a shorter check that they all run).
BENCH_ARGS ?=

bench: $(STAMP)
	$(PY) benchmarks/run_all.py --out results/benchmarks $(BENCH_ARGS)

# Translations (Babel): extract the English messages of each domain, merge them into the Dutch
# catalogues (translations/nl/LC_MESSAGES/*.po; translate the new, empty ones there) and compile
# the .mo files the programs read. Domains: reports (experiments/), dashboard (dashboards/).
BABEL := $(VENV)/bin/pybabel
TRANSLATIONS := translations

translations: $(STAMP)
	$(BABEL) extract -F $(TRANSLATIONS)/babel.cfg -k N_ -k tr --no-location --sort-output -o $(TRANSLATIONS)/reports.pot experiments
	$(BABEL) extract -F $(TRANSLATIONS)/babel.cfg -k N_ -k tr --no-location --sort-output -o $(TRANSLATIONS)/dashboard.pot dashboards
	for domain in reports dashboard; do \
	  if [ -f $(TRANSLATIONS)/nl/LC_MESSAGES/$$domain.po ]; then \
	    $(BABEL) update --no-fuzzy-matching --ignore-obsolete -D $$domain -i $(TRANSLATIONS)/$$domain.pot -d $(TRANSLATIONS) -l nl; \
	  else $(BABEL) init -D $$domain -i $(TRANSLATIONS)/$$domain.pot -d $(TRANSLATIONS) -l nl; fi; \
	  $(BABEL) compile --use-fuzzy -D $$domain -d $(TRANSLATIONS) -l nl; \
	done

clean:
	rm -rf $(VENV) .pytest_cache
