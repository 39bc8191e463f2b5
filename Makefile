# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app mediation
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test catalogs db benchmark translations clean

# Links in mails follow the address served (make run PORT=5400), unless set otherwise;
# served on every interface, they name this machine's own.
LINK_HOST = $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))

run: install catalogs db
	MEDIATION_PUBLIC_BASE_URL="$${MEDIATION_PUBLIC_BASE_URL:-http://$(LINK_HOST):$(PORT)}" \
	  $(FLASK) run --host $(HOST) --port $(PORT)

test: install-test catalogs
	$(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The .mo files are built, never committed.
catalogs: install
	$(FLASK) translate compile

# Migrate, load the official communes (idempotent), seed the demo services the first time.
db: install
	$(FLASK) init-db
	$(FLASK) load-communes
	$(FLASK) seed-demo --if-empty

translations: install
	$(FLASK) translate update

benchmark: install-test catalogs
	$(PY) benchmarks/bench_gazetteer.py

clean:
	rm -rf $(VENV) instance/mediation.sqlite translations/*/LC_MESSAGES/*.mo
