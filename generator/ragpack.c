/* ragpack.c — the command line. Exit status: 0 ok, 1 data or template
 * error (or some packs failed), 2 usage. Diagnostics go to stderr as
 * file:line: column: message. */
#include "build.h"
#include "batch.h"
#include "ees_import.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *usage_text =
    "usage: ragpack COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  build  [-t TEMPLATE] [-i INPUT_DIR] [-p PERIOD] [-o OUT_DIR] [--fonts DIR]\n"
    "         [--committee TEXT] [--meeting-date TEXT] [--title TEXT]\n"
    "         [--chart-files all|png|svg|none]\n"
    "         Build one committee pack (PDF + computed figures + charts).\n"
    "         Defaults: templates/integrated-performance.yaml, input/sample,\n"
    "         the latest quarter in the data, output/.\n"
    "  check  -i INPUT_DIR [-t TEMPLATE]\n"
    "         Read and validate everything; print every problem.\n"
    "  batch  MANIFEST [-j N] [--shard K/N] [--force] [--log FILE] [--dry-run]\n"
    "         Build many packs listed in a manifest CSV.\n"
    "  trend  -m MEASURE [-m MEASURE ...] [--service-area AREA] [-i INPUT_DIR]\n"
    "         [--years N] [--by quarter|year] [-t TEMPLATE] [-p PERIOD]\n"
    "         [-o FILE.pdf] [--fonts DIR] [--chart-files all|png|svg|none]\n"
    "         Build a trend pack for chosen measures (default template\n"
    "         templates/trend.yaml; output output/trend-<id>-<period>.pdf).\n"
    "  import-ees FILE.csv --la LA --column COL [...]\n"
    "         Turn a DfE explore-education-statistics CSV into kpi.csv rows.\n"
    "\n"
    "  --help     this text (also: ragpack COMMAND --help)\n"
    "  --version  print the version\n"
    "\n"
    "Exit status: 0 ok, 1 data or template error, 2 usage error.\n";

static int usage(FILE *out, int rc)
{
    fputs(usage_text, out);
    return rc;
}

/* Print every diagnostic, then a count and the outcome (if any). */
static int finish(rp_errors *errs, int rc, const char *outcome)
{
    rp_errors_print(errs, stderr);
    if (errs->nerrors)
        fprintf(stderr, "ragpack: %zu error%s, %zu warning%s\n", errs->nerrors,
                errs->nerrors == 1 ? "" : "s", errs->nwarnings,
                errs->nwarnings == 1 ? "" : "s");
    if (outcome)
        fprintf(stderr, "ragpack: %s\n", outcome);
    rp_errors_free(errs);
    return rc;
}

/* Ctrl-C, SIGTERM or SIGHUP during a build: stop cleanly at the next step
 * (rp_request_stop) rather than die with temporary files left behind. */
static void on_stop(int sig) { rp_request_stop(sig); }

static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* --chart-files WORD into *out; 0, or -1 after saying what is allowed. */
static int chart_files_arg(const char *cmd, const char *arg, rp_chart_files *out)
{
    int v = rp_chart_files_parse(arg);
    if (v < 0) {
        fprintf(stderr, "ragpack %s: --chart-files \"%s\": give all, png, "
                "svg or none\n", cmd, arg);
        return -1;
    }
    *out = (rp_chart_files)v;
    return 0;
}

static int cmd_build(int argc, char **argv)
{
    static const struct option lo[] = {
        { "template", required_argument, 0, 't' },
        { "input", required_argument, 0, 'i' },
        { "period", required_argument, 0, 'p' },
        { "output", required_argument, 0, 'o' },
        { "fonts", required_argument, 0, 'f' },
        { "committee", required_argument, 0, 'C' },     /* issue 12 */
        { "meeting-date", required_argument, 0, 'M' },
        { "title", required_argument, 0, 'T' },
        { "chart-files", required_argument, 0, 'X' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    build_options o;
    build_options_default(&o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:i:p:o:h", lo, NULL)) != -1) {
        switch (c) {
        case 't': o.template_path = optarg; break;
        case 'i': o.input_dir = optarg; break;
        case 'p': o.period = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'f': o.fonts_dir = optarg; break;
        case 'C': o.committee = optarg; break;
        case 'M': o.meeting_date = optarg; break;
        case 'T': o.title = optarg; break;
        case 'X':
            if (chart_files_arg("build", optarg, &o.chart_files) != 0)
                return usage(stderr, 2);
            break;
        case 'h': return usage(stdout, 0);
        default: return usage(stderr, 2);
        }
    }
    if (optind != argc) {
        fprintf(stderr, "ragpack build: unexpected argument \"%s\"\n", argv[optind]);
        return usage(stderr, 2);
    }
    rp_errors errs;
    rp_errors_init(&errs);
    build_result res;
    catch_stop_signals();
    if (build_pack(&o, &res, &errs) != 0)
        return finish(&errs, 1, "no pack written; the last good pack, if any, is unchanged");
    printf("%s (%d pages, %ld bytes)\n%s/ (ratings.csv, finance.csv, trends.csv, charts/)\n",
           res.pdf_path, res.pages, res.bytes, res.figures_dir);
    build_result_free(&res);
    return finish(&errs, 0, NULL);
}

static int cmd_check(int argc, char **argv)
{
    static const struct option lo[] = {
        { "input", required_argument, 0, 'i' },
        { "template", required_argument, 0, 't' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    const char *input = NULL, *tmpl = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:t:h", lo, NULL)) != -1) {
        switch (c) {
        case 'i': input = optarg; break;
        case 't': tmpl = optarg; break;
        case 'h': return usage(stdout, 0);
        default: return usage(stderr, 2);
        }
    }
    if (!input || optind != argc) {
        fputs("ragpack check: -i INPUT_DIR is required\n", stderr);
        return usage(stderr, 2);
    }
    rp_errors errs;
    rp_errors_init(&errs);
    int rc = build_check(input, tmpl, &errs);
    if (rc == 0)
        printf("%s: no problems found\n", input);
    return finish(&errs, rc == 0 ? 0 : 1, NULL);
}

static int cmd_trend(int argc, char **argv)
{
    static const struct option lo[] = {
        { "measure", required_argument, 0, 'm' },
        { "service-area", required_argument, 0, 'a' },
        { "input", required_argument, 0, 'i' },
        { "template", required_argument, 0, 't' },
        { "period", required_argument, 0, 'p' },
        { "output", required_argument, 0, 'o' },
        { "years", required_argument, 0, 'y' },
        { "by", required_argument, 0, 'b' },
        { "fonts", required_argument, 0, 'f' },
        { "chart-files", required_argument, 0, 'X' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    build_trend_options o;
    build_trend_options_default(&o);
    /* -m values point into argv, which outlives the build */
    const char **ids = calloc((size_t)argc + 1, sizeof *ids);
    if (!ids)
        return 1;
    size_t nids = 0;
    int c, bad = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:i:t:p:o:h", lo, NULL)) != -1) {
        switch (c) {
        case 'm': ids[nids++] = optarg; break;
        case 'a': o.service_area = optarg; break;
        case 'i': o.input_dir = optarg; break;
        case 't': o.template_path = optarg; break;
        case 'p': o.period = optarg; break;
        case 'o': o.out_path = optarg; break;
        case 'f': o.fonts_dir = optarg; break;
        case 'X':
            if (chart_files_arg("trend", optarg, &o.chart_files) != 0)
                bad = 1;
            break;
        case 'y': {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || y < 2 || y > 10) {
                fprintf(stderr, "ragpack trend: --years \"%s\": give 2 to 10\n",
                        optarg);
                bad = 1;
            } else
                o.years = (int)y;
            break;
        }
        case 'b':
            o.by = build_trend_by(optarg);
            if (o.by < 0) {
                fprintf(stderr, "ragpack trend: --by \"%s\": give quarter or year\n",
                        optarg);
                bad = 1;
            }
            break;
        case 'h': free(ids); return usage(stdout, 0);
        default: bad = 1; break;
        }
    }
    if (!bad && optind != argc) {
        fprintf(stderr, "ragpack trend: unexpected argument \"%s\"\n", argv[optind]);
        bad = 1;
    }
    if (bad) {
        free(ids);
        return usage(stderr, 2);
    }
    o.measures = ids;
    o.nmeasures = nids;
    rp_errors errs;
    rp_errors_init(&errs);
    build_result res;
    catch_stop_signals();
    int rc = build_trend(&o, &res, &errs);
    free(ids);
    if (rc == BUILD_TREND_NO_MEASURES) {
        rp_errors_print(&errs, stderr);
        rp_errors_free(&errs);
        fputs("ragpack trend: no measures selected: give -m MEASURE or "
              "--service-area AREA, or list measures in the template's "
              "trends section\n", stderr);
        return usage(stderr, 2);
    }
    if (rc != 0)
        return finish(&errs, 1, "no trend pack written; the last good one, if any, is unchanged");
    printf("%s (%d pages, %ld bytes)\n%s/ (trends.csv, charts/)\n",
           res.pdf_path, res.pages, res.bytes, res.figures_dir);
    build_result_free(&res);
    return finish(&errs, 0, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr, 2);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help"))
        return usage(stdout, 0);
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("ragpack %s\n", RP_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "build"))
        return cmd_build(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "batch"))
        return batch_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "trend"))
        return cmd_trend(argc - 1, argv + 1);
    if (!strcmp(cmd, "import-ees"))
        return ees_main(argc - 1, argv + 1);
    fprintf(stderr, "ragpack: unknown command \"%s\"\n", cmd);
    return usage(stderr, 2);
}
