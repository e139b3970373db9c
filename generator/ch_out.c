/* ch_out.c — charts as PNG (300 dpi) and SVG files: a ch_sink that paints
 * with cairo, text through cairo-ft with the template's TrueType faces (the
 * ones fm measures), files written to a temp name and renamed. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#endif
#include "ch_int.h"
#include "ly.h"

#include <cairo-ft.h>
#include <cairo-svg.h>
#include <png.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H

typedef struct csink {
    cairo_t *cr;
    cairo_font_face_t *face[2];
} csink;

static void cs_fill(void *ctx, const cairo_path_t *p, tp_rgb col)
{
    cairo_t *cr = ((csink *)ctx)->cr;
    cairo_new_path(cr);
    cairo_append_path(cr, p);
    cairo_set_source_rgb(cr, col.r, col.g, col.b);
    cairo_fill(cr);
}

static void cs_stroke(void *ctx, const cairo_path_t *p, tp_rgb col,
                      double width, const double *dash, int ndash)
{
    cairo_t *cr = ((csink *)ctx)->cr;
    cairo_new_path(cr);
    cairo_append_path(cr, p);
    cairo_set_source_rgb(cr, col.r, col.g, col.b);
    cairo_set_line_width(cr, width);
    cairo_set_dash(cr, dash, ndash, 0);
    cairo_stroke(cr);
}

static void cs_text(void *ctx, double x, double y, fm_face face, double size,
                    tp_rgb col, double angle, const char *s)
{
    csink *k = ctx;
    cairo_t *cr = k->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -angle);   /* counter-clockwise on a y-down page */
    cairo_set_font_face(cr, k->face[face == FM_BOLD]);
    cairo_set_font_size(cr, size);
    cairo_set_source_rgb(cr, col.r, col.g, col.b);
    cairo_move_to(cr, 0, 0);
    cairo_show_text(cr, s);
    cairo_new_path(cr);
    cairo_restore(cr);
}

typedef struct fonts_ft {
    cairo_font_face_t *cf[2];
} fonts_ft;

static const cairo_user_data_key_t ft_key;

static void ft_face_done(void *face) { FT_Done_Face(face); }

/* One FreeType library for the process: cairo may keep font faces cached
 * after we drop them, and their FT_Faces (freed by the user-data hook
 * when cairo lets go) need the library alive until then. */
static FT_Library ft_library(void)
{
    static FT_Library lib;
    static int tried;
    if (!tried) {
        tried = 1;
        if (FT_Init_FreeType(&lib))
            lib = NULL;
    }
    return lib;
}

static int fonts_open(fonts_ft *f, fm_fonts *fonts, rp_errors *errs)
{
    memset(f, 0, sizeof *f);
    FT_Library lib = ft_library();
    if (!lib) {
        rp_err(errs, NULL, 0, NULL, "cannot start FreeType");
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        const char *p = fm_path(fonts, (fm_face)i);
        FT_Face face;
        if (!p || FT_New_Face(lib, p, 0, &face)) {
            rp_err(errs, p, 0, NULL, "cannot load font for chart text");
            return -1;
        }
        f->cf[i] = cairo_ft_font_face_create_for_ft_face(face, 0);
        /* the FT_Face lives exactly as long as cairo's font face */
        if (cairo_font_face_set_user_data(f->cf[i], &ft_key, face,
                                          ft_face_done) != CAIRO_STATUS_SUCCESS) {
            cairo_font_face_destroy(f->cf[i]);
            f->cf[i] = NULL;
            FT_Done_Face(face);
            rp_err(errs, p, 0, NULL, "cannot load font for chart text");
            return -1;
        }
    }
    return 0;
}

static void fonts_close(fonts_ft *f)
{
    for (int i = 0; i < 2; i++)
        if (f->cf[i])
            cairo_font_face_destroy(f->cf[i]);
}

/* Paint chart c on cr (user space = points) with a white background. */
static void paint(cairo_t *cr, const ch_chart *c, const tp_template *t,
                  fm_fonts *fonts, fonts_ft *ff, double w, double h)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    /* unhinted, so cairo's advances match fm_width's FreeType metrics */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    csink k = { cr, { ff->cf[0], ff->cf[1] } };
    ch_sink s = { &k, cs_fill, cs_stroke, cs_text };
    /* a small inset so strokes at the edge are not cut */
    ch_draw(c, t, fonts, 2, 2, w - 4, h - 4, &s);
}

static cairo_status_t write_buf(void *closure, const unsigned char *data,
                                unsigned int len)
{
    rp_buf_add(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* cairo numbers the SVG's top group from a process-wide surface counter
 * (id="surface7" on the second chart of a run); a fixed id keeps files
 * byte-identical whatever was drawn before. */
static void svg_fix_ids(rp_buf *b)
{
    const char *key = "id=\"surface";
    char *p = strstr(b->s, key);
    if (!p)
        return;
    char *q = p + strlen(key);
    while (*q >= '0' && *q <= '9')
        q++;
    rp_buf out;
    rp_buf_init(&out);
    rp_buf_add(&out, b->s, (size_t)(p - b->s));
    rp_buf_puts(&out, "id=\"chart");
    rp_buf_puts(&out, q);
    rp_buf_free(b);
    *b = out;
}

/* Finishes an rp_atomic chart file; ok = the chart was encoded. */
static int chart_commit(rp_atomic *a, const char *path, int ok,
                        rp_errors *errs)
{
    if (!ok)
        rp_err(errs, path, 0, NULL, "cannot write the chart file");
    return rp_atomic_commit(a, ok, errs);
}

/* PNG through libpng rather than cairo_surface_write_to_png: cairo asks
 * for zlib's default level and adaptive filtering, which made PNG encoding
 * ~80% of a whole pack build. Level 1 with the Sub filter is ~10x faster
 * for charts (mostly flat white) at a modest size cost. RGB (no alpha: the
 * background is painted white) and a pHYs chunk so the image prints at
 * its size. No time chunk: files stay byte-identical. */
static int png_encode(cairo_surface_t *s, double dpi, FILE *f)
{
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    if (!data || w <= 0 || h <= 0)
        return -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = rp_xmalloc((size_t)w * 3);
    volatile int rc = -1;   /* set after setjmp */
    if (!info)
        goto out;
    if (setjmp(png_jmpbuf(png)))
        goto out;
    png_init_io(png, f);
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_uint_32 ppm = (png_uint_32)(dpi / 0.0254 + 0.5);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            row[3 * x] = (unsigned char)(px[x] >> 16);
            row[3 * x + 1] = (unsigned char)(px[x] >> 8);
            row[3 * x + 2] = (unsigned char)px[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    rc = 0;
out:
    png_destroy_write_struct(&png, info ? &info : NULL);
    free(row);
    return rc;
}

int ch_write_png(const ch_chart *c, const tp_template *t, fm_fonts *fonts,
                 double w_pt, double h_pt, const char *path, rp_errors *errs)
{
    if (!c || !(w_pt > 8) || !(h_pt > 8)) {
        rp_err(errs, path, 0, NULL, "chart size %.0f x %.0f pt is too small",
               w_pt, h_pt);
        return -1;
    }
    fonts_ft ff;
    if (fonts_open(&ff, fonts, errs) != 0) {
        fonts_close(&ff);
        return -1;
    }
    /* cairo image surfaces stop at 32767 px a side: a very tall chart
     * (a breakdown with hundreds of parts) gets fewer dpi, not an error */
    double dpi = 300;
    double side = w_pt > h_pt ? w_pt : h_pt;
    if (side * dpi / 72 > 32767)
        dpi = floor(32767 * 72 / side);
    int pw = (int)ceil(w_pt * dpi / 72), ph = (int)ceil(h_pt * dpi / 72);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, dpi / 72, dpi / 72);
    paint(cr, c, t, fonts, &ff, w_pt, h_pt);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    rp_atomic a;
    int rc = -1;
    if (rp_atomic_open(&a, path, errs) == 0)
        rc = chart_commit(&a, path, png_encode(s, dpi, a.f) == 0, errs);
    cairo_surface_destroy(s);
    fonts_close(&ff);
    return rc;
}

int ch_write_svg(const ch_chart *c, const tp_template *t, fm_fonts *fonts,
                 double w_pt, double h_pt, const char *path, rp_errors *errs)
{
    if (!c || !(w_pt > 8) || !(h_pt > 8)) {
        rp_err(errs, path, 0, NULL, "chart size %.0f x %.0f pt is too small",
               w_pt, h_pt);
        return -1;
    }
    fonts_ft ff;
    if (fonts_open(&ff, fonts, errs) != 0) {
        fonts_close(&ff);
        return -1;
    }
    rp_buf svg;
    rp_buf_init(&svg);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(write_buf, &svg,
                                                             w_pt, h_pt);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    cairo_t *cr = cairo_create(s);
    paint(cr, c, t, fonts, &ff, w_pt, h_pt);
    cairo_destroy(cr);
    cairo_surface_finish(s);    /* the SVG is written here */
    int ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && svg.s;
    cairo_surface_destroy(s);
    fonts_close(&ff);
    if (ok)
        svg_fix_ids(&svg);
    rp_atomic a;
    int rc = -1;
    if (rp_atomic_open(&a, path, errs) == 0)
        rc = chart_commit(&a, path,
                          ok && fwrite(svg.s, 1, svg.len, a.f) == svg.len, errs);
    rp_buf_free(&svg);
    return rc;
}

int ch_export_doc(const ly_doc *doc, const tp_template *t, fm_fonts *fonts,
                  const char *dir, rp_errors *errs)
{
    int rc = 0;
    double w = t->page_w - t->margin_left - t->margin_right;
    for (size_t i = 0; doc && i < doc->nblocks; i++) {
        const ly_block *b = &doc->blocks[i];
        if (b->kind != LY_B_FIGURE || !b->figure.chart)
            continue;
        const char *id = b->figure.id && *b->figure.id ? b->figure.id
                                                        : "figure";
        double h = b->figure.height > 0 ? b->figure.height : 200;
        char *p = rp_xasprintf("%s/%s.png", dir, id);
        if (ch_write_png(b->figure.chart, t, fonts, w, h, p, errs) != 0)
            rc = -1;
        free(p);
        p = rp_xasprintf("%s/%s.svg", dir, id);
        if (ch_write_svg(b->figure.chart, t, fonts, w, h, p, errs) != 0)
            rc = -1;
        free(p);
    }
    return rc;
}
