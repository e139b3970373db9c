/* compose_trend.c — compose an ad hoc trend pack (`ragpack trend`): for each
 * chosen measure the annual figures with year-on-year change, charts,
 * comparators, breakdown and data-quality notes. Years are labelled as
 * the data gives them: quarterly measures by financial year, annual-only
 * measures by their own financial, calendar or academic year. */
#include "compose_charts.h"
#include "compose_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>


static const char *or_empty(const char *s) { return s ? s : ""; }

/* ---- formatting ----------------------------------------------------------- */

/* The change cell of a year, as in the committee pack. */
static int fmt_change_cell(const compute_trend *ts, const compute_year *y, char *buf,
                           size_t len)
{
    return compose_fmt_year_change(ts->measure->def, y, buf, len);
}

/* "2023/24 (year to date, Q1–Q3)" or the plain label. */
static char *year_label(const compute_year *y, char *buf, size_t len)
{
    char p[32];
    rp_period_format(y->period, p, sizeof p);
    if (!y->complete)
        snprintf(buf, len, "%s (year to date, Q1\u2013Q%d)", p, y->lastq);
    else
        snprintf(buf, len, "%s", p);
    return buf;
}

/* ---- figures ---------------------------------------------------------------- */

static void annual_chart(document *d, const compute_trend *ts)
{
    const input_measure_row *def = ts->measure->def;
    size_t n = ts->nyears;
    char **lab = rp_xcalloc(n, sizeof *lab);
    rp_value *v = rp_xcalloc(n, sizeof *v), *yoy = rp_xcalloc(n, sizeof *yoy);
    int *comp = rp_xcalloc(n, sizeof *comp);
    for (size_t i = 0; i < n; i++) {
        char b[32];
        lab[i] = rp_xstrdup(rp_period_format(ts->years[i].period, b, sizeof b));
        v[i] = ts->years[i].value;
        yoy[i] = ts->years[i].yoy_pct;
        comp[i] = ts->years[i].complete;
    }
    char *id = compose_fig_id(def->id, "annual");
    char *title = rp_xasprintf("%s by %s", or_empty(def->title),
                               compose_year_kind_words(ts->years[0].period.kind));
    chart *c = chart_annual_create(id, title, def->unit, def->decimals,
                                   n, (const char *const *)lab, v, comp, yoy);
    chart_set_subject(c, or_empty(def->title));
    const compute_year *last = &ts->years[n - 1];
    if (compute_year_is_ytd(last))
        chart_annual_set_ytd(c, last->lastq, last->ytd_prev, last->ytd_yoy_pct);
    compose_add_figure(d, c, COMPOSE_H_BARS);
    for (size_t i = 0; i < n; i++)
        free(lab[i]);
    free(lab); free(v); free(yoy); free(comp); free(id); free(title);
}

/* Quarters from Q1 of the first year shown to the pack's quarter. */
static size_t quarter_span(const compute_trend *ts, rp_period **out)
{
    const compute_year *last = &ts->years[ts->nyears - 1];
    return compose_quarters(ts->years[0].period.fy,
                            rp_quarter(last->period.fy, last->lastq), out);
}

/* A line over quarters (quarterly measures) or over the years shown
 * (annual-only measures), with target and comparators where present. */
static void line_chart(document *d, const pack_template *t, const compute_trend *ts)
{
    rp_period *per = NULL;
    size_t n;
    if (ts->quarterly) {
        n = quarter_span(ts, &per);
    } else {
        n = ts->nyears;
        per = rp_xcalloc(n, sizeof *per);
        for (size_t i = 0; i < n; i++)
            per[i] = ts->years[i].period;
    }
    compose_charts_line(d, t, ts->measure, per, n);
    free(per);
}

/* ---- tables ------------------------------------------------------------------ */

/* The benchmark columns after a trend table's own, as in the committee
 * pack: England, the region (by name), the statistical neighbours and
 * the rank among authorities, each only when some row has it. A row's
 * England and region figures come with it (a year's may be combined from
 * its quarters); neighbours and rank only from its own kpi row (p). */
typedef struct bench_cols {
    int nat, reg, nbr, rank;
    compose_region region;
} bench_cols;

static void bench_see(bench_cols *b, rp_value nat, rp_value reg,
                      const model_point *p)
{
    b->nat |= rp_has(nat);
    b->reg |= rp_has(reg);
    if (p && rp_has(reg))
        compose_region_add(&b->region, p->region);
    b->nbr |= p && rp_has(p->neighbours);
    b->rank |= p && p->ranked > 0;
}

/* Appends the headings and widths from column nc on; the new count. */
static size_t bench_headers(const bench_cols *b, const pack_template *t,
                            const char **hd, double *w, size_t nc)
{
    if (b->nat) { hd[nc] = "England"; w[nc++] = 1.5; }
    if (b->reg) {
        hd[nc] = compose_region_heading(&b->region, t, "Region");
        w[nc++] = 1.6;
    }
    if (b->nbr) { hd[nc] = "Neighbours"; w[nc++] = 1.6; }
    if (b->rank) { hd[nc] = "Rank among authorities"; w[nc++] = 2.6; }
    return nc;
}

static void bench_cells(const bench_cols *b, doc_cell *row, size_t c,
                        compose_notes *ns, const input_measure_row *def,
                        rp_value nat, rp_value reg, const model_point *p)
{
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    if (b->nat)
        compose_cell_value(&row[c++], ns, def, nat, "no comparator provided");
    if (b->reg)
        compose_cell_value(&row[c++], ns, def, reg, "no comparator provided");
    if (b->nbr)
        compose_cell_value(&row[c++], ns, def, p ? p->neighbours : none,
                           "no comparator provided");
    if (b->rank) {
        if (p && p->ranked > 0) {
            char buf[64];
            compose_rank_text(p->rank, p->ranked, buf, sizeof buf);
            doc_cell_set(&row[c], buf, DOC_RIGHT);
        } else {
            doc_cell_set(&row[c], COMPOSE_NA, DOC_RIGHT);
            row[c].footnote = compose_note_ref(ns, "no rank provided");
        }
    }
}

/* The kpi row of a year: a whole-year row (an annual-only measure's, or
 * one given beside the quarters), else NULL. */
static const model_point *year_point(const compute_trend *ts,
                                     const compute_year *y)
{
    return ts->series && y->from_year_row ? model_series_at(ts->series, y->period)
                                          : NULL;
}

static void annual_table(document *d, const pack_template *tp,
                         const compute_trend *ts)
{
    const input_measure_row *def = ts->measure->def;
    bench_cols bc = { 0 };
    for (size_t i = 0; i < ts->nyears; i++)
        bench_see(&bc, ts->years[i].national, ts->years[i].regional,
                  year_point(ts, &ts->years[i]));
    const char *hd[7] = { "Year", "Value", "Change on previous year" };
    double w[7] = { 2.8, 1.4, 4.4 };
    size_t nc = bench_headers(&bc, tp, hd, w, 3);
    doc_block *t = doc_add_table(d, nc, w, 1);
    char *name = compose_measure_name(ts->measure);
    char *sum = rp_xasprintf("%s by %s, with the change on the year before%s.",
                             name, compose_year_kind_words(ts->years[0].period.kind),
                             nc > 3 ? " and comparators" : "");
    doc_set_text(&t->as.table.summary, sum);
    free(sum);
    free(name);
    compose_header_row(t, hd, nc);
    compose_notes ns = { { 0 }, 0 };
    for (size_t i = 0; i < ts->nyears; i++) {
        const compute_year *y = &ts->years[i];
        char lab[96];
        doc_cell *row = doc_table_add_row(t);
        doc_cell_set(&row[0], year_label(y, lab, sizeof lab), DOC_LEFT);
        compose_cell_value(&row[1], &ns, def, y->value, "no value for this year");
        char buf[448];
        int has = fmt_change_cell(ts, y, buf, sizeof buf);
        doc_cell_set(&row[2], buf, DOC_RIGHT);
        if (!has)
            row[2].footnote = compose_note_ref(&ns, compose_no_change_why(y, i == 0));
        bench_cells(&bc, row, 3, &ns, def, y->national, y->regional,
                    year_point(ts, y));
    }
    compose_notes_flush(d, &ns);
}

static void quarter_table(document *d, const pack_template *tp,
                          const compute_trend *ts)
{
    const model_measure *x = ts->measure;
    rp_period *per;
    size_t n = quarter_span(ts, &per);
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    int tg = 0;
    bench_cols bc = { 0 };
    for (size_t i = 0; i < n; i++) {
        const model_point *p = model_series_at(x->whole, per[i]);
        tg |= p && rp_has(p->target);
        bench_see(&bc, p ? p->national : none, p ? p->regional : none, p);
    }
    const char *hd[7] = { "Quarter", "Value" };
    double w[7] = { 3.0, 1.7 };
    size_t nc = 2;
    if (tg) { hd[nc] = "Target"; w[nc++] = 1.5; }
    size_t first_bench = nc;
    nc = bench_headers(&bc, tp, hd, w, nc);
    doc_add_heading(d, 3, NULL, "By quarter");
    doc_block *t = doc_add_table(d, nc, w, 1);
    char *sum = rp_xasprintf("%s by quarter.", or_empty(x->def->title));
    doc_set_text(&t->as.table.summary, sum);
    free(sum);
    compose_header_row(t, hd, nc);
    compose_notes ns = { { 0 }, 0 };
    for (size_t i = 0; i < n; i++) {
        const model_point *p = model_series_at(x->whole, per[i]);
        char lab[32];
        doc_cell *row = doc_table_add_row(t);
        doc_cell_set(&row[0], rp_period_format(per[i], lab, sizeof lab), DOC_LEFT);
        compose_cell_value(&row[1], &ns, x->def, p ? p->value : none,
                   "no value for this quarter");
        if (tg)
            compose_cell_value(&row[2], &ns, x->def, p ? p->target : none, "no target set");
        bench_cells(&bc, row, first_bench, &ns, x->def,
                    p ? p->national : none, p ? p->regional : none, p);
    }
    compose_notes_flush(d, &ns);
    free(per);
}

/* The breakdown at the pack's period (its latest period for annual-only
 * measures) against the same period a year earlier: table and chart. */
static void breakdown(document *d, const compute_trend *ts)
{
    const model_measure *x = ts->measure;
    if (x->nseries < 2 || !ts->nyears)
        return;
    const compute_year *ly = &ts->years[ts->nyears - 1];
    rp_period at = ts->quarterly ? rp_quarter(ly->period.fy, ly->lastq)
                                 : ly->period;
    rp_period before = at;
    before.fy--;
    char pa[32], pb[32];
    rp_period_format(at, pa, sizeof pa);
    rp_period_format(before, pb, sizeof pb);
    doc_add_heading(d, 3, NULL, "Breakdown");
    static const double w[4] = { 3.4, 1.8, 1.8, 2.4 };
    const char *hd[4] = { "Breakdown", pa, pb, "Change" };
    doc_block *t = doc_add_table(d, 4, w, 1);
    char *sum = rp_xasprintf("%s by breakdown in %s and %s, with the whole "
                             "authority last.", or_empty(x->def->title), pa, pb);
    doc_set_text(&t->as.table.summary, sum);
    free(sum);
    compose_header_row(t, hd, 4);
    compose_notes ns = { { 0 }, 0 };
    const char **names = rp_xcalloc(x->nseries, sizeof *names);
    rp_value *vals = rp_xcalloc(x->nseries, sizeof *vals);
    size_t nb = 0;
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    for (size_t k = 0; k <= x->nseries; k++) {
        const model_series *se = k < x->nseries ? &x->series[k] : x->whole;
        if (!se || (k < x->nseries && se == x->whole))
            continue;
        const model_point *p = model_series_at(se, at), *q = model_series_at(se, before);
        rp_value v = p ? p->value : none, b = q ? q->value : none;
        doc_cell *row = doc_table_add_row(t);
        doc_cell_set(&row[0], se == x->whole ? "Whole authority"
                                            : or_empty(se->breakdown), DOC_LEFT);
        compose_cell_value(&row[1], &ns, x->def, v, "no value for this period");
        compose_cell_value(&row[2], &ns, x->def, b, "no value for this period");
        char ch[96];
        if (compose_fmt_change(x->def, compute_change(v, b),
                               compute_pct_change(v, b), ch, sizeof ch)) {
            doc_cell_set(&row[3], ch, DOC_RIGHT);
        } else {
            doc_cell_set(&row[3], COMPOSE_NA, DOC_RIGHT);
            row[3].footnote = compose_note_ref(&ns, "cannot be compared");
        }
        if (se != x->whole) {
            names[nb] = or_empty(se->breakdown);
            vals[nb++] = v;
        }
    }
    t->as.table.total_last = x->whole != NULL;
    compose_notes_flush(d, &ns);
    if (nb) {
        const model_point *wp = x->whole ? model_series_at(x->whole, at) : NULL;
        char *id = compose_fig_id(x->def->id, "breakdown");
        char *title = rp_xasprintf("%s by breakdown, %s", or_empty(x->def->title), pa);
        chart *c = chart_breakdown_create(id, title, x->def->unit,
                                          x->def->decimals, nb, names, vals,
                                          wp ? wp->value : none,
                                          wp ? wp->national : none,
                                          wp ? wp->regional : none);
        chart_set_subject(c, or_empty(x->def->title));
        compose_add_figure(d, c, 40.0 + 22.0 * (double)(nb + 1));
        free(id);
        free(title);
    }
    free(names);
    free(vals);
}

/* ---- data-quality notes ------------------------------------------------------ */

typedef struct lines { char **v; size_t n, cap; } lines;

static void note_add(lines *ls, char *s)   /* takes s */
{
    rp_grow((void **)&ls->v, &ls->cap, ls->n + 1, sizeof *ls->v);
    ls->v[ls->n++] = s;
}

static void dq_notes(document *d, const compose_trend_options *o, const compute_trend *ts)
{
    const model_measure *x = ts->measure;
    doc_add_heading(d, 3, NULL, "Data quality");
    lines ls = { NULL, 0, 0 };
    char *yearly = NULL;
    if (!ts->quarterly && ts->nyears) {
        int k = ts->years[0].period.kind;
        yearly = rp_xasprintf("Reported once a year, by %s%s; the figures "
                              "are shown against the years as published.",
                              compose_year_kind_words(k),
                              k == RP_PER_AYEAR ? " (September to August)"
                              : k == RP_PER_CYEAR ? " (January to December)"
                              : " (April to March)");
    }
    /* missing or suppressed values of the whole authority in the span */
    for (size_t i = 0; i < ts->nyears; i++) {
        const compute_year *y = &ts->years[i];
        char lab[32];
        if (ts->quarterly) {
            for (int q = 1; q <= y->lastq; q++) {
                rp_period p = rp_quarter(y->period.fy, q);
                const model_point *pt = model_series_at(x->whole, p);
                if (pt && rp_has(pt->value))
                    continue;
                char *s = rp_xasprintf("%s: %s.", rp_period_format(p, lab, sizeof lab),
                                       pt ? rp_miss_reason(pt->value.miss)
                                          : "no value in the data");
                note_add(&ls, s);
            }
        } else if (!rp_has(y->value)) {
            const model_point *pt = model_series_at(x->whole, y->period);
            char *s = rp_xasprintf("%s: %s.",
                                   rp_period_format(y->period, lab, sizeof lab),
                                   pt ? rp_miss_reason(pt->value.miss)
                                      : "no value in the data");
            note_add(&ls, s);
        }
    }
    /* the pack's own findings for this measure (stale, no target,
     * breakdown gaps); whole-authority gaps are listed above */
    for (size_t i = 0; o->r && i < o->r->ndq; i++) {
        const compute_quality *q = &o->r->dq[i];
        int whole_gap = (q->kind == COMPUTE_QUALITY_MISSING || q->kind == COMPUTE_QUALITY_SUPPRESSED)
                        && (!q->breakdown || !q->breakdown[0]);
        if (q->measure != x || whole_gap || q->kind == COMPUTE_QUALITY_YEARLY)
            continue;
        char lab[32];
        rp_period_format(q->period, lab, sizeof lab);
        /* compute's notes are sentences that name their period already */
        char *s = q->note
            ? (q->breakdown && q->breakdown[0]
                   ? rp_xasprintf("%s: %s", q->breakdown, q->note)
                   : rp_xstrdup(q->note))
            : (q->breakdown && q->breakdown[0]
                   ? rp_xasprintf("%s, %s: %s", q->breakdown, lab,
                                  rp_miss_reason(q->miss))
                   : rp_xasprintf("%s: %s", lab, rp_miss_reason(q->miss)));
        size_t n = strlen(s);
        if (n && s[n - 1] != '.') {
            char *t = rp_xasprintf("%s.", s);
            free(s);
            s = t;
        }
        note_add(&ls, s);
    }
    /* how the measure is reported first, then each gap */
    if (ls.n == 0) {
        char *s = rp_xasprintf("%s%sNo values are missing or suppressed in "
                               "the years shown.", yearly ? yearly : "",
                               yearly ? " " : "");
        doc_add_paragraph(d, s);
        free(s);
    } else if (yearly) {
        doc_add_paragraph(d, yearly);
    }
    free(yearly);
    for (size_t i = 0; i < ls.n; i++) {
        doc_add_paragraph(d, ls.v[i]);
        free(ls.v[i]);
    }
    free(ls.v);
}

/* ---- sections ------------------------------------------------------------------ */

static const char *annual_rule_words(input_annual a)
{
    switch (a) {
    case INPUT_ANNUAL_SUM:  return "the total of its quarters";
    case INPUT_ANNUAL_MEAN: return "the average of its quarters";
    default:             return "the value at its last quarter";
    }
}

/* ", 2.1% higher than <what><prev>" (points for a percentage), or
 * ", the same as <what><prev>". */
static void change_words(rp_buf *b, const input_measure_row *def, rp_value value,
                         rp_value before, rp_value pct, const char *what,
                         const char *prev)
{
    if (pct.num == 0) {
        rp_buf_printf(b, ", the same as %s%s", what, prev);
        return;
    }
    char amount[80], num[48];
    rp_num dd;
    /* points only when the difference fits int64 (else the relative) */
    if (def->unit == RP_UNIT_PERCENT && rp_has(value) && rp_has(before)
        && !__builtin_sub_overflow(value.num, before.num, &dd)
        && dd != INT64_MIN) {
        rp_num_format(rp_num_abs(dd), 1, 1, num, sizeof num);
        snprintf(amount, sizeof amount, "%s percentage points", num);
    } else {
        rp_num a = pct.num < 0 ? -pct.num : pct.num;
        rp_num_format(a, 1, 1, num, sizeof num);
        snprintf(amount, sizeof amount, "%s%%", num);
    }
    rp_buf_printf(b, ", %s %s than %s%s", amount,
                  pct.num > 0 ? "higher" : "lower", what, prev);
}

/* One sentence from the figures: latest year against the one before. */
static void lead_sentence(document *d, const model *m, const compute_trend *ts)
{
    const model_measure *x = ts->measure;
    const input_measure_row *def = x->def;
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_printf(&b, "%s. ", x->area < m->nareas ? m->areas[x->area].name : "");
    if (ts->quarterly)
        rp_buf_printf(&b, "Reported quarterly; a year's figure is %s. ",
                      def->cumulative
                          ? "its year-to-date value at the fourth quarter "
                            "(a cumulative figure)"
                          : annual_rule_words(def->annual));
    const compute_year *y = ts->nyears ? &ts->years[ts->nyears - 1] : NULL;
    if (y && rp_has(y->value)) {
        char v[64], lab[96], prev[32];
        rp_buf_printf(&b, "The figure for %s is %s",
                      year_label(y, lab, sizeof lab),
                      compose_fmt_value(def, y->value.num, v, sizeof v));
        rp_period_format(rp_fyear(y->period.fy - 1), prev, sizeof prev);
        if (ts->nyears > 1)
            rp_period_format(ts->years[ts->nyears - 2].period, prev,
                             sizeof prev);
        rp_value sp = y->ytd_prev, spct = y->ytd_yoy_pct;
        if (compute_year_is_ytd(y)) {
            /* a part year: like for like, then the whole year as a figure
             * (a part year is never "lower" than a full one) */
            if (rp_has(spct))
                change_words(&b, def, y->value, sp, spct,
                             "in the same quarters of ", prev);
            const compute_year *py = ts->nyears > 1 ? &ts->years[ts->nyears - 2]
                                                : NULL;
            if (py && rp_has(py->value))
                rp_buf_printf(&b, "; the whole of %s was %s", prev,
                              compose_fmt_value(def, py->value.num, v, sizeof v));
        } else if (rp_has(y->yoy_pct) && ts->nyears > 1) {
            change_words(&b, def, y->value, y->before, y->yoy_pct, "", prev);
        }
        rp_buf_puts(&b, ".");
    } else if (y) {
        char lab[96];
        rp_buf_printf(&b, "There is no figure for %s.",
                      year_label(y, lab, sizeof lab));
    }
    doc_add_paragraph(d, b.s);
    rp_buf_free(&b);
}

static void measure_section(const pack_template *t, const model *m,
                            const compose_trend_options *o, const compute_trend *ts,
                            document *d)
{
    const model_measure *x = ts->measure;
    char *anc = compose_slug("trend-", x->def->id);
    char *name = compose_measure_name(x);
    doc_add_heading(d, 1, anc, name);
    free(anc);
    free(name);
    if (!ts->nyears) {
        doc_add_paragraph(d, "There are no figures for this measure up to the "
                            "pack's period.");
        return;
    }
    lead_sentence(d, m, ts);
    doc_add_heading(d, 3, NULL, "By year");
    annual_table(d, t, ts);
    if (!ts->quarterly || o->by != COMPOSE_BY_QUARTER)
        ; /* annual only, or the default: no quarterly table */
    else
        quarter_table(d, t, ts);
    annual_chart(d, ts);
    if (o->by != COMPOSE_BY_YEAR)
        line_chart(d, t, ts);
    breakdown(d, ts);
    dq_notes(d, o, ts);
}

/* "Quarter 3 2023/24 (October–December 2023)", "the academic year
 * 2024/25 (September 2024 to August 2025)", "calendar year 2024". */
static char *period_words(rp_period p, char *buf, size_t len)
{
    char f[32];
    rp_period_format(rp_fyear(p.fy), f, sizeof f);
    switch (p.kind) {
    case RP_PER_AYEAR:
        snprintf(buf, len, "the academic year %s (September %d to August %d)",
                 f, p.fy, p.fy + 1);
        return buf;
    case RP_PER_CYEAR:
        snprintf(buf, len, "the calendar year %d", p.fy);
        return buf;
    case RP_PER_FYEAR:
        snprintf(buf, len, "the financial year %s (April %d to March %d)",
                 f, p.fy, p.fy + 1);
        return buf;
    default:
        return rp_period_long(p, buf, len);
    }
}

/* Page one: what the pack holds and each measure's latest year. */
static void overview(const pack_template *t, const model *m,
                     const compose_trend_options *o, const compute_trend *ts, document *d)
{
    (void)m;
    doc_add_heading(d, 1, "overview", or_empty(t->title));
    char per[128];
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_printf(&b, "Trends over %d years for %zu measure%s, up to %s. ",
                  o->years, o->nmeasures, o->nmeasures == 1 ? "" : "s",
                  period_words(o->period, per, sizeof per));
    int quarterly = 0, yearly = 0;
    for (size_t i = 0; i < o->nmeasures; i++) {
        quarterly |= ts[i].quarterly;
        yearly |= !ts[i].quarterly && ts[i].nyears;
    }
    if (quarterly)
        rp_buf_puts(&b, "Quarterly measures are shown by financial year (April "
                        "to March), the current year to date marked as such. ");
    if (yearly)
        rp_buf_puts(&b, "Measures published once a year keep their own "
                        "financial, calendar or academic years. ");
    rp_buf_puts(&b, "Change on the previous year is the difference in the "
                    "measure's unit with, beside it, that difference as a "
                    "percentage of the earlier year's figure");
    if (quarterly)
        rp_buf_puts(&b, "; a year to date is compared both with the whole "
                        "of the year before (the figure in trends.csv) and, "
                        "like for like, with the same quarters of the year "
                        "before");
    rp_buf_puts(&b, ". A percentage's change is in percentage points "
                    "only (2.3% to 7.4% is +5.1 pts).");
    doc_add_paragraph(d, b.s);
    rp_buf_free(&b);
    static const double w[4] = { 3.6, 2.4, 1.4, 3.3 };
    static const char *const hd[4] = { "Measure", "Latest year", "Value",
                                       "Change" };
    doc_block *tb = doc_add_table(d, 4, w, 1);
    doc_set_text(&tb->as.table.summary, "Each measure's latest year, its "
                    "value and the change on the year before.");
    compose_header_row(tb, hd, 4);
    compose_notes ns = { { 0 }, 0 };
    for (size_t i = 0; i < o->nmeasures; i++) {
        const compute_trend *s = &ts[i];
        doc_cell *row = doc_table_add_row(tb);
        char *name = compose_measure_name(s->measure);
        doc_cell_set(&row[0], name, DOC_LEFT);
        free(name);
        if (!s->nyears) {
            for (int c = 1; c < 4; c++) {
                doc_cell_set(&row[c], COMPOSE_NA, c == 1 ? DOC_LEFT : DOC_RIGHT);
                row[c].footnote = compose_note_ref(&ns, "no figures up to this period");
            }
            continue;
        }
        const compute_year *y = &s->years[s->nyears - 1];
        char lab[96];
        doc_cell_set(&row[1], year_label(y, lab, sizeof lab), DOC_RIGHT);
        compose_cell_value(&row[2], &ns, s->measure->def, y->value,
                   "no value for this year");
        char pct[448];
        if (fmt_change_cell(s, y, pct, sizeof pct)) {
            doc_cell_set(&row[3], pct, DOC_RIGHT);
        } else {
            doc_cell_set(&row[3], COMPOSE_NA, DOC_RIGHT);
            row[3].footnote = compose_note_ref(&ns, "no figure for the year before");
        }
    }
    compose_notes_flush(d, &ns);
}

int compose_trend(const pack_template *t, const model *m,
                     const compose_trend_options *o, document *doc, rp_errors *errs)
{
    if (!o->nmeasures || !o->period.kind || !o->trends) {
        rp_err(errs, NULL, 0, NULL, "a trend pack needs measures, their "
               "trends and a period");
        return -1;
    }
    char per[64];
    rp_period_format(o->period, per, sizeof per);
    compose_running_words(t, per, doc);

    overview(t, m, o, o->trends, doc);
    for (size_t i = 0; i < o->nmeasures; i++)
        measure_section(t, m, o, &o->trends[i], doc);
    return 0;
}
