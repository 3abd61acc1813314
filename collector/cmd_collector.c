/* `lexmill collector`: runs the collector actor until SIGINT or SIGTERM, then prints a
 * one-line summary of its counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_collector.h"
#include "lxm_commands.h"
#include "lxm_role.h"

static void s_help(FILE *out)
{
    fprintf(out,
            "usage: lexmill collector [OPTIONS]\n"
            "Stores the records workers send in an LMDB store (group commits, each STORE\n"
            "acknowledged after its commit), answers get/find/export/status queries and\n"
            "publishes every newly stored record on a feed.\n\n"
            "  --store DIR        store directory, created when missing (default %s)\n"
            "  --results EP       bind address for workers' records (default %s)\n"
            "  --query EP         bind address for queries (default %s)\n"
            "  --feed EP          bind address of the PUB feed (default %s)\n"
            "  --map-size GB      LMDB map size in GiB (default 64; sparse, grows when full)\n"
            "  --batch N          most records per transaction (default 1000)\n"
            "  --verbose          log every message\n"
            "  --help             this text\n",
            LXM_COLLECTOR_STORE_DIR, LXM_COLLECTOR_RESULTS_EP, LXM_COLLECTOR_QUERY_EP,
            LXM_COLLECTOR_FEED_EP);
}

/* Reads "key":N out of the counters JSON (0 when absent). */
static unsigned long long s_counter(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = json ? strstr(json, pat) : NULL;
    return p ? strtoull(p + strlen(pat), NULL, 10) : 0;
}

int lxm_cmd_collector(int argc, char **argv)
{
    lxm_collector_config_t cfg;
    lxm_collector_config_defaults(&cfg);
    const lxm_opt_t opts[] = {
        {"store", LXM_OPT_TEXT, &cfg.store_dir, 0, 0, NULL},
        {"results", LXM_OPT_TEXT, &cfg.results_endpoint, 0, 0, NULL},
        {"query", LXM_OPT_TEXT, &cfg.query_endpoint, 0, 0, NULL},
        {"feed", LXM_OPT_TEXT, &cfg.feed_endpoint, 0, 0, NULL},
        {"map-size", LXM_OPT_U64, &cfg.map_size, 1 << 20, 1LL << 30, "map size (GiB)"},
        {"batch", LXM_OPT_SIZE, &cfg.max_batch, 1000000, 1, "batch size"},
        {"verbose", LXM_OPT_FLAG, &cfg.verbose, 0, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    int rc = lxm_role_options(argc, argv, "collector", opts, s_help);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    zactor_t *collector = lxm_collector_new(&cfg);
    if (!collector) {
        fprintf(stderr, "lexmill collector: could not start (see the log line above)\n");
        return 1;
    }
    rc = lxm_role_run(collector, "collector");
    char *json = rc == 0 ? lxm_collector_stats(collector) : NULL;
    lxm_collector_destroy(&collector);
    if (json) {
        fprintf(stderr,
                "collector: %llu stored, %llu duplicate, %llu resent, %llu invalid, "
                "%llu failed, %llu protocol errors, %llu commits, %llu records in store\n",
                s_counter(json, "stored"), s_counter(json, "duplicate"),
                s_counter(json, "resent"), s_counter(json, "invalid"),
                s_counter(json, "failed"), s_counter(json, "protocol_errors"),
                s_counter(json, "commits"), s_counter(json, "records"));
        free(json);
    }
    return rc;
}
