/* zs_ctx.h - portable stackful context core of zsync-mp.
 *
 * Contract
 *   A context (zs_ctx_t) is a saved stack pointer plus the stack it owns.
 *   zs_ctx_init() paints the stack with ZS_PAINT, writes ZS_CANARY words at
 *   the far (low) end and builds a first frame so that the first switch into
 *   the context calls entry(arg) on that stack with an ABI-aligned sp.
 *   zs_ctx_switch(from, to) saves every callee-saved register (and, where the
 *   ABI says so, the FPU callee-saved registers / FP control state) of the
 *   running code into `from`'s stack, then resumes `to`. Before switching it
 *   checks the canaries of both contexts and calls zs_fatal() on damage.
 *   The context the program starts on needs no init: a zeroed zs_ctx_t
 *   (stack_lo == NULL) is a valid `from`, and later a valid `to`.
 *
 * Invariants
 *   - entry() must never return: the fiber layer switches away for good at
 *     its end. If it returns, the core calls zs_fatal("zs: fiber entry returned").
 *   - Stacks grow down on every supported arch; stack_lo is the lowest byte.
 *   - Nothing here allocates, locks or touches global state (ASan builds
 *     keep the main stack bounds in a static: host only).
 *
 * Interrupts: none of these functions may be called from an interrupt
 *   handler. Interrupts may fire at any instruction of a switch: handlers run
 *   on whatever stack is current, so each stack needs room for one
 *   exception frame (Cortex-M firmware should run fibers on PSP).
 *
 * Not done here: scheduling, stack allocation, MPU guards (zs_guard_armv7m.h).
 */
#ifndef ZS_CTX_H
#define ZS_CTX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*zs_entry_t)(void *arg);

typedef struct zs_ctx {
    void *sp;                 /* saved stack pointer while not running */
    unsigned char *stack_lo;  /* lowest byte of the stack; NULL for the boot context */
    size_t stack_size;        /* bytes from stack_lo up */
} zs_ctx_t;

#define ZS_PAINT        0xA5u        /* every unused stack byte */
#define ZS_CANARY       0xC0DEF1BEu  /* one 32-bit word at stack_lo */
#define ZS_CANARY_WORDS 1
#define ZS_STACK_MIN    256          /* smaller stacks are refused (zs_fatal) */

/* Prepare c to run entry(arg) on [stack, stack+size). */
void zs_ctx_init(zs_ctx_t *c, void *stack, size_t size, zs_entry_t entry, void *arg);
/* Save the running code into from, resume to. Checks both canaries first. */
void zs_ctx_switch(zs_ctx_t *from, zs_ctx_t *to);
/* Bytes of c's stack ever written (high-water mark from the paint); 0 for the boot context. */
size_t zs_ctx_stack_used(const zs_ctx_t *c);
/* 1 while c's canary is intact (always 1 for the boot context). */
int zs_ctx_canary_ok(const zs_ctx_t *c);
/* Report and stop. Weak default traps; firmware overrides it. Never returns. */
void zs_fatal(const char *msg) __attribute__((noreturn));
/* Called by zs_arch_start if entry returns: zs_fatal("zs: fiber entry returned"). */
void zs_ctx_returned(void) __attribute__((noreturn));

/* The per-arch layer (switch_<arch>_<abi>_elf_gas.S, see PORTING.md). */
void zs_arch_switch(void **save_sp, void *new_sp);
void *zs_arch_frame(void *stack_top, zs_entry_t entry, void *arg);
void zs_arch_start(void);  /* trampoline: never called directly */

#ifdef __cplusplus
}
#endif
#endif
