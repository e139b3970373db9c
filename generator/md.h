/* md.h — model: measures, their series (measure × breakdown) with points
 * ordered by period, service areas, finance and commentary, indexed for
 * the computations. Built from rd_input; owns copies of nothing it can
 * point at (it borrows the rd_input strings, which must outlive it). */
#ifndef MD_H
#define MD_H

#include "rd.h"

typedef struct md_point {
    rp_period period;
    rp_value value, target, national, regional;
    long line;                      /* kpi.csv line, for data-quality notes */
} md_point;

typedef struct md_series {
    const struct md_measure *measure;
    const char *breakdown;          /* "" = whole authority */
    md_point *quarters; size_t nquarters;   /* sorted by period */
    md_point *years;    size_t nyears;      /* whole-year rows, sorted */
} md_series;

typedef struct md_measure {
    const rd_measure_row *def;
    size_t area;                    /* index into md_model.areas */
    md_series *whole;               /* breakdown "" or NULL if none */
    md_series *series; size_t nseries;      /* whole first, then breakdowns
                                               in order of first appearance */
} md_measure;

typedef struct md_area {
    const char *name;
    size_t *measures; size_t nmeasures;     /* indexes into md_model.measures,
                                               in measures.csv order */
    const rd_finance_row **finance; size_t nfinance;   /* sorted by period */
} md_area;

typedef struct md_model {
    const rd_input *in;
    md_measure *measures; size_t nmeasures; /* measures.csv order */
    md_area *areas; size_t nareas;  /* first appearance in measures.csv,
                                       then finance-only areas (Corporate) */
    rp_period latest_quarter;       /* latest quarter with any kpi value,
                                       kind 0 if none */
} md_model;

/* Builds the model and checks cross-row rules: duplicate measure id,
 * kpi row naming an unknown measure, duplicate (measure, period,
 * breakdown), duplicate (service_area, period) in finance. All errors are
 * reported with file and line. Returns 0, or -1 if any error was added. */
int md_model_build(const rd_input *in, md_model *m, rp_errors *errs);
void md_model_free(md_model *m);

const md_measure *md_find_measure(const md_model *m, const char *id);
/* Area index by case-insensitive name, or -1. */
long md_find_area(const md_model *m, const char *name);
/* The point for exactly period p (quarter or year), or NULL. */
const md_point *md_series_at(const md_series *s, rp_period p);
/* Commentary for (scope, period): scope matched case-insensitively.
 * NULL if none. */
const rd_comment_row *md_commentary(const md_model *m, const char *scope,
                                    rp_period p);

#endif
