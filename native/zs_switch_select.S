/* zs_switch_select.S - the one assembly file firmware builds compile.
 *
 * zs_arch.h is the only place that chooses the CPU/ABI (from compiler
 * macros); this file does not choose again. It maps the header zs_arch.h
 * picked (known by its include guard) to the switch of that port, so the
 * MicroPython build glue (micropython.mk, micropython.cmake) names one file
 * for every port and never tests the architecture itself.
 * A new port adds one #elif line here next to its zs_arch.h branch.
 */
#include "zs_arch.h"

#if defined(ZS_ARCH_X86_64_H)
#include "switch_x86_64_sysv_elf_gas.S"
#elif defined(ZS_ARCH_ARMV6M_H)
#include "switch_armv6m_aapcs_elf_gas.S"
#elif defined(ZS_ARCH_ARMV7M_H)
#include "switch_armv7m_aapcs_elf_gas.S"
#elif defined(ZS_ARCH_RV32_H)
#include "switch_rv32_ilp32_elf_gas.S"
#elif defined(ZS_ARCH_XTENSA_CALL0_H)
#include "switch_xtensa_call0_elf_gas.S"
#elif defined(ZS_ARCH_XTENSA_WINDOWED_H)
#include "switch_xtensa_windowed_elf_gas.S"
#else
#error "zsync-mp: zs_arch.h chose a port this file does not map; add it here"
#endif
