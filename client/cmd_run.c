/* `lexmill run`: a whole local cluster in one process. The collector, the broker and N
 * workers run as actors wired over inproc:// endpoints (nothing is opened on the
 * network, so it never clashes with a cluster already on the default ports); the
 * submit library sends PATHs, or a demonstration corpus written by the generator into a
 * temporary folder, exactly as `lexmill submit` would. Workers share one extractor's
 * gazetteer and rules. Exit status as `lexmill submit`: 0, 1 when a document failed, 2
 * on usage or when the cluster cannot start. */
#include <czmq.h>
#include <ftw.h>
#include <getopt.h>
#include <msgpack.h>
#include <unistd.h>
#include "lxm_broker.h"
#include "lxm_collector.h"
#include "lxm_commands.h"
#include "lxm_extract.h"
#include "lxm_gen.h"
#include "lxm_store.h"
#include "lxm_submit.h"
#include "lxm_worker.h"

/* The generator is optional: a binary built without gen/ still runs over PATHs. */
#pragma weak lxm_gen_write

#define S_DEMO_DOCS 200   /* documents in the demonstration corpus */
#define S_DEMO_SEED 2024
#define S_SHOW_RECORDS 5  /* records printed after the run */
#define S_MAX_WORKERS 256

static void s_help(FILE *out)
{
    fprintf(out,
            "usage: lexmill run [--workers N] [--store DIR] [--verbose] [PATH...]\n"
            "\n"
            "Starts a collector (storing into DIR), a broker and N workers in this one\n"
            "process, submits every file under PATHs (or, with none, a demonstration\n"
            "corpus of %d generated reports in a temporary folder, removed afterwards),\n"
            "prints the summary and a few of the stored records, and stops.\n"
            "\n"
            "  --workers N   parsing workers (default: the number of cores)\n"
            "  --store DIR   the LMDB store to write (default %s)\n"
            "  --verbose     log what every role does\n"
            "  --help        this text\n",
            S_DEMO_DOCS, LXM_COLLECTOR_STORE_DIR);
}

/* ---- the demonstration corpus ---------------------------------------------------- */

static int s_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path) == 0 ? 0 : -1;
}

/* Removes the folder DIR and everything under it (the demo corpus only). */
static void s_rm_tree(const char *dir)
{
    if (nftw(dir, s_rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        zsys_warning("lexmill run: could not remove %s completely", dir);
}

/* Writes the demo corpus into a new temporary folder. Returns the folder (caller frees
 * and removes it) or NULL after saying why. */
static char *s_demo_corpus(void)
{
    if (!lxm_gen_write) {
        fprintf(stderr, "lexmill run: this binary has no corpus generator (gen/); give "
                        "PATHs to process, e.g. lexmill run ../shared/corpus/seeds\n");
        return NULL;
    }
    const char *tmp = getenv("TMPDIR");
    char *dir = NULL;
    if (asprintf(&dir, "%s/lexmill-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
        return NULL;
    if (!mkdtemp(dir)) {
        fprintf(stderr, "lexmill run: cannot create a temporary folder: %s\n",
                strerror(errno));
        free(dir);
        return NULL;
    }
    lxm_gen_config_t cfg = {.n = S_DEMO_DOCS, .seed = S_DEMO_SEED};
    char *error = NULL;
    if (lxm_gen_write(&cfg, dir, &error) != 0) {
        fprintf(stderr, "lexmill run: generating the demo corpus failed: %s\n",
                error ? error : "?");
        free(error);
        s_rm_tree(dir);
        free(dir);
        return NULL;
    }
    /* the labels are for scoring, not a document to submit */
    char *gold = NULL;
    if (asprintf(&gold, "%s/gold.jsonl", dir) >= 0) {
        unlink(gold);
        free(gold);
    }
    printf("lexmill run: wrote a demonstration corpus of %d generated reports to %s\n",
           S_DEMO_DOCS, dir);
    return dir;
}

/* ---- showing stored records ------------------------------------------------------- */

/* The value under KEY in the msgpack map OBJ, or NULL. */
static const msgpack_object *s_get(const msgpack_object *obj, const char *key)
{
    if (!obj || obj->type != MSGPACK_OBJECT_MAP)
        return NULL;
    size_t klen = strlen(key);
    for (uint32_t i = 0; i < obj->via.map.size; i++) {
        const msgpack_object *k = &obj->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == klen &&
            memcmp(k->via.str.ptr, key, klen) == 0)
            return &obj->via.map.ptr[i].val;
    }
    return NULL;
}

/* Prints a string value, or "-" for null/absent. */
static void s_put_str(const msgpack_object *v, FILE *out)
{
    if (v && v->type == MSGPACK_OBJECT_STR)
        fprintf(out, "%.*s", (int) v->via.str.size, v->via.str.ptr);
    else
        fputc('-', out);
}

/* One line about the record: title, unit, code, year, facts. Sets *unit_name (malloc'ed)
 * to the record's unit name when it has one and *unit_name is still NULL. */
static void s_show_record(const void *rec, size_t len, FILE *out, char **unit_name)
{
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    size_t off = 0;
    if (msgpack_unpack_next(&up, rec, len, &off) != MSGPACK_UNPACK_SUCCESS) {
        fprintf(out, "  (unreadable record)\n");
        msgpack_unpacked_destroy(&up);
        return;
    }
    const msgpack_object *root = &up.data;
    const msgpack_object *unit = s_get(root, "unit");
    const msgpack_object *year = s_get(root, "year");
    const msgpack_object *facts = s_get(root, "facts");
    fputs("  ", out);
    const msgpack_object *title = s_get(root, "title");
    if (title && title->type == MSGPACK_OBJECT_STR)
        s_put_str(title, out);
    else
        fputs("(no title line)", out);
    fputs("\n      unit ", out);
    s_put_str(s_get(unit, "name"), out);
    fputs(" (", out);
    s_put_str(s_get(unit, "level"), out);
    fputs(", code ", out);
    s_put_str(s_get(unit, "code"), out);
    fputs(", ", out);
    s_put_str(s_get(unit, "match"), out);
    fputs(")  year ", out);
    if (year && year->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        fprintf(out, "%" PRIu64, year->via.u64);
    else
        fputc('-', out);
    fprintf(out, "  facts %u\n",
            facts && facts->type == MSGPACK_OBJECT_ARRAY ? facts->via.array.size : 0);
    const msgpack_object *name = s_get(unit, "name");
    if (!*unit_name && name && name->type == MSGPACK_OBJECT_STR)
        *unit_name = lxm_xstrndup(name->via.str.ptr, name->via.str.size);
    msgpack_unpacked_destroy(&up);
}

/* Prints up to S_SHOW_RECORDS records this run stored, read back from the store, then
 * how to query them. */
static void s_show_records(const lxm_submit_t *sub, const char *store_dir)
{
    char *unit_name = NULL;
    const char *first_id = NULL;
    char *err = NULL;
    lxm_store_t *store = lxm_store_open(store_dir, LXM_STORE_RDONLY, 0, &err);
    if (!store) {
        fprintf(stderr, "lexmill run: cannot read the store back: %s\n", err ? err : "?");
        free(err);
        return;
    }
    int shown = 0;
    for (size_t i = 0; i < lxm_submit_total(sub) && shown < S_SHOW_RECORDS; i++) {
        const char *id = lxm_submit_doc_id(sub, i);
        if (!id)
            continue;
        void *rec = NULL;
        size_t len = 0;
        if (lxm_store_get(store, id, &rec, &len, NULL, NULL) != 0)
            continue;
        if (shown == 0)
            printf("\nsome of the stored records:\n");
        s_show_record(rec, len, stdout, &unit_name);
        free(rec);
        if (!first_id)
            first_id = id;
        shown++;
    }
    lxm_store_counts_t counts;
    if (lxm_store_counts(store, &counts) == 0)
        printf("\nthe store %s now holds %" PRIu64 " records.\n", store_dir, counts.records);
    lxm_store_close(&store);
    printf("\nquery it (read-only, also while a collector writes):\n"
           "  lexmill find --store %s --unit %s [--year YEAR]\n"
           "  lexmill get --store %s %s\n"
           "  lexmill export --store %s > records.ndjson\n",
           store_dir, unit_name ? unit_name : "NAME", store_dir, first_id ? first_id : "ID",
           store_dir);
    free(unit_name);
}

/* ---- the command ------------------------------------------------------------------ */

int lxm_cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"workers", required_argument, NULL, 'w'},
        {"store", required_argument, NULL, 's'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long n_workers = sysconf(_SC_NPROCESSORS_ONLN);
    const char *store_dir = LXM_COLLECTOR_STORE_DIR;
    bool verbose = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "w:s:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': {
            char *end = NULL;
            n_workers = strtol(optarg, &end, 10);
            if (!end || *end || n_workers < 1 || n_workers > S_MAX_WORKERS) {
                fprintf(stderr, "lexmill run: --workers needs a number 1..%d\n",
                        S_MAX_WORKERS);
                return 2;
            }
            break;
        }
        case 's':
            store_dir = optarg;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            s_help(stdout);
            return 0;
        default:
            s_help(stderr);
            return 2;
        }
    }
    if (n_workers < 1)
        n_workers = 1;

    zsys_init();
    zsys_catch_interrupts();
    /* the roles log to stderr, so stdout holds just the summary and the records */
    zsys_set_logstream(stderr);
    int rc = 2;
    char *demo = NULL;
    lxm_extractor_t *extractor = NULL;
    zactor_t *collector = NULL, *broker = NULL;
    zactor_t **workers = lxm_xcalloc((size_t) n_workers, sizeof *workers);
    lxm_submit_t *sub = NULL;

    /* inproc names are per process; the pid keeps them readable in logs */
    char ep_clients[64], ep_workers[64], ep_results[64], ep_query[64], ep_feed[64];
    int pid = (int) getpid();
    snprintf(ep_clients, sizeof ep_clients, "inproc://lexmill-%d-clients", pid);
    snprintf(ep_workers, sizeof ep_workers, "inproc://lexmill-%d-workers", pid);
    snprintf(ep_results, sizeof ep_results, "inproc://lexmill-%d-results", pid);
    snprintf(ep_query, sizeof ep_query, "inproc://lexmill-%d-query", pid);
    snprintf(ep_feed, sizeof ep_feed, "inproc://lexmill-%d-feed", pid);

    lxm_collector_config_t ccfg;
    lxm_collector_config_defaults(&ccfg);
    ccfg.store_dir = store_dir;
    ccfg.results_endpoint = ep_results;
    ccfg.query_endpoint = ep_query;
    ccfg.feed_endpoint = ep_feed;
    ccfg.verbose = verbose;
    collector = lxm_collector_new(&ccfg);
    if (!collector) {
        fprintf(stderr, "lexmill run: the collector could not start on %s\n", store_dir);
        goto done;
    }
    lxm_broker_config_t bcfg;
    lxm_broker_config_defaults(&bcfg);
    bcfg.clients_endpoint = ep_clients;
    bcfg.workers_endpoint = ep_workers;
    bcfg.verbose = verbose;
    broker = lxm_broker_new(&bcfg);
    if (!broker) {
        fprintf(stderr, "lexmill run: the broker could not start\n");
        goto done;
    }
    char *error = NULL;
    extractor = lxm_extractor_new(&error);
    if (!extractor) {
        fprintf(stderr, "lexmill run: cannot load the extraction data: %s\n",
                error ? error : "?");
        free(error);
        goto done;
    }
    for (long i = 0; i < n_workers; i++) {
        char name[32];
        snprintf(name, sizeof name, "worker %ld", i + 1);
        lxm_worker_config_t wcfg;
        lxm_worker_config_defaults(&wcfg);
        wcfg.broker_endpoint = ep_workers;
        wcfg.collector_endpoint = ep_results;
        wcfg.shared = extractor;
        wcfg.name = name;
        wcfg.verbose = verbose;
        workers[i] = lxm_worker_new(&wcfg);
        if (!workers[i]) {
            fprintf(stderr, "lexmill run: %s could not start\n", name);
            goto done;
        }
    }
    printf("lexmill run: collector (store %s), broker and %ld worker%s running in this "
           "process\n",
           store_dir, n_workers, n_workers == 1 ? "" : "s");

    lxm_submit_opts_t sopts = {.broker = ep_clients};
    sub = lxm_submit_new(&sopts);
    if (optind < argc) {
        for (int i = optind; i < argc; i++)
            lxm_submit_add_path(sub, argv[i]);
    }
    else {
        demo = s_demo_corpus();
        if (!demo)
            goto done;
        lxm_submit_add_path(sub, demo);
    }
    printf("lexmill run: submitting %zu documents\n", lxm_submit_total(sub));
    fflush(stdout);
    int srun = lxm_submit_run(sub);
    lxm_submit_print_summary(sub, stdout);
    rc = srun == 0 ? 0 : 1;

done:
    /* workers first (nothing is left in flight once submit returned), then the broker,
     * then the collector, whose last commit the workers have already seen */
    for (long i = 0; i < n_workers; i++)
        lxm_worker_destroy(&workers[i]);
    free(workers);
    lxm_broker_destroy(&broker);
    lxm_collector_destroy(&collector);
    lxm_extractor_destroy(&extractor);
    if (sub && lxm_submit_stored(sub) + lxm_submit_duplicates(sub) > 0)
        s_show_records(sub, store_dir);
    lxm_submit_destroy(&sub);
    if (demo) {
        s_rm_tree(demo);
        free(demo);
    }
    return rc;
}
