# The two commands of the README: `make run` and `make test`.  Everything else is set-up
# they need; each step is idempotent, so running them again is cheap.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
# constraints.txt pins every transitive dependency, so a fresh machine gets what CI tested.
PIP_INSTALL := $(BIN)/pip install --quiet -c constraints.txt

.PHONY: run test lint install install-test db demo constraints

run: install db demo  ## start the service on http://127.0.0.1:5000 with the demo survey
	@echo "Respondent links are above; the service is starting on http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

test: install-test  ## run the whole test suite (SQLite, or DATABASE_URL)
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

lint: install-test  ## ruff over the whole tree (settings in pyproject.toml); fails on any finding
	$(BIN)/ruff check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements or constraints file changed (stamp files).
$(VENV)/.runtime-installed: requirements.txt constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt tests/requirements.txt constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -r tests/requirements.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-test: $(VENV)/.test-installed

db: install
	$(FLASK) db upgrade

demo: db
	PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(FLASK) demo --sample-answers 150

# After changing a pin in a requirements file: install the requirement files into a throw-away
# venv without constraints, freeze it, then run `make test` and commit both files.
constraints:  ## regenerate constraints.txt from the requirement files (needs the package index)
	@tmp=$$(mktemp -d) && $(PYTHON) -m venv $$tmp && \
	$$tmp/bin/pip install --quiet -r tests/requirements.txt && \
	{ sed -n '1,2p' constraints.txt; $$tmp/bin/pip freeze; } > constraints.txt.new && \
	rm -rf $$tmp && mv constraints.txt.new constraints.txt && git diff --stat constraints.txt
