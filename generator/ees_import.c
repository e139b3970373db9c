/* ees_import.c — import of DfE explore-education-statistics open data.
 * See ees_import.h for the contract and docs/import-ees.model for the user's view. */
#include "ees_import.h"

#include <ctype.h>
#include <stddef.h>
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

/* The columns that name where and when a row is: never a filter. */
static int is_geo_time(const char *name)
{
    static const char *const geo[] = {
        "time_period", "time_identifier", "geographic_level", "country_code",
        "country_name", "region_code", "region_name", "new_la_code",
        "old_la_code", "la_name", NULL };
    for (const char *const *g = geo; *g; g++)
        if (rp_strcaseeq(name, *g))
            return 1;
    return 0;
}

/* A number, a suppression marker or blank: what value columns hold. */
static int value_like(const char *text)
{
    rp_value v;
    char why[64];
    return rp_num_parse(text, 0, &v, why, sizeof why) == 0;
}

/* The filter columns that tell rows apart, with their values:
 * `population_type ("A", "B")`. A column is a filter when its cells
 * differ among the rows and one of them is text (value columns hold
 * numbers and markers). Returns how many columns were named; the first
 * one's name goes to *first. */
static int describe_filters(const input_csv *c, const input_record *const *rs,
                            size_t n, rp_buf *out, const char **first)
{
    const input_record *h = &c->recs[0];
    int named = 0;
    for (size_t j = 0; j < h->nfields; j++) {
        if (is_geo_time(h->fields[j]))
            continue;
        int differ = 0, text = 0;
        for (size_t i = 0; i < n; i++) {
            differ |= strcmp(cell(rs[i], (int)j), cell(rs[0], (int)j)) != 0;
            text |= !value_like(cell(rs[i], (int)j));
        }
        if (!differ || !text)
            continue;
        if (named++)
            rp_buf_puts(out, "; ");
        else if (first)
            *first = h->fields[j];
        rp_buf_printf(out, "%s (", h->fields[j]);
        size_t shown = 0;
        for (size_t i = 0; i < n; i++) {
            int seen = 0;
            for (size_t k = 0; k < i && !seen; k++)
                seen = strcmp(cell(rs[k], (int)j), cell(rs[i], (int)j)) == 0;
            if (seen)
                continue;
            if (shown == 8) {
                rp_buf_puts(out, ", ...");
                break;
            }
            rp_buf_printf(out, "%s\"%s\"", shown++ ? ", " : "",
                          cell(rs[i], (int)j));
        }
        rp_buf_puts(out, ")");
    }
    return named;
}

/* What a --filter should pin, as the end of an error message. */
static void filter_advice(const input_csv *c, const input_record *const *rs,
                          size_t n, rp_buf *out)
{
    rp_buf d;
    rp_buf_init(&d);
    const char *first = NULL;
    if (describe_filters(c, rs, n, &d, &first)) {
        rp_buf_printf(out, "the filter columns that differ: %s; choose with "
                      "--filter, e.g. --filter \"%s=%s\"", d.s, first,
                      cell(rs[0], input_csv_column(c, first)));
    } else {
        rp_buf_puts(out, "no filter column differs (is a row repeated?)");
    }
    rp_buf_free(&d);
}

enum { CMP_NONE, CMP_ONE, CMP_MANY };

/* The one comparator row at `level` for the LA row's period (and region)
 * in *hit. Two candidates are an error: the filters do not pin a row. */
static int find_comparator(const input_csv *c, const input_record *la,
                           const char *level, int c_gl, int c_tp, int c_ti,
                           int c_rc, const filt *f, size_t nf,
                           const char *o_col, const input_record **hit,
                           rp_errors *errs)
{
    *hit = NULL;
    for (size_t i = 1; i < c->nrecs; i++) {
        const input_record *r = &c->recs[i];
        if (!cell_is(cell(r, c_gl), level)
            || strcmp(cell(r, c_tp), cell(la, c_tp)) != 0
            || !cell_is(cell(r, c_ti), cell(la, c_ti))
            || (c_rc >= 0 && !cell_is(cell(r, c_rc), cell(la, c_rc)))
            || !passes(r, f, nf))
            continue;
        if (*hit) {
            const input_record *two[2] = { *hit, r };
            rp_buf d;
            rp_buf_init(&d);
            filter_advice(c, two, 2, &d);
            rp_err(errs, c->path, r->line, o_col,
                   "two %s rows for %s (lines %ld and %ld); %s", level,
                   cell(la, c_tp), (*hit)->line, r->line, d.s);
            rp_buf_free(&d);
            *hit = NULL;
            return CMP_MANY;
        }
        *hit = r;
    }
    return *hit ? CMP_ONE : CMP_NONE;
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
        free(r->rows[i].neighbours);
        free(r->rows[i].region);
    }
    free(r->rows);
    free(r->la_name);
    free(r->la_code);
    memset(r, 0, sizeof *r);
}

/* ---- neighbours ------------------------------------------------------ */

int ees_neighbours_read(const char *path, ees_neighbours *nb, rp_errors *errs)
{
    memset(nb, 0, sizeof *nb);
    nb->path = path;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        rp_err(errs, path, 0, NULL, "cannot read the neighbours list: %s",
               strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, ncap = 0;
    long no = 0;
    while (getline(&line, &cap, fp) != -1) {
        no++;
        line[strcspn(line, "\r\n")] = '\0';
        char *t = rp_xstrdup_trim(no == 1 && (unsigned char)line[0] == 0xEF
                           && strlen(line) >= 3 ? line + 3 : line);
        if (!*t || *t == '#') {
            free(t);
            continue;
        }
        if (nb->n + 1 > ncap) {
            ncap = ncap ? 2 * ncap : 16;
            nb->las = rp_xrealloc(nb->las, ncap * sizeof *nb->las);
            nb->lines = rp_xrealloc(nb->lines, ncap * sizeof *nb->lines);
        }
        nb->las[nb->n] = t;
        nb->lines[nb->n++] = no;
    }
    free(line);
    fclose(fp);
    if (nb->n == 0) {
        rp_err(errs, path, 0, NULL, "the neighbours list names no local "
               "authority (one code or name a line)");
        return -1;
    }
    return 0;
}

void ees_neighbours_free(ees_neighbours *nb)
{
    for (size_t i = 0; i < nb->n; i++)
        free(nb->las[i]);
    free(nb->las);
    free(nb->lines);
    memset(nb, 0, sizeof *nb);
}

static int la_is(const input_record *r, const char *la, int c_new, int c_old,
                 int c_name)
{
    return cell_is(cell(r, c_new), la) || cell_is(cell(r, c_old), la)
           || cell_is(cell(r, c_name), la);
}

/* The mean of the neighbours' values for the LA row's period, to one more
 * decimal place than the most precise of them (up to six); "" when none
 * has one. */
static char *neighbour_mean(const input_csv *c, const input_record *la,
                            const ees_neighbours *nb, int c_gl, int c_tp,
                            int c_ti, int c_new, int c_old, int c_name,
                            int c_val, const filt *f, size_t nf)
{
    rp_num sum = 0;
    long count = 0;
    int dec = 0;
    for (size_t k = 0; k < nb->n; k++) {
        for (size_t i = 1; i < c->nrecs; i++) {
            const input_record *r = &c->recs[i];
            if (!cell_is(cell(r, c_gl), "Local authority")
                || strcmp(cell(r, c_tp), cell(la, c_tp)) != 0
                || !cell_is(cell(r, c_ti), cell(la, c_ti))
                || !la_is(r, nb->las[k], c_new, c_old, c_name)
                || !passes(r, f, nf))
                continue;
            rp_value v;
            char why[64];
            if (rp_num_parse(cell(r, c_val), 0, &v, why, sizeof why) == 0
                && rp_has(v)) {
                sum += v.num;
                count++;
                dec = v.decimals < 0 || v.decimals > 5 ? 6
                      : v.decimals + 1 > dec ? v.decimals + 1 : dec;
            }
            break;      /* one row per neighbour and period */
        }
    }
    if (!count)
        return rp_xstrdup("");
    /* round half away from zero, exactly */
    rp_num mean = (sum + (sum < 0 ? -count : count) / 2) / count;
    char buf[64];
    return rp_xstrdup(rp_num_format(mean, dec, 0, buf, sizeof buf));
}

/* ---- extraction ------------------------------------------------------- */

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
    int c_rn = input_csv_column(c, "region_name");
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
    const input_record **mine = rp_xcalloc(c->nrecs + 1, sizeof *mine);
    size_t nf = 0, nmine = 0, nunfiltered = 0, rows_cap = 0;
    rp_buf nonat, noreg;
    rp_buf_init(&nonat);
    rp_buf_init(&noreg);
    long nonat_line = 0, noreg_line = 0;
    int failed = 0;
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
    for (size_t i = 1; i < c->nrecs; i++) {
        const input_record *r = &c->recs[i];
        if (!cell_is(cell(r, c_gl), "Local authority")
            || !la_is(r, o->la, c_new, c_old, c_name))
            continue;
        nunfiltered++;
        if (passes(r, f, nf))
            mine[nmine++] = r;
    }
    if (nmine == 0) {
        if (nunfiltered)
            rp_err(errs, path, 0, NULL, "\"%s\" has %zu Local authority rows "
                   "but none passes the --filter values", o->la, nunfiltered);
        else
            rp_err(errs, path, 0, NULL, "no Local authority row has \"%s\" as "
                   "its new_la_code, old_la_code or la_name", o->la);
        goto out;
    }
    res->la_name = rp_xstrdup_trim(cell(mine[0], c_name));
    res->la_code = rp_xstrdup_trim(cell(mine[0], c_new >= 0 ? c_new : c_old));

    /* Several rows for one period: the file splits the council's figure
     * by something (population type, age…) that no --filter pins. One
     * error naming those columns and their values, never the value
     * columns, and nothing else about those periods. */
    {
        rp_buf per;
        rp_buf_init(&per);
        long first_line = 0;
        size_t nper = 0;
        for (size_t i = 0; i < nmine; i++) {
            int earlier = 0, later = 0;
            for (size_t k = 0; k < nmine; k++) {
                if (k == i || strcmp(cell(mine[k], c_tp), cell(mine[i], c_tp))
                    || !cell_is(cell(mine[k], c_ti), cell(mine[i], c_ti)))
                    continue;
                earlier |= k < i;
                later |= k > i;
            }
            if (earlier || !later)
                continue;
            if (!first_line)
                first_line = mine[i]->line;
            if (nper++ < 4) {
                rp_buf_printf(&per, "%s%s: lines %ld", per.len ? "; " : "",
                              cell(mine[i], c_tp), mine[i]->line);
                for (size_t k = i + 1; k < nmine; k++)
                    if (!strcmp(cell(mine[k], c_tp), cell(mine[i], c_tp))
                        && cell_is(cell(mine[k], c_ti), cell(mine[i], c_ti)))
                        rp_buf_printf(&per, ", %ld", mine[k]->line);
            }
        }
        if (nper) {
            if (nper > 4)
                rp_buf_printf(&per, "; and %zu more periods", nper - 4);
            rp_buf adv;
            rp_buf_init(&adv);
            filter_advice(c, mine, nmine, &adv);
            char *msg = rp_xasprintf("%s has several rows for one period "
                                     "(%s): %s", res->la_name, per.s, adv.s);
            /* said once, however many columns are imported */
            int said = 0;
            for (size_t e = 0; e < errs->n && !said; e++)
                said = errs->v[e].line == first_line
                       && !strcmp(errs->v[e].message, msg);
            failed = 1;
            if (!said)
                rp_err(errs, path, first_line, o->column, "%s", msg);
            free(msg);
            rp_buf_free(&adv);
        }
        rp_buf_free(&per);
        if (nper)
            goto out;
    }

    for (size_t m = 0; m < nmine; m++) {
        const input_record *r = mine[m];
        char why[256];
        rp_period p;
        if (ees_period_map(cell(r, c_tp), cell(r, c_ti), &p, why, sizeof why)) {
            rp_err(errs, path, r->line, "time_identifier", "%s", why);
            continue;
        }
        ees_row row = { .period = p, .line = r->line };
        row.value = convert_cell(path, r->line, o->column, cell(r, c_val), errs);
        const input_record *nat, *reg;
        int kn = find_comparator(c, r, "National", c_gl, c_tp, c_ti, -1, f, nf,
                                 o->column, &nat, errs);
        int kr = find_comparator(c, r, "Regional", c_gl, c_tp, c_ti, c_rc, f,
                                 nf, o->column, &reg, errs);
        row.national = nat ? convert_cell(path, nat->line, o->column,
                                          cell(nat, c_val), errs)
                           : rp_xstrdup("");
        row.regional = reg ? convert_cell(path, reg->line, o->column,
                                          cell(reg, c_val), errs)
                           : rp_xstrdup("");
        /* absent comparators: one warning each, listing the periods */
        if (kn == CMP_NONE) {
            rp_buf_printf(&nonat, "%s%s", nonat.len ? ", " : "", cell(r, c_tp));
            if (!nonat_line)
                nonat_line = r->line;
        }
        if (kr == CMP_NONE) {
            rp_buf_printf(&noreg, "%s%s", noreg.len ? ", " : "", cell(r, c_tp));
            if (!noreg_line)
                noreg_line = r->line;
        }
        row.region = c_rn >= 0 ? rp_xstrdup_trim(cell(r, c_rn)) : rp_xstrdup("");
        row.neighbours = o->neighbours
            ? neighbour_mean(c, r, o->neighbours, c_gl, c_tp, c_ti, c_new,
                             c_old, c_name, c_val, f, nf)
            : rp_xstrdup("");

        /* rank among the file's local authorities for the period */
        rp_value mv;
        if (row.value && rp_num_parse(row.value, 0, &mv, why, sizeof why) == 0
            && rp_has(mv)) {
            for (size_t i = 1; i < c->nrecs; i++) {
                const input_record *q = &c->recs[i];
                rp_value v;
                if (!cell_is(cell(q, c_gl), "Local authority")
                    || strcmp(cell(q, c_tp), cell(r, c_tp)) != 0
                    || !cell_is(cell(q, c_ti), cell(r, c_ti))
                    || !passes(q, f, nf)
                    || rp_num_parse(cell(q, c_val), 0, &v, why, sizeof why)
                    || !rp_has(v))
                    continue;
                row.ranked++;
                row.above += v.num > mv.num;
                row.below += v.num < mv.num;
            }
        }
        rp_grow((void **)&res->rows, &rows_cap, res->nrows + 1,
                sizeof *res->rows);
        res->rows[res->nrows++] = row;
    }
    if (nonat.len)
        rp_warn(errs, path, nonat_line, o->column, "no National row for %s; "
                "national left empty", nonat.s);
    if (noreg.len)
        rp_warn(errs, path, noreg_line, o->column, "no Regional row for %s "
                "in the council's region %s; regional left empty", noreg.s,
                cell(mine[0], c_rc));
    /* a neighbour the file does not know is a typo, not a missing value
     * (said once, however many columns are imported) */
    for (size_t k = 0; o->neighbours && k < o->neighbours->n; k++) {
        int known = 0;
        for (size_t e = 0; e < errs->n && !known; e++)
            known = errs->v[e].line == o->neighbours->lines[k]
                    && errs->v[e].file
                    && !strcmp(errs->v[e].file, o->neighbours->path);
        for (size_t i = 1; i < c->nrecs && !known; i++)
            known = cell_is(cell(&c->recs[i], c_gl), "Local authority")
                    && la_is(&c->recs[i], o->neighbours->las[k], c_new, c_old,
                             c_name);
        if (!known)
            rp_err(errs, o->neighbours->path, o->neighbours->lines[k], NULL,
                   "\"%s\" is no Local authority's new_la_code, old_la_code "
                   "or la_name in %s", o->neighbours->las[k], path);
    }
    if (res->nrows > 1)
        qsort(res->rows, res->nrows, sizeof *res->rows, row_cmp);
out:
    for (size_t i = 0; i < nf; i++)
        free(f[i].value);
    free(f);
    free(mine);
    rp_buf_free(&nonat);
    rp_buf_free(&noreg);
    if (failed || errs->nerrors > before) {
        ees_result_free(res);
        return -1;
    }
    return 0;
}

int ees_rank(const ees_row *r, const char *polarity)
{
    if (!r->ranked || !polarity)
        return 0;
    if (!strcmp(polarity, "higher"))
        return 1 + r->above;
    if (!strcmp(polarity, "lower"))
        return 1 + r->below;
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

/* DfE's NEET and participation figures for 16- and 17-year-olds are the
 * average of December, January and February: a "2025" figure is measured
 * up to February 2025. */
static const char *default_year_ends(const char *column)
{
    for (const char *p = column; *p; p++)
        if (strncasecmp(p, "neet", 4) == 0)
            return "Feb";
    return NULL;
}

static int any_cell(const ees_result *res, size_t off)
{
    for (size_t i = 0; i < res->nrows; i++)
        if (**(char *const *)((const char *)&res->rows[i] + off))
            return 1;
    return 0;
}

int ees_write(const ees_options *o, const ees_result *res, rp_errors *errs)
{
    const char *dir = o->out_dir ? o->out_dir : ".";
    const char *id = o->measure ? o->measure : o->column;
    char *kpath = rp_xasprintf("%s/kpi.csv", dir);
    char *mpath = rp_xasprintf("%s/measures.csv", dir);
    tbl k, m;
    int rc = -1;
    memset(&k, 0, sizeof k);
    memset(&m, 0, sizeof m);
    /* as `build -o` does: the folder is made when absent */
    if (rp_mkdir_p(dir) != 0) {
        rp_err(errs, dir, 0, NULL, "cannot create the output folder: %s",
               strerror(errno));
        goto out;
    }
    int lk = tbl_load(&k, kpath, errs);
    int lm = tbl_load(&m, mpath, errs);
    if (lk != 0 || lm != 0)
        goto out;

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
        const char *ye = o->year_ends ? o->year_ends
                                      : default_year_ends(o->column);
        if (ye && strcmp(ye, "none") != 0) {
            int mc_y = tbl_need(&m, "year_ends");  /* moves the rows */
            mrow = m.rows[m.nrows - 1];
            tbl_set(mrow, mc_y, ees_month(ye));
        }
    } else {
        /* An existing one keeps what the user may have edited by hand. */
        if (o->title)        tbl_set(mrow, mc_t, o->title);
        if (o->service_area) tbl_set(mrow, mc_s, o->service_area);
        if (o->unit)         tbl_set(mrow, mc_u, o->unit);
        if (o->polarity)     tbl_set(mrow, mc_p, o->polarity);
        if (o->annual)       tbl_set(mrow, mc_a, o->annual);
        if (o->year_ends) {
            int ne = strcmp(o->year_ends, "none") == 0;
            /* (tbl_need moves the rows: find this one again after it) */
            if (!ne || tbl_col(&m, "year_ends") >= 0) {
                int mc_y = tbl_need(&m, "year_ends");
                for (size_t j = 0; j < m.nrows; j++)
                    if (cell_is(m.rows[j][mc_id], id))
                        mrow = m.rows[j];
                tbl_set(mrow, mc_y, ne ? "" : ees_month(o->year_ends));
            }
        }
    }
    /* ranks follow the measure's polarity, as the pack rates it */
    char *pol = rp_xstrdup_trim(mrow[mc_p]);

    int kc_m = tbl_need(&k, "measure"), kc_p = tbl_need(&k, "period");
    int kc_v = tbl_need(&k, "value");
    tbl_need(&k, "target");
    int kc_n = tbl_need(&k, "national"), kc_r = tbl_need(&k, "regional");
    int kc_b = tbl_need(&k, "breakdown");
    /* the benchmarking columns only where there is something to say */
    int kc_rg = any_cell(res, offsetof(ees_row, region))
                ? tbl_need(&k, "region") : tbl_col(&k, "region");
    int kc_nb = any_cell(res, offsetof(ees_row, neighbours))
                ? tbl_need(&k, "neighbours") : tbl_col(&k, "neighbours");
    int ranks = 0;
    for (size_t i = 0; i < res->nrows; i++)
        ranks |= ees_rank(&res->rows[i], pol) > 0;
    int kc_rk = ranks ? tbl_need(&k, "rank") : tbl_col(&k, "rank");
    int kc_rd = ranks ? tbl_need(&k, "ranked") : tbl_col(&k, "ranked");
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
        if (kc_rg >= 0)
            tbl_set(row, kc_rg, e->region);
        if (kc_nb >= 0)
            tbl_set(row, kc_nb, e->neighbours);
        int rank = ees_rank(e, pol);
        if (kc_rk >= 0)
            tbl_set(row, kc_rk, rank ? (snprintf(buf, sizeof buf, "%d", rank),
                                        buf) : "");
        if (kc_rd >= 0)
            tbl_set(row, kc_rd, rank ? (snprintf(buf, sizeof buf, "%d",
                                                 e->ranked), buf) : "");
    }
    free(pol);
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

const char *ees_month(const char *text)
{
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
                                       "Jun", "Jul", "Aug", "Sep", "Oct",
                                       "Nov", "Dec" };
    static const char *const full[] = { "january", "february", "march",
                                        "april", "may", "june", "july",
                                        "august", "september", "october",
                                        "november", "december" };
    if (!text)
        return NULL;
    for (int i = 0; i < 12; i++)
        if (strcasecmp(text, mon[i]) == 0 || strcasecmp(text, full[i]) == 0)
            return mon[i];
    return NULL;
}

size_t ees_options_count(const ees_options *o)
{
    return o->columns.n ? o->columns.n : 1;
}

/* The i-th value of a list paired with the columns: one per column, or
 * one for all; else the single field. */
static const char *paired(const ees_list *l, size_t i, const char *single)
{
    if (l->n == 0)
        return single;
    return l->v[l->n == 1 ? 0 : i];
}

void ees_options_pick(const ees_options *o, size_t i, ees_options *one)
{
    *one = *o;
    if (o->columns.n)
        one->column = o->columns.v[i];
    one->measure = paired(&o->measures, i, o->measure);
    one->title = paired(&o->titles, i, o->title);
    one->unit = paired(&o->units, i, o->unit);
    one->polarity = paired(&o->polarities, i, o->polarity);
    memset(&one->columns, 0, sizeof one->columns);
    memset(&one->measures, 0, sizeof one->measures);
    memset(&one->titles, 0, sizeof one->titles);
    memset(&one->units, 0, sizeof one->units);
    memset(&one->polarities, 0, sizeof one->polarities);
}

/* One option's single-column check. */
static int check_one(const ees_options *o, char *why, size_t len)
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
    else if (o->year_ends && strcmp(o->year_ends, "none") != 0
             && !ees_month(o->year_ends))
        snprintf(why, len, "--year-ends \"%s\": give a month, Jan to Dec, "
                 "or none", o->year_ends);
    else if (!rp_valid_id(o->measure ? o->measure : o->column))
        snprintf(why, len, "measure id \"%s\" may use only letters, digits, "
                 "_ - . (give --measure)", o->measure ? o->measure : o->column);
    else
        return 0;
    return -1;
}

int ees_options_check(const ees_options *o, char *why, size_t len)
{
    size_t n = o->columns.n;
    const struct { const ees_list *l; const char *name; int once; } lists[] = {
        { &o->measures, "--measure", 0 }, { &o->titles, "--title", 0 },
        { &o->units, "--unit", 1 }, { &o->polarities, "--polarity", 1 },
    };
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        size_t g = lists[k].l->n;
        if (g == 0 || g == (n ? n : 1) || (g == 1 && lists[k].once))
            continue;
        snprintf(why, len, "%zu %s for %zu --column: give one per --column, "
                 "in the same order%s", g, lists[k].name, n ? n : 1,
                 lists[k].once ? ", or one for all" : "");
        return -1;
    }
    size_t count = ees_options_count(o);
    for (size_t i = 0; i < count; i++) {
        ees_options one;
        ees_options_pick(o, i, &one);
        if (check_one(&one, why, len) != 0)
            return -1;
        for (size_t j = 0; j < i; j++) {
            ees_options other;
            ees_options_pick(o, j, &other);
            const char *a = one.measure ? one.measure : one.column;
            const char *b = other.measure ? other.measure : other.column;
            if (strcmp(a, b) == 0) {
                snprintf(why, len, "measure id \"%s\" is given twice: each "
                         "--column is its own measure", a);
                return -1;
            }
        }
    }
    return 0;
}

int ees_import_run(const char *file, const ees_options *o, ees_result *res,
                   rp_errors *errs)
{
    input_csv c;
    size_t n = ees_options_count(o);
    memset(res, 0, n * sizeof *res);
    if (input_csv_read(file, &c, errs) != 0)
        return -1;
    int rc = 0;
    /* every column extracted before anything is written: one bad column
     * leaves the folder as it was */
    for (size_t i = 0; i < n; i++) {
        ees_options one;
        ees_options_pick(o, i, &one);
        if (ees_extract(&c, &one, &res[i], errs) != 0)
            rc = -1;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        ees_options one;
        ees_options_pick(o, i, &one);
        rc = ees_write(&one, &res[i], errs);
    }
    if (rc != 0)
        for (size_t i = 0; i < n; i++)
            ees_result_free(&res[i]);
    input_csv_free(&c);
    return rc;
}
