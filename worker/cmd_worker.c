/* `lexmill worker`: runs the worker actor until SIGINT or SIGTERM. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_commands.h"
#include "lxm_role.h"
#include "lxm_worker.h"

static void s_help(FILE *out)
{
    fprintf(out,
            "usage: lexmill worker [OPTIONS]\n"
            "Takes documents from a broker, extracts their records and stores them through\n"
            "a collector; reports each document to the broker once the collector has it.\n\n"
            "  --broker EP        the broker's workers endpoint (default %s)\n"
            "  --collector EP     the collector's results endpoint (default %s)\n"
            "  --credit N         documents held at once (default %d)\n"
            "  --heartbeat MS     heartbeat interval (default 1000)\n"
            "  --liveness N       silent broker intervals before reconnecting (default 3)\n"
            "  --name TEXT        log prefix (default \"worker\")\n"
            "  --verbose          log every document\n"
            "  --help             this text\n",
            LXM_WORKER_BROKER_EP, LXM_WORKER_COLLECTOR_EP, LXM_WORKER_CREDIT);
}

int lxm_cmd_worker(int argc, char **argv)
{
    lxm_worker_config_t cfg;
    lxm_worker_config_defaults(&cfg);
    static const struct option opts[] = {
        {"broker", required_argument, NULL, 'b'},
        {"collector", required_argument, NULL, 'c'},
        {"credit", required_argument, NULL, 'C'},
        {"heartbeat", required_argument, NULL, 'H'},
        {"liveness", required_argument, NULL, 'l'},
        {"name", required_argument, NULL, 'n'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    int opt;
    long long v;
    while ((opt = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
        switch (opt) {
        case 'b': cfg.broker_endpoint = optarg; break;
        case 'c': cfg.collector_endpoint = optarg; break;
        case 'n': cfg.name = optarg; break;
        case 'v': cfg.verbose = true; break;
        case 'h': s_help(stdout); return 0;
        case 'C': case 'H': case 'l':
            v = lxm_role_number(optarg, opt == 'C' ? 100000 : 1000000);
            if (v < 0) {
                fprintf(stderr, "lexmill worker: bad number '%s'\n", optarg);
                return 2;
            }
            if (opt == 'C') cfg.credit = (uint32_t) v;
            else if (opt == 'H') cfg.heartbeat_ms = (int) v;
            else cfg.liveness = (int) v;
            break;
        default:
            s_help(stderr);
            return 2;
        }
    }
    if (lxm_role_no_operands(argc, argv, "worker", s_help) != 0)
        return 2;
    zsys_set_logstream(stderr); /* diagnostics, not output: keep stdout clean */
    zactor_t *worker = lxm_worker_new(&cfg);
    if (!worker)
        return 1;
    int rc = lxm_role_run(worker, "worker");
    lxm_worker_destroy(&worker);
    return rc;
}
