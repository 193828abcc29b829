/* xt_vectors.S - the vector table at VECBASE for the Xtensa emu firmware.
 *
 * Windowed core (dc233c) only: the six window overflow/underflow handlers at
 * VECBASE + 0x000..0x17f. The CPU raises them (with PS.EXCM set, so nothing
 * nests) when an instruction needs a register window still owned by an older
 * frame (overflow: spill that frame) or when retw returns into a frame whose
 * window was spilled (underflow: reload it). Where the ABI keeps the values,
 * for a frame F with caller C and callee N (sp = a1 of each):
 *
 *   F's a0-a3    at N.sp-16 .. N.sp-4   ("base save area", below N's sp)
 *   F's a4-a7    at C.sp-32 .. C.sp-20  (call8 frames: top of F's own frame)
 *   F's a4-a11   at C.sp-48 .. C.sp-20  (call12 frames)
 *   C.sp itself  at F.sp-12             (C's a1, in C's base save area)
 *
 * In a handler the window is F's: a1 = F.sp, and N.sp is a5/a9/a13 for a
 * call4/8/12 frame. Overflow always spills the oldest frame first, so C's
 * a1 is already in memory when F's extra registers need C.sp.
 *
 * Both cores: user vector (level-1 interrupts + exceptions) -> crt handler;
 * every other vector is a fault and ends the run with XT_EXIT_FAULT.
 */
#include "xt_board.h"

        .section .vectors, "ax"
        .globl  _xt_vectors
_xt_vectors:
#ifdef __XTENSA_WINDOWED_ABI__
        .org    0x000           /* overflow, call4 frame */
        s32e    a0, a5, -16
        s32e    a1, a5, -12
        s32e    a2, a5, -8
        s32e    a3, a5, -4
        rfwo

        .org    0x040           /* underflow, call4 frame */
        l32e    a0, a5, -16
        l32e    a1, a5, -12
        l32e    a2, a5, -8
        l32e    a3, a5, -4
        rfwu

        .org    0x080           /* overflow, call8 frame */
        s32e    a0, a9, -16
        l32e    a0, a1, -12     /* a0 = C.sp (a0 already saved) */
        s32e    a1, a9, -12
        s32e    a2, a9, -8
        s32e    a3, a9, -4
        s32e    a4, a0, -32
        s32e    a5, a0, -28
        s32e    a6, a0, -24
        s32e    a7, a0, -20
        rfwo

        .org    0x0c0           /* underflow, call8 frame */
        l32e    a1, a9, -12     /* F.sp */
        l32e    a0, a9, -16
        l32e    a7, a1, -12     /* a7 = C.sp until its own load */
        l32e    a2, a9, -8
        l32e    a3, a9, -4
        l32e    a4, a7, -32
        l32e    a5, a7, -28
        l32e    a6, a7, -24
        l32e    a7, a7, -20
        rfwu

        .org    0x100           /* overflow, call12 frame */
        s32e    a0, a13, -16
        l32e    a0, a1, -12     /* a0 = C.sp */
        s32e    a1, a13, -12
        s32e    a2, a13, -8
        s32e    a3, a13, -4
        s32e    a4, a0, -48
        s32e    a5, a0, -44
        s32e    a6, a0, -40
        s32e    a7, a0, -36
        s32e    a8, a0, -32
        s32e    a9, a0, -28
        s32e    a10, a0, -24
        s32e    a11, a0, -20
        rfwo

        .org    0x140           /* underflow, call12 frame */
        l32e    a1, a13, -12    /* F.sp */
        l32e    a0, a13, -16
        l32e    a11, a1, -12    /* a11 = C.sp until its own load */
        l32e    a2, a13, -8
        l32e    a3, a13, -4
        l32e    a4, a11, -48
        l32e    a5, a11, -44
        l32e    a6, a11, -40
        l32e    a7, a11, -36
        l32e    a8, a11, -32
        l32e    a9, a11, -28
        l32e    a10, a11, -24
        l32e    a11, a11, -20
        rfwu
#endif

        .org    XT_VEC_DEBUG
        j       _xt_fault
        .org    XT_VEC_NMI
        j       _xt_fault
        .org    XT_VEC_KERNEL
        j       _xt_fault
        .org    XT_VEC_USER
        wsr     a0, excsave1
        j       _xt_user_exc
        .org    XT_VEC_DOUBLE
        j       _xt_fault
        .org    XT_VEC_END

        .section .note.GNU-stack,"",@progbits
