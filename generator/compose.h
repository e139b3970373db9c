/* compose.h — compose: turn computed results into the pack's block tree
 * (cover, contents, summary, finance, one section per service area,
 * trends, data-quality appendix) in the order the template gives. All
 * sentences are written from the computed figures. */
#ifndef RAGPACK_COMPOSE_H
#define RAGPACK_COMPOSE_H

#include "compute.h"
#include "document.h"
#include "template.h"

/* A template that names an unknown measure or service area is an error
 * naming it (file and line of the template). Returns 0 or -1. */
int compose_check_template(const pack_template *t, const model *m,
                      rp_errors *errs);

/* ---- which measures a pack shows (compose_select.c) ---------------------- */

/* 1 when a service_area section chooses measures (ids or tags). */
int compose_section_chooses(const template_section *s);
/* The model indexes of the measures a service_area section shows, in
 * order (listed ids first, then tag matches or the named area's
 * measures, in measures.csv order); *n of them. Caller frees. */
size_t *compose_section_measures(const template_section *s, const model *m,
                                 size_t *n);
/* The pack's measures as a mask over model.measures (for
 * compute_options.include), or NULL when it shows every measure (a
 * service_area section without a choice, or none at all). A section that
 * selects nothing is an error naming it. Returns 0 or -1. */
int compose_select(const pack_template *t, const model *m,
                   unsigned char **mask, rp_errors *errs);

/* Build the doc. Returns 0 or -1. */
int compose_pack(const pack_template *t, const model *m, const compute_results *r,
               document *doc, rp_errors *errs);

/* Money for prose: "£5.4m", "£640k", "£1.2bn", "£950" (sign dropped). */
char *compose_money(rp_num n, char *buf, size_t len);

/* ---- trend packs (compose_trend.c): `ragpack trend` ------------------------ */

enum { COMPOSE_BY_DEFAULT = 0, COMPOSE_BY_QUARTER, COMPOSE_BY_YEAR };

typedef struct compose_trend_options {
    const model_measure **measures; size_t nmeasures;
    const compute_trend *trends;  /* one per measure, by compute_trend_measure
                                     over `years` up to `period` */
    int years;              /* 2..10 */
    int by;                 /* COMPOSE_BY_* */
    rp_period period;       /* the pack's period: quarter or whole year */
    const compute_results *r;    /* results for a quarterly pack (data-quality
                               notes), or NULL */
} compose_trend_options;

/* The trend pack's block tree: an overview table, then per measure its
 * annual table, charts, comparators, breakdown and data-quality notes. */
int compose_trend(const pack_template *t, const model *m,
                     const compose_trend_options *o, document *doc, rp_errors *errs);

#endif
