/* fonts.c — font metrics with FreeType. Advances are read unscaled (font
 * units) and divided by units_per_EM, so widths are exact for any size and
 * independent of hinting; they match what libharu and cairo lay out. */
#include "fonts.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H

#include <stdlib.h>
#include <string.h>

#define FONTS_CACHE 256     /* ASCII + Latin-1: nearly all text in a pack */

struct fonts {
    FT_Library lib;
    FT_Face face[2];
    char *path[2];
    double upem[2];
    double asc[2], desc[2];           /* em fractions, desc > 0 */
    double adv[2][FONTS_CACHE];          /* em fractions */
    unsigned char has[2][FONTS_CACHE];   /* a glyph for the code point */
    uint32_t *reported; size_t nrep, caprep;   /* warned code points */
};

static double advance_em(const fonts *f, int face, uint32_t cp)
{
    if (cp < FONTS_CACHE)
        return f->adv[face][cp];
    FT_UInt gi = FT_Get_Char_Index(f->face[face], cp);
    FT_Fixed a = 0;
    /* Missing characters measure as .notdef (glyph 0): that is what
     * libharu draws for them. */
    if (FT_Get_Advance(f->face[face], gi, FT_LOAD_NO_SCALE, &a) != 0)
        return 0;
    return (double)a / f->upem[face];
}

fonts *fonts_create(const char *fonts_dir, const char *regular,
                          const char *bold, rp_errors *errs)
{
    fonts *f = rp_xcalloc(1, sizeof *f);
    if (FT_Init_FreeType(&f->lib) != 0) {
        rp_err(errs, NULL, 0, NULL, "cannot initialise FreeType");
        free(f);
        return NULL;
    }
    const char *names[2] = { regular, bold };
    for (int i = 0; i < 2; i++) {
        f->path[i] = rp_xasprintf("%s/%s", fonts_dir ? fonts_dir : ".",
                                  names[i] ? names[i] : "");
        char why[160];
        if (names[i] && rp_input_check(f->path[i], RP_MAX_FONT_BYTES, why,
                                       sizeof why) != 0) {
            rp_err(errs, f->path[i], 0, NULL, "cannot load the %s font: %s",
                   i ? "bold" : "regular", why);
            fonts_destroy(f);
            return NULL;
        }
        if (!names[i] || FT_New_Face(f->lib, f->path[i], 0, &f->face[i])) {
            f->face[i] = NULL;
            rp_err(errs, f->path[i], 0, NULL,
                   "cannot load the %s font (missing or not a font file)",
                   i ? "bold" : "regular");
            fonts_destroy(f);
            return NULL;
        }
        FT_Face fc = f->face[i];
        if (!FT_IS_SCALABLE(fc) || fc->units_per_EM == 0) {
            rp_err(errs, f->path[i], 0, NULL, "font is not scalable");
            fonts_destroy(f);
            return NULL;
        }
        f->upem[i] = fc->units_per_EM;
        f->asc[i] = fc->ascender / f->upem[i];
        f->desc[i] = -fc->descender / f->upem[i];
        for (uint32_t cp = 0; cp < FONTS_CACHE; cp++) {
            FT_UInt gi = FT_Get_Char_Index(fc, cp);
            FT_Fixed a = 0;
            if (FT_Get_Advance(fc, gi, FT_LOAD_NO_SCALE, &a) != 0)
                a = 0;
            f->adv[i][cp] = (double)a / f->upem[i];
            f->has[i][cp] = gi != 0;
        }
    }
    return f;
}

void fonts_destroy(fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < 2; i++) {
        if (f->face[i])
            FT_Done_Face(f->face[i]);
        free(f->path[i]);
    }
    FT_Done_FreeType(f->lib);
    free(f->reported);
    free(f);
}

const char *fonts_path(const fonts *f, fonts_face face)
{
    return f->path[face == FONTS_BOLD];
}

uint32_t fonts_utf8_next(const char **s, const char *end)
{
    const unsigned char *p = (const unsigned char *)*s;
    const unsigned char *e = (const unsigned char *)end;
    if (p >= e)
        return 0;
    unsigned c = *p;
    int n;
    uint32_t cp, min;
    if (c < 0x80) { *s += 1; return c; }
    else if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; min = 0x10000; }
    else { *s += 1; return 0xFFFD; }
    for (int i = 1; i <= n; i++) {
        if (p + i >= e || (p[i] & 0xC0) != 0x80) {
            /* Truncated sequence: consume only the lead byte so the next
             * character is still decoded. */
            *s += 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *s += n + 1;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;          /* overlong, out of range or surrogate */
    return cp;
}

double fonts_width_n(const fonts *f, fonts_face face, double size,
                  const char *s, size_t n)
{
    if (!s)
        return 0;
    int fi = face == FONTS_BOLD;
    const char *end = s + n;
    double em = 0;
    while (s < end)
        em += advance_em(f, fi, fonts_utf8_next(&s, end));
    return em * size;
}

double fonts_width(const fonts *f, fonts_face face, double size, const char *s)
{
    return s ? fonts_width_n(f, face, size, s, strlen(s)) : 0;
}

double fonts_ascent(const fonts *f, fonts_face face, double size)
{
    return f->asc[face == FONTS_BOLD] * size;
}

double fonts_descent(const fonts *f, fonts_face face, double size)
{
    return f->desc[face == FONTS_BOLD] * size;
}

int fonts_has_glyph(const fonts *f, fonts_face face, uint32_t cp)
{
    int i = face == FONTS_BOLD;
    if (cp < FONTS_CACHE)
        return f->has[i][cp];
    return FT_Get_Char_Index(f->face[i], cp) != 0;
}

int fonts_missing(const fonts *f, fonts_face face, const char *s)
{
    if (!s)
        return 0;
    const char *end = s + strlen(s);
    int missing = 0;
    while (s < end) {
        uint32_t cp = fonts_utf8_next(&s, end);
        if (cp >= 0x20 && cp != 0x7F && !fonts_has_glyph(f, face, cp))
            missing++;
    }
    return missing;
}

static int already_reported(fonts *f, uint32_t cp)
{
    for (size_t i = 0; i < f->nrep; i++)
        if (f->reported[i] == cp)
            return 1;
    rp_grow((void **)&f->reported, &f->caprep, f->nrep + 1,
            sizeof *f->reported);
    f->reported[f->nrep++] = cp;
    return 0;
}

int fonts_check_text(fonts *f, fonts_face face, const char *s,
                  const char *where, rp_errors *errs)
{
    if (!s)
        return 0;
    const char *end = s + strlen(s);
    int missing = 0;
    while (s < end) {
        const char *start = s;
        uint32_t cp = fonts_utf8_next(&s, end);
        /* Line breaks and tabs are layout, not glyphs. */
        if (cp < 0x20 || cp == 0x7F)
            continue;
        if (fonts_has_glyph(f, face, cp))
            continue;
        missing++;
        if (already_reported(f, cp))
            continue;
        char ch[8];
        if (cp == 0xFFFD && (unsigned char)*start != 0xEF)
            snprintf(ch, sizeof ch, "?");     /* an invalid byte */
        else
            snprintf(ch, sizeof ch, "%.*s", (int)(s - start), start);
        rp_warn(errs, NULL, 0, NULL,
                "character U+%04X '%s' is not in the font (from %s)",
                (unsigned)cp, ch, where ? where : "text");
    }
    return missing;
}
