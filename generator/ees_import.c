/* ees_import.c — import of DfE explore-education-statistics open data.
 * See ees_import.h for the contract and docs/import-ees.model for the user's view. */
#include "ees_import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small helpers ---------------------------------------------------- */

/* A trimmed copy of a cell; the reader keeps spaces, EES files have none
 * but hand-edited extracts may. */
/* Compare a cell with text, trimmed, case-insensitively. */
static int cell_is(const char *cell, const char *text)
{
    char *a = rp_xstrdup_trim(cell), *b = rp_xstrdup_trim(text);
    int eq = rp_strcaseeq(a, b);
    free(a);
    free(b);
    return eq;
}

static const char *cell(const input_record *r, int col)
{
    return col >= 0 && (size_t)col < r->nfields ? r->fields[col] : "";
}

static int all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* "202425" → 2024, checking the second year follows the first. */
static int two_years(const char *tp, int *first)
{
    if (!all_digits(tp, 6))
        return -1;
    int a = (tp[0] - '0') * 1000 + (tp[1] - '0') * 100 + (tp[2] - '0') * 10
            + (tp[3] - '0');
    int b = (tp[4] - '0') * 10 + (tp[5] - '0');
    if ((a + 1) % 100 != b)
        return -1;
    *first = a;
    return 0;
}

int ees_period_map(const char *time_period, const char *time_identifier,
                  rp_period *out, char *why, size_t whylen)
{
    char *tp = rp_xstrdup_trim(time_period), *ti = rp_xstrdup_trim(time_identifier);
    int rc = -1, y = 0;
    memset(out, 0, sizeof *out);
    if (rp_strcaseeq(ti, "Reporting year") || rp_strcaseeq(ti, "Calendar year")) {
        if (!all_digits(tp, 4)) {
            snprintf(why, whylen, "time_period \"%s\" is not a year for \"%s\"",
                     tp, ti);
            goto done;
        }
        y = atoi(tp);
        if (rp_strcaseeq(ti, "Reporting year")) {
            /* DfE's reporting year N is the year to 31 March N: the
             * financial year (N-1)/N. */
            *out = rp_fyear(y - 1);
        } else {
            out->kind = RP_PER_CYEAR;
            out->fy = y;
        }
        rc = 0;
    } else if (rp_strcaseeq(ti, "Financial year")
               || rp_strcaseeq(ti, "Academic year")) {
        if (two_years(tp, &y) != 0) {
            snprintf(why, whylen, "time_period \"%s\" is not a year pair like "
                     "202425 for \"%s\"", tp, ti);
            goto done;
        }
        if (rp_strcaseeq(ti, "Financial year")) {
            *out = rp_fyear(y);
        } else {
            out->kind = RP_PER_AYEAR;   /* Sept–Aug: kept as AY */
            out->fy = y;
        }
        rc = 0;
    } else if (strlen(ti) == 17 && strncasecmp(ti, "Financial year Q", 16) == 0
               && ti[16] >= '1' && ti[16] <= '4') {
        if (two_years(tp, &y) != 0) {
            snprintf(why, whylen, "time_period \"%s\" is not a year pair like "
                     "202425 for \"%s\"", tp, ti);
            goto done;
        }
        *out = rp_quarter(y, ti[16] - '0');
        rc = 0;
    } else {
        snprintf(why, whylen, "time_identifier \"%s\" cannot be mapped to a "
                 "contract period (accepted: Reporting year, Financial year, "
                 "Financial year Q1-Q4, Academic year, Calendar year)", ti);
    }
done:
    free(tp);
    free(ti);
    return rc;
}

static const char *marker_text(rp_miss m)
{
    switch (m) {
    case RP_MISS_C:   return "c";
    case RP_MISS_X:   return "x";
    case RP_MISS_Z:   return "z";
    case RP_MISS_U:   return "u";
    case RP_MISS_LOW: return "low";
    default:          return "";
    }
}

/* A source cell as contract text: the number as typed, a marker, or "". */
static char *convert_cell(const char *path, long line, const char *colname,
                          const char *text, rp_errors *errs)
{
    char *t = rp_xstrdup_trim(text);
    rp_miss m = rp_marker(t);
    if (m != RP_MISS_NONE) {
        free(t);
        return rp_xstrdup(marker_text(m));
    }
    rp_value v;
    char why[128] = "is not a number";
    if (rp_num_parse(t, 0, &v, why, sizeof why) != 0) {
        rp_err(errs, path, line, colname, "\"%s\" %s", t, why);
        free(t);
        return NULL;
    }
    return t;
}

typedef struct filt { int col; const char *name; char *value; } filt;

static int passes(const input_record *r, const filt *f, size_t nf)
{
    for (size_t i = 0; i < nf; i++)
        if (!cell_is(cell(r, f[i].col), f[i].value))
            return 0;
    return 1;
}

/* The columns (other than the value and period ones) whose values differ
 * between two rows: what a --filter should pin. */
static void differing(const input_csv *c, const input_record *a, const input_record *b,
                      rp_buf *out)
{
    const input_record *h = &c->recs[0];
    for (size_t i = 0; i < h->nfields; i++) {
        if (strcmp(cell(a, (int)i), cell(b, (int)i)) == 0)
            continue;
        if (out->len)
            rp_buf_puts(out, ", ");
        rp_buf_puts(out, h->fields[i]);
        if (out->len > 200) {
            rp_buf_puts(out, ", ...");
            break;
        }
    }
}

/* The one comparator row at `level` for the LA row's period (and region),
 * or NULL. Two candidates are an error: the filters do not pin a row. */
static const input_record *find_comparator(const input_csv *c, const input_record *la,
                                        const char *level, int c_gl, int c_tp,
                                        int c_ti, int c_rc, const filt *f,
                                        size_t nf, const char *o_col,
                                        rp_errors *errs)
{
    const input_record *hit = NULL;
    for (size_t i = 1; i < c->nrecs; i++) {
        const input_record *r = &c->recs[i];
        if (!cell_is(cell(r, c_gl), level)
            || strcmp(cell(r, c_tp), cell(la, c_tp)) != 0
            || !cell_is(cell(r, c_ti), cell(la, c_ti))
            || (c_rc >= 0 && !cell_is(cell(r, c_rc), cell(la, c_rc)))
            || !passes(r, f, nf))
            continue;
        if (hit) {
            rp_buf d;
            rp_buf_init(&d);
            differing(c, hit, r, &d);
            rp_err(errs, c->path, r->line, o_col,
                   "two %s rows for %s (lines %ld and %ld); add --filter for "
                   "a column that differs: %s", level, cell(la, c_tp),
                   hit->line, r->line, d.len ? d.s : "(none)");
            rp_buf_free(&d);
            return NULL;
        }
        hit = r;
    }
    return hit;
}

static int row_cmp(const void *a, const void *b)
{
    return rp_period_cmp(((const ees_row *)a)->period,
                         ((const ees_row *)b)->period);
}

void ees_result_free(ees_result *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        free(r->rows[i].value);
        free(r->rows[i].national);
        free(r->rows[i].regional);
    }
    free(r->rows);
    free(r->la_name);
    free(r->la_code);
    memset(r, 0, sizeof *r);
}

int ees_extract(const input_csv *c, const ees_options *o, ees_result *res,
               rp_errors *errs)
{
    memset(res, 0, sizeof *res);
    size_t before = errs->nerrors;
    const char *path = c->path;
    if (c->nrecs == 0) {
        rp_err(errs, path, 0, NULL, "the file is empty");
        return -1;
    }
    int c_tp = input_csv_column(c, "time_period");
    int c_ti = input_csv_column(c, "time_identifier");
    int c_gl = input_csv_column(c, "geographic_level");
    int c_rc = input_csv_column(c, "region_code");
    int c_new = input_csv_column(c, "new_la_code");
    int c_old = input_csv_column(c, "old_la_code");
    int c_name = input_csv_column(c, "la_name");
    int c_val = input_csv_column(c, o->column);
    const struct { int col; const char *name; } req[] = {
        { c_tp, "time_period" }, { c_ti, "time_identifier" },
        { c_gl, "geographic_level" }, { c_rc, "region_code" },
        { c_name, "la_name" }, { c_val, o->column },
    };
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
        if (req[i].col < 0)
            rp_err(errs, path, 1, req[i].name, "required column is missing "
                   "(is this a DfE explore-education-statistics file?)");
    filt *f = rp_xcalloc(o->nfilters + 1, sizeof *f);
    size_t nf = 0;
    for (size_t i = 0; i < o->nfilters; i++) {
        const char *eq = strchr(o->filters[i], '=');
        if (!eq) {
            rp_err(errs, NULL, 0, NULL, "--filter \"%s\" is not column=value",
                   o->filters[i]);
            continue;
        }
        char *name = rp_xstrndup(o->filters[i], (size_t)(eq - o->filters[i]));
        int col = input_csv_column(c, name);
        if (col < 0)
            rp_err(errs, path, 1, name, "--filter names a column the file "
                   "does not have");
        free(name);
        f[nf].col = col;
        f[nf].name = o->filters[i];
        f[nf].value = rp_xstrdup(eq + 1);
        nf++;
    }
    if (errs->nerrors > before)
        goto out;

    /* The council's rows: every Local authority row matching --la by
     * either code or name (codes may change between releases). */
    size_t nmatch = 0, nunfiltered = 0, rows_cap = 0;
    for (size_t i = 1; i < c->nrecs; i++) {
        const input_record *r = &c->recs[i];
        if (!cell_is(cell(r, c_gl), "Local authority"))
            continue;
        if (!cell_is(cell(r, c_new), o->la) && !cell_is(cell(r, c_old), o->la)
            && !cell_is(cell(r, c_name), o->la))
            continue;
        nunfiltered++;
        if (!passes(r, f, nf))
            continue;
        nmatch++;
        if (!res->la_name) {
            res->la_name = rp_xstrdup_trim(cell(r, c_name));
            res->la_code = rp_xstrdup_trim(cell(r, c_new >= 0 ? c_new : c_old));
        }
        char why[256];
        rp_period p;
        if (ees_period_map(cell(r, c_tp), cell(r, c_ti), &p, why, sizeof why)) {
            rp_err(errs, path, r->line, "time_identifier", "%s", why);
            continue;
        }
        int dup = 0;
        for (size_t k = 0; k < res->nrows; k++) {
            if (rp_period_cmp(res->rows[k].period, p) != 0)
                continue;
            const input_record *first = NULL;
            for (size_t j = 1; j < c->nrecs && !first; j++)
                if (c->recs[j].line == res->rows[k].line)
                    first = &c->recs[j];
            rp_buf d;
            rp_buf_init(&d);
            if (first)
                differing(c, first, r, &d);
            rp_err(errs, path, r->line, o->column, "two rows for %s in %s "
                   "(lines %ld and %ld); add --filter for a column that "
                   "differs: %s", res->la_name, cell(r, c_tp),
                   res->rows[k].line, r->line, d.len ? d.s : "(none)");
            rp_buf_free(&d);
            dup = 1;
        }
        if (dup)
            continue;
        ees_row row = { .period = p, .line = r->line };
        row.value = convert_cell(path, r->line, o->column, cell(r, c_val), errs);
        const input_record *nat = find_comparator(c, r, "National", c_gl, c_tp,
                                               c_ti, -1, f, nf, o->column, errs);
        const input_record *reg = find_comparator(c, r, "Regional", c_gl, c_tp,
                                               c_ti, c_rc, f, nf, o->column,
                                               errs);
        row.national = nat ? convert_cell(path, nat->line, o->column,
                                          cell(nat, c_val), errs)
                           : rp_xstrdup("");
        row.regional = reg ? convert_cell(path, reg->line, o->column,
                                          cell(reg, c_val), errs)
                           : rp_xstrdup("");
        if (!nat)
            rp_warn(errs, path, r->line, o->column, "no National row for %s; "
                    "national left empty", cell(r, c_tp));
        if (!reg)
            rp_warn(errs, path, r->line, o->column, "no Regional row for %s "
                    "in region %s; regional left empty", cell(r, c_tp),
                    cell(r, c_rc));
        rp_grow((void **)&res->rows, &rows_cap, res->nrows + 1,
                sizeof *res->rows);
        res->rows[res->nrows++] = row;
    }
    if (nmatch == 0) {
        if (nunfiltered)
            rp_err(errs, path, 0, NULL, "\"%s\" has %zu Local authority rows "
                   "but none passes the --filter values", o->la, nunfiltered);
        else
            rp_err(errs, path, 0, NULL, "no Local authority row has \"%s\" as "
                   "its new_la_code, old_la_code or la_name", o->la);
    }
    if (res->nrows > 1)
        qsort(res->rows, res->nrows, sizeof *res->rows, row_cmp);
out:
    for (size_t i = 0; i < nf; i++)
        free(f[i].value);
    free(f);
    if (errs->nerrors > before) {
        ees_result_free(res);
        return -1;
    }
    return 0;
}

/* ---- writing: a small table merged with what is already there -------- */

typedef struct tbl {
    char **head;
    size_t nhead;
    char ***rows;   /* each row has nhead cells */
    size_t nrows, cap;
} tbl;

static void tbl_free(tbl *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->nhead; j++)
            free(t->rows[i][j]);
        free(t->rows[i]);
    }
    for (size_t j = 0; j < t->nhead; j++)
        free(t->head[j]);
    free(t->rows);
    free(t->head);
    memset(t, 0, sizeof *t);
}

static int tbl_col(const tbl *t, const char *name)
{
    for (size_t j = 0; j < t->nhead; j++)
        if (cell_is(t->head[j], name))
            return (int)j;
    return -1;
}

/* The column's index, adding it (empty in every row) when absent. */
static int tbl_need(tbl *t, const char *name)
{
    int j = tbl_col(t, name);
    if (j >= 0)
        return j;
    t->head = rp_xrealloc(t->head, (t->nhead + 1) * sizeof *t->head);
    t->head[t->nhead] = rp_xstrdup(name);
    for (size_t i = 0; i < t->nrows; i++) {
        t->rows[i] = rp_xrealloc(t->rows[i], (t->nhead + 1) * sizeof(char *));
        t->rows[i][t->nhead] = rp_xstrdup("");
    }
    return (int)t->nhead++;
}

static char **tbl_add(tbl *t)
{
    rp_grow((void **)&t->rows, &t->cap, t->nrows + 1, sizeof *t->rows);
    char **r = rp_xcalloc(t->nhead ? t->nhead : 1, sizeof *r);
    for (size_t j = 0; j < t->nhead; j++)
        r[j] = rp_xstrdup("");
    t->rows[t->nrows++] = r;
    return r;
}

static void tbl_set(char **row, int col, const char *v)
{
    free(row[col]);
    row[col] = rp_xstrdup(v ? v : "");
}

/* Load path into t if it exists (0 also when absent), else -1. */
static int tbl_load(tbl *t, const char *path, rp_errors *errs)
{
    memset(t, 0, sizeof *t);
    if (access(path, F_OK) != 0)
        return 0;
    input_csv c;
    if (input_csv_read(path, &c, errs) != 0)
        return -1;
    if (c.nrecs > 0) {
        t->nhead = c.recs[0].nfields;
        t->head = rp_xcalloc(t->nhead ? t->nhead : 1, sizeof *t->head);
        for (size_t j = 0; j < t->nhead; j++)
            t->head[j] = rp_xstrdup(c.recs[0].fields[j]);
        for (size_t i = 1; i < c.nrecs; i++) {
            char **r = tbl_add(t);
            for (size_t j = 0; j < t->nhead && j < c.recs[i].nfields; j++)
                tbl_set(r, (int)j, c.recs[i].fields[j]);
        }
    }
    input_csv_free(&c);
    return 0;
}

/* Write the table to a temporary file beside path, then rename over it:
 * readers see the old file or the new one, never half of one. */
/* A folder made by import-ees is a complete input folder: DfE files carry
 * no money, so finance.csv gets its header and no rows (an existing one is
 * left alone). */
static int finance_stub(const char *dir, rp_errors *errs)
{
    char *path = rp_xasprintf("%s/finance.csv", dir);
    int rc = 0;
    if (access(path, F_OK) != 0) {
        rp_atomic a;
        rc = rp_atomic_open(&a, path, errs);
        if (rc == 0) {
            fputs("service_area,period,budget,forecast,savings_target,"
                  "savings_forecast\n", a.f);
            rc = rp_atomic_commit(&a, !ferror(a.f), errs);
        }
    }
    free(path);
    return rc;
}

static int tbl_save(const tbl *t, const char *path, rp_errors *errs)
{
    rp_atomic a;
    if (rp_atomic_open(&a, path, errs) != 0)
        return -1;
    FILE *fp = a.f;
    for (size_t j = 0; j < t->nhead; j++) {
        if (j)
            fputc(',', fp);
        rp_csv_field(fp, t->head[j]);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->nhead; j++) {
            if (j)
                fputc(',', fp);
            rp_csv_field(fp, t->rows[i][j]);
        }
        fputc('\n', fp);
    }
    int ok = !ferror(fp);
    if (!ok)
        rp_err(errs, path, 0, NULL, "cannot write: %s", strerror(errno));
    return rp_atomic_commit(&a, ok, errs);
}

static int same_period(const char *cellv, rp_period p)
{
    rp_period q;
    char *t = rp_xstrdup_trim(cellv);
    int eq;
    if (rp_period_parse(t, &q) == 0) {
        eq = rp_period_cmp(p, q) == 0;
    } else {
        char buf[32];
        eq = strcmp(t, rp_period_format(p, buf, sizeof buf)) == 0;
    }
    free(t);
    return eq;
}

static const char *default_unit(const char *column)
{
    size_t n = strlen(column);
    if (strncasecmp(column, "pc_", 3) == 0 || strncasecmp(column, "pct", 3) == 0
        || (n > 3 && strcasecmp(column + n - 3, "_pc") == 0)
        || strstr(column, "percent"))
        return "percent";
    if (strstr(column, "rate"))
        return "rate";
    return "count";
}

int ees_write(const ees_options *o, const ees_result *res, rp_errors *errs)
{
    const char *dir = o->out_dir ? o->out_dir : ".";
    const char *id = o->measure ? o->measure : o->column;
    char *kpath = rp_xasprintf("%s/kpi.csv", dir);
    char *mpath = rp_xasprintf("%s/measures.csv", dir);
    tbl k, m;
    int rc = -1;
    int lk = tbl_load(&k, kpath, errs);
    int lm = tbl_load(&m, mpath, errs);
    if (lk != 0 || lm != 0)
        goto out;

    int kc_m = tbl_need(&k, "measure"), kc_p = tbl_need(&k, "period");
    int kc_v = tbl_need(&k, "value");
    tbl_need(&k, "target");
    int kc_n = tbl_need(&k, "national"), kc_r = tbl_need(&k, "regional");
    int kc_b = tbl_need(&k, "breakdown");
    for (size_t i = 0; i < res->nrows; i++) {
        const ees_row *e = &res->rows[i];
        char **row = NULL;
        for (size_t j = 0; j < k.nrows && !row; j++) {
            char **r = k.rows[j];
            char *b = rp_xstrdup_trim(r[kc_b]);
            if (cell_is(r[kc_m], id) && b[0] == '\0' && same_period(r[kc_p], e->period))
                row = r;
            free(b);
        }
        if (!row) {
            row = tbl_add(&k);
            tbl_set(row, kc_m, id);
        }
        char buf[32];
        tbl_set(row, kc_p, rp_period_format(e->period, buf, sizeof buf));
        tbl_set(row, kc_v, e->value);
        tbl_set(row, kc_n, e->national);
        tbl_set(row, kc_r, e->regional);
    }

    int mc_id = tbl_need(&m, "id"), mc_t = tbl_need(&m, "title");
    int mc_s = tbl_need(&m, "service_area"), mc_u = tbl_need(&m, "unit");
    int mc_p = tbl_need(&m, "polarity"), mc_a = tbl_need(&m, "annual");
    char **mrow = NULL;
    for (size_t j = 0; j < m.nrows && !mrow; j++)
        if (cell_is(m.rows[j][mc_id], id))
            mrow = m.rows[j];
    if (!mrow) {
        /* A new measure gets every field, defaults where not given. */
        mrow = tbl_add(&m);
        tbl_set(mrow, mc_id, id);
        tbl_set(mrow, mc_t, o->title ? o->title : o->column);
        tbl_set(mrow, mc_s, o->service_area ? o->service_area : "Imported");
        tbl_set(mrow, mc_u, o->unit ? o->unit : default_unit(o->column));
        tbl_set(mrow, mc_p, o->polarity ? o->polarity : "none");
        tbl_set(mrow, mc_a, o->annual ? o->annual : "last");
    } else {
        /* An existing one keeps what the user may have edited by hand. */
        if (o->title)        tbl_set(mrow, mc_t, o->title);
        if (o->service_area) tbl_set(mrow, mc_s, o->service_area);
        if (o->unit)         tbl_set(mrow, mc_u, o->unit);
        if (o->polarity)     tbl_set(mrow, mc_p, o->polarity);
        if (o->annual)       tbl_set(mrow, mc_a, o->annual);
    }
    if (tbl_save(&k, kpath, errs) == 0 && tbl_save(&m, mpath, errs) == 0)
        rc = finance_stub(dir, errs);
out:
    tbl_free(&k);
    tbl_free(&m);
    free(kpath);
    free(mpath);
    return rc;
}

/* ---- one import ------------------------------------------------------ */

static int one_of(const char *v, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(v, *names) == 0)
            return 1;
    return 0;
}

int ees_options_check(const ees_options *o, char *why, size_t len)
{
    static const char *const units[] = { "count", "percent", "gbp", "rate",
                                         "days", "number", NULL };
    static const char *const pols[] = { "higher", "lower", "none", NULL };
    static const char *const anns[] = { "last", "sum", "mean", NULL };
    if (!o->la || !o->column)
        snprintf(why, len, "--la and --column are required");
    else if (o->unit && !one_of(o->unit, units))
        snprintf(why, len, "--unit \"%s\": give count, percent, gbp, rate, "
                 "days or number", o->unit);
    else if (o->polarity && !one_of(o->polarity, pols))
        snprintf(why, len, "--polarity \"%s\": give higher, lower or none",
                 o->polarity);
    else if (o->annual && !one_of(o->annual, anns))
        snprintf(why, len, "--annual \"%s\": give last, sum or mean", o->annual);
    else if (!rp_valid_id(o->measure ? o->measure : o->column))
        snprintf(why, len, "measure id \"%s\" may use only letters, digits, "
                 "_ - . (give --measure)", o->measure ? o->measure : o->column);
    else
        return 0;
    return -1;
}

int ees_import_run(const char *file, const ees_options *o, ees_result *res,
                   rp_errors *errs)
{
    input_csv c;
    memset(res, 0, sizeof *res);
    if (input_csv_read(file, &c, errs) != 0)
        return -1;
    int rc = -1;
    if (ees_extract(&c, o, res, errs) == 0) {
        rc = ees_write(o, res, errs);
        if (rc != 0)
            ees_result_free(res);
    }
    input_csv_free(&c);
    return rc;
}
