# ISCM Atlas tasks. Every target creates the virtual environment it needs, so on a fresh
# clone `make site` and `make test` are the only two commands anyone has to know.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The venv is rebuilt whenever the pinned requirements change.
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
# Dates in the built site come from the last commit, not the clock: two builds of one commit are identical.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.DEFAULT_GOAL := test
.PHONY: render site site-zensical serve validate new-case guide test browser bench mutation clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# our own package, editable, so hooks, macros, scripts and tests all import the same code
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## render: check the data and write the site as a plain docs tree into build/docs (only what changed)
render: $(STAMP)
	$(BIN)/python -m iscm_atlas.render

## site: render, then build the whole site into site/ with MkDocs and mkdocs-material (fails on any warning)
site: $(STAMP)
	$(BIN)/python -m mkdocs build --strict --clean

## site-zensical: render, then build the same site with Zensical into build/site-zensical/
site-zensical: $(STAMP)
	$(BIN)/python -m iscm_atlas.adapters.zensical_build

## serve: preview at http://127.0.0.1:8000; an edit to docs/, data/ or templates/ re-renders, and MkDocs
## rebuilds only the pages whose rendered Markdown changed (--dirty, which MkDocs warns about, hence --no-strict;
## data and page problems still stop it; restart after changing the navigation)
serve: $(STAMP)
	$(BIN)/python -m mkdocs serve --dirty --no-strict

## validate: check every data file and print each problem as path:line:col: message
validate: $(STAMP)
	$(BIN)/python scripts/validate.py

## new-case: scaffold a reference and a case file (asks questions; or pass options: make new-case ARGS="--help")
new-case: $(STAMP)
	$(BIN)/python scripts/new_case.py $(ARGS)

## guide: regenerate the field reference in CONTRIBUTING.md from data/schemas/ (a test checks it is current)
guide: $(STAMP)
	$(BIN)/python scripts/update_guide.py

## test: run the whole test suite (it builds real sites in temporary folders and drives a real browser)
test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

## bench: build and read at 1x, 10x and 100x the data (synthetic copies) and write BENCHMARKS.md
bench: $(STAMP) browser
	$(BIN)/python scripts/bench.py

## mutation: plant faults in the pure modules (mutmut, pinned in requirements-mutation.txt) and print how many the fast unit tests kill
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-mutation.txt
	$(BIN)/python scripts/mutation.py $(ARGS)

# The browser and HTML-validator tests need Debian's chromium and a Java runtime; install them
# where missing (as root, as on CI). Without them the suite fails rather than skipping those tests.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || \
	  { apt-get update -q && apt-get install -y -q --no-install-recommends chromium default-jre-headless; }

## clean: remove the rendered tree, the built site and the virtual environment
clean:
	rm -rf build site $(VENV)
