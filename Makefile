# Two commands on a fresh machine: `make demo` and `make test`. Everything they need is
# installed here, into .venv, from PyPI (torch, when a later stage needs it, from the CPU
# build on disk via `pip install torch==2.13.0`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: install demo test bench models clean browser postgres

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test,ray]'
	rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)
	$(BIN)/parallax demo

test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The web UI's end-to-end tests drive Debian's chromium through Playwright (never `playwright
# install`: nothing downloads a browser build of its own).
browser:
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver)

# The store suite runs on PostgreSQL too: the tests start a throwaway cluster of their own from
# Debian's server binaries (tests/conftest.py), so only the package is needed, no running service.
postgres:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql)

bench: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# The learned models the tests hold to be what their build scripts make of today's annotations
# (tests/test_quote_model.py, tests/test_compare_model.py): rebuild them after any change to what
# the annotators store, and commit the files with that change.
models: $(STAMP)
	$(BIN)/python scripts/build_quote_model.py
	$(BIN)/python scripts/build_compare_model.py --write

clean:
	rm -rf $(VENV) parallax-demo.db* build src/*.egg-info
