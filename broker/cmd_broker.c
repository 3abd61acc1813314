/* `lexmill broker`: runs the broker actor until SIGINT or SIGTERM. */
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
    const lxm_opt_t opts[] = {
        {"clients", LXM_OPT_TEXT, &cfg.clients_endpoint, 0, 0, NULL},
        {"workers", LXM_OPT_TEXT, &cfg.workers_endpoint, 0, 0, NULL},
        {"heartbeat", LXM_OPT_INT, &cfg.heartbeat_ms, 1000000, 1, "heartbeat (ms)"},
        {"liveness", LXM_OPT_INT, &cfg.liveness, 1000000, 1, "liveness"},
        {"job-timeout", LXM_OPT_INT, &cfg.job_timeout_ms, 1000000, 1000, "job timeout (s)"},
        {"max-attempts", LXM_OPT_INT, &cfg.max_attempts, 1000000, 1, "attempt count"},
        {"queue", LXM_OPT_SIZE, &cfg.queue_max_docs, 100000000, 1, "queue length"},
        {"queue-mb", LXM_OPT_SIZE, &cfg.queue_max_bytes, 1000000, 1 << 20, "queue size (MiB)"},
        {"verbose", LXM_OPT_FLAG, &cfg.verbose, 0, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    int rc = lxm_role_options(argc, argv, "broker", opts, s_help);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    zsys_set_logstream(stderr); /* diagnostics, not output: keep stdout clean */
    zactor_t *broker = lxm_broker_new(&cfg);
    if (!broker)
        return 1;
    rc = lxm_role_run(broker, "broker");
    lxm_broker_destroy(&broker);
    return rc;
}
