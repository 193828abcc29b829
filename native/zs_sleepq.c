/* zs_sleepq.c - the sleeping C Tasks of _zsync_core: an intrusive pairing
 * heap ordered by (deadline in t.data, sequence in t.bits), ticks wrapping at
 * mask + 1, so tasks wake in exactly the order of the kernel's list heap
 * (zsync_mp/kernel/timers.py), with which the loop merges it. A sleeping task's
 * `prev` is its first child, its `next` its next sibling, or its parent with
 * bit 0 set if it is the last child, NULL for the root: no word beyond the
 * task's own. The tagged parent is never a GC root (MicroPython's collector
 * follows block-aligned pointers only); every node is reachable from the
 * root. Python sees the root only: sl_push/sl_pop/sl_remove return the new
 * one. Not IRQ-safe; allocates nothing.
 */
#include "py/runtime.h"
#include "zs_core.h"

static zs_task_t *zs_task_arg(mp_obj_t o) {
    if (!mp_obj_is_obj(o) || MP_OBJ_TYPE_GET_SLOT_OR_NULL(mp_obj_get_type(o), attr) != zs_task_attr) {
        mp_raise_TypeError(MP_ERROR_TEXT("expected a task made by _zsync_core"));
    }
    return MP_OBJ_TO_PTR(o);
}

static zs_task_t *zs_root_arg(mp_obj_t o) {
    return o == mp_const_none ? NULL : zs_task_arg(o);
}

// a before b: earlier deadline, or the same and pushed earlier (FIFO).
static bool zs_before(zs_task_t *a, zs_task_t *b, mp_int_t mask) {
    mp_int_t half = (mask >> 1) + 1;
    mp_int_t d = ((mp_obj_get_int(a->data) - mp_obj_get_int(b->data) + half) & mask) - half;
    if (d != 0) {
        return d < 0;
    }
    return ((SEQ_OF(b) - SEQ_OF(a)) & ZS_SEQ_MASK) < ZS_SEQ_HALF;
}

// Two roots into one: the later becomes the earlier's first child.
static zs_task_t *zs_meld(zs_task_t *a, zs_task_t *b, mp_int_t mask) {
    if (a == NULL) {
        return b;
    }
    if (b == NULL) {
        return a;
    }
    if (zs_before(b, a, mask)) {
        zs_task_t *x = a;
        a = b;
        b = x;
    }
    b->next = a->prev == mp_const_none ? TAG(a) : a->prev;
    a->prev = MP_OBJ_FROM_PTR(b);
    return a;
}

// The children from `first` on (ended by a tagged next) into one root.
static zs_task_t *zs_merge_pairs(mp_obj_t first, mp_int_t mask) {
    zs_task_t *stack = NULL; // melded pairs, linked through next
    mp_obj_t c = first;
    while (c != mp_const_none && !IS_TAGGED(c)) {
        zs_task_t *a = MP_OBJ_TO_PTR(c);
        zs_task_t *b = NULL;
        c = a->next;
        if (c != mp_const_none && !IS_TAGGED(c)) {
            b = MP_OBJ_TO_PTR(c);
            c = b->next;
            b->next = mp_const_none;
        }
        a->next = mp_const_none;
        a = zs_meld(a, b, mask);
        a->next = stack == NULL ? mp_const_none : MP_OBJ_FROM_PTR(stack);
        stack = a;
    }
    zs_task_t *r = NULL;
    while (stack != NULL) {
        zs_task_t *n = stack->next == mp_const_none ? NULL : MP_OBJ_TO_PTR(stack->next);
        stack->next = mp_const_none;
        r = zs_meld(r, stack, mask);
        stack = n;
    }
    return r;
}

static mp_obj_t zs_root_obj(zs_task_t *r) {
    if (r == NULL) {
        return mp_const_none;
    }
    r->next = mp_const_none;
    return MP_OBJ_FROM_PTR(r);
}

// sl_push(root, t, seq, mask): t (its deadline in t.data) joins the heap.
static mp_obj_t zs_sl_push(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    zs_task_t *root = zs_root_arg(args[0]);
    zs_task_t *t = zs_task_arg(args[1]);
    mp_int_t mask = mp_obj_get_int(args[3]);
    mp_obj_get_int(t->data); // a deadline, or TypeError before linking
    t->bits = (t->bits & 15) | ((mp_uint_t)(mp_obj_get_int(args[2]) & ZS_SEQ_MASK) << 4);
    t->next = mp_const_none;
    t->prev = mp_const_none;
    return zs_root_obj(zs_meld(root, t, mask));
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(zs_sl_push_obj, 4, 4, zs_sl_push);

// sl_pop(root, mask): the heap without its root.
static mp_obj_t zs_sl_pop(mp_obj_t root_in, mp_obj_t mask_in) {
    zs_task_t *root = zs_task_arg(root_in);
    zs_task_t *r = zs_merge_pairs(root->prev, mp_obj_get_int(mask_in));
    root->prev = root->next = mp_const_none;
    return zs_root_obj(r);
}
MP_DEFINE_CONST_FUN_OBJ_2(zs_sl_pop_obj, zs_sl_pop);

// sl_remove(root, t, mask): the heap without t (which must be in it).
static mp_obj_t zs_sl_remove(mp_obj_t root_in, mp_obj_t t_in, mp_obj_t mask_in) {
    zs_task_t *root = zs_task_arg(root_in);
    zs_task_t *t = zs_task_arg(t_in);
    mp_int_t mask = mp_obj_get_int(mask_in);
    if (t == root) {
        return zs_sl_pop(root_in, mask_in);
    }
    // Find the parent (the tagged next at the end of t's siblings), then
    // unlink t from the parent's child list.
    mp_obj_t p = t->next;
    while (!IS_TAGGED(p)) {
        if (p == mp_const_none) {
            mp_raise_ValueError(MP_ERROR_TEXT("task is not in the sleep heap"));
        }
        p = ((zs_task_t *)MP_OBJ_TO_PTR(p))->next;
    }
    zs_task_t *parent = UNTAG(p);
    if (parent->prev == t_in) {
        parent->prev = IS_TAGGED(t->next) ? mp_const_none : t->next;
    } else {
        zs_task_t *q = MP_OBJ_TO_PTR(parent->prev);
        while (q->next != t_in) {
            q = MP_OBJ_TO_PTR(q->next);
        }
        q->next = t->next;
    }
    zs_task_t *sub = zs_merge_pairs(t->prev, mask);
    t->next = t->prev = mp_const_none;
    return zs_root_obj(zs_meld(root, sub, mask));
}
MP_DEFINE_CONST_FUN_OBJ_3(zs_sl_remove_obj, zs_sl_remove);
