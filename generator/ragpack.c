/* ragpack.c — the command line: the subcommands, their help, and what
 * every subcommand shares (usage errors, diagnostics, stop signals). The
 * subcommands' option parsing is in cli_build.c and cli_batch.c. */
#include "cli.h"
#include "build.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char build_help[] =
    "usage: ragpack build [OPTIONS]\n"
    "Build one committee pack: the PDF, its HTML twin, and beside them a\n"
    "folder of the same name with ratings.csv, finance.csv, trends.csv, the\n"
    "figures as an .xlsx workbook and charts/.\n"
    "\n"
    "  -t, --template FILE  the pack's template (default\n"
    "                       templates/integrated-performance.yaml; a bare name\n"
    "                       such as children-and-families is also looked up in\n"
    "                       the installed templates)\n"
    "  -i, --input DIR      the input folder (default input/sample)\n"
    "  -p, --period PERIOD  the quarter, e.g. \"2023/24 Q3\", or a year for a\n"
    "                       yearly pack: 2024/25, \"AY 2024/25\", 2025 (default:\n"
    "                       the latest quarter in which at least half of the\n"
    "                       rated measures have a value, else the latest year)\n"
    "  -o, --output DIR     the output folder (default output); the pack is\n"
    "                       DIR/<template>-<yyyy-yy>-Q<n>.pdf (a year:\n"
    "                       <template>-2024-25, -AY-2024-25, -2025)\n"
    "  -f, --fonts DIR      the fonts folder (default fonts/ beside the\n"
    "                       template's folder, else ./fonts, else the installed\n"
    "                       fonts)\n"
    "      --committee TEXT    the committee, over the template's\n"
    "      --meeting-date TEXT the meeting date (free text), over the template's\n"
    "      --title TEXT        the pack's title, over the template's (cover,\n"
    "                          running header and footer, PDF properties)\n"
    "      --chart-files all|png|svg|none  which chart files beside the PDF\n"
    "                       (default: the template's chart_files, else all)\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 built, 1 data or template error (nothing written), 2 usage.\n";

static const char check_help[] =
    "usage: ragpack check [OPTIONS]\n"
    "A dry run of `ragpack build` with the same options and defaults: read,\n"
    "validate, compute, load the fonts and compose the pack (every character\n"
    "looked up in the fonts; pages are not laid out), and check the output\n"
    "folder can be written, printing every problem a build would meet.\n"
    "Writes nothing.\n"
    "\n"
    "  -t, --template FILE  as build (default templates/integrated-performance.yaml)\n"
    "  -i, --input DIR      as build (default input/sample)\n"
    "  -p, --period PERIOD  as build (default: the default quarter, as build)\n"
    "  -o, --output DIR     as build (default output)\n"
    "  -f, --fonts DIR      as build\n"
    "      --committee TEXT, --meeting-date TEXT, --title TEXT\n"
    "                       as build\n"
    "  -j, --json           print the findings as one JSON object on stdout\n"
    "                       (ok, pdf, html, figures, period, pages, errors,\n"
    "                       warnings)\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 a build would succeed, 1 it would fail, 2 usage.\n";

static const char trend_help[] =
    "usage: ragpack trend [OPTIONS]\n"
    "Build a trend pack for chosen measures: annual bars, the quarterly line,\n"
    "the annual table with year-on-year change, comparators and notes.\n"
    "\n"
    "  -m, --measure ID        a measure (repeatable), in the order given\n"
    "  -a, --service-area AREA also every measure of that service area\n"
    "                          (without -m or -a: the template's trends)\n"
    "  -i, --input DIR         the input folder (default input/sample)\n"
    "  -t, --template FILE     the template (default templates/trend.yaml)\n"
    "  -p, --period PERIOD     a quarter or a whole year (default: the latest)\n"
    "  -y, --years N           financial years shown, 2 to 10 (default: the\n"
    "                          template's, else 3)\n"
    "  -b, --by quarter|year   quarter: add a table of every quarter;\n"
    "                          year: annual only\n"
    "  -o, --output DIR        the output folder (default output); the pack is\n"
    "                          DIR/trend-<ids>[-area-<area>]-<period>[-<N>y]\n"
    "                          [-by-<by>][-<template>].pdf\n"
    "      --pdf FILE          write the PDF to FILE instead (figures in the\n"
    "                          folder FILE less .pdf), in DIR when -o DIR is\n"
    "                          given too and FILE is relative; `-o FILE.pdf`\n"
    "                          is still read as --pdf FILE\n"
    "  -f, --fonts DIR         the fonts folder (as build)\n"
    "      --chart-files all|png|svg|none  as build\n"
    "      --force             replace a pack of the same name that was built\n"
    "                          with other options (refused otherwise)\n"
    "  -h, --help              this text\n"
    "\n"
    "Exit status: 0 built, 1 data or template error, 2 usage.\n";

static const char batch_help[] =
    "usage: ragpack batch [OPTIONS] MANIFEST\n"
    "Build every pack a manifest lists (CSV: name,template,input,out and\n"
    "optional period,fonts,committee,meeting_date,title,chart_files) in parallel worker\n"
    "processes, skipping packs whose inputs are unchanged.\n"
    "\n"
    "  -j, --jobs N         worker processes, 1 to 1024 (default: the cores)\n"
    "  -s, --shard K/N      build only shard K of N (row i when i mod N = K-1)\n"
    "      --force          rebuild packs that are up to date\n"
    "  -l, --log FILE       append JSON Lines records to FILE: start, one per\n"
    "                       pack, summary (or one not_started record)\n"
    "      --state DIR      keep locks and build state in DIR (default: the\n"
    "                       hidden folder .ragpack/ in each output folder)\n"
    "  -n, --dry-run        print what would be built or skipped and the\n"
    "                       names that would be written; write nothing\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 every pack built or skipped; 1 a pack failed, the\n"
    "manifest is wrong, the run was interrupted or the log could not be\n"
    "written (dry run: a pack would fail); 2 usage; 3 not started: another\n"
    "run holds some of the outputs.\n";

static const char import_help[] =
    "usage: ragpack import-ees [OPTIONS] FILE.csv\n"
    "Import columns of a DfE explore-education-statistics CSV as kpi.csv\n"
    "and measures.csv rows for one council, with England, its region, its\n"
    "rank among all local authorities and (optionally) its neighbours'\n"
    "average as comparators.\n"
    "\n"
    "  -l, --la CODE_OR_NAME    the council: new_la_code, old_la_code or\n"
    "                           la_name (required)\n"
    "  -c, --column COL         a value column, e.g. rate_per_10000 (required;\n"
    "                           repeat for several, each its own measure)\n"
    "  -m, --measure ID         the measure id (default: the column name)\n"
    "      --title TEXT         the measure's title (default: the column name)\n"
    "  -a, --service-area AREA  the service area (default Imported)\n"
    "  -u, --unit UNIT          count, percent, gbp, rate, days or number\n"
    "                           (default: percent for pc_*, rate for *rate*,\n"
    "                           else count)\n"
    "      --polarity P         higher, lower or none (default none: not\n"
    "                           rated, not ranked)\n"
    "      --annual A           last, sum or mean (default last)\n"
    "      --year-ends MON      the month (Jan..Dec) the yearly figures are\n"
    "                           measured up to, or none (default Feb for\n"
    "                           NEET columns, else not written)\n"
    "      --neighbours FILE    LA codes or names, one a line: their average\n"
    "                           goes into the neighbours column\n"
    "      --filter COL=VALUE   keep rows whose COL is VALUE (repeatable)\n"
    "  -o, --output DIR         the input folder to merge into, created when\n"
    "                           absent (default .; the old spelling, --out\n"
    "                           DIR, also works)\n"
    "  -h, --help               this text\n"
    "\n"
    "With several --column, give --measure and --title once per column in\n"
    "the same order (or not at all), and --unit and --polarity once for all\n"
    "or once per column.\n"
    "\n"
    "Exit status: 0 imported, 1 data error, 2 usage.\n";

const cli_command cli_commands[] = {
    { "build", cli_build, "build one committee pack (PDF, figures, charts)",
      build_help },
    { "check", cli_check, "a dry run of build: every problem, nothing written",
      check_help },
    { "trend", cli_trend, "a trend pack for chosen measures", trend_help },
    { "batch", cli_batch, "every pack of a manifest, in parallel, incrementally",
      batch_help },
    { "import-ees", cli_import_ees,
      "DfE explore-education-statistics CSV into kpi.csv rows", import_help },
    { NULL, NULL, NULL, NULL }
};

static void top_help(FILE *out)
{
    fputs("usage: ragpack COMMAND [OPTIONS]\n\nCommands:\n", out);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-11s %s\n", c->name, c->summary);
    fputs("\n  -h, --help     this text; `ragpack COMMAND --help` for a command's\n"
          "  -V, --version  the version\n"
          "\nExit status: 0 ok, 1 data or template error, 2 usage error.\n"
          "Manual: man ragpack\n", out);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ragpack%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'ragpack%s%s --help'.\n", cmd ? " " : "",
            cmd ? cmd : "");
    return CLI_USAGE;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    const char *arg = argv[optind - 1];
    if (c == ':') {
        if (optopt && strncmp(arg, "--", 2) != 0)
            return cli_usage_error(cmd, "option '-%c' needs a value", optopt);
        return cli_usage_error(cmd, "option '%s' needs a value", arg);
    }
    if (optopt)
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", arg);
}

int cli_operand(const char *cmd, int argc, char **argv, const char *what,
                const char **out)
{
    if (optind == argc)
        return cli_usage_error(cmd, "give %s", what);
    if (optind + 1 != argc)
        return cli_usage_error(cmd, "one operand only, %s ('%s' is extra)",
                               what, argv[optind + 1]);
    *out = argv[optind];
    return -1;
}

int cli_help(const char *cmd)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, cmd) == 0)
            fputs(c->help, stdout);
    return 0;
}

int cli_finish(rp_errors *errs, int rc, const char *outcome)
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

void cli_catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int cli_int(const char *text, long lo, long hi, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(NULL, "give a command (build, check, trend, "
                               "batch, import-ees)");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        if (argc > 2 && strcmp(cmd, "help") == 0)
            for (const cli_command *c = cli_commands; c->name; c++)
                if (strcmp(c->name, argv[2]) == 0)
                    return cli_help(c->name);
        top_help(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("ragpack %s\n", RP_VERSION);
        return 0;
    }
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, cmd) == 0) {
            optind = 1;
            opterr = 0;
            return c->run(argc - 1, argv + 1);
        }
    if (cmd[0] == '-')
        return cli_usage_error(NULL, "unknown option '%s'", cmd);
    return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
