/* zs_arch.h - the one place that chooses the CPU/ABI port.
 *
 * Each native/arch/zs_arch_<arch>.h defines, for C and for the assembler:
 *   ZS_ARCH_NAME      string, e.g. "armv7m"
 *   ZS_WORD           bytes per saved slot
 *   ZS_STACK_ALIGN    sp alignment the trampoline zs_arch_start relies on
 *   ZS_FRAME_SIZE     bytes zs_arch_switch pops off a new stack (first frame)
 *   ZS_FRAME_RA       offset of the slot that becomes the pc (-> zs_arch_start)
 *   ZS_FRAME_ENTRY    offset of the slot zs_arch_start reads entry from
 *   ZS_FRAME_ARG      offset of the slot zs_arch_start reads arg from
 *   optional ZS_FRAME_FPCTL + ZS_FRAME_FPCTL_INIT (64-bit FP control word image)
 *   optional ZS_ARCH_FRAME_IN_ASM: the .S file defines zs_arch_frame itself
 * and, outside __ASSEMBLER__, a `struct zs_frame` whose layout is checked
 * against these offsets with _Static_assert (ZS_FRAME_CHECK below), so C,
 * the asm and the diagram at the top of the .S cannot drift.
 * Offsets count up from the saved sp (lowest address of the frame).
 */
#ifndef ZS_ARCH_H
#define ZS_ARCH_H

#if defined(__x86_64__) && !defined(_WIN32)
#include "arch/zs_arch_x86_64.h"
#elif defined(__arm__) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M' && __ARM_ARCH_ISA_THUMB == 1
#include "arch/zs_arch_armv6m.h"
#elif defined(__arm__) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M' && __ARM_ARCH_ISA_THUMB == 2
#include "arch/zs_arch_armv7m.h"
#elif defined(__riscv) && __riscv_xlen == 32 && defined(__riscv_float_abi_soft)
#include "arch/zs_arch_rv32.h"
#elif defined(__XTENSA__) && defined(__XTENSA_CALL0_ABI__)
#include "arch/zs_arch_xtensa_call0.h"
#elif defined(__XTENSA__) && defined(__XTENSA_WINDOWED_ABI__)
#include "arch/zs_arch_xtensa_windowed.h"
#else
#error "zsync-mp: no context switch for this CPU/ABI; see native/PORTING.md"
#endif

#ifndef __ASSEMBLER__
#include <stddef.h>
#define ZS_FRAME_CHECK(field, off) \
    _Static_assert(offsetof(struct zs_frame, field) == (off), \
                   "zs_frame." #field " drifted from " #off)
ZS_FRAME_CHECK(ra, ZS_FRAME_RA);
ZS_FRAME_CHECK(entry, ZS_FRAME_ENTRY);
ZS_FRAME_CHECK(arg, ZS_FRAME_ARG);
#ifdef ZS_FRAME_FPCTL
ZS_FRAME_CHECK(fpctl, ZS_FRAME_FPCTL);
#endif
_Static_assert(sizeof(struct zs_frame) == ZS_FRAME_SIZE, "zs_frame size drifted");
_Static_assert(ZS_FRAME_SIZE % ZS_WORD == 0, "frame not whole slots");
_Static_assert((ZS_STACK_ALIGN & (ZS_STACK_ALIGN - 1)) == 0, "align not a power of 2");
#endif

#endif
