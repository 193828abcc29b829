/* regs_rv32.S - register-preservation probe, RV32 ilp32.
 *
 * int zs_test_regs_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed)
 *   s0-s11 := seed ^ K(n); zs_ctx_switch(from, to); return a mask, bit n =
 *   s(n) lost its value. from == NULL: clobber instead of switching.
 */
        .text

        .macro  FILL reg, k
        li      t0, \k
        xor     \reg, a2, t0
        .endm

        .macro  CHECK reg, k, bit
        li      t0, \k
        xor     t0, t0, a2
        beq     t0, \reg, 9f
        li      t1, (1 << \bit)
        or      a0, a0, t1
9:
        .endm

        .globl  zs_test_regs_switch
        .type   zs_test_regs_switch, @function
zs_test_regs_switch:
        addi    sp, sp, -64
        sw      ra, 0(sp)
        sw      s0, 4(sp)
        sw      s1, 8(sp)
        sw      s2, 12(sp)
        sw      s3, 16(sp)
        sw      s4, 20(sp)
        sw      s5, 24(sp)
        sw      s6, 28(sp)
        sw      s7, 32(sp)
        sw      s8, 36(sp)
        sw      s9, 40(sp)
        sw      s10, 44(sp)
        sw      s11, 48(sp)
        sw      a2, 52(sp)            /* seed */
        FILL    s0, 0x11111111
        FILL    s1, 0x22222222
        FILL    s2, 0x33333333
        FILL    s3, 0x44444444
        FILL    s4, 0x55555555
        FILL    s5, 0x66666666
        FILL    s6, 0x77777777
        FILL    s7, 0x88888888
        FILL    s8, 0x99999999
        FILL    s9, 0xaaaaaaaa
        FILL    s10, 0xbbbbbbbb
        FILL    s11, 0xcccccccc
        beqz    a0, 1f
        call    zs_ctx_switch
        j       2f
1:      li      s0, 0                 /* negative control: clobber all twelve */
        li      s1, 0
        li      s2, 0
        li      s3, 0
        li      s4, 0
        li      s5, 0
        li      s6, 0
        li      s7, 0
        li      s8, 0
        li      s9, 0
        li      s10, 0
        li      s11, 0
2:      lw      a2, 52(sp)
        li      a0, 0
        CHECK   s0, 0x11111111, 0
        CHECK   s1, 0x22222222, 1
        CHECK   s2, 0x33333333, 2
        CHECK   s3, 0x44444444, 3
        CHECK   s4, 0x55555555, 4
        CHECK   s5, 0x66666666, 5
        CHECK   s6, 0x77777777, 6
        CHECK   s7, 0x88888888, 7
        CHECK   s8, 0x99999999, 8
        CHECK   s9, 0xaaaaaaaa, 9
        CHECK   s10, 0xbbbbbbbb, 10
        CHECK   s11, 0xcccccccc, 11
        lw      ra, 0(sp)
        lw      s0, 4(sp)
        lw      s1, 8(sp)
        lw      s2, 12(sp)
        lw      s3, 16(sp)
        lw      s4, 20(sp)
        lw      s5, 24(sp)
        lw      s6, 28(sp)
        lw      s7, 32(sp)
        lw      s8, 36(sp)
        lw      s9, 40(sp)
        lw      s10, 44(sp)
        lw      s11, 48(sp)
        addi    sp, sp, 64
        ret
        .size   zs_test_regs_switch, .-zs_test_regs_switch

        .section .note.GNU-stack,"",@progbits
