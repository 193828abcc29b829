/* regs_x86_64.S - register-preservation probes for the x86-64 host test.
 *
 * int zs_test_regs_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed)
 *   rbx rbp r12-r15 := seed ^ K(reg); zs_ctx_switch(from, to); return a mask
 *   (bit n = register n lost its value). from == NULL: instead of switching,
 *   call a clobber of all six, so the checker itself is shown to see damage.
 * int zs_test_fpctl_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed)
 *   MXCSR rounding = seed & 3, x87 rounding = (seed >> 2 ^ seed) & 3 (control
 *   words differ between the two sides of every test round); switch; bit 0 =
 *   MXCSR changed, bit 1 = x87 cw changed. The caller's FP control is restored.
 */
        .text

        .macro CHECK reg, k, bit
        movabsq $\k, %rax
        xorq    (%rsp), %rax
        cmpq    %rax, \reg
        je      1f
        orl     $(1 << \bit), 8(%rsp)
1:
        .endm

        .globl  zs_test_regs_switch
        .type   zs_test_regs_switch, @function
zs_test_regs_switch:
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        pushq   $0                    /* 8(%rsp): result mask */
        pushq   %rdx                  /* (%rsp): seed; rsp is now 16-aligned */
        movabsq $0x1111111111111111, %rbx
        xorq    %rdx, %rbx
        movabsq $0x2222222222222222, %rbp
        xorq    %rdx, %rbp
        movabsq $0x3333333333333333, %r12
        xorq    %rdx, %r12
        movabsq $0x4444444444444444, %r13
        xorq    %rdx, %r13
        movabsq $0x5555555555555555, %r14
        xorq    %rdx, %r14
        movabsq $0x6666666666666666, %r15
        xorq    %rdx, %r15
        testq   %rdi, %rdi
        jz      2f
        call    zs_ctx_switch@PLT
        jmp     3f
2:      xorl    %ebx, %ebx            /* negative control: clobber all six */
        xorl    %ebp, %ebp
        xorl    %r12d, %r12d
        xorl    %r13d, %r13d
        xorl    %r14d, %r14d
        xorl    %r15d, %r15d
3:      CHECK   %rbx, 0x1111111111111111, 0
        CHECK   %rbp, 0x2222222222222222, 1
        CHECK   %r12, 0x3333333333333333, 2
        CHECK   %r13, 0x4444444444444444, 3
        CHECK   %r14, 0x5555555555555555, 4
        CHECK   %r15, 0x6666666666666666, 5
        popq    %rdx
        popq    %rax
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        ret
        .size   zs_test_regs_switch, .-zs_test_regs_switch

        .globl  zs_test_fpctl_switch
        .type   zs_test_fpctl_switch, @function
zs_test_fpctl_switch:
        pushq   %rbx
        subq    $32, %rsp             /* 0: caller mxcsr/cw, 8: ours, 16: read back */
        stmxcsr 0(%rsp)
        fnstcw  4(%rsp)
        movl    %edx, %ebx
        andl    $3, %ebx              /* MXCSR RC = bits 13-14 */
        shll    $13, %ebx
        movl    0(%rsp), %eax
        andl    $~0x6000, %eax
        orl     %ebx, %eax
        movl    %eax, 8(%rsp)
        movl    %edx, %ebx
        shrl    $2, %ebx
        xorl    %edx, %ebx
        andl    $3, %ebx              /* x87 RC = bits 10-11 */
        shll    $10, %ebx
        movzwl  4(%rsp), %eax
        andl    $~0x0c00, %eax
        orl     %ebx, %eax
        movw    %ax, 12(%rsp)
        ldmxcsr 8(%rsp)
        fldcw   12(%rsp)
        testq   %rdi, %rdi
        jz      2f
        call    zs_ctx_switch@PLT
        jmp     3f
2:      movl    $0x1f80, 16(%rsp)     /* negative control: back to defaults */
        movw    $0x037f, 20(%rsp)
        ldmxcsr 16(%rsp)
        fldcw   20(%rsp)
3:      stmxcsr 16(%rsp)
        fnstcw  20(%rsp)
        xorl    %eax, %eax
        movl    16(%rsp), %ecx
        andl    $0xffc0, %ecx         /* control bits only, not the sticky flags */
        movl    8(%rsp), %edx
        andl    $0xffc0, %edx
        cmpl    %ecx, %edx
        je      4f
        orl     $1, %eax
4:      movzwl  20(%rsp), %ecx
        movzwl  12(%rsp), %edx
        cmpl    %ecx, %edx
        je      5f
        orl     $2, %eax
5:      ldmxcsr 0(%rsp)
        fldcw   4(%rsp)
        addq    $32, %rsp
        popq    %rbx
        ret
        .size   zs_test_fpctl_switch, .-zs_test_fpctl_switch

        .section .note.GNU-stack,"",@progbits
