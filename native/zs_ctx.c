/* zs_ctx.c - the portable half of the context switch (see zs_ctx.h).
 *
 * Stack layout after zs_ctx_init (addresses grow upward):
 *
 *   stack_lo                                          stack_lo + stack_size
 *   | canary | ZS_PAINT bytes ...... | first frame (ZS_FRAME_SIZE) | align pad |
 *                                    ^ c->sp
 *
 * The canary sits where an overflow lands first; zs_ctx_switch checks it on
 * both sides of every switch, so an overflow is reported at the next switch
 * of the guilty fiber (the MPU guard in zs_guard_armv7m.c catches it at the
 * faulting store instead). The paint lets zs_ctx_stack_used find the deepest
 * byte ever written. No libc: loops use volatile stores so the compiler
 * cannot turn them into memset calls on targets without one (lx106).
 */
#define _GNU_SOURCE 1 /* pthread_getattr_np, ASan builds only */
#include "zs_ctx.h"
#include "zs_arch.h"

#if defined(__SANITIZE_ADDRESS__)
#define ZS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZS_ASAN 1
#endif
#endif

#ifdef ZS_ASAN
/* Hosted only: tell ASan which stack is live, or it reports false positives. */
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define ZS_NO_ASAN __attribute__((no_sanitize_address))
#else
#define ZS_NO_ASAN
#endif

#if defined(__GNUC__) && !defined(__clang__)
#define ZS_NOIPA __attribute__((noipa, cold))  /* gcc would infer noreturn and keep a frame */
#else
#define ZS_NOIPA __attribute__((noinline, cold))
#endif

_Static_assert(sizeof(uint32_t) * ZS_CANARY_WORDS <= ZS_STACK_MIN / 8, "canary too big");

__attribute__((weak, noreturn)) void zs_fatal(const char *msg) {
    (void)msg;
    for (;;) {
        __builtin_trap();
    }
}

void zs_ctx_returned(void) {
    zs_fatal("zs: fiber entry returned");
}

// Canary check inlined into the switch: one load and compare per context.
static inline int canary_ok(const zs_ctx_t *c) {
    return c->stack_lo == 0 || *(const volatile uint32_t *)c->stack_lo == ZS_CANARY;
}

int zs_ctx_canary_ok(const zs_ctx_t *c) {
    return canary_ok(c);
}

#ifndef ZS_ARCH_FRAME_IN_ASM
void *zs_arch_frame(void *stack_top, zs_entry_t entry, void *arg) {
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)(ZS_STACK_ALIGN - 1);
    struct zs_frame *f = (struct zs_frame *)(top - ZS_FRAME_SIZE);
    volatile uintptr_t *w = (volatile uintptr_t *)f;
    for (size_t i = 0; i < ZS_FRAME_SIZE / sizeof(uintptr_t); i++) {
        w[i] = 0;
    }
    f->ra = (uintptr_t)&zs_arch_start;
    f->entry = (uintptr_t)entry;
    f->arg = (uintptr_t)arg;
#ifdef ZS_FRAME_FPCTL
    f->fpctl = ZS_FRAME_FPCTL_INIT;
#endif
    return f;
}
#endif

#ifdef ZS_ASAN
struct zs_boot {
    zs_entry_t entry;
    void *arg;
};
static const void *main_lo;
static size_t main_size;

// First code on a new fiber under ASan: finish the switch ASan was told about.
static void zs_asan_boot(void *p) {
    struct zs_boot *b = (struct zs_boot *)p;
    __sanitizer_finish_switch_fiber(0, 0, 0);
    b->entry(b->arg);
    zs_ctx_returned();
}

// The boot context's stack bounds, from the thread attributes (glibc).
static void main_bounds(void) {
    pthread_attr_t a;
    void *lo;
    size_t size;
    if (main_lo || pthread_getattr_np(pthread_self(), &a) != 0) {
        return;
    }
    if (pthread_attr_getstack(&a, &lo, &size) == 0) {
        main_lo = lo;
        main_size = size;
    }
    pthread_attr_destroy(&a);
}
#endif

void zs_ctx_init(zs_ctx_t *c, void *stack, size_t size, zs_entry_t entry, void *arg) {
    uintptr_t lo = ((uintptr_t)stack + 3u) & ~(uintptr_t)3u;
    uintptr_t hi = ((uintptr_t)stack + size) & ~(uintptr_t)3u;
    if (c == 0 || stack == 0 || entry == 0 || size < ZS_STACK_MIN || hi - lo < ZS_STACK_MIN) {
        zs_fatal("zs: zs_ctx_init needs a ctx, an entry and a stack of >= ZS_STACK_MIN bytes");
    }
#ifdef ZS_ASAN
    __asan_unpoison_memory_region(stack, size);
#endif
    volatile uint32_t *w = (volatile uint32_t *)lo;
    for (size_t i = 0; i < (hi - lo) / 4; i++) {
        w[i] = ZS_PAINT * 0x01010101u;
    }
    w[0] = ZS_CANARY;
    c->stack_lo = (unsigned char *)lo;
    c->stack_size = hi - lo;
#ifdef ZS_ASAN
    struct zs_boot *b = (struct zs_boot *)((hi - sizeof(struct zs_boot)) & ~(uintptr_t)15u);
    b->entry = entry;
    b->arg = arg;
    c->sp = zs_arch_frame(b, zs_asan_boot, b);
#else
    c->sp = zs_arch_frame((void *)hi, entry, arg);
#endif
}

// Out of line, cold and not marked noreturn: both paths of the switch end in
// a tail call, so the switch itself needs no stack frame of its own.
ZS_NOIPA static void overflow(void) {
    zs_fatal("zs: stack overflow detected (canary damaged)");
}

void zs_ctx_switch(zs_ctx_t *from, zs_ctx_t *to) {
    if (__builtin_expect(!canary_ok(from) || !canary_ok(to), 0)) {
        overflow();
        return;
    }
#ifdef ZS_ASAN
    void *fake = 0;
    if (to->stack_lo == 0) {
        main_bounds();
    }
    __sanitizer_start_switch_fiber(&fake, to->stack_lo ? (const void *)to->stack_lo : main_lo,
                                   to->stack_lo ? to->stack_size : main_size);
    zs_arch_switch(&from->sp, to->sp);
    __sanitizer_finish_switch_fiber(fake, 0, 0);
#else
    zs_arch_switch(&from->sp, to->sp);
#endif
}

// Word scan from the canary up to the first byte that is no longer paint.
ZS_NO_ASAN size_t zs_ctx_stack_used(const zs_ctx_t *c) {
    if (c->stack_lo == 0) {
        return 0;
    }
    const volatile uint32_t *w = (const volatile uint32_t *)c->stack_lo + ZS_CANARY_WORDS;
    const volatile uint32_t *end = (const volatile uint32_t *)(c->stack_lo + c->stack_size);
    while (w < end && *w == ZS_PAINT * 0x01010101u) {
        w++;
    }
    const volatile unsigned char *b = (const volatile unsigned char *)w;
    while (b < (const volatile unsigned char *)end && *b == ZS_PAINT) {
        b++;
    }
    return (size_t)((c->stack_lo + c->stack_size) - (const unsigned char *)b);
}
