/* `lexmill worker`: runs the worker actor until SIGINT or SIGTERM. */
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
    const lxm_opt_t opts[] = {
        {"broker", LXM_OPT_TEXT, &cfg.broker_endpoint, 0, 0, NULL},
        {"collector", LXM_OPT_TEXT, &cfg.collector_endpoint, 0, 0, NULL},
        {"credit", LXM_OPT_U32, &cfg.credit, 100000, 1, "credit"},
        {"heartbeat", LXM_OPT_INT, &cfg.heartbeat_ms, 1000000, 1, "heartbeat (ms)"},
        {"liveness", LXM_OPT_INT, &cfg.liveness, 1000000, 1, "liveness"},
        {"name", LXM_OPT_TEXT, &cfg.name, 0, 0, NULL},
        {"verbose", LXM_OPT_FLAG, &cfg.verbose, 0, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    int rc = lxm_role_options(argc, argv, "worker", opts, s_help);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    zsys_set_logstream(stderr); /* diagnostics, not output: keep stdout clean */
    zactor_t *worker = lxm_worker_new(&cfg);
    if (!worker)
        return 1;
    rc = lxm_role_run(worker, "worker");
    lxm_worker_destroy(&worker);
    return rc;
}
