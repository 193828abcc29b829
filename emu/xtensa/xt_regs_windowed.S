/* xt_regs_windowed.S - zs_test_regs_switch for the windowed ABI (zs_semi.h).
 *
 * int zs_test_regs_switch(zs_ctx_t *from = a2, zs_ctx_t *to = a3, seed = a4)
 * In the windowed ABI a call preserves every register of the caller's
 * window below the rotation: call12 keeps a0-a11. So a2..a11 (10 registers)
 * are filled with seed + k * XT_STEP, zs_ctx_switch(from, to) is called with
 * call12 (its args go in a14, a15), and bit k of the result is set for each
 * a(2+k) that did not come back. This also drives the call12 overflow and
 * underflow handlers; the C code around it covers call8, the startup and
 * zs_arch_start cover call4. from == NULL: negative control, every
 * register is changed instead of switching.
 *
 *   frame  offset | content
 *          -------+-----------------------------------------------
 *            0    | seed
 *           16    | our a4-a11 when spilled (call12 extra save area)
 *           48    | base save area of our caller's caller
 */
#define XT_STEP 0x11111111

        .text
        .literal_position
        .globl  zs_test_regs_switch
        .type   zs_test_regs_switch, @function
        .align  4
zs_test_regs_switch:
        entry   a1, 64
        s32i    a4, a1, 0
        mov     a14, a2
        mov     a15, a3
        movi    a13, XT_STEP
        mov     a2, a4
        add     a3, a2, a13
        add     a4, a3, a13
        add     a5, a4, a13
        add     a6, a5, a13
        add     a7, a6, a13
        add     a8, a7, a13
        add     a9, a8, a13
        add     a10, a9, a13
        add     a11, a10, a13
        beqz    a14, 1f
        movi    a12, zs_ctx_switch
        callx12 a12
        j       2f
1:      addi    a2, a2, 1       /* negative control: a broken switch */
        addi    a3, a3, 1
        addi    a4, a4, 1
        addi    a5, a5, 1
        addi    a6, a6, 1
        addi    a7, a7, 1
        addi    a8, a8, 1
        addi    a9, a9, 1
        addi    a10, a10, 1
        addi    a11, a11, 1
2:      l32i    a13, a1, 0      /* expected value of a2 */
        movi    a14, XT_STEP
        movi    a15, 0          /* mask */
        movi    a12, 1          /* bit of the register being checked */
        .irp    r, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11
        beq     \r, a13, 3f
        or      a15, a15, a12
3:      add     a13, a13, a14
        slli    a12, a12, 1
        .endr
        mov     a2, a15
        retw
        .size   zs_test_regs_switch, .-zs_test_regs_switch

        .section .note.GNU-stack,"",@progbits
