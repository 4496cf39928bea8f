# The Python distribution `librescue`, imported as `rescue` (pyproject.toml, python/rescue/,
# src/python/): builds it the way users install it (`pip install .`) into .venv/ and runs
# tests/python/ against the sandbox.

PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
# What the installed extension is built from: a change to any of these reinstalls it.
PYTHON_PACKAGE_SOURCES := $(shell find src python -type f \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' -o -name py.typed \) 2>/dev/null) \
	Cargo.toml Cargo.lock build.rs pyproject.toml

.PHONY: python-test python-lint python-install

TEST_TARGETS += python-test

$(VENV)/.tools-installed: mk/python.mk
	test -x $(VENV_PY) || $(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --upgrade pip
	$(VENV_PY) -m pip install --quiet 'maturin>=1.9,<2' 'pytest>=8,<10' 'mypy>=1.10,<3'
	touch $@

# pip builds the wheel with the venv's maturin (cargo profile `wheel`, so target/release,
# the C library's, is left alone); --force-reinstall because the version doesn't change.
$(VENV)/.rescue-installed: $(VENV)/.tools-installed $(PYTHON_PACKAGE_SOURCES)
	@# 0.1.0's distribution was named `rescue` (now `librescue`): drop it from older venvs.
	@$(VENV_PY) -m pip uninstall --quiet --yes rescue >/dev/null 2>&1 || true
	PATH="$(abspath $(VENV))/bin:$$PATH" PYO3_PYTHON=$(abspath $(VENV_PY)) \
		$(VENV_PY) -m pip install --quiet --no-build-isolation \
		--force-reinstall --no-deps .
	touch $@

python-install: $(VENV)/.rescue-installed

python-lint: $(VENV)/.tools-installed
	PYO3_PYTHON=$(abspath $(VENV_PY)) $(CARGO) clippy --features python -- -D warnings

python-test: python-lint python-install
	$(CARGO) build -p rescue-sandbox
	$(VENV_PY) -m pytest tests/python
