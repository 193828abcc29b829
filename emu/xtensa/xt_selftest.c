/* xt_selftest.c - checks of the Xtensa emu firmware itself, not of the
 * switch: the division helpers of xt_libgcc.c (gcc calls them for / and %
 * on these cores), and, built with -DXT_SELFTEST_FAULT, that an exception
 * ends the run with "FAULT: exception cause=..." and exit code 4 (the
 * windowed negative control relies on that report). Ends with "Test OK". */
#include "zs_semi.h"

static volatile unsigned vu[] = {0u, 1u, 2u, 3u, 7u, 10u, 255u, 256u, 1000u, 65535u, 65536u,
                                 0x7fffffffu, 0x80000000u, 0x80000001u, 0xfffffffeu, 0xffffffffu,
                                 12345678u, 0xdeadbeefu};
#define N (sizeof vu / sizeof vu[0])

static int failures;

static void fail(const char *what) {
    semi_write("FAIL: ");
    semi_write(what);
    semi_write("\n");
    failures++;
}

// Unsigned: q * d + r == n, r < d, and q is the largest such (r < d implies it).
static void check_unsigned(unsigned n, unsigned d) {
    unsigned q = n / d, r = n % d;
    if (q * d + r != n || r >= d) {
        fail("unsigned division");
    }
}

// Signed: truncation toward zero, remainder has the dividend's sign, |r| < |d|.
static void check_signed(int n, int d) {
    int q = n / d, r = n % d;
    unsigned ar = r < 0 ? 0u - (unsigned)r : (unsigned)r;
    unsigned ad = d < 0 ? 0u - (unsigned)d : (unsigned)d;
    if ((unsigned)q * (unsigned)d + (unsigned)r != (unsigned)n || ar >= ad || (r != 0 && (r < 0) != (n < 0))) {
        fail("signed division");
    }
}

int main(void) {
    for (unsigned i = 0; i < N; i++) {
        for (unsigned j = 0; j < N; j++) {
            if (vu[j] != 0) {
                check_unsigned(vu[i], vu[j]);
            }
            int n = (int)vu[i], d = (int)vu[j];
            if (d != 0 && !(n == (-2147483647 - 1) && d == -1)) {
                check_signed(n, d);
            }
        }
    }
    volatile int m7 = -7, p2 = 2;
    if (m7 / p2 != -3 || m7 % p2 != -1 || 100u / (unsigned)p2 != 50u) {
        fail("known quotients");
    }
    if (failures) {
        semi_exit(ZS_EXIT_FAIL);
    }
    semi_write("division helpers ok\n");
#ifdef XT_SELFTEST_FAULT
    __asm__ volatile("ill");
    semi_write("FAIL: ill did not fault\n");
    semi_exit(ZS_EXIT_FAIL);
#endif
    semi_write("Test OK\n");
    semi_exit(ZS_EXIT_OK);
}
