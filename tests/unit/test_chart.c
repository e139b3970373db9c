/* test_chart.c — charts: ticks, number formats, label collisions, gaps,
 * bar geometry, summaries, and PNG/SVG files, through a recording sink. */
#include "testutil.h"
#include "fixture_template.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>
#include <zlib.h>

#include "chart.h"

#define V(x) rp_value_of((rp_num)llround((x) * 1e6))
#define MISS rp_value_missing(RP_MISS_C)

/* ---- a sink that records everything ------------------------------------ */
typedef struct rec_path {
    int stroke;
    template_rgb col;
    double width;
    int ndash;
    cairo_path_data_t *data;
    int num_data;
} rec_path;

typedef struct rec_text {
    double x, y, size, angle;
    fonts_face face;
    char *s;
} rec_text;

typedef struct rec {
    rec_path *p; size_t np;
    rec_text *t; size_t nt;
} rec;

static void rec_add_path(rec *r, const cairo_path_t *path, template_rgb col,
                         int stroke, double width, int ndash)
{
    r->p = realloc(r->p, (r->np + 1) * sizeof *r->p);
    rec_path *x = &r->p[r->np++];
    x->stroke = stroke;
    x->col = col;
    x->width = width;
    x->ndash = ndash;
    x->num_data = path->num_data;
    x->data = malloc(sizeof *x->data * (size_t)(path->num_data + 1));
    memcpy(x->data, path->data, sizeof *x->data * (size_t)path->num_data);
}

static void r_fill(void *ctx, const cairo_path_t *p, template_rgb c)
{
    rec_add_path(ctx, p, c, 0, 0, 0);
}

static void r_stroke(void *ctx, const cairo_path_t *p, template_rgb c, double w,
                     const double *dash, int nd)
{
    (void)dash;
    rec_add_path(ctx, p, c, 1, w, nd);
}

static void r_text(void *ctx, double x, double y, fonts_face f, double size,
                   template_rgb c, double angle, const char *s)
{
    (void)c;
    rec *r = ctx;
    r->t = realloc(r->t, (r->nt + 1) * sizeof *r->t);
    rec_text t = { x, y, size, angle, f, strdup(s) };
    r->t[r->nt++] = t;
}

static void rec_free(rec *r)
{
    for (size_t i = 0; i < r->np; i++)
        free(r->p[i].data);
    for (size_t i = 0; i < r->nt; i++)
        free(r->t[i].s);
    free(r->p);
    free(r->t);
    memset(r, 0, sizeof *r);
}

/* ---- fixture ------------------------------------------------------------ */
typedef struct fx {
    pack_template t;
    fonts *fonts;
    rp_errors e;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    rp_errors_init(&f->e);
    template_defaults(&f->t);
    f->fonts = fxt_fonts(&f->e);
    *state = f;
    return f->fonts ? 0 : -1;
}

static int teardown(void **state)
{
    fx *f = *state;
    fonts_destroy(f->fonts);
    template_free(&f->t);
    rp_errors_free(&f->e);
    free(f);
    return 0;
}

static void draw(fx *f, const chart *c, double x, double y, double w,
                 double h, rec *r)
{
    memset(r, 0, sizeof *r);
    chart_sink s = { r, r_fill, r_stroke, r_text };
    chart_draw(c, &f->t, f->fonts, x, y, w, h, &s);
}

static int same_col(template_rgb a, template_rgb b)
{
    return fabs(a.r - b.r) < 1e-9 && fabs(a.g - b.g) < 1e-9 &&
           fabs(a.b - b.b) < 1e-9;
}

static int count_moves(const rec_path *p)
{
    int n = 0;
    for (int i = 0; i < p->num_data; i += p->data[i].header.length)
        n += p->data[i].header.type == CAIRO_PATH_MOVE_TO;
    return n;
}

/* Bounding box of a path's points. */
static void path_bbox(const rec_path *p, double b[4])
{
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (int i = 0; i < p->num_data; i += p->data[i].header.length)
        for (int k = 1; k < p->data[i].header.length; k++) {
            b[0] = fmin(b[0], p->data[i + k].point.x);
            b[1] = fmin(b[1], p->data[i + k].point.y);
            b[2] = fmax(b[2], p->data[i + k].point.x);
            b[3] = fmax(b[3], p->data[i + k].point.y);
        }
}

/* The four corners of a text's box (baseline start, rotated ccw). */
static void text_quad(fx *f, const rec_text *t, double q[4][2])
{
    double w = fonts_width(f->fonts, t->face, t->size, t->s);
    double a = fonts_ascent(f->fonts, t->face, t->size);
    double d = fonts_descent(f->fonts, t->face, t->size);
    double ux = cos(t->angle), uy = -sin(t->angle);   /* along, y down */
    double vx = -sin(t->angle), vy = -cos(t->angle);  /* up */
    double us[4] = { 0, w, w, 0 }, vs[4] = { -d, -d, a, a };
    for (int i = 0; i < 4; i++) {
        q[i][0] = t->x + us[i] * ux + vs[i] * vx;
        q[i][1] = t->y + us[i] * uy + vs[i] * vy;
    }
}

/* Separating-axis test for two convex quads (shrunk by a hair so touching
 * edges do not count). */
static int quads_overlap(double a[4][2], double b[4][2])
{
    double (*qs[2])[2] = { a, b };
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 4; i++) {
            double *p0 = qs[s][i], *p1 = qs[s][(i + 1) % 4];
            double nx = -(p1[1] - p0[1]), ny = p1[0] - p0[0];
            double amin = INFINITY, amax = -INFINITY, bmin = INFINITY,
                   bmax = -INFINITY;
            for (int k = 0; k < 4; k++) {
                double pa = a[k][0] * nx + a[k][1] * ny;
                double pb = b[k][0] * nx + b[k][1] * ny;
                amin = fmin(amin, pa); amax = fmax(amax, pa);
                bmin = fmin(bmin, pb); bmax = fmax(bmax, pb);
            }
            double len = sqrt(nx * nx + ny * ny);
            if (amax <= bmin + 0.05 * len || bmax <= amin + 0.05 * len)
                return 0;
        }
    return 1;
}

/* Extent of a stroked path with butt caps: each straight segment widens
 * by half the width across its direction only; curves in every
 * direction. */
static void stroke_bbox(const rec_path *p, double b[4])
{
    double hw = p->width / 2, px = 0, py = 0;
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
        int t = p->data[i].header.type;
        if (t == CAIRO_PATH_CLOSE_PATH)
            continue;
        int n = p->data[i].header.length;
        double x = p->data[i + n - 1].point.x, y = p->data[i + n - 1].point.y;
        double ex = hw, ey = hw;
        if (t == CAIRO_PATH_LINE_TO) {
            double dx = x - px, dy = y - py, l = sqrt(dx * dx + dy * dy);
            if (l > 0) {
                ex = hw * fabs(dy) / l;
                ey = hw * fabs(dx) / l;
            }
            b[0] = fmin(b[0], fmin(px, x) - ex);
            b[2] = fmax(b[2], fmax(px, x) + ex);
            b[1] = fmin(b[1], fmin(py, y) - ey);
            b[3] = fmax(b[3], fmax(py, y) + ey);
        } else if (t == CAIRO_PATH_CURVE_TO) {
            for (int k = 1; k < n; k++) {
                b[0] = fmin(b[0], p->data[i + k].point.x - hw);
                b[2] = fmax(b[2], p->data[i + k].point.x + hw);
                b[1] = fmin(b[1], p->data[i + k].point.y - hw);
                b[3] = fmax(b[3], p->data[i + k].point.y + hw);
            }
        }
        px = x;
        py = y;
    }
}

/* Every text and path point lies inside the box; no two texts overlap. */
static void assert_tidy(fx *f, const rec *r, double x, double y, double w,
                        double h)
{
    const double eps = 0.5;
    for (size_t i = 0; i < r->np; i++) {
        double b[4];
        if (r->p[i].stroke)
            stroke_bbox(&r->p[i], b);
        else
            path_bbox(&r->p[i], b);
        if (!(b[0] >= x - eps && b[2] <= x + w + eps &&
              b[1] >= y - eps && b[3] <= y + h + eps))
            fail_msg("path %zu (%g,%g)-(%g,%g) leaves the box", i, b[0], b[1],
                     b[2], b[3]);
    }
    for (size_t i = 0; i < r->nt; i++) {
        double qi[4][2];
        text_quad(f, &r->t[i], qi);
        for (int k = 0; k < 4; k++) {
            if (!(qi[k][0] >= x - eps && qi[k][0] <= x + w + eps &&
                  qi[k][1] >= y - eps && qi[k][1] <= y + h + eps))
                fail_msg("text '%s' leaves the box", r->t[i].s);
        }
        for (size_t j = i + 1; j < r->nt; j++) {
            double qj[4][2];
            text_quad(f, &r->t[j], qj);
            if (quads_overlap(qi, qj))
                fail_msg("texts '%s' and '%s' overlap", r->t[i].s,
                         r->t[j].s);
        }
    }
}

static const rec_text *find_text(const rec *r, const char *s)
{
    for (size_t i = 0; i < r->nt; i++)
        if (!strcmp(r->t[i].s, s))
            return &r->t[i];
    return NULL;
}

static size_t count_text(const rec *r, const char *s)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nt; i++)
        n += !strcmp(r->t[i].s, s);
    return n;
}

/* ---- ticks and numbers ---------------------------------------------------- */

static void test_ticks(void **state)
{
    (void)state;
    double first, step;
    /* 7480/5 = 1496 → the next nice step is 2000 */
    assert_int_equal(chart_ticks(0, 7480, 5, &first, &step), 5);
    assert_true(first == 0 && step == 2000);
    /* 0.9/5 = 0.18 → 0.2, ends 0 and 1.0 */
    assert_int_equal(chart_ticks(0, 0.9, 5, &first, &step), 6);
    assert_true(first == 0 && fabs(step - 0.2) < 1e-12);
    /* negatives round outwards: 1.66 → 2, -4 … 6 */
    assert_int_equal(chart_ticks(-3.2, 5.1, 5, &first, &step), 6);
    assert_true(first == -4 && step == 2);
    /* 0–22 in 4: 22/4 = 5.5; 5 needs 0..25 (5 intervals), so 10: 0..30 */
    assert_int_equal(chart_ticks(0, 22, 4, &first, &step), 4);
    assert_true(step == 10);
    /* 2.5 steps: 0–9.6 in 4 → 2.4 → 2.5, 0..10 */
    assert_int_equal(chart_ticks(0, 9.6, 4, &first, &step), 5);
    assert_true(step == 2.5);
    /* flat data still gives an axis */
    assert_true(chart_ticks(50, 50, 5, &first, &step) >= 2);
    assert_true(first <= 50 && first + step > first);
}

static void test_format(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(chart_format(7480 * RP_SCALE, RP_UNIT_COUNT, -1, b, 64),
                        "7,480");
    assert_string_equal(chart_format(12500000, RP_UNIT_PERCENT, -1, b, 64),
                        "12.5%");
    assert_string_equal(chart_format(INT64_C(5400000) * RP_SCALE, RP_UNIT_GBP, -1,
                                  b, 64), "\xC2\xA3" "5.4m");
    assert_string_equal(chart_format(INT64_C(640000) * RP_SCALE, RP_UNIT_GBP, -1,
                                  b, 64), "\xC2\xA3" "640k");
    assert_string_equal(chart_format(950 * RP_SCALE, RP_UNIT_GBP, -1, b, 64),
                        "\xC2\xA3" "950");
    assert_string_equal(chart_format(-INT64_C(1200000) * RP_SCALE, RP_UNIT_GBP,
                                  -1, b, 64), "-\xC2\xA3" "1.2m");
    /* 999,600 rounds to a thousand thousands: say £1.0m */
    assert_string_equal(chart_format(INT64_C(999600) * RP_SCALE, RP_UNIT_GBP, -1,
                                  b, 64), "\xC2\xA3" "1.0m");
    assert_string_equal(chart_format(INT64_C(1250000000) * RP_SCALE, RP_UNIT_GBP,
                                  -1, b, 64), "\xC2\xA3" "1.3bn");
    assert_string_equal(chart_format(1234567 * RP_SCALE, RP_UNIT_RATE, 2, b, 64),
                        "1,234,567.00");
    assert_string_equal(chart_format_pct_change(22200000, b, 64), "+22.2%");
    assert_string_equal(chart_format_pct_change(-3000000, b, 64), "-3.0%");
    assert_string_equal(chart_format_pct_change(20000, b, 64), "0.0%");
}

/* ---- labels ---------------------------------------------------------------- */

static void test_dense_labels_rotate(void **state)
{
    fx *f = *state;
    enum { N = 30 };
    char lab[N][40];
    const char *cats[N];
    rp_value v[N];
    for (int i = 0; i < N; i++) {
        snprintf(lab[i], sizeof lab[i], "Quarter %d %d/%02d", i % 4 + 1,
                 2010 + i / 4, (11 + i / 4) % 100);
        cats[i] = lab[i];
        v[i] = V(100 + i * 3);
    }
    chart *c = chart_line_create("dense", "A long title that has to wrap "
                                 "because the box is narrow, over more than "
                                 "one line", RP_UNIT_COUNT, 0, N, cats, NULL);
    chart_line_series(c, CHART_MAIN, "Value", v);
    rec r;
    draw(f, c, 40, 60, 260, 220, &r);
    assert_tidy(f, &r, 40, 60, 260, 220);
    size_t shown = 0, rotated = 0;
    for (size_t i = 0; i < r.nt; i++)
        if (strstr(r.t[i].s, "Quarter") || strstr(r.t[i].s, "\xE2\x80\xA6")) {
            shown++;
            rotated += fabs(r.t[i].angle) > 0.1;
        }
    /* 30 labels of ~60 pt in 8 pt slots cannot all be drawn */
    assert_true(shown > 0 && shown < N);
    assert_int_equal(rotated, shown);
    /* the latest category is always labelled: the right-most rotated label
     * is "Quarter 2 2017/18" or an abbreviation of it */
    const rec_text *last = NULL;
    for (size_t i = 0; i < r.nt; i++)
        if (fabs(r.t[i].angle) > 0.1 && (!last || r.t[i].x > last->x))
            last = &r.t[i];
    assert_non_null(last);
    const char *ell = strstr(last->s, "\xE2\x80\xA6");
    size_t keep = ell ? (size_t)(ell - last->s) : strlen(last->s);
    assert_true(keep >= 3);
    assert_memory_equal(last->s, "Quarter 2 2017/18", keep);
    /* the title wrapped onto more than one line */
    size_t bold = 0;
    for (size_t i = 0; i < r.nt; i++)
        bold += r.t[i].face == FONTS_BOLD && r.t[i].size == 10;
    assert_true(bold >= 2);
    rec_free(&r);
    chart_destroy(c);
}

static void test_dense_short_labels_skip(void **state)
{
    fx *f = *state;
    enum { N = 24 };
    char lab[N][16];
    const char *cats[N];
    rp_value v[N];
    for (int i = 0; i < N; i++) {
        snprintf(lab[i], sizeof lab[i], "%d/%02d", 2000 + i, (1 + i) % 100);
        cats[i] = lab[i];
        v[i] = V(i % 5 * 10);
    }
    chart *c = chart_annual_create("years", "Years", RP_UNIT_COUNT, 0, N,
                                   cats, v, NULL, NULL);
    rec r;
    draw(f, c, 0, 0, 360, 200, &r);
    assert_tidy(f, &r, 0, 0, 360, 200);
    size_t shown = 0;
    for (size_t i = 0; i < r.nt; i++)
        shown += strchr(r.t[i].s, '/') != NULL;
    assert_true(shown >= 2 && shown < N);
    rec_free(&r);
    chart_destroy(c);
}

/* every chart kind stays in its box with no overlapping text */
static void test_all_kinds_tidy(void **state)
{
    fx *f = *state;
    const char *q[8] = { "Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4" };
    const char *g[8] = { "2022/23", "2022/23", "2022/23", "2022/23",
                         "2023/24", "2023/24", "2023/24", "2023/24" };
    rp_value m[8] = { V(61), V(62), MISS, V(64), V(66), V(67), V(69), V(71) };
    rp_value t[8] = { V(65), V(65), V(65), V(65), V(70), V(70), V(70), V(70) };
    rp_value n[8] = { V(58), V(59), V(59), V(60), V(61), V(61), V(62), V(63) };
    const char *areas[3] = { "Adult Social Care",
                             "Children, Families and Lifelong Learning",
                             "Corporate" };
    rp_value var[3] = { V(5400000), V(-850000), V(120000) };
    rp_value sav[4] = { V(18e6), V(17e6), MISS, MISS };
    rp_value st[6] = { V(2e6), V(2.4e6), V(3e6), V(9e5), MISS, V(1.2e6) };
    const char *sn[2] = { "Health partners", "Other" };
    size_t counts[12] = { 1, 5, 3, 1, 0, 4, 2, 3, 2, 1, 0, 0 };  /* by rp_rag */
    chart *cs[8];
    cs[0] = chart_line_create("l", "Line", RP_UNIT_PERCENT, 1, 8, q, g);
    chart_line_series(cs[0], CHART_MAIN, "Us", m);
    chart_line_series(cs[0], CHART_TARGET, "Target", t);
    chart_line_series(cs[0], CHART_NATIONAL, "England", n);
    cs[1] = chart_annual_create("a", "Annual", RP_UNIT_COUNT, 0, 3, g + 2, m + 5,
                             (int[]){ 1, 1, 0 }, (rp_value[]){ MISS, V(3),
                                                               V(-2.5) });
    cs[2] = chart_variance_create("v", "Variance", 3, areas, var, V(4670000));
    cs[3] = chart_savings_create("s", "Savings", 4, q, sav, V(21e6));
    cs[4] = chart_breakdown_create("b", "Breakdown", RP_UNIT_RATE, 1, 3, areas,
                                m, V(62), V(61), MISS);
    cs[5] = chart_stacked_create("k", "Stacked", RP_UNIT_GBP, 0, 3, q, 2, sn, st);
    cs[6] = chart_rag_create("r", "RAG", 3, areas, counts);
    cs[7] = chart_spark_create(8, m);
    for (int i = 0; i < 8; i++) {
        rec r;
        double w = i == 7 ? 50 : 420, h = i == 7 ? 14 : 210;
        draw(f, cs[i], 30, 100, w, h, &r);
        assert_true(r.np > 0);
        assert_tidy(f, &r, 30, 100, w, h);
        rec_free(&r);
        chart_destroy(cs[i]);
    }
}

/* ---- gaps and geometry -------------------------------------------------- */

static const rec_path *main_stroke(fx *f, const rec *r)
{
    for (size_t i = 0; i < r->np; i++)
        if (r->p[i].stroke && r->p[i].width == 2.0 &&
            same_col(r->p[i].col, f->t.palette.series[0]))
            return &r->p[i];
    return NULL;
}

static void test_gap_splits_line(void **state)
{
    fx *f = *state;
    const char *q[6] = { "Q1", "Q2", "Q3", "Q4", "Q1", "Q2" };
    rp_value full[6] = { V(1), V(2), V(3), V(4), V(5), V(6) };
    rp_value gap[6] = { V(1), V(2), MISS, V(4), V(5), V(6) };
    rp_value zero[6] = { V(1), V(2), V(0), V(4), V(5), V(6) };
    rp_value *sets[3] = { full, gap, zero };
    int moves[3] = { 1, 2, 1 };     /* a missing value is a gap, 0 is not */
    for (int k = 0; k < 3; k++) {
        chart *c = chart_line_create("g", "Gaps", RP_UNIT_COUNT, 0, 6, q,
                                     NULL);
        chart_line_series(c, CHART_MAIN, "v", sets[k]);
        rec r;
        draw(f, c, 0, 0, 300, 150, &r);
        const rec_path *p = main_stroke(f, &r);
        assert_non_null(p);
        assert_int_equal(count_moves(p), moves[k]);
        rec_free(&r);
        chart_destroy(c);
    }
}

/* A district's count that barely moves (28, 27, 28…): its axis ticks are
 * whole numbers, never "27.25" or "28.0" (issue 8), in the quarterly
 * line and in the annual bars. A count given decimals keeps them. */
static void test_count_axis_whole(void **state)
{
    fx *f = *state;
    const char *q[5] = { "Q1", "Q2", "Q3", "Q4", "Q1" };
    rp_value v[5] = { V(28), V(27), V(28), V(28), V(27) };
    for (int k = 0; k < 2; k++) {
        chart *c = k == 0
            ? chart_line_create("t", "Households", RP_UNIT_COUNT, -1, 5, q, NULL)
            : chart_annual_create("t", "Households", RP_UNIT_COUNT, -1, 2, q,
                                  v, NULL, NULL);
        if (k == 0)
            chart_line_series(c, CHART_MAIN, "v", v);
        rec r;
        draw(f, c, 0, 0, 300, 150, &r);
        for (size_t i = 0; i < r.nt; i++)
            if (strchr(r.t[i].s, '.'))
                fail_msg("a count axis shows \"%s\"", r.t[i].s);
        assert_non_null(find_text(&r, "28"));
        rec_free(&r);
        chart_destroy(c);
    }
}

/* the filled bars in series[0]: their bboxes, left to right */
static size_t bars(fx *f, const rec *r, template_rgb col, double (*out)[4],
                   size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->np && n < max; i++)
        if (!r->p[i].stroke && same_col(r->p[i].col, col) &&
            count_moves(&r->p[i]) == 2 && r->p[i].num_data == 11)
            /* one rectangle: move, 3 lines, close, and the move cairo
             * adds after a close */
            path_bbox(&r->p[i], out[n++]);
    (void)f;
    return n;
}

static void test_bar_geometry(void **state)
{
    fx *f = *state;
    const char *y[3] = { "2021/22", "2022/23", "2023/24" };
    rp_value v[3] = { V(100), V(300), V(200) };
    chart *c = chart_annual_create("a", "Bars", RP_UNIT_COUNT, 0, 3, y, v,
                                   (int[]){ 1, 1, 0 }, NULL);
    rec r;
    draw(f, c, 0, 0, 300, 200, &r);
    double all[4][4];
    /* the "Full year" legend swatch, then two solid bars: the incomplete
     * year is not a solid series-colour bar */
    assert_int_equal(bars(f, &r, f->t.palette.series[0], all, 4), 3);
    double (*b)[4] = all + 1;
    assert_true(b[0][1] > all[0][3]);               /* bars under the key */
    double h0 = b[0][3] - b[0][1], h1 = b[1][3] - b[1][1];
    /* cairo keeps path points in 24.8 fixed point: 1/256 pt */
    assert_true(fabs(h1 / h0 - 3.0) < 0.01);       /* 300 / 100 */
    assert_true(fabs(b[0][3] - b[1][3]) < 0.01);    /* same baseline */
    /* …it is outlined (a stroked rectangle in the series colour) and
     * labelled "year to date" */
    int outlined = 0;
    for (size_t i = 0; i < r.np; i++)
        outlined |= r.p[i].stroke && r.p[i].num_data == 11 &&
                    same_col(r.p[i].col, f->t.palette.series[0]);
    assert_true(outlined);
    assert_non_null(find_text(&r, "year to date"));
    rec_free(&r);
    chart_destroy(c);

    /* negative bars hang below the zero baseline */
    rp_value w[2] = { V(-50), V(100) };
    c = chart_annual_create("n", "Neg", RP_UNIT_COUNT, 0, 2, y, w, NULL, NULL);
    draw(f, c, 0, 0, 300, 200, &r);
    b = all;            /* all years complete: no legend */
    assert_int_equal(bars(f, &r, f->t.palette.series[0], b, 4), 2);
    double base = b[1][3];          /* the positive bar stands on zero */
    assert_true(fabs(b[0][1] - base) < 0.01);
    assert_true(b[0][3] > base);
    assert_true(fabs((b[1][3] - b[1][1]) / (b[0][3] - b[0][1]) - 2) < 0.01);
    rec_free(&r);
    chart_destroy(c);
}

static void test_breakdown_sorted(void **state)
{
    fx *f = *state;
    const char *n[4] = { "Alpha", "Bravo", "Charlie", "Delta" };
    rp_value v[4] = { V(20), MISS, V(40), V(10) };
    chart *c = chart_breakdown_create("d", "By district", RP_UNIT_COUNT, 0, 4,
                                      n, v, V(25), MISS, MISS);
    rec r;
    draw(f, c, 0, 0, 300, 200, &r);
    /* rows top to bottom: Charlie 40, Alpha 20, Delta 10, Bravo n/a */
    const char *order[4] = { "Charlie", "Alpha", "Delta", "Bravo" };
    for (int i = 0; i < 3; i++)
        assert_true(find_text(&r, order[i])->y < find_text(&r, order[i + 1])->y);
    assert_non_null(find_text(&r, "n/a"));
    assert_string_equal(chart_summary(c),
                        "By district ranged from 40 in Charlie to 10 in Delta, "
                        "against 25 for the whole authority.");
    rec_free(&r);
    chart_destroy(c);
}

/* ---- summaries ------------------------------------------------------------ */

static void test_summaries(void **state)
{
    (void)state;
    const char *y[3] = { "2021/22", "2022/23", "2023/24" };
    rp_value v[3] = { V(6120), V(6890), V(7480) };
    chart *c = chart_annual_create("ehcp", "Education, Health and Care Plans",
                                   RP_UNIT_COUNT, 0, 3, y, v,
                                   (int[]){ 1, 1, 0 }, NULL);
    chart_set_subject(c, "EHCPs in place");
    /* a year to date with no like-for-like figure given: no direction
     * against the full year, just both figures */
    assert_string_equal(chart_summary(c),
                        "EHCPs in place: 7,480 in 2023/24 to date; 6,890 in "
                        "the whole of 2022/23.");
    assert_string_equal(chart_id(c), "ehcp");
    chart_destroy(c);
    /* all years complete: first against last */
    c = chart_annual_create("ehcp", "EHCPs", RP_UNIT_COUNT, 0, 3, y, v, NULL, NULL);
    assert_string_equal(chart_summary(c),
                        "EHCPs rose from 6,120 in 2021/22 to 7,480 in 2023/24.");
    chart_destroy(c);

    const char *q[3] = { "Q1", "Q2", "Q3" };
    const char *g[3] = { "2023/24", "2023/24", "2023/24" };
    rp_value p[3] = { V(12.5), V(11), MISS };
    rp_value t[3] = { V(10), V(10), V(10) };
    c = chart_line_create("x", "Delayed transfers", RP_UNIT_PERCENT, 1, 3, q, g);
    chart_line_series(c, CHART_MAIN, "v", p);
    chart_line_series(c, CHART_TARGET, "Target", t);
    assert_string_equal(chart_summary(c),
                        "Delayed transfers fell from 12.5% in 2023/24 Q1 to "
                        "11.0% in 2023/24 Q2, against a target of 10.0%.");
    chart_destroy(c);

    const char *a[2] = { "Adults", "Highways" };
    rp_value var[2] = { V(-300000), V(1250000) };
    c = chart_variance_create("v", "Variance", 2, a, var, V(950000));
    assert_string_equal(chart_summary(c),
                        "The forecast is an overspend of \xC2\xA3" "950k in "
                        "total; the largest overspend is in Highways (\xC2\xA3"
                        "1.3m).");
    chart_destroy(c);

    const char *q4[4] = { "Q1", "Q2", "Q3", "Q4" };
    rp_value s[4] = { V(4e6), V(3.5e6), MISS, MISS };
    c = chart_savings_create("s", "Savings", 4, q4, s, V(5e6));
    assert_string_equal(chart_summary(c),
                        "Savings of \xC2\xA3" "3.5m are forecast at Q2 against "
                        "a target of \xC2\xA3" "5.0m, a shortfall of \xC2\xA3"
                        "1.5m.");
    chart_destroy(c);

    size_t k[8] = { 1, 2, 1, 0, 0, 1, 0, 1 };  /* by rp_rag */
    c = chart_rag_create("r", "RAG", 2, a, k);
    assert_string_equal(chart_summary(c),
                        "Of 5 rated measures, 3 are green, 1 amber and 1 red; "
                        "1 is not rated.");
    chart_destroy(c);

    rp_value none[3] = { MISS, MISS, MISS };
    c = chart_annual_create("e", "Empty", RP_UNIT_COUNT, 0, 3, y, none, NULL,
                         NULL);
    assert_string_equal(chart_summary(c),
                        "No values are available for Empty.");
    chart_destroy(c);
}

/* The year to date against the same quarters of the year before: the
 * case that read "fell" (11,610 for Q1–Q3 against 15,300 for a whole
 * year) although like for like it rose: 11,610 / 11,370 − 1 = 2.1108%. */
static void test_summary_ytd(void **state)
{
    fx *f = *state;
    const char *y[3] = { "2021/22", "2022/23", "2023/24" };
    rp_value v[3] = { V(14980), V(15300), V(11610) };
    int comp[3] = { 1, 1, 0 };
    /* full-year change (11,610 − 15,300) / 15,300 = −24.1176% */
    rp_value yoy[3] = { MISS, V(2.136182), V(-24.117647) };
    chart *c = chart_annual_create("p", "Potholes by financial year",
                                   RP_UNIT_COUNT, 0, 3, y, v, comp, yoy);
    chart_set_subject(c, "Category 3 potholes repaired");
    assert_null(strstr(chart_summary(c), "fell"));
    chart_annual_set_ytd(c, 3, V(11370), V(2.110818));
    assert_string_equal(chart_summary(c),
                        "Category 3 potholes repaired: 11,610 in 2023/24 to "
                        "date (Q1\xE2\x80\x93Q3), up 2.1% on the same quarters "
                        "of 2022/23; 15,300 in the whole of 2022/23.");
    /* the year to date's bar is labelled like for like too; the whole
     * years keep their change on the year before */
    rec r;
    draw(f, c, 0, 0, 300, 200, &r);
    assert_int_equal(count_text(&r, "+2.1%"), 2);   /* 2022/23 and to date */
    assert_null(find_text(&r, "-24.1%"));
    rec_free(&r);
    /* falling like for like, and no figure like for like */
    chart_annual_set_ytd(c, 2, V(12000), V(-3.25));
    assert_string_equal(chart_summary(c),
                        "Category 3 potholes repaired: 11,610 in 2023/24 to "
                        "date (Q1\xE2\x80\x93Q2), down 3.3% on the same quarters "
                        "of 2022/23; 15,300 in the whole of 2022/23.");
    chart_annual_set_ytd(c, 3, MISS, MISS);
    assert_string_equal(chart_summary(c),
                        "Category 3 potholes repaired: 11,610 in 2023/24 to "
                        "date (Q1\xE2\x80\x93Q3); 15,300 in the whole of "
                        "2022/23.");
    draw(f, c, 0, 0, 300, 200, &r);
    assert_null(find_text(&r, "-24.1%"));       /* no label rather than that */
    assert_int_equal(count_text(&r, "+2.1%"), 1);   /* 2022/23 only */
    rec_free(&r);
    chart_destroy(c);

    /* a percentage: the change in points; equal: "the same as"; the
     * whole year before missing: not mentioned */
    rp_value rv[2] = { MISS, V(53.3) };
    c = chart_annual_create("r", "Within 20 weeks", RP_UNIT_PERCENT, 1, 2, y + 1,
                         rv, (int[]){ 1, 0 }, NULL);
    chart_annual_set_ytd(c, 3, V(56.5), V(-5.663717));
    assert_string_equal(chart_summary(c),
                        "Within 20 weeks: 53.3% in 2023/24 to date "
                        "(Q1\xE2\x80\x93Q3), down 3.2 percentage points on the "
                        "same quarters of 2022/23.");
    chart_annual_set_ytd(c, 1, V(53.3), V(0));
    assert_string_equal(chart_summary(c),
                        "Within 20 weeks: 53.3% in 2023/24 to date "
                        "(Q1), the same as in the same quarters "
                        "of 2022/23.");
    chart_destroy(c);

    /* a percentage's bars are labelled in points, from the figures:
     * NEET 2.3% → 7.4% is "+5.1 pts", never the relative +221.7%; the
     * year to date like for like, 53.3 − 56.5 = −3.2 points */
    rp_value nv[3] = { V(2.3), V(7.4), V(53.3) };
    rp_value npct[3] = { MISS, V(221.73913), V(620.27027) };
    c = chart_annual_create("n", "NEET", RP_UNIT_PERCENT, 1, 3, y, nv,
                            (int[]){ 1, 1, 0 }, npct);
    chart_annual_set_ytd(c, 3, V(56.5), V(-5.663717));
    draw(f, c, 0, 0, 300, 200, &r);
    assert_int_equal(count_text(&r, "+5.1 pts"), 1);
    assert_int_equal(count_text(&r, "-3.2 pts"), 1);
    assert_null(find_text(&r, "+221.7%"));
    assert_null(find_text(&r, "-5.7%"));
    rec_free(&r);
    chart_destroy(c);

    /* a cumulative line's caption: the last value against the same
     * quarter a year earlier (4 categories back), never against the
     * first point shown: 84.1 − 84.3 = −0.2 points */
    const char *qs[5] = { "Q3", "Q4", "Q1", "Q2", "Q3" };
    const char *gs[5] = { "2022/23", "2022/23", "2023/24", "2023/24", "2023/24" };
    rp_value cv[5] = { V(84.3), V(97.6), V(28.6), V(56.4), V(84.1) };
    c = chart_line_create("ct", "Council tax by quarter", RP_UNIT_PERCENT, 1,
                          5, qs, gs);
    chart_set_subject(c, "Council tax collected");
    chart_line_series(c, CHART_MAIN, "Council", cv);
    assert_non_null(strstr(chart_summary(c), "fell from 84.3%"));
    chart_line_set_cumulative(c, 4);
    assert_string_equal(chart_summary(c),
                        "Council tax collected was 84.1% at 2023/24 Q3 (year "
                        "to date), down 0.2 percentage points on 84.3% at "
                        "2022/23 Q3.");
    chart_destroy(c);

    /* a complete last year ignores the call */
    c = chart_annual_create("c", "Done", RP_UNIT_COUNT, 0, 2, y, v, NULL, NULL);
    chart_annual_set_ytd(c, 3, V(1), V(50));
    assert_string_equal(chart_summary(c),
                        "Done rose from 14,980 in 2021/22 to 15,300 in 2022/23.");
    chart_destroy(c);
}

/* ---- files ----------------------------------------------------------------- */

static chart *sample_chart(void)
{
    const char *y[3] = { "2021/22", "2022/23", "2023/24" };
    rp_value v[3] = { V(6120), V(6890), V(7480) };
    return chart_annual_create("ehcp", "EHCPs \xC2\xA3 \xE2\x80\x93 test",
                            RP_UNIT_COUNT, 0, 3, y, v, (int[]){ 1, 1, 0 },
                            (rp_value[]){ MISS, V(12.6), V(8.6) });
}

static uint32_t be32(const char *b)
{
    const unsigned char *u = (const unsigned char *)b;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 |
           u[3];
}

/* A PNG's IDAT data inflated by zlib, which checks the Adler-32 at the end
 * of the stream (libpng may stop once it has its rows): exactly h rows of
 * filter byte 0 and 3w bytes. 0 when all holds. */
static int png_inflate_check(const char *b, size_t n, unsigned w, unsigned h)
{
    size_t raw_n = (size_t)h * (1 + 3 * (size_t)w), zn = 0;
    char *z = malloc(n);
    unsigned char *raw = malloc(raw_n + 1);
    for (size_t p = 8; p + 12 <= n;) {
        uint32_t len = be32(b + p);
        if (memcmp(b + p + 4, "IDAT", 4) == 0) {
            memcpy(z + zn, b + p + 8, len);
            zn += len;
        }
        if (crc32(crc32(0, NULL, 0), (const Bytef *)b + p + 4, len + 4) !=
            be32(b + p + 8 + len))
            return free(z), free(raw), -1;
        p += 12 + (size_t)len;
    }
    uLongf got = raw_n + 1;
    int rc = uncompress(raw, &got, (const Bytef *)z, zn) == Z_OK &&
             got == raw_n ? 0 : -1;
    for (unsigned y = 0; rc == 0 && y < h; y++)
        if (raw[(size_t)y * (1 + 3 * (size_t)w)] != 0)
            rc = -1;
    free(z);
    free(raw);
    return rc;
}

static void test_png_svg_reproducible(void **state)
{
    fx *f = *state;
    char dir[] = "/tmp/test_ch_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[4][256];
    const char *names[4] = { "a.png", "b.png", "a.svg", "b.svg" };
    for (int i = 0; i < 4; i++)
        snprintf(p[i], sizeof p[i], "%s/%s", dir, names[i]);
    chart *c = sample_chart();
    assert_int_equal(chart_write_png(c, &f->t, f->fonts, 400, 200, p[0], &f->e), 0);
    assert_int_equal(chart_write_png(c, &f->t, f->fonts, 400, 200, p[1], &f->e), 0);
    assert_int_equal(chart_write_svg(c, &f->t, f->fonts, 400, 200, p[2], &f->e), 0);
    assert_int_equal(chart_write_svg(c, &f->t, f->fonts, 400, 200, p[3], &f->e), 0);
    size_t n[4];
    char *b[4];
    for (int i = 0; i < 4; i++) {
        b[i] = tu_slurp(p[i], &n[i]);
        assert_non_null(b[i]);
    }
    assert_memory_equal(b[0], "\x89PNG", 4);
    /* 400 pt at 300 dpi = 1667 px wide (IHDR width, big-endian) */
    unsigned wpx = (unsigned char)b[0][16] << 24 | (unsigned char)b[0][17] << 16 |
                   (unsigned char)b[0][18] << 8 | (unsigned char)b[0][19];
    assert_int_equal(wpx, (unsigned)ceil(400 * 300 / 72.0));
    /* an independent decoder (libpng + zlib, which check every CRC and
     * the Adler-32) reads the whole image back: 834 rows, so igzip's last
     * band of 64 rows is a partial one */
    assert_int_equal(png_inflate_check(b[0], n[0], wpx,
                                       (unsigned)ceil(200 * 300 / 72.0)), 0);
    cairo_surface_t *img = cairo_image_surface_create_from_png(p[0]);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(img), (int)wpx);
    int hpx = cairo_image_surface_get_height(img);
    assert_int_equal(hpx, (int)ceil(200 * 300 / 72.0));
    assert_int_not_equal(hpx % 64, 0);
    const unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    size_t inked = 0;
    for (int y = 0; y < hpx; y++)
        for (int x = 0; x < (int)wpx; x++) {
            uint32_t v;
            memcpy(&v, px + (size_t)y * (size_t)stride + 4 * (size_t)x, 4);
            inked += (v & 0xFFFFFF) != 0xFFFFFF;
        }
    uint32_t corner;
    memcpy(&corner, px, 4);
    assert_int_equal(corner & 0xFFFFFF, 0xFFFFFF);   /* white background */
    assert_true(inked > 1000);                       /* the chart is there */
    cairo_surface_destroy(img);
    assert_non_null(strstr(b[2], "<svg"));
    assert_non_null(strstr(b[2], "400pt"));
    assert_int_equal(n[0], n[1]);
    assert_memory_equal(b[0], b[1], n[0]);
    assert_int_equal(n[2], n[3]);
    assert_memory_equal(b[2], b[3], n[2]);
    for (int i = 0; i < 4; i++) {
        free(b[i]);
        remove(p[i]);
    }
    chart_destroy(c);
    rmdir(dir);
}

static void test_export_doc(void **state)
{
    fx *f = *state;
    char dir[] = "/tmp/test_ch_XXXXXX";
    assert_non_null(mkdtemp(dir));
    chart *c = sample_chart();
    chart_file files[2] = { { NULL, "no-chart", 100 },
                            { c, "ehcp-annual", 180 } };
    assert_int_equal(chart_write_files(files, 2, &f->t, f->fonts, dir, &f->e),
                     0);
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/ehcp-annual.png", dir);
    assert_int_equal(stat(p, &st), 0);
    assert_true(st.st_size > 1000);
    remove(p);
    snprintf(p, sizeof p, "%s/ehcp-annual.svg", dir);
    assert_int_equal(stat(p, &st), 0);
    remove(p);
    rmdir(dir);     /* fails if a temp file was left behind */
    assert_int_equal(stat(dir, &st), -1);

    /* an unwritable directory is an error, not a crash */
    assert_int_equal(chart_write_files(files, 2, &f->t, f->fonts,
                                       "/nonexistent/dir", &f->e), -1);
    assert_true(f->e.nerrors > 0);
    chart_destroy(c);
}

/* ---- many charts' files through worker processes ------------------------ */
/* n charts (ids "fig0".."fig<n-1>", different kinds and heights). */
static void export_fixture(chart_file *files, size_t n, char ids[][16])
{
    const char *q[4] = { "Q1", "Q2", "Q3", "Q4" };
    const char *areas[3] = { "Adults", "Children", "Corporate" };
    rp_value m[4] = { V(61), V(62), MISS, V(64) };
    rp_value var[3] = { V(5400000), V(-850000), V(120000) };
    size_t counts[12] = { 1, 5, 3, 1, 0, 4, 2, 3, 2, 1, 0, 0 };  /* by rp_rag */
    memset(files, 0, n * sizeof *files);
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], 16, "fig%u", (unsigned)i);
        chart *c;
        switch (i % 4) {
        case 0: c = sample_chart(); break;
        case 1:
            c = chart_line_create(ids[i], "Line", RP_UNIT_PERCENT, 1, 4, q, NULL);
            chart_line_series(c, CHART_MAIN, "Us", m);
            break;
        case 2: c = chart_variance_create(ids[i], "Variance", 3, areas, var,
                                       V(4670000)); break;
        default: c = chart_rag_create(ids[i], "RAG", 3, areas, counts); break;
        }
        files[i] = (chart_file){ c, ids[i], 120 + 10 * (double)i };
    }
}

static void export_fixture_free(chart_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        chart_destroy((chart *)files[i].chart);
}

/* Entries in dir other than . and .. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (remove(p) != 0)
            rmdir(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Every file is the same whether written here or by forked workers, none
 * is left half-written, and no worker is left behind (not even a zombie). */
static void test_export_parallel_identical(void **state)
{
    fx *f = *state;
    unsetenv("RAGPACK_CHART_JOBS");
    enum { N = 6 };
    chart_file files[N];
    char ids[N][16];
    export_fixture(files, N, ids);
    char one[] = "/tmp/test_ch_XXXXXX", par[] = "/tmp/test_ch_XXXXXX";
    assert_non_null(mkdtemp(one));
    assert_non_null(mkdtemp(par));
    int old = chart_set_export_jobs(1);
    assert_int_equal(chart_write_files(files, N, &f->t, f->fonts, one, &f->e), 0);
    /* more workers than CPUs on purpose: 4 processes take 6 charts */
    assert_int_equal(chart_set_export_jobs(4), 1);
    assert_int_equal(chart_write_files(files, N, &f->t, f->fonts, par, &f->e), 0);
    chart_set_export_jobs(old);
    assert_int_equal(f->e.nerrors, 0);
    /* exactly a PNG and an SVG per figure: no temp files left */
    assert_int_equal(count_entries(one), 2 * N);
    assert_int_equal(count_entries(par), 2 * N);
    for (size_t i = 0; i < N; i++) {
        for (int k = 0; k < 2; k++) {
            char pa[256], pb[256];
            const char *ext = k ? "svg" : "png";
            snprintf(pa, sizeof pa, "%s/%s.%s", one, ids[i], ext);
            snprintf(pb, sizeof pb, "%s/%s.%s", par, ids[i], ext);
            size_t na, nb;
            char *a = tu_slurp(pa, &na), *b = tu_slurp(pb, &nb);
            assert_non_null(a);
            assert_non_null(b);
            assert_true(na > 100);
            assert_int_equal(na, nb);
            assert_memory_equal(a, b, na);
            if (!k) {
                /* the figure's own height at 300 dpi (IHDR height) */
                unsigned hpx = (unsigned char)a[20] << 24 |
                               (unsigned char)a[21] << 16 |
                               (unsigned char)a[22] << 8 | (unsigned char)a[23];
                assert_int_equal(hpx, (unsigned)ceil((120 + 10 * (double)i) *
                                                     300 / 72.0));
            }
            free(a);
            free(b);
        }
    }
    /* every worker was waited for */
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    rm_dir(one);
    rm_dir(par);
    export_fixture_free(files, N);
}

/* A worker's error comes back to the caller naming its file, and the
 * other charts are still written. */
static void test_export_worker_error(void **state)
{
    fx *f = *state;
    unsetenv("RAGPACK_CHART_JOBS");
    enum { N = 4 };
    chart_file files[N];
    char ids[N][16];
    export_fixture(files, N, ids);
    char dir[] = "/tmp/test_ch_XXXXXX";
    assert_non_null(mkdtemp(dir));
    /* a folder where fig3.png should go: its rename must fail; with two
     * processes, figure 3 is the forked worker's (figures 1, 3) */
    char bad[256];
    snprintf(bad, sizeof bad, "%s/fig3.png", dir);
    assert_int_equal(mkdir(bad, 0700), 0);
    int old = chart_set_export_jobs(2);
    assert_int_equal(chart_write_files(files, N, &f->t, f->fonts, dir, &f->e), -1);
    chart_set_export_jobs(old);
    int found = 0;
    for (size_t i = 0; i < f->e.n; i++)
        if (f->e.v[i].file && !strcmp(f->e.v[i].file, bad) &&
            f->e.v[i].sev == RP_SEV_ERROR && f->e.v[i].message &&
            strstr(f->e.v[i].message, "cannot replace"))
            found++;
    assert_int_equal(found, 1);
    assert_int_equal(f->e.nerrors, 1);
    /* the 7 other files are there, plus the blocking folder; no temp */
    assert_int_equal(count_entries(dir), 2 * N);
    struct stat st;
    char p[256];
    snprintf(p, sizeof p, "%s/fig3.svg", dir);
    assert_int_equal(stat(p, &st), 0);
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    rm_dir(dir);
    export_fixture_free(files, N);
}

/* ---- labels never crossed by lines ------------------------------------- */
/* The quad of a stroked straight segment, widened by half the width. */
static void seg_quad(double ax, double ay, double bx, double by, double hw,
                     double q[4][2])
{
    double dx = bx - ax, dy = by - ay, l = sqrt(dx * dx + dy * dy);
    double nx = l > 0 ? -dy / l * hw : hw, ny = l > 0 ? dx / l * hw : hw;
    q[0][0] = ax + nx; q[0][1] = ay + ny;
    q[1][0] = bx + nx; q[1][1] = by + ny;
    q[2][0] = bx - nx; q[2][1] = by - ny;
    q[3][0] = ax - nx; q[3][1] = ay - ny;
}

/* No text quad meets a segment of any stroke that `pick` selects. */
static int labels_crossed(fx *f, const rec *r, int (*pick)(const rec_path *))
{
    int hits = 0;
    for (size_t i = 0; i < r->np; i++) {
        const rec_path *p = &r->p[i];
        if (!p->stroke || !pick(p))
            continue;
        double px = 0, py = 0;
        for (int k = 0; k < p->num_data; k += p->data[k].header.length) {
            int ty = p->data[k].header.type;
            double x = p->data[k + 1].point.x, y = p->data[k + 1].point.y;
            if (ty == CAIRO_PATH_LINE_TO) {
                double sq[4][2];
                seg_quad(px, py, x, y, p->width / 2, sq);
                for (size_t j = 0; j < r->nt; j++) {
                    double tq[4][2];
                    text_quad(f, &r->t[j], tq);
                    if (quads_overlap(sq, tq)) {
                        printf("'%s' crossed by a line\n", r->t[j].s);
                        hits++;
                    }
                }
            }
            if (ty != CAIRO_PATH_CLOSE_PATH) {
                px = x;
                py = y;
            }
        }
    }
    return hits;
}

/* Reference lines: dashed (target, comparators) or heavy (authority). */
static int is_reference(const rec_path *p) { return p->ndash > 0 || p->width >= 1.4; }

static void test_labels_clear_of_lines(void **state)
{
    fx *f = *state;
    /* The sample pack's savings: Q1 on the target, Q2 just under it. */
    const char *q[4] = { "Q1", "Q2", "Q3", "Q4" };
    rp_value sv[4] = { V(11.3e6), V(10.4e6), V(9.8e6), MISS };
    chart *c = chart_savings_create("s", "Savings", 4, q, sv, V(11.3e6));
    for (int h = 150; h <= 300; h += 25) {
        rec r;
        draw(f, c, 0, 0, 480, h, &r);
        assert_int_equal(labels_crossed(f, &r, is_reference), 0);
        assert_tidy(f, &r, 0, 0, 480, h);
        /* bars in series[0]: money, never a RAG colour */
        double b[4][4];
        assert_int_equal(bars(f, &r, f->t.palette.series[0], b, 4), 3);
        assert_int_equal(bars(f, &r, f->t.palette.red, b, 4), 0);
        assert_int_equal(bars(f, &r, f->t.palette.amber, b, 4), 0);
        assert_int_equal(bars(f, &r, f->t.palette.green, b, 4), 0);
        assert_non_null(find_text(&r, "\xC2\xA3" "10.4m"));
        rec_free(&r);
    }
    chart_destroy(c);
    /* Breakdown bars ending just short of the reference lines. */
    const char *names[4] = { "Harwick", "West Thorne", "Northmere", "Elm" };
    rp_value bv[4] = { V(26.1), V(22.2), V(21.4), V(19.8) };
    c = chart_breakdown_create("b", "By area", RP_UNIT_PERCENT, 1, 4, names, bv,
                            V(22.9), V(22.7), V(23.1));
    rec r;
    draw(f, c, 0, 0, 480, 160, &r);
    assert_int_equal(labels_crossed(f, &r, is_reference), 0);
    assert_non_null(find_text(&r, "22.2%"));
    assert_non_null(find_text(&r, "21.4%"));
    rec_free(&r);
    chart_destroy(c);
    /* Stacked totals just under a gridline: the gridline is knocked out
     * by a white patch drawn after it under each total. */
    const char *qs[3] = { "Q1", "Q2", "Q3" };
    const char *sn[2] = { "Health partners", "Other" };
    rp_value st[6] = { V(8.7e6), V(8.6e6), V(8.0e6), V(5.8e6), V(5.8e6),
                       V(5.3e6) };
    c = chart_stacked_create("t", "Debt", RP_UNIT_GBP, -1, 3, qs, 2, sn, st);
    draw(f, c, 0, 0, 480, 180, &r);
    assert_int_equal(labels_crossed(f, &r, is_reference), 0);
    const rec_text *lab = find_text(&r, "\xC2\xA3" "14.5m");
    assert_non_null(lab);
    double lq[4][2];
    text_quad(f, lab, lq);
    int grid = -1, patch = -1;
    for (size_t i = 0; i < r.np; i++) {
        double pb[4];
        path_bbox(&r.p[i], pb);
        if (r.p[i].stroke && grid < 0)
            grid = (int)i;              /* the gridlines come first */
        if (!r.p[i].stroke && same_col(r.p[i].col, (template_rgb){ 1, 1, 1 }) &&
            pb[0] <= lq[0][0] && pb[2] >= lq[1][0] && pb[1] <= lq[2][1] &&
            pb[3] >= lq[0][1] - 0.5)    /* descent: digits barely */
            patch = (int)i;             /* white, covering the label */
    }
    assert_true(grid >= 0 && patch > grid);
    rec_free(&r);
    chart_destroy(c);
}

/* Fuzz regressions (tests/fuzz/fuzz_input.c): totals and differences of
 * figures that each fit rp_num (±9.22e12 units) but whose result does not
 * are left unsaid or shown as n/a, never wrapped around. */
#define BIG(units) rp_value_of((rp_num)(units) * RP_SCALE)
static void test_edge_overflow(void **state)
{
    fx *f = *state;
    /* stacked bar: 5e12 + 5e12 does not fit, so its total reads n/a */
    const char *cat[1] = { "Q1" };
    const char *sn[2] = { "North", "South" };
    rp_value st[2] = { BIG(5000000000000), BIG(5000000000000) };
    chart *c = chart_stacked_create("k", "Stacked", RP_UNIT_COUNT, 0, 1, cat,
                                    2, sn, st);
    rec r;
    draw(f, c, 30, 100, 420, 210, &r);
    assert_non_null(find_text(&r, "n/a"));
    assert_null(strstr(chart_summary(c), "totalled"));
    assert_non_null(strstr(chart_summary(c), "North 5,000,000,000,000"));
    rec_free(&r);
    chart_destroy(c);

    /* savings: target 9e12 against a forecast of -9e12, a gap that does
     * not fit: neither a shortfall nor "meeting the target" */
    const char *q[1] = { "Q1" };
    rp_value sav[1] = { BIG(-9000000000000) };
    c = chart_savings_create("s", "Savings", 1, q, sav, BIG(9000000000000));
    assert_non_null(strstr(chart_summary(c), "against a target of"));
    assert_null(strstr(chart_summary(c), "meeting the target"));
    assert_null(strstr(chart_summary(c), "shortfall"));
    chart_destroy(c);

    /* a percentage's year to date: 9e12 against -9e12 is no difference in
     * points that fits, so the relative change (+200%) is given */
    const char *y[2] = { "2022/23", "2023/24" };
    rp_value v[2] = { BIG(1), BIG(9000000000000) };
    int comp[2] = { 1, 0 };
    c = chart_annual_create("p", "Share", RP_UNIT_PERCENT, 1, 2, y, v, comp, NULL);
    chart_annual_set_ytd(c, 2, BIG(-9000000000000), V(200));
    assert_null(strstr(chart_summary(c), "percentage points"));
    assert_non_null(strstr(chart_summary(c), "200.0%"));
    chart_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks),
        cmocka_unit_test(test_format),
        cmocka_unit_test_setup_teardown(test_dense_labels_rotate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dense_short_labels_skip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_kinds_tidy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gap_splits_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_axis_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bar_geometry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_breakdown_sorted, setup, teardown),
        cmocka_unit_test(test_summaries),
        cmocka_unit_test_setup_teardown(test_summary_ytd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_svg_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_doc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_parallel_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_worker_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_labels_clear_of_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edge_overflow, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
