/* compose.h — compose: turn computed results into the pack's block tree
 * (cover, contents, summary, finance, one section per service area,
 * trends, data-quality appendix) in the order the template gives. All
 * sentences are written from the computed figures. */
#ifndef RAGPACK_COMPOSE_H
#define RAGPACK_COMPOSE_H

#include "compute.h"
#include "document.h"
#include "template.h"

/* A template that names an unknown measure or service area is an error
 * naming it (file and line of the template). Returns 0 or -1. */
int compose_check_template(const pack_template *t, const model *m,
                      rp_errors *errs);

/* Build the doc. Returns 0 or -1. */
int compose_pack(const pack_template *t, const model *m, const compute_results *r,
               document *doc, rp_errors *errs);

/* Money for prose: "£5.4m", "£640k", "£1.2bn", "£950" (sign dropped). */
char *compose_money(rp_num n, char *buf, size_t len);

/* ---- trend packs (compose_trend.c): `ragpack trend` ------------------------ */

/* One year of a measure's whole-authority trend. period is a financial
 * year for quarterly measures (from the quarters by the measure's annual
 * rule) and the measure's own kind of year (FY, calendar, academic) for
 * annual-only measures: never relabelled. */
typedef struct compose_trend_year {
    rp_period period;
    rp_value value, national, regional;
    int complete;           /* 0: year to date */
    int quarters;           /* quarters combined (0 for a year row) */
    int lastq;              /* year to date: last quarter included */
    rp_value yoy_pct;       /* % change on the year before's figure (for a
                               year to date, on the whole year before, as
                               trends.csv); like for like: compute_year.ytd_* */
    rp_value before;        /* the figure yoy_pct compares with */
} compose_trend_year;

typedef struct compose_trend_series {
    const model_measure *measure;
    int quarterly;          /* 1: built from quarters */
    compose_trend_year *years; size_t nyears;     /* oldest first */
} compose_trend_series;

/* The last `years` years of x ending at (or before) the pack period
 * `pack` (a quarter, or a whole year for annual-only packs). */
void compose_trend_years(const model_measure *x, rp_period pack, int years,
                    compose_trend_series *out);
void compose_trend_series_free(compose_trend_series *s);

enum { COMPOSE_BY_DEFAULT = 0, COMPOSE_BY_QUARTER, COMPOSE_BY_YEAR };

typedef struct compose_trend_options {
    const model_measure **measures; size_t nmeasures;
    int years;              /* 2..10 */
    int by;                 /* COMPOSE_BY_* */
    rp_period period;       /* the pack's period: quarter or whole year */
    const compute_results *r;    /* results for a quarterly pack (data-quality
                               notes), or NULL */
} compose_trend_options;

/* The trend pack's block tree: an overview table, then per measure its
 * annual table, charts, comparators, breakdown and data-quality notes. */
int compose_trend(const pack_template *t, const model *m,
                     const compose_trend_options *o, document *doc, rp_errors *errs);

/* The latest period with a value among the measures: a quarter if any of
 * them is reported quarterly, else their latest whole year (kind 0 if
 * none has a value). */
rp_period compose_trend_latest(const model_measure *const *ms, size_t n);

#endif
