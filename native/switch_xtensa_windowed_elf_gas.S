/* switch_xtensa_windowed_elf_gas.S - context switch, Xtensa windowed ABI
 * (ESP32, ESP32-S3; QEMU dc233c). See arch/zs_arch_xtensa_windowed.h.
 *
 * Suspended stack (addresses grow up; N = the saved sp):
 *
 *   offset | content
 *   -------+---------------------------------------------------------------
 *   N-16   | caller's a0-a3: its base save area, filled by the spill
 *   N+0    | a0 of zs_arch_switch: return pc, window increment in bits 31:30
 *   N+4    | unused
 *   N+16   | zs_arch_switch's a4-a11 if it is ever spilled (call12 frame)
 *   N+48   | base save area of the caller's caller (a0-a3)
 *   N+64   | caller's frame ... every older frame, already spilled
 *
 * A windowed call keeps the caller's registers in the register file, not on
 * the stack. Switching stacks under live windows would hand them to the
 * other context, so zs_arch_switch first spills EVERY live window except
 * its own to the frames' save areas (as ESP-IDF's xthal_window_spill does).
 * It forces the spill by touching registers 12, 24, ... ahead (the spill
 * hops below): the CPU raises a window overflow for each live frame in the
 * way, oldest first, until every other window was claimed. After the hops
 * return only our own window is live (WINDOWSTART = 1 << WINDOWBASE). We then store a0 at sp and sp into
 * *save_sp, take the new sp with `mov` (movsp would raise Alloca now: the
 * caller's window is no longer live), load its a0 and `retw`: the caller's
 * window is not live either, so retw raises window underflow and the handler
 * reloads the resumed caller's registers from the new stack. Every register
 * of every frame is thus preserved, including a special one: the window
 * increment in a0 tells retw how far to rotate back.
 *
 * First frame (zs_arch_frame): ra = zs_arch_start with increment 1 (call4),
 * and the "caller" a0-a3 = {0, stack top, entry, arg}: underflow loads them,
 * retw lands in zs_arch_start, which calls entry(arg) with callx4.
 * Code must live in one 1 GiB region: retw keeps pc bits 31:30.
 * Instructions per switch: 8 here + 3 in the hop, plus one overflow handler
 * (5-14 instructions) per live caller frame, one underflow on resume and the
 * retw it restarts. ZS_NEGATIVE_CONTROL_NO_SPILL drops the spill: the test
 * must then fail.
 */
#include "zs_arch.h"

        .text
        .literal_position
        .globl  zs_arch_switch
        .type   zs_arch_switch, @function
        .align  4
/* void zs_arch_switch(void **save_sp = a2, void *new_sp = a3) */
zs_arch_switch:
        entry   a1, ZS_SWITCH_FRAME
#ifndef ZS_NEGATIVE_CONTROL_NO_SPILL
        movi    a12, zs_xt_spill_hop1   /* spills W+1..W+3 (see the hops) */
        callx12 a12                     /* our a0-a11 stay: rotation by 12 */
#endif
        s32i    a0, a1, ZS_FRAME_RA - ZS_FRAME_SP_BIAS
        s32i    a1, a2, 0               /* the suspended context is its sp */
        mov     a1, a3                  /* not movsp: see above */
        l32i    a0, a1, ZS_FRAME_RA - ZS_FRAME_SP_BIAS
        retw                            /* underflow: the other caller */
        .size   zs_arch_switch, .-zs_arch_switch

/* The spill hops. With WINDOWBASE = W in zs_arch_switch, loading a12 (in
 * window W+3) spills any live frame based in W+1..W+3; callx12 + entry put
 * hop 1 at W+3, where loading a12 spills W+4..W+6, and so on: hop k covers
 * up to W+3k+3. The last window needed is W+NW-2 (NW = NAREG/4 windows):
 * zs_arch_switch is reached from zs_ctx_switch by call8 (gcc's only call),
 * so its caller's window starts at W-2 and W-1 is never a frame base.
 * 32 AR registers (dc233c): 1 hop; 64 (ESP32, ESP32-S3): 4 hops. */
        .macro  zs_xt_hop i, next       /* next = 0: the last hop */
        .type   zs_xt_spill_hop\i, @function
        .align  4
zs_xt_spill_hop\i:
        .if     \next
        entry   a1, 48                  /* call12 frame: 48-byte minimum */
        movi    a12, zs_xt_spill_hop\next
        callx12 a12
        .else
        entry   a1, 16
        mov     a12, a12
        .endif
        retw
        .size   zs_xt_spill_hop\i, .-zs_xt_spill_hop\i
        .endm
#if ZS_XT_NAREG == 32
        zs_xt_hop 1, 0
#elif ZS_XT_NAREG == 64
        zs_xt_hop 1, 2
        zs_xt_hop 2, 3
        zs_xt_hop 3, 4
        zs_xt_hop 4, 0
#else
#error "zs: ZS_XT_NAREG must be 32 or 64 (AR registers of the core)"
#endif

        .globl  zs_arch_start
        .type   zs_arch_start, @function
        .align  4
/* Entered by retw with a1 = stack top, a2 = entry, a3 = arg. */
zs_arch_start:
        mov     a6, a3
        callx4  a2                      /* entry(arg): callee a2 = our a6 */
        movi    a4, zs_ctx_returned
        callx4  a4                      /* entry returned: fatal, no return */
        .size   zs_arch_start, .-zs_arch_start

        .globl  zs_arch_frame
        .type   zs_arch_frame, @function
        .align  4
/* void *zs_arch_frame(void *stack_top = a2, entry = a3, arg = a4) */
zs_arch_frame:
        entry   a1, 32
        movi    a5, -ZS_STACK_ALIGN
        and     a2, a2, a5              /* T = aligned top */
        addi    a5, a2, -ZS_FRAME_SIZE  /* lowest byte of the frame */
        movi    a6, 0
        mov     a7, a5
1:      s32i    a6, a7, 0               /* zero the whole frame */
        addi    a7, a7, 4
        bltu    a7, a2, 1b
        s32i    a2, a5, ZS_FRAME_A1
        s32i    a3, a5, ZS_FRAME_ENTRY
        s32i    a4, a5, ZS_FRAME_ARG
        movi    a6, zs_arch_start
        slli    a6, a6, 2
        srli    a6, a6, 2               /* pc bits 29:0 */
        movi    a7, 1
        slli    a7, a7, 30              /* window increment 1: as after call4 */
        or      a6, a6, a7
        s32i    a6, a5, ZS_FRAME_RA
        addi    a2, a5, ZS_FRAME_SP_BIAS
        retw
        .size   zs_arch_frame, .-zs_arch_frame

        .section .note.GNU-stack,"",@progbits
