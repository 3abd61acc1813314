/* lxm_bench: `lexmill bench store` and `lexmill bench lookup` (the parse kind lives in
 * client/cmd_bench.c, which dispatches here). Figures only: nothing fails on a time.
 *
 * lookup measures, on an existing store, get by content id and find by unit code + year:
 * in-process through a read-only store handle (what `lexmill get --store` does), and
 * through a running collector's query socket (what `lexmill get --query` does), p50 and
 * p99 of single requests in microseconds. */
#include <czmq.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lxm_bench.h"
#include "lxm_msg.h"
#include "lxm_record.h"
#include "lxm_store.h"

static double s_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int s_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts SAMPLES and returns the Q-quantile (0..1). */
static double s_quantile(double *samples, size_t n, double q)
{
    if (n == 0)
        return 0;
    qsort(samples, n, sizeof *samples, s_cmp_double);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return samples[i < n ? i : n - 1];
}

static uint64_t s_rand(uint64_t *state)
{
    /* splitmix64: a fixed sequence, so two runs ask for the same ids */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* ------------------------------------------------------------------ store */

int lxm_bench_store(int argc, char **argv)
{
    bool json = false;
    size_t records = 0, gets_over = 0;
    for (int i = 1; i < argc; i++) {
        if (streq(argv[i], "--json"))
            json = true;
        else if (streq(argv[i], "--records") && i + 1 < argc)
            records = strtoull(argv[++i], NULL, 10);
        else if (streq(argv[i], "--get-records") && i + 1 < argc)
            gets_over = strtoull(argv[++i], NULL, 10);
        else {
            printf("usage: lexmill bench store [--records N] [--get-records N] [--json]\n"
                   "  The collector's durable persist path (validate, dedup, 4 indexes, group\n"
                   "  commit of 1,000, fsync) against a plain LMDB put loop writing the same\n"
                   "  records in batches of 1,000, in the same run; get-by-id latency.\n"
                   "  Defaults: 100,000 records of ~2 KB; gets over 200,000 records.\n");
            return streq(argv[i], "--help") || streq(argv[i], "-h") ? 0 : 2;
        }
    }
    FILE *tmp = json ? tmpfile() : stdout;
    if (!tmp) {
        fprintf(stderr, "lexmill bench store: cannot open a scratch file\n");
        return 1;
    }
    int rc = lxm_store_bench(NULL, records, 0, 0, gets_over, 0, tmp);
    if (json) {
        /* only the JSON line goes to stdout; the rest to stderr for the curious */
        rewind(tmp);
        char line[4096];
        while (fgets(line, sizeof line, tmp))
            fputs(line, line[0] == '{' ? stdout : stderr);
        fclose(tmp);
    }
    return rc == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ lookup */

typedef struct {
    char (*ids)[LXM_ID_HEX + 1]; /* every id in the store */
    char (*codes)[16];           /* unit code of each record ("" when none) */
    int *years;                  /* year of each record */
    size_t n, cap;
} s_keys_t;

static int s_collect(const char *id, const void *rec, size_t len, void *arg)
{
    s_keys_t *k = arg;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 4096;
        k->ids = lxm_xrealloc(k->ids, k->cap * sizeof *k->ids);
        k->codes = lxm_xrealloc(k->codes, k->cap * sizeof *k->codes);
        k->years = lxm_xrealloc(k->years, k->cap * sizeof *k->years);
    }
    lxm_record_keys_t keys;
    const char *why;
    snprintf(k->ids[k->n], sizeof k->ids[k->n], "%s", id);
    k->codes[k->n][0] = '\0';
    k->years[k->n] = 0;
    if (lxm_record_check(rec, len, &keys, &why) == 0) {
        if (keys.unit_code && keys.unit_code_len < sizeof k->codes[0])
            snprintf(k->codes[k->n], sizeof k->codes[0], "%.*s", (int)keys.unit_code_len,
                     keys.unit_code);
        k->years[k->n] = keys.year;
    }
    k->n++;
    return 0;
}

static int s_count(const char *id, const void *rec, size_t len, void *arg)
{
    (*(size_t *)arg)++;
    return 0;
}

typedef struct {
    double p50, p99;
    size_t n, misses;
} s_lat_t;

static void s_print_lat(const char *name, const s_lat_t *l, bool json, bool last)
{
    if (json)
        printf("\"%s\": {\"p50_us\": %.2f, \"p99_us\": %.2f, \"n\": %zu, \"misses\": %zu}%s",
               name, l->p50, l->p99, l->n, l->misses, last ? "" : ", ");
    else
        printf("%-12s p50 %8.2f us   p99 %8.2f us   (%zu requests, %zu misses)\n", name,
               l->p50, l->p99, l->n, l->misses);
}

/* One request and its reply on the query socket; returns 0 when a RECORDS came back. */
static int s_remote(zsock_t *sock, lxm_msg_t *req, size_t *n_records)
{
    if (lxm_msg_send(req, sock) != 0)
        return -1;
    lxm_msg_t *reply = NULL;
    const char *why = NULL;
    if (lxm_msg_recv(&reply, sock, &why, NULL) != 0 || !reply)
        return -1;
    int rc = reply->cmd == LXM_RECORDS && reply->seq == req->seq ? 0 : -1;
    if (n_records)
        *n_records = reply->n_blobs;
    lxm_msg_destroy(&reply);
    return rc;
}

int lxm_bench_lookup(int argc, char **argv)
{
    const char *dir = NULL, *query = NULL;
    size_t n = 20000;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (streq(argv[i], "--store") && i + 1 < argc)
            dir = argv[++i];
        else if (streq(argv[i], "--query") && i + 1 < argc)
            query = argv[++i];
        else if (streq(argv[i], "--n") && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 10);
        else if (streq(argv[i], "--json"))
            json = true;
        else {
            printf("usage: lexmill bench lookup --store DIR [--query EP] [--n N] [--json]\n"
                   "  get by id and find by unit code + year on an existing store: in-process\n"
                   "  (read-only handle) and, with --query, through a running collector.\n"
                   "  p50/p99 of N single requests each (default 20000).\n");
            return streq(argv[i], "--help") || streq(argv[i], "-h") ? 0 : 2;
        }
    }
    if (!dir) {
        fprintf(stderr, "lexmill bench lookup: --store DIR is required\n");
        return 2;
    }
    char *err = NULL;
    lxm_store_t *st = lxm_store_open(dir, LXM_STORE_RDONLY, 0, &err);
    if (!st) {
        fprintf(stderr, "lexmill bench lookup: %s\n", err ? err : dir);
        free(err);
        return 1;
    }
    s_keys_t keys = {0};
    if (lxm_store_scan(st, NULL, 0, s_collect, &keys, NULL) < 0 || keys.n == 0) {
        fprintf(stderr, "lexmill bench lookup: %s: no records to look up (%s)\n", dir,
                lxm_store_error(st));
        lxm_store_close(&st);
        return 1;
    }
    double *lat = lxm_xcalloc(n, sizeof *lat);
    uint64_t rng = 42;
    s_lat_t local_get = {0}, local_find = {0}, remote_get = {0}, remote_find = {0};

    /* in-process get: one read snapshot, zero-copy, as a reader process would do */
    lxm_store_read_begin(st);
    for (size_t i = 0; i < n; i++) {
        size_t k = s_rand(&rng) % keys.n;
        const void *rec;
        size_t len;
        double t0 = s_now_us();
        int rc = lxm_store_get_ref(st, keys.ids[k], &rec, &len);
        lat[i] = s_now_us() - t0;
        if (rc != 0)
            local_get.misses++;
    }
    lxm_store_read_end(st);
    local_get = (s_lat_t){s_quantile(lat, n, 0.5), s_quantile(lat, n, 0.99), n, local_get.misses};

    /* in-process find by unit code + year (up to 10 records per answer) */
    for (size_t i = 0; i < n; i++) {
        size_t k = s_rand(&rng) % keys.n;
        lxm_store_query_t q = {.unit_code = keys.codes[k][0] ? keys.codes[k] : NULL,
                               .year = keys.years[k]};
        size_t found = 0;
        double t0 = s_now_us();
        long rc = lxm_store_find(st, &q, NULL, 10, s_count, &found, NULL);
        lat[i] = s_now_us() - t0;
        if (rc <= 0)
            local_find.misses++;
    }
    local_find = (s_lat_t){s_quantile(lat, n, 0.5), s_quantile(lat, n, 0.99), n, local_find.misses};

    bool remote = false;
    if (query) {
        zsock_t *sock = zsock_new(ZMQ_DEALER);
        zsock_set_rcvtimeo(sock, 5000);
        zsock_set_linger(sock, 0);
        if (sock && zsock_connect(sock, "%s", query) == 0) {
            remote = true;
            lxm_msg_t *req = lxm_msg_new(LXM_GET);
            for (size_t i = 0; i < n; i++) {
                size_t k = s_rand(&rng) % keys.n;
                lxm_msg_set_str(&req->doc_id, keys.ids[k]);
                req->seq = i + 1;
                double t0 = s_now_us();
                int rc = s_remote(sock, req, NULL);
                lat[i] = s_now_us() - t0;
                if (rc != 0)
                    remote_get.misses++;
            }
            lxm_msg_destroy(&req);
            remote_get = (s_lat_t){s_quantile(lat, n, 0.5), s_quantile(lat, n, 0.99), n,
                                   remote_get.misses};
            req = lxm_msg_new(LXM_FIND);
            for (size_t i = 0; i < n; i++) {
                size_t k = s_rand(&rng) % keys.n;
                lxm_msg_set_str(&req->unit_code, keys.codes[k][0] ? keys.codes[k] : NULL);
                req->year = keys.years[k];
                req->limit = 10;
                req->seq = n + i + 1;
                size_t got = 0;
                double t0 = s_now_us();
                int rc = s_remote(sock, req, &got);
                lat[i] = s_now_us() - t0;
                if (rc != 0 || got == 0)
                    remote_find.misses++;
            }
            lxm_msg_destroy(&req);
            remote_find = (s_lat_t){s_quantile(lat, n, 0.5), s_quantile(lat, n, 0.99), n,
                                    remote_find.misses};
        } else
            fprintf(stderr, "lexmill bench lookup: cannot connect to %s\n", query);
        zsock_destroy(&sock);
    }

    if (json) {
        printf("{\"records\": %zu, ", keys.n);
        s_print_lat("local_get", &local_get, true, false);
        s_print_lat("local_find", &local_find, true, !remote);
        if (remote) {
            s_print_lat("remote_get", &remote_get, true, false);
            s_print_lat("remote_find", &remote_find, true, true);
        }
        printf("}\n");
    } else {
        printf("lookup over %zu records in %s\n", keys.n, dir);
        s_print_lat("local get", &local_get, false, false);
        s_print_lat("local find", &local_find, false, false);
        if (remote) {
            s_print_lat("remote get", &remote_get, false, false);
            s_print_lat("remote find", &remote_find, false, false);
        }
        printf("targets: local get p50 <= 5 us, remote get p50 <= 150 us\n");
    }
    free(lat);
    free(keys.ids);
    free(keys.codes);
    free(keys.years);
    lxm_store_close(&st);
    return 0;
}
