/* compose.c — compose: computed results → the pack's block tree, in the order
 * the template lists its sections. Every sentence is written from the
 * computed figures (compute_results), never typed in, so the prose and the
 * tables cannot disagree. */
#include "compose_charts.h"
#include "compose_internal.h"
#include "markdown.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Why a cumulative measure has no direction against the previous quarter. */
#define CUMULATIVE_NOTE "not compared with the previous quarter: a year-to-" \
    "date figure grows within the year and resets each April, so it is " \
    "compared with the same quarter a year earlier only"

static const char *or_empty(const char *s) { return s ? s : ""; }

/* ---- small helpers ------------------------------------------------------- */

static const char *quarter_word(int q)
{
    static const char *w[5] = { "", "Quarter 1", "Quarter 2", "Quarter 3",
                                "Quarter 4" };
    return q >= 1 && q <= 4 ? w[q] : "";
}

/* "Quarter 3 2023/24": the running header wants the period without the
 * months the cover gives. */
static char *period_short(rp_period p, char *buf, size_t len)
{
    if (p.kind == RP_PER_QUARTER)
        snprintf(buf, len, "%s %04d/%02d", quarter_word(p.q), p.fy,
                 (p.fy + 1) % 100);
    else
        rp_period_format(p, buf, len);
    return buf;
}

/* £ → £m with one place and separators, for finance table cells. */
static char *fmt_m(rp_num n, char *buf, size_t len)
{
    return rp_num_format(rp_num_muldiv(n, 1, 1000000), 1, 1, buf, len);
}

/* Paragraphs of a commentary text: one per non-empty line. */
/* Paragraphs of a commentary text, one per non-empty line. A measure's
 * commentary (name given) leads with the name in bold, so it reads as
 * belonging to that measure wherever it is shown. */
static void add_commentary_of(document *d, const char *name,
                              const input_comment_row *c)
{
    if (!c || !c->text)
        return;
    int first = 1;
    const char *p = c->text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t s = 0;
        while (s < n && isspace((unsigned char)p[s]))
            s++;
        while (n > s && isspace((unsigned char)p[n - 1]))
            n--;
        if (n > s) {
            char *t = rp_xstrndup(p + s, n - s);
            doc_block *bl = doc_add_paragraph(d, NULL);
            if (first && name) {
                char *lead = rp_xasprintf("%s: ", name);
                doc_span_add(bl, lead, 1);
                free(lead);
            }
            first = 0;
            doc_span_add(bl, t, 0);
            free(t);
        }
        if (!e)
            break;
        p = e + 1;
    }
}

static void add_commentary(document *d, const input_comment_row *c)
{
    add_commentary_of(d, NULL, c);
}

static void add_measure_commentary(document *d, const char *name,
                                   const input_comment_row *c)
{
    add_commentary_of(d, name, c);
}

static void add_h(document *d, int level, const char *anchor, const char *text)
{
    doc_add_heading(d, level, anchor, text);
}

static void cell(doc_cell *c, const char *text, doc_align a)
{
    doc_cell_set(c, text, a);
}

static void table_summary(doc_block *t, const char *s)
{
    doc_set_text(&t->as.table.summary, s);
}

/* ---- template check --------------------------------------------------- */

/* A text section's file, in the input folder. */
static char *text_path(const template_section *s, const model *m)
{
    const char *dir = m->in && m->in->dir ? m->in->dir : ".";
    return rp_xasprintf("%s/%s", dir, or_empty(s->file));
}


int compose_check_template(const pack_template *t, const model *m,
                      rp_errors *errs)
{
    size_t before = errs->nerrors;
    for (size_t i = 0; i < t->nsections; i++) {
        const template_section *s = &t->sections[i];
        if (s->kind == TEMPLATE_SECTION_SERVICE_AREA && s->service_area
            && model_find_area(m, s->service_area) < 0) {
            rp_buf known;
            rp_buf_init(&known);
            for (size_t a = 0; a < m->nareas; a++)
                rp_buf_printf(&known, "%s\"%s\"", a ? ", " : "",
                              m->areas[a].name);
            rp_err(errs, t->path, s->line, "sections",
                   "unknown service area \"%s\" (known: %s)", s->service_area,
                   known.s ? known.s : "none");
            rp_buf_free(&known);
        }
        if (s->kind == TEMPLATE_SECTION_TEXT && s->file) {
            char *path = text_path(s, m);
            FILE *f = fopen(path, "rb");
            if (!f)
                rp_err(errs, t->path, s->line, "sections",
                       "text file \"%s\" is not in the input folder (%s)",
                       s->file, path);
            else
                fclose(f);
            free(path);
        }
        if (s->kind == TEMPLATE_SECTION_TRENDS ||
            s->kind == TEMPLATE_SECTION_SERVICE_AREA)
            for (size_t k = 0; k < s->nmeasures; k++)
                if (!model_find_measure(m, s->measures[k]))
                    rp_err(errs, t->path, s->line, "sections",
                           "unknown measure \"%s\"", or_empty(s->measures[k]));
    }
    return errs->nerrors > before ? -1 : 0;
}

/* ---- sentences from the figures ------------------------------------------ */

/* "Forecast overspend of £5.4m (0.9%) against a net budget of £600.2m, a
 * reduction of £1.0m since Quarter 2." Empty when there is no total. */
static void finance_sentence(rp_buf *b, const compute_finance *f, rp_period per)
{
    if (!f || !rp_has(f->variance) || !rp_has(f->budget))
        return;
    char v[48], pct[64], bud[48], ch[48], pv[48];
    compose_money(f->budget.num, bud, sizeof bud);
    rp_num var = f->variance.num;
    compose_money(var, v, sizeof v);
    if (rp_has(f->variance_pct))
        compose_fmt_pct(rp_num_abs(f->variance_pct.num), 0, pct, sizeof pct);
    else
        snprintf(pct, sizeof pct, "%s", COMPOSE_NA);
    if (var > 0)
        rp_buf_printf(b, "Forecast overspend of %s (%s) against a net budget of %s",
                      v, pct, bud);
    else if (var < 0)
        rp_buf_printf(b, "Forecast underspend of %s (%s) against a net budget of %s",
                      v, pct, bud);
    else
        rp_buf_printf(b, "Forecast to spend exactly the net budget of %s", bud);

    /* The change clause speaks of the overspend (or underspend) itself, so
     * it needs the same side of budget at both quarters; otherwise say
     * what the previous quarter's position was. None at Q1. */
    if (per.kind == RP_PER_QUARTER && per.q > 1 && rp_has(f->change)
        && rp_has(f->prev_variance)) {
        const char *since = quarter_word(per.q - 1);
        rp_num pvar = f->prev_variance.num, c = f->change.num;
        compose_money(c, ch, sizeof ch);
        compose_money(pvar, pv, sizeof pv);
        if (c == 0)
            rp_buf_printf(b, ", unchanged since %s", since);
        else if (var != 0 && pvar != 0 && (var > 0) == (pvar > 0)) {
            /* same side: compare sizes */
            int grew = rp_num_abs(var) > rp_num_abs(pvar);
            rp_buf_printf(b, ", %s of %s since %s",
                          grew ? "an increase" : "a reduction", ch, since);
        } else if (pvar == 0)
            rp_buf_printf(b, ", compared with a balanced forecast at %s", since);
        else
            rp_buf_printf(b, ", compared with a forecast %s of %s at %s",
                          pvar > 0 ? "overspend" : "underspend", pv, since);
    }
    rp_buf_puts(b, ".");
}

/* The areas (rows before the Total) missing a figure, with why:
 * "Corporate (savings forecast suppressed [c])". NULL when none. `what`
 * names the figure; two offsets test either of two figures. */
static char *areas_left_out(const compute_results *r, size_t off1,
                            const char *what1, size_t off2, const char *what2)
{
    rp_buf b;
    rp_buf_init(&b);
    size_t n = r->nfinance ? r->nfinance - 1 : 0, k = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *base = (const char *)&r->finance[i];
        const rp_value *v1 = (const rp_value *)(base + off1);
        const rp_value *v2 = (const rp_value *)(base + off2);
        total += !rp_has(*v1) || !rp_has(*v2);
    }
    for (size_t i = 0; i < n; i++) {
        const compute_finance *f = &r->finance[i];
        const char *base = (const char *)f;
        const rp_value *v1 = (const rp_value *)(base + off1);
        const rp_value *v2 = (const rp_value *)(base + off2);
        if (rp_has(*v1) && rp_has(*v2))
            continue;
        const rp_value *v = rp_has(*v1) ? v2 : v1;
        const char *what = rp_has(*v1) ? what2 : what1;
        rp_buf_printf(&b, "%s%s (%s %s)",
                      k == 0 ? "" : k + 1 == total ? " and " : ", ",
                      or_empty(f->service_area), what,
                      rp_miss_reason(v->miss == RP_MISS_NONE ? RP_MISS_EMPTY
                                                             : v->miss));
        k++;
    }
    return b.s;
}

#define FIN_OFF(field) offsetof(compute_finance, field)

/* "£9.8m of the £11.3m savings target is forecast to be delivered, a
 * shortfall of £1.5m." Over the areas that report both figures; the
 * areas left out are named, and with no figures at all it says so. */
static void savings_sentence(rp_buf *b, const compute_results *r,
                             const compute_finance *f)
{
    if (!f)
        return;
    char *left = areas_left_out(r, FIN_OFF(savings_target), "savings target",
                                FIN_OFF(savings_forecast), "savings forecast");
    if (!rp_has(f->savings_target_both) || !rp_has(f->savings_forecast_both)) {
        if (!rp_has(f->savings_target) && !rp_has(f->savings_forecast))
            rp_buf_puts(b, "No savings figures were provided for this "
                           "period.");
        else
            rp_buf_printf(b, "Savings are not totalled: no service area "
                             "reports both a savings target and a forecast "
                             "(%s).", left ? left : "");
        free(left);
        return;
    }
    rp_num g;
    /* a gap beyond int64 has no sentence (compute's savings_gap is n/a too) */
    if (__builtin_sub_overflow(f->savings_target_both.num,
                               f->savings_forecast_both.num, &g)) {
        free(left);
        return;
    }
    char t[48], fc[48], gap[48];
    compose_money(f->savings_target_both.num, t, sizeof t);
    compose_money(f->savings_forecast_both.num, fc, sizeof fc);
    compose_money(g, gap, sizeof gap);
    if (left)
        rp_buf_puts(b, "In the service areas that report both savings "
                       "figures, ");
    if (g > 0)
        rp_buf_printf(b, "%s of the %s savings target is forecast to be "
                      "delivered, a shortfall of %s.", fc, t, gap);
    else if (g < 0)
        rp_buf_printf(b, "%s of savings is forecast to be delivered, %s more "
                      "than the %s target.", fc, gap, t);
    else
        rp_buf_printf(b, "%s full %s savings target is forecast to be "
                      "delivered.", left ? "the" : "The", t);
    if (left)
        rp_buf_printf(b, " Left out of the savings totals: %s.", left);
    free(left);
}

/* Why the total forecast has no sentence: the areas missing a figure. */
static void no_total_sentence(rp_buf *b, const compute_results *r)
{
    char *left = areas_left_out(r, FIN_OFF(budget), "budget",
                                FIN_OFF(forecast), "forecast");
    if (left)
        rp_buf_printf(b, "The total forecast outturn cannot be given: %s.",
                      left);
    free(left);
}

/* "this quarter", or "this year" in a yearly pack */
static const char *this_period(const compute_results *r)
{
    return r->period.kind == RP_PER_QUARTER ? "this quarter" : "this year";
}

/* "17 green, 7 amber and 5 red" style counts, as a sentence. */
static void counts_sentence(rp_buf *b, const size_t c[4], const char *what,
                            const char *when)
{
    size_t rated = c[RP_RAG_GREEN] + c[RP_RAG_AMBER] + c[RP_RAG_RED];
    if (rated == 0)
        rp_buf_printf(b, "No %s are rated %s", what, when);
    else
        rp_buf_printf(b, "Of %zu rated %s, %zu %s green, %zu amber and %zu red",
                      rated, what, c[RP_RAG_GREEN],
                      c[RP_RAG_GREEN] == 1 ? "is" : "are", c[RP_RAG_AMBER],
                      c[RP_RAG_RED]);
    if (c[RP_RAG_NONE])
        rp_buf_printf(b, "; %zu %s not rated", c[RP_RAG_NONE],
                      c[RP_RAG_NONE] == 1 ? "is" : "are");
    rp_buf_puts(b, ".");
}

static void para_buf(document *d, rp_buf *b)
{
    if (b->len)
        doc_add_paragraph(d, b->s);
    rp_buf_free(b);
    rp_buf_init(b);
}

static int is_whole(const compute_rating *x)
{
    return x->series && x->measure && x->series == x->measure->whole;
}

static const char *area_name(const model *m, const model_measure *x)
{
    return x->area < m->nareas ? m->areas[x->area].name : "";
}

/* ---- sections ---------------------------------------------------------------- */

/* The area a pack is about when its template covers exactly one named
 * service area (a committee's own pack), else NULL: the whole council. */
static const compute_area *single_area(const pack_template *t, const model *m,
                                  const compute_results *r)
{
    /* a pack of one section of chosen measures: handled by the cover */
    for (size_t i = 0; i < t->nsections; i++)
        if (compose_section_chooses(&t->sections[i]))
            return NULL;
    const compute_area *one = NULL;
    for (size_t i = 0; i < t->nsections; i++) {
        const template_section *s = &t->sections[i];
        if (s->kind == TEMPLATE_SECTION_SUMMARY || s->kind == TEMPLATE_SECTION_FINANCE)
            return NULL;
        if (s->kind != TEMPLATE_SECTION_SERVICE_AREA)
            continue;
        long a = s->service_area ? model_find_area(m, s->service_area) : -1;
        if (a < 0 || (size_t)a >= r->nareas || (one && one != &r->areas[a]))
            return NULL;
        one = &r->areas[a];
    }
    return one;
}

static void chosen_area(const template_section *s, const model *m,
                        const compute_results *r, compute_area *a,
                        const model_measure ***ms, size_t *nms);
static const char *chosen_name(const template_section *s);

/* The one service_area section of a pack without summary or finance,
 * when it chooses measures; else NULL. */
static const template_section *chosen_only(const pack_template *t)
{
    const template_section *one = NULL;
    for (size_t i = 0; i < t->nsections; i++) {
        const template_section *s = &t->sections[i];
        if (s->kind == TEMPLATE_SECTION_SUMMARY ||
            s->kind == TEMPLATE_SECTION_FINANCE)
            return NULL;
        if (s->kind != TEMPLATE_SECTION_SERVICE_AREA)
            continue;
        if (one || !compose_section_chooses(s))
            return NULL;
        one = s;
    }
    return one;
}

static void sec_cover(const pack_template *t, const model *m,
                      const compute_results *r, document *d)
{
    char per[96];
    doc_block *b = doc_add_cover(d);
    doc_set_text(&b->as.cover.authority, or_empty(t->authority));
    doc_set_text(&b->as.cover.title, or_empty(t->title));
    doc_set_text(&b->as.cover.period, rp_period_long(r->period, per, sizeof per));
    doc_set_text(&b->as.cover.committee, or_empty(t->committee));
    doc_set_text(&b->as.cover.meeting, or_empty(t->meeting_date));
    const compute_area *a = single_area(t, m, r);
    const template_section *one = chosen_only(t);
    if (one) {
        /* a committee's pack of chosen measures: their own assessment */
        compute_area ca;
        const model_measure **ms;
        size_t nms;
        chosen_area(one, m, r, &ca, &ms, &nms);
        char *label = rp_xasprintf("%s: assessment", chosen_name(one));
        doc_set_text(&b->as.cover.badge_label, label);
        free(label);
        b->as.cover.badge_rag = ca.rag;
        free(ca.ratings);
        free(ms);
    } else if (a) {
        char *label = rp_xasprintf("%s: assessment", or_empty(a->area->name));
        doc_set_text(&b->as.cover.badge_label, label);
        free(label);
        b->as.cover.badge_rag = a->rag;
    } else {
        doc_set_text(&b->as.cover.badge_label, "Overall assessment");
        b->as.cover.badge_rag = r->overall;
    }
}

/* layout titles the contents and starts every H1 on a new page itself. */
static void sec_contents(document *d)
{
    doc_add_contents(d);
}

/* The money in sentences, as the summary and the finance section say it:
 * a yearly pack's outturn (the Q4 position) or that there is none, the
 * forecast against budget (or why there is no total), the savings. */
static void money_sentences(rp_buf *b, const compute_results *r)
{
    const compute_finance *tot = compute_finance_total(r);
    int ypack = r->period.kind != RP_PER_QUARTER;
    char yper[32], q4[32];
    rp_period_format(r->period, yper, sizeof yper);
    rp_period_format(rp_quarter(compute_pack_fy(r->period), 4), q4, sizeof q4);
    if (ypack && r->nfinance > 0)
        rp_buf_printf(b, "The outturn for %s: the position at %s. ", yper, q4);
    size_t lead = b->len;
    finance_sentence(b, tot, r->period);
    if (tot && b->len == lead)
        no_total_sentence(b, r);
    if (b->len)
        rp_buf_puts(b, " ");
    savings_sentence(b, r, tot);
    if (!b->len && ypack)
        rp_buf_printf(b, "There is no outturn for %s: finance.csv has no "
                      "position for %s.", yper, q4);
}

static void sec_summary(const pack_template *tp, const template_section *s,
                        const model *m, const compute_results *r, document *d)
{
    add_h(d, 1, "summary", s->title ? s->title : "Executive summary");
    /* the badge draws the rating's word itself */
    doc_add_badge(d, r->overall, "Overall assessment");

    rp_buf b;
    rp_buf_init(&b);
    char per[96];
    rp_buf_printf(&b, "The overall assessment for %s is %s. ",
                  rp_period_long(r->period, per, sizeof per),
                  rp_rag_label(r->overall));
    counts_sentence(&b, r->counts, "measures", this_period(r));
    para_buf(d, &b);

    money_sentences(&b, r);
    para_buf(d, &b);

    /* ratings by service area */
    static const double w[6] = { 3.6, 1.1, 1.1, 1.1, 1.3, 1.8 };
    /* best to worst, the unrated last, as the summary chart */
    static const rp_rag order[4] = { RP_RAG_GREEN, RP_RAG_AMBER, RP_RAG_RED,
                                     RP_RAG_NONE };
    const char *hd[6] = { "Service area", NULL, NULL, NULL, NULL,
                          "Assessment" };
    for (int k = 0; k < 4; k++)
        hd[1 + k] = rp_rag_label(order[k]);
    doc_block *t = doc_add_table(d, 6, w, 1);
    table_summary(t, "Number of measures at each rating, by service area, "
                     "with the area's overall assessment.");
    compose_header_row(t, hd, 6);
    for (size_t i = 0; i <= r->nareas; i++) {
        int total = i == r->nareas;
        if (!total && r->opt.include && r->areas[i].nratings == 0)
            continue;       /* none of its measures in this pack */
        const size_t *c = total ? r->counts : r->areas[i].counts;
        rp_rag rag = total ? r->overall : r->areas[i].rag;
        doc_cell *row = doc_table_add_row(t);
        cell(&row[0], total ? "All services" : or_empty(r->areas[i].area->name),
             DOC_LEFT);
        for (int k = 0; k < 4; k++) {
            char n[24];
            snprintf(n, sizeof n, "%zu", c[order[k]]);
            cell(&row[1 + k], n, DOC_RIGHT);
        }
        cell(&row[5], rp_rag_label(rag), DOC_LEFT);
        row[5].show_rag = 1;
        row[5].rag = rag;
    }
    t->as.table.total_last = 1;
    compose_charts_summary(d, tp, m, r);

    /* areas of risk: the red whole-authority measures */
    add_h(d, 2, "risks", "Areas of risk");
    size_t nred = 0;
    for (size_t i = 0; i < r->nratings; i++)
        nred += is_whole(&r->ratings[i]) && r->ratings[i].rag == RP_RAG_RED;
    if (nred == 0) {
        doc_add_paragraph(d, r->period.kind == RP_PER_QUARTER
                                 ? "No measures are rated red this quarter."
                                 : "No measures are rated red this year.");
    } else {
        char *p = rp_xasprintf("%zu %s rated red:", nred,
                               nred == 1 ? "measure is" : "measures are");
        doc_add_paragraph(d, p);
        free(p);
        static const double rw[4] = { 4.5, 2.5, 1.2, 1.2 };
        static const char *const rh[4] = { "Measure", "Service area", "Latest",
                                           "Target" };
        doc_block *rt = doc_add_table(d, 4, rw, 1);
        table_summary(rt, "Measures rated red, with their latest value and "
                          "target.");
        compose_header_row(rt, rh, 4);
        compose_notes ns = { { 0 }, 0 };
        for (size_t i = 0; i < r->nratings; i++) {
            const compute_rating *x = &r->ratings[i];
            if (!is_whole(x) || x->rag != RP_RAG_RED)
                continue;
            doc_cell *row = doc_table_add_row(rt);
            char *name = compose_measure_name(x->measure);
            cell(&row[0], name, DOC_LEFT);
            free(name);
            cell(&row[1], area_name(m, x->measure), DOC_LEFT);
            compose_cell_value(&row[2], &ns, x->measure->def, x->value, NULL);
            compose_cell_value(&row[3], &ns, x->measure->def, x->target, NULL);
        }
        compose_notes_flush(d, &ns);
        /* why each is red, in the words of the service */
        for (size_t i = 0; i < r->nratings; i++) {
            const compute_rating *x = &r->ratings[i];
            if (!is_whole(x) || x->rag != RP_RAG_RED)
                continue;
            char *name = compose_measure_name(x->measure);
            const input_comment_row *c =
                model_commentary(m, x->measure->def->id, r->period);
            if (c) {
                add_measure_commentary(d, name, c);
            } else {
                char *t = rp_xasprintf("%s: no commentary was provided.",
                                       name);
                doc_block *b = doc_add_paragraph(d, t);
                b->as.paragraph.small = 1;
                free(t);
            }
            free(name);
        }
    }

    const input_comment_row *c = model_commentary(m, "overall", r->period);
    if (c) {
        add_h(d, 2, "commentary", "Commentary");
        add_commentary(d, c);
    }
}

static void sec_finance(const pack_template *tp, const template_section *s,
                        const model *m, const compute_results *r, document *d)
{
    add_h(d, 1, "finance", s->title ? s->title : "Finance");
    rp_buf b;
    rp_buf_init(&b);
    const compute_finance *tot = compute_finance_total(r);
    money_sentences(&b, r);
    if (!b.len)
        rp_buf_puts(&b, "No finance figures were provided for this quarter.");
    para_buf(d, &b);
    if (r->nfinance == 0) {
        rp_buf_free(&b);
        return;
    }

    static const double w[8] = { 3.4, 1.1, 1.1, 1.1, 1.1, 1.3, 1.1, 1.1 };
    static const char *const hd[8] = {
        "Service area", "Budget \u00a3m", "Forecast \u00a3m", "Variance \u00a3m",
        "Variance %", "Change since last quarter \u00a3m",
        "Savings target \u00a3m", "Savings forecast \u00a3m"
    };
    doc_block *t = doc_add_table(d, 8, w, 1);
    table_summary(t, "Revenue budget, forecast outturn and variance by "
                     "service area in millions of pounds; a positive variance "
                     "is an overspend.");
    compose_header_row(t, hd, 8);
    compose_notes ns = { { 0 }, 0 };
    for (size_t i = 0; i < r->nfinance; i++) {
        const compute_finance *f = &r->finance[i];
        doc_cell *row = doc_table_add_row(t);
        cell(&row[0], or_empty(f->service_area), DOC_LEFT);
        const rp_value *v[7] = { &f->budget, &f->forecast, &f->variance,
                                 &f->variance_pct, &f->change,
                                 &f->savings_target, &f->savings_forecast };
        for (int k = 0; k < 7; k++) {
            char buf[48];
            if (f == tot && (k == 5 || k == 6) && rp_has(*v[k])) {
                /* a savings total over the areas that have the figure */
                char *left = k == 5
                    ? areas_left_out(r, FIN_OFF(savings_target), "savings target",
                                     FIN_OFF(savings_target), "savings target")
                    : areas_left_out(r, FIN_OFF(savings_forecast), "savings forecast",
                                     FIN_OFF(savings_forecast), "savings forecast");
                cell(&row[1 + k], fmt_m(v[k]->num, buf, sizeof buf), DOC_RIGHT);
                if (left) {
                    char *why = rp_xasprintf("total of the areas that report it; "
                                             "leaves out %s", left);
                    row[1 + k].footnote = compose_note_ref(&ns, why);
                    free(why);
                }
                free(left);
            } else if (f == tot && k < 3 && !rp_has(*v[k])) {
                char *left = areas_left_out(r, FIN_OFF(budget), "budget",
                                            FIN_OFF(forecast), "forecast");
                cell(&row[1 + k], COMPOSE_NA, DOC_RIGHT);
                char *why = rp_xasprintf("not totalled: %s", left ? left : "");
                row[1 + k].footnote = compose_note_ref(&ns, why);
                free(why);
                free(left);
            } else if (!rp_has(*v[k])) {
                cell(&row[1 + k], COMPOSE_NA, DOC_RIGHT);
                /* the change is missing by definition at Q1 */
                row[1 + k].footnote = compose_note_ref(
                    &ns, k == 4 && r->period.q == 1
                             ? "no earlier quarter in this financial year"
                             : rp_miss_reason(v[k]->miss == RP_MISS_NONE
                                                  ? RP_MISS_EMPTY : v[k]->miss));
            } else if (k == 3) {
                cell(&row[1 + k], compose_fmt_pct(v[k]->num, 0, buf, sizeof buf), DOC_RIGHT);
            } else {
                cell(&row[1 + k], fmt_m(v[k]->num, buf, sizeof buf), DOC_RIGHT);
            }
        }
    }
    t->as.table.total_last = tot != NULL;
    compose_notes_flush(d, &ns);

    /* Where the money goes: over- and underspends, largest first. */
    for (int side = 1; side >= -1; side -= 2) {
        size_t idx[64], n = 0;
        for (size_t i = 0; i < r->nfinance && n < 64; i++) {
            const compute_finance *f = &r->finance[i];
            if (f == tot || !rp_has(f->variance))
                continue;
            if ((side > 0 && f->variance.num > 0) || (side < 0 && f->variance.num < 0))
                idx[n++] = i;
        }
        for (size_t i = 1; i < n; i++)     /* insertion sort by size */
            for (size_t j = i; j > 0 && rp_num_abs(r->finance[idx[j]].variance.num)
                                         > rp_num_abs(r->finance[idx[j - 1]].variance.num); j--) {
                size_t tmp = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = tmp;
            }
        if (n == 0)
            continue;
        if (n == 1)
            rp_buf_printf(&b, "An %s is forecast in ",
                          side > 0 ? "overspend" : "underspend");
        else
            rp_buf_printf(&b, "%s are forecast in ",
                          side > 0 ? "Overspends" : "Underspends");
        for (size_t i = 0; i < n; i++) {
            const compute_finance *f = &r->finance[idx[i]];
            char mny[48], pct[64];
            compose_money(f->variance.num, mny, sizeof mny);
            if (rp_has(f->variance_pct))
                compose_fmt_pct(rp_num_abs(f->variance_pct.num), 0, pct, sizeof pct);
            else
                snprintf(pct, sizeof pct, "%s", COMPOSE_NA);
            rp_buf_printf(&b, "%s%s (%s, %s of its budget)",
                          i == 0 ? "" : i + 1 == n ? " and " : ", ",
                          or_empty(f->service_area), mny, pct);
        }
        rp_buf_puts(&b, ".");
        para_buf(d, &b);
    }
    rp_buf_free(&b);
    compose_charts_finance(d, tp, m, r);
}

/* A count for "(158 of 260)": whole numbers with separators, else plain. */
static char *fmt_count(rp_num n, char *buf, size_t len)
{
    if (n % RP_SCALE == 0)
        return rp_num_format(n, 0, 1, buf, len);
    return rp_num_plain(n, buf, len);
}

/* Is a comparator column worth a column: some row has a value, or a
 * reason for its absence other than a blank cell. */
static int comparator_used(rp_value v)
{
    return rp_has(v) || v.miss != RP_MISS_EMPTY;
}

/* The region column's heading: the one region the area's rows name. */
static const char *region_heading(const pack_template *tp,
                                  const compute_results *r,
                                  const compute_area *a)
{
    compose_region reg = { NULL, 0 };
    for (size_t i = 0; i < a->nratings; i++) {
        if (a->ratings[i] >= r->nratings)
            continue;
        const compute_rating *x = &r->ratings[a->ratings[i]];
        if (rp_has(x->regional))
            compose_region_add(&reg, x->region);
    }
    return compose_region_heading(&reg, tp, "Regional");
}

/* The RAG table of one service area (or of a section's chosen measures),
 * then each breakdown. name heads the section; area is the model area
 * (for breakdown charts) or NULL for chosen measures, whose breakdown
 * charts come from ms. flow: the heading does not start a page. */
/* A RAG table row's target, rating and change on last quarter (cells 2
 * to 4), the same for a measure and for each of its breakdowns. */
static void rating_cells(doc_cell *row, compose_notes *ns,
                         const input_measure_row *def, const compute_rating *x)
{
    if (rp_has(x->target))
        compose_cell_value(&row[2], ns, def, x->target, NULL);
    else
        cell(&row[2], "none", DOC_RIGHT);
    cell(&row[3], rp_rag_label(x->rag), DOC_LEFT);
    row[3].show_rag = 1;
    row[3].rag = x->rag;
    cell(&row[4], rp_direction_label(x->vs_prev), DOC_LEFT);
    row[4].dir = x->vs_prev;
    if (def->cumulative && !x->yearly)
        row[4].footnote = compose_note_ref(ns, CUMULATIVE_NOTE);
}

static void sec_area(const pack_template *tp, const template_section *s,
                     const model *m, const compute_results *r, const compute_area *a,
                     const char *name, const model_measure *const *ms,
                     size_t nms, int flow, document *d)
{
    char *anchor = compose_slug("area-", name);
    doc_block *hb = doc_add_heading(d, 1, anchor, name);
    hb->as.heading.flow = flow;
    free(anchor);
    doc_add_badge(d, a->rag, "Assessment");

    rp_buf b;
    rp_buf_init(&b);
    counts_sentence(&b, a->counts, "measures", this_period(r));
    para_buf(d, &b);
    add_commentary(d, model_commentary(m, name, r->period));

    if (a->nratings == 0) {
        doc_add_paragraph(d, "This service area has no performance measures "
                            "in this pack.");
        return;
    }
    /* Comparator columns nobody filled in are left out (said under the
     * table), so small areas keep a readable table. */
    enum { C_NAT, C_REG, C_NBR, C_RANK, C_NCMP };
    int used[C_NCMP] = { 0 };
    for (size_t i = 0; i < a->nratings; i++) {
        if (a->ratings[i] >= r->nratings)
            continue;
        const compute_rating *x = &r->ratings[a->ratings[i]];
        used[C_NAT] |= comparator_used(x->national);
        used[C_REG] |= comparator_used(x->regional);
        used[C_NBR] |= comparator_used(x->neighbours);
        used[C_RANK] |= x->ranked > 0;
    }
    double w[10] = { 5.0, 1.2, 1.1, 1.6, 1.5, 1.5 };
    for (size_t i = 0; i < a->nratings; i++)      /* room for "(158 of 260)" */
        if (a->ratings[i] < r->nratings &&
            rp_has(r->ratings[a->ratings[i]].denominator))
            w[1] = 2.1;
    const char *hd[10] = { "Measure", "Latest", "Target", "RAG",
                           "vs last quarter", "vs last year" };
    static const double cw[C_NCMP] = { 1.2, 1.2, 1.3, 2.0 };
    const char *ch[C_NCMP] = { "National", region_heading(tp, r, a),
                               "Neighbours", "Rank among authorities" };
    size_t ncol = 6;
    int col[C_NCMP];
    for (int k = 0; k < C_NCMP; k++) {
        col[k] = used[k] ? (int)ncol : -1;
        if (used[k]) {
            w[ncol] = cw[k];
            hd[ncol++] = ch[k];
        }
    }
    doc_block *t = doc_add_table(d, ncol, w, 1);
    char *sum = rp_xasprintf("Measures for %s: latest value, target, rating, "
                             "direction of travel and comparators.", name);
    table_summary(t, sum);
    free(sum);
    compose_header_row(t, hd, ncol);
    compose_notes ns = { { 0 }, 0 };
    for (size_t i = 0; i < a->nratings && !rp_stop_requested(); i++) {
        if (a->ratings[i] >= r->nratings)
            continue;
        const compute_rating *x = &r->ratings[a->ratings[i]];
        const input_measure_row *def = x->measure->def;
        doc_cell *row = doc_table_add_row(t);
        char *mname = compose_measure_name(x->measure);
        cell(&row[0], mname, DOC_LEFT);
        free(mname);
        /* the last 8 quarters under the name, so the table stays narrow */
        if (!x->yearly)
            row[0].spark = compose_charts_spark(x->series, r->period, 8);
        compose_cell_value(&row[1], &ns, def, x->value, NULL);
        if (x->yearly && rp_has(x->value)) {
            char per[32], buf[96];
            rp_period_format(x->period, per, sizeof per);
            snprintf(buf, sizeof buf, "%s (%s)", row[1].text, per);
            doc_set_text(&row[1].text, buf);
        }
        if (rp_has(x->value) && rp_has(x->numerator) &&
            rp_has(x->denominator)) {
            char nu[48], de[48], buf[160];
            /* on a line of its own under the value: the column is narrow */
            snprintf(buf, sizeof buf, "%s\n(%s\u00a0of\u00a0%s)", row[1].text,
                     fmt_count(x->numerator.num, nu, sizeof nu),
                     fmt_count(x->denominator.num, de, sizeof de));
            doc_set_text(&row[1].text, buf);
        }
        rating_cells(row, &ns, def, x);
        cell(&row[5], rp_direction_label(x->vs_year), DOC_LEFT);
        row[5].dir = x->vs_year;
        if (col[C_NAT] >= 0)
            compose_cell_value(&row[col[C_NAT]], &ns, def, x->national,
                               "no comparator provided");
        if (col[C_REG] >= 0)
            compose_cell_value(&row[col[C_REG]], &ns, def, x->regional,
                               "no comparator provided");
        if (col[C_NBR] >= 0)
            compose_cell_value(&row[col[C_NBR]], &ns, def, x->neighbours,
                               "no comparator provided");
        if (col[C_RANK] >= 0) {
            if (x->ranked > 0) {
                char buf[96];
                compose_rank_text(x->rank, x->ranked, buf, sizeof buf);
                cell(&row[col[C_RANK]], buf, DOC_RIGHT);
            } else {
                cell(&row[col[C_RANK]], COMPOSE_NA, DOC_RIGHT);
                row[col[C_RANK]].footnote = compose_note_ref(&ns, "no rank provided");
            }
        }
    }
    compose_notes_flush(d, &ns);
    /* say which comparators are left out and why */
    const char *gone[C_NCMP];
    size_t ngone = 0;
    static const char *const gw[C_NCMP] = { "national", "regional",
                                            "nearest-neighbour", NULL };
    /* (neighbours and rank are extra columns: absent, nothing to say) */
    for (int k = 0; k < C_NBR; k++)
        if (!used[k])
            gone[ngone++] = gw[k];
    if (ngone) {
        rp_buf_printf(&b, "No %s", gone[0]);
        for (size_t k = 1; k < ngone; k++)
            rp_buf_printf(&b, "%s%s", k + 1 == ngone ? " or " : ", ", gone[k]);
        rp_buf_printf(&b, " %s provided for these measures, so the table "
                      "leaves %s out.",
                      ngone == 1 ? "comparator was" : "comparators were",
                      ngone == 1 ? "that column" : "those columns");
        doc_block *nb = doc_add_paragraph(d, b.s);
        nb->as.paragraph.small = 1;
        nb->keep_with_prev = 1;
        rp_buf_free(&b);
        rp_buf_init(&b);
    }

    /* each measure's commentary, in the table's order */
    int any = 0;
    for (size_t i = 0; i < a->nratings; i++) {
        if (a->ratings[i] >= r->nratings)
            continue;
        const compute_rating *x = &r->ratings[a->ratings[i]];
        const input_comment_row *c =
            model_commentary(m, x->measure->def->id, r->period);
        if (!c)
            continue;
        if (!any) {
            char *anc = compose_slug("commentary-", a->area->name);
            add_h(d, 3, anc, "Commentary on measures");
            free(anc);
            any = 1;
        }
        char *name = compose_measure_name(x->measure);
        add_measure_commentary(d, name, c);
        free(name);
    }

    /* breakdowns */
    for (size_t i = 0; i < a->nratings; i++) {
        if (a->ratings[i] >= r->nratings)
            continue;
        const model_measure *x = r->ratings[a->ratings[i]].measure;
        if (x->nseries < 2)
            continue;
        char *h = rp_xasprintf("%s: breakdown", or_empty(x->def->title));
        char *anc = compose_slug("breakdown-", x->def->id);
        add_h(d, 3, anc, h);
        free(anc);
        free(h);
        static const double bw[5] = { 3.2, 1.6, 1.3, 1.3, 1.6 };
        static const char *const bh[5] = { "Breakdown", "Latest", "Target",
                                           "RAG", "vs last quarter" };
        doc_block *bt = doc_add_table(d, 5, bw, 1);
        char *bs = rp_xasprintf("%s by breakdown, with the whole authority "
                                "last.", or_empty(x->def->title));
        table_summary(bt, bs);
        free(bs);
        compose_header_row(bt, bh, 5);
        /* breakdowns in order of first appearance, whole authority last */
        for (size_t k = 0; k <= x->nseries; k++) {
            const model_series *se = k < x->nseries ? &x->series[k] : x->whole;
            if (!se || (k < x->nseries && se == x->whole))
                continue;
            const char *bd = or_empty(se->breakdown);
            const compute_rating *br = compute_find_rating(r, x->def->id, bd);
            doc_cell *row = doc_table_add_row(bt);
            cell(&row[0], se == x->whole ? "Whole authority" : bd, DOC_LEFT);
            if (!br) {
                for (int c = 1; c < 5; c++)
                    compose_cell_value(&row[c], &ns, x->def,
                                       rp_value_missing(RP_MISS_EMPTY), NULL);
                continue;
            }
            compose_cell_value(&row[1], &ns, x->def, br->value, NULL);
            rating_cells(row, &ns, x->def, br);
        }
        bt->as.table.total_last = x->whole != NULL;
        compose_notes_flush(d, &ns);
    }
    rp_buf_free(&b);
    if (ms)
        compose_charts_breakdowns_of(d, tp, m, r, ms, nms);
    else if (a->area)
        compose_charts_breakdowns(d, tp, m, r, (size_t)(a - r->areas));
    (void)s;
}

/* A section of chosen measures as an area of its own: their
 * whole-authority ratings, rolled up by the pack's rule. ms gets the
 * measures (caller frees a->ratings and *ms). */
static void chosen_area(const template_section *s, const model *m,
                        const compute_results *r, compute_area *a,
                        const model_measure ***ms, size_t *nms)
{
    memset(a, 0, sizeof *a);
    size_t n;
    size_t *v = compose_section_measures(s, m, &n);
    a->ratings = rp_xcalloc(n + 1, sizeof *a->ratings);
    *ms = rp_xcalloc(n + 1, sizeof **ms);
    *nms = 0;
    for (size_t k = 0; k < n; k++) {
        const model_measure *x = &m->measures[v[k]];
        (*ms)[(*nms)++] = x;
        for (size_t i = 0; i < r->nratings; i++)
            if (r->ratings[i].measure == x && r->ratings[i].series == x->whole) {
                a->ratings[a->nratings++] = i;
                a->counts[r->ratings[i].rag]++;
            }
    }
    a->rag = compute_rollup(&r->opt, a->counts);
    free(v);
}

/* The heading of a section of chosen measures. */
static const char *chosen_name(const template_section *s)
{
    return s->title ? s->title : s->service_area ? s->service_area
                                                 : "Selected measures";
}

static void trend_table(const compute_trend *tr, document *d)
{
    const model_measure *x = tr->measure;
    const input_measure_row *def = x->def;
    char *anc = compose_slug("trend-", def->id);
    char *name = compose_measure_name(x);
    add_h(d, 2, anc, name);
    free(anc);

    static const double w[3] = { 3.0, 1.6, 4.4 };
    const char *hd[3] = { "Year", "Value", "Change on previous year" };
    doc_block *t = doc_add_table(d, 3, w, 1);
    char *sum = rp_xasprintf("%s by financial year, with the change on the "
                             "year before; for a year to date also the "
                             "change on the same quarters of the year "
                             "before.", name);
    table_summary(t, sum);
    free(sum);
    free(name);
    compose_header_row(t, hd, 3);
    compose_notes ns = { { 0 }, 0 };
    for (size_t i = 0; i < tr->nyears; i++) {
        const compute_year *y = &tr->years[i];
        char fy[32], lab[96];
        /* the year as labelled: an annual-only measure's own kind */
        rp_period_format(y->period, fy, sizeof fy);
        /* a part year built from quarters: both comparisons, each named */
        int ytd = compute_year_is_ytd(y);
        if (ytd)
            snprintf(lab, sizeof lab, "%s (year to date, Q1\u2013Q%d)", fy,
                     y->lastq);
        else
            snprintf(lab, sizeof lab, "%s", fy);
        doc_cell *row = doc_table_add_row(t);
        cell(&row[0], lab, DOC_LEFT);
        compose_cell_value(&row[1], &ns, def, y->value, NULL);
        char buf[320];
        int has_change = compose_fmt_year_change(def, y, buf, sizeof buf);
        cell(&row[2], buf, DOC_RIGHT);
        if (!has_change)
            row[2].footnote = compose_note_ref(&ns, compose_no_change_why(y, i == 0));
    }
    compose_notes_flush(d, &ns);
}

static void sec_trends(const pack_template *tp, const template_section *s,
                       const model *m, const compute_results *r, document *d)
{
    add_h(d, 1, "trends", s->title ? s->title : "Trends");
    if (s->nmeasures == 0)
        doc_add_paragraph(d, "No measures were chosen for this section.");
    for (size_t i = 0; i < s->nmeasures; i++) {
        const model_measure *x = model_find_measure(m, s->measures[i]);
        if (!x)
            continue;                   /* reported by compose_check_template */
        int years = s->years > 0 ? s->years : r->opt.trend_years;
        const compute_trend *tr = compute_find_trend(r, x->def->id);
        if (tr && years == r->opt.trend_years) {
            trend_table(tr, d);
        } else if (x->whole) {
            /* the template asks for a different span than computed */
            compute_trend own;
            compute_trend_for_pack(x, r->period, years, &own);
            trend_table(&own, d);
            compute_trend_free(&own);
        }
        compose_charts_measure(d, tp, m, r, x, years);
    }
}

static void dq_table(document *d, const compute_results *r, const model *m,
                     const char *heading, const char *anchor, int k1, int k2)
{
    add_h(d, 2, anchor, heading);
    size_t n = 0;
    for (size_t i = 0; i < r->ndq; i++)
        n += (int)r->dq[i].kind == k1 || (int)r->dq[i].kind == k2;
    if (n == 0) {
        doc_add_paragraph(d, r->period.kind == RP_PER_QUARTER
                                 ? "None this quarter." : "None this year.");
        return;
    }
    static const double w[5] = { 3.2, 2, 1.6, 1.6, 3.6 };
    static const char *const hd[5] = { "Measure", "Service area", "Breakdown",
                                       "Period", "Note" };
    doc_block *t = doc_add_table(d, 5, w, 1);
    table_summary(t, heading);
    compose_header_row(t, hd, 5);
    for (size_t i = 0; i < r->ndq; i++) {
        const compute_quality *q = &r->dq[i];
        if ((int)q->kind != k1 && (int)q->kind != k2)
            continue;
        doc_cell *row = doc_table_add_row(t);
        char *name = q->measure ? compose_measure_name(q->measure) : rp_xstrdup("");
        cell(&row[0], name, DOC_LEFT);
        free(name);
        cell(&row[1], q->measure ? area_name(m, q->measure) : "", DOC_LEFT);
        /* finance and commentary rows name their file in the note */
        cell(&row[2], q->breakdown && q->breakdown[0] ? q->breakdown
                      : q->measure ? "Whole authority" : "", DOC_LEFT);
        char per[32];
        cell(&row[3], q->period.kind ? rp_period_format(q->period, per, sizeof per)
                                     : "", DOC_LEFT);
        const char *note = q->note ? q->note
                           : q->miss ? rp_miss_reason(q->miss) : "";
        cell(&row[4], note, DOC_LEFT);
    }
}

static void sec_dq(const template_section *s, const model *m, const compute_results *r,
                   document *d)
{
    add_h(d, 1, "data-quality", s->title ? s->title : "Data quality");
    char per[96];
    char *p = rp_xasprintf("Values the pack could not use as given for %s, and "
                           "measures rated in a different way.",
                           rp_period_long(r->period, per, sizeof per));
    doc_add_paragraph(d, p);
    free(p);
    dq_table(d, r, m, "Missing and suppressed values", "dq-missing",
             COMPUTE_QUALITY_MISSING, COMPUTE_QUALITY_SUPPRESSED);
    dq_table(d, r, m, "Stale values", "dq-stale", COMPUTE_QUALITY_STALE, COMPUTE_QUALITY_STALE);
    dq_table(d, r, m, "Measures without targets", "dq-no-target",
             COMPUTE_QUALITY_NO_TARGET, COMPUTE_QUALITY_NO_TARGET);
    dq_table(d, r, m, "Measures reported by whole years", "dq-yearly",
             COMPUTE_QUALITY_YEARLY, COMPUTE_QUALITY_YEARLY);
    dq_table(d, r, m, "Red measures without commentary", "dq-no-commentary",
             COMPUTE_QUALITY_NO_COMMENTARY, COMPUTE_QUALITY_NO_COMMENTARY);
    /* rows for later periods (targets set in advance…): never silently
     * dropped */
    dq_table(d, r, m, "Read but not used", "dq-not-used",
             COMPUTE_QUALITY_NOT_USED, COMPUTE_QUALITY_NOT_USED);
    /* only where numerators and denominators were given */
    int volatile_any = 0;
    for (size_t i = 0; i < r->ndq; i++)
        volatile_any |= r->dq[i].kind == COMPUTE_QUALITY_VOLATILE;
    for (size_t i = 0; i < r->nratings && !volatile_any; i++)
        volatile_any |= rp_has(r->ratings[i].denominator);
    if (volatile_any)
        dq_table(d, r, m, "Small numbers (volatile)", "dq-volatile",
                 COMPUTE_QUALITY_VOLATILE, COMPUTE_QUALITY_VOLATILE);
}

/* A Markdown file from the input folder: under the section's title when
 * it has one ("#" then becomes a sub-heading), else its own headings
 * lead. */
static int sec_text(const template_section *s, const model *m, document *d,
                    rp_errors *errs)
{
    if (s->title) {
        char *anchor = compose_slug("text-", s->title);
        add_h(d, 1, anchor, s->title);
        free(anchor);
    }
    char *path = text_path(s, m);
    int rc = markdown_append_file(d, path, s->title ? 2 : 1, errs);
    free(path);
    return rc;
}

/* ---- compose ---------------------------------------------------------------- */

int compose_pack(const pack_template *t, const model *m, const compute_results *r,
               document *doc, rp_errors *errs)
{
    if (compose_check_template(t, m, errs) != 0)
        return -1;

    char per[64];
    period_short(r->period, per, sizeof per);
    compose_running_words(t, per, doc);

    for (size_t i = 0; i < t->nsections; i++) {
        const template_section *s = &t->sections[i];
        switch (s->kind) {
        case TEMPLATE_SECTION_COVER:        sec_cover(t, m, r, doc); break;
        case TEMPLATE_SECTION_CONTENTS:     sec_contents(doc); break;
        case TEMPLATE_SECTION_SUMMARY:      sec_summary(t, s, m, r, doc); break;
        case TEMPLATE_SECTION_FINANCE:      sec_finance(t, s, m, r, doc); break;
        case TEMPLATE_SECTION_TRENDS:       sec_trends(t, s, m, r, doc); break;
        case TEMPLATE_SECTION_DATA_QUALITY: sec_dq(s, m, r, doc); break;
        case TEMPLATE_SECTION_TEXT:
            if (sec_text(s, m, doc, errs) != 0)
                return -1;
            break;
        case TEMPLATE_SECTION_SERVICE_AREA:
            if (compose_section_chooses(s)) {
                compute_area ca;
                const model_measure **ms;
                size_t nms;
                chosen_area(s, m, r, &ca, &ms, &nms);
                sec_area(t, s, m, r, &ca, chosen_name(s), ms, nms, 0, doc);
                free(ca.ratings);
                free(ms);
            } else if (s->service_area) {
                long a = model_find_area(m, s->service_area);
                if (a >= 0 && (size_t)a < r->nareas)
                    sec_area(t, s, m, r, &r->areas[a],
                             s->title ? s->title : r->areas[a].area->name,
                             NULL, 0, 0, doc);
            } else {
                /* flow: areas after the first follow on the same page */
                int first = 1;
                for (size_t a = 0; a < r->nareas; a++) {
                    if (r->opt.include && r->areas[a].nratings == 0)
                        continue;   /* none of its measures in this pack */
                    sec_area(t, s, m, r, &r->areas[a],
                             or_empty(r->areas[a].area->name), NULL, 0,
                             s->flow && !first, doc);
                    first = 0;
                }
            }
            break;
        default:
            rp_err(errs, t->path, s->line, "sections",
                   "unknown section kind %d", (int)s->kind);
            return -1;
        }
        /* a stop cuts a section short: the document is then unusable */
        if (rp_interrupted(errs))
            return -1;
    }
    return 0;
}
