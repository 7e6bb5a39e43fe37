# Two entry points (see README): `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve etl test test-fast lint docs bench clean-db chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)  ## schema + ETL of all bundled data into embedded Postgres, then the dashboard (gunicorn)
	$(BIN)/barometer up

serve: $(STAMP)  ## the dashboard alone (gunicorn) on the loaded database
	$(BIN)/barometer serve

etl: $(STAMP)
	$(BIN)/barometer etl run

test: $(STAMP) chromium  ## lint, the docs build, then every test (unit, integration against real Postgres, browser)
	$(BIN)/ruff check .
	$(BIN)/mkdocs build --strict
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)  ## the unit tier: lint, then tests that need no database, browser or process races
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not db and not browser and not slow"

docs: $(STAMP)  ## the documentation (docs/, mkdocs.yml) into site/; any warning fails it
	$(BIN)/mkdocs build --strict

chromium:  ## Debian's Chromium (browser tests), redis-server and nginx (cache and proxy tests, run for real), LibreOffice Impress (PowerPoint files opened for real), npm (the newest axe-core and Lighthouse)
	@# only what is missing: a Node.js from another source already brings npm, and Debian's npm conflicts with it
	@missing=""; \
	for pair in /usr/bin/chromium:"chromium chromium-driver" /usr/bin/redis-server:redis-server /usr/sbin/nginx:nginx \
	            /usr/bin/soffice:libreoffice-impress npm:npm; do \
	    command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	test -z "$$missing" || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; }

bench: $(STAMP)
	$(BIN)/python benchmarks/etl.py
	$(BIN)/python benchmarks/serve.py --busy 1
	$(BIN)/python benchmarks/follow.py --busy 1
	$(BIN)/python benchmarks/lighthouse.py

clean-db:
	-$(BIN)/barometer db stop
	rm -rf .pgdata
