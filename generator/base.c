/* base.c — the shared error list, allocation helpers and byte buffer. */
#include "base.h"

#include <signal.h>

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void *rp_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("ragpack: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *rp_xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p) {
        fputs("ragpack: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *rp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("ragpack: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *rp_xstrdup(const char *s)
{
    return rp_xstrndup(s ? s : "", strlen(s ? s : ""));
}

char *rp_xstrndup(const char *s, size_t n)
{
    char *p = rp_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *xvasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = rp_xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *rp_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

void rp_grow(void **v, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need)
        nc *= 2;
    *v = rp_xrealloc(*v, nc * sz);
    *cap = nc;
}

int rp_strcaseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* ---- errors ---- */

void rp_errors_init(rp_errors *e) { memset(e, 0, sizeof *e); }

void rp_errors_free(rp_errors *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].file);
        free(e->v[i].column);
        free(e->v[i].message);
    }
    free(e->v);
    memset(e, 0, sizeof *e);
}

void rp_error_add(rp_errors *e, rp_sev sev, const char *file, long line,
                  const char *column, const char *fmt, ...)
{
    rp_grow((void **)&e->v, &e->cap, e->n + 1, sizeof *e->v);
    rp_error *x = &e->v[e->n++];
    x->sev = sev;
    x->file = file ? rp_xstrdup(file) : NULL;
    x->line = line;
    x->column = column ? rp_xstrdup(column) : NULL;
    va_list ap;
    va_start(ap, fmt);
    x->message = xvasprintf(fmt, ap);
    va_end(ap);
    if (sev == RP_SEV_ERROR)
        e->nerrors++;
    else
        e->nwarnings++;
}

void rp_error_format(const rp_error *x, char *buf, size_t len)
{
    rp_buf b;
    rp_buf_init(&b);
    if (x->file) {
        rp_buf_puts(&b, x->file);
        if (x->line > 0)
            rp_buf_printf(&b, ":%ld", x->line);
        rp_buf_puts(&b, ": ");
    }
    if (x->column && *x->column)
        rp_buf_printf(&b, "%s: ", x->column);
    if (x->sev == RP_SEV_WARNING)
        rp_buf_puts(&b, "warning: ");
    rp_buf_puts(&b, x->message);
    snprintf(buf, len, "%s", b.s ? b.s : "");
    rp_buf_free(&b);
}

void rp_errors_print(const rp_errors *e, FILE *out)
{
    char line[4096];
    for (size_t i = 0; i < e->n; i++) {
        rp_error_format(&e->v[i], line, sizeof line);
        fprintf(out, "%s\n", line);
    }
}

/* ---- buffer ---- */

void rp_buf_init(rp_buf *b) { memset(b, 0, sizeof *b); }

void rp_buf_free(rp_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void rp_buf_add(rp_buf *b, const char *s, size_t n)
{
    rp_grow((void **)&b->s, &b->cap, b->len + n + 1, 1);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void rp_buf_puts(rp_buf *b, const char *s) { rp_buf_add(b, s, strlen(s)); }

/* Formats straight into the buffer's spare room: one vsnprintf and no
 * scratch string when it fits (SVG paths call this thousands of times). */
void rp_buf_printf(rp_buf *b, const char *fmt, ...)
{
    rp_grow((void **)&b->s, &b->cap, b->len + 64, 1);
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->s[b->len] = '\0';
        n = 0;
    } else if ((size_t)n >= b->cap - b->len) {
        rp_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1);
        vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap2);
    }
    va_end(ap2);
    /* up to a NUL a %c may have put there, as rp_buf_puts would */
    b->len += strlen(b->s + b->len);
}

void rp_buf_fixed2(rp_buf *b, double v)
{
    double a = fabs(v) * 100.0;
    if (!(a < 1e14) || fabs(a - floor(a) - 0.5) < 1e-6) {
        rp_buf_printf(b, "%.2f", v);
        return;
    }
    /* the hundredths, rounded as printf rounds away from a tie */
    unsigned long long u = (unsigned long long)nearbyint(a);
    char t[32], *e = t + sizeof t, *p = e;
    *--p = (char)('0' + u % 10);
    u /= 10;
    *--p = (char)('0' + u % 10);
    u /= 10;
    *--p = '.';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (signbit(v))
        *--p = '-';
    rp_buf_add(b, p, (size_t)(e - p));
}

/* ---- shared words ------------------------------------------------------ */

const char *const rp_unit_names[RP_UNIT_KINDS] = {
    "count", "percent", "gbp", "rate", "days", "number"
};

const char *rp_unit_name(rp_unit u)
{
    return (unsigned)u < RP_UNIT_KINDS ? rp_unit_names[u] : "";
}

/* Entry i of a four-word table, the first entry when i is out of range. */
static const char *word4(const char *const n[4], unsigned i)
{
    return n[i < 4 ? i : 0];
}

const char *rp_rag_name(rp_rag r)
{
    static const char *const n[4] = { "none", "green", "amber", "red" };
    return word4(n, (unsigned)r);
}

const char *rp_rag_label(rp_rag r)
{
    static const char *const n[4] = { "Not rated", "Green", "Amber", "Red" };
    return word4(n, (unsigned)r);
}

const char *rp_direction_name(rp_direction d)
{
    static const char *const n[4] = { "none", "improving", "no_change",
                                      "worsening" };
    return word4(n, (unsigned)d);
}

const char *rp_direction_label(rp_direction d)
{
    static const char *const n[4] = { "n/a", "Better", "Same", "Worse" };
    return word4(n, (unsigned)d);
}

/* ---- closest names ------------------------------------------------------ */

/* Levenshtein distance, ASCII case-folded, one row of memory. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = rp_xcalloc(lb + 1, sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            int same = tolower((unsigned char)a[i - 1]) ==
                       tolower((unsigned char)b[j - 1]);
            size_t best = diag + (same ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

char *rp_closest(const char *unknown, const char *const *ids, size_t n,
                 size_t max)
{
    if (!unknown || !n || !max)
        return NULL;
    /* Close enough to be a slip: about half the name may differ, at least
     * two edits for short ids. */
    size_t limit = (strlen(unknown) + 1) / 2;
    if (limit < 2)
        limit = 2;
    size_t *dist = rp_xcalloc(n, sizeof *dist);
    for (size_t i = 0; i < n; i++)
        dist[i] = ids[i] ? edit_distance(unknown, ids[i]) : (size_t)-1;
    rp_buf b;
    rp_buf_init(&b);
    size_t taken = 0;
    for (size_t d = 0; d <= limit && taken < max; d++)
        for (size_t i = 0; i < n && taken < max; i++)
            if (dist[i] == d) {
                rp_buf_printf(&b, "%s%s", taken ? ", " : "", ids[i]);
                taken++;
            }
    free(dist);
    return b.s;
}

void rp_json_string(FILE *fp, const char *s)
{
    if (!s) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

/* ---- stopping cleanly ---------------------------------------------------- */

static volatile sig_atomic_t stop_signal;

void rp_request_stop(int sig) { stop_signal = sig; }
int rp_stop_requested(void) { return stop_signal; }

int rp_interrupted(rp_errors *errs)
{
    if (!stop_signal)
        return 0;
    static const char said[] = "interrupted by signal";
    if (!errs->n || strncmp(errs->v[errs->n - 1].message, said,
                            sizeof said - 1) != 0)
        rp_err(errs, NULL, 0, NULL, "%s %d (%s); nothing was replaced", said,
               (int)stop_signal, strsignal(stop_signal));
    return 1;
}

void rp_buf_xml(rp_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': rp_buf_puts(b, "&amp;"); break;
        case '<': rp_buf_puts(b, "&lt;"); break;
        case '>': rp_buf_puts(b, "&gt;"); break;
        case '"': rp_buf_puts(b, "&quot;"); break;
        default: rp_buf_add(b, s, 1); break;
        }
    }
}

char *rp_xstrdup_trim(const char *s)
{
    if (!s)
        return rp_xstrdup("");
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return rp_xstrndup(s, n);
}

static const char *const chart_files_names[] = { "all", "png", "svg", "none" };

int rp_chart_files_parse(const char *text)
{
    for (int i = 0; i < 4; i++)
        if (text && rp_strcaseeq(text, chart_files_names[i]))
            return RP_CHART_FILES_ALL + i;
    return -1;
}

const char *rp_chart_files_name(rp_chart_files c)
{
    return c >= RP_CHART_FILES_ALL && c <= RP_CHART_FILES_NONE
           ? chart_files_names[c - RP_CHART_FILES_ALL] : "all";
}
