/* Xtensa windowed ABI (ESP32, ESP32-S3; QEMU dc233c): frame of
 * switch_xtensa_windowed_elf_gas.S. Every register of every caller is
 * "callee-saved" here: the switch spills all live register windows to their
 * stack frames (the ABI's save areas), so a suspended context is its sp plus
 * the return address of zs_arch_switch. The caller's a0-a3 sit in the 16
 * bytes BELOW the saved sp (the ABI's base save area), so the frame starts
 * ZS_FRAME_SP_BIAS bytes below the saved sp, and zs_arch_frame is written in
 * the .S (ZS_ARCH_FRAME_IN_ASM). Offsets count from the frame's lowest byte. */
#ifndef ZS_ARCH_XTENSA_WINDOWED_H
#define ZS_ARCH_XTENSA_WINDOWED_H
#define ZS_ARCH_NAME     "xtensa-windowed"
#define ZS_WORD          4
#define ZS_STACK_ALIGN   16
#define ZS_ARCH_FRAME_IN_ASM 1
#define ZS_FRAME_SP_BIAS 16   /* saved sp = frame + 16 */
#define ZS_FRAME_A0      0    /* zs_arch_start's a0 (0: nowhere to return) */
#define ZS_FRAME_A1      4    /* zs_arch_start's sp = aligned stack top */
#define ZS_FRAME_ENTRY   8    /* zs_arch_start's a2 */
#define ZS_FRAME_ARG     12   /* zs_arch_start's a3 */
#define ZS_FRAME_RA      16   /* zs_arch_switch's a0: pc + window increment */
#define ZS_FRAME_SIZE    80   /* base save + zs_arch_switch's frame */
#define ZS_SWITCH_FRAME  64   /* `entry a1, 64`: a call12 frame (48) + ra */
/* Physical AR registers the spill must reach: 64 on ESP32/ESP32-S3 (the
 * default), 32 on dc233c. 64 is safe on a 32-register core (it spills our
 * own frames too and reloads them: slower, still correct, tested); 32 on a
 * 64-register core would leave windows live: broken. Special registers are
 * not switched: SAR, LBEG/LEND/LCOUNT and the FP registers are caller-saved
 * in the Xtensa ABIs; THREADPTR belongs to the RTOS task, not to a fiber. */
#ifndef ZS_XT_NAREG
#define ZS_XT_NAREG      64
#endif
#ifndef __ASSEMBLER__
#include <stdint.h>
struct zs_frame {
    uint32_t a0, a1;
    uint32_t entry;  /* a2 */
    uint32_t arg;    /* a3 */
    uint32_t ra;
    uint32_t pad[15];
};
_Static_assert(ZS_FRAME_RA == ZS_FRAME_SP_BIAS, "ra is the first word at the saved sp");
_Static_assert(ZS_FRAME_SIZE == ZS_FRAME_SP_BIAS + ZS_SWITCH_FRAME, "frame = base save + switch frame");
#endif
#endif
