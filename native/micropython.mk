# micropython.mk - _zsync_fiber for MicroPython's make-based ports
# (unix, qemu, stm32, ...): make USER_C_MODULES=/path/to/zsync-mp/native
#
# Builds _zsync_core (modzsync_core.c, the C Task), the binding (modzsync_fiber.c), the portable switch core (zs_ctx.c)
# and zs_switch_select.S, which assembles the switch zs_arch.h picked for the
# target CPU: nothing here tests the architecture.
# Per-port choices made here and only here:
#   ZS_FIBER_STACK_DEFAULT  default fiber C stack: unix 64 KiB, MCU ports 4 KiB
#                           (set ZS_FIBER_STACK_DEFAULT=<bytes> on the make line)
#   ZS_CORE=0               leave out _zsync_core (the C Task, ~2.1 KiB of
#                           Thumb-2): zsync_mp then uses its Python Task.
#                           For boards whose flash is full (NUCLEO_F446RE).
#   --wrap=gc_collect_end   the module scans the suspended boot stack during a
#                           collection (see modzsync_fiber.c). Without this flag
#                           the link fails with "undefined reference to
#                           __real_gc_collect_end": never a silent GC bug.
#                           Ports that link with `ld` itself (qemu) get the
#                           raw flag, the others -Wl,. Override: ZS_LINK_RAW=1|0.
ZS_FIBER_DIR := $(USERMOD_DIR)
ZS_FIBER_PORT := $(notdir $(CURDIR))

SRC_USERMOD_C += $(ZS_FIBER_DIR)/modzsync_fiber.c
ifneq ($(ZS_CORE),0)
SRC_USERMOD_C += $(ZS_FIBER_DIR)/modzsync_core.c $(ZS_FIBER_DIR)/zs_sleepq.c
endif
SRC_USERMOD_LIB_C += $(ZS_FIBER_DIR)/zs_ctx.c
SRC_USERMOD_LIB_ASM += $(ZS_FIBER_DIR)/zs_switch_select.S
CFLAGS_USERMOD += -I$(ZS_FIBER_DIR)

ifeq ($(ZS_FIBER_PORT),unix)
ZS_FIBER_STACK_DEFAULT ?= 65536
else
ZS_FIBER_STACK_DEFAULT ?= 4096
endif
CFLAGS_USERMOD += -DZS_FIBER_STACK_DEFAULT=$(ZS_FIBER_STACK_DEFAULT)

ifeq ($(ZS_FIBER_PORT),qemu)
ZS_LINK_RAW ?= 1
else
ZS_LINK_RAW ?= 0
endif
ifeq ($(ZS_LINK_RAW),1)
LDFLAGS_USERMOD += --wrap=gc_collect_end
else
LDFLAGS_USERMOD += -Wl,--wrap=gc_collect_end
endif
