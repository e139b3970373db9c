/* chart.c — chart data, numbers on axes and labels, and the one-sentence
 * summaries. Drawing lives in chart_draw.c, files in chart_out.c. */
#include "chart_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers ------------------------------------------------------------ */

static int default_decimals(rp_unit u)
{
    return (u == RP_UNIT_COUNT || u == RP_UNIT_GBP) ? 0 : 1;
}

char *chart_format(rp_num v, rp_unit unit, int decimals, char *buf, size_t len)
{
    char num[64];
    if (decimals < 0)
        decimals = default_decimals(unit);
    if (unit == RP_UNIT_GBP) {
        rp_num a = rp_num_abs(v);
        const char *sign = v < 0 ? "-" : "";
        /* Thresholds on the rounded figure, so 999,600 reads "£1.0m"
         * rather than "£1,000k". */
        if (a >= INT64_C(999950000) * RP_SCALE) {
            rp_num_format(a / 1000000000, 1, 1, num, sizeof num);
            snprintf(buf, len, "%s\xC2\xA3%sbn", sign, num);
        } else if (a >= INT64_C(999500) * RP_SCALE) {
            rp_num_format(a / 1000000, 1, 1, num, sizeof num);
            snprintf(buf, len, "%s\xC2\xA3%sm", sign, num);
        } else if (a >= INT64_C(1000) * RP_SCALE) {
            rp_num_format(a / 1000, 0, 1, num, sizeof num);
            snprintf(buf, len, "%s\xC2\xA3%sk", sign, num);
        } else {
            rp_num_format(a, decimals, 1, num, sizeof num);
            snprintf(buf, len, "%s\xC2\xA3%s", sign, num);
        }
        /* "-£0" after rounding is just "£0" */
        if (v < 0 && strcmp(buf, "-\xC2\xA3" "0") == 0)
            snprintf(buf, len, "\xC2\xA3" "0");
        return buf;
    }
    rp_num_format(v, decimals, 1, num, sizeof num);
    snprintf(buf, len, "%s%s", num, unit == RP_UNIT_PERCENT ? "%" : "");
    return buf;
}

int chart_annual_change(const chart *c, size_t i, char *buf, size_t len)
{
    if (c->kind != CHART_ANNUAL || i >= c->ncat || !rp_has(c->series[0].v[i]))
        return 0;
    rp_num d;
    if (c->unit == RP_UNIT_PERCENT) {
        /* points, never a relative change of a percentage (contract) */
        if (!rp_has(c->before[i]) ||
            __builtin_sub_overflow(c->series[0].v[i].num, c->before[i].num, &d))
            return 0;
        char num[64];
        rp_num_format(d, c->decimals >= 0 ? c->decimals : 1, 1, num, sizeof num);
        int zero = strspn(num, "-0.,") == strlen(num);
        snprintf(buf, len, "%s%s pts", d > 0 && !zero ? "+" : "", num);
        return 1;
    }
    if (!rp_has(c->yoy[i]))
        return 0;
    chart_format_pct_change(c->yoy[i].num, buf, len);
    return 1;
}

char *chart_format_pct_change(rp_num pct, char *buf, size_t len)
{
    char num[64];
    rp_num_format(pct, 1, 1, num, sizeof num);
    int zero = strcmp(num, "0.0") == 0;
    snprintf(buf, len, "%s%s%%", (pct > 0 && !zero) ? "+" : "", num);
    return buf;
}

int chart_ticks(double lo, double hi, int max_intervals, double *first,
             double *step)
{
    if (max_intervals < 1)
        max_intervals = 1;
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi < lo) {
        double t = lo; lo = hi; hi = t;
    }
    if (hi - lo < 1e-12) {              /* flat: open a band around it */
        double pad = fabs(lo) > 0 ? fabs(lo) * 0.1 : 0.5;
        lo -= pad;
        hi += pad;
    }
    double raw = (hi - lo) / max_intervals;
    double mag = pow(10, floor(log10(raw)));
    static const double nice[] = { 1, 2, 2.5, 5, 10, 20 };
    double s = mag, f = lo, l = hi;
    for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++) {
        s = nice[i] * mag;
        f = floor(lo / s + 1e-9) * s;
        l = ceil(hi / s - 1e-9) * s;
        if ((l - f) / s <= max_intervals + 1e-9)
            break;
    }
    *first = f == 0 ? 0 : f;            /* no "-0" */
    *step = s;
    return (int)llround((l - f) / s) + 1;
}

/* Decimal places that show multiples of step exactly (0.25 → 2). */
int chart_step_decimals(double step)
{
    for (int d = 0; d < 6; d++) {
        double m = step * pow(10, d);
        if (fabs(m - llround(m)) < 1e-6 * (m > 1 ? m : 1))
            return d;
    }
    return 6;
}

/* Axis labels share one scale so £ ticks read £0m, £2m, £4m… */
char *chart_axis_label(double v, double step, double span_max, rp_unit unit,
                    char *buf, size_t len)
{
    char num[64];
    if (unit == RP_UNIT_GBP) {
        double div = 1;
        const char *sfx = "";
        if (span_max >= 1e9) { div = 1e9; sfx = "bn"; }
        else if (span_max >= 1e6) { div = 1e6; sfx = "m"; }
        else if (span_max >= 1e4) { div = 1e3; sfx = "k"; }
        int d = chart_step_decimals(step / div);
        rp_num n = (rp_num)llround(fabs(v) / div * (double)RP_SCALE);
        rp_num_format(n, d, 1, num, sizeof num);
        if (n == 0)                     /* "£0", not "£0.0" */
            snprintf(buf, len, "\xC2\xA3" "0");
        else
            snprintf(buf, len, "%s\xC2\xA3%s%s", v < 0 ? "-" : "", num, sfx);
        return buf;
    }
    if (fabs(v) >= 9e12) {      /* beyond rp_num: llround would overflow */
        snprintf(buf, len, "%.0f%s", v, unit == RP_UNIT_PERCENT ? "%" : "");
        return buf;
    }
    rp_num n = (rp_num)llround(v * (double)RP_SCALE);
    rp_num_format(n, chart_step_decimals(step), 1, num, sizeof num);
    snprintf(buf, len, "%s%s", num, unit == RP_UNIT_PERCENT ? "%" : "");
    return buf;
}

/* ---- construction --------------------------------------------------------- */

static chart *chart_new(chart_kind kind, const char *id, const char *title,
                           rp_unit unit, int decimals, size_t ncat,
                           const char *const *cats)
{
    chart *c = rp_xcalloc(1, sizeof *c);
    c->kind = kind;
    c->id = rp_xstrdup(id ? id : "chart");
    c->title = rp_xstrdup(title ? title : "");
    c->unit = unit;
    c->decimals = decimals < 0 ? default_decimals(unit) : decimals;
    c->ncat = ncat;
    c->cats = rp_xcalloc(ncat ? ncat : 1, sizeof *c->cats);
    for (size_t i = 0; i < ncat; i++)
        c->cats[i] = rp_xstrdup(cats && cats[i] ? cats[i] : "");
    return c;
}

static rp_value *values_dup(const rp_value *v, size_t n)
{
    rp_value *out = rp_xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = v ? v[i] : rp_value_missing(RP_MISS_EMPTY);
    return out;
}

static chart_series *add_series(chart *c, chart_role role, const char *name,
                             const rp_value *v)
{
    c->series = rp_xrealloc(c->series, (c->nseries + 1) * sizeof *c->series);
    chart_series *s = &c->series[c->nseries++];
    s->role = role;
    s->name = rp_xstrdup(name ? name : "");
    s->v = values_dup(v, c->ncat);
    return s;
}

void chart_destroy(chart *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->title);
    free(c->summary);
    free(c->subject);
    for (size_t i = 0; i < c->ncat; i++) {
        free(c->cats[i]);
        if (c->groups)
            free(c->groups[i]);
    }
    free(c->cats);
    free(c->groups);
    for (size_t i = 0; i < c->nseries; i++) {
        free(c->series[i].name);
        free(c->series[i].v);
    }
    free(c->series);
    free(c->complete);
    free(c->yoy);
    free(c->before);
    free(c->counts);
    free(c);
}

static void make_summary(chart *c);

chart *chart_line_create(const char *id, const char *title, rp_unit unit,
                         int decimals, size_t ncat, const char *const *cats,
                         const char *const *groups)
{
    chart *c = chart_new(CHART_LINE, id, title, unit, decimals, ncat, cats);
    if (groups) {
        c->groups = rp_xcalloc(ncat ? ncat : 1, sizeof *c->groups);
        for (size_t i = 0; i < ncat; i++)
            c->groups[i] = rp_xstrdup(groups[i] ? groups[i] : "");
    }
    make_summary(c);
    return c;
}

void chart_line_series(chart *c, chart_role role, const char *name,
                    const rp_value *values)
{
    size_t present = 0;
    for (size_t i = 0; values && i < c->ncat; i++)
        present += rp_has(values[i]);
    if (!present)           /* a comparator nobody publishes: no legend */
        return;
    add_series(c, role, name, values);
    make_summary(c);
}

void chart_line_set_cumulative(chart *c, int per_year)
{
    if (!c || c->kind != CHART_LINE || per_year < 1)
        return;
    c->per_year = per_year;
    make_summary(c);
}

chart *chart_annual_create(const char *id, const char *title, rp_unit unit,
                           int decimals, size_t n, const char *const *years,
                           const rp_value *values, const int *complete,
                           const rp_value *yoy_pct)
{
    chart *c = chart_new(CHART_ANNUAL, id, title, unit, decimals, n, years);
    add_series(c, CHART_MAIN, title, values);
    c->complete = rp_xcalloc(n ? n : 1, sizeof *c->complete);
    for (size_t i = 0; i < n; i++)
        c->complete[i] = complete ? complete[i] : 1;
    c->yoy = values_dup(yoy_pct, n);
    c->before = values_dup(NULL, n);
    for (size_t i = 1; yoy_pct && i < n; i++)
        c->before[i] = values[i - 1];
    c->ytd_prev = c->ytd_pct = rp_value_missing(RP_MISS_EMPTY);
    make_summary(c);
    return c;
}

void chart_annual_set_ytd(chart *c, int lastq, rp_value prev, rp_value pct)
{
    if (!c || c->kind != CHART_ANNUAL || c->ncat == 0 ||
        c->complete[c->ncat - 1])
        return;
    c->ytd_lastq = lastq >= 1 && lastq <= 3 ? lastq : 0;
    c->ytd_prev = prev;
    c->ytd_pct = pct;
    /* The bar's label says the same as the caption: like for like. */
    c->yoy[c->ncat - 1] = pct;
    c->before[c->ncat - 1] = prev;
    make_summary(c);
}

/* A money chart of one series over categories and one reference figure
 * (the variance's total, the savings target). */
static chart *money_chart(chart_kind kind, const char *id, const char *title,
                          size_t n, const char *const *cats, const char *name,
                          const rp_value *v, rp_value ref)
{
    chart *c = chart_new(kind, id, title, RP_UNIT_GBP, 0, n, cats);
    add_series(c, CHART_MAIN, name, v);
    c->total = ref;
    make_summary(c);
    return c;
}

chart *chart_variance_create(const char *id, const char *title, size_t n,
                             const char *const *areas,
                             const rp_value *variance, rp_value total)
{
    return money_chart(CHART_VARIANCE, id, title, n, areas, "Variance",
                       variance, total);
}

chart *chart_savings_create(const char *id, const char *title, size_t nq,
                            const char *const *quarters,
                            const rp_value *forecast, rp_value target)
{
    return money_chart(CHART_SAVINGS, id, title, nq, quarters,
                       "Savings forecast", forecast, target);
}

/* High to low, missing last, ties in the order given (stable). */
static int before(rp_value a, size_t ia, rp_value b, size_t ib)
{
    if (rp_has(a) != rp_has(b))
        return rp_has(a);
    if (rp_has(a) && a.num != b.num)
        return a.num > b.num;
    return ia < ib;
}

chart *chart_breakdown_create(const char *id, const char *title,
                              rp_unit unit, int decimals, size_t n,
                              const char *const *names,
                              const rp_value *values, rp_value authority,
                              rp_value national, rp_value regional)
{
    size_t *ix = rp_xcalloc(n ? n : 1, sizeof *ix);
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && before(values[i], i, values[ix[j - 1]], ix[j - 1])) {
            ix[j] = ix[j - 1];
            j--;
        }
        ix[j] = i;
    }
    const char **sn = rp_xcalloc(n ? n : 1, sizeof *sn);
    rp_value *sv = rp_xcalloc(n ? n : 1, sizeof *sv);
    for (size_t i = 0; i < n; i++) {
        sn[i] = names ? names[ix[i]] : "";
        sv[i] = values[ix[i]];
    }
    chart *c = chart_new(CHART_BREAKDOWN, id, title, unit, decimals, n, sn);
    add_series(c, CHART_MAIN, title, sv);
    c->ref[0] = authority;
    c->ref[1] = national;
    c->ref[2] = regional;
    free(ix);
    free(sn);
    free(sv);
    make_summary(c);
    return c;
}

chart *chart_stacked_create(const char *id, const char *title, rp_unit unit,
                            int decimals, size_t ncat,
                            const char *const *cats, size_t nseries,
                            const char *const *names, const rp_value *values)
{
    chart *c = chart_new(CHART_STACKED, id, title, unit, decimals, ncat,
                            cats);
    for (size_t s = 0; s < nseries && s < 6; s++)   /* six palette colours */
        add_series(c, CHART_MAIN, names ? names[s] : "", values + s * ncat);
    make_summary(c);
    return c;
}

chart *chart_rag_create(const char *id, const char *title, size_t n,
                        const char *const *areas, const size_t *counts)
{
    chart *c = chart_new(CHART_RAG, id, title, RP_UNIT_COUNT, 0, n, areas);
    c->counts = rp_xcalloc(n * RP_RAG_COUNT + 1, sizeof *c->counts);
    if (counts)
        memcpy(c->counts, counts, n * RP_RAG_COUNT * sizeof *counts);
    make_summary(c);
    return c;
}

chart *chart_spark_create(size_t n, const rp_value *values)
{
    chart *c = chart_new(CHART_SPARK, "spark", "", RP_UNIT_NUMBER, 1, n,
                            NULL);
    add_series(c, CHART_MAIN, "", values);
    make_summary(c);
    return c;
}

const char *chart_id(const chart *c) { return c->id; }
const char *chart_title(const chart *c) { return c->title; }
const char *chart_summary(const chart *c) { return c->summary; }

void chart_set_subject(chart *c, const char *subject)
{
    free(c->subject);
    c->subject = subject ? rp_xstrdup(subject) : NULL;
    make_summary(c);
}

static void cat_label(const chart *c, size_t i, char *buf, size_t len);
static const chart_series *role_series(const chart *c, chart_role r);

char *chart_key_values(const chart *c)
{
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_add(&b, "", 0);
    if (!c || !c->nseries || c->kind == CHART_SPARK || c->kind == CHART_RAG ||
        c->kind == CHART_STACKED)
        return b.s ? b.s : rp_xstrdup("");
    const chart_series *s = role_series(c, CHART_MAIN);
    if (!s)
        s = &c->series[0];
    rp_unit u = c->kind == CHART_VARIANCE || c->kind == CHART_SAVINGS
              ? RP_UNIT_GBP : c->unit;
    size_t from = c->ncat > 16 ? c->ncat - 16 : 0;
    const char *sep = "Values: ";
    char v[64], cat[96];
    for (size_t i = from; i < c->ncat; i++) {
        cat_label(c, i, cat, sizeof cat);
        rp_buf_printf(&b, "%s%s %s", sep, cat,
                      rp_has(s->v[i]) ? chart_format(s->v[i].num, u,
                                                     c->decimals, v, sizeof v)
                                      : "not available");
        sep = "; ";
    }
    if (*sep == ';')
        rp_buf_puts(&b, ".");
    const chart_series *t = role_series(c, CHART_TARGET);
    rp_value tv = { .miss = RP_MISS_EMPTY };
    for (size_t i = 0; t && i < c->ncat; i++)
        if (rp_has(t->v[i]))
            tv = t->v[i];
    if (c->kind == CHART_SAVINGS)
        tv = c->total;
    if (rp_has(tv))
        rp_buf_printf(&b, " Target %s.", chart_format(tv.num, u, c->decimals,
                                                     v, sizeof v));
    return b.s ? b.s : rp_xstrdup("");
}

/* ---- summaries -------------------------------------------------------------- */

static void cat_label(const chart *c, size_t i, char *buf, size_t len)
{
    if (c->groups && c->groups[i][0])
        snprintf(buf, len, "%s %s", c->groups[i], c->cats[i]);
    else
        snprintf(buf, len, "%s", c->cats[i]);
}

static const chart_series *role_series(const chart *c, chart_role r)
{
    for (size_t i = 0; i < c->nseries; i++)
        if (c->series[i].role == r)
            return &c->series[i];
    return NULL;
}

/* "<S> rose from A in P1 to B in P2" for the first and last present
 * values of the main series. Returns 0 when there is nothing to say. */
static int sentence_change(const chart *c, const char *subj, rp_buf *b,
                           size_t *last_out)
{
    const chart_series *s = role_series(c, CHART_MAIN);
    size_t first = SIZE_MAX, last = SIZE_MAX;
    for (size_t i = 0; s && i < c->ncat; i++)
        if (rp_has(s->v[i])) {
            if (first == SIZE_MAX)
                first = i;
            last = i;
        }
    if (first == SIZE_MAX) {
        rp_buf_printf(b, "No values are available for %s.", subj);
        return 0;
    }
    char a[64], z[64], pa[64], pz[64];
    chart_format(s->v[first].num, c->unit, c->decimals, a, sizeof a);
    chart_format(s->v[last].num, c->unit, c->decimals, z, sizeof z);
    cat_label(c, first, pa, sizeof pa);
    cat_label(c, last, pz, sizeof pz);
    if (first == last)
        rp_buf_printf(b, "%s was %s in %s", subj, z, pz);
    else if (strcmp(a, z) == 0)     /* equal as shown: say so */
        rp_buf_printf(b, "%s was %s in %s, the same as in %s", subj, z, pz,
                      pa);
    else
        rp_buf_printf(b, "%s %s from %s in %s to %s in %s", subj,
                      s->v[last].num > s->v[first].num ? "rose" : "fell",
                      a, pa, z, pz);
    *last_out = last;
    return 1;
}

/* A cumulative line: "S was V at P (year to date), up/down D on W at the
 * same point a year earlier Pp" — a running total is compared only with
 * the same point of the year before. Returns 0 when there is no value. */
static int sentence_same_point(const chart *c, const char *subj, rp_buf *b,
                               size_t *last_out)
{
    const chart_series *s = role_series(c, CHART_MAIN);
    size_t last = SIZE_MAX;
    for (size_t i = 0; s && i < c->ncat; i++)
        if (rp_has(s->v[i]))
            last = i;
    if (last == SIZE_MAX)
        return 0;
    char z[64], a[64], pz[64], pa[64], num[96];
    chart_format(s->v[last].num, c->unit, c->decimals, z, sizeof z);
    cat_label(c, last, pz, sizeof pz);
    rp_buf_printf(b, "%s was %s at %s (year to date)", subj, z, pz);
    size_t k = (size_t)c->per_year;
    rp_num d;
    if (last >= k && rp_has(s->v[last - k]) &&
        !__builtin_sub_overflow(s->v[last].num, s->v[last - k].num, &d) &&
        d != INT64_MIN) {
        chart_format(s->v[last - k].num, c->unit, c->decimals, a, sizeof a);
        cat_label(c, last - k, pa, sizeof pa);
        if (c->unit == RP_UNIT_PERCENT) {
            rp_num_format(rp_num_abs(d), 1, 1, num, sizeof num);
            strcat(num, " percentage points");
        } else {
            chart_format(rp_num_abs(d), c->unit, c->decimals, num, sizeof num);
        }
        if (d == 0)
            rp_buf_printf(b, ", the same as at %s", pa);
        else
            rp_buf_printf(b, ", %s %s on %s at %s", d > 0 ? "up" : "down",
                          num, a, pa);
    }
    *last_out = last;
    return 1;
}

/* The last bar is a year to date: "S: V in Y to date (Q1–Q3), up 2.1% on
 * the same quarters of Yp; W in the whole of Yp." A part year is never
 * said to rise or fall against a full year: the direction comes only
 * from the like-for-like change, and the whole year is given as a figure. */
static void sentence_ytd(const chart *c, const char *subj, rp_buf *b)
{
    size_t k = c->ncat - 1;
    char v[64], w[96], num[48];
    chart_format(c->series[0].v[k].num, c->unit, c->decimals, v, sizeof v);
    rp_buf_printf(b, "%s: %s in %s to date", subj, v, c->cats[k]);
    if (c->ytd_lastq == 1)
        rp_buf_puts(b, " (Q1)");
    else if (c->ytd_lastq)
        rp_buf_printf(b, " (Q1\u2013Q%d)", c->ytd_lastq);
    char prev[80];
    if (k > 0)
        snprintf(prev, sizeof prev, "%s", c->cats[k - 1]);
    else
        snprintf(prev, sizeof prev, "the year before");
    if (c->ytd_lastq && rp_has(c->ytd_pct)) {
        rp_num p = c->ytd_pct.num, a = rp_num_abs(p);
        rp_num d;
        if (c->unit == RP_UNIT_PERCENT && rp_has(c->ytd_prev)
            && !__builtin_sub_overflow(c->series[0].v[k].num,
                                       c->ytd_prev.num, &d)
            && d != INT64_MIN) {
            /* a rate's change reads in points, as in the tables (when
             * the difference fits; else the relative change) */
            p = d;
            rp_num_format(rp_num_abs(d), 1, 1, num, sizeof num);
            snprintf(w, sizeof w, "%s percentage points", num);
        } else {
            rp_num_format(a, 1, 1, num, sizeof num);
            snprintf(w, sizeof w, "%s%%", num);
        }
        if (p == 0)
            rp_buf_printf(b, ", the same as in the same quarters of %s", prev);
        else
            rp_buf_printf(b, ", %s %s on the same quarters of %s",
                          p > 0 ? "up" : "down", w, prev);
    }
    if (k > 0 && rp_has(c->series[0].v[k - 1]))
        rp_buf_printf(b, "; %s in the whole of %s",
                      chart_format(c->series[0].v[k - 1].num, c->unit,
                                c->decimals, w, sizeof w), prev);
    rp_buf_puts(b, ".");
}

static void make_summary(chart *c)
{
    const char *subj = c->subject ? c->subject : c->title;
    rp_buf b;
    rp_buf_init(&b);
    char x[64], y[64], z[64];
    size_t last = 0;
    switch (c->kind) {
    case CHART_LINE: {
        if ((c->per_year && sentence_same_point(c, subj, &b, &last)) ||
            sentence_change(c, subj, &b, &last)) {
            const chart_series *t = role_series(c, CHART_TARGET);
            if (t && rp_has(t->v[last]))
                rp_buf_printf(&b, ", against a target of %s",
                              chart_format(t->v[last].num, c->unit, c->decimals,
                                        x, sizeof x));
            rp_buf_puts(&b, ".");
        }
        break;
    }
    case CHART_ANNUAL:
        if (c->ncat && !c->complete[c->ncat - 1] &&
            rp_has(c->series[0].v[c->ncat - 1]))
            sentence_ytd(c, subj, &b);
        else if (sentence_change(c, subj, &b, &last))
            rp_buf_puts(&b, ".");
        break;
    case CHART_VARIANCE: {
        const rp_value *v = c->series[0].v;
        if (!rp_has(c->total)) {
            rp_buf_puts(&b, "No forecast variance is available.");
            break;
        }
        rp_num t = c->total.num;
        chart_format(rp_num_abs(t), RP_UNIT_GBP, 0, x, sizeof x);
        if (t == 0)
            rp_buf_puts(&b, "The forecast is on budget in total");
        else
            rp_buf_printf(&b, "The forecast is an %s of %s in total",
                          t > 0 ? "overspend" : "underspend", x);
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < c->ncat; i++)
            if (rp_has(v[i]) && v[i].num > 0 &&
                (best == SIZE_MAX || v[i].num > v[best].num))
                best = i;
        if (best != SIZE_MAX)
            rp_buf_printf(&b, "; the largest overspend is in %s (%s)",
                          c->cats[best],
                          chart_format(v[best].num, RP_UNIT_GBP, 0, y, sizeof y));
        rp_buf_puts(&b, ".");
        break;
    }
    case CHART_SAVINGS: {
        const rp_value *v = c->series[0].v;
        size_t at = SIZE_MAX;
        for (size_t i = 0; i < c->ncat; i++)
            if (rp_has(v[i]))
                at = i;
        if (at == SIZE_MAX) {
            rp_buf_puts(&b, "No savings forecast is available.");
            break;
        }
        rp_buf_printf(&b, "Savings of %s are forecast at %s",
                      chart_format(v[at].num, RP_UNIT_GBP, 0, x, sizeof x),
                      c->cats[at]);
        if (rp_has(c->total)) {
            rp_num gap;
            /* a gap beyond int64 is left unsaid rather than wrapped */
            int over = __builtin_sub_overflow(c->total.num, v[at].num, &gap);
            rp_buf_printf(&b, " against a target of %s",
                          chart_format(c->total.num, RP_UNIT_GBP, 0, y, sizeof y));
            if (!over && gap > 0)
                rp_buf_printf(&b, ", a shortfall of %s",
                              chart_format(gap, RP_UNIT_GBP, 0, z, sizeof z));
            else if (!over)
                rp_buf_puts(&b, ", meeting the target");
        }
        rp_buf_puts(&b, ".");
        break;
    }
    case CHART_BREAKDOWN: {
        const rp_value *v = c->series[0].v;   /* sorted high to low */
        size_t hi = SIZE_MAX, lo = SIZE_MAX;
        for (size_t i = 0; i < c->ncat; i++)
            if (rp_has(v[i])) {
                if (hi == SIZE_MAX)
                    hi = i;
                lo = i;
            }
        if (hi == SIZE_MAX) {
            rp_buf_printf(&b, "No values are available for %s.", subj);
            break;
        }
        if (hi == lo)
            rp_buf_printf(&b, "%s was %s in %s", subj,
                          chart_format(v[hi].num, c->unit, c->decimals, x,
                                    sizeof x), c->cats[hi]);
        else
            rp_buf_printf(&b, "%s ranged from %s in %s to %s in %s", subj,
                          chart_format(v[hi].num, c->unit, c->decimals, x,
                                    sizeof x), c->cats[hi],
                          chart_format(v[lo].num, c->unit, c->decimals, y,
                                    sizeof y), c->cats[lo]);
        if (rp_has(c->ref[0]))
            rp_buf_printf(&b, ", against %s for the whole authority",
                          chart_format(c->ref[0].num, c->unit, c->decimals, z,
                                    sizeof z));
        rp_buf_puts(&b, ".");
        break;
    }
    case CHART_STACKED: {
        size_t at = SIZE_MAX;
        for (size_t i = 0; i < c->ncat; i++)
            for (size_t s = 0; s < c->nseries; s++)
                if (rp_has(c->series[s].v[i]))
                    at = i;
        if (at == SIZE_MAX) {
            rp_buf_printf(&b, "No values are available for %s.", subj);
            break;
        }
        rp_num tot = 0;
        int over = 0;
        for (size_t s = 0; s < c->nseries; s++)
            if (rp_has(c->series[s].v[at]))
                over |= __builtin_add_overflow(tot, c->series[s].v[at].num,
                                               &tot);
        if (over)       /* a total beyond int64: only the parts are given */
            rp_buf_printf(&b, "%s in %s", subj, c->cats[at]);
        else
            rp_buf_printf(&b, "%s totalled %s in %s", subj,
                          chart_format(tot, c->unit, c->decimals, x, sizeof x),
                          c->cats[at]);
        const char *sep = ": ";
        for (size_t s = 0; s < c->nseries; s++) {
            rp_value v = c->series[s].v[at];
            rp_buf_printf(&b, "%s%s %s", sep, c->series[s].name,
                          rp_has(v) ? chart_format(v.num, c->unit, c->decimals,
                                                y, sizeof y) : "not available");
            sep = ", ";
        }
        rp_buf_puts(&b, ".");
        break;
    }
    case CHART_RAG: {
        size_t k[RP_RAG_COUNT] = { 0 };
        for (size_t i = 0; i < c->ncat; i++)
            for (int j = 0; j < RP_RAG_COUNT; j++)
                k[j] += c->counts[i * RP_RAG_COUNT + (size_t)j];
        size_t g = k[RP_RAG_GREEN], a = k[RP_RAG_AMBER], r = k[RP_RAG_RED],
               none = k[RP_RAG_NONE], rated = g + a + r;
        rp_buf_printf(&b, "Of %zu rated measure%s, %zu %s green, %zu amber "
                      "and %zu red", rated, rated == 1 ? "" : "s", g,
                      g == 1 ? "is" : "are", a, r);
        if (none)
            rp_buf_printf(&b, "; %zu %s not rated", none,
                          none == 1 ? "is" : "are");
        rp_buf_puts(&b, ".");
        break;
    }
    case CHART_SPARK:
        rp_buf_puts(&b, "");
        break;
    }
    free(c->summary);
    c->summary = b.s ? b.s : rp_xstrdup("");
}

int chart_path_walk(const cairo_path_t *p, chart_path_fn fn, void *ctx)
{
    int n = 0;
    for (int i = 0; p && i < p->num_data; i += p->data[i].header.length) {
        const cairo_path_data_t *d = &p->data[i];
        double xy[6] = { 0 };
        int np = d->header.type == CAIRO_PATH_CURVE_TO ? 3
               : d->header.type == CAIRO_PATH_CLOSE_PATH ? 0 : 1;
        for (int k = 0; k < np; k++) {
            xy[2 * k] = d[1 + k].point.x;
            xy[2 * k + 1] = d[1 + k].point.y;
        }
        static const char op[] = { 'M', 'L', 'C', 'Z' };
        if ((unsigned)d->header.type < sizeof op)
            fn(ctx, op[d->header.type], xy);
        n += d->header.type == CAIRO_PATH_MOVE_TO;
        if (d->header.length <= 0)
            break;
    }
    return n;
}
