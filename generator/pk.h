/* pk.h — compose: turn computed results into the pack's block tree
 * (cover, contents, summary, finance, one section per service area,
 * trends, data-quality appendix) in the order the template gives. All
 * sentences are written from the computed figures. */
#ifndef PK_H
#define PK_H

#include "cp.h"
#include "ly.h"
#include "tp.h"

/* A template that names an unknown measure or service area is an error
 * naming it (file and line of the template). Returns 0 or -1. */
int pk_check_template(const tp_template *t, const md_model *m,
                      rp_errors *errs);

/* Build the doc. Returns 0 or -1. */
int pk_compose(const tp_template *t, const md_model *m, const cp_results *r,
               ly_doc *doc, rp_errors *errs);

/* Money for prose: "£5.4m", "£640k", "£1.2bn", "£950" (sign dropped). */
char *pk_money(rp_num n, char *buf, size_t len);

/* ---- trend packs (pk_trend.c): `ragpack trend` ------------------------ */

/* One year of a measure's whole-authority trend. period is a financial
 * year for quarterly measures (from the quarters by the measure's annual
 * rule) and the measure's own kind of year (FY, calendar, academic) for
 * annual-only measures: never relabelled. */
typedef struct pk_tyear {
    rp_period period;
    rp_value value, national, regional;
    int complete;           /* 0: year to date */
    int quarters;           /* quarters combined (0 for a year row) */
    int lastq;              /* year to date: last quarter included */
    rp_value yoy_pct;       /* % change on the year before's figure (for a
                               year to date, on the whole year before, as
                               trends.csv); like for like: cp_year.ytd_* */
    rp_value before;        /* the figure yoy_pct compares with */
} pk_tyear;

typedef struct pk_tseries {
    const md_measure *measure;
    int quarterly;          /* 1: built from quarters */
    pk_tyear *years; size_t nyears;     /* oldest first */
} pk_tseries;

/* The last `years` years of x ending at (or before) the pack period
 * `pack` (a quarter, or a whole year for annual-only packs). */
void pk_trend_years(const md_measure *x, rp_period pack, int years,
                    pk_tseries *out);
void pk_tseries_free(pk_tseries *s);

enum { PK_BY_DEFAULT = 0, PK_BY_QUARTER, PK_BY_YEAR };

typedef struct pk_trend_opts {
    const md_measure **measures; size_t nmeasures;
    int years;              /* 2..10 */
    int by;                 /* PK_BY_* */
    rp_period period;       /* the pack's period: quarter or whole year */
    const cp_results *r;    /* results for a quarterly pack (data-quality
                               notes), or NULL */
} pk_trend_opts;

/* The trend pack's block tree: an overview table, then per measure its
 * annual table, charts, comparators, breakdown and data-quality notes. */
int pk_trend_compose(const tp_template *t, const md_model *m,
                     const pk_trend_opts *o, ly_doc *doc, rp_errors *errs);

/* The latest period with a value among the measures: a quarter if any of
 * them is reported quarterly, else their latest whole year (kind 0 if
 * none has a value). */
rp_period pk_trend_latest(const md_measure *const *ms, size_t n);

#endif
