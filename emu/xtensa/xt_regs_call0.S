/* xt_regs_call0.S - zs_test_regs_switch for the call0 ABI (zs_semi.h).
 *
 * int zs_test_regs_switch(zs_ctx_t *from = a2, zs_ctx_t *to = a3, seed = a4)
 * Fills the callee-saved a12-a15 with seed + k * XT_STEP, calls
 * zs_ctx_switch(from, to) and, once resumed, returns a mask with bit k set
 * for each a(12+k) that did not come back. from == NULL is the checker's own
 * negative control: instead of switching, every register is changed.
 *
 *   frame  offset | content
 *          -------+----------------------------------
 *            0    | a0 (our return address)
 *            4    | a12 .. 16 a15 (the caller's, restored at the end)
 *           20    | seed
 */
#define XT_STEP 0x11111111

        .text
        .literal_position
        .globl  zs_test_regs_switch
        .type   zs_test_regs_switch, @function
        .align  4
zs_test_regs_switch:
        addi    a1, a1, -32
        s32i    a0, a1, 0
        s32i    a12, a1, 4
        s32i    a13, a1, 8
        s32i    a14, a1, 12
        s32i    a15, a1, 16
        s32i    a4, a1, 20
        movi    a5, XT_STEP
        mov     a12, a4
        add     a13, a12, a5
        add     a14, a13, a5
        add     a15, a14, a5
        beqz    a2, 1f
        movi    a0, zs_ctx_switch
        callx0  a0
        j       2f
1:      addi    a12, a12, 1     /* negative control: a broken switch */
        addi    a13, a13, 1
        addi    a14, a14, 1
        addi    a15, a15, 1
2:      l32i    a4, a1, 20      /* expected value of a12 */
        movi    a5, XT_STEP
        movi    a2, 0
        beq     a12, a4, 3f
        addi    a2, a2, 1
3:      add     a4, a4, a5
        beq     a13, a4, 4f
        addi    a2, a2, 2
4:      add     a4, a4, a5
        beq     a14, a4, 5f
        addi    a2, a2, 4
5:      add     a4, a4, a5
        beq     a15, a4, 6f
        addi    a2, a2, 8
6:      l32i    a0, a1, 0
        l32i    a12, a1, 4
        l32i    a13, a1, 8
        l32i    a14, a1, 12
        l32i    a15, a1, 16
        addi    a1, a1, 32
        ret
        .size   zs_test_regs_switch, .-zs_test_regs_switch

        .section .note.GNU-stack,"",@progbits
