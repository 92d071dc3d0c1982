# The README's two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test install lint typecheck clean

$(INSTALLED): setup.cfg pyproject.toml
	@PYTHON=$(PYTHON) scripts/ensure-system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/foncier db up
	$(BIN)/foncier db upgrade
	$(BIN)/foncier reference load
	$(BIN)/foncier demo load
	$(BIN)/foncier users demo
	$(BIN)/foncier serve

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(INSTALLED)
	$(BIN)/mypy

test: $(INSTALLED) lint typecheck
	@PYTHON=$(PYTHON) scripts/ensure-system-packages test
	$(BIN)/pytest

clean:
	-$(BIN)/foncier db down
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
