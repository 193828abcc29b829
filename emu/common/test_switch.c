/* test_switch.c - the portable test program of the native context switch.
 * Same source on every target (host, Cortex-M, RV32, Xtensa): only zs_ctx.h,
 * zs_semi.h and a tiny number printer. Ends with the single line "Test OK"
 * and semi_exit(ZS_EXIT_OK); any failed check prints "FAIL: ..." and exits
 * ZS_EXIT_FAIL. Build switches:
 *   ZS_TEST_NREGS=n   callee-saved integer registers zs_test_regs_switch checks
 *   ZS_TEST_FPU       also s16-s31 (M4F/M7) through zs_test_fpu_switch
 *   ZS_TEST_FPCTL     also the FP control state (x86-64 MXCSR, x87 cw)
 *   ZS_TEST_TICKS     a periodic interrupt fires while fibers switch (50 ticks
 *                     within ZS_TEST_TICK_ROUNDS register-checked round trips)
 *   ZS_TEST_CANARY    overflow mode: must end in zs_fatal (ZS_EXIT_FATAL)
 *   ZS_TEST_MPU       guard mode: must end in the guard fault (ZS_EXIT_GUARD)
 *   ZS_TEST_RETURN    a fiber entry returns: must end in zs_fatal (the
 *                     arch trampoline's path to zs_ctx_returned)
 *   ZS_TEST_MISUSE    zs_ctx_init with a too-small stack: must end in zs_fatal
 *   ZS_TEST_COUNT     only a short ping-pong, for instruction counting
 *   ZS_TEST_STACK, ZS_TEST_FIBERS, ZS_TEST_ROUNDS, ZS_TEST_DEEP_LEVELS  sizes
 */
#include "zs_ctx.h"
#include "zs_semi.h"

#ifndef ZS_TEST_NREGS
#error "define ZS_TEST_NREGS: how many callee-saved registers zs_test_regs_switch checks"
#endif
#ifndef ZS_TEST_STACK
#define ZS_TEST_STACK 2048
#endif
#ifndef ZS_TEST_FIBERS
#define ZS_TEST_FIBERS 8
#endif
#ifndef ZS_TEST_ROUNDS
#define ZS_TEST_ROUNDS 5000
#endif
#define DEEP_STACK (4 * ZS_TEST_STACK)
#ifndef ZS_TEST_DEEP_LEVELS
#define ZS_TEST_DEEP_LEVELS (ZS_TEST_STACK / 32)
#endif
#define DEEP_LEVELS ZS_TEST_DEEP_LEVELS
#define HWM_BYTES (ZS_TEST_STACK / 2)
#ifndef ZS_TEST_GUARD_LOG2
#define ZS_TEST_GUARD_LOG2 8  /* MPU region size; the host uses a 4 KiB page */
#endif
#define PAD 512

static zs_ctx_t main_ctx;
static zs_ctx_t fib[ZS_TEST_FIBERS];
static unsigned char stacks[ZS_TEST_FIBERS][ZS_TEST_STACK] __attribute__((aligned(16)));
static unsigned char deep_stack[DEEP_STACK] __attribute__((aligned(16)));

// Number printer: no libc on the smallest targets.
static void put_u(unsigned long v) {
    char buf[24];
    int i = (int)sizeof buf - 1;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v && i > 0);
    semi_write(&buf[i]);
}

static void say(const char *what, unsigned long v, const char *tail) {
    semi_write(what);
    put_u(v);
    semi_write(tail);
}

static void check(int ok, const char *what, unsigned long v) {
    if (!ok) {
        semi_write("FAIL: ");
        say(what, v, "\n");
        semi_exit(ZS_EXIT_FAIL);
    }
}

void zs_fatal(const char *msg) {
    semi_write("FATAL: ");
    semi_write(msg);
    semi_write("\n");
    semi_exit(ZS_EXIT_FATAL);
}

static unsigned lcg(unsigned x) {
    return x * 1103515245u + 12345u;
}

/* ---- round robin: main -> f0 -> f1 ... -> f(n-1) -> main ---- */
static volatile unsigned rr_seq;
static volatile unsigned rr_sum[ZS_TEST_FIBERS];

static void rr_entry(void *arg) {
    unsigned id = (unsigned)(uintptr_t)arg;
    unsigned local = id * 7919u;  // live across every switch
    for (unsigned k = 0;; k++) {
        check(rr_seq % ZS_TEST_FIBERS == id, "round robin out of order, fiber ", id);
        rr_seq++;
        local = lcg(local) + k;
        rr_sum[id] += local;
        zs_ctx_switch(&fib[id], id + 1 < ZS_TEST_FIBERS ? &fib[id + 1] : &main_ctx);
    }
}

__attribute__((unused)) static void test_round_robin(unsigned rounds) {
    for (unsigned i = 0; i < ZS_TEST_FIBERS; i++) {
        rr_sum[i] = 0;
        zs_ctx_init(&fib[i], stacks[i], ZS_TEST_STACK, rr_entry, (void *)(uintptr_t)i);
    }
    rr_seq = 0;
    for (unsigned r = 0; r < rounds; r++) {
        zs_ctx_switch(&main_ctx, &fib[0]);
    }
    check(rr_seq == rounds * ZS_TEST_FIBERS, "round robin steps ", rr_seq);
    for (unsigned i = 0; i < ZS_TEST_FIBERS; i++) {
        unsigned local = i * 7919u, sum = 0;
        for (unsigned k = 0; k < rounds; k++) {
            local = lcg(local) + k;
            sum += local;
        }
        check(rr_sum[i] == sum, "round robin checksum, fiber ", i);
    }
    say("round robin: ", ZS_TEST_FIBERS, " fibers x ");
    say("", rounds, " rounds ok\n");
}

/* ---- ping-pong: thousands of switches, a counter handed back and forth ---- */
static volatile unsigned pp_count;

static void pp_entry(void *arg) {
    (void)arg;
    for (;;) {
        pp_count = lcg(pp_count);
        zs_ctx_switch(&fib[0], &main_ctx);
    }
}

__attribute__((unused)) static void test_ping_pong(unsigned rounds) {
    unsigned expect = 1;
    pp_count = 1;
    zs_ctx_init(&fib[0], stacks[0], ZS_TEST_STACK, pp_entry, 0);
    for (unsigned r = 0; r < rounds; r++) {
        zs_ctx_switch(&main_ctx, &fib[0]);
        expect = lcg(expect);
        check(pp_count == expect, "ping-pong value at round ", r);
    }
    say("ping-pong: ", 2 * rounds, " switches ok\n");
}

/* ---- every callee-saved register survives the switch (both directions) ---- */
static volatile unsigned regs_bad, fpu_bad, fpctl_bad;

static void regs_entry(void *arg) {
    (void)arg;
    for (unsigned k = 0;; k++) {
        regs_bad |= (unsigned)zs_test_regs_switch(&fib[1], &main_ctx, 0x5a5a0000u + k);
#ifdef ZS_TEST_FPU
        fpu_bad |= (unsigned)zs_test_fpu_switch(&fib[1], &main_ctx, 0x3c000000u + k);
#endif
#ifdef ZS_TEST_FPCTL
        fpctl_bad |= (unsigned)zs_test_fpctl_switch(&fib[1], &main_ctx, k);
#endif
    }
}

// One round trip per register class, checked on both sides.
static void regs_round(unsigned k) {
    unsigned bad = (unsigned)zs_test_regs_switch(&main_ctx, &fib[1], 0xa5a50000u + k);
    check(bad == 0, "main registers damaged by a switch, mask ", bad);
    check(regs_bad == 0, "fiber registers damaged by a switch, mask ", regs_bad);
#ifdef ZS_TEST_FPU
    bad = (unsigned)zs_test_fpu_switch(&main_ctx, &fib[1], 0x41000000u + k);
    check(bad == 0, "main s16-s31 damaged by a switch, mask ", bad);
    check(fpu_bad == 0, "fiber s16-s31 damaged by a switch, mask ", fpu_bad);
#endif
#ifdef ZS_TEST_FPCTL
    bad = (unsigned)zs_test_fpctl_switch(&main_ctx, &fib[1], k + 1);
    check(bad == 0, "main FP control damaged by a switch, mask ", bad);
    check(fpctl_bad == 0, "fiber FP control damaged by a switch, mask ", fpctl_bad);
#endif
}

__attribute__((unused)) static void test_regs(unsigned rounds) {
    // Negative control of the checker: a real clobber must be seen everywhere.
    unsigned all = (1u << ZS_TEST_NREGS) - 1u;
    unsigned seen = (unsigned)zs_test_regs_switch(0, 0, 0x12340000u);
    check(seen == all, "register checker missed a clobber, mask ", seen);
#ifdef ZS_TEST_FPU
    seen = (unsigned)zs_test_fpu_switch(0, 0, 0x12340000u);
    check(seen == 0xffffu, "FPU checker missed a clobber, mask ", seen);
#endif
#ifdef ZS_TEST_FPCTL
    seen = (unsigned)zs_test_fpctl_switch(0, 0, 1);
    check(seen == 3u, "FP control checker missed a clobber, mask ", seen);
#endif
    regs_bad = fpu_bad = fpctl_bad = 0;
    zs_ctx_init(&fib[1], stacks[1], ZS_TEST_STACK, regs_entry, 0);
    for (unsigned k = 0; k < rounds; k++) {
        regs_round(k);
    }
    say("callee-saved registers: ", ZS_TEST_NREGS, " preserved");
#ifdef ZS_TEST_FPU
    semi_write(", s16-s31 preserved");
#endif
#ifdef ZS_TEST_FPCTL
    semi_write(", MXCSR and x87 control word preserved");
#endif
    semi_write("\n");
}

/* ---- deep recursion inside a fiber, switching out on the way down ---- */
static zs_ctx_t deep_ctx;
static volatile unsigned deep_result, deep_done, deep_switch;

static unsigned deep(unsigned n) {
    volatile unsigned pad[3];
    pad[0] = n * 3u;
    pad[1] = n ^ 0x55u;
    pad[2] = lcg(n);
    if (deep_switch && n % 8u == 0) {
        zs_ctx_switch(&deep_ctx, &main_ctx);
    }
    unsigned r = n == 0 ? 1u : deep(n - 1);
    return r * 31u + pad[0] + pad[1] + pad[2];
}

static void deep_entry(void *arg) {
    deep_result = deep((unsigned)(uintptr_t)arg);
    deep_done = 1;
    for (;;) {
        zs_ctx_switch(&deep_ctx, &main_ctx);
    }
}

__attribute__((unused)) static void test_deep(void) {
    deep_switch = 0;
    unsigned expect = deep(DEEP_LEVELS);
    deep_switch = 1;
    deep_done = 0;
    zs_ctx_init(&deep_ctx, deep_stack, DEEP_STACK, deep_entry, (void *)(uintptr_t)DEEP_LEVELS);
    size_t fresh = zs_ctx_stack_used(&deep_ctx);
    check(fresh > 0 && fresh <= 256, "fresh stack high-water mark ", fresh);
    unsigned trips = 0;
    while (!deep_done) {
        zs_ctx_switch(&main_ctx, &deep_ctx);
        trips++;
        check(trips <= DEEP_LEVELS, "deep recursion did not finish, trips ", trips);
    }
    check(deep_result == expect, "deep recursion result ", deep_result);
    size_t used = zs_ctx_stack_used(&deep_ctx);
    check(used >= DEEP_LEVELS * 4u * sizeof(unsigned) && used < DEEP_STACK, "deep stack used ", used);
    check(zs_ctx_canary_ok(&deep_ctx), "deep canary ", 0);
    say("deep recursion: ", DEEP_LEVELS, " levels, ");
    say("", trips, " switches from inside, ");
    say("", used, " bytes of stack used\n");
}

/* ---- high-water mark: a fiber that touches a known amount of stack ---- */
static void hwm_entry(void *arg) {
    volatile unsigned char buf[HWM_BYTES];
    for (unsigned i = 0; i < HWM_BYTES; i++) {
        buf[i] = (unsigned char)i;
    }
    (void)buf[HWM_BYTES - 1];
    (void)arg;
    for (;;) {
        zs_ctx_switch(&fib[2], &main_ctx);
    }
}

__attribute__((unused)) static void test_high_water(void) {
    zs_ctx_init(&fib[2], stacks[2], ZS_TEST_STACK, hwm_entry, 0);
    size_t before = zs_ctx_stack_used(&fib[2]);
    zs_ctx_switch(&main_ctx, &fib[2]);
    size_t after = zs_ctx_stack_used(&fib[2]);
    check(after >= HWM_BYTES && after < ZS_TEST_STACK, "high-water mark after a buffer ", after);
    check(before < after, "high-water mark did not grow ", before);
    say("high-water mark: ", before, " -> ");
    say("", after, " bytes\n");
}

#ifdef ZS_TEST_TICKS
/* ---- a periodic interrupt fires at any instruction while fibers switch ---- */
#define TICKS_WANTED 50u
#ifndef ZS_TEST_TICK_ROUNDS
#define ZS_TEST_TICK_ROUNDS 2000000u  /* round trips before a stopped tick is a failure */
#endif

// Targets without a readable counter/compare pair keep this default.
__attribute__((weak)) int test_ticks_state(unsigned *counter, unsigned *compare) {
    (void)counter;
    (void)compare;
    return 0;
}

// The tick stopped: say how many came and, where the target can tell, where
// its counter and compare stand (a compare just behind the counter was
// re-armed in the past and only matches after the counter wraps).
static void ticks_stopped(unsigned rounds) {
    unsigned counter, compare;
    semi_write("FAIL: timer interrupt stopped after ");
    say("", test_ticks(), " of ");
    say("", TICKS_WANTED, " ticks, ");
    say("", rounds, " register-checked round trips");
    if (test_ticks_state(&counter, &compare)) {
        say("; counter ", counter, ", compare ");
        say("", compare, ", next match in ");
        say("", compare - counter, " counts");
        if (compare - counter > 0x80000000u) {
            semi_write(" (compare behind the counter: re-armed in the past)");
        }
    }
    semi_write("\n");
    semi_exit(ZS_EXIT_FAIL);
}

static void test_interrupts(void) {
    unsigned k = 0;
    test_ticks_start();
    while (test_ticks() < TICKS_WANTED) {
        regs_round(k);
        k++;
        if (k >= ZS_TEST_TICK_ROUNDS) {
            ticks_stopped(k);
        }
    }
    say("interrupts: ", test_ticks(), " ticks during ");
    say("", k, " register-checked round trips\n");
}
#endif

#ifdef ZS_TEST_CANARY
/* ---- overflow mode: a fiber writes below its stack, the switch must notice ---- */
static unsigned char ovf_area[2 * PAD + ZS_TEST_STACK] __attribute__((aligned(16)));

// 512 bytes written from at most ~200 bytes above the canary down past it,
// whatever the frame layout (ASan frames included).
static void smash(void) {
    volatile uint32_t big[128];
    for (unsigned i = 0; i < 128; i++) {
        big[i] = 0xdead0000u + i;
    }
    (void)big[0];
}

static void sink(unsigned n) {
    volatile unsigned char probe = (unsigned char)n;
    if ((uintptr_t)&probe > (uintptr_t)fib[3].stack_lo + 256u) {
        sink(n + 1);
    } else {
        smash();
    }
    (void)probe;
}

static void ovf_entry(void *arg) {
    (void)arg;
    sink(0);
    zs_ctx_switch(&fib[3], &main_ctx);  // must not get past the canary check
    semi_write("FAIL: overflow not detected\n");
    semi_exit(ZS_EXIT_FAIL);
}

static void run_canary_mode(void) {
    zs_ctx_init(&fib[3], ovf_area + 2 * PAD, ZS_TEST_STACK, ovf_entry, 0);
    semi_write("overflow mode: a fiber overflows its stack\n");
    zs_ctx_switch(&main_ctx, &fib[3]);
    semi_write("FAIL: overflow not detected\n");
    semi_exit(ZS_EXIT_FAIL);
}
#endif

#ifdef ZS_TEST_MPU
/* ---- guard mode: the first store into the guard below the stack faults ---- */
#define GUARD (1u << ZS_TEST_GUARD_LOG2)
static unsigned char guard_area[GUARD + GUARD + ZS_TEST_STACK] __attribute__((aligned(GUARD)));

static void dive(unsigned n) {
    volatile unsigned char probe[16];
    probe[0] = (unsigned char)n;
    check((uintptr_t)probe > (uintptr_t)guard_area + 64u, "guard did not fault, depth ", n);
    if (n < 1000000u) {  // bounded for the compiler; the check above stops it first
        dive(n + 1);
    }
    probe[1] = probe[0];
}

static void guard_entry(void *arg) {
    (void)arg;
    dive(0);
}

static void run_mpu_mode(void) {
    unsigned char *guard = guard_area + GUARD;  // below it: GUARD bytes of slack
    check(test_guard(guard, ZS_TEST_GUARD_LOG2) == 0, "no guard region available", 0);
    zs_ctx_init(&fib[3], guard + GUARD, ZS_TEST_STACK, guard_entry, 0);
    semi_write("guard mode: a fiber recurses into its guard region\n");
    zs_ctx_switch(&main_ctx, &fib[3]);
    semi_write("FAIL: guard did not fault\n");
    semi_exit(ZS_EXIT_FAIL);
}
#endif

#ifdef ZS_TEST_RETURN
static volatile unsigned returned;

static void returning_entry(void *arg) {
    returned = (unsigned)(uintptr_t)arg;  // then falls off the end: a bug
}
#endif

int main(void) {
#if defined(ZS_TEST_CANARY)
    run_canary_mode();
#elif defined(ZS_TEST_RETURN)
    semi_write("return mode: a fiber entry returns\n");
    zs_ctx_init(&fib[0], stacks[0], ZS_TEST_STACK, returning_entry, (void *)(uintptr_t)42u);
    zs_ctx_switch(&main_ctx, &fib[0]);
    say("FAIL: came back after entry returned, arg ", returned, "\n");
    semi_exit(ZS_EXIT_FAIL);
#elif defined(ZS_TEST_MISUSE)
    semi_write("misuse mode: zs_ctx_init with a 64-byte stack\n");
    zs_ctx_init(&fib[0], stacks[0], 64, rr_entry, 0);
    semi_write("FAIL: a 64-byte stack was accepted\n");
    semi_exit(ZS_EXIT_FAIL);
#elif defined(ZS_TEST_MPU)
    run_mpu_mode();
#elif defined(ZS_TEST_COUNT)
    test_ping_pong(100);
#else
    test_round_robin(ZS_TEST_ROUNDS / ZS_TEST_FIBERS);
    test_ping_pong(ZS_TEST_ROUNDS);
    test_regs(ZS_TEST_ROUNDS / 4);
    test_deep();
    test_high_water();
#ifdef ZS_TEST_TICKS
    test_interrupts();
#endif
    for (unsigned i = 0; i < 3; i++) {
        check(zs_ctx_canary_ok(&fib[i]), "canary damaged, fiber ", i);
    }
#endif
    semi_write("Test OK\n");
    semi_exit(ZS_EXIT_OK);
}
