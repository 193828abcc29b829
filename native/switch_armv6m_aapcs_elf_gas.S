/* switch_armv6m_aapcs_elf_gas.S - context switch, ARMv6-M (Cortex-M0/M0+),
 * Thumb-1, AAPCS.
 *
 * Frame on the suspended stack (offsets from the saved sp, see
 * arch/zs_arch_armv6m.h):
 *
 *   offset | register
 *   -------+-----------------------------------------
 *     0    | r8
 *     4    | r9
 *     8    | r10
 *    12    | r11
 *    16    | r4    (first frame: entry)
 *    20    | r5    (first frame: arg)
 *    24    | r6
 *    28    | r7
 *    32    | lr    (first frame: zs_arch_start | 1)
 *
 * Thumb-1 push/pop reach only r0-r7, lr and pc, and str cannot store sp:
 * r8-r11 travel through r4-r7 (already saved), sp through r2.
 * 15 instructions per switch.
 */
#include "zs_arch.h"

        .syntax unified
        .thumb
        .text

        .globl  zs_arch_switch
        .type   zs_arch_switch, %function
        .thumb_func
        .p2align 2
/* void zs_arch_switch(void **save_sp = r0, void *new_sp = r1) */
zs_arch_switch:
        push    {r4-r7, lr}
        mov     r4, r8
        mov     r5, r9
        mov     r6, r10
        mov     r7, r11
        push    {r4-r7}
        mov     r2, sp
        str     r2, [r0]              /* the suspended context is its sp */
        mov     sp, r1                /* from here on: the other stack */
        pop     {r4-r7}
        mov     r8, r4
        mov     r9, r5
        mov     r10, r6
        mov     r11, r7
        pop     {r4-r7, pc}           /* resume, or enter zs_arch_start */
        .size   zs_arch_switch, .-zs_arch_switch

        .globl  zs_arch_start
        .type   zs_arch_start, %function
        .thumb_func
        .p2align 2
/* First frame lands here with sp 8-aligned (zs_arch_frame): entry(arg). */
zs_arch_start:
        mov     r0, r5
        blx     r4
        bl      zs_ctx_returned       /* entry returned: fatal, no return */
        udf     #0
        .size   zs_arch_start, .-zs_arch_start

        .section .note.GNU-stack,"",%progbits
