/* base.h — types shared by every stage of ragpack: exact decimals, values
 * that may be missing, financial-year periods, and the one error type.
 *
 * The modules, in pipeline order, are listed in DEVELOPERS.md; this one is
 * below them all. Functions here keep the project prefix rp_ (as cmark's
 * keep cmark_).
 */
#ifndef RAGPACK_BASE_H
#define RAGPACK_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RP_VERSION "0.1.0"

/* ---- exact decimals -------------------------------------------------
 * Figures are compared as the decimals they were typed as, so they are
 * held as fixed-point integers in millionths: 12.5 → 12500000.
 * int64 holds ±9.2e12 in units, far above any council budget (£ bn). */
typedef int64_t rp_num;
#define RP_SCALE INT64_C(1000000)
#define RP_SCALE_DIGITS 6

/* Why a value is absent. EMPTY is a blank cell; the others are the UK
 * official-statistics markers (contract: "missing, never zero"). */
typedef enum {
    RP_MISS_NONE = 0,   /* the value is present */
    RP_MISS_EMPTY,      /* blank cell: not provided */
    RP_MISS_C,          /* c  : confidential / suppressed */
    RP_MISS_X,          /* x, .., :, N/A, NA, -, * : not available */
    RP_MISS_Z,          /* z  : not applicable */
    RP_MISS_U,          /* u  : low reliability */
    RP_MISS_LOW         /* low: rounds to zero but is not zero */
} rp_miss;

/* num first: 16 bytes instead of 24 (no padding between the small
 * fields), which matters at millions of kpi rows. */
typedef struct rp_value {
    rp_num num;
    rp_miss miss;       /* RP_MISS_NONE when num is valid */
    int8_t decimals;    /* decimal places as typed (after k/m/bn scaling);
                           -1 when unknown or more than RP_SCALE_DIGITS */
} rp_value;

static inline int rp_has(rp_value v) { return v.miss == RP_MISS_NONE; }
rp_value rp_value_of(rp_num n);          /* present value, decimals -1 */
rp_value rp_value_missing(rp_miss why);

/* Flags for rp_num_parse. */
enum {
    RP_NUM_MONEY = 1,   /* allow k / m / bn suffix */
};

/* Parse a number cell as the contract spells it: optional surrounding
 * spaces, leading '£', thousands separators ("1,234"), trailing '%',
 * k/m/bn (with RP_NUM_MONEY), '-5' or '(5)'. Markers and blank give a
 * missing value. Returns 0 and fills *out, or -1 and writes a reason
 * ("is not a number") into why. More than 6 decimal places are rounded
 * half away from zero to 6. */
int rp_num_parse(const char *text, unsigned flags, rp_value *out,
                 char *why, size_t whylen);

/* Classify a suppression marker (case-insensitive, with or without
 * square brackets). Returns RP_MISS_NONE if text is not a marker. A blank
 * or all-space cell gives RP_MISS_EMPTY. */
rp_miss rp_marker(const char *text);
const char *rp_miss_reason(rp_miss m);   /* "suppressed [c]" etc. */

/* Format with exactly `decimals` places (rounded half away from zero),
 * optional thousands separators. buf gets "-1,234.50". Returns buf. */
char *rp_num_format(rp_num n, int decimals, int thousands,
                    char *buf, size_t len);
/* Plain full precision for CSV export: no separators, no trailing zeros
 * beyond what is needed ("12.5", "-3", "0.000001"). */
char *rp_num_plain(rp_num n, char *buf, size_t len);

/* |n|; INT64_MIN (which a difference can reach) is held at INT64_MAX
 * rather than overflowing. */
static inline rp_num rp_num_abs(rp_num n)
{
    return n == INT64_MIN ? INT64_MAX : n < 0 ? -n : n;
}
/* a*b/c with exact 128-bit intermediate, rounded half away from zero. */
rp_num rp_num_muldiv(rp_num a, rp_num b, rp_num c);
double rp_num_to_double(rp_num n);

/* ---- periods ---------------------------------------------------------
 * UK local-government financial years run April–March. fy is the
 * calendar year the financial year starts in (2023/24 → 2023). */
typedef enum {
    RP_PER_QUARTER = 1, /* 2023/24 Q3 */
    RP_PER_FYEAR = 2,   /* 2023/24 (whole financial year) */
    RP_PER_CYEAR = 3,   /* 2024 (calendar year; annual-only measures) */
    RP_PER_AYEAR = 4    /* AY 2024/25 (academic year Sept–Aug; annual-only) */
} rp_per_kind;

typedef struct rp_period {
    int kind;           /* rp_per_kind, 0 = none */
    int fy;             /* 2023 for 2023/24 (AYEAR: 2024 for AY 2024/25;
                           CYEAR: the calendar year) */
    int q;              /* 1..4 for quarters, 0 for a whole year */
} rp_period;

/* Accepts "2023/24 Q3", "2023-24 Q3", "Q3 2023/24", "2023/24 Quarter 3",
 * "2023/24", "2023-24" (case-insensitive, surrounding spaces ignored; the
 * second year must follow the first), and for annual-only measures a
 * calendar year "2024" and an academic year "AY 2024/25". Returns 0 or -1. */
int rp_period_parse(const char *text, rp_period *out);
/* "2023/24 Q3", "2023/24", "2024", "AY 2024/25". Returns buf. */
char *rp_period_format(rp_period p, char *buf, size_t len);
/* "Quarter 3 2023/24 (October–December 2023)" for covers. */
char *rp_period_long(rp_period p, char *buf, size_t len);
/* Total order by start date (FY: April, AY: September, CY: January); a
 * whole financial year sorts after its own Q4. */
int rp_period_cmp(rp_period a, rp_period b);
rp_period rp_quarter(int fy, int q);
rp_period rp_fyear(int fy);
rp_period rp_period_prev_quarter(rp_period p);   /* Q1 → prior year's Q4 */
rp_period rp_period_year_earlier(rp_period p);

/* ---- the words every stage shares --------------------------------------
 * One enum per concept and one word table each, so compute, compose,
 * layout, charts and the exports never keep encodings of their own. */
typedef enum {
    RP_UNIT_COUNT = 0, RP_UNIT_PERCENT, RP_UNIT_GBP, RP_UNIT_RATE,
    RP_UNIT_DAYS, RP_UNIT_NUMBER
} rp_unit;
#define RP_UNIT_KINDS 6
extern const char *const rp_unit_names[RP_UNIT_KINDS];  /* "count", … */
const char *rp_unit_name(rp_unit u);

/* A measure's RAG rating; RP_RAG_NONE is "not rated". */
typedef enum { RP_RAG_NONE = 0, RP_RAG_GREEN, RP_RAG_AMBER, RP_RAG_RED } rp_rag;
#define RP_RAG_COUNT 4
const char *rp_rag_name(rp_rag r);   /* "green","amber","red","none" (CSV) */
const char *rp_rag_label(rp_rag r);  /* "Green","Amber","Red","Not rated" */

/* Direction of travel, judged by polarity. */
typedef enum {
    RP_DIR_NONE = 0, RP_DIR_IMPROVING, RP_DIR_NO_CHANGE, RP_DIR_WORSENING
} rp_direction;
const char *rp_direction_name(rp_direction d);   /* "improving","no_change","worsening","none" */
const char *rp_direction_label(rp_direction d);  /* "Better","Same","Worse","n/a" */

/* How measure ratings roll up into a service area's and the overall
 * assessment (template key rollup.rule). */
typedef enum {
    RP_ROLLUP_SCORE = 0,  /* default: mean score of rated measures,
                             green 3 / amber 2 / red 1; mean ≥ green_at →
                             green, ≥ amber_at → amber, else red */
    RP_ROLLUP_WORST,      /* the worst rating present */
    RP_ROLLUP_MAJORITY    /* the most common rating; ties go to the worse */
} rp_rollup;

/* Which chart files a build writes beside the PDF: --chart-files, the
 * template key chart_files and the batch manifest column chart_files.
 * DEFAULT (0) in an option struct defers to the template, whose default
 * is ALL. */
typedef enum {
    RP_CHART_FILES_DEFAULT = 0, RP_CHART_FILES_ALL, RP_CHART_FILES_PNG,
    RP_CHART_FILES_SVG, RP_CHART_FILES_NONE
} rp_chart_files;
/* "all", "png", "svg" or "none" (case-insensitive) → the value, else -1. */
int rp_chart_files_parse(const char *text);
const char *rp_chart_files_name(rp_chart_files c);   /* "all", … */

/* ---- errors ----------------------------------------------------------
 * One error type: file, line, column, message. Printed as
 *   file:line: column: message      (line 0 / column NULL are left out) */
typedef enum { RP_SEV_ERROR = 0, RP_SEV_WARNING = 1 } rp_sev;

typedef struct rp_error {
    rp_sev sev;
    char *file;         /* path as given by the user, may be NULL */
    long line;          /* 1-based physical line, 0 when not applicable */
    char *column;       /* column name, e.g. "value"; may be NULL */
    char *message;
} rp_error;

typedef struct rp_errors {
    rp_error *v;
    size_t n, cap;
    size_t nerrors, nwarnings;
} rp_errors;

void rp_errors_init(rp_errors *e);
void rp_errors_free(rp_errors *e);
/* Adds one diagnostic; the strings are copied. */
void rp_error_add(rp_errors *e, rp_sev sev, const char *file, long line,
                  const char *column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
#define rp_err(e, file, line, col, ...) \
    rp_error_add((e), RP_SEV_ERROR, (file), (line), (col), __VA_ARGS__)
#define rp_warn(e, file, line, col, ...) \
    rp_error_add((e), RP_SEV_WARNING, (file), (line), (col), __VA_ARGS__)
/* "file:line: column: message" (warnings get "warning: " before message). */
void rp_error_format(const rp_error *err, char *buf, size_t len);
void rp_errors_print(const rp_errors *e, FILE *out);

/* ---- stopping cleanly -------------------------------------------------
 * The command line's SIGINT/SIGTERM/SIGHUP handler calls rp_request_stop;
 * every long loop (reading, modelling, computing, laying out, rendering)
 * asks rp_interrupted, which adds one "interrupted" error and returns 1,
 * so a build stops within moments, removes its temporary files and
 * leaves the last good pack as it was. */
void rp_request_stop(int sig);  /* async-signal-safe; 0 clears a request */
int rp_stop_requested(void);    /* the signal, or 0 */
int rp_interrupted(rp_errors *errs);

/* ---- small helpers ---------------------------------------------------- */
void *rp_xmalloc(size_t n);              /* abort on OOM */
void *rp_xcalloc(size_t n, size_t sz);
void *rp_xrealloc(void *p, size_t n);
char *rp_xstrdup(const char *s);
char *rp_xstrndup(const char *s, size_t n);
/* A copy without surrounding spaces and tabs; NULL gives "". */
char *rp_xstrdup_trim(const char *s);
char *rp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grow *v (element size sz) so it holds at least need elements. */
void rp_grow(void **v, size_t *cap, size_t need, size_t sz);
int rp_strcaseeq(const char *a, const char *b);   /* ASCII case-fold */
/* Up to max of names closest to `unknown` by case-insensitive edit
 * distance (about half the name may differ), nearest first, joined by
 * ", "; NULL when none is close. For "did you mean" hints. Caller frees. */
char *rp_closest(const char *unknown, const char *const *names, size_t n,
                 size_t max);

/* Growable byte buffer (for building text). */
typedef struct rp_buf { char *s; size_t len, cap; } rp_buf;
void rp_buf_init(rp_buf *b);
void rp_buf_free(rp_buf *b);
void rp_buf_add(rp_buf *b, const char *s, size_t n);
void rp_buf_puts(rp_buf *b, const char *s);
/* s with & < > " written as XML entities (SVG, HTML, XMP). */
void rp_buf_xml(rp_buf *b, const char *s);
void rp_buf_printf(rp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* v with two decimals, exactly as "%.2f" prints it ("-0.00" included),
 * by integer arithmetic where that is certain and by printf where it is
 * not (a value whose hundredths sit within a millionth of a tie, or beyond
 * ±10^12, NaN, infinities): chart path coordinates, thousands a pack. */
void rp_buf_fixed2(rp_buf *b, double v);

/* ---- hash index and interning (strmap.c) ------------------------------
 * Keys are byte strings (not copied: they must outlive the map) in a
 * numeric namespace, so one map can index e.g. breakdowns per measure. */
typedef struct rp_map_slot {
    const char *key;    /* NULL = empty slot */
    size_t len;
    uint64_t ns, hash;
    size_t value;
} rp_map_slot;
typedef struct rp_map { rp_map_slot *slots; size_t cap, n; } rp_map;
/* The hash the map uses: of key[0..len) in namespace ns. */
uint64_t rp_hash(uint64_t ns, const char *key, size_t len);
void rp_map_init(rp_map *m);
void rp_map_free(rp_map *m);
/* The value stored for (ns, key), or NULL. */
size_t *rp_map_find(const rp_map *m, uint64_t ns, const char *key, size_t len);
/* The value slot for (ns, key), added (value 0, *added = 1) if new. The
 * pointer is valid until the next put. */
size_t *rp_map_put(rp_map *m, uint64_t ns, const char *key, size_t len,
                   int *added);

/* One copy of each distinct string, kept until rp_intern_free: repeated
 * cells (measure ids, breakdowns) cost one allocation, not one per row. */
typedef struct rp_intern {
    rp_map map;
    struct intern_block *blocks;
} rp_intern;
void rp_intern_init(rp_intern *p);
void rp_intern_free(rp_intern *p);
/* The interned, NUL-terminated copy of s[0..len). */
const char *rp_intern_str(rp_intern *p, const char *s, size_t len);
/* s as a JSON string (quoted, escaped); NULL as null. */
void rp_json_string(FILE *fp, const char *s);

/* ---- files (files.c) ------------------------------------------------- */
int rp_is_dir(const char *path);
/* The folder part of path: "a/b" → "a", "b" → ".", "/b" → "/". */
char *rp_dirname(const char *path);
/* mkdir -p; 0 or -1 with errno. */
int rp_mkdir_p(const char *path);
/* rm -rf of a folder this program made (no links followed); NULL is ok. */
void rp_rm_rf(const char *path);
/* Input files are read only when they are regular files (or links to
 * one): a FIFO, a device or /dev/zero would block or never end. Each kind
 * has a size limit, documented in README.md ("Limits"). */
#define RP_MAX_DATA_BYTES     ((size_t)1 << 30)    /* CSV inputs, manifests */
#define RP_MAX_TEMPLATE_BYTES ((size_t)1 << 20)    /* templates */
#define RP_MAX_FONT_BYTES     ((size_t)64 << 20)   /* TrueType fonts */
/* 0 if path is a regular file of at most max bytes, else -1 with the
 * reason ("is a pipe (FIFO), not a regular file") in why. */
int rp_input_check(const char *path, size_t max, char *why, size_t len);
/* The whole of such a file, NUL-terminated; NULL with the reason in why. */
char *rp_read_input(const char *path, size_t max, size_t *len, char *why,
                    size_t whylen);
/* The same, with the reason as an error "cannot read the WHAT: …". */
char *rp_read_named(const char *path, size_t max, size_t *len,
                    const char *what, rp_errors *errs);
/* An identifier: letters, digits, '_', '-', '.'; not empty. */
int rp_valid_id(const char *s);
/* One CSV field (NULL is empty), RFC 4180 quoted when it holds a comma,
 * quote or line break, or starts or ends with a space (which a reader
 * that trims would lose). The one CSV field writer of every CSV output.
 * Text beginning =, +, -, @, tab or CR gets a leading ' so no spreadsheet
 * runs it as a formula (OWASP); numbers and missing-value markers not. */
void rp_csv_field(FILE *out, const char *s);

/* A file written atomically: created as a temp file beside path (mode
 * 0666 less the umask), renamed over path only by a successful commit, so
 * readers see the old file or the new one, never half of one, and a
 * failed run leaves the old file untouched. */
typedef struct rp_atomic {
    FILE *f;
    char *tmp, *path;
    int no_sync;    /* set before commit to skip the fsync, when the caller
                       syncs many files at once (e.g. syncfs) */
} rp_atomic;
/* 0, or -1 with an error naming path. */
int rp_atomic_open(rp_atomic *a, const char *path, rp_errors *errs);
/* ok = the caller's writes succeeded. Flushes, syncs, closes and renames
 * when ok, else removes the temp file. 0, or -1 with an error. */
int rp_atomic_commit(rp_atomic *a, int ok, rp_errors *errs);

#endif
