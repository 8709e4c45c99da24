# qingnong: `make demo` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo demo-data serve test test-sqlite test-postgres test-browser lock check clean bench load

# The venv is rebuilt when the lock file changes.
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

install: $(VENV)/.installed

# A development checkout's settings (git-ignored; settings.py reads it, production has none):
# DEBUG on and a key of its own, so `.venv/bin/qingnong …` works without exporting anything.
.env:
	@printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "已写入开发用 .env（DEBUG=1 与随机 SECRET_KEY）"

demo-data: install .env
	$(BIN)/qingnong migrate --noinput -v0
	$(BIN)/qingnong demo

demo: demo-data
	@echo
	@echo "青农台帐已启动：http://$(HOST):$(PORT)/  （Ctrl+C 停止）"
	$(BIN)/qingnong runserver $(HOST):$(PORT)

serve: install .env
	$(BIN)/qingnong runserver $(HOST):$(PORT)

# The whole suite: SQLite, then PostgreSQL, then the browser tests.
test: install
	bash scripts/test.sh

test-sqlite: install
	bash scripts/test.sh sqlite

test-postgres: install
	bash scripts/test.sh postgres

test-browser: install
	bash scripts/test.sh browser

# Benchmarks (not part of `make test`): synthetic city/province ledgers on SQLite and
# PostgreSQL (made once under var/bench/ and in qingnong_bench_* databases, then reused),
# scenarios vs hand-written baselines, HTTP load on loopback. Writes bench/RESULTS.md.
bench: install
	$(BIN)/python bench/run.py

# 50 users for 60 s (reads, weekly saves, 附件3 imports) on a copy of the PostgreSQL province
# database that `make bench` made; results into bench/load.json and RESULTS.md.
load: install
	bash -c 'source scripts/postgres.sh && $(BIN)/python bench/load.py'

check: install
	QINGNONG_TESTING=1 $(BIN)/qingnong makemigrations --check --dry-run
	QINGNONG_TESTING=1 $(BIN)/qingnong check

# Re-pin dependencies (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements-dev.lock

clean:
	rm -rf $(VENV) var test-artifacts
