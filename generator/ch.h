/* ch.h — charts. Geometry is built with cairo on a context whose matrix
 * maps chart space to page space; each finished path is handed to a sink.
 * The PDF renderer's sink replays it as libharu path operators (vectors,
 * never pictures); the PNG and SVG sinks paint it with cairo. Chart text
 * goes to the sink as text, so in the PDF it is real, selectable text.
 *
 * Coordinates given to sinks are page points, y measured DOWN from the top
 * of the page (like ly boxes).
 *
 * Constructors take plain data (rp_value arrays whose miss flag marks a
 * gap, category labels, a unit); pk_charts.c converts model results. Every
 * chart keeps an id, a title and a one-sentence summary written from its
 * data, used as caption and alt text. */
#ifndef CH_H
#define CH_H

#include <cairo.h>
#include "rp.h"
#include "tp.h"
#include "fm.h"

typedef struct ch_chart ch_chart;

typedef struct ch_sink {
    void *ctx;
    /* Fill the path (device = page coordinates, y down). */
    void (*fill)(void *ctx, const cairo_path_t *path, tp_rgb color);
    /* Stroke the path; width and dash lengths already in page points. */
    void (*stroke)(void *ctx, const cairo_path_t *path, tp_rgb color,
                   double width, const double *dash, int ndash);
    /* One line of text with its baseline starting at (x, y), rotated by
     * angle radians counter-clockwise about that point. */
    void (*text)(void *ctx, double x, double y, fm_face face, double size,
                 tp_rgb color, double angle, const char *utf8);
} ch_sink;

void ch_chart_destroy(ch_chart *c);
/* Draw chart c into the box (x, y, w, h) of a page. */
void ch_draw(const ch_chart *c, const tp_template *t, fm_fonts *fonts,
             double x, double y, double w, double h, const ch_sink *sink);

/* ---- units and numbers ------------------------------------------------ */
/* Same order as rd_unit, so pk_charts can cast. */
typedef enum {
    CH_UNIT_COUNT = 0, CH_UNIT_PERCENT, CH_UNIT_GBP, CH_UNIT_RATE,
    CH_UNIT_DAYS, CH_UNIT_NUMBER
} ch_unit;

/* A value for a label: "7,480", "12.5%", "£5.4m", "£640k", "£950",
 * "-£1.2m". decimals < 0 takes the unit's default (count/GBP 0, others 1).
 * Exact (rp_num). Returns buf. */
char *ch_format(rp_num v, ch_unit unit, int decimals, char *buf, size_t len);
/* A signed change: "+22.2%" / "-3.0%" (pct), always with a sign, "0.0%"
 * for no change. */
char *ch_format_pct_change(rp_num pct, char *buf, size_t len);

/* "Nice" axis: the smallest step from {1, 2, 2.5, 5} × 10^n that covers
 * [lo, hi] in at most `max_intervals` intervals (≥ 1), with the ends
 * rounded out to multiples of the step. Returns the number of ticks
 * (intervals + 1); *first and *step describe them. */
int ch_ticks(double lo, double hi, int max_intervals, double *first,
             double *step);

/* ---- chart constructors ---------------------------------------------
 * All strings and arrays are copied. n/ncat ≥ 1 unless stated. */
typedef enum {
    CH_S_MAIN = 0,      /* the measure: solid, palette.series[0], markers */
    CH_S_TARGET,        /* dashed dark line labelled "Target" */
    CH_S_NATIONAL,      /* grey, dotted, square markers */
    CH_S_REGIONAL       /* grey, dash-dot, triangle markers */
} ch_role;

/* Quarterly trend line. cats: one label per quarter ("Q1"); groups (may be
 * NULL): one label per quarter naming its year ("2023/24"), drawn once
 * under each run of equal labels. Add series with ch_line_series; a
 * series with no present value is dropped. Missing values leave gaps. */
ch_chart *ch_line_create(const char *id, const char *title, ch_unit unit,
                         int decimals, size_t ncat, const char *const *cats,
                         const char *const *groups);
void ch_line_series(ch_chart *c, ch_role role, const char *name,
                    const rp_value *values /* ncat */);

/* Annual bars: one bar per financial year; complete[i] == 0 marks the
 * year to date (outlined and hatched, "year to date" under its label);
 * yoy_pct[i] (may be NULL) is the change vs the year before in %. */
ch_chart *ch_annual_create(const char *id, const char *title, ch_unit unit,
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
void ch_annual_set_ytd(ch_chart *c, int lastq, rp_value prev, rp_value pct);

/* Finance: forecast variance (forecast − budget, £; + = overspend) by
 * service area as diverging horizontal bars, with the total last. */
ch_chart *ch_variance_create(const char *id, const char *title, size_t n,
                             const char *const *areas,
                             const rp_value *variance, rp_value total);

/* Savings tracker: forecast savings (£) at each quarter of the year
 * (missing = not yet reported) against the year's target. */
ch_chart *ch_savings_create(const char *id, const char *title,
                            size_t nq, const char *const *quarters,
                            const rp_value *forecast, rp_value target);

/* Breakdown: one horizontal bar per breakdown (district…), sorted high to
 * low (missing last, "n/a"), with reference lines for the authority-wide
 * value and the comparators where present. */
ch_chart *ch_breakdown_create(const char *id, const char *title,
                              ch_unit unit, int decimals, size_t n,
                              const char *const *names,
                              const rp_value *values, rp_value authority,
                              rp_value national, rp_value regional);

/* Breakdown over time: stacked bars per quarter. values is nseries × ncat,
 * row-major by series. */
ch_chart *ch_stacked_create(const char *id, const char *title, ch_unit unit,
                            int decimals, size_t ncat,
                            const char *const *cats, size_t nseries,
                            const char *const *names, const rp_value *values);

/* RAG summary: per service area, counts[i*4 + k] for k = 0 green,
 * 1 amber, 2 red, 3 not rated. */
ch_chart *ch_rag_create(const char *id, const char *title, size_t n,
                        const char *const *areas, const size_t *counts);

/* Sparkline for a table cell: no text, gaps for missing values, last
 * present point marked. */
ch_chart *ch_spark_create(size_t n, const rp_value *values);

/* Accessors. The summary is one sentence from the data ("EHCPs in place
 * rose from 6,120 in 2021/22 to 7,480 in 2023/24."; a year to date: see
 * ch_annual_set_ytd).
 * ch_set_subject replaces the noun the sentence starts with (default: the
 * title). */
const char *ch_chart_id(const ch_chart *c);
const char *ch_chart_title(const ch_chart *c);
const char *ch_chart_summary(const ch_chart *c);
void ch_set_subject(ch_chart *c, const char *subject);

/* ---- files (ch_out.c) ---------------------------------------------------
 * The same drawing code through cairo image (300 dpi PNG, white
 * background) and SVG (size in pt) surfaces with the template's TrueType
 * fonts via cairo-ft. Written to a temp file beside path and renamed.
 * Byte-identical for identical input. Return 0, or -1 with an error. */
struct ly_doc;
int ch_write_png(const ch_chart *c, const tp_template *t, fm_fonts *fonts,
                 double w_pt, double h_pt, const char *path, rp_errors *errs);
int ch_write_svg(const ch_chart *c, const tp_template *t, fm_fonts *fonts,
                 double w_pt, double h_pt, const char *path, rp_errors *errs);
/* For every LY_B_FIGURE block with a chart: dir/<id>.png and dir/<id>.svg,
 * at the template's text width × the figure's height. */
int ch_export_doc(const struct ly_doc *doc, const tp_template *t,
                  fm_fonts *fonts, const char *dir, rp_errors *errs);

/* Processes ch_export_doc uses for a doc's chart files: 0 (the default) =
 * one per CPU this process may use, 1 = this process only. Never more
 * than one per chart. The environment variable RAGPACK_CHART_JOBS, when
 * set to a number, overrides it. Workers are forked, report their errors
 * back (each naming its file) and are always waited for; on Linux they
 * die with the process that forked them. Returns the previous setting. */
int ch_set_export_jobs(int n);

#endif
