# The two commands of the README: `make run` and `make test`.  Everything else is set-up
# they need; each step is idempotent, so running them again is cheap.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test db demo

run: install db demo  ## start the service on http://127.0.0.1:5000 with the demo survey
	@echo "Respondent links are above; the service is starting on http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

test: install-test  ## run the whole test suite (SQLite, or DATABASE_URL)
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changed (stamp files).
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt tests/requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r tests/requirements.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-test: $(VENV)/.test-installed

db: install
	$(FLASK) db upgrade

demo: db
	PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(FLASK) demo --sample-answers 150
