/* input.h — read: CSV files (via libcsv) into records with source lines, and
 * the four input files of the data contract into typed rows. Every
 * problem found is added to the rp_errors list (all of them, not just the
 * first), named by file, line, column and the text found. */
#ifndef RAGPACK_INPUT_H
#define RAGPACK_INPUT_H

#include "base.h"

/* ---- raw CSV ---------------------------------------------------------- */
typedef struct input_record {
    char **fields;      /* UTF-8, NUL-terminated, quotes removed, spaces kept */
    size_t nfields;
    long line;          /* physical line the record starts on (1-based) */
} input_record;

typedef struct input_csv {
    char *path;         /* as given */
    input_record *recs;    /* recs[0] is the header when nrecs > 0 */
    size_t nrecs, cap;
} input_csv;

/* Read a whole CSV: strips a UTF-8 BOM, accepts LF, CRLF and bare CR, RFC
 * 4180 quoting (strict: a stray quote is an error), validates UTF-8 (an
 * invalid byte is an error naming line and byte column). Blank lines are
 * skipped. Returns 0, or -1 with errors added (out is then empty). */
int input_csv_read(const char *path, input_csv *out, rp_errors *errs);
/* The same from memory; `name` is used in messages. */
int input_csv_parse(const char *name, const char *buf, size_t len, input_csv *out,
                 rp_errors *errs);
/* Flags for input_csv_parse_ex. INPUT_CSV_KEEP_BLANK reads a blank line as a
 * record of one empty field, as RFC 4180 does (the third-party suites
 * expect it); the data files skip blank lines, which Excel leaves behind. */
enum { INPUT_CSV_KEEP_BLANK = 1 };
int input_csv_parse_ex(const char *name, const char *buf, size_t len,
                    unsigned flags, input_csv *out, rp_errors *errs);
void input_csv_free(input_csv *c);

/* The same parse, streamed: fn gets each record (the header first) with
 * its fields in a buffer reused for the next record, so a file of
 * millions of rows is never held as records. The checks and messages are
 * input_csv_parse_ex's; on -1, fn may already have seen the records before
 * the error. */
typedef void (*input_csv_each_fn)(const input_record *rec, void *ctx);
int input_csv_each(const char *name, const char *buf, size_t len,
                   unsigned flags, input_csv_each_fn fn, void *ctx,
                   rp_errors *errs);

/* Column index by case-insensitive name (surrounding spaces ignored) in
 * the header, or -1. */
int input_csv_column(const input_csv *c, const char *name);
/* The next such column after index `after` (-1: from the start), or -1. */
int input_csv_column_after(const input_csv *c, const char *name, int after);

/* ---- the data contract's typed rows ----------------------------------- */
typedef enum { INPUT_POL_HIGHER = 0, INPUT_POL_LOWER, INPUT_POL_NONE } input_polarity;
typedef enum { INPUT_ANNUAL_LAST = 0, INPUT_ANNUAL_SUM, INPUT_ANNUAL_MEAN } input_annual;

const char *input_polarity_name(input_polarity p);
const char *input_annual_name(input_annual a);

typedef struct input_measure_row {
    long line;
    char *id;
    char *title;
    char *service_area;
    rp_unit unit;
    char *unit_label;       /* "" when absent */
    char **tags; size_t ntags;  /* optional `tags` column, split on ';',
                                   e.g. "highways;environment" */
    input_polarity polarity;
    int tol_relative;       /* 1: tolerance is a % of the target */
    rp_num tolerance;       /* 5% → 5*RP_SCALE with tol_relative=1 */
    input_annual annual;
    int decimals;           /* places shown; -1 = default by unit */
    int cumulative;         /* 1: a year-to-date figure that resets each
                               April (`cumulative: yes`) */
    int year_ends;          /* optional `year_ends`: the month (1 = Jan …
                               12 = Dec) its yearly figures are measured up
                               to; 0 = the kind of year's own end */
} input_measure_row;

/* The optional benchmarking and volume columns (committee packs), kept
 * out of line: most rows of a large file have none of them, and a row
 * without them then costs 112 bytes instead of 168. */
typedef struct input_kpi_extra {
    rp_value neighbours;    /* statistical/CIPFA nearest-neighbour average */
    rp_value numerator, denominator;    /* what a rate is made of */
    int rank, ranked;       /* position among `ranked` authorities, 1 =
                               best by polarity; 0 = not given */
    const char *region;     /* the regional comparator's region, "" if not
                               named ("East Midlands") */
} input_kpi_extra;

typedef struct input_kpi_row {
    long line;
    char *measure;
    char *breakdown;        /* "" = whole authority */
    const input_kpi_extra *extra;   /* NULL: none given (values missing,
                                       ranks 0, region "") */
    rp_period period;
    rp_value value, target, national, regional;
} input_kpi_row;

typedef struct input_finance_row {
    long line;
    char *service_area;
    rp_period period;       /* always a quarter */
    rp_value budget, forecast, savings_target, savings_forecast;
} input_finance_row;

typedef struct input_comment_row {
    long line;
    char *scope;            /* measure id, service area name, or "overall" */
    rp_period period;
    char *text;             /* paragraphs separated by '\n' (CRLF folded) */
} input_comment_row;

typedef struct input_folder {
    char *dir;
    char *measures_path, *kpi_path, *finance_path, *commentary_path;
    input_measure_row *measures; size_t nmeasures;
    input_kpi_row *kpis;         size_t nkpis;
    input_finance_row *finance;  size_t nfinance;
    input_comment_row *comments; size_t ncomments;   /* commentary.csv optional */
    rp_intern strings;  /* kpi measure and breakdown strings (input_read) */
    input_kpi_extra **extras; size_t nextras;   /* the rows' extras, in
                                                   blocks (input_read) */
} input_folder;

/* Read measures.csv, kpi.csv, finance.csv and (if present)
 * commentary.csv from dir. Checks each cell: required columns present,
 * ids well-formed, enums known, numbers and periods valid. Cross-file
 * checks (duplicates, unknown measures) belong to the model. Keeps going after
 * an error so every problem is reported. Returns 0 when no error was
 * added, else -1 (rows that were valid are still kept). */
int input_read(const char *dir, input_folder *in, rp_errors *errs);
void input_free(input_folder *in);
/* Frees the kpi rows once the model has taken what it needs (it copies
 * values and borrows only the interned strings and the extras, which stay
 * until input_free): 112 bytes a row, ~350 MiB of a 3.24 M-row kpi.csv,
 * no longer held while a pack is composed. */
void input_release_kpis(input_folder *in);

#endif
