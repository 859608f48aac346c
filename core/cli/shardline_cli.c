/* shardline_cli.c - the `shardline` command: decode, validate and benchmark Lambda stream events. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shardline.h"

#define EXIT_INVALID 1 /* the input was read but is not valid */
#define EXIT_USAGE 2   /* bad arguments, unreadable file, write failure */

static const char usage_text[] =
    "usage: shardline <command> [options] [FILE|-]\n"
    "\n"
    "commands:\n"
    "  decode [--in-place] [FILE|-]   print each record as one JSON line (NDJSON)\n"
    "                                 with its payload decoded\n"
    "  validate [FILE|-]              exit 0 if FILE is valid JSON, else 1 with\n"
    "                                 'offset: message' on stderr\n"
    "  bench [--seconds S] FILE       time parse + decode; print GB/s and ns/record\n"
    "  version                        print the library version and kernels in use\n"
    "\n"
    "FILE '-' or no FILE reads standard input.\n";

/* ---- input ----------------------------------------------------------------- */

/* Read a whole file ("-" for stdin) into a malloc'd buffer. */
static int read_input(const char *path, char **out, size_t *out_len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "shardline: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            fprintf(stderr, "shardline: out of memory reading %s\n", path);
            break;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
        if (bigger == NULL)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    int failed = buf == NULL || ferror(f);
    if (buf != NULL && ferror(f))
        fprintf(stderr, "shardline: cannot read %s: %s\n", path, strerror(errno));
    if (f != stdin)
        fclose(f);
    if (failed) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

static void report_error(const char *path, const shardline_error *err)
{
    fprintf(stderr, "shardline: %s: offset %zu: %s (%s)", path, err->offset, err->message,
            shardline_status_name(err->code));
    if (err->path[0] != '\0')
        fprintf(stderr, " at %s", err->path);
    fputc('\n', stderr);
}

/* ---- output buffer and JSON writing ------------------------------------------ */

typedef struct outbuf {
    char *p;
    size_t len, cap;
    int oom;
} outbuf;

static void put(outbuf *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->cap - o->len < n) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap - o->len < n)
            cap *= 2;
        char *p = realloc(o->p, cap);
        if (p == NULL) {
            o->oom = 1;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void put_str(outbuf *o, const char *s)
{
    put(o, s, strlen(s));
}

/* A JSON string: UTF-8 passes through; '"', '\\' and control characters are
 * escaped, so one record always stays on one line. */
static void put_json_string(outbuf *o, const char *s, size_t n)
{
    put(o, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(o, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"': put(o, "\\\"", 2); break;
        case '\\': put(o, "\\\\", 2); break;
        case '\n': put(o, "\\n", 2); break;
        case '\r': put(o, "\\r", 2); break;
        case '\t': put(o, "\\t", 2); break;
        case '\b': put(o, "\\b", 2); break;
        case '\f': put(o, "\\f", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(o, esc, 6);
            break;
        }
    }
    put(o, s + run, n - run);
    put(o, "\"", 1);
}

static void put_view_string(outbuf *o, shardline_view v)
{
    put_json_string(o, v.ptr, v.len);
}

/* A value of a parsed payload, minified. Numbers keep their exact text. */
static void put_json_value(outbuf *o, const shardline_value *v)
{
    switch (shardline_value_type(v)) {
    case SHARDLINE_TYPE_NULL: put(o, "null", 4); break;
    case SHARDLINE_TYPE_FALSE: put(o, "false", 5); break;
    case SHARDLINE_TYPE_TRUE: put(o, "true", 4); break;
    case SHARDLINE_TYPE_NUMBER: {
        shardline_view t = shardline_value_number_text(v);
        put(o, t.ptr, t.len);
        break;
    }
    case SHARDLINE_TYPE_STRING:
        put_view_string(o, shardline_value_string(v));
        break;
    case SHARDLINE_TYPE_ARRAY:
        put(o, "[", 1);
        for (size_t i = 0, n = shardline_value_size(v); i < n; i++) {
            if (i)
                put(o, ",", 1);
            put_json_value(o, shardline_value_at(v, i));
        }
        put(o, "]", 1);
        break;
    case SHARDLINE_TYPE_OBJECT:
        put(o, "{", 1);
        for (size_t i = 0, n = shardline_value_size(v); i < n; i++) {
            if (i)
                put(o, ",", 1);
            put_view_string(o, shardline_value_key_at(v, i));
            put(o, ":", 1);
            put_json_value(o, shardline_value_member_at(v, i));
        }
        put(o, "}", 1);
        break;
    }
}

static void put_field(outbuf *o, const char *name, shardline_view v, int comma)
{
    if (comma)
        put(o, ",", 1);
    put_json_string(o, name, strlen(name));
    put(o, ":", 1);
    put_view_string(o, v);
}

/* The payload as "dataEncoding" plus "data": a JSON value when it parses as
 * JSON, a string when it is UTF-8 text, otherwise base64. */
static void put_payload(outbuf *o, shardline_view data)
{
    shardline_doc *doc = NULL;
    if (shardline_json_parse(data.ptr, data.len, NULL, &doc, NULL) == SHARDLINE_OK) {
        put_str(o, ",\"dataEncoding\":\"json\",\"data\":");
        put_json_value(o, shardline_doc_root(doc));
        shardline_doc_free(doc);
    } else if (shardline_utf8_validate(data.ptr, data.len, NULL) == SHARDLINE_OK) {
        put_str(o, ",\"dataEncoding\":\"text\",\"data\":");
        put_view_string(o, data);
    } else {
        put_str(o, ",\"dataEncoding\":\"base64\",\"data\":\"");
        size_t cap = SHARDLINE_BASE64_ENCODED_SIZE(data.len);
        char *b64 = malloc(cap ? cap : 1);
        if (b64 == NULL) {
            o->oom = 1;
            return;
        }
        size_t n = shardline_base64_encode((const uint8_t *)data.ptr, data.len, b64, cap);
        put(o, b64, n);
        free(b64);
        put(o, "\"", 1);
    }
}

static void put_record(outbuf *o, const shardline_record *r)
{
    put(o, "{", 1);
    put_field(o, "eventSource", r->event_source, 0);
    put_field(o, "eventVersion", r->event_version, 1);
    put_field(o, "eventID", r->event_id, 1);
    put_field(o, "eventName", r->event_name, 1);
    put_field(o, "invokeIdentityArn", r->invoke_identity_arn, 1);
    put_field(o, "awsRegion", r->aws_region, 1);
    put_field(o, "eventSourceARN", r->event_source_arn, 1);
    const shardline_kinesis *k = &r->kinesis;
    put_str(o, ",\"kinesis\":{");
    put_field(o, "kinesisSchemaVersion", k->kinesis_schema_version, 0);
    put_field(o, "partitionKey", k->partition_key, 1);
    put_field(o, "sequenceNumber", k->sequence_number, 1);
    put_str(o, ",\"approximateArrivalTimestamp\":");
    put(o, k->approximate_arrival_timestamp_text.ptr, k->approximate_arrival_timestamp_text.len);
    if (k->encryption_type.ptr != NULL)
        put_field(o, "encryptionType", k->encryption_type, 1);
    put_payload(o, k->data);
    put_str(o, "}}\n");
}

/* ---- commands ------------------------------------------------------------------ */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmd_decode(int argc, char **argv)
{
    int in_place = 0;
    const char *path = "-";
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--in-place") == 0)
            in_place = 1;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return fprintf(stderr, "shardline decode: unknown option %s\n%s", argv[i], usage_text), EXIT_USAGE;
        else
            path = argv[i];
    }
    char *input;
    size_t len;
    if (read_input(path, &input, &len) != 0)
        return EXIT_USAGE;
    shardline_batch *batch = NULL;
    shardline_error err;
    shardline_status st = in_place ? shardline_batch_parse_in_place(input, len, NULL, &batch, &err)
                                   : shardline_batch_parse(input, len, NULL, &batch, &err);
    if (st != SHARDLINE_OK) {
        report_error(path, &err);
        free(input);
        return EXIT_INVALID;
    }
    /* The whole batch is valid before anything is written: a failed batch
     * writes nothing, and each record goes out as one whole line. */
    int rc = 0;
    outbuf o = {0};
    for (size_t i = 0, n = shardline_batch_size(batch); i < n && rc == 0; i++) {
        o.len = 0;
        put_record(&o, shardline_batch_record(batch, i));
        if (o.oom) {
            fprintf(stderr, "shardline: out of memory writing record %zu\n", i);
            rc = EXIT_USAGE;
        } else if (fwrite(o.p, 1, o.len, stdout) != o.len) {
            fprintf(stderr, "shardline: write failed: %s\n", strerror(errno));
            rc = EXIT_USAGE;
        }
    }
    if (rc == 0 && fflush(stdout) != 0) {
        fprintf(stderr, "shardline: write failed: %s\n", strerror(errno));
        rc = EXIT_USAGE;
    }
    free(o.p);
    shardline_batch_free(batch);
    free(input);
    return rc;
}

static int cmd_validate(int argc, char **argv)
{
    const char *path = argc > 0 ? argv[0] : "-";
    if (argc > 1)
        return fprintf(stderr, "%s", usage_text), EXIT_USAGE;
    char *input;
    size_t len;
    if (read_input(path, &input, &len) != 0)
        return EXIT_USAGE;
    shardline_error err;
    shardline_status st = shardline_json_validate(input, len, NULL, &err);
    free(input);
    if (st != SHARDLINE_OK) {
        fprintf(stderr, "%zu: %s\n", err.offset, err.message);
        return EXIT_INVALID;
    }
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmd_bench(int argc, char **argv)
{
    double seconds = 2.0;
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = strtod(argv[++i], NULL);
        else if (argv[i][0] != '-' || argv[i][1] == '\0')
            path = argv[i];
        else
            return fprintf(stderr, "shardline bench: unknown option %s\n%s", argv[i], usage_text), EXIT_USAGE;
    }
    if (path == NULL || !(seconds > 0))
        return fprintf(stderr, "%s", usage_text), EXIT_USAGE;
    char *input;
    size_t len;
    if (read_input(path, &input, &len) != 0)
        return EXIT_USAGE;
    shardline_batch *batch = NULL;
    shardline_error err;
    if (shardline_batch_parse(input, len, NULL, &batch, &err) != SHARDLINE_OK) {
        report_error(path, &err);
        free(input);
        return EXIT_INVALID;
    }
    size_t records = shardline_batch_size(batch);
    size_t memory = shardline_batch_memory(batch);
    shardline_batch_free(batch);

    /* Rounds of equal length; each round's throughput is one sample. */
    enum { ROUNDS = 9 };
    double samples[ROUNDS];
    double round_time = seconds / ROUNDS;
    for (int r = 0; r < ROUNDS; r++) {
        size_t iterations = 0;
        double start = now_seconds(), elapsed;
        do {
            shardline_batch_parse(input, len, NULL, &batch, NULL);
            shardline_batch_free(batch);
            iterations++;
            elapsed = now_seconds() - start;
        } while (elapsed < round_time);
        samples[r] = elapsed / (double)iterations; /* seconds per batch */
    }
    qsort(samples, ROUNDS, sizeof samples[0], compare_doubles);
    double median = samples[ROUNDS / 2];
    printf("file: %s (%zu bytes, %zu records)\n", path, len, records);
    printf("kernels: %s\n", shardline_implementation());
    printf("parse + decode: %.3f GB/s, %.1f ns/record (median of %d rounds; min %.3f, max %.3f GB/s)\n",
           (double)len / median * 1e-9, records ? median * 1e9 / (double)records : 0.0, ROUNDS,
           (double)len / samples[ROUNDS - 1] * 1e-9, (double)len / samples[0] * 1e-9);
    printf("batch memory: %zu bytes (%.2f x input)\n", memory, len ? (double)memory / (double)len : 0.0);
    free(input);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return fprintf(stderr, "%s", usage_text), EXIT_USAGE;
    const char *cmd = argv[1];
    if (strcmp(cmd, "decode") == 0)
        return cmd_decode(argc - 2, argv + 2);
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc - 2, argv + 2);
    if (strcmp(cmd, "bench") == 0)
        return cmd_bench(argc - 2, argv + 2);
    if (strcmp(cmd, "version") == 0) {
        printf("shardline %s (kernels: %s)\n", shardline_version_string(), shardline_implementation());
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
        return printf("%s", usage_text), 0;
    fprintf(stderr, "shardline: unknown command '%s'\n%s", cmd, usage_text);
    return EXIT_USAGE;
}
