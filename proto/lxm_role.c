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
