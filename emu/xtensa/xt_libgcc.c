/* xt_libgcc.c - the integer division helpers gcc calls on Xtensa cores
 * without a divider: Debian's lx106 libgcc lacks them, and the windowed
 * firmware links no libgcc at all (Debian's is built for call0). Restoring
 * shift-and-subtract, one quotient bit per step; never uses `/` or `%`
 * itself. Division by zero returns 0 (quotient) / the dividend (remainder). */

unsigned __udivsi3(unsigned n, unsigned d);
unsigned __umodsi3(unsigned n, unsigned d);
int __divsi3(int n, int d);
int __modsi3(int n, int d);

// Quotient in the return value, remainder through *rem.
static unsigned udivmod(unsigned n, unsigned d, unsigned *rem) {
    unsigned q = 0, r = 0;
    if (d == 0) {
        *rem = n;
        return 0;
    }
    for (int i = 31; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1u);
        if (r >= d) {
            r -= d;
            q |= 1u << i;
        }
    }
    *rem = r;
    return q;
}

unsigned __udivsi3(unsigned n, unsigned d) {
    unsigned r;
    return udivmod(n, d, &r);
}

unsigned __umodsi3(unsigned n, unsigned d) {
    unsigned r;
    udivmod(n, d, &r);
    return r;
}

// C semantics: the quotient truncates toward zero, the remainder takes n's sign.
int __divsi3(int n, int d) {
    unsigned r, un = n < 0 ? 0u - (unsigned)n : (unsigned)n;
    unsigned ud = d < 0 ? 0u - (unsigned)d : (unsigned)d;
    unsigned q = udivmod(un, ud, &r);
    return (n < 0) != (d < 0) ? (int)(0u - q) : (int)q;
}

int __modsi3(int n, int d) {
    unsigned r, un = n < 0 ? 0u - (unsigned)n : (unsigned)n;
    unsigned ud = d < 0 ? 0u - (unsigned)d : (unsigned)d;
    udivmod(un, ud, &r);
    return n < 0 ? (int)(0u - r) : (int)r;
}
