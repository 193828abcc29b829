/* zs_guard_armv7m.c - MPU stack guards, PMSAv7 (see zs_guard_armv7m.h). */
#include <stdint.h>

#include "zs_guard_armv7m.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define MPU_TYPE 0xE000ED90u
#define MPU_CTRL 0xE000ED94u
#define MPU_RNR 0xE000ED98u
#define MPU_RBAR 0xE000ED9Cu
#define MPU_RASR 0xE000EDA0u
#define MPU_CTRL_ENABLE 1u
#define MPU_CTRL_PRIVDEFENA 4u
#define RASR_XN (1u << 28)  /* AP = 000: no access at any privilege */

unsigned zs_guard_regions(void) {
    return (REG(MPU_TYPE) >> 8) & 0xFFu;
}

int zs_guard_install(unsigned region, const void *base, unsigned size_log2) {
    uintptr_t b = (uintptr_t)base;
    if (region >= zs_guard_regions() || size_log2 < 5 || size_log2 > 31 ||
        (b & (((uintptr_t)1 << size_log2) - 1u))) {
        return -1;
    }
    __asm volatile("dsb" ::: "memory");
    REG(MPU_RNR) = region;
    REG(MPU_RBAR) = (uint32_t)b;
    REG(MPU_RASR) = RASR_XN | ((size_log2 - 1u) << 1) | 1u;
    REG(MPU_CTRL) = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __asm volatile("dsb\n isb" ::: "memory");
    return 0;
}

void zs_guard_remove(unsigned region) {
    if (region < zs_guard_regions()) {
        __asm volatile("dsb" ::: "memory");
        REG(MPU_RNR) = region;
        REG(MPU_RASR) = 0;
        __asm volatile("dsb\n isb" ::: "memory");
    }
}
