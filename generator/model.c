/* model.c — model: measures with their series, service areas and finance,
 * built from the typed rows of input_folder, with the cross-row checks
 * (duplicates, unknown measures) that a single row cannot make. */
#include "model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- trimmed comparison -------------------------------------------------
 * Keys (ids, breakdowns, area names) are compared without surrounding
 * spaces, so "North " and "North" are the same breakdown. */
static void trim_span(const char *s, const char **b, size_t *n)
{
    if (!s)
        s = "";
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    *b = s;
    *n = len;
}

static int trim_eq(const char *a, const char *b, int fold)
{
    const char *pa, *pb;
    size_t na, nb;
    trim_span(a, &pa, &na);
    trim_span(b, &pb, &nb);
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++) {
        unsigned char ca = (unsigned char)pa[i], cb = (unsigned char)pb[i];
        if (fold) {
            ca = (unsigned char)tolower(ca);
            cb = (unsigned char)tolower(cb);
        }
        if (ca != cb)
            return 0;
    }
    return 1;
}

static const char *or_name(const char *path, const char *dflt)
{
    return path ? path : dflt;
}

/* ---- building ------------------------------------------------------------- */

/* Namespaces of model.index: measure ids, folded area names, then one
 * per measure for its breakdowns. */
enum { NS_MEASURE = 0, NS_AREA = 1, NS_SERIES = 2 };

/* The trimmed, ASCII-folded area name in buf (grown as needed). */
static void fold_name(const char *name, rp_buf *buf)
{
    const char *p;
    size_t n;
    trim_span(name, &p, &n);
    buf->len = 0;
    rp_buf_add(buf, p, n);
    for (size_t i = 0; i < n; i++)
        buf->s[i] = (char)tolower((unsigned char)buf->s[i]);
}

static long find_area(const model *m, const char *name)
{
    rp_buf key;
    rp_buf_init(&key);
    fold_name(name, &key);
    size_t *v = rp_map_find(&m->index, NS_AREA, key.s ? key.s : "", key.len);
    rp_buf_free(&key);
    return v ? (long)*v : -1;
}

static long area_index(model *m, size_t *cap, const char *name)
{
    rp_buf key;
    rp_buf_init(&key);
    fold_name(name, &key);
    const char *k = rp_intern_str(&m->keys, key.s ? key.s : "", key.len);
    int added;
    size_t *v = rp_map_put(&m->index, NS_AREA, k, key.len, &added);
    rp_buf_free(&key);
    if (!added)
        return (long)*v;
    *v = m->nareas;
    rp_grow((void **)&m->areas, cap, m->nareas + 1, sizeof *m->areas);
    model_area *a = &m->areas[m->nareas];
    memset(a, 0, sizeof *a);
    a->name = name ? name : "";
    return (long)m->nareas++;
}

/* The series of measure x for breakdown b, created on first use. The whole
 * series always exists (index 0), so a measure without rows still shows
 * as "not available" rather than vanishing from the pack. */
static model_series *series_for(model *m, model_measure *x, size_t *cap,
                                const char *b)
{
    const char *p;
    size_t n;
    trim_span(b, &p, &n);
    if (n == 0)
        return &x->series[0];
    uint64_t ns = NS_SERIES + (uint64_t)(x - m->measures);
    size_t *v = rp_map_find(&m->index, ns, p, n);
    if (v)
        return &x->series[*v];
    rp_grow((void **)&x->series, cap, x->nseries + 1, sizeof *x->series);
    model_series *s = &x->series[x->nseries];
    memset(s, 0, sizeof *s);
    s->measure = x;
    s->breakdown = rp_intern_str(&m->keys, p, n);  /* trimmed copy */
    int added;
    *rp_map_put(&m->index, ns, s->breakdown, n, &added) = x->nseries++;
    x->whole = &x->series[0];          /* the array may have moved */
    return s;
}

static int point_cmp(const void *a, const void *b)
{
    const model_point *pa = a, *pb = b;
    int c = rp_period_cmp(pa->period, pb->period);
    if (c)
        return c;
    return (pa->line > pb->line) - (pa->line < pb->line);
}

static int fin_cmp(const void *a, const void *b)
{
    const input_finance_row *fa = *(const input_finance_row *const *)a;
    const input_finance_row *fb = *(const input_finance_row *const *)b;
    int c = rp_period_cmp(fa->period, fb->period);
    if (c)
        return c;
    return (fa->line > fb->line) - (fa->line < fb->line);
}

/* Appends the row's point to s (arrays were sized by the counting pass);
 * duplicates are found after the sort so the message names the first line. */
static void add_point(model_series *s, const input_kpi_row *k)
{
    model_point pt;
    pt.period = k->period;
    pt.value = k->value;
    pt.target = k->target;
    pt.national = k->national;
    pt.regional = k->regional;
    pt.line = k->line;
    if (k->extra) {
        pt.neighbours = k->extra->neighbours;
        pt.numerator = k->extra->numerator;
        pt.denominator = k->extra->denominator;
        pt.rank = k->extra->rank;
        pt.ranked = k->extra->ranked;
        pt.region = k->extra->region ? k->extra->region : "";
    } else {
        pt.neighbours = pt.numerator = pt.denominator =
            rp_value_missing(RP_MISS_EMPTY);
        pt.rank = pt.ranked = 0;
        pt.region = "";
    }
    if (k->period.kind == RP_PER_QUARTER)
        s->quarters[s->nquarters++] = pt;
    else
        s->years[s->nyears++] = pt;
}

/* Sorts the points and drops (with an error) any repeat of a period. */
static void sort_points(model_point *v, size_t *n, const model_series *s,
                        const char *file, rp_errors *errs)
{
    /* rows usually come in period order: skip the sort (and glibc's
     * scratch allocation) when they do */
    size_t sorted = 1;
    while (sorted < *n && point_cmp(&v[sorted - 1], &v[sorted]) < 0)
        sorted++;
    if (sorted < *n)
        qsort(v, *n, sizeof *v, point_cmp);
    size_t w = 0;
    for (size_t i = 0; i < *n; i++) {
        if (w > 0 && rp_period_cmp(v[w - 1].period, v[i].period) == 0) {
            char per[32];
            rp_period_format(v[i].period, per, sizeof per);
            if (*s->breakdown)
                rp_err(errs, file, v[i].line, "period",
                       "duplicate row for measure \"%s\", period \"%s\", "
                       "breakdown \"%s\" (first on line %ld)",
                       s->measure->def->id, per, s->breakdown, v[w - 1].line);
            else
                rp_err(errs, file, v[i].line, "period",
                       "duplicate row for measure \"%s\", period \"%s\" "
                       "(first on line %ld)",
                       s->measure->def->id, per, v[w - 1].line);
            continue;
        }
        v[w++] = v[i];
    }
    *n = w;
}

/* Does scope name the pack, a service area or a measure (ids
 * case-insensitively, as model_commentary looks them up)? */
static int scope_known(const model *m, const char *scope)
{
    if (trim_eq(scope, "overall", 1) || model_find_area(m, scope) >= 0)
        return 1;
    for (size_t i = 0; i < m->nmeasures; i++)
        if (trim_eq(m->measures[i].def->id, scope, 1))
            return 1;
    return 0;
}

/* commentary.csv: every scope must be known (a slip would silently drop
 * the text), and one row per scope and period (which would win?). */
static void check_commentary(const model *m, const input_folder *in,
                             rp_errors *errs)
{
    const char *cfile = or_name(in->commentary_path, "commentary.csv");
    const char **names = NULL;
    size_t nnames = 0;
    for (size_t i = 0; i < in->ncomments; i++) {
        const input_comment_row *c = &in->comments[i];
        if (!scope_known(m, c->scope)) {
            if (!names) {
                nnames = 1 + m->nareas + m->nmeasures;
                names = rp_xcalloc(nnames, sizeof *names);
                names[0] = "overall";
                for (size_t a = 0; a < m->nareas; a++)
                    names[1 + a] = m->areas[a].name;
                for (size_t k = 0; k < m->nmeasures; k++)
                    names[1 + m->nareas + k] = m->measures[k].def->id;
            }
            char *near = rp_closest(c->scope, names, nnames, 3);
            rp_err(errs, cfile, c->line, "scope",
                   "\"%s\" is not a measure id, a service area or "
                   "\"overall\"%s%s%s", c->scope, near ? " (did you mean " : "",
                   near ? near : "", near ? "?)" : "");
            free(near);
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            const input_comment_row *p = &in->comments[j];
            if (trim_eq(p->scope, c->scope, 1) &&
                rp_period_cmp(p->period, c->period) == 0) {
                char per[32];
                rp_period_format(c->period, per, sizeof per);
                rp_err(errs, cfile, c->line, "scope",
                       "duplicate commentary for scope \"%s\", period \"%s\" "
                       "(first on line %ld)", c->scope, per, p->line);
                break;
            }
        }
    }
    free(names);
}

/* A period far from the rest of the data is most likely a typing slip
 * (2099/00 for 2009/10): each is named, a few rows at most, then a count.
 * "Far" is more than RP_FAR_YEARS from the median financial year. */
#define RP_FAR_YEARS 10
static void warn_far_periods(const input_folder *in, const char *kfile,
                             rp_errors *errs)
{
    if (in->nkpis == 0)
        return;
    enum { YEARS = 10000 };
    size_t *count = rp_xcalloc(YEARS, sizeof *count);
    for (size_t i = 0; i < in->nkpis; i++)
        if (in->kpis[i].period.fy >= 0 && in->kpis[i].period.fy < YEARS)
            count[in->kpis[i].period.fy]++;
    size_t half = (in->nkpis + 1) / 2, seen = 0;
    int median = 0;
    while (median < YEARS - 1 && (seen += count[median]) < half)
        median++;
    free(count);
    size_t far = 0;
    for (size_t i = 0; i < in->nkpis; i++) {
        const input_kpi_row *k = &in->kpis[i];
        int d = k->period.fy - median;
        if (d <= RP_FAR_YEARS && d >= -RP_FAR_YEARS)
            continue;
        if (++far <= 5) {
            char p[32], mp[32];
            rp_period_format(k->period, p, sizeof p);
            rp_period_format(rp_fyear(median), mp, sizeof mp);
            rp_warn(errs, kfile, k->line, "period", "\"%s\" is %d years %s "
                    "most of the data (%s); is the year right?", p,
                    d < 0 ? -d : d, d < 0 ? "before" : "after", mp);
        }
    }
    if (far > 5)
        rp_warn(errs, kfile, 0, "period", "%zu more rows are more than %d "
                "years from most of the data", far - 5, RP_FAR_YEARS);
}

/* Measures in measures.csv order, the first occurrence of an id wins;
 * each gets its (possibly empty) whole series. */
static void add_measures(const input_folder *in, model *m, size_t *acap,
                         size_t *scap, const char *mfile, rp_errors *errs)
{
    for (size_t i = 0; i < in->nmeasures; i++) {
        const input_measure_row *d = &in->measures[i];
        const char *id;
        size_t idn;
        trim_span(d->id, &id, &idn);
        int added;
        size_t *v = rp_map_put(&m->index, NS_MEASURE, id, idn, &added);
        if (!added) {
            rp_err(errs, mfile, d->line, "id",
                   "duplicate measure id \"%s\" (first on line %ld)",
                   d->id, m->measures[*v].def->line);
            continue;
        }
        *v = m->nmeasures;
        model_measure *x = &m->measures[m->nmeasures];
        x->def = d;
        x->area = (size_t)area_index(m, acap, d->service_area);
        rp_grow((void **)&x->series, &scap[m->nmeasures], 1, sizeof *x->series);
        memset(&x->series[0], 0, sizeof x->series[0]);
        x->series[0].measure = x;
        x->series[0].breakdown = "";
        x->nseries = 1;
        x->whole = &x->series[0];
        m->nmeasures++;
    }
    for (size_t i = 0; i < m->nmeasures; i++) {
        model_area *a = &m->areas[m->measures[i].area];
        a->measures = rp_xrealloc(a->measures,
                                  (a->nmeasures + 1) * sizeof *a->measures);
        a->measures[a->nmeasures++] = i;
    }
}

/* Where a kpi row goes; measure UINT32_MAX = nowhere. */
typedef struct row_place { uint32_t measure, series; } row_place;

/* KPI rows into series in two passes: the first finds (or creates) each
 * row's series once and counts the points, the second fills arrays of
 * exact size. */
static void add_kpis(const input_folder *in, model *m, size_t *scap,
                     const char *kfile, rp_errors *errs)
{
    row_place *at = rp_xmalloc((in->nkpis ? in->nkpis : 1) * sizeof *at);
    memset(at, 0xFF, in->nkpis * sizeof *at);   /* all nowhere */
    for (size_t k = 0; k < in->nkpis; k++) {
        const input_kpi_row *r = &in->kpis[k];
        if ((k & 0xff) == 0 && rp_interrupted(errs))
            break;
        if (r->period.kind == 0)
            continue;   /* input already reported the bad period */
        model_measure *x = (model_measure *)model_find_measure(m, r->measure);
        if (!x) {
            rp_err(errs, kfile, r->line, "measure",
                   "unknown measure \"%s\" (not in measures.csv)",
                   r->measure ? r->measure : "");
            continue;
        }
        size_t xi = (size_t)(x - m->measures);
        model_series *s = series_for(m, x, &scap[xi], r->breakdown);
        at[k].measure = (uint32_t)xi;
        at[k].series = (uint32_t)(s - x->series);
        if (r->period.kind == RP_PER_QUARTER)
            s->nquarters++;
        else
            s->nyears++;
    }
    /* every series' points in one block: no allocation per series */
    size_t total = 0;
    for (size_t i = 0; i < m->nmeasures; i++)
        for (size_t j = 0; j < m->measures[i].nseries; j++)
            total += m->measures[i].series[j].nquarters +
                     m->measures[i].series[j].nyears;
    m->points = rp_xmalloc((total ? total : 1) * sizeof *m->points);
    model_point *next = m->points;
    for (size_t i = 0; i < m->nmeasures; i++)
        for (size_t j = 0; j < m->measures[i].nseries; j++) {
            model_series *s = &m->measures[i].series[j];
            s->quarters = next;
            next += s->nquarters;
            s->years = next;
            next += s->nyears;
            s->nquarters = s->nyears = 0;
        }
    for (size_t k = 0; k < in->nkpis; k++)
        if (at[k].measure != UINT32_MAX)
            add_point(&m->measures[at[k].measure].series[at[k].series],
                      &in->kpis[k]);
    free(at);
}

int model_build(const input_folder *in, model *m, rp_errors *errs)
{
    memset(m, 0, sizeof *m);
    m->in = in;
    rp_map_init(&m->index);
    rp_intern_init(&m->keys);
    size_t errs0 = errs->nerrors;
    const char *mfile = or_name(in->measures_path, "measures.csv");
    const char *kfile = or_name(in->kpi_path, "kpi.csv");
    const char *ffile = or_name(in->finance_path, "finance.csv");
    warn_far_periods(in, kfile, errs);

    size_t acap = 0;
    size_t *scap = rp_xcalloc(in->nmeasures, sizeof *scap);
    m->measures = rp_xcalloc(in->nmeasures, sizeof *m->measures);
    add_measures(in, m, &acap, scap, mfile, errs);
    add_kpis(in, m, scap, kfile, errs);
    free(scap);

    for (size_t i = 0; i < m->nmeasures; i++) {
        model_measure *x = &m->measures[i];
        for (size_t j = 0; j < x->nseries; j++) {
            model_series *s = &x->series[j];
            sort_points(s->quarters, &s->nquarters, s, kfile, errs);
            sort_points(s->years, &s->nyears, s, kfile, errs);
            for (size_t q = 0; q < s->nquarters; q++)
                if (rp_has(s->quarters[q].value) &&
                    (m->latest_quarter.kind == 0 ||
                     rp_period_cmp(s->quarters[q].period,
                                   m->latest_quarter) > 0))
                    m->latest_quarter = s->quarters[q].period;
        }
    }

    /* Finance rows: areas named only here (Corporate) are added after the
     * measure areas, in finance.csv order. */
    for (size_t f = 0; f < in->nfinance; f++) {
        const input_finance_row *r = &in->finance[f];
        if (r->period.kind == 0)
            continue;
        /* the index first: area_index may move m->areas */
        long ai = area_index(m, &acap, r->service_area);
        model_area *a = &m->areas[ai];
        a->finance = rp_xrealloc(a->finance,
                                 (a->nfinance + 1) * sizeof *a->finance);
        a->finance[a->nfinance++] = r;
    }
    for (size_t i = 0; i < m->nareas; i++) {
        model_area *a = &m->areas[i];
        if (a->nfinance > 1)
            qsort(a->finance, a->nfinance, sizeof *a->finance, fin_cmp);
        size_t w = 0;
        for (size_t j = 0; j < a->nfinance; j++) {
            if (w > 0 && rp_period_cmp(a->finance[w - 1]->period,
                                       a->finance[j]->period) == 0) {
                char per[32];
                rp_period_format(a->finance[j]->period, per, sizeof per);
                rp_err(errs, ffile, a->finance[j]->line, "period",
                       "duplicate row for service area \"%s\", period \"%s\" "
                       "(first on line %ld)", a->finance[j]->service_area,
                       per, a->finance[w - 1]->line);
                continue;
            }
            a->finance[w++] = a->finance[j];
        }
        a->nfinance = w;
    }
    check_commentary(m, in, errs);
    return errs->nerrors > errs0 ? -1 : 0;
}

void model_free(model *m)
{
    for (size_t i = 0; i < m->nmeasures; i++) {
        model_measure *x = &m->measures[i];
        free(x->series);   /* breakdowns are in keys, points in one block */
    }
    free(m->measures);
    free(m->points);
    for (size_t i = 0; i < m->nareas; i++) {
        free(m->areas[i].measures);
        free(m->areas[i].finance);
    }
    free(m->areas);
    rp_map_free(&m->index);
    rp_intern_free(&m->keys);
    memset(m, 0, sizeof *m);
}

/* ---- look-ups ----------------------------------------------------------- */

const model_measure *model_find_measure(const model *m, const char *id)
{
    const char *p;
    size_t n;
    trim_span(id, &p, &n);
    size_t *v = rp_map_find(&m->index, NS_MEASURE, p, n);
    return v ? &m->measures[*v] : NULL;
}

long model_find_area(const model *m, const char *name)
{
    return find_area(m, name);
}

const model_point *model_series_at(const model_series *s, rp_period p)
{
    if (!s)
        return NULL;
    const model_point *v = p.kind == RP_PER_QUARTER ? s->quarters : s->years;
    size_t lo = 0, hi = p.kind == RP_PER_QUARTER ? s->nquarters : s->nyears;
    while (lo < hi) {   /* binary search: points are sorted by period */
        size_t mid = lo + (hi - lo) / 2;
        int c = rp_period_cmp(v[mid].period, p);
        if (c == 0)
            return &v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const input_comment_row *model_commentary(const model *m, const char *scope,
                                    rp_period p)
{
    const input_folder *in = m->in;
    if (!in)
        return NULL;
    for (size_t i = 0; i < in->ncomments; i++)
        if (trim_eq(in->comments[i].scope, scope, 1) &&
            rp_period_cmp(in->comments[i].period, p) == 0)
            return &in->comments[i];
    return NULL;
}
