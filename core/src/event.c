/* event.c - Lambda stream events: the {"Records":[...]} walker and Kinesis records. */
#include "json.h"

struct shardline_batch {
    sl_arena arena; /* decoded payloads and unescaped strings (arena mode) */
    shardline_allocator allocator;
    shardline_record *records;
    size_t count, cap;
};

/* ---- shared helpers ------------------------------------------------------------ */

static bool starts_value(char c)
{
    switch (c) {
    case '{': case '[': case '"': case '-': case 't': case 'f': case 'n':
        return true;
    default:
        return c >= '0' && c <= '9';
    }
}

/* The value at P->p must start with `c` ('{', '[', '"' or '0' for a number).
 * A different valid value is a type error; anything else a syntax error. */
static shardline_status expect_kind(sl_parser *P, char c)
{
    char got = *P->p;
    bool ok = c == '0' ? (got == '-' || (got >= '0' && got <= '9')) : got == c;
    if (ok)
        return SHARDLINE_OK;
    return sl_fail(P, starts_value(got) ? SHARDLINE_ERR_FIELD_TYPE : SHARDLINE_ERR_SYNTAX, P->p);
}

/* Read a string field into *out. */
static shardline_status read_string(sl_parser *P, shardline_view *out)
{
    shardline_status st = expect_kind(P, '"');
    if (st != SHARDLINE_OK)
        return st;
    sl_string s;
    if ((st = sl_scan_string(P, &s)) != SHARDLINE_OK)
        return st;
    return sl_string_text(P, &s, out);
}

/* A field known to a schema: its name and where its view goes. */
typedef struct field {
    const char *name;
    size_t len;
    size_t offset; /* of a shardline_view inside the target struct */
} field;

#define FIELD(name, type, member) {name, sizeof(name) - 1, offsetof(type, member)}

/* Index of the field whose name equals key, or -1. */
static int find_field(const field *fields, int n, const sl_string *key)
{
    for (int i = 0; i < n; i++) {
        /* An unescaped key must have the name's exact length. */
        if (!key->escaped && key->len != fields[i].len)
            continue;
        if (sl_key_equals(key, fields[i].name, fields[i].len))
            return i;
    }
    return -1;
}

/* Report the first field of `fields` whose bit is in `required` but not in
 * `seen`; the object began at `obj`. */
static shardline_status check_required(sl_parser *P, const field *fields, int n, uint32_t required,
                                       uint32_t seen, const char *obj)
{
    for (int i = 0; i < n; i++) {
        if ((required & ~seen) & (UINT32_C(1) << i)) {
            sl_path_push_name(&P->path, fields[i].name, fields[i].len);
            shardline_status st = sl_fail(P, SHARDLINE_ERR_MISSING_FIELD, obj);
            sl_path_pop(&P->path);
            return st;
        }
    }
    return SHARDLINE_OK;
}

/* Reads the value of known member f; the cursor is on the value. */
typedef shardline_status (*field_reader)(sl_parser *P, int f, void *target);

/* Walk the object whose '{' is at P->p. Known members (those in `fields`)
 * go to read(), unknown ones are validated and skipped, and a known member
 * twice is an error. depth is the object's own nesting depth, so the values
 * of its members sit inside `depth` containers. *seen receives a bit per
 * known member present, for the caller's check_required(). */
static shardline_status walk_object(sl_parser *P, const field *fields, int n, uint32_t depth,
                                    field_reader read, void *target, uint32_t *seen)
{
    P->p++;
    *seen = 0;
    bool first = true, done = false;
    sl_string key;
    shardline_status st;
    for (;;) {
        if ((st = sl_object_next(P, &first, &key, &done)) != SHARDLINE_OK)
            return st;
        if (done)
            return SHARDLINE_OK;
        int f = find_field(fields, n, &key);
        sl_path_push_name(&P->path, key.raw, key.len);
        if (f < 0) {
            st = sl_skip_value(P, depth);
        } else if (*seen & (1u << f)) {
            st = sl_fail(P, SHARDLINE_ERR_DUPLICATE_FIELD, key.raw - 1);
        } else {
            *seen |= 1u << f;
            st = read(P, f, target);
        }
        if (st != SHARDLINE_OK)
            return st;
        sl_path_pop(&P->path);
    }
}

/* Arena chunk size for the rest of a batch, projected from what the records
 * so far needed per input byte, so a batch's arena ends up close to its real
 * need instead of the worst case (3/4 of the input). */
static size_t projected_hint(const sl_parser *P, size_t used)
{
    size_t consumed = (size_t)(P->p - P->base) + 1;
    size_t remaining = (size_t)(P->end - P->p);
    uint64_t projected = (uint64_t)used * remaining / consumed;
    projected += projected / 8 + 4096;
    uint64_t worst = (uint64_t)remaining / 4 * 3 + 4096;
    return (size_t)(projected < worst ? projected : worst);
}

/* ---- Kinesis ----------------------------------------------------------------------- */

enum {
    K_SCHEMA_VERSION,
    K_PARTITION_KEY,
    K_SEQUENCE_NUMBER,
    K_DATA,
    K_ARRIVAL,
    K_ENCRYPTION_TYPE,
    K_COUNT
};

static const field kinesis_fields[K_COUNT] = {
    FIELD("kinesisSchemaVersion", shardline_kinesis, kinesis_schema_version),
    FIELD("partitionKey", shardline_kinesis, partition_key),
    FIELD("sequenceNumber", shardline_kinesis, sequence_number),
    FIELD("data", shardline_kinesis, data),
    FIELD("approximateArrivalTimestamp", shardline_kinesis, approximate_arrival_timestamp_text),
    FIELD("encryptionType", shardline_kinesis, encryption_type),
};

static const uint32_t kinesis_required = (1u << K_SCHEMA_VERSION) | (1u << K_PARTITION_KEY) |
                                         (1u << K_SEQUENCE_NUMBER) | (1u << K_DATA) |
                                         (1u << K_ARRIVAL);

/* Decode the base64 "data" string at P->p into the arena, or over its own
 * text in in-place mode. */
static shardline_status read_payload(sl_parser *P, shardline_view *out)
{
    shardline_status st = expect_kind(P, '"');
    if (st != SHARDLINE_OK)
        return st;
    sl_string s;
    if ((st = sl_scan_string(P, &s)) != SHARDLINE_OK)
        return st;
    const char *src = s.raw;
    size_t len = s.len;
    uint8_t *dst;
    if (s.escaped) {
        /* An encoder that escapes '/' as "\/": unescape first (into writable
         * memory), then decode over that text. */
        shardline_view text;
        if ((st = sl_string_text(P, &s, &text)) != SHARDLINE_OK)
            return st;
        src = text.ptr;
        len = text.len;
        dst = (uint8_t *)(uintptr_t)text.ptr;
    } else if (P->wbase != NULL) {
        dst = (uint8_t *)P->wbase + (s.raw - P->base);
    } else {
        dst = sl_arena_alloc(P->arena, SHARDLINE_BASE64_DECODED_MAX(len), 1, P->arena_hint);
        if (dst == NULL)
            return sl_fail(P, SHARDLINE_ERR_NOMEM, s.raw);
    }
    size_t n = 0, err_offset = 0;
    if (len > 0) {
        st = P->k->base64_decode(src, len, dst, &n, &err_offset);
        if (st != SHARDLINE_OK) {
            /* Offsets map back to the input only for unescaped text. */
            size_t at = s.escaped ? 0 : err_offset;
            return sl_fail(P, st, s.raw + at);
        }
    }
    out->ptr = (const char *)dst;
    out->len = n;
    return SHARDLINE_OK;
}

static bool all_digits(shardline_view v)
{
    if (v.len == 0)
        return false;
    for (size_t i = 0; i < v.len; i++)
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return false;
    return true;
}

static shardline_status read_kinesis_field(sl_parser *P, int f, void *target)
{
    shardline_kinesis *k = target;
    shardline_view *dst = (shardline_view *)(void *)((char *)k + kinesis_fields[f].offset);
    const char *at = P->p;
    shardline_status st;
    switch (f) {
    case K_DATA:
        return read_payload(P, dst);
    case K_ARRIVAL:
        if ((st = expect_kind(P, '0')) == SHARDLINE_OK && (st = sl_scan_number(P, dst)) == SHARDLINE_OK)
            sl_number_to_double(dst->ptr, dst->len, &k->approximate_arrival_timestamp);
        return st;
    default:
        st = read_string(P, dst);
        if (st == SHARDLINE_OK && f == K_SEQUENCE_NUMBER && !all_digits(*dst))
            st = sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, at);
        return st;
    }
}

/* The "kinesis" object of a record, at depth 4 of the event. */
static shardline_status parse_kinesis(sl_parser *P, shardline_kinesis *k)
{
    const char *obj = P->p;
    uint32_t seen;
    shardline_status st = walk_object(P, kinesis_fields, K_COUNT, 4, read_kinesis_field, k, &seen);
    if (st != SHARDLINE_OK)
        return st;
    return check_required(P, kinesis_fields, K_COUNT, kinesis_required, seen, obj);
}

/* ---- records and the event -------------------------------------------------------- */

enum {
    R_EVENT_SOURCE,
    R_EVENT_VERSION,
    R_EVENT_ID,
    R_EVENT_NAME,
    R_INVOKE_IDENTITY_ARN,
    R_AWS_REGION,
    R_EVENT_SOURCE_ARN,
    R_KINESIS,
    R_COUNT
};

static const field record_fields[R_COUNT] = {
    FIELD("eventSource", shardline_record, event_source),
    FIELD("eventVersion", shardline_record, event_version),
    FIELD("eventID", shardline_record, event_id),
    FIELD("eventName", shardline_record, event_name),
    FIELD("invokeIdentityArn", shardline_record, invoke_identity_arn),
    FIELD("awsRegion", shardline_record, aws_region),
    FIELD("eventSourceARN", shardline_record, event_source_arn),
    FIELD("kinesis", shardline_record, kinesis),
};

static const uint32_t kinesis_record_required = (1u << R_COUNT) - 1;

static bool view_is(shardline_view v, const char *s)
{
    size_t n = strlen(s);
    return v.len == n && memcmp(v.ptr, s, n) == 0;
}

typedef struct record_target {
    shardline_record *record;
    const char *source_at; /* where the eventSource value starts */
} record_target;

static shardline_status read_record_field(sl_parser *P, int f, void *target)
{
    record_target *t = target;
    if (f == R_KINESIS) {
        shardline_status st = expect_kind(P, '{');
        return st != SHARDLINE_OK ? st : parse_kinesis(P, &t->record->kinesis);
    }
    if (f == R_EVENT_SOURCE)
        t->source_at = P->p;
    return read_string(P, (shardline_view *)(void *)((char *)t->record + record_fields[f].offset));
}

/* One element of Records, at depth 3 of the event. */
static shardline_status parse_record(sl_parser *P, shardline_record *r)
{
    const char *obj = P->p;
    record_target t = {r, NULL};
    uint32_t seen;
    shardline_status st = walk_object(P, record_fields, R_COUNT, 3, read_record_field, &t, &seen);
    if (st != SHARDLINE_OK)
        return st;
    const char *source_at = t.source_at;
    if (seen & (1u << R_EVENT_SOURCE)) {
        if (view_is(r->event_source, "aws:kinesis")) {
            r->source = SHARDLINE_SOURCE_KINESIS;
        } else {
            sl_path_push_name(&P->path, "eventSource", 11);
            return sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, source_at);
        }
    }
    return check_required(P, record_fields, R_COUNT, kinesis_record_required, seen, obj);
}

/* A free record slot, growing the table by a projection of the final count. */
static shardline_record *next_record(sl_parser *P, shardline_batch *B)
{
    if (B->count == B->cap) {
        size_t consumed = (size_t)(P->p - P->base) + 1;
        size_t remaining = (size_t)(P->end - P->p);
        uint64_t projected = B->count + (uint64_t)B->count * remaining / consumed;
        projected += projected / 16 + 16;
        size_t cap = B->cap + B->cap / 2 + 16;
        if (projected > cap)
            cap = (size_t)projected;
        shardline_record *records = sl_alloc(&B->allocator, cap * sizeof *records);
        if (records == NULL)
            return NULL;
        if (B->count)
            memcpy(records, B->records, B->count * sizeof *records);
        sl_free(&B->allocator, B->records, B->cap * sizeof *records);
        B->records = records;
        B->cap = cap;
    }
    shardline_record *r = &B->records[B->count++];
    memset(r, 0, sizeof *r);
    return r;
}

static shardline_status parse_records(sl_parser *P, shardline_batch *B)
{
    shardline_status st = expect_kind(P, '[');
    if (st != SHARDLINE_OK)
        return st;
    P->p++;
    bool first = true, done = false;
    for (size_t i = 0;; i++) {
        if ((st = sl_array_next(P, &first, &done)) != SHARDLINE_OK)
            return st;
        if (done)
            return SHARDLINE_OK;
        sl_path_push_index(&P->path, i);
        if ((st = expect_kind(P, '{')) != SHARDLINE_OK)
            return st;
        if (i > 0 && P->wbase == NULL)
            P->arena_hint = projected_hint(P, (size_t)(B->arena.total - (size_t)(B->arena.end - B->arena.cur)));
        shardline_record *r = next_record(P, B);
        if (r == NULL)
            return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
        r->index = i;
        r->offset = sl_offset(P, P->p);
        if ((st = parse_record(P, r)) != SHARDLINE_OK)
            return st;
        sl_path_pop(&P->path);
    }
}

static const field event_fields[] = {
    {"Records", 7, 0},
};

static shardline_status read_event_field(sl_parser *P, int f, void *target)
{
    (void)f; /* "Records" is the only known member */
    return parse_records(P, target);
}

static shardline_status parse_event(sl_parser *P, shardline_batch *B)
{
    sl_skip_ws(P);
    if (P->p == P->end)
        return sl_fail(P, SHARDLINE_ERR_EMPTY, P->p);
    shardline_status st = expect_kind(P, '{');
    if (st != SHARDLINE_OK)
        return st;
    const char *obj = P->p;
    uint32_t seen;
    if ((st = walk_object(P, event_fields, 1, 1, read_event_field, B, &seen)) != SHARDLINE_OK ||
        (st = check_required(P, event_fields, 1, 1u, seen, obj)) != SHARDLINE_OK)
        return st;
    return sl_expect_end(P);
}

static void batch_destroy(shardline_batch *B)
{
    shardline_allocator a = B->allocator;
    sl_free(&a, B->records, B->cap * sizeof *B->records);
    sl_arena_release(&B->arena);
    sl_free(&a, B, sizeof *B);
}

static shardline_status batch_parse(const char *input, char *writable, size_t len,
                                    const shardline_options *options, shardline_batch **out,
                                    shardline_error *error)
{
    if (out != NULL)
        *out = NULL;
    sl_parser P;
    shardline_status st = sl_parser_init(&P, input, len, options, error);
    if (st != SHARDLINE_OK)
        return st;
    if (out == NULL)
        return sl_error_set(error, SHARDLINE_ERR_INVALID_ARGUMENT, 0, NULL);
    shardline_batch *B = sl_alloc(&P.allocator, sizeof *B);
    if (B == NULL)
        return sl_error_set(error, SHARDLINE_ERR_NOMEM, 0, NULL);
    memset(B, 0, sizeof *B);
    B->allocator = P.allocator;
    sl_arena_init(&B->arena, &P.allocator);
    P.arena = &B->arena;
    P.wbase = writable;
    /* A small first chunk; later chunks follow projected_hint, which by then
     * has a few hundred records to project from. */
    size_t first = len / 2;
    P.arena_hint = (first < (64u << 10) ? first : (64u << 10)) + 4096;
    st = parse_event(&P, B);
    if (st != SHARDLINE_OK) {
        batch_destroy(B);
        return st;
    }
    *out = B;
    sl_error_ok(error);
    return SHARDLINE_OK;
}

shardline_status shardline_batch_parse(const char *input, size_t len,
                                       const shardline_options *options, shardline_batch **out,
                                       shardline_error *error)
{
    return batch_parse(input, NULL, len, options, out, error);
}

shardline_status shardline_batch_parse_in_place(char *input, size_t len,
                                                const shardline_options *options,
                                                shardline_batch **out, shardline_error *error)
{
    return batch_parse(input, input, len, options, out, error);
}

size_t shardline_batch_size(const shardline_batch *batch)
{
    return batch ? batch->count : 0;
}

const shardline_record *shardline_batch_record(const shardline_batch *batch, size_t i)
{
    if (batch == NULL || i >= batch->count)
        return NULL;
    return &batch->records[i];
}

size_t shardline_batch_memory(const shardline_batch *batch)
{
    if (batch == NULL)
        return 0;
    return sizeof *batch + batch->cap * sizeof *batch->records + batch->arena.total;
}

void shardline_batch_free(shardline_batch *batch)
{
    if (batch != NULL)
        batch_destroy(batch);
}
