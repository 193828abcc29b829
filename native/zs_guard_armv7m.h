/* zs_guard_armv7m.h - MPU stack guards for ARMv7-M / ARMv7E-M (PMSAv7).
 *
 * A guard is one MPU region, no access and execute-never, placed directly
 * below a fiber stack: the first store past the stack end faults at once
 * (MemManage, or HardFault if MemManage is disabled) instead of corrupting
 * the neighbour. The background map stays as it was (PRIVDEFENA), so code
 * must run privileged (the default). Run fibers on PSP: the fault handler
 * then runs on MSP, not on the overflowed stack (see emu/arm/startup.c).
 * Not IRQ-safe against another MPU writer; call during setup or from the
 * scheduler with interrupts that touch the MPU masked.
 */
#ifndef ZS_GUARD_ARMV7M_H
#define ZS_GUARD_ARMV7M_H

/* Make [base, base + 2^size_log2) a no-access guard in MPU region `region`.
 * base must be aligned to the size; 5 <= size_log2 <= 31.
 * Returns 0, or -1 (no MPU, region out of range, bad size/alignment). */
int zs_guard_install(unsigned region, const void *base, unsigned size_log2);
/* Disable MPU region `region` (the MPU itself stays on). */
void zs_guard_remove(unsigned region);
/* Number of MPU regions (0: no MPU). */
unsigned zs_guard_regions(void);

#endif
