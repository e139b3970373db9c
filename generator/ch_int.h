/* ch_int.h — the chart struct, shared by ch.c (data, numbers, summaries),
 * ch_draw.c (geometry) and ch_out.c (PNG/SVG). Not for other modules. */
#ifndef CH_INT_H
#define CH_INT_H

#include "ch.h"

typedef enum {
    CH_K_LINE = 1, CH_K_ANNUAL, CH_K_VARIANCE, CH_K_SAVINGS, CH_K_BREAKDOWN,
    CH_K_STACKED, CH_K_RAG, CH_K_SPARK
} ch_kind;

typedef struct ch_series {
    ch_role role;
    char *name;
    rp_value *v;            /* ncat values */
} ch_series;

struct ch_chart {
    ch_kind kind;
    char *id, *title, *summary, *subject;
    ch_unit unit;
    int decimals;
    size_t ncat;
    char **cats;            /* ncat labels */
    char **groups;          /* line: year of each quarter, or NULL */
    ch_series *series; size_t nseries;
    int *complete;          /* annual: 0 = year to date */
    rp_value *yoy;          /* annual: change vs year before, % */
    rp_value total;         /* variance: total; savings: target */
    rp_value ref[3];        /* breakdown: authority, national, regional */
    size_t *counts;         /* rag: ncat × 4 */
    /* annual, set by ch_annual_set_ytd: the year to date's last quarter
     * (0: not given), the same quarters of the year before and the
     * change on them, % */
    int ytd_lastq;
    rp_value ytd_prev, ytd_pct;
};

/* Decimal places that show multiples of step exactly. */
int ch_step_decimals(double step);
/* Tick label with one scale for the axis (span_max = largest |tick|). */
char *ch_axis_label(double v, double step, double span_max, ch_unit unit,
                    char *buf, size_t len);

#endif
