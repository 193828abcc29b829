/* ARMv7-M / ARMv7E-M (Cortex-M3/M4/M7), Thumb-2, AAPCS:
 * frame pushed by switch_armv7m_aapcs_elf_gas.S. Callee-saved: r4-r11, and
 * s16-s31 when an FPU is present (__ARM_FP), hard- or softfp. */
#ifndef ZS_ARCH_ARMV7M_H
#define ZS_ARCH_ARMV7M_H
#define ZS_ARCH_NAME     "armv7m"
#define ZS_WORD          4
#define ZS_STACK_ALIGN   8
#if defined(__ARM_FP) && !defined(ZS_NEGATIVE_CONTROL_NO_FPU_SAVE)
#define ZS_ARCH_FPU      1
#define ZS_FRAME_FPU     64   /* s16-s31 below the core registers */
#else
#define ZS_ARCH_FPU      0
#define ZS_FRAME_FPU     0
#endif
#define ZS_FRAME_ENTRY   (ZS_FRAME_FPU + 0)    /* r4 */
#define ZS_FRAME_ARG     (ZS_FRAME_FPU + 4)    /* r5 */
#define ZS_FRAME_RA      (ZS_FRAME_FPU + 32)   /* lr */
#define ZS_FRAME_SIZE    (ZS_FRAME_FPU + 36)
#ifndef __ASSEMBLER__
#include <stdint.h>
struct zs_frame {
#if ZS_ARCH_FPU
    uint32_t s16_s31[16];
#endif
    uint32_t entry;  /* r4 */
    uint32_t arg;    /* r5 */
    uint32_t r6, r7, r8, r9, r10, r11;
    uint32_t ra;     /* lr */
};
#endif
#endif
