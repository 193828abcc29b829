/* startup.c - bare-metal Cortex-M runtime for the emu test firmware:
 * vector table, reset (copy .data, zero .bss, enable the FPU), thread code on
 * PSP so that fault handlers keep their own MSP stack even when a fiber
 * overflows into its guard, SysTick as the periodic interrupt, semihosting
 * (bkpt 0xAB) or a real STM32 USART (ZS_UART_STM32, for Renode) for output.
 */
#include <stdint.h>

#include "zs_semi.h"
#ifdef ZS_TEST_MPU
#include "zs_guard_armv7m.h"
#endif

#define REG(a) (*(volatile uint32_t *)(a))
#define SCB_CPACR 0xE000ED88u
#define SCB_SHCSR 0xE000ED24u
#define SCB_CFSR 0xE000ED28u
#define SCB_MMFAR 0xE000ED34u
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];
int main(void);

static uint32_t thread_stack[1024] __attribute__((aligned(8)));
static volatile unsigned ticks;
static unsigned char *guard_lo, *guard_hi;

#ifdef ZS_UART_STM32
/* USART2 of the STM32F4 (Renode: sysbus.usart2; QEMU netduinoplus2: serial1). */
#define RCC_APB1ENR 0x40023840u
#define USART2 0x40004400u
static void uart_init(void) {
    REG(RCC_APB1ENR) |= 1u << 17;                    // USART2EN
    REG(USART2 + 0x08) = 0x8Bu;                      // BRR: 115200 from 16 MHz HSI
    REG(USART2 + 0x0C) = (1u << 13) | (1u << 3);     // CR1: UE | TE
}

void semi_write(const char *s) {
    for (; *s; s++) {
        if (*s == '\n') {
            while (!(REG(USART2) & (1u << 7))) {    // SR.TXE
            }
            REG(USART2 + 0x04) = '\r';
        }
        while (!(REG(USART2) & (1u << 7))) {
        }
        REG(USART2 + 0x04) = (uint32_t)(unsigned char)*s;
    }
}

/* No semihosting under Renode: the last line is the verdict; park the CPU. */
void semi_exit(int code) {
    (void)code;
    for (;;) {
        __asm volatile("cpsid i\n wfi");
    }
}
#else
int semi_call(int op, const void *arg) {
    register int r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
#endif

void test_ticks_start(void) {
    REG(SYST_RVR) = 2000u - 1u;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 7u;  // ENABLE | TICKINT | CLKSOURCE=core
}

unsigned test_ticks(void) {
    return ticks;
}

void systick_handler(void) {
#ifdef __ARM_FP
    static volatile float f;
    f = f * 0.5f + 1.0f;  // FP in the handler: lazy stacking on the fiber stack
#endif
    ticks++;
}

#ifdef ZS_TEST_MPU
int test_guard(void *base, unsigned size_log2) {
    guard_lo = base;
    guard_hi = guard_lo + (1u << size_log2);
    return zs_guard_install(0, base, size_log2);
}
#endif

static void fault(const char *what, int code) {
    semi_write(what);
    semi_write(" CFSR=");
    semi_put_hex(REG(SCB_CFSR));
    semi_write("\n");
    semi_exit(code);
}

void memmanage_handler(void) {
    uint32_t cfsr = REG(SCB_CFSR);
    unsigned char *a = (unsigned char *)REG(SCB_MMFAR);
    // MSTKERR: the exception frame itself hit the guard (sp went below it).
    if ((cfsr & 0x80u && a >= guard_lo && a < guard_hi) || (cfsr & 0x10u && guard_lo)) {
        semi_write("FATAL: zs: MPU guard hit (stack overflow) at ");
        semi_put_hex((uint32_t)(uintptr_t)a);
        semi_write("\n");
        semi_exit(ZS_EXIT_GUARD);
    }
    fault("FATAL: MemManage", ZS_EXIT_FAULT);
}

void hardfault_handler(void) {
    fault("FATAL: HardFault", ZS_EXIT_FAULT);
}

void other_handler(void) {
    fault("FATAL: unexpected exception", ZS_EXIT_FAULT);
}

/* Thread mode on PSP (a static stack), handlers on MSP (_estack). */
__attribute__((naked, noreturn)) static void run_main_on_psp(void) {
    __asm volatile(
        "ldr r0, =thread_stack_top\n"
        "ldr r0, [r0]\n"
        "msr psp, r0\n"
        "movs r0, #2\n"
        "msr control, r0\n"
        "isb\n"
        "bl main\n"
        "b .\n"
        ".ltorg\n");
}

__attribute__((used)) uint32_t *const thread_stack_top = thread_stack + sizeof thread_stack / sizeof thread_stack[0];

__attribute__((noreturn)) void reset_handler(void) {
#ifdef __ARM_FP
    REG(SCB_CPACR) |= 0xFu << 20;  // CP10/CP11 full access before any FP instruction
    __asm volatile("dsb\n isb");
#endif
    for (uint32_t *s = _sidata, *d = _sdata; d < _edata;) {
        *d++ = *s++;
    }
    for (volatile uint32_t *d = _sbss; d < _ebss;) {
        *d++ = 0;
    }
#ifdef ZS_UART_STM32
    uart_init();
#endif
#if __ARM_ARCH_ISA_THUMB == 2
    REG(SCB_SHCSR) |= 7u << 16;  // MemManage, BusFault, UsageFault get their own handlers
#endif
    run_main_on_psp();
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))_estack, reset_handler, other_handler, hardfault_handler,
    memmanage_handler, other_handler, other_handler, 0, 0, 0, 0,
    other_handler, other_handler, 0, other_handler, systick_handler,
};
