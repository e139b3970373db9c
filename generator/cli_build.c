/* cli_build.c — `ragpack build`, `check` and `trend`: options → the build
 * module's option structs (build.h). */
#include "cli.h"
#include "build.h"

#include <stdlib.h>
#include <string.h>

/* The options build and check share, as getopt_long sees them. */
enum { OPT_PDF = 256, OPT_FORCE, OPT_COMMITTEE, OPT_MEETING_DATE, OPT_TITLE,
       OPT_CHART_FILES };

/* --chart-files WORD into *out: -1 to go on, else the usage error. */
static int chart_files_arg(const char *cmd, const char *arg, rp_chart_files *out)
{
    int v = rp_chart_files_parse(arg);
    if (v < 0)
        return cli_usage_error(cmd, "--chart-files '%s': give all, png, svg "
                               "or none", arg);
    *out = (rp_chart_files)v;
    return -1;
}
/* What every pack-making command takes: which template, input, period,
 * output folder, fonts and chart files. */
#define PACK_LONGOPTS                                                  \
    { "template", required_argument, 0, 't' },                         \
    { "input", required_argument, 0, 'i' },                            \
    { "period", required_argument, 0, 'p' },                           \
    { "output", required_argument, 0, 'o' },                           \
    { "fonts", required_argument, 0, 'f' },                            \
    { "chart-files", required_argument, 0, OPT_CHART_FILES }

static const struct option build_longopts[] = {
    PACK_LONGOPTS,
    { "committee", required_argument, 0, OPT_COMMITTEE },
    { "meeting-date", required_argument, 0, OPT_MEETING_DATE },
    { "title", required_argument, 0, OPT_TITLE },
    { "json", no_argument, 0, 'j' },
    { "help", no_argument, 0, 'h' },
    { 0, 0, 0, 0 }
};

/* Parse build's (or check's, with json) options into o. Returns -1 to go
 * on, else the exit status (help or a usage error). */
static int build_args(const char *cmd, int argc, char **argv, build_options *o,
                      int *json)
{
    build_options_default(o);
    const char *opts = json ? ":t:i:p:o:f:jh" : ":t:i:p:o:f:h";
    int c;
    while ((c = getopt_long(argc, argv, opts, build_longopts, NULL)) != -1) {
        switch (c) {
        case 't': o->template_path = optarg; break;
        case 'i': o->input_dir = optarg; break;
        case 'p': o->period = optarg; break;
        case 'o': o->out_dir = optarg; break;
        case 'f': o->fonts_dir = optarg; break;
        case OPT_COMMITTEE: o->committee = optarg; break;
        case OPT_MEETING_DATE: o->meeting_date = optarg; break;
        case OPT_TITLE: o->title = optarg; break;
        case OPT_CHART_FILES: {
            int rc = chart_files_arg(cmd, optarg, &o->chart_files);
            if (rc >= 0)
                return rc;
            break;
        }
        case 'j':
            if (!json)
                return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
            *json = 1;
            break;
        case 'h': return cli_help(cmd);
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return -1;
}

/* build_args, then the template found by name (a bare name is looked up
 * among the installed ones): *tmpl, for the caller to free. */
static int pack_args(const char *cmd, int argc, char **argv, build_options *o,
                     int *json, char **tmpl)
{
    int rc = build_args(cmd, argc, argv, o, json);
    if (rc >= 0)
        return rc;
    *tmpl = build_find_template(o->template_path);
    o->template_path = *tmpl;
    return -1;
}

int cli_build(int argc, char **argv)
{
    build_options o;
    char *tmpl = NULL;
    int rc = pack_args("build", argc, argv, &o, NULL, &tmpl);
    if (rc >= 0)
        return rc;
    rp_errors errs;
    rp_errors_init(&errs);
    build_result res;
    cli_catch_stop_signals();
    if (build_pack(&o, &res, &errs) != 0) {
        free(tmpl);
        return cli_finish(&errs, 1, "no pack written; the last good pack, if "
                          "any, is unchanged");
    }
    printf("%s (%d pages, %ld bytes)\n%s (the HTML twin)\n%s/ (ratings.csv, "
           "finance.csv, trends.csv, the .xlsx workbook%s)\n", res.pdf_path,
           res.pages, res.bytes, res.html_path, res.figures_dir,
           res.chart_files == RP_CHART_FILES_NONE ? "" : ", charts/");
    build_result_free(&res);
    free(tmpl);
    return cli_finish(&errs, 0, NULL);
}

static void json_diagnostics(const rp_errors *errs, rp_sev sev)
{
    int first = 1;
    fputc('[', stdout);
    for (size_t i = 0; i < errs->n; i++) {
        const rp_error *e = &errs->v[i];
        if (e->sev != sev)
            continue;
        fputs(first ? "{\"file\":" : ",{\"file\":", stdout);
        rp_json_string(stdout, e->file);
        printf(",\"line\":%ld,\"column\":", e->line);
        rp_json_string(stdout, e->column);
        fputs(",\"message\":", stdout);
        rp_json_string(stdout, e->message);
        fputc('}', stdout);
        first = 0;
    }
    fputc(']', stdout);
}

static void check_json(const build_options *o, const build_result *res,
                       const rp_errors *errs)
{
    char per[32];
    int ok = errs->nerrors == 0;
    printf("{\"ok\":%s,\"template\":", ok ? "true" : "false");
    rp_json_string(stdout, o->template_path);
    fputs(",\"input\":", stdout);
    rp_json_string(stdout, o->input_dir);
    fputs(",\"period\":", stdout);
    rp_json_string(stdout, ok ? rp_period_format(res->period, per, sizeof per) : NULL);
    fputs(",\"pdf\":", stdout);
    rp_json_string(stdout, ok ? res->pdf_path : NULL);
    fputs(",\"html\":", stdout);
    rp_json_string(stdout, ok ? res->html_path : NULL);
    fputs(",\"figures\":", stdout);
    rp_json_string(stdout, ok ? res->figures_dir : NULL);
    fputs(",\"errors\":", stdout);
    json_diagnostics(errs, RP_SEV_ERROR);
    fputs(",\"warnings\":", stdout);
    json_diagnostics(errs, RP_SEV_WARNING);
    fputs("}\n", stdout);
}

int cli_check(int argc, char **argv)
{
    build_options o;
    int json = 0;
    char *tmpl = NULL;
    int rc = pack_args("check", argc, argv, &o, &json, &tmpl);
    if (rc >= 0)
        return rc;
    rp_errors errs;
    rp_errors_init(&errs);
    build_result res;
    rc = build_check(&o, &res, &errs) == 0 ? 0 : 1;
    if (json) {
        check_json(&o, &res, &errs);
        rp_errors_free(&errs);
    } else {
        if (rc == 0)
            printf("%s: no errors, %zu warning%s; build would write %s, "
                   "%s and %s/\n", o.input_dir, errs.nwarnings,
                   errs.nwarnings == 1 ? "" : "s", res.pdf_path,
                   res.html_path, res.figures_dir);
        rc = cli_finish(&errs, rc, rc ? "a build would fail" : NULL);
    }
    if (rc == 0)
        build_result_free(&res);
    free(tmpl);
    return rc;
}

static const struct option trend_longopts[] = {
    PACK_LONGOPTS,
    { "measure", required_argument, 0, 'm' },
    { "service-area", required_argument, 0, 'a' },
    { "pdf", required_argument, 0, OPT_PDF },
    { "years", required_argument, 0, 'y' },
    { "by", required_argument, 0, 'b' },
    { "force", no_argument, 0, OPT_FORCE },
    { "help", no_argument, 0, 'h' },
    { 0, 0, 0, 0 }
};

/* `-o X.pdf` was the PDF's name before -o meant a folder everywhere. */
static int is_pdf_name(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && rp_strcaseeq(s + n - 4, ".pdf");
}

/* Returns -1 to go on, else the exit status. ids must hold argc entries.
 * A relative --pdf with -o DIR is put in DIR (*joined, owned): neither
 * option is dropped. */
static int trend_args(int argc, char **argv, build_trend_options *o,
                      const char **ids, char **joined)
{
    int c, dir_given = 0;
    while ((c = getopt_long(argc, argv, ":m:a:i:t:p:o:y:b:f:h", trend_longopts,
                            NULL)) != -1) {
        switch (c) {
        case 'm': ids[o->nmeasures++] = optarg; break;
        case 'a': o->service_area = optarg; break;
        case 'i': o->input_dir = optarg; break;
        case 't': o->template_path = optarg; break;
        case 'p': o->period = optarg; break;
        case 'o':
            if (is_pdf_name(optarg)) {
                o->out_path = optarg;
            } else {
                o->out_dir = optarg;
                dir_given = 1;
            }
            break;
        case OPT_PDF: o->out_path = optarg; break;
        case 'f': o->fonts_dir = optarg; break;
        case OPT_FORCE: o->force = 1; break;
        case OPT_CHART_FILES: {
            int rc = chart_files_arg("trend", optarg, &o->chart_files);
            if (rc >= 0)
                return rc;
            break;
        }
        case 'y':
            if (cli_int(optarg, 2, 10, &o->years) != 0)
                return cli_usage_error("trend", "--years '%s': give 2 to 10", optarg);
            break;
        case 'b':
            o->by = build_trend_by(optarg);
            if (o->by < 0)
                return cli_usage_error("trend", "--by '%s': give quarter or year",
                                       optarg);
            break;
        case 'h': return cli_help("trend");
        default: return cli_bad_option("trend", c, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("trend", "unexpected argument '%s'", argv[optind]);
    if (dir_given && o->out_path && o->out_path[0] != '/')
        o->out_path = *joined = rp_xasprintf("%s/%s", o->out_dir, o->out_path);
    return -1;
}

int cli_trend(int argc, char **argv)
{
    build_trend_options o;
    build_trend_options_default(&o);
    /* -m values point into argv, which outlives the build */
    const char **ids = calloc((size_t)argc + 1, sizeof *ids);
    if (!ids)
        return 1;
    o.measures = ids;
    char *joined = NULL;
    int rc = trend_args(argc, argv, &o, ids, &joined);
    if (rc >= 0) {
        free(ids);
        free(joined);
        return rc;
    }
    char *tmpl = build_find_template(o.template_path);
    o.template_path = tmpl;
    rp_errors errs;
    rp_errors_init(&errs);
    build_result res;
    cli_catch_stop_signals();
    rc = build_trend(&o, &res, &errs);
    free(ids);
    free(tmpl);
    free(joined);
    if (rc == BUILD_TREND_NO_MEASURES) {
        rp_errors_print(&errs, stderr);
        rp_errors_free(&errs);
        return cli_usage_error("trend", "no measures selected: give -m MEASURE "
                               "or --service-area AREA, or list measures in the "
                               "template's trends section");
    }
    if (rc != 0)
        return cli_finish(&errs, 1, "no trend pack written; the last good one, "
                          "if any, is unchanged");
    printf("%s (%d pages, %ld bytes)\n%s (the HTML twin)\n%s/ (trends.csv%s)\n",
           res.pdf_path, res.pages, res.bytes, res.html_path, res.figures_dir,
           res.chart_files == RP_CHART_FILES_NONE ? "" : ", charts/");
    build_result_free(&res);
    return cli_finish(&errs, 0, NULL);
}
