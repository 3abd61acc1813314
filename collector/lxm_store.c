/* lxm_store: LMDB schema, group-commit batches, index scans. See lxm_store.h. */
#include "lxm_store.h"
#include <assert.h>
#include <errno.h>
#include <lmdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <inttypes.h>
#include "lxm_msg.h"

#define S_INDEX_KEY_MAX 480 /* below LMDB's 511-byte key limit; longer names are cut */

/* One stored put of the open batch, kept so the batch can be replayed after the map
 * grows (an LMDB txn that hit MDB_MAP_FULL is dead and must be redone whole). */
typedef struct {
    void *rec;      /* record msgpack copy */
    size_t rec_len;
    char *text;     /* cleaned text copy, or NULL */
    size_t text_len;
    char *batch;    /* batch token copy */
} s_op_t;

struct lxm_store_t {
    MDB_env *env;          /* the environment of DIR */
    MDB_dbi ids;           /* content id -> serial (8-byte BE) */
    MDB_dbi records;       /* serial -> record msgpack */
    MDB_dbi texts;         /* serial -> cleaned text */
    MDB_dbi meta;          /* serial -> store time (8-byte BE ms), batch token length
                              (2-byte BE), batch token, source */
    MDB_dbi by_code;       /* dupsort: unit code -> serial */
    MDB_dbi by_name;       /* dupsort: unit name -> serial */
    MDB_dbi by_year;       /* dupsort: 4-byte BE year -> serial */
    MDB_dbi by_province;   /* dupsort: province -> serial */
    MDB_dbi info;          /* "schema" -> u32 BE, "bytes" -> u64 BE */
    uint64_t next_serial;  /* serial of the next stored record (open batch only) */
    int flags;             /* LXM_STORE_* */
    MDB_txn *wtxn;         /* the open batch, or NULL */
    MDB_txn *rtxn;         /* read snapshot (kept reset between reads), or NULL */
    bool rtxn_live;        /* rtxn currently holds a snapshot */
    bool rtxn_user;        /* opened by lxm_store_read_begin: do not end it ourselves */
    s_op_t *ops;           /* journal of the batch's stored puts */
    size_t n_ops, cap_ops;
    uint64_t batch_bytes;  /* data bytes stored by the open batch */
    char *dir;             /* for messages */
    char err[512];         /* last failure */
};

/* ------------------------------------------------------------------ helpers */

static void s_err(lxm_store_t *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_err(lxm_store_t *self, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(self->err, sizeof self->err, fmt, ap);
    va_end(ap);
}

static void s_put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char) v;
}

static uint64_t s_get_be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void s_put_be32(unsigned char *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static uint64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool s_is_lower_hex(const char *s, size_t n)
{
    if (n != LXM_ID_HEX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Cuts an index key to S_INDEX_KEY_MAX bytes at a UTF-8 character boundary; scans
 * compare the full field on the record, so a cut key only widens the candidates. */
static size_t s_index_len(const char *s, size_t n)
{
    if (n <= S_INDEX_KEY_MAX)
        return n;
    n = S_INDEX_KEY_MAX;
    while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static void s_ops_clear(lxm_store_t *self)
{
    for (size_t i = 0; i < self->n_ops; i++) {
        free(self->ops[i].rec);
        free(self->ops[i].text);
        free(self->ops[i].batch);
    }
    self->n_ops = 0;
    self->batch_bytes = 0;
}

/* Ends our own read snapshot so the writer can reuse pages and the map can grow. */
static void s_read_release(lxm_store_t *self)
{
    if (self->rtxn && self->rtxn_live) {
        mdb_txn_reset(self->rtxn);
        self->rtxn_live = false;
    }
}

/* Opens a read snapshot on the handle. Handles a map grown by another process. */
static int s_read_open(lxm_store_t *self)
{
    if (self->rtxn_live)
        return 0;
    if (!self->env) {
        s_err(self, "%s: store unusable after a failed reopen", self->dir);
        return -1;
    }
    int rc = self->rtxn ? mdb_txn_renew(self->rtxn) : mdb_txn_begin(self->env, NULL, MDB_RDONLY, &self->rtxn);
    if (rc == MDB_READERS_FULL) {
        /* slots may be held by dead processes: free those and try once more */
        int dead = 0;
        if (mdb_reader_check(self->env, &dead) == 0 && dead > 0)
            rc = self->rtxn ? mdb_txn_renew(self->rtxn)
                            : mdb_txn_begin(self->env, NULL, MDB_RDONLY, &self->rtxn);
    }
    if (rc == MDB_MAP_RESIZED) {
        /* the writer grew the map: adopt its size, then start over */
        if (self->rtxn) {
            mdb_txn_abort(self->rtxn);
            self->rtxn = NULL;
        }
        rc = mdb_env_set_mapsize(self->env, 0);
        if (rc == 0)
            rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, &self->rtxn);
    }
    if (rc != 0) {
        if (self->rtxn && rc != 0) {
            mdb_txn_abort(self->rtxn);
            self->rtxn = NULL;
        }
        s_err(self, "%s: cannot start a read: %s", self->dir, mdb_strerror(rc));
        return -1;
    }
    self->rtxn_live = true;
    return 0;
}

/* The transaction reads go through: the open batch (it sees its own puts) or the
 * read snapshot. */
static MDB_txn *s_read_txn(lxm_store_t *self)
{
    if (self->wtxn)
        return self->wtxn;
    if (s_read_open(self) != 0)
        return NULL;
    return self->rtxn;
}

static void s_read_done(lxm_store_t *self)
{
    if (!self->wtxn && !self->rtxn_user)
        s_read_release(self);
}

/* ------------------------------------------------------------------ open / close */

static int s_open_dbs(lxm_store_t *self, MDB_txn *txn, bool create)
{
    const unsigned c = create ? MDB_CREATE : 0;
    const unsigned dup = MDB_DUPSORT | MDB_DUPFIXED;
    struct {
        const char *name;
        unsigned flags;
        MDB_dbi *dbi;
    } dbs[] = {
        {"ids", 0, &self->ids},            {"records", 0, &self->records},
        {"texts", 0, &self->texts},        {"meta", 0, &self->meta},          {"by_code", dup, &self->by_code},
        {"by_name", dup, &self->by_name},  {"by_year", dup, &self->by_year},
        {"by_province", dup, &self->by_province}, {"info", 0, &self->info},
    };
    for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
        int rc = mdb_dbi_open(txn, dbs[i].name, dbs[i].flags | c, dbs[i].dbi);
        if (rc == MDB_NOTFOUND) {
            s_err(self, "%s: not a lexmill store (no '%s' database)", self->dir, dbs[i].name);
            return -1;
        }
        if (rc != 0) {
            s_err(self, "%s: cannot open database '%s': %s", self->dir, dbs[i].name,
                  mdb_strerror(rc));
            return -1;
        }
    }
    /* schema version: written once by the first writer, checked by everyone */
    MDB_val k = {6, "schema"}, v;
    int rc = mdb_get(txn, self->info, &k, &v);
    if (rc == MDB_NOTFOUND && create) {
        unsigned char b[4];
        s_put_be32(b, LXM_STORE_SCHEMA);
        v.mv_size = 4;
        v.mv_data = b;
        rc = mdb_put(txn, self->info, &k, &v, 0);
        if (rc != 0) {
            s_err(self, "%s: cannot write schema: %s", self->dir, mdb_strerror(rc));
            return -1;
        }
    } else if (rc == MDB_NOTFOUND) {
        s_err(self, "%s: not a lexmill store (no schema version)", self->dir);
        return -1;
    } else if (rc != 0) {
        s_err(self, "%s: cannot read schema: %s", self->dir, mdb_strerror(rc));
        return -1;
    } else {
        const unsigned char *p = v.mv_data;
        uint32_t ver = v.mv_size == 4 ? ((uint32_t) p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]) : 0;
        if (ver != LXM_STORE_SCHEMA) {
            s_err(self, "%s: store schema %u, this program reads schema %d", self->dir, ver,
                  LXM_STORE_SCHEMA);
            return -1;
        }
    }
    return 0;
}

/* Creates and opens the environment and its databases on SELF (dir and flags set).
 * Returns 0, or -1 with self->err set (the environment may be left for close). */
static int s_env_open(lxm_store_t *self, uint64_t map_size)
{
    const char *dir = self->dir;
    const bool rdonly = self->flags & LXM_STORE_RDONLY;
    MDB_txn *txn = NULL;
    int rc;
    unsigned eflags = MDB_NOTLS;
    if (rdonly)
        eflags |= MDB_RDONLY;
    if (self->flags & LXM_STORE_NOSYNC)
        eflags |= MDB_NOSYNC;
    /* readers take the size recorded in the file (0); a writer asks for its own */
    uint64_t size = rdonly ? 0 : map_size ? map_size : LXM_STORE_DEFAULT_MAP;
    for (;;) {
        if ((rc = mdb_env_create(&self->env)) != 0) {
            self->env = NULL;
            s_err(self, "%s: %s", dir, mdb_strerror(rc));
            return -1;
        }
        mdb_env_set_maxdbs(self->env, 12);
        mdb_env_set_maxreaders(self->env, 254);
        /* a size smaller than the data is raised by LMDB to what the file holds */
        if (size && (rc = mdb_env_set_mapsize(self->env, size)) != 0) {
            s_err(self, "%s: map size: %s", dir, mdb_strerror(rc));
            return -1;
        }
        rc = mdb_env_open(self->env, dir, eflags, 0664);
        if ((rc != ENOMEM && rc != EINVAL) || (size && size <= (256ULL << 20)))
            break;
        /* no room for so large a mapping (ulimit -v, valgrind: ENOMEM or EINVAL from
         * mmap): ask for less; a writer grows the map again when it fills */
        mdb_env_close(self->env);
        self->env = NULL;
        size = size ? size / 4 : (16ULL << 30);
    }
    if (rc == 0 && !rdonly) {
        /* reader slots of processes killed mid-read stay taken until someone clears them */
        int dead = 0;
        mdb_reader_check(self->env, &dead);
    }
    if (rc != 0) {
        if (rdonly && rc == ENOENT)
            s_err(self, "%s: no store here (no data.mdb)", dir);
        else
            s_err(self, "%s: cannot open store: %s", dir, mdb_strerror(rc));
        return -1;
    }
    rc = mdb_txn_begin(self->env, NULL, rdonly ? MDB_RDONLY : 0, &txn);
    if (rc == MDB_MAP_RESIZED && rdonly) {
        mdb_env_set_mapsize(self->env, 0);
        rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, &txn);
    }
    if (rc != 0) {
        s_err(self, "%s: %s", dir, mdb_strerror(rc));
        return -1;
    }
    if (s_open_dbs(self, txn, !rdonly) != 0) {
        mdb_txn_abort(txn);
        return -1;
    }
    rc = mdb_txn_commit(txn); /* makes the dbi handles usable by later transactions */
    if (rc != 0) {
        s_err(self, "%s: cannot initialise store: %s", dir, mdb_strerror(rc));
        return -1;
    }
    return 0;
}

lxm_store_t *lxm_store_open(const char *dir, int flags, uint64_t map_size, char **err_p)
{
    assert(dir);
    lxm_store_t *self = lxm_xcalloc(1, sizeof *self);
    self->dir = lxm_xstrdup(dir);
    self->flags = flags;
    const bool rdonly = flags & LXM_STORE_RDONLY;

    if (!rdonly && mkdir(dir, 0775) != 0 && errno != EEXIST) {
        s_err(self, "%s: cannot create directory: %s", dir, strerror(errno));
        goto err;
    }
    struct stat st;
    if (stat(dir, &st) != 0) {
        s_err(self, "%s: no store here: %s", dir, strerror(errno));
        goto err;
    }
    if (!S_ISDIR(st.st_mode)) {
        s_err(self, "%s: not a directory", dir);
        goto err;
    }
    if (s_env_open(self, map_size) != 0)
        goto err;
    return self;

err:
    if (err_p)
        *err_p = lxm_xstrdup(self->err);
    lxm_store_close(&self);
    return NULL;
}

/* After a failed meta-page write LMDB refuses every transaction (MDB_PANIC) until the
 * environment is reopened; reopening reads the last meta page that made it to disk, so
 * the store comes back with every committed batch. */
static int s_reopen(lxm_store_t *self)
{
    MDB_envinfo ei;
    mdb_env_info(self->env, &ei);
    if (self->rtxn)
        mdb_txn_abort(self->rtxn);
    self->rtxn = NULL;
    self->rtxn_live = self->rtxn_user = false;
    mdb_env_close(self->env);
    self->env = NULL;
    return s_env_open(self, ei.me_mapsize);
}

void lxm_store_close(lxm_store_t **self_p)
{
    assert(self_p);
    lxm_store_t *self = *self_p;
    if (!self)
        return;
    if (self->wtxn)
        mdb_txn_abort(self->wtxn);
    if (self->rtxn)
        mdb_txn_abort(self->rtxn);
    s_ops_clear(self);
    free(self->ops);
    if (self->env)
        mdb_env_close(self->env);
    free(self->dir);
    free(self);
    *self_p = NULL;
}

const char *lxm_store_error(const lxm_store_t *self)
{
    return self->err;
}

bool lxm_store_in_batch(const lxm_store_t *self)
{
    return self->wtxn != NULL;
}

/* ------------------------------------------------------------------ writes */

/* Records are numbered in store order: serial keys make every write of a batch an
 * append (a few fresh pages per database) instead of random inserts all over the
 * B-trees, and index lists grow at their ends. Reads the last serial in the open txn. */
static int s_load_serial(lxm_store_t *self)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(self->wtxn, self->records, &c);
    if (rc != 0)
        return rc;
    MDB_val k, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND) {
        self->next_serial = 1;
        return 0;
    }
    if (rc != 0)
        return rc;
    self->next_serial = k.mv_size == 8 ? s_get_be64(k.mv_data) + 1 : 1;
    return 0;
}

int lxm_store_begin(lxm_store_t *self)
{
    if (self->flags & LXM_STORE_RDONLY) {
        s_err(self, "%s: store opened read-only", self->dir);
        return -1;
    }
    if (!self->env) {
        s_err(self, "%s: store unusable after a failed reopen", self->dir);
        return -1;
    }
    if (self->wtxn) {
        s_err(self, "%s: a batch is already open", self->dir);
        return -1;
    }
    if (self->rtxn_user) {
        s_err(self, "%s: a read is open on this handle", self->dir);
        return -1;
    }
    s_read_release(self);
    int rc = mdb_txn_begin(self->env, NULL, 0, &self->wtxn);
    if (rc == MDB_PANIC) {
        zsys_warning("store %s: LMDB reports a fatal error; reopening it", self->dir);
        self->wtxn = NULL;
        if (s_reopen(self) != 0)
            return -1;
        rc = mdb_txn_begin(self->env, NULL, 0, &self->wtxn);
    }
    if (rc == 0)
        rc = s_load_serial(self);
    if (rc != 0) {
        if (self->wtxn)
            mdb_txn_abort(self->wtxn);
        self->wtxn = NULL;
        s_err(self, "%s: cannot start a batch: %s", self->dir, mdb_strerror(rc));
        return -1;
    }
    s_ops_clear(self);
    return 0;
}

void lxm_store_abort(lxm_store_t *self)
{
    if (self->wtxn) {
        mdb_txn_abort(self->wtxn);
        self->wtxn = NULL;
    }
    s_ops_clear(self);
}

/* Adds SERIAL to the list under KEY (nothing for an empty key); a serial is new, so it
 * lands at the end of the list. */
static int s_put_index(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen,
                       MDB_val *serial)
{
    if (klen == 0)
        return 0;
    MDB_val k = {klen, (void *) key};
    int rc = mdb_put(txn, dbi, &k, serial, MDB_NODUPDATA);
    return rc == MDB_KEYEXIST ? 0 : rc;
}

/* Adds 'n' to the running byte counter in info. */
static int s_add_bytes(lxm_store_t *self, uint64_t n)
{
    MDB_val k = {5, "bytes"}, v;
    uint64_t total = 0;
    int rc = mdb_get(self->wtxn, self->info, &k, &v);
    if (rc == 0 && v.mv_size == 8)
        total = s_get_be64(v.mv_data);
    else if (rc != 0 && rc != MDB_NOTFOUND)
        return rc;
    unsigned char b[8];
    s_put_be64(b, total + n);
    v.mv_size = 8;
    v.mv_data = b;
    return mdb_put(self->wtxn, self->info, &k, &v, 0);
}

/* Looks the id up: 0 absent, LXM_ST_RESENT / LXM_ST_DUPLICATE when present, -1 on an
 * LMDB error (its code in *lmdb_rc: LMDB codes may be negative or errno values).
 * A resend is the same document again: same batch token and same source. The same text
 * under another source in the same batch is a duplicate (two files, one content). */
static int s_lookup(lxm_store_t *self, MDB_val *id, const char *batch,
                    const lxm_record_keys_t *keys, int *lmdb_rc)
{
    MDB_val v;
    *lmdb_rc = mdb_get(self->wtxn, self->ids, id, &v);
    if (*lmdb_rc == MDB_NOTFOUND) {
        *lmdb_rc = 0;
        return 0;
    }
    if (*lmdb_rc != 0)
        return -1;
    MDB_val serial = v;
    *lmdb_rc = mdb_get(self->wtxn, self->meta, &serial, &v);
    if (*lmdb_rc == MDB_NOTFOUND) {
        *lmdb_rc = 0;
        return LXM_ST_DUPLICATE;
    }
    if (*lmdb_rc != 0)
        return -1;
    size_t blen = strlen(batch);
    const unsigned char *m = v.mv_data;
    if (blen == 0 || v.mv_size < 10)
        return LXM_ST_DUPLICATE;
    size_t mb = (size_t) m[8] << 8 | m[9];
    if (mb != blen || v.mv_size != 10 + mb + keys->source_len ||
        memcmp(m + 10, batch, blen) != 0 ||
        memcmp(m + 10 + mb, keys->source, keys->source_len) != 0)
        return LXM_ST_DUPLICATE;
    return LXM_ST_RESENT;
}

/* Writes one checked record and everything that hangs off it; returns an LMDB code. */
static int s_write(lxm_store_t *self, const lxm_record_keys_t *keys, const void *rec,
                   size_t rec_len, const char *text, size_t text_len, const char *batch)
{
    unsigned char sb[8];
    s_put_be64(sb, self->next_serial);
    MDB_val id = {LXM_ID_HEX, (void *) keys->id}, sv = {8, sb};
    int rc = mdb_put(self->wtxn, self->ids, &id, &sv, MDB_NOOVERWRITE);
    if (rc != 0)
        return rc;
    MDB_val v = {rec_len, (void *) rec};
    if ((rc = mdb_put(self->wtxn, self->records, &sv, &v, MDB_APPEND)) != 0)
        return rc;
    v.mv_size = text_len;
    v.mv_data = (void *) (text ? text : "");
    if ((rc = mdb_put(self->wtxn, self->texts, &sv, &v, MDB_APPEND)) != 0)
        return rc;
    size_t blen = strlen(batch);
    if (blen > 0xffff)
        blen = 0xffff; /* the message codec caps tokens far below this */
    v.mv_size = 10 + blen + keys->source_len;
    if ((rc = mdb_put(self->wtxn, self->meta, &sv, &v, MDB_RESERVE | MDB_APPEND)) != 0)
        return rc;
    self->next_serial++;
    unsigned char *m = v.mv_data;
    s_put_be64(m, s_now_ms());
    m[8] = (unsigned char) (blen >> 8);
    m[9] = (unsigned char) blen;
    memcpy(m + 10, batch, blen);
    if (keys->source_len)
        memcpy(m + 10 + blen, keys->source, keys->source_len);

    if ((rc = s_put_index(self->wtxn, self->by_code, keys->unit_code,
                          keys->unit_code ? s_index_len(keys->unit_code, keys->unit_code_len) : 0, &sv)))
        return rc;
    if ((rc = s_put_index(self->wtxn, self->by_name, keys->unit_name,
                          keys->unit_name ? s_index_len(keys->unit_name, keys->unit_name_len) : 0, &sv)))
        return rc;
    if ((rc = s_put_index(self->wtxn, self->by_province, keys->province,
                          keys->province ? s_index_len(keys->province, keys->province_len) : 0, &sv)))
        return rc;
    if (keys->year > 0) {
        unsigned char y[4];
        s_put_be32(y, (uint32_t) keys->year);
        if ((rc = s_put_index(self->wtxn, self->by_year, y, 4, &sv)))
            return rc;
    }
    return s_add_bytes(self, rec_len + text_len);
}

/* After MDB_MAP_FULL: the txn is dead. Grow the map, start again and redo every stored
 * put of the batch (same order, same state before it: same outcomes). */
static int s_grow_and_replay(lxm_store_t *self, size_t pending)
{
    if (self->wtxn)
        mdb_txn_abort(self->wtxn);
    self->wtxn = NULL;
    s_read_release(self);
    MDB_envinfo ei;
    mdb_env_info(self->env, &ei);
    uint64_t grow = (uint64_t) ei.me_mapsize;
    uint64_t need = 4 * (self->batch_bytes + pending) + (16u << 20);
    if (grow < need)
        grow = need;
    int rc = mdb_env_set_mapsize(self->env, (size_t) (ei.me_mapsize + grow));
    if (rc == 0)
        rc = mdb_txn_begin(self->env, NULL, 0, &self->wtxn);
    if (rc == 0)
        rc = s_load_serial(self);
    if (rc != 0) {
        if (self->wtxn)
            mdb_txn_abort(self->wtxn);
        self->wtxn = NULL;
        s_ops_clear(self);
        s_err(self, "%s: map full and cannot grow it: %s", self->dir, mdb_strerror(rc));
        return -1;
    }
    for (size_t i = 0; i < self->n_ops; i++) {
        s_op_t *op = &self->ops[i];
        lxm_record_keys_t keys;
        const char *why;
        if (lxm_record_check(op->rec, op->rec_len, &keys, &why) != 0 ||
            (rc = s_write(self, &keys, op->rec, op->rec_len, op->text, op->text_len, op->batch)) != 0) {
            lxm_store_abort(self);
            s_err(self, "%s: batch failed after growing the map: %s", self->dir,
                  rc ? mdb_strerror(rc) : "record no longer checks");
            return -1;
        }
    }
    return 0;
}

static const char *s_lmdb_why(int rc)
{
    switch (rc) {
    case MDB_MAP_FULL: return "store map full";
    case ENOSPC: return "disk full";
    case EIO: return "I/O error";
    case EFBIG: return "file size limit reached";
    case EDQUOT: return "disk quota exceeded";
    case MDB_TXN_FULL: return "batch too large for one transaction";
    default: return "store error";
    }
}

int lxm_store_put(lxm_store_t *self, const void *rec, size_t rec_len, const char *text,
                  size_t text_len, const char *batch, char id_out[LXM_ID_HEX + 1],
                  const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (id_out)
        id_out[0] = '\0';
    if (!self->wtxn) {
        *why = "no batch open";
        s_err(self, "%s: put without a batch", self->dir);
        return -1;
    }
    if (!batch)
        batch = "";
    lxm_record_keys_t keys;
    if (lxm_record_check(rec, rec_len, &keys, why) != 0) {
        s_err(self, "record refused: %s", *why);
        return -1;
    }
    if (!s_is_lower_hex(keys.id, keys.id_len)) {
        *why = "id is not 40 lowercase hex digits";
        s_err(self, "record refused: %s", *why);
        return -1;
    }
    if (id_out) {
        memcpy(id_out, keys.id, LXM_ID_HEX);
        id_out[LXM_ID_HEX] = '\0';
    }
    if (text && text_len > 0) {
        char cid[LXM_ID_HEX + 1];
        lxm_content_id(text, text_len, cid);
        if (memcmp(cid, keys.id, LXM_ID_HEX) != 0) {
            *why = "id is not the content id of the text";
            s_err(self, "record %.*s refused: %s", LXM_ID_HEX, keys.id, *why);
            return -1;
        }
    }
    MDB_val id = {LXM_ID_HEX, (void *) keys.id};
    int lrc;
    int st = s_lookup(self, &id, batch, &keys, &lrc);
    if (st > 0)
        return st;
    if (st < 0)
        goto lmdb_fail;

    /* journal first, so a replay after map growth includes this put */
    if (self->n_ops == self->cap_ops) {
        self->cap_ops = self->cap_ops ? 2 * self->cap_ops : 64;
        self->ops = lxm_xrealloc(self->ops, self->cap_ops * sizeof *self->ops);
    }
    s_op_t *op = &self->ops[self->n_ops++];
    op->rec = lxm_xmalloc(rec_len ? rec_len : 1);
    memcpy(op->rec, rec, rec_len);
    op->rec_len = rec_len;
    op->text = text_len ? lxm_xstrndup(text, text_len) : NULL;
    op->text_len = text_len;
    op->batch = lxm_xstrdup(batch);

    lrc = s_write(self, &keys, rec, rec_len, text, text_len, batch);
    if (lrc == MDB_MAP_FULL) {
        /* the journal already holds this put: the replay writes it */
        if (s_grow_and_replay(self, rec_len + text_len) != 0) {
            *why = "store map full and could not grow";
            return -1;
        }
        lrc = 0;
    }
    if (lrc != 0)
        goto lmdb_fail;
    self->batch_bytes += rec_len + text_len;
    return LXM_ST_STORED;

lmdb_fail:
    *why = s_lmdb_why(lrc);
    s_err(self, "%s: batch failed: %s", self->dir, mdb_strerror(lrc));
    lxm_store_abort(self);
    return -1;
}

int lxm_store_commit(lxm_store_t *self)
{
    if (!self->wtxn) {
        s_err(self, "%s: commit without a batch", self->dir);
        return -1;
    }
    for (int attempt = 0;; attempt++) {
        int rc = mdb_txn_commit(self->wtxn);
        self->wtxn = NULL;
        if (rc == 0)
            break;
        if (rc == MDB_MAP_FULL && attempt == 0) {
            /* commit itself needs pages (free list): grow, replay the journal, retry */
            if (s_grow_and_replay(self, 0) != 0)
                return -1;
            continue;
        }
        s_err(self, "%s: commit failed (%s): %s", self->dir, s_lmdb_why(rc), mdb_strerror(rc));
        lxm_store_abort(self);
        return -1;
    }
    s_ops_clear(self);
    return 0;
}

/* ------------------------------------------------------------------ reads */

/* id -> serial (8-byte key in *SERIAL). Returns 0, 1 when absent, -1 on error. */
static int s_serial_of(lxm_store_t *self, MDB_txn *txn, const char *id, MDB_val *serial)
{
    size_t n = strlen(id);
    if (n != LXM_ID_HEX)
        return 1; /* no id of another length can exist */
    MDB_val k = {n, (void *) id};
    int rc = mdb_get(txn, self->ids, &k, serial);
    if (rc == MDB_NOTFOUND)
        return 1;
    if (rc != 0 || serial->mv_size != 8) {
        s_err(self, "%s: read failed: %s", self->dir, rc ? mdb_strerror(rc) : "bad serial");
        return -1;
    }
    return 0;
}

/* Reads the value under SERIAL in DBI; 0, 1 absent, -1 error. */
static int s_by_serial(lxm_store_t *self, MDB_txn *txn, MDB_dbi dbi, MDB_val *serial,
                       MDB_val *out)
{
    int rc = mdb_get(txn, dbi, serial, out);
    if (rc == MDB_NOTFOUND)
        return 1;
    if (rc != 0) {
        s_err(self, "%s: read failed: %s", self->dir, mdb_strerror(rc));
        return -1;
    }
    return 0;
}

static int s_get_in(lxm_store_t *self, MDB_txn *txn, const char *id, MDB_val *rec,
                    MDB_val *serial)
{
    int rc = s_serial_of(self, txn, id, serial);
    return rc ? rc : s_by_serial(self, txn, self->records, serial, rec);
}

int lxm_store_get(lxm_store_t *self, const char *id, void **rec_p, size_t *len_p,
                  char **text_p, size_t *tlen_p)
{
    MDB_txn *txn = s_read_txn(self);
    if (!txn)
        return -1;
    MDB_val v, serial;
    int rc = s_get_in(self, txn, id, &v, &serial);
    if (rc == 0) {
        *rec_p = lxm_xmalloc(v.mv_size ? v.mv_size : 1);
        memcpy(*rec_p, v.mv_data, v.mv_size);
        *len_p = v.mv_size;
        if (text_p) {
            MDB_val t = {0, ""};
            int trc = s_by_serial(self, txn, self->texts, &serial, &t);
            if (trc < 0) {
                free(*rec_p);
                *rec_p = NULL;
                rc = -1;
            } else {
                if (trc > 0) {
                    t.mv_size = 0;
                    t.mv_data = "";
                }
                *text_p = lxm_xstrndup(t.mv_data, t.mv_size);
                if (tlen_p)
                    *tlen_p = t.mv_size;
            }
        }
    }
    s_read_done(self);
    return rc;
}

int lxm_store_read_begin(lxm_store_t *self)
{
    if (self->wtxn) {
        s_err(self, "%s: a batch is open on this handle", self->dir);
        return -1;
    }
    if (s_read_open(self) != 0)
        return -1;
    self->rtxn_user = true;
    return 0;
}

int lxm_store_get_ref(lxm_store_t *self, const char *id, const void **rec_p, size_t *len_p)
{
    if (!self->rtxn_user) {
        s_err(self, "%s: lxm_store_get_ref outside lxm_store_read_begin", self->dir);
        return -1;
    }
    MDB_val v, serial;
    int rc = s_get_in(self, self->rtxn, id, &v, &serial);
    if (rc == 0) {
        *rec_p = v.mv_data;
        *len_p = v.mv_size;
    }
    return rc;
}

void lxm_store_read_end(lxm_store_t *self)
{
    self->rtxn_user = false;
    s_read_release(self);
}

/* Does the record's field (ptr, len) equal the filter string? NULL filter: yes. */
static bool s_field_eq(const char *want, const char *have, size_t have_len)
{
    if (!want || !*want)
        return true;
    return have && strlen(want) == have_len && memcmp(want, have, have_len) == 0;
}

/* Checks REC against Q; fills KEYS (pointers into REC). */
static bool s_matches(const lxm_store_query_t *q, const void *rec, size_t len,
                      lxm_record_keys_t *keys)
{
    const char *why;
    if (lxm_record_check(rec, len, keys, &why) != 0)
        return false; /* only checked records are stored; be safe anyway */
    if (!q)
        return true;
    return s_field_eq(q->unit_code, keys->unit_code, keys->unit_code_len) &&
           s_field_eq(q->unit_name, keys->unit_name, keys->unit_name_len) &&
           s_field_eq(q->province, keys->province, keys->province_len) &&
           (q->year <= 0 || q->year == keys->year);
}

/* Picks the index whose key for Q has the fewest entries. Returns 1 with *DBI / *KEY
 * set (KEY may point into YBUF), 0 when Q has no filter, 2 when a filter matches
 * nothing, -1 on LMDB error (code in *lrc). */
static int s_pick_index(lxm_store_t *self, MDB_txn *txn, const lxm_store_query_t *q,
                        MDB_dbi *dbi, MDB_val *key, unsigned char ybuf[4], int *lrc)
{
    if (!q)
        return 0;
    struct {
        const char *s;
        MDB_dbi dbi;
    } cand[3] = {{q->unit_code, self->by_code},
                 {q->unit_name, self->by_name},
                 {q->province, self->by_province}};
    size_t best = SIZE_MAX;
    int found = 0;
    for (int i = 0; i < 4; i++) {
        MDB_val k;
        MDB_dbi d;
        if (i < 3) {
            if (!cand[i].s || !*cand[i].s)
                continue;
            k.mv_size = s_index_len(cand[i].s, strlen(cand[i].s));
            k.mv_data = (void *) cand[i].s;
            d = cand[i].dbi;
        } else {
            if (q->year <= 0)
                continue;
            s_put_be32(ybuf, (uint32_t) q->year);
            k.mv_size = 4;
            k.mv_data = ybuf;
            d = self->by_year;
        }
        MDB_cursor *c;
        if ((*lrc = mdb_cursor_open(txn, d, &c)) != 0)
            return -1;
        MDB_val kk = k, vv;
        size_t count = 0;
        int rc = mdb_cursor_get(c, &kk, &vv, MDB_SET);
        if (rc == 0)
            rc = mdb_cursor_count(c, &count);
        mdb_cursor_close(c);
        if (rc == MDB_NOTFOUND)
            return 2;
        if (rc != 0) {
            *lrc = rc;
            return -1;
        }
        if (count < best) {
            best = count;
            *dbi = d;
            *key = k;
            found = 1;
        }
    }
    return found;
}

long lxm_store_find(lxm_store_t *self, const lxm_store_query_t *q, const char *after,
                    size_t limit, lxm_store_visit_fn *fn, void *arg,
                    char next[LXM_ID_HEX + 1])
{
    /* AFTER may be the caller's NEXT buffer (cursor loops): copy it before clearing */
    char after_copy[LXM_ID_HEX + 1];
    if (after && *after) {
        snprintf(after_copy, sizeof after_copy, "%s", after);
        after = after_copy;
    } else {
        after = NULL;
    }
    if (next)
        next[0] = '\0';
    MDB_txn *txn = s_read_txn(self);
    if (!txn)
        return -1;
    if (q && !q->unit_code && !q->unit_name && !q->province && q->year <= 0)
        q = NULL;

    MDB_dbi dbi = self->ids;
    MDB_val key = {0, NULL};
    unsigned char ybuf[4];
    MDB_cursor *cur = NULL;
    long visited = 0;
    int rc = 0;
    int pick = s_pick_index(self, txn, q, &dbi, &key, ybuf, &rc);
    if (pick < 0)
        goto lmdb_fail;
    if (pick == 2)
        goto done; /* one filter matches nothing */
    const bool use_index = pick == 1;

    if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0)
        goto lmdb_fail;
    MDB_val k = key, v;
    if (use_index) {
        if (after) {
            /* resume after the cursor record's serial in this list */
            MDB_val serial;
            int g = s_serial_of(self, txn, after, &serial);
            if (g < 0)
                goto fail;
            if (g > 0) {
                s_err(self, "%s: unknown cursor %s", self->dir, after);
                goto fail;
            }
            v = serial;
            rc = mdb_cursor_get(cur, &k, &v, MDB_GET_BOTH_RANGE);
            if (rc == 0 && v.mv_size == 8 && memcmp(v.mv_data, serial.mv_data, 8) == 0)
                rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
        } else {
            rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
        }
    } else if (after) {
        k.mv_size = strlen(after);
        k.mv_data = (void *) after;
        rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
        if (rc == 0 && k.mv_size == strlen(after) && memcmp(k.mv_data, after, k.mv_size) == 0)
            rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    } else {
        rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    }
    char last[LXM_ID_HEX + 1] = "";
    while (rc == 0) {
        /* v is the serial either way: dup value of an index, or value of ids */
        MDB_val rec;
        char idz[LXM_ID_HEX + 1];
        int g = s_by_serial(self, txn, self->records, &v, &rec);
        if (g < 0)
            goto fail;
        if (g > 0)
            goto step; /* an index entry without its record: never written so */
        lxm_record_keys_t keys;
        if (q) {
            if (!s_matches(q, rec.mv_data, rec.mv_size, &keys))
                goto step;
            memcpy(idz, keys.id, LXM_ID_HEX);
        } else {
            if (k.mv_size != LXM_ID_HEX)
                goto step;
            memcpy(idz, k.mv_data, LXM_ID_HEX);
        }
        idz[LXM_ID_HEX] = '\0';
        if (limit && (size_t) visited == limit) {
            /* one more match exists: the caller may ask for the next page */
            if (next)
                memcpy(next, last, LXM_ID_HEX + 1);
            goto done;
        }
        visited++;
        memcpy(last, idz, sizeof last);
        if (fn && fn(idz, rec.mv_data, rec.mv_size, arg) != 0) {
            if (next)
                memcpy(next, last, LXM_ID_HEX + 1);
            goto done;
        }
    step:
        rc = mdb_cursor_get(cur, &k, &v, use_index ? MDB_NEXT_DUP : MDB_NEXT);
    }
    if (rc != MDB_NOTFOUND)
        goto lmdb_fail;
done:
    if (cur)
        mdb_cursor_close(cur);
    s_read_done(self);
    return visited;
lmdb_fail:
    s_err(self, "%s: scan failed: %s", self->dir, mdb_strerror(rc));
fail:
    if (cur)
        mdb_cursor_close(cur);
    s_read_done(self);
    return -1;
}

long lxm_store_scan(lxm_store_t *self, const char *after, size_t limit,
                    lxm_store_visit_fn *fn, void *arg, char next[LXM_ID_HEX + 1])
{
    return lxm_store_find(self, NULL, after, limit, fn, arg, next);
}

int lxm_store_counts(lxm_store_t *self, lxm_store_counts_t *out)
{
    memset(out, 0, sizeof *out);
    MDB_txn *txn = s_read_txn(self);
    if (!txn)
        return -1;
    MDB_stat st;
    int rc = mdb_stat(txn, self->ids, &st);
    if (rc == 0) {
        out->records = st.ms_entries;
        MDB_val k = {5, "bytes"}, v;
        if (mdb_get(txn, self->info, &k, &v) == 0 && v.mv_size == 8)
            out->data_bytes = s_get_be64(v.mv_data);
        MDB_envinfo ei;
        MDB_stat es;
        mdb_env_info(self->env, &ei);
        mdb_env_stat(self->env, &es);
        out->map_bytes = ei.me_mapsize;
        out->used_bytes = (uint64_t) (ei.me_last_pgno + 1) * es.ms_psize;
    } else {
        s_err(self, "%s: stat failed: %s", self->dir, mdb_strerror(rc));
    }
    s_read_done(self);
    return rc == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ bench */

typedef struct {
    char *rec;   /* record msgpack */
    size_t rec_len;
    char *text;  /* cleaned text */
    size_t text_len;
    char id[LXM_ID_HEX + 1];
} s_bench_doc_t;

static double s_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A plausible record of about REC_BYTES (half text, half record), unique by N. */
static void s_bench_doc(s_bench_doc_t *d, size_t n, size_t rec_bytes, uint64_t *rng)
{
    static const char *units[] = {"新桥镇", "尼山镇", "东城区", "潼关县", "城关街道", "大王庄乡"};
    static const char *provs[] = {"浙江省", "山东省", "北京市", "陕西省", "河南省"};
    lxm_buf_t t = {0};
    lxm_buf_printf(&t, "%zu 法治政府建设年度报告。", n);
    while (t.len < rec_bytes / 2) {
        *rng = *rng * 6364136223846793005ULL + 1442695040888963407ULL;
        lxm_buf_printf(&t, "开展专题学法%u次，发放宣传资料%u份。", (unsigned) (*rng >> 40) % 100,
                       (unsigned) (*rng >> 20) % 1000);
    }
    lxm_record_t r = {0};
    lxm_content_id(t.data, t.len, d->id);
    r.id = lxm_xstrdup(d->id);
    char src[64];
    snprintf(src, sizeof src, "bench/%zu.txt", n);
    r.source = lxm_xstrdup(src);
    r.title = lxm_xstrdup("法治政府建设年度报告");
    r.unit.name = lxm_xstrdup(units[n % 6]);
    r.unit.level = lxm_xstrdup("镇");
    char code[16];
    snprintf(code, sizeof code, "%09zu", 100000000 + n % 5000);
    r.unit.code = lxm_xstrdup(code);
    r.unit.province = lxm_xstrdup(provs[n % 5]);
    r.unit.match = lxm_xstrdup("unique");
    r.year = 2015 + (int) (n % 10);
    r.parser = lxm_xstrdup("lexmill bench");
    lxm_buf_t out = {0};
    for (uint32_t i = 0;; i++) {
        lxm_buf_clear(&out);
        lxm_record_pack(&r, &out);
        if (out.len + t.len >= rec_bytes)
            break;
        lxm_record_add_fact(&r, "study.sessions", i, "次", false, NULL, "开展专题学法", 18,
                            i * 10);
    }
    d->rec_len = out.len;
    d->rec = lxm_buf_take(&out);
    d->text_len = t.len;
    d->text = lxm_buf_take(&t);
    lxm_record_reset(&r);
}

static int s_cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* The plain baseline: one LMDB env, records and texts keyed by id, nothing else. */
static double s_bench_plain(const char *dir, s_bench_doc_t *docs, size_t n, size_t batch,
                            FILE *out)
{
    MDB_env *env;
    MDB_dbi recs, texts;
    MDB_txn *txn;
    if (mkdir(dir, 0775) != 0 && errno != EEXIST)
        return -1;
    if (mdb_env_create(&env) != 0)
        return -1;
    mdb_env_set_maxdbs(env, 4);
    mdb_env_set_mapsize(env, LXM_STORE_DEFAULT_MAP);
    int rc = mdb_env_open(env, dir, MDB_NOTLS, 0664);
    if (rc == 0 && (rc = mdb_txn_begin(env, NULL, 0, &txn)) == 0) {
        mdb_dbi_open(txn, "records", MDB_CREATE, &recs);
        mdb_dbi_open(txn, "texts", MDB_CREATE, &texts);
        rc = mdb_txn_commit(txn);
    }
    double t0 = s_secs();
    for (size_t i = 0; rc == 0 && i < n; i += batch) {
        if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0)
            break;
        for (size_t j = i; rc == 0 && j < n && j < i + batch; j++) {
            MDB_val k = {LXM_ID_HEX, docs[j].id}, v = {docs[j].rec_len, docs[j].rec};
            rc = mdb_put(txn, recs, &k, &v, 0);
            v.mv_size = docs[j].text_len;
            v.mv_data = docs[j].text;
            if (rc == 0)
                rc = mdb_put(txn, texts, &k, &v, 0);
        }
        if (rc == 0)
            rc = mdb_txn_commit(txn);
        else
            mdb_txn_abort(txn);
    }
    double dt = s_secs() - t0;
    mdb_env_close(env);
    if (rc != 0) {
        fprintf(out, "plain LMDB loop failed: %s\n", mdb_strerror(rc));
        return -1;
    }
    return dt;
}

int lxm_store_bench(const char *dir, size_t n_records, size_t rec_bytes, size_t batch,
                    size_t get_records, size_t n_gets, FILE *out)
{
    if (!n_records) n_records = 100000;
    if (!rec_bytes) rec_bytes = 2048;
    if (!batch) batch = 1000;
    if (!get_records) get_records = 200000;
    if (!n_gets) n_gets = 200000;
    if (!out) out = stdout;
    size_t n_docs = n_records > get_records ? n_records : get_records;

    char tmpl[256];
    if (!dir) {
        const char *tmp = getenv("TMPDIR");
        snprintf(tmpl, sizeof tmpl, "%s/lxm-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(tmpl)) {
            fprintf(out, "store bench: cannot make a scratch directory: %s\n", strerror(errno));
            return -1;
        }
        dir = tmpl;
    }
    char sdir[512], pdir[512];
    snprintf(sdir, sizeof sdir, "%s/store", dir);
    snprintf(pdir, sizeof pdir, "%s/plain", dir);

    fprintf(out, "store bench: generating %zu records of ~%zu bytes\n", n_docs, rec_bytes);
    s_bench_doc_t *docs = lxm_xcalloc(n_docs, sizeof *docs);
    uint64_t rng = 42;
    size_t total_bytes = 0;
    for (size_t i = 0; i < n_docs; i++) {
        s_bench_doc(&docs[i], i, rec_bytes, &rng);
        total_bytes += docs[i].rec_len + docs[i].text_len;
    }
    int ret = -1;
    char *err = NULL;
    lxm_store_t *st = lxm_store_open(sdir, 0, 0, &err);
    if (!st) {
        fprintf(out, "store bench: %s\n", err);
        free(err);
        goto cleanup;
    }
    /* durable group-commit path over the first n_records */
    double t0 = s_secs(), t_commit = 0;
    for (size_t i = 0; i < n_records; i += batch) {
        if (lxm_store_begin(st) != 0)
            goto fail;
        for (size_t j = i; j < n_records && j < i + batch; j++)
            if (lxm_store_put(st, docs[j].rec, docs[j].rec_len, docs[j].text, docs[j].text_len,
                              "bench", NULL, NULL) != LXM_ST_STORED)
                goto fail;
        double tc = s_secs();
        if (lxm_store_commit(st) != 0)
            goto fail;
        t_commit += s_secs() - tc;
    }
    double t_store = s_secs() - t0;
    double t_plain = s_bench_plain(pdir, docs, n_records, batch, out);
    /* fill up to get_records for the lookups (same durable path, not timed) */
    for (size_t i = n_records; i < get_records; i += batch) {
        if (lxm_store_begin(st) != 0)
            goto fail;
        for (size_t j = i; j < get_records && j < i + batch; j++)
            if (lxm_store_put(st, docs[j].rec, docs[j].rec_len, docs[j].text, docs[j].text_len,
                              "bench", NULL, NULL) != LXM_ST_STORED)
                goto fail;
        if (lxm_store_commit(st) != 0)
            goto fail;
    }
    size_t have = n_docs;
    double *lat = lxm_xmalloc(n_gets * sizeof *lat);
    double *lat_copy = lxm_xmalloc(n_gets * sizeof *lat_copy);
    if (lxm_store_read_begin(st) != 0) {
        free(lat);
        free(lat_copy);
        goto fail;
    }
    size_t misses = 0;
    for (size_t i = 0; i < n_gets; i++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        const char *id = docs[(rng >> 33) % have].id;
        const void *rec;
        size_t len;
        double a = s_secs();
        int rc = lxm_store_get_ref(st, id, &rec, &len);
        lat[i] = (s_secs() - a) * 1e6;
        if (rc != 0)
            misses++;
    }
    lxm_store_read_end(st);
    for (size_t i = 0; i < n_gets; i++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        const char *id = docs[(rng >> 33) % have].id;
        void *rec;
        size_t len;
        double a = s_secs();
        int rc = lxm_store_get(st, id, &rec, &len, NULL, NULL);
        lat_copy[i] = (s_secs() - a) * 1e6;
        if (rc == 0)
            free(rec);
        else
            misses++;
    }
    qsort(lat, n_gets, sizeof *lat, s_cmp_double);
    qsort(lat_copy, n_gets, sizeof *lat_copy, s_cmp_double);
    double p50 = lat[n_gets / 2], p99 = lat[(size_t) (n_gets * 0.99)];
    double c50 = lat_copy[n_gets / 2], c99 = lat_copy[(size_t) (n_gets * 0.99)];
    free(lat);
    free(lat_copy);
    lxm_store_counts_t c;
    lxm_store_counts(st, &c);

    double avg = (double) total_bytes / n_docs;
    double r_store = n_records / t_store;
    double r_plain = t_plain > 0 ? n_records / t_plain : 0;
    fprintf(out, "records: %zu of %.0f bytes avg (record + text), batches of %zu, fsync on commit\n",
            n_records, avg, batch);
    fprintf(out, "store group commit (check, dedup, 4 indexes): %.0f records/s (%.2f s: "
                 "puts %.2f s, commits with fsync %.2f s)\n",
            r_store, t_store, t_store - t_commit, t_commit);
    fprintf(out, "plain LMDB put loop (2 puts per record): %.0f records/s (%.2f s)\n", r_plain,
            t_plain);
    fprintf(out, "get by id, %zu lookups over %zu records, zero-copy in one snapshot: "
                 "p50 %.2f us, p99 %.2f us\n", n_gets, (size_t) c.records, p50, p99);
    fprintf(out, "get by id with copy, one read txn each: p50 %.2f us, p99 %.2f us\n", c50, c99);
    fprintf(out, "store size: %.1f MB used, %" PRIu64 " records%s\n", c.used_bytes / 1e6,
            c.records, misses ? " (LOOKUP MISSES!)" : "");
    fprintf(out, "{\"store_records_per_s\": %.0f, \"plain_lmdb_records_per_s\": %.0f, "
                 "\"record_bytes\": %.0f, \"batch\": %zu, \"get_p50_us\": %.3f, "
                 "\"get_p99_us\": %.3f, \"get_copy_p50_us\": %.3f, \"get_copy_p99_us\": %.3f, "
                 "\"get_records\": %" PRIu64 ", \"misses\": %zu, \"store_put_s\": %.3f, "
                 "\"store_commit_s\": %.3f, \"store_used_mb\": %.1f}\n",
            r_store, r_plain, avg, batch, p50, p99, c50, c99, c.records, misses,
            t_store - t_commit, t_commit, c.used_bytes / 1e6);
    ret = misses ? -1 : 0;
    goto cleanup;
fail:
    fprintf(out, "store bench: %s\n", lxm_store_error(st));
cleanup:
    lxm_store_close(&st);
    for (size_t i = 0; i < n_docs; i++) {
        free(docs[i].rec);
        free(docs[i].text);
    }
    free(docs);
    /* remove what we wrote: data.mdb and lock.mdb of both environments */
    const char *files[] = {"store/data.mdb", "store/lock.mdb", "plain/data.mdb", "plain/lock.mdb"};
    char path[600];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(sdir);
    rmdir(pdir);
    if (dir == tmpl)
        rmdir(tmpl);
    return ret;
}
