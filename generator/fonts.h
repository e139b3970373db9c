/* fonts.h — font metrics: the regular and bold TrueType faces from fonts/,
 * measured with FreeType so layout and charts share one measure of text
 * whatever they are rendered with (libharu, cairo). */
#ifndef RAGPACK_FONTS_H
#define RAGPACK_FONTS_H

#include "base.h"

typedef enum { FONTS_REGULAR = 0, FONTS_BOLD = 1 } fonts_face;

typedef struct fonts fonts;

/* Load fonts_dir/regular and fonts_dir/bold. NULL with an error added. */
fonts *fonts_create(const char *fonts_dir, const char *regular,
                          const char *bold, rp_errors *errs);
void fonts_destroy(fonts *f);

const char *fonts_path(const fonts *f, fonts_face face);   /* file path */
/* Width in points of UTF-8 text at size (pt). Invalid UTF-8 bytes count as
 * U+FFFD. */
double fonts_width(const fonts *f, fonts_face face, double size, const char *s);
double fonts_width_n(const fonts *f, fonts_face face, double size,
                  const char *s, size_t n);
double fonts_ascent(const fonts *f, fonts_face face, double size);
double fonts_descent(const fonts *f, fonts_face face, double size); /* > 0 */
/* 1 if the face has a glyph for code point cp. */
int fonts_has_glyph(const fonts *f, fonts_face face, uint32_t cp);
/* Decode one UTF-8 code point at *s, advancing it; U+FFFD on bad bytes. */
uint32_t fonts_utf8_next(const char **s, const char *end);
/* How many characters of s face has no glyph for (control characters,
 * which are layout, not glyphs, aside); no warning. */
int fonts_missing(const fonts *f, fonts_face face, const char *s);
/* Check that every character of s exists in face; for each missing one add
 * a warning "character U+2713 '✓' is not in the font (from WHERE)". Each
 * distinct code point is reported once per fonts. Returns the number
 * of missing characters found in s. */
int fonts_check_text(fonts *f, fonts_face face, const char *s,
                  const char *where, rp_errors *errs);

#endif
