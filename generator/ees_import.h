/* ees_import.h — import one column of a DfE explore-education-statistics (EES)
 * open-data CSV as contract-format kpi.csv / measures.csv rows for one
 * council, with the England and regional rows of the same period as its
 * comparators.  `ragpack import-ees` (see docs/import-ees.model). */
#ifndef RAGPACK_EES_IMPORT_H
#define RAGPACK_EES_IMPORT_H

#include "base.h"
#include "input.h"

/* Map an EES (time_period, time_identifier) pair to a contract period.
 *   Reporting year   2025    → 2024/25  (year to 31 March = that FY)
 *   Financial year   202425  → 2024/25
 *   Financial year Qn 202425 → 2024/25 Qn
 *   Academic year    202425  → AY 2024/25 (never relabelled as an FY)
 *   Calendar year    2024    → 2024
 * time_identifier is matched case-insensitively. Anything else (terms,
 * months, tax years, a malformed time_period) returns -1 with a reason
 * naming the text in why. */
int ees_period_map(const char *time_period, const char *time_identifier,
                  rp_period *out, char *why, size_t whylen);

typedef struct ees_options {
    const char *la;             /* new_la_code, old_la_code or la_name */
    const char *column;         /* the value column, e.g. rate_per_10000 */
    const char *measure;        /* measure id; NULL = the column name */
    const char *title;          /* NULL = the column name */
    const char *service_area;   /* NULL = "Imported" */
    const char *unit;           /* NULL = percent for pc_* columns,
                                   rate for *rate*, else count */
    const char *polarity;       /* NULL = none (not rated) */
    const char *annual;         /* NULL = last */
    const char **filters;       /* "column=value", all must hold */
    size_t nfilters;
    const char *out_dir;        /* NULL = "." */
} ees_options;

/* One imported period. Cells are contract text: a number as typed in the
 * source, a suppression marker (c, x, z, u, low), or "" when absent. */
typedef struct ees_row {
    rp_period period;
    long line;                  /* source line of the council's row */
    char *value, *national, *regional;
} ees_row;

typedef struct ees_result {
    char *la_name, *la_code;    /* as found in the source */
    ees_row *rows;               /* sorted by period */
    size_t nrows;
} ees_result;

/* Pick the council's rows and their comparators out of a read CSV. All
 * problems are added to errs (unknown LA or column, bad period, bad
 * number, two rows for one period). Returns 0 or -1. */
int ees_extract(const input_csv *csv, const ees_options *o, ees_result *res,
               rp_errors *errs);
void ees_result_free(ees_result *r);

/* Merge into out_dir/kpi.csv and out_dir/measures.csv, each replaced
 * atomically. kpi rows are keyed by (measure, period, breakdown): a key
 * already present has its value, national and regional replaced (its
 * target and any other columns kept); new keys are appended; rows of
 * other measures are untouched. The measures.csv row with the same id is
 * updated with the options given explicitly, or appended. Returns 0/-1. */
int ees_write(const ees_options *o, const ees_result *res, rp_errors *errs);

/* The option values a user typed are usable: --la and --column given,
 * unit, polarity and annual among their words, the measure id valid.
 * Returns 0, or -1 with one line saying what is wrong in why. */
int ees_options_check(const ees_options *o, char *why, size_t len);

/* `ragpack import-ees`: read file, extract, write into o->out_dir. On
 * success res holds what was imported (free with ees_result_free).
 * Returns 0, or -1 with every problem in errs. */
int ees_import_run(const char *file, const ees_options *o, ees_result *res,
                   rp_errors *errs);

#endif
