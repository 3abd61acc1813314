/* `lexmill collector`: runs the collector actor until SIGINT or SIGTERM, then prints a
 * one-line summary of its counters. */
#include <getopt.h>
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
    static const struct option opts[] = {
        {"store", required_argument, NULL, 's'},
        {"results", required_argument, NULL, 'r'},
        {"query", required_argument, NULL, 'q'},
        {"feed", required_argument, NULL, 'f'},
        {"map-size", required_argument, NULL, 'm'},
        {"batch", required_argument, NULL, 'b'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    int opt;
    long long v;
    while ((opt = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
        switch (opt) {
        case 's': cfg.store_dir = optarg; break;
        case 'r': cfg.results_endpoint = optarg; break;
        case 'q': cfg.query_endpoint = optarg; break;
        case 'f': cfg.feed_endpoint = optarg; break;
        case 'v': cfg.verbose = true; break;
        case 'h': s_help(stdout); return 0;
        case 'm':
            if ((v = lxm_role_number(optarg, 1 << 20)) < 0) {
                fprintf(stderr, "lexmill collector: bad map size '%s' (GiB, a whole number)\n",
                        optarg);
                return 2;
            }
            cfg.map_size = (uint64_t) v << 30;
            break;
        case 'b':
            if ((v = lxm_role_number(optarg, 1000000)) < 0) {
                fprintf(stderr, "lexmill collector: bad batch size '%s'\n", optarg);
                return 2;
            }
            cfg.max_batch = (size_t) v;
            break;
        default:
            s_help(stderr);
            return 2;
        }
    }
    if (lxm_role_no_operands(argc, argv, "collector", s_help) != 0)
        return 2;
    zactor_t *collector = lxm_collector_new(&cfg);
    if (!collector) {
        fprintf(stderr, "lexmill collector: could not start (see the log line above)\n");
        return 1;
    }
    int rc = lxm_role_run(collector, "collector");
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
