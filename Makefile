# Two set-up commands: `make run` (main job on the bundled corpus) and `make test`.
# Both bootstrap .venv from pyproject.toml on first use; nothing else needs installing by hand.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ogi needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ogi run

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/python -m mypy

# Throughput benchmark (1,000 synthetic pages: serial, 2 workers, Dask LocalCluster; ratio to the floor).
bench: $(STAMP)
	$(VENV)/bin/python benchmarks/throughput.py --n 1000

clean:
	rm -rf $(VENV) outputs/*.csv outputs/*.parquet
