/* input_folder.c — the four files of the data contract into typed rows. Each
 * bad cell is reported as "file:line: column: message" with the text
 * found; reading goes on so the user sees every problem in one run. */
#include "input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const pol_names[] = { "higher", "lower", "none" };
static const char *const yes_no_names[] = { "no", "yes" };
static const char *const annual_names[] = { "last", "sum", "mean" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *input_polarity_name(input_polarity p)
{
    return (size_t)p < NELEM(pol_names) ? pol_names[p] : "";
}

const char *input_annual_name(input_annual a)
{
    return (size_t)a < NELEM(annual_names) ? annual_names[a] : "";
}

/* ---- one row being checked --------------------------------------------- */

typedef struct row_ctx {
    const char *path;
    const input_record *rec;
    rp_errors *errs;
    int ok;             /* cleared by the first bad cell of the row */
} row_ctx;

static const char *cell(const row_ctx *r, int col)
{
    return col < 0 ? "" : r->rec->fields[col];
}

static char *trimmed_dup(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return rp_xstrndup(s, n);
}

/* Text cell; a required one must not be blank. */
static char *text_cell(row_ctx *r, int col, const char *name, int required)
{
    char *t = trimmed_dup(cell(r, col));
    if (required && !*t) {
        rp_err(r->errs, r->path, r->rec->line, name,
               "is empty but a value is required");
        r->ok = 0;
    }
    return t;
}

static char *id_cell(row_ctx *r, int col, const char *name)
{
    char *t = text_cell(r, col, name, 1);
    if (*t && !rp_valid_id(t)) {    /* empty was reported by text_cell */
        rp_err(r->errs, r->path, r->rec->line, name,
               "\"%s\" is not a valid id (use only letters, digits, "
               "_ - and .)", cell(r, col));
        r->ok = 0;
    }
    return t;
}

/* Case-insensitive choice from names[]; blank gives dflt when optional. */
static int enum_cell(row_ctx *r, int col, const char *name,
                     const char *const *names, size_t n, int dflt,
                     const char *what)
{
    char *t = trimmed_dup(cell(r, col));
    int v = -1;
    if (!*t && dflt >= 0) {
        v = dflt;
    } else {
        for (size_t i = 0; i < n; i++)
            if (rp_strcaseeq(t, names[i]))
                v = (int)i;
    }
    if (v < 0) {
        rp_buf allowed;
        rp_buf_init(&allowed);
        for (size_t i = 0; i < n; i++)
            rp_buf_printf(&allowed, "%s%s", i == 0 ? "" :
                          i + 1 == n ? " or " : ", ", names[i]);
        rp_err(r->errs, r->path, r->rec->line, name,
               "\"%s\" is not %s (use %s)", cell(r, col), what, allowed.s);
        rp_buf_free(&allowed);
        r->ok = 0;
        v = dflt >= 0 ? dflt : 0;
    }
    free(t);
    return v;
}

static rp_value num_cell(row_ctx *r, int col, const char *name,
                         unsigned flags)
{
    rp_value v = rp_value_missing(RP_MISS_EMPTY);
    if (col < 0)
        return v;
    char why[64];
    if (rp_num_parse(cell(r, col), flags, &v, why, sizeof why) != 0) {
        rp_err(r->errs, r->path, r->rec->line, name, "\"%s\" %s",
               cell(r, col), why);
        r->ok = 0;
        v = rp_value_missing(RP_MISS_EMPTY);
    }
    return v;
}

static rp_period period_cell(row_ctx *r, int col, const char *name,
                             int quarter_only)
{
    rp_period p = { 0, 0, 0 };
    const char *t = cell(r, col);
    if (rp_period_parse(t, &p) != 0) {
        rp_err(r->errs, r->path, r->rec->line, name,
               "\"%s\" is not a period (write e.g. 2023/24 Q3, or 2023/24 "
               "for a whole year)", t);
        r->ok = 0;
    } else if (quarter_only && p.kind != RP_PER_QUARTER) {
        rp_err(r->errs, r->path, r->rec->line, name,
               "\"%s\" is not a quarter (finance is reported by quarter, "
               "e.g. 2023/24 Q3)", t);
        r->ok = 0;
    }
    return p;
}

/* "5%" is relative to the target, "2" absolute in the measure's unit. */
static void tolerance_cell(row_ctx *r, int col, int *relative, rp_num *tol)
{
    char *t = trimmed_dup(cell(r, col));
    size_t n = strlen(t);
    *relative = 1;
    *tol = 5 * RP_SCALE;
    if (n == 0) {
        free(t);
        return;
    }
    int rel = t[n - 1] == '%';
    rp_value v;
    char why[64];
    if (rp_num_parse(t, 0, &v, why, sizeof why) != 0 || !rp_has(v) ||
        v.num < 0) {
        rp_err(r->errs, r->path, r->rec->line, "tolerance",
               "\"%s\" is not a tolerance (write a percentage of the "
               "target such as 5%%, or an amount such as 2)", cell(r, col));
        r->ok = 0;
    } else {
        *relative = rel;
        *tol = v.num;
    }
    free(t);
}

static int decimals_cell(row_ctx *r, int col)
{
    char *t = trimmed_dup(cell(r, col));
    int d = -1;
    if (*t) {
        if (t[0] >= '0' && t[0] <= '6' && t[1] == '\0') {
            d = t[0] - '0';
        } else {
            rp_err(r->errs, r->path, r->rec->line, "decimals",
                   "\"%s\" is not a number of decimal places (0 to 6)",
                   cell(r, col));
            r->ok = 0;
        }
    }
    free(t);
    return d;
}

/* Paragraph text: CRLF and bare CR (old Mac Excel) become LF. */
static char *para_cell(row_ctx *r, int col, const char *name)
{
    char *t = text_cell(r, col, name, 1);
    char *w = t;
    for (const char *p = t; *p; p++) {
        if (*p == '\r') {
            *w++ = '\n';
            if (p[1] == '\n')
                p++;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return t;
}

/* ---- one file ------------------------------------------------------------ */

typedef struct col_spec {
    const char *name;
    int required;
} col_spec;

/* Reads path and finds columns; returns 0 with cols[] filled (absent
 * optional columns are -1), or -1 when the file cannot be used. */
static int open_table(const char *path, const col_spec *spec, size_t n,
                      int *cols, input_csv *csv, rp_errors *errs)
{
    if (input_csv_read(path, csv, errs) != 0)
        return -1;
    int missing = 0;
    for (size_t i = 0; i < n; i++) {
        cols[i] = input_csv_column(csv, spec[i].name);
        int again = cols[i] < 0 ? -1
                  : input_csv_column_after(csv, spec[i].name, cols[i]);
        if (again >= 0) {
            /* "value" and "VALUE": which one is meant cannot be known */
            rp_err(errs, path, csv->recs[0].line, spec[i].name,
                   "the column is given twice (columns %d and %d); keep one",
                   cols[i] + 1, again + 1);
            missing = 1;
        }
        if (cols[i] < 0 && spec[i].required) {
            rp_err(errs, path, csv->recs[0].line, NULL,
                   "missing required column \"%s\"", spec[i].name);
            missing = 1;
        }
    }
    if (missing) {
        input_csv_free(csv);
        return -1;
    }
    return 0;
}

/* A record must have as many fields as the header, or its cells would be
 * read under the wrong names. */
static int row_shape_ok(const char *path, const input_csv *csv, size_t i,
                        rp_errors *errs)
{
    const input_record *rec = &csv->recs[i];
    size_t want = csv->recs[0].nfields;
    if (rec->nfields == want)
        return 1;
    rp_err(errs, path, rec->line, NULL,
           "the row has %zu fields but the header has %zu (is a comma "
           "missing, or a field with a comma not quoted?)",
           rec->nfields, want);
    return 0;
}

#define GROW_PUSH(arr, n, cap, item)                                       \
    do {                                                                   \
        rp_grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr));         \
        (arr)[(n)++] = (item);                                             \
    } while (0)

enum { M_ID, M_TITLE, M_AREA, M_UNIT, M_LABEL, M_POL, M_TOL, M_ANNUAL,
       M_DEC, M_TAGS, M_CUMUL, M_YEAR_ENDS, M_N };
static const col_spec measure_cols[M_N] = {
    { "id", 1 }, { "title", 1 }, { "service_area", 1 }, { "unit", 1 },
    { "unit_label", 0 }, { "polarity", 1 }, { "tolerance", 0 },
    { "annual", 0 }, { "decimals", 0 }, { "tags", 0 }, { "cumulative", 0 },
    { "year_ends", 0 },
};

static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* `year_ends`: empty = the kind of year's own end (0), else 1..12. */
static int year_ends_cell(row_ctx *r, int col)
{
    char *t = trimmed_dup(cell(r, col));
    int m = *t ? enum_cell(r, col, "year_ends", month_names,
                           NELEM(month_names), -1, "a month") + 1
               : 0;
    free(t);
    return m;
}

/* "highways; environment" → {"highways", "environment"}: split on ';',
 * trimmed, empty pieces dropped. */
static void tags_cell(row_ctx *r, int col, input_measure_row *m)
{
    char *t = trimmed_dup(cell(r, col));
    for (char *p = t, *e; p && *p; p = e ? e + 1 : NULL) {
        e = strchr(p, ';');
        if (e)
            *e = '\0';
        char *one = trimmed_dup(p);
        if (*one) {
            m->tags = rp_xrealloc(m->tags, (m->ntags + 1) * sizeof *m->tags);
            m->tags[m->ntags++] = one;
        } else {
            free(one);
        }
    }
    free(t);
}

static void free_measure(input_measure_row *m)
{
    free(m->id);
    free(m->title);
    free(m->service_area);
    free(m->unit_label);
    for (size_t i = 0; i < m->ntags; i++)
        free(m->tags[i]);
    free(m->tags);
}

static void read_measures(input_folder *in, rp_errors *errs)
{
    int cols[M_N];
    input_csv csv;
    if (open_table(in->measures_path, measure_cols, M_N, cols, &csv, errs))
        return;
    size_t cap = 0;
    for (size_t i = 1; i < csv.nrecs; i++) {
        if (!row_shape_ok(in->measures_path, &csv, i, errs))
            continue;
        row_ctx r = { in->measures_path, &csv.recs[i], errs, 1 };
        input_measure_row m;
        memset(&m, 0, sizeof m);
        m.line = r.rec->line;
        m.id = id_cell(&r, cols[M_ID], "id");
        m.title = text_cell(&r, cols[M_TITLE], "title", 1);
        m.service_area = text_cell(&r, cols[M_AREA], "service_area", 1);
        m.unit = enum_cell(&r, cols[M_UNIT], "unit", rp_unit_names,
                                    RP_UNIT_KINDS, -1, "a unit");
        m.unit_label = text_cell(&r, cols[M_LABEL], "unit_label", 0);
        m.polarity = (input_polarity)enum_cell(&r, cols[M_POL], "polarity",
                                            pol_names, NELEM(pol_names), -1,
                                            "a polarity");
        tolerance_cell(&r, cols[M_TOL], &m.tol_relative, &m.tolerance);
        m.annual = (input_annual)enum_cell(&r, cols[M_ANNUAL], "annual",
                                        annual_names, NELEM(annual_names),
                                        INPUT_ANNUAL_LAST, "an annual rule");
        m.decimals = decimals_cell(&r, cols[M_DEC]);
        tags_cell(&r, cols[M_TAGS], &m);
        m.cumulative = enum_cell(&r, cols[M_CUMUL], "cumulative", yes_no_names,
                                 NELEM(yes_no_names), 0, "a cumulative flag");
        m.year_ends = year_ends_cell(&r, cols[M_YEAR_ENDS]);
        if (r.ok)
            GROW_PUSH(in->measures, in->nmeasures, cap, m);
        else
            free_measure(&m);
    }
    input_csv_free(&csv);
}

enum { K_MEASURE, K_PERIOD, K_VALUE, K_TARGET, K_NATIONAL, K_REGIONAL,
       K_BREAKDOWN, K_NEIGHBOURS, K_RANK, K_RANKED, K_NUMER, K_DENOM,
       K_REGION, K_N };
static const col_spec kpi_cols[K_N] = {
    { "measure", 1 }, { "period", 1 }, { "value", 1 }, { "target", 0 },
    { "national", 0 }, { "regional", 0 }, { "breakdown", 0 },
    { "neighbours", 0 }, { "rank", 0 }, { "ranked", 0 },
    { "numerator", 0 }, { "denominator", 0 }, { "region", 0 },
};

/* Is `id` a gbp measure in measures.csv? Money suffixes (£9.73m,
 * £12,154k) are allowed only on money (contract: "the value, target and
 * comparators of a gbp measure"). Asked only when a cell is not a plain
 * number, so the common path does no look-up. */
static int is_money_measure(const input_folder *in, const char *id)
{
    for (size_t i = 0; i < in->nmeasures; i++)
        if (strcmp(in->measures[i].id, id) == 0)
            return in->measures[i].unit == RP_UNIT_GBP;
    return 0;
}

/* A kpi figure: money suffixes when the row's measure is gbp. */
static rp_value kpi_num_cell(row_ctx *r, const input_folder *in,
                             const char *measure, int col, const char *name)
{
    rp_value v = rp_value_missing(RP_MISS_EMPTY);
    if (col < 0)
        return v;
    char why[64];
    if (rp_num_parse(cell(r, col), 0, &v, why, sizeof why) == 0)
        return v;
    unsigned flags = is_money_measure(in, measure) ? RP_NUM_MONEY : 0;
    return num_cell(r, col, name, flags);
}

/* A position: a whole number from 1, or blank / a missing-value marker
 * (0). */
static int rank_cell(row_ctx *r, int col, const char *name)
{
    rp_value v = num_cell(r, col, name, 0);
    if (!rp_has(v))
        return 0;
    if (v.num < RP_SCALE || v.num % RP_SCALE != 0 ||
        v.num > (rp_num)1000000 * RP_SCALE) {
        rp_err(r->errs, r->path, r->rec->line, name,
               "\"%s\" is not a position (a whole number from 1)",
               cell(r, col));
        r->ok = 0;
        return 0;
    }
    return (int)(v.num / RP_SCALE);
}

/* kpi.csv is streamed (it may have millions of rows): each record is
 * checked as it is parsed, ids and breakdowns are interned, and the row
 * keeps only fixed-point values. Messages go to a list of their own that
 * joins errs only if the whole file parsed, as when the file was read
 * first and checked after. */
typedef struct kpi_ctx {
    input_folder *in;
    rp_errors errs;
    int cols[K_N];
    int header_seen;
    int usable;             /* header had every required column */
    size_t width;           /* header's field count */
    size_t cap;
    /* Periods already read: a kpi.csv has a few dozen distinct periods
     * over millions of rows, and parsing one costs ~400 instructions. */
    struct { char text[24]; rp_period p; } seen[64];
} kpi_ctx;

/* The row's period through k->seen: a period read before, by its text;
 * a bad one goes to period_cell, which reports it. */
static rp_period kpi_period(kpi_ctx *k, row_ctx *r, int col)
{
    const char *t = cell(r, col);
    size_t n = strlen(t);
    size_t slot = rp_hash(0, t, n) % (sizeof k->seen / sizeof k->seen[0]);
    if (n && strcmp(k->seen[slot].text, t) == 0)
        return k->seen[slot].p;
    rp_period p;
    if (rp_period_parse(t, &p) != 0)
        return period_cell(r, col, "period", 0);
    if (n < sizeof k->seen[slot].text) {
        memcpy(k->seen[slot].text, t, n + 1);
        k->seen[slot].p = p;
    }
    return p;
}

/* The cell without surrounding spaces and tabs. */
static void span_of(const char *s, const char **b, size_t *n)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    *b = s;
    *n = len;
}

/* text_cell and id_cell without a copy per row: the trimmed text is
 * interned. */
static const char *interned_cell(row_ctx *r, rp_intern *pool, int col,
                                 const char *name, int id)
{
    const char *b;
    size_t n;
    span_of(cell(r, col), &b, &n);
    const char *t = rp_intern_str(pool, b, n);
    if (id && !*t) {
        rp_err(r->errs, r->path, r->rec->line, name,
               "is empty but a value is required");
        r->ok = 0;
    } else if (id && !rp_valid_id(t)) {
        rp_err(r->errs, r->path, r->rec->line, name,
               "\"%s\" is not a valid id (use only letters, digits, "
               "_ - and .)", cell(r, col));
        r->ok = 0;
    }
    return t;
}

static void kpi_header(kpi_ctx *k, const input_record *rec)
{
    /* input_csv_column looks only at the header: a one-record view */
    input_csv h = { k->in->kpi_path, (input_record *)rec, 1, 1 };
    k->usable = 1;
    for (size_t i = 0; i < K_N; i++) {
        k->cols[i] = input_csv_column(&h, kpi_cols[i].name);
        int again = k->cols[i] < 0 ? -1
                  : input_csv_column_after(&h, kpi_cols[i].name, k->cols[i]);
        if (again >= 0) {
            /* "value" and "VALUE": which one is meant cannot be known */
            rp_err(&k->errs, k->in->kpi_path, rec->line, kpi_cols[i].name,
                   "the column is given twice (columns %d and %d); keep one",
                   k->cols[i] + 1, again + 1);
            k->usable = 0;
        }
        if (k->cols[i] < 0 && kpi_cols[i].required) {
            rp_err(&k->errs, k->in->kpi_path, rec->line, NULL,
                   "missing required column \"%s\"", kpi_cols[i].name);
            k->usable = 0;
        }
    }
    k->width = rec->nfields;
}

/* The optional benchmarking and volume columns. */
static void kpi_extras(row_ctx *r, const int *cols, rp_intern *pool,
                       input_kpi_extra *k)
{
    k->neighbours = num_cell(r, cols[K_NEIGHBOURS], "neighbours", 0);
    k->rank = rank_cell(r, cols[K_RANK], "rank");
    k->ranked = rank_cell(r, cols[K_RANKED], "ranked");
    if (k->rank && k->ranked && k->rank > k->ranked) {
        rp_err(r->errs, r->path, r->rec->line, "rank",
               "%d is beyond the %d authorities ranked", k->rank, k->ranked);
        r->ok = 0;
    } else if ((k->rank != 0) != (k->ranked != 0) && r->ok) {
        rp_err(r->errs, r->path, r->rec->line, k->rank ? "ranked" : "rank",
               "rank and ranked go together (\"41\" of \"152\")");
        r->ok = 0;
    }
    k->numerator = num_cell(r, cols[K_NUMER], "numerator", 0);
    k->denominator = num_cell(r, cols[K_DENOM], "denominator", 0);
    if (rp_has(k->denominator) && k->denominator.num <= 0) {
        rp_err(r->errs, r->path, r->rec->line, "denominator",
               "\"%s\" is not a count above 0", cell(r, cols[K_DENOM]));
        r->ok = 0;
    }
    k->region = interned_cell(r, pool, cols[K_REGION], "region", 0);
}

static int value_is_empty(rp_value v)
{
    rp_value e = rp_value_missing(RP_MISS_EMPTY);
    return v.num == e.num && v.miss == e.miss && v.decimals == e.decimals;
}

/* Extras live in blocks that never move, so rows can point at them. */
enum { EXTRA_BLOCK = 4096 };
static const input_kpi_extra *keep_extra(input_folder *in,
                                         const input_kpi_extra *x)
{
    if (value_is_empty(x->neighbours) && value_is_empty(x->numerator) &&
        value_is_empty(x->denominator) && !x->rank && !x->ranked &&
        !*x->region)
        return NULL;    /* what a row without them reads as */
    size_t b = in->nextras / EXTRA_BLOCK, i = in->nextras % EXTRA_BLOCK;
    if (i == 0) {
        in->extras = rp_xrealloc(in->extras, (b + 1) * sizeof *in->extras);
        in->extras[b] = rp_xmalloc(EXTRA_BLOCK * sizeof **in->extras);
    }
    in->extras[b][i] = *x;
    in->nextras++;
    return &in->extras[b][i];
}

static void free_extras(input_folder *in)
{
    for (size_t b = 0; b * EXTRA_BLOCK < in->nextras; b++)
        free(in->extras[b]);
    free(in->extras);
    in->extras = NULL;
    in->nextras = 0;
}

static void kpi_record(const input_record *rec, void *data)
{
    kpi_ctx *k = data;
    input_folder *in = k->in;
    if (!k->header_seen) {
        k->header_seen = 1;
        kpi_header(k, rec);
        return;
    }
    if (!k->usable)
        return;
    if (rec->nfields != k->width) {
        rp_err(&k->errs, in->kpi_path, rec->line, NULL,
               "the row has %zu fields but the header has %zu (is a comma "
               "missing, or a field with a comma not quoted?)",
               rec->nfields, k->width);
        return;
    }
    const int *cols = k->cols;
    row_ctx r = { in->kpi_path, rec, &k->errs, 1 };
    input_kpi_row row;
    memset(&row, 0, sizeof row);
    row.line = rec->line;
    row.measure = (char *)interned_cell(&r, &in->strings, cols[K_MEASURE],
                                        "measure", 1);
    row.period = kpi_period(k, &r, cols[K_PERIOD]);
    row.value = kpi_num_cell(&r, in, row.measure, cols[K_VALUE], "value");
    row.target = kpi_num_cell(&r, in, row.measure, cols[K_TARGET], "target");
    row.national = kpi_num_cell(&r, in, row.measure, cols[K_NATIONAL],
                                "national");
    row.regional = kpi_num_cell(&r, in, row.measure, cols[K_REGIONAL],
                                "regional");
    row.breakdown = (char *)interned_cell(&r, &in->strings, cols[K_BREAKDOWN],
                                          "breakdown", 0);
    input_kpi_extra x;
    kpi_extras(&r, cols, &in->strings, &x);
    if (r.ok) {
        row.extra = keep_extra(in, &x);
        GROW_PUSH(in->kpis, in->nkpis, k->cap, row);
    }
}

/* Moves src's diagnostics to the end of dst, in order. */
static void errors_append(rp_errors *dst, rp_errors *src)
{
    for (size_t i = 0; i < src->n; i++) {
        rp_error *e = &src->v[i];
        rp_grow((void **)&dst->v, &dst->cap, dst->n + 1, sizeof *dst->v);
        dst->v[dst->n++] = *e;
        if (e->sev == RP_SEV_ERROR)
            dst->nerrors++;
        else
            dst->nwarnings++;
    }
    free(src->v);
    rp_errors_init(src);
}

static void read_kpis(input_folder *in, rp_errors *errs)
{
    size_t len;
    char why[160];
    char *buf = rp_read_input(in->kpi_path, RP_MAX_DATA_BYTES, &len, why,
                              sizeof why);
    if (!buf) {
        rp_err(errs, in->kpi_path, 0, NULL, "cannot read: %s", why);
        return;
    }
    kpi_ctx k;
    memset(&k, 0, sizeof k);
    k.in = in;
    rp_errors_init(&k.errs);
    if (input_csv_each(in->kpi_path, buf, len, 0, kpi_record, &k, errs) == 0) {
        errors_append(errs, &k.errs);
        /* the array was grown by doubling: hand back the slack */
        if (in->nkpis)
            in->kpis = rp_xrealloc(in->kpis, in->nkpis * sizeof *in->kpis);
    } else {
        rp_errors_free(&k.errs);
        free(in->kpis);         /* strings are in the pool */
        in->kpis = NULL;
        in->nkpis = 0;
        free_extras(in);
    }
    free(buf);
}

enum { F_AREA, F_PERIOD, F_BUDGET, F_FORECAST, F_STARGET, F_SFORECAST,
       F_N };
static const col_spec finance_cols[F_N] = {
    { "service_area", 1 }, { "period", 1 }, { "budget", 1 },
    { "forecast", 1 }, { "savings_target", 0 }, { "savings_forecast", 0 },
};

static void read_finance(input_folder *in, rp_errors *errs)
{
    int cols[F_N];
    input_csv csv;
    if (open_table(in->finance_path, finance_cols, F_N, cols, &csv, errs))
        return;
    size_t cap = 0;
    for (size_t i = 1; i < csv.nrecs; i++) {
        if (!row_shape_ok(in->finance_path, &csv, i, errs))
            continue;
        row_ctx r = { in->finance_path, &csv.recs[i], errs, 1 };
        input_finance_row f;
        memset(&f, 0, sizeof f);
        f.line = r.rec->line;
        f.service_area = text_cell(&r, cols[F_AREA], "service_area", 1);
        f.period = period_cell(&r, cols[F_PERIOD], "period", 1);
        f.budget = num_cell(&r, cols[F_BUDGET], "budget", RP_NUM_MONEY);
        f.forecast = num_cell(&r, cols[F_FORECAST], "forecast", RP_NUM_MONEY);
        f.savings_target = num_cell(&r, cols[F_STARGET], "savings_target",
                                    RP_NUM_MONEY);
        f.savings_forecast = num_cell(&r, cols[F_SFORECAST],
                                      "savings_forecast", RP_NUM_MONEY);
        if (r.ok)
            GROW_PUSH(in->finance, in->nfinance, cap, f);
        else
            free(f.service_area);
    }
    input_csv_free(&csv);
}

enum { C_SCOPE, C_PERIOD, C_TEXT, C_N };
static const col_spec comment_cols[C_N] = {
    { "scope", 1 }, { "period", 1 }, { "text", 1 },
};

static void read_comments(input_folder *in, rp_errors *errs)
{
    int cols[C_N];
    input_csv csv;
    if (open_table(in->commentary_path, comment_cols, C_N, cols, &csv, errs))
        return;
    size_t cap = 0;
    for (size_t i = 1; i < csv.nrecs; i++) {
        if (!row_shape_ok(in->commentary_path, &csv, i, errs))
            continue;
        row_ctx r = { in->commentary_path, &csv.recs[i], errs, 1 };
        input_comment_row c;
        memset(&c, 0, sizeof c);
        c.line = r.rec->line;
        c.scope = text_cell(&r, cols[C_SCOPE], "scope", 1);
        c.period = period_cell(&r, cols[C_PERIOD], "period", 0);
        c.text = para_cell(&r, cols[C_TEXT], "text");
        if (r.ok) {
            GROW_PUSH(in->comments, in->ncomments, cap, c);
        } else {
            free(c.scope);
            free(c.text);
        }
    }
    input_csv_free(&csv);
}

int input_read(const char *dir, input_folder *in, rp_errors *errs)
{
    memset(in, 0, sizeof *in);
    size_t before = errs->nerrors;
    in->dir = rp_xstrdup(dir);
    rp_intern_init(&in->strings);
    in->measures_path = rp_xasprintf("%s/%s", dir, "measures.csv");
    in->kpi_path = rp_xasprintf("%s/%s", dir, "kpi.csv");
    in->finance_path = rp_xasprintf("%s/%s", dir, "finance.csv");
    char *cpath = rp_xasprintf("%s/%s", dir, "commentary.csv");
    struct stat st;
    /* commentary.csv is optional: absent means no narrative (path NULL) */
    if (stat(cpath, &st) == 0)
        in->commentary_path = cpath;
    else
        free(cpath);

    read_measures(in, errs);
    read_kpis(in, errs);
    read_finance(in, errs);
    if (in->commentary_path)
        read_comments(in, errs);
    return errs->nerrors > before ? -1 : 0;
}

void input_release_kpis(input_folder *in)
{
    free(in->kpis);
    in->kpis = NULL;
    in->nkpis = 0;
}

void input_free(input_folder *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->nmeasures; i++)
        free_measure(&in->measures[i]);
    free(in->measures);
    free(in->kpis);             /* their strings are in the pool */
    free_extras(in);
    rp_intern_free(&in->strings);
    for (size_t i = 0; i < in->nfinance; i++)
        free(in->finance[i].service_area);
    free(in->finance);
    for (size_t i = 0; i < in->ncomments; i++) {
        free(in->comments[i].scope);
        free(in->comments[i].text);
    }
    free(in->comments);
    free(in->dir);
    free(in->measures_path);
    free(in->kpi_path);
    free(in->finance_path);
    free(in->commentary_path);
    memset(in, 0, sizeof *in);
}
