/* modzsync_fiber.c - MicroPython module `_zsync_fiber`: stackful fibers on
 * the native context switch (zs_ctx.h). Same contract as the greenlet
 * backend of zsync_mp (see notes in zsync_mp/io/fiber.py):
 *
 *   Fiber(func, stack_size=0)  0 = ZS_FIBER_STACK_DEFAULT (set per port by
 *                              micropython.mk / micropython.cmake)
 *   f.switch(value=None)       start func() / make its suspend() return value;
 *                              returns what the fiber suspends with, or func's
 *                              result (then f.done); its exceptions propagate
 *   f.throw(exc)               raise exc at the fiber's suspend()
 *   f.close()                  GeneratorExit at suspend(), then free the stack
 *   f.done                     True once func returned or raised
 *   suspend(value=None)        back to whoever resumed the running fiber
 *   current()                  the running Fiber or None
 *
 * Lifecycle (asymmetric: a fiber always returns to its resumer):
 *
 *   NEW --switch()--> RUNNING --suspend()--> SUSPENDED --switch()/throw()--+
 *    |                   ^  \                                              |
 *    |                   |   +--func returns/raises--> DONE (stack freed)  |
 *    |                   +---------------------------------------------------+
 *    +--throw()/close()--> DONE (never ran)
 *
 * VM invariants (what _thread does per thread, done here per fiber): every
 * context has its own nlr chain, nlr jump callbacks, globals/locals, C stack
 * bounds (stack_top/stack_limit: "maximum recursion depth exceeded" is raised
 * per fiber) and pystack where enabled; zs_jump() swaps them with the stack.
 * GC: a fiber's stack (and pystack) is a GC block owned by the Fiber, so a
 * reachable suspended fiber is scanned whole, conservatively; the running
 * fiber is scanned by the port's gc_collect (stack_top is the fiber's). The
 * boot C stack is suspended while any fiber runs and is not a heap block:
 * gc_collect_end is wrapped (linker --wrap, see micropython.mk) to scan it
 * and this module's state. Xtensa windowed: zs_arch_switch spills every
 * register window, so a suspended stack holds all registers.
 * Abandoned suspended fibers are reclaimed by the GC without running their
 * finally blocks (no Python code can run inside a GC sweep): close() them.
 * One thread runs fibers at a time (RuntimeError otherwise). Nothing here
 * may be called from an interrupt handler. switch/suspend allocate nothing.
 */
#include <string.h>
#include "py/runtime.h"
#include "py/gc.h"
#include "py/mphal.h"
#include "py/objstr.h"
#include "zs_ctx.h"
#include "zs_arch.h"
#include "zs_fiber_vm.h"

#ifndef ZS_FIBER_STACK_DEFAULT
#define ZS_FIBER_STACK_DEFAULT (4 * 1024)   /* MCU ports; unix/esp32 set theirs */
#endif
#define ZS_FIBER_STACK_MIN     (2 * 1024)
#define ZS_FIBER_MARGIN_MIN    (1024)       /* C stack kept free below the limit */
#define ZS_FIBER_MARGIN_MAX    (8 * 1024)

typedef enum { ZS_NEW, ZS_RUNNING, ZS_SUSPENDED, ZS_DONE } zs_state_t;

typedef struct _zs_fiber_obj_t {
    mp_obj_base_t base;
    mp_obj_t func;
    void *stack;                       /* head of the GC block: keeps it alive */
    #if MICROPY_ENABLE_PYSTACK
    void *pystack;
    #endif
    struct _zs_fiber_obj_t *resumer;   /* who switch()ed in; NULL = boot context */
    mp_obj_t xfer;                     /* value or exception passed across a switch */
    uint8_t state;                     /* zs_state_t */
    uint8_t xfer_exc;                  /* xfer is an exception to raise */
    size_t stack_size;
    zs_vm_t vm;
    zs_ctx_t ctx;
} zs_fiber_obj_t;

// Module state; scanned as a GC root by __wrap_gc_collect_end.
static struct {
    zs_fiber_obj_t *current;           /* running fiber, NULL on the boot context */
    zs_vm_t boot_vm;                   /* valid while current != NULL */
    zs_ctx_t boot_ctx;
    #if MICROPY_PY_THREAD
    void *owner;                       /* thread whose boot context is suspended */
    #endif
} zs;

extern const mp_obj_type_t zs_fiber_type;

// Fatal report for the native core (canary damaged, entry returned).
void zs_fatal(const char *msg) {
    mp_hal_stdout_tx_str("FATAL: ");
    mp_hal_stdout_tx_str(msg);
    mp_hal_stdout_tx_str("\r\n");
    nlr_jump_fail(NULL);
}

void __real_gc_collect_end(void);
// Linker-wrapped gc_collect_end: mark from the suspended boot stack first.
// Only while a fiber runs: otherwise zs is stale, and gc_sweep_all (soft
// reset) must be free to reclaim everything.
void __wrap_gc_collect_end(void) {
    if (zs.current != NULL) {
        gc_collect_root((void **)(void *)&zs, sizeof(zs) / sizeof(void *));
        #ifndef ZS_NEGATIVE_CONTROL_NO_BOOT_SCAN   /* test builds only: fiberc_gc must fail */
        char *lo = (char *)zs.boot_ctx.sp - ZS_SCAN_BELOW_SP;
        gc_collect_root((void **)(void *)lo, (size_t)(zs.boot_vm.stack_top_m1 + 1 - lo) / sizeof(void *));
        #if MICROPY_ENABLE_PYSTACK
        gc_collect_root((void **)(void *)zs.boot_vm.pystack_start,
            (size_t)(zs.boot_vm.pystack_cur - zs.boot_vm.pystack_start) / sizeof(void *));
        #endif
        #endif
    }
    __real_gc_collect_end();
}

// Leave the running context for another; returns when one switches back.
// Nothing between zs_vm_load and the switch may check the stack or allocate.
static void zs_jump(zs_vm_t *from_vm, zs_ctx_t *from_ctx, const zs_vm_t *to_vm, zs_ctx_t *to_ctx) {
    zs_vm_save(from_vm);
    zs_vm_load(to_vm);
    zs_ctx_switch(from_ctx, to_ctx);
}

// The running fiber f gives the CPU back to its resumer.
static void zs_back(zs_fiber_obj_t *f) {
    zs_fiber_obj_t *r = f->resumer;
    f->resumer = NULL;
    zs.current = r;
    if (r == NULL) {
        zs_jump(&f->vm, &f->ctx, &zs.boot_vm, &zs.boot_ctx);
    } else {
        zs_jump(&f->vm, &f->ctx, &r->vm, &r->ctx);
    }
}

// First code on a fiber's stack: run func, hand its result or exception back.
static void zs_entry(void *arg) {
    zs_fiber_obj_t *f = arg;
    nlr_buf_t nlr;
    f->xfer = mp_const_none;
    if (nlr_push(&nlr) == 0) {
        mp_obj_t r = mp_call_function_0(f->func);
        nlr_pop();
        f->xfer = r;
        f->xfer_exc = 0;
    } else {
        f->xfer = MP_OBJ_FROM_PTR(nlr.ret_val);
        f->xfer_exc = 1;
    }
    f->state = ZS_DONE;
    f->func = mp_const_none;
    zs_back(f);
    zs_fatal("zs: a finished fiber was resumed");
}

// Give a done (or never started) fiber's memory back to the heap now.
static void zs_release(zs_fiber_obj_t *f) {
    f->state = ZS_DONE;
    f->func = mp_const_none;
    if (f->stack != NULL) {
        m_del(uint8_t, f->stack, f->stack_size);
        f->stack = NULL;
    }
    #if MICROPY_ENABLE_PYSTACK
    if (f->pystack != NULL) {
        m_del(uint8_t, f->pystack, f->stack_size);
        f->pystack = NULL;
    }
    #endif
    memset(&f->ctx, 0, sizeof(f->ctx));
}

static void zs_check_thread(void) {
    #if MICROPY_PY_THREAD
    if (zs.current != NULL && zs.owner != (void *)mp_thread_get_state()) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("fibers are running on another thread"));
    }
    #endif
}

// switch()/throw(): run f until it suspends, returns or raises.
static mp_obj_t zs_resume(zs_fiber_obj_t *f, mp_obj_t value, int exc) {
    zs_check_thread();
    if (f->state == ZS_DONE) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("fiber is done"));
    }
    if (f->state == ZS_RUNNING) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("fiber is already running"));
    }
    if (f->state == ZS_NEW && exc) {
        zs_release(f);
        nlr_raise(value);
    }
    zs_fiber_obj_t *me = zs.current;
    f->resumer = me;
    f->xfer = value;
    f->xfer_exc = exc;
    f->state = ZS_RUNNING;
    zs.current = f;
    if (me == NULL) {
        #if MICROPY_PY_THREAD
        zs.owner = (void *)mp_thread_get_state();
        #endif
        zs_jump(&zs.boot_vm, &zs.boot_ctx, &f->vm, &f->ctx);
    } else {
        zs_jump(&me->vm, &me->ctx, &f->vm, &f->ctx);
    }
    mp_obj_t r = f->xfer;
    int raised = f->xfer_exc;
    f->xfer = mp_const_none;
    if (f->state == ZS_DONE) {
        zs_release(f);   /* we are off its stack now */
    }
    if (raised) {
        nlr_raise(r);
    }
    return r;
}

static mp_obj_t zs_fiber_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    enum { ARG_func, ARG_stack_size };
    static const mp_arg_t allowed[] = {
        { MP_QSTR_func, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_stack_size, MP_ARG_INT, {.u_int = 0} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(allowed), allowed, args);
    if (!mp_obj_is_callable(args[ARG_func].u_obj)) {
        mp_raise_TypeError(MP_ERROR_TEXT("Fiber() needs a callable"));
    }
    mp_int_t size = args[ARG_stack_size].u_int;
    if (size < 0 || (size > 0 && size < ZS_FIBER_STACK_MIN)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("stack_size must be 0 (default) or >= %d bytes"),
            ZS_FIBER_STACK_MIN);
    }
    if (size == 0) {
        size = ZS_FIBER_STACK_DEFAULT;
    }
    size = (size + 15) & ~(mp_int_t)15;
    zs_fiber_obj_t *f = mp_obj_malloc(zs_fiber_obj_t, type);
    f->func = args[ARG_func].u_obj;
    f->stack = NULL;
    #if MICROPY_ENABLE_PYSTACK
    f->pystack = NULL;
    #endif
    f->resumer = NULL;
    f->xfer = mp_const_none;
    f->state = ZS_NEW;
    f->xfer_exc = 0;
    f->stack_size = size;
    memset(&f->ctx, 0, sizeof(f->ctx));
    f->stack = m_new(uint8_t, size);
    zs_ctx_init(&f->ctx, f->stack, size, zs_entry, f);
    memset(&f->vm, 0, sizeof(f->vm));
    f->vm.dict_locals = mp_locals_get();
    f->vm.dict_globals = mp_globals_get();
    f->vm.stack_top_m1 = (char *)f->ctx.stack_lo + f->ctx.stack_size - 1;
    #if MICROPY_STACK_CHECK
    size_t margin = size / 4;
    margin = margin < ZS_FIBER_MARGIN_MIN ? ZS_FIBER_MARGIN_MIN : margin;
    margin = margin > ZS_FIBER_MARGIN_MAX ? ZS_FIBER_MARGIN_MAX : margin;
    f->vm.stack_limit = f->ctx.stack_size - margin;
    #endif
    #if MICROPY_ENABLE_PYSTACK
    f->pystack = m_new(uint8_t, size);
    f->vm.pystack_start = f->pystack;
    f->vm.pystack_end_m1 = (uint8_t *)f->pystack + size - 1;
    f->vm.pystack_cur = f->pystack;
    #endif
    return MP_OBJ_FROM_PTR(f);
}

static mp_obj_t zs_fiber_switch(size_t n_args, const mp_obj_t *args) {
    return zs_resume(MP_OBJ_TO_PTR(args[0]), n_args > 1 ? args[1] : mp_const_none, 0);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(zs_fiber_switch_obj, 1, 2, zs_fiber_switch);

static mp_obj_t zs_fiber_throw(mp_obj_t self_in, mp_obj_t exc) {
    if (!mp_obj_is_exception_instance(exc) && !mp_obj_is_exception_type(exc)) {
        mp_raise_TypeError(MP_ERROR_TEXT("throw() needs an exception class or instance"));
    }
    return zs_resume(MP_OBJ_TO_PTR(self_in), mp_make_raise_obj(exc), 1);
}
static MP_DEFINE_CONST_FUN_OBJ_2(zs_fiber_throw_obj, zs_fiber_throw);

static mp_obj_t zs_fiber_close(mp_obj_t self_in) {
    zs_fiber_obj_t *f = MP_OBJ_TO_PTR(self_in);
    if (f->state == ZS_DONE) {
        return mp_const_none;
    }
    if (f->state == ZS_RUNNING) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("cannot close a running fiber"));
    }
    if (f->state == ZS_NEW) {
        zs_release(f);
        return mp_const_none;
    }
    mp_obj_t exit = mp_obj_new_exception(&mp_type_GeneratorExit);
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        zs_resume(f, exit, 1);
        nlr_pop();
    } else {
        mp_obj_t e = MP_OBJ_FROM_PTR(nlr.ret_val);
        if (!mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(e)), MP_OBJ_FROM_PTR(&mp_type_GeneratorExit))) {
            nlr_jump(nlr.ret_val);
        }
        return mp_const_none;
    }
    if (f->state != ZS_DONE) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("fiber ignored GeneratorExit"));
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(zs_fiber_close_obj, zs_fiber_close);

// Diagnostics (MicroPython only): bytes of this fiber's C stack ever used.
static mp_obj_t zs_fiber_stack_used(mp_obj_t self_in) {
    zs_fiber_obj_t *f = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_NEW_SMALL_INT(f->stack == NULL ? 0 : zs_ctx_stack_used(&f->ctx));
}
static MP_DEFINE_CONST_FUN_OBJ_1(zs_fiber_stack_used_obj, zs_fiber_stack_used);

static void zs_fiber_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    zs_fiber_obj_t *f = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL && attr == MP_QSTR_done) {
        dest[0] = mp_obj_new_bool(f->state == ZS_DONE);
    } else if (dest[0] == MP_OBJ_NULL && attr == MP_QSTR_stack_size) {
        dest[0] = MP_OBJ_NEW_SMALL_INT(f->stack_size);
    } else {
        dest[1] = MP_OBJ_SENTINEL;   /* continue in locals_dict */
    }
}

static void zs_fiber_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    static const char *const names[] = { "new", "running", "suspended", "done" };
    zs_fiber_obj_t *f = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "<Fiber %s %u>", names[f->state], (unsigned)f->stack_size);
}

static const mp_rom_map_elem_t zs_fiber_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_switch), MP_ROM_PTR(&zs_fiber_switch_obj) },
    { MP_ROM_QSTR(MP_QSTR_throw), MP_ROM_PTR(&zs_fiber_throw_obj) },
    { MP_ROM_QSTR(MP_QSTR_close), MP_ROM_PTR(&zs_fiber_close_obj) },
    { MP_ROM_QSTR(MP_QSTR_stack_used), MP_ROM_PTR(&zs_fiber_stack_used_obj) },
};
static MP_DEFINE_CONST_DICT(zs_fiber_locals, zs_fiber_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    zs_fiber_type, MP_QSTR_Fiber, MP_TYPE_FLAG_NONE,
    make_new, zs_fiber_make_new,
    print, zs_fiber_print,
    attr, zs_fiber_attr,
    locals_dict, &zs_fiber_locals);

static mp_obj_t zs_suspend(size_t n_args, const mp_obj_t *args) {
    zs_check_thread();
    zs_fiber_obj_t *f = zs.current;
    if (f == NULL) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("suspend() outside a fiber"));
    }
    f->xfer = n_args > 0 ? args[0] : mp_const_none;
    f->xfer_exc = 0;
    f->state = ZS_SUSPENDED;
    zs_back(f);
    mp_obj_t v = f->xfer;   /* resumed: zs_resume set RUNNING and xfer */
    f->xfer = mp_const_none;
    if (f->xfer_exc) {
        nlr_raise(v);
    }
    return v;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(zs_suspend_obj, 0, 1, zs_suspend);

static mp_obj_t zs_current(void) {
    #if MICROPY_PY_THREAD
    if (zs.current != NULL && zs.owner != (void *)mp_thread_get_state()) {
        return mp_const_none;
    }
    #endif
    return zs.current == NULL ? mp_const_none : MP_OBJ_FROM_PTR(zs.current);
}
static MP_DEFINE_CONST_FUN_OBJ_0(zs_current_obj, zs_current);

static MP_DEFINE_STR_OBJ(zs_arch_name_obj, ZS_ARCH_NAME);

static const mp_rom_map_elem_t zs_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__zsync_fiber) },
    { MP_ROM_QSTR(MP_QSTR_Fiber), MP_ROM_PTR(&zs_fiber_type) },
    { MP_ROM_QSTR(MP_QSTR_suspend), MP_ROM_PTR(&zs_suspend_obj) },
    { MP_ROM_QSTR(MP_QSTR_current), MP_ROM_PTR(&zs_current_obj) },
    { MP_ROM_QSTR(MP_QSTR_STACK_DEFAULT), MP_ROM_INT(ZS_FIBER_STACK_DEFAULT) },
    { MP_ROM_QSTR(MP_QSTR_STACK_MIN), MP_ROM_INT(ZS_FIBER_STACK_MIN) },
    { MP_ROM_QSTR(MP_QSTR_ARCH), MP_ROM_PTR(&zs_arch_name_obj) },
};
static MP_DEFINE_CONST_DICT(zs_module_globals, zs_module_globals_table);

const mp_obj_module_t zs_fiber_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&zs_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR__zsync_fiber, zs_fiber_module);
