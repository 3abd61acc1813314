/* lxm_role: the actor and command shell of broker, collector and worker (lxm_role.h). */
#include "lxm_role.h"
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include "lxm_buf.h"
#include "lxm_msg.h"

zactor_t *lxm_role_start(zactor_fn *actor, void *args)
{
    zactor_t *self = zactor_new(actor, args);
    if (!self)
        return NULL;
    if (zsock_wait(self) != 0) {
        zactor_destroy(&self);
        return NULL;
    }
    return self;
}

char *lxm_role_stats(zactor_t *self)
{
    if (!self || zstr_send(self, "STATS") != 0)
        return NULL;
    return zstr_recv(self);
}

int lxm_role_pipe(zsock_t *pipe, const char *name, char *(*stats)(void *arg), void *arg,
                  const char *const *endpoints)
{
    zmsg_t *request = zmsg_recv(pipe);
    if (!request)
        return -1; /* interrupted */
    char *command = zmsg_popstr(request);
    int rc = 0;
    if (!command || streq(command, "$TERM"))
        rc = -1;
    else if (streq(command, "STATS") && stats) {
        char *json = stats(arg);
        zstr_send(pipe, json);
        free(json);
    }
    else if (streq(command, "ENDPOINTS") && endpoints) {
        zmsg_t *reply = zmsg_new();
        for (size_t i = 0; endpoints[i]; i++)
            zmsg_addstr(reply, endpoints[i]);
        zmsg_send(&reply, pipe);
    }
    else
        zsys_warning("%s: unknown pipe command '%s'", name, command);
    free(command);
    zmsg_destroy(&request);
    return rc;
}

zsock_t *lxm_role_bind(int type, const char *ep, const char *name, const char *what,
                       char **bound)
{
    zsock_t *sock = zsock_new(type);
    if (!sock) {
        zsys_error("%s: cannot create the %s socket", name, what);
        return NULL;
    }
    lxm_sock_harden(sock);
    if (zsock_bind(sock, "%s", ep) < 0) {
        zsys_error("%s: cannot bind the %s endpoint %s: %s", name, what, ep,
                   zmq_strerror(zmq_errno()));
        zsock_destroy(&sock);
        return NULL;
    }
    char *last = zsock_last_endpoint(sock); /* a fresh string: ours to free */
    *bound = last ? last : lxm_xstrdup(ep);
    return sock;
}

int lxm_role_no_operands(int argc, char **argv, const char *name, void (*help)(FILE *out))
{
    if (optind >= argc)
        return 0;
    fprintf(stderr, "lexmill %s: unexpected argument '%s'\n", name, argv[optind]);
    if (help)
        help(stderr);
    return 2;
}

long long lxm_role_number(const char *text, long long max)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v <= 0 || v > max)
        return -1;
    return v;
}

/* Stores number V (already checked against the option's MAX) times its scale. */
static void s_store_number(const lxm_opt_t *o, long long v)
{
    long long x = v * (o->scale ? o->scale : 1);
    switch (o->kind) {
    case LXM_OPT_INT: *(int *) o->target = (int) x; break;
    case LXM_OPT_U32: *(uint32_t *) o->target = (uint32_t) x; break;
    case LXM_OPT_SIZE: *(size_t *) o->target = (size_t) x; break;
    case LXM_OPT_U64: *(uint64_t *) o->target = (uint64_t) x; break;
    default: break;
    }
}

int lxm_role_options(int argc, char **argv, const char *name, const lxm_opt_t *opts,
                     void (*help)(FILE *out))
{
    size_t n = 0;
    while (opts[n].name)
        n++;
    /* getopt's table: the role's options by index, then --help */
    struct option *table = lxm_xcalloc(n + 2, sizeof *table);
    for (size_t i = 0; i < n; i++)
        table[i] = (struct option){opts[i].name,
                                   opts[i].kind == LXM_OPT_FLAG ? no_argument : required_argument,
                                   NULL, (int) (i + 1000)};
    table[n] = (struct option){"help", no_argument, NULL, 'h'};
    optind = 1;
    int opt, rc = 0;
    while (rc == 0 && (opt = getopt_long(argc, argv, "h", table, NULL)) != -1) {
        if (opt == 'h') {
            help(stdout);
            rc = 1;
            break;
        }
        if (opt < 1000 || opt >= (int) (1000 + n)) {
            help(stderr); /* getopt named the unknown option already */
            rc = 2;
            break;
        }
        const lxm_opt_t *o = &opts[opt - 1000];
        if (o->kind == LXM_OPT_FLAG) {
            *(bool *) o->target = true;
        } else if (o->kind == LXM_OPT_TEXT) {
            *(const char **) o->target = optarg;
        } else {
            long long v = lxm_role_number(optarg, o->max);
            if (v < 0) {
                fprintf(stderr, "lexmill %s: bad %s '%s' (a whole number from 1 to %lld)\n",
                        name, o->what ? o->what : o->name, optarg, o->max);
                rc = 2;
                break;
            }
            s_store_number(o, v);
        }
    }
    free(table);
    if (rc == 0 && lxm_role_no_operands(argc, argv, name, help) != 0)
        rc = 2;
    return rc;
}

int lxm_role_run(zactor_t *actor, const char *name)
{
    /* the actor ignores signals; we stop it when one arrives (or when it dies) */
    zpoller_t *poller = zpoller_new(actor, NULL);
    int rc = 0;
    while (!zsys_interrupted) {
        void *which = zpoller_wait(poller, 500);
        if (which == actor) {
            zsys_error("%s: the %s actor stopped unexpectedly", name, name);
            rc = 1;
            break;
        }
    }
    zpoller_destroy(&poller);
    return rc;
}
