/* `lexmill get | find | export | status | follow`: read stored records, either straight
 * from an LMDB store (read-only; safe while a collector writes it) or through a
 * collector's query socket, and print them as NDJSON (export: or CSV). */
#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_buf.h"
#include "lxm_collector.h"
#include "lxm_commands.h"
#include "lxm_mpack.h"
#include "lxm_msg.h"
#include "lxm_record.h"
#include "lxm_store.h"

#define S_TIMEOUT_MS 10000 /* default wait for a collector's answer */

/* Options every query command shares. */
typedef struct {
    const char *name;       /* "get", for messages */
    const char *store_dir;  /* --store DIR, or NULL */
    const char *query_ep;   /* --query EP, or NULL */
    int timeout_ms;         /* --timeout MS for --query */
    bool with_text;         /* get --text */
    const char *unit_name;  /* find --unit */
    const char *unit_code;  /* find --code */
    const char *province;   /* find --province */
    int year;               /* find --year */
    uint64_t limit;         /* find --limit (0 = all) */
    bool csv;               /* export --format csv */
    const char *feed_ep;    /* follow --feed */
    uint64_t count;         /* follow --count (0 = until interrupted) */
} s_opts_t;

/* What a command does with each record it gets. */
typedef struct {
    const s_opts_t *opts;
    lxm_buf_t line;     /* reused output buffer */
    uint64_t printed;   /* records printed */
    int bad;            /* records that would not convert */
} s_out_t;

/* ------------------------------------------------------------------ output */

static void s_csv_field(lxm_buf_t *b, const char *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = true;
    if (!quote) {
        lxm_buf_append(b, s, n);
        return;
    }
    lxm_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            lxm_buf_putc(b, '"');
        lxm_buf_putc(b, s[i]);
    }
    lxm_buf_putc(b, '"');
}

/* Appends the string at O (nothing for nil or other types). */
static void s_csv_str(lxm_buf_t *b, const msgpack_object *o)
{
    const char *p;
    size_t n;
    if (o && lxm_mpack_str(o, &p, &n) == 0)
        s_csv_field(b, p, n);
}

static const char s_csv_header[] =
    "id,source,unit_name,level,code,county,city,province,year,published,facts\n";

static int s_csv_line(lxm_buf_t *b, const void *rec, size_t len)
{
    msgpack_zone zone;
    if (!msgpack_zone_init(&zone, 2048))
        return -1;
    msgpack_object root;
    int rc = lxm_mpack_unpack(rec, len, &zone, &root, NULL);
    if (rc == 0 && root.type != MSGPACK_OBJECT_MAP)
        rc = -1;
    if (rc == 0) {
        const msgpack_object *unit = lxm_mpack_get(&root, "unit");
        s_csv_str(b, lxm_mpack_get(&root, "id"));
        lxm_buf_putc(b, ',');
        s_csv_str(b, lxm_mpack_get(&root, "source"));
        static const char *ufields[] = {"name", "level", "code", "county", "city", "province"};
        for (size_t i = 0; i < 6; i++) {
            lxm_buf_putc(b, ',');
            s_csv_str(b, unit ? lxm_mpack_get(unit, ufields[i]) : NULL);
        }
        lxm_buf_putc(b, ',');
        const msgpack_object *y = lxm_mpack_get(&root, "year");
        if (y && y->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            lxm_buf_printf(b, "%" PRIu64, y->via.u64);
        lxm_buf_putc(b, ',');
        s_csv_str(b, lxm_mpack_get(&root, "published"));
        const msgpack_object *f = lxm_mpack_get(&root, "facts");
        lxm_buf_printf(b, ",%u\n", f && f->type == MSGPACK_OBJECT_ARRAY ? f->via.array.size : 0);
    }
    msgpack_zone_destroy(&zone);
    return rc;
}

/* Prints one record (NDJSON, CSV, or JSON with the text for get --text). */
static int s_print(s_out_t *out, const void *rec, size_t len, const char *text, size_t tlen)
{
    lxm_buf_clear(&out->line);
    int rc;
    if (out->opts->csv) {
        rc = s_csv_line(&out->line, rec, len);
    } else {
        rc = lxm_mpack_to_json(rec, len, &out->line);
        if (rc == 0 && text && out->line.len > 1 && out->line.data[out->line.len - 1] == '}') {
            /* one JSON object per line: the text joins the record as a "text" field */
            out->line.len--;
            lxm_buf_puts(&out->line, out->line.len > 1 ? ",\"text\":" : "\"text\":");
            lxm_buf_json_string(&out->line, text, tlen);
            lxm_buf_putc(&out->line, '}');
        }
        if (rc == 0)
            lxm_buf_putc(&out->line, '\n');
    }
    if (rc != 0) {
        out->bad++;
        fprintf(stderr, "lexmill %s: a stored record is not readable msgpack (skipped)\n",
                out->opts->name);
        return 0;
    }
    fwrite(out->line.data, 1, out->line.len, stdout);
    out->printed++;
    return 0;
}

static int s_visit(const char *id, const void *rec, size_t len, void *arg)
{
    return s_print(arg, rec, len, NULL, 0);
}

/* ------------------------------------------------------------------ options */

static void s_help(FILE *f, const char *name)
{
    if (streq(name, "get"))
        fprintf(f, "usage: lexmill get ID [--text] [--store DIR | --query EP]\n"
                   "Prints the stored record with content id ID as one line of JSON\n"
                   "(--text: with the cleaned text as a \"text\" field). Exit 1 when there is\n"
                   "no such record.\n\n");
    else if (streq(name, "find"))
        fprintf(f, "usage: lexmill find [--unit NAME | --code CODE] [--year Y] [--province P]\n"
                   "                    [--limit N] [--store DIR | --query EP]\n"
                   "Prints the records that match every filter given, one JSON line each, in\n"
                   "content-id order. Exit 1 when none matches.\n\n"
                   "  --unit NAME        unit name as in the gazetteer (新桥镇)\n"
                   "  --code CODE        statistical division code (331004103)\n"
                   "  --year Y           report year\n"
                   "  --province P       province (浙江省)\n"
                   "  --limit N          print at most N records\n");
    else if (streq(name, "export"))
        fprintf(f, "usage: lexmill export [--format ndjson|csv] [--store DIR | --query EP]\n"
                   "Prints every stored record in content-id order: NDJSON (default), or CSV\n"
                   "with a header (id, source, unit name, level, code, county, city,\n"
                   "province, year, published, facts count).\n\n"
                   "  --format F         ndjson or csv\n");
    else if (streq(name, "status"))
        fprintf(f, "usage: lexmill status [--store DIR | --query EP]\n"
                   "Prints counters as one JSON object: the store's (records, bytes) read\n"
                   "directly, or a collector's or broker's counters asked over EP.\n\n");
    else if (streq(name, "follow"))
        fprintf(f, "usage: lexmill follow [--feed EP] [--count N] [--timeout MS]\n"
                   "Prints each record a collector publishes after storing it, one JSON line\n"
                   "each, until interrupted. The feed is PUB/SUB: records published before\n"
                   "it connects, or while it lags far behind, are not seen (use export for\n"
                   "a complete copy).\n\n"
                   "  --feed EP          the collector's feed (default tcp://127.0.0.1:5559)\n"
                   "  --count N          stop after N records\n"
                   "  --timeout MS       stop after MS milliseconds (exit 1 when --count\n"
                   "                     was not reached)\n"
                   "  --help             this text\n");
    if (!streq(name, "follow"))
        fprintf(f, "  --store DIR        read this store directly, read-only (default %s)\n"
                   "  --query EP         ask a collector instead (tcp://127.0.0.1:5558)\n"
                   "  --timeout MS       wait at most MS for each answer over --query (%d)\n"
                   "  --help             this text\n",
                LXM_COLLECTOR_STORE_DIR, S_TIMEOUT_MS);
}

static long long s_number(const char *text, long long max)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v <= 0 || v > max)
        return -1;
    return v;
}

/* Parses the options of command NAME; returns 0, 1 after --help (exit 0), or 2. */
static int s_parse(int argc, char **argv, s_opts_t *o, const char **positional)
{
    static const struct option opts[] = {
        {"store", required_argument, NULL, 's'},   {"query", required_argument, NULL, 'q'},
        {"timeout", required_argument, NULL, 'T'}, {"text", no_argument, NULL, 't'},
        {"unit", required_argument, NULL, 'u'},    {"code", required_argument, NULL, 'c'},
        {"year", required_argument, NULL, 'y'},    {"province", required_argument, NULL, 'p'},
        {"limit", required_argument, NULL, 'l'},   {"format", required_argument, NULL, 'F'},
        {"feed", required_argument, NULL, 'f'},    {"count", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    /* which options each command takes */
    const char *allowed = streq(o->name, "get")      ? "sqTth"
                          : streq(o->name, "find")   ? "sqTucyplh"
                          : streq(o->name, "export") ? "sqTFh"
                          : streq(o->name, "status") ? "sqTh"
                                                     : "fnTh";
    optind = 1;
    opterr = 0;
    int opt;
    long long v;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == '?' || !strchr(allowed, opt)) {
            fprintf(stderr, "lexmill %s: unknown option '%s'\n", o->name, argv[optind - 1]);
            s_help(stderr, o->name);
            return 2;
        }
        switch (opt) {
        case 'h': s_help(stdout, o->name); return 1;
        case 's': o->store_dir = optarg; break;
        case 'q': o->query_ep = optarg; break;
        case 't': o->with_text = true; break;
        case 'u': o->unit_name = optarg; break;
        case 'c': o->unit_code = optarg; break;
        case 'p': o->province = optarg; break;
        case 'f': o->feed_ep = optarg; break;
        case 'F':
            if (streq(optarg, "csv"))
                o->csv = true;
            else if (!streq(optarg, "ndjson")) {
                fprintf(stderr, "lexmill %s: unknown format '%s' (ndjson or csv)\n", o->name,
                        optarg);
                return 2;
            }
            break;
        case 'y': case 'l': case 'n': case 'T':
            v = s_number(optarg, opt == 'y' ? 9999 : (1LL << 50));
            if (v < 0) {
                fprintf(stderr, "lexmill %s: bad number '%s' for --%s\n", o->name, optarg,
                        opt == 'y' ? "year" : opt == 'l' ? "limit" : opt == 'n' ? "count"
                                                                               : "timeout");
                return 2;
            }
            if (opt == 'y') o->year = (int) v;
            else if (opt == 'l') o->limit = (uint64_t) v;
            else if (opt == 'n') o->count = (uint64_t) v;
            else o->timeout_ms = v > 86400000 ? 86400000 : (int) v;
            break;
        }
    }
    if (positional) {
        if (optind >= argc) {
            fprintf(stderr, "lexmill %s: missing ID\n", o->name);
            s_help(stderr, o->name);
            return 2;
        }
        *positional = argv[optind++];
    }
    if (optind < argc) {
        fprintf(stderr, "lexmill %s: unexpected argument '%s'\n", o->name, argv[optind]);
        return 2;
    }
    if (o->store_dir && o->query_ep) {
        fprintf(stderr, "lexmill %s: give --store or --query, not both\n", o->name);
        return 2;
    }
    if (!o->store_dir)
        o->store_dir = LXM_COLLECTOR_STORE_DIR;
    if (!o->timeout_ms)
        o->timeout_ms = S_TIMEOUT_MS;
    return 0;
}

static lxm_store_t *s_open(const s_opts_t *o)
{
    char *err = NULL;
    lxm_store_t *st = lxm_store_open(o->store_dir, LXM_STORE_RDONLY, 0, &err);
    if (!st) {
        fprintf(stderr, "lexmill %s: %s\n", o->name, err);
        free(err);
    }
    return st;
}

/* ------------------------------------------------------------------ over --query */

typedef struct {
    zsock_t *sock;    /* DEALER to the collector */
    zpoller_t *poller;
    uint64_t seq;     /* last request number */
} s_remote_t;

static int s_remote_open(s_remote_t *r, const s_opts_t *o)
{
    memset(r, 0, sizeof *r);
    r->sock = zsock_new(ZMQ_DEALER);
    if (!r->sock) {
        fprintf(stderr, "lexmill %s: cannot create a socket\n", o->name);
        return -1;
    }
    lxm_sock_harden(r->sock);
    zsock_set_linger(r->sock, 0);
    if (zsock_connect(r->sock, "%s", o->query_ep) != 0) {
        fprintf(stderr, "lexmill %s: bad endpoint '%s': %s\n", o->name, o->query_ep,
                zmq_strerror(zmq_errno()));
        zsock_destroy(&r->sock);
        return -1;
    }
    r->poller = zpoller_new(r->sock, NULL);
    return 0;
}

static void s_remote_close(s_remote_t *r)
{
    zpoller_destroy(&r->poller);
    zsock_destroy(&r->sock);
}

/* Sends REQ (seq filled in) and waits for its answer. Returns the reply (RECORDS or
 * STATS) or NULL after printing why (ERROR reply, timeout, malformed answer); *not_found
 * is set when the ERROR says there is no such record. */
static lxm_msg_t *s_remote_call(s_remote_t *r, const s_opts_t *o, lxm_msg_t *req,
                                bool *not_found)
{
    req->seq = ++r->seq;
    if (lxm_msg_send(req, r->sock) != 0) {
        fprintf(stderr, "lexmill %s: cannot send to %s: %s\n", o->name, o->query_ep,
                strerror(errno));
        return NULL;
    }
    int64_t deadline = zclock_mono() + o->timeout_ms;
    for (;;) {
        int64_t left = deadline - zclock_mono();
        if (left <= 0 || zsys_interrupted)
            break;
        if (zpoller_wait(r->poller, (int) left) != r->sock)
            continue;
        lxm_msg_t *reply = NULL;
        const char *why = NULL;
        int rc = lxm_msg_recv(&reply, r->sock, &why, NULL);
        if (rc == LXM_MSG_EPROTO) {
            fprintf(stderr, "lexmill %s: malformed answer from %s: %s\n", o->name,
                    o->query_ep, why);
            return NULL;
        }
        if (rc != 0)
            break;
        if (reply->seq != req->seq && reply->cmd != LXM_ERROR) {
            lxm_msg_destroy(&reply); /* a late answer to an earlier request */
            continue;
        }
        if (reply->cmd == LXM_ERROR) {
            const char *reason = reply->reason ? reply->reason : "error";
            if (not_found && strncmp(reason, "no record", 9) == 0)
                *not_found = true;
            fprintf(stderr, "lexmill %s: %s\n", o->name, reason);
            lxm_msg_destroy(&reply);
            return NULL;
        }
        return reply;
    }
    fprintf(stderr, "lexmill %s: no answer from %s within %d ms\n", o->name, o->query_ep,
            o->timeout_ms);
    return NULL;
}

/* FIND or EXPORT page by page; prints every record. Returns 0 or -1. */
static int s_remote_pages(const s_opts_t *o, lxm_cmd_t cmd, s_out_t *out)
{
    s_remote_t r;
    if (s_remote_open(&r, o) != 0)
        return -1;
    char *cursor = lxm_xstrdup("");
    int rc = 0;
    for (;;) {
        lxm_msg_t *req = lxm_msg_new(cmd);
        lxm_msg_set_str(&req->cursor, cursor);
        if (cmd == LXM_FIND) {
            lxm_msg_set_str(&req->unit_code, o->unit_code);
            lxm_msg_set_str(&req->unit_name, o->unit_name);
            lxm_msg_set_str(&req->province, o->province);
            req->year = o->year;
        }
        uint64_t left = o->limit ? o->limit - out->printed : LXM_COLLECTOR_PAGE_MAX;
        req->limit = (uint32_t) (left < LXM_COLLECTOR_PAGE_MAX ? left : LXM_COLLECTOR_PAGE_MAX);
        lxm_msg_t *reply = s_remote_call(&r, o, req, NULL);
        lxm_msg_destroy(&req);
        if (!reply) {
            rc = -1;
            break;
        }
        if (reply->cmd != LXM_RECORDS) {
            fprintf(stderr, "lexmill %s: unexpected %s answer\n", o->name,
                    lxm_cmd_name(reply->cmd));
            lxm_msg_destroy(&reply);
            rc = -1;
            break;
        }
        for (size_t i = 0; i < reply->n_blobs; i++)
            s_print(out, reply->blob[i], reply->blob_size[i], NULL, 0);
        const char *next = reply->cursor ? reply->cursor : "";
        /* a cursor that does not move would page forever */
        bool stuck = reply->n_blobs == 0 || streq(next, cursor);
        free(cursor);
        cursor = lxm_xstrdup(next);
        lxm_msg_destroy(&reply);
        if (!*cursor || (o->limit && out->printed >= o->limit))
            break;
        if (stuck) {
            fprintf(stderr, "lexmill %s: the collector's cursor does not advance\n", o->name);
            rc = -1;
            break;
        }
    }
    free(cursor);
    s_remote_close(&r);
    return rc;
}

/* ------------------------------------------------------------------ commands */

int lxm_cmd_get(int argc, char **argv)
{
    s_opts_t o = {.name = "get"};
    const char *id = NULL;
    int prc = s_parse(argc, argv, &o, &id);
    if (prc)
        return prc == 1 ? 0 : prc;
    s_out_t out = {.opts = &o};
    int rc = 1;
    if (o.query_ep) {
        s_remote_t r;
        if (s_remote_open(&r, &o) != 0)
            return 1;
        lxm_msg_t *req = lxm_msg_new(LXM_GET);
        lxm_msg_set_str(&req->doc_id, id);
        req->with_text = o.with_text;
        lxm_msg_t *reply = s_remote_call(&r, &o, req, NULL);
        lxm_msg_destroy(&req);
        if (reply && reply->cmd == LXM_RECORDS && reply->n_blobs >= 1) {
            s_print(&out, reply->blob[0], reply->blob_size[0],
                    o.with_text ? (reply->n_blobs > 1 ? reply->blob[1] : "") : NULL,
                    o.with_text && reply->n_blobs > 1 ? reply->blob_size[1] : 0);
            rc = out.printed ? 0 : 1;
        } else if (reply) {
            fprintf(stderr, "lexmill get: unexpected answer %s\n", lxm_cmd_name(reply->cmd));
        }
        lxm_msg_destroy(&reply);
        s_remote_close(&r);
    } else {
        lxm_store_t *st = s_open(&o);
        if (!st)
            return 1;
        void *rec = NULL;
        char *text = NULL;
        size_t len = 0, tlen = 0;
        int g = lxm_store_get(st, id, &rec, &len, o.with_text ? &text : NULL, &tlen);
        if (g == 0) {
            s_print(&out, rec, len, text, tlen);
            rc = out.printed ? 0 : 1;
        } else if (g > 0) {
            fprintf(stderr, "lexmill get: no record with id %s in %s\n", id, o.store_dir);
        } else {
            fprintf(stderr, "lexmill get: %s\n", lxm_store_error(st));
        }
        free(rec);
        free(text);
        lxm_store_close(&st);
    }
    lxm_buf_free(&out.line);
    fflush(stdout);
    return rc;
}

/* find and export share the paging; export has no filters. */
static int s_find_or_export(int argc, char **argv, const char *name)
{
    s_opts_t o = {.name = name};
    int prc = s_parse(argc, argv, &o, NULL);
    if (prc)
        return prc == 1 ? 0 : prc;
    const bool is_find = streq(name, "find");
    s_out_t out = {.opts = &o};
    if (o.csv)
        fputs(s_csv_header, stdout);
    int rc = 0;
    if (o.query_ep) {
        rc = s_remote_pages(&o, is_find ? LXM_FIND : LXM_EXPORT, &out);
    } else {
        lxm_store_t *st = s_open(&o);
        if (!st)
            return 1;
        lxm_store_query_t q = {.unit_code = o.unit_code, .unit_name = o.unit_name,
                               .province = o.province, .year = o.year};
        /* pages of 1000 so a large export never holds one read snapshot for long */
        char cursor[LXM_ID_HEX + 1] = "";
        do {
            uint64_t left = o.limit ? o.limit - out.printed : 1000;
            long n = lxm_store_find(st, is_find ? &q : NULL, cursor, left < 1000 ? left : 1000,
                                    s_visit, &out, cursor);
            if (n < 0) {
                fprintf(stderr, "lexmill %s: %s\n", name, lxm_store_error(st));
                rc = -1;
                break;
            }
        } while (cursor[0] && !(o.limit && out.printed >= o.limit));
        lxm_store_close(&st);
    }
    lxm_buf_free(&out.line);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "lexmill %s: cannot write output: %s\n", name, strerror(errno));
        return 1;
    }
    if (rc != 0)
        return 1;
    if (is_find && out.printed == 0) {
        fprintf(stderr, "lexmill find: no record matches\n");
        return 1;
    }
    return out.bad ? 1 : 0;
}

int lxm_cmd_find(int argc, char **argv)
{
    return s_find_or_export(argc, argv, "find");
}

int lxm_cmd_export(int argc, char **argv)
{
    return s_find_or_export(argc, argv, "export");
}

int lxm_cmd_status(int argc, char **argv)
{
    s_opts_t o = {.name = "status"};
    int prc = s_parse(argc, argv, &o, NULL);
    if (prc)
        return prc == 1 ? 0 : prc;
    if (o.query_ep) {
        s_remote_t r;
        if (s_remote_open(&r, &o) != 0)
            return 1;
        lxm_msg_t *req = lxm_msg_new(LXM_STATUS);
        lxm_msg_t *reply = s_remote_call(&r, &o, req, NULL);
        lxm_msg_destroy(&req);
        int rc = 1;
        if (reply && reply->cmd == LXM_STATS && reply->reason) {
            printf("%s\n", reply->reason);
            rc = 0;
        } else if (reply) {
            fprintf(stderr, "lexmill status: unexpected answer %s\n", lxm_cmd_name(reply->cmd));
        }
        lxm_msg_destroy(&reply);
        s_remote_close(&r);
        return rc;
    }
    lxm_store_t *st = s_open(&o);
    if (!st)
        return 1;
    lxm_store_counts_t c;
    int rc = lxm_store_counts(st, &c);
    if (rc == 0) {
        lxm_buf_t b = {0};
        lxm_buf_printf(&b, "{\"role\":\"store\",\"records\":%" PRIu64 ",\"data_bytes\":%" PRIu64
                           ",\"used_bytes\":%" PRIu64 ",\"map_bytes\":%" PRIu64 ",\"store\":",
                       c.records, c.data_bytes, c.used_bytes, c.map_bytes);
        lxm_buf_json_string(&b, o.store_dir, strlen(o.store_dir));
        printf("%s}\n", b.data);
        lxm_buf_free(&b);
    } else {
        fprintf(stderr, "lexmill status: %s\n", lxm_store_error(st));
    }
    lxm_store_close(&st);
    return rc == 0 ? 0 : 1;
}

int lxm_cmd_follow(int argc, char **argv)
{
    s_opts_t o = {.name = "follow"};
    int prc = s_parse(argc, argv, &o, NULL);
    if (prc)
        return prc == 1 ? 0 : prc;
    const char *ep = o.feed_ep ? o.feed_ep : "tcp://127.0.0.1:5559";
    bool timed = false;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--timeout", 9) == 0)
            timed = true;
    zsock_t *sub = zsock_new(ZMQ_SUB);
    if (!sub)
        return 1;
    lxm_sock_harden(sub);
    zsock_set_linger(sub, 0);
    zsock_set_subscribe(sub, "");
    if (zsock_connect(sub, "%s", ep) != 0) {
        fprintf(stderr, "lexmill follow: bad endpoint '%s': %s\n", ep,
                zmq_strerror(zmq_errno()));
        zsock_destroy(&sub);
        return 2;
    }
    s_out_t out = {.opts = &o};
    zpoller_t *poller = zpoller_new(sub, NULL);
    int64_t deadline = timed ? zclock_mono() + o.timeout_ms : INT64_MAX;
    while (!zsys_interrupted && (!o.count || out.printed < o.count)) {
        int64_t left = deadline - zclock_mono();
        if (left <= 0)
            break;
        if (zpoller_wait(poller, left > 500 ? 500 : (int) left) != sub)
            continue;
        lxm_msg_t *msg = NULL;
        const char *why = NULL;
        int rc = lxm_msg_recv(&msg, sub, &why, NULL);
        if (rc == LXM_MSG_EPROTO) {
            fprintf(stderr, "lexmill follow: malformed message skipped: %s\n", why);
            continue;
        }
        if (rc != 0)
            break;
        if (msg->cmd == LXM_FEED && msg->n_blobs >= 1) {
            s_print(&out, msg->blob[0], msg->blob_size[0], NULL, 0);
            fflush(stdout);
        }
        lxm_msg_destroy(&msg);
    }
    zpoller_destroy(&poller);
    zsock_destroy(&sub);
    lxm_buf_free(&out.line);
    return o.count && out.printed < o.count ? 1 : 0;
}
