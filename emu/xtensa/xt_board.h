/* xt_board.h - the two QEMU `sim` cores the Xtensa emu targets run on, for
 * C and assembler: lx106 (ESP8266 core, call0 firmware) and dc233c (a
 * windowed core with 32 AR registers, windowed firmware). The ABI picks the
 * core: call0 firmware runs on lx106, windowed firmware on dc233c. */
#ifndef XT_BOARD_H
#define XT_BOARD_H

#define XT_EXCCAUSE_LEVEL1_INT 4   /* EXCCAUSE of a level-1 interrupt */
#define XT_TIMER0_INT    6         /* CCOMPARE0 interrupt, level 1, both cores */
#define XT_TICK_PERIOD   1000      /* CCOUNT cycles between timer interrupts */
#define XT_ISR_FRAME     48        /* tick handler: 16-byte base save area kept */
#define XT_EXIT_FAULT    4         /* = ZS_EXIT_FAULT of emu/common/zs_semi.h */

/* PS after startup: EXCM=0, INTLEVEL=0, UM=1 (level-1 interrupts and
 * exceptions go to the user vector), WOE=1 on the windowed core. */
#define XT_PS_UM         0x00020
#define XT_PS_WOE        0x40000

#ifdef __XTENSA_WINDOWED_ABI__
#define XT_PS_INIT       (XT_PS_UM | XT_PS_WOE)
#define XT_VEC_DEBUG     0x280
#define XT_VEC_NMI       0x2c0
#define XT_VEC_KERNEL    0x300
#define XT_VEC_USER      0x340
#define XT_VEC_DOUBLE    0x3c0
#define XT_VEC_END       0x400
#else
#define XT_PS_INIT       XT_PS_UM
#define XT_VEC_DEBUG     0x10
#define XT_VEC_NMI       0x20
#define XT_VEC_KERNEL    0x30
#define XT_VEC_USER      0x50
#define XT_VEC_DOUBLE    0x70
#define XT_VEC_END       0x80
#endif

#endif
