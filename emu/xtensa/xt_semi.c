/* xt_semi.c - what the Xtensa emu firmware gives emu/common/test_switch.c
 * (zs_semi.h): QEMU semihosting through `simcall` (a2 = call number, a3..a5
 * = arguments, result in a2), and the CCOMPARE0 tick. Plain C with inline
 * asm, so the same file builds for the call0 and the windowed ABI. */
#include "zs_semi.h"
#include "xt_board.h"

#define XT_SYS_EXIT  1
#define XT_SYS_WRITE 4

extern volatile unsigned xt_tick_count;  /* xt_crt.S, bumped by the tick handler */

// One simcall; the simulator may change a2 (result) and a3 (errno).
static int xt_simcall(int op, int arg1, const void *arg2, unsigned arg3) {
    register int a2 __asm__("a2") = op;
    register int a3 __asm__("a3") = arg1;
    register const void *a4 __asm__("a4") = arg2;
    register unsigned a5 __asm__("a5") = arg3;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

void semi_write(const char *s) {
    unsigned n = 0;
    while (s[n]) {
        n++;
    }
    xt_simcall(XT_SYS_WRITE, 1, s, n);
}

void semi_exit(int code) {
    for (;;) {
        xt_simcall(XT_SYS_EXIT, code, 0, 0);
    }
}

// Arm CCOMPARE0 one period ahead and enable its interrupt (PS.INTLEVEL is 0).
void test_ticks_start(void) {
    unsigned now, en;
    __asm__ volatile("rsr %0, ccount" : "=r"(now));
    now += XT_TICK_PERIOD;
    __asm__ volatile("wsr %0, ccompare0\n\trsync" : : "r"(now));
    __asm__ volatile("rsr %0, intenable" : "=r"(en));
    en |= 1u << XT_TIMER0_INT;
    __asm__ volatile("wsr %0, intenable\n\trsync" : : "r"(en) : "memory");
}

unsigned test_ticks(void) {
    return xt_tick_count;
}

int test_ticks_state(unsigned *counter, unsigned *compare) {
    __asm__ volatile("rsr %0, ccount" : "=r"(*counter));
    __asm__ volatile("rsr %0, ccompare0" : "=r"(*compare));
    return 1;
}
