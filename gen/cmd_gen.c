/* lexmill gen: writes a labelled synthetic corpus (see gen/lxm_gen.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lxm_commands.h"
#include "lxm_gen.h"

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: lexmill gen --n N --seed S --out DIR [--quiet]\n"
            "                   [--mix HTML,GB18030,NONREPORT]\n\n"
            "Writes N synthetic 法治政府建设年度报告 into DIR/0000/, DIR/0001/, ... (1,000 per\n"
            "folder) and their labels into DIR/gold.jsonl (the format of corpus/gold.jsonl).\n"
            "Same N and seed give byte-identical files. --mix sets the percent of HTML pages,\n"
            "GB18030 files and non-reports (default 20,10,3; the rest is UTF-8 text).\n");
}

/* Parses a whole unsigned decimal; returns -1 on anything else. */
static int s_u64(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return -1;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

int lxm_cmd_gen(int argc, char **argv)
{
    lxm_gen_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n = 1000;
    cfg.seed = 1;
    cfg.progress = 1;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            s_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--n") && v) {
            if (s_u64(v, &cfg.n) != 0) {
                fprintf(stderr, "lexmill gen: --n wants a number, not '%s'\n", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--seed") && v) {
            if (s_u64(v, &cfg.seed) != 0) {
                fprintf(stderr, "lexmill gen: --seed wants a number, not '%s'\n", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--out") && v) {
            out = v;
            i++;
        } else if (!strcmp(a, "--mix") && v) {
            int h, g, n;
            if (sscanf(v, "%d,%d,%d", &h, &g, &n) != 3 || h < 0 || g < 0 || n < 0 ||
                h + g + n > 100) {
                fprintf(stderr, "lexmill gen: --mix wants HTML,GB18030,NONREPORT percents\n");
                return 2;
            }
            cfg.custom_mix = 1;
            cfg.pct_html = h;
            cfg.pct_gb18030 = g;
            cfg.pct_nonreport = n;
            i++;
        } else if (!strcmp(a, "--quiet")) {
            cfg.progress = 0;
        } else {
            fprintf(stderr, "lexmill gen: unknown or incomplete option '%s'\n\n", a);
            s_usage(stderr);
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "lexmill gen: --out DIR is required\n\n");
        s_usage(stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lxm_gen_stats_t st;
    char *error = NULL;
    if (lxm_gen_write_stats(&cfg, out, &st, &error) != 0) {
        fprintf(stderr, "lexmill gen: %s\n", error ? error : "failed");
        free(error);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (cfg.progress)
        fprintf(stderr,
                "gen: %llu files, %llu bytes (text %llu, html %llu, gb18030 %llu, "
                "non-report %llu), %llu facts labelled, %.2f s, seed %llu -> %s\n",
                (unsigned long long)st.files, (unsigned long long)st.bytes,
                (unsigned long long)st.text, (unsigned long long)st.html,
                (unsigned long long)st.gb18030, (unsigned long long)st.nonreport,
                (unsigned long long)st.facts, secs, (unsigned long long)cfg.seed, out);
    return 0;
}
