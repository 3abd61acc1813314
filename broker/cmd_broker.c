/* `lexmill broker`: runs the broker actor until SIGINT or SIGTERM. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_broker.h"
#include "lxm_commands.h"
#include "lxm_role.h"

static void s_help(FILE *out)
{
    fprintf(out,
            "usage: lexmill broker [OPTIONS]\n"
            "Hands documents from clients to parsing workers; requeues the jobs of workers\n"
            "that die or time out, and reports every document's result to its client.\n\n"
            "  --clients EP       bind address for clients (default %s)\n"
            "  --workers EP       bind address for workers (default %s)\n"
            "  --heartbeat MS     heartbeat interval (default 1000)\n"
            "  --liveness N       silent intervals before a worker is dead (default 3)\n"
            "  --job-timeout S    requeue a job in flight longer than S seconds (default 60)\n"
            "  --max-attempts N   dispatches per document before it is failed (default 3)\n"
            "  --queue N          queued documents before submissions pause (default 10000)\n"
            "  --queue-mb N       queued MiB before submissions pause (default 512)\n"
            "  --verbose          log every message\n"
            "  --help             this text\n",
            LXM_BROKER_CLIENTS_EP, LXM_BROKER_WORKERS_EP);
}

int lxm_cmd_broker(int argc, char **argv)
{
    lxm_broker_config_t cfg;
    lxm_broker_config_defaults(&cfg);
    static const struct option opts[] = {
        {"clients", required_argument, NULL, 'c'},
        {"workers", required_argument, NULL, 'w'},
        {"heartbeat", required_argument, NULL, 'H'},
        {"liveness", required_argument, NULL, 'l'},
        {"job-timeout", required_argument, NULL, 't'},
        {"max-attempts", required_argument, NULL, 'a'},
        {"queue", required_argument, NULL, 'q'},
        {"queue-mb", required_argument, NULL, 'm'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    int opt;
    long long v;
    while ((opt = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': cfg.clients_endpoint = optarg; break;
        case 'w': cfg.workers_endpoint = optarg; break;
        case 'v': cfg.verbose = true; break;
        case 'h': s_help(stdout); return 0;
        case 'H': case 'l': case 't': case 'a': case 'q': case 'm':
            v = lxm_role_number(optarg, opt == 'q' ? 100000000LL : 1000000LL);
            if (v < 0) {
                fprintf(stderr, "lexmill broker: bad number '%s'\n", optarg);
                return 2;
            }
            if (opt == 'H') cfg.heartbeat_ms = (int) v;
            else if (opt == 'l') cfg.liveness = (int) v;
            else if (opt == 't') cfg.job_timeout_ms = (int) (v > 2000000 ? 2000000000 : v * 1000);
            else if (opt == 'a') cfg.max_attempts = (int) v;
            else if (opt == 'q') cfg.queue_max_docs = (size_t) v;
            else cfg.queue_max_bytes = (size_t) v << 20;
            break;
        default:
            s_help(stderr);
            return 2;
        }
    }
    if (lxm_role_no_operands(argc, argv, "broker", s_help) != 0)
        return 2;
    zsys_set_logstream(stderr); /* diagnostics, not output: keep stdout clean */
    zactor_t *broker = lxm_broker_new(&cfg);
    if (!broker)
        return 1;
    int rc = lxm_role_run(broker, "broker");
    lxm_broker_destroy(&broker);
    return rc;
}
