# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tacitus-installed
DEMO_DB ?= demo.duckdb

.PHONY: demo test install clean bench web cleaner-model fallback-model attribution-model trigger-model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project or its pins change.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps natasha==1.6.0 yargy==0.16.0
	$(BIN)/python -c "import tacitus.nlp.pipeline as p, tacitus.settings as s; print('spaCy model:', p.find_model(s.resolve().model))"
	touch $(STAMP)

install: $(STAMP)

# The web explorer's front end (frontend/, npm + Vite) built into the package; `make web` forces it.
WEB := src/tacitus/web/static/index.html
$(WEB): frontend/package.json frontend/package-lock.json frontend/index.html frontend/vite.config.js $(wildcard frontend/src/*.* frontend/src/*/*.*)
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
	  || { echo "the web explorer's build (Vite 8) needs Node 20.19 or newer; found: $$(node -v 2>/dev/null || echo none)" >&2; exit 1; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent

web:
	rm -f $(WEB)
	$(MAKE) $(WEB)

demo: $(STAMP) $(WEB)
	$(BIN)/tacitus run examples/demo-corpus --db $(DEMO_DB)
	$(BIN)/tacitus stats --db $(DEMO_DB)
	$(BIN)/tacitus events --db $(DEMO_DB) --source RUS --since 2018 --limit 8
	$(BIN)/tacitus disputes --db $(DEMO_DB)
	@echo "Explore it in a browser: $(BIN)/tacitus serve --db $(DEMO_DB)"

test: $(STAMP) $(WEB)
	$(BIN)/python -m pytest -q

# Speed, memory, Ray scaling and query latency (minutes; not part of the tests). See benchmarks/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

# The line cleaner's committed model, from the labelled real pages in ../shared (see data/cleaner/README.md).
cleaner-model: $(STAMP)
	$(BIN)/python tools/train_cleaner.py

# The event fallback classifier's committed weights, from our labelled sentences (src/tacitus/data/plover).
fallback-model: $(STAMP)
	$(BIN)/python tools/train_fallback.py

# The learned attribution model's committed weights, from PolNeAR train (../shared/eval/polnear; about 3 min).
attribution-model: $(STAMP)
	$(BIN)/python tools/train_attribution.py

# The trigger classifier's committed weights, from our event gold on real articles (data/gold/en_events.jsonl
# with the texts in ../shared/eval; about 30 s).
trigger-model: $(STAMP)
	$(BIN)/python tools/train_triggers.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB).wal .pytest_cache frontend/node_modules src/tacitus/web/static
