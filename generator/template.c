/* template.c — templates: YAML read with libcyaml against a schema.
 *
 * Loading runs in three passes over one in-memory copy of the file:
 *  1. a libyaml event walk that follows the same cyaml schema tables.
 *     libcyaml 1.3.1 stops at the first problem and, for an unknown key,
 *     reports the line of the enclosing mapping rather than of the key, so
 *     this walk is what finds every structural problem (unknown or missing
 *     keys, wrong types, bad enum words, colour and decimal syntax) with
 *     the exact line. It also records the line of every key path so later
 *     checks can point at the right line;
 *  2. cyaml_load_data into the y_* structs (only when pass 1 was clean);
 *  3. range checks that need several values (margins against the page,
 *     leading against body size, thresholds), then conversion into
 *     pack_template over the defaults.
 * The schema tables are the single description of the format: pass 1
 * reads them, so a key added to a table is known to both passes. */
#include "template.h"

#include <cyaml/cyaml.h>
#include <yaml.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT_PER_MM (72.0 / 25.4)

enum { SIZE_A4 = 1, SIZE_A3 = 2 };
enum { ORIENT_PORTRAIT = 1, ORIENT_LANDSCAPE = 2 };

/* Smallest text area the margins may leave, in mm. */
#define MIN_TEXT_MM 50.0
/* Nesting deeper than any template needs is refused at once: libyaml and
 * the line index grow with depth, and 100,000 levels took 27 s. */
#define MAX_DEPTH 32

/* ---- what libcyaml loads: every field optional, NULL = keep default ---- */

typedef struct y_margins { double *top, *bottom, *left, *right; } y_margins;
typedef struct y_page {
    int *size, *orientation;
    y_margins *margins;
} y_page;
typedef struct y_type { double *body, *leading, *h1, *h2, *h3, *small; } y_type;
typedef struct y_fonts { char *regular, *bold; } y_fonts;
typedef struct y_palette {
    char *text, *secondary, *rule, *fill, *accent, *accent_dark, *accent2,
        *accent3, *red, *amber, *green, *none, *amber_text, *badge_outline;
    char **series;
    unsigned series_count;
} y_palette;
typedef struct y_document {
    char *authority, *title, *committee, *meeting_date, *author, *subject;
    char *region;
    char *lang;
} y_document;
typedef struct y_rollup {
    int *rule;
    char *green_at, *amber_at;     /* text, converted exactly to rp_num */
} y_rollup;
typedef struct y_dq { int *stale_quarters, *small_denominator; } y_dq;
typedef struct y_section {
    int kind;
    char *title, *name;
    char **measures;
    unsigned measures_count;
    int *years;
    char **tags;
    unsigned tags_count;
    bool *flow;
    char *file;
} y_section;
typedef struct y_template {
    y_page *page;
    y_type *type;
    y_fonts *fonts;
    y_palette *palette;
    y_document *document;
    y_rollup *rollup;
    y_dq *data_quality;
    y_section *sections;
    unsigned sections_count;
    int *chart_files;
} y_template;

/* ---- schema ---- */

#define OPT CYAML_FLAG_OPTIONAL
#define STR(key, st, m) \
    CYAML_FIELD_STRING_PTR(key, OPT, st, m, 0, CYAML_UNLIMITED)
#define NUM(key, st, m) CYAML_FIELD_FLOAT_PTR(key, OPT, st, m)

static const cyaml_strval_t size_words[] = {
    { "A4", SIZE_A4 }, { "A3", SIZE_A3 },
};
static const cyaml_strval_t orient_words[] = {
    { "portrait", ORIENT_PORTRAIT }, { "landscape", ORIENT_LANDSCAPE },
};
static const cyaml_strval_t rule_words[] = {
    { "score", RP_ROLLUP_SCORE }, { "worst", RP_ROLLUP_WORST },
    { "majority", RP_ROLLUP_MAJORITY },
};
static const cyaml_strval_t chart_files_words[] = {
    { "all", RP_CHART_FILES_ALL }, { "png", RP_CHART_FILES_PNG },
    { "svg", RP_CHART_FILES_SVG }, { "none", RP_CHART_FILES_NONE },
};
static const cyaml_strval_t kind_words[] = {
    { "cover", TEMPLATE_SECTION_COVER },
    { "contents", TEMPLATE_SECTION_CONTENTS },
    { "summary", TEMPLATE_SECTION_SUMMARY },
    { "finance", TEMPLATE_SECTION_FINANCE },
    { "service_area", TEMPLATE_SECTION_SERVICE_AREA },
    { "trends", TEMPLATE_SECTION_TRENDS },
    { "data_quality", TEMPLATE_SECTION_DATA_QUALITY },
    { "text", TEMPLATE_SECTION_TEXT },
};

static const cyaml_schema_field_t margins_fields[] = {
    NUM("top", y_margins, top), NUM("bottom", y_margins, bottom),
    NUM("left", y_margins, left), NUM("right", y_margins, right),
    CYAML_FIELD_END
};
static const cyaml_schema_field_t page_fields[] = {
    /* "a4" is as clear as "A4"; words elsewhere are exact. */
    CYAML_FIELD_ENUM_PTR("size",
                         OPT | CYAML_FLAG_STRICT | CYAML_FLAG_CASE_INSENSITIVE,
                         y_page, size, size_words,
                         CYAML_ARRAY_LEN(size_words)),
    CYAML_FIELD_ENUM_PTR("orientation", OPT | CYAML_FLAG_STRICT, y_page,
                         orientation, orient_words,
                         CYAML_ARRAY_LEN(orient_words)),
    CYAML_FIELD_MAPPING_PTR("margins_mm", OPT, y_page, margins,
                            margins_fields),
    CYAML_FIELD_END
};
static const cyaml_schema_field_t type_fields[] = {
    NUM("body", y_type, body), NUM("leading", y_type, leading),
    NUM("h1", y_type, h1), NUM("h2", y_type, h2), NUM("h3", y_type, h3),
    NUM("small", y_type, small),
    CYAML_FIELD_END
};
static const cyaml_schema_field_t fonts_fields[] = {
    STR("regular", y_fonts, regular), STR("bold", y_fonts, bold),
    CYAML_FIELD_END
};
static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};
static const cyaml_schema_field_t palette_fields[] = {
    STR("text", y_palette, text), STR("secondary", y_palette, secondary),
    STR("rule", y_palette, rule), STR("fill", y_palette, fill),
    STR("accent", y_palette, accent),
    STR("accent_dark", y_palette, accent_dark),
    STR("accent2", y_palette, accent2), STR("accent3", y_palette, accent3),
    STR("red", y_palette, red), STR("amber", y_palette, amber),
    STR("green", y_palette, green), STR("none", y_palette, none),
    STR("amber_text", y_palette, amber_text),
    STR("badge_outline", y_palette, badge_outline),
    CYAML_FIELD_SEQUENCE("series", CYAML_FLAG_POINTER | OPT, y_palette,
                         series, &string_entry, 6, 6),
    CYAML_FIELD_END
};
static const cyaml_schema_field_t document_fields[] = {
    STR("authority", y_document, authority),
    STR("title", y_document, title),
    STR("committee", y_document, committee),
    STR("meeting_date", y_document, meeting_date),
    STR("author", y_document, author),
    STR("subject", y_document, subject),
    STR("region", y_document, region),
    STR("lang", y_document, lang),
    CYAML_FIELD_END
};
static const cyaml_schema_field_t rollup_fields[] = {
    CYAML_FIELD_ENUM_PTR("rule", OPT | CYAML_FLAG_STRICT, y_rollup, rule,
                         rule_words, CYAML_ARRAY_LEN(rule_words)),
    STR("green_at", y_rollup, green_at), STR("amber_at", y_rollup, amber_at),
    CYAML_FIELD_END
};
static const cyaml_schema_field_t dq_fields[] = {
    CYAML_FIELD_INT_PTR("stale_quarters", OPT, y_dq, stale_quarters),
    CYAML_FIELD_INT_PTR("small_denominator", OPT, y_dq, small_denominator),
    CYAML_FIELD_END
};
static const cyaml_schema_field_t section_fields[] = {
    CYAML_FIELD_ENUM("kind", CYAML_FLAG_STRICT, y_section, kind, kind_words,
                     CYAML_ARRAY_LEN(kind_words)),
    STR("title", y_section, title),
    STR("name", y_section, name),
    CYAML_FIELD_SEQUENCE("measures", CYAML_FLAG_POINTER | OPT, y_section,
                         measures, &string_entry, 1, CYAML_UNLIMITED),
    CYAML_FIELD_INT_PTR("years", OPT, y_section, years),
    CYAML_FIELD_SEQUENCE("tags", CYAML_FLAG_POINTER | OPT, y_section,
                         tags, &string_entry, 1, CYAML_UNLIMITED),
    CYAML_FIELD_BOOL_PTR("flow", OPT, y_section, flow),
    STR("file", y_section, file),
    CYAML_FIELD_END
};
static const cyaml_schema_value_t section_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_section, section_fields),
};
static const cyaml_schema_field_t template_fields[] = {
    CYAML_FIELD_MAPPING_PTR("page", OPT, y_template, page, page_fields),
    CYAML_FIELD_MAPPING_PTR("type", OPT, y_template, type, type_fields),
    CYAML_FIELD_MAPPING_PTR("fonts", OPT, y_template, fonts, fonts_fields),
    CYAML_FIELD_MAPPING_PTR("palette", OPT, y_template, palette,
                            palette_fields),
    CYAML_FIELD_MAPPING_PTR("document", OPT, y_template, document,
                            document_fields),
    CYAML_FIELD_MAPPING_PTR("rollup", OPT, y_template, rollup, rollup_fields),
    CYAML_FIELD_MAPPING_PTR("data_quality", OPT, y_template, data_quality,
                            dq_fields),
    CYAML_FIELD_SEQUENCE("sections", CYAML_FLAG_POINTER | OPT, y_template,
                         sections, &section_entry, 1, CYAML_UNLIMITED),
    CYAML_FIELD_ENUM_PTR("chart_files", OPT | CYAML_FLAG_STRICT, y_template,
                         chart_files, chart_files_words,
                         CYAML_ARRAY_LEN(chart_files_words)),
    CYAML_FIELD_END
};
static const cyaml_schema_value_t template_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_template, template_fields),
};

/* ---- pass 1: schema walk over libyaml events ---- */

typedef struct pathline { char *path; long line; } pathline;

typedef struct walk {
    yaml_parser_t parser;
    const char *file;
    rp_errors *errs;
    size_t nerr;            /* errors this load added */
    int broken;             /* YAML syntax error: no more events */
    int root;               /* the document had a top-level node */
    int depth;              /* open mappings and sequences */
    char **bad;             /* keys with an error already */
    size_t nbad, badcap;
    pathline *lines;
    size_t nlines, cap;
} walk;

static void werr(walk *w, long line, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void werr(walk *w, long line, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* one error per key: the value checks run after the walk, and a key
     * the walk already refused ("nan") needs no second message */
    for (size_t i = 0; path && *path && i < w->nbad; i++)
        if (!strcmp(w->bad[i], path))
            return;
    rp_err(w->errs, w->file, line, path && *path ? path : NULL, "%s", msg);
    w->nerr++;
    if (path && *path) {
        rp_grow((void **)&w->bad, &w->badcap, w->nbad + 1, sizeof *w->bad);
        w->bad[w->nbad++] = rp_xstrdup(path);
    }
}

static void note_line(walk *w, const char *path, long line)
{
    rp_grow((void **)&w->lines, &w->cap, w->nlines + 1, sizeof *w->lines);
    w->lines[w->nlines].path = rp_xstrdup(path);
    w->lines[w->nlines].line = line;
    w->nlines++;
}

static long line_of(const walk *w, const char *path)
{
    for (size_t i = 0; i < w->nlines; i++)
        if (strcmp(w->lines[i].path, path) == 0)
            return w->lines[i].line;
    return 0;
}

static long ev_line(const yaml_event_t *ev)
{
    return (long)ev->start_mark.line + 1;
}

static int next(walk *w, yaml_event_t *ev)
{
    if (w->broken)
        return -1;
    if (!yaml_parser_parse(&w->parser, ev)) {
        const yaml_parser_t *p = &w->parser;
        werr(w, (long)p->problem_mark.line + 1, NULL, "YAML syntax: %s%s%s",
             p->problem ? p->problem : "unreadable",
             p->context ? " " : "", p->context ? p->context : "");
        w->broken = 1;
        return -1;
    }
    if (ev->type == YAML_MAPPING_START_EVENT ||
        ev->type == YAML_SEQUENCE_START_EVENT) {
        if (++w->depth > MAX_DEPTH) {
            werr(w, ev_line(ev), NULL, "nested more than %d levels deep; "
                 "a template needs at most 4", MAX_DEPTH);
            yaml_event_delete(ev);
            w->broken = 1;
            return -1;
        }
    } else if (ev->type == YAML_MAPPING_END_EVENT ||
               ev->type == YAML_SEQUENCE_END_EVENT) {
        w->depth--;
    }
    return 0;
}

/* The next event inside a mapping or sequence: 1 with it in *ev, 0 at
 * the end event (already deleted), -1 on a YAML error. */
static int next_in(walk *w, yaml_event_t *ev, yaml_event_type_t end)
{
    if (next(w, ev) < 0)
        return -1;
    if (ev->type != end)
        return 1;
    yaml_event_delete(ev);
    return 0;
}

/* Consume the rest of a node whose first event is ev. */
static int skip_node(walk *w, const yaml_event_t *ev)
{
    if (ev->type != YAML_MAPPING_START_EVENT &&
        ev->type != YAML_SEQUENCE_START_EVENT)
        return 0;
    int depth = 1;
    while (depth > 0) {
        yaml_event_t e;
        if (next(w, &e) < 0)
            return -1;
        if (e.type == YAML_MAPPING_START_EVENT ||
            e.type == YAML_SEQUENCE_START_EVENT)
            depth++;
        else if (e.type == YAML_MAPPING_END_EVENT ||
                 e.type == YAML_SEQUENCE_END_EVENT)
            depth--;
        yaml_event_delete(&e);
    }
    return 0;
}

static const char *scalar_text(const yaml_event_t *ev)
{
    return (const char *)ev->data.scalar.value;
}

/* A plain empty scalar (`key:` with nothing after it) or ~ / null. */
static int is_null_scalar(const yaml_event_t *ev)
{
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = scalar_text(ev);
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static void describe(const yaml_event_t *ev, char *buf, size_t len)
{
    switch (ev->type) {
    case YAML_MAPPING_START_EVENT: snprintf(buf, len, "a mapping"); break;
    case YAML_SEQUENCE_START_EVENT: snprintf(buf, len, "a list"); break;
    case YAML_ALIAS_EVENT: snprintf(buf, len, "an alias"); break;
    case YAML_SCALAR_EVENT:
        if (is_null_scalar(ev))
            snprintf(buf, len, "nothing");
        else
            snprintf(buf, len, "\"%.60s\"", scalar_text(ev));
        break;
    default: snprintf(buf, len, "something else"); break;
    }
}

static void enum_choices(const cyaml_schema_value_t *sv, char *buf,
                         size_t len)
{
    size_t k = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < sv->enumeration.count && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "",
                              sv->enumeration.strings[i].str);
}

static const char *expected_noun(const cyaml_schema_value_t *sv)
{
    switch (sv->type) {
    case CYAML_INT: return "a whole number";
    case CYAML_BOOL: return "true or false";
    case CYAML_FLOAT: return "a number";
    case CYAML_STRING: return "text";
    case CYAML_ENUM: return "a word";
    case CYAML_MAPPING: return "a mapping of keys";
    case CYAML_SEQUENCE: return "a list";
    default: return "a value";
    }
}

/* Plain decimals only: strtod would also take "nan", "inf" and "0x10". */
static int decimal_syntax(const char *s, int allow_sign)
{
    if (allow_sign && (*s == '-' || *s == '+'))
        s++;
    else if (*s == '+')
        s++;
    int digits = 0;
    while (*s >= '0' && *s <= '9') {
        s++;
        digits++;
    }
    if (*s == '.') {
        s++;
        int frac = 0;
        while (*s >= '0' && *s <= '9') {
            s++;
            frac++;
        }
        if (!frac)
            return 0;
        digits += frac;
    }
    return digits > 0 && *s == '\0';
}

static int is_colour(const char *s)
{
    if (s[0] != '#' || strlen(s) != 7)
        return 0;
    for (int i = 1; i < 7; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]))
            return 0;
    return 1;
}

/* Exact decimal text → rp_num, at most RP_SCALE_DIGITS places. */
static int parse_exact(const char *s, rp_num *out)
{
    if (!decimal_syntax(s, 0))
        return -1;
    if (*s == '+')
        s++;
    rp_num whole = 0, frac = 0, unit = RP_SCALE;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (whole > (INT64_MAX / RP_SCALE - 9) / 10)
            return -1;
        whole = whole * 10 + (*s - '0');
    }
    if (*s == '.')
        for (s++; *s; s++) {
            unit /= 10;
            if (unit == 0)
                return -1;      /* more places than rp_num holds */
            frac += (*s - '0') * unit;
        }
    *out = whole * RP_SCALE + frac;
    return 0;
}

/* Checks on one scalar that depend on where it sits, not on its type. */
static void check_scalar_place(walk *w, const char *path, long line,
                               const char *s)
{
    if (strncmp(path, "palette.", 8) == 0 && !is_colour(s)) {
        werr(w, line, path, "\"%s\" is not a colour; write #RRGGBB, "
             "e.g. #1D70B8", s);
    } else if (strcmp(path, "rollup.green_at") == 0 ||
               strcmp(path, "rollup.amber_at") == 0) {
        rp_num n;
        if (parse_exact(s, &n) < 0)
            werr(w, line, path, "\"%s\" is not a plain decimal with at most "
                 "%d places, e.g. 2.5", s, RP_SCALE_DIGITS);
    }
}

static int walk_node(walk *w, const cyaml_schema_value_t *sv,
                     const char *path, const yaml_event_t *ev);

/* The node that starts with ev, at path child (taken), walked against
 * sv; without a child (an unknown key) skipped. ev is deleted. */
static int walk_child(walk *w, const cyaml_schema_value_t *sv, char *child,
                      yaml_event_t *ev)
{
    int rc = child ? walk_node(w, sv, child, ev) : skip_node(w, ev);
    yaml_event_delete(ev);
    free(child);
    return rc;
}

static int walk_mapping(walk *w, const cyaml_schema_value_t *sv,
                        const char *path, const yaml_event_t *start)
{
    const cyaml_schema_field_t *f = sv->mapping.fields;
    size_t nf = 0;
    while (f[nf].key)
        nf++;
    unsigned long long seen = 0;    /* no mapping has 64 keys */
    yaml_event_t k;
    int got;
    while ((got = next_in(w, &k, YAML_MAPPING_END_EVENT)) > 0) {
        long kline = ev_line(&k);
        size_t i = nf;
        if (k.type != YAML_SCALAR_EVENT) {
            werr(w, kline, path, "a key must be a plain word");
            if (skip_node(w, &k) < 0) {
                yaml_event_delete(&k);
                return -1;
            }
        } else {
            for (i = 0; i < nf; i++)
                if (strcmp(f[i].key, scalar_text(&k)) == 0)
                    break;
            if (i == nf) {
                char keys[512];
                size_t n = 0;
                keys[0] = '\0';
                for (size_t j = 0; j < nf && n < sizeof keys; j++)
                    n += (size_t)snprintf(keys + n, sizeof keys - n, "%s%s",
                                          j ? ", " : "", f[j].key);
                werr(w, kline, path, "unknown key \"%s\"; expected one of: %s",
                     scalar_text(&k), keys);
            } else if (seen & (1ULL << i)) {
                werr(w, kline, path, "key \"%s\" is given twice", f[i].key);
                i = nf;     /* check the value no further */
            }
        }
        char *child = NULL;
        if (i < nf) {
            seen |= 1ULL << i;
            child = *path ? rp_xasprintf("%s.%s", path, f[i].key)
                          : rp_xstrdup(f[i].key);
            note_line(w, child, kline);
        }
        yaml_event_delete(&k);
        yaml_event_t v;
        if (next(w, &v) < 0) {
            free(child);
            return -1;
        }
        if (walk_child(w, i < nf ? &f[i].value : NULL, child, &v) < 0)
            return -1;
    }
    if (got < 0)
        return -1;
    for (size_t i = 0; i < nf; i++)
        if (!(f[i].value.flags & CYAML_FLAG_OPTIONAL) && !(seen & (1ULL << i)))
            werr(w, ev_line(start), path, "missing key \"%s\"", f[i].key);
    return 0;
}

static int walk_sequence(walk *w, const cyaml_schema_value_t *sv,
                         const char *path, const yaml_event_t *start)
{
    uint32_t n = 0;
    yaml_event_t e;
    int got;
    while ((got = next_in(w, &e, YAML_SEQUENCE_END_EVENT)) > 0) {
        n++;
        /* Entries are counted from 1, as a reader counts them. */
        char *child = rp_xasprintf("%s[%u]", path, (unsigned)n);
        note_line(w, child, ev_line(&e));
        if (walk_child(w, sv->sequence.entry, child, &e) < 0)
            return -1;
    }
    if (got < 0)
        return -1;
    uint32_t lo = sv->sequence.min, hi = sv->sequence.max;
    if (lo == hi && n != lo)
        werr(w, ev_line(start), path, "needs exactly %u entries, found %u",
             (unsigned)lo, (unsigned)n);
    else if (n < lo)
        werr(w, ev_line(start), path, "needs at least %u %s, found %u",
             (unsigned)lo, lo == 1 ? "entry" : "entries", (unsigned)n);
    else if (hi != CYAML_UNLIMITED && n > hi)
        werr(w, ev_line(start), path, "allows at most %u entries, found %u",
             (unsigned)hi, (unsigned)n);
    return 0;
}

static int walk_scalar(walk *w, const cyaml_schema_value_t *sv,
                       const char *path, const yaml_event_t *ev)
{
    long line = ev_line(ev);
    const char *s = scalar_text(ev);
    char found[96];
    describe(ev, found, sizeof found);
    if (is_null_scalar(ev)) {
        /* Unquoted #RRGGBB is a YAML comment, so the value vanishes. */
        int colour = strncmp(path, "palette.", 8) == 0;
        werr(w, line, path, "expected %s, found nothing%s",
             colour ? "a colour" : expected_noun(sv),
             colour ? "; quote colours: \"#RRGGBB\"" : "");
        return 0;
    }
    switch (sv->type) {
    case CYAML_INT: {
        errno = 0;
        char *end;
        long v = strtol(s, &end, 10);
        if (!decimal_syntax(s, 1) || strchr(s, '.') || *end || errno ||
            v < -1000000 || v > 1000000)
            werr(w, line, path, "expected a whole number, found %s", found);
        break;
    }
    case CYAML_BOOL:
        if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
            werr(w, line, path, "expected true or false, found %s", found);
        break;
    case CYAML_FLOAT:
        if (!decimal_syntax(s, 1))
            werr(w, line, path, "expected a number, found %s", found);
        break;
    case CYAML_ENUM: {
        int ok = 0;
        for (uint32_t i = 0; i < sv->enumeration.count && !ok; i++) {
            const char *word = sv->enumeration.strings[i].str;
            ok = (sv->flags & CYAML_FLAG_CASE_INSENSITIVE)
                     ? rp_strcaseeq(word, s) : strcmp(word, s) == 0;
        }
        if (!ok) {
            char words[256];
            enum_choices(sv, words, sizeof words);
            werr(w, line, path, "unknown value %s; expected one of: %s",
                 found, words);
        }
        break;
    }
    case CYAML_STRING:
        check_scalar_place(w, path, line, s);
        break;
    default:
        break;
    }
    return 0;
}

static int walk_node(walk *w, const cyaml_schema_value_t *sv,
                     const char *path, const yaml_event_t *ev)
{
    if (ev->type == YAML_ALIAS_EVENT) {
        werr(w, ev_line(ev), path, "aliases (*name) are not supported; "
             "write the value out");
        return 0;
    }
    yaml_event_type_t want =
        sv->type == CYAML_MAPPING ? YAML_MAPPING_START_EVENT
        : sv->type == CYAML_SEQUENCE ? YAML_SEQUENCE_START_EVENT
        : YAML_SCALAR_EVENT;
    if (ev->type != want) {
        char found[96];
        describe(ev, found, sizeof found);
        werr(w, ev_line(ev), path, "expected %s, found %s",
             expected_noun(sv), found);
        return skip_node(w, ev);
    }
    if (want == YAML_MAPPING_START_EVENT)
        return walk_mapping(w, sv, path, ev);
    if (want == YAML_SEQUENCE_START_EVENT)
        return walk_sequence(w, sv, path, ev);
    return walk_scalar(w, sv, path, ev);
}

/* Walks the one document; problems are counted in w->nerr. Returns -1
 * only when the YAML itself cannot be read further. */
static int walk_document(walk *w)
{
    yaml_event_t e;
    int docs = 0;
    while (next(w, &e) == 0) {
        yaml_event_type_t t = e.type;
        int rc = 0;
        switch (t) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                werr(w, ev_line(&e), NULL, "holds more than one YAML "
                     "document; a template is one document");
            break;
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
            break;
        default:
            if (docs == 1 && !w->root) {
                w->root = 1;
                rc = walk_node(w, &template_schema, "", &e);
            } else {
                rc = skip_node(w, &e);
            }
            break;
        }
        yaml_event_delete(&e);
        if (rc < 0)
            return -1;
        if (t == YAML_STREAM_END_EVENT)
            return 0;
    }
    return -1;
}

/* ---- pass 2: libcyaml ---- */

/* libcyaml reports through its log: the first "Load: ..." line is the
 * problem and the first backtrace frame carries "(line: N". */
typedef struct cy_log { rp_buf text; } cy_log;

static void cy_log_fn(cyaml_log_t level, void *ctx, const char *fmt,
                      va_list args)
{
    (void)level;
    cy_log *l = ctx;
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, args);
    rp_buf_puts(&l->text, buf);
}

static void report_cyaml(walk *w, cyaml_err_t err, const cy_log *log)
{
    char msg[256];
    long line = 0;
    snprintf(msg, sizeof msg, "%s", cyaml_strerror(err));
    const char *t = log->text.s ? log->text.s : "";
    const char *p = strstr(t, "Load: ");
    if (p && strncmp(p + 6, "Backtrace", 9) != 0) {
        p += 6;
        size_t n = strcspn(p, "\n");
        snprintf(msg, sizeof msg, "%.*s", (int)n, p);
    }
    const char *l = strstr(t, "(line: ");
    if (l)
        line = strtol(l + 7, NULL, 10);
    werr(w, line, NULL, "%s", msg);
}

/* ---- pass 3: values into the template ---- */

static template_rgb rgb_of(const char *hex)
{
    unsigned long v = strtoul(hex + 1, NULL, 16);
    template_rgb c = { (double)((v >> 16) & 0xff) / 255.0,
                 (double)((v >> 8) & 0xff) / 255.0,
                 (double)(v & 0xff) / 255.0 };
    return c;
}

static void set_str(char **dst, const char *src)
{
    if (!src)
        return;
    free(*dst);
    *dst = rp_xstrdup(src);
}

static void set_colour(template_rgb *dst, const char *src)
{
    /* the walk has named a malformed colour; values still run after it */
    if (src && is_colour(src))
        *dst = rgb_of(src);
}

static long first_line(const walk *w, const char *a, const char *b,
                       const char *c)
{
    long l = line_of(w, a);
    if (!l && b)
        l = line_of(w, b);
    if (!l && c)
        l = line_of(w, c);
    return l;
}

/* Sizes a readable pack can have, in points. Outside them a page cannot
 * hold a line (a 0.000001 pt body looped in the contents' dot leaders). */
static const struct { const char *path; double lo, hi; } size_range[] = {
    { "type.body", 6, 24 },  { "type.leading", 6, 40 },
    { "type.h1", 8, 48 },    { "type.h2", 8, 36 },
    { "type.h3", 6, 28 },    { "type.small", 5, 14 },
};

static void check_size(walk *w, const char *path, const double *v,
                       double *dst)
{
    if (!v)
        return;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < sizeof size_range / sizeof size_range[0]; i++)
        if (!strcmp(size_range[i].path, path)) {
            lo = size_range[i].lo;
            hi = size_range[i].hi;
        }
    if (!(*v >= lo && *v <= hi))
        werr(w, line_of(w, path), path, "%g pt is out of range; give %g to "
             "%g pt", *v, lo, hi);
    else
        *dst = *v;
}

static void apply_page(walk *w, const y_page *p, pack_template *t)
{
    double wmm = 210, hmm = 297;
    int landscape = 0;
    if (p && p->size && *p->size == SIZE_A3) {
        wmm = 297;
        hmm = 420;
    }
    if (p && p->orientation)
        landscape = *p->orientation == ORIENT_LANDSCAPE;
    if (landscape) {
        double x = wmm;
        wmm = hmm;
        hmm = x;
    }
    t->page_w = wmm * PT_PER_MM;
    t->page_h = hmm * PT_PER_MM;

    double m[4] = { t->margin_top / PT_PER_MM, t->margin_bottom / PT_PER_MM,
                    t->margin_left / PT_PER_MM, t->margin_right / PT_PER_MM };
    static const char *names[4] = { "page.margins_mm.top",
                                    "page.margins_mm.bottom",
                                    "page.margins_mm.left",
                                    "page.margins_mm.right" };
    const y_margins *ym = p ? p->margins : NULL;
    const double *given[4] = { ym ? ym->top : NULL, ym ? ym->bottom : NULL,
                               ym ? ym->left : NULL, ym ? ym->right : NULL };
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        if (!given[i])
            continue;
        if (*given[i] < 0) {
            werr(w, line_of(w, names[i]), names[i], "%g mm is negative",
                 *given[i]);
            bad = 1;
        } else {
            m[i] = *given[i];
        }
    }
    if (!bad) {
        double tw = wmm - m[2] - m[3], th = hmm - m[0] - m[1];
        if (tw < MIN_TEXT_MM || th < MIN_TEXT_MM)
            werr(w, first_line(w, "page.margins_mm", "page", NULL),
                 "page.margins_mm", "margins leave %g × %g mm for text on a "
                 "%g × %g mm page; at least %g mm each way is needed",
                 tw, th, wmm, hmm, MIN_TEXT_MM);
    }
    t->margin_top = m[0] * PT_PER_MM;
    t->margin_bottom = m[1] * PT_PER_MM;
    t->margin_left = m[2] * PT_PER_MM;
    t->margin_right = m[3] * PT_PER_MM;
}

static void apply_type(walk *w, const y_type *y, pack_template *t)
{
    if (!y)
        return;
    check_size(w, "type.body", y->body, &t->body_size);
    check_size(w, "type.leading", y->leading, &t->body_leading);
    check_size(w, "type.h1", y->h1, &t->h1_size);
    check_size(w, "type.h2", y->h2, &t->h2_size);
    check_size(w, "type.h3", y->h3, &t->h3_size);
    check_size(w, "type.small", y->small, &t->small_size);
    if (t->body_leading < t->body_size)
        werr(w, first_line(w, "type.leading", "type.body", "type"),
             "type.leading", "leading %g pt is less than the body size "
             "%g pt, so lines would overlap", t->body_leading, t->body_size);
    else if (y->body && t->body_size < 10)
        rp_warn(w->errs, w->file, line_of(w, "type.body"), "type.body",
                "%g pt body text is below the 10 pt the pack design allows",
                t->body_size);
}

static void apply_fonts(walk *w, const y_fonts *y, pack_template *t)
{
    if (!y)
        return;
    const char *v[2] = { y->regular, y->bold };
    const char *names[2] = { "fonts.regular", "fonts.bold" };
    char **dst[2] = { &t->font_regular, &t->font_bold };
    for (int i = 0; i < 2; i++) {
        if (!v[i])
            continue;
        if (!*v[i])
            werr(w, line_of(w, names[i]), names[i], "font file name is empty");
        else if (strchr(v[i], '/') || !strcmp(v[i], ".") ||
                 !strcmp(v[i], ".."))
            /* fonts come from the fonts folder only, never from a path
             * a template could point anywhere */
            werr(w, line_of(w, names[i]), names[i], "\"%s\" is not a file "
                 "name; give the name of a font file in the fonts folder "
                 "(choose the folder with --fonts)", v[i]);
        else
            set_str(dst[i], v[i]);
    }
}

static void apply_palette(const y_palette *y, template_palette *p)
{
    if (!y)
        return;
    set_colour(&p->text, y->text);
    set_colour(&p->secondary, y->secondary);
    set_colour(&p->rule, y->rule);
    set_colour(&p->fill, y->fill);
    set_colour(&p->accent, y->accent);
    set_colour(&p->accent_dark, y->accent_dark);
    set_colour(&p->accent2, y->accent2);
    set_colour(&p->accent3, y->accent3);
    set_colour(&p->red, y->red);
    set_colour(&p->amber, y->amber);
    set_colour(&p->green, y->green);
    set_colour(&p->none, y->none);
    set_colour(&p->amber_text, y->amber_text);
    set_colour(&p->badge_outline, y->badge_outline);
    for (unsigned i = 0; i < y->series_count && i < 6; i++)
        set_colour(&p->series[i], y->series[i]);
}

/* A BCP 47 tag as PDF /Lang and HTML lang take it: letters, digits and
 * hyphens, starting with a 2–3 letter language ("en-GB", "cy"). */
static int lang_ok(const char *s)
{
    size_t n = 0;
    while (isalpha((unsigned char)s[n]))
        n++;
    if (n < 2 || n > 3)
        return 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '-')
            return 0;
    return s[n - 1] != '-' && strlen(s) <= 35;
}

static void apply_document(walk *w, const y_document *y, pack_template *t)
{
    if (!y)
        return;
    if (y->lang) {
        if (!lang_ok(y->lang))
            werr(w, line_of(w, "document.lang"), "document.lang",
                 "\"%s\" is not a language tag; give one such as en-GB or "
                 "cy", y->lang);
        else
            set_str(&t->lang, y->lang);
    }
    set_str(&t->authority, y->authority);
    set_str(&t->title, y->title);
    set_str(&t->committee, y->committee);
    set_str(&t->meeting_date, y->meeting_date);
    set_str(&t->author, y->author);
    set_str(&t->subject, y->subject);
    if (y->region && *y->region)
        set_str(&t->region, y->region);
}

/* A whole number given at path: into *dst when lo ≤ v ≤ hi, else an
 * error naming the range. */
static void set_int(walk *w, const char *path, const int *v, int lo, int hi,
                    int *dst)
{
    if (!v)
        return;
    if (*v < lo || *v > hi)
        werr(w, line_of(w, path), path, "%d is out of range; give %d to %d",
             *v, lo, hi);
    else
        *dst = *v;
}

static void apply_rollup(walk *w, const y_rollup *y, const y_dq *dq,
                         pack_template *t)
{
    if (y && y->rule)
        t->rollup = *y->rule;
    /* Syntax was checked in pass 1, so these parse. */
    if (y && y->green_at)
        parse_exact(y->green_at, &t->green_at);
    if (y && y->amber_at)
        parse_exact(y->amber_at, &t->amber_at);
    if (y && (y->green_at || y->amber_at)) {
        /* Scores run from 1 (all red) to 3 (all green). */
        if (t->amber_at < RP_SCALE || t->green_at > 3 * RP_SCALE ||
            t->amber_at > t->green_at) {
            char g[32], a[32];
            werr(w, first_line(w, "rollup.green_at", "rollup.amber_at",
                               "rollup"), "rollup",
                 "thresholds need 1 <= amber_at <= green_at <= 3; found "
                 "amber_at %s, green_at %s",
                 rp_num_plain(t->amber_at, a, sizeof a),
                 rp_num_plain(t->green_at, g, sizeof g));
        }
    }
    if (dq)
        set_int(w, "data_quality.stale_quarters", dq->stale_quarters, 1, 40,
                &t->stale_quarters);
    if (dq)
        set_int(w, "data_quality.small_denominator", dq->small_denominator, 1,
                1000000, &t->small_denominator);
}

static void free_sections(template_section *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].title);
        free(s[i].service_area);
        for (size_t j = 0; j < s[i].nmeasures; j++)
            free(s[i].measures[j]);
        free(s[i].measures);
        for (size_t j = 0; j < s[i].ntags; j++)
            free(s[i].tags[j]);
        free(s[i].tags);
        free(s[i].file);
    }
    free(s);
}

/* path = "<at>.<key>"; when the key does not fit the section's kind
 * (ok = 0), the error `wrong` at its line. Returns ok. */
static int section_key(walk *w, const char *at, const char *key, int ok,
                       const char *wrong, char *path, size_t len)
{
    snprintf(path, len, "%s.%s", at, key);
    if (!ok)
        werr(w, line_of(w, path), path, "%s", wrong);
    return ok;
}

/* Is ids[j] among ids[0..j)? (A section lists a handful of measures.) */
static int listed_before(char *const *ids, size_t j)
{
    for (size_t i = 0; i < j; i++)
        if (!strcmp(ids[i], ids[j]))
            return 1;
    return 0;
}

static void apply_sections(walk *w, const y_template *y, pack_template *t)
{
    if (!y->sections)
        return;
    free_sections(t->sections, t->nsections);
    t->nsections = y->sections_count;
    t->sections = rp_xcalloc(t->nsections, sizeof *t->sections);
    for (size_t i = 0; i < t->nsections; i++) {
        const y_section *ys = &y->sections[i];
        template_section *s = &t->sections[i];
        char at[64], path[96];
        snprintf(at, sizeof at, "sections[%zu]", i + 1);
        s->kind = (template_section_kind)ys->kind;
        s->line = line_of(w, at);
        s->years = 3;
        int trends = s->kind == TEMPLATE_SECTION_TRENDS;
        if (ys->title) {
            snprintf(path, sizeof path, "%s.title", at);
            if (!*ys->title)
                werr(w, line_of(w, path), path, "title is empty; leave the "
                     "key out for the default heading");
            else
                s->title = rp_xstrdup(ys->title);
        }
        if (ys->name) {
            snprintf(path, sizeof path, "%s.name", at);
            if (s->kind != TEMPLATE_SECTION_SERVICE_AREA)
                werr(w, line_of(w, path), path, "name only applies to "
                     "service_area sections");
            else if (!*ys->name)
                werr(w, line_of(w, path), path, "name is empty; leave the "
                     "key out for one section per service area");
            else
                s->service_area = rp_xstrdup(ys->name);
        }
        int area = s->kind == TEMPLATE_SECTION_SERVICE_AREA;
        if (ys->measures) {
            snprintf(path, sizeof path, "%s.measures", at);
            if (!trends && !area)
                werr(w, line_of(w, path), path, "measures only apply to "
                     "trends and service_area sections");
            s->nmeasures = ys->measures_count;
            s->measures = rp_xcalloc(s->nmeasures, sizeof *s->measures);
            for (size_t j = 0; j < s->nmeasures; j++) {
                s->measures[j] = rp_xstrdup(ys->measures[j]);
                char mp[128];
                snprintf(mp, sizeof mp, "%s[%zu]", path, j + 1);
                if (!*s->measures[j])
                    werr(w, line_of(w, mp), mp, "measure id is empty");
                else if (listed_before(s->measures, j))
                    werr(w, line_of(w, mp), mp, "measure \"%s\" is listed "
                         "twice", s->measures[j]);
            }
        } else if (trends) {
            werr(w, s->line, at, "a trends section needs measures: "
                 "[MEASURE_ID, ...]");
        }
        if (ys->tags) {
            section_key(w, at, "tags", area, "tags only apply to "
                        "service_area sections", path, sizeof path);
            s->ntags = ys->tags_count;
            s->tags = rp_xcalloc(s->ntags, sizeof *s->tags);
            for (size_t j = 0; j < s->ntags; j++) {
                s->tags[j] = rp_xstrdup(ys->tags[j]);
                if (!*s->tags[j]) {
                    char mp[128];
                    snprintf(mp, sizeof mp, "%s[%zu]", path, j + 1);
                    werr(w, line_of(w, mp), mp, "tag is empty");
                }
            }
        }
        if (ys->flow) {
            section_key(w, at, "flow", area, "flow only applies to "
                        "service_area sections", path, sizeof path);
            s->flow = *ys->flow;
        }
        if (ys->file) {
            int text = s->kind == TEMPLATE_SECTION_TEXT;
            int name_ok = *ys->file && !strstr(ys->file, "..") &&
                          ys->file[0] != '/';
            if (section_key(w, at, "file", text, "file only applies to text "
                            "sections", path, sizeof path) && !name_ok)
                werr(w, line_of(w, path), path, "\"%s\" is not a file name "
                     "in the input folder (no \"..\", no leading /)",
                     ys->file);
            else if (text)
                s->file = rp_xstrdup(ys->file);
        } else if (s->kind == TEMPLATE_SECTION_TEXT) {
            werr(w, s->line, at, "a text section needs file: NAME.md (a "
                 "Markdown file in the input folder)");
        }
        if (ys->years) {
            int in_range = *ys->years >= 2 && *ys->years <= 10;
            if (section_key(w, at, "years", trends, "years only applies to "
                            "trends sections", path, sizeof path) && !in_range)
                werr(w, line_of(w, path), path, "%d is out of range; give "
                     "2 to 10 financial years", *ys->years);
            else if (trends)
                s->years = *ys->years;
        }
    }
}

double template_contrast(template_rgb a, template_rgb b)
{
    double la = 0, lb = 0;
    for (int k = 0; k < 2; k++) {
        template_rgb c = k ? b : a;
        double ch[3] = { c.r, c.g, c.b }, l = 0;
        static const double wt[3] = { 0.2126, 0.7152, 0.0722 };
        for (int i = 0; i < 3; i++) {
            double v = ch[i] <= 0.04045 ? ch[i] / 12.92
                                         : pow((ch[i] + 0.055) / 1.055, 2.4);
            l += wt[i] * v;
        }
        *(k ? &lb : &la) = l;
    }
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}

const char *template_hex(template_rgb c, char *buf)
{
    snprintf(buf, 8, "#%02X%02X%02X", (unsigned)lround(c.r * 255),
             (unsigned)lround(c.g * 255), (unsigned)lround(c.b * 255));
    return buf;
}

/* Every pair the pack draws text or marks in: text on its background at
 * 4.5:1, chart series and badge outlines on the page at 3:1. A pair is
 * reported once, at the line of the foreground key (or of palette:). */
static void check_contrast(walk *w, const template_palette *p)
{
    const template_rgb white = { 1, 1, 1 };
    struct pair {
        const char *fg, *bg;
        template_rgb f, b;
        double need;
    } pairs[24];
    size_t n = 0;
#define PAIR(F, B, FC, BC, N) pairs[n++] = (struct pair){ F, B, FC, BC, N }
    PAIR("text", "the page", p->text, white, TEMPLATE_TEXT_CONTRAST);
    PAIR("secondary", "the page", p->secondary, white, TEMPLATE_TEXT_CONTRAST);
    PAIR("accent_dark", "the page", p->accent_dark, white,
         TEMPLATE_TEXT_CONTRAST);
    PAIR("text", "fill", p->text, p->fill, TEMPLATE_TEXT_CONTRAST);
    PAIR("white text", "red", white, p->red, TEMPLATE_TEXT_CONTRAST);
    PAIR("white text", "green", white, p->green, TEMPLATE_TEXT_CONTRAST);
    PAIR("amber_text", "amber", p->amber_text, p->amber,
         TEMPLATE_TEXT_CONTRAST);
    PAIR("text", "none", p->text, p->none, TEMPLATE_TEXT_CONTRAST);
    PAIR("badge_outline", "the page", p->badge_outline, white,
         TEMPLATE_GRAPHIC_CONTRAST);
    static const char *sn[6] = { "series[1]", "series[2]", "series[3]",
                                 "series[4]", "series[5]", "series[6]" };
    for (int i = 0; i < 6; i++)
        PAIR(sn[i], "the page", p->series[i], white,
             TEMPLATE_GRAPHIC_CONTRAST);
#undef PAIR
    for (size_t i = 0; i < n; i++) {
        double r = template_contrast(pairs[i].f, pairs[i].b);
        if (r + 1e-9 >= pairs[i].need)
            continue;
        /* The key that was set (foreground first), for the line. */
        char fk[64], bk[64], fh[8], bh[8];
        const char *fg = pairs[i].fg, *bg = pairs[i].bg;
        if (strncmp(fg, "series[", 7) == 0)
            snprintf(fk, sizeof fk, "palette.%s", fg);
        else
            snprintf(fk, sizeof fk, "palette.%s",
                     strncmp(fg, "white", 5) == 0 ? bg : fg);
        snprintf(bk, sizeof bk, "palette.%s", bg);
        long line = first_line(w, fk, bk, "palette");
        const char *key = line_of(w, fk) || !line_of(w, bk) ? fk : bk;
        werr(w, line, key, "%s %s on %s %s has a contrast of %.2f:1; %s "
             "needs at least %.1f:1 (WCAG 2.2 %s)", fg,
             template_hex(pairs[i].f, fh), bg, template_hex(pairs[i].b, bh),
             r, pairs[i].need >= TEMPLATE_TEXT_CONTRAST ? "text"
                : "a chart series or badge outline", pairs[i].need,
             pairs[i].need >= TEMPLATE_TEXT_CONTRAST ? "1.4.3" : "1.4.11");
    }
}

static void apply(walk *w, const y_template *y, pack_template *t)
{
    apply_page(w, y->page, t);
    apply_type(w, y->type, t);
    apply_fonts(w, y->fonts, t);
    apply_palette(y->palette, &t->palette);
    apply_document(w, y->document, t);
    apply_rollup(w, y->rollup, y->data_quality, t);
    if (y->chart_files)
        t->chart_files = (rp_chart_files)*y->chart_files;
    apply_sections(w, y, t);
    check_contrast(w, &t->palette);
}

/* ---- public ---- */

int template_load(const char *path, pack_template *t, rp_errors *errs)
{
    template_defaults(t);
    free(t->path);
    t->path = rp_xstrdup(path);

    walk w;
    memset(&w, 0, sizeof w);
    w.file = path;
    w.errs = errs;

    size_t len = 0;
    char *text = rp_read_named(path, RP_MAX_TEMPLATE_BYTES, &len, "template",
                               errs);
    if (!text) {
        template_free(t);
        return -1;
    }
    if (!yaml_parser_initialize(&w.parser)) {
        rp_err(errs, path, 0, NULL, "cannot start the YAML parser");
        free(text);
        template_free(t);
        return -1;
    }
    yaml_parser_set_input_string(&w.parser, (const unsigned char *)text,
                                 len);
    int rc = walk_document(&w);
    yaml_parser_delete(&w.parser);
    if (rc == 0 && !w.root)
        /* Only comments or nothing: a mistake, not "all defaults". */
        werr(&w, 0, NULL, "the template is empty; give at least sections:");

    /* Values are checked even when the walk found unknown keys or wrong
     * types, so one run reports every problem of every kind; libcyaml
     * skips unknown keys (the walk has named them) and its own report
     * is only needed when the walk found nothing. */
    if (!w.broken) {
        size_t walk_errors = w.nerr;
        cy_log log;
        rp_buf_init(&log.text);
        cyaml_config_t cfg = {
            .log_fn = cy_log_fn, .log_ctx = &log,
            .mem_fn = cyaml_mem, .mem_ctx = NULL,
            .log_level = CYAML_LOG_ERROR,
            .flags = CYAML_CFG_NO_ALIAS | CYAML_CFG_IGNORE_UNKNOWN_KEYS,
        };
        y_template *y = NULL;
        cyaml_err_t err = cyaml_load_data((const uint8_t *)text, len, &cfg,
                                          &template_schema, (void **)&y,
                                          NULL);
        if (err != CYAML_OK && walk_errors == 0)
            report_cyaml(&w, err, &log);
        else if (err == CYAML_OK && y)
            apply(&w, y, t);
        if (y)
            cyaml_free(&cfg, &template_schema, y, 0);
        rp_buf_free(&log.text);
    }

    for (size_t i = 0; i < w.nlines; i++)
        free(w.lines[i].path);
    free(w.lines);
    for (size_t i = 0; i < w.nbad; i++)
        free(w.bad[i]);
    free(w.bad);
    free(text);
    if (w.nerr) {
        template_free(t);
        return -1;
    }
    return 0;
}

void template_defaults(pack_template *t)
{
    memset(t, 0, sizeof *t);
    t->page_w = 210 * PT_PER_MM;
    t->page_h = 297 * PT_PER_MM;
    t->margin_top = t->margin_bottom = 18 * PT_PER_MM;
    t->margin_left = t->margin_right = 20 * PT_PER_MM;
    /* 12 pt: GOV.UK's minimum for documents read on screen. */
    t->body_size = 12;
    t->body_leading = 15.5;
    t->h1_size = 20;
    t->h2_size = 15;
    t->h3_size = 12;
    t->small_size = 8.5;
    t->font_regular = rp_xstrdup("LiberationSans-Regular.ttf");
    t->font_bold = rp_xstrdup("LiberationSans-Bold.ttf");

    /* GOV.UK Design System colours (pack-design.model). */
    template_palette *p = &t->palette;
    p->text = rgb_of("#0B0C0C");
    p->secondary = rgb_of("#505A5F");
    p->rule = rgb_of("#B1B4B6");
    p->fill = rgb_of("#F3F2F1");
    p->accent = rgb_of("#1D70B8");
    p->accent_dark = rgb_of("#003078");
    p->accent2 = rgb_of("#28A197");
    p->accent3 = rgb_of("#4C2C92");
    p->red = rgb_of("#D4351C");
    p->amber = rgb_of("#F47738");
    p->green = rgb_of("#00703C");
    p->none = rgb_of("#B1B4B6");
    p->amber_text = rgb_of("#0B0C0C");
    p->badge_outline = rgb_of("#505A5F");
    /* Okabe–Ito without yellow and black, most contrast on white first,
     * the last two darkened: all six reach 3:1 against white (WCAG
     * 1.4.11, checked on load). */
    static const char *series[6] = { "#0072B2", "#D55E00", "#009E73",
                                     "#CC79A7", "#A66E00", "#7A5195" };
    for (int i = 0; i < 6; i++)
        p->series[i] = rgb_of(series[i]);

    t->authority = rp_xstrdup("");
    t->title = rp_xstrdup("Integrated Performance Report");
    t->committee = rp_xstrdup("");
    t->meeting_date = rp_xstrdup("");
    t->author = rp_xstrdup("");
    t->subject = rp_xstrdup("");
    t->lang = rp_xstrdup("en-GB");

    t->rollup = RP_ROLLUP_SCORE;
    t->green_at = 2500000;      /* 2.5 */
    t->amber_at = 1750000;      /* 1.75 */
    t->stale_quarters = 2;
    t->chart_files = RP_CHART_FILES_ALL;
    t->small_denominator = 30;

    static const template_section_kind std[] = {
        TEMPLATE_SECTION_COVER, TEMPLATE_SECTION_CONTENTS, TEMPLATE_SECTION_SUMMARY, TEMPLATE_SECTION_FINANCE,
        TEMPLATE_SECTION_SERVICE_AREA, TEMPLATE_SECTION_DATA_QUALITY,
    };
    t->nsections = sizeof std / sizeof std[0];
    t->sections = rp_xcalloc(t->nsections, sizeof *t->sections);
    for (size_t i = 0; i < t->nsections; i++) {
        t->sections[i].kind = std[i];
        t->sections[i].years = 3;
    }
}

void template_free(pack_template *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->font_regular);
    free(t->font_bold);
    free(t->authority);
    free(t->title);
    free(t->committee);
    free(t->meeting_date);
    free(t->author);
    free(t->subject);
    free(t->region);
    free(t->lang);
    free_sections(t->sections, t->nsections);
    memset(t, 0, sizeof *t);
}
