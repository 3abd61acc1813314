/* lexmill parse: runs the extraction engine on files, no cluster: one NDJSON record per
 * file on stdout, one error line per failed file on stderr, exit 1 when any failed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lxm_commands.h"
#include "lxm_extract.h"

#define MAX_FILE (256u << 20) /* larger inputs are refused, not read */

static void s_help(FILE *out)
{
    fprintf(out,
            "usage: lexmill parse [--pretty | --text] FILE...\n\n"
            "Extracts the record of each FILE (a report as text or HTML, UTF-8 or GB18030)\n"
            "and prints it as one line of JSON (NDJSON); source is the path as given\n"
            "(\"-\" reads standard input).\n"
            "Errors go to stderr as \"lexmill parse: FILE: reason\"; the exit status is 1\n"
            "when any file failed, 2 on a usage error.\n\n"
            "  --pretty   indent the JSON (one record per block, not NDJSON)\n"
            "  --text     print the cleaned text the record's offsets point into, each\n"
            "             document followed by a form feed line, instead of the JSON\n"
            "  --help     this text\n");
}

/* Reads PATH whole. Returns 0, or -1 with a reason in WHY. */
static int s_read(const char *path, lxm_buf_t *out, char *why, size_t why_len)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(why, why_len, "%s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!is_stdin)
            fclose(f);
        snprintf(why, why_len, "is a directory");
        return -1;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > MAX_FILE) {
            if (!is_stdin)
                fclose(f);
            snprintf(why, why_len, "larger than %u MB", MAX_FILE >> 20);
            return -1;
        }
        lxm_buf_append(out, chunk, n);
    }
    int bad = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (bad) {
        snprintf(why, why_len, "read error");
        return -1;
    }
    return 0;
}

/* Re-indents one line of JSON (strings copied verbatim). */
static void s_pretty(const char *j, size_t n, FILE *out)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = j[i];
        if (in_str) {
            fputc(c, out);
            if (c == '\\' && i + 1 < n)
                fputc(j[++i], out);
            else if (c == '"')
                in_str = false;
            continue;
        }
        switch (c) {
        case '"':
            in_str = true;
            fputc(c, out);
            break;
        case '{':
        case '[':
            /* keep empty containers on one line */
            if (i + 1 < n && (j[i + 1] == '}' || j[i + 1] == ']')) {
                fputc(c, out);
                fputc(j[++i], out);
                break;
            }
            fputc(c, out);
            depth++;
            fprintf(out, "\n%*s", depth * 2, "");
            break;
        case '}':
        case ']':
            depth--;
            fprintf(out, "\n%*s%c", depth * 2, "", c);
            break;
        case ',':
            fprintf(out, ",\n%*s", depth * 2, "");
            break;
        case ':':
            fputs(": ", out);
            break;
        default:
            fputc(c, out);
        }
    }
    fputc('\n', out);
}

int lxm_cmd_parse(int argc, char **argv)
{
    bool pretty = false, text = false;
    int first = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            s_help(stdout);
            return 0;
        } else if (strcmp(argv[i], "--pretty") == 0) {
            pretty = true;
        } else if (strcmp(argv[i], "--text") == 0) {
            text = true;
        } else if (strcmp(argv[i], "--") == 0) {
            first = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1]) { /* "-" alone is stdin */
            fprintf(stderr, "lexmill parse: unknown option '%s'\n", argv[i]);
            s_help(stderr);
            return 2;
        } else {
            first = i;
            break;
        }
    }
    if (first >= argc) {
        s_help(stderr);
        return 2;
    }
    char *error = NULL;
    lxm_extractor_t *ex = lxm_extractor_new(&error);
    if (!ex) {
        fprintf(stderr, "lexmill parse: cannot load the extraction data: %s\n",
                error ? error : "unknown error");
        free(error);
        return 1;
    }
    int failed = 0;
    lxm_buf_t bytes = {0}, cleaned = {0}, json = {0};
    lxm_record_t *rec = lxm_record_new();
    for (int i = first; i < argc; i++) {
        const char *path = argv[i];
        if (strcmp(path, "--pretty") == 0) {
            pretty = true;
            continue;
        }
        char why[256];
        lxm_buf_clear(&bytes);
        if (s_read(path, &bytes, why, sizeof why) != 0) {
            fprintf(stderr, "lexmill parse: %s: %s\n", path, why);
            failed++;
            continue;
        }
        if (lxm_extract(ex, path, bytes.data ? bytes.data : "", bytes.len, rec, &cleaned,
                        &error) != 0) {
            fprintf(stderr, "lexmill parse: %s: %s\n", path, error ? error : "failed");
            free(error);
            error = NULL;
            failed++;
            continue;
        }
        if (text) {
            fwrite(cleaned.data, 1, cleaned.len, stdout);
            fputs("\n\f\n", stdout);
            continue;
        }
        lxm_buf_clear(&json);
        lxm_record_to_json(rec, &json);
        if (pretty)
            s_pretty(json.data, json.len, stdout);
        else {
            fwrite(json.data, 1, json.len, stdout);
            fputc('\n', stdout);
        }
    }
    fflush(stdout);
    lxm_record_destroy(&rec);
    lxm_buf_free(&bytes);
    lxm_buf_free(&cleaned);
    lxm_buf_free(&json);
    lxm_extractor_destroy(&ex);
    return failed ? 1 : 0;
}
