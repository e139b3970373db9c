/* test_render_pdf.c — PDF rendering: a sample pack renders to a valid PDF (qpdf),
 * fonts embedded (pdffonts), text extractable (pdftotext), byte-identical
 * under SOURCE_DATE_EPOCH, and failures leave the previous file alone
 * with no temp files behind. */
#define _GNU_SOURCE 1     /* memmem */
#include "testutil.h"
#include "fixture_template.h"
#include "render_pdf.h"
#include "chart.h"

#include <dirent.h>
#include <dlfcn.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_utils.h>      /* HPDF_MemCpy, HPDF_MemSet, HPDF_StrLen */
#include <hpdf_streams.h>
#include <hpdf_list.h>
#include <zlib.h>

HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src,
                                                 HPDF_Stream dst,
                                                 HPDF_Encrypt e);

/* A small pack with every kind of block. */
static document *sample(void)
{
    document *d = doc_create();
    doc_set_text(&d->header_text, "Northshire County Council \xC2\xB7 "
                    "Integrated Performance Report \xC2\xB7 2023/24 Q3");
    doc_set_text(&d->footer_text, "Cabinet \xC2\xB7 14 February 2024");
    doc_set_text(&d->title, "Integrated Performance Report \xE2\x80\x93 Q3");
    doc_set_text(&d->author, "Northshire County Council");
    doc_set_text(&d->subject, "Quarterly performance and finance");
    doc_set_text(&d->keywords, "performance, finance, RAG");
    doc_block *cv = doc_add_cover(d);
    doc_set_text(&cv->as.cover.authority, "Northshire County Council");
    doc_set_text(&cv->as.cover.title, "Integrated Performance Report");
    doc_set_text(&cv->as.cover.period,
                    "Quarter 3 2023/24 (October\xE2\x80\x93" "December 2023)");
    doc_set_text(&cv->as.cover.committee, "Cabinet");
    doc_set_text(&cv->as.cover.meeting, "14 February 2024");
    doc_set_text(&cv->as.cover.badge_label, "Overall assessment");
    cv->as.cover.badge_rag = 2;
    doc_add_contents(d);
    doc_add_heading(d, 1, "summary", "Executive summary");
    doc_add_badge(d, 2, "Overall assessment");
    doc_block *p = doc_add_paragraph(d, "Forecast overspend of ");
    doc_span_add(p, "\xC2\xA3" "5.4m (0.9%)", 1);
    doc_span_add(p, " against a net budget of \xC2\xA3" "600.2m, a reduction "
                "of \xC2\xA3" "1.0m since Quarter 2. The council\xE2\x80\x99s "
                "savings programme is forecast to deliver \xC2\xA3" "9.8m of "
                "the \xC2\xA3" "11.3m target.", 0);
    doc_add_heading(d, 2, "ratings", "Ratings by service area");
    double w[6] = { 3.2, 1, 1, 1, 1.2, 1.8 };
    doc_block *tb = doc_add_table(d, 6, w, 1);
    const char *hd[6] = { "Service area", "Green", "Amber", "Red", "Not rated",
                          "Assessment" };
    doc_cell *c = doc_table_add_row(tb);
    for (int i = 0; i < 6; i++)
        doc_cell_set(&c[i], hd[i], i && i < 5 ? DOC_RIGHT : DOC_LEFT);
    const char *areas[4] = { "Health and Care", "Children and Families",
                             "Economy, Infrastructure and Skills", "Corporate" };
    for (int r = 0; r < 4; r++) {
        c = doc_table_add_row(tb);
        doc_cell_set(&c[0], areas[r], DOC_LEFT);
        for (int k = 1; k < 5; k++) {
            char n[8];
            snprintf(n, sizeof n, "%d", (r * 3 + k * 2) % 7);
            doc_cell_set(&c[k], n, DOC_RIGHT);
        }
        c[5].show_rag = 1;
        c[5].rag = (rp_rag)(r % 4);
    }
    doc_add_heading(d, 1, "finance", "Finance");
    double fw[5] = { 3, 1.3, 1.3, 1.3, 1.6 };
    tb = doc_add_table(d, 5, fw, 1);
    tb->as.table.total_last = 1;
    c = doc_table_add_row(tb);
    const char *fh[5] = { "Service area", "Budget \xC2\xA3m", "Forecast \xC2\xA3m",
                          "Variance \xC2\xA3m", "vs last quarter" };
    for (int i = 0; i < 5; i++)
        doc_cell_set(&c[i], fh[i], i ? DOC_RIGHT : DOC_LEFT);
    for (int r = 0; r < 5; r++) {
        c = doc_table_add_row(tb);
        doc_cell_set(&c[0], r < 4 ? areas[r] : "Total", DOC_LEFT);
        doc_cell_set(&c[1], r < 4 ? "240.1" : "600.2", DOC_RIGHT);
        doc_cell_set(&c[2], r < 4 ? "243.0" : "605.6", DOC_RIGHT);
        doc_cell_set(&c[3], r == 2 ? "n/a" : "2.9", DOC_RIGHT);
        if (r == 2)
            c[3].footnote = 1;
        static const char *dw[3] = { "Better", "Same", "Worse" };
        doc_cell_set(&c[4], dw[r % 3], DOC_LEFT);
        c[4].dir = (rp_direction)(1 + r % 3);
    }
    p = doc_add_paragraph(d, "[1] Not available [x]: the forecast was not "
                         "submitted by the deadline.");
    p->as.paragraph.small = 1;
    const char *ar[3] = { "Health and Care", "Children", "Total" };
    rp_value v[2] = { rp_value_of(2900000), rp_value_of(-1200000) };
    doc_add_heading(d, 2, "variance", "Forecast variance");
    doc_add_figure(d, "variance", "Forecast variance by service area",
                  "Forecast variance is largest in Health and Care "
                  "(\xC2\xA3" "2.9m overspend).", 180,
                  chart_variance_create("variance", "Forecast variance by area",
                                     2, ar, v, rp_value_of(1700000)));
    doc_add_heading(d, 1, "trend", "Trends");
    rp_value sv[8];
    for (int i = 0; i < 8; i++)
        sv[i] = rp_value_of((int64_t)(40 + (i * 7) % 11) * 1000000);
    tb = doc_add_table(d, 3, (double[]){ 3, 1, 2 }, 1);
    c = doc_table_add_row(tb);
    doc_cell_set(&c[0], "Measure", DOC_LEFT);
    doc_cell_set(&c[1], "Latest", DOC_RIGHT);
    doc_cell_set(&c[2], "Last 8 quarters", DOC_LEFT);
    c = doc_table_add_row(tb);
    doc_cell_set(&c[0], "EHC plans issued within 20 weeks (%)", DOC_LEFT);
    doc_cell_set(&c[1], "52.3%", DOC_RIGHT);
    c[2].spark = chart_spark_create(8, sv);
    for (int i = 0; i < 30; i++)
        doc_add_paragraph(d, "Performance against the target improved in "
                         "the quarter, with the strongest gains in the "
                         "south of the county.");
    return d;
}

typedef fxt_page fx;

static int setup(void **state)
{
    fx *x = fxt_page_create();
    x->d = sample();
    snprintf(x->dir, sizeof x->dir, "/tmp/test_rn_XXXXXX");
    if (!x->f || !mkdtemp(x->dir))
        return -1;
    *state = x;
    return layout_paginate(x->d, &x->t, x->f, &x->p, &x->e);
}

static int teardown(void **state)
{
    fx *x = *state;
    char *cmd = rp_xasprintf("rm -rf '%s'", x->dir);
    if (system(cmd) != 0) { /* best effort */ }
    free(cmd);
    fxt_page_destroy(x);
    return 0;
}

static int count_tmp(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strstr(e->d_name, ".tmp") != NULL;
    closedir(d);
    return n;
}

static char *run_out(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    if (!f)
        return NULL;
    rp_buf b;
    rp_buf_init(&b);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        rp_buf_add(&b, tmp, n);
    rp_buf_add(&b, "", 1);
    pclose(f);
    return b.s;
}

static void test_renders_valid_pdf(void **state)
{
    fx *x = *state;
    char *path = rp_xasprintf("%s/pack.pdf", x->dir);
    assert_int_equal(render_pdf_write(&x->p, x->d, &x->t, x->f, path, &x->e), 0);
    assert_int_equal(x->e.nerrors, 0);
    size_t len = 0;
    char *pdf = tu_slurp(path, &len);
    assert_non_null(pdf);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
    assert_int_equal(count_tmp(x->dir), 0);
    char *cmd = rp_xasprintf("qpdf --check '%s' >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    /* Every font embedded: pdffonts' "emb" column is "yes" on each row. */
    cmd = rp_xasprintf("pdffonts '%s' 2>/dev/null", path);
    char *out = run_out(cmd);
    free(cmd);
    assert_non_null(out);
    int rows = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "name", 4) || !strncmp(line, "----", 4))
            continue;
        rows++;
        assert_non_null(strstr(line, "LiberationSans"));
        assert_non_null(strstr(line, " yes yes yes"));   /* emb sub uni */
    }
    assert_int_equal(rows, 2);
    free(out);
    /* Text comes back out, including £ and the running footer. */
    cmd = rp_xasprintf("pdftotext -layout '%s' - 2>/dev/null", path);
    out = run_out(cmd);
    free(cmd);
    char want[64];
    snprintf(want, sizeof want, "Page 2 of %zu", x->p.npages);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "\xC2\xA3" "5.4m"));
    assert_non_null(strstr(out, "Integrated Performance Report"));
    free(out);
    /* Outline and document info. */
    cmd = rp_xasprintf("pdfinfo '%s' 2>/dev/null", path);
    out = run_out(cmd);
    free(cmd);
    assert_non_null(strstr(out, "Integrated Performance Report \xE2\x80\x93 Q3"));
    assert_non_null(strstr(out, "ragpack " RP_VERSION));
    const char *pg = strstr(out, "Pages:");
    assert_non_null(pg);
    assert_int_equal(strtoul(pg + 6, NULL, 10), x->p.npages);
    free(out);
    const char *keep = getenv("RENDER_SAMPLE_OUT");
    if (keep) {
        cmd = rp_xasprintf("cp '%s' '%s'", path, keep);
        assert_int_equal(system(cmd), 0);
        free(cmd);
    }
    free(path);
}

static void test_reproducible(void **state)
{
    fx *x = *state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);   /* 2023-11-14 22:13:20 UTC */
    char *a = rp_xasprintf("%s/a.pdf", x->dir), *b = rp_xasprintf("%s/b.pdf", x->dir);
    assert_int_equal(render_pdf_write(&x->p, x->d, &x->t, x->f, a, &x->e), 0);
    assert_int_equal(render_pdf_write(&x->p, x->d, &x->t, x->f, b, &x->e), 0);
    unsetenv("SOURCE_DATE_EPOCH");
    size_t la = 0, lb = 0;
    char *ba = tu_slurp(a, &la), *bb = tu_slurp(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);
    /* The epoch is the creation date, in UTC with a '+' offset. */
    assert_non_null(memmem(ba, la, "D:20231114221320+00'00'", 23));
    free(ba); free(bb); free(a); free(b);
}

/* A last good pack to keep: "old pack" in x's folder; its path. */
static char *old_pack(const fx *x, const char *name)
{
    char *path = rp_xasprintf("%s/%s", x->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("old pack", f);
    fclose(f);
    return path;
}

static void test_failure_keeps_old_file(void **state)
{
    fx *x = *state;
    char *path = old_pack(x, "pack.pdf");
    /* 1. The directory does not exist. */
    char *bad = rp_xasprintf("%s/no/such/dir/pack.pdf", x->dir);
    assert_int_equal(render_pdf_write(&x->p, x->d, &x->t, x->f, bad, &x->e), -1);
    assert_true(x->e.nerrors >= 1);
    assert_string_equal(x->e.v[x->e.n - 1].file, bad);
    /* 2. The path is a directory: the final rename fails. */
    char *sub = rp_xasprintf("%s/sub.pdf", x->dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(render_pdf_write(&x->p, x->d, &x->t, x->f, sub, &x->e), -1);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* 3. A font vanishes between measuring and embedding: libharu fails
     * to load it, and the old file at path stays as it was. */
    char *fdir = rp_xasprintf("%s/fonts", x->dir);
    char *cmd = rp_xasprintf("mkdir '%s' && cp fonts/*.ttf '%s'", fdir, fdir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    rp_errors e2;
    rp_errors_init(&e2);
    fonts *f2 = fonts_create(fdir, "LiberationSans-Regular.ttf",
                                   "LiberationSans-Bold.ttf", &e2);
    assert_non_null(f2);
    char *bold = rp_xasprintf("%s/LiberationSans-Bold.ttf", fdir);
    assert_int_equal(unlink(bold), 0);
    assert_int_equal(render_pdf_write(&x->p, x->d, &x->t, f2, path, &e2), -1);
    assert_true(e2.nerrors >= 1);
    /* the cause in words, not only libharu's code */
    assert_non_null(strstr(e2.v[0].message, "the font file cannot be opened"));
    char *old = tu_slurp(path, NULL);
    assert_string_equal(old, "old pack");
    assert_int_equal(count_tmp(x->dir), 0);
    free(old); free(bold); fonts_destroy(f2); rp_errors_free(&e2);
    free(fdir); free(sub); free(bad); free(path);
}

/* libharu's own /ToUnicode is a cidrange CMap that poppler rejects with a
 * warning per page; render_pdf replaces it. Poppler must be silent and the text
 * must come back exactly, beyond ASCII and Latin-1 too. */
static void test_to_unicode_clean(void **state)
{
    fx *x = *state;
    const char *want = "Savings \xC2\xA3" "9.8m \xE2\x80\x93 the council"
                       "\xE2\x80\x99s marks \xE2\x96\xB2 \xE2\x97\x8F "
                       "\xE2\x96\xA0 caf\xC3\xA9";
    document *d = doc_create();
    doc_add_paragraph(d, want);
    doc_add_heading(d, 1, "two", "Second page");
    layout_pages p;
    assert_int_equal(layout_paginate(d, &x->t, x->f, &p, &x->e), 0);
    assert_int_equal(p.npages, 2);
    char *path = rp_xasprintf("%s/tu.pdf", x->dir);
    assert_int_equal(render_pdf_write(&p, d, &x->t, x->f, path, &x->e), 0);
    /* stdout discarded, stderr captured: any warning shows up here. */
    char *cmd = rp_xasprintf("pdftotext '%s' /dev/null 2>&1; "
                             "pdftoppm -r 20 -png '%s' '%s/pg' 2>&1",
                             path, path, x->dir);
    char *err = run_out(cmd);
    free(cmd);
    assert_non_null(err);
    assert_string_equal(err, "");
    free(err);
    cmd = rp_xasprintf("pdftotext '%s' - 2>/dev/null", path);
    char *out = run_out(cmd);
    free(cmd);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "Second page"));
    free(out);
    free(path);
    layout_pages_free(&p);
    doc_destroy(d);
}

/* render_pdf.c replaces libharu's HPDF_TTFontDef_GetGlyphid (a search
 * per code point) with a table: for both fonts every code point must get
 * libharu's own answer. */
static void test_glyph_ids_match_libharu(void **state)
{
    (void)state;
    typedef HPDF_UINT16 (*gid_fn)(HPDF_FontDef, HPDF_UINT16);
    gid_fn orig = (gid_fn)(uintptr_t)dlsym(RTLD_NEXT,
                                           "HPDF_TTFontDef_GetGlyphid");
    assert_non_null(orig);
    assert_true(orig != HPDF_TTFontDef_GetGlyphid);   /* ours is in use */
    static const char *const files[] = {
        "fonts/LiberationSans-Regular.ttf", "fonts/LiberationSans-Bold.ttf"
    };
    for (int f = 0; f < 2; f++) {
        HPDF_Doc pdf = HPDF_New(NULL, NULL);
        assert_non_null(pdf);
        const char *name = HPDF_LoadTTFontFromFile(pdf, files[f], HPDF_TRUE);
        assert_non_null(name);
        HPDF_FontDef def = HPDF_GetFontDef(pdf, name);
        assert_non_null(def);
        size_t mapped = 0;
        for (unsigned u = 0; u < 65536; u++) {
            HPDF_UINT16 want = orig(def, (HPDF_UINT16)u);
            assert_int_equal(HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u),
                             want);
            mapped += want != 0;
        }
        assert_true(mapped > 1000);   /* Latin, Greek, Cyrillic at least */
        HPDF_Free(pdf);
    }
}

/* render_pdf.c's HPDF_MemCpy, HPDF_MemSet and HPDF_StrLen give libharu's
 * own results: the returned end pointer, the bytes, an overlapping copy
 * (its forward loop smears), lengths with and without a limit. */
static void test_byte_loops_match_libharu(void **state)
{
    (void)state;
    typedef HPDF_BYTE *(*cpy_fn)(HPDF_BYTE *, const HPDF_BYTE *, HPDF_UINT);
    typedef void *(*set_fn)(void *, HPDF_BYTE, HPDF_UINT);
    typedef HPDF_UINT (*len_fn)(const char *, HPDF_INT);
    cpy_fn cpy = (cpy_fn)(uintptr_t)dlsym(RTLD_NEXT, "HPDF_MemCpy");
    set_fn set = (set_fn)(uintptr_t)dlsym(RTLD_NEXT, "HPDF_MemSet");
    len_fn len = (len_fn)(uintptr_t)dlsym(RTLD_NEXT, "HPDF_StrLen");
    assert_non_null(cpy);
    assert_non_null(set);
    assert_non_null(len);
    assert_true(cpy != HPDF_MemCpy && set != HPDF_MemSet && len != HPDF_StrLen);
    HPDF_BYTE a[128], b[128];   /* room for 40 bytes copied to 70 */
    static const HPDF_UINT sizes[] = { 0, 1, 7, 15, 16, 17, 40 };
    static const int shifts[] = { -9, -1, 0, 1, 3, 9, 30 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (size_t j = 0; j < sizeof shifts / sizeof *shifts; j++) {
            for (int k = 0; k < 128; k++)
                a[k] = b[k] = (HPDF_BYTE)(k * 7 + 1);
            HPDF_UINT n = sizes[i];
            int from = 40, to = 40 + shifts[j];     /* may overlap */
            HPDF_BYTE *ra = HPDF_MemCpy(a + to, a + from, n);
            HPDF_BYTE *rb = cpy(b + to, b + from, n);
            assert_int_equal(ra - a, rb - b);
            assert_memory_equal(a, b, sizeof a);
            void *sa = HPDF_MemSet(a + 5, (HPDF_BYTE)0xA5, n);
            void *sb = set(b + 5, (HPDF_BYTE)0xA5, n);
            assert_int_equal((HPDF_BYTE *)sa - a, (HPDF_BYTE *)sb - b);
            assert_memory_equal(a, b, sizeof a);
        }
    static const char *const strs[] = { "", "a", "/Helvetica", "0123456789" };
    static const HPDF_INT limits[] = { -1, 0, 1, 5, 10, 11, 1000 };
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < sizeof limits / sizeof *limits; j++)
            assert_int_equal(HPDF_StrLen(strs[i], limits[j]),
                             len(strs[i], limits[j]));
    assert_int_equal(HPDF_StrLen(NULL, -1), len(NULL, -1));
}

/* A memory stream's bytes, inflated by zlib (which checks the Adler-32):
 * the inflated length, or -1. */
static long inflate_stream(HPDF_Stream st, unsigned char *out, size_t cap)
{
    HPDF_UINT32 n = HPDF_Stream_Size(st);
    unsigned char *z = malloc(n + 1);
    HPDF_UINT got = n;
    assert_int_equal(HPDF_Stream_Seek(st, 0, HPDF_SEEK_SET), HPDF_OK);
    HPDF_STATUS r = HPDF_Stream_Read(st, z, &got);
    assert_true(r == HPDF_OK || r == HPDF_STREAM_EOF);
    assert_int_equal(got, n);
    uLongf len = cap;
    int rc = uncompress(out, &len, z, n);
    free(z);
    return rc == Z_OK ? (long)len : -1;
}

/* render_pdf.c replaces libharu's HPDF_Stream_WriteToStreamWithDeflate
 * (zlib) with ISA-L's igzip: for sizes around its 64 KiB buffers and
 * libharu's 4 KiB reads, text-like and random bytes, both give one zlib
 * stream that inflates to the source; ours grows random bytes by at most
 * a quarter. */
static void test_stream_deflate_matches_libharu(void **state)
{
    (void)state;
    typedef HPDF_STATUS (*defl_fn)(HPDF_Stream, HPDF_Stream, HPDF_Encrypt);
    defl_fn orig = (defl_fn)(uintptr_t)dlsym(
        RTLD_NEXT, "HPDF_Stream_WriteToStreamWithDeflate");
    assert_non_null(orig);
    assert_true(orig != HPDF_Stream_WriteToStreamWithDeflate);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    static const HPDF_UINT sizes[] = { 0, 1, 4095, 4096, 65535, 65536,
                                       65537, 200003 };
    size_t cap = 200003;
    unsigned char *src = malloc(cap), *back = malloc(cap + 1);
    uint32_t x = 12345;
    for (int kind = 0; kind < 2; kind++)
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
            HPDF_UINT n = sizes[i];
            for (HPDF_UINT k = 0; k < n; k++) {
                x = x * 1103515245u + 12345u;
                src[k] = kind ? (unsigned char)(x >> 24)
                              : (unsigned char)("BT /F1 12 Tf 72 712 Td "
                                                "(Children in care) Tj ET\n"
                                                [k % 48] + (k % 997 == 0));
            }
            HPDF_Stream in = HPDF_MemStream_New(pdf->mmgr, 4096);
            HPDF_Stream ours = HPDF_MemStream_New(pdf->mmgr, 4096);
            HPDF_Stream theirs = HPDF_MemStream_New(pdf->mmgr, 4096);
            assert_true(in && ours && theirs);
            if (n)
                assert_int_equal(HPDF_Stream_Write(in, src, n), HPDF_OK);
            assert_int_equal(HPDF_Stream_WriteToStreamWithDeflate(in, ours,
                                                                  NULL),
                             HPDF_OK);
            assert_int_equal(orig(in, theirs, NULL), HPDF_OK);
            assert_int_equal(inflate_stream(ours, back, cap + 1), (long)n);
            assert_memory_equal(back, src, n);
            assert_int_equal(inflate_stream(theirs, back, cap + 1), (long)n);
            assert_memory_equal(back, src, n);
            if (kind == 0 && n >= 4096)    /* text compresses */
                assert_true(HPDF_Stream_Size(ours) < n / 4);
            /* igzip level 0 has fixed tables (a header of ~115 bytes)
             * and no stored blocks: random bytes grow by about a fifth */
            assert_true(HPDF_Stream_Size(ours) <= n + n / 4 + 128);
            HPDF_Stream_Free(in);
            HPDF_Stream_Free(ours);
            HPDF_Stream_Free(theirs);
        }
    free(src);
    free(back);
    HPDF_Free(pdf);
}

/* The encrypted path of the same function: a password-protected document
 * whose page and font streams go through it reads back (qpdf decrypts,
 * inflates and checks every stream; pdftotext finds the text). */
static void test_stream_deflate_encrypted(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_rp_enc_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/enc.pdf", dir);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    assert_int_equal(HPDF_SetPassword(pdf, "owner", "user"), HPDF_OK);
    assert_int_equal(HPDF_SetEncryptionMode(pdf, HPDF_ENCRYPT_R3, 16),
                     HPDF_OK);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetFontAndSize(page, HPDF_GetFont(pdf, "Helvetica", NULL), 12);
    HPDF_Page_BeginText(page);
    HPDF_Page_TextOut(page, 72, 700, "Forecast overspend of 5.4m");
    HPDF_Page_EndText(page);
    assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
    HPDF_Free(pdf);
    snprintf(cmd, sizeof cmd, "qpdf --password=user --check '%s' "
             ">/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "pdftotext -upw user '%s' - 2>/dev/null | "
             "grep -q 'Forecast overspend of 5.4m'", path);
    assert_int_equal(system(cmd), 0);
    remove(path);
    rmdir(dir);
}

/* libharu writes the PDF itself: a write that fails part way (here a file
 * size limit, as a full disk would) is reported with its cause and the
 * file's name, and the last good PDF stays. In a child process, so the
 * limit ends with it. */
static void test_write_error_names_cause(void **state)
{
    fx *x = *state;
    char *path = old_pack(x, "limited.pdf");
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = { 20000, 20000 };   /* bytes: the PDF is larger */
        setrlimit(RLIMIT_FSIZE, &rl);
        rp_errors e;
        rp_errors_init(&e);
        int rc = render_pdf_write(&x->p, x->d, &x->t, x->f, path, &e);
        int named = e.nerrors >= 1 && !strcmp(e.v[0].file, path) &&
                    strstr(e.v[0].message, "cannot write the PDF: File too large");
        _exit(rc == -1 && named ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    char *old = tu_slurp(path, NULL);
    assert_string_equal(old, "old pack");
    assert_int_equal(count_tmp(x->dir), 0);
    free(old);
    free(path);
}

/* render_pdf.c's HPDF_List_Add (growth by half) keeps libharu's contract:
 * the same items in the same order, with its own growth (20 at a time) or
 * a list's items_per_block, over a list long enough to have been
 * quadratic (200,000 items), and HPDF_List_Insert (which adds through it)
 * still inserts. */
static void test_list_add_matches_libharu(void **state)
{
    (void)state;
    typedef HPDF_STATUS (*add_fn)(HPDF_List, void *);
    add_fn orig = (add_fn)(uintptr_t)dlsym(RTLD_NEXT, "HPDF_List_Add");
    assert_non_null(orig);
    assert_true(orig != HPDF_List_Add);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    static const HPDF_UINT per_block[] = { 1, 20, 1024 };
    for (size_t b = 0; b < 3; b++) {
        HPDF_List ours = HPDF_List_New(pdf->mmgr, per_block[b]);
        HPDF_List theirs = HPDF_List_New(pdf->mmgr, per_block[b]);
        assert_true(ours && theirs);
        size_t n = b == 2 ? 200000 : 5000;   /* libharu's is quadratic */
        for (size_t i = 0; i < n; i++) {
            void *item = (void *)(uintptr_t)(i * 7 + 1);
            assert_int_equal(HPDF_List_Add(ours, item), HPDF_OK);
            assert_int_equal(orig(theirs, item), HPDF_OK);
            assert_true(ours->block_siz >= ours->count);
        }
        assert_int_equal(ours->count, theirs->count);
        for (size_t i = 0; i < n; i++)
            assert_ptr_equal(HPDF_List_ItemAt(ours, (HPDF_UINT)i),
                             HPDF_List_ItemAt(theirs, (HPDF_UINT)i));
        /* spare room stays within half the list */
        assert_true(ours->block_siz <= ours->count + ours->count / 2 +
                                           per_block[b]);
        void *target = HPDF_List_ItemAt(ours, 3);
        assert_int_equal(HPDF_List_Insert(ours, target, (void *)(uintptr_t)9),
                         HPDF_OK);
        assert_int_equal(ours->count, n + 1);
        assert_ptr_equal(HPDF_List_ItemAt(ours, 3), (void *)(uintptr_t)9);
        assert_ptr_equal(HPDF_List_ItemAt(ours, 4), target);
        HPDF_List_Free(ours);
        HPDF_List_Free(theirs);
    }
    HPDF_Free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_renders_valid_pdf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_keeps_old_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error_names_cause, setup, teardown),
        cmocka_unit_test_setup_teardown(test_to_unicode_clean, setup, teardown),
        cmocka_unit_test(test_glyph_ids_match_libharu),
        cmocka_unit_test(test_byte_loops_match_libharu),
        cmocka_unit_test(test_stream_deflate_matches_libharu),
        cmocka_unit_test(test_list_add_matches_libharu),
        cmocka_unit_test(test_stream_deflate_encrypted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
