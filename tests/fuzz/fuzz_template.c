/* fuzz_template.c — libFuzzer target for template_load: the input is
 * a template file, written to a private temp file and loaded. A template
 * that loads is then used the way `ragpack build` uses it: the sample
 * input (read once) is computed with the template's roll-up options,
 * composed with its sections and paginated with its page, type scale and
 * palette, so out-of-range sizes and margins that pass validation show up
 * as hangs or crashes in layout. The fonts are the shipped ones, loaded
 * once (a fuzzed font file name would only fuzz FreeType). */
#include "compute.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "compose.h"
#include "input.h"
#include "template.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RP_FUZZ_ROOT
#define RP_FUZZ_ROOT "."
#endif

static char path[64];
static input_folder in;
static model the_model;
static fonts *the_fonts;

static void cleanup(void)
{
    fonts_destroy(the_fonts);
    model_free(&the_model);
    input_free(&in);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rp_errors errs;
    rp_errors_init(&errs);
    if (input_read(RP_FUZZ_ROOT "/input/sample", &in, &errs) != 0
        || model_build(&in, &the_model, &errs) != 0)
        goto fail;
    the_fonts = fonts_create(RP_FUZZ_ROOT "/fonts", "LiberationSans-Regular.ttf",
                            "LiberationSans-Bold.ttf", &errs);
    if (!the_fonts)
        goto fail;
    atexit(cleanup);
    rp_errors_free(&errs);
    return 0;
fail:
    rp_errors_print(&errs, stderr);
    exit(1);
}

static void options_of(const pack_template *t, compute_options *o)
{
    compute_options_default(o);
    o->rollup = (rp_rollup)t->rollup;
    o->green_at = t->green_at;
    o->amber_at = t->amber_at;
    o->stale_quarters = t->stale_quarters;
    for (size_t i = 0; i < t->nsections; i++)
        if (t->sections[i].kind == TEMPLATE_SECTION_TRENDS
            && t->sections[i].years > o->trend_years)
            o->trend_years = t->sections[i].years;
}

static void use(const pack_template *t, rp_errors *errs)
{
    if (compose_check_template(t, &the_model, errs) != 0)
        return;
    compute_options opt;
    options_of(t, &opt);
    compute_results r;
    memset(&r, 0, sizeof r);
    rp_period latest = { 0, 0, 0 };
    if (compute_results_build(&the_model, &opt, latest, &r, errs) != 0)
        return;
    document *doc = doc_create();
    if (compose_pack(t, &the_model, &r, doc, errs) == 0) {
        layout_pages pages;
        memset(&pages, 0, sizeof pages);
        (void)layout_paginate(doc, t, the_fonts, &pages, errs);
        layout_pages_free(&pages);
    }
    doc_destroy(doc);
    compute_results_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* made and removed by each run: libFuzzer ends a process with _Exit,
     * so atexit would not tidy it */
    snprintf(path, sizeof path, "/tmp/rp-fuzz-template-XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    rp_errors errs;
    rp_errors_init(&errs);
    pack_template t;
    if (template_load(path, &t, &errs) == 0) {
        if (errs.nerrors != 0)
            abort();                    /* success means no error added */
        use(&t, &errs);
    } else if (errs.nerrors == 0) {
        abort();                        /* a failure must say why */
    }
    template_free(&t);
    unlink(path);
    char buf[512];
    for (size_t i = 0; i < errs.n; i++)
        rp_error_format(&errs.v[i], buf, sizeof buf);
    rp_errors_free(&errs);
    return 0;
}
