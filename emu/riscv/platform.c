/* platform.c - zs_semi.h for QEMU `virt` rv32: the CLINT machine timer as
 * the periodic interrupt, the trap report (semihosting: emu/common/semihost.c
 * over semi_call in start.S). */
#include <stdint.h>

#include "zs_semi.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define CLINT_MTIMECMP 0x02004000u
#define CLINT_MTIME 0x0200BFF8u
#define TICK_PERIOD 200u  /* 10 MHz timebase: every 20 us of virtual time */

void csr_timer_irq_on(void);           /* start.S: mie.MTIE, mstatus.MIE */
void csr_trap_info(uint32_t out[3]);   /* start.S: mcause, mepc, mtval */
static volatile unsigned ticks;

// mtimecmp = mtime + period, written so that no spurious compare can match.
static void timer_rearm(void) {
    uint32_t lo = REG(CLINT_MTIME), hi = REG(CLINT_MTIME + 4);
    uint32_t nlo = lo + TICK_PERIOD, nhi = hi + (nlo < lo);
    REG(CLINT_MTIMECMP + 4) = 0xFFFFFFFFu;
    REG(CLINT_MTIMECMP) = nlo;
    REG(CLINT_MTIMECMP + 4) = nhi;
}

void test_ticks_start(void) {
    timer_rearm();
    csr_timer_irq_on();
}

unsigned test_ticks(void) {
    return ticks;
}

void trap_c(void) {
    uint32_t info[3];
    csr_trap_info(info);
    uint32_t cause = info[0], epc = info[1], tval = info[2];
    if (cause == 0x80000007u) {  // machine timer interrupt
        ticks++;
        timer_rearm();
        return;
    }
    semi_write("FATAL: trap mcause=");
    semi_put_hex(cause);
    semi_write(" mepc=");
    semi_put_hex(epc);
    semi_write(" mtval=");
    semi_put_hex(tval);
    semi_write("\n");
    semi_exit(ZS_EXIT_FAULT);
}
