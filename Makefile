# Two commands do all the set-up: `make run` (install + build the vector store + start the app)
# and `make test` (install + run the test suite). Both work on a fresh machine offline after
# the packages are installed: no model, data set or encoding is downloaded at run time.
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.sdsim-installed
PORT   ?= 8501

.PHONY: run test test-fast install browser postgres axe ingest lint clean

run: install
	$(VENV)/bin/sdsim app --port $(PORT)

# Lint first (CI fails on a lint finding), then the whole suite.
test: install browser postgres axe lint
	$(VENV)/bin/pytest -q

# Everything but the server, browser, wheel and whole-eval tests: a few minutes on two cores.
test-fast: install lint
	$(VENV)/bin/pytest -q -m "not server and not slow"

install: $(STAMP)

# torch is installed first and pinned, so pip takes the CPU build instead of pulling CUDA.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Debian's Chromium for the browser end-to-end test (no browser download by a test tool).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) \
		>/dev/null 2>&1 || echo "warning: could not install Debian chromium; browser tests will fail"; }

# Debian's PostgreSQL server binaries for the store tests: the suite starts its own throwaway
# server on loopback (tests/postgres.py); nothing is started or enabled system-wide here.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
		>/dev/null 2>&1 || echo "warning: could not install Debian postgresql; the PostgreSQL tests will fail"; }

# axe-core for the accessibility browser test, from npm at the locked version (tests/axe).
axe: tests/axe/node_modules/axe-core/axe.min.js

tests/axe/node_modules/axe-core/axe.min.js: tests/axe/package-lock.json
	cd tests/axe && npm ci --no-audit --no-fund --silent
	touch $@

ingest: install
	$(VENV)/bin/sdsim ingest

lint: install
	$(VENV)/bin/ruff check simulator tests benchmarks streamlit_app.py

clean:
	rm -rf $(VENV) .pytest_cache
