/* export_xlsx.h — the computed figures as a workbook for finance officers:
 * sheets ratings, finance and trends with typed cells (numbers as
 * numbers, £ and % formats, period end dates), frozen header rows,
 * autofilters and RAG as words with matching fills. Written with Debian's
 * libxlsxwriter. Text is always written as string cells, never as
 * formulas, so a cell such as "=1+1" or "@SUM(A1)" is shown, not run. */
#ifndef RAGPACK_EXPORT_XLSX_H
#define RAGPACK_EXPORT_XLSX_H

#include "compute.h"

/* Writes path (atomically: a temporary name in the same folder, then
 * renamed). Returns 0, or -1 with an error naming the file. */
int export_xlsx_write(const compute_results *r, const char *path,
                      rp_errors *errs);

/* The last day of a period (quarter, financial, calendar or academic
 * year) as y, m, d; 0 when p has no kind. */
int export_xlsx_period_end(rp_period p, int *y, int *m, int *d);

#endif
