/* export_csv.h — export the computed figures beside the PDF so anyone can check
 * the pack: ratings.csv, finance.csv, trends.csv in DIR (created if
 * needed). Periods as "2023/24 Q3", numbers plain at full precision, a
 * missing value is an empty cell. Files are written atomically. */
#ifndef RAGPACK_EXPORT_CSV_H
#define RAGPACK_EXPORT_CSV_H

#include "compute.h"

/* Returns 0, or -1 with an error naming the file. */
int export_csv_write_all(const compute_results *r, const char *dir, rp_errors *errs);

/* Single files (used by export_csv_write_all and by tests). */
int export_csv_ratings(const compute_results *r, FILE *out);
int export_csv_finance(const compute_results *r, FILE *out);
int export_csv_trends(const compute_results *r, FILE *out);

#endif
