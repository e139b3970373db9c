/* chart_internal.h — the chart struct, shared by chart.c (data, numbers, summaries),
 * chart_draw.c (geometry) and chart_out.c (PNG/SVG). Not for other modules. */
#ifndef RAGPACK_CHART_INTERNAL_H
#define RAGPACK_CHART_INTERNAL_H

#include "chart.h"

typedef enum {
    CHART_LINE = 1, CHART_ANNUAL, CHART_VARIANCE, CHART_SAVINGS, CHART_BREAKDOWN,
    CHART_STACKED, CHART_RAG, CHART_SPARK
} chart_kind;

typedef struct chart_series {
    chart_role role;
    char *name;
    rp_value *v;            /* ncat values */
} chart_series;

struct chart {
    chart_kind kind;
    char *id, *title, *summary, *subject;
    rp_unit unit;
    int decimals;
    size_t ncat;
    char **cats;            /* ncat labels */
    char **groups;          /* line: year of each quarter, or NULL */
    chart_series *series; size_t nseries;
    int *complete;          /* annual: 0 = year to date */
    rp_value *yoy;          /* annual: change vs year before, % */
    rp_value *before;       /* annual: the figure bar i's change is on */
    rp_value total;         /* variance: total; savings: target */
    rp_value ref[3];        /* breakdown: authority, national, regional */
    size_t *counts;         /* rag: ncat × 4 */
    /* annual, set by chart_annual_set_ytd: the year to date's last quarter
     * (0: not given), the same quarters of the year before and the
     * change on them, % */
    int ytd_lastq;
    int per_year;           /* line: a cumulative figure's categories per
                               year (chart_line_set_cumulative), else 0 */
    rp_value ytd_prev, ytd_pct;
};

/* Annual bar i's change label: a percentage's in points from the
 * figures ("+5.1 pts"), any other unit's relative change ("+7.8%"; the
 * bar shows its value). 0 when the bar has no change to show. */
int chart_annual_change(const chart *c, size_t i, char *buf, size_t len);
/* Decimal places that show multiples of step exactly. */
int chart_step_decimals(double step);
/* Tick label with one scale for the axis (span_max = largest |tick|). */
char *chart_axis_label(double v, double step, double span_max, rp_unit unit,
                    char *buf, size_t len);

#endif
