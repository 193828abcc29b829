/* switch_armv7m_aapcs_elf_gas.S - context switch, ARMv7-M / ARMv7E-M
 * (Cortex-M3/M4/M7), Thumb-2, AAPCS.
 *
 * Frame on the suspended stack (offsets from the saved sp, see
 * arch/zs_arch_armv7m.h; F = 64 with an FPU, else 0):
 *
 *   offset | register
 *   -------+-------------------------------------------
 *     0    | s16 ... s31   (only with an FPU: 16 words)
 *   F+0    | r4    (first frame: entry)
 *   F+4    | r5    (first frame: arg)
 *   F+8    | r6 .. r11 (6 words)
 *   F+32   | lr    (first frame: zs_arch_start | 1)
 *
 * 4 instructions per switch, 6 with s16-s31: the register-save minimum.
 * s16-s31 are callee-saved whenever an FPU exists (hard or softfp), so they
 * are saved whenever __ARM_FP is set. ZS_NEGATIVE_CONTROL_NO_FPU_SAVE drops
 * them: only the emu negative-control build uses it, and its FPU test fails.
 * An exception during a switch stacks on the current sp; run fibers on PSP
 * so handlers get their own stack (emu/arm/startup.c does).
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
        push    {r4-r11, lr}
#if ZS_ARCH_FPU
        vpush   {s16-s31}
#endif
        str     sp, [r0]              /* the suspended context is its sp */
        mov     sp, r1                /* from here on: the other stack */
#if ZS_ARCH_FPU
        vpop    {s16-s31}
#endif
        pop     {r4-r11, pc}          /* resume, or enter zs_arch_start */
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
