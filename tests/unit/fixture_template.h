/* fixture_template.h — the page template, fonts and a page fixture for
 * the layout, render and chart tests. The template is the design brief's defaults filled by
 * hand, not loaded, so these tests do not depend on template loading (tested on its
 * own). */
#ifndef FIXTURE_TEMPLATE_H
#define FIXTURE_TEMPLATE_H

#include "testutil.h"

#include "fonts.h"
#include "layout.h"
#include "template.h"

static inline template_rgb fxt_hex(unsigned v)
{
    return (template_rgb){ ((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0,
                     (v & 255) / 255.0 };
}

/* A4, the brief's margins, type sizes and palette. */
static inline void fxt_template(pack_template *t)
{
    memset(t, 0, sizeof *t);
    const double mm = 72 / 25.4;
    t->page_w = 210 * mm; t->page_h = 297 * mm;
    t->margin_top = t->margin_bottom = 18 * mm;
    t->margin_left = t->margin_right = 20 * mm;
    t->body_size = 11; t->body_leading = 14;
    t->h1_size = 20; t->h2_size = 15; t->h3_size = 12; t->small_size = 8.5;
    template_palette *p = &t->palette;
    p->text = fxt_hex(0x0B0C0C); p->secondary = fxt_hex(0x505A5F);
    p->rule = fxt_hex(0xB1B4B6); p->fill = fxt_hex(0xF3F2F1);
    p->accent = fxt_hex(0x1D70B8); p->accent_dark = fxt_hex(0x003078);
    p->accent2 = fxt_hex(0x28A197); p->accent3 = fxt_hex(0x4C2C92);
    p->red = fxt_hex(0xD4351C); p->amber = fxt_hex(0xF47738);
    p->green = fxt_hex(0x00703C);
    p->none = fxt_hex(0xB1B4B6); p->amber_text = fxt_hex(0x0B0C0C);
    static const unsigned s[6] = { 0x1D70B8, 0x28A197, 0x4C2C92,
                                   0xF47738, 0xD4351C, 0x505A5F };
    for (int i = 0; i < 6; i++)
        p->series[i] = fxt_hex(s[i]);
}

/* The bundled Liberation Sans from fonts/ (tests run from the checkout);
 * NULL with the problem in e when they cannot be loaded. */
static inline fonts *fxt_fonts(rp_errors *e)
{
    return fonts_create("fonts", "LiberationSans-Regular.ttf",
                           "LiberationSans-Bold.ttf", e);
}

/* What the layout and render tests lay out with and into. */
typedef struct fxt_page {
    pack_template t; fonts *f; rp_errors e; document *d; layout_pages p;
    char dir[64];   /* scratch folder, for tests that write files */
} fxt_page;

/* Template and fonts; x->f is NULL when the fonts do not load (the
 * caller's setup then fails). The caller makes x->d. */
static inline fxt_page *fxt_page_create(void)
{
    fxt_page *x = calloc(1, sizeof *x);
    fxt_template(&x->t);
    rp_errors_init(&x->e);
    x->f = fxt_fonts(&x->e);
    return x;
}

static inline void fxt_page_destroy(fxt_page *x)
{
    layout_pages_free(&x->p);
    doc_destroy(x->d);
    fonts_destroy(x->f);
    rp_errors_free(&x->e);
    free(x);
}

#endif
