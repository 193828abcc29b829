# zsync-mp: `make sim` runs the demo, `make test` runs everything CI checks.
VENV   := .venv
PY     := $(VENV)/bin/python
MPY    := $(VENV)/bin/micropython
STAMP  := $(VENV)/.setup-done
# Debian packages: QEMU and the cross compilers for the native switch (emu/).
APT    := qemu-system-arm qemu-system-misc gcc-arm-none-eabi libnewlib-arm-none-eabi \
          gcc-xtensa-lx106 binutils-xtensa-lx106 gcc-riscv64-unknown-elf \
          picolibc-riscv64-unknown-elf

.PHONY: setup test parity pytest bench sim clean asyncio-suite emu emu-renode hil

setup: $(STAMP)

# Idempotent: re-runs only when the dependency list changes.
$(STAMP): pyproject.toml Makefile
	dpkg -s $(APT) >/dev/null 2>&1 || { apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(APT); }
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	$(MPY) -c "import sys; print('MicroPython', sys.version)"
	touch $(STAMP)

# Every behaviour script on CPython and MicroPython, plus the CPython-only
# property tests: one pytest run, one closing line.
test: setup
	$(PY) -m pytest -n 2 tests
	$(PY) -m pytest hil_tests --junitxml=build/hil/junit.xml

parity: setup
	$(PY) tests/parity.py $(ARGS)

# HIL suite (hil_tests/README.md): PORT=/dev/ttyUSB0 BOARD=esp32_devkitc for a real board,
# PORT=qemu:<firmware.elf> for QEMU, neither for a virtual board. ARGS="--soak 10".
hil: setup
	$(PY) -m pytest hil_tests $(if $(PORT),--port $(PORT)) $(if $(BOARD),--board $(BOARD)) --junitxml=build/hil/junit.xml $(ARGS)

# The native context switch under QEMU and on the host: results and instructions per switch.
emu: setup
	$(PY) emu/run.py

# The STM32F4 firmware on Renode when renode-test is on PATH; otherwise says so and runs nothing.
emu-renode: setup
	PYTHON=$(PY) sh emu/renode/run.sh

# MicroPython's tests/extmod/asyncio_*.py from your checkout, against zsync_mp.asyncio.
asyncio-suite: setup
	MICROPY_DIR=$(MICROPY_DIR) $(PY) tools/asyncio_suite.py $(ARGS)

bench: setup
	$(PY) bench/run.py

# The demo app on a virtual board (real MicroPython behind a pty), deployed with mpremote.
sim: setup
	$(VENV)/bin/zsync-mp sim examples/firmware.py --board examples/boards/devkit.json

clean:
	rm -rf $(VENV) build *.egg-info bench/results/latest.json
