/* semi_host.c - zs_semi.h for the x86-64 host build: stdout, exit codes,
 * SIGALRM as the periodic interrupt (it lands on whichever fiber stack is
 * live), and an mprotect'ed page as the guard (SIGSEGV on an alternate
 * signal stack reports the hit, as the MemManage handler does on Cortex-M).
 */
#define _GNU_SOURCE 1
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "zs_semi.h"

static volatile sig_atomic_t ticks;
static unsigned char *guard_lo, *guard_hi;
static unsigned char alt_stack[64 * 1024];

void semi_write(const char *s) {
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(1, s, n);
        if (w <= 0) {
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

void semi_exit(int code) {
    exit(code);
}

static void on_alarm(int sig) {
    (void)sig;
    ticks++;
}

void test_ticks_start(void) {
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_interval.tv_usec = 100;
    it.it_value.tv_usec = 100;
    signal(SIGALRM, on_alarm);
    setitimer(ITIMER_REAL, &it, 0);
}

unsigned test_ticks(void) {
    return (unsigned)ticks;
}

static void on_segv(int sig, siginfo_t *si, void *uc) {
    unsigned char *a = (unsigned char *)si->si_addr;
    (void)sig;
    (void)uc;
    if (a >= guard_lo && a < guard_hi) {
        semi_write("FATAL: zs: guard page hit (stack overflow)\n");
        _exit(ZS_EXIT_GUARD);
    }
    semi_write("FATAL: unexpected SIGSEGV\n");
    _exit(ZS_EXIT_FAULT);
}

int test_guard(void *base, unsigned size_log2) {
    size_t size = (size_t)1 << size_log2;
    stack_t ss;
    struct sigaction sa;
    if (((uintptr_t)base & (size - 1)) || size % (size_t)sysconf(_SC_PAGESIZE)) {
        return -1;
    }
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    ss.ss_flags = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    if (sigaltstack(&ss, 0) || sigaction(SIGSEGV, &sa, 0) || mprotect(base, size, PROT_NONE)) {
        return -1;
    }
    guard_lo = (unsigned char *)base;
    guard_hi = guard_lo + size;
    return 0;
}
