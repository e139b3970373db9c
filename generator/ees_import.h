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

/* The council's statistical or CIPFA nearest neighbours (`--neighbours
 * FILE`): one LA code or name a line; blank lines and lines starting with
 * '#' are skipped. */
typedef struct ees_neighbours {
    const char *path;
    char **las;
    long *lines;                /* each one's line in path */
    size_t n;
} ees_neighbours;

int ees_neighbours_read(const char *path, ees_neighbours *nb, rp_errors *errs);
void ees_neighbours_free(ees_neighbours *nb);

/* A repeatable option's values, in the order given. */
typedef struct ees_list {
    const char **v;
    size_t n;
} ees_list;

typedef struct ees_options {
    const char *la;             /* new_la_code, old_la_code or la_name */
    const char *column;         /* the value column, e.g. rate_per_10000 */
    const char *measure;        /* measure id; NULL = the column name */
    const char *title;          /* NULL = the column name */
    const char *service_area;   /* NULL = "Imported" */
    const char *unit;           /* NULL = percent for pc_* columns,
                                   rate for *rate*, else count */
    const char *polarity;       /* NULL = none (not rated, not ranked) */
    const char *annual;         /* NULL = last */
    const char *year_ends;      /* Jan…Dec, or "none"; NULL = Feb for a
                                   NEET column (DfE's Dec–Feb average),
                                   else not written */
    const char **filters;       /* "column=value", all must hold */
    size_t nfilters;
    const char *out_dir;        /* NULL = "."; created when absent */
    const ees_neighbours *neighbours;   /* NULL = no neighbours column */
    /* Several --column in one call, each its own measure. When columns.n
     * > 0 it replaces `column`; measures and titles are empty or one per
     * column, in the same order; units and polarities are empty, one for
     * every column, or one per column. ees_options_pick gives the
     * single-column options of the i-th. */
    ees_list columns, measures, titles, units, polarities;
} ees_options;

/* How many measures the options import (columns.n, or 1). */
size_t ees_options_count(const ees_options *o);
/* The options for the i-th column alone (lists resolved into the
 * single fields, lists emptied). */
void ees_options_pick(const ees_options *o, size_t i, ees_options *one);

/* "feb", "February", "Feb" → "Feb"; NULL if not a month. */
const char *ees_month(const char *text);

/* One imported period. Cells are contract text: a number as typed in the
 * source, a suppression marker (c, x, z, u, low), or "" when absent. */
typedef struct ees_row {
    rp_period period;
    long line;                  /* source line of the council's row */
    char *value, *national, *regional;
    char *neighbours;           /* their mean, "" without --neighbours or
                                   when none has a value */
    char *region;               /* the council's region_name, "" if none */
    /* Among the file's local authorities with a value for the period
     * (suppressed and missing values excluded): how many are above and
     * below the council's value, and how many there are. ranked = 0 when
     * the council has no value. Ties share a rank. */
    int above, below, ranked;
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

/* The rank written for a row under a polarity ("higher" or "lower"),
 * 1 = best; 0 for "none" or no value. */
int ees_rank(const ees_row *r, const char *polarity);

/* Merge into out_dir/kpi.csv and out_dir/measures.csv, each replaced
 * atomically. kpi rows are keyed by (measure, period, breakdown): a key
 * already present has its value, national and regional replaced (its
 * target and any other columns kept); new keys are appended; rows of
 * other measures are untouched. Beside them: `region` (the region's name),
 * `neighbours` (with o->neighbours) and `rank`/`ranked` (by the measure's
 * polarity: the option, else its measures.csv row's; blank for none).
 * The measures.csv row with the same id is updated with the options given
 * explicitly, or appended; `year_ends` is written when known. The folder
 * is created when absent. Returns 0/-1. */
int ees_write(const ees_options *o, const ees_result *res, rp_errors *errs);

/* The option values a user typed are usable: --la and --column given,
 * unit, polarity and annual among their words, the measure id valid.
 * Returns 0, or -1 with one line saying what is wrong in why. */
int ees_options_check(const ees_options *o, char *why, size_t len);

/* `ragpack import-ees`: read file, extract every column (with
 * o->neighbours as already read), then write them all into
 * o->out_dir (created when absent). res is an array of
 * ees_options_count(o) results; on success each holds what was imported
 * (free each with ees_result_free). Returns 0, or -1 with every problem
 * in errs and nothing written. */
int ees_import_run(const char *file, const ees_options *o, ees_result *res,
                   rp_errors *errs);

#endif
