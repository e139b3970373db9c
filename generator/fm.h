/* fm.h — font metrics: the regular and bold TrueType faces from fonts/,
 * measured with FreeType so layout and charts share one measure of text
 * whatever they are rendered with (libharu, cairo). */
#ifndef FM_H
#define FM_H

#include "rp.h"

typedef enum { FM_REGULAR = 0, FM_BOLD = 1 } fm_face;

typedef struct fm_fonts fm_fonts;

/* Load fonts_dir/regular and fonts_dir/bold. NULL with an error added. */
fm_fonts *fm_fonts_create(const char *fonts_dir, const char *regular,
                          const char *bold, rp_errors *errs);
void fm_fonts_destroy(fm_fonts *f);

const char *fm_path(const fm_fonts *f, fm_face face);   /* file path */
/* Width in points of UTF-8 text at size (pt). Invalid UTF-8 bytes count as
 * U+FFFD. */
double fm_width(const fm_fonts *f, fm_face face, double size, const char *s);
double fm_width_n(const fm_fonts *f, fm_face face, double size,
                  const char *s, size_t n);
double fm_ascent(const fm_fonts *f, fm_face face, double size);
double fm_descent(const fm_fonts *f, fm_face face, double size); /* > 0 */
/* 1 if the face has a glyph for code point cp. */
int fm_has_glyph(const fm_fonts *f, fm_face face, uint32_t cp);
/* Decode one UTF-8 code point at *s, advancing it; U+FFFD on bad bytes. */
uint32_t fm_utf8_next(const char **s, const char *end);
/* Check that every character of s exists in face; for each missing one add
 * a warning "character U+2713 '✓' is not in the font (from WHERE)". Each
 * distinct code point is reported once per fm_fonts. Returns the number
 * of missing characters found in s. */
int fm_check_text(fm_fonts *f, fm_face face, const char *s,
                  const char *where, rp_errors *errs);

#endif
