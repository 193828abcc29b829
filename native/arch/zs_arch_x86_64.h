/* x86-64 System V: frame pushed by switch_x86_64_sysv_elf_gas.S.
 * Callee-saved: rbx rbp r12-r15, MXCSR control bits, x87 control word. */
#ifndef ZS_ARCH_X86_64_H
#define ZS_ARCH_X86_64_H
#define ZS_ARCH_NAME     "x86_64-sysv"
#define ZS_WORD          8
#define ZS_STACK_ALIGN   16   /* frame + ZS_FRAME_SIZE; then `call` in zs_arch_start is ABI-aligned */
#define ZS_FRAME_FPCTL   0    /* mxcsr (4 bytes) | x87 cw (2 bytes) | pad */
#define ZS_FRAME_ENTRY   32   /* r12 */
#define ZS_FRAME_ARG     24   /* r13 */
#define ZS_FRAME_RA      56
#define ZS_FRAME_SIZE    64
#define ZS_FRAME_FPCTL_INIT 0x0000037F00001F80ull  /* power-on MXCSR, x87 cw */
#ifndef __ASSEMBLER__
#include <stdint.h>
struct zs_frame {
    uint64_t fpctl;
    uint64_t r15, r14;
    uint64_t arg;    /* r13 */
    uint64_t entry;  /* r12 */
    uint64_t rbx, rbp;
    uint64_t ra;
};
#endif
#endif
