/* switch_template.S - start of a new port: copy to
 * switch_<arch>_<abi>_elf_gas.S, add arch/zs_arch_<arch>.h and a branch in
 * zs_arch.h, then follow native/PORTING.md. Not built: the #error below
 * stops anyone who assembles the template itself.
 *
 * Frame on the suspended stack (offsets from the saved sp; keep this table,
 * arch/zs_arch_<arch>.h and struct zs_frame in step: zs_arch.h checks the
 * header against the struct with _Static_assert, the emu suite checks the
 * asm against both):
 *
 *   offset | register
 *   -------+----------------------------------------------
 *     0    | callee-saved register 0  (first frame: entry)  = ZS_FRAME_ENTRY
 *     W    | callee-saved register 1  (first frame: arg)    = ZS_FRAME_ARG
 *    ...   | every other callee-saved register, FP ones included
 *    N-W   | return address (first frame: zs_arch_start)    = ZS_FRAME_RA
 *     N    | (ZS_FRAME_SIZE: keep sp aligned to ZS_STACK_ALIGN)
 *
 * N instructions per switch (say how you counted: emu/run.py prints it).
 */
#error "switch_template.S is a template: copy it to switch_<arch>_<abi>_elf_gas.S"
#include "zs_arch.h"

        .text
        .globl  zs_arch_switch
        .type   zs_arch_switch, %function
/* void zs_arch_switch(void **save_sp = arg0, void *new_sp = arg1) */
zs_arch_switch:
        /* 1. make room: sp -= ZS_FRAME_SIZE (or push, if the ISA has it)   */
        /* 2. store every callee-saved register and the return address      */
        /*    at the offsets of the diagram                                 */
        /* 3. *save_sp = sp         -- the suspended context is its sp      */
        /* 4. sp = new_sp           -- from here on: the other stack        */
        /* 5. load every register back from the same offsets               */
        /* 6. sp += ZS_FRAME_SIZE; return through the loaded return address */
        .size   zs_arch_switch, .-zs_arch_switch

        .globl  zs_arch_start
        .type   zs_arch_start, %function
/* The first switch into a context "returns" here, sp aligned to
 * ZS_STACK_ALIGN: call entry(arg) from the ENTRY/ARG registers, then
 * zs_ctx_returned() (never returns) if entry ever comes back. */
zs_arch_start:
        /* arg0 = <ARG register>; call <ENTRY register>; call zs_ctx_returned */
        .size   zs_arch_start, .-zs_arch_start

        .section .note.GNU-stack,"",%progbits
