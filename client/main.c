/* lexmill: one program, a subcommand per role, so one binary ships to every host. */
#include <stdio.h>
#include <string.h>
#include "lxm_commands.h"

typedef struct {
    const char *name;     /* subcommand */
    lxm_command_fn *fn;   /* NULL while not linked in */
    const char *summary;  /* one line for the overview */
} command_t;

static void s_usage(FILE *out, const command_t *cmds, size_t n)
{
    fprintf(out,
            "lexmill %s: turns crawls of 法治政府建设年度报告 into a queryable store\n\n"
            "usage: lexmill COMMAND [OPTIONS]   (lexmill COMMAND --help for its options)\n\n"
            "commands:\n",
            LXM_VERSION);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  %-10s %s%s\n", cmds[i].name, cmds[i].summary,
                cmds[i].fn ? "" : " (not built)");
}

int main(int argc, char **argv)
{
    const command_t cmds[] = {
        {"run", lxm_cmd_run, "a whole local cluster in one process over PATHs or a demo corpus"},
        {"submit", lxm_cmd_submit, "send files and folders to a broker, wait for every result"},
        {"broker", lxm_cmd_broker, "distribute documents to workers (ROUTER/ROUTER)"},
        {"worker", lxm_cmd_worker, "parse documents and send records to a collector"},
        {"collector", lxm_cmd_collector, "store records in LMDB, answer queries, publish a feed"},
        {"get", lxm_cmd_get, "print one stored record by content id"},
        {"find", lxm_cmd_find, "list stored records by unit, code, year or province"},
        {"export", lxm_cmd_export, "print every stored record as NDJSON"},
        {"follow", lxm_cmd_follow, "print records as the collector stores them"},
        {"status", lxm_cmd_status, "print a broker's or collector's counters"},
        {"parse", lxm_cmd_parse, "print the record of each FILE as NDJSON, no cluster"},
        {"gen", lxm_cmd_gen, "write a labelled synthetic corpus with its gold labels"},
        {"bench", lxm_cmd_bench, "measure parse, pipeline, store and lookup speed"},
    };
    const size_t n = sizeof cmds / sizeof cmds[0];
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        s_usage(stdout, cmds, n);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("lexmill %s\n", LXM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], cmds[i].name) == 0) {
            if (!cmds[i].fn) {
                fprintf(stderr, "lexmill: command '%s' is not built into this binary\n",
                        argv[1]);
                return 2;
            }
            return cmds[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "lexmill: unknown command '%s'\n\n", argv[1]);
    s_usage(stderr, cmds, n);
    return 2;
}
