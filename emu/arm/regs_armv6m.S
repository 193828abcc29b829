/* regs_armv6m.S - register-preservation probe, ARMv6-M (Thumb-1).
 *
 * int zs_test_regs_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed)
 *   r4-r11 := seed ^ K(n); zs_ctx_switch(from, to); return a mask, bit n =
 *   r(4 + n) lost its value. from == NULL: clobber instead of switching.
 * Thumb-1 reaches r8-r11 only through mov, and has no eor/orr immediates:
 * constants come from the literal pool, bits from movs + orrs.
 */
        .syntax unified
        .thumb
        .text

        .macro  FILL reg, k
        ldr     r3, =\k
        eors    r3, r2
        mov     \reg, r3
        .endm

        .macro  CHECK reg, k, bit
        ldr     r3, =\k
        eors    r3, r2
        cmp     r3, \reg
        beq     9f
        movs    r1, #(1 << \bit)
        orrs    r0, r1
9:
        .endm

        .globl  zs_test_regs_switch
        .type   zs_test_regs_switch, %function
        .thumb_func
zs_test_regs_switch:
        push    {r4-r7, lr}
        mov     r4, r8
        mov     r5, r9
        mov     r6, r10
        mov     r7, r11
        push    {r4-r7}
        push    {r2}                  /* 10 words: sp stays 8-aligned; [sp] = seed */
        FILL    r4, 0x11111111
        FILL    r5, 0x22222222
        FILL    r6, 0x33333333
        FILL    r7, 0x44444444
        FILL    r8, 0x55555555
        FILL    r9, 0x66666666
        FILL    r10, 0x77777777
        FILL    r11, 0x88888888
        cmp     r0, #0
        beq     1f
        bl      zs_ctx_switch
        b       2f
1:      movs    r3, #0                /* negative control: clobber all eight */
        mov     r4, r3
        mov     r5, r3
        mov     r6, r3
        mov     r7, r3
        mov     r8, r3
        mov     r9, r3
        mov     r10, r3
        mov     r11, r3
2:      ldr     r2, [sp]
        movs    r0, #0
        CHECK   r4, 0x11111111, 0
        CHECK   r5, 0x22222222, 1
        CHECK   r6, 0x33333333, 2
        CHECK   r7, 0x44444444, 3
        CHECK   r8, 0x55555555, 4
        CHECK   r9, 0x66666666, 5
        CHECK   r10, 0x77777777, 6
        CHECK   r11, 0x88888888, 7
        add     sp, #4
        pop     {r4-r7}
        mov     r8, r4
        mov     r9, r5
        mov     r10, r6
        mov     r11, r7
        pop     {r4-r7, pc}
        .ltorg
        .size   zs_test_regs_switch, .-zs_test_regs_switch

        .section .note.GNU-stack,"",%progbits
