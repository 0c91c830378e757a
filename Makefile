# `make run` and `make test` each do all set-up on a fresh Debian/Ubuntu machine and are safe to repeat.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA_DIR ?=

.PHONY: run demo test bench load model-long postgres system-packages venv i18n screenshot clean

run: venv
	$(VENV)/bin/fx-desktop $(if $(DATA_DIR),--data-dir $(DATA_DIR))

# One worker per core, a test file's tests together in one worker (module fixtures, such as one fx-bureau for a file,
# are made once); every test has its own databases, folders and ports, so workers share nothing.
test: venv postgres
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n auto --dist loadfile

# fx-bureau's tests also run on PostgreSQL; without root the script says so and those tests are skipped.
postgres: system-packages
	@scripts/start-postgres.sh || echo "PostgreSQL could not be started; the PostgreSQL tests will be skipped." >&2

# A local fx-bureau with demo accounts (two towns, a department and the bureau) and fx-desktop logged in to it;
# .demo/ keeps it (make demo DATA_DIR=/some/folder for another folder).
demo: venv
	$(PY) scripts/demo.py $(if $(DEMO_USER),--user $(DEMO_USER)) $(if $(DATA_DIR),--data-dir $(DATA_DIR))

bench: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

# 50 simulated clients pushing and pulling against fx-bureau on a fresh PostgreSQL database for 60 s (bench/load.py),
# then the capacity ramp: 500 simulated devices at rising rates, the highest rate held with push p95 < 300 ms
# (bench/capacity.py, at most ten steps of 20 s).
load: venv postgres
	$(PY) -m bench.load
	$(PY) -m bench.capacity

# The model-based sync test (tests/sync/test_sync_model.py) for longer than CI runs it, on SQLite and PostgreSQL:
# a new seed each time (printed with a failure; MODEL_SEED=N repeats one). About 30-45 minutes with the defaults
# (five devices: three of a town, one of another, one of a department; ~25-30 s an example of 60 steps per backend).
MODEL_STEPS ?= 60
MODEL_EXAMPLES ?= 40
model-long: venv postgres
	FX_MODEL_STEPS=$(MODEL_STEPS) FX_MODEL_EXAMPLES=$(MODEL_EXAMPLES) $(if $(MODEL_SEED),FX_MODEL_SEED=$(MODEL_SEED)) \
		QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -s --timeout=0 -p no:cacheprovider tests/sync/test_sync_model.py

system-packages:
	@scripts/install-system-packages.sh

venv: system-packages $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "fx-desktop needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,server]'
	touch $@

# Refresh the translation source after changing UI strings, then translate the new entries and run `make i18n` again.
i18n: venv
	$(VENV)/bin/pyside6-lupdate fx_desktop/app.py fx_desktop/views/*.py fx_desktop/printing/preview.py -ts fx_desktop/resources/i18n/fx_desktop_zh_CN.ts -source-language en -target-language zh_CN -locations none -no-obsolete
	$(VENV)/bin/pyside6-lrelease fx_desktop/resources/i18n/fx_desktop_zh_CN.ts -qm fx_desktop/resources/i18n/fx_desktop_zh_CN.qm

screenshot: venv
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshot.py docs

clean:
	rm -rf $(VENV) build *.egg-info
