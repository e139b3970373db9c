/* ex.h — export the computed figures beside the PDF so anyone can check
 * the pack: ratings.csv, finance.csv, trends.csv in DIR (created if
 * needed). Periods as "2023/24 Q3", numbers plain at full precision, a
 * missing value is an empty cell. Files are written atomically. */
#ifndef EX_H
#define EX_H

#include "cp.h"

/* Returns 0, or -1 with an error naming the file. */
int ex_write_all(const cp_results *r, const char *dir, rp_errors *errs);

/* Single files (used by ex_write_all and by tests). */
int ex_write_ratings(const cp_results *r, FILE *out);
int ex_write_finance(const cp_results *r, FILE *out);
int ex_write_trends(const cp_results *r, FILE *out);

/* Write a CSV field with RFC 4180 quoting when needed. */
void ex_csv_field(FILE *out, const char *s);

#endif
