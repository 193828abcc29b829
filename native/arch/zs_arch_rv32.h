/* RV32 ilp32 (ESP32-C3/C6 class, no FPU): frame stored by
 * switch_rv32_ilp32_elf_gas.S. Callee-saved: ra, s0-s11 (sp is the context). */
#ifndef ZS_ARCH_RV32_H
#define ZS_ARCH_RV32_H
#define ZS_ARCH_NAME     "rv32-ilp32"
#define ZS_WORD          4
#define ZS_STACK_ALIGN   16
#define ZS_FRAME_RA      0
#define ZS_FRAME_S(n)    (4 + 4 * (n))   /* s0..s11 at 4..48 */
#define ZS_FRAME_ENTRY   4    /* s0 */
#define ZS_FRAME_ARG     8    /* s1 */
#define ZS_FRAME_SIZE    64   /* 13 slots, padded to keep sp 16-aligned */
#ifndef __ASSEMBLER__
#include <stdint.h>
struct zs_frame {
    uint32_t ra;
    uint32_t entry;  /* s0 */
    uint32_t arg;    /* s1 */
    uint32_t s2_s11[10];
    uint32_t pad[3];
};
#endif
#endif
