/* cli_batch.c — `ragpack batch` and `ragpack import-ees`: options → the
 * batch and ees_import modules' option structs. */
#include "cli.h"
#include "batch.h"
#include "ees_import.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_FORCE = 256, OPT_STATE, OPT_TITLE, OPT_POLARITY, OPT_ANNUAL,
       OPT_FILTER, OPT_YEAR_ENDS, OPT_NEIGHBOURS };

static const struct option batch_longopts[] = {
    { "jobs", required_argument, 0, 'j' },
    { "shard", required_argument, 0, 's' },
    { "force", no_argument, 0, OPT_FORCE },
    { "log", required_argument, 0, 'l' },
    { "state", required_argument, 0, OPT_STATE },
    { "dry-run", no_argument, 0, 'n' },
    { "help", no_argument, 0, 'h' },
    { 0, 0, 0, 0 }
};

int cli_batch(int argc, char **argv)
{
    batch_options o;
    batch_options_default(&o);
    int c;
    while ((c = getopt_long(argc, argv, ":j:s:l:nh", batch_longopts, NULL)) != -1) {
        switch (c) {
        case 'j':
            if (cli_int(optarg, 1, 1024, &o.jobs) != 0)
                return cli_usage_error("batch", "--jobs '%s': give 1 to 1024",
                                       optarg);
            break;
        case 's':
            if (batch_shard_parse(optarg, &o.shard_k, &o.shard_n) != 0)
                return cli_usage_error("batch", "--shard '%s' is not K/N with "
                                       "1 <= K <= N", optarg);
            break;
        case OPT_FORCE: o.force = 1; break;
        case 'l': o.log_path = optarg; break;
        case OPT_STATE: o.state_dir = optarg; break;
        case 'n': o.dry_run = 1; break;
        case 'h': return cli_help("batch");
        default: return cli_bad_option("batch", c, argv);
        }
    }
    int rc = cli_operand("batch", argc, argv, "the MANIFEST (a CSV)", &o.manifest);
    return rc >= 0 ? rc : batch_run(&o);
}

static const struct option ees_longopts[] = {
    { "la", required_argument, 0, 'l' },
    { "column", required_argument, 0, 'c' },
    { "measure", required_argument, 0, 'm' },
    { "title", required_argument, 0, OPT_TITLE },
    { "service-area", required_argument, 0, 'a' },
    { "unit", required_argument, 0, 'u' },
    { "polarity", required_argument, 0, OPT_POLARITY },
    { "annual", required_argument, 0, OPT_ANNUAL },
    { "filter", required_argument, 0, OPT_FILTER },
    { "year-ends", required_argument, 0, OPT_YEAR_ENDS },
    { "neighbours", required_argument, 0, OPT_NEIGHBOURS },
    { "output", required_argument, 0, 'o' },
    { "out", required_argument, 0, 'o' },   /* the 0.1.0 spelling */
    { "help", no_argument, 0, 'h' },
    { 0, 0, 0, 0 }
};

/* Append a repeated option's value; lists are sized for argc. */
static void push(ees_list *l, const char *v)
{
    l->v[l->n++] = v;
}

/* Returns -1 to go on, else the exit status. */
static int ees_args(int argc, char **argv, ees_options *o, const char **filters,
                    const char **file, const char **nbfile)
{
    int c;
    while ((c = getopt_long(argc, argv, ":l:c:m:a:u:o:h", ees_longopts,
                            NULL)) != -1) {
        switch (c) {
        case 'l': o->la = optarg; break;
        case 'c': push(&o->columns, optarg); break;
        case 'm': push(&o->measures, optarg); break;
        case OPT_TITLE: push(&o->titles, optarg); break;
        case 'a': o->service_area = optarg; break;
        case 'u': push(&o->units, optarg); break;
        case OPT_POLARITY: push(&o->polarities, optarg); break;
        case OPT_ANNUAL: o->annual = optarg; break;
        case OPT_YEAR_ENDS: o->year_ends = optarg; break;
        case OPT_NEIGHBOURS: *nbfile = optarg; break;
        case OPT_FILTER: filters[o->nfilters++] = optarg; break;
        case 'o': o->out_dir = optarg; break;
        case 'h': return cli_help("import-ees");
        default: return cli_bad_option("import-ees", c, argv);
        }
    }
    int rc = cli_operand("import-ees", argc, argv, "the EES FILE.csv", file);
    if (rc >= 0)
        return rc;
    if (o->columns.n == 0)
        return cli_usage_error("import-ees", "--la and --column are required");
    char why[256];
    if (ees_options_check(o, why, sizeof why) != 0)
        return cli_usage_error("import-ees", "%s", why);
    return -1;
}

int cli_import_ees(int argc, char **argv)
{
    ees_options o;
    memset(&o, 0, sizeof o);
    const char *file = NULL, *nbfile = NULL;
    /* one block for every repeatable option, each sized for argc */
    size_t slot = (size_t)argc + 1;
    const char **mem = calloc(6 * slot, sizeof *mem);
    if (!mem)
        return 1;
    const char **filters = mem;
    o.filters = filters;
    o.columns.v = mem + slot;
    o.measures.v = mem + 2 * slot;
    o.titles.v = mem + 3 * slot;
    o.units.v = mem + 4 * slot;
    o.polarities.v = mem + 5 * slot;
    int rc = ees_args(argc, argv, &o, filters, &file, &nbfile);
    if (rc >= 0) {
        free(mem);
        return rc;
    }
    rp_errors errs;
    rp_errors_init(&errs);
    ees_neighbours nb;
    memset(&nb, 0, sizeof nb);
    size_t n = ees_options_count(&o);
    ees_result *res = calloc(n, sizeof *res);
    rc = 1;
    if (res && (!nbfile || ees_neighbours_read(nbfile, &nb, &errs) == 0)) {
        if (nbfile)
            o.neighbours = &nb;
        if (ees_import_run(file, &o, res, &errs) == 0) {
            rc = 0;
            for (size_t i = 0; i < n; i++) {
                ees_options one;
                ees_options_pick(&o, i, &one);
                printf("import-ees: %zu periods of %s for %s (%s) into "
                       "%s/kpi.csv\n", res[i].nrows,
                       one.measure ? one.measure : one.column, res[i].la_name,
                       res[i].la_code, o.out_dir ? o.out_dir : ".");
                ees_result_free(&res[i]);
            }
        }
    }
    rp_errors_print(&errs, stderr);
    rp_errors_free(&errs);
    ees_neighbours_free(&nb);
    free(res);
    free(mem);
    return rc;
}
