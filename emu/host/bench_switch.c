/* bench_switch.c - x86-64 switch round trip in a tight loop, printed beside
 * the Boost.Context fcontext reference (PLATFORM-NOTES: 9 ns per switch on
 * this machine class). A printed figure, never an assert: ends "Test OK". */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <time.h>

#include "zs_ctx.h"

#define ROUNDS 200000L  /* per sample; the best of SAMPLES is reported */
#define SAMPLES 40
#define BOOST_NS_PER_SWITCH 9.0

static zs_ctx_t main_ctx, fiber, raw_main, raw;
static unsigned char stack[16384] __attribute__((aligned(16)));
static unsigned char raw_stack[16384] __attribute__((aligned(16)));
static volatile long hops;

static void pong(void *arg) {
    (void)arg;
    for (;;) {
        hops++;
        zs_ctx_switch(&fiber, &main_ctx);
    }
}

// The bare asm switch, no canary checks: what fcontext's jump measures.
static void pong_raw(void *arg) {
    (void)arg;
    for (;;) {
        hops++;
        zs_arch_switch(&raw.sp, raw_main.sp);
    }
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(void) {
    double best = 1e30, best_raw = 1e30;
    zs_ctx_init(&fiber, stack, sizeof stack, pong, 0);
    zs_ctx_init(&raw, raw_stack, sizeof raw_stack, pong_raw, 0);
    for (int run = 0; run < SAMPLES; run++) {
        double t0 = now_ns();
        for (long i = 0; i < ROUNDS; i++) {
            zs_ctx_switch(&main_ctx, &fiber);
        }
        double t1 = now_ns();
        for (long i = 0; i < ROUNDS; i++) {
            zs_arch_switch(&raw_main.sp, raw.sp);
        }
        double t2 = now_ns();
        best = (t1 - t0) / ROUNDS < best ? (t1 - t0) / ROUNDS : best;
        best_raw = (t2 - t1) / ROUNDS < best_raw ? (t2 - t1) / ROUNDS : best_raw;
    }
    if (hops != 2L * SAMPLES * ROUNDS) {
        printf("FAIL: %ld hops\n", (long)hops);
        return 1;
    }
    printf("x86-64 switch round trip: %.1f ns (%.1f ns per switch; "
           "Boost.Context fcontext reference %.0f ns per switch, ratio %.2f)\n",
           best, best / 2, BOOST_NS_PER_SWITCH, best / 2 / BOOST_NS_PER_SWITCH);
    printf("x86-64 bare zs_arch_switch round trip: %.1f ns (%.1f ns per switch, ratio %.2f)\n", best_raw,
           best_raw / 2, best_raw / 2 / BOOST_NS_PER_SWITCH);
    printf("METRIC round_trip_ns=%.1f\nMETRIC arch_round_trip_ns=%.1f\nMETRIC boost_ref_ns_per_switch=%.0f\n",
           best, best_raw, BOOST_NS_PER_SWITCH);
    printf("Test OK\n");
    return 0;
}
