/* compose_select.c — which measures a pack shows. A service_area section
 * takes a whole area (name), chosen measure ids (measures), measures
 * with a tag (tags), or an area's measures narrowed by ids or tags; the
 * pack's measures are the union over its sections, so a pack of chosen
 * measures rates, rolls up, checks and exports only them. */
#include "compose.h"

#include <stdlib.h>
#include <string.h>

static int has_tag(const input_measure_row *d, const template_section *s)
{
    for (size_t i = 0; i < d->ntags; i++)
        for (size_t k = 0; k < s->ntags; k++)
            if (rp_strcaseeq(d->tags[i], s->tags[k]))
                return 1;
    return 0;
}

int compose_section_chooses(const template_section *s)
{
    return s->kind == TEMPLATE_SECTION_SERVICE_AREA &&
           (s->nmeasures > 0 || s->ntags > 0);
}

size_t *compose_section_measures(const template_section *s, const model *m,
                                 size_t *n)
{
    *n = 0;
    size_t *v = rp_xcalloc(m->nmeasures + 1, sizeof *v);
    unsigned char *seen = rp_xcalloc(m->nmeasures + 1, 1);
    long area = s->service_area ? model_find_area(m, s->service_area) : -1;
    if (s->service_area && area < 0)
        goto out;           /* reported by compose_check_template */
    int choose = s->nmeasures > 0 || s->ntags > 0;
    /* listed ids first, in the order given */
    for (size_t k = 0; k < s->nmeasures; k++) {
        const model_measure *x = model_find_measure(m, s->measures[k]);
        if (!x)
            continue;
        size_t i = (size_t)(x - m->measures);
        if (seen[i] || (area >= 0 && x->area != (size_t)area))
            continue;
        seen[i] = 1;
        v[(*n)++] = i;
    }
    /* then by tag, or the whole area, in measures.csv order */
    for (size_t i = 0; i < m->nmeasures; i++) {
        const model_measure *x = &m->measures[i];
        if (seen[i] || (area >= 0 && x->area != (size_t)area))
            continue;
        if (choose && !(s->ntags && has_tag(x->def, s)))
            continue;
        if (!choose && area < 0)
            continue;       /* "every area" is not one section's choice */
        seen[i] = 1;
        v[(*n)++] = i;
    }
out:
    free(seen);
    return v;
}

int compose_select(const pack_template *t, const model *m,
                   unsigned char **mask, rp_errors *errs)
{
    *mask = NULL;
    size_t before = errs->nerrors;
    int all = 1, any_area = 0;
    for (size_t i = 0; i < t->nsections; i++) {
        const template_section *s = &t->sections[i];
        if (s->kind != TEMPLATE_SECTION_SERVICE_AREA)
            continue;
        any_area = 1;
        if (compose_section_chooses(s) || s->service_area)
            all = 0;
    }
    /* a service_area section without a choice shows every area */
    for (size_t i = 0; i < t->nsections; i++) {
        const template_section *s = &t->sections[i];
        if (s->kind == TEMPLATE_SECTION_SERVICE_AREA &&
            !compose_section_chooses(s) && !s->service_area)
            all = 1;
    }
    unsigned char *in = rp_xcalloc(m->nmeasures + 1, 1);
    for (size_t i = 0; i < t->nsections; i++) {
        const template_section *s = &t->sections[i];
        if (s->kind == TEMPLATE_SECTION_TRENDS) {
            for (size_t k = 0; k < s->nmeasures; k++) {
                const model_measure *x = model_find_measure(m, s->measures[k]);
                if (x)
                    in[x - m->measures] = 1;
            }
            continue;
        }
        if (s->kind != TEMPLATE_SECTION_SERVICE_AREA ||
            (!compose_section_chooses(s) && !s->service_area))
            continue;
        size_t n;
        size_t *v = compose_section_measures(s, m, &n);
        for (size_t k = 0; k < n; k++)
            in[v[k]] = 1;
        free(v);
        if (n == 0 && (compose_section_chooses(s) ||
                       model_find_area(m, s->service_area) >= 0)) {
            rp_buf what;
            rp_buf_init(&what);
            if (s->service_area)
                rp_buf_printf(&what, "service area \"%s\"", s->service_area);
            for (size_t k = 0; k < s->ntags; k++)
                rp_buf_printf(&what, "%s\"%s\"", k ? ", " : what.len
                              ? " with tags " : "tags ", s->tags[k]);
            for (size_t k = 0; k < s->nmeasures; k++)
                rp_buf_printf(&what, "%s\"%s\"", k ? ", " : what.len
                              ? "; measures " : "measures ", s->measures[k]);
            rp_err(errs, t->path, s->line, "sections",
                   "section %zu (%s) selects no measures: %s", i + 1,
                   s->title ? s->title : "service_area",
                   what.s ? what.s : "nothing chosen");
            rp_buf_free(&what);
        }
    }
    if (all || !any_area) {
        free(in);
        return errs->nerrors > before ? -1 : 0;
    }
    *mask = in;
    return errs->nerrors > before ? -1 : 0;
}
