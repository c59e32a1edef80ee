# One command per task, the same for people and CI. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# Extra pip flags for the install (CI passes --no-cache-dir so that nothing cached on the machine
# can stand in for the registry).
PIP_INSTALL_FLAGS ?=
# The suite runs on two processes (pytest-xdist): the browser sweep waits on Chromium as much as
# it computes. TEST_WORKERS=0 runs everything in this process (debugging, -x, pdb).
TEST_WORKERS ?= 2

.PHONY: run test lint format worker demo migrate messages lock bench bench-booking bench-waitingroom jobs clean

# The venv is rebuilt when the dependency lists change.
$(BIN)/.installed: pyproject.toml requirements/constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PYTHON) requirements/check_lock.py
	$(BIN)/python -m pip install --quiet $(PIP_INSTALL_FLAGS) --upgrade pip
	$(BIN)/python -m pip install --quiet $(PIP_INSTALL_FLAGS) -c requirements/constraints.txt -e '.[dev]'
	touch $@

.env:
	cp .env.example .env

var:
	mkdir -p var/mail var/static

migrate: $(BIN)/.installed .env var
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) load_demo

run: demo
	@echo "Guichet: http://127.0.0.1:$(PORT)/fr/  (English: http://127.0.0.1:$(PORT)/en/)"
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(MANAGE) runserver 127.0.0.1:$(PORT)

worker: migrate
	TASKS_BACKEND=database $(MANAGE) run_worker

test: $(BIN)/.installed .env var
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(BIN)/.installed .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed.
messages: $(BIN)/.installed .env
	$(MANAGE) makemessages --locale en --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'
	$(MANAGE) compilemessages --locale en --ignore '.venv/*'

# Re-pin the whole dependency tree after editing pyproject.toml. `pip list --format=freeze`
# writes `name==version` for every package, however it was installed (`pip freeze` writes
# `name @ file://…` for a wheel found on disk, which no other machine has); then the lock is checked.
lock:
	rm -rf /tmp/guichet-lock && $(PYTHON) -m venv /tmp/guichet-lock
	/tmp/guichet-lock/bin/pip install --quiet --no-cache-dir -e '.[dev]'
	/tmp/guichet-lock/bin/pip list --format=freeze --exclude-editable \
	  | grep -v -i -E '^(pip|setuptools|wheel)==' | LC_ALL=C sort -f > requirements/constraints.txt
	$(PYTHON) requirements/check_lock.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

bench: migrate
	$(BIN)/python bench/bench_pages.py

# Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/guichet_bench);
# the database is dropped and re-created.
bench-booking: $(BIN)/.installed
	$(BIN)/python bench/bench_booking.py --workers 3 --threads 1

# Needs PostgreSQL and Redis (BENCH_DATABASE_URL, default …/guichet_bench_wr, dropped and
# re-created; BENCH_REDIS_URL, default redis://127.0.0.1:6379/12, emptied). About 10 minutes.
bench-waitingroom: $(BIN)/.installed
	$(BIN)/python bench/bench_waitingroom.py

jobs: migrate
	$(MANAGE) recover_tasks
	$(MANAGE) deliver_events
	$(MANAGE) run_appointment_jobs
	$(MANAGE) run_dossier_jobs
	$(MANAGE) run_payment_jobs
	$(MANAGE) run_waiting_room
	$(MANAGE) run_intake_jobs
	$(MANAGE) run_commitment_jobs
	$(MANAGE) run_complaint_jobs
