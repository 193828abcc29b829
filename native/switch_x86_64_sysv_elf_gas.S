/* switch_x86_64_sysv_elf_gas.S - context switch, x86-64 System V ABI.
 *
 * Frame on the suspended stack (offsets from the saved sp, see
 * arch/zs_arch_x86_64.h; checked by _Static_assert in zs_arch.h):
 *
 *   offset | register
 *   -------+-----------------------------------------
 *     0    | MXCSR (4 bytes), x87 control word (2), pad
 *     8    | r15
 *    16    | r14
 *    24    | r13   (first frame: arg)
 *    32    | r12   (first frame: entry)
 *    40    | rbx
 *    48    | rbp
 *    56    | return address (first frame: zs_arch_start)
 *
 * MXCSR control bits and the x87 control word are callee-saved state in the
 * SysV ABI ("control bits ... preserved across calls"), so a fiber that sets
 * a rounding mode must get it back: 4 extra instructions, as Boost.Context.
 * 21 instructions per switch.
 */
#include "zs_arch.h"

        .text
        .globl  zs_arch_switch
        .type   zs_arch_switch, @function
        .p2align 4
/* void zs_arch_switch(void **save_sp = rdi, void *new_sp = rsi) */
zs_arch_switch:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr ZS_FRAME_FPCTL(%rsp)
        fnstcw  ZS_FRAME_FPCTL+4(%rsp)
        movq    %rsp, (%rdi)          /* the suspended context is its sp */
        movq    %rsi, %rsp            /* from here on: the other stack */
        ldmxcsr ZS_FRAME_FPCTL(%rsp)
        fldcw   ZS_FRAME_FPCTL+4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret                           /* resume, or enter zs_arch_start */
        .cfi_endproc
        .size   zs_arch_switch, .-zs_arch_switch

        .globl  zs_arch_start
        .type   zs_arch_start, @function
        .p2align 4
/* First frame lands here with rsp 16-aligned (zs_arch_frame): entry(arg). */
zs_arch_start:
        .cfi_startproc
        .cfi_undefined rip            /* outermost frame for debuggers */
        movq    %r13, %rdi
        callq   *%r12
        callq   zs_ctx_returned@PLT   /* entry returned: fatal, no return */
        ud2
        .cfi_endproc
        .size   zs_arch_start, .-zs_arch_start

        .section .note.GNU-stack,"",@progbits
