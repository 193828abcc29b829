/* zs_semi.h - what each emu target provides to the portable test program
 * (emu/common/test_switch.c). Freestanding: no libc is assumed.
 *
 * Always:
 *   semi_write(s)   print a NUL-terminated string (semihosting, UART, write(2))
 *   semi_exit(code) stop the machine with this exit code (SYS_EXIT_EXTENDED)
 *   zs_test_regs_switch(from, to, seed)  asm, emu/<target>/: fill EVERY
 *       callee-saved register with values derived from seed, call
 *       zs_ctx_switch(from, to), and on return check them; return 0 if all
 *       survived, else a nonzero bitmask/count of the damaged ones.
 * With -DZS_TEST_FPU (M4F/M7): zs_test_fpu_switch(), same for s16-s31.
 * With -DZS_TEST_FPCTL (x86-64): zs_test_fpctl_switch(), same for the FP
 *       control state (MXCSR, x87 control word): the callee sets a non-default
 *       value, switches, and checks it came back.
 * With -DZS_TEST_TICKS: test_ticks_start() starts a periodic interrupt
 *       (SysTick, CLINT timer, SIGALRM) whose handler counts in test_ticks().
 *       Optional: test_ticks_state(&counter, &compare) returns 1 with the
 *       timer's counter and compare register (the FAIL line when the tick
 *       stops shows them); test_switch.c has a weak default returning 0.
 * With -DZS_TEST_MPU: test_guard(base, size_log2) makes [base, base+2^n)
 *       no-access; a hit must end the run with ZS_EXIT_GUARD.
 * test_switch.c defines zs_fatal(): prints "FATAL: <msg>", exits ZS_EXIT_FATAL.
 */
#ifndef ZS_SEMI_H
#define ZS_SEMI_H

#include <stdint.h>
#include "zs_ctx.h"

#define ZS_EXIT_OK     0   /* "Test OK" printed */
#define ZS_EXIT_FAIL   1   /* a check failed: "FAIL: ..." printed */
#define ZS_EXIT_FATAL  2   /* zs_fatal(): canary overflow, entry returned... */
#define ZS_EXIT_GUARD  3   /* MPU guard region hit (MemManage) */
#define ZS_EXIT_FAULT  4   /* any other fault / unexpected exception */

void semi_write(const char *s);
void semi_exit(int code) __attribute__((noreturn));

int zs_test_regs_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed);
int zs_test_fpu_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed);
int zs_test_fpctl_switch(zs_ctx_t *from, zs_ctx_t *to, uintptr_t seed);
void test_ticks_start(void);
unsigned test_ticks(void);
int test_ticks_state(unsigned *counter, unsigned *compare);
int test_guard(void *base, unsigned size_log2);

/* Bare-metal ARM/RISC-V only (emu/common/semihost.c builds on semi_call). */
int semi_call(int op, const void *arg);  /* per target: bkpt 0xAB / ebreak sequence */
void semi_put_hex(uint32_t v);

#endif
