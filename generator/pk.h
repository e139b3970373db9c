/* pk.h — compose: turn computed results into the pack's block tree
 * (cover, contents, summary, finance, one section per service area,
 * trends, data-quality appendix) in the order the template gives. All
 * sentences are written from the computed figures. */
#ifndef PK_H
#define PK_H

#include "cp.h"
#include "ly.h"
#include "tp.h"

/* A template that names an unknown measure or service area is an error
 * naming it (file and line of the template). Returns 0 or -1. */
int pk_check_template(const tp_template *t, const md_model *m,
                      rp_errors *errs);

/* Build the doc. Returns 0 or -1. */
int pk_compose(const tp_template *t, const md_model *m, const cp_results *r,
               ly_doc *doc, rp_errors *errs);

/* Money for prose: "£5.4m", "£640k", "£1.2bn", "£950" (sign dropped). */
char *pk_money(rp_num n, char *buf, size_t len);

#endif
