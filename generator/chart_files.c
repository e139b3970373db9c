/* chart_files.c — charts as PNG (300 dpi) and SVG files: a chart_sink that
 * paints with cairo, text through cairo-ft with the template's TrueType faces
 * (the ones fonts measures), files written to a temp name and renamed. PNG
 * encoding is most of a pack build's time (docs/performance.md). */
#define _GNU_SOURCE     /* sched_getaffinity, syncfs, prctl; implies POSIX */
#include "chart_internal.h"

#include <cairo-ft.h>
#include <cairo-svg.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <ft2build.h>
#include FT_FREETYPE_H

typedef struct csink {
    cairo_t *cr;
    cairo_font_face_t *face[2];
} csink;

static void cs_fill(void *ctx, const cairo_path_t *p, template_rgb col)
{
    cairo_t *cr = ((csink *)ctx)->cr;
    cairo_new_path(cr);
    cairo_append_path(cr, p);
    cairo_set_source_rgb(cr, col.r, col.g, col.b);
    cairo_fill(cr);
}

static void cs_stroke(void *ctx, const cairo_path_t *p, template_rgb col,
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

static void cs_text(void *ctx, double x, double y, fonts_face face, double size,
                    template_rgb col, double angle, const char *s)
{
    csink *k = ctx;
    cairo_t *cr = k->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -angle);   /* counter-clockwise on a y-down page */
    cairo_set_font_face(cr, k->face[face == FONTS_BOLD]);
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

static int fonts_open(fonts_ft *f, fonts *fonts, rp_errors *errs)
{
    memset(f, 0, sizeof *f);
    FT_Library lib = ft_library();
    if (!lib) {
        rp_err(errs, NULL, 0, NULL, "cannot start FreeType");
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        const char *p = fonts_path(fonts, (fonts_face)i);
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
static void paint(cairo_t *cr, const chart *c, const pack_template *t,
                  fonts *fonts, fonts_ft *ff, double w, double h,
                  int background)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    /* unhinted, so cairo's advances match fonts_width's FreeType metrics */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    if (background) {   /* PNG surfaces start white already */
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
    }
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    csink k = { cr, { ff->cf[0], ff->cf[1] } };
    chart_sink s = { &k, cs_fill, cs_stroke, cs_text };
    /* a small inset so strokes at the edge are not cut */
    chart_draw(c, t, fonts, 2, 2, w - 4, h - 4, &s);
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

/* Finishes an rp_atomic chart file; ok = the chart was encoded. With
 * sync = 0 the file is not fsynced here: chart_write_files syncs the whole
 * folder once at the end instead of once per file. */
static int chart_commit(rp_atomic *a, const char *path, int ok, int sync,
                        rp_errors *errs)
{
    if (!ok)
        rp_err(errs, path, 0, NULL, "cannot write the chart file");
    a->no_sync = !sync;
    return rp_atomic_commit(a, ok, errs);
}

/* What PNG files reuse from one chart to the next: the pixels cairo draws
 * into, a band of PNG rows, the deflate output and igzip's level buffer.
 * Allocating ~7 MB per 300 dpi chart meant glibc mapped it afresh (page
 * faults, zeroing) and handed it back every time. */
typedef struct png_scratch {
    unsigned char *px, *raw, *z, *level_buf;
    size_t pxcap, rawcap, zcap;
} png_scratch;

/* ISA-L's igzip: on the sample's charts (72 MB of rows) level 1 took
 * 16–21 ms where libdeflate's fastest setting took 97 ms and zlib level 1
 * 105 ms (docs/performance.md). Level 0 is as fast and its bytes are the
 * same every run; level 1's depend on where the process was loaded
 * (address-space randomisation: one chart in about 60 builds differed, in
 * its deflate bytes only, none in 300 with `setarch -R` or at level 0).
 * The files are a third larger than level 1's. */
#define PNG_DEFLATE_LEVEL 0
#define PNG_LEVEL_BUF ISAL_DEF_LVL1_DEFAULT
/* PNG rows are made and deflated a band at a time: the band stays in the
 * cache (16 ms against 21 ms for the whole image at once). */
#define PNG_BAND_ROWS 64

static void scratch_free(png_scratch *sc)
{
    free(sc->px);
    free(sc->raw);
    free(sc->z);
    free(sc->level_buf);
    memset(sc, 0, sizeof *sc);
}

/* Grown by at least half, so charts of growing height do not map a new
 * buffer each (transparent huge pages were tried for the pixels: no gain,
 * 5 MB more memory; docs/performance.md). */
static unsigned char *scratch_grow(unsigned char **p, size_t *cap, size_t n)
{
    if (n > *cap) {
        size_t want = n > *cap + *cap / 2 ? n : *cap + *cap / 2;
        free(*p);
        *p = rp_xmalloc(want);
        *cap = want;
    }
    return *p;
}

static void put_be32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

/* One PNG chunk: length, type, data, CRC-32 of type and data. */
static int put_chunk(FILE *f, const char *type, const unsigned char *d,
                     size_t n)
{
    unsigned char hd[8], crc[4];
    put_be32(hd, (uint32_t)n);
    memcpy(hd + 4, type, 4);
    uint32_t c = crc32_gzip_refl(0, hd + 4, 4);   /* PNG's CRC-32 */
    if (n)
        c = crc32_gzip_refl(c, d, n);
    put_be32(crc, c);
    return fwrite(hd, 1, 8, f) == 8 && (n == 0 || fwrite(d, 1, n, f) == n) &&
           fwrite(crc, 1, 4, f) == 4 ? 0 : -1;
}

/* cairo's xRGB rows y0 … y0 + k - 1 as PNG rows into the band: filter
 * byte 0 (None: charts are mostly flat white, where a filter only adds
 * work) then R, G, B. */
static size_t png_rows(unsigned char *o, const unsigned char *data, int w,
                       int y0, int k, int stride)
{
    unsigned char *start = o;
    for (int y = y0; y < y0 + k; y++) {
        const unsigned char *row = data + (size_t)y * (size_t)stride;
        const uint32_t *px = (const uint32_t *)(const void *)row;
        *o++ = 0;
        /* a row still all white (most of a chart) by memcmp, not per pixel */
        if (row[0] == 0xFF && memcmp(row, row + 1, 4 * (size_t)w - 1) == 0) {
            memset(o, 0xFF, 3 * (size_t)w);
            o += 3 * (size_t)w;
            continue;
        }
        for (int x = 0; x < w; x++) {
            *o++ = (unsigned char)(px[x] >> 16);
            *o++ = (unsigned char)(px[x] >> 8);
            *o++ = (unsigned char)px[x];
        }
    }
    return (size_t)(o - start);
}

/* The whole image as one zlib stream, deflated by igzip a band of rows at
 * a time into sc->z; its length, or 0 on failure. */
static size_t png_deflate(png_scratch *sc, const unsigned char *data, int w,
                          int h, int stride)
{
    size_t rl = 1 + 3 * (size_t)w, n = rl * (size_t)h;
    /* igzip's worst case is the rows stored: 5 bytes a 64 KiB block, plus
     * zlib's header and trailer; the slack covers its block headers */
    size_t bound = n + 5 * (n / 65535 + 1) + ISAL_DEF_MAX_HDR_SIZE + 64;
    if (bound > UINT32_MAX)
        return 0;
    scratch_grow(&sc->z, &sc->zcap, bound);
    scratch_grow(&sc->raw, &sc->rawcap, rl * PNG_BAND_ROWS);
    if (!sc->level_buf)
        sc->level_buf = rp_xmalloc(PNG_LEVEL_BUF);
    struct isal_zstream zs;
    isal_deflate_init(&zs);
    zs.level = PNG_DEFLATE_LEVEL;
    zs.level_buf = sc->level_buf;
    zs.level_buf_size = PNG_LEVEL_BUF;
    zs.gzip_flag = IGZIP_ZLIB;
    zs.flush = NO_FLUSH;
    zs.next_out = sc->z;
    zs.avail_out = (uint32_t)bound;
    for (int y = 0; y < h; y += PNG_BAND_ROWS) {
        int k = h - y < PNG_BAND_ROWS ? h - y : PNG_BAND_ROWS;
        zs.next_in = sc->raw;
        zs.avail_in = (uint32_t)png_rows(sc->raw, data, w, y, k, stride);
        zs.end_of_stream = y + k == h;
        /* the output has room for it all, so a call takes the whole band;
         * no progress would mean a broken stream, not a full buffer */
        while (zs.avail_in > 0 || (zs.end_of_stream &&
                                   zs.internal_state.state != ZSTATE_END)) {
            uint32_t in = zs.avail_in, out = zs.avail_out;
            if (isal_deflate(&zs) != COMP_OK ||
                (zs.avail_in == in && zs.avail_out == out))
                return 0;
        }
    }
    return zs.internal_state.state == ZSTATE_END ? zs.total_out : 0;
}

/* The PNG written here rather than by libpng + zlib (which were ~80% of a
 * pack's chart time). RGB (no alpha: the background is white), a pHYs
 * chunk so the image prints at its size, no time chunk: files stay
 * byte-identical. */
static int png_encode(png_scratch *sc, cairo_surface_t *s, double dpi, FILE *f)
{
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    if (!data || w <= 0 || h <= 0)
        return -1;
    size_t zn = png_deflate(sc, data, w, h, cairo_image_surface_get_stride(s));
    if (zn == 0 || zn > 0x7FFFFFFF)
        return -1;
    unsigned char ihdr[13] = { 0 }, phys[9];
    put_be32(ihdr, (uint32_t)w);
    put_be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;    /* bits per sample */
    ihdr[9] = 2;    /* RGB; compression, filter, interlace 0 */
    uint32_t ppm = (uint32_t)(dpi / 0.0254 + 0.5);
    put_be32(phys, ppm);
    put_be32(phys + 4, ppm);
    phys[8] = 1;    /* metre */
    static const unsigned char sig[8] = { 137, 'P', 'N', 'G', 13, 10, 26, 10 };
    if (fwrite(sig, 1, 8, f) != 8 || put_chunk(f, "IHDR", ihdr, 13) ||
        put_chunk(f, "pHYs", phys, 9) || put_chunk(f, "IDAT", sc->z, zn) ||
        put_chunk(f, "IEND", NULL, 0))
        return -1;
    return 0;
}

static int size_ok(const chart *c, double w_pt, double h_pt,
                   const char *path, rp_errors *errs)
{
    if (c && w_pt > 8 && h_pt > 8)
        return 1;
    rp_err(errs, path, 0, NULL, "chart size %.0f x %.0f pt is too small",
           w_pt, h_pt);
    return 0;
}

static int png_file(const chart *c, const pack_template *t, fonts *fonts,
                    fonts_ft *ff, png_scratch *sc, double w_pt, double h_pt,
                    const char *path, int sync, rp_errors *errs)
{
    if (!size_ok(c, w_pt, h_pt, path, errs))
        return -1;
    /* cairo image surfaces stop at 32767 px a side: a very tall chart
     * (a breakdown with hundreds of parts) gets fewer dpi, not an error */
    double dpi = 300;
    double side = w_pt > h_pt ? w_pt : h_pt;
    if (side * dpi / 72 > 32767)
        dpi = floor(32767 * 72 / side);
    int pw = (int)ceil(w_pt * dpi / 72), ph = (int)ceil(h_pt * dpi / 72);
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, pw);
    size_t bytes = (size_t)stride * (size_t)ph;
    /* white background by memset, not a pixman paint of every pixel */
    memset(scratch_grow(&sc->px, &sc->pxcap, bytes), 0xFF, bytes);
    cairo_surface_t *s = cairo_image_surface_create_for_data(
        sc->px, CAIRO_FORMAT_RGB24, pw, ph, stride);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, dpi / 72, dpi / 72);
    paint(cr, c, t, fonts, ff, w_pt, h_pt, 0);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    rp_atomic a;
    int rc = -1;
    if (rp_atomic_open(&a, path, errs) == 0)
        rc = chart_commit(&a, path, png_encode(sc, s, dpi, a.f) == 0, sync,
                          errs);
    cairo_surface_destroy(s);
    return rc;
}

static int svg_file(const chart *c, const pack_template *t, fonts *fonts,
                    fonts_ft *ff, double w_pt, double h_pt, const char *path,
                    int sync, rp_errors *errs)
{
    if (!size_ok(c, w_pt, h_pt, path, errs))
        return -1;
    rp_buf svg;
    rp_buf_init(&svg);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(write_buf, &svg,
                                                             w_pt, h_pt);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    cairo_t *cr = cairo_create(s);
    paint(cr, c, t, fonts, ff, w_pt, h_pt, 1);
    cairo_destroy(cr);
    cairo_surface_finish(s);    /* the SVG is written here */
    int ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && svg.s;
    cairo_surface_destroy(s);
    if (ok)
        svg_fix_ids(&svg);
    rp_atomic a;
    int rc = -1;
    if (rp_atomic_open(&a, path, errs) == 0)
        rc = chart_commit(&a, path,
                          ok && fwrite(svg.s, 1, svg.len, a.f) == svg.len,
                          sync, errs);
    rp_buf_free(&svg);
    return rc;
}

int chart_write_png(const chart *c, const pack_template *t, fonts *fonts,
                 double w_pt, double h_pt, const char *path, rp_errors *errs)
{
    if (!size_ok(c, w_pt, h_pt, path, errs))
        return -1;
    fonts_ft ff;
    png_scratch sc;
    memset(&sc, 0, sizeof sc);
    int rc = fonts_open(&ff, fonts, errs) == 0
                 ? png_file(c, t, fonts, &ff, &sc, w_pt, h_pt, path, 1, errs)
                 : -1;
    fonts_close(&ff);
    scratch_free(&sc);
    return rc;
}

int chart_write_svg(const chart *c, const pack_template *t, fonts *fonts,
                 double w_pt, double h_pt, const char *path, rp_errors *errs)
{
    if (!size_ok(c, w_pt, h_pt, path, errs))
        return -1;
    fonts_ft ff;
    int rc = fonts_open(&ff, fonts, errs) == 0
                 ? svg_file(c, t, fonts, &ff, w_pt, h_pt, path, 1, errs)
                 : -1;
    fonts_close(&ff);
    return rc;
}

/* ---- a pack's charts, in worker processes ------------------------------ */

static int export_jobs_setting;     /* chart_set_export_jobs; 0 = automatic */

int chart_set_export_jobs(int n)
{
    int old = export_jobs_setting;
    export_jobs_setting = n < 0 ? 0 : n;
    return old;
}

/* Processes for nfig figures (this one included): RAGPACK_CHART_JOBS,
 * else chart_set_export_jobs, else 1: measured on 2 CPUs, two processes
 * cost 12% more CPU and were no faster in wall time (docs/performance.md);
 * never more than figures. */
static size_t export_workers(size_t nfig)
{
    long n = export_jobs_setting;
    const char *env = getenv("RAGPACK_CHART_JOBS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 0)
            n = v;
    }
    if (n <= 0)
        n = 1;
    if (n > 64)
        n = 64;
    return (size_t)n < nfig ? (size_t)n : (nfig ? nfig : 1);
}

typedef struct fig {
    const chart *chart;
    char *png, *svg;
    double h;
} fig;

typedef struct exporter {
    const sigset_t *stop;   /* blocked signals that end the export early */
    const pack_template *t;
    fonts *fonts;
    fonts_ft ff;
    png_scratch sc;
    double w;
    fig *figs;
    size_t nfigs;
    int png, svg;           /* which files to write */
} exporter;

/* A blocked termination signal is waiting (the parent only). */
static int stop_pending(const exporter *x)
{
    sigset_t p;
    if (!x->stop || sigpending(&p) != 0)
        return 0;
    for (int sig = 1; sig < NSIG; sig++)
        if (sigismember(x->stop, sig) == 1 && sigismember(&p, sig) == 1)
            return 1;
    return 0;
}

/* Figures first, first + step, …: both files each, no per-file fsync. */
static int write_share(exporter *x, size_t first, size_t step,
                       rp_errors *errs)
{
    int rc = 0;
    for (size_t i = first; i < x->nfigs; i += step) {
        if (stop_pending(x)) {
            rp_err(errs, x->figs[i].png, 0, NULL, "interrupted by a signal");
            return -1;
        }
        const fig *g = &x->figs[i];
        if (x->png && png_file(g->chart, x->t, x->fonts, &x->ff, &x->sc, x->w,
                               g->h, g->png, 0, errs) != 0)
            rc = -1;
        if (x->svg && svg_file(g->chart, x->t, x->fonts, &x->ff, x->w, g->h,
                               g->svg, 0, errs) != 0)
            rc = -1;
    }
    return rc;
}

/* A worker's errors go back to the parent over a pipe as records:
 * u32 severity, i64 line, then file, column, message each as u32 length
 * + 1 (0 = NULL) and the bytes; a record with severity UINT32_MAX ends
 * the stream, so a worker that died part way is told from one that
 * finished. */
#define END_MARK UINT32_MAX

static void put_u32(rp_buf *b, uint32_t v) { rp_buf_add(b, (const char *)&v, sizeof v); }

static void put_str(rp_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u32(b, s ? (uint32_t)n + 1 : 0);
    if (s)
        rp_buf_add(b, s, n);
}

static void errs_pack(const rp_errors *e, rp_buf *b)
{
    for (size_t i = 0; i < e->n; i++) {
        const rp_error *r = &e->v[i];
        put_u32(b, (uint32_t)r->sev);
        int64_t line = r->line;
        rp_buf_add(b, (const char *)&line, sizeof line);
        put_str(b, r->file);
        put_str(b, r->column);
        put_str(b, r->message);
    }
    put_u32(b, END_MARK);
}

typedef struct reader { const char *p, *end; } reader;

static int get_u32(reader *r, uint32_t *v)
{
    if ((size_t)(r->end - r->p) < sizeof *v)
        return -1;
    memcpy(v, r->p, sizeof *v);
    r->p += sizeof *v;
    return 0;
}

/* A string from the stream, malloc'd (NULL for a NULL string). */
static int get_str(reader *r, char **s)
{
    uint32_t n;
    *s = NULL;
    if (get_u32(r, &n) != 0)
        return -1;
    if (n == 0)
        return 0;
    if ((size_t)(r->end - r->p) < n - 1)
        return -1;
    *s = rp_xstrndup(r->p, n - 1);
    r->p += n - 1;
    return 0;
}

/* Adds the records to errs; 0 when the end mark was reached. */
static int errs_unpack(const char *s, size_t len, rp_errors *errs)
{
    reader r = { s, s + len };
    for (;;) {
        uint32_t sev;
        int64_t line;
        if (get_u32(&r, &sev) != 0)
            return -1;
        if (sev == END_MARK)
            return 0;
        if ((size_t)(r.end - r.p) < sizeof line)
            return -1;
        memcpy(&line, r.p, sizeof line);
        r.p += sizeof line;
        char *file, *col = NULL, *msg = NULL;
        int bad = get_str(&r, &file) != 0 || get_str(&r, &col) != 0 ||
                  get_str(&r, &msg) != 0;
        if (!bad)
            rp_error_add(errs, sev == RP_SEV_WARNING ? RP_SEV_WARNING
                                                     : RP_SEV_ERROR,
                         file, (long)line, col, "%s", msg ? msg : "");
        free(file);
        free(col);
        free(msg);
        if (bad)
            return -1;
    }
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The worker's side: never returns. */
static void worker(exporter *x, size_t first, size_t step, int fd,
                   pid_t parent, const sigset_t *mask)
{
    /* the caller's signal mask: Ctrl-C stops a worker at once */
    if (mask)
        sigprocmask(SIG_SETMASK, mask, NULL);
    x->stop = NULL;
#ifdef __linux__
    /* killed with its parent (a signal, a crash): never an orphan
     * writing into a folder nobody will publish */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)    /* the parent died before prctl */
        _exit(2);
    rp_errors e;
    rp_errors_init(&e);
    int rc = write_share(x, first, step, &e);
    rp_buf b;
    rp_buf_init(&b);
    errs_pack(&e, &b);
    int wr = write_all(fd, b.s, b.len);
    /* _exit: no atexit handlers or stdio flushes of the parent's state */
    _exit(rc == 0 && wr == 0 ? 0 : 1);
}

typedef struct child {
    pid_t pid;
    int fd;
    size_t first;
} child;

/* Collects one worker: its errors, then its exit. */
static int reap(exporter *x, const child *k, size_t step, rp_errors *errs)
{
    rp_buf b;
    rp_buf_init(&b);
    char chunk[4096];
    for (;;) {
        ssize_t n = read(k->fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        rp_buf_add(&b, chunk, (size_t)n);
    }
    close(k->fd);
    int status = 0;
    pid_t w;
    while ((w = waitpid(k->pid, &status, 0)) < 0 && errno == EINTR)
        ;
    int complete = b.s && errs_unpack(b.s, b.len, errs) == 0;
    rp_buf_free(&b);
    if (complete && w == k->pid && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0)
        return 0;
    if (complete)
        return -1;  /* finished, and its errors name the files */
    /* died part way: name every file it was to write */
    char why[96];
    if (w == k->pid && WIFSIGNALED(status))
        snprintf(why, sizeof why, "killed by signal %d (%s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (w == k->pid && WIFEXITED(status))
        snprintf(why, sizeof why, "stopped with status %d",
                 WEXITSTATUS(status));
    else
        snprintf(why, sizeof why, "lost");
    for (size_t i = k->first; i < x->nfigs; i += step)
        rp_err(errs, x->figs[i].png, 0, NULL,
               "the chart worker writing this file and %s was %s",
               x->figs[i].svg, why);
    return -1;
}

/* The files must be on disk before the caller publishes the folder, but
 * one sync for all of them, not one per file (each fsync can cost a
 * journal commit on a real disk). */
static int sync_dir(const char *dir, exporter *x, rp_errors *errs)
{
    int rc = 0;
#ifdef __linux__
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && syncfs(fd) == 0) {
        close(fd);
        return 0;
    }
    if (fd >= 0)
        close(fd);
#endif
    /* elsewhere, or syncfs refused: file by file */
    for (size_t i = 0; i < x->nfigs; i++) {
        const char *p[2] = { x->figs[i].png, x->figs[i].svg };
        for (int j = 0; j < 2; j++) {
            if (!(j ? x->svg : x->png))
                continue;
            int f = open(p[j], O_RDONLY | O_CLOEXEC);
            if (f < 0 || fsync(f) != 0) {
                rp_err(errs, p[j], 0, NULL, "cannot write: %s",
                       strerror(errno));
                rc = -1;
            }
            if (f >= 0)
                close(f);
        }
    }
    return rc;
}

int chart_write_files(const chart_file *files, size_t n,
                      const pack_template *t, fonts *fonts, const char *dir,
                      rp_errors *errs)
{
    return chart_write_files_as(files, n, RP_CHART_FILES_ALL, t, fonts, dir,
                                errs);
}

int chart_write_files_as(const chart_file *files, size_t n,
                         rp_chart_files which, const pack_template *t,
                         fonts *fonts, const char *dir, rp_errors *errs)
{
    exporter x;
    memset(&x, 0, sizeof x);
    x.png = which == RP_CHART_FILES_ALL || which == RP_CHART_FILES_PNG ||
            which == RP_CHART_FILES_DEFAULT;
    x.svg = which == RP_CHART_FILES_ALL || which == RP_CHART_FILES_SVG ||
            which == RP_CHART_FILES_DEFAULT;
    if (!x.png && !x.svg)
        return 0;
    x.t = t;
    x.fonts = fonts;
    x.w = t->page_w - t->margin_left - t->margin_right;
    for (size_t i = 0; i < n; i++) {
        const chart_file *cf = &files[i];
        if (!cf->chart)
            continue;
        const char *id = cf->name && *cf->name ? cf->name : "figure";
        x.figs = rp_xrealloc(x.figs, (x.nfigs + 1) * sizeof *x.figs);
        fig *g = &x.figs[x.nfigs++];
        g->chart = cf->chart;
        g->h = cf->height > 0 ? cf->height : 200;
        g->png = rp_xasprintf("%s/%s.png", dir, id);
        g->svg = rp_xasprintf("%s/%s.svg", dir, id);
    }
    int rc = 0;
    if (x.nfigs == 0)
        goto out;
    /* fonts once for all charts; FreeType maps the files, so workers
     * share them safely after fork */
    if (fonts_open(&x.ff, fonts, errs) != 0) {
        rc = -1;
        goto out;
    }
    size_t step = export_workers(x.nfigs);
    /* While workers run, termination signals wait: this process then
     * stops after its current chart, ends and reaps every worker, and
     * only then takes the signal, so none is left behind. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigaddset(&stop, SIGQUIT);
    int blocked = step > 1 && sigprocmask(SIG_BLOCK, &stop, &old) == 0;
    if (blocked)
        x.stop = &stop;
    child *kids = rp_xcalloc(step, sizeof *kids);
    size_t nkids = 0;
    pid_t self = getpid();
    /* worker k (1 ≤ k < step) takes figures k, k + step, …; this process
     * takes figure 0, step, … and any share whose fork failed */
    int mine[64] = { 1 };
    for (size_t k = 1; k < step; k++) {
        int p[2];
        if (pipe(p) != 0) {
            mine[k] = 1;
            continue;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            for (size_t j = 0; j < nkids; j++)
                close(kids[j].fd);
            worker(&x, k, step, p[1], self, blocked ? &old : NULL);
        }
        close(p[1]);
        if (pid < 0) {
            close(p[0]);
            mine[k] = 1;
            continue;
        }
        kids[nkids++] = (child){ pid, p[0], k };
    }
    for (size_t k = 0; k < step; k++)
        if (mine[k] && write_share(&x, k, step, errs) != 0)
            rc = -1;
    if (stop_pending(&x))
        for (size_t j = 0; j < nkids; j++)
            kill(kids[j].pid, SIGTERM);
    /* every worker is waited for, whatever happened here */
    for (size_t j = 0; j < nkids; j++)
        if (reap(&x, &kids[j], step, errs) != 0)
            rc = -1;
    free(kids);
    if (blocked)
        sigprocmask(SIG_SETMASK, &old, NULL);   /* a waiting signal lands */
    if (rc == 0 && sync_dir(dir, &x, errs) != 0)
        rc = -1;
out:
    fonts_close(&x.ff);
    scratch_free(&x.sc);
    for (size_t i = 0; i < x.nfigs; i++) {
        free(x.figs[i].png);
        free(x.figs[i].svg);
    }
    free(x.figs);
    return rc;
}
