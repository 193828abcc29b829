/* semihost.c - freestanding pieces the ARM and RISC-V emu firmware share:
 * memset/memcpy (gcc may emit calls to them even with -ffreestanding),
 * semi_put_hex, and semi_write/semi_exit over the target's semi_call (ARM
 * `bkpt 0xAB`, RISC-V's ebreak sequence: the same operation numbers).
 * ZS_UART_STM32 builds print over a USART and define semi_write/semi_exit
 * in emu/arm/startup.c instead. */
#include <stdint.h>

#include "zs_semi.h"

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void *memset(void *d, int c, unsigned n) {
    volatile unsigned char *p = d;
    while (n--) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void *memcpy(void *d, const void *s, unsigned n) {
    volatile unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

void semi_put_hex(uint32_t v) {
    char b[11] = "0x";
    for (int i = 0; i < 8; i++) {
        b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15u];
    }
    b[10] = 0;
    semi_write(b);
}

#ifndef ZS_UART_STM32
void semi_write(const char *s) {
    semi_call(SYS_WRITE0, s);
}

// SYS_EXIT_EXTENDED makes QEMU exit with `code`; legacy SYS_EXIT knows only 0/1.
void semi_exit(int code) {
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    semi_call(SYS_EXIT_EXTENDED, block);
    for (;;) {
    }
}
#endif
