/* lxm_role: the shell the long-running roles (broker, collector, worker) share: starting
 * an actor with its two-step handshake, its pipe commands, a hardened bound socket, and
 * the command-line side (whole-number options, running an actor until a signal).
 *
 * Promises:
 *  - lxm_role_start returns a started actor or NULL; never an actor that failed setup.
 *  - lxm_role_pipe never asserts on what arrives on the pipe: $TERM (or an interrupted
 *    receive) asks the caller to stop, STATS and ENDPOINTS are answered, anything else
 *    is logged and ignored.
 *  - lxm_role_run returns only after SIGINT/SIGTERM (zsys_interrupted) or the actor's
 *    death, and says which by its return value; it never destroys the actor. */
#ifndef LXM_ROLE_H
#define LXM_ROLE_H
#include <czmq.h>
#include <stdio.h>

/* Starts ACTOR with ARGS and waits for its second signal (0 once set up, else the actor
 * failed and ends). Returns the actor, or NULL. */
zactor_t *lxm_role_start(zactor_fn *actor, void *args);

/* Asks a role actor for its counters (pipe command "STATS"); the JSON the caller frees,
 * or NULL. */
char *lxm_role_stats(zactor_t *self);

/* Handles one command waiting on an actor PIPE. "STATS" is answered with STATS(ARG)
 * (a string the helper frees); "ENDPOINTS" with one frame per string of the NULL-ended
 * ENDPOINTS (NULL: the role has none, and the command is unknown). NAME prefixes log
 * lines. Returns -1 when the actor must stop ($TERM, or the pipe was interrupted),
 * else 0. */
int lxm_role_pipe(zsock_t *pipe, const char *name, char *(*stats)(void *arg), void *arg,
                  const char *const *endpoints);

/* A socket of TYPE, hardened (lxm_sock_harden) and bound to EP. *BOUND gets the
 * resolved endpoint (caller frees). Returns NULL after logging "NAME: cannot ..." with
 * WHAT (e.g. "results") when the socket cannot be made or bound. */
zsock_t *lxm_role_bind(int type, const char *ep, const char *name, const char *what,
                       char **bound);

/* After option parsing (getopt's optind): 0 when no operand is left, else logs
 * "lexmill NAME: unexpected argument 'X'", prints HELP to stderr and returns 2 (the
 * usage exit status). */
int lxm_role_no_operands(int argc, char **argv, const char *name, void (*help)(FILE *out));

/* A whole positive number no larger than MAX in TEXT, or -1. */
long long lxm_role_number(const char *text, long long max);

/* A role command's options as a table: each names where its value goes. */
typedef enum {
    LXM_OPT_FLAG,   /* bool, set to true; takes no value */
    LXM_OPT_TEXT,   /* const char *, the argument itself */
    LXM_OPT_INT,    /* int, a whole number 1..MAX, times SCALE */
    LXM_OPT_U32,    /* uint32_t, likewise */
    LXM_OPT_SIZE,   /* size_t, likewise */
    LXM_OPT_U64,    /* uint64_t, likewise */
} lxm_opt_kind_t;

typedef struct {
    const char *name;     /* the long option, without "--"; NULL ends the table */
    lxm_opt_kind_t kind;
    void *target;         /* where the value goes (the type the kind names) */
    long long max;        /* numbers: the largest accepted as typed */
    long long scale;      /* numbers: the value stored is the number times this (0 = 1) */
    const char *what;     /* numbers: what the error calls it, e.g. "map size (GiB)" */
} lxm_opt_t;

/* Parses ARGV against OPTS (plus --help) for `lexmill NAME`. Returns 0 when the role
 * should run, 1 after printing HELP to stdout for --help (exit 0), or 2 after saying on
 * stderr what was wrong (an unknown option, a bad number, an operand) and printing
 * HELP there (the usage exit status). */
int lxm_role_options(int argc, char **argv, const char *name, const lxm_opt_t *opts,
                     void (*help)(FILE *out));

/* Runs until SIGINT/SIGTERM or until ACTOR stops on its own. Returns 0 after a signal,
 * 1 (after logging it under NAME) when the actor died. The caller destroys ACTOR. */
int lxm_role_run(zactor_t *actor, const char *name);

#endif
