/* test_deploy.c — the shipped deployment files are valid and do what they
 * say: the Kubernetes Indexed Job parses as YAML with the fields an
 * Indexed Job needs, and its command, run by a real shell for every
 * completion index, asks ragpack for each shard exactly once; the systemd
 * service and timer have the sections and keys systemd requires; the
 * Containerfile (no container engine here: read, not built) starts from
 * Debian bookworm, runs make targets that exist, and is tagged with the
 * image the Job names. (No cluster here: the Slurm array runs for real in
 * make test-slurm; systemd-analyze verify runs in install.sh.) */
#include "testutil.h"

#include <unistd.h>
#include <yaml.h>

#include "base.h"

/* ---- a small walk over a libyaml document ---------------------------- */

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *map,
                            const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

static yaml_node_t *seq_at(yaml_document_t *d, yaml_node_t *seq, size_t i)
{
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return NULL;
    yaml_node_item_t *it = seq->data.sequence.items.start + i;
    return it < seq->data.sequence.items.top ? yaml_document_get_node(d, *it)
                                             : NULL;
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

/* path like "spec.template.spec" through mappings */
static yaml_node_t *at(yaml_document_t *d, const char *path)
{
    yaml_node_t *n = yaml_document_get_root_node(d);
    char *p = rp_xstrdup(path), *save = NULL;
    for (char *k = strtok_r(p, ".", &save); k && n; k = strtok_r(NULL, ".", &save))
        n = map_get(d, n, k);
    free(p);
    return n;
}

static int load_yaml(const char *path, yaml_document_t *d)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    yaml_parser_t ps;
    yaml_parser_initialize(&ps);
    yaml_parser_set_input_file(&ps, f);
    int ok = yaml_parser_load(&ps, d);
    if (!ok)
        fprintf(stderr, "%s:%zu: %s\n", path, ps.problem_mark.line + 1,
                ps.problem ? ps.problem : "YAML error");
    yaml_parser_delete(&ps);
    fclose(f);
    return ok ? 0 : -1;
}

static void test_k8s_indexed_job(void **state)
{
    (void)state;
    yaml_document_t d;
    assert_int_equal(load_yaml("deploy/k8s/indexed-job.yaml", &d), 0);
    assert_non_null(yaml_document_get_root_node(&d));
    assert_string_equal(scalar(at(&d, "apiVersion")), "batch/v1");
    assert_string_equal(scalar(at(&d, "kind")), "Job");
    assert_string_equal(scalar(at(&d, "spec.completionMode")), "Indexed");
    const char *comp = scalar(at(&d, "spec.completions"));
    assert_non_null(comp);
    int n = atoi(comp);
    assert_true(n >= 1);
    assert_string_equal(scalar(at(&d, "spec.template.spec.restartPolicy")),
                        "Never");

    yaml_node_t *c0 = seq_at(&d, at(&d, "spec.template.spec.containers"), 0);
    assert_non_null(c0);
    /* SHARDS must equal completions, or shards would be lost */
    yaml_node_t *env = map_get(&d, c0, "env");
    const char *shards = NULL;
    for (size_t i = 0; seq_at(&d, env, i); i++) {
        yaml_node_t *e = seq_at(&d, env, i);
        const char *nm = scalar(map_get(&d, e, "name"));
        if (nm && strcmp(nm, "SHARDS") == 0)
            shards = scalar(map_get(&d, e, "value"));
    }
    assert_non_null(shards);
    assert_int_equal(atoi(shards), n);
    /* no pinned SOURCE_DATE_EPOCH: PDFs carry the date they were built */
    for (size_t i = 0; seq_at(&d, env, i); i++) {
        const char *nm = scalar(map_get(&d, seq_at(&d, env, i), "name"));
        assert_false(nm && strcmp(nm, "SOURCE_DATE_EPOCH") == 0);
    }
    /* the image is the one the Containerfile's build command tags */
    const char *image = scalar(map_get(&d, c0, "image"));
    assert_non_null(image);
    char *cf = tu_slurp("Containerfile", NULL);
    assert_non_null(cf);
    char *tag = rp_xasprintf("build -t %s -f Containerfile .", image);
    assert_non_null(strstr(cf, tag));
    char *ver = rp_xasprintf(":%s", RP_VERSION);   /* tagged with the version */
    assert_non_null(strstr(image, ver));
    free(ver);
    free(tag);
    free(cf);

    /* The container's command, run by /bin/sh for each completion index
     * with a stand-in ragpack that prints its --shard argument. */
    const char *sh = scalar(seq_at(&d, map_get(&d, c0, "command"), 0));
    const char *flag = scalar(seq_at(&d, map_get(&d, c0, "command"), 1));
    const char *script = scalar(seq_at(&d, map_get(&d, c0, "args"), 0));
    assert_string_equal(sh, "/bin/sh");
    assert_string_equal(flag, "-c");
    assert_non_null(script);
    assert_non_null(strstr(script, "ragpack batch"));

    char dir[] = "/tmp/ragpack-deploy.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *fake = rp_xasprintf("%s/ragpack", dir);
    FILE *f = fopen(fake, "w");
    assert_non_null(f);
    /* prints the value after --shard */
    fputs("#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = --shard ] && echo \"$2\"; shift; done\n", f);
    fclose(f);
    assert_int_equal(chmod(fake, 0755), 0);
    int *seen = rp_xcalloc((size_t)n + 1, sizeof *seen);
    for (int i = 0; i < n; i++) {
        char *cmd = rp_xasprintf("PATH='%s':\"$PATH\" JOB_COMPLETION_INDEX=%d "
                                 "SHARDS=%s /bin/sh -c '%s'", dir, i, shards,
                                 script);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        int k = 0, of = 0;
        assert_int_equal(fscanf(p, "%d/%d", &k, &of), 2);
        assert_int_equal(pclose(p), 0);
        assert_int_equal(of, n);
        assert_true(k >= 1 && k <= n);
        seen[k]++;
        free(cmd);
    }
    for (int k = 1; k <= n; k++)
        assert_int_equal(seen[k], 1);   /* every shard exactly once */
    free(seen);
    unlink(fake);
    free(fake);
    rmdir(dir);
    yaml_document_delete(&d);
}

/* An INI-style systemd unit: does section [sec] set key (to a value
 * containing want, if given)? */
static int unit_has(const char *text, const char *sec, const char *key,
                    const char *want)
{
    char *copy = rp_xstrdup(text), *save = NULL;
    int in = 0, found = 0;
    for (char *ln = strtok_r(copy, "\n", &save); ln && !found;
         ln = strtok_r(NULL, "\n", &save)) {
        if (ln[0] == '#' || ln[0] == ';')
            continue;
        if (ln[0] == '[') {
            in = strncmp(ln + 1, sec, strlen(sec)) == 0 &&
                 ln[1 + strlen(sec)] == ']';
            continue;
        }
        size_t kl = strlen(key);
        if (in && strncmp(ln, key, kl) == 0 && ln[kl] == '=')
            found = !want || strstr(ln + kl + 1, want) != NULL;
    }
    free(copy);
    return found;
}

static void test_systemd_units(void **state)
{
    (void)state;
    char *svc = tu_slurp("deploy/systemd/ragpack-batch.service", NULL);
    char *tmr = tu_slurp("deploy/systemd/ragpack-batch.timer", NULL);
    assert_non_null(svc);
    assert_non_null(tmr);
    assert_true(unit_has(svc, "Unit", "Description", NULL));
    assert_true(unit_has(svc, "Service", "Type", "oneshot"));
    assert_true(unit_has(svc, "Service", "ExecStart", "ragpack batch "));
    /* SIGTERM to ragpack only, so in-flight packs finish atomically */
    assert_true(unit_has(svc, "Service", "KillMode", "mixed"));
    /* a failed run is recorded by a unit that is shipped too */
    assert_true(unit_has(svc, "Unit", "OnFailure", "ragpack-failure@%n.service"));
    char *fu = tu_slurp("deploy/systemd/ragpack-failure@.service", NULL);
    assert_non_null(fu);
    assert_true(unit_has(fu, "Service", "ExecStart", "record-failure %i "));
    free(fu);
    assert_int_equal(access("deploy/systemd/record-failure", X_OK), 0);
    /* no pinned SOURCE_DATE_EPOCH */
    assert_null(strstr(svc, "SOURCE_DATE_EPOCH="));
    assert_true(unit_has(tmr, "Timer", "OnCalendar", NULL));
    assert_true(unit_has(tmr, "Timer", "Unit", "ragpack-batch.service"));
    assert_true(unit_has(tmr, "Install", "WantedBy", "timers.target"));
    /* the rule itself can fail: a key in the wrong section is not found */
    assert_false(unit_has(tmr, "Service", "OnCalendar", NULL));
    free(svc);
    free(tmr);
}

/* The Containerfile's instructions, continuation lines joined. */
static void test_containerfile(void **state)
{
    (void)state;
    char *cf = tu_slurp("Containerfile", NULL);
    char *mk = tu_slurp("Makefile", NULL);
    assert_non_null(cf);
    assert_non_null(mk);
    rp_buf run;
    rp_buf_init(&run);
    int from = 0, nrun = 0;
    char *save = NULL, *copy = rp_xstrdup(cf);
    for (char *ln = strtok_r(copy, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        if (ln[0] == '#')
            continue;
        if (strncmp(ln, "FROM ", 5) == 0 && !from++) {
            assert_non_null(strstr(ln, "debian:bookworm"));
            continue;
        }
        if (strncmp(ln, "RUN ", 4) == 0) {
            nrun++;
            /* join "\" continuations */
            for (;;) {
                size_t l = strlen(ln);
                int more = l && ln[l - 1] == '\\';
                rp_buf_add(&run, ln, more ? l - 1 : l);
                rp_buf_puts(&run, " ");
                if (!more || !(ln = strtok_r(NULL, "\n", &save)))
                    break;
            }
        }
    }
    assert_int_equal(from, 1);
    assert_true(nrun >= 1);
    /* the README's two commands, then install */
    assert_non_null(strstr(run.s, "make pack"));
    assert_non_null(strstr(run.s, "make test"));
    assert_non_null(strstr(run.s, "make install"));
    /* every make target it runs is a target of the Makefile */
    int targets = 0;
    for (const char *p = run.s; (p = strstr(p, "make ")); p += 5) {
        char t[64];
        if (sscanf(p + 5, "%63[a-z-]", t) != 1)
            continue;
        char *rule = rp_xasprintf("\n%s:", t);
        if (!strstr(mk, rule))
            fail_msg("Containerfile runs make %s, which the Makefile lacks", t);
        free(rule);
        targets++;
    }
    assert_true(targets >= 3);
    assert_null(strstr(cf, "SOURCE_DATE_EPOCH="));
    rp_buf_free(&run);
    free(copy);
    free(cf);
    free(mk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k8s_indexed_job),
        cmocka_unit_test(test_systemd_units),
        cmocka_unit_test(test_containerfile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
