# Layanan: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run` server (chosen by measurement: docs/performance.md). Override on the command line,
# e.g. `make run PORT=8080 WORKERS=3`. HOST=0.0.0.0 also needs ALLOWED_HOSTS (see README.md).
HOST ?= 127.0.0.1
PORT ?= 8000
# 2 x CPU cores + 1 processes, as measured; at most 9 so that a big laptop does not start dozens.
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 1); \
	w=$$((2 * n + 1)); [ $$w -gt 9 ] && w=9; echo $$w)
# Access log without query strings: a query may carry what a citizen typed (never log personal data).
ACCESS_LOG_FORMAT ?= %(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms
RUN_ENV = SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"
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
## (gunicorn, sync workers; the second run skips the install and starts in seconds)
run: $(STAMP)
	$(RUN_ENV) $(BIN)/layanan migrate --noinput
	$(RUN_ENV) $(BIN)/layanan collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/layanan load_regions --province 33 --verbosity 0
	$(RUN_ENV) $(BIN)/layanan load_demo
	@echo ""
	@echo "  Layanan is running at http://$(HOST):$(PORT)/  ($(WORKERS) workers; Ctrl+C to stop)"
	@echo ""
	$(RUN_ENV) exec $(BIN)/gunicorn layanan.wsgi:application --worker-class sync --workers $(WORKERS) \
		--bind $(HOST):$(PORT) --forwarded-allow-ips=127.0.0.1 --no-control-socket \
		--access-logfile - --access-logformat '$(ACCESS_LOG_FORMAT)'

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
