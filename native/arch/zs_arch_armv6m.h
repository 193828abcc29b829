/* ARMv6-M (Cortex-M0/M0+), Thumb-1, AAPCS: frame pushed by
 * switch_armv6m_aapcs_elf_gas.S. Callee-saved: r4-r11 (r8-r11 go through
 * low registers: Thumb-1 push/pop only reach r0-r7, lr, pc). */
#ifndef ZS_ARCH_ARMV6M_H
#define ZS_ARCH_ARMV6M_H
#define ZS_ARCH_NAME     "armv6m"
#define ZS_WORD          4
#define ZS_STACK_ALIGN   8
#define ZS_FRAME_ENTRY   16   /* r4 */
#define ZS_FRAME_ARG     20   /* r5 */
#define ZS_FRAME_RA      32   /* lr */
#define ZS_FRAME_SIZE    36
#ifndef __ASSEMBLER__
#include <stdint.h>
struct zs_frame {
    uint32_t r8, r9, r10, r11;
    uint32_t entry;  /* r4 */
    uint32_t arg;    /* r5 */
    uint32_t r6, r7;
    uint32_t ra;     /* lr */
};
#endif
#endif
