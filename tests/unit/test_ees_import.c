/* test_ees_import.c — import of DfE explore-education-statistics CSVs: period
 * mapping, council / national / regional rows from the real DfE files
 * (expected figures found here by an independent scan of the source
 * lines), errors, and the merge into kpi.csv / measures.csv. */
#include "testutil.h"

#include "ees_import.h"
#include "input.h"

#include <unistd.h>

/* ---- period mapping ---------------------------------------------------- */

static void map_ok(const char *tp, const char *ti, const char *want, int kind)
{
    rp_period p;
    char why[256] = "", buf[32];
    assert_int_equal(ees_period_map(tp, ti, &p, why, sizeof why), 0);
    assert_string_equal(rp_period_format(p, buf, sizeof buf), want);
    assert_int_equal(p.kind, kind);
}

static void map_bad(const char *tp, const char *ti, const char *mention)
{
    rp_period p;
    char why[256] = "";
    assert_int_equal(ees_period_map(tp, ti, &p, why, sizeof why), -1);
    assert_non_null(strstr(why, mention));
}

static void test_period_map(void **state)
{
    (void)state;
    /* Reporting year N = year to 31 March N = financial year (N-1)/N. */
    map_ok("2025", "Reporting year", "2024/25", RP_PER_FYEAR);
    map_ok("2000", "reporting year", "1999/00", RP_PER_FYEAR);
    map_ok("202425", "Financial year", "2024/25", RP_PER_FYEAR);
    map_ok("202324", "Financial year Q1", "2023/24 Q1", RP_PER_QUARTER);
    map_ok("202324", "Financial year Q4", "2023/24 Q4", RP_PER_QUARTER);
    /* An academic year stays an academic year. */
    map_ok("202425", "Academic year", "AY 2024/25", RP_PER_AYEAR);
    map_ok("2024", "Calendar year", "2024", RP_PER_CYEAR);
    map_ok(" 2024 ", " Calendar year ", "2024", RP_PER_CYEAR);

    map_bad("2024", "Spring term", "Spring term");
    map_bad("2024", "Tax year", "Tax year");
    map_bad("202324", "Financial year Q5", "Financial year Q5");
    map_bad("202426", "Financial year", "202426");   /* years not adjacent */
    map_bad("202425", "Reporting year", "202425");   /* not a single year */
    map_bad("2024", "Academic year", "2024");
    map_bad("", "Calendar year", "Calendar year");
}

/* ---- an independent scan of the source lines --------------------------- */

/* Split one CSV line (quotes honoured, no embedded newlines in these
 * files) into at most max fields written into f (each up to 127 bytes). */
static size_t split(const char *line, char f[][128], size_t max)
{
    size_t n = 0, k = 0;
    int q = 0;
    for (const char *p = line;; p++) {
        char ch = *p;
        if (ch == '\r' || ch == '\n')
            ch = '\0';
        if (q) {
            if (ch == '"' && p[1] == '"') { if (k < 127) f[n][k++] = '"'; p++; }
            else if (ch == '"') q = 0;
            else if (ch) { if (k < 127) f[n][k++] = ch; }
            else break;
            continue;
        }
        if (ch == '"') { q = 1; continue; }
        if (ch == ',' || ch == '\0') {
            f[n][k] = '\0';
            n++;
            k = 0;
            if (ch == '\0' || n == max)
                break;
            continue;
        }
        if (k < 127)
            f[n][k++] = ch;
    }
    return n;
}

enum { MAXF = 80 };

typedef struct want {
    const char *col;       /* header names to match */
    const char *val;
} want;

/* The `out_col` cell of the first data line whose named columns all equal
 * the wanted values, found without the program's reader. */
static int scan(const char *path, const want *w, size_t nw,
                const char *out_col, char *out)
{
    size_t len;
    char *buf = tu_slurp(path, &len);
    assert_non_null(buf);
    char (*f)[128] = malloc(MAXF * sizeof *f);
    char *save = NULL;
    char *line = strtok_r(buf, "\n", &save);
    /* header, without its UTF-8 BOM */
    if ((unsigned char)line[0] == 0xEF)
        line += 3;
    char (*h)[128] = malloc(MAXF * sizeof *h);
    size_t nh = split(line, h, MAXF);
    int found = 0;
    while (!found && (line = strtok_r(NULL, "\n", &save))) {
        size_t n = split(line, f, MAXF);
        int ok = 1;
        for (size_t i = 0; i < nw && ok; i++) {
            ok = 0;
            for (size_t j = 0; j < nh && j < n; j++)
                if (strcmp(h[j], w[i].col) == 0 && strcmp(f[j], w[i].val) == 0)
                    ok = 1;
        }
        if (!ok)
            continue;
        for (size_t j = 0; j < nh && j < n; j++)
            if (strcmp(h[j], out_col) == 0) {
                strcpy(out, f[j]);
                found = 1;
            }
    }
    free(h);
    free(f);
    free(buf);
    return found;
}

static char *src_path(const char *shared, const char *rel)
{
    return rp_xasprintf("%s/realdata/uk/%s", shared, rel);
}

static const ees_row *row_for(const ees_result *r, rp_period p)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (rp_period_cmp(r->rows[i].period, p) == 0)
            return &r->rows[i];
    return NULL;
}

static void test_timeliness_staffordshire(void **state)
{
    (void)state;
    TU_NEED_SHARED(shared);
    char *path = src_path(shared, "dfe_ehcp_sen2_2025/"
                          "timeliness_20_week__subset_All_EHC_plans_issued.csv");
    const char *col = "pc_plans_issued_within_20_weeks";
    char la[128], nat[128], reg[128], region[128];
    want wl[] = { { "time_period", "2024" }, { "geographic_level", "Local authority" },
                  { "la_name", "Staffordshire" } };
    assert_true(scan(path, wl, 3, col, la));
    assert_true(scan(path, wl, 3, "region_code", region));
    want wn[] = { { "time_period", "2024" }, { "geographic_level", "National" } };
    assert_true(scan(path, wn, 2, col, nat));
    want wr[] = { { "time_period", "2024" }, { "geographic_level", "Regional" },
                  { "region_code", region } };
    assert_true(scan(path, wr, 3, col, reg));
    /* Staffordshire is in the West Midlands. */
    want wrn[] = { { "region_code", region }, { "geographic_level", "Regional" } };
    char rname[128];
    assert_true(scan(path, wrn, 2, "region_name", rname));
    assert_string_equal(rname, "West Midlands");

    rp_errors errs;
    rp_errors_init(&errs);
    input_csv c;
    assert_int_equal(input_csv_read(path, &c, &errs), 0);
    ees_options o = { .la = "E10000028", .column = col };
    ees_result r;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), 0);
    assert_string_equal(r.la_name, "Staffordshire");
    rp_period p = { RP_PER_CYEAR, 2024, 0 };
    const ees_row *e = row_for(&r, p);
    assert_non_null(e);
    assert_string_equal(e->value, la);
    assert_string_equal(e->national, nat);
    assert_string_equal(e->regional, reg);
    /* The council differs from England, so the national came from
     * another row. */
    assert_string_not_equal(e->value, e->national);
    /* Every year of the file, in order, each a calendar year. */
    assert_true(r.nrows >= 5);
    for (size_t i = 0; i < r.nrows; i++) {
        assert_int_equal(r.rows[i].period.kind, RP_PER_CYEAR);
        if (i)
            assert_true(rp_period_cmp(r.rows[i - 1].period, r.rows[i].period) < 0);
    }
    ees_result_free(&r);
    input_csv_free(&c);
    rp_errors_free(&errs);
    free(path);
}

static void test_caseload_academic_years(void **state)
{
    (void)state;
    TU_NEED_SHARED(shared);
    char *path = src_path(shared, "dfe_ehcp_sen2_2025/"
                          "caseload__subset_All_EHC_plans.csv");
    char la[128];
    want wl[] = { { "time_period", "202425" }, { "geographic_level", "Local authority" },
                  { "old_la_code", "860" } };
    assert_true(scan(path, wl, 3, "ehcplans", la));

    rp_errors errs;
    rp_errors_init(&errs);
    input_csv c;
    assert_int_equal(input_csv_read(path, &c, &errs), 0);
    ees_options o = { .la = "860", .column = "ehcplans" };
    ees_result r;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), 0);
    rp_period p = { RP_PER_AYEAR, 2024, 0 };
    const ees_row *e = row_for(&r, p);
    assert_non_null(e);
    assert_string_equal(e->value, la);
    char buf[32];
    for (size_t i = 0; i < r.nrows; i++) {
        assert_int_equal(r.rows[i].period.kind, RP_PER_AYEAR);
        rp_period_format(r.rows[i].period, buf, sizeof buf);
        assert_memory_equal(buf, "AY ", 3);
    }
    /* 2024/25 as a financial year must not be there. */
    assert_null(row_for(&r, rp_fyear(2024)));
    ees_result_free(&r);
    input_csv_free(&c);
    rp_errors_free(&errs);
    free(path);
}

static void test_cla_rate_with_filter(void **state)
{
    (void)state;
    TU_NEED_SHARED(shared);
    char *path = src_path(shared, "dfe_childrens_social_care/"
                          "cla_number_and_rate_per_10k_children.csv");
    const char *pop = "Children looked after on 31 March each year";
    char la[128], nat[128], reg[128];
    want wl[] = { { "time_period", "2025" }, { "geographic_level", "Local authority" },
                  { "new_la_code", "E10000028" }, { "population_type", pop } };
    assert_true(scan(path, wl, 4, "rate_per_10000", la));
    want wn[] = { { "time_period", "2025" }, { "geographic_level", "National" },
                  { "population_type", pop } };
    assert_true(scan(path, wn, 3, "rate_per_10000", nat));
    want wr[] = { { "time_period", "2025" }, { "geographic_level", "Regional" },
                  { "region_name", "West Midlands" }, { "population_type", pop } };
    assert_true(scan(path, wr, 4, "rate_per_10000", reg));

    rp_errors errs;
    rp_errors_init(&errs);
    input_csv c;
    assert_int_equal(input_csv_read(path, &c, &errs), 0);

    /* Without the filter three population types share each year. */
    ees_options o = { .la = "staffordshire", .column = "rate_per_10000" };
    ees_result r;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), -1);
    int named = 0;
    for (size_t i = 0; i < errs.n; i++)
        if (strstr(errs.v[i].message, "population_type"))
            named = 1;
    assert_true(named);
    rp_errors_free(&errs);
    rp_errors_init(&errs);

    char *flt = rp_xasprintf("population_type=%s", pop);
    const char *filters[] = { flt };
    o.filters = filters;
    o.nfilters = 1;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), 0);
    assert_int_equal(errs.nerrors, 0);
    const ees_row *e = row_for(&r, rp_fyear(2024));   /* reporting year 2025 */
    assert_non_null(e);
    assert_string_equal(e->value, la);
    assert_string_equal(e->national, nat);
    assert_string_equal(e->regional, reg);
    ees_result_free(&r);
    free(flt);
    input_csv_free(&c);
    rp_errors_free(&errs);
    free(path);
}

/* ---- errors, markers and writing, on small inline files -------------- */

static const char MINI[] =
    "time_period,time_identifier,geographic_level,country_code,region_code,"
    "region_name,new_la_code,old_la_code,la_name,score\n"
    "202324,Financial year,National,E92000001,,,,,,50.5\n"
    "202324,Financial year,Regional,E92000001,E12000005,West Midlands,,,,c\n"
    "202324,Financial year,Local authority,E92000001,E12000005,West Midlands,"
    "E10000028,860,Staffordshire,low\n"
    "202425,Financial year,National,E92000001,,,,,,51\n"
    "202425,Financial year,Local authority,E92000001,E12000005,West Midlands,"
    "E10000028,860,Staffordshire,42.10\n";

static void test_unknown_la_and_markers(void **state)
{
    (void)state;
    rp_errors errs;
    rp_errors_init(&errs);
    input_csv c;
    assert_int_equal(input_csv_parse("mini.csv", MINI, sizeof MINI - 1, &c, &errs), 0);
    ees_options o = { .la = "Narnia", .column = "score" };
    ees_result r;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), -1);
    assert_true(errs.nerrors >= 1);
    assert_non_null(strstr(errs.v[0].message, "Narnia"));
    rp_errors_free(&errs);

    rp_errors_init(&errs);
    o.column = "no_such_column";
    o.la = "860";
    assert_int_equal(ees_extract(&c, &o, &r, &errs), -1);
    assert_string_equal(errs.v[0].column, "no_such_column");
    rp_errors_free(&errs);

    rp_errors_init(&errs);
    o.column = "score";
    assert_int_equal(ees_extract(&c, &o, &r, &errs), 0);
    assert_int_equal(r.nrows, 2);
    assert_string_equal(r.rows[0].value, "low");     /* markers kept */
    assert_string_equal(r.rows[0].regional, "c");
    assert_string_equal(r.rows[0].national, "50.5");
    assert_string_equal(r.rows[1].value, "42.10");   /* as typed */
    assert_string_equal(r.rows[1].regional, "");     /* no regional row */
    assert_int_equal(errs.nwarnings, 1);
    ees_result_free(&r);
    input_csv_free(&c);
    rp_errors_free(&errs);
}

static void test_bad_number_and_period(void **state)
{
    (void)state;
    static const char BAD[] =
        "time_period,time_identifier,geographic_level,region_code,la_name,v\n"
        "2024,Calendar year,Local authority,E1,Kent,12..5\n"
        "2024,Spring term,Local authority,E1,Kent,3\n";
    rp_errors errs;
    rp_errors_init(&errs);
    input_csv c;
    assert_int_equal(input_csv_parse("bad.csv", BAD, sizeof BAD - 1, &c, &errs), 0);
    ees_options o = { .la = "Kent", .column = "v" };
    ees_result r;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), -1);
    int num = 0, per = 0;
    for (size_t i = 0; i < errs.n; i++) {
        if (errs.v[i].sev != RP_SEV_ERROR)
            continue;
        if (errs.v[i].line == 2 && strstr(errs.v[i].message, "12..5"))
            num = 1;
        if (errs.v[i].line == 3 && strstr(errs.v[i].message, "Spring term"))
            per = 1;
    }
    assert_true(num);
    assert_true(per);
    input_csv_free(&c);
    rp_errors_free(&errs);
}

static void test_write_merges(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_ee.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *kpath = rp_xasprintf("%s/kpi.csv", dir);
    char *mpath = rp_xasprintf("%s/measures.csv", dir);
    /* An existing folder: another measure, and a target set by hand on
     * the imported measure's 2023/24 row. */
    FILE *fp = fopen(kpath, "w");
    fputs("measure,period,value,target\n"
          "OTHER,2023/24 Q1,1,2\n"
          "score,2023-24,99,60\n", fp);
    fclose(fp);
    fp = fopen(mpath, "w");
    fputs("id,title,service_area,unit,polarity\n"
          "OTHER,Other,Place,count,higher\n"
          "score,My score,Children,percent,higher\n", fp);
    fclose(fp);

    rp_errors errs;
    rp_errors_init(&errs);
    input_csv c;
    assert_int_equal(input_csv_parse("mini.csv", MINI, sizeof MINI - 1, &c, &errs), 0);
    ees_options o = { .la = "Staffordshire", .column = "score", .out_dir = dir };
    ees_result r;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), 0);
    /* Twice: the second import replaces, never duplicates. */
    assert_int_equal(ees_write(&o, &r, &errs), 0);
    assert_int_equal(ees_write(&o, &r, &errs), 0);

    input_csv k;
    assert_int_equal(input_csv_read(kpath, &k, &errs), 0);
    assert_int_equal(k.nrecs, 1 + 3);   /* OTHER + two imported periods */
    int cm = input_csv_column(&k, "measure"), cp = input_csv_column(&k, "period");
    int cv = input_csv_column(&k, "value"), ct = input_csv_column(&k, "target");
    int cn = input_csv_column(&k, "national");
    assert_true(cm >= 0 && cp >= 0 && cv >= 0 && ct >= 0 && cn >= 0);
    assert_string_equal(k.recs[1].fields[cm], "OTHER");
    assert_string_equal(k.recs[1].fields[ct], "2");
    assert_string_equal(k.recs[2].fields[cp], "2023/24");
    assert_string_equal(k.recs[2].fields[cv], "low");
    assert_string_equal(k.recs[2].fields[ct], "60");      /* target kept */
    assert_string_equal(k.recs[2].fields[cn], "50.5");
    assert_string_equal(k.recs[3].fields[cp], "2024/25");
    assert_string_equal(k.recs[3].fields[cv], "42.10");
    input_csv_free(&k);

    input_csv m;
    assert_int_equal(input_csv_read(mpath, &m, &errs), 0);
    assert_int_equal(m.nrecs, 3);
    int ct2 = input_csv_column(&m, "title"), ca = input_csv_column(&m, "annual");
    assert_string_equal(m.recs[2].fields[ct2], "My score");   /* kept */
    assert_true(ca >= 0);
    input_csv_free(&m);

    ees_result_free(&r);
    input_csv_free(&c);
    rp_errors_free(&errs);
    unlink(kpath);
    unlink(mpath);
    rmdir(dir);
    free(kpath);
    free(mpath);
}

/* The option checks the command line reports as usage errors. */
static void test_options_check(void **state)
{
    (void)state;
    char why[256];
    ees_options o = { .la = "860", .column = "pc_x" };
    assert_int_equal(ees_options_check(&o, why, sizeof why), 0);
    o.unit = "furlongs";
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, "--unit \"furlongs\""));
    o.unit = "percent";
    o.polarity = "up";
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, "--polarity"));
    o.polarity = NULL;
    o.annual = "median";
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    o.annual = NULL;
    o.column = "a column";      /* not a valid measure id without --measure */
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, "--measure"));
    o.measure = "A_COLUMN";
    assert_int_equal(ees_options_check(&o, why, sizeof why), 0);
    o.la = NULL;
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, "--la"));
}

/* ees_import_run: read, extract and write in one call, as the command
 * line drives it; a missing file is an error naming it, nothing written. */
static void test_import_run(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_ee_run.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *src = rp_xasprintf("%s/ees.csv", dir);
    FILE *fp = fopen(src, "w");
    assert_non_null(fp);
    fwrite(MINI, 1, sizeof MINI - 1, fp);
    fclose(fp);
    ees_options o = { .la = "Staffordshire", .column = "score", .out_dir = dir };
    rp_errors errs;
    rp_errors_init(&errs);
    ees_result r;
    assert_int_equal(ees_import_run(src, &o, &r, &errs), 0);
    assert_true(r.nrows >= 1);
    assert_string_equal(r.la_name, "Staffordshire");
    ees_result_free(&r);
    char *kpath = rp_xasprintf("%s/kpi.csv", dir);
    assert_int_equal(access(kpath, F_OK), 0);
    char *missing = rp_xasprintf("%s/nope.csv", dir);
    assert_int_equal(ees_import_run(missing, &o, &r, &errs), -1);
    assert_true(errs.nerrors >= 1);
    assert_string_equal(errs.v[errs.n - 1].file, missing);
    rp_errors_free(&errs);
    free(missing);
    free(kpath);
    free(src);
    rp_rm_rf(dir);
}

/* ---- issue 8 point 11 and issue 12 point 3, on a small file shaped like
 * DfE's children-looked-after file: a BOM, three population types per
 * council and year, suppressed cells, two regions ------------------------ */

#define POP_A "Children looked after on 31 March each year"
#define POP_B "Children starting to be looked after each year"
#define HEAD "\xEF\xBB\xBFtime_period,time_identifier,geographic_level," \
    "country_code,country_name,region_code,region_name,new_la_code," \
    "old_la_code,la_name,population_type,children_count,rate_per_10000," \
    "NEET_pc\r\n"
/* region: "code,name"; la: "new_code,old_code,name" */
#define ROW(tp, gl, region, la, pop, n, r) \
    tp ",Reporting year," gl ",E92000001,England," region "," la "," pop \
    "," n "," r ",5.6\r\n"
#define WM "E12000005,West Midlands"
#define EM "E12000004,East Midlands"
#define LA(tp, rg, nc, oc, name, pop, n, r) \
    ROW(tp, "Local authority", rg, nc "," oc "," name, pop, n, r)

static const char CLA[] =
    HEAD
    ROW("2025", "National", ",", ",,", POP_A, "81770", "67")
    ROW("2025", "National", ",", ",,", POP_B, "30000", "25")
    ROW("2025", "Regional", WM, ",,", POP_A, "11560", "86")
    ROW("2025", "Regional", WM, ",,", POP_B, "4000", "30")
    ROW("2025", "Regional", EM, ",,", POP_A, "6000", "60")
    ROW("2025", "Regional", EM, ",,", POP_B, "2000", "20")
    LA("2025", WM, "E10000028", "860", "Staffordshire", POP_A, "1306", "75")
    LA("2025", WM, "E10000028", "860", "Staffordshire", POP_B, "400", "23")
    LA("2025", EM, "E10000007", "830", "Derbyshire", POP_A, "900", "60")
    LA("2025", EM, "E10000007", "830", "Derbyshire", POP_B, "300", "20")
    LA("2025", WM, "E06000051", "893", "Shropshire", POP_A, "500", "75")
    LA("2025", WM, "E06000051", "893", "Shropshire", POP_B, "200", "30")
    LA("2025", WM, "E06000020", "894", "Telford and Wrekin", POP_A, "c", "c")
    LA("2025", WM, "E06000020", "894", "Telford and Wrekin", POP_B, "c", "c")
    LA("2025", EM, "E10000024", "891", "Nottinghamshire", POP_A, "1100", "90")
    LA("2025", EM, "E10000024", "891", "Nottinghamshire", POP_B, "350", "28")
    LA("2025", EM, "E10000018", "855", "Leicestershire", POP_A, "1200", "100")
    LA("2025", EM, "E10000018", "855", "Leicestershire", POP_B, "380", "31")
    ROW("2024", "National", ",", ",,", POP_A, "83530", "69")
    ROW("2024", "Regional", WM, ",,", POP_A, "11910", "89")
    LA("2024", WM, "E10000028", "860", "Staffordshire", POP_A, "1307", "x")
    LA("2024", EM, "E10000007", "830", "Derbyshire", POP_A, "880", "59");

/* Missing filters: one error naming the filter column and its values,
 * never the value columns; no "no National row" warning besides it. */
static void test_missing_filter_names_filters(void **state)
{
    (void)state;
    rp_errors errs;
    rp_errors_init(&errs);
    input_csv c;
    assert_int_equal(input_csv_parse("cla.csv", CLA, sizeof CLA - 1, &c, &errs), 0);
    ees_options o = { .la = "Staffordshire", .column = "rate_per_10000" };
    ees_result r;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), -1);
    assert_int_equal(errs.nerrors, 1);
    assert_int_equal(errs.nwarnings, 0);
    const char *msg = errs.v[0].message;
    assert_non_null(strstr(msg, "population_type"));
    assert_non_null(strstr(msg, "\"" POP_A "\""));
    assert_non_null(strstr(msg, "\"" POP_B "\""));
    assert_non_null(strstr(msg, "--filter"));
    assert_null(strstr(msg, "children_count"));
    assert_null(strstr(msg, "NEET_pc"));
    assert_int_equal(errs.v[0].line, 8);     /* Staffordshire's first row */
    input_csv_free(&c);
    rp_errors_free(&errs);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* Rank among the file's LAs (ties shared, suppressed excluded), the
 * neighbours' mean, the region's name; then written by polarity. */
static void test_rank_neighbours_region(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_ee_rank.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *nbpath = rp_xasprintf("%s/nb.txt", dir);
    /* by name, old code and new code; Telford is suppressed */
    write_file(nbpath, "# Staffordshire's neighbours\nDerbyshire\n\n893\nE06000020\n");
    rp_errors errs;
    rp_errors_init(&errs);
    ees_neighbours nb;
    assert_int_equal(ees_neighbours_read(nbpath, &nb, &errs), 0);
    assert_int_equal(nb.n, 3);
    assert_int_equal(nb.lines[1], 4);
    input_csv c;
    assert_int_equal(input_csv_parse("cla.csv", CLA, sizeof CLA - 1, &c, &errs), 0);
    const char *flt[] = { "population_type=" POP_A };
    ees_options o = { .la = "860", .column = "rate_per_10000", .filters = flt,
                      .nfilters = 1, .neighbours = &nb, .out_dir = dir,
                      .polarity = "lower", .measure = "CLA_RATE" };
    ees_result r;
    assert_int_equal(ees_extract(&c, &o, &r, &errs), 0);
    assert_int_equal(r.nrows, 2);
    const ees_row *y25 = &r.rows[1], *y24 = &r.rows[0];
    /* 2025: 75 among 60, 75, c, 90, 100 → five ranked */
    assert_int_equal(y25->ranked, 5);
    assert_int_equal(ees_rank(y25, "lower"), 2);   /* only 60 is lower */
    assert_int_equal(ees_rank(y25, "higher"), 3);  /* 90 and 100 above; the
                                                      tie with 75 shares */
    assert_int_equal(ees_rank(y25, "none"), 0);
    assert_string_equal(y25->neighbours, "67.5");  /* (60 + 75) / 2 */
    assert_string_equal(y25->region, "West Midlands");
    assert_string_equal(y25->national, "67");
    assert_string_equal(y25->regional, "86");
    /* 2024: the council's own value is suppressed: not ranked */
    assert_int_equal(y24->ranked, 0);
    assert_int_equal(ees_rank(y24, "lower"), 0);
    assert_string_equal(y24->neighbours, "59.0");  /* Derbyshire alone */

    assert_int_equal(ees_write(&o, &r, &errs), 0);
    char *kpath = rp_xasprintf("%s/kpi.csv", dir);
    input_csv k;
    assert_int_equal(input_csv_read(kpath, &k, &errs), 0);
    int crk = input_csv_column(&k, "rank"), crd = input_csv_column(&k, "ranked");
    int cnb = input_csv_column(&k, "neighbours"), crg = input_csv_column(&k, "region");
    assert_true(crk >= 0 && crd >= 0 && cnb >= 0 && crg >= 0);
    assert_int_equal(k.nrecs, 3);
    assert_string_equal(k.recs[2].fields[crk], "2");
    assert_string_equal(k.recs[2].fields[crd], "5");
    assert_string_equal(k.recs[1].fields[crk], "");
    assert_string_equal(k.recs[1].fields[crd], "");
    assert_string_equal(k.recs[2].fields[cnb], "67.5");
    assert_string_equal(k.recs[2].fields[crg], "West Midlands");
    input_csv_free(&k);
    ees_result_free(&r);

    /* an unknown neighbour is an error at its line of the list */
    write_file(nbpath, "Derbyshire\nNarnia\n");
    ees_neighbours_free(&nb);
    assert_int_equal(ees_neighbours_read(nbpath, &nb, &errs), 0);
    rp_errors_free(&errs);
    rp_errors_init(&errs);
    assert_int_equal(ees_extract(&c, &o, &r, &errs), -1);
    assert_int_equal(errs.nerrors, 1);
    assert_string_equal(errs.v[0].file, nbpath);
    assert_int_equal(errs.v[0].line, 2);
    assert_non_null(strstr(errs.v[0].message, "Narnia"));
    ees_neighbours_free(&nb);
    input_csv_free(&c);
    rp_errors_free(&errs);
    free(kpath);
    free(nbpath);
    rp_rm_rf(dir);
}

/* Several columns in one call, each its own measure; the options paired
 * in order; -o's folder made when absent; a NEET column's year_ends. */
static void test_several_columns(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_ee_cols.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *src = rp_xasprintf("%s/cla.csv", dir);
    char *out = rp_xasprintf("%s/new/folder", dir);
    FILE *fp = fopen(src, "w");
    assert_non_null(fp);
    fwrite(CLA, 1, sizeof CLA - 1, fp);
    fclose(fp);
    const char *cols[] = { "rate_per_10000", "children_count", "NEET_pc" };
    const char *ids[] = { "CLA_RATE", "CLA_N", "NEET" };
    const char *units[] = { "rate", "count", "percent" };
    const char *pols[] = { "lower" };
    const char *flt[] = { "population_type=" POP_A };
    ees_options o = { .la = "Staffordshire", .filters = flt, .nfilters = 1,
                      .out_dir = out,
                      .columns = { cols, 3 }, .measures = { ids, 3 },
                      .units = { units, 3 }, .polarities = { pols, 1 } };
    char why[256];
    assert_int_equal(ees_options_check(&o, why, sizeof why), 0);
    assert_int_equal(ees_options_count(&o), 3);
    ees_options one;
    ees_options_pick(&o, 1, &one);
    assert_string_equal(one.column, "children_count");
    assert_string_equal(one.measure, "CLA_N");
    assert_string_equal(one.unit, "count");
    assert_string_equal(one.polarity, "lower");     /* one for all */

    rp_errors errs;
    rp_errors_init(&errs);
    ees_result res[3];
    assert_int_equal(ees_import_run(src, &o, res, &errs), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(res[i].nrows, 2);
        ees_result_free(&res[i]);
    }
    char *mpath = rp_xasprintf("%s/measures.csv", out);
    input_csv m;
    assert_int_equal(input_csv_read(mpath, &m, &errs), 0);
    assert_int_equal(m.nrecs, 4);
    int cid = input_csv_column(&m, "id"), cu = input_csv_column(&m, "unit");
    int cy = input_csv_column(&m, "year_ends");
    assert_true(cid >= 0 && cu >= 0 && cy >= 0);
    for (size_t i = 1; i < 4; i++) {
        assert_string_equal(m.recs[i].fields[cid], ids[i - 1]);
        assert_string_equal(m.recs[i].fields[cu], units[i - 1]);
        /* DfE's NEET figure is the December–February average */
        assert_string_equal(m.recs[i].fields[cy], i == 3 ? "Feb" : "");
    }
    input_csv_free(&m);

    /* --year-ends on a re-import: the month's name, written as Jan…Dec */
    o.year_ends = "march";
    assert_int_equal(ees_options_check(&o, why, sizeof why), 0);
    assert_int_equal(ees_import_run(src, &o, res, &errs), 0);
    for (int i = 0; i < 3; i++)
        ees_result_free(&res[i]);
    assert_int_equal(input_csv_read(mpath, &m, &errs), 0);
    cy = input_csv_column(&m, "year_ends");
    for (size_t i = 1; i < 4; i++)
        assert_string_equal(m.recs[i].fields[cy], "Mar");
    input_csv_free(&m);
    assert_int_equal(errs.nerrors, 0);

    /* pairing mistakes are usage errors */
    o.year_ends = "Febuary";
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, "--year-ends"));
    o.year_ends = NULL;
    o.measures.n = 2;
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, "--measure"));
    o.measures.n = 0;
    o.polarities.n = 0;
    o.units.n = 2;
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, "--unit"));
    o.units.n = 1;
    const char *same[] = { "X", "X", "Y" };
    o.measures.v = same;
    o.measures.n = 3;
    assert_int_equal(ees_options_check(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, "twice"));

    /* one bad column: nothing written for any */
    const char *bad[] = { "rate_per_10000", "no_such" };
    o.columns.v = bad;
    o.columns.n = 2;
    o.measures.n = 0;
    o.out_dir = dir;
    assert_int_equal(ees_import_run(src, &o, res, &errs), -1);
    char *k2 = rp_xasprintf("%s/kpi.csv", dir);
    assert_int_equal(access(k2, F_OK), -1);
    free(k2);
    rp_errors_free(&errs);
    free(mpath);
    free(out);
    free(src);
    rp_rm_rf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_map),
        cmocka_unit_test(test_timeliness_staffordshire),
        cmocka_unit_test(test_caseload_academic_years),
        cmocka_unit_test(test_cla_rate_with_filter),
        cmocka_unit_test(test_unknown_la_and_markers),
        cmocka_unit_test(test_bad_number_and_period),
        cmocka_unit_test(test_write_merges),
        cmocka_unit_test(test_options_check),
        cmocka_unit_test(test_import_run),
        cmocka_unit_test(test_missing_filter_names_filters),
        cmocka_unit_test(test_rank_neighbours_region),
        cmocka_unit_test(test_several_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
