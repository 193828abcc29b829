# micropython.cmake - _zsync_fiber for MicroPython's CMake ports (esp32, rp2):
#   make BOARD=ESP32_GENERIC USER_C_MODULES=/path/to/zsync-mp/native/micropython.cmake
# Same pieces and per-port choices as micropython.mk:
#   - zs_switch_select.S assembles the switch zs_arch.h picked (ESP32/S3:
#     Xtensa windowed, ESP32-C3/C6: RV32); nothing here tests the CPU.
#   - ZS_FIBER_STACK_DEFAULT: 8 KiB on esp32 (IDF_TARGET set), else 4 KiB;
#     override with -DZS_FIBER_STACK_DEFAULT=<bytes>.
#   - ZS_CORE: 0 leaves out _zsync_core, the C Task (default: built).
#   - --wrap=gc_collect_end: the module scans the suspended boot stack during
#     a collection; without it the link fails on __real_gc_collect_end.
add_library(usermod_zsync_fiber INTERFACE)

target_sources(usermod_zsync_fiber INTERFACE
    ${CMAKE_CURRENT_LIST_DIR}/modzsync_fiber.c
    ${CMAKE_CURRENT_LIST_DIR}/zs_ctx.c
    ${CMAKE_CURRENT_LIST_DIR}/zs_switch_select.S
)

# -DZS_CORE=0 leaves out _zsync_core (the C Task): zsync_mp then uses its
# Python Task (for boards whose flash is full).
if(NOT DEFINED ZS_CORE OR ZS_CORE)
    target_sources(usermod_zsync_fiber INTERFACE
        ${CMAKE_CURRENT_LIST_DIR}/modzsync_core.c
        ${CMAKE_CURRENT_LIST_DIR}/zs_sleepq.c
    )
endif()

target_include_directories(usermod_zsync_fiber INTERFACE
    ${CMAKE_CURRENT_LIST_DIR}
)

if(NOT DEFINED ZS_FIBER_STACK_DEFAULT)
    if(IDF_TARGET)
        set(ZS_FIBER_STACK_DEFAULT 8192)
    else()
        set(ZS_FIBER_STACK_DEFAULT 4096)
    endif()
endif()

target_compile_definitions(usermod_zsync_fiber INTERFACE
    ZS_FIBER_STACK_DEFAULT=${ZS_FIBER_STACK_DEFAULT}
)

target_link_options(usermod_zsync_fiber INTERFACE "-Wl,--wrap=gc_collect_end")

target_link_libraries(usermod INTERFACE usermod_zsync_fiber)
