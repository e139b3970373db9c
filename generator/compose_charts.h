/* compose_charts.h — composition glue for charts: turns computed results into
 * figure blocks (doc_add_figure with the chart, its title and a one-sentence
 * caption/alt text written from the data). Called by compose.c. Each function
 * returns the number of figures added. */
#ifndef RAGPACK_COMPOSE_CHARTS_H
#define RAGPACK_COMPOSE_CHARTS_H

#include "chart.h"
#include "compute.h"
#include "document.h"
#include "template.h"

/* A measure's trends over `years` financial years ending with the pack's
 * year: annual bars by the measure's annual rule (year to date marked)
 * and the quarterly line with target and comparators. */
int compose_charts_measure(document *doc, const pack_template *t, const model *m,
                      const compute_results *r, const model_measure *meas, int years);

/* The line of a measure's whole-authority series over the periods per
 * (n of them), with target, England and the region (gaps where missing):
 * quarters as "Q1".."Q4" grouped by financial year; an annual-only
 * measure's years, then only when a target or comparator is there to
 * compare with. Used by both packs. Returns the figures added (0 or 1). */
int compose_charts_line(document *doc, const pack_template *t,
                        const model_measure *meas, const rp_period *per,
                        size_t n);

/* Finance: forecast variance by service area (with the total) and the
 * savings tracker for the pack's year. */
int compose_charts_finance(document *doc, const pack_template *t, const model *m,
                      const compute_results *r);

/* A service area's measures that have breakdowns: GBP measures split into
 * at most three parts (debt: "Health partners" / "Other") as stacked bars
 * over the last 8 quarters; any other breakdown as sorted bars for the
 * pack's quarter against the authority-wide value and comparators. */
int compose_charts_breakdowns(document *doc, const pack_template *t,
                         const model *m, const compute_results *r, size_t area);

/* The same for the given measures (a section of chosen measures). */
int compose_charts_breakdowns_of(document *doc, const pack_template *t,
                                 const model *m, const compute_results *r,
                                 const model_measure *const *ms, size_t nms);

/* The summary: counts of ratings per service area. */
int compose_charts_summary(document *doc, const pack_template *t, const model *m,
                      const compute_results *r);

/* Sparkline of the last nquarters quarters up to pack_quarter (gaps for
 * missing values); NULL if the series has no value in that span. For
 * doc_cell.spark (owned by the cell). */
chart *compose_charts_spark(const model_series *s, rp_period pack_quarter,
                          int nquarters);

#endif
