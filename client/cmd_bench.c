/* lexmill bench KIND: speed figures, each measured against a baseline in the same run.
 *
 * `bench parse` is here: the full extraction (lxm_extract) over a set of documents on one
 * core, then one PCRE2 JIT pass of a single "number + measure word" pattern over the
 * same bytes, and the ratio of the two (target: >= 0.40). The store and lookup kinds
 * live in bench/lxm_bench.c; the pipeline, scale and accuracy figures need several
 * processes and are measured by bench/run.sh (`make bench`). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lxm_bench.h"
#include "lxm_buf.h"
#include "lxm_commands.h"
#include "lxm_data.h"
#include "lxm_extract.h"
#include "lxm_facts.h"
#include "lxm_record.h"

/* Other bench kinds, each in its own file; NULL until linked in. */

/* The extraction engine is another module; weak so this file links (and benches the
 * facts scan alone) while it is not there. */
#pragma weak lxm_extractor_new
#pragma weak lxm_extractor_destroy
#pragma weak lxm_extract

/* The baseline of SPEC's performance target: every number followed by a measure word. */
static const char BASELINE[] =
    "(?:[0-9０-９]+(?:[.．][0-9０-９]+)?|[零〇一二两三四五六七八九十百千万亿]+)(?:余|多)?"
    "(?:场次|人次|[次场名人位份册件起条个项期篇艘堂户家所处批张本套台元%％])";

/* Used when no file is given and the seed corpus is not next to the repository. */
static const char *const SAMPLES[] = {
    "青山镇2024年法治政府建设年度报告\n"
    "一、主要举措和成效\n"
    "(一)加强学习。全年组织党委理论学习中心组学法6次，开展专题讲座3场，参学干部210余人次，"
    "组织全镇98名干部职工参加法治理论考试，合格率达100%。\n"
    "(二)深化普法。开展“八五”普法宣传活动24场次，发放宣传资料5600余份，悬挂横幅30条，"
    "覆盖群众1.2万余人次。\n"
    "(三)规范决策。聘请法律顾问2名，审核重大行政决策事项3项、政府合同41份，合法性审查覆盖率达100%。"
    "全年排查矛盾纠纷218起，化解率达98.6%。\n"
    "二、存在的不足和原因\n一是学法形式较为单一。二是执法人员力量不足。\n"
    "三、下一步工作安排\n2025年，我镇将持续推进法治政府建设。\n",
    "城关街道2023年度法治政府建设情况报告\n"
    "2023年，城关街道深入学习贯彻习近平法治思想。现将有关情况报告如下：\n"
    "一、履行推进法治建设第一责任人职责情况\n"
    "召开党工委会议专题研究法治建设工作4次，举办行政执法培训班2期，培训执法人员65人次。"
    "全年开展监督检查5次，发现整改问题7个，整改率达100%。受理群众信访举报36件，办结率100%。\n"
    "二、存在问题\n部分干部法治意识有待提升。\n"
    "三、2024年工作思路\n继续加强法治宣传教育，力争群众满意度达到95%以上。\n",
    "河西县司法局2022年法治政府建设年度报告\n"
    "一、主要成效\n"
    "全年办理行政复议案件12件，行政应诉案件9件，行政机关负责人出庭应诉率100%。"
    "提供法律咨询1360余件，办理人大代表建议15件、政协委员提案8件，"
    "通过政府网站公开信息420余条，答复信息公开申请6件。备案审查规范性文件11件。\n"
    "二、存在的不足\n基层法治力量仍然薄弱。\n",
};

typedef struct {
    char *name;  /* path, or "sample N" */
    char *bytes; /* owned */
    size_t len;
} s_doc_t;

typedef struct {
    s_doc_t *docs;
    size_t n, cap;
    size_t bytes; /* sum of lengths */
} s_docs_t;

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void s_docs_add(s_docs_t *d, const char *name, char *bytes, size_t len)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->docs = lxm_xrealloc(d->docs, d->cap * sizeof *d->docs);
    }
    d->docs[d->n++] = (s_doc_t){lxm_xstrdup(name), bytes, len};
    d->bytes += len;
}

static void s_docs_free(s_docs_t *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->docs[i].name);
        free(d->docs[i].bytes);
    }
    free(d->docs);
    memset(d, 0, sizeof *d);
}

/* Reads PATH whole. Returns 0, or -1 with a message on stderr. */
static int s_read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "lexmill bench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    lxm_buf_t b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        lxm_buf_append(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "lexmill bench: %s: read error\n", path);
        lxm_buf_free(&b);
        return -1;
    }
    *len = b.len;
    *out = b.len ? lxm_buf_take(&b) : lxm_xstrdup("");
    return 0;
}

static int s_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Adds the regular files under DIR, walking sub-directories (entries sorted, so the set
 * and order are the same on every run), skipping gold.jsonl label files and dot entries.
 * DEPTH bounds the walk against symlink loops. Returns how many files were added. */
static size_t s_add_dir_at(s_docs_t *d, const char *dir, int depth)
{
    if (depth > 32)
        return 0;
    DIR *dh = opendir(dir);
    if (!dh)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "gold.jsonl") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = lxm_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = lxm_xstrdup(e->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, s_cmp_str);
    size_t added = 0;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        free(names[i]);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            added += s_add_dir_at(d, path, depth + 1);
            continue;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        char *bytes;
        size_t len;
        if (s_read_file(path, &bytes, &len) == 0) {
            s_docs_add(d, path, bytes, len);
            added++;
        }
    }
    free(names);
    return added;
}

static size_t s_add_dir(s_docs_t *d, const char *dir)
{
    return s_add_dir_at(d, dir, 0);
}

/* Default documents: the seed corpus next to the repository (from the working directory
 * or from the binary's place), else the built-in samples. Returns where they came from. */
static const char *s_default_docs(s_docs_t *d)
{
    static char found[PATH_MAX];
    const char *tries[] = {"../shared/corpus/seeds", "../../shared/corpus/seeds"};
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++)
        if (s_add_dir(d, tries[i])) {
            snprintf(found, sizeof found, "%s", tries[i]);
            return found;
        }
    char exe[PATH_MAX - 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0; /* .../bin */
            snprintf(found, sizeof found, "%s/../../shared/corpus/seeds", exe);
            if (s_add_dir(d, found))
                return found;
        }
    }
    for (size_t i = 0; i < sizeof SAMPLES / sizeof SAMPLES[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "sample %zu", i + 1);
        s_docs_add(d, name, lxm_xstrdup(SAMPLES[i]), strlen(SAMPLES[i]));
    }
    return "built-in samples";
}

typedef struct {
    double seconds;     /* measured */
    unsigned long long passes, docs, bytes;
    unsigned long long items; /* facts found, or baseline matches, per whole run */
    unsigned long long errors;
} s_run_t;

/* Full extraction (or the facts scan alone: FACTS_ONLY, or the extractor not linked in)
 * over DOCS, repeated until SECONDS have passed. Returns -1 when the engine cannot start. */
static int s_run_extract(const s_docs_t *docs, double seconds, bool facts_only, s_run_t *r,
                         const char **engine)
{
    memset(r, 0, sizeof *r);
    lxm_record_t rec = {0};
    lxm_buf_t cleaned = {0};
    lxm_extractor_t *ex = NULL;
    lxm_rules_t *rules = NULL;
    lxm_facts_t *facts = NULL;
    char *error = NULL;
    if (!facts_only && lxm_extractor_new && lxm_extract && lxm_extractor_destroy) {
        ex = lxm_extractor_new(&error);
        if (!ex) {
            fprintf(stderr, "lexmill bench: extractor: %s\n", error ? error : "failed");
            free(error);
            return -1;
        }
        *engine = "lxm_extract";
    } else {
        size_t len;
        const char *text = lxm_data_get("indicators.rules", &len);
        rules = text ? lxm_rules_load(text, len, &error) : NULL;
        if (!rules) {
            fprintf(stderr, "lexmill bench: rules: %s\n", error ? error : "not embedded");
            free(error);
            return -1;
        }
        facts = lxm_facts_new(rules);
        *engine = facts_only ? "facts scan" : "facts scan (lxm_extract not linked in)";
    }
    double t0 = s_now(), t;
    do {
        for (size_t i = 0; i < docs->n; i++) {
            const s_doc_t *d = &docs->docs[i];
            if (ex) {
                char *err = NULL;
                if (lxm_extract(ex, d->name, d->bytes, d->len, &rec, &cleaned, &err) != 0) {
                    r->errors++;
                    free(err);
                }
            } else {
                lxm_record_reset(&rec);
                lxm_facts_extract(facts, d->bytes, d->len, 0, &rec);
            }
            r->items += rec.n_facts;
            r->docs++;
            r->bytes += d->len;
        }
        r->passes++;
        t = s_now();
    } while (t - t0 < seconds);
    r->seconds = t - t0;
    lxm_record_reset(&rec);
    lxm_buf_free(&cleaned);
    if (ex)
        lxm_extractor_destroy(&ex);
    lxm_facts_destroy(&facts);
    lxm_rules_destroy(&rules);
    return 0;
}

/* One PCRE2 JIT pass of the baseline pattern over DOCS, repeated for SECONDS. */
static int s_run_baseline(const s_docs_t *docs, double seconds, s_run_t *r)
{
    memset(r, 0, sizeof *r);
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR) BASELINE, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                   &code, &off, NULL);
    if (!re) {
        fprintf(stderr, "lexmill bench: baseline pattern does not compile\n");
        return -1;
    }
    if (pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0)
        fprintf(stderr, "lexmill bench: warning: PCRE2 JIT unavailable, baseline interpreted\n");
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    /* invalid UTF-8 would make every match call fail: such documents are checked once
     * here and skipped by the baseline (and counted) */
    bool *ok = lxm_xcalloc(docs->n ? docs->n : 1, sizeof *ok);
    for (size_t i = 0; i < docs->n; i++) {
        int rc = pcre2_match(re, (PCRE2_SPTR) docs->docs[i].bytes, docs->docs[i].len, 0, 0, md,
                             NULL);
        ok[i] = rc >= 0 || rc == PCRE2_ERROR_NOMATCH;
        if (!ok[i])
            r->errors++;
    }
    double t0 = s_now(), t;
    do {
        for (size_t i = 0; i < docs->n; i++) {
            if (!ok[i])
                continue;
            const s_doc_t *d = &docs->docs[i];
            PCRE2_SIZE start = 0;
            while (start <= d->len) {
                int rc = pcre2_match(re, (PCRE2_SPTR) d->bytes, d->len, start,
                                     PCRE2_NO_UTF_CHECK, md, NULL);
                if (rc < 0)
                    break;
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
                r->items++;
                start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
            }
            r->docs++;
            r->bytes += d->len;
        }
        r->passes++;
        t = s_now();
    } while (t - t0 < seconds);
    r->seconds = t - t0;
    free(ok);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return 0;
}

static void s_parse_usage(FILE *out)
{
    fprintf(out,
            "usage: lexmill bench parse [--seconds S] [--json] [FILE|DIR...]\n"
            "  Runs the full extraction over the files in a loop for S seconds (default 3) on\n"
            "  one core, then one PCRE2 JIT pass of a single 'number + measure word' pattern\n"
            "  over the same bytes for S seconds, and prints MB/s, docs/s and their ratio\n"
            "  (target >= 0.40). A DIR is walked with its sub-directories (gold.jsonl label\n"
            "  files are skipped). Without files: ../shared/corpus/seeds, else built-in samples.\n"
            "  --json   print the figures as one JSON object\n");
}

static int s_bench_parse(int argc, char **argv)
{
    double seconds = 3;
    bool json = false;
    s_docs_t docs = {0};
    const char *from = "arguments";
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            s_parse_usage(stdout);
            s_docs_free(&docs);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            char *end;
            seconds = strtod(argv[++i], &end);
            if (*end || !(seconds > 0) || seconds > 3600) {
                fprintf(stderr, "lexmill bench parse: --seconds wants a number in (0, 3600]\n");
                s_docs_free(&docs);
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "lexmill bench parse: unknown option %s\n", argv[i]);
            s_parse_usage(stderr);
            s_docs_free(&docs);
            return 2;
        } else {
            DIR *dh = opendir(argv[i]);
            if (dh) {
                closedir(dh);
                s_add_dir(&docs, argv[i]);
                continue;
            }
            char *bytes;
            size_t len;
            if (s_read_file(argv[i], &bytes, &len) != 0) {
                rc = 1;
                continue;
            }
            s_docs_add(&docs, argv[i], bytes, len);
        }
    }
    if (docs.n == 0) {
        if (rc) {
            s_docs_free(&docs);
            return 1;
        }
        from = s_default_docs(&docs);
    }
    if (docs.bytes == 0) {
        fprintf(stderr, "lexmill bench parse: nothing to parse (all files empty)\n");
        s_docs_free(&docs);
        return 1;
    }
    /* one core: pin to the CPU we are on, so the figures are not a scheduler's average */
    int cpu = sched_getcpu();
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof set, &set);
    }
    s_run_t full, base, scan;
    const char *engine = "", *scan_engine = "";
    if (!json)
        fprintf(stderr, "bench parse: %zu documents, %zu bytes (%s), %.1f s per measure\n",
                docs.n, docs.bytes, from, seconds);
    /* the facts scan alone as well: it tells the scanner's share from the rest */
    if (s_run_extract(&docs, seconds, false, &full, &engine) != 0 ||
        s_run_baseline(&docs, seconds, &base) != 0 ||
        s_run_extract(&docs, seconds, true, &scan, &scan_engine) != 0) {
        s_docs_free(&docs);
        return 1;
    }
    double mb = full.bytes / 1e6 / full.seconds;
    double dps = full.docs / full.seconds;
    double base_mb = base.bytes / 1e6 / base.seconds;
    double ratio = base_mb > 0 ? mb / base_mb : 0;
    double scan_mb = scan.bytes / 1e6 / scan.seconds;
    double facts_per_pass = full.passes ? (double) full.items / full.passes : 0;
    double matches_per_pass = base.passes ? (double) base.items / base.passes : 0;
    if (json) {
        lxm_buf_t o = {0};
        lxm_buf_printf(&o, "{\"docs\":%zu,\"bytes\":%zu,\"source\":", docs.n, docs.bytes);
        lxm_buf_json_string(&o, from, strlen(from));
        lxm_buf_puts(&o, ",\"engine\":");
        lxm_buf_json_string(&o, engine, strlen(engine));
        lxm_buf_printf(&o,
                       ",\"seconds\":%.3f,\"mb_s\":%.2f,\"docs_s\":%.1f,\"facts_per_pass\":%.0f,"
                       "\"extract_errors\":%llu,\"baseline_seconds\":%.3f,"
                       "\"baseline_mb_s\":%.2f,\"baseline_matches_per_pass\":%.0f,"
                       "\"facts_scan_mb_s\":%.2f,\"facts_scan_ratio\":%.3f,"
                       "\"ratio\":%.3f,\"target\":0.4}\n",
                       full.seconds, mb, dps, facts_per_pass,
                       full.passes ? full.errors / full.passes : 0, base.seconds, base_mb,
                       matches_per_pass, scan_mb, base_mb > 0 ? scan_mb / base_mb : 0, ratio);
        fwrite(o.data, 1, o.len, stdout);
        lxm_buf_free(&o);
    } else {
        printf("full extraction (%s): %.1f MB/s, %.0f docs/s, %.0f facts per pass\n", engine,
               mb, dps, facts_per_pass);
        printf("one PCRE2 JIT pass (number + measure word): %.1f MB/s, %.0f matches per pass\n",
               base_mb, matches_per_pass);
        printf("facts scan alone (numbers, facts, key rules): %.1f MB/s (%.2f of the pass)\n",
               scan_mb, base_mb > 0 ? scan_mb / base_mb : 0);
        printf("ratio: %.2f (target >= 0.40)\n", ratio);
        if (full.errors)
            printf("documents the extractor refused: %llu per pass\n",
                   full.passes ? full.errors / full.passes : 0);
    }
    s_docs_free(&docs);
    return 0;
}

typedef struct {
    const char *name;
    lxm_command_fn *fn; /* runs the kind */
    const char *summary;
} s_kind_t;

static void s_usage(FILE *out, const s_kind_t *kinds, size_t n)
{
    fprintf(out, "usage: lexmill bench KIND [OPTIONS]   (lexmill bench KIND --help)\n\nkinds:\n");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  %-9s %s\n", kinds[i].name, kinds[i].summary);
    fprintf(out, "\nThe pipeline, scale and accuracy figures need a whole cluster of processes:\n"
                 "`make bench` (bench/run.sh) measures them with these kinds, side by side.\n");
}

int lxm_cmd_bench(int argc, char **argv)
{
    const s_kind_t kinds[] = {
        {"parse", s_bench_parse, "full extraction vs one PCRE2 JIT pass, same bytes"},
        {"store", lxm_bench_store, "durable group-commit rate vs a plain LMDB loop"},
        {"lookup", lxm_bench_lookup, "collector query latency and rate"},
    };
    const size_t n = sizeof kinds / sizeof kinds[0];
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        s_usage(argc < 2 ? stderr : stdout, kinds, n);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], kinds[i].name) == 0) {
            return kinds[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "lexmill bench: unknown kind '%s'\n", argv[1]);
    s_usage(stderr, kinds, n);
    return 2;
}
