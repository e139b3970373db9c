/* chart.h — charts. Geometry is built with cairo on a context whose matrix
 * maps chart space to page space; each finished path is handed to a sink.
 * The PDF renderer's sink replays it as libharu path operators (vectors,
 * never pictures); the PNG and SVG sinks paint it with cairo. Chart text
 * goes to the sink as text, so in the PDF it is real, selectable text.
 *
 * Coordinates given to sinks are page points, y measured DOWN from the top
 * of the page (like layout boxes).
 *
 * Constructors take plain data (rp_value arrays whose miss flag marks a
 * gap, category labels, a unit); compose_charts.c converts model results. Every
 * chart keeps an id, a title and a one-sentence summary written from its
 * data, used as caption and alt text. */
#ifndef RAGPACK_CHART_H
#define RAGPACK_CHART_H

#include <cairo.h>
#include "base.h"
#include "template.h"
#include "fonts.h"

typedef struct chart chart;

typedef struct chart_sink {
    void *ctx;
    /* Fill the path (device = page coordinates, y down). */
    void (*fill)(void *ctx, const cairo_path_t *path, template_rgb color);
    /* Stroke the path; width and dash lengths already in page points. */
    void (*stroke)(void *ctx, const cairo_path_t *path, template_rgb color,
                   double width, const double *dash, int ndash);
    /* One line of text with its baseline starting at (x, y), rotated by
     * angle radians counter-clockwise about that point. */
    void (*text)(void *ctx, double x, double y, fonts_face face, double size,
                 template_rgb color, double angle, const char *utf8);
} chart_sink;

/* Walk a path as sinks receive it: fn gets 'M' or 'L' with one point,
 * 'C' with three (x1 y1 x2 y2 x3 y3) or 'Z' with none, in page points.
 * Returns the number of subpaths ('M'). Every sink draws through it. */
typedef void (*chart_path_fn)(void *ctx, char op, const double *xy);
int chart_path_walk(const cairo_path_t *p, chart_path_fn fn, void *ctx);

void chart_destroy(chart *c);
/* Draw chart c into the box (x, y, w, h) of a page. */
void chart_draw(const chart *c, const pack_template *t, fonts *fonts,
             double x, double y, double w, double h, const chart_sink *sink);

/* ---- units and numbers ------------------------------------------------ */

/* A value for a label: "7,480", "12.5%", "£5.4m", "£640k", "£950",
 * "-£1.2m". decimals < 0 takes the unit's default (count/GBP 0, others 1).
 * Exact (rp_num). Returns buf. */
char *chart_format(rp_num v, rp_unit unit, int decimals, char *buf, size_t len);
/* A signed change: "+22.2%" / "-3.0%" (pct), always with a sign, "0.0%"
 * for no change. */
char *chart_format_pct_change(rp_num pct, char *buf, size_t len);

/* "Nice" axis: the smallest step from {1, 2, 2.5, 5} × 10^n that covers
 * [lo, hi] in at most `max_intervals` intervals (≥ 1), with the ends
 * rounded out to multiples of the step. Returns the number of ticks
 * (intervals + 1); *first and *step describe them. */
int chart_ticks(double lo, double hi, int max_intervals, double *first,
             double *step);

/* ---- chart constructors ---------------------------------------------
 * All strings and arrays are copied. n/ncat ≥ 1 unless stated. */
typedef enum {
    CHART_MAIN = 0,      /* the measure: solid, palette.series[0], markers */
    CHART_TARGET,        /* dashed dark line labelled "Target" */
    CHART_NATIONAL,      /* grey, dotted, square markers */
    CHART_REGIONAL,      /* grey, dash-dot, triangle markers */
    CHART_NEIGHBOURS     /* darker grey, short dashes, diamond markers */
} chart_role;

/* Quarterly trend line. cats: one label per quarter ("Q1"); groups (may be
 * NULL): one label per quarter naming its year ("2023/24"), drawn once
 * under each run of equal labels. Add series with chart_line_series; a
 * series with no present value is dropped. Missing values leave gaps. */
chart *chart_line_create(const char *id, const char *title, rp_unit unit,
                         int decimals, size_t ncat, const char *const *cats,
                         const char *const *groups);
void chart_line_series(chart *c, chart_role role, const char *name,
                    const rp_value *values /* ncat */);
/* The line is a year-to-date (cumulative) figure that resets every
 * `per_year` categories (4 for quarters): its summary compares the last
 * value with the same point a year earlier ("S was 84.1% at 2023/24 Q3,
 * down 0.2 percentage points on 84.3% at 2022/23 Q3 (year to date)"),
 * never with an earlier point of another year. */
void chart_line_set_cumulative(chart *c, int per_year);

/* Annual bars: one bar per financial year; complete[i] == 0 marks the
 * year to date (outlined and hatched, "year to date" under its label);
 * yoy_pct[i] (may be NULL) is the change vs the year before in %. */
chart *chart_annual_create(const char *id, const char *title, rp_unit unit,
                           int decimals, size_t n, const char *const *years,
                           const rp_value *values, const int *complete,
                           const rp_value *yoy_pct);
/* Like for like for an annual chart whose last year is a year to date
 * (Q1 to Q`lastq`): prev is the previous year's same quarters combined
 * by the annual rule, pct the change on them in % (either may be
 * missing). The caption then says "S: V in Y to date (Q1–Q3), up 2.1% on
 * the same quarters of Yp; W in the whole of Yp." and the year to date's
 * bar is labelled with pct (no label when missing), never with a part
 * year against a full year. Without this call a caption whose last value
 * is a year to date states no direction at all. */
void chart_annual_set_ytd(chart *c, int lastq, rp_value prev, rp_value pct);

/* Finance: forecast variance (forecast − budget, £; + = overspend) by
 * service area as diverging horizontal bars, with the total last. */
chart *chart_variance_create(const char *id, const char *title, size_t n,
                             const char *const *areas,
                             const rp_value *variance, rp_value total);

/* Savings tracker: forecast savings (£) at each quarter of the year
 * (missing = not yet reported) against the year's target. */
chart *chart_savings_create(const char *id, const char *title,
                            size_t nq, const char *const *quarters,
                            const rp_value *forecast, rp_value target);

/* Breakdown: one horizontal bar per breakdown (district…), sorted high to
 * low (missing last, "n/a"), with reference lines for the authority-wide
 * value and the comparators where present. */
chart *chart_breakdown_create(const char *id, const char *title,
                              rp_unit unit, int decimals, size_t n,
                              const char *const *names,
                              const rp_value *values, rp_value authority,
                              rp_value national, rp_value regional);

/* Breakdown over time: stacked bars per quarter. values is nseries × ncat,
 * row-major by series. */
chart *chart_stacked_create(const char *id, const char *title, rp_unit unit,
                            int decimals, size_t ncat,
                            const char *const *cats, size_t nseries,
                            const char *const *names, const rp_value *values);

/* RAG summary: per service area i, counts[i * RP_RAG_COUNT + rag], the
 * number of measures with each rating (RP_RAG_NONE: not rated). */
chart *chart_rag_create(const char *id, const char *title, size_t n,
                        const char *const *areas, const size_t *counts);

/* Sparkline for a table cell: no text, gaps for missing values, last
 * present point marked. */
chart *chart_spark_create(size_t n, const rp_value *values);

/* Accessors. The summary is one sentence from the data ("EHCPs in place
 * rose from 6,120 in 2021/22 to 7,480 in 2023/24."; a year to date: see
 * chart_annual_set_ytd).
 * chart_set_subject replaces the noun the sentence starts with (default: the
 * title). */
const char *chart_id(const chart *c);
const char *chart_title(const chart *c);
const char *chart_summary(const chart *c);
void chart_set_subject(chart *c, const char *subject);
/* The key values for alternative text, or "" when the summary already
 * says them all: "Values: 2021/22 6,120; 2022/23 6,800; 2023/24 7,480.
 * Target 7,000." (the main series by category, at most 16, the latest
 * target). Caller frees. */
char *chart_key_values(const chart *c);

/* ---- files (chart_files.c) -------------------------------------------------
 * The same drawing code through cairo image (300 dpi PNG, white
 * background) and SVG (size in pt) surfaces with the template's TrueType
 * fonts via cairo-ft. Written to a temp file beside path and renamed.
 * Byte-identical for identical input. Return 0, or -1 with an error. */
int chart_write_png(const chart *c, const pack_template *t, fonts *fonts,
                 double w_pt, double h_pt, const char *path, rp_errors *errs);
int chart_write_svg(const chart *c, const pack_template *t, fonts *fonts,
                 double w_pt, double h_pt, const char *path, rp_errors *errs);
/* One chart to write as dir/<name>.png and dir/<name>.svg, at the
 * template's text width × height points. */
typedef struct chart_file {
    const chart *chart;
    const char *name;       /* file stem, e.g. "ehcp-total-annual" */
    double height;          /* points; 0 = 200 */
} chart_file;
/* Write every chart of files[0..n) into dir, which must exist, and sync
 * them once. */
int chart_write_files(const chart_file *files, size_t n,
                      const pack_template *t, fonts *fonts, const char *dir,
                      rp_errors *errs);

/* ---- SVG with real text (chart_svg.c) ------------------------------------
 * The chart as an <svg> element of w × h points: paths as <path>, labels
 * as <text> (readable, selectable), role="img" with <title> and <desc>
 * whose ids start with `id` (unique within an HTML page). standalone adds
 * the SVG namespace and a white background, for a file of its own.
 * Caller frees. */
char *chart_svg(const chart *c, const pack_template *t, fonts *fonts,
                double w, double h, const char *id, const char *title,
                const char *desc, int standalone);
/* The same as a file (XML declaration first), written atomically. */
int chart_write_svg_text(const chart *c, const pack_template *t, fonts *fonts,
                         double w, double h, const char *id,
                         const char *title, const char *desc,
                         const char *path, rp_errors *errs);
/* XML/HTML text escaping (& < > ") onto b. */

/* The same for one choice of files: png, svg, both (ALL or DEFAULT) or
 * none (nothing is written). */
int chart_write_files_as(const chart_file *files, size_t n,
                         rp_chart_files which, const pack_template *t,
                         fonts *fonts, const char *dir, rp_errors *errs);

/* Processes chart_write_files uses: 0 (the default) and 1 = this
 * process only (measured fastest on 2 CPUs), N = N processes. Never more
 * than one per chart. The environment variable RAGPACK_CHART_JOBS, when
 * set to a number, overrides it. Workers are forked, report their errors
 * back (each naming its file) and are always waited for; on Linux they
 * die with the process that forked them. Returns the previous setting. */
int chart_set_export_jobs(int n);

#endif
