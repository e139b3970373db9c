/* compute.h — compute: measure RAG, direction of travel, service-area and
 * overall roll-up, finance variance and change, annual trends, and the
 * data-quality findings. Everything exact (rp_num fixed point). The
 * results borrow from the model, which must outlive them. */
#ifndef RAGPACK_COMPUTE_H
#define RAGPACK_COMPUTE_H

#include "model.h"

/* ---- single rules (pure; unit-tested at their edges) ------------------ */
/* RAG of value against target: exactly on target is green, a miss of
 * exactly the tolerance is amber. Relative tolerance is a % of |target|. */
rp_rag compute_rag(rp_value value, rp_value target, input_polarity pol,
                   int tol_relative, rp_num tolerance);
rp_direction compute_direction(rp_value now, rp_value before, input_polarity pol);

/* ---- roll-up ------------------------------------------------------------ */
typedef struct compute_options {
    rp_rollup rollup;
    rp_num green_at;      /* default 2.5 (×RP_SCALE) */
    rp_num amber_at;      /* default 1.75 */
    int trend_years;      /* default 3 */
    int stale_quarters;   /* a value older than this many quarters is
                             "stale" in the data-quality appendix; default 2 */
    int small_denominator;    /* a denominator below this is "volatile" in
                                 the appendix; default 30 */
    const unsigned char *include;   /* per model measure (model order): 1 =
                                       in the pack; NULL = every measure. A
                                       pack of chosen measures rates, rolls
                                       up, trends and checks only them */
} compute_options;

void compute_options_default(compute_options *o);
/* Quartile band (1 = best) of position rank among ranked; 0 if unknown. */
int compute_quartile(int rank, int ranked);
/* Roll up counts of green/amber/red (index by rp_rag). NONE if none rated. */
rp_rag compute_rollup(const compute_options *o, const size_t counts[RP_RAG_COUNT]);

/* ---- per-series rating ----------------------------------------------- */
typedef struct compute_rating {
    const model_measure *measure;
    const model_series *series;
    rp_period period;       /* the quarter rated, or for a whole-year-only
                               series the year whose value is used */
    int yearly;             /* 1 when the series is whole-year only */
    rp_value value, target, national, regional;   /* at period */
    rp_rag rag;
    rp_direction vs_prev;         /* vs previous quarter (yearly: vs year before) */
    rp_direction vs_year;         /* vs same quarter a year earlier */
    rp_value prev_value, year_value;      /* what it was compared with */
    rp_value neighbours;                  /* nearest-neighbour average */
    int rank, ranked;                     /* position among authorities */
    rp_value numerator, denominator;      /* at period, when given */
    const char *region;                   /* region named for `regional`, "" */
} compute_rating;

typedef struct compute_area {
    const model_area *area;
    size_t *ratings; size_t nratings;     /* indexes into results.ratings,
                                             whole-authority series only */
    size_t counts[RP_RAG_COUNT];                /* by rp_rag */
    rp_rag rag;
} compute_area;

/* ---- finance ------------------------------------------------------------ */
typedef struct compute_finance {
    const char *service_area;             /* "Total" for the total row */
    long line;                            /* its finance.csv line; 0 for Total */
    rp_period period;
    rp_value budget, forecast;
    rp_value variance;                    /* forecast − budget (+ = overspend) */
    rp_value variance_pct;                /* variance / budget × 100 */
    rp_value prev_variance;               /* previous quarter same FY */
    rp_value change;                      /* variance − prev_variance; missing at Q1 */
    rp_value savings_target, savings_forecast, savings_gap;  /* gap = target − forecast */
    /* Total row only: the savings target and forecast summed over the
     * areas that have both (the gap is theirs), so a sentence compares
     * like with like when an area's savings are suppressed. */
    rp_value savings_target_both, savings_forecast_both;
} compute_finance;

/* ---- trends --------------------------------------------------------------- */
typedef struct compute_year {
    int fy;                 /* 2022 = 2022/23 (period.fy) */
    rp_period period;       /* the year as labelled: a financial year for a
                               quarterly measure, an annual-only measure's
                               own kind of year (FY, calendar, academic) */
    rp_value value;
    int complete;           /* 0 for the pack's year unless its quarter is Q4 */
    int from_year_row;      /* 1 when a whole-year row gave the value */
    long overflow_line;     /* > 0: its quarters' total does not fit an
                               rp_num; the kpi.csv line that pushed it over */
    int quarters;           /* quarters combined (0 for a year row) */
    int lastq;              /* last quarter included (4 but in the pack's
                               year; 0 for an annual-only measure) */
    rp_value yoy_pct;       /* change vs the year before, % (missing for first);
                               for a year to date on the whole year before,
                               as the contract and trends.csv have it */
    rp_value before;        /* the figure yoy_pct compares with */
    rp_value yoy_change;    /* value − before in the measure's unit (for a
                               percentage, points): the contract's
                               absolute change, trends.csv `yoy_change` */
    /* The year's comparators: a whole-year row's as given, else combined
     * from the quarters by the annual rule over the same quarters, and
     * only when every one of them has one. */
    rp_value national, regional;
    /* Like for like, for an incomplete year built from quarters only
     * (missing otherwise): the previous year's same quarters (Q1 to the
     * pack's quarter) combined by the annual rule, and the change on it. */
    rp_value ytd_prev;
    rp_value ytd_yoy_pct;
    rp_value ytd_change;    /* value − ytd_prev, in the measure's unit */
} compute_year;

typedef struct compute_trend {
    const model_measure *measure;
    const model_series *series;              /* whole-authority series */
    int quarterly;                           /* 1: years from quarters */
    compute_year *years; size_t nyears;        /* oldest first */
} compute_trend;

/* Does the year compare like for like (a year to date from quarters)? */
int compute_year_is_ytd(const compute_year *y);

/* ---- data quality ----------------------------------------------------- */
typedef enum {
    COMPUTE_QUALITY_MISSING = 1,      /* value absent in the pack's quarter */
    COMPUTE_QUALITY_SUPPRESSED,       /* absent by a statistics marker (c, x, z, …) */
    COMPUTE_QUALITY_STALE,            /* latest value older than stale_quarters */
    COMPUTE_QUALITY_NO_TARGET,        /* rated polarity but no target */
    COMPUTE_QUALITY_YEARLY,           /* whole-year series: rated on a year's value */
    COMPUTE_QUALITY_NO_COMMENTARY,    /* rated red with no commentary for the
                                         pack's period (a committee asks why) */
    COMPUTE_QUALITY_VOLATILE,         /* denominator below small_denominator */
    COMPUTE_QUALITY_NOT_USED          /* rows read but not used: periods after
                                         the pack's (targets set in advance),
                                         finance and commentary likewise;
                                         measure NULL for finance/commentary */
} compute_quality_kind;

typedef struct compute_quality {
    compute_quality_kind kind;
    const model_measure *measure;
    const char *breakdown;
    rp_period period;       /* period concerned */
    rp_miss miss;
    char *note;             /* human sentence, owned */
} compute_quality;

typedef struct compute_results {
    rp_period period;                     /* the pack's quarter, or its year
                                             for a yearly pack */
    compute_options opt;
    compute_rating *ratings; size_t nratings;  /* every series: measure order,
                                             whole first then breakdowns */
    compute_area *areas; size_t nareas;        /* model.areas order */
    size_t counts[RP_RAG_COUNT];                /* all whole-authority ratings */
    rp_rag overall;
    compute_finance *finance; size_t nfinance; /* per area with a finance row for
                                             the period, then "Total" last */
    compute_trend *trends; size_t ntrends;     /* every measure's whole series */
    compute_quality *dq; size_t ndq;
    rp_map index;   /* compute_find_rating: measure id → its first rating,
                       then per measure breakdown → rating */
} compute_results;

/* The contract's default period: the latest quarter in which at least
 * half of the rated quarterly measures (polarity not none, with quarter
 * rows) have a whole-authority value; else the latest quarter with any
 * value; else the latest year with a value (kind 0 if none). Each later
 * quarter with some values that was not chosen is named in a warning
 * (file: kpi.csv) when errs is not NULL. */
rp_period compute_default_period(const model *m, rp_errors *errs);

/* The financial year whose Q4 position (finance, quarterly measures'
 * annual figures) a pack reports: a quarter's or a financial year's own;
 * for a calendar or academic year the last financial year that has ended
 * by its end (CY 2025 and AY 2024/25 → 2024, i.e. 2024/25). */
int compute_pack_fy(rp_period pack);

/* period: the pack's quarter, or a whole year (financial, calendar,
 * academic) for a yearly pack; kind 0 means compute_default_period.
 * Returns 0, or -1 with an error (e.g. no data for that quarter). */
int compute_results_build(const model *m, const compute_options *opt, rp_period period,
               compute_results *r, rp_errors *errs);
void compute_results_free(compute_results *r);

const compute_rating *compute_find_rating(const compute_results *r, const char *measure_id,
                                const char *breakdown);
const compute_trend *compute_find_trend(const compute_results *r, const char *measure_id);
const compute_finance *compute_finance_total(const compute_results *r);

/* Trend for one series over `years` financial years ending with the
 * pack's year (used by compute_results_build). Fills t. */
void compute_trend_series(const model_series *s, rp_period pack_quarter, int years,
                     compute_trend *t);
/* A measure's whole-authority trend for a trend pack: the last `years`
 * years ending at (or before) `pack` (a quarter, or a whole year for
 * annual-only packs). Quarterly measures by financial year by the annual
 * rule; annual-only measures by their own kind of year, never relabelled.
 * Years before the data starts are left out (one is always kept). */
void compute_trend_measure(const model_measure *x, rp_period pack, int years,
                           compute_trend *t);
/* A measure's trend as a committee pack shows it: compute_trend_measure
 * at the pack's period, except that in a yearly pack a quarterly measure
 * ends at the Q4 of compute_pack_fy (so leading years before the data
 * starts are left out here too). */
void compute_trend_for_pack(const model_measure *x, rp_period pack, int years,
                            compute_trend *t);
void compute_trend_free(compute_trend *t);

/* The latest period with a value among the measures: a quarter if any of
 * them is reported quarterly, else their latest whole year (kind 0 if
 * none has a value). */
rp_period compute_latest_period(const model_measure *const *ms, size_t n);

/* ---- shared arithmetic ------------------------------------------------- */
/* (now − before) / |before| × 100, exact to 6 dp; missing when either is
 * missing, before is 0, or the result does not fit. */
rp_value compute_pct_change(rp_value now, rp_value before);
/* now − before in the measure's unit (for a percentage, points); missing
 * when either is missing or the result does not fit. */
rp_value compute_change(rp_value now, rp_value before);
/* Absolute index of a period's last month (months since year 0, Jan = 0),
 * so periods of different kinds can be compared and cut. 0 for none. */
long compute_end_month(rp_period p);
/* The month a measure's figure for period p was measured up to: a year
 * ends at its `year_ends` month where measures.csv gives one (the last
 * such month within the year: a calendar year 2025 with `Feb` ends in
 * February 2025), else as compute_end_month. def may be NULL. */
long compute_measure_end_month(const input_measure_row *def, rp_period p);
/* The financial quarter holding month index `month`. */
rp_period compute_quarter_of(long month);

#endif
