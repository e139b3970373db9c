/* test_input_csv.c — input_csv against in-memory cases and the third-party CSV
 * suites in ../shared/realdata/csvsuites (expected results written by
 * others: csv-spectrum and sineemore JSON, gebi's Go output, csvlint's
 * fixtures). */
#include "testutil.h"

#include "input.h"

#define SUITES "/realdata/csvsuites"

/* ---- a tiny reader for the suites' JSON (test only) ----------------------
 * The files are an array of arrays of strings or of objects whose values
 * are strings. Keys of the first object are kept as the header. */
typedef struct jrow { char **v; size_t n; } jrow;
typedef struct jdoc { jrow *rows; size_t n; int objects; jrow keys; } jdoc;

static void jrow_push(jrow *r, char *s)
{
    r->v = realloc(r->v, (r->n + 1) * sizeof *r->v);
    r->v[r->n++] = s;
}

static void jrow_free(jrow *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    free(r->v);
}

static void jdoc_free(jdoc *d)
{
    for (size_t i = 0; i < d->n; i++)
        jrow_free(&d->rows[i]);
    free(d->rows);
    jrow_free(&d->keys);
}

static void jws(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t')
        (*p)++;
}

static void put_utf8(rp_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) { u[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { u[0] = (char)(0xC0 | cp >> 6); u[1] = (char)(0x80 | (cp & 63)); n = 2; }
    else { u[0] = (char)(0xE0 | cp >> 12); u[1] = (char)(0x80 | ((cp >> 6) & 63));
           u[2] = (char)(0x80 | (cp & 63)); n = 3; }
    rp_buf_add(b, u, n);
}

static char *jstring(const char **p)
{
    if (**p != '"')
        return NULL;
    (*p)++;
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_add(&b, "", 0);
    while (**p && **p != '"') {
        char c = *(*p)++;
        if (c != '\\') {
            rp_buf_add(&b, &c, 1);
            continue;
        }
        char e = *(*p)++;
        switch (e) {
        case 'n': rp_buf_add(&b, "\n", 1); break;
        case 'r': rp_buf_add(&b, "\r", 1); break;
        case 't': rp_buf_add(&b, "\t", 1); break;
        case 'u': {
            unsigned cp = 0;
            for (int i = 0; i < 4; i++) {
                char h = *(*p)++;
                cp = cp * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            }
            put_utf8(&b, cp);
            break;
        }
        default: rp_buf_add(&b, &e, 1);   /* \" \\ \/ */
        }
    }
    if (**p != '"') {
        rp_buf_free(&b);
        return NULL;
    }
    (*p)++;
    return b.s;
}

static int jparse(const char *text, jdoc *d)
{
    memset(d, 0, sizeof *d);
    const char *p = text;
    jws(&p);
    if (*p++ != '[')
        return -1;
    for (;;) {
        jws(&p);
        if (*p == ']')
            return 0;
        if (*p == ',') {
            p++;
            continue;
        }
        char open = *p++, close = open == '[' ? ']' : '}';
        if (open != '[' && open != '{')
            return -1;
        d->objects = open == '{';
        jrow row = { NULL, 0 };
        for (;;) {
            jws(&p);
            if (*p == close) {
                p++;
                break;
            }
            if (*p == ',') {
                p++;
                continue;
            }
            if (open == '{') {
                char *k = jstring(&p);
                jws(&p);
                if (!k || *p++ != ':') {
                    free(k);
                    jrow_free(&row);
                    return -1;
                }
                jws(&p);
                if (d->n == 0)
                    jrow_push(&d->keys, k);
                else
                    free(k);
            }
            char *s = jstring(&p);
            if (!s) {
                jrow_free(&row);
                return -1;
            }
            jrow_push(&row, s);
        }
        d->rows = realloc(d->rows, (d->n + 1) * sizeof *d->rows);
        d->rows[d->n++] = row;
    }
}

/* ---- helpers ---------------------------------------------------------- */

static void expect_rec(const input_record *r, const char *const *want,
                       size_t n, const char *what)
{
    if (r->nfields != n)
        fail_msg("%s: %zu fields, want %zu", what, r->nfields, n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r->fields[i], want[i]) != 0)
            fail_msg("%s: field %zu is \"%s\", want \"%s\"", what, i,
                     r->fields[i], want[i]);
}

static void expect_jrow(const input_record *r, const jrow *want, const char *what)
{
    expect_rec(r, (const char *const *)want->v, want->n, what);
}

static int parse_str(const char *text, input_csv *c, rp_errors *e)
{
    return input_csv_parse("t.csv", text, strlen(text), c, e);
}

static char *suite_path(const char *shared, const char *rel)
{
    return rp_xasprintf("%s%s/%s", shared, SUITES, rel);
}

/* Reads a suite file; fails the test on refusal. */
static void read_ok(const char *shared, const char *rel, input_csv *c)
{
    char *p = suite_path(shared, rel);
    rp_errors e;
    rp_errors_init(&e);
    if (input_csv_read(p, c, &e) != 0) {
        char m[512] = "";
        if (e.n)
            rp_error_format(&e.v[0], m, sizeof m);
        fail_msg("%s refused: %s", rel, m);
    }
    assert_int_equal(e.n, 0);
    rp_errors_free(&e);
    free(p);
}

/* The same in RFC 4180 mode, where a blank line is a record of one empty
 * field (how the suites count them). */
static void read_ok_rfc(const char *shared, const char *rel, input_csv *c)
{
    char *p = suite_path(shared, rel);
    size_t len = 0;
    char *buf = tu_slurp(p, &len);
    assert_non_null(buf);
    rp_errors e;
    rp_errors_init(&e);
    if (input_csv_parse_ex(rel, buf, len, INPUT_CSV_KEEP_BLANK, c, &e) != 0)
        fail_msg("%s refused", rel);
    assert_int_equal(e.n, 0);
    rp_errors_free(&e);
    free(buf);
    free(p);
}

/* Reads a suite file that must be refused with its first error on `line`
 * and containing `needle`. */
static void read_refused(const char *shared, const char *rel, long line,
                         const char *needle)
{
    char *p = suite_path(shared, rel);
    rp_errors e;
    rp_errors_init(&e);
    input_csv c;
    if (input_csv_read(p, &c, &e) != -1)
        fail_msg("%s accepted", rel);
    assert_int_equal(c.nrecs, 0);
    assert_true(e.nerrors >= 1);
    assert_string_equal(e.v[0].file, p);
    if (e.v[0].line != line)
        fail_msg("%s: error on line %ld, want %ld (%s)", rel, e.v[0].line,
                 line, e.v[0].message);
    if (!strstr(e.v[0].message, needle))
        fail_msg("%s: \"%s\" lacks \"%s\"", rel, e.v[0].message, needle);
    rp_errors_free(&e);
    input_csv_free(&c);
    free(p);
}

/* ---- in-memory cases ----------------------------------------------------- */

static void test_bom_spaces_lines(void **state)
{
    (void)state;
    input_csv c;
    rp_errors e;
    rp_errors_init(&e);
    const char *text = "\xEF\xBB\xBF" "id, Title ,x\r\n"
                       "\r\n"
                       "a,\"two\r\nlines\",  sp  \r\n"
                       "\n"
                       "b,\"\",\r"
                       "c,\"q \"\"x\"\"\",3";
    assert_int_equal(parse_str(text, &c, &e), 0);
    assert_int_equal(e.n, 0);
    assert_int_equal(c.nrecs, 4);
    expect_rec(&c.recs[0], (const char *[]){ "id", " Title ", "x" }, 3, "hdr");
    expect_rec(&c.recs[1], (const char *[]){ "a", "two\r\nlines", "  sp  " },
               3, "rec1");
    expect_rec(&c.recs[2], (const char *[]){ "b", "", "" }, 3, "rec2");
    expect_rec(&c.recs[3], (const char *[]){ "c", "q \"x\"", "3" }, 3, "rec3");
    /* physical lines: header 1, blank 2, rec1 3–4, blank 5, rec2 6, rec3 7 */
    assert_int_equal(c.recs[0].line, 1);
    assert_int_equal(c.recs[1].line, 3);
    assert_int_equal(c.recs[2].line, 6);
    assert_int_equal(c.recs[3].line, 7);
    assert_string_equal(c.path, "t.csv");
    assert_int_equal(input_csv_column(&c, "title"), 1);
    assert_int_equal(input_csv_column(&c, "ID"), 0);
    assert_int_equal(input_csv_column(&c, "X"), 2);
    assert_int_equal(input_csv_column(&c, "tit"), -1);
    assert_int_equal(input_csv_column(&c, "id "), -1);   /* only the header is trimmed */
    input_csv_free(&c);
    rp_errors_free(&e);
}

static void test_empty_files(void **state)
{
    (void)state;
    static const char *const empties[] = { "", "\xEF\xBB\xBF", "\n\n", "\r\n" };
    for (size_t i = 0; i < 4; i++) {
        input_csv c;
        rp_errors e;
        rp_errors_init(&e);
        assert_int_equal(input_csv_parse("e.csv", empties[i], strlen(empties[i]),
                                      &c, &e), -1);
        assert_int_equal(e.nerrors, 1);
        assert_string_equal(e.v[0].message, "file is empty (no header row)");
        assert_null(c.recs);
        input_csv_free(&c);
        rp_errors_free(&e);
    }
}

static void refused_text(const char *text, size_t len, long line,
                         const char *msg)
{
    input_csv c;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(input_csv_parse("b.csv", text, len, &c, &e), -1);
    assert_int_equal(c.nrecs, 0);
    assert_true(e.nerrors >= 1);
    if (e.v[0].line != line || !strstr(e.v[0].message, msg))
        fail_msg("got line %ld \"%s\", want line %ld \"%s\"", e.v[0].line,
                 e.v[0].message, line, msg);
    input_csv_free(&c);
    rp_errors_free(&e);
}

static void test_bad_bytes(void **state)
{
    (void)state;
    /* byte 0xE9 is Latin-1 é: line 3, 5th byte of that line */
    const char t1[] = "a,b\r\nok,1\r\ncaf\xE9,2\r\n";
    refused_text(t1, sizeof t1 - 1, 3, "invalid UTF-8 (byte 0xE9) at column 4");
    /* overlong '/' (C0 AF), a UTF-16 surrogate (ED A0 80), beyond U+10FFFF */
    const char t2[] = "a\n\xC0\xAF\n";
    refused_text(t2, sizeof t2 - 1, 2, "(byte 0xC0) at column 1");
    const char t3[] = "a\nxx\xED\xA0\x80\n";
    refused_text(t3, sizeof t3 - 1, 2, "(byte 0xED) at column 3");
    const char t4[] = "a\n\xF4\x90\x80\x80\n";
    refused_text(t4, sizeof t4 - 1, 2, "(byte 0xF4)");
    const char t5[] = "a\n\xE2\x82\n";                 /* truncated € */
    refused_text(t5, sizeof t5 - 1, 2, "(byte 0xE2) at column 1");
    const char t6[] = "a,b\n1,\0\n";
    refused_text(t6, sizeof t6 - 1, 2, "NUL byte at column 3");
    /* a BOM does not count as a column, and valid 4-byte UTF-8 passes */
    const char t7[] = "\xEF\xBB\xBF" "\xF0\x9F\x98\x8E,\xFF\n";
    refused_text(t7, sizeof t7 - 1, 1, "(byte 0xFF) at column 6");
}

static void test_many_bad_lines_are_capped(void **state)
{
    (void)state;
    rp_buf b;
    rp_buf_init(&b);
    for (int i = 0; i < 9; i++)
        rp_buf_puts(&b, "\xA3" "5\n");   /* Latin-1 pound sign */
    input_csv c;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(input_csv_parse("l1.csv", b.s, b.len, &c, &e), -1);
    /* five lines named, then one summary for the other four */
    assert_int_equal(e.nerrors, 6);
    assert_int_equal(e.v[4].line, 5);
    assert_string_equal(e.v[5].message, "invalid UTF-8 on 4 more lines");
    input_csv_free(&c);
    rp_errors_free(&e);
    rp_buf_free(&b);
}

static void test_quoting_errors(void **state)
{
    (void)state;
    const char *t1 = "a,b\n1,2\nx,bad\"quote\n";
    refused_text(t1, strlen(t1), 3, "quote inside an unquoted field at column 6");
    const char *t2 = "a,b\n\"ok\" ,2\n";
    refused_text(t2, strlen(t2), 2, "text after a closing quote at column 5");
    /* an unclosed quote runs to the end: named at the record's first line */
    const char *t3 = "a,b\n1,2\n3,\"never\nclosed\n";
    refused_text(t3, strlen(t3), 3, "never closed");
}

static void test_read_missing_file(void **state)
{
    (void)state;
    input_csv c;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(input_csv_read("/nonexistent/dir/x.csv", &c, &e), -1);
    assert_int_equal(e.nerrors, 1);
    assert_string_equal(e.v[0].file, "/nonexistent/dir/x.csv");
    assert_non_null(strstr(e.v[0].message, "cannot read"));
    input_csv_free(&c);
    rp_errors_free(&e);
}

/* ---- third-party suites ----------------------------------------------------- */

static void test_csv_spectrum(void **state)
{
    (void)state;
    TU_NEED_SHARED(shared);
    static const char *const names[] = {
        "comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json",
        "newlines", "newlines_crlf", "quotes_and_newlines", "simple",
        "simple_crlf", "utf8",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *rel = rp_xasprintf("csv-spectrum/json/%s.json", names[i]);
        char *jp = suite_path(shared, rel);
        char *js = tu_slurp(jp, NULL);
        assert_non_null(js);
        jdoc d;
        assert_int_equal(jparse(js, &d), 0);
        assert_true(d.objects && d.n > 0);
        char *crel = rp_xasprintf("csv-spectrum/csvs/%s.csv", names[i]);
        input_csv c;
        read_ok(shared, crel, &c);
        if (c.nrecs != d.n + 1)
            fail_msg("%s: %zu records, want %zu", names[i], c.nrecs, d.n + 1);
        expect_jrow(&c.recs[0], &d.keys, names[i]);
        for (size_t r = 0; r < d.n; r++)
            expect_jrow(&c.recs[r + 1], &d.rows[r], names[i]);
        input_csv_free(&c);
        jdoc_free(&d);
        free(js);
        free(jp);
        free(rel);
        free(crel);
    }
    /* Its JSON expects 37.8"N inside an unquoted field to pass; strict
     * RFC 4180 (as Go's encoding/csv) refuses the bare quote. */
    read_refused(shared, "csv-spectrum/csvs/location_coordinates.csv", 2,
                 "quote inside an unquoted field at column 24");
}

/* The sineemore header-* convention: header foo,bar,baz and every row as
 * wide as the header. Returns 1 when the file meets it. */
static int sine_header_ok(const input_csv *c)
{
    if (input_csv_column(c, "foo") != 0 || input_csv_column(c, "bar") != 1 ||
        input_csv_column(c, "baz") != 2 || c->recs[0].nfields != 3)
        return 0;
    for (size_t i = 1; i < c->nrecs; i++)
        if (c->recs[i].nfields != 3)
            return 0;
    return 1;
}

static void test_sineemore(void **state)
{
    (void)state;
    TU_NEED_SHARED(shared);
    static const char *const valid[] = {
        "empty-field", "empty-one-column", "header-no-rows", "header-simple",
        "leading-space", "one-column", "quotes-empty", "quotes-with-comma",
        "quotes-with-escaped-quote", "quotes-with-newline",
        "quotes-with-space", "simple-crlf", "simple-lf",
        "trailing-newline-one-field", "trailing-newline", "trailing-space",
        "utf8", "all-empty",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        const char *nm = valid[i];
        char *rel = rp_xasprintf("sineemore-csv-test-data/json/%s.json", nm);
        char *jp = suite_path(shared, rel);
        char *js = tu_slurp(jp, NULL);
        assert_non_null(js);
        jdoc d;
        assert_int_equal(jparse(js, &d), 0);
        char *crel = rp_xasprintf("sineemore-csv-test-data/csv/%s.csv", nm);
        input_csv c;
        if (strncmp(nm, "header-", 7) == 0) {
            read_ok(shared, crel, &c);
            assert_true(sine_header_ok(&c));
            assert_int_equal(c.nrecs, d.n + 1);
            for (size_t r = 0; r < d.n; r++)
                expect_jrow(&c.recs[r + 1], &d.rows[r], nm);
        } else {
            /* headerless files: every expected row, blank lines included */
            read_ok_rfc(shared, crel, &c);
            if (c.nrecs != d.n)
                fail_msg("%s: %zu records, want %zu", nm, c.nrecs, d.n);
            for (size_t k = 0; k < d.n; k++)
                expect_jrow(&c.recs[k], &d.rows[k], nm);
        }
        input_csv_free(&c);
        jdoc_free(&d);
        free(js);
        free(jp);
        free(rel);
        free(crel);
    }
    /* all-empty.csv is two blank lines: in RFC mode two records of one
     * empty field (its JSON); as a data file, with blank lines skipped, it
     * has no header and is refused like a zero-byte file. */
    {
        input_csv c;
        read_ok_rfc(shared, "sineemore-csv-test-data/csv/all-empty.csv", &c);
        assert_int_equal(c.nrecs, 2);
        for (size_t k = 0; k < 2; k++) {
            assert_int_equal(c.recs[k].nfields, 1);
            assert_string_equal(c.recs[k].fields[0], "");
            assert_int_equal(c.recs[k].line, (long)k + 1);
        }
        input_csv_free(&c);
    }
    read_refused(shared, "sineemore-csv-test-data/csv/all-empty.csv", 0,
                 "file is empty");
    /* bad-*: quoting faults are refused by the reader itself … */
    read_refused(shared, "sineemore-csv-test-data/csv/bad-missing-quote.csv",
                 2, "never closed");
    read_refused(shared, "sineemore-csv-test-data/csv/bad-unescaped-quote.csv",
                 2, "quote inside an unquoted field at column 8");
    read_refused(shared,
                 "sineemore-csv-test-data/csv/bad-quotes-with-unescaped-quote.csv",
                 2, "text after a closing quote at column 19");
    read_refused(shared, "sineemore-csv-test-data/csv/bad-header-no-header.csv",
                 0, "file is empty (no header row)");
    /* … the header faults read as CSV and fail the header convention, as
     * input_folder's column and row-width checks would */
    static const char *const bad_header[] = {
        "bad-header-less-fields", "bad-header-more-fields",
        "bad-header-wrong-header",
    };
    for (size_t i = 0; i < 3; i++) {
        char *crel = rp_xasprintf("sineemore-csv-test-data/csv/%s.csv",
                                  bad_header[i]);
        input_csv c;
        read_ok(shared, crel, &c);
        if (sine_header_ok(&c))
            fail_msg("%s met the header convention", bad_header[i]);
        input_csv_free(&c);
        free(crel);
    }
}

static void test_gebi_evil(void **state)
{
    (void)state;
    TU_NEED_SHARED(shared);
    /* Go's strict reader: records 1–5, then "line 7, column 10: bare \" in
     * non-quoted-field" (Go counts from 0 there; we count from 1). */
    read_refused(shared, "gebi-csv-test/evil.csv", 7,
                 "quote inside an unquoted field at column 11");
    read_refused(shared, "gebi-csv-test/evil1.csv", 1,
                 "quote inside an unquoted field at column 11");
    input_csv c;
    read_ok(shared, "gebi-csv-test/evil2.csv", &c);
    assert_int_equal(c.nrecs, 1);
    expect_rec(&c.recs[0], (const char *[]){ "", "foo" }, 2, "evil2");
    input_csv_free(&c);
}

static void test_csvlint_fixtures(void **state)
{
    (void)state;
    TU_NEED_SHARED(shared);
    static const char *const same[] = {
        "lf-line-endings", "crlf-line-endings", "inconsistent-line-endings",
        "inconsistent-line-endings-unquoted", "cr-line-endings",
    };
    for (size_t i = 0; i < 5; i++) {
        char *rel = rp_xasprintf("csvlint-rb/features/fixtures/%s.csv", same[i]);
        input_csv c;
        read_ok(shared, rel, &c);
        assert_int_equal(c.nrecs, 3);
        /* the CR fixture's header is spelled Bar, the others Bsr */
        const char *second = i == 4 ? "Bar" : "Bsr";
        expect_rec(&c.recs[0], (const char *[]){ "Foo", second, "Baz" }, 3, same[i]);
        expect_rec(&c.recs[1], (const char *[]){ "Biff", "Baff", "Boff" }, 3, same[i]);
        expect_rec(&c.recs[2], (const char *[]){ "Qux", "Teaspoon", "Doge" }, 3, same[i]);
        for (size_t r = 0; r < 3; r++)
            assert_int_equal(c.recs[r].line, (long)r + 1);
        input_csv_free(&c);
        free(rel);
    }
    /* ISO-8859-1 "Histórico": ó is byte 0xF3 at offset 33, column 34 */
    read_refused(shared, "csvlint-rb/features/fixtures/invalid-byte-sequence.csv",
                 1, "invalid UTF-8 (byte 0xF3) at column 34");
    /* a title row is a validator's warning; as CSV it is just a record */
    input_csv c;
    read_ok(shared, "csvlint-rb/features/fixtures/title-row.csv", &c);
    assert_int_equal(c.nrecs, 4);
    expect_rec(&c.recs[0], (const char *[]){ "This is a title row", "", "" },
               3, "title-row");
    expect_rec(&c.recs[1], (const char *[]){ "Foo", "Bsr", "Baz" }, 3, "title-row");
    input_csv_free(&c);
    read_ok(shared, "csvlint-rb/features/fixtures/windows-line-endings.csv", &c);
    assert_int_equal(c.nrecs, 2);
    expect_rec(&c.recs[1], (const char *[]){ "d", "e", "f" }, 3, "windows");
    assert_int_equal(c.recs[1].line, 2);
    input_csv_free(&c);
    read_ok(shared, "csvlint-rb/features/fixtures/valid_many_rows.csv", &c);
    assert_int_equal(c.nrecs, 7);
    input_csv_free(&c);
    /* row 4 is "1","2","3" " : text after a closing quote */
    read_refused(shared, "csvlint-rb/features/fixtures/invalid_many_rows.csv",
                 4, "text after a closing quote at column 12");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_spaces_lines),
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_many_bad_lines_are_capped),
        cmocka_unit_test(test_quoting_errors),
        cmocka_unit_test(test_read_missing_file),
        cmocka_unit_test(test_csv_spectrum),
        cmocka_unit_test(test_sineemore),
        cmocka_unit_test(test_gebi_evil),
        cmocka_unit_test(test_csvlint_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
