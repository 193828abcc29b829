/* switch_rv32_ilp32_elf_gas.S - context switch, RV32 (I/E + M/A/C), ilp32
 * soft-float ABI (ESP32-C3/C6 class).
 *
 * Frame on the suspended stack (offsets from the saved sp, see
 * arch/zs_arch_rv32.h):
 *
 *   offset | register
 *   -------+-----------------------------------------
 *     0    | ra    (first frame: zs_arch_start)
 *     4    | s0    (first frame: entry)
 *     8    | s1    (first frame: arg)
 *    12    | s2 .. s11 (10 words, s(n) at 4 + 4n)
 *    52    | pad (sp stays 16-aligned)
 *
 * gp and tp are not saved: they are per-program / per-core, not per-fiber.
 * 31 instructions per switch (13 stores, 13 loads, 2 sp adjusts, save sp,
 * load sp, ret): the ilp32 register-save minimum.
 */
#include "zs_arch.h"

        .text
        .globl  zs_arch_switch
        .type   zs_arch_switch, @function
        .p2align 2
/* void zs_arch_switch(void **save_sp = a0, void *new_sp = a1) */
zs_arch_switch:
        addi    sp, sp, -ZS_FRAME_SIZE
        sw      ra, ZS_FRAME_RA(sp)
        sw      s0, ZS_FRAME_S(0)(sp)
        sw      s1, ZS_FRAME_S(1)(sp)
        sw      s2, ZS_FRAME_S(2)(sp)
        sw      s3, ZS_FRAME_S(3)(sp)
        sw      s4, ZS_FRAME_S(4)(sp)
        sw      s5, ZS_FRAME_S(5)(sp)
        sw      s6, ZS_FRAME_S(6)(sp)
        sw      s7, ZS_FRAME_S(7)(sp)
        sw      s8, ZS_FRAME_S(8)(sp)
        sw      s9, ZS_FRAME_S(9)(sp)
        sw      s10, ZS_FRAME_S(10)(sp)
        sw      s11, ZS_FRAME_S(11)(sp)
        sw      sp, 0(a0)             /* the suspended context is its sp */
        mv      sp, a1                /* from here on: the other stack */
        lw      ra, ZS_FRAME_RA(sp)
        lw      s0, ZS_FRAME_S(0)(sp)
        lw      s1, ZS_FRAME_S(1)(sp)
        lw      s2, ZS_FRAME_S(2)(sp)
        lw      s3, ZS_FRAME_S(3)(sp)
        lw      s4, ZS_FRAME_S(4)(sp)
        lw      s5, ZS_FRAME_S(5)(sp)
        lw      s6, ZS_FRAME_S(6)(sp)
        lw      s7, ZS_FRAME_S(7)(sp)
        lw      s8, ZS_FRAME_S(8)(sp)
        lw      s9, ZS_FRAME_S(9)(sp)
        lw      s10, ZS_FRAME_S(10)(sp)
        lw      s11, ZS_FRAME_S(11)(sp)
        addi    sp, sp, ZS_FRAME_SIZE
        ret                           /* resume, or enter zs_arch_start */
        .size   zs_arch_switch, .-zs_arch_switch

        .globl  zs_arch_start
        .type   zs_arch_start, @function
        .p2align 2
/* First frame lands here with sp 16-aligned (zs_arch_frame): entry(arg). */
zs_arch_start:
        mv      a0, s1
        jalr    s0
        call    zs_ctx_returned       /* entry returned: fatal, no return */
        unimp
        .size   zs_arch_start, .-zs_arch_start

        .section .note.GNU-stack,"",@progbits
