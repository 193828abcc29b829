/* switch_xtensa_call0_elf_gas.S - context switch, Xtensa call0 ABI
 * (ESP8266 / lx106; also any Xtensa core built with -mabi=call0).
 *
 * Frame on the suspended stack (offsets from the saved sp, see
 * arch/zs_arch_xtensa_call0.h):
 *
 *   offset | register
 *   -------+-----------------------------------------
 *     0    | a0   return address (first frame: zs_arch_start)
 *     4    | a12  (first frame: entry)
 *     8    | a13  (first frame: arg)
 *    12    | a14
 *    16    | a15
 *    20    | pad  (3 words: sp stays 16-aligned)
 *
 * call0 callee-saved set: a0, a12-a15 and a1 (sp, the context itself).
 * No special registers: SAR is caller-saved, and PS/interrupt level belong to
 * the program, not to a fiber. 14 instructions per switch: 5 stores, 5
 * loads, save sp, one sp adjust each way, ret. The new sp is computed from
 * a3 by the last addi (no separate `mov a1, a3`); until then a1 still points
 * below the frame just saved, so an interrupt at any instruction runs on a
 * valid stack and cannot touch either frame.
 */
#include "zs_arch.h"

        .text
        .literal_position
        .globl  zs_arch_switch
        .type   zs_arch_switch, @function
        .align  4
/* void zs_arch_switch(void **save_sp = a2, void *new_sp = a3) */
zs_arch_switch:
        addi    a1, a1, -ZS_FRAME_SIZE
        s32i    a0, a1, ZS_FRAME_RA
        s32i    a12, a1, ZS_FRAME_ENTRY
        s32i    a13, a1, ZS_FRAME_ARG
        s32i    a14, a1, ZS_FRAME_A14
        s32i    a15, a1, ZS_FRAME_A15
        s32i    a1, a2, 0               /* the suspended context is its sp */
        l32i    a0, a3, ZS_FRAME_RA
        l32i    a12, a3, ZS_FRAME_ENTRY
        l32i    a13, a3, ZS_FRAME_ARG
        l32i    a14, a3, ZS_FRAME_A14
        l32i    a15, a3, ZS_FRAME_A15
        addi    a1, a3, ZS_FRAME_SIZE   /* from here on: the other stack */
        ret                             /* resume, or enter zs_arch_start */
        .size   zs_arch_switch, .-zs_arch_switch

        .globl  zs_arch_start
        .type   zs_arch_start, @function
        .align  4
/* First frame lands here with sp = the 16-aligned stack top: entry(arg). */
zs_arch_start:
        mov     a2, a13
        callx0  a12
        movi    a0, zs_ctx_returned     /* literal: no call0 range limit */
        callx0  a0                      /* entry returned: fatal, no return */
        .size   zs_arch_start, .-zs_arch_start

        .section .note.GNU-stack,"",@progbits
