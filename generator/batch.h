/* batch.h — batch runs: build many packs from a manifest, in parallel worker
 * processes, incrementally, in deterministic shards (see docs/batch.model).
 *
 * Manifest: a CSV with columns name,template,input,out and optional period,
 * fonts and chart_files (all, png, svg or none). Relative paths are relative to the manifest's folder. */
#ifndef RAGPACK_BATCH_H
#define RAGPACK_BATCH_H

#include "base.h"
#include "build.h"

typedef struct batch_row {
    long line;          /* manifest line */
    size_t index;       /* 0-based data row, decides the shard */
    char *name;         /* letters, digits, _ - . */
    char *template_path, *input_dir, *out_dir, *fonts_dir;  /* resolved */
    char *out_real;     /* out_dir with symbolic links resolved (collisions) */
    char *period;       /* as written, NULL when omitted (= latest) */
    rp_chart_files chart_files;   /* column chart_files; DEFAULT = template's */
    char *committee, *meeting_date, *title;   /* optional columns over the
                                                 template's words; NULL */
    char *key;          /* output key in out_dir: the pack's stem
                           "<template stem>-<yyyy-yy>-Q<n>", or
                           "<template stem>-latest" without a period */
    char *state_dir;    /* --state DIR, NULL = <out>/.ragpack */
    char *state_base;   /* lock and state path less extension:
                           "<out>/.ragpack/<key>" (batch_manifest_use_state_dir) */
} batch_row;

/* The hidden state folder in each output root: locks and build state,
 * never beside the published PDFs. */
#define BATCH_STATE_DIR BUILD_STATE_DIR

typedef struct batch_manifest {
    char *path;
    batch_row *rows;
    size_t n;
} batch_manifest;

/* Parse a manifest held in memory; base_dir resolves relative paths (NULL
 * = as written). Every problem is added to errs with its line: missing
 * columns, empty cells, bad names or periods, duplicate names, and two
 * rows writing the same output (batch_manifest_collisions). Returns 0/-1. */
int batch_manifest_parse(const char *name, const char *buf, size_t len,
                      const char *base_dir, batch_manifest *m, rp_errors *errs);
int batch_manifest_read(const char *path, batch_manifest *m, rp_errors *errs);
void batch_manifest_free(batch_manifest *m);
/* Rows resolving to the same out dir + stem; a row without a period
 * collides with every row of the same template stem and out dir. */
int batch_manifest_collisions(const batch_manifest *m, rp_errors *errs);

/* "K/N" with 1 <= K <= N. Returns 0/-1. Row i belongs to shard
 * (i mod N) + 1: stable, and each shard gets an even share. */
int batch_shard_parse(const char *text, int *k, int *n);
int batch_in_shard(size_t index, int k, int n);

/* SHA-256 (nettle) as 64 lowercase hex digits. */
int batch_sha256_file(const char *path, char hex[65]);
/* The hash of everything a build reads: RP_VERSION, the period, the
 * template, every regular file in the input folder and in the fonts
 * folder (names and contents, in name order). Returns 0/-1. */
int batch_inputs_hash(const batch_row *r, char hex[65], rp_errors *errs);

/* What is recorded in the state folder after a good build. */
typedef struct batch_state {
    char inputs[65];    /* batch_inputs_hash at build time */
    char pdf_sha[65];   /* SHA-256 of the PDF written */
    char *pdf_path;
    int pages;
    long bytes;
    rp_period period;   /* the quarter built */
} batch_state;

/* Keep locks and state in state_dir (NULL: "<out>/.ragpack/" of each
 * row). In a shared state_dir the names are "<12 hex of the out folder's
 * absolute path>-<key>", so two output roots never share them. */
void batch_manifest_use_state_dir(batch_manifest *m, const char *state_dir);
char *batch_state_path(const batch_row *r);   /* <state_base>.state */
char *batch_lock_path(const batch_row *r);    /* <state_base>.lock */
int batch_state_write(const batch_row *r, const batch_state *s);
/* 1 when the recorded build is still good: same inputs hash and the PDF
 * is still there with the recorded SHA-256 (st filled); else 0. */
int batch_up_to_date(const batch_row *r, const char *inputs_hash, batch_state *st);
void batch_state_free(batch_state *s);

/* One run of `ragpack batch` (the command line fills this). */
typedef struct batch_options {
    const char *manifest;
    int jobs;                   /* workers; 0 = the online cores */
    int shard_k, shard_n;       /* this run builds shard k of n (1/1) */
    int force;                  /* rebuild packs that are up to date */
    int dry_run;                /* print what would happen, write nothing */
    const char *log_path;       /* append JSON Lines here; NULL = none */
    const char *state_dir;      /* NULL = <out>/.ragpack per output root */
} batch_options;

/* Exit statuses of batch_run (2 is the command line's usage error). */
enum {
    BATCH_EXIT_OK = 0,          /* every pack built or skipped */
    BATCH_EXIT_FAILED = 1,      /* a pack failed, the manifest is wrong, the
                                   run was interrupted or the log could not
                                   be written; a dry run: a pack would fail */
    BATCH_EXIT_LOCKED = 3       /* not started: another run holds outputs */
};

void batch_options_default(batch_options *o);
/* Read the manifest, lock the shard's outputs, build in worker processes,
 * log (JSON Lines: "start", one "pack" per pack, "summary"; or one
 * "not_started") and print progress. Returns a BATCH_EXIT_* status. */
int batch_run(const batch_options *o);

#endif
