/* zs_core.h - what modzsync_core.c (the C Task) and zs_sleepq.c (its sleep
 * heap) share: the task's 8 words and the bits packed in the last one. */
#ifndef ZS_CORE_H
#define ZS_CORE_H
#include "py/obj.h"

#define ZS_SEQ_MASK (0x3FFFFFF) /* 26 bits, as _timers.py */
#define ZS_SEQ_HALF (0x2000000)

typedef struct _zs_task_t {
    mp_obj_base_t base;
    mp_obj_t coro;
    mp_obj_t data;
    mp_obj_t next;
    mp_obj_t prev;
    mp_obj_t link;
    mp_obj_t extra;
    mp_uint_t bits;
} zs_task_t;

#define ST_BITS(t) ((t)->bits & 7)
#define CREQ_BIT (8)
#define SEQ_OF(t) ((t)->bits >> 4)
#define IS_TAGGED(o) (((uintptr_t)(o) & 1) != 0)
#define TAG(t) ((mp_obj_t)((uintptr_t)(t) | 1))
#define UNTAG(o) ((zs_task_t *)((uintptr_t)(o) & ~(uintptr_t)1))
#define IS_DICT(o) ((o) != MP_OBJ_NULL && mp_obj_is_type((o), &mp_type_dict))

// The attribute slot of every type made by _zsync_core (also its type test).
void zs_task_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest);

// sl_push, sl_pop, sl_remove (zs_sleepq.c).
extern const mp_obj_fun_builtin_var_t zs_sl_push_obj;
extern const mp_obj_fun_builtin_fixed_t zs_sl_pop_obj;
extern const mp_obj_fun_builtin_fixed_t zs_sl_remove_obj;

#endif
