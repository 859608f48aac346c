/* event.c - Lambda stream events: the {"Records":[...]} walker and Kinesis records. */
#include <math.h>

#include "dynamodb.h"

struct shardline_batch {
    sl_arena arena; /* decoded payloads and unescaped strings (arena mode) */
    shardline_allocator allocator;
    shardline_record *records;
    size_t count, cap;
};

/* ---- schema tables ----------------------------------------------------------------- */

/* A field known to a schema: its name and where its view goes. */
typedef struct field {
    const char *name;
    size_t len;
    size_t offset; /* of a shardline_view inside the target struct */
} field;

#define FIELD(name, type, member) {name, sizeof(name) - 1, offsetof(type, member)}

/* Index of the field whose name equals key, or -1. The search starts at
 * `guess` and wraps around. */
static int find_field(const field *fields, int n, const sl_string *key, int guess)
{
    for (int k = 0; k < n; k++) {
        int i = guess + k < n ? guess + k : guess + k - n;
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

/* The kinds of schema objects, each with its guesses in P->follow. */
enum { FOLLOW_EVENT, FOLLOW_RECORD, FOLLOW_KINESIS, FOLLOW_DYNAMODB, FOLLOW_USER_IDENTITY };
_Static_assert(FOLLOW_USER_IDENTITY < SL_FOLLOW_KINDS, "a kind of schema object has no guesses");

/* Walk the object whose '{' is at P->p. Known members (those in `fields`)
 * go to read(), unknown ones are validated and skipped, and a known member
 * twice is an error. depth is the object's own nesting depth, so the values
 * of its members sit inside `depth` containers. *seen receives a bit per
 * known member present, for the caller's check_required().
 *
 * Events list their members in the same order record after record (each
 * service its own order), so each key is first compared with the member
 * that followed the previous one last time, which P->follow[kind] keeps. */
static shardline_status walk_object(sl_parser *P, const field *fields, int n, int kind, uint32_t depth,
                                    field_reader read, void *target, uint32_t *seen)
{
    uint8_t *follow = P->follow[kind];
    *seen = 0;
    /* The schema's own objects count against max_depth like any others. */
    if (depth > P->max_depth)
        return sl_fail(P, SHARDLINE_ERR_DEPTH, P->p);
    P->p++;
    bool first = true, done = false;
    sl_string key;
    shardline_status st;
    int prev = -1;
    int guess = follow[0] < n ? follow[0] : 0;
    for (;;) {
        bool matched;
        if ((st = sl_object_next_expect(P, &first, &key, &done, fields[guess].name, fields[guess].len,
                                        &matched)) != SHARDLINE_OK)
            return st;
        if (done)
            return SHARDLINE_OK;
        int f = matched ? guess : find_field(fields, n, &key, guess);
        sl_path_push_name(&P->path, key.raw, key.len);
        if (f < 0) {
            st = sl_skip_value(P, depth);
        } else if (*seen & (1u << f)) {
            st = sl_fail(P, SHARDLINE_ERR_DUPLICATE_FIELD, key.raw - 1);
        } else {
            *seen |= 1u << f;
            follow[prev + 1] = (uint8_t)f;
            prev = f;
            guess = follow[f + 1] < n ? follow[f + 1] : 0;
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

/* Sequence numbers run to 56 digits: a word at a time, the last word
 * overlapping the one before. */
static bool all_digits(shardline_view v)
{
    const char *p = v.ptr;
    size_t n = v.len;
    if (n == 0)
        return false;
    if (n < 8) {
        for (size_t i = 0; i < n; i++)
            if (p[i] < '0' || p[i] > '9')
                return false;
        return true;
    }
    uint64_t bad = sl_nondigits8(sl_load64(p + n - 8));
    for (size_t i = 0; i + 8 < n; i += 8)
        bad |= sl_nondigits8(sl_load64(p + i));
    return bad == 0;
}

static shardline_status read_kinesis_field(sl_parser *P, int f, void *target)
{
    shardline_kinesis *k = target;
    shardline_view *dst = (shardline_view *)(void *)((char *)k + kinesis_fields[f].offset);
    const char *at = P->p;
    shardline_status st;
    switch (f) {
    case K_DATA:
        return sl_read_base64(P, dst);
    case K_ARRIVAL:
        if ((st = sl_expect_kind(P, '0')) == SHARDLINE_OK && (st = sl_scan_number(P, dst)) == SHARDLINE_OK)
            sl_number_to_double(dst->ptr, dst->len, &k->approximate_arrival_timestamp);
        return st;
    default:
        st = sl_read_string(P, dst);
        if (st == SHARDLINE_OK && f == K_SEQUENCE_NUMBER && !all_digits(*dst))
            st = sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, at);
        return st;
    }
}

/* The "kinesis" object of a record; depth is its own nesting depth. */
static shardline_status parse_kinesis(sl_parser *P, shardline_kinesis *k, uint32_t depth)
{
    const char *obj = P->p;
    uint32_t seen;
    shardline_status st =
        walk_object(P, kinesis_fields, K_COUNT, FOLLOW_KINESIS, depth, read_kinesis_field, k, &seen);
    if (st != SHARDLINE_OK)
        return st;
    return check_required(P, kinesis_fields, K_COUNT, kinesis_required, seen, obj);
}

/* ---- DynamoDB -------------------------------------------------------------------- */

enum {
    D_CREATION_TIME,
    D_KEYS,
    D_NEW_IMAGE,
    D_OLD_IMAGE,
    D_SEQUENCE_NUMBER,
    D_SIZE_BYTES,
    D_STREAM_VIEW_TYPE,
    D_COUNT
};

static const field dynamodb_fields[D_COUNT] = {
    FIELD("ApproximateCreationDateTime", shardline_dynamodb, approximate_creation_date_time_text),
    FIELD("Keys", shardline_dynamodb, keys),
    FIELD("NewImage", shardline_dynamodb, new_image),
    FIELD("OldImage", shardline_dynamodb, old_image),
    FIELD("SequenceNumber", shardline_dynamodb, sequence_number),
    FIELD("SizeBytes", shardline_dynamodb, size_bytes_text),
    FIELD("StreamViewType", shardline_dynamodb, stream_view_type),
};

/* Stream records need these; change records from Kinesis need none. */
static const uint32_t dynamodb_stream_required =
    (1u << D_SEQUENCE_NUMBER) | (1u << D_SIZE_BYTES) | (1u << D_STREAM_VIEW_TYPE);

static inline bool view_is(shardline_view v, const char *s)
{
    size_t n = strlen(s);
    return v.len == n && sl_bytes_equal(v.ptr, s, n);
}

static bool view_in(shardline_view v, const char *const *names)
{
    for (; *names != NULL; names++)
        if (view_is(v, *names))
            return true;
    return false;
}

static const char *const stream_view_types[] = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE",
                                                "NEW_AND_OLD_IMAGES", NULL};
static const char *const dynamodb_event_names[] = {"INSERT", "MODIFY", "REMOVE", NULL};

typedef struct dynamodb_target {
    shardline_dynamodb *d;
    uint32_t depth; /* the dynamodb object's own depth */
} dynamodb_target;

static shardline_status read_dynamodb_field(sl_parser *P, int f, void *target)
{
    dynamodb_target *t = target;
    shardline_dynamodb *d = t->d;
    const char *at = P->p;
    shardline_status st;
    switch (f) {
    case D_CREATION_TIME:
        if ((st = sl_expect_kind(P, '0')) == SHARDLINE_OK &&
            (st = sl_scan_number(P, &d->approximate_creation_date_time_text)) == SHARDLINE_OK)
            sl_number_to_double(d->approximate_creation_date_time_text.ptr,
                                d->approximate_creation_date_time_text.len,
                                &d->approximate_creation_date_time);
        return st;
    case D_KEYS:
        return sl_dynamodb_image(P, t->depth, &d->keys);
    case D_NEW_IMAGE:
        return sl_dynamodb_image(P, t->depth, &d->new_image);
    case D_OLD_IMAGE:
        return sl_dynamodb_image(P, t->depth, &d->old_image);
    case D_SEQUENCE_NUMBER:
        if ((st = sl_read_string(P, &d->sequence_number)) == SHARDLINE_OK && !all_digits(d->sequence_number))
            st = sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, at);
        return st;
    case D_SIZE_BYTES:
        if ((st = sl_expect_kind(P, '0')) != SHARDLINE_OK ||
            (st = sl_scan_number(P, &d->size_bytes_text)) != SHARDLINE_OK)
            return st;
        if (!sl_number_to_int64(d->size_bytes_text.ptr, d->size_bytes_text.len, &d->size_bytes) ||
            d->size_bytes < 0)
            return sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, at);
        return SHARDLINE_OK;
    default:
        if ((st = sl_read_string(P, &d->stream_view_type)) == SHARDLINE_OK &&
            !view_in(d->stream_view_type, stream_view_types))
            st = sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, at);
        return st;
    }
}

/* The "dynamodb" object of a record; depth is its own nesting depth. */
static shardline_status parse_dynamodb(sl_parser *P, shardline_dynamodb *d, uint32_t depth,
                                       bool change)
{
    const char *obj = P->p;
    dynamodb_target t = {d, depth};
    uint32_t seen;
    shardline_status st =
        walk_object(P, dynamodb_fields, D_COUNT, FOLLOW_DYNAMODB, depth, read_dynamodb_field, &t, &seen);
    if (st != SHARDLINE_OK)
        return st;
    return check_required(P, dynamodb_fields, D_COUNT, change ? 0 : dynamodb_stream_required, seen, obj);
}

static const field user_identity_fields[] = {
    FIELD("type", shardline_dynamodb, user_identity_type),
    FIELD("principalId", shardline_dynamodb, user_identity_principal_id),
};

static shardline_status read_user_identity_field(sl_parser *P, int f, void *target)
{
    return sl_read_string(P, (shardline_view *)(void *)((char *)target + user_identity_fields[f].offset));
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
    R_DYNAMODB,
    R_USER_IDENTITY,
    R_TABLE_NAME,
    R_RECORD_FORMAT,
    R_COUNT
};

/* Every member a record of any source may have; each source requires its own set. */
_Static_assert(R_COUNT <= SL_FOLLOW_FIELDS && K_COUNT <= SL_FOLLOW_FIELDS && D_COUNT <= SL_FOLLOW_FIELDS,
               "a schema object has more members than its guesses can name");

static const field record_fields[R_COUNT] = {
    FIELD("eventSource", shardline_record, event_source),
    FIELD("eventVersion", shardline_record, event_version),
    FIELD("eventID", shardline_record, event_id),
    FIELD("eventName", shardline_record, event_name),
    FIELD("invokeIdentityArn", shardline_record, invoke_identity_arn),
    FIELD("awsRegion", shardline_record, aws_region),
    FIELD("eventSourceARN", shardline_record, event_source_arn),
    FIELD("kinesis", shardline_record, kinesis),
    FIELD("dynamodb", shardline_record, dynamodb),
    FIELD("userIdentity", shardline_dynamodb, user_identity_type),
    FIELD("tableName", shardline_dynamodb, table_name),
    FIELD("recordFormat", shardline_dynamodb, record_format),
};

#define BIT(f) (1u << (f))
static const uint32_t kinesis_record_required = BIT(R_EVENT_SOURCE) | BIT(R_EVENT_VERSION) |
    BIT(R_EVENT_ID) | BIT(R_EVENT_NAME) | BIT(R_INVOKE_IDENTITY_ARN) | BIT(R_AWS_REGION) |
    BIT(R_EVENT_SOURCE_ARN) | BIT(R_KINESIS);
static const uint32_t dynamodb_record_required = BIT(R_EVENT_SOURCE) | BIT(R_EVENT_VERSION) |
    BIT(R_EVENT_ID) | BIT(R_EVENT_NAME) | BIT(R_AWS_REGION) | BIT(R_EVENT_SOURCE_ARN) | BIT(R_DYNAMODB);
static const uint32_t change_record_required = BIT(R_EVENT_SOURCE) | BIT(R_EVENT_ID) |
    BIT(R_EVENT_NAME) | BIT(R_AWS_REGION) | BIT(R_DYNAMODB) | BIT(R_TABLE_NAME) | BIT(R_RECORD_FORMAT);

typedef struct record_target {
    shardline_record *record;
    shardline_dynamodb *dynamodb; /* made when a DynamoDB member first appears */
    uint32_t depth; /* the record object's own depth */
    bool change;    /* a change record from Kinesis, not a stream record */
    const char *at[R_COUNT]; /* where each member's value starts */
} record_target;

/* The record's DynamoDB part, in the arena: only DynamoDB records pay for it. */
static shardline_dynamodb *dynamodb_part(sl_parser *P, record_target *t)
{
    if (t->dynamodb == NULL) {
        t->dynamodb = sl_arena_alloc(P->arena, sizeof *t->dynamodb, _Alignof(shardline_dynamodb),
                                     P->arena_hint);
        if (t->dynamodb != NULL) {
            memset(t->dynamodb, 0, sizeof *t->dynamodb);
            t->dynamodb->approximate_creation_date_time = NAN;
            t->dynamodb->size_bytes = -1;
        }
    }
    return t->dynamodb;
}

static shardline_status read_record_field(sl_parser *P, int f, void *target)
{
    record_target *t = target;
    shardline_record *r = t->record;
    shardline_status st;
    shardline_dynamodb *d = NULL;
    if (f == R_DYNAMODB || f == R_USER_IDENTITY || f == R_TABLE_NAME || f == R_RECORD_FORMAT) {
        if ((d = dynamodb_part(P, t)) == NULL)
            return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
    }
    t->at[f] = P->p;
    /* Once eventSource is known, the other source's object is rejected
     * where it stands; before that it is read as its own kind, and
     * parse_record rejects it afterwards. */
    bool source_known = t->at[R_EVENT_SOURCE] != NULL;
    bool kinesis_source = source_known && !t->change && view_is(r->event_source, "aws:kinesis");
    switch (f) {
    case R_KINESIS:
        if (t->change || (source_known && !kinesis_source))
            return sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, P->p);
        if ((st = sl_expect_kind(P, '{')) != SHARDLINE_OK)
            return st;
        return parse_kinesis(P, &r->kinesis, t->depth + 1);
    case R_DYNAMODB:
        if (kinesis_source)
            return sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, P->p);
        if ((st = sl_expect_kind(P, '{')) != SHARDLINE_OK)
            return st;
        return parse_dynamodb(P, d, t->depth + 1, t->change);
    case R_USER_IDENTITY: {
        if (*P->p == 'n')
            return sl_scan_literal(P, "null", 4);
        if ((st = sl_expect_kind(P, '{')) != SHARDLINE_OK)
            return st;
        const char *obj = P->p;
        uint32_t seen;
        if ((st = walk_object(P, user_identity_fields, 2, FOLLOW_USER_IDENTITY, t->depth + 1,
                              read_user_identity_field, d, &seen)) != SHARDLINE_OK)
            return st;
        return check_required(P, user_identity_fields, 2, 3u, seen, obj);
    }
    case R_EVENT_SOURCE:
        /* An unknown source is reported where it stands: nothing after it
         * can be read against the right schema. */
        if ((st = sl_read_string(P, &r->event_source)) != SHARDLINE_OK)
            return st;
        if (!view_is(r->event_source, "aws:dynamodb") &&
            (t->change || !view_is(r->event_source, "aws:kinesis")))
            return sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, t->at[f]);
        return SHARDLINE_OK;
    default:
        /* Record members land in the record, DynamoDB-only ones in its part. */
        return sl_read_string(P, (shardline_view *)(void *)((char *)(d ? (void *)d : (void *)r) +
                                                             record_fields[f].offset));
    }
}

/* Report a member's value as one this kind of record never has. */
static shardline_status bad_value(sl_parser *P, const record_target *t, int f)
{
    sl_path_push_name(&P->path, record_fields[f].name, record_fields[f].len);
    return sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, t->at[f]);
}

/* One record (an element of Records, or a change record); depth is the
 * object's own nesting depth. The eventSource decides which members it must
 * have: the other source's object is an error (at once when eventSource came
 * first, else once the record is read, after any error inside that object),
 * then missing members, then a DynamoDB eventName outside INSERT, MODIFY and
 * REMOVE. */
static shardline_status parse_record(sl_parser *P, shardline_record *r, uint32_t depth, bool change)
{
    const char *obj = P->p;
    record_target t = {r, NULL, depth, change, {NULL}};
    uint32_t seen;
    shardline_status st =
        walk_object(P, record_fields, R_COUNT, FOLLOW_RECORD, depth, read_record_field, &t, &seen);
    if (st != SHARDLINE_OK)
        return st;
    uint32_t required = change ? change_record_required : kinesis_record_required;
    if (seen & BIT(R_EVENT_SOURCE)) {
        /* read_record_field accepted only a source this record may have. */
        if (view_is(r->event_source, "aws:kinesis")) {
            r->source = SHARDLINE_SOURCE_KINESIS;
            if (seen & BIT(R_DYNAMODB))
                return bad_value(P, &t, R_DYNAMODB);
        } else {
            r->source = SHARDLINE_SOURCE_DYNAMODB;
            if (seen & BIT(R_KINESIS))
                return bad_value(P, &t, R_KINESIS);
            if (!change)
                required = dynamodb_record_required;
        }
    }
    if ((st = check_required(P, record_fields, R_COUNT, required, seen, obj)) != SHARDLINE_OK)
        return st;
    if (r->source == SHARDLINE_SOURCE_DYNAMODB) {
        if (!view_in(r->event_name, dynamodb_event_names))
            return bad_value(P, &t, R_EVENT_NAME);
        r->dynamodb = t.dynamodb; /* non-NULL: the dynamodb member is required */
    }
    return SHARDLINE_OK;
}

/* ---- the Kinesis fast path ---------------------------------------------------------- */

/* Kinesis delivers every record with the same members in the same order and
 * no whitespace. fast_kinesis_record reads a record of exactly that layout
 * with straight-line code: fixed key runs compared as bytes, plain strings
 * (no escapes) found inline. Anything else - another order, whitespace,
 * escapes, extra members, a value the schema rejects - makes it give up
 * before it has written anything outside the record, and parse_record reads
 * the record from its start, reporting any error exactly as always. */

/* The JSON number at *pp when it is a decimal - -?(0|[1-9][0-9]*) with an
 * optional fraction, at most 15 digits, and an optional exponent of at
 * most three digits, as in 1545084650.987 and 1.545084650987E9 - as its
 * text and its value (sl_decimal_to_double's, as sl_number_to_double gives
 * it), in one pass. False for any other text, valid or not. */
static SL_ALWAYS_INLINE bool fast_decimal(const char **pp, const char *end, shardline_view *text,
                                           double *value)
{
    const char *start = *pp, *p = start;
    bool negative = p < end && *p == '-';
    p += negative;
    const char *digits = p;
    uint64_t w = 0;
    if (p < end && *p == '0') {
        p++;
    } else {
        for (; p < end && (unsigned)(*p - '0') <= 9; p++)
            w = w * 10 + (unsigned)(*p - '0');
    }
    if (p == digits)
        return false;
    size_t frac = 0;
    if (p < end && *p == '.') {
        const char *f = ++p;
        for (; p < end && (unsigned)(*p - '0') <= 9; p++)
            w = w * 10 + (unsigned)(*p - '0');
        frac = (size_t)(p - f);
        if (frac == 0)
            return false;
    }
    size_t digit_count = (size_t)(p - digits) - (frac > 0);
    int exp = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        bool exp_negative = ++p < end && *p == '-';
        p += p < end && (*p == '-' || *p == '+');
        const char *e = p;
        for (; p < end && (unsigned)(*p - '0') <= 9 && p - e < 3; p++)
            exp = exp * 10 + (*p - '0');
        if (p == e)
            return false;
        exp = exp_negative ? -exp : exp;
    }
    /* After the number: no more digits (a leading zero's or a fourth of
     * the exponent's), no exponent. */
    if (p == end || (unsigned)(*p - '0') <= 9 || *p == 'e' || *p == 'E' || digit_count > 15 ||
        !sl_decimal_to_double(w, exp - (int)frac, negative, value))
        return false;
    text->ptr = start;
    text->len = (size_t)(p - start);
    *pp = p;
    return true;
}

/* The timestamp number at *pp (whose first byte is '-' or a digit) as its
 * text and value, the plain decimals through fast_decimal, others
 * (exponents, long numbers) through sl_scan_number; *pp is left after it.
 * False when it is not a valid number. */
static SL_ALWAYS_INLINE bool fast_timestamp(sl_parser *P, const char **pp, shardline_view *text,
                                             double *value)
{
    if (fast_decimal(pp, P->end, text, value))
        return true;
    const char *record = P->p;
    P->p = *pp;
    bool number_ok = sl_scan_number(P, text) == SHARDLINE_OK;
    *pp = P->p;
    P->p = record;
    if (number_ok)
        sl_number_to_double(text->ptr, text->len, value);
    return number_ok;
}

/* The records of a batch come from one shard of one stream, read by one
 * function: after its eventID, every record ends with the same text
 * (eventName, invokeIdentityArn, awsRegion, eventSourceARN). The fast path
 * reads that text from a token boundary to the record's closing brace,
 * using nothing but its bytes, so a record whose tail is byte for byte the
 * tail the fast path last read has the same views, moved by the distance
 * between the two. kinesis_tail keeps that tail (len 0: none yet). */
typedef struct kinesis_tail {
    const char *text;
    size_t len;
    shardline_view event_name, invoke_identity_arn, aws_region, event_source_arn;
} kinesis_tail;

static inline shardline_view moved(shardline_view v, ptrdiff_t by)
{
    v.ptr += by;
    return v;
}

/* The record's tail at *pp, after its eventID: when it repeats the last
 * one (a memcmp of some 185 bytes; a 16-byte SSE2 loop measured no
 * faster), the views from that one and true; otherwise read as always,
 * and kept as the tail to compare the next record's with. */
static SL_ALWAYS_INLINE bool fast_kinesis_tail(const sl_parser *P, const char **pp, shardline_record *r,
                                               kinesis_tail *last)
{
    const char *p = *pp, *end = P->end;
    if (last->len != 0 && (size_t)(end - p) >= last->len && memcmp(p, last->text, last->len) == 0) {
        ptrdiff_t by = p - last->text;
        r->event_name = moved(last->event_name, by);
        r->invoke_identity_arn = moved(last->invoke_identity_arn, by);
        r->aws_region = moved(last->aws_region, by);
        r->event_source_arn = moved(last->event_source_arn, by);
        *pp = p + last->len;
        return true;
    }
    if (!SL_TAKE(&p, end, ",\"eventName\":\"") || !sl_plain_string(P, &p, &r->event_name) ||
        !SL_TAKE(&p, end, ",\"invokeIdentityArn\":\"") || !sl_plain_string(P, &p, &r->invoke_identity_arn) ||
        !SL_TAKE(&p, end, ",\"awsRegion\":\"") || !sl_plain_string(P, &p, &r->aws_region) ||
        !SL_TAKE(&p, end, ",\"eventSourceARN\":\"") || !sl_plain_string(P, &p, &r->event_source_arn) ||
        !SL_TAKE(&p, end, "}"))
        return false;
    *last = (kinesis_tail){*pp, (size_t)(p - *pp), r->event_name, r->invoke_identity_arn, r->aws_region,
                           r->event_source_arn};
    *pp = p;
    return true;
}

/* 1: the record at P->p (a '{') was read into r, P->p is after it, and
 * *last holds its tail when that was read rather than repeated;
 * 0: it is not in the fast layout, and nothing was written but r;
 * -1: it is, but its payload is not valid base64 (*st, reported). */
static int fast_kinesis_record(sl_parser *P, shardline_record *r, kinesis_tail *last, shardline_status *st)
{
    const char *p = P->p, *end = P->end;
    shardline_kinesis *k = &r->kinesis;
    if (!P->fast || P->max_depth < 4) /* the record's and its kinesis object's depths */
        return 0;
    if (!SL_TAKE(&p, end, "{\"kinesis\":{\"kinesisSchemaVersion\":\"") ||
        !sl_plain_string(P, &p, &k->kinesis_schema_version) ||
        !SL_TAKE(&p, end, ",\"partitionKey\":\"") || !sl_plain_string(P, &p, &k->partition_key) ||
        !SL_TAKE(&p, end, ",\"sequenceNumber\":\"") || !sl_plain_string(P, &p, &k->sequence_number) ||
        !all_digits(k->sequence_number) || !SL_TAKE(&p, end, ",\"data\":\""))
        return 0;
    /* The payload is decoded last, once the rest of the record is known to
     * be in the layout: in place, decoding overwrites its text. */
    const char *data = p;
    const char *close = sl_quote_or_backslash(data, end);
    if (close == NULL || *close != '"')
        return 0;
    p = close + 1;
    if (!SL_TAKE(&p, end, ",\"approximateArrivalTimestamp\":") || p == end ||
        !(*p == '-' || (*p >= '0' && *p <= '9')))
        return 0;
    if (!fast_timestamp(P, &p, &k->approximate_arrival_timestamp_text, &k->approximate_arrival_timestamp))
        return 0;
    /* Streams with server-side encryption name it last. */
    if (SL_TAKE(&p, end, ",\"encryptionType\":\"") && !sl_plain_string(P, &p, &k->encryption_type))
        return 0;
    const char *source = p + sizeof "},\"eventSource\":\"" - 1;
    if (!SL_TAKE(&p, end, "},\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"") ||
        !sl_plain_string(P, &p, &r->event_version) || !SL_TAKE(&p, end, ",\"eventID\":\"") ||
        !sl_plain_string(P, &p, &r->event_id) || !fast_kinesis_tail(P, &p, r, last))
        return 0;
    sl_path_push_name(&P->path, "kinesis", 7);
    sl_path_push_name(&P->path, "data", 4);
    if ((*st = sl_decode_plain_base64(P, data, (size_t)(close - data), &k->data)) != SHARDLINE_OK)
        return -1;
    sl_path_pop(&P->path);
    sl_path_pop(&P->path);
    r->event_source.ptr = source;
    r->event_source.len = 11;
    r->source = SHARDLINE_SOURCE_KINESIS;
    P->p = p;
    return 1;
}

/* ---- the DynamoDB fast path ---------------------------------------------------------- */

/* DynamoDB Streams also writes its records in one layout, without
 * whitespace: eventID, eventName, eventVersion, eventSource, awsRegion,
 * then dynamodb with ApproximateCreationDateTime, Keys, NewImage and
 * OldImage (either may be missing), SequenceNumber, SizeBytes and
 * StreamViewType, then userIdentity (deletions by TTL only) and
 * eventSourceARN. fast_dynamodb_record reads that layout with fixed key
 * runs and plain strings, and its images with sl_dynamodb_image, as the
 * general path does (same depth, same path). The images come before the
 * last members, so giving up may follow them: the arena then gets back
 * what they took. Not in place, where the images rewrite their text. */

/* The image member ,"name": at *pp, when it is there: its image read into
 * *out with the path the general path gives it. 1: read; 0: the member is
 * not there; -1: the image is bad (*st, reported). */
static SL_ALWAYS_INLINE int fast_image_member(sl_parser *P, const char **pp, const char *name,
                                              size_t name_len, const shardline_attr **out,
                                              shardline_status *st)
{
    const char *p = *pp;
    if (P->end - p < (ptrdiff_t)name_len + 5 || p[0] != ',' || p[1] != '"' ||
        !sl_bytes_equal(p + 2, name, name_len) || p[name_len + 2] != '"' || p[name_len + 3] != ':' ||
        p[name_len + 4] != '{')
        return 0;
    p += name_len + 4;
    const char *record = P->p;
    P->p = p;
    sl_path_push_name(&P->path, name, name_len);
    if ((*st = sl_dynamodb_image(P, 4, out)) != SHARDLINE_OK)
        return -1;
    sl_path_pop(&P->path);
    *pp = P->p;
    P->p = record;
    return 1;
}
#define FAST_IMAGE(pp, name, out, st) fast_image_member(P, (pp), (name), sizeof(name) - 1, (out), (st))

/* 1: the record at P->p (a '{') was read into r, P->p is after it;
 * 0: it is not in the fast layout: nothing was written but r, and the
 * arena is as it was; -1: it is, but an image is bad (*st, reported, as
 * the general path reports it). */
static SL_NOINLINE int fast_dynamodb_record(sl_parser *P, shardline_record *r, shardline_status *st)
{
    const char *p = P->p, *end = P->end;
    /* The record's and its dynamodb object's depths. */
    if (!P->fast || P->wbase != NULL || P->max_depth < 4)
        return 0;
    if (!SL_TAKE(&p, end, "{\"eventID\":\"") || !sl_plain_string(P, &p, &r->event_id) ||
        !SL_TAKE(&p, end, ",\"eventName\":\"") || !sl_plain_string(P, &p, &r->event_name) ||
        !view_in(r->event_name, dynamodb_event_names) || !SL_TAKE(&p, end, ",\"eventVersion\":\"") ||
        !sl_plain_string(P, &p, &r->event_version) || !SL_TAKE(&p, end, ",\"eventSource\":\""))
        return 0;
    const char *source = p;
    if (!SL_TAKE(&p, end, "aws:dynamodb\",\"awsRegion\":\"") || !sl_plain_string(P, &p, &r->aws_region) ||
        !SL_TAKE(&p, end, ",\"dynamodb\":{\"ApproximateCreationDateTime\":") || p == end ||
        !(*p == '-' || (*p >= '0' && *p <= '9')))
        return 0;
    shardline_view time_text;
    double time;
    if (!fast_timestamp(P, &p, &time_text, &time))
        return 0;
    sl_arena_mark mark = sl_arena_get_mark(P->arena);
    shardline_dynamodb *d = sl_arena_alloc(P->arena, sizeof *d, _Alignof(shardline_dynamodb), P->arena_hint);
    if (d == NULL)
        return 0;
    memset(d, 0, sizeof *d);
    d->approximate_creation_date_time_text = time_text;
    d->approximate_creation_date_time = time;
    sl_path_push_name(&P->path, "dynamodb", 8);
    int got = FAST_IMAGE(&p, "Keys", &d->keys, st);
    if (got == 1)
        got = FAST_IMAGE(&p, "NewImage", &d->new_image, st);
    if (got >= 0 && d->keys != NULL)
        got = FAST_IMAGE(&p, "OldImage", &d->old_image, st);
    if (got < 0)
        return -1;
    sl_path_pop(&P->path);
    /* SizeBytes: a plain non-negative integer of at most 18 digits. */
    const char *size = NULL, *size_end = NULL;
    int64_t size_bytes = 0;
    if (d->keys != NULL && SL_TAKE(&p, end, ",\"SequenceNumber\":\"") &&
        sl_plain_string(P, &p, &d->sequence_number) && all_digits(d->sequence_number) &&
        SL_TAKE(&p, end, ",\"SizeBytes\":")) {
        size = p;
        if (p < end && *p == '0') {
            p++;
        } else {
            for (; p < end && (unsigned)(*p - '0') <= 9 && p - size < 18; p++)
                size_bytes = size_bytes * 10 + (*p - '0');
        }
        size_end = p;
    }
    if (size == NULL || p == size || p == end || (unsigned)(*p - '0') <= 9 || *p == '.' || *p == 'e' ||
        *p == 'E' || !SL_TAKE(&p, end, ",\"StreamViewType\":\"") ||
        !sl_plain_string(P, &p, &d->stream_view_type) || !view_in(d->stream_view_type, stream_view_types) ||
        !SL_TAKE(&p, end, "}") ||
        /* Deletions by TTL name the service that made them. */
        (SL_TAKE(&p, end, ",\"userIdentity\":{\"type\":\"") &&
         (!sl_plain_string(P, &p, &d->user_identity_type) || !SL_TAKE(&p, end, ",\"principalId\":\"") ||
          !sl_plain_string(P, &p, &d->user_identity_principal_id) || !SL_TAKE(&p, end, "}"))) ||
        !SL_TAKE(&p, end, ",\"eventSourceARN\":\"") || !sl_plain_string(P, &p, &r->event_source_arn) ||
        !SL_TAKE(&p, end, "}")) {
        sl_arena_rewind(P->arena, &mark);
        return 0;
    }
    d->size_bytes_text.ptr = size;
    d->size_bytes_text.len = (size_t)(size_end - size);
    d->size_bytes = size_bytes;
    r->event_source.ptr = source;
    r->event_source.len = 12;
    r->source = SHARDLINE_SOURCE_DYNAMODB;
    r->dynamodb = d;
    P->p = p;
    return 1;
}
#undef FAST_IMAGE

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
    shardline_status st = sl_expect_kind(P, '[');
    if (st != SHARDLINE_OK)
        return st;
    if (P->max_depth < 2) /* the Records array sits inside the event object */
        return sl_fail(P, SHARDLINE_ERR_DEPTH, P->p);
    P->p++;
    bool first = true, done = false;
    kinesis_tail last_tail = {NULL, 0, {NULL, 0}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    for (size_t i = 0;; i++) {
        if ((st = sl_array_next(P, &first, &done)) != SHARDLINE_OK)
            return st;
        if (done)
            return SHARDLINE_OK;
        sl_path_push_index(&P->path, i);
        if ((st = sl_expect_kind(P, '{')) != SHARDLINE_OK)
            return st;
        if (i > 0)
            P->arena_hint = projected_hint(P, (size_t)(B->arena.total - (size_t)(B->arena.end - B->arena.cur)));
        shardline_record *r = next_record(P, B);
        if (r == NULL)
            return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
        size_t offset = sl_offset(P, P->p);
        int fast = fast_kinesis_record(P, r, &last_tail, &st);
        if (fast == 0)
            fast = fast_dynamodb_record(P, r, &st);
        if (fast < 0)
            return st;
        if (fast == 0) {
            memset(r, 0, sizeof *r); /* what the fast path filled in before it gave up */
            if ((st = parse_record(P, r, 3, false)) != SHARDLINE_OK)
                return st;
        }
        r->index = i;
        r->offset = offset;
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
    shardline_status st = sl_expect_kind(P, '{');
    if (st != SHARDLINE_OK)
        return st;
    const char *obj = P->p;
    uint32_t seen;
    if ((st = walk_object(P, event_fields, 1, FOLLOW_EVENT, 1, read_event_field, B, &seen)) != SHARDLINE_OK ||
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

/* A DynamoDB change record as the payload of a Kinesis record: the batch
 * gets one record, parsed as an event's record would be, at depth 1. */
static shardline_status parse_change(sl_parser *P, shardline_batch *B)
{
    sl_skip_ws(P);
    if (P->p == P->end)
        return sl_fail(P, SHARDLINE_ERR_EMPTY, P->p);
    shardline_status st = sl_expect_kind(P, '{');
    if (st != SHARDLINE_OK)
        return st;
    shardline_record *r = next_record(P, B);
    if (r == NULL)
        return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
    r->offset = sl_offset(P, P->p);
    if ((st = parse_record(P, r, 1, true)) != SHARDLINE_OK)
        return st;
    return sl_expect_end(P);
}

typedef shardline_status (*batch_schema)(sl_parser *P, shardline_batch *B);

static shardline_status batch_parse(const char *input, char *writable, size_t len,
                                    const shardline_options *options, shardline_batch **out,
                                    shardline_error *error, batch_schema schema, bool fast)
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
    P.fast = fast;
    /* A small first chunk; later chunks follow projected_hint, which by then
     * has a few hundred records to project from. */
    size_t first = len / 2;
    P.arena_hint = (first < (64u << 10) ? first : (64u << 10)) + 4096;
    st = schema(&P, B);
    sl_parser_release(&P);
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
    return batch_parse(input, NULL, len, options, out, error, parse_event, true);
}

shardline_status shardline_batch_parse_in_place(char *input, size_t len,
                                                const shardline_options *options,
                                                shardline_batch **out, shardline_error *error)
{
    return batch_parse(input, input, len, options, out, error, parse_event, true);
}

shardline_status shardline_dynamodb_change_parse(const char *input, size_t len,
                                                 const shardline_options *options,
                                                 shardline_batch **out, shardline_error *error)
{
    return batch_parse(input, NULL, len, options, out, error, parse_change, true);
}

shardline_status sl_batch_parse_general(const char *input, char *writable, size_t len,
                                        const shardline_options *options, shardline_batch **out,
                                        shardline_error *error)
{
    return batch_parse(input, writable, len, options, out, error, parse_event, false);
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
