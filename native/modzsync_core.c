/* modzsync_core.c - MicroPython module `_zsync_core`: the optional C Task of
 * zsync_mp (see ACCELERATOR.md). The pure-Python kernel stays the reference;
 * this module only changes how a task is stored, never what it does:
 *
 *   task_type(cls, base=None)  a native type that stores a task in 8 machine
 *                              words (64 B on 64-bit, 32 B on 32-bit, as
 *                              asyncio's C Task) and takes its methods and
 *                              class defaults from the Python class `cls`
 *                              (the same dict object: later class stores are
 *                              seen). `base`: a type made here, to subclass.
 *   op_type(cls, parked, g)    the C twin of the kernel's awaitable _Op,
 *                              returning values without a StopIteration
 *   sl_push(root, t, seq, mask) -> root   the sleeping tasks, an intrusive
 *   sl_pop(root, mask) -> root            pairing heap (zs_sleepq.c)
 *   sl_remove(root, t, mask) -> root
 *
 * Words: type | coro | data | next | prev | link | extra | bits.
 *  - coro, data, next, prev: the kernel's fields (kernel/core.py); while a task
 *    sleeps, next and prev are its heap links (zs_sleepq.c).
 *  - link: the next task in its registry (kernel/reg.py), spawn order.
 *  - bits: state (3 bits), _cancel_requested (1), the timer sequence number (26).
 *  - extra: the scope (CancelScope or None: a task in a group or a timeout
 *    costs nothing more), or a dict of every other attribute stored with a
 *    value other than the class default (name, _waiters, ... and then the
 *    scope too); NULL if none. Storing a class default while there is no
 *    dict allocates nothing (heap-locked paths). A scope is never a dict.
 * Loads look at the fields, then `extra`, then the class dicts up the bases.
 * `await task` and repr() call the class's __iter__ and __repr__.
 * Not IRQ-safe: only the kernel and tasks touch tasks. Allocates nothing but
 * the task itself and, on a first non-default store, its extra dict.
 */
#include "py/runtime.h"
#include "py/objtype.h"

#include "zs_core.h"

static mp_obj_t zs_none_if_tagged(mp_obj_t o) {
    return (o == MP_OBJ_NULL || IS_TAGGED(o)) ? mp_const_none : o;
}

// The class dict of `type` and its bases holding `attr`, or NULL.
static mp_map_elem_t *zs_class_lookup(const mp_obj_type_t *type, qstr attr) {
    while (type != NULL) {
        if (MP_OBJ_TYPE_HAS_SLOT(type, locals_dict)) {
            mp_map_t *m = &MP_OBJ_TYPE_GET_SLOT(type, locals_dict)->map;
            mp_map_elem_t *e = mp_map_lookup(m, MP_OBJ_NEW_QSTR(attr), MP_MAP_LOOKUP);
            if (e != NULL) {
                return e;
            }
        }
        type = MP_OBJ_TYPE_HAS_SLOT(type, parent) ? MP_OBJ_TYPE_GET_SLOT(type, parent) : NULL;
    }
    return NULL;
}

void zs_task_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    zs_task_t *t = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL) {
        // Load.
        switch (attr) {
            case MP_QSTR_coro: dest[0] = t->coro; return;
            case MP_QSTR_data: dest[0] = t->data; return;
            case MP_QSTR_next: dest[0] = zs_none_if_tagged(t->next); return; // (a heap parent link)
            case MP_QSTR_prev: dest[0] = zs_none_if_tagged(t->prev); return;
            case MP_QSTR_link: dest[0] = t->link; return;
            case MP_QSTR_state: dest[0] = MP_OBJ_NEW_SMALL_INT(ST_BITS(t)); return;
            case MP_QSTR__cancel_requested: dest[0] = mp_obj_new_bool(t->bits & CREQ_BIT); return;
            case MP_QSTR__seq: dest[0] = MP_OBJ_NEW_SMALL_INT(SEQ_OF(t)); return;
        }
        if (IS_DICT(t->extra)) {
            mp_map_t *m = mp_obj_dict_get_map(t->extra);
            mp_map_elem_t *e = mp_map_lookup(m, MP_OBJ_NEW_QSTR(attr), MP_MAP_LOOKUP);
            if (e != NULL) {
                dest[0] = e->value;
                return;
            }
        } else if (attr == MP_QSTR_scope && t->extra != MP_OBJ_NULL) {
            dest[0] = t->extra;
            return;
        }
        const mp_obj_type_t *type = mp_obj_get_type(self_in);
        mp_map_elem_t *e = zs_class_lookup(type, attr);
        if (e != NULL) {
            mp_convert_member_lookup(self_in, type, e->value, dest);
        }
        return;
    }
    mp_obj_t v = dest[1];
    if (v != MP_OBJ_NULL) {
        // Store.
        switch (attr) {
            case MP_QSTR_coro: t->coro = v; break;
            case MP_QSTR_data: t->data = v; break;
            case MP_QSTR_next: t->next = v; break;
            case MP_QSTR_prev: t->prev = v; break;
            case MP_QSTR_link: t->link = v; break;
            case MP_QSTR_state:
                t->bits = (t->bits & ~(mp_uint_t)7) | (mp_obj_get_int(v) & 7);
                break;
            case MP_QSTR__cancel_requested:
                t->bits = mp_obj_is_true(v) ? (t->bits | CREQ_BIT) : (t->bits & ~(mp_uint_t)CREQ_BIT);
                break;
            default:
                if (!IS_DICT(t->extra)) {
                    if (attr == MP_QSTR_scope) {
                        t->extra = v; // the word holds the scope itself
                        break;
                    }
                    mp_map_elem_t *e = zs_class_lookup(mp_obj_get_type(self_in), attr);
                    if (e != NULL && e->value == v) {
                        break; // the class default: nothing to store
                    }
                    mp_obj_t d = mp_obj_new_dict(2);
                    if (t->extra != MP_OBJ_NULL) {
                        mp_obj_dict_store(d, MP_OBJ_NEW_QSTR(MP_QSTR_scope), t->extra);
                    }
                    t->extra = d;
                }
                mp_obj_dict_store(t->extra, MP_OBJ_NEW_QSTR(attr), v);
        }
        dest[0] = MP_OBJ_NULL;
    } else if (dest[0] == MP_OBJ_SENTINEL) {
        // Delete: only what extra holds.
        if (IS_DICT(t->extra)) {
            mp_map_t *m = mp_obj_dict_get_map(t->extra);
            if (mp_map_lookup(m, MP_OBJ_NEW_QSTR(attr), MP_MAP_LOOKUP_REMOVE_IF_FOUND) != NULL) {
                dest[0] = MP_OBJ_NULL;
            }
        }
    }
}

// A new instance of `type` with every field None (a READY task).
static zs_task_t *zs_new(const mp_obj_type_t *type) {
    zs_task_t *t = mp_obj_malloc(zs_task_t, type);
    t->coro = t->data = t->next = t->prev = t->link = mp_const_none;
    t->extra = MP_OBJ_NULL;
    t->bits = 0; // READY
    return t;
}

static mp_obj_t zs_task_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 2, false);
    zs_task_t *t = zs_new(type);
    t->coro = args[0];
    if (n_args == 2 && args[1] != mp_const_none) {
        mp_store_attr(MP_OBJ_FROM_PTR(t), MP_QSTR_name, args[1]);
    }
    return MP_OBJ_FROM_PTR(t);
}

static mp_obj_t zs_call_method0(mp_obj_t self_in, qstr name) {
    mp_obj_t dest[2];
    mp_load_method(self_in, name, dest);
    return mp_call_method_n_kw(0, 0, dest);
}

static void zs_task_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    (void)kind;
    mp_obj_print_helper(print, zs_call_method0(self_in, MP_QSTR___repr__), PRINT_STR);
}

static mp_obj_t zs_task_getiter(mp_obj_t self_in, mp_obj_iter_buf_t *iter_buf) {
    (void)iter_buf;
    return zs_call_method0(self_in, MP_QSTR___iter__);
}

// A native type named after the Python class `cls_in` and sharing its dict,
// with attributes kept by zs_task_attr (slots 0-3; callers add from 4).
static mp_obj_full_type_t *zs_twin(mp_obj_t cls_in, uint16_t flags, mp_make_new_fun_t make_new,
    void *iter, mp_rom_error_text_t not_a_class) {
    const mp_obj_type_t *cls = MP_OBJ_TO_PTR(cls_in);
    if (!mp_obj_is_type(cls_in, &mp_type_type) || !MP_OBJ_TYPE_HAS_SLOT(cls, locals_dict)) {
        mp_raise_TypeError(not_a_class);
    }
    mp_obj_full_type_t *type = m_new0(mp_obj_full_type_t, 1);
    type->base.type = &mp_type_type;
    type->flags = flags;
    type->name = cls->name;
    MP_OBJ_TYPE_SET_SLOT(type, make_new, make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(type, attr, zs_task_attr, 1);
    MP_OBJ_TYPE_SET_SLOT(type, iter, iter, 2);
    MP_OBJ_TYPE_SET_SLOT(type, locals_dict, MP_OBJ_TYPE_GET_SLOT(cls, locals_dict), 3);
    return type;
}

// task_type(cls, base=None): the native twin of the Python Task class `cls`.
static mp_obj_t zs_task_type(size_t n_args, const mp_obj_t *args) {
    const mp_obj_type_t *base = NULL;
    if (n_args > 1 && args[1] != mp_const_none) {
        base = MP_OBJ_TO_PTR(args[1]);
        if (!mp_obj_is_type(args[1], &mp_type_type) || MP_OBJ_TYPE_GET_SLOT_OR_NULL(base, attr) != zs_task_attr) {
            mp_raise_TypeError(MP_ERROR_TEXT("task_type() base must be a type made by task_type()"));
        }
    }
    mp_obj_full_type_t *type = zs_twin(args[0], MP_TYPE_FLAG_NONE, zs_task_make_new, (void *)zs_task_getiter,
        MP_ERROR_TEXT("task_type() needs a class"));
    MP_OBJ_TYPE_SET_SLOT(type, print, zs_task_print, 4);
    if (base != NULL) {
        MP_OBJ_TYPE_SET_SLOT(type, parent, base, 5);
    }
    return MP_OBJ_FROM_PTR(type);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(zs_task_type_obj, 1, 2, zs_task_type);

// --- The kernel's general awaitable (zsync_mp/kernel/core.py _Op) ---
// op_type(cls, parked, kernel_globals): the C twin of the _Op class, whose
// attributes (prim, arg, check, stop, replay) live in the extra dict that
// cls.__init__ fills. Its iterator slot does what _Op.__next__ does (read
// _cur and pending from the kernel's globals, run prim._op(t, arg), deliver a
// pending cancellation first) but completes the await through
// mp_make_stop_iteration: `yield from` takes the value without a
// StopIteration object, so returning one (a received message) allocates
// nothing. The Python __next__ stays the reference.

MP_REGISTER_ROOT_POINTER(mp_obj_t zs_parked);
MP_REGISTER_ROOT_POINTER(mp_obj_t zs_kglobals);

static mp_obj_t zs_op_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    zs_task_t *o = zs_new(type);
    mp_obj_t dest[2 + 4];
    mp_load_method(MP_OBJ_FROM_PTR(o), MP_QSTR___init__, dest);
    if (n_args > 4 || n_kw) {
        mp_raise_TypeError(MP_ERROR_TEXT("too many arguments"));
    }
    for (size_t i = 0; i < n_args; i++) {
        dest[2 + i] = args[i];
    }
    mp_call_method_n_kw(n_args, 0, dest);
    return MP_OBJ_FROM_PTR(o);
}

static mp_obj_t zs_kernel_global(qstr name) {
    return mp_obj_dict_get(MP_STATE_VM(zs_kglobals), MP_OBJ_NEW_QSTR(name));
}

static mp_obj_t zs_op_iternext(mp_obj_t self_in) {
    mp_obj_t t = zs_kernel_global(MP_QSTR__cur);
    if (t == mp_const_none) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("zsync_mp awaitable used outside zs.run()"));
    }
    mp_obj_t prim = mp_load_attr(self_in, MP_QSTR_prim);
    mp_obj_t v;
    if (prim == mp_const_none) {
        v = mp_load_attr(t, MP_QSTR_data); // resumed: whoever woke us left the result here
    } else {
        mp_store_attr(self_in, MP_QSTR_prim, mp_const_none);
        if (mp_obj_is_true(zs_kernel_global(MP_QSTR_pending)) && mp_obj_is_true(mp_load_attr(self_in, MP_QSTR_check))) {
            mp_call_function_1(zs_kernel_global(MP_QSTR_check_cancel), t);
        }
        mp_obj_t dest[4];
        mp_load_method(prim, MP_QSTR__op, dest);
        dest[2] = t;
        dest[3] = mp_load_attr(self_in, MP_QSTR_arg);
        v = mp_call_method_n_kw(2, 0, dest);
        if (v == MP_STATE_VM(zs_parked)) {
            return mp_const_none; // parked: yield to the loop
        }
    }
    return mp_make_stop_iteration(v);
}

static mp_obj_t zs_op_type(mp_obj_t cls_in, mp_obj_t parked, mp_obj_t kglobals) {
    if (!mp_obj_is_type(kglobals, &mp_type_dict)) {
        mp_raise_TypeError(MP_ERROR_TEXT("op_type() needs the kernel's globals() dict"));
    }
    mp_obj_full_type_t *type = zs_twin(cls_in, MP_TYPE_FLAG_ITER_IS_ITERNEXT, zs_op_make_new, (void *)zs_op_iternext,
        MP_ERROR_TEXT("op_type() needs a class"));
    // The names the iterator reads at every await: checked here, once, so a
    // kernel that renamed one fails at import, naming it, not at an await.
    static const qstr needed[] = { MP_QSTR__cur, MP_QSTR_pending, MP_QSTR_check_cancel };
    mp_map_t *map = mp_obj_dict_get_map(kglobals);
    for (size_t i = 0; i < MP_ARRAY_SIZE(needed); i++) {
        if (mp_map_lookup(map, MP_OBJ_NEW_QSTR(needed[i]), MP_MAP_LOOKUP) == NULL) {
            mp_raise_msg_varg(&mp_type_ImportError,
                MP_ERROR_TEXT("op_type(): the kernel's globals have no '%q' (native/modzsync_core.c and zsync_mp/kernel/core.py disagree)"),
                needed[i]);
        }
    }
    MP_STATE_VM(zs_parked) = parked;
    MP_STATE_VM(zs_kglobals) = kglobals;
    return MP_OBJ_FROM_PTR(type);
}
static MP_DEFINE_CONST_FUN_OBJ_3(zs_op_type_obj, zs_op_type);

static const mp_rom_map_elem_t zs_core_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__zsync_core) },
    { MP_ROM_QSTR(MP_QSTR_task_type), MP_ROM_PTR(&zs_task_type_obj) },
    { MP_ROM_QSTR(MP_QSTR_op_type), MP_ROM_PTR(&zs_op_type_obj) },
    { MP_ROM_QSTR(MP_QSTR_sl_push), MP_ROM_PTR(&zs_sl_push_obj) },
    { MP_ROM_QSTR(MP_QSTR_sl_pop), MP_ROM_PTR(&zs_sl_pop_obj) },
    { MP_ROM_QSTR(MP_QSTR_sl_remove), MP_ROM_PTR(&zs_sl_remove_obj) },
};
static MP_DEFINE_CONST_DICT(zs_core_globals, zs_core_globals_table);

const mp_obj_module_t zs_core_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&zs_core_globals,
};

MP_REGISTER_MODULE(MP_QSTR__zsync_core, zs_core_module);
