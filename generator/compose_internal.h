/* compose_internal.h — compose's own helpers, shared by the committee pack
 * (compose.c, compose_charts.c) and the trend pack (compose_trend.c) so
 * both format a figure, number a footnote and lay out a header row the
 * same way. Defined in compose_format.c; not for other modules. */
#ifndef RAGPACK_COMPOSE_INTERNAL_H
#define RAGPACK_COMPOSE_INTERNAL_H

#include "chart.h"
#include "compose.h"

#define COMPOSE_NA "n/a"
#define COMPOSE_H_LINE 210.0    /* figure heights, points */
#define COMPOSE_H_BARS 190.0

/* ---- values ------------------------------------------------------------- */
/* A measure's figure as a reader sees it, by unit: "52.3%", "£1.2m",
 * "63.8", "6,842". decimals from measures.csv win over the unit's. */
char *compose_fmt_value(const input_measure_row *def, rp_num n, char *buf,
                        size_t len);
/* A percentage, one place; sign: "+" before a rise. */
char *compose_fmt_pct(rp_num n, int sign, char *buf, size_t len);
/* A change as the contract gives it: for a percentage measure in
 * percentage points only ("+5.1 pts": 2.3% → 7.4% is never "+221.7%");
 * for any other unit the absolute change in the unit with the relative
 * change beside it when there is one ("+472 (+7.8%)", "-£1.2m (-5.0%)").
 * change = now − before; pct may be missing. "n/a" and 0 when change is
 * missing, else 1. */
int compose_fmt_change(const input_measure_row *def, rp_value change,
                       rp_value pct, char *buf, size_t len);
/* The "change on previous year" cell of a trend table, in both packs:
 * the change on the year before (compose_fmt_change); for a year to date
 * both comparisons, each named, so a part year is never read as a fall
 * against a full one: "-3,690 (-24.1%) compared with a full year; +240
 * (+2.1%) on the same quarters of 2022/23". Returns 0 when there is
 * nothing at all to show (buf is then "n/a"). */
int compose_fmt_year_change(const input_measure_row *def,
                            const compute_year *y, char *buf, size_t len);
/* "financial year", "calendar year", "academic year" for a year's kind. */
const char *compose_year_kind_words(int kind);

/* ---- benchmarks ---------------------------------------------------------- */
/* "2nd quartile, 41st of 152" (quartile 1 = best by polarity). */
void compose_rank_text(int rank, int ranked, char *buf, size_t len);
/* The regional comparator's heading, in both packs: the region the rows
 * with a regional figure name when they all name the same one, else the
 * template's region, else fallback. Add each such row's region (NULL or
 * "" when it names none), then ask for the heading. */
typedef struct compose_region {
    const char *name;
    int mixed;
} compose_region;
void compose_region_add(compose_region *r, const char *name);
const char *compose_region_heading(const compose_region *r,
                                   const pack_template *t,
                                   const char *fallback);

/* ---- footnotes: per table, one number per distinct reason ------------- */
typedef struct compose_notes {
    char *text[32];
    size_t n;
} compose_notes;

/* The footnote number for reason (added if new). */
int compose_note_ref(compose_notes *ns, const char *reason);
/* The notes as small paragraphs under the table ("[1] Suppressed [c]."),
 * kept on the page of the table's last row, then freed. */
void compose_notes_flush(document *d, compose_notes *ns);

/* ---- table cells ------------------------------------------------------- */
/* The figure, or "n/a" with a footnote: the missing value's reason, or
 * blank_reason (when not NULL) for a value simply left blank. */
void compose_cell_value(doc_cell *c, compose_notes *ns,
                        const input_measure_row *def, rp_value v,
                        const char *blank_reason);
/* A bold header row: the first column left, the others right. */
void compose_header_row(doc_block *t, const char *const *names, size_t n);

/* ---- names -------------------------------------------------------------- */
/* "Health and Care" → "health-and-care" after prefix: anchors. Owned. */
char *compose_slug(const char *prefix, const char *s);
/* "Title (unit label)". Owned. */
char *compose_measure_name(const model_measure *x);

/* ---- figures ------------------------------------------------------------ */
/* "<base>-<suffix>" with every non-alphanumeric a '-': ids become chart
 * file names. Owned. */
char *compose_fig_id(const char *base, const char *suffix);
/* The chart as a figure block of height h, titled and captioned by it. */
void compose_add_figure(document *d, chart *c, double h);
/* The quarters from Q1 of first_fy to the quarter last, into *out (owned). */
size_t compose_quarters(int first_fy, rp_period last, rp_period **out);

/* Why a year's row has no change on the year before (its footnote). */
const char *compose_no_change_why(const compute_year *y, int first);

/* The words every page and the file carry, for a pack or a trend pack of
 * period `per`: running header "Authority · Title · period", footer
 * "Committee · meeting date" (either alone; the authority when both are
 * empty), and title, author, subject, keywords. */
void compose_running_words(const pack_template *t, const char *per,
                           document *doc);

#endif
