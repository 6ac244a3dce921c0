# Layanan: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
STAMP := $(VENV)/.installed

.PHONY: run test install lint types layers migrations-check pytest serve clean messages

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo data and serve on http://$(HOST):$(PORT)
run: $(STAMP)
	$(BIN)/layanan migrate --noinput
	$(BIN)/layanan collectstatic --noinput --verbosity 0
	$(BIN)/layanan load_demo
	@echo ""
	@echo "  Layanan is running at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@echo ""
	$(BIN)/gunicorn layanan.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips=127.0.0.1

## make test: lint, types, import layers, migrations check, the whole test suite
test: $(STAMP) lint types layers migrations-check pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types:
	$(BIN)/mypy layanan tests conftest.py

layers:
	$(BIN)/lint-imports

migrations-check:
	$(BIN)/layanan makemigrations --check --dry-run

pytest:
	$(BIN)/pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

messages:
	cd layanan && ../$(BIN)/layanan makemessages -l id -l en --no-obsolete --ignore "*/tests/*"

clean:
	rm -rf $(VENV) var
