/* test_batch.c — batch runs: manifest parsing and its errors (with lines),
 * duplicate outputs, sharding, and the content hash that decides a skip. */
#include "testutil.h"

#include "batch.h"

#include <fcntl.h>
#include <unistd.h>

static int has_error(const rp_errors *e, long line, const char *col,
                     const char *text)
{
    for (size_t i = 0; i < e->n; i++) {
        const rp_error *x = &e->v[i];
        if (x->sev == RP_SEV_ERROR && x->line == line
            && (!col || (x->column && strcmp(x->column, col) == 0))
            && (!text || strstr(x->message, text)))
            return 1;
    }
    return 0;
}

static int parse(const char *text, const char *base, batch_manifest *m,
                 rp_errors *e)
{
    rp_errors_init(e);
    return batch_manifest_parse("batch.csv", text, strlen(text), base, m, e);
}

/* The chart_files column: optional, a word per row, checked. */
static void test_manifest_chart_files(void **state)
{
    (void)state;
    batch_manifest m;
    rp_errors e;
    assert_int_equal(parse("name,template,input,out,chart_files\n"
                           "a,t.yaml,in,out1,none\n"
                           "b,t.yaml,in,out2,\n"
                           "c,t.yaml,in,out3,SVG\n", "x", &m, &e), 0);
    assert_int_equal(m.n, 3);
    assert_int_equal(m.rows[0].chart_files, RP_CHART_FILES_NONE);
    assert_int_equal(m.rows[1].chart_files, RP_CHART_FILES_DEFAULT);
    assert_int_equal(m.rows[2].chart_files, RP_CHART_FILES_SVG);
    batch_manifest_free(&m);
    rp_errors_free(&e);
    assert_int_equal(parse("name,template,input,out,chart_files\n"
                           "a,t.yaml,in,out1,jpeg\n", "x", &m, &e), -1);
    assert_int_equal(e.nerrors, 1);
    assert_int_equal(e.v[0].line, 2);
    assert_string_equal(e.v[0].column, "chart_files");
    assert_non_null(strstr(e.v[0].message, "\"jpeg\""));
    batch_manifest_free(&m);
    rp_errors_free(&e);
}

static void test_manifest_ok(void **state)
{
    (void)state;
    batch_manifest m;
    rp_errors e;
    assert_int_equal(parse("name,template,input,period,out\n"
                           "cabinet,../templates/ip.yaml,sample,2023/24 Q3,../output\n"
                           "# commented,x,y,,z\n"
                           "scrutiny, /abs/t.yml ,./in/,,out/./sub/\n"
                           "annual,../templates/ip.yaml,dfe,AY 2024/25,../output\n",
                           "input", &m, &e), 0);
    assert_int_equal(m.n, 3);
    /* a yearly pack's key is the name build gives it */
    assert_string_equal(m.rows[2].key, "ip-AY-2024-25");
    assert_string_equal(m.rows[0].name, "cabinet");
    assert_string_equal(m.rows[0].template_path, "templates/ip.yaml");
    assert_string_equal(m.rows[0].input_dir, "input/sample");
    assert_string_equal(m.rows[0].out_dir, "output");
    assert_string_equal(m.rows[0].key, "ip-2023-24-Q3");
    assert_int_equal(m.rows[0].line, 2);
    assert_string_equal(m.rows[1].template_path, "/abs/t.yml");
    assert_string_equal(m.rows[1].out_dir, "input/out/sub");
    assert_null(m.rows[1].period);
    assert_string_equal(m.rows[1].key, "t-latest");
    assert_int_equal(m.rows[1].line, 4);
    assert_int_equal(m.rows[1].index, 1);
    batch_manifest_free(&m);
    rp_errors_free(&e);
}

static void test_manifest_errors(void **state)
{
    (void)state;
    batch_manifest m;
    rp_errors e;
    assert_int_equal(parse("name,template,period\n", NULL, &m, &e), -1);
    assert_true(has_error(&e, 1, "input", "missing"));
    assert_true(has_error(&e, 1, "out", "missing"));
    batch_manifest_free(&m);
    rp_errors_free(&e);

    assert_int_equal(parse("name,template,input,period,out\n"
                           "a,t.yaml,in,2023/24 Q3,o\n"
                           ",t.yaml,in,,o2\n"
                           "b c,t.yaml,in,,o3\n"
                           "d,t.yaml,in,2023/24 Q5,o4\n"
                           "e,t.yaml,in,2023/24,o5\n"
                           "a,t.yaml,in,2023/24 Q4,o\n"
                           "f,,in,,o6\n", NULL, &m, &e), -1);
    assert_true(has_error(&e, 3, "name", "empty"));
    assert_true(has_error(&e, 4, "name", "b c"));
    assert_true(has_error(&e, 5, "period", "2023/24 Q5"));
    assert_false(has_error(&e, 6, "period", "2023/24"));  /* a year is a pack */
    assert_true(has_error(&e, 7, "name", "line 2"));      /* duplicate name */
    assert_true(has_error(&e, 8, "template", "empty"));
    assert_int_equal(e.nerrors, 5);
    batch_manifest_free(&m);
    rp_errors_free(&e);
}

static void test_duplicate_outputs(void **state)
{
    (void)state;
    batch_manifest m;
    rp_errors e;
    /* The same quarter spelled two ways, the same folder spelled two ways. */
    assert_int_equal(parse("name,template,input,period,out\n"
                           "a,tp/ip.yaml,in1,2023/24 Q3,out\n"
                           "b,other/ip.yaml,in2,Q3 2023/24,./x/../out/\n",
                           NULL, &m, &e), -1);
    assert_true(has_error(&e, 3, "out", "line 2"));
    batch_manifest_free(&m);
    rp_errors_free(&e);

    /* Without a period a row may build any quarter: it collides. */
    assert_int_equal(parse("name,template,input,period,out\n"
                           "a,ip.yaml,in1,2023/24 Q3,out\n"
                           "b,ip.yaml,in2,,out\n", NULL, &m, &e), -1);
    assert_true(has_error(&e, 3, "out", NULL));
    batch_manifest_free(&m);
    rp_errors_free(&e);

    /* Different quarters, templates or folders do not. */
    assert_int_equal(parse("name,template,input,period,out\n"
                           "a,ip.yaml,in,2023/24 Q3,out\n"
                           "b,ip.yaml,in,2023/24 Q4,out\n"
                           "c,other.yaml,in,,out\n"
                           "d,ip.yaml,in,,out2\n", NULL, &m, &e), 0);
    assert_int_equal(m.n, 4);
    batch_manifest_free(&m);
    rp_errors_free(&e);
}

static void test_shards(void **state)
{
    (void)state;
    int k, n;
    assert_int_equal(batch_shard_parse("2/7", &k, &n), 0);
    assert_int_equal(k, 2);
    assert_int_equal(n, 7);
    assert_int_equal(batch_shard_parse("0/3", &k, &n), -1);
    assert_int_equal(batch_shard_parse("4/3", &k, &n), -1);
    assert_int_equal(batch_shard_parse("1/0", &k, &n), -1);
    assert_int_equal(batch_shard_parse("1/", &k, &n), -1);
    assert_int_equal(batch_shard_parse("1/3x", &k, &n), -1);

    enum { ROWS = 23 };
    for (n = 1; n <= 7; n++) {
        int count[ROWS] = { 0 };
        size_t per[8] = { 0 };
        for (k = 1; k <= n; k++)
            for (size_t i = 0; i < ROWS; i++)
                if (batch_in_shard(i, k, n)) {
                    count[i]++;
                    per[k]++;
                }
        for (size_t i = 0; i < ROWS; i++)
            assert_int_equal(count[i], 1);
        /* Balanced: shard sizes differ by at most one. */
        for (k = 1; k <= n; k++)
            assert_true(per[k] == (size_t)(ROWS / n) || per[k] == (size_t)(ROWS / n + 1));
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_sha256_vector(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_bt.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *p = rp_xasprintf("%s/abc", dir);
    write_file(p, "abc");
    char hex[65];
    assert_int_equal(batch_sha256_file(p, hex), 0);
    /* FIPS 180-2 appendix B.1 */
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
    unlink(p);
    free(p);
    rmdir(dir);
}

static void test_hash_decides_skip(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_bt.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *paths[16];
    size_t np = 0;
#define P(...) (paths[np++] = rp_xasprintf(__VA_ARGS__))
    char *tdir = P("%s/templates", dir), *idir = P("%s/in", dir);
    char *fdir = P("%s/fonts", dir), *odir = P("%s/out", dir);
    mkdir(tdir, 0755);
    mkdir(idir, 0755);
    mkdir(fdir, 0755);
    mkdir(odir, 0755);
    char *tpl = P("%s/ip.yaml", tdir), *kpi = P("%s/kpi.csv", idir);
    char *font = P("%s/a.ttf", fdir), *extra = P("%s/commentary.csv", idir);
    char *pdf = P("%s/ip-2023-24-Q3.pdf", odir);
    write_file(tpl, "title: x\n");
    write_file(kpi, "measure,period,value\n");
    write_file(font, "font v1");
    write_file(pdf, "%PDF-fake");

    char *text = rp_xasprintf("name,template,input,period,out\n"
                              "p,templates/ip.yaml,in,2023/24 Q3,out\n");
    batch_manifest m;
    rp_errors e;
    assert_int_equal(parse(text, dir, &m, &e), 0);
    const batch_row *r = &m.rows[0];
    /* fonts/ beside the template folder is found, as build_pack does */
    assert_string_equal(r->fonts_dir, fdir);

    char h0[65], h[65];
    assert_int_equal(batch_inputs_hash(r, h0, &e), 0);
    batch_state st = { .pages = 3, .bytes = 9, .period = rp_quarter(2023, 3) };
    memcpy(st.inputs, h0, 65);
    assert_int_equal(batch_sha256_file(pdf, st.pdf_sha), 0);
    st.pdf_path = pdf;
    batch_state got;
    assert_int_equal(batch_up_to_date(r, h0, &got), 0);   /* never built */
    assert_int_equal(batch_state_write(r, &st), 0);
    assert_int_equal(batch_up_to_date(r, h0, &got), 1);
    assert_int_equal(got.pages, 3);
    assert_string_equal(got.pdf_path, pdf);
    assert_int_equal(got.period.fy, 2023);
    assert_int_equal(got.period.q, 3);
    batch_state_free(&got);
    /* the state is in the hidden state folder, never beside the PDF */
    char *sp0 = batch_state_path(r);
    char *want = rp_xasprintf("%s/.ragpack/ip-2023-24-Q3.state", odir);
    assert_string_equal(sp0, want);
    assert_int_equal(access(want, F_OK), 0);
    free(want);
    free(sp0);

    /* Each kind of change gives another hash; undoing it gives h0 back. */
    struct { const char *path, *changed, *orig; } ch[] = {
        { kpi, "measure,period,value\nX,2023/24 Q3,1\n", "measure,period,value\n" },
        { tpl, "title: y\n", "title: x\n" },
        { font, "font v2", "font v1" },
    };
    for (size_t i = 0; i < sizeof ch / sizeof ch[0]; i++) {
        write_file(ch[i].path, ch[i].changed);
        assert_int_equal(batch_inputs_hash(r, h, &e), 0);
        assert_string_not_equal(h, h0);
        assert_int_equal(batch_up_to_date(r, h, &got), 0);
        write_file(ch[i].path, ch[i].orig);
        assert_int_equal(batch_inputs_hash(r, h, &e), 0);
        assert_string_equal(h, h0);
    }
    /* A new file in the input folder counts too. */
    write_file(extra, "scope,period,text\n");
    assert_int_equal(batch_inputs_hash(r, h, &e), 0);
    assert_string_not_equal(h, h0);
    unlink(extra);
    /* A PDF changed or removed since is rebuilt. */
    write_file(pdf, "%PDF-edited");
    assert_int_equal(batch_up_to_date(r, h0, &got), 0);
    unlink(pdf);
    assert_int_equal(batch_up_to_date(r, h0, &got), 0);

    char *sp = batch_state_path(r);
    unlink(sp);
    free(sp);
    char *sd = rp_xasprintf("%s/.ragpack", odir);
    rmdir(sd);
    free(sd);
    batch_manifest_free(&m);
    rp_errors_free(&e);
    free(text);
    for (size_t i = np; i-- > 0;) {
        if (unlink(paths[i]) != 0)
            rmdir(paths[i]);
        free(paths[i]);
    }
    rmdir(dir);
#undef P
}

/* With --state DIR, locks and state of two output roots never share a
 * name, and nothing lands in the output folders. */
static void test_state_dir(void **state)
{
    (void)state;
    batch_manifest m;
    rp_errors e;
    assert_int_equal(parse("name,template,input,out\n"
                           "a,t/ip.yaml,in,out1\n"
                           "b,t/ip.yaml,in,out2\n", "/srv/x", &m, &e), 0);
    char *s0 = batch_state_path(&m.rows[0]);
    char *l0 = batch_lock_path(&m.rows[0]);
    assert_string_equal(s0, "/srv/x/out1/.ragpack/ip-latest.state");
    assert_string_equal(l0, "/srv/x/out1/.ragpack/ip-latest.lock");
    free(s0);
    free(l0);
    batch_manifest_use_state_dir(&m, "/var/lib/ragpack");
    char *a = batch_state_path(&m.rows[0]), *b = batch_state_path(&m.rows[1]);
    assert_true(strncmp(a, "/var/lib/ragpack/", 17) == 0);
    assert_true(strncmp(b, "/var/lib/ragpack/", 17) == 0);
    assert_string_not_equal(a, b);
    assert_non_null(strstr(a, "-ip-latest.state"));
    free(a);
    free(b);
    batch_manifest_free(&m);
    rp_errors_free(&e);
}

/* batch_run, driven as the command line drives it: a run that cannot
 * start writes one not_started record; a log that cannot be opened fails
 * the run. */
static void test_run_not_started(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_bt_run.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *man = rp_xasprintf("%s/m.csv", dir), *log = rp_xasprintf("%s/l.jsonl", dir);
    write_file(man, "name,template\np,t.yaml\n");   /* columns missing */
    batch_options o;
    batch_options_default(&o);
    o.manifest = man;
    o.log_path = log;
    int fd = dup(2), nul = open("/dev/null", O_WRONLY);
    dup2(nul, 2);   /* the run's diagnostics are not this test's output */
    int rc = batch_run(&o);
    char *under = rp_xasprintf("%s/l.jsonl", man);
    o.log_path = under;
    int rc2 = batch_run(&o);
    dup2(fd, 2);
    close(fd);
    close(nul);
    free(under);
    assert_int_equal(rc, BATCH_EXIT_FAILED);
    assert_int_equal(rc2, BATCH_EXIT_FAILED);
    char *text = tu_slurp(log, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"event\":\"not_started\""));
    assert_non_null(strstr(text, "\"reason\":\"manifest\""));
    assert_non_null(strstr(text, "\"line\":1,\"column\":\"input\""));
    assert_non_null(strstr(text, "\"run\":\""));
    assert_non_null(strstr(text, "\"time\":\"20"));
    assert_null(strchr(strchr(text, '\n') + 1, '\n'));   /* one record */
    free(text);
    unlink(man);
    unlink(log);
    rmdir(dir);
    free(man);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_ok),
        cmocka_unit_test(test_manifest_chart_files),
        cmocka_unit_test(test_manifest_errors),
        cmocka_unit_test(test_duplicate_outputs),
        cmocka_unit_test(test_shards),
        cmocka_unit_test(test_sha256_vector),
        cmocka_unit_test(test_hash_decides_skip),
        cmocka_unit_test(test_state_dir),
        cmocka_unit_test(test_run_not_started),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
