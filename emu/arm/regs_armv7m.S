/* regs_armv7m.S - register-preservation probes, ARMv7-M / ARMv7E-M.
 *
 * int zs_test_regs_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed)
 *   r4-r11 := seed ^ 0x11111111 * (n + 1); zs_ctx_switch(from, to); return a
 *   mask, bit n = r(4 + n) lost its value. from == NULL: clobber instead of
 *   switching (the checker must then report all 8).
 * int zs_test_fpu_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed)
 *   the same for s16-s31 (bit n = s(16 + n)), values seed + n + 1 as bit
 *   patterns; the caller's s16-s31 are kept.
 */
        .syntax unified
        .thumb
        .text

        .macro  CHECK reg, k, bit
        eor     r3, r2, #\k
        cmp     r3, \reg
        it      ne
        orrne   r0, r0, #(1 << \bit)
        .endm

        .globl  zs_test_regs_switch
        .type   zs_test_regs_switch, %function
        .thumb_func
zs_test_regs_switch:
        push    {r2, r4-r11, lr}      /* 10 words: sp stays 8-aligned; [sp] = seed */
        eor     r4, r2, #0x11111111
        eor     r5, r2, #0x22222222
        eor     r6, r2, #0x33333333
        eor     r7, r2, #0x44444444
        eor     r8, r2, #0x55555555
        eor     r9, r2, #0x66666666
        eor     r10, r2, #0x77777777
        eor     r11, r2, #0x88888888
        cbz     r0, 1f
        bl      zs_ctx_switch
        b       2f
1:      mov     r4, #0                /* negative control: clobber all eight */
        mov     r5, #0
        mov     r6, #0
        mov     r7, #0
        mov     r8, #0
        mov     r9, #0
        mov     r10, #0
        mov     r11, #0
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
        pop     {r2, r4-r11, pc}
        .size   zs_test_regs_switch, .-zs_test_regs_switch

#ifdef __ARM_FP
        .globl  zs_test_fpu_switch
        .type   zs_test_fpu_switch, %function
        .thumb_func
zs_test_fpu_switch:
        push    {r4, lr}
        vpush   {s16-s31}             /* ours to clobber, the caller's to keep */
        mov     r4, r2
        .irp    n, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        add     r3, r4, #(\n - 15)
        vmov    s\n, r3
        .endr
        cbz     r0, 1f
        bl      zs_ctx_switch
        b       2f
1:      mov     r3, #0                /* negative control: clobber all sixteen */
        .irp    n, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        vmov    s\n, r3
        .endr
2:      movs    r0, #0
        .irp    n, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        vmov    r3, s\n
        add     r2, r4, #(\n - 15)
        cmp     r3, r2
        it      ne
        orrne   r0, r0, #(1 << (\n - 16))
        .endr
        vpop    {s16-s31}
        pop     {r4, pc}
        .size   zs_test_fpu_switch, .-zs_test_fpu_switch
#endif

        .section .note.GNU-stack,"",%progbits
