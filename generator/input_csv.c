/* input_csv.c — whole CSV files into records with the physical line each
 * starts on. libcsv does the tokenizing; this file adds what it lacks for
 * council exports: BOM removal, UTF-8 validation, line numbers and
 * messages a user can act on. */
#include "input.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many lines with bad bytes the file is plainly in another
 * encoding; more messages would only bury the first one. */
#define INPUT_UTF8_MAX_REPORTS 5

/* The record in progress: field bytes (each NUL-terminated) in one
 * reused buffer, so a field costs no allocation of its own. */
typedef struct csv_ctx {
    input_csv_each_fn fn;
    void *fn_ctx;
    size_t nrecs;
    char *bytes;
    size_t blen, bcap;
    size_t *off;            /* start of each field in bytes */
    char **ptrs;            /* handed to fn */
    size_t nfields, fcap, pcap;
    long rec_start;     /* line the record in progress began on; 0 = none */
} csv_ctx;

static void on_field(void *s, size_t len, void *data)
{
    csv_ctx *c = data;
    rp_grow((void **)&c->off, &c->fcap, c->nfields + 1, sizeof *c->off);
    rp_grow((void **)&c->bytes, &c->bcap, c->blen + len + 1, 1);
    c->off[c->nfields++] = c->blen;
    if (len)
        memcpy(c->bytes + c->blen, s, len);
    c->bytes[c->blen + len] = '\0';
    c->blen += len + 1;
}

static void on_row(int term, void *data)
{
    (void)term;
    csv_ctx *c = data;
    rp_grow((void **)&c->ptrs, &c->pcap, c->nfields + 1, sizeof *c->ptrs);
    for (size_t i = 0; i < c->nfields; i++)
        c->ptrs[i] = c->bytes + c->off[i];
    input_record r = { c->ptrs, c->nfields, c->rec_start };
    c->fn(&r, c->fn_ctx);
    c->nrecs++;
    c->nfields = c->blen = 0;
    c->rec_start = 0;
}

static void ctx_free(csv_ctx *c)
{
    free(c->bytes);
    free(c->off);
    free(c->ptrs);
}

/* Spaces are data in these files ("Close " is a real DfE label), so libcsv
 * must not trim any. */
static int no_space(unsigned char ch)
{
    (void)ch;
    return 0;
}

/* Length of the physical line at p (terminator included); *body gets the
 * length without it. LF, CRLF and a bare CR each end a line. */
static size_t line_len(const char *p, size_t n, size_t *body)
{
    /* memchr is vectorised: LF, then a CR before it, in windows so a
     * file of bare CRs is not searched to its end for every line */
    size_t i = 0;
    for (;;) {
        size_t w = n - i < 512 ? n - i : 512;
        const char *lf = memchr(p + i, '\n', w);
        size_t end = lf ? (size_t)(lf - p) : i + w;
        const char *cr = memchr(p + i, '\r', end - i);
        if (cr) {
            i = (size_t)(cr - p);
            break;
        }
        i = end;
        if (lf || i == n)
            break;
    }
    *body = i;
    if (i < n && p[i] == '\r')
        i++;
    if (i < n && p[i] == '\n' && (i == *body || p[i - 1] == '\r'))
        i++;
    return i;
}

/* Length of a valid UTF-8 sequence at p, or 0 if invalid (overlongs,
 * surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char b = p[0];
    if (b < 0x80)
        return 1;
    size_t k;
    unsigned lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        k = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        k = 3;
        if (b == 0xE0) lo = 0xA0;
        if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        k = 4;
        if (b == 0xF0) lo = 0x90;
        if (b == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n < k || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return k;
}

/* Reports the first bad byte of each line (NUL is refused too: fields
 * are C strings). Returns the number of lines with a bad byte. */
static size_t check_bytes(const char *name, const char *buf, size_t len,
                          rp_errors *errs)
{
    size_t bad_lines = 0, off = 0;
    long line = 1;
    while (off < len) {
        if ((line & 0xfff) == 0 && rp_interrupted(errs))
            return bad_lines + 1;   /* not read to the end: a failure */
        size_t body, ll = line_len(buf + off, len - off, &body);
        const unsigned char *p = (const unsigned char *)buf + off;
        for (size_t i = 0; i < body;) {
            if (p[i] > 0 && p[i] < 0x80) {   /* ASCII, the common case */
                i++;
                continue;
            }
            size_t k = p[i] ? utf8_seq(p + i, body - i) : 0;
            if (k) {
                i += k;
                continue;
            }
            if (++bad_lines <= INPUT_UTF8_MAX_REPORTS) {
                if (p[i] == 0)
                    rp_err(errs, name, line, NULL,
                           "NUL byte at column %zu", i + 1);
                else
                    rp_err(errs, name, line, NULL,
                           "invalid UTF-8 (byte 0x%02X) at column %zu; "
                           "save the file as UTF-8", p[i], i + 1);
            }
            break;
        }
        off += ll;
        line++;
    }
    if (bad_lines > INPUT_UTF8_MAX_REPORTS)
        rp_err(errs, name, 0, NULL,
               "invalid UTF-8 on %zu more lines",
               bad_lines - INPUT_UTF8_MAX_REPORTS);
    return bad_lines;
}

static void free_recs(input_csv *c)
{
    for (size_t i = 0; i < c->nrecs; i++)
        free(c->recs[i].fields);   /* pointers and bytes: one block */
    free(c->recs);
    c->recs = NULL;
    c->nrecs = 0;
}

/* A blank line outside any record becomes a record of one empty field. */
static void blank_record(csv_ctx *c, long line)
{
    on_field(NULL, 0, c);
    c->rec_start = line;
    on_row('\n', c);
}

static void quote_error(const char *name, long line, const char *bad,
                        size_t used, size_t ll, rp_errors *errs)
{
    /* libcsv stops on the character that breaks strict quoting */
    if (used < ll && *bad == '"')
        rp_err(errs, name, line, NULL,
               "malformed quoting: a quote inside an unquoted field "
               "at column %zu (quote the whole field and double "
               "the quote: \"\")", used + 1);
    else
        rp_err(errs, name, line, NULL,
               "malformed quoting: text after a closing quote at "
               "column %zu (a quote inside a quoted field must be "
               "doubled: \"\")", used + 1);
}

/* Feeds one physical line at a time so a record's first line and a
 * parse error's line are known exactly (libcsv keeps its state across
 * calls, so quoted line breaks still work). */
static int feed_lines(struct csv_parser *p, csv_ctx *c, const char *name,
                      const char *buf, size_t len, unsigned flags,
                      rp_errors *errs)
{
    size_t off = 0;
    long line = 1;
    while (off < len) {
        if ((line & 0xfff) == 0 && rp_interrupted(errs))
            return -1;
        size_t body, ll = line_len(buf + off, len - off, &body);
        if (c->rec_start == 0 && body == 0 && (flags & INPUT_CSV_KEEP_BLANK)) {
            blank_record(c, line);
        } else {
            if (c->rec_start == 0 && body > 0)
                c->rec_start = line;
            size_t used = csv_parse(p, buf + off, ll, on_field, on_row, c);
            if (used != ll) {
                quote_error(name, line, buf + off + used, used, ll, errs);
                return -1;
            }
        }
        off += ll;
        line++;
    }
    if (csv_fini(p, on_field, on_row, c) != 0) {
        rp_err(errs, name, c->rec_start,  NULL,
               "malformed quoting: a quoted field is never closed");
        return -1;
    }
    return 0;
}

int input_csv_each(const char *name, const char *buf, size_t len,
                   unsigned flags, input_csv_each_fn fn, void *ctx,
                   rp_errors *errs)
{
    if (len == 0) {
        rp_err(errs, name, 0, NULL, "file is empty (no header row)");
        return -1;
    }
    /* Excel's "CSV UTF-8" writes a BOM; libcsv would keep it in the first
     * header name. */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    if (check_bytes(name, buf, len, errs) > 0)
        return -1;

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        rp_err(errs, name, 0, NULL, "cannot start the CSV parser");
        return -1;
    }
    csv_set_space_func(&p, no_space);
    /* libcsv grows a field's buffer by this much at a time (default 128
     * bytes): a 10 MB field then costs 80,000 reallocations, minutes under
     * ASan. 1 MiB steps make it a handful. */
    csv_set_blk_size(&p, (size_t)1 << 20);
    csv_ctx c;
    memset(&c, 0, sizeof c);
    c.fn = fn;
    c.fn_ctx = ctx;
    int rc = feed_lines(&p, &c, name, buf, len, flags, errs);
    ctx_free(&c);
    csv_free(&p);
    if (rc == 0 && c.nrecs == 0) {
        rp_err(errs, name, 0, NULL, "file is empty (no header row)");
        rc = -1;
    }
    return rc;
}

/* Keeps a copy of each record: its pointers and bytes in one block. */
static void keep_record(const input_record *r, void *ctx)
{
    input_csv *o = ctx;
    size_t bytes = 0;
    for (size_t i = 0; i < r->nfields; i++)
        bytes += strlen(r->fields[i]) + 1;
    char **f = rp_xmalloc(r->nfields * sizeof *f + bytes);
    char *w = (char *)(f + r->nfields);
    for (size_t i = 0; i < r->nfields; i++) {
        size_t n = strlen(r->fields[i]) + 1;
        memcpy(w, r->fields[i], n);
        f[i] = w;
        w += n;
    }
    rp_grow((void **)&o->recs, &o->cap, o->nrecs + 1, sizeof *o->recs);
    input_record *k = &o->recs[o->nrecs++];
    k->fields = f;
    k->nfields = r->nfields;
    k->line = r->line;
}

int input_csv_parse(const char *name, const char *buf, size_t len, input_csv *out,
                 rp_errors *errs)
{
    return input_csv_parse_ex(name, buf, len, 0, out, errs);
}

int input_csv_parse_ex(const char *name, const char *buf, size_t len,
                    unsigned flags, input_csv *out, rp_errors *errs)
{
    memset(out, 0, sizeof *out);
    out->path = rp_xstrdup(name);
    if (input_csv_each(name, buf, len, flags, keep_record, out, errs) != 0) {
        input_csv_free(out);
        return -1;
    }
    return 0;
}

int input_csv_read(const char *path, input_csv *out, rp_errors *errs)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char why[160];
    char *buf = rp_read_input(path, RP_MAX_DATA_BYTES, &len, why, sizeof why);
    if (!buf) {
        rp_err(errs, path, 0, NULL, "cannot read: %s", why);
        return -1;
    }
    int rc = input_csv_parse(path, buf, len, out, errs);
    free(buf);
    return rc;
}

void input_csv_free(input_csv *c)
{
    if (!c)
        return;
    free_recs(c);
    free(c->path);
    memset(c, 0, sizeof *c);
}

/* Header names compare without case and surrounding spaces: Excel users
 * retype headers as "Value " or "VALUE". */
int input_csv_column(const input_csv *c, const char *name)
{
    return input_csv_column_after(c, name, -1);
}

int input_csv_column_after(const input_csv *c, const char *name, int after)
{
    if (!c || c->nrecs == 0)
        return -1;
    const input_record *h = &c->recs[0];
    size_t nl = strlen(name);
    for (size_t i = (size_t)(after + 1);
         i < h->nfields && i < (size_t)INT32_MAX; i++) {
        const char *f = h->fields[i];
        size_t fl = strlen(f);
        while (fl && (*f == ' ' || *f == '\t')) {
            f++;
            fl--;
        }
        while (fl && (f[fl - 1] == ' ' || f[fl - 1] == '\t'))
            fl--;
        if (fl != nl)
            continue;
        size_t k = 0;
        while (k < fl && tolower((unsigned char)f[k]) ==
                             tolower((unsigned char)name[k]))
            k++;
        if (k == fl)
            return (int)i;
    }
    return -1;
}
