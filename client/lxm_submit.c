/* lxm_submit: the client side of the delivery contract (see lxm_submit.h).
 *
 * Every document is one slot in a flat array, in the order it was found. A slot moves
 * NEW -> SENT -> (STORED | DUPLICATE | FAILED); a reconnect moves every SENT slot to
 * RESEND, and the fill step sends RESEND slots before NEW ones. The window counts SENT
 * and RESEND slots, so the number of unresolved documents the broker may hold is bounded
 * whatever happens. File bytes live only between read and send. */
#include <czmq.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lxm_buf.h"
#include "lxm_bundle.h"
#include "lxm_msg.h"
#include "lxm_submit.h"

#define S_PACE_US 2000 /* pause after a turn that read replies while documents are in
                          flight: the next turn reads (and refills) in one batch */

typedef enum {
    S_NEW = 0,   /* not sent yet */
    S_SENT,      /* sent, waiting for its RESULT */
    S_RESEND,    /* was sent to a broker that went away: send again */
    S_STORED,    /* RESULT stored (or stored by a resend of this batch) */
    S_DUPLICATE, /* RESULT duplicate: that content was already in the store */
    S_FAILED     /* failed locally or by RESULT; reason says why */
} s_state_t;

typedef struct {
    char *path;     /* as found by the walk */
    char *reason;   /* failure reason, NULL unless S_FAILED */
    char *doc_id;   /* content id from the RESULT, NULL until then */
    uint8_t state;  /* s_state_t */
    bool accepted;  /* the broker sent ACCEPT for it */
} s_doc_t;

struct lxm_submit_t {
    lxm_submit_opts_t opts; /* copied options, defaults applied */
    char *broker;           /* owned copy of opts.broker */
    char batch[33];         /* random token for this run */
    s_doc_t *docs;          /* every document, in walk order; seq = index + 1 */
    size_t n_docs, cap_docs;
    size_t next_new;        /* first slot that may still be S_NEW */
    size_t n_resend;        /* slots in S_RESEND */
    size_t outstanding;     /* slots in S_SENT or S_RESEND */
    size_t n_stored, n_dup, n_failed;
    size_t *failures;       /* indexes of failed slots, in the order they failed */
    size_t n_failures, cap_failures;
    size_t resends;         /* reconnects that resent unresolved documents */
    zhashx_t *stored_ids;   /* content ids this run counted as stored (see s_on_result) */
    zsock_t *sock;          /* DEALER to the broker, NULL when not connected */
    lxm_inbox_t *inbox;     /* opens the broker's bundles of ACCEPTs and RESULTs */
    lxm_bundle_t *out;      /* SUBMITs being gathered, sent as one message */
    size_t *bundled;        /* the slots in OUT, in order */
    size_t n_bundled, cap_bundled;
    char instance[64];      /* broker instance id last heard, "" when unknown */
    int64_t connected_at;   /* zclock_mono when the socket was (re)created */
    int64_t started, finished; /* zclock_mono at run start / end */
    int64_t last_progress;  /* when progress was last drawn */
    bool bar;               /* progress as a redrawn bar (else lines) */
    bool bar_drawn;         /* a bar is on screen and must be cleared */
};

/* ---- slots ---------------------------------------------------------------------- */

static void s_add_doc(lxm_submit_t *self, const char *path)
{
    if (self->n_docs == self->cap_docs) {
        self->cap_docs = self->cap_docs ? self->cap_docs * 2 : 256;
        self->docs = lxm_xrealloc(self->docs, self->cap_docs * sizeof *self->docs);
    }
    s_doc_t *d = &self->docs[self->n_docs++];
    memset(d, 0, sizeof *d);
    d->path = lxm_xstrdup(path);
}

/* Marks slot I failed with REASON (copied). Only unresolved slots change. */
static void s_fail(lxm_submit_t *self, size_t i, const char *reason)
{
    s_doc_t *d = &self->docs[i];
    if (d->state == S_STORED || d->state == S_DUPLICATE || d->state == S_FAILED)
        return;
    if (d->state == S_SENT || d->state == S_RESEND)
        self->outstanding--;
    if (d->state == S_RESEND)
        self->n_resend--;
    d->state = S_FAILED;
    free(d->reason);
    d->reason = lxm_xstrdup(reason && *reason ? reason : "failed (no reason given)");
    self->n_failed++;
    if (self->n_failures == self->cap_failures) {
        self->cap_failures = self->cap_failures ? self->cap_failures * 2 : 64;
        self->failures =
            lxm_xrealloc(self->failures, self->cap_failures * sizeof *self->failures);
    }
    self->failures[self->n_failures++] = i;
}

static void s_add_failed(lxm_submit_t *self, const char *path, const char *reason)
{
    s_add_doc(self, path);
    s_fail(self, self->n_docs - 1, reason);
}

static size_t s_resolved(const lxm_submit_t *self)
{
    return self->n_stored + self->n_dup + self->n_failed;
}

/* ---- walk ----------------------------------------------------------------------- */

static int s_name_cmp(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int s_skip_dot(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

typedef struct s_visit_t {
    dev_t dev;                     /* the folder being walked */
    ino_t ino;
    const struct s_visit_t *up;    /* its parent in the walk, to catch symlink loops */
} s_visit_t;

static size_t s_walk(lxm_submit_t *self, const char *path, const s_visit_t *up)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        char why[160];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        s_add_failed(self, path, why);
        return 1;
    }
    if (S_ISREG(st.st_mode)) {
        s_add_doc(self, path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        s_add_failed(self, path, "not a regular file or folder");
        return 1;
    }
    for (const s_visit_t *v = up; v; v = v->up)
        if (v->dev == st.st_dev && v->ino == st.st_ino) {
            s_add_failed(self, path, "folder loop (a link back to a parent), skipped");
            return 1;
        }
    struct dirent **names = NULL;
    int n = scandir(path, &names, s_skip_dot, s_name_cmp);
    if (n < 0) {
        char why[160];
        snprintf(why, sizeof why, "cannot read folder: %s", strerror(errno));
        s_add_failed(self, path, why);
        return 1;
    }
    s_visit_t here = {st.st_dev, st.st_ino, up};
    size_t added = 0;
    lxm_buf_t child = {0};
    for (int i = 0; i < n; i++) {
        lxm_buf_clear(&child);
        lxm_buf_puts(&child, path);
        if (child.len == 0 || child.data[child.len - 1] != '/')
            lxm_buf_putc(&child, '/');
        lxm_buf_puts(&child, names[i]->d_name);
        /* the folder listing already says what a plain file is: no stat per file (a crawl
         * has hundreds of thousands); links, folders and unknown types are looked at */
        if (names[i]->d_type == DT_REG) {
            s_add_doc(self, child.data);
            added++;
        }
        else
            added += s_walk(self, child.data, &here);
        free(names[i]);
    }
    free(names);
    lxm_buf_free(&child);
    return added;
}

size_t lxm_submit_add_path(lxm_submit_t *self, const char *path)
{
    assert(self && path);
    return s_walk(self, path, NULL);
}

/* ---- life cycle ----------------------------------------------------------------- */

lxm_submit_t *lxm_submit_new(const lxm_submit_opts_t *opts)
{
    lxm_submit_t *self = lxm_xcalloc(1, sizeof *self);
    if (opts)
        self->opts = *opts;
    self->broker = lxm_xstrdup(self->opts.broker ? self->opts.broker : LXM_SUBMIT_BROKER);
    self->opts.broker = self->broker;
    if (!self->opts.window)
        self->opts.window = LXM_SUBMIT_WINDOW;
    if (!self->opts.max_bytes)
        self->opts.max_bytes = LXM_SUBMIT_MAX_BYTES;
    if (self->opts.heartbeat_ms <= 0)
        self->opts.heartbeat_ms = LXM_SUBMIT_HEARTBEAT_MS;
    if (self->opts.liveness <= 0)
        self->opts.liveness = LXM_SUBMIT_LIVENESS;
    if (!self->opts.progress_out)
        self->opts.progress_out = stderr;
    zuuid_t *uuid = zuuid_new();
    snprintf(self->batch, sizeof self->batch, "%s", zuuid_str(uuid));
    for (char *p = self->batch; *p; p++)
        *p = (char) tolower((unsigned char) *p);
    zuuid_destroy(&uuid);
    self->stored_ids = zhashx_new();
    self->inbox = lxm_inbox_new();
    self->out = lxm_bundle_new();
    return self;
}

void lxm_submit_destroy(lxm_submit_t **self_p)
{
    assert(self_p);
    lxm_submit_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->n_docs; i++) {
        free(self->docs[i].path);
        free(self->docs[i].reason);
        free(self->docs[i].doc_id);
    }
    free(self->docs);
    free(self->failures);
    zsock_destroy(&self->sock);
    zhashx_destroy(&self->stored_ids);
    lxm_inbox_destroy(&self->inbox);
    lxm_bundle_destroy(&self->out);
    free(self->bundled);
    free(self->broker);
    free(self);
    *self_p = NULL;
}

/* ---- socket --------------------------------------------------------------------- */

/* (Re)creates the DEALER. Returns 0, or -1 when the endpoint is unusable. */
static int s_connect(lxm_submit_t *self)
{
    lxm_inbox_clear(self->inbox); /* replies of the old link: the resend asks again */
    zsock_destroy(&self->sock);
    self->sock = zsock_new(ZMQ_DEALER);
    if (!self->sock)
        return -1;
    lxm_sock_harden(self->sock);
    /* Never block: with no broker connected a DEALER send would wait forever; the
     * window, not the socket, is what bounds what we hold. */
    zsock_set_sndtimeo(self->sock, 0);
    zsock_set_linger(self->sock, 0);
    zsock_set_sndhwm(self->sock, (int) self->opts.window * 2 + 16);
    zsock_set_rcvhwm(self->sock, 0);
    if (zsock_connect(self->sock, "%s", self->broker) != 0) {
        zsock_destroy(&self->sock);
        return -1;
    }
    self->connected_at = zclock_mono();
    return 0;
}

static void s_send_heartbeat(lxm_submit_t *self)
{
    lxm_msg_t *m = lxm_msg_new(LXM_HEARTBEAT);
    /* our instance is the batch token: it changes exactly when this client restarts */
    lxm_msg_set_str(&m->instance, self->batch);
    lxm_msg_set_str(&m->batch, self->batch);
    lxm_msg_send(m, self->sock); /* best effort: a lost heartbeat is the point of them */
    lxm_msg_destroy(&m);
}

/* Reads slot I's file. Returns 0 with *bytes (malloc'ed) and *len, or -1 after failing
 * the slot with the reason. */
static int s_read_doc(lxm_submit_t *self, size_t i, void **bytes, size_t *len)
{
    s_doc_t *d = &self->docs[i];
    char why[200];
    int fd = open(d->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        s_fail(self, i, why);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        s_fail(self, i, "not a regular file");
        return -1;
    }
    if ((uint64_t) st.st_size > self->opts.max_bytes) {
        close(fd);
        snprintf(why, sizeof why, "too large (%lld bytes, limit %zu)",
                 (long long) st.st_size, self->opts.max_bytes);
        s_fail(self, i, why);
        return -1;
    }
    /* Read to end rather than trusting st_size: the file may change under us. */
    size_t cap = (size_t) st.st_size + 1, n = 0;
    char *buf = lxm_xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap > self->opts.max_bytes) {
                free(buf);
                close(fd);
                snprintf(why, sizeof why, "too large (grew past limit %zu)",
                         self->opts.max_bytes);
                s_fail(self, i, why);
                return -1;
            }
            cap *= 2;
            buf = lxm_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
            free(buf);
            close(fd);
            s_fail(self, i, why);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t) r;
    }
    close(fd);
    *bytes = buf;
    *len = n;
    return 0;
}

/* Sends the gathered SUBMITs as one message. Returns 0 when sent (their slots are SENT
 * now), or -1 when the socket would block (the slots are unchanged: the files are read
 * again next time). */
static int s_send_bundle(lxm_submit_t *self)
{
    if (self->n_bundled == 0)
        return 0;
    int rc = lxm_bundle_send(self->out, self->sock, NULL);
    for (size_t k = 0; rc != 0 && k < self->n_bundled; k++)
        if (self->docs[self->bundled[k]].state == S_NEW && self->bundled[k] < self->next_new)
            self->next_new = self->bundled[k]; /* those go again, first */
    for (size_t k = 0; rc == 0 && k < self->n_bundled; k++) {
        s_doc_t *d = &self->docs[self->bundled[k]];
        if (d->state == S_RESEND)
            self->n_resend--;
        else
            self->outstanding++;
        d->state = S_SENT;
        d->accepted = false;
    }
    self->n_bundled = 0;
    return rc;
}

/* Reads slot I and adds its SUBMIT to the bundle, sending the bundle first when it is
 * full. Returns 0 when added or failed locally (the slot moved on), or -1 when the socket
 * would block (nothing gathered was sent; try again later). */
static int s_gather_doc(lxm_submit_t *self, size_t i)
{
    void *bytes;
    size_t len;
    if (s_read_doc(self, i, &bytes, &len) != 0)
        return 0;
    lxm_msg_t *m = lxm_msg_new(LXM_SUBMIT);
    m->seq = (uint64_t) i + 1;
    lxm_msg_set_str(&m->batch, self->batch);
    lxm_msg_set_str(&m->source, self->docs[i].path);
    lxm_msg_add_blob_owned(m, bytes, len);
    if (!lxm_bundle_room(self->out, m) && s_send_bundle(self) != 0) {
        lxm_msg_destroy(&m); /* would block: read again next time */
        return -1;
    }
    int rc = lxm_bundle_add(self->out, m);
    lxm_msg_destroy(&m);
    if (rc != 0) {
        s_fail(self, i, "cannot be sent (path too long?)");
        return 0;
    }
    if (self->n_bundled == self->cap_bundled) {
        self->cap_bundled = self->cap_bundled ? self->cap_bundled * 2 : LXM_BUNDLE_FULL_MSGS;
        self->bundled = lxm_xrealloc(self->bundled, self->cap_bundled * sizeof *self->bundled);
    }
    self->bundled[self->n_bundled++] = i;
    return 0;
}

/* Sends what the window allows: resends first (oldest first), then new documents, in
 * bundles (one message for many documents). */
static void s_fill(lxm_submit_t *self)
{
    /* slots in a bundle are not SENT until it leaves: count them against the window */
    if (self->n_resend > 0) {
        for (size_t i = 0; i < self->n_docs && self->n_resend > self->n_bundled; i++)
            if (self->docs[i].state == S_RESEND && s_gather_doc(self, i) != 0)
                goto done;
    }
    while (self->outstanding + self->n_bundled < self->opts.window &&
           self->next_new < self->n_docs) {
        if (self->docs[self->next_new].state != S_NEW) {
            self->next_new++;
            continue;
        }
        if (s_gather_doc(self, self->next_new) != 0)
            goto done;
        self->next_new++;
    }
done:
    s_send_bundle(self);
}

/* The broker went away (restart or silence): new socket, and every unresolved
 * document goes again. */
static void s_reconnect(lxm_submit_t *self, const char *why, bool forget_instance)
{
    /* After silence we do not know who will answer: wait for its greeting before
     * sending, so a broker that restarted unseen is still caught by its new id. */
    if (forget_instance)
        self->instance[0] = 0;
    size_t moved = 0;
    for (size_t i = 0; i < self->n_docs; i++)
        if (self->docs[i].state == S_SENT) {
            self->docs[i].state = S_RESEND;
            self->n_resend++;
            moved++;
        }
    self->resends++;
    if (self->opts.progress != LXM_PROGRESS_NONE) {
        if (self->bar_drawn)
            fprintf(self->opts.progress_out, "\r\033[K");
        self->bar_drawn = false;
        fprintf(self->opts.progress_out, "lexmill submit: %s; resending %zu documents\n",
                why, moved);
    }
    if (s_connect(self) != 0)
        zsys_error("lexmill submit: cannot reconnect to %s", self->broker);
}

/* ---- replies -------------------------------------------------------------------- */

static s_doc_t *s_doc_for(lxm_submit_t *self, uint64_t seq, size_t *index)
{
    if (seq == 0 || seq > self->n_docs)
        return NULL;
    *index = (size_t) seq - 1;
    return &self->docs[*index];
}

static void s_on_result(lxm_submit_t *self, const lxm_msg_t *m)
{
    size_t i;
    s_doc_t *d = s_doc_for(self, m->seq, &i);
    if (!d)
        return; /* not ours (an old run's seq): ignore */
    if (d->state != S_SENT && d->state != S_RESEND)
        return; /* already resolved: a resend's second answer */
    if (m->status == LXM_ST_FAILED) {
        s_fail(self, i, m->reason);
        return;
    }
    if (d->state == S_RESEND)
        self->n_resend--;
    self->outstanding--;
    const char *id = m->doc_id && *m->doc_id ? m->doc_id : NULL;
    /* STORED or RESENT for a content id this run already counted: another file of the
     * same content (the collector says RESENT for it, and a worker may pass that on as
     * STORED). Only the first file counted for an id is "stored"; the others are
     * "already stored". A RESENT for an id not counted yet is this very document, whose
     * first RESULT was lost to a crash: stored. */
    bool dup = m->status == LXM_ST_DUPLICATE || (id && zhashx_lookup(self->stored_ids, id));
    if (dup) {
        d->state = S_DUPLICATE;
        self->n_dup++;
    }
    else {
        d->state = S_STORED;
        self->n_stored++;
        if (id)
            zhashx_insert(self->stored_ids, id, (void *) 1);
    }
    if (id)
        d->doc_id = lxm_xstrdup(id);
}

/* Handles one message. Returns true when the broker restarted (resend needed). */
static bool s_on_message(lxm_submit_t *self, const lxm_msg_t *m)
{
    switch (m->cmd) {
    case LXM_RESULT:
        s_on_result(self, m);
        break;
    case LXM_ACCEPT: {
        size_t i;
        s_doc_t *d = s_doc_for(self, m->seq, &i);
        if (d)
            d->accepted = true;
        break;
    }
    case LXM_HEARTBEAT:
        if (m->instance && *m->instance) {
            bool restarted = self->instance[0] && strcmp(self->instance, m->instance) != 0;
            snprintf(self->instance, sizeof self->instance, "%s", m->instance);
            return restarted;
        }
        break;
    case LXM_ERROR: {
        /* An error about one document fails it; any other is the broker refusing us. */
        size_t i;
        s_doc_t *d = s_doc_for(self, m->seq, &i);
        if (d && (d->state == S_SENT || d->state == S_RESEND))
            s_fail(self, i, m->reason ? m->reason : "refused by the broker");
        else
            zsys_warning("lexmill submit: broker error: %s", m->reason ? m->reason : "?");
        break;
    }
    case LXM_DISCONNECT:
        return true;
    default:
        break;
    }
    return false;
}

/* ---- progress ------------------------------------------------------------------- */

static void s_progress(lxm_submit_t *self, bool force)
{
    if (self->opts.progress == LXM_PROGRESS_NONE)
        return;
    int64_t now = zclock_mono();
    int64_t every = self->bar ? 200 : 5000;
    if (!force && now - self->last_progress < every)
        return;
    self->last_progress = now;
    size_t done = s_resolved(self), total = self->n_docs;
    double secs = (double) (now - self->started) / 1000.0;
    double rate = secs > 0 ? (double) done / secs : 0;
    double eta = rate > 0 ? (double) (total - done) / rate : 0;
    FILE *out = self->opts.progress_out;
    char eta_text[32] = "ETA --";
    if (rate > 0)
        snprintf(eta_text, sizeof eta_text, "ETA %.0fs", eta);
    /* a wrong endpoint or a broker that is down looks like a stall: say which it is */
    char waiting[300] = "";
    if (!self->instance[0] && now - self->connected_at > 2000)
        snprintf(waiting, sizeof waiting, "; no answer from the broker at %.200s for %.0f s",
                 self->broker, (double) (now - self->connected_at) / 1000.0);
    if (self->bar) {
        int width = 30;
        int full = total ? (int) ((double) done * width / (double) total) : width;
        char bar[64];
        for (int k = 0; k < width; k++)
            bar[k] = k < full ? '#' : '.';
        bar[width] = 0;
        fprintf(out, "\r\033[K[%s] %zu/%zu  %.0f docs/s  %s  (%zu failed%s)", bar, done,
                total, rate, eta_text, self->n_failed, waiting);
        self->bar_drawn = true;
    }
    else
        fprintf(out, "lexmill submit: %zu/%zu done, %.0f docs/s, %s, %zu failed%s\n", done,
                total, rate, eta_text, self->n_failed, waiting);
    fflush(out);
}

/* ---- run ------------------------------------------------------------------------ */

int lxm_submit_run(lxm_submit_t *self)
{
    assert(self);
    self->started = zclock_mono();
    self->last_progress = self->started;
    self->bar = self->opts.progress == LXM_PROGRESS_BAR ||
                (self->opts.progress == LXM_PROGRESS_AUTO &&
                 isatty(fileno(self->opts.progress_out)));
    if (s_connect(self) != 0) {
        char why[300];
        snprintf(why, sizeof why, "cannot connect to broker %s", self->broker);
        for (size_t i = 0; i < self->n_docs; i++)
            s_fail(self, i, why);
        self->finished = zclock_mono();
        return -1;
    }
    const int64_t hb = self->opts.heartbeat_ms;
    const int64_t deadline = self->opts.timeout_ms > 0 ? self->started + self->opts.timeout_ms : 0;
    int64_t next_hb = self->started; /* say hello at once so we learn the instance */
    int64_t last_heard = self->started;

    while (s_resolved(self) < self->n_docs) {
        if (zsys_interrupted) {
            for (size_t i = 0; i < self->n_docs; i++)
                s_fail(self, i, "interrupted before a result arrived");
            break;
        }
        int64_t now = zclock_mono();
        if (deadline && now >= deadline) {
            for (size_t i = 0; i < self->n_docs; i++)
                s_fail(self, i,
                       self->docs[i].state == S_NEW ? "timed out before it was sent"
                                                    : "timed out waiting for its result");
            break;
        }
        if (now >= next_hb) {
            s_send_heartbeat(self);
            next_hb = now + hb;
        }
        /* Silence only matters while the broker holds something of ours. */
        if (self->outstanding == 0 || self->outstanding == self->n_resend)
            last_heard = now;
        else if (now - last_heard > hb * self->opts.liveness) {
            s_reconnect(self, "broker silent", true);
            last_heard = now;
            next_hb = now;
            continue;
        }
        /* Send only to a broker whose instance we know: if it restarts before its
         * first heartbeat reached us we would never learn that it lost our documents.
         * A broker that never greets clients gets our documents after liveness. */
        if (self->instance[0] || now - self->connected_at > hb * self->opts.liveness)
            s_fill(self);

        int64_t wait = next_hb - now;
        if (deadline && deadline - now < wait)
            wait = deadline - now;
        if (wait > 200)
            wait = 200; /* keep the progress bar and interrupts responsive */
        if (wait < 1)
            wait = 1;
        zmq_pollitem_t item = {zsock_resolve(self->sock), 0, ZMQ_POLLIN, 0};
        int rc = zmq_poll(&item, 1, (long) wait);
        if (rc < 0 && errno == EINTR)
            continue;
        bool restarted = false;
        /* Drain what is there: replies come in bursts. */
        while (rc > 0 && lxm_inbox_ready(self->inbox, self->sock)) {
            lxm_msg_t *m = NULL;
            const char *why = NULL;
            int r = lxm_inbox_recv(self->inbox, self->sock, &m, &why, NULL);
            if (r == LXM_MSG_EPROTO) {
                zsys_warning("lexmill submit: malformed reply from broker: %s", why);
                continue;
            }
            if (r != 0)
                break;
            last_heard = zclock_mono();
            if (s_on_message(self, m))
                restarted = true;
            lxm_msg_destroy(&m);
        }
        if (rc > 0 && self->outstanding > 0)
            usleep(S_PACE_US);
        if (restarted) {
            s_reconnect(self, "broker restarted", false);
            last_heard = zclock_mono();
            next_hb = last_heard;
        }
        s_progress(self, false);
    }
    self->finished = zclock_mono();
    if (self->bar_drawn) {
        fprintf(self->opts.progress_out, "\r\033[K");
        fflush(self->opts.progress_out);
        self->bar_drawn = false;
    }
    zsock_destroy(&self->sock);
    return self->n_failed ? 1 : 0;
}

/* ---- results -------------------------------------------------------------------- */

size_t lxm_submit_total(const lxm_submit_t *self) { return self->n_docs; }
size_t lxm_submit_stored(const lxm_submit_t *self) { return self->n_stored; }
size_t lxm_submit_duplicates(const lxm_submit_t *self) { return self->n_dup; }
size_t lxm_submit_failed(const lxm_submit_t *self) { return self->n_failed; }
size_t lxm_submit_resends(const lxm_submit_t *self) { return self->resends; }

double lxm_submit_elapsed(const lxm_submit_t *self)
{
    int64_t end = self->finished ? self->finished : zclock_mono();
    return self->started ? (double) (end - self->started) / 1000.0 : 0.0;
}

const char *lxm_submit_failure(const lxm_submit_t *self, size_t i, const char **reason)
{
    if (i >= self->n_failures)
        return NULL;
    const s_doc_t *d = &self->docs[self->failures[i]];
    if (reason)
        *reason = d->reason;
    return d->path;
}

const char *lxm_submit_doc_id(const lxm_submit_t *self, size_t i)
{
    return i < self->n_docs ? self->docs[i].doc_id : NULL;
}

static int s_index_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *) a, y = *(const size_t *) b;
    return x < y ? -1 : x > y;
}

void lxm_submit_print_summary(const lxm_submit_t *self, FILE *out)
{
    double secs = lxm_submit_elapsed(self);
    double rate = secs > 0 ? (double) s_resolved(self) / secs : 0;
    fprintf(out, "%zu stored, %zu already stored, %zu failed (%.1f s, %.0f docs/s)\n",
            self->n_stored, self->n_dup, self->n_failed, secs, rate);
    /* in walk order, the order the user sees the files in, not the order they failed */
    size_t *order = lxm_xmalloc((self->n_failures + 1) * sizeof *order);
    memcpy(order, self->failures, self->n_failures * sizeof *order);
    qsort(order, self->n_failures, sizeof *order, s_index_cmp);
    for (size_t k = 0; k < self->n_failures; k++) {
        const s_doc_t *d = &self->docs[order[k]];
        fprintf(out, "  %s: %s\n", d->path, d->reason);
    }
    free(order);
}
