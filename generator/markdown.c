/* markdown.c — Markdown → document blocks through libcmark's node tree.
 * Inline formatting becomes spans (bold for strong and emphasis, href for
 * links) so later tagged-PDF and HTML renderers can say Strong/Em/Link;
 * list items become DOC_LIST_ITEM blocks sharing a list id (tagged L/LI). */
#include "markdown.h"

#include <cmark.h>

#include <stdlib.h>
#include <string.h>

typedef struct md {
    document *d;
    const char *name;
    rp_errors *errs;
    int top;
    int next_list;          /* list ids handed out */
    int started;            /* a block was added: later H1s flow on */
} md;

/* Byte offset of the first invalid UTF-8 sequence, or -1. */
static long bad_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
        } else {
            return (long)i;
        }
        if (i + k >= n)
            return (long)i;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return (long)i;
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))
            return (long)i;
        i += k + 1;
    }
    return -1;
}

/* Plain text of a node's inline content (headings, image alt text). */
static void plain(cmark_node *n, rp_buf *b)
{
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            rp_buf_puts(b, cmark_node_get_literal(c));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            rp_buf_puts(b, " ");
            break;
        default:
            plain(c, b);
            break;
        }
    }
}

/* Inline children of n as spans of b, with the formatting around them. */
static void inlines(md *m, cmark_node *n, doc_block *b, int strong, int emph,
                    const char *href)
{
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            doc_span_add_ex(b, cmark_node_get_literal(c), strong, emph, href);
            break;
        case CMARK_NODE_SOFTBREAK:
            doc_span_add_ex(b, " ", strong, emph, href);
            break;
        case CMARK_NODE_LINEBREAK:
            doc_span_add_ex(b, "\n", strong, emph, href);
            break;
        case CMARK_NODE_STRONG:
            inlines(m, c, b, 1, emph, href);
            break;
        case CMARK_NODE_EMPH:
            inlines(m, c, b, strong, 1, href);
            break;
        case CMARK_NODE_LINK: {
            const char *url = cmark_node_get_url(c);
            inlines(m, c, b, strong, emph, url && *url ? url : href);
            break;
        }
        case CMARK_NODE_IMAGE: {
            /* a pack has no pictures from text: the alt text stands in */
            rp_buf t;
            rp_buf_init(&t);
            plain(c, &t);
            rp_warn(m->errs, m->name, cmark_node_get_start_line(c), NULL,
                    "images are not shown in a pack; its description "
                    "\"%s\" is printed instead", t.s ? t.s : "");
            doc_span_add_ex(b, t.s ? t.s : "", strong, emph, href);
            rp_buf_free(&t);
            break;
        }
        case CMARK_NODE_HTML_INLINE:
            rp_warn(m->errs, m->name, cmark_node_get_start_line(c), NULL,
                    "HTML %s is left out; write Markdown instead",
                    cmark_node_get_literal(c));
            break;
        default:
            inlines(m, c, b, strong, emph, href);
            break;
        }
    }
}

static void blocks(md *m, cmark_node *n, int level, int list, int ordered,
                   int *number);

/* The blocks of one list item: its paragraphs become list items (the
 * first with the marker), nested lists go one level deeper. */
static void item(md *m, cmark_node *it, int level, int list, int ordered,
                 int number)
{
    char marker[24];
    if (ordered)
        snprintf(marker, sizeof marker, "%d.", number);
    else
        snprintf(marker, sizeof marker, "%s", level % 2 ? "\u2022" : "\u2013");
    int first = 1;
    for (cmark_node *c = cmark_node_first_child(it); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_LIST) {
            int dummy = 0;
            blocks(m, c, level + 1, 0, 0, &dummy);
            continue;
        }
        doc_block *b = doc_add_list_item(m->d, list, level, ordered, number,
                                         first ? marker : "");
        first = 0;
        if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
            inlines(m, c, b, t == CMARK_NODE_HEADING, 0, NULL);
        else if (cmark_node_get_literal(c))
            doc_span_add(b, cmark_node_get_literal(c), 0);
        else
            inlines(m, c, b, 0, 0, NULL);
    }
    if (first)      /* an empty item still shows its marker */
        doc_add_list_item(m->d, list, level, ordered, number, marker);
}

static void blocks(md *m, cmark_node *n, int level, int list, int ordered,
                   int *number)
{
    (void)list;
    (void)ordered;
    (void)number;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_DOCUMENT:
    case CMARK_NODE_BLOCK_QUOTE:
        for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
            blocks(m, c, level, 0, 0, number);
        break;
    case CMARK_NODE_HEADING: {
        int lv = cmark_node_get_heading_level(n) + m->top - 1;
        rp_buf t;
        rp_buf_init(&t);
        plain(n, &t);
        doc_block *h = doc_add_heading(m->d, lv > 3 ? 3 : lv, NULL,
                                       t.s ? t.s : "");
        /* a report's parts follow on: only its first heading (or the
         * section's own) starts a page */
        h->as.heading.flow = m->started;
        m->started = 1;
        rp_buf_free(&t);
        break;
    }
    case CMARK_NODE_PARAGRAPH: {
        m->started = 1;
        doc_block *b = doc_add_paragraph(m->d, NULL);
        inlines(m, n, b, 0, 0, NULL);
        break;
    }
    case CMARK_NODE_CODE_BLOCK: {
        /* kept line by line; the pack has no monospaced face */
        const char *lit = cmark_node_get_literal(n);
        size_t len = lit ? strlen(lit) : 0;
        while (len && lit[len - 1] == '\n')
            len--;
        char *t = rp_xstrndup(lit ? lit : "", len);
        doc_add_paragraph(m->d, t);
        free(t);
        break;
    }
    case CMARK_NODE_LIST: {
        m->started = 1;
        int id = ++m->next_list;
        int ord = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
        int num = ord ? cmark_node_get_list_start(n) : 0;
        for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
            item(m, c, level < 1 ? 1 : level, id, ord, num++);
        break;
    }
    case CMARK_NODE_HTML_BLOCK:
        rp_warn(m->errs, m->name, cmark_node_get_start_line(n), NULL,
                "an HTML block is left out; write Markdown instead");
        break;
    default:            /* thematic breaks: sections already have rules */
        break;
    }
}

int markdown_append(document *d, const char *name, const char *text,
                    size_t len, int top, rp_errors *errs)
{
    long bad = bad_utf8((const unsigned char *)text, len);
    if (bad >= 0) {
        long line = 1, col = 1;
        for (long i = 0; i < bad; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        char c[32];
        snprintf(c, sizeof c, "byte %ld", col);
        rp_err(errs, name, line, c, "invalid UTF-8 (byte 0x%02X); save the "
               "file as UTF-8", (unsigned)(unsigned char)text[bad]);
        return -1;
    }
    md m = { d, name, errs, top < 1 ? 1 : top > 3 ? 3 : top, 0, top > 1 };
    /* list ids stay unique across several text sections */
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == DOC_LIST_ITEM &&
            d->blocks[i].as.item.list > m.next_list)
            m.next_list = d->blocks[i].as.item.list;
    cmark_node *root = cmark_parse_document(text, len, CMARK_OPT_SMART);
    if (!root) {
        rp_err(errs, name, 0, NULL, "cannot parse the Markdown");
        return -1;
    }
    int number = 0;
    blocks(&m, root, 1, 0, 0, &number);
    cmark_node_free(root);
    return 0;
}

int markdown_append_file(document *d, const char *path, int top,
                         rp_errors *errs)
{
    size_t len = 0;
    /* a report is text of template size: 1 MiB (README "Limits") */
    char *text = rp_read_named(path, RP_MAX_TEMPLATE_BYTES, &len, "text",
                               errs);
    if (!text)
        return -1;
    /* a UTF-8 byte order mark is not text */
    size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    int rc = markdown_append(d, path, text + skip, len - skip, top, errs);
    free(text);
    return rc;
}
