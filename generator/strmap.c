/* strmap.c — string-keyed hash index and string interning, so ingest and
 * the model find a measure, a breakdown or a repeated cell in constant
 * time instead of walking every one seen so far (issue 11: millions of
 * rows). */
#include "base.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a over the bytes, mixed with the namespace: cheap, and keys here
 * are short ids and labels. */
uint64_t rp_hash(uint64_t ns, const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ULL ^ (ns * 0x9E3779B97F4A7C15ULL);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

void rp_map_init(rp_map *m)
{
    memset(m, 0, sizeof *m);
}

void rp_map_free(rp_map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static rp_map_slot *probe(const rp_map *m, uint64_t ns, const char *key,
                          size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        rp_map_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->ns == ns && s->len == len &&
                        memcmp(s->key, key, len) == 0))
            return s;
    }
}

/* Keeps the load under 1/2 so probes stay short. */
static void grow(rp_map *m)
{
    rp_map old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->slots = rp_xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *probe(m, old.slots[i].ns, old.slots[i].key, old.slots[i].len,
                   old.slots[i].hash) = old.slots[i];
    free(old.slots);
}

size_t *rp_map_find(const rp_map *m, uint64_t ns, const char *key, size_t len)
{
    if (m->n == 0)
        return NULL;
    rp_map_slot *s = probe(m, ns, key, len, rp_hash(ns, key, len));
    return s->key ? &s->value : NULL;
}

static rp_map_slot *put_slot(rp_map *m, uint64_t ns, const char *key,
                             size_t len, int *added)
{
    if (2 * (m->n + 1) > m->cap)
        grow(m);
    uint64_t h = rp_hash(ns, key, len);
    rp_map_slot *s = probe(m, ns, key, len, h);
    *added = !s->key;
    if (!s->key) {
        /* a non-NULL pointer marks the slot used, even for "" */
        s->key = key ? key : "";
        s->len = len;
        s->ns = ns;
        s->hash = h;
        s->value = 0;
        m->n++;
    }
    return s;
}

size_t *rp_map_put(rp_map *m, uint64_t ns, const char *key, size_t len,
                   int *added)
{
    return &put_slot(m, ns, key, len, added)->value;
}

/* ---- interning --------------------------------------------------------- */

enum { INTERN_BLOCK = 64 * 1024 };

typedef struct intern_block {
    struct intern_block *next;
    size_t used, cap;
    char bytes[];
} intern_block;

void rp_intern_init(rp_intern *p)
{
    memset(p, 0, sizeof *p);
    rp_map_init(&p->map);
}

void rp_intern_free(rp_intern *p)
{
    for (intern_block *b = p->blocks; b;) {
        intern_block *next = b->next;
        free(b);
        b = next;
    }
    rp_map_free(&p->map);
    memset(p, 0, sizeof *p);
}

/* Copies into the current block (a new one when full; an oversized string
 * gets a block of its own), so copies never move. */
static char *pool_copy(rp_intern *p, const char *s, size_t len)
{
    intern_block *b = p->blocks;
    if (!b || b->cap - b->used < len + 1) {
        size_t cap = len + 1 > INTERN_BLOCK ? len + 1 : INTERN_BLOCK;
        b = rp_xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = p->blocks;
        p->blocks = b;
    }
    char *d = b->bytes + b->used;
    memcpy(d, s, len);
    d[len] = '\0';
    b->used += len + 1;
    return d;
}

const char *rp_intern_str(rp_intern *p, const char *s, size_t len)
{
    int added;
    rp_map_slot *slot = put_slot(&p->map, 0, s, len, &added);
    if (added)   /* the slot must key the pooled copy, not the caller's */
        slot->key = pool_copy(p, s, len);
    return slot->key;
}
