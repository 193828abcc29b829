/* zs_fiber_vm.h - the per-context MicroPython VM state a fiber switch swaps.
 *
 * What _thread keeps per thread in mp_state_thread_t and a fiber must keep
 * per fiber: the nlr chain and its jump callbacks, locals/globals, the C
 * stack bounds of the recursion check, the pystack (where enabled) and the
 * settrace frame. Thread-wide state (gc_lock_depth, the pending exception)
 * is deliberately not swapped. Only modzsync_fiber.c includes this.
 */
#ifndef ZS_FIBER_VM_H
#define ZS_FIBER_VM_H
#include "py/mpstate.h"
#include "zs_arch.h"

// Bytes below a suspended sp that still belong to its frames (GC scan start).
#ifdef ZS_FRAME_SP_BIAS
#define ZS_SCAN_BELOW_SP ZS_FRAME_SP_BIAS   /* windowed: caller's a0-a3 sit below sp */
#else
#define ZS_SCAN_BELOW_SP 0
#endif

// The per-context VM state _thread keeps in mp_state_thread_t. The ends of
// stacks are kept minus one byte: a one-past-the-end pointer of a GC block is
// the head of the next block, and the conservative scan of this struct would
// keep that neighbour alive (measured: a chain of dropped fibers leaked).
typedef struct {
    nlr_buf_t *nlr_top;
    nlr_jump_callback_node_t *nlr_jump_callback_top;
    mp_obj_dict_t *dict_locals;
    mp_obj_dict_t *dict_globals;
    char *stack_top_m1;
    #if MICROPY_STACK_CHECK
    size_t stack_limit;
    #endif
    #if MICROPY_ENABLE_PYSTACK
    uint8_t *pystack_start, *pystack_end_m1, *pystack_cur;
    #endif
    #if MICROPY_PY_SYS_SETTRACE
    struct _mp_code_state_t *current_code_state;
    #endif
} zs_vm_t;

static inline void zs_vm_save(zs_vm_t *v) {
    v->nlr_top = MP_STATE_THREAD(nlr_top);
    v->nlr_jump_callback_top = MP_STATE_THREAD(nlr_jump_callback_top);
    v->dict_locals = MP_STATE_THREAD(dict_locals);
    v->dict_globals = MP_STATE_THREAD(dict_globals);
    v->stack_top_m1 = MP_STATE_THREAD(stack_top) - 1;
    #if MICROPY_STACK_CHECK
    v->stack_limit = MP_STATE_THREAD(stack_limit);
    #endif
    #if MICROPY_ENABLE_PYSTACK
    v->pystack_start = MP_STATE_THREAD(pystack_start);
    v->pystack_end_m1 = MP_STATE_THREAD(pystack_end) - 1;
    v->pystack_cur = MP_STATE_THREAD(pystack_cur);
    #endif
    #if MICROPY_PY_SYS_SETTRACE
    v->current_code_state = MP_STATE_THREAD(current_code_state);
    #endif
}

static inline void zs_vm_load(const zs_vm_t *v) {
    MP_STATE_THREAD(nlr_top) = v->nlr_top;
    MP_STATE_THREAD(nlr_jump_callback_top) = v->nlr_jump_callback_top;
    MP_STATE_THREAD(dict_locals) = v->dict_locals;
    MP_STATE_THREAD(dict_globals) = v->dict_globals;
    MP_STATE_THREAD(stack_top) = v->stack_top_m1 + 1;
    #if MICROPY_STACK_CHECK
    MP_STATE_THREAD(stack_limit) = v->stack_limit;
    #endif
    #if MICROPY_ENABLE_PYSTACK
    MP_STATE_THREAD(pystack_start) = v->pystack_start;
    MP_STATE_THREAD(pystack_end) = v->pystack_end_m1 + 1;
    MP_STATE_THREAD(pystack_cur) = v->pystack_cur;
    #endif
    #if MICROPY_PY_SYS_SETTRACE
    MP_STATE_THREAD(current_code_state) = v->current_code_state;
    #endif
}

#endif
