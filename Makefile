# `make run` and `make test` each do all set-up on a fresh Debian/Ubuntu machine and are safe to repeat.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA_DIR ?=

.PHONY: run test bench system-packages venv i18n screenshot clean

run: venv
	$(VENV)/bin/fx-desktop $(if $(DATA_DIR),--data-dir $(DATA_DIR))

test: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

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
	$(VENV)/bin/pyside6-lupdate fx_desktop/app.py fx_desktop/views/*.py -ts fx_desktop/resources/i18n/fx_desktop_zh_CN.ts -source-language en -target-language zh_CN -locations none -no-obsolete
	$(VENV)/bin/pyside6-lrelease fx_desktop/resources/i18n/fx_desktop_zh_CN.ts -qm fx_desktop/resources/i18n/fx_desktop_zh_CN.qm

screenshot: venv
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshot.py docs/screenshot-case-register.png 违建

clean:
	rm -rf $(VENV) build *.egg-info
