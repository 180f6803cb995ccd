# The README's two commands: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-libs demo serve test test-sqlite test-postgres e2e-browser lint format bench clean install-app

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Bytecode compiled once here: every `tochuc` command starts from it, even where the
# environment sets PYTHONDONTWRITEBYTECODE (docs/performance.md, "Khởi động dòng lệnh").
$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock Makefile
	$(BIN)/uv sync --frozen --inexact --quiet --compile-bytecode --python $(BIN)/python
	touch $@

install: $(VENV)/.synced system-libs
	@$(BIN)/python -m compileall -q -j 0 tochuc >/dev/null

# The demo needs only the application's libraries, not the dev group (playwright, locust,
# schemathesis…: 102 of the 171 MB of wheels): `make test` or `make install` adds them later
# (docs/performance.md, "Dựng bản demo trên một bản sao mới").
$(VENV)/.synced-app: $(BIN)/uv pyproject.toml uv.lock Makefile
	$(BIN)/uv sync --frozen --inexact --no-dev --quiet --compile-bytecode --python $(BIN)/python
	touch $@

install-app: $(VENV)/.synced-app system-libs
	@$(BIN)/python -m compileall -q -j 0 tochuc >/dev/null

# PDF documents (WeasyPrint) need Pango and HarfBuzz; Liberation Serif stands in for Times New Roman.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2
system-libs:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
	  echo "Installing $(SYSTEM_PACKAGES) for PDF documents…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null) \
	  || { echo "Cannot install $(SYSTEM_PACKAGES) (need root and Debian's packages)."; exit 1; }; }

# The demo runs as production does (DEBUG off: Vietnamese error pages, no traceback, static
# files served by WhiteNoise from var/static), over plain HTTP on this machine only.
DEMO_ENV := DEBUG=0 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0

# collectstatic (compressing every file: ~20 s of CPU) runs on the second core while the
# database is migrated and filled (docs/performance.md, "Dữ liệu mẫu").
demo: install-app
	@$(DEMO_ENV) $(BIN)/tochuc collectstatic --no-input -v 0 & STATIC=$$!; \
	  $(DEMO_ENV) $(BIN)/tochuc migrate --no-input -v 0 && $(DEMO_ENV) $(BIN)/tochuc demo; \
	  BUILT=$$?; wait $$STATIC && exit $$BUILT
	@echo "Mở http://$(HOST):$(PORT)/ và đăng nhập bằng một tài khoản ở bảng trên (Ctrl+C để dừng)."
	$(DEMO_ENV) BIN=$(BIN) scripts/serve-demo.sh $(HOST):$(PORT)

# Whole suite on SQLite and, when DATABASE_URL points at PostgreSQL, on PostgreSQL too: the
# two runs side by side, one per core, each with its own log (scripts/test-both.sh).
test: install e2e-browser
	@if [ -n "$$DATABASE_URL" ]; then MAKE="$(MAKE)" scripts/test-both.sh; \
	else echo "DATABASE_URL is not set: PostgreSQL run skipped (CI sets it)."; \
	  $(MAKE) --no-print-directory test-sqlite; fi

# Each run has its own var directory, Hypothesis database and pytest temporary directory, so
# that the two can run at once (`make test`).
TEST_ENV = TOCHUC_TESTING=1 TOCHUC_VAR_DIR=$(CURDIR)/var/test-$(1) \
  HYPOTHESIS_STORAGE_DIRECTORY=$(CURDIR)/var/test-$(1)/hypothesis
TEST_TMP = --basetemp=$(CURDIR)/var/test-$(1)/tmp

# The scope property runs 2,000 examples on SQLite (about four minutes), 200 on PostgreSQL.
test-sqlite: install
	@mkdir -p var/test-sqlite
	env -u DATABASE_URL $(call TEST_ENV,sqlite) \
	  HYPOTHESIS_SCOPE_EXAMPLES=$${HYPOTHESIS_SCOPE_EXAMPLES:-2000} \
	  $(BIN)/pytest $(call TEST_TMP,sqlite) $(PYTEST_ARGS)

test-postgres: install
	@mkdir -p var/test-postgres
	$(call TEST_ENV,postgres) $(BIN)/pytest $(call TEST_TMP,postgres) $(PYTEST_ARGS)

# The end-to-end test drives Debian's chromium; install it when it is missing.
e2e-browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing chromium for the end-to-end test…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Cannot install chromium (need root and Debian's packages)."; exit 1; }; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	TOCHUC_TESTING=1 $(BIN)/tochuc makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/tree.py

clean:
	rm -rf $(VENV) var
