/* pk_charts.h — composition glue for charts: turns computed results into
 * figure blocks (ly_add_figure with the chart, its title and a one-sentence
 * caption/alt text written from the data). Called by pk.c. Each function
 * returns the number of figures added. */
#ifndef PK_CHARTS_H
#define PK_CHARTS_H

#include "ch.h"
#include "cp.h"
#include "ly.h"
#include "tp.h"

/* A measure's trends over `years` financial years ending with the pack's
 * year: annual bars by the measure's annual rule (year to date marked)
 * and the quarterly line with target and comparators. */
int pk_charts_measure(ly_doc *doc, const tp_template *t, const md_model *m,
                      const cp_results *r, const md_measure *meas, int years);

/* Finance: forecast variance by service area (with the total) and the
 * savings tracker for the pack's year. */
int pk_charts_finance(ly_doc *doc, const tp_template *t, const md_model *m,
                      const cp_results *r);

/* A service area's measures that have breakdowns: GBP measures split into
 * at most three parts (debt: "Health partners" / "Other") as stacked bars
 * over the last 8 quarters; any other breakdown as sorted bars for the
 * pack's quarter against the authority-wide value and comparators. */
int pk_charts_breakdowns(ly_doc *doc, const tp_template *t,
                         const md_model *m, const cp_results *r, size_t area);

/* The summary: counts of ratings per service area. */
int pk_charts_summary(ly_doc *doc, const tp_template *t, const md_model *m,
                      const cp_results *r);

/* Sparkline of the last nquarters quarters up to pack_quarter (gaps for
 * missing values); NULL if the series has no value in that span. For
 * ly_cell.spark (owned by the cell). */
ch_chart *pk_charts_spark(const md_series *s, rp_period pack_quarter,
                          int nquarters);

#endif
