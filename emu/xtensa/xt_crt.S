/* xt_crt.S - reset, startup and exception handling of the Xtensa emu
 * firmware (QEMU `-M sim`: lx106 for call0, dc233c for windowed).
 *
 * Boot: the sim machine ignores the ELF entry and starts at the core's reset
 * vector (lx106 0x50000000, dc233c 0xfe000000): the linker script puts
 * .reset there; it jumps to _start through a literal (any distance).
 * _start: (windowed: WINDOWBASE=0, WINDOWSTART=1: one live frame), VECBASE,
 * sp, zero .bss, PS = XT_PS_INIT (exceptions and windows live), main(),
 * then exit with main's result through the simcall semihosting exit.
 *
 * The first windowed frame is called with callx4, so when it is spilled only
 * its a0-a3 are saved (into main's base save area): it needs no caller.
 *
 * Interrupts: the CCOMPARE0 timer (level 1) enters _xt_user_exc, which
 * counts it in xt_tick_count, re-arms CCOMPARE0 and returns with rfe. It
 * touches only a0 (via EXCSAVE1), a2, a3 and 8 bytes at sp-48, leaving the
 * 16 bytes below sp alone: in the windowed ABI those may hold the caller's
 * spilled a0-a3. Anything else is a fault: "FAULT: ..." and exit 4.
 */
#include "xt_board.h"

        .section .reset, "ax"
        .globl  _reset
_reset:
        j       1f
        .align  4
.Lstart:
        .word   _start
1:      l32r    a0, .Lstart
        jx      a0

        .text
        .literal_position
        .globl  _start
        .align  4
_start:
#ifdef __XTENSA_WINDOWED_ABI__
        movi    a0, 0
        wsr.windowbase a0
        rsync
        movi    a0, 1
        wsr.windowstart a0
        rsync
#endif
        movi    a0, _xt_vectors
        wsr     a0, vecbase
        movi    a1, _stack_top
        movi    a2, _bss_start
        movi    a3, _bss_end
        movi    a4, 0
1:      bgeu    a2, a3, 2f
        s32i    a4, a2, 0
        addi    a2, a2, 4
        j       1b
2:      movi    a0, XT_PS_INIT
        wsr     a0, ps
        rsync
#ifdef __XTENSA_WINDOWED_ABI__
        movi    a4, main
        callx4  a4
        mov     a3, a6          /* main's result: callee a2 = our a6 */
#else
        movi    a0, main
        callx0  a0
        mov     a3, a2
#endif
        movi    a2, 1           /* simcall exit(a3) */
        simcall
3:      j       3b

/* Level-1 interrupt (the tick) or exception; a0 is in EXCSAVE1. */
        .align  4
        .globl  _xt_user_exc
_xt_user_exc:
        rsr     a0, exccause
        beqi    a0, XT_EXCCAUSE_LEVEL1_INT, 1f
        j       _xt_fault
1:      addi    a1, a1, -XT_ISR_FRAME
        s32i    a2, a1, 0
        s32i    a3, a1, 4
        rsr     a2, ccount
#ifdef XT_NEGATIVE_CONTROL_PAST_REARM
        movi    a3, -XT_TICK_PERIOD /* what a host stall did without -icount */
#else
        movi    a3, XT_TICK_PERIOD
#endif
        add     a2, a2, a3
        wsr     a2, ccompare0   /* re-arm; also clears the interrupt */
        movi    a2, xt_tick_count
        l32i    a3, a2, 0
        addi    a3, a3, 1
        s32i    a3, a2, 0
        l32i    a3, a1, 4
        l32i    a2, a1, 0
        addi    a1, a1, XT_ISR_FRAME
        rsr     a0, excsave1
        rfe

/* Any other exception: print cause, pc and address, exit XT_EXIT_FAULT. */
        .align  4
        .globl  _xt_fault
_xt_fault:
        movi    a10, .Lmsg
        rsr     a5, exccause
        movi    a6, .Lcause_end
        call0   _xt_hex8
        rsr     a5, epc1
        movi    a6, .Lpc_end
        call0   _xt_hex8
        rsr     a5, excvaddr
        movi    a6, .Lva_end
        call0   _xt_hex8
        movi    a2, 4           /* simcall write(1, msg, len) */
        movi    a3, 1
        mov     a4, a10
        movi    a5, .Lmsg_end
        sub     a5, a5, a10
        simcall
        movi    a2, 1
        movi    a3, XT_EXIT_FAULT
        simcall
1:      j       1b

/* a5 -> 8 hex digits ending at a6; uses a7-a9 (call0: no window). */
        .align  4
_xt_hex8:
        movi    a7, 8
1:      extui   a8, a5, 0, 4
        addi    a8, a8, 48      /* '0' */
        movi    a9, 58
        blt     a8, a9, 2f
        addi    a8, a8, 39      /* 'a' - '0' - 10 */
2:      addi    a6, a6, -1
        s8i     a8, a6, 0
        srli    a5, a5, 4
        addi    a7, a7, -1
        bnez    a7, 1b
        ret

        .data
.Lmsg:  .ascii  "FAULT: exception cause=0x00000000"
.Lcause_end:
        .ascii  " pc=0x00000000"
.Lpc_end:
        .ascii  " vaddr=0x00000000"
.Lva_end:
        .ascii  "\n"
.Lmsg_end:
        .align  4
        .globl  xt_tick_count
xt_tick_count:
        .word   0

        .section .note.GNU-stack,"",@progbits
