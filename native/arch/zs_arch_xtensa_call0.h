/* Xtensa call0 ABI (ESP8266 / lx106): frame stored by
 * switch_xtensa_call0_elf_gas.S. Callee-saved: a0 (return address),
 * a12-a15; a1 is the stack pointer and is the context itself. */
#ifndef ZS_ARCH_XTENSA_CALL0_H
#define ZS_ARCH_XTENSA_CALL0_H
#define ZS_ARCH_NAME     "xtensa-call0"
#define ZS_WORD          4
#define ZS_STACK_ALIGN   16
#define ZS_FRAME_RA      0    /* a0 */
#define ZS_FRAME_ENTRY   4    /* a12 */
#define ZS_FRAME_ARG     8    /* a13 */
#define ZS_FRAME_A14     12
#define ZS_FRAME_A15     16
#define ZS_FRAME_SIZE    32   /* 5 slots, padded to keep sp 16-aligned */
#ifndef __ASSEMBLER__
#include <stdint.h>
struct zs_frame {
    uint32_t ra;     /* a0 */
    uint32_t entry;  /* a12 */
    uint32_t arg;    /* a13 */
    uint32_t a14, a15;
    uint32_t pad[3];
};
#endif
#endif
