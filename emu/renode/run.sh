#!/bin/sh
# emu/renode/run.sh - the Renode suite (`make emu-renode`): builds the STM32F4
# USART firmware, then runs stm32f4_switch.robot with renode-test. Renode
# cannot be installed on the project's CI machines: without renode-test on
# PATH this says so, runs nothing, and exits 0.
set -e
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
if ! command -v renode-test >/dev/null 2>&1; then
    echo "emu-renode: NOT RUN - renode-test is not on PATH (Renode is not installed; see https://renode.io)."
    echo "emu-renode: the same firmware runs under QEMU in 'python emu/run.py cortex-m4f-stm32' (uart runs)."
    exit 0
fi
"$PY" emu/run.py --build-only cortex-m4f-stm32
exec renode-test emu/renode/stm32f4_switch.robot "$@"
