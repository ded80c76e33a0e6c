# Two commands on a fresh machine: `make demo` and `make test`. Everything they need is
# installed here, into .venv, from PyPI.
# Python 3.12: spaCy's wheels for older Pythons are built with Cython profiling, under which its
# NER costs 2.4x and its parser 1.5x the CPU (BENCHMARKS.md, ingest speed). pyenv's 3.12 is taken where
# the pyenv shims offer another version.
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12.*/bin/python3.12) python3.12)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
# uv installs the packages: it downloads and unpacks them in parallel and compiles their
# bytecode on every core, where pip does each in turn (a fresh install: 6.7 min with pip, 4.1
# with uv, on the same loaded machine).

.PHONY: install demo test bench models clean browser postgres

install: $(STAMP)

$(STAMP): pyproject.toml
	$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null || (rm -rf $(VENV) && $(PYTHON) -m venv $(VENV))
	$(BIN)/python -m pip install -q uv==0.13.8
	$(BIN)/uv pip install -q --python $(BIN)/python --compile-bytecode -e '.[test,ray]'
	rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)
	$(BIN)/parallax demo

# Two workers (pytest-xdist): each takes half the suite in order and, when done, takes over half
# of what the other has left (worksteal), so a few long tests do not leave one worker idle at the
# end. The stores the tests share are built once per run (tests/conftest.py).
test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist worksteal

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
# (tests/test_quote_model.py, tests/test_compare_model.py) and of the furniture rules
# (tests/test_furniture_model.py): rebuild them after any change to what the annotators store or
# to clean/furniture.py's rules, and commit the files with that change.
models: $(STAMP)
	$(BIN)/python scripts/build_quote_model.py
	$(BIN)/python scripts/build_compare_model.py --write
	$(BIN)/python scripts/build_furniture_model.py --write

clean:
	rm -rf $(VENV) parallax-demo.db* build src/*.egg-info
