/* model.h — model: measures, their series (measure × breakdown) with points
 * ordered by period, service areas, finance and commentary, indexed for
 * the computations. Built from input_folder; owns copies of nothing it can
 * point at (it borrows the input_folder strings, which must outlive it). */
#ifndef RAGPACK_MODEL_H
#define RAGPACK_MODEL_H

#include "input.h"

typedef struct model_point {
    rp_period period;
    rp_value value, target, national, regional;
    long line;                      /* kpi.csv line, for data-quality notes */
    rp_value neighbours, numerator, denominator;
    int rank, ranked;               /* 0 when not given */
    const char *region;             /* borrowed from the kpi row; "" */
} model_point;

typedef struct model_series {
    const struct model_measure *measure;
    const char *breakdown;          /* "" = whole authority */
    model_point *quarters; size_t nquarters;   /* sorted by period */
    model_point *years;    size_t nyears;      /* whole-year rows, sorted */
} model_series;

typedef struct model_measure {
    const input_measure_row *def;
    size_t area;                    /* index into model.areas */
    model_series *whole;               /* breakdown "" or NULL if none */
    model_series *series; size_t nseries;      /* whole first, then breakdowns
                                               in order of first appearance */
} model_measure;

typedef struct model_area {
    const char *name;
    size_t *measures; size_t nmeasures;     /* indexes into model.measures,
                                               in measures.csv order */
    const input_finance_row **finance; size_t nfinance;   /* sorted by period */
} model_area;

typedef struct model {
    const input_folder *in;
    model_measure *measures; size_t nmeasures; /* measures.csv order */
    model_area *areas; size_t nareas;  /* first appearance in measures.csv,
                                       then finance-only areas (Corporate) */
    rp_period latest_quarter;       /* latest quarter with any kpi value,
                                       kind 0 if none */
    rp_map index;   /* measure ids, area names, each measure's breakdowns */
    rp_intern keys; /* the folded area names index keys on; breakdowns */
    model_point *points;    /* every series' quarters and years, one block */
} model;

/* Builds the model and checks cross-row rules: duplicate measure id,
 * kpi row naming an unknown measure, duplicate (measure, period,
 * breakdown), duplicate (service_area, period) in finance. All errors are
 * reported with file and line. Returns 0, or -1 if any error was added. */
int model_build(const input_folder *in, model *m, rp_errors *errs);
void model_free(model *m);

const model_measure *model_find_measure(const model *m, const char *id);
/* Area index by case-insensitive name, or -1. */
long model_find_area(const model *m, const char *name);
/* The point for exactly period p (quarter or year), or NULL. */
const model_point *model_series_at(const model_series *s, rp_period p);
/* Commentary for (scope, period): scope matched case-insensitively.
 * NULL if none. */
const input_comment_row *model_commentary(const model *m, const char *scope,
                                    rp_period p);

#endif
