/* compute.c — compute: RAG, direction of travel, roll-up, finance, trends and
 * data-quality findings. Every rule works on rp_num fixed point with
 * 128-bit intermediates; no binary floating point decides anything. */
#include "compute.h"

#include <stdlib.h>
#include <string.h>

/* ---- checked arithmetic: an overflow gives a missing value, never UB --- */

/* a + b (or a − b): the first missing operand's reason when either is
 * missing, and "not available" when the result does not fit. */
static rp_value v_arith(rp_value a, rp_value b, int sub)
{
    if (!rp_has(a))
        return a;
    if (!rp_has(b))
        return b;
    rp_num s;
    if (sub ? __builtin_sub_overflow(a.num, b.num, &s)
            : __builtin_add_overflow(a.num, b.num, &s))
        return rp_value_missing(RP_MISS_X);
    return rp_value_of(s);
}

static rp_value v_add(rp_value a, rp_value b) { return v_arith(a, b, 0); }
static rp_value v_sub(rp_value a, rp_value b) { return v_arith(a, b, 1); }

/* a × 100 / |b| as a percentage, 6 dp half away from zero; missing when
 * either is missing, b is 0, or the result does not fit. */
static rp_value v_pct(rp_value a, rp_value b, int abs_b)
{
    if (!rp_has(a))
        return a;
    if (!rp_has(b))
        return b;
    if (b.num == 0)
        return rp_value_missing(RP_MISS_X);
    __int128 den = b.num;
    if (abs_b && den < 0)
        den = -den;
    __int128 q = (__int128)a.num * 100 * RP_SCALE / den;
    if (q > INT64_MAX / 2 || q < -(INT64_MAX / 2))
        return rp_value_missing(RP_MISS_X);
    return rp_value_of(rp_num_muldiv(a.num, 100 * RP_SCALE, (rp_num)den));
}

/* ---- single rules --------------------------------------------------------- */

rp_rag compute_rag(rp_value value, rp_value target, input_polarity pol,
                   int tol_relative, rp_num tolerance)
{
    if (pol == INPUT_POL_NONE || !rp_has(value) || !rp_has(target))
        return RP_RAG_NONE;
    /* How far the value falls short of the target, in millionths. */
    __int128 miss = pol == INPUT_POL_HIGHER
                        ? (__int128)target.num - value.num
                        : (__int128)value.num - target.num;
    if (miss <= 0)
        return RP_RAG_GREEN;
    __int128 tol = tolerance < 0 ? 0 : tolerance;
    int amber;
    if (tol_relative) {
        /* miss ≤ tol% × |target|, scaled: miss·100·S ≤ tol·|target|. */
        __int128 t = target.num < 0 ? -(__int128)target.num : target.num;
        amber = miss * 100 * RP_SCALE <= tol * t;
    } else {
        amber = miss <= tol;
    }
    return amber ? RP_RAG_AMBER : RP_RAG_RED;
}

rp_direction compute_direction(rp_value now, rp_value before, input_polarity pol)
{
    if (pol == INPUT_POL_NONE || !rp_has(now) || !rp_has(before))
        return RP_DIR_NONE;
    if (now.num == before.num)
        return RP_DIR_NO_CHANGE;
    int up = now.num > before.num;
    return up == (pol == INPUT_POL_HIGHER) ? RP_DIR_IMPROVING : RP_DIR_WORSENING;
}

/* ---- roll-up ------------------------------------------------------------- */

void compute_options_default(compute_options *o)
{
    memset(o, 0, sizeof *o);
    o->rollup = RP_ROLLUP_SCORE;
    o->green_at = 2500000;
    o->amber_at = 1750000;
    o->trend_years = 3;
    o->stale_quarters = 2;
    o->small_denominator = 30;
}

int compute_quartile(int rank, int ranked)
{
    if (rank < 1 || ranked < 1 || rank > ranked)
        return 0;
    /* the first quarter of positions (rounded up) is the 1st quartile */
    return (int)(((long)(rank - 1) * 4) / ranked) + 1;
}

rp_rag compute_rollup(const compute_options *o, const size_t counts[RP_RAG_COUNT])
{
    size_t g = counts[RP_RAG_GREEN], a = counts[RP_RAG_AMBER],
           r = counts[RP_RAG_RED];
    size_t n = g + a + r;
    if (n == 0)
        return RP_RAG_NONE;
    switch (o->rollup) {
    case RP_ROLLUP_WORST:
        return r ? RP_RAG_RED : a ? RP_RAG_AMBER : RP_RAG_GREEN;
    case RP_ROLLUP_MAJORITY:
        /* Ties go to the worse rating, so test the worst first. */
        if (r >= a && r >= g)
            return RP_RAG_RED;
        if (a >= g)
            return RP_RAG_AMBER;
        return RP_RAG_GREEN;
    case RP_ROLLUP_SCORE:
    default: {
        /* mean = sum/n; mean ≥ x  ⇔  sum·S ≥ x·n (x in millionths). */
        __int128 sum = (__int128)3 * g + (__int128)2 * a + (__int128)r;
        __int128 lhs = sum * RP_SCALE;
        if (lhs >= (__int128)o->green_at * (__int128)n)
            return RP_RAG_GREEN;
        if (lhs >= (__int128)o->amber_at * (__int128)n)
            return RP_RAG_AMBER;
        return RP_RAG_RED;
    }
    }
}

/* ---- periods as months -------------------------------------------------- */

long compute_end_month(rp_period p)
{
    switch (p.kind) {
    case RP_PER_QUARTER: return (long)p.fy * 12 + 3 + (p.q - 1) * 3 + 2;
    case RP_PER_FYEAR:   return (long)(p.fy + 1) * 12 + 2;
    case RP_PER_AYEAR:   return (long)(p.fy + 1) * 12 + 7;
    case RP_PER_CYEAR:   return (long)p.fy * 12 + 11;
    default:             return 0;
    }
}

long compute_measure_end_month(const input_measure_row *def, rp_period p)
{
    long end = compute_end_month(p);
    if (!def || def->year_ends < 1 || def->year_ends > 12 ||
        p.kind == RP_PER_QUARTER || end == 0)
        return end;
    /* back from the year's own end to the named month */
    return end - ((end % 12) - (def->year_ends - 1) + 12) % 12;
}

rp_period compute_quarter_of(long month)
{
    int year = (int)(month / 12), mon = (int)(month % 12);
    int fy = mon >= 3 ? year : year - 1;
    return rp_quarter(fy, (mon - 3 + 12) % 12 / 3 + 1);
}

rp_value compute_pct_change(rp_value now, rp_value before)
{
    return v_pct(v_sub(now, before), before, 1);
}

rp_value compute_change(rp_value now, rp_value before)
{
    return v_sub(now, before);
}

/* ---- trends ----------------------------------------------------------------- */

static rp_value point_value(const model_point *p)
{
    return p ? p->value : rp_value_missing(RP_MISS_EMPTY);
}

/* A whole-year row for financial year fy: a financial-year row, else a
 * calendar or academic year row of the same starting year (most of which
 * falls in that financial year). */
static const model_point *year_row(const model_series *s, int fy)
{
    const model_point *p = model_series_at(s, rp_fyear(fy));
    if (p)
        return p;
    for (size_t i = 0; i < s->nyears; i++)
        if (s->years[i].period.fy == fy)
            return &s->years[i];
    return NULL;
}

static void combine_year(const model_series *s, input_annual rule, int fy,
                         int lastq, compute_year *y)
{
    rp_value acc = rp_value_of(0);
    rp_value first_gap = rp_value_of(0);
    int have = 0;
    for (int q = 1; q <= lastq; q++) {
        const model_point *pt = model_series_at(s, rp_quarter(fy, q));
        rp_value v = point_value(pt);
        if (!rp_has(v)) {
            if (rp_has(first_gap))
                first_gap = v;
            continue;
        }
        have++;
        int had = rp_has(acc);
        acc = v_add(acc, v);
        if (had && !rp_has(acc) && !y->overflow_line)
            y->overflow_line = pt->line ? pt->line : -1;
    }
    switch (rule) {
    case INPUT_ANNUAL_SUM:
        y->value = rp_has(first_gap) ? acc : first_gap;
        y->quarters = rp_has(y->value) ? lastq : have;
        break;
    case INPUT_ANNUAL_MEAN:
        if (have == 0)
            y->value = rp_has(first_gap) ? rp_value_missing(RP_MISS_EMPTY)
                                         : first_gap;
        else if (!rp_has(acc))
            y->value = acc;
        else
            y->value = rp_value_of(rp_num_muldiv(acc.num, 1, have));
        y->quarters = have;
        break;
    case INPUT_ANNUAL_LAST:
    default:
        y->value = point_value(model_series_at(s, rp_quarter(fy, lastq)));
        y->quarters = rp_has(y->value) ? 1 : 0;
        break;
    }
}

/* A comparator's year from its quarters by the measure's own annual rule,
 * over the same quarters as the council's figure. Only when every one of
 * those quarters has it: a total or average of some quarters would not
 * be like for like. */
static rp_value combine_comparator(const model_series *s, input_annual rule,
                                   int fy, int lastq, int regional)
{
    rp_value acc = rp_value_of(0);
    for (int q = rule == INPUT_ANNUAL_LAST ? lastq : 1;
         q <= lastq && rp_has(acc); q++) {
        const model_point *p = model_series_at(s, rp_quarter(fy, q));
        if (!p)
            return rp_value_missing(RP_MISS_EMPTY);
        acc = v_add(acc, regional ? p->regional : p->national);
    }
    if (rp_has(acc) && rule == INPUT_ANNUAL_MEAN)
        acc = rp_value_of(rp_num_muldiv(acc.num, 1, lastq));
    return acc;
}

static int any_quarter(const model_series *s, int fy, int lastq)
{
    for (int q = 1; q <= lastq; q++)
        if (model_series_at(s, rp_quarter(fy, q)))
            return 1;
    return 0;
}

static void year_comparators(const model_series *s, input_annual rule,
                             compute_year *y)
{
    y->national = y->regional = rp_value_missing(RP_MISS_EMPTY);
    if (y->from_year_row) {
        const model_point *p = model_series_at(s, y->period);
        if (p) {
            y->national = p->national;
            y->regional = p->regional;
        }
        return;
    }
    y->national = combine_comparator(s, rule, y->fy, y->lastq, 0);
    y->regional = combine_comparator(s, rule, y->fy, y->lastq, 1);
}

/* A part year against a full year says little (a total of three quarters
 * always "falls"), so also compare with the same quarters of the year
 * before, by the same rule. A whole-year row cannot be split into
 * quarters: none then. */
static void like_for_like(const model_series *s, input_annual rule,
                          compute_year *y)
{
    y->ytd_prev = y->ytd_yoy_pct = y->ytd_change = rp_value_missing(RP_MISS_EMPTY);
    if (y->complete || y->from_year_row || !any_quarter(s, y->fy, y->lastq) ||
        !any_quarter(s, y->fy - 1, y->lastq))
        return;
    compute_year same;
    memset(&same, 0, sizeof same);
    combine_year(s, rule, y->fy - 1, y->lastq, &same);
    y->ytd_prev = same.value;
    y->ytd_yoy_pct = compute_pct_change(y->value, same.value);
    y->ytd_change = v_sub(y->value, same.value);
}

/* One financial year: its whole-year row when that has a value (or there
 * are no quarters), else its quarters combined by the annual rule. */
static void trend_year(const model_series *s, input_annual rule,
                       rp_period pack, compute_year *y)
{
    y->period = rp_fyear(y->fy);
    y->complete = !(y->fy == pack.fy && pack.q != 4);
    y->lastq = y->fy == pack.fy ? pack.q : 4;
    const model_point *row = year_row(s, y->fy);
    int any_q = any_quarter(s, y->fy, y->lastq);
    if (row && (rp_has(row->value) || !any_q)) {
        y->value = row->value;
        y->from_year_row = 1;
    } else if (any_q) {
        combine_year(s, rule, y->fy, y->lastq, y);
    } else {
        y->value = rp_value_missing(RP_MISS_EMPTY);
    }
    year_comparators(s, rule, y);
    like_for_like(s, rule, y);
}

static void year_change(compute_trend *t, size_t i)
{
    compute_year *y = &t->years[i];
    y->before = i ? t->years[i - 1].value : rp_value_missing(RP_MISS_EMPTY);
    y->yoy_pct = i ? compute_pct_change(y->value, y->before) : y->before;
    y->yoy_change = i ? v_sub(y->value, y->before) : y->before;
}

void compute_trend_series(const model_series *s, rp_period pack, int years,
                     compute_trend *t)
{
    memset(t, 0, sizeof *t);
    if (!s)
        return;
    t->measure = s->measure;
    t->series = s;
    t->quarterly = s->nquarters > 0;
    if (years <= 0 || pack.kind != RP_PER_QUARTER)
        return;
    t->years = rp_xcalloc((size_t)years, sizeof *t->years);
    t->nyears = (size_t)years;
    /* a cumulative (year-to-date) figure's year is its Q4 value, or the
     * pack's quarter's: adding or averaging running totals means nothing */
    input_annual rule = s->measure && !s->measure->def->cumulative
                            ? s->measure->def->annual : INPUT_ANNUAL_LAST;
    for (int i = 0; i < years; i++) {
        t->years[i].fy = pack.fy - years + 1 + i;
        trend_year(s, rule, pack, &t->years[i]);
        year_change(t, (size_t)i);
    }
}

int compute_year_is_ytd(const compute_year *y)
{
    return !y->complete && !y->from_year_row && y->lastq < 4;
}

/* An annual-only measure: the years of the kind its latest row up to the
 * pack has (financial, calendar or academic), as published. */
static void trend_of_years(const model_series *s, rp_period pack, int years,
                           compute_trend *t)
{
    long cut = compute_end_month(pack);
    const input_measure_row *d = s->measure ? s->measure->def : NULL;
    const model_point *last = NULL;
    for (size_t i = 0; i < s->nyears; i++) {
        long end = compute_measure_end_month(d, s->years[i].period);
        if (end <= cut &&
            (!last || end > compute_measure_end_month(d, last->period)))
            last = &s->years[i];
    }
    if (!last)
        return;
    t->years = rp_xcalloc((size_t)years, sizeof *t->years);
    t->nyears = (size_t)years;
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    for (int i = 0; i < years; i++) {
        compute_year *y = &t->years[i];
        y->period = last->period;
        y->period.fy = y->fy = last->period.fy - years + 1 + i;
        const model_point *p = model_series_at(s, y->period);
        y->value = p ? p->value : none;
        y->national = p ? p->national : none;
        y->regional = p ? p->regional : none;
        y->complete = y->from_year_row = 1;
        y->ytd_prev = y->ytd_yoy_pct = y->ytd_change = none;
        year_change(t, (size_t)i);
    }
}

/* Does the series have any row (even a blank or suppressed one) in y? */
static int year_has_rows(const model_series *s, const compute_year *y,
                         int quarterly)
{
    return model_series_at(s, y->period) ||
           (quarterly && any_quarter(s, y->period.fy, y->lastq));
}

/* Years before the data starts are not gaps: a measure with two years of
 * history shows two years, not an empty first bar. */
static void drop_leading_empty(compute_trend *t)
{
    size_t skip = 0;
    while (skip + 1 < t->nyears &&
           !year_has_rows(t->series, &t->years[skip], t->quarterly))
        skip++;
    if (!skip)
        return;
    memmove(t->years, t->years + skip, (t->nyears - skip) * sizeof *t->years);
    t->nyears -= skip;
    t->years[0].yoy_pct = t->years[0].before = t->years[0].yoy_change =
        rp_value_missing(RP_MISS_EMPTY);
}

void compute_trend_measure(const model_measure *x, rp_period pack, int years,
                           compute_trend *t)
{
    memset(t, 0, sizeof *t);
    t->measure = x;
    if (!x || !x->whole || years < 1 || !pack.kind)
        return;
    if (x->whole->nquarters > 0) {
        rp_period q = pack.kind == RP_PER_QUARTER
                          ? pack : compute_quarter_of(compute_end_month(pack));
        compute_trend_series(x->whole, q, years, t);
    } else {
        t->series = x->whole;
        trend_of_years(x->whole, pack, years, t);
    }
    t->measure = x;
    drop_leading_empty(t);
}

void compute_trend_for_pack(const model_measure *x, rp_period pack, int years,
                            compute_trend *t)
{
    if (x && x->whole && x->whole->nquarters > 0 && pack.kind != RP_PER_QUARTER)
        pack = rp_quarter(compute_pack_fy(pack), 4);
    compute_trend_measure(x, pack, years, t);
}

void compute_trend_free(compute_trend *t)
{
    free(t->years);
    memset(t, 0, sizeof *t);
}

/* ---- the latest period among measures ---------------------------------- */

static int any_quarterly(const model_measure *const *ms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; ms[i] && k < ms[i]->nseries; k++)
            if (ms[i]->series[k].nquarters > 0)
                return 1;
    return 0;
}

rp_period compute_latest_period(const model_measure *const *ms, size_t n)
{
    rp_period best;
    memset(&best, 0, sizeof best);
    int quarterly = any_quarterly(ms, n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; ms[i] && k < ms[i]->nseries; k++) {
            const model_series *s = &ms[i]->series[k];
            const model_point *v = quarterly ? s->quarters : s->years;
            size_t nv = quarterly ? s->nquarters : s->nyears;
            for (size_t j = 0; j < nv; j++)
                if (rp_has(v[j].value) && (!best.kind ||
                    compute_end_month(v[j].period) > compute_end_month(best)))
                    best = v[j].period;
        }
    return best;
}

/* ---- ratings and data quality ------------------------------------------ */

static void add_dq(compute_results *r, size_t *cap, compute_quality_kind kind,
                   const compute_rating *x, rp_period p, rp_miss miss, char *note)
{
    rp_grow((void **)&r->dq, cap, r->ndq + 1, sizeof *r->dq);
    compute_quality *d = &r->dq[r->ndq++];
    d->kind = kind;
    d->measure = x->measure;
    d->breakdown = x->series->breakdown;
    d->period = p;
    d->miss = miss;
    d->note = note;
}

static int qindex(rp_period p) { return p.fy * 4 + (p.q - 1); }

/* Can a whole-year figure be used for a pack? Only if it was measured up
 * to (its `year_ends`, else the year's end) no later than the end of the
 * pack's period (contract): a later one is not yet known at the pack. */
static int year_usable(const input_measure_row *d, rp_period y, rp_period pack)
{
    if (y.kind != RP_PER_FYEAR && y.kind != RP_PER_AYEAR && y.kind != RP_PER_CYEAR)
        return 0;
    return compute_measure_end_month(d, y) <= compute_end_month(pack);
}

int compute_pack_fy(rp_period pack)
{
    if (pack.kind == RP_PER_QUARTER || pack.kind == RP_PER_FYEAR)
        return pack.fy;
    /* a calendar or academic year: the last financial year it covers to
     * its end (CY 2025, AY 2024/25 → 2024/25) */
    rp_period q = compute_quarter_of(compute_end_month(pack));
    return q.q == 4 && compute_end_month(q) == compute_end_month(pack)
               ? q.fy : q.fy - 1;
}

/* A quarterly series in a yearly pack (contract): its annual figure by
 * the annual rule, only when the year is complete (a value at Q4); the
 * target is a whole-year row's, else the Q4 target for `last`;
 * comparators as the trend year has them; direction against the year
 * before only. */
static void rate_quarterly_year(const model_series *s, int fy, compute_rating *x)
{
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    compute_trend t;
    compute_trend_series(s, rp_quarter(fy, 4), 2, &t);
    const model_point *q4 = model_series_at(s, rp_quarter(fy, 4));
    const model_point *row = model_series_at(s, rp_fyear(fy));
    const compute_year *y = t.nyears == 2 ? &t.years[1] : NULL;
    int complete = y && (y->from_year_row || (q4 && rp_has(q4->value)));
    x->period = rp_fyear(fy);
    /* not complete: missing, with Q4's marker when it has one */
    x->value = complete ? y->value : q4 ? q4->value : none;
    x->national = complete ? y->national : none;
    x->regional = complete ? y->regional : none;
    x->target = row && rp_has(row->target) ? row->target
                : q4 && (s->measure->def->annual == INPUT_ANNUAL_LAST ||
                         s->measure->def->cumulative) ? q4->target
                : none;
    x->year_value = t.nyears == 2 ? t.years[0].value : none;
    x->neighbours = x->numerator = x->denominator = none;
    compute_trend_free(&t);
}

static void rate_series(const model_series *s, rp_period pack, compute_rating *x)
{
    const input_measure_row *d = s->measure->def;
    memset(x, 0, sizeof *x);
    x->measure = s->measure;
    x->series = s;
    const model_point *pt = NULL, *prev = NULL, *yago = NULL;
    if (s->nquarters == 0 && s->nyears > 0) {
        x->yearly = 1;
        const model_point *last_usable = NULL;
        for (size_t i = s->nyears; i-- > 0;) {
            if (!year_usable(d, s->years[i].period, pack))
                continue;
            if (!last_usable)
                last_usable = &s->years[i];
            if (rp_has(s->years[i].value)) {
                pt = &s->years[i];
                break;
            }
        }
        if (!pt)
            pt = last_usable;
        x->period = pt ? pt->period : rp_fyear(pack.fy);
        /* a year's change is on the year before: "vs last year", never
         * "vs last quarter" (contract) */
        if (pt)
            yago = model_series_at(s, rp_period_year_earlier(pt->period));
    } else if (pack.kind != RP_PER_QUARTER) {
        rate_quarterly_year(s, compute_pack_fy(pack), x);
        x->region = "";
        x->prev_value = rp_value_missing(RP_MISS_EMPTY);
        x->rag = compute_rag(x->value, x->target, d->polarity,
                             d->tol_relative, d->tolerance);
        x->vs_prev = RP_DIR_NONE;
        x->vs_year = compute_direction(x->value, x->year_value, d->polarity);
        return;
    } else {
        x->period = pack;
        pt = model_series_at(s, pack);
        /* a cumulative figure only grows within a year and resets each
         * April: its previous quarter is never comparable (contract) */
        if (!d->cumulative)
            prev = model_series_at(s, rp_period_prev_quarter(pack));
        yago = model_series_at(s, rp_period_year_earlier(pack));
    }
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    x->value = pt ? pt->value : none;
    x->target = pt ? pt->target : none;
    x->national = pt ? pt->national : none;
    x->regional = pt ? pt->regional : none;
    x->neighbours = pt ? pt->neighbours : none;
    x->numerator = pt ? pt->numerator : none;
    x->denominator = pt ? pt->denominator : none;
    x->rank = pt ? pt->rank : 0;
    x->ranked = pt ? pt->ranked : 0;
    x->region = pt && pt->region ? pt->region : "";
    x->prev_value = prev ? prev->value : none;
    x->year_value = yago ? yago->value : none;
    x->rag = compute_rag(x->value, x->target, d->polarity, d->tol_relative,
                         d->tolerance);
    x->vs_prev = compute_direction(x->value, x->prev_value, d->polarity);
    x->vs_year = compute_direction(x->value, x->year_value, d->polarity);
}

static void quality(compute_results *r, size_t *cap, const compute_rating *x)
{
    const model_series *s = x->series;
    char per[32], per2[32];
    rp_period_format(x->period, per, sizeof per);
    if (x->yearly && rp_has(x->value))
        add_dq(r, cap, COMPUTE_QUALITY_YEARLY, x, x->period, RP_MISS_NONE,
               x->rag != RP_RAG_NONE
                   ? rp_xasprintf("Rated on %s, the latest year reported.", per)
                   : rp_xasprintf("Figure for %s, the latest year reported "
                                  "(not rated).", per));
    /* a yearly pack: quarterly series are judged at its Q4 */
    int ypack = r->period.kind != RP_PER_QUARTER;
    rp_period ref = ypack ? rp_quarter(compute_pack_fy(r->period), 4)
                          : r->period;
    if (!rp_has(x->value)) {
        const model_point *pt = x->yearly ? model_series_at(s, x->period)
                                       : model_series_at(s, ref);
        rp_miss why = x->value.miss;
        int marker = pt && why != RP_MISS_EMPTY;
        char *note;
        if (ypack && !x->yearly) {
            rp_period_format(ref, per2, sizeof per2);
            note = marker
                ? rp_xasprintf("No annual figure for %s: the value for %s "
                               "is %s.", per, per2, rp_miss_reason(why))
                : rp_xasprintf("No annual figure for %s: a year is used "
                               "only when complete, and %s has no value.",
                               per, per2);
        } else if (x->yearly && !pt) {
            rp_period_format(r->period, per2, sizeof per2);
            note = rp_xasprintf("No yearly value reported up to %s.", per2);
        } else if (!pt) {
            note = rp_xasprintf("No row for %s in kpi.csv, so not available.",
                                per);
        } else if (!marker) {
            note = rp_xasprintf("Value for %s is blank, so not available.",
                                per);
        } else {
            note = rp_xasprintf("Value for %s is %s, so not available.", per,
                                rp_miss_reason(why));
        }
        add_dq(r, cap, marker ? COMPUTE_QUALITY_SUPPRESSED : COMPUTE_QUALITY_MISSING, x,
               x->period, why, note);
    }
    if (x->yearly && rp_has(x->value)) {
        /* older than the year before the pack's year: it ended two years
         * or more before the pack's year ends */
        rp_period year = ypack ? r->period : rp_fyear(r->period.fy);
        if (compute_measure_end_month(x->measure->def, x->period) <=
            compute_end_month(year) - 24) {
            rp_period_format(year, per2, sizeof per2);
            add_dq(r, cap, COMPUTE_QUALITY_STALE, x, x->period, RP_MISS_NONE,
                   rp_xasprintf("Latest figure is for %s, older than the "
                                "year before %s.", per, per2));
        }
    } else if (!x->yearly) {
        /* Latest present value up to the pack's quarter. */
        const model_point *latest = NULL;
        for (size_t i = s->nquarters; i-- > 0;)
            if (rp_period_cmp(s->quarters[i].period, ref) <= 0 &&
                rp_has(s->quarters[i].value)) {
                latest = &s->quarters[i];
                break;
            }
        if (latest) {
            int age = qindex(ref) - qindex(latest->period);
            if (age > r->opt.stale_quarters) {
                char per3[32];
                rp_period_format(latest->period, per2, sizeof per2);
                rp_period_format(ref, per3, sizeof per3);
                add_dq(r, cap, COMPUTE_QUALITY_STALE, x, latest->period, RP_MISS_NONE,
                       rp_xasprintf("Latest value is for %s, %d quarters "
                                    "before %s.", per2, age, per3));
            }
        }
    }
    /* a rate over few cases swings by chance */
    if (rp_has(x->value) && rp_has(x->denominator) &&
        x->denominator.num < (rp_num)r->opt.small_denominator * RP_SCALE) {
        char den[48];
        add_dq(r, cap, COMPUTE_QUALITY_VOLATILE, x, x->period, RP_MISS_NONE,
               rp_xasprintf("Based on %s cases (fewer than %d), so it can "
                            "change a lot by chance.",
                            rp_num_plain(x->denominator.num, den, sizeof den),
                            r->opt.small_denominator));
    }
    /* breakdowns are detail: a district without its own target is normal */
    if (x->series == x->measure->whole &&
        x->measure->def->polarity != INPUT_POL_NONE && rp_has(x->value) &&
        !rp_has(x->target))
        add_dq(r, cap, COMPUTE_QUALITY_NO_TARGET, x, x->period, x->target.miss,
               rp_xasprintf("No target for %s, so not rated.", per));
}

/* ---- values read but not used ---------------------------------------- */

/* What a row carried, for the appendix: "value", "target only"… */
static const char *row_carries(const model_point *p)
{
    if (rp_has(p->value))
        return "value";
    if (rp_has(p->target))
        return "target only";
    if (rp_has(p->national) || rp_has(p->regional))
        return "comparators only";
    return NULL;                    /* nothing in it: nothing lost */
}

/* Appends "2024/25 Q4 (target only)" for each row of v measured after
 * `cut`; returns how many. */
static size_t later_rows(rp_buf *b, const input_measure_row *d,
                         const model_point *v, size_t n, long cut,
                         rp_period *first)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *what = row_carries(&v[i]);
        if (!what || compute_measure_end_month(d, v[i].period) <= cut)
            continue;
        char per[32];
        if (!first->kind)
            *first = v[i].period;
        if (k < 6)
            rp_buf_printf(b, "%s%s (%s)", k ? ", " : "",
                          rp_period_format(v[i].period, per, sizeof per), what);
        k++;
    }
    return k;
}

/* A series' rows measured after what the pack uses: a quarterly series
 * after the pack's quarter (a yearly pack: its Q4), a whole-year series
 * after the end of the pack's period (by `year_ends`). */
static void not_used(compute_results *r, size_t *cap, const compute_rating *x)
{
    const model_series *s = x->series;
    const input_measure_row *d = x->measure->def;
    int ypack = r->period.kind != RP_PER_QUARTER;
    rp_period ref = ypack ? rp_quarter(compute_pack_fy(r->period), 4)
                          : r->period;
    long cut = s->nquarters ? compute_end_month(ref)
                            : compute_end_month(r->period);
    rp_buf b;
    rp_buf_init(&b);
    rp_period first = { 0, 0, 0 };
    size_t k = later_rows(&b, d, s->quarters, s->nquarters, cut, &first);
    size_t ky = later_rows(&b, d, s->years, s->nyears, cut, &first);
    if (k + ky > 6)
        rp_buf_printf(&b, " and %zu more", k + ky - 6);
    if (k + ky) {
        char per[32];
        rp_period_format(s->nquarters ? ref : r->period, per, sizeof per);
        add_dq(r, cap, COMPUTE_QUALITY_NOT_USED, x, first, RP_MISS_NONE,
               rp_xasprintf("Read but not used, as later than %s: %s.", per,
                            b.s));
    }
    rp_buf_free(&b);
}

/* A finding "read but not used" about no measure (note is taken). */
static void not_used_row(compute_results *r, size_t *cap, rp_period p,
                         char *note)
{
    rp_grow((void **)&r->dq, cap, r->ndq + 1, sizeof *r->dq);
    compute_quality *q = &r->dq[r->ndq++];
    memset(q, 0, sizeof *q);
    q->kind = COMPUTE_QUALITY_NOT_USED;
    q->breakdown = "";
    q->period = p;
    q->note = note;
}

/* Finance rows after the quarter the pack shows, and commentary for a
 * later period than the pack's: named, never silently dropped. */
static void not_used_other(const model *m, compute_results *r, size_t *cap,
                           rp_period fin_period)
{
    char per[32], fp[32];
    rp_period_format(fin_period, fp, sizeof fp);
    for (size_t a = 0; a < m->nareas; a++)
        for (size_t j = 0; j < m->areas[a].nfinance; j++) {
            const input_finance_row *f = m->areas[a].finance[j];
            if (rp_period_cmp(f->period, fin_period) <= 0)
                continue;
            not_used_row(r, cap, f->period,
                         rp_xasprintf("finance.csv line %ld (%s): read but "
                                      "not used, as later than %s.", f->line,
                                      m->areas[a].name, fp));
        }
    /* commentary: for a later period; in a yearly pack also a quarter's
     * of the pack's year (the pack shows commentary for the year) */
    long cut = compute_end_month(r->period);
    int ypack = r->period.kind != RP_PER_QUARTER;
    for (size_t i = 0; m->in && i < m->in->ncomments; i++) {
        const input_comment_row *c = &m->in->comments[i];
        long end = compute_end_month(c->period);
        if (end <= cut && !(ypack && c->period.kind == RP_PER_QUARTER &&
                            end > cut - 12))
            continue;
        rp_period_format(r->period, per, sizeof per);
        not_used_row(r, cap, c->period, end > cut
            ? rp_xasprintf("commentary.csv line %ld (%s): read but not "
                           "used, as later than %s.", c->line, c->scope, per)
            : rp_xasprintf("commentary.csv line %ld (%s): read but not "
                           "used, as a quarter's and the pack is for %s.",
                           c->line, c->scope, per));
    }
}

/* ---- finance ------------------------------------------------------------ */

/* A figure beyond what rp_num holds (±9,223,372,036,854.775807) is an
 * error naming the cell, never a silently missing figure: x says where. */
typedef struct fin_where {
    rp_errors *errs;
    const char *file;
} fin_where;

/* Did v (of a and b) overflow? Missing operands and a zero divisor give
 * a missing figure by the contract, not an overflow. */
static int fin_overflow(rp_value v, rp_value a, rp_value b, int div)
{
    return rp_has(a) && rp_has(b) && !rp_has(v) && !(div && b.num == 0);
}

static void fin_report(const fin_where *x, long line, const char *column,
                       const char *what, rp_value a, const char *op,
                       rp_value b)
{
    char sa[32], sb[32];
    if (!x->errs)
        return;
    rp_err(x->errs, x->file, line, column, "%s cannot be computed: %s %s %s "
           "is beyond the ±9223372036854.775807 a figure can hold",
           what, rp_num_plain(a.num, sa, sizeof sa), op,
           rp_num_plain(b.num, sb, sizeof sb));
}

static rp_value fin_variance(const input_finance_row *f, const fin_where *x)
{
    rp_value v = v_sub(f->forecast, f->budget);
    if (fin_overflow(v, f->forecast, f->budget, 0))
        fin_report(x, f->line, "forecast", "the variance (forecast − budget)",
                   f->forecast, "−", f->budget);
    return v;
}

static void finance_row(const model_area *a, const input_finance_row *f,
                        compute_finance *c, const fin_where *x)
{
    memset(c, 0, sizeof *c);
    c->service_area = a->name;
    c->line = f->line;
    c->period = f->period;
    c->budget = f->budget;
    c->forecast = f->forecast;
    c->variance = fin_variance(f, x);
    c->variance_pct = v_pct(c->variance, c->budget, 0);
    if (fin_overflow(c->variance_pct, c->variance, c->budget, 1))
        fin_report(x, f->line, "budget", "the variance as a % of the budget",
                   c->variance, "× 100 ÷", c->budget);
    c->prev_variance = rp_value_missing(RP_MISS_EMPTY);
    if (f->period.q > 1) {
        rp_period pq = rp_quarter(f->period.fy, f->period.q - 1);
        for (size_t i = 0; i < a->nfinance; i++)
            if (rp_period_cmp(a->finance[i]->period, pq) == 0)
                c->prev_variance = fin_variance(a->finance[i], x);
    }
    c->change = v_sub(c->variance, c->prev_variance);
    if (fin_overflow(c->change, c->variance, c->prev_variance, 0))
        fin_report(x, f->line, "forecast", "the change in variance since the "
                   "quarter before", c->variance, "−", c->prev_variance);
    c->savings_target = f->savings_target;
    c->savings_forecast = f->savings_forecast;
    c->savings_gap = v_sub(f->savings_target, f->savings_forecast);
    if (fin_overflow(c->savings_gap, f->savings_target, f->savings_forecast, 0))
        fin_report(x, f->line, "savings_forecast", "the savings gap (target − "
                   "forecast)", f->savings_target, "−", f->savings_forecast);
}

/* Total (contract): budget, forecast and variance are summed over every
 * area listed at the quarter and are missing if any area lacks the
 * figure; savings sum the areas that have the figure, and the gap is
 * that of the areas that have both. The pack names who is left out. */
static rp_value sum_present(rp_value acc, rp_value v, size_t *n)
{
    if (!rp_has(v))
        return acc;
    (*n)++;
    return v_add(acc, v);
}

/* acc + v for the total's column, reporting an overflow at the row whose
 * figure made it. */
static rp_value total_add(rp_value acc, rp_value v, size_t *n,
                          const compute_finance *c, const char *column,
                          const fin_where *x)
{
    size_t dummy = 0;
    rp_value s = sum_present(acc, v, n ? n : &dummy);
    if (!n && rp_has(acc) && !rp_has(v))
        s = v;   /* budget, forecast: any area missing makes it missing */
    if (fin_overflow(s, acc, v, 0)) {
        char what[64];
        snprintf(what, sizeof what, "the total %s", column);
        fin_report(x, c->line, column, what, acc, "+", v);
    }
    return s;
}

static void finance_total(compute_results *r, rp_period p, const fin_where *x)
{
    compute_finance t;
    memset(&t, 0, sizeof t);
    t.service_area = "Total";
    t.period = p;
    t.budget = t.forecast = t.prev_variance = rp_value_of(0);
    t.savings_target = t.savings_forecast = rp_value_of(0);
    t.savings_target_both = t.savings_forecast_both = rp_value_of(0);
    size_t nt = 0, nf = 0, nb = 0, nb2 = 0;
    for (size_t i = 0; i < r->nfinance; i++) {
        const compute_finance *c = &r->finance[i];
        t.budget = total_add(t.budget, c->budget, NULL, c, "budget", x);
        t.forecast = total_add(t.forecast, c->forecast, NULL, c, "forecast", x);
        t.prev_variance = v_add(t.prev_variance, c->prev_variance);
        t.savings_target = total_add(t.savings_target, c->savings_target, &nt,
                                     c, "savings_target", x);
        t.savings_forecast = total_add(t.savings_forecast, c->savings_forecast,
                                       &nf, c, "savings_forecast", x);
        if (rp_has(c->savings_target) && rp_has(c->savings_forecast)) {
            t.savings_target_both = sum_present(t.savings_target_both,
                                                c->savings_target, &nb);
            t.savings_forecast_both = sum_present(t.savings_forecast_both,
                                                  c->savings_forecast, &nb2);
        }
    }
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    if (nt == 0)
        t.savings_target = none;
    if (nf == 0)
        t.savings_forecast = none;
    if (nb == 0)
        t.savings_target_both = t.savings_forecast_both = none;
    if (p.q == 1)
        t.prev_variance = none;
    t.variance = v_sub(t.forecast, t.budget);
    t.variance_pct = v_pct(t.variance, t.budget, 0);
    t.change = v_sub(t.variance, t.prev_variance);
    t.savings_gap = v_sub(t.savings_target_both, t.savings_forecast_both);
    /* the areas' own figures fit (checked above); a total that does not is
     * named at the file, as no one cell makes it */
    const char *col[4] = { "forecast", "budget", "forecast", "savings_forecast" };
    const char *what[4] = { "the total variance", "the total variance as a % "
                            "of the total budget", "the total change in "
                            "variance", "the total savings gap" };
    rp_value v[4] = { t.variance, t.variance_pct, t.change, t.savings_gap };
    rp_value a[4] = { t.forecast, t.variance, t.variance, t.savings_target_both };
    rp_value b[4] = { t.budget, t.budget, t.prev_variance, t.savings_forecast_both };
    const char *op[4] = { "−", "× 100 ÷", "−", "−" };
    for (int i = 0; i < 4; i++)
        if (fin_overflow(v[i], a[i], b[i], i == 1))
            fin_report(x, 0, col[i], what[i], a[i], op[i], b[i]);
    r->finance[r->nfinance++] = t;
}

/* ---- the whole computation ------------------------------------------------ */

/* Is measure i in the pack? */
static int inc_ok(const unsigned char *inc, size_t i)
{
    return !inc || inc[i];
}

static int has_data(const model *m, rp_period p)
{
    for (size_t i = 0; i < m->nmeasures; i++)
        for (size_t j = 0; j < m->measures[i].nseries; j++) {
            const model_point *pt = model_series_at(&m->measures[i].series[j], p);
            if (pt && rp_has(pt->value))
                return 1;
        }
    for (size_t i = 0; i < m->nareas; i++)
        for (size_t j = 0; j < m->areas[i].nfinance; j++)
            if (rp_period_cmp(m->areas[i].finance[j]->period, p) == 0)
                return 1;
    return 0;
}

/* A year whose quarters add up beyond what an rp_num holds has no
 * honest figure: an error naming the row that pushed it over, never a
 * silent gap in the trend. */
static int trend_overflows(const compute_results *r, const char *kfile,
                           rp_errors *errs)
{
    int bad = 0;
    for (size_t i = 0; i < r->ntrends; i++)
        for (size_t k = 0; k < r->trends[i].nyears; k++) {
            const compute_year *y = &r->trends[i].years[k];
            if (!y->overflow_line)
                continue;
            char p[32];
            rp_err(errs, kfile, y->overflow_line > 0 ? y->overflow_line : 0,
                   "value", "%s: the total of %s's quarters is beyond "
                   "\u00b19.2 trillion, so the year cannot be computed",
                   r->trends[i].measure->def->id,
                   rp_period_format(y->period, p, sizeof p));
            bad = 1;
        }
    return bad ? -1 : 0;
}

/* Ratings by (measure id, breakdown) so compose finds each in constant
 * time (a linear search per breakdown was quadratic at thousands of
 * measures); the first of equal keys wins, as the search did. */
static void index_ratings(compute_results *r)
{
    rp_map_init(&r->index);
    for (size_t i = 0; i < r->nratings; i++) {
        const compute_rating *x = &r->ratings[i];
        const char *id = x->measure->def->id;
        int added;
        size_t *first = rp_map_put(&r->index, 0, id, strlen(id), &added);
        if (added)
            *first = i;
        size_t ns = 1 + *first;
        const char *b = x->series->breakdown;
        size_t *at = rp_map_put(&r->index, ns, b, strlen(b), &added);
        if (added)
            *at = i;
    }
}

typedef struct quarter_count {
    int qi;             /* fy*4 + q-1 */
    size_t rated;       /* rated quarterly measures with a value */
} quarter_count;

static int qc_cmp(const void *a, const void *b)
{
    const quarter_count *x = a, *y = b;
    return (x->qi > y->qi) - (x->qi < y->qi);
}

rp_period compute_default_period(const model *m, rp_errors *errs)
{
    /* every quarter with a value in any series, and per quarter how many
     * rated quarterly measures have a whole-authority value there */
    quarter_count *qs = NULL;
    size_t nq = 0, cap = 0, nrated = 0;
    rp_period best_year = { 0, 0, 0 };
    for (size_t i = 0; i < m->nmeasures; i++) {
        const model_measure *x = &m->measures[i];
        int rated = x->def->polarity != INPUT_POL_NONE && x->whole &&
                    x->whole->nquarters > 0;
        nrated += rated;
        for (size_t j = 0; j < x->nseries; j++) {
            const model_series *s = &x->series[j];
            for (size_t k = 0; k < s->nyears; k++)
                if (rp_has(s->years[k].value) &&
                    (best_year.kind == 0 ||
                     rp_period_cmp(s->years[k].period, best_year) > 0))
                    best_year = s->years[k].period;
            for (size_t k = 0; k < s->nquarters; k++) {
                const model_point *pt = &s->quarters[k];
                if (!rp_has(pt->value))
                    continue;
                int qi = qindex(pt->period);
                size_t at = nq;
                for (size_t u = 0; u < nq; u++)
                    if (qs[u].qi == qi)
                        at = u;
                if (at == nq) {
                    rp_grow((void **)&qs, &cap, nq + 1, sizeof *qs);
                    qs[nq].qi = qi;
                    qs[nq].rated = 0;
                    nq++;
                }
                if (rated && j == 0)
                    qs[at].rated++;
            }
        }
    }
    rp_period chosen = { 0, 0, 0 };
    if (nq == 0) {
        free(qs);
        return best_year;
    }
    qsort(qs, nq, sizeof *qs, qc_cmp);
    size_t pick = nq - 1;           /* no quarter qualifies: the latest */
    for (size_t u = nq; u-- > 0;)
        if (nrated > 0 && qs[u].rated * 2 >= nrated) {
            pick = u;
            break;
        }
    chosen = rp_quarter(qs[pick].qi / 4, qs[pick].qi % 4 + 1);
    const char *kfile = m->in && m->in->kpi_path ? m->in->kpi_path : NULL;
    for (size_t u = pick + 1; errs && u < nq; u++) {
        char later[32], per[32];
        rp_period_format(rp_quarter(qs[u].qi / 4, qs[u].qi % 4 + 1), later,
                         sizeof later);
        rp_period_format(chosen, per, sizeof per);
        rp_warn(errs, kfile, 0, "period",
                "%s has values for only %zu of the %zu rated quarterly "
                "measures, so the pack is for %s (ask for -p \"%s\" to "
                "make the later one)", later, qs[u].rated, nrated, per, later);
    }
    free(qs);
    return chosen;
}

int compute_results_build(const model *m, const compute_options *opt, rp_period period,
               compute_results *r, rp_errors *errs)
{
    memset(r, 0, sizeof *r);
    if (opt)
        r->opt = *opt;
    else
        compute_options_default(&r->opt);
    const char *kfile = m->in && m->in->kpi_path ? m->in->kpi_path : NULL;
    if (period.kind == 0)
        period = compute_default_period(m, errs);
    char per[32];
    if (period.kind == 0) {
        rp_err(errs, kfile, 0, NULL,
               "no quarter or year has any value, so there is no pack to make");
        return -1;
    }
    int yearly_pack = period.kind != RP_PER_QUARTER;
    /* a yearly pack's finance is the Q4 position of its financial year */
    rp_period fin_period = yearly_pack ? rp_quarter(compute_pack_fy(period), 4)
                                       : period;
    if (!yearly_pack && !has_data(m, period)) {
        rp_err(errs, kfile, 0, NULL,
               "no value for %s in kpi.csv or finance.csv",
               rp_period_format(period, per, sizeof per));
        return -1;
    }
    r->period = period;

    size_t n = 0;
    const unsigned char *inc = r->opt.include;
    for (size_t i = 0; i < m->nmeasures; i++)
        n += m->measures[i].nseries;
    r->ratings = rp_xcalloc(n ? n : 1, sizeof *r->ratings);
    size_t dqcap = 0;
    for (size_t i = 0; i < m->nmeasures; i++)
        for (size_t j = 0; inc_ok(inc, i) && j < m->measures[i].nseries; j++) {
            compute_rating *x = &r->ratings[r->nratings++];
            rate_series(&m->measures[i].series[j], period, x);
            quality(r, &dqcap, x);
            not_used(r, &dqcap, x);
            if (j == 0 && x->rag == RP_RAG_RED &&
                !model_commentary(m, x->measure->def->id, period)) {
                char per[32];
                rp_period_format(period, per, sizeof per);
                add_dq(r, &dqcap, COMPUTE_QUALITY_NO_COMMENTARY, x, period,
                       RP_MISS_NONE,
                       rp_xasprintf("Rated red with no commentary for %s "
                                    "in commentary.csv.", per));
            }
        }

    r->areas = rp_xcalloc(m->nareas, sizeof *r->areas);
    r->nareas = m->nareas;
    for (size_t a = 0; a < m->nareas; a++) {
        compute_area *ca = &r->areas[a];
        ca->area = &m->areas[a];
        ca->ratings = rp_xcalloc(m->areas[a].nmeasures, sizeof *ca->ratings);
        for (size_t k = 0; k < r->nratings; k++) {
            const compute_rating *x = &r->ratings[k];
            if (x->series != x->measure->whole || x->measure->area != a)
                continue;   /* breakdowns are detail, not rolled up */
            ca->ratings[ca->nratings++] = k;
            ca->counts[x->rag]++;
            r->counts[x->rag]++;
        }
        ca->rag = compute_rollup(&r->opt, ca->counts);
    }
    r->overall = compute_rollup(&r->opt, r->counts);

    r->finance = rp_xcalloc(m->nareas + 1, sizeof *r->finance);
    size_t nerr = errs ? errs->nerrors : 0;
    fin_where fw = { errs, m->in && m->in->finance_path ? m->in->finance_path
                                                        : "finance.csv" };
    for (size_t a = 0; a < m->nareas; a++)
        for (size_t j = 0; j < m->areas[a].nfinance; j++)
            if (rp_period_cmp(m->areas[a].finance[j]->period, fin_period) == 0)
                finance_row(&m->areas[a], m->areas[a].finance[j],
                            &r->finance[r->nfinance++], &fw);
    if (r->nfinance > 0)
        finance_total(r, fin_period, &fw);
    if (errs && errs->nerrors > nerr) {   /* a figure that does not fit */
        compute_results_free(r);
        return -1;
    }
    not_used_other(m, r, &dqcap, fin_period);
    if (yearly_pack) {
        int any = r->nfinance > 0;
        for (size_t k = 0; k < r->nratings && !any; k++)
            any = rp_has(r->ratings[k].value);
        if (!any) {
            rp_err(errs, kfile, 0, NULL,
                   "no value for %s in kpi.csv or finance.csv",
                   rp_period_format(period, per, sizeof per));
            compute_results_free(r);
            return -1;
        }
    }

    /* as the trend pack: years before a series starts are left out, and
     * an annual-only measure keeps its own kind of year */
    r->trends = rp_xcalloc(m->nmeasures, sizeof *r->trends);
    for (size_t i = 0; i < m->nmeasures; i++)
        if (m->measures[i].whole && inc_ok(inc, i))
            compute_trend_for_pack(&m->measures[i], period, r->opt.trend_years,
                                   &r->trends[r->ntrends++]);
    if (trend_overflows(r, kfile, errs) != 0) {
        compute_results_free(r);
        return -1;
    }
    index_ratings(r);
    return 0;
}

void compute_results_free(compute_results *r)
{
    rp_map_free(&r->index);
    for (size_t a = 0; a < r->nareas; a++)
        free(r->areas[a].ratings);
    free(r->areas);
    free(r->ratings);
    free(r->finance);
    for (size_t i = 0; i < r->ntrends; i++)
        compute_trend_free(&r->trends[i]);
    free(r->trends);
    for (size_t i = 0; i < r->ndq; i++)
        free(r->dq[i].note);
    free(r->dq);
    memset(r, 0, sizeof *r);
}

const compute_rating *compute_find_rating(const compute_results *r, const char *measure_id,
                                const char *breakdown)
{
    if (!breakdown)
        breakdown = "";
    if (r->index.n == 0)    /* results put together by hand: no index */
        for (size_t i = 0; i < r->nratings; i++) {
            const compute_rating *x = &r->ratings[i];
            if (strcmp(x->measure->def->id, measure_id) == 0 &&
                strcmp(x->series->breakdown, breakdown) == 0)
                return x;
        }
    size_t *first = rp_map_find(&r->index, 0, measure_id, strlen(measure_id));
    if (!first)
        return NULL;
    size_t *at = rp_map_find(&r->index, 1 + *first, breakdown,
                             strlen(breakdown));
    return at ? &r->ratings[*at] : NULL;
}

const compute_trend *compute_find_trend(const compute_results *r, const char *measure_id)
{
    for (size_t i = 0; i < r->ntrends; i++)
        if (r->trends[i].measure &&
            strcmp(r->trends[i].measure->def->id, measure_id) == 0)
            return &r->trends[i];
    return NULL;
}

const compute_finance *compute_finance_total(const compute_results *r)
{
    if (r->nfinance == 0 ||
        strcmp(r->finance[r->nfinance - 1].service_area, "Total") != 0)
        return NULL;
    return &r->finance[r->nfinance - 1];
}
