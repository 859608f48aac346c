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
    "  decode [--in-place] [FILE|-]   print each record as one JSON line (NDJSON):\n"
    "                                 Kinesis payloads decoded, DynamoDB images\n"
    "                                 unmarshalled to plain JSON\n"
    "  decode-change [FILE|-]         print one DynamoDB change record (the payload\n"
    "                                 of a Kinesis record from a table that streams\n"
    "                                 to Kinesis) as one JSON line\n"
    "  unmarshal [FILE|-]             print one DynamoDB AttributeValue map (an\n"
    "                                 image) as one line of plain JSON\n"
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

/* A container of a DynamoDB value being written: the value and the next
 * member or element to write. */
typedef struct attr_frame {
    const shardline_attr *attr;
    size_t next, size;
} attr_frame;

/* One record's output line, plus the stack the AttributeValue writer uses
 * instead of the C stack (kept across records: no allocation per record). */
typedef struct outbuf {
    char *p;
    size_t len, cap;
    int oom;
    /* The library handed out something its contract rules out (a record of
     * unknown source, an attribute of no type): the line is not trustworthy. */
    int broken;
    attr_frame *stack;
    size_t stack_cap;
} outbuf;

static void outbuf_free(outbuf *o)
{
    free(o->p);
    free(o->stack);
}

/* Room for n more bytes at o->p + o->len (the caller advances o->len), or
 * NULL with oom set. */
static char *reserve(outbuf *o, size_t n)
{
    if (o->oom)
        return NULL;
    if (o->cap - o->len < n) {
        if (n > SIZE_MAX / 2 - o->len) {
            o->oom = 1;
            return NULL;
        }
        size_t cap = o->cap ? o->cap : 4096;
        while (cap - o->len < n)
            cap *= 2;
        char *p = realloc(o->p, cap);
        if (p == NULL) {
            o->oom = 1;
            return NULL;
        }
        o->p = p;
        o->cap = cap;
    }
    return o->p + o->len;
}

static void put(outbuf *o, const char *s, size_t n)
{
    /* Absent views are {NULL, 0}: memcpy must not see their NULL. */
    if (n == 0)
        return;
    char *d = reserve(o, n);
    if (d == NULL)
        return;
    memcpy(d, s, n);
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

/* A value of a parsed payload, minified. Numbers keep their exact text.
 * Recursive, but bounded: put_payload parses with default options, so the
 * tree is at most SHARDLINE_DEFAULT_MAX_DEPTH (1024) levels deep. */
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

/* ---- DynamoDB values as plain JSON --------------------------------------------- */

/* An N as a JSON number. The text is written as the event wrote it, with one
 * exception: DynamoDB's grammar allows leading zeros in the integer part
 * ("007", "-00.5") and JSON's does not, so those are dropped ("7", "-0.5"),
 * leaving the same number. Everything else in DynamoDB's number grammar is
 * already JSON. */
static void put_attr_number(outbuf *o, shardline_view t)
{
    size_t i = 0;
    if (i < t.len && t.ptr[i] == '-')
        i++;
    put(o, t.ptr, i);
    size_t zeros = i;
    while (zeros + 1 < t.len && t.ptr[zeros] == '0' && t.ptr[zeros + 1] >= '0' && t.ptr[zeros + 1] <= '9')
        zeros++;
    put(o, t.ptr + zeros, t.len - zeros);
}

/* A B value as a JSON string of standard padded base64. */
static void put_base64_string(outbuf *o, shardline_view v)
{
    put(o, "\"", 1);
    if (v.len > 0) {
        /* SHARDLINE_BASE64_ENCODED_SIZE overflows for lengths near SIZE_MAX. */
        if (v.len > (SIZE_MAX - 2) / 4 * 3) {
            o->oom = 1;
            return;
        }
        size_t need = SHARDLINE_BASE64_ENCODED_SIZE(v.len);
        char *d = reserve(o, need);
        if (d != NULL)
            o->len += shardline_base64_encode((const uint8_t *)v.ptr, v.len, d, need);
    }
    put(o, "\"", 1);
}

/* Write a scalar value whole, or the opening bracket of an M, L or set and
 * push it on o->stack (which may move: callers must not keep frame pointers
 * across this call). *depth is the number of frames in use. */
static void open_attr(outbuf *o, const shardline_attr *a, size_t *depth)
{
    switch (shardline_attr_get_type(a)) {
    case SHARDLINE_ATTR_S: put_view_string(o, shardline_attr_string(a)); return;
    case SHARDLINE_ATTR_N: put_attr_number(o, shardline_attr_number_text(a)); return;
    case SHARDLINE_ATTR_B: put_base64_string(o, shardline_attr_binary(a)); return;
    case SHARDLINE_ATTR_BOOL:
        if (shardline_attr_bool(a) > 0)
            put(o, "true", 4);
        else
            put(o, "false", 5);
        return;
    case SHARDLINE_ATTR_NULL: put(o, "null", 4); return;
    case SHARDLINE_ATTR_M: put(o, "{", 1); break;
    case SHARDLINE_ATTR_L:
    case SHARDLINE_ATTR_SS:
    case SHARDLINE_ATTR_NS:
    case SHARDLINE_ATTR_BS: put(o, "[", 1); break;
    case SHARDLINE_ATTR_NONE:
    default:
        /* A NULL inside a tree: keep the line valid JSON, but flag it. */
        o->broken = 1;
        put(o, "null", 4);
        return;
    }
    if (*depth == o->stack_cap) {
        size_t cap = o->stack_cap ? o->stack_cap * 2 : 64;
        attr_frame *bigger = cap > SIZE_MAX / sizeof *bigger ? NULL : realloc(o->stack, cap * sizeof *bigger);
        if (bigger == NULL) {
            o->oom = 1;
            return;
        }
        o->stack = bigger;
        o->stack_cap = cap;
    }
    o->stack[(*depth)++] = (attr_frame){a, 0, shardline_attr_size(a)};
}

/* An AttributeValue tree as plain JSON (unmarshalled). Iterative: DynamoDB
 * allows 32 levels, but the parser accepts whatever max_depth allows, and
 * the C stack should not be what limits a valid input. */
static void put_attr(outbuf *o, const shardline_attr *root)
{
    size_t depth = 0;
    open_attr(o, root, &depth);
    while (depth > 0 && !o->oom) {
        attr_frame *f = &o->stack[depth - 1];
        int is_map = shardline_attr_get_type(f->attr) == SHARDLINE_ATTR_M;
        if (f->next == f->size) {
            put(o, is_map ? "}" : "]", 1);
            depth--;
            continue;
        }
        size_t i = f->next++;
        if (i > 0)
            put(o, ",", 1);
        const shardline_attr *child;
        if (is_map) {
            put_view_string(o, shardline_attr_key_at(f->attr, i));
            put(o, ":", 1);
            child = shardline_attr_member_at(f->attr, i);
        } else {
            child = shardline_attr_at(f->attr, i);
        }
        open_attr(o, child, &depth);
    }
}

/* Members whose value may be absent ({NULL,0} views, NULL images) are left
 * out; *first tracks whether a comma is due. */
static void put_name(outbuf *o, int *first, const char *name)
{
    if (!*first)
        put(o, ",", 1);
    *first = 0;
    put_json_string(o, name, strlen(name));
    put(o, ":", 1);
}

static void put_opt_string(outbuf *o, int *first, const char *name, shardline_view v)
{
    if (v.ptr == NULL)
        return;
    put_name(o, first, name);
    put_view_string(o, v);
}

/* A JSON number member, as the event wrote it. */
static void put_opt_number(outbuf *o, int *first, const char *name, shardline_view v)
{
    if (v.ptr == NULL)
        return;
    put_name(o, first, name);
    put(o, v.ptr, v.len);
}

static void put_opt_attr(outbuf *o, int *first, const char *name, const shardline_attr *a)
{
    if (a == NULL)
        return;
    put_name(o, first, name);
    put_attr(o, a);
}

/* A DynamoDB Streams record, or a change record from decode-change (which
 * adds tableName and recordFormat and lacks eventVersion, eventSourceARN,
 * SequenceNumber and StreamViewType). */
static void put_dynamodb_record(outbuf *o, const shardline_record *r)
{
    int first = 1;
    put(o, "{", 1);
    put_opt_string(o, &first, "eventID", r->event_id);
    put_opt_string(o, &first, "eventName", r->event_name);
    put_opt_string(o, &first, "eventVersion", r->event_version);
    put_opt_string(o, &first, "eventSource", r->event_source);
    put_opt_string(o, &first, "tableName", r->dynamodb->table_name);
    put_opt_string(o, &first, "recordFormat", r->dynamodb->record_format);
    put_opt_string(o, &first, "awsRegion", r->aws_region);
    put_opt_string(o, &first, "eventSourceARN", r->event_source_arn);
    if (r->dynamodb->user_identity_type.ptr != NULL || r->dynamodb->user_identity_principal_id.ptr != NULL) {
        int inner = 1;
        put_name(o, &first, "userIdentity");
        put(o, "{", 1);
        put_opt_string(o, &inner, "type", r->dynamodb->user_identity_type);
        put_opt_string(o, &inner, "principalId", r->dynamodb->user_identity_principal_id);
        put(o, "}", 1);
    }
    const shardline_dynamodb *d = r->dynamodb;
    int inner = 1;
    put_name(o, &first, "dynamodb");
    put(o, "{", 1);
    put_opt_number(o, &inner, "ApproximateCreationDateTime", d->approximate_creation_date_time_text);
    put_opt_attr(o, &inner, "Keys", d->keys);
    put_opt_attr(o, &inner, "NewImage", d->new_image);
    put_opt_attr(o, &inner, "OldImage", d->old_image);
    put_opt_string(o, &inner, "SequenceNumber", d->sequence_number);
    put_opt_number(o, &inner, "SizeBytes", d->size_bytes_text);
    put_opt_string(o, &inner, "StreamViewType", d->stream_view_type);
    put_str(o, "}}\n");
}

/* A batch may mix sources: each record is written by its own schema. */
static void put_any_record(outbuf *o, const shardline_record *r)
{
    switch (r->source) {
    case SHARDLINE_SOURCE_KINESIS: put_record(o, r); break;
    case SHARDLINE_SOURCE_DYNAMODB: put_dynamodb_record(o, r); break;
    case SHARDLINE_SOURCE_UNKNOWN:
    default: o->broken = 1; break;
    }
}

/* Write the line in o to stdout. what/index name it in error messages.
 * Returns 0 or EXIT_USAGE. */
static int write_line(const outbuf *o, const char *what, size_t index)
{
    if (o->oom) {
        fprintf(stderr, "shardline: out of memory writing %s %zu\n", what, index);
        return EXIT_USAGE;
    }
    if (o->broken) {
        fprintf(stderr, "shardline: internal error: the library returned an invalid %s %zu\n", what, index);
        return EXIT_USAGE;
    }
    if (fwrite(o->p, 1, o->len, stdout) != o->len) {
        fprintf(stderr, "shardline: write failed: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    return 0;
}

static int finish_output(int rc)
{
    if (rc == 0 && fflush(stdout) != 0) {
        fprintf(stderr, "shardline: write failed: %s\n", strerror(errno));
        rc = EXIT_USAGE;
    }
    return rc;
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
        put_any_record(&o, shardline_batch_record(batch, i));
        rc = write_line(&o, "record", i);
    }
    rc = finish_output(rc);
    outbuf_free(&o);
    shardline_batch_free(batch);
    free(input);
    return rc;
}

/* The one optional FILE argument of decode-change and unmarshal. */
static int single_path_arg(const char *cmd, int argc, char **argv, const char **path)
{
    *path = "-";
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "shardline %s: unknown option %s\n%s", cmd, argv[i], usage_text);
            return -1;
        }
        if (i > 0) {
            fprintf(stderr, "shardline %s: one FILE at most\n%s", cmd, usage_text);
            return -1;
        }
        *path = argv[i];
    }
    return 0;
}

static int cmd_decode_change(int argc, char **argv)
{
    const char *path;
    if (single_path_arg("decode-change", argc, argv, &path) != 0)
        return EXIT_USAGE;
    char *input;
    size_t len;
    if (read_input(path, &input, &len) != 0)
        return EXIT_USAGE;
    shardline_batch *batch = NULL;
    shardline_error err;
    if (shardline_dynamodb_change_parse(input, len, NULL, &batch, &err) != SHARDLINE_OK) {
        report_error(path, &err);
        free(input);
        return EXIT_INVALID;
    }
    int rc = 0;
    outbuf o = {0};
    const shardline_record *r = shardline_batch_record(batch, 0);
    if (shardline_batch_size(batch) != 1 || r == NULL || r->source != SHARDLINE_SOURCE_DYNAMODB)
        o.broken = 1;
    else
        put_dynamodb_record(&o, r);
    rc = finish_output(write_line(&o, "record", 0));
    outbuf_free(&o);
    shardline_batch_free(batch);
    free(input);
    return rc;
}

static int cmd_unmarshal(int argc, char **argv)
{
    const char *path;
    if (single_path_arg("unmarshal", argc, argv, &path) != 0)
        return EXIT_USAGE;
    char *input;
    size_t len;
    if (read_input(path, &input, &len) != 0)
        return EXIT_USAGE;
    shardline_image *image = NULL;
    shardline_error err;
    if (shardline_image_parse(input, len, NULL, &image, &err) != SHARDLINE_OK) {
        report_error(path, &err);
        free(input);
        return EXIT_INVALID;
    }
    outbuf o = {0};
    const shardline_attr *root = shardline_image_root(image);
    /* The root of an image is an M by contract; anything else is a bug. */
    if (shardline_attr_get_type(root) != SHARDLINE_ATTR_M)
        o.broken = 1;
    else
        put_attr(&o, root);
    put(&o, "\n", 1);
    int rc = finish_output(write_line(&o, "image", 0));
    outbuf_free(&o);
    shardline_image_free(image);
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
    if (strcmp(cmd, "decode-change") == 0)
        return cmd_decode_change(argc - 2, argv + 2);
    if (strcmp(cmd, "unmarshal") == 0)
        return cmd_unmarshal(argc - 2, argv + 2);
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
