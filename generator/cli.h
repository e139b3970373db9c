/* cli.h — the command line (ragpack.c, cli_*.c): the only code that reads
 * argv. Each subcommand parses its options with getopt_long into the
 * option struct of its module and calls that module. Exit status: 0 ok,
 * 1 data or template error (or a pack failed), 2 usage, 3 a batch run
 * locked out by another. */
#ifndef RAGPACK_CLI_H
#define RAGPACK_CLI_H

#include "base.h"

#include <getopt.h>

#define CLI_USAGE 2

/* One subcommand: its name, the one-line synopsis and the full --help. */
typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the name */
    const char *summary;                 /* for `ragpack --help` */
    const char *help;                    /* `ragpack NAME --help` */
} cli_command;

extern const cli_command cli_commands[];

/* A usage error: one line "ragpack CMD: message" and "Try 'ragpack CMD
 * --help'." on stderr. Returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* getopt_long returned '?' or ':' (the optstring starts with ':'):
 * the one-line error for it. Returns CLI_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv);
/* After the options, exactly one operand (what: "the MANIFEST (a CSV)")
 * into *out: returns -1, else a usage error's status. */
int cli_operand(const char *cmd, int argc, char **argv, const char *what,
                const char **out);
/* The subcommand's help on stdout. Returns 0. */
int cli_help(const char *cmd);
/* Print every diagnostic, a count and the outcome (if any); frees errs.
 * Returns rc. */
int cli_finish(rp_errors *errs, int rc, const char *outcome);
/* Ctrl-C, SIGTERM or SIGHUP during a build stop it cleanly. */
void cli_catch_stop_signals(void);
/* An integer in lo..hi, the whole text. Returns 0/-1. */
int cli_int(const char *text, long lo, long hi, int *out);

int cli_build(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_trend(int argc, char **argv);
int cli_batch(int argc, char **argv);
int cli_import_ees(int argc, char **argv);

#endif
