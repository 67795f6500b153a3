# Ibasho: `make demo` runs the app with a demo organisation; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/ibasho

.PHONY: demo install install-test test check test-sqlite test-postgres fuzz messages bench clean sbom audit-deps

demo: install
	$(BIN)/ibasho demo

install: $(BIN)/ibasho
	bash scripts/system-packages runtime
	$(BIN)/ibasho compilemessages --ignore=.venv -v0

$(BIN)/ibasho: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

install-test: install
	bash scripts/system-packages test
	$(BIN)/pip install -q -e '.[test]'

test: install-test check sbom audit-deps test-sqlite test-postgres fuzz

check:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ibasho bench
	$(BIN)/ibasho makemigrations --check --dry-run

test-sqlite:
	$(BIN)/pytest -q

test-postgres:
	eval "$$(bash scripts/ensure-postgres)" && DATABASE_URL=$${PG_URL_OVERRIDE:-$(PG_URL)} $(BIN)/pytest -q

# Every API operation, a few hundred generated requests each (the suite runs a quick pass), on
# PostgreSQL, the database that refuses what SQLite lets through.
fuzz:
	eval "$$(bash scripts/ensure-postgres)" && DATABASE_URL=$${PG_URL_OVERRIDE:-$(PG_URL)} \
	  IBASHO_FUZZ_EXAMPLES=$${IBASHO_FUZZ_EXAMPLES:-200} $(BIN)/pytest -q tests/test_api_fuzz.py

messages:
	$(BIN)/ibasho makemessages -l ja --no-location -i '.venv/*' -i 'var/*' \
	  -i 'ibasho/outreach/*' -i 'ibasho/programmes/*' -i 'ibasho/families/*' -i 'ibasho/outcomes/*' \
	  -i 'ibasho/lifecycle/*' -i 'ibasho/notifications/*' -i 'ibasho/exchange/*' -i 'ibasho/imports/*' \
	  -i 'ibasho/referrals/*' \
	  -i 'ibasho/provisions/*' -i 'ibasho/meetings/*'
	for app in outreach programmes families outcomes lifecycle notifications exchange imports provisions meetings referrals; do \
	  [ -d ibasho/$$app/locale ] && (cd ibasho/$$app && ../../$(BIN)/django-admin makemessages -l ja --no-location); \
	done; true

bench:
	$(BIN)/ibasho bench

# A CycloneDX bill of materials of the installed environment, for the reviewer and CI.
sbom:
	mkdir -p artifacts
	$(BIN)/cyclonedx-py environment --output-format JSON --output-file artifacts/sbom.cdx.json $(BIN)/python
	@echo "SBOM written to artifacts/sbom.cdx.json"

# Known vulnerabilities in the installed packages (pip-audit), when its database can be reached;
# without a network this prints a note and passes, so an offline CI run is not failed by it.
audit-deps:
	bash scripts/audit-deps $(BIN)

clean:
	rm -rf $(VENV) var artifacts
