/* testutil.h — cmocka includes and helpers shared by the unit tests. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ../shared beside the checkout (CI has it; a user's clone may not).
 * RAGPACK_SHARED overrides. Returns NULL when absent: the test must then
 * call skip() after printing "skipped: <why>". */
static inline const char *tu_shared(void)
{
    const char *env = getenv("RAGPACK_SHARED");
    const char *p = env ? env : "../shared";
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode) ? p : NULL;
}

#define TU_NEED_SHARED(var)                                              \
    const char *var = tu_shared();                                       \
    if (!var) {                                                          \
        printf("skipped: ../shared is absent (%s)\n", __func__);         \
        skip();                                                          \
    }

/* Read a whole file into a NUL-terminated buffer (NULL if unreadable). */
static inline char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t r;
    while ((r = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) {
            cap *= 2;
            b = realloc(b, cap);
        }
    }
    fclose(f);
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

#endif
