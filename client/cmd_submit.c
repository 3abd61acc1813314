/* `lexmill submit`: send files and folders to a broker and wait for every result.
 * Exit status: 0 all stored or already stored, 1 some document failed, 2 usage. */
#include <czmq.h>
#include <getopt.h>
#include <stdlib.h>
#include "lxm_commands.h"
#include "lxm_submit.h"

static void s_help(FILE *out)
{
    fprintf(out,
            "usage: lexmill submit [--broker EP] [--window N] [--timeout S] [--quiet] PATH...\n"
            "\n"
            "Sends every file under PATHs (folders recursively, sorted, dot-files skipped)\n"
            "to a broker and waits until each is stored, already stored, or failed.\n"
            "Unresolved documents are resent when the broker restarts or goes silent.\n"
            "\n"
            "  --broker EP     broker clients endpoint (default %s)\n"
            "  --window N      documents in flight at once (default %d)\n"
            "  --timeout S     fail what is unresolved after S seconds (default: none)\n"
            "  --max-bytes N   files larger than N bytes fail locally (default %u)\n"
            "  --progress MODE bar | lines | none (default: bar on a terminal, else lines)\n"
            "  --quiet         no progress, only the summary\n"
            "  --help          this text\n"
            "\n"
            "Prints \"N stored, N already stored, N failed (T s, X docs/s)\" and one line per\n"
            "failure. Exit status 0 when nothing failed, 1 when something did, 2 on usage.\n",
            LXM_SUBMIT_BROKER, LXM_SUBMIT_WINDOW, LXM_SUBMIT_MAX_BYTES);
}

/* Parses a positive number into *out; returns -1 when TEXT is not one. */
static int s_number(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v > 0))
        return -1;
    *out = v;
    return 0;
}

int lxm_cmd_submit(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"broker", required_argument, NULL, 'b'},
        {"window", required_argument, NULL, 'w'},
        {"timeout", required_argument, NULL, 't'},
        {"max-bytes", required_argument, NULL, 'm'},
        {"progress", required_argument, NULL, 'p'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lxm_submit_opts_t opts = {0};
    double v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:w:t:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'b':
            opts.broker = optarg;
            break;
        case 'w':
            if (s_number(optarg, &v) != 0 || v > 1e6 || v != (double) (size_t) v) {
                fprintf(stderr, "lexmill submit: --window needs a whole number 1..1000000\n");
                return 2;
            }
            opts.window = (size_t) v;
            break;
        case 't':
            if (s_number(optarg, &v) != 0) {
                fprintf(stderr, "lexmill submit: --timeout needs a number of seconds > 0\n");
                return 2;
            }
            opts.timeout_ms = (int64_t) (v * 1000.0);
            break;
        case 'm':
            if (s_number(optarg, &v) != 0 || v > 1e12) {
                fprintf(stderr, "lexmill submit: --max-bytes needs a number of bytes > 0\n");
                return 2;
            }
            opts.max_bytes = (size_t) v;
            break;
        case 'p':
            if (strcmp(optarg, "bar") == 0)
                opts.progress = LXM_PROGRESS_BAR;
            else if (strcmp(optarg, "lines") == 0)
                opts.progress = LXM_PROGRESS_LINES;
            else if (strcmp(optarg, "none") == 0)
                opts.progress = LXM_PROGRESS_NONE;
            else {
                fprintf(stderr, "lexmill submit: --progress is bar, lines or none\n");
                return 2;
            }
            break;
        case 'q':
            opts.progress = LXM_PROGRESS_NONE;
            break;
        case 'h':
            s_help(stdout);
            return 0;
        default:
            s_help(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "lexmill submit: no PATH given\n\n");
        s_help(stderr);
        return 2;
    }
    /* CZMQ's own handler sets zsys_interrupted, which the run loop checks. */
    zsys_init();
    zsys_catch_interrupts();
    zsys_set_logstream(stderr); /* stdout is for the summary */
    lxm_submit_t *sub = lxm_submit_new(&opts);
    for (int i = optind; i < argc; i++)
        lxm_submit_add_path(sub, argv[i]);
    if (lxm_submit_total(sub) == 0)
        fprintf(stderr, "lexmill submit: no documents under the given paths\n");
    int rc = lxm_submit_run(sub);
    lxm_submit_print_summary(sub, stdout);
    fflush(stdout);
    lxm_submit_destroy(&sub);
    return rc == 0 ? 0 : 1;
}
