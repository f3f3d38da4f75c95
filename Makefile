# mains — every set-up step lives here; see README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# What `make demo`/`make serve` print and every link or QR code made while serving point at
# the port served, unless the operator set PUBLIC_BASE_URL (environment or command line).
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
export PUBLIC_BASE_URL
PYTEST_ARGS ?=

.PHONY: demo serve test lint install install-dev assets system-deps migrations-check messages clean bench bench-telemetry bench-outage bench-kpis

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null || $(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed assets
install-dev: $(VENV)/.installed-dev assets

# Front-end assets come from the npm registry at install time, pinned by package-lock.json.
static/vendor/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/echarts static/vendor/bootstrap-icons
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/
	touch $@

assets: static/vendor/.built

# Browser tests need Debian's chromium; notice boards need the CJK fonts. Root may install them.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$$missing fonts-noto-cjk"; \
	ldconfig -p | grep -q libpangoft2-1.0.so.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (apt-get install$$missing)"; exit 1; fi; \
	fi

demo: install
	@$(MAKE) --no-print-directory system-deps || echo "(notice-board PDFs need fonts-noto-cjk and pango)"
	$(BIN)/mains migrate --noinput
	$(BIN)/mains demo build
	$(MAKE) --no-print-directory serve

serve: install
	@$(BIN)/mains demo logins
	@mkdir -p staticfiles var
	@echo "Serving mains at http://127.0.0.1:$(PORT)  (Ctrl+C stops it)"
	@echo "Residents' links and QR codes point at $(PUBLIC_BASE_URL)"
	@$(BIN)/mains run_huey --workers 2 >var/huey.log 2>&1 & huey=$$!; \
	trap "kill $$huey 2>/dev/null" EXIT; \
	$(BIN)/mains runserver --noreload 127.0.0.1:$(PORT)

migrations-check: $(VENV)/.installed
	$(BIN)/mains makemigrations --check --dry-run

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check mains tests benchmarks
	$(BIN)/ruff format --check mains tests benchmarks
	$(BIN)/mypy mains
	$(BIN)/lint-imports

test: install-dev system-deps migrations-check
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m benchmarks.pages

# The network watch's figures (docs/benchmarks.md): ingestion, back-test at scale, leak detection.
bench-telemetry: install-dev
	$(BIN)/python -m benchmarks.telemetry_ingest
	$(BIN)/python -m benchmarks.telemetry_compaction
	$(BIN)/python -m benchmarks.backtest_scale
	$(BIN)/python -m benchmarks.leaks

# Orders through the API for 60 s while a PostgreSQL of its own restarts (docs/benchmarks.md).
bench-outage: install-dev
	$(BIN)/python -m benchmarks.api_outage

# The KPI page and the order list at 100,000 and 1,000,000 orders, SQLite and PostgreSQL
# (docs/benchmarks.md). Each size has a database of its own, reused when it holds that city.
KPI_BENCH_PG ?= postgres://postgres@127.0.0.1:5432/mains_bench_kpis
KPI_BENCH_SIZES ?= 100000 1000000
bench-kpis: install-dev
	@mkdir -p data
	@for n in $(KPI_BENCH_SIZES); do \
	  SQLITE_PATH=data/bench-kpis-$$n.sqlite3 $(BIN)/python -m benchmarks.kpis --orders $$n || exit 1; \
	  DATABASE_URL=$(KPI_BENCH_PG)_$$n $(BIN)/python -m benchmarks.kpis --orders $$n || exit 1; \
	done

messages: $(VENV)/.installed
	$(BIN)/mains makemessages -l zh_Hans --no-obsolete -i '.venv/*' -i 'node_modules/*' -i 'static/*' -i 'staticfiles/*' -i 'tests/*' -i 'benchmarks/*'
	$(BIN)/mains compilemessages -i .venv -i node_modules

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
