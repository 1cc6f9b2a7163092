# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tacitus-installed
DEMO_DB ?= demo.duckdb

.PHONY: demo test install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project or its pins change.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	$(BIN)/python -c "import tacitus.nlp.pipeline as p, tacitus.settings as s; print('spaCy model:', p.find_model(s.resolve().model))"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tacitus run examples/demo-corpus --db $(DEMO_DB)
	$(BIN)/tacitus stats --db $(DEMO_DB)
	$(BIN)/tacitus events --db $(DEMO_DB) --source RUS --since 2018 --limit 8

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB).wal .pytest_cache
