# Chợ Phiên — developer commands. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
WEB_CONCURRENCY ?= 2
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
BOOTSTRAP := var/bootstrap
UV := $(shell command -v uv || echo $(BOOTSTRAP)/bin/uv)
PY := .venv/bin/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

.PHONY: help install run test serve worker worker-default worker-search demo-data bench lint typecheck schema \
	messages ci backup restore

help:
	@echo "make run        install, migrate, load demo data once, serve on 127.0.0.1:$(PORT)"
	@echo "make test       install and run the whole test suite"
	@echo "make serve      production-style gunicorn server"
	@echo "make worker     Celery workers: default queue + beat, and the search queue (one writer)"
	@echo "make backup     pg_dump + media archive into var/backups (see README)"
	@echo "make restore    BACKUP=var/backups/chophien-<stamp> RESTORE_CONFIRM=yes"
	@echo "make demo-data  (re)load the demo data"
	@echo "make bench      run the benchmarks in bench/"

$(BOOTSTRAP)/bin/uv:
	@mkdir -p var
	$(PYTHON_BIN) -m venv $(BOOTSTRAP)
	$(BOOTSTRAP)/bin/pip install --quiet uv

# Re-sync only when the lock file changes, so later runs start at once.
.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON_BIN)
	@touch $@

install: .venv/.synced

run: install
	@mkdir -p var
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo_data --if-empty
	$(MANAGE) search_reindex
	$(MANAGE) print_demo_accounts
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	@mkdir -p var
	$(PY) -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

serve: install
	@mkdir -p var
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) collectstatic --no-input -v 0
	PORT=$(PORT) WEB_CONCURRENCY=$(WEB_CONCURRENCY) .venv/bin/gunicorn -c backend/gunicorn_conf.py backend.wsgi:application

# Two processes: the default queue (e-mails, refunds, thumbnails through the outbox) with beat,
# and the search queue with concurrency 1 (one index writer). Ctrl-C stops both.
worker: install
	@trap 'kill 0' EXIT INT TERM; \
	$(MAKE) --no-print-directory worker-default & \
	$(MAKE) --no-print-directory worker-search & \
	wait

worker-default: install
	.venv/bin/celery -A backend worker --beat --loglevel INFO --concurrency 2 --queues celery \
		--hostname default@%h --schedule var/celerybeat-schedule

worker-search: install
	.venv/bin/celery -A backend worker --loglevel INFO --concurrency 1 --queues search --hostname search@%h

backup:
	bash ops/backup.sh

restore:
	bash ops/restore.sh

demo-data: install
	@mkdir -p var
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo_data
	$(MANAGE) search_reindex

bench: install
	@mkdir -p var
	$(PY) -m bench

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install
	.venv/bin/mypy

schema: install
	$(MANAGE) export_schema

messages: install
	$(MANAGE) makemessages -l vi --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(MANAGE) compilemessages -l vi --ignore '.venv/*'

ci:
	bash .ci/run
