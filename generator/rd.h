/* rd.h — read: CSV files (via libcsv) into records with source lines, and
 * the four input files of the data contract into typed rows. Every
 * problem found is added to the rp_errors list (all of them, not just the
 * first), named by file, line, column and the text found. */
#ifndef RD_H
#define RD_H

#include "rp.h"

/* ---- raw CSV ---------------------------------------------------------- */
typedef struct rd_record {
    char **fields;      /* UTF-8, NUL-terminated, quotes removed, spaces kept */
    size_t nfields;
    long line;          /* physical line the record starts on (1-based) */
} rd_record;

typedef struct rd_csv {
    char *path;         /* as given */
    rd_record *recs;    /* recs[0] is the header when nrecs > 0 */
    size_t nrecs;
} rd_csv;

/* Read a whole CSV: strips a UTF-8 BOM, accepts LF, CRLF and bare CR, RFC
 * 4180 quoting (strict: a stray quote is an error), validates UTF-8 (an
 * invalid byte is an error naming line and byte column). Blank lines are
 * skipped. Returns 0, or -1 with errors added (out is then empty). */
int rd_csv_read(const char *path, rd_csv *out, rp_errors *errs);
/* The same from memory; `name` is used in messages. */
int rd_csv_parse(const char *name, const char *buf, size_t len, rd_csv *out,
                 rp_errors *errs);
/* Flags for rd_csv_parse_ex. RD_CSV_KEEP_BLANK reads a blank line as a
 * record of one empty field, as RFC 4180 does (the third-party suites
 * expect it); the data files skip blank lines, which Excel leaves behind. */
enum { RD_CSV_KEEP_BLANK = 1 };
int rd_csv_parse_ex(const char *name, const char *buf, size_t len,
                    unsigned flags, rd_csv *out, rp_errors *errs);
void rd_csv_free(rd_csv *c);

/* Column index by case-insensitive name (surrounding spaces ignored) in
 * the header, or -1. */
int rd_csv_column(const rd_csv *c, const char *name);

/* ---- the data contract's typed rows ----------------------------------- */
typedef enum {
    RD_UNIT_COUNT = 0, RD_UNIT_PERCENT, RD_UNIT_GBP, RD_UNIT_RATE,
    RD_UNIT_DAYS, RD_UNIT_NUMBER
} rd_unit;
typedef enum { RD_POL_HIGHER = 0, RD_POL_LOWER, RD_POL_NONE } rd_polarity;
typedef enum { RD_ANNUAL_LAST = 0, RD_ANNUAL_SUM, RD_ANNUAL_MEAN } rd_annual;

const char *rd_unit_name(rd_unit u);          /* "count", "percent", … */
const char *rd_polarity_name(rd_polarity p);
const char *rd_annual_name(rd_annual a);

typedef struct rd_measure_row {
    long line;
    char *id;
    char *title;
    char *service_area;
    rd_unit unit;
    char *unit_label;       /* "" when absent */
    rd_polarity polarity;
    int tol_relative;       /* 1: tolerance is a % of the target */
    rp_num tolerance;       /* 5% → 5*RP_SCALE with tol_relative=1 */
    rd_annual annual;
    int decimals;           /* places shown; -1 = default by unit */
} rd_measure_row;

typedef struct rd_kpi_row {
    long line;
    char *measure;
    rp_period period;
    rp_value value, target, national, regional;
    char *breakdown;        /* "" = whole authority */
} rd_kpi_row;

typedef struct rd_finance_row {
    long line;
    char *service_area;
    rp_period period;       /* always a quarter */
    rp_value budget, forecast, savings_target, savings_forecast;
} rd_finance_row;

typedef struct rd_comment_row {
    long line;
    char *scope;            /* measure id, service area name, or "overall" */
    rp_period period;
    char *text;             /* paragraphs separated by '\n' (CRLF folded) */
} rd_comment_row;

typedef struct rd_input {
    char *dir;
    char *measures_path, *kpi_path, *finance_path, *commentary_path;
    rd_measure_row *measures; size_t nmeasures;
    rd_kpi_row *kpis;         size_t nkpis;
    rd_finance_row *finance;  size_t nfinance;
    rd_comment_row *comments; size_t ncomments;   /* commentary.csv optional */
} rd_input;

/* Read measures.csv, kpi.csv, finance.csv and (if present)
 * commentary.csv from dir. Checks each cell: required columns present,
 * ids well-formed, enums known, numbers and periods valid. Cross-file
 * checks (duplicates, unknown measures) belong to md. Keeps going after
 * an error so every problem is reported. Returns 0 when no error was
 * added, else -1 (rows that were valid are still kept). */
int rd_input_read(const char *dir, rd_input *in, rp_errors *errs);
void rd_input_free(rd_input *in);

#endif
