/* cp.h — compute: measure RAG, direction of travel, service-area and
 * overall roll-up, finance variance and change, annual trends, and the
 * data-quality findings. Everything exact (rp_num fixed point). The
 * results borrow from the model, which must outlive them. */
#ifndef CP_H
#define CP_H

#include "md.h"

typedef enum { CP_RAG_NONE = 0, CP_RAG_GREEN, CP_RAG_AMBER, CP_RAG_RED } cp_rag;
typedef enum {
    CP_DIR_NONE = 0, CP_DIR_IMPROVING, CP_DIR_NO_CHANGE, CP_DIR_WORSENING
} cp_dir;

const char *cp_rag_name(cp_rag r);   /* "green","amber","red","none" */
const char *cp_rag_label(cp_rag r);  /* "Green","Amber","Red","Not rated" */
const char *cp_dir_name(cp_dir d);   /* "improving","no_change","worsening","none" */
const char *cp_dir_label(cp_dir d);  /* "Better","Same","Worse","n/a" */

/* ---- single rules (pure; unit-tested at their edges) ------------------ */
/* RAG of value against target: exactly on target is green, a miss of
 * exactly the tolerance is amber. Relative tolerance is a % of |target|. */
cp_rag cp_rag_rule(rp_value value, rp_value target, rd_polarity pol,
                   int tol_relative, rp_num tolerance);
cp_dir cp_direction(rp_value now, rp_value before, rd_polarity pol);

/* ---- roll-up ------------------------------------------------------------ */
typedef enum {
    CP_ROLLUP_SCORE = 0,  /* default: mean score of rated measures,
                             green 3 / amber 2 / red 1; mean ≥ green_at →
                             green, ≥ amber_at → amber, else red */
    CP_ROLLUP_WORST,      /* the worst rating present */
    CP_ROLLUP_MAJORITY    /* the most common rating; ties go to the worse */
} cp_rollup_rule;

typedef struct cp_options {
    cp_rollup_rule rollup;
    rp_num green_at;      /* default 2.5 (×RP_SCALE) */
    rp_num amber_at;      /* default 1.75 */
    int trend_years;      /* default 3 */
    int stale_quarters;   /* a value older than this many quarters is
                             "stale" in the data-quality appendix; default 2 */
} cp_options;

void cp_options_default(cp_options *o);
/* Roll up counts of green/amber/red (index by cp_rag). NONE if none rated. */
cp_rag cp_rollup(const cp_options *o, const size_t counts[4]);

/* ---- per-series rating ----------------------------------------------- */
typedef struct cp_rating {
    const md_measure *measure;
    const md_series *series;
    rp_period period;       /* the quarter rated, or for a whole-year-only
                               series the year whose value is used */
    int yearly;             /* 1 when the series is whole-year only */
    rp_value value, target, national, regional;   /* at period */
    cp_rag rag;
    cp_dir vs_prev;         /* vs previous quarter (yearly: vs year before) */
    cp_dir vs_year;         /* vs same quarter a year earlier */
    rp_value prev_value, year_value;      /* what it was compared with */
} cp_rating;

typedef struct cp_area {
    const md_area *area;
    size_t *ratings; size_t nratings;     /* indexes into results.ratings,
                                             whole-authority series only */
    size_t counts[4];                     /* by cp_rag */
    cp_rag rag;
} cp_area;

/* ---- finance ------------------------------------------------------------ */
typedef struct cp_finance {
    const char *service_area;             /* "Total" for the total row */
    rp_period period;
    rp_value budget, forecast;
    rp_value variance;                    /* forecast − budget (+ = overspend) */
    rp_value variance_pct;                /* variance / budget × 100 */
    rp_value prev_variance;               /* previous quarter same FY */
    rp_value change;                      /* variance − prev_variance; missing at Q1 */
    rp_value savings_target, savings_forecast, savings_gap;  /* gap = target − forecast */
} cp_finance;

/* ---- trends --------------------------------------------------------------- */
typedef struct cp_year {
    int fy;                 /* 2022 = 2022/23 */
    rp_value value;
    int complete;           /* 0 for the pack's year unless its quarter is Q4 */
    int from_year_row;      /* 1 when a whole-year row gave the value */
    int quarters;           /* quarters combined (0 for a year row) */
    rp_value yoy_pct;       /* change vs the year before, % (missing for first) */
    /* Like for like, for an incomplete year built from quarters only
     * (missing otherwise): the previous year's same quarters (Q1 to the
     * pack's quarter) combined by the annual rule, and the change on it. */
    rp_value ytd_prev;
    rp_value ytd_yoy_pct;
} cp_year;

typedef struct cp_trend {
    const md_measure *measure;
    const md_series *series;              /* whole-authority series */
    cp_year *years; size_t nyears;        /* oldest first */
} cp_trend;

/* ---- data quality ----------------------------------------------------- */
typedef enum {
    CP_DQ_MISSING = 1,      /* value absent in the pack's quarter */
    CP_DQ_SUPPRESSED,       /* absent by a statistics marker (c, x, z, …) */
    CP_DQ_STALE,            /* latest value older than stale_quarters */
    CP_DQ_NO_TARGET,        /* rated polarity but no target */
    CP_DQ_YEARLY            /* whole-year series: rated on a year's value */
} cp_dq_kind;

typedef struct cp_dq {
    cp_dq_kind kind;
    const md_measure *measure;
    const char *breakdown;
    rp_period period;       /* period concerned */
    rp_miss miss;
    char *note;             /* human sentence, owned */
} cp_dq;

typedef struct cp_results {
    rp_period period;                     /* the pack's quarter */
    cp_options opt;
    cp_rating *ratings; size_t nratings;  /* every series: measure order,
                                             whole first then breakdowns */
    cp_area *areas; size_t nareas;        /* md_model.areas order */
    size_t counts[4];                     /* all whole-authority ratings */
    cp_rag overall;
    cp_finance *finance; size_t nfinance; /* per area with a finance row for
                                             the period, then "Total" last */
    cp_trend *trends; size_t ntrends;     /* every measure's whole series */
    cp_dq *dq; size_t ndq;
} cp_results;

/* period: the pack's quarter; kind 0 means the model's latest quarter.
 * Returns 0, or -1 with an error (e.g. no data for that quarter). */
int cp_compute(const md_model *m, const cp_options *opt, rp_period period,
               cp_results *r, rp_errors *errs);
void cp_results_free(cp_results *r);

const cp_rating *cp_find_rating(const cp_results *r, const char *measure_id,
                                const char *breakdown);
const cp_trend *cp_find_trend(const cp_results *r, const char *measure_id);
const cp_finance *cp_finance_total(const cp_results *r);

/* Trend for one series over `years` financial years ending with the
 * pack's year (used by cp_compute, and by trend packs). Fills t. */
void cp_trend_series(const md_series *s, rp_period pack_quarter, int years,
                     cp_trend *t);
void cp_trend_free(cp_trend *t);

#endif
