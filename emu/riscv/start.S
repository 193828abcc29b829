/* start.S - bare-metal entry for QEMU `virt` (rv32, M-mode, -bios none):
 * stack, trap vector, .bss, main. The trap entry saves every caller-saved
 * register on the current (fiber) stack, as an ISR on ESP32-C3 does, and
 * hands off to trap_c (timer tick or fatal report). */
        .section .text.start, "ax"
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$
        .option pop
        la      sp, _estack
        la      t0, trap_entry
        csrw    mtvec, t0
        la      t0, _sbss
        la      t1, _ebss
1:      bgeu    t0, t1, 2f
        sw      zero, 0(t0)
        addi    t0, t0, 4
        j       1b
2:      call    main
        j       .

        .text
        .p2align 2
        .globl  trap_entry
trap_entry:
        addi    sp, sp, -64
        sw      ra, 0(sp)
        sw      t0, 4(sp)
        sw      t1, 8(sp)
        sw      t2, 12(sp)
        sw      t3, 16(sp)
        sw      t4, 20(sp)
        sw      t5, 24(sp)
        sw      t6, 28(sp)
        sw      a0, 32(sp)
        sw      a1, 36(sp)
        sw      a2, 40(sp)
        sw      a3, 44(sp)
        sw      a4, 48(sp)
        sw      a5, 52(sp)
        sw      a6, 56(sp)
        sw      a7, 60(sp)
        call    trap_c
        lw      ra, 0(sp)
        lw      t0, 4(sp)
        lw      t1, 8(sp)
        lw      t2, 12(sp)
        lw      t3, 16(sp)
        lw      t4, 20(sp)
        lw      t5, 24(sp)
        lw      t6, 28(sp)
        lw      a0, 32(sp)
        lw      a1, 36(sp)
        lw      a2, 40(sp)
        lw      a3, 44(sp)
        lw      a4, 48(sp)
        lw      a5, 52(sp)
        lw      a6, 56(sp)
        lw      a7, 60(sp)
        addi    sp, sp, 64
        mret

        .globl  csr_timer_irq_on
csr_timer_irq_on:
        li      t0, 1 << 7
        csrs    mie, t0
        csrsi   mstatus, 1 << 3
        ret

        .globl  csr_trap_info
csr_trap_info:
        csrr    t0, mcause
        sw      t0, 0(a0)
        csrr    t0, mepc
        sw      t0, 4(a0)
        csrr    t0, mtval
        sw      t0, 8(a0)
        ret

/* int semi_call(int op, const void *arg): the RISC-V semihosting sequence
 * must be uncompressed and must not straddle a page: 16-byte aligned. */
        .globl  semi_call
        .p2align 4                    /* before norvc: the padding may need a c.nop */
        .option push
        .option norvc
semi_call:
        slli    x0, x0, 0x1f
        ebreak
        srai    x0, x0, 7
        ret
        .option pop

        .section .note.GNU-stack,"",@progbits
