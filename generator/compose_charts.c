/* compose_charts.c — results → chart figure blocks. Converts model and computed
 * figures into the plain arrays the chart constructors take. */
#include "compose_charts.h"
#include "compose_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The line's series at the periods: the council, target, England, the
 * region and the statistical neighbours. For a count or money, England's and the region's figures
 * are totals for far larger populations (640,000 plans against a
 * council's 8,461): on one axis they would flatten the council's line,
 * so they stay in the tables and out of the chart, in every pack. */
typedef struct line_values {
    char **cats, **groups;
    rp_value *val[5];
    const char *region;     /* the region's name when every point agrees */
    int any, anycomp, region_mixed;
} line_values;

static void line_values_fill(line_values *lv, const model_measure *meas,
                             const rp_period *per, size_t n)
{
    int quarterly = n && per[0].kind == RP_PER_QUARTER;
    int totals = meas->def->unit == RP_UNIT_COUNT ||
                 meas->def->unit == RP_UNIT_GBP;
    rp_value miss = rp_value_missing(RP_MISS_EMPTY);
    for (size_t i = 0; i < n; i++) {
        char b[32];
        if (quarterly) {
            lv->cats[i] = rp_xasprintf("Q%d", per[i].q);
            lv->groups[i] = rp_xstrdup(rp_period_format(rp_fyear(per[i].fy), b,
                                                        sizeof b));
        } else {
            lv->cats[i] = rp_xstrdup(rp_period_format(per[i], b, sizeof b));
        }
        const model_point *p = model_series_at(meas->whole, per[i]);
        lv->val[0][i] = p ? p->value : miss;
        lv->val[1][i] = p ? p->target : miss;
        lv->val[2][i] = p && !totals ? p->national : miss;
        lv->val[3][i] = p && !totals ? p->regional : miss;
        lv->val[4][i] = p && !totals ? p->neighbours : miss;
        if (rp_has(lv->val[3][i]) && p->region && *p->region) {
            lv->region_mixed |= lv->region && strcmp(lv->region, p->region);
            lv->region = p->region;
        }
        lv->any |= p && rp_has(p->value);
        lv->anycomp |= rp_has(lv->val[1][i]) || rp_has(lv->val[2][i]) ||
                       rp_has(lv->val[3][i]) || rp_has(lv->val[4][i]);
    }
}

static chart *line_create(const pack_template *t, const input_measure_row *def,
                          const rp_period *per, size_t n, const line_values *lv)
{
    int quarterly = per[0].kind == RP_PER_QUARTER;
    const char *title0 = def->title ? def->title : "";
    char *id = compose_fig_id(def->id, quarterly ? "quarterly" : "comparators");
    /* say only what is drawn: England and the region when each has a
     * figure */
    int nat = 0, reg = 0;
    for (size_t i = 0; i < n; i++) {
        nat |= rp_has(lv->val[2][i]);
        reg |= rp_has(lv->val[3][i]);
    }
    const char *against = nat && reg ? " against England and the region,"
                          : nat ? " against England,"
                          : reg ? " against the region," : "";
    char *title = quarterly
        ? rp_xasprintf("%s by quarter", title0)
        : rp_xasprintf("%s%s by %s", title0, against,
                       compose_year_kind_words(per[0].kind));
    chart *c = chart_line_create(id, title, def->unit, def->decimals, n,
                                 (const char *const *)lv->cats,
                                 quarterly ? (const char *const *)lv->groups
                                           : NULL);
    free(id);
    free(title);
    chart_set_subject(c, title0);
    chart_line_series(c, CHART_MAIN, t && t->authority && *t->authority
                                     ? t->authority : "This council",
                      lv->val[0]);
    chart_line_series(c, CHART_TARGET, "Target", lv->val[1]);
    chart_line_series(c, CHART_NATIONAL, "England", lv->val[2]);
    /* the region by its name ("West Midlands") when the data or the
     * template know it */
    const char *rname = lv->region && !lv->region_mixed ? lv->region
                        : t && t->region && *t->region ? t->region : "Region";
    chart_line_series(c, CHART_REGIONAL, rname, lv->val[3]);
    chart_line_series(c, CHART_NEIGHBOURS, "Neighbours",
                      lv->val[4]);
    if (def->cumulative && quarterly)
        chart_line_set_cumulative(c, 4);    /* quarters run unbroken */
    return c;
}

int compose_charts_line(document *doc, const pack_template *t,
                        const model_measure *meas, const rp_period *per,
                        size_t n)
{
    if (!meas || !meas->whole || !n)
        return 0;
    line_values lv;
    memset(&lv, 0, sizeof lv);
    lv.cats = rp_xcalloc(n, sizeof *lv.cats);
    lv.groups = rp_xcalloc(n, sizeof *lv.groups);
    for (int k = 0; k < 5; k++)
        lv.val[k] = rp_xcalloc(n, sizeof *lv.val[k]);
    line_values_fill(&lv, meas, per, n);
    /* for annual-only data the bars already show the values; the line
     * earns its place only with comparators or a target */
    int add = lv.any && (per[0].kind == RP_PER_QUARTER || lv.anycomp);
    if (add)
        compose_add_figure(doc, line_create(t, meas->def, per, n, &lv),
                           COMPOSE_H_LINE);
    for (size_t i = 0; i < n; i++) {
        free(lv.cats[i]);
        free(lv.groups[i]);
    }
    for (int k = 0; k < 5; k++)
        free(lv.val[k]);
    free(lv.cats);
    free(lv.groups);
    return add;
}

int compose_charts_measure(document *doc, const pack_template *t, const model *m,
                      const compute_results *r, const model_measure *meas, int years)
{
    (void)t; (void)m;
    if (!meas || !meas->whole)
        return 0;
    if (years < 1)
        years = 3;
    const input_measure_row *def = meas->def;
    rp_unit unit = def->unit;
    int added = 0;

    /* annual bars, by the measure's annual rule (compute) */
    compute_trend tr;
    memset(&tr, 0, sizeof tr);
    compute_trend_for_pack(meas, r->period, years, &tr);
    if (tr.nyears) {
        char **lab = rp_xcalloc(tr.nyears, sizeof *lab);
        rp_value *v = rp_xcalloc(tr.nyears, sizeof *v);
        rp_value *yoy = rp_xcalloc(tr.nyears, sizeof *yoy);
        int *comp = rp_xcalloc(tr.nyears, sizeof *comp);
        for (size_t i = 0; i < tr.nyears; i++) {
            char b[32];
            lab[i] = rp_xstrdup(rp_period_format(tr.years[i].period, b,
                                                 sizeof b));
            v[i] = tr.years[i].value;
            yoy[i] = tr.years[i].yoy_pct;
            comp[i] = tr.years[i].complete;
        }
        char *id = compose_fig_id(def->id, "annual");
        char *title = rp_xasprintf("%s by %s", def->title,
                                   compose_year_kind_words(tr.years[0].period.kind));
        chart *c = chart_annual_create(id, title, unit, def->decimals,
                                       tr.nyears, (const char *const *)lab, v,
                                       comp, yoy);
        chart_set_subject(c, def->title);
        /* a year to date is compared like for like in the caption */
        const compute_year *ly = &tr.years[tr.nyears - 1];
        if (!ly->complete)
            chart_annual_set_ytd(c, ly->from_year_row ? 0 : r->period.q,
                              ly->ytd_prev, ly->ytd_yoy_pct);
        compose_add_figure(doc, c, COMPOSE_H_BARS);
        added++;
        for (size_t i = 0; i < tr.nyears; i++)
            free(lab[i]);
        free(lab); free(v); free(yoy); free(comp); free(id); free(title);
    }
    compute_trend_free(&tr);

    /* quarterly line with target and comparators (a quarterly pack) */
    if (r->period.kind != RP_PER_QUARTER)
        return added;
    rp_period *per;
    size_t n = compose_quarters(r->period.fy - years + 1, r->period, &per);
    added += compose_charts_line(doc, t, meas, per, n);
    free(per);
    return added;
}

int compose_charts_finance(document *doc, const pack_template *t, const model *m,
                      const compute_results *r)
{
    (void)t;
    if (!r->nfinance || r->period.kind != RP_PER_QUARTER)
        return 0;
    int added = 0;
    char per[64], b[32];
    rp_period_long(r->period, per, sizeof per);
    const compute_finance *tot = NULL;
    size_t na = 0;
    const char **names = rp_xcalloc(r->nfinance, sizeof *names);
    rp_value *var = rp_xcalloc(r->nfinance, sizeof *var);
    for (size_t i = 0; i < r->nfinance; i++) {
        if (!strcmp(r->finance[i].service_area, "Total") && i + 1 == r->nfinance) {
            tot = &r->finance[i];
            continue;
        }
        names[na] = r->finance[i].service_area;
        var[na++] = r->finance[i].variance;
    }
    if (na) {
        char *title = rp_xasprintf("Forecast variance against budget, %s", per);
        chart *c = chart_variance_create("finance-variance", title, na, names,
                                         var, tot ? tot->variance
                                                  : rp_value_missing(RP_MISS_EMPTY));
        compose_add_figure(doc, c, 40.0 + 24.0 * (double)(na + 1));
        added++;
        free(title);
    }
    free(names);
    free(var);

    /* savings: the forecasts at each quarter of the pack's year, of the
     * areas that report both savings figures at the pack's quarter (the
     * set the total's target covers), so bars and target compare like
     * with like; the areas left out are named in the title */
    const char *q[4] = { "Q1", "Q2", "Q3", "Q4" };
    rp_value sav[4];
    int any = 0;
    rp_buf left;
    rp_buf_init(&left);
    size_t nleft = 0;
    for (size_t i = 0; i + 1 < r->nfinance; i++)
        if (!rp_has(r->finance[i].savings_target) ||
            !rp_has(r->finance[i].savings_forecast))
            rp_buf_printf(&left, "%s%s", nleft++ ? ", " : "",
                          r->finance[i].service_area);
    for (int k = 0; k < 4; k++) {
        rp_period p = rp_quarter(r->period.fy, k + 1);
        rp_num sum = 0;
        int have = 0, over = 0;
        for (size_t a = 0; m && a < m->nareas; a++) {
            int out = 0;
            for (size_t i = 0; i + 1 < r->nfinance; i++)
                if (r->finance[i].service_area == m->areas[a].name &&
                    (!rp_has(r->finance[i].savings_target) ||
                     !rp_has(r->finance[i].savings_forecast)))
                    out = 1;
            if (out)
                continue;
            for (size_t j = 0; j < m->areas[a].nfinance; j++) {
                const input_finance_row *f = m->areas[a].finance[j];
                if (rp_period_cmp(f->period, p) == 0 &&
                    rp_has(f->savings_forecast)) {
                    /* a total beyond int64 is not available, as in compute */
                    over |= __builtin_add_overflow(sum, f->savings_forecast.num,
                                                   &sum);
                    have = 1;
                }
            }
        }
        sav[k] = have && rp_period_cmp(p, r->period) <= 0
                     ? (over ? rp_value_missing(RP_MISS_X) : rp_value_of(sum))
                     : rp_value_missing(RP_MISS_EMPTY);
        any |= rp_has(sav[k]);
    }
    if (any) {
        char *title = rp_xasprintf("Savings forecast against the %s target%s%s%s",
                                   rp_period_format(rp_fyear(r->period.fy), b,
                                                    sizeof b),
                                   nleft ? " (excluding " : "",
                                   nleft ? left.s : "", nleft ? ")" : "");
        chart *c = chart_savings_create("finance-savings", title, 4, q, sav,
                                        tot ? tot->savings_target_both
                                            : rp_value_missing(RP_MISS_EMPTY));
        compose_add_figure(doc, c, COMPOSE_H_BARS);
        added++;
        free(title);
    }
    rp_buf_free(&left);
    return added;
}

static int stacked_over_time(document *doc, const model_measure *meas,
                             rp_period pq)
{
    enum { NQ = 8 };
    const input_measure_row *def = meas->def;
    size_t nb = meas->nseries - (meas->whole ? 1 : 0);
    const char *cats[NQ], *names[3];
    char lab[NQ][32];
    rp_value v[3 * NQ];
    rp_period p = pq;
    for (int i = NQ - 1; i >= 0; i--) {
        rp_period_format(p, lab[i], sizeof lab[i]);
        cats[i] = lab[i];
        size_t k = 0;
        for (size_t s = 0; s < meas->nseries; s++) {
            const model_series *se = &meas->series[s];
            if (se == meas->whole)
                continue;
            const model_point *pt = model_series_at(se, p);
            names[k] = se->breakdown;
            v[k * NQ + (size_t)i] = pt ? pt->value : rp_value_missing(RP_MISS_EMPTY);
            k++;
        }
        p = rp_period_prev_quarter(p);
    }
    char *id = compose_fig_id(def->id, "breakdown");
    char *title = rp_xasprintf("%s by quarter and %s", def->title,
                               nb == 2 ? "type" : "part");
    chart *c = chart_stacked_create(id, title, def->unit,
                                    def->decimals, NQ, cats, nb, names, v);
    chart_set_subject(c, def->title);
    compose_add_figure(doc, c, COMPOSE_H_BARS);
    free(id);
    free(title);
    return 1;
}

int compose_charts_breakdowns(document *doc, const pack_template *t,
                         const model *m, const compute_results *r, size_t area)
{
    if (!m || area >= m->nareas)
        return 0;
    const model_area *a = &m->areas[area];
    const model_measure **ms = rp_xcalloc(a->nmeasures + 1, sizeof *ms);
    for (size_t i = 0; i < a->nmeasures; i++)
        ms[i] = &m->measures[a->measures[i]];
    int added = compose_charts_breakdowns_of(doc, t, m, r, ms, a->nmeasures);
    free(ms);
    return added;
}

int compose_charts_breakdowns_of(document *doc, const pack_template *t,
                                 const model *m, const compute_results *r,
                                 const model_measure *const *ms, size_t nms)
{
    (void)t;
    if (!m || r->period.kind != RP_PER_QUARTER)
        return 0;
    int added = 0;
    for (size_t i = 0; i < nms; i++) {
        const model_measure *meas = ms[i];
        size_t nb = meas->nseries - (meas->whole ? 1 : 0);
        if (!nb)
            continue;
        const input_measure_row *def = meas->def;
        if (def->unit == RP_UNIT_GBP && nb <= 3) {
            added += stacked_over_time(doc, meas, r->period);
            continue;
        }
        const char **names = rp_xcalloc(nb, sizeof *names);
        rp_value *v = rp_xcalloc(nb, sizeof *v);
        size_t k = 0;
        for (size_t s = 0; s < meas->nseries; s++) {
            const model_series *se = &meas->series[s];
            if (se == meas->whole)
                continue;
            const model_point *p = model_series_at(se, r->period);
            names[k] = se->breakdown;
            v[k++] = p ? p->value : rp_value_missing(RP_MISS_EMPTY);
        }
        const model_point *w = meas->whole
            ? model_series_at(meas->whole, r->period)
            : NULL;
        rp_value miss = rp_value_missing(RP_MISS_EMPTY);
        char per[32];
        char *id = compose_fig_id(def->id, "breakdown");
        char *title = rp_xasprintf("%s by area, %s", def->title,
                                   rp_period_format(r->period, per, sizeof per));
        chart *c = chart_breakdown_create(id, title, def->unit,
                                          def->decimals, nb, names, v,
                                          w ? w->value : miss,
                                          w ? w->national : miss,
                                          w ? w->regional : miss);
        chart_set_subject(c, def->title);
        compose_add_figure(doc, c, 50.0 + 18.0 * (double)nb);
        added++;
        free(id); free(title); free(names); free(v);
    }
    return added;
}

int compose_charts_summary(document *doc, const pack_template *t, const model *m,
                      const compute_results *r)
{
    (void)t; (void)m;
    size_t n = 0;
    const char **names = rp_xcalloc(r->nareas + 1, sizeof *names);
    size_t *counts = rp_xcalloc(r->nareas * RP_RAG_COUNT + 1, sizeof *counts);
    for (size_t i = 0; i < r->nareas; i++) {
        const compute_area *a = &r->areas[i];
        if (!a->nratings)
            continue;
        names[n] = a->area->name;
        /* chart order: green, amber, red, not rated */
        memcpy(&counts[n * RP_RAG_COUNT], a->counts,
               RP_RAG_COUNT * sizeof *counts);
        n++;
    }
    int added = 0;
    if (n) {
        char per[64];
        char *title = rp_xasprintf("Measures by rating and service area, %s",
                                   rp_period_format(r->period, per, sizeof per));
        chart *c = chart_rag_create("summary-ratings", title, n, names, counts);
        compose_add_figure(doc, c, 50.0 + 26.0 * (double)n);
        added = 1;
        free(title);
    }
    free(names);
    free(counts);
    return added;
}

chart *compose_charts_spark(const model_series *s, rp_period pack_quarter,
                          int nquarters)
{
    if (!s || nquarters < 2 || pack_quarter.kind != RP_PER_QUARTER)
        return NULL;
    rp_value *v = rp_xcalloc((size_t)nquarters, sizeof *v);
    rp_period p = pack_quarter;
    int any = 0;
    for (int i = nquarters - 1; i >= 0; i--) {
        const model_point *pt = model_series_at(s, p);
        v[i] = pt ? pt->value : rp_value_missing(RP_MISS_EMPTY);
        any |= rp_has(v[i]);
        p = rp_period_prev_quarter(p);
    }
    chart *c = any ? chart_spark_create((size_t)nquarters, v) : NULL;
    free(v);
    return c;
}
