# Newsroom: `make run` sets everything up and serves the site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: install run serve test lint format migrate demo clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsroom needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo_setup
	$(BIN)/python manage.py import_pages --manifest fixtures/seeds/manifest.json --status published

# The background worker (photo renditions, PDF pages) runs beside the server and stops with it; the two share
# the page cache through files (newsroom/settings/dev.py), so the worker's purge reaches the server.
WORKER := $(BIN)/python manage.py db_worker --no-reload --verbosity 0

run: demo
	@export NEWSROOM_SHARED_DEV_CACHE=1; $(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

serve: demo
	$(BIN)/python manage.py collectstatic --noinput
	@export NEWSROOM_SHARED_DEV_CACHE=1 DJANGO_SETTINGS_MODULE=newsroom.settings.dev; $(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
