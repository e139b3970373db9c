/* render_pdf.c — render layout_pages as a PDF with libharu 2.3.0.
 *
 * Traps handled here (see ../shared/notes/stack-facts.model): UTF-8 info and
 * outline strings need the UTF-8 encoder; destination zoom must be ≥ 0.08;
 * colour and width must be set before MoveTo; dashes are whole points;
 * dates use ind '+' (never 'Z'). libharu's error handler only records the
 * first error; every call's status is checked through it. */
#define _DEFAULT_SOURCE 1       /* fchmod, fsync under strict C17 */
#include "render_pdf.h"
#include "chart.h"
#include "render_pdf_tags.h"

#include <hpdf.h>
#include <hpdf_objects.h>   /* HPDF_Dict internals: the ToUnicode stream */
#include <hpdf_fontdef.h>   /* TrueType cmap internals: glyph ids below */
#include <hpdf_encrypt.h>   /* HPDF_Encrypt_CryptBuf: stream deflate below */
#include <hpdf_streams.h>
#include <hpdf_list.h>
#include <hpdf_mmgr.h>
#include <stdint.h>
#include <hpdf_version.h>
#include <isa-l/igzip_lib.h>

/* Below, this file defines libharu functions that libharu calls through
 * its PLT (glyph ids, byte loops, stream deflate; DEVELOPERS.md): their
 * signatures and contracts are libharu 2.3.0's, Debian bookworm's. */
#if HPDF_VERSION_ID != 20300
#error "render_pdf.c replaces libharu 2.3.0 functions: check them for this version"
#endif

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct render_ctx {
    HPDF_STATUS err, detail;
    int io_errno;           /* errno when libharu reported a file error */
    HPDF_Doc pdf;
    HPDF_Page page;
    HPDF_Font font[2];
    double H;               /* page height: y flip */
    pdf_tags *tags;         /* structure and marked content */
    size_t pageno;
    HPDF_Stream drawing;    /* where pages are drawn: appends to content */
    rp_buf content, zcontent;   /* the page being drawn; it deflated */
} render_ctx;

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *user)
{
    render_ctx *c = user;
    if (!c->err) {
        c->err = e;
        c->detail = detail;
        /* libharu keeps ferror()'s flag, not the cause: take errno from
         * the failed write or close it reports right after */
        if (e == HPDF_FILE_IO_ERROR || e == HPDF_FILE_OPEN_ERROR)
            c->io_errno = errno;
    }
}

/* What a libharu error code means for whoever runs ragpack: the cause
 * and, where one is to blame, the template key to change. Codes that
 * cannot arise from ragpack's own calls stay numeric. */
static const char *hpdf_cause(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_FAILD_TO_ALLOC_MEM:
        return "out of memory";
    case HPDF_FILE_OPEN_ERROR:
        return "the font file cannot be opened";
    case HPDF_NAME_INVALID_VALUE:
    case HPDF_NAME_OUT_OF_RANGE:
        return "the font's internal name cannot be used in a PDF; choose "
               "another font (template keys fonts.regular / fonts.bold)";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
        return "the font's licence does not allow embedding; choose another "
               "font (fonts.regular / fonts.bold)";
    case HPDF_TTF_INVALID_CMAP:
        return "the font has no Unicode character map (fonts.regular / "
               "fonts.bold)";
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_INVALID_TTC_INDEX:
        return "the font is not a TrueType font libharu can embed (OpenType "
               "CFF and collections are not supported; fonts.regular / "
               "fonts.bold)";
    case HPDF_STRING_OUT_OF_RANGE:
        return "a line of text is longer than a PDF string may be; check the "
               "template's type sizes (type.body, type.small)";
    case HPDF_REAL_OUT_OF_RANGE:
    case HPDF_PAGE_INVALID_FONT_SIZE:
        return "a size or position is outside what a PDF allows; check the "
               "template's type sizes and margins (type.*, page.margins_mm)";
    case HPDF_PAGE_INVALID_SIZE:
        return "the page size is outside what a PDF allows (page.size)";
    case HPDF_PAGE_OUT_OF_RANGE:
        return "the pack has more pages than libharu can write";
    default:
        return NULL;
    }
}

/* "CAUSE (libharu error 0x105B)" or "libharu error 0x1234, detail 5". */
static void hpdf_reason(const render_ctx *c, char *buf, size_t len)
{
    const char *cause = hpdf_cause(c->err);
    if (cause)
        snprintf(buf, len, "%s (libharu error 0x%04X)", cause,
                 (unsigned)c->err);
    else
        snprintf(buf, len, "libharu error 0x%04X, detail %u",
                 (unsigned)c->err, (unsigned)c->detail);
}

static void set_fill(render_ctx *c, template_rgb k)
{
    HPDF_Page_SetRGBFill(c->page, (HPDF_REAL)k.r, (HPDF_REAL)k.g,
                         (HPDF_REAL)k.b);
}

/* ---- charts: replay cairo paths ---------------------------------------- */

/* The area a line of text covers, for a link annotation on it. */
static HPDF_Rect text_rect(const render_ctx *c, const fonts *fonts,
                           const layout_box *b)
{
    double a = fonts_ascent(fonts, b->face, b->size);
    double d = fonts_descent(fonts, b->face, b->size);
    HPDF_Rect r = { (HPDF_REAL)b->x, (HPDF_REAL)(c->H - b->y - d),
                    (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(c->H - b->y + a) };
    return r;
}

static void pdf_op(void *ctx, char op, const double *xy)
{
    render_ctx *c = ctx;
    switch (op) {
    case 'M':
        HPDF_Page_MoveTo(c->page, (HPDF_REAL)xy[0], (HPDF_REAL)(c->H - xy[1]));
        break;
    case 'L':
        HPDF_Page_LineTo(c->page, (HPDF_REAL)xy[0], (HPDF_REAL)(c->H - xy[1]));
        break;
    case 'C':
        HPDF_Page_CurveTo(c->page,
                          (HPDF_REAL)xy[0], (HPDF_REAL)(c->H - xy[1]),
                          (HPDF_REAL)xy[2], (HPDF_REAL)(c->H - xy[3]),
                          (HPDF_REAL)xy[4], (HPDF_REAL)(c->H - xy[5]));
        break;
    default:
        HPDF_Page_ClosePath(c->page);
        break;
    }
}

static int replay(render_ctx *c, const cairo_path_t *path)
{
    return chart_path_walk(path, pdf_op, c);
}

static void sink_fill(void *ctx, const cairo_path_t *path, template_rgb color)
{
    render_ctx *c = ctx;
    if (!path || path->num_data == 0)
        return;
    set_fill(c, color);
    if (replay(c, path))
        HPDF_Page_Fill(c->page);
}

static void sink_stroke(void *ctx, const cairo_path_t *path, template_rgb color,
                        double width, const double *dash, int ndash)
{
    render_ctx *c = ctx;
    if (!path || path->num_data == 0)
        return;
    HPDF_Page_SetRGBStroke(c->page, (HPDF_REAL)color.r, (HPDF_REAL)color.g,
                           (HPDF_REAL)color.b);
    HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)(width > 0 ? width : 0.5));
    HPDF_UINT16 pat[8];
    int n = 0;
    for (int i = 0; dash && i < ndash && n < 8; i++) {
        /* libharu 2.3.0 takes whole points only. */
        long v = lround(dash[i]);
        pat[n++] = (HPDF_UINT16)(v < 1 ? 1 : v > 1000 ? 1000 : v);
    }
    if (n)
        HPDF_Page_SetDash(c->page, pat, (HPDF_UINT)n, 0);
    if (replay(c, path))
        HPDF_Page_Stroke(c->page);
    else
        HPDF_Page_EndPath(c->page);
    if (n)
        HPDF_Page_SetDash(c->page, NULL, 0, 0);
}

static void draw_text(render_ctx *c, double x, double y, fonts_face face,
                      double size, template_rgb color, double angle, const char *s)
{
    if (!s || !*s || size <= 0)
        return;
    set_fill(c, color);
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, c->font[face == FONTS_BOLD],
                             (HPDF_REAL)size);
    double co = cos(angle), si = sin(angle);
    HPDF_Page_SetTextMatrix(c->page, (HPDF_REAL)co, (HPDF_REAL)si,
                            (HPDF_REAL)-si, (HPDF_REAL)co, (HPDF_REAL)x,
                            (HPDF_REAL)(c->H - y));
    HPDF_Page_ShowText(c->page, s);
    HPDF_Page_EndText(c->page);
}

static void sink_text(void *ctx, double x, double y, fonts_face face, double size,
                      template_rgb color, double angle, const char *utf8)
{
    draw_text(ctx, x, y, face, size, color, angle, utf8);
}

/* ---- shapes ---------------------------------------------------------- */

static void rect_path(render_ctx *c, double x, double y, double w, double h,
                      double r)
{
    double X = x, Y = c->H - y - h;      /* PDF lower-left */
    if (r <= 0 || w < 2 * r || h < 2 * r) {
        HPDF_Page_Rectangle(c->page, (HPDF_REAL)X, (HPDF_REAL)Y,
                            (HPDF_REAL)w, (HPDF_REAL)h);
        return;
    }
    const double k = 0.5523 * r;   /* quarter circle as a Bézier */
    HPDF_Page *p = &c->page;
    HPDF_Page_MoveTo(*p, (HPDF_REAL)(X + r), (HPDF_REAL)Y);
    HPDF_Page_LineTo(*p, (HPDF_REAL)(X + w - r), (HPDF_REAL)Y);
    HPDF_Page_CurveTo(*p, (HPDF_REAL)(X + w - r + k), (HPDF_REAL)Y,
                      (HPDF_REAL)(X + w), (HPDF_REAL)(Y + r - k),
                      (HPDF_REAL)(X + w), (HPDF_REAL)(Y + r));
    HPDF_Page_LineTo(*p, (HPDF_REAL)(X + w), (HPDF_REAL)(Y + h - r));
    HPDF_Page_CurveTo(*p, (HPDF_REAL)(X + w), (HPDF_REAL)(Y + h - r + k),
                      (HPDF_REAL)(X + w - r + k), (HPDF_REAL)(Y + h),
                      (HPDF_REAL)(X + w - r), (HPDF_REAL)(Y + h));
    HPDF_Page_LineTo(*p, (HPDF_REAL)(X + r), (HPDF_REAL)(Y + h));
    HPDF_Page_CurveTo(*p, (HPDF_REAL)(X + r - k), (HPDF_REAL)(Y + h),
                      (HPDF_REAL)X, (HPDF_REAL)(Y + h - r + k),
                      (HPDF_REAL)X, (HPDF_REAL)(Y + h - r));
    HPDF_Page_LineTo(*p, (HPDF_REAL)X, (HPDF_REAL)(Y + r));
    HPDF_Page_CurveTo(*p, (HPDF_REAL)X, (HPDF_REAL)(Y + r - k),
                      (HPDF_REAL)(X + r - k), (HPDF_REAL)Y,
                      (HPDF_REAL)(X + r), (HPDF_REAL)Y);
    HPDF_Page_ClosePath(*p);
}

static void polygon(render_ctx *c, const double (*pt)[2], int n, double cx,
                    double cy, double s, int rot)
{
    for (int i = 0; i < n; i++) {
        double ux = pt[i][0], uy = pt[i][1], x = ux, y = uy;
        if (rot == 1) { x = uy; y = -ux; }          /* pointing right */
        else if (rot == 2) { y = -uy; }             /* pointing down */
        double px = cx + x * s, py = c->H - cy + y * s;
        if (i == 0)
            HPDF_Page_MoveTo(c->page, (HPDF_REAL)px, (HPDF_REAL)py);
        else
            HPDF_Page_LineTo(c->page, (HPDF_REAL)px, (HPDF_REAL)py);
    }
    HPDF_Page_ClosePath(c->page);
    HPDF_Page_Fill(c->page);
}

/* Shapes differ as well as colours so RAG reads in greyscale:
 * ■ red, ▲ amber, ● green, ○ not rated. */
static void rag_mark(render_ctx *c, const layout_box *b)
{
    double s = b->w < b->h ? b->w : b->h;
    double cx = b->x + b->w / 2, cy = b->y + b->h / 2;
    switch (b->rag) {
    case RP_RAG_RED:
        set_fill(c, b->color);
        HPDF_Page_Rectangle(c->page, (HPDF_REAL)(cx - s * 0.38),
                            (HPDF_REAL)(c->H - cy - s * 0.38),
                            (HPDF_REAL)(s * 0.76), (HPDF_REAL)(s * 0.76));
        HPDF_Page_Fill(c->page);
        break;
    case RP_RAG_AMBER: {
        static const double tri[3][2] = { { 0, 0.5 }, { 0.5, -0.4 },
                                          { -0.5, -0.4 } };
        set_fill(c, b->color);
        polygon(c, tri, 3, cx, cy - s * 0.03, s, 0);
        break;
    }
    case RP_RAG_GREEN:
        set_fill(c, b->color);
        HPDF_Page_Circle(c->page, (HPDF_REAL)cx, (HPDF_REAL)(c->H - cy),
                         (HPDF_REAL)(s * 0.42));
        HPDF_Page_Fill(c->page);
        break;
    default:
        HPDF_Page_SetRGBStroke(c->page, (HPDF_REAL)b->color.r,
                               (HPDF_REAL)b->color.g, (HPDF_REAL)b->color.b);
        HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)(s * 0.12));
        HPDF_Page_Circle(c->page, (HPDF_REAL)cx, (HPDF_REAL)(c->H - cy),
                         (HPDF_REAL)(s * 0.36));
        HPDF_Page_Stroke(c->page);
        break;
    }
}

/* Better ↑, worse ↓, same →: one arrow outline rotated. */
static void dir_mark(render_ctx *c, const layout_box *b)
{
    static const double arrow[7][2] = {
        { 0, 0.5 }, { 0.42, 0.05 }, { 0.14, 0.05 }, { 0.14, -0.5 },
        { -0.14, -0.5 }, { -0.14, 0.05 }, { -0.42, 0.05 } };
    double s = b->w < b->h ? b->w : b->h;
    int rot = b->dir == RP_DIR_IMPROVING ? 0 : b->dir == RP_DIR_WORSENING ? 2 : 1;
    set_fill(c, b->color);
    polygon(c, arrow, 7, b->x + b->w / 2, b->y + b->h / 2, s, rot);
}

/* ---- document -------------------------------------------------------- */

static void set_dates(render_ctx *c, rp_errors *errs)
{
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0)
            rp_warn(errs, NULL, 0, NULL,
                    "SOURCE_DATE_EPOCH \"%s\" is not a number of seconds; "
                    "using the current time", sde);
        else
            now = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&now, &tm);
    HPDF_Date d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                    tm.tm_min, tm.tm_sec, '+', 0, 0 };
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d);
}

static void info(render_ctx *c, HPDF_InfoType k, const char *v)
{
    if (v && *v)
        HPDF_SetInfoAttr(c->pdf, k, v);
}

static void draw_page(render_ctx *c, const layout_page *pg, const pack_template *t,
                      fonts *fonts, HPDF_Page *all, size_t npages,
                      const chart_sink *sink)
{
    for (size_t i = 0; i < pg->nboxes; i++) {
        const layout_box *b = &pg->boxes[i];
        /* Every box is painted inside its marked-content sequence. */
        pdf_tags_box(c->tags, c->pageno, b);
        switch (b->kind) {
        case LAYOUT_TEXT:
            draw_text(c, b->x, b->y, b->face, b->size, b->color, 0, b->text);
            if (b->link_page > 0 && (size_t)b->link_page <= npages &&
                b->w > 0) {
                HPDF_Rect r = text_rect(c, fonts, b);
                HPDF_Destination dst =
                    HPDF_Page_CreateDestination(all[b->link_page - 1]);
                HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)c->H, 1);
                HPDF_Annotation an = HPDF_Page_CreateLinkAnnot(c->page, r, dst);
                if (an) {
                    HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
                    pdf_tags_link(c->tags, an);
                }
            }
            if (b->href && *b->href && b->w > 0) {
                /* a link in a text section: a URI annotation on its words */
                HPDF_Rect r = text_rect(c, fonts, b);
                HPDF_Annotation an =
                    HPDF_Page_CreateURILinkAnnot(c->page, r, b->href);
                if (an) {
                    HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
                    pdf_tags_uri(c->tags, an, b->text, b->href);
                }
            }
            break;
        case LAYOUT_RECT:
        case LAYOUT_RULE:
            set_fill(c, b->color);
            rect_path(c, b->x, b->y, b->w, b->h,
                      b->kind == LAYOUT_RECT ? b->radius : 0);
            HPDF_Page_Fill(c->page);
            if (b->kind == LAYOUT_RECT && b->line > 0 && b->w > b->line &&
                b->h > b->line) {
                /* the outline inside the fill's edge, so it covers
                 * nothing next to it */
                double i = b->line / 2, r = b->radius - i;
                HPDF_Page_SetRGBStroke(c->page, (HPDF_REAL)b->outline.r,
                                       (HPDF_REAL)b->outline.g,
                                       (HPDF_REAL)b->outline.b);
                HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)b->line);
                rect_path(c, b->x + i, b->y + i, b->w - b->line,
                          b->h - b->line, r > 0 ? r : 0);
                HPDF_Page_Stroke(c->page);
            }
            break;
        case LAYOUT_RAGMARK:
            rag_mark(c, b);
            break;
        case LAYOUT_DIRMARK:
            dir_mark(c, b);
            break;
        case LAYOUT_FIGURE:
        case LAYOUT_SPARK:
            if (b->chart) {
                /* Charts may leave state behind; keep it to the chart. */
                HPDF_Page_GSave(c->page);
                chart_draw(b->chart, t, fonts, b->x, b->y, b->w, b->h, sink);
                HPDF_Page_GRestore(c->page);
            }
            break;
        }
    }
    pdf_tags_end_page(c->tags);
}

/* libharu 2.3.0 gives each UTF-8 font a copy of its encoding CMap as
 * /ToUnicode: a CID-keyed CMap (begincidrange) where a ToUnicode CMap
 * needs bfrange/bfchar, so poppler warns on every page. Rewrite the
 * stream in place as a proper ToUnicode CMap. With the UTF-8 encoder and
 * Identity-H the CID of a character is its code point (BMP only; libharu
 * turns anything above U+FFFF into a space), so the map is the identity:
 * one bfrange per high byte, as bfrange source codes may differ only in
 * the last byte; surrogates (D8–DF) are not characters and are skipped.
 * Fixed text, so the output stays byte-reproducible. */
static int fix_to_unicode(HPDF_Font font)
{
    HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!tu || !tu->stream || tu->stream->type != HPDF_STREAM_MEMORY)
        return -1;
    HPDF_MemStream_FreeData(tu->stream);
    HPDF_Stream s = tu->stream;
    HPDF_STATUS st = HPDF_Stream_WriteStr(s,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
        "/Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int hi[256], n = 0;
    for (int h = 0; h < 256; h++)
        if (h < 0xD8 || h > 0xDF)
            hi[n++] = h;
    /* At most 100 entries per begin…end section (PDF 32000 9.10.3). */
    for (int i = 0; i < n && st == HPDF_OK; i += 100) {
        int m = n - i < 100 ? n - i : 100;
        char buf[40];
        snprintf(buf, sizeof buf, "%d beginbfrange\n", m);
        st = HPDF_Stream_WriteStr(s, buf);
        for (int k = i; k < i + m && st == HPDF_OK; k++) {
            /* Controls below U+0020 are .notdef in libharu's encoder. */
            int lo = hi[k] == 0 ? 0x20 : 0;
            snprintf(buf, sizeof buf, "<%02X%02X> <%02XFF> <%02X%02X>\n",
                     hi[k], lo, hi[k], hi[k], lo);
            st = HPDF_Stream_WriteStr(s, buf);
        }
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    if (st == HPDF_OK)
        st = HPDF_Stream_WriteStr(s,
            "endcmap\n"
            "CMapName currentdict /CMap defineresource pop\n"
            "end\nend\n");
    tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    return st == HPDF_OK ? 0 : -1;
}

/* ---- glyph ids ------------------------------------------------------------
 * Embedding a TrueType font with the UTF-8 encoder makes libharu build its
 * CIDToGIDMap by calling HPDF_TTFontDef_GetGlyphid for all 65,536 code
 * points, and each call searches the cmap's segments from the first: 37%
 * of rendering a pack. libharu calls that exported function through its
 * PLT, so this definition replaces it for the process: the same answer
 * (tests/unit/test_render_pdf.c compares all 65,536 against libharu's for
 * both fonts), but from a table per font built in one pass over the code
 * points, kept while render_pdf_write runs (fontdefs live as long as the
 * document, so a freed one is never looked up). */
enum { GID_FONTS = 4 };
static struct gid_table {
    HPDF_FontDef def;
    HPDF_UINT16 gid[65536];
} *gid_tables;
static int gid_ntables;

/* Segment i's glyph for code u (u <= end_count[i]), as libharu 2.3.0
 * computes it; an index past the glyph array is .notdef. */
static HPDF_UINT16 seg_gid(const HPDF_TTF_CmapRange *m, HPDF_UINT i,
                           HPDF_UINT segs, HPDF_UINT u)
{
    if (m->start_count[i] > u)
        return 0;
    if (m->id_range_offset[i] == 0)
        return (HPDF_UINT16)(u + (HPDF_UINT)m->id_delta[i]);
    HPDF_UINT idx = m->id_range_offset[i] / 2u + (u - m->start_count[i]) -
                    (segs - i);
    if (idx >= m->glyph_id_array_count)
        return 0;
    return (HPDF_UINT16)(m->glyph_id_array[idx] + (HPDF_UINT)m->id_delta[i]);
}

/* The first segment whose end is >= u only moves forward as u grows, so
 * one walk fills all 65,536 entries. */
static void gid_fill(const HPDF_TTF_CmapRange *m, HPDF_UINT16 *t)
{
    HPDF_UINT segs = m->seg_count_x2 / 2u, i = 0;
    for (HPDF_UINT u = 0; u < 65536; u++) {
        while (i < segs && u > m->end_count[i])
            i++;
        t[u] = i < segs ? seg_gid(m, i, segs, u) : 0;
    }
}

/* The table of a format-4 font, built on first use while rendering. */
static const HPDF_UINT16 *gid_table(HPDF_FontDef def)
{
    for (int k = 0; k < gid_ntables; k++)
        if (gid_tables[k].def == def)
            return gid_tables[k].gid;
    if (!gid_tables || gid_ntables == GID_FONTS)
        return NULL;
    struct gid_table *t = &gid_tables[gid_ntables++];
    t->def = def;
    gid_fill(&((HPDF_TTFontDefAttr)def->attr)->cmap, t->gid);
    return t->gid;
}

HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef,
                                      HPDF_UINT16 unicode)
{
    const HPDF_TTF_CmapRange *m = &((HPDF_TTFontDefAttr)fontdef->attr)->cmap;
    if (m->format == 0)
        return m->glyph_id_array[unicode & 0xFF];
    if (m->seg_count_x2 == 0) {
        HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
        return 0;
    }
    const HPDF_UINT16 *t = gid_table(fontdef);
    if (t)
        return t[unicode];
    HPDF_UINT segs = m->seg_count_x2 / 2u, i = 0;
    while (i < segs && unicode > m->end_count[i])
        i++;
    return i < segs ? seg_gid(m, i, segs, unicode) : 0;
}

static void gid_tables_begin(void)
{
    gid_tables = calloc(GID_FONTS, sizeof *gid_tables);
    gid_ntables = 0;
}

static void gid_tables_end(void)
{
    free(gid_tables);
    gid_tables = NULL;
    gid_ntables = 0;
}

/* ---- libharu's byte loops -------------------------------------------------
 * libharu copies, clears and measures with loops of its own, one byte at a
 * time: HPDF_MemCpy and HPDF_MemSet were 16% of a pack's instructions
 * (each content operator clears a 512-byte buffer; every stream is copied
 * through them). Like HPDF_TTFontDef_GetGlyphid above, these definitions
 * replace libharu's through its PLT, with its exact results (the end
 * pointer is returned; an overlap copies forward byte by byte as its loop
 * does), so the PDF bytes are unchanged. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    /* most calls copy a few bytes (a glyph id, a name): a loop is cheaper
     * than a call for those, and is what an overlap needs */
    if (n < 16 || (out > in && out < in + n)) {
        for (HPDF_UINT i = 0; i < n; i++)
            out[i] = in[i];
    } else {
        memmove(out, in, n);
    }
    return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    if (n)
        memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
    if (!s)
        return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}

/* ---- lists -----------------------------------------------------------------
 * libharu grows a list (an array's items, a dict's, the cross-reference
 * table) by a fixed number of slots, copying it whole each time: quadratic
 * in its length. A tagged pack's cross-reference table holds an object for
 * every structure element, millions in the 19,400-measure benchmark
 * council, where copying it was most of the build (docs/performance.md).
 * libharu calls HPDF_List_Add through its PLT, so this definition replaces
 * libharu 2.3.0's: the same contract, growing by half the list (at least
 * its items_per_block). The PDF is byte for byte the same. */
HPDF_STATUS HPDF_List_Add(HPDF_List list, void *item)
{
    if (list->count >= list->block_siz) {
        HPDF_UINT grow = list->block_siz / 2 > list->items_per_block
                             ? list->block_siz / 2 : list->items_per_block;
        HPDF_UINT count = list->block_siz + grow;
        if (count < list->block_siz || count > UINT32_MAX / sizeof(void *))
            return HPDF_SetError(list->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
        void **obj = HPDF_GetMem(list->mmgr, count * (HPDF_UINT)sizeof *obj);
        if (!obj)
            return HPDF_Error_GetCode(list->error);
        if (list->obj) {
            memcpy(obj, list->obj, list->block_siz * sizeof *obj);
            HPDF_FreeMem(list->mmgr, list->obj);
        }
        list->obj = obj;
        list->block_siz = count;
    }
    list->obj[list->count++] = item;
    return HPDF_OK;
}

/* ---- stream deflate -------------------------------------------------------
 * libharu deflates every stream (pages, font subsets, CIDToGIDMaps, the
 * structure tree) with zlib at its default level: 31% of a pack's
 * instructions without chart files. It calls this exported function
 * through its PLT, so, like the functions above, the definition here
 * replaces libharu 2.3.0's for the process: the same contract (the whole
 * of src, from its start, as one zlib stream onto dst; encrypted when e is
 * given) written with ISA-L's igzip at level 0. Measured on the sample
 * pack's 56 streams (1.9 MB): zlib 6 22 ms / 326 KB, igzip 1 2.1 ms /
 * 376 KB (docs/performance.md). Level 0, not 1: level 1's bytes depend on
 * where the process was loaded (address-space randomisation; 2 builds of
 * 400 gave a different PDF, none of 400 with `setarch -R` or at level 0),
 * level 3 reads hash entries it never wrote (valgrind). Level 0 is as
 * fast, with fixed Huffman tables: streams about a fifth larger than level
 * 1's, the sample's PDF 396 KB against 362 KB; the same bytes every run. */
#define PDF_DEFLATE_LEVEL 0
#define PDF_LEVEL_BUF ISAL_DEF_LVL1_DEFAULT
enum { DEFLATE_IN = 64 * 1024, DEFLATE_OUT = 64 * 1024 };

typedef struct deflate_scratch {
    HPDF_BYTE in[DEFLATE_IN], out[DEFLATE_OUT], crypt[DEFLATE_OUT];
    uint8_t level_buf[PDF_LEVEL_BUF];
} deflate_scratch;
static deflate_scratch *deflate_kept;  /* while render_pdf_write runs */

HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src,
                                                 HPDF_Stream dst,
                                                 HPDF_Encrypt e);

/* One zlib stream at PDF_DEFLATE_LEVEL with d's level buffer. */
static void deflate_start(struct isal_zstream *zs, deflate_scratch *d)
{
    isal_deflate_init(zs);
    zs->level = PDF_DEFLATE_LEVEL;
    zs->level_buf = d->level_buf;
    zs->level_buf_size = PDF_LEVEL_BUF;
    zs->gzip_flag = IGZIP_ZLIB;
    zs->flush = NO_FLUSH;
}

static HPDF_STATUS deflate_flush(struct isal_zstream *zs, deflate_scratch *d,
                                 HPDF_Stream dst, HPDF_Encrypt e)
{
    HPDF_UINT n = (HPDF_UINT)(DEFLATE_OUT - zs->avail_out);
    zs->next_out = d->out;
    zs->avail_out = DEFLATE_OUT;
    if (n == 0)
        return HPDF_OK;
    if (e) {
        HPDF_Encrypt_CryptBuf(e, d->out, d->crypt, n);
        return HPDF_Stream_Write(dst, d->crypt, n);
    }
    return HPDF_Stream_Write(dst, d->out, n);
}

HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src,
                                                 HPDF_Stream dst,
                                                 HPDF_Encrypt e)
{
    HPDF_STATUS ret = HPDF_Stream_Seek(src, 0, HPDF_SEEK_SET);
    if (ret != HPDF_OK)
        return ret;
    deflate_scratch *d = deflate_kept ? deflate_kept : malloc(sizeof *d);
    if (!d)
        return HPDF_SetError(src->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    struct isal_zstream zs;
    deflate_start(&zs, d);
    zs.next_out = d->out;
    zs.avail_out = DEFLATE_OUT;
    for (int last = 0; !last && ret == HPDF_OK;) {
        HPDF_UINT n = DEFLATE_IN;
        ret = HPDF_Stream_Read(src, d->in, &n);
        if (ret == HPDF_STREAM_EOF) {
            ret = HPDF_OK;
            last = 1;
        } else if (ret != HPDF_OK) {
            break;
        }
        zs.next_in = d->in;
        zs.avail_in = n;
        zs.end_of_stream = (uint16_t)last;
        /* until igzip has taken the input (and, at the end, written its
         * trailer), emptying the output buffer whenever it fills */
        while (ret == HPDF_OK &&
               (zs.avail_in > 0 ||
                (last && zs.internal_state.state != ZSTATE_END))) {
            int rc = isal_deflate(&zs);
            if (rc != COMP_OK)
                ret = HPDF_SetError(src->error, HPDF_ZLIB_ERROR, rc);
            else if (zs.avail_out == 0 ||
                     zs.internal_state.state == ZSTATE_END)
                ret = deflate_flush(&zs, d, dst, e);
        }
    }
    if (ret == HPDF_OK)
        ret = deflate_flush(&zs, d, dst, e);
    if (d != deflate_kept)
        free(d);
    return ret;
}

/* The whole of in as one zlib stream into out (replacing it), as the
 * function above writes it: a page's content as soon as it is drawn. */
static int deflate_buf(const rp_buf *in, rp_buf *out)
{
    deflate_scratch *d = deflate_kept;
    if (!d)
        return -1;
    struct isal_zstream zs;
    deflate_start(&zs, d);
    zs.end_of_stream = 1;
    zs.next_in = (uint8_t *)in->s;
    zs.avail_in = (uint32_t)in->len;
    out->len = 0;
    while (zs.internal_state.state != ZSTATE_END) {
        zs.next_out = d->out;
        zs.avail_out = DEFLATE_OUT;
        if (isal_deflate(&zs) != COMP_OK)
            return -1;
        rp_buf_add(out, (const char *)d->out, DEFLATE_OUT - zs.avail_out);
    }
    return 0;
}

/* ---- page content ---------------------------------------------------------
 * libharu keeps every page's content stream in memory, uncompressed, until
 * the PDF is saved: 720 MB for the 19,400-measure council. Here each page
 * is drawn into one buffer reused from page to page (a callback stream),
 * deflated as soon as the page is done into a stream of its exact size,
 * and its contents dict says /Filter /FlateDecode itself: its filter is
 * none, so libharu writes the bytes as they are. */
static HPDF_STATUS drawing_write(HPDF_Stream s, const HPDF_BYTE *p,
                                 HPDF_UINT n)
{
    rp_buf_add(s->attr, (const char *)p, n);
    return HPDF_OK;
}

static HPDF_STATUS flate_entry(HPDF_Dict d, HPDF_Stream s)
{
    (void)d;
    return HPDF_Stream_WriteStr(s, "/Filter /FlateDecode\n");
}

static void page_begin(render_ctx *c, HPDF_Page page)
{
    c->content.len = 0;
    ((HPDF_PageAttr)page->attr)->stream = c->drawing;
}

static int page_end(render_ctx *c, HPDF_Page page)
{
    HPDF_PageAttr a = page->attr;
    /* libharu would close an open text or path object, or a saved
     * graphics state, at save: into bytes already deflated. */
    if (a->gmode != HPDF_GMODE_PAGE_DESCRIPTION ||
        (a->gstate && a->gstate->prev))
        return -1;
    if (deflate_buf(&c->content, &c->zcontent) != 0)
        return -1;
    size_t n = c->zcontent.len;
    HPDF_Stream z = HPDF_MemStream_New(page->mmgr, (HPDF_UINT)(n ? n : 1));
    if (!z || HPDF_Stream_Write(z, (const HPDF_BYTE *)c->zcontent.s,
                                (HPDF_UINT)n) != HPDF_OK)
        return -1;
    a->contents->stream = z;
    a->contents->filter = HPDF_STREAM_FILTER_NONE;
    a->contents->write_fn = flate_entry;
    a->stream = z;          /* nothing more is drawn on it */
    return 0;
}

static int build(render_ctx *c, const layout_pages *pages, const document *doc,
                 const pack_template *t, fonts *fonts, rp_errors *errs)
{
    HPDF_Doc pdf = c->pdf;
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    for (int i = 0; i < 2; i++) {
        const char *path = fonts_path(fonts, (fonts_face)i);
        const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
        c->font[i] = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
        if (!c->font[i]) {
            char why[256];
            hpdf_reason(c, why, sizeof why);
            rp_err(errs, path, 0, NULL, "cannot embed the font in the PDF: %s",
                   why);
            return -1;
        }
        /* Not fatal: libharu's own map still extracts, only noisily. */
        (void)fix_to_unicode(c->font[i]);
    }
    /* Info strings as UTF-16 rather than raw bytes. */
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    info(c, HPDF_INFO_TITLE, doc ? doc->title : NULL);
    info(c, HPDF_INFO_AUTHOR, doc ? doc->author : NULL);
    info(c, HPDF_INFO_SUBJECT, doc ? doc->subject : NULL);
    info(c, HPDF_INFO_KEYWORDS, doc ? doc->keywords : NULL);
    info(c, HPDF_INFO_CREATOR, "ragpack " RP_VERSION);
    set_dates(c, errs);

    c->H = pages->page_h > 0 ? pages->page_h : 841.89;
    double W = pages->page_w > 0 ? pages->page_w : 595.276;
    size_t np = pages->npages;
    HPDF_Page *all = rp_xcalloc(np ? np : 1, sizeof *all);
    for (size_t i = 0; i < np; i++) {
        all[i] = HPDF_AddPage(pdf);
        if (!all[i])
            break;
        HPDF_Page_SetWidth(all[i], (HPDF_REAL)W);
        HPDF_Page_SetHeight(all[i], (HPDF_REAL)c->H);
    }
    chart_sink sink = { c, sink_fill, sink_stroke, sink_text };
    c->tags = pdf_tags_create(pdf, doc, all, np, c->H);
    c->drawing = HPDF_CallbackWriter_New(pdf->mmgr, drawing_write, &c->content);
    if (!c->drawing) {
        free(all);
        return -1;
    }
    for (size_t i = 0; i < np && !c->err; i++) {
        if ((i & 15) == 0 && rp_interrupted(errs)) {
            free(all);
            return -1;
        }
        c->page = all[i];
        c->pageno = i;
        page_begin(c, all[i]);
        draw_page(c, &pages->pages[i], t, fonts, all, np, &sink);
        if (!c->err && page_end(c, all[i]) != 0) {
            rp_err(errs, NULL, 0, NULL, "cannot write page %zu of the PDF",
                   i + 1);
            free(all);
            return -1;
        }
    }
    if (!c->err && pdf_tags_finish(c->tags, doc ? doc->title : NULL,
                                   t ? t->lang : NULL) != 0 && !c->err) {
        rp_err(errs, NULL, 0, NULL, "cannot write the PDF structure tree");
        free(all);
        return -1;
    }
    /* Outline: level 1 at the root, level 2 under the last level 1. */
    HPDF_Outline parent = NULL;
    HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
    for (size_t i = 0; i < pages->nmarks && !c->err; i++) {
        const layout_mark *m = &pages->marks[i];
        if (m->page >= np)
            continue;
        HPDF_Outline o = HPDF_CreateOutline(pdf, m->level <= 1 ? NULL : parent,
                                            m->title, utf8);
        if (!o)
            break;
        if (m->level <= 1) {
            parent = o;
            HPDF_Outline_SetOpened(o, HPDF_TRUE);
        }
        HPDF_Destination dst = HPDF_Page_CreateDestination(all[m->page]);
        HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)(c->H - m->y + 4), 1);
        HPDF_Outline_SetDestination(o, dst);
    }
    if (pages->nmarks)
        HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    free(all);
    return c->err ? -1 : 0;
}

/* libharu writes the file itself (HPDF_SaveToFile) to the temporary name
 * rp_atomic made, which is then synced and renamed: readers see the old
 * PDF or the new one, never a partial one, a failed run leaves the old one
 * untouched, and the document is never held twice in memory
 * (HPDF_SaveToStream built the whole PDF in a memory stream first: 485 MB
 * more on the 19,400-measure benchmark council). */
static int save_atomic(render_ctx *c, const char *path, rp_errors *errs)
{
    rp_atomic a;
    if (rp_atomic_open(&a, path, errs) != 0)
        return -1;
    int ok = HPDF_SaveToFile(c->pdf, a.tmp) == HPDF_OK && !c->err;
    if (!ok && (c->err == HPDF_FILE_IO_ERROR || c->err == HPDF_FILE_OPEN_ERROR)) {
        rp_err(errs, path, 0, NULL, "cannot write the PDF: %s",
               strerror(c->io_errno ? c->io_errno : EIO));
    } else if (!ok) {
        char why[256];
        hpdf_reason(c, why, sizeof why);
        rp_err(errs, path, 0, NULL, "cannot write the PDF: %s", why);
    }
    return rp_atomic_commit(&a, ok, errs);
}

/* ---- libharu's memory ---------------------------------------------------
 * A tagged pack is millions of small libharu objects (dicts, arrays,
 * numbers); freeing them one by one was a tenth of the 19,400-measure
 * build (docs/performance.md). While render_pdf_write runs they come from
 * an arena of 1 MiB blocks, 16-byte aligned (libharu's own memory pool
 * aligns to 4 only, which UBSan rightly reports), and go back all at once
 * after HPDF_Free; libharu's frees do nothing meanwhile. */
enum { ARENA_BLOCK = 1024 * 1024 };
static struct arena {
    char **blocks;
    size_t n, cap;
    char *p;
    size_t left;
} arena;

static void *arena_alloc(HPDF_UINT size)
{
    size_t need = ((size_t)size + 15) & ~(size_t)15;
    if (need > arena.left) {
        size_t bs = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        char *b = malloc(bs);
        if (!b)
            return NULL;
        rp_grow((void **)&arena.blocks, &arena.cap, arena.n + 1,
                sizeof *arena.blocks);
        arena.blocks[arena.n++] = b;
        arena.p = b;
        arena.left = bs;
    }
    void *r = arena.p;
    arena.p += need;
    arena.left -= need;
    return r;
}

static void arena_free(void *p)
{
    (void)p;    /* all at once, in arena_release */
}

static void arena_release(void)
{
    for (size_t i = 0; i < arena.n; i++)
        free(arena.blocks[i]);
    free(arena.blocks);
    memset(&arena, 0, sizeof arena);
}

int render_pdf_write(const layout_pages *pages, const document *doc,
                 const pack_template *t, fonts *fonts, const char *path,
                 rp_errors *errs)
{
    if (!pages || !fonts || !path)
        return -1;
    render_ctx c = { 0 };
    c.pdf = HPDF_NewEx(on_error, arena_alloc, arena_free, 0, &c);
    if (!c.pdf) {
        arena_release();
        rp_err(errs, path, 0, NULL, "cannot start a PDF document");
        return -1;
    }
    size_t before = errs ? errs->nerrors : 0;
    gid_tables_begin();
    deflate_kept = malloc(sizeof *deflate_kept);   /* NULL: one per stream */
    int rc = build(&c, pages, doc, t, fonts, errs);
    if (rc != 0 && (!errs || errs->nerrors == before)) {
        char why[256];
        hpdf_reason(&c, why, sizeof why);
        rp_err(errs, path, 0, NULL, "cannot build the PDF: %s", why);
    }
    if (rc == 0)
        rc = save_atomic(&c, path, errs);
    pdf_tags_destroy(c.tags);   /* after the save, which writes its records */
    rp_buf_free(&c.content);
    rp_buf_free(&c.zcontent);
    HPDF_Free(c.pdf);
    arena_release();    /* every libharu object, at once */
    gid_tables_end();   /* the fontdefs are gone */
    free(deflate_kept);
    deflate_kept = NULL;
    return rc;
}
