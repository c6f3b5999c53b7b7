# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install bench clean chromium postgresql

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The shipped models need no torch. (For the experimental encoder models: `pip install torch==2.13.0`
	# first, the CPU build on this disk, then `.[encoder]`; a bare `torch` pulls a CUDA build.)
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/newsbrief highlights examples/article.txt

test: lint $(STAMP) chromium postgresql
	$(BIN)/python -m pytest

# The house rules as tools: ruff (lint and import order) over the code, tests and benchmarks; mypy over the
# public modules (pyproject.toml lists them).
lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

# The browser tests drive Debian's Chromium; install it when missing (CI starts on a fresh machine).
# Without apt or root the browser tests skip and say why.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; \
	  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get -o DPkg::Lock::Timeout=600 update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed and apt-get is not usable here: the browser tests will skip"; fi; }

# The archive tests start a throwaway PostgreSQL server (initdb/pg_ctl from Debian's postgresql package);
# install it when missing (waiting for a dpkg lock another install holds). In CI (CI=true) a missing PostgreSQL then fails those tests instead of skipping.
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql postgresql-contrib >/dev/null; \
	  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get -o DPkg::Lock::Timeout=600 update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql postgresql-contrib >/dev/null; \
	  else echo "PostgreSQL is not installed and apt-get is not usable here: the PostgreSQL archive tests will skip"; fi; }

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
