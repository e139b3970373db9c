/* ragpack.c — the command line. Exit status: 0 ok, 1 data or template
 * error (or some packs failed), 2 usage. Diagnostics go to stderr as
 * file:line: column: message. */
#include "ap.h"
#include "bt.h"
#include "ee.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *usage_text =
    "usage: ragpack COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  build  [-t TEMPLATE] [-i INPUT_DIR] [-p PERIOD] [-o OUT_DIR] [--fonts DIR]\n"
    "         Build one committee pack (PDF + computed figures + charts).\n"
    "         Defaults: templates/integrated-performance.yaml, input/sample,\n"
    "         the latest quarter in the data, output/.\n"
    "  check  -i INPUT_DIR [-t TEMPLATE]\n"
    "         Read and validate everything; print every problem.\n"
    "  batch  MANIFEST [-j N] [--shard K/N] [--force] [--log FILE] [--dry-run]\n"
    "         Build many packs listed in a manifest CSV.\n"
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

static int cmd_build(int argc, char **argv)
{
    static const struct option lo[] = {
        { "template", required_argument, 0, 't' },
        { "input", required_argument, 0, 'i' },
        { "period", required_argument, 0, 'p' },
        { "output", required_argument, 0, 'o' },
        { "fonts", required_argument, 0, 'f' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    ap_build_opts o;
    ap_build_opts_default(&o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:i:p:o:h", lo, NULL)) != -1) {
        switch (c) {
        case 't': o.template_path = optarg; break;
        case 'i': o.input_dir = optarg; break;
        case 'p': o.period = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'f': o.fonts_dir = optarg; break;
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
    ap_build_result res;
    if (ap_build(&o, &res, &errs) != 0)
        return finish(&errs, 1, "no pack written; the last good pack, if any, is unchanged");
    printf("%s (%d pages, %ld bytes)\n%s/ (ratings.csv, finance.csv, trends.csv, charts/)\n",
           res.pdf_path, res.pages, res.bytes, res.figures_dir);
    ap_build_result_free(&res);
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
    int rc = ap_check(input, tmpl, &errs);
    if (rc == 0)
        printf("%s: no problems found\n", input);
    return finish(&errs, rc == 0 ? 0 : 1, NULL);
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
        return bt_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "import-ees"))
        return ee_main(argc - 1, argv + 1);
    fprintf(stderr, "ragpack: unknown command \"%s\"\n", cmd);
    return usage(stderr, 2);
}
