/* test_dynamodb.c - DynamoDB Streams: golden values of every fixture, AttributeValue
 * unmarshalling, images on their own, change records from Kinesis, in-place mode,
 * and every malformed shape with its exact code, offset and path. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "compare.h"
#include "testutil.h"

#define DOCS_ARN "arn:aws:dynamodb:us-west-2:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899"
#define TYPES_ARN "arn:aws:dynamodb:us-east-1:123456789012:table/AllTypes/stream/2023-09-06T10:45:55.123"
#define MUSIC_ARN "arn:aws:dynamodb:us-east-1:123456789012:table/Music/stream/2021-11-01T02:40:07.123"
#define DEEP_ARN "arn:aws:dynamodb:eu-west-1:123456789012:table/Deep/stream/2024-01-01T00:00:00.000"
#define K_SEQ0 "49590338271490256608559692538361571095921575989136588898"
#define K_SEQ1 "49590338271490256608559692540925702759324208523137515618"
#define ROLE "arn:aws:iam::123456789012:role/lambda-role"
#define K_ARN "arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"

/* ---- helpers ---------------------------------------------------------------------- */

/* An absent optional field: {NULL, 0}. */
#define CHECK_ABSENT(view) CHECK((view).ptr == NULL && (view).len == 0)

/* The member of an M named by a C string. */
static const shardline_attr *get(const shardline_attr *m, const char *name)
{
    return shardline_attr_get(m, name, strlen(name));
}

static const char *type_name(shardline_attr_type t)
{
    static const char *const names[] = {"NONE", "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
    return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* A value of the given type whose S / N / B view equals exp[0..len) exactly,
 * with a non-NULL pointer even when empty. */
static void expect_view_attr(const shardline_attr *a, shardline_attr_type type, const char *exp,
                             size_t len, int line)
{
    shardline_view v = {NULL, 0};
    if (type == SHARDLINE_ATTR_S)
        v = shardline_attr_string(a);
    else if (type == SHARDLINE_ATTR_N)
        v = shardline_attr_number_text(a);
    else
        v = shardline_attr_binary(a);
    check_total++;
    shardline_attr_type got = shardline_attr_get_type(a);
    if (got != type || v.ptr == NULL || v.len != len || (len && memcmp(v.ptr, exp, len) != 0))
        CHECK_FAIL_AT(__FILE__, line, "expected %s \"%.*s\" (%zu bytes), got %s \"%.*s\" (%zu bytes%s)",
                      type_name(type), (int)(len > 100 ? 100 : len), exp, len, type_name(got),
                      (int)(v.len > 100 ? 100 : v.len), v.ptr ? v.ptr : "", v.len,
                      v.ptr ? "" : ", NULL pointer");
}
#define EXPECT_S(a, lit) expect_view_attr((a), SHARDLINE_ATTR_S, (lit), sizeof(lit) - 1, __LINE__)
#define EXPECT_N(a, lit) expect_view_attr((a), SHARDLINE_ATTR_N, (lit), sizeof(lit) - 1, __LINE__)
#define EXPECT_B(a, ptr, len) expect_view_attr((a), SHARDLINE_ATTR_B, (const char *)(ptr), (len), __LINE__)

static void expect_type_size(const shardline_attr *a, shardline_attr_type type, size_t size, int line)
{
    check_total++;
    if (shardline_attr_get_type(a) != type || shardline_attr_size(a) != size)
        CHECK_FAIL_AT(__FILE__, line, "expected %s of size %zu, got %s of size %zu", type_name(type), size,
                      type_name(shardline_attr_get_type(a)), shardline_attr_size(a));
}
#define EXPECT_TYPE_SIZE(a, type, size) expect_type_size((a), SHARDLINE_ATTR_##type, (size), __LINE__)

/* Every accessor that does not belong to a's type gives its empty answer. */
static void expect_other_accessors_empty(const shardline_attr *a, int line)
{
    shardline_attr_type t = shardline_attr_get_type(a);
    bool ok = true;
    int64_t i = 77;
    double d = 77.0;
    if (t != SHARDLINE_ATTR_S && shardline_attr_string(a).ptr != NULL)
        ok = false;
    if (t != SHARDLINE_ATTR_S && shardline_attr_string(a).len != 0)
        ok = false;
    if (t != SHARDLINE_ATTR_N) {
        shardline_view v = shardline_attr_number_text(a);
        if (v.ptr != NULL || v.len != 0 || shardline_attr_number_int64(a, &i) != 0 ||
            shardline_attr_number_double(a, &d) != -1 || i != 77 || d != 77.0)
            ok = false;
    }
    if (t != SHARDLINE_ATTR_B) {
        shardline_view v = shardline_attr_binary(a);
        if (v.ptr != NULL || v.len != 0)
            ok = false;
    }
    if (t != SHARDLINE_ATTR_BOOL && shardline_attr_bool(a) != -1)
        ok = false;
    bool container = t == SHARDLINE_ATTR_M || t == SHARDLINE_ATTR_L || t == SHARDLINE_ATTR_SS ||
                     t == SHARDLINE_ATTR_NS || t == SHARDLINE_ATTR_BS;
    if (!container && shardline_attr_size(a) != 0)
        ok = false;
    if (t != SHARDLINE_ATTR_M) {
        shardline_view k = shardline_attr_key_at(a, 0);
        if (k.ptr != NULL || k.len != 0 || shardline_attr_member_at(a, 0) != NULL ||
            shardline_attr_get(a, "a", 1) != NULL)
            ok = false;
    }
    if (t != SHARDLINE_ATTR_L && t != SHARDLINE_ATTR_SS && t != SHARDLINE_ATTR_NS &&
        t != SHARDLINE_ATTR_BS && shardline_attr_at(a, 0) != NULL)
        ok = false;
    check_total++;
    if (!ok)
        CHECK_FAIL_AT(__FILE__, line, "a %s value answers an accessor of another type", type_name(t));
}
#define EXPECT_OTHERS_EMPTY(a) expect_other_accessors_empty((a), __LINE__)

/* N accessors: int64 (rc and value; *out untouched when rc is 0), double (rc
 * and value, compared with strtod of the text as an independent reference). */
static void expect_number(const shardline_attr *a, int int_rc, int64_t int_value, int dbl_rc, int line)
{
    shardline_view t = shardline_attr_number_text(a);
    char buf[256];
    size_t n = t.len < sizeof buf - 1 ? t.len : sizeof buf - 1;
    if (t.ptr)
        memcpy(buf, t.ptr, n);
    buf[n] = '\0';
    int64_t i = INT64_C(-777);
    int rc = shardline_attr_number_int64(a, &i);
    check_total++;
    if (rc != int_rc || (rc == 1 && i != int_value) || (rc != 1 && i != INT64_C(-777)))
        CHECK_FAIL_AT(__FILE__, line, "N \"%s\": int64 gave %d (%" PRId64 "), expected %d (%" PRId64 ")", buf,
                      rc, i, int_rc, int_rc == 1 ? int_value : INT64_C(-777));
    double d = -777.0;
    rc = shardline_attr_number_double(a, &d);
    double ref = strtod(buf, NULL);
    check_total++;
    if (rc != dbl_rc || memcmp(&d, &ref, sizeof d) != 0)
        CHECK_FAIL_AT(__FILE__, line, "N \"%s\": double gave %d (%.17g), expected %d (%.17g)", buf, rc, d,
                      dbl_rc, ref);
}
#define EXPECT_NUMBER(a, int_rc, int_value, dbl_rc) expect_number((a), (int_rc), (int_value), (dbl_rc), __LINE__)

/* Every B and S value of an in-place tree lies inside buf (decoded and
 * unescaped over its own text). */
static bool payloads_inside(const shardline_attr *a, const char *buf, size_t len)
{
    if (a == NULL)
        return true;
    shardline_attr_type t = shardline_attr_get_type(a);
    shardline_view v = {NULL, 0};
    if (t == SHARDLINE_ATTR_B)
        v = shardline_attr_binary(a);
    else if (t == SHARDLINE_ATTR_S)
        v = shardline_attr_string(a);
    if (v.len > 0 && (v.ptr < buf || v.ptr + v.len > buf + len))
        return false;
    if (t == SHARDLINE_ATTR_M) {
        for (size_t i = 0; i < shardline_attr_size(a); i++)
            if (!payloads_inside(shardline_attr_member_at(a, i), buf, len))
                return false;
    } else {
        for (size_t i = 0; i < shardline_attr_size(a); i++)
            if (!payloads_inside(shardline_attr_at(a, i), buf, len))
                return false;
    }
    return true;
}

/* The fields a DynamoDB Streams record has, or lacks. */
static void check_stream_record(const shardline_record *r, size_t index, const char *text, const char *version,
                                const char *id, const char *name, const char *region, const char *arn, int line)
{
    int failed = check_failed;
    CHECK_EQ(r->source, SHARDLINE_SOURCE_DYNAMODB);
    CHECK_EQ(r->index, index);
    CHECK_EQ(text[r->offset], '{');
    CHECK_VIEW(r->event_source, "aws:dynamodb");
    CHECK_VIEW(r->event_version, version);
    CHECK_VIEW(r->event_id, id);
    CHECK_VIEW(r->event_name, name);
    CHECK_ABSENT(r->invoke_identity_arn);
    CHECK_VIEW(r->aws_region, region);
    CHECK_VIEW(r->event_source_arn, arn);
    CHECK(r->dynamodb != NULL);
    if (r->dynamodb == NULL)
        return;
    CHECK_ABSENT(r->dynamodb->table_name);
    CHECK_ABSENT(r->dynamodb->record_format);
    if (check_failed != failed)
        fprintf(stderr, "  (record %zu checked from line %d)\n", index, line);
}

static void check_dynamodb_fields(const shardline_dynamodb *d, const char *ts_text, double ts, const char *seq,
                                  const char *size_text, int64_t size, const char *view_type, int line)
{
    int failed = check_failed;
    if (ts_text) {
        CHECK_VIEW(d->approximate_creation_date_time_text, ts_text);
        CHECK(d->approximate_creation_date_time == ts);
    } else {
        CHECK_ABSENT(d->approximate_creation_date_time_text);
        CHECK(isnan(d->approximate_creation_date_time));
    }
    if (seq)
        CHECK_VIEW(d->sequence_number, seq);
    else
        CHECK_ABSENT(d->sequence_number);
    if (size_text)
        CHECK_VIEW(d->size_bytes_text, size_text);
    else
        CHECK_ABSENT(d->size_bytes_text);
    CHECK_EQ(d->size_bytes, size);
    if (view_type)
        CHECK_VIEW(d->stream_view_type, view_type);
    else
        CHECK_ABSENT(d->stream_view_type);
    if (check_failed != failed)
        fprintf(stderr, "  (dynamodb fields checked from line %d)\n", line);
}

/* {"Id": {"N": "101"}} */
static void check_docs_keys(const shardline_attr *keys)
{
    EXPECT_TYPE_SIZE(keys, M, 1);
    CHECK_VIEW(shardline_attr_key_at(keys, 0), "Id");
    EXPECT_N(get(keys, "Id"), "101");
    CHECK(get(keys, "Id") == shardline_attr_member_at(keys, 0));
    EXPECT_NUMBER(get(keys, "Id"), 1, 101, 1);
}

/* {"Message": {"S": message}, "Id": {"N": "101"}} */
static void check_docs_image(const shardline_attr *image, const char *message)
{
    EXPECT_TYPE_SIZE(image, M, 2);
    CHECK_VIEW(shardline_attr_key_at(image, 0), "Message");
    CHECK_VIEW(shardline_attr_key_at(image, 1), "Id");
    expect_view_attr(shardline_attr_member_at(image, 0), SHARDLINE_ATTR_S, message, strlen(message), __LINE__);
    EXPECT_N(shardline_attr_member_at(image, 1), "101");
    CHECK(get(image, "Message") == shardline_attr_member_at(image, 0));
    CHECK(get(image, "Missing") == NULL);
    CHECK(get(image, "message") == NULL);
}

/* The Music table's keys and full image. */
static void check_music_keys(const shardline_attr *keys)
{
    EXPECT_TYPE_SIZE(keys, M, 2);
    CHECK_VIEW(shardline_attr_key_at(keys, 0), "Artist");
    CHECK_VIEW(shardline_attr_key_at(keys, 1), "SongTitle");
    EXPECT_S(get(keys, "Artist"), "No One You Know");
    EXPECT_S(get(keys, "SongTitle"), "Call Me Today");
}

static void check_music_image(const shardline_attr *image)
{
    EXPECT_TYPE_SIZE(image, M, 4);
    static const char *const names[] = {"Artist", "SongTitle", "AlbumTitle", "Awards"};
    for (size_t i = 0; i < 4; i++)
        CHECK_VIEW(shardline_attr_key_at(image, i), names[i]);
    EXPECT_S(shardline_attr_member_at(image, 0), "No One You Know");
    EXPECT_S(shardline_attr_member_at(image, 1), "Call Me Today");
    EXPECT_S(get(image, "AlbumTitle"), "Somewhat Famous");
    EXPECT_N(get(image, "Awards"), "1");
    EXPECT_NUMBER(get(image, "Awards"), 1, 1, 1);
    CHECK(shardline_attr_member_at(image, 4) == NULL);
    CHECK_ABSENT(shardline_attr_key_at(image, 4));
}

/* ---- fixtures --------------------------------------------------------------------- */

static void test_aws_docs_sample(void)
{
    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("dynamodb/aws-docs-sample.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 3);
    static const char *const names[] = {"INSERT", "MODIFY", "REMOVE"};
    static const char *const ids[] = {"1", "2", "3"};
    static const char *const seqs[] = {"111", "222", "333"};
    static const char *const size_texts[] = {"26", "59", "38"};
    static const int64_t sizes[] = {26, 59, 38};
    for (size_t i = 0; i < 3; i++) {
        const shardline_record *r = shardline_batch_record(b, i);
        if (r == NULL)
            break;
        check_stream_record(r, i, text, "1.0", ids[i], names[i], "us-west-2", DOCS_ARN, __LINE__);
        CHECK_ABSENT(r->dynamodb->user_identity_type);
        CHECK_ABSENT(r->dynamodb->user_identity_principal_id);
        check_dynamodb_fields(r->dynamodb, "1480642020", 1480642020.0, seqs[i], size_texts[i], sizes[i],
                              "NEW_AND_OLD_IMAGES", __LINE__);
        check_docs_keys(r->dynamodb->keys);
    }
    const shardline_record *r = shardline_batch_record(b, 0);
    check_docs_image(r->dynamodb->new_image, "New item!");
    CHECK(r->dynamodb->old_image == NULL);
    r = shardline_batch_record(b, 1);
    check_docs_image(r->dynamodb->new_image, "This item has changed");
    check_docs_image(r->dynamodb->old_image, "New item!");
    r = shardline_batch_record(b, 2);
    CHECK(r->dynamodb->new_image == NULL);
    check_docs_image(r->dynamodb->old_image, "This item has changed");
    CHECK(shardline_batch_record(b, 3) == NULL);
    CHECK(shardline_batch_memory(b) > 0);
    shardline_batch_free(b);
    free(text);
}

static void test_all_types(void)
{
    static const char *const names[] = {
        "pk", "s_escapes", "s_raw", "s_empty", "n_zero", "n_int", "n_neg_frac", "n_min", "n_max", "n_38",
        "n_tenth", "n_neg_zero", "n_exp", "n_lead", "n_trail", "n_int64_max", "n_int64_min", "n_2p63",
        "n_zeros", "n_38_frac", "b_test", "b_256", "b_empty", "bool_t", "bool_f", "null", "address", "list",
        "ss_empty", "ns_empty", "bs_empty", "l_empty", "m_empty", "ss", "ns", "bs", "dup", "caf\xC3\xA9",
    };
    enum { NAMES = sizeof names / sizeof names[0] };
    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("dynamodb/all-types.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 1);
    const shardline_record *r = shardline_batch_record(b, 0);
    if (r == NULL) {
        shardline_batch_free(b);
        free(text);
        return;
    }
    check_stream_record(r, 0, text, "1.1", "f07f8ca4b0b26cb9c4e5e77e69f274ee", "REMOVE", "us-east-1", TYPES_ARN,
                        __LINE__);
    CHECK_VIEW(r->dynamodb->user_identity_type, "Service");
    CHECK_VIEW(r->dynamodb->user_identity_principal_id, "dynamodb.amazonaws.com");
    check_dynamodb_fields(r->dynamodb, "1693997155.0", 1693997155.0, "1405400000000002063282832", "1234", 1234,
                          "NEW_AND_OLD_IMAGES", __LINE__);
    const shardline_attr *keys = r->dynamodb->keys;
    EXPECT_TYPE_SIZE(keys, M, 1);
    EXPECT_S(get(keys, "pk"), "item#1");
    const shardline_attr *old = r->dynamodb->old_image;
    EXPECT_TYPE_SIZE(old, M, 2);
    CHECK_VIEW(shardline_attr_key_at(old, 1), "ttl");
    EXPECT_N(get(old, "ttl"), "1693997100");
    EXPECT_NUMBER(get(old, "ttl"), 1, 1693997100, 1);

    const shardline_attr *img = r->dynamodb->new_image;
    EXPECT_TYPE_SIZE(img, M, NAMES);
    EXPECT_OTHERS_EMPTY(img);
    for (size_t i = 0; i < NAMES; i++) {
        CHECK_VIEW(shardline_attr_key_at(img, i), names[i]);
        CHECK(get(img, names[i]) == shardline_attr_member_at(img, i));
        EXPECT_OTHERS_EMPTY(shardline_attr_member_at(img, i));
    }
    CHECK(shardline_attr_member_at(img, NAMES) == NULL);

    /* S */
    EXPECT_S(get(img, "pk"), "item#1");
    EXPECT_S(get(img, "s_escapes"), "line\nbreak \"q\" back\\slash / tab\t caf\xC3\xA9 \xF0\x9F\x98\x80");
    EXPECT_S(get(img, "s_raw"), "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xC3\xBCn\xC3\xAF" "c\xC3\xB6" "d\xC3\xA9 \xF0\x9F\x98\x80");
    EXPECT_S(get(img, "s_empty"), "");
    EXPECT_S(get(img, "caf\xC3\xA9"), "escaped name");

    /* N: exact text, int64 and double with their exactness. */
    EXPECT_N(get(img, "n_zero"), "0");
    EXPECT_NUMBER(get(img, "n_zero"), 1, 0, 1);
    EXPECT_N(get(img, "n_int"), "101");
    EXPECT_NUMBER(get(img, "n_int"), 1, 101, 1);
    EXPECT_N(get(img, "n_neg_frac"), "-0.5");
    EXPECT_NUMBER(get(img, "n_neg_frac"), 0, 0, 1);
    EXPECT_N(get(img, "n_min"), "1E-130");
    EXPECT_NUMBER(get(img, "n_min"), 0, 0, 0);
    EXPECT_N(get(img, "n_max"), "9.9999999999999999999999999999999999999E+125");
    EXPECT_NUMBER(get(img, "n_max"), 0, 0, 0);
    EXPECT_N(get(img, "n_38"), "12345678901234567890123456789012345678");
    EXPECT_NUMBER(get(img, "n_38"), 0, 0, 0);
    EXPECT_N(get(img, "n_tenth"), "0.1");
    EXPECT_NUMBER(get(img, "n_tenth"), 0, 0, 0);
    EXPECT_N(get(img, "n_neg_zero"), "-0");
    EXPECT_NUMBER(get(img, "n_neg_zero"), 1, 0, 1);
    EXPECT_N(get(img, "n_exp"), "-1.5e+3");
    EXPECT_NUMBER(get(img, "n_exp"), 1, -1500, 1);
    EXPECT_N(get(img, "n_lead"), "007");
    EXPECT_NUMBER(get(img, "n_lead"), 1, 7, 1);
    EXPECT_N(get(img, "n_trail"), "1.50");
    EXPECT_NUMBER(get(img, "n_trail"), 0, 0, 1);
    EXPECT_N(get(img, "n_int64_max"), "9223372036854775807");
    EXPECT_NUMBER(get(img, "n_int64_max"), 1, INT64_MAX, 0);
    EXPECT_N(get(img, "n_int64_min"), "-9223372036854775808");
    EXPECT_NUMBER(get(img, "n_int64_min"), 1, INT64_MIN, 1);
    EXPECT_N(get(img, "n_2p63"), "9223372036854775808");
    EXPECT_NUMBER(get(img, "n_2p63"), 0, 0, 1);
    EXPECT_N(get(img, "n_zeros"), "000000000000000000000000000000000000000000000000001."
                                  "00000000000000000000000000000000000000000000000000");
    EXPECT_NUMBER(get(img, "n_zeros"), 1, 1, 1);
    EXPECT_N(get(img, "n_38_frac"), "-0.00012345678901234567890123456789012345678E-90");
    EXPECT_NUMBER(get(img, "n_38_frac"), 0, 0, 0);
    /* The doubles themselves, against the compiler's reading of the same text. */
    double d = 0;
    CHECK_EQ(shardline_attr_number_double(get(img, "n_min"), &d), 0);
    CHECK(d == 1E-130);
    CHECK_EQ(shardline_attr_number_double(get(img, "n_max"), &d), 0);
    CHECK(d == 9.9999999999999999999999999999999999999E+125);
    CHECK_EQ(shardline_attr_number_double(get(img, "n_38"), &d), 0);
    CHECK(d == 12345678901234567890123456789012345678.0);
    CHECK_EQ(shardline_attr_number_double(get(img, "n_tenth"), &d), 0);
    CHECK(d == 0.1);
    CHECK_EQ(shardline_attr_number_double(get(img, "n_neg_zero"), &d), 1);
    CHECK(d == 0.0 && signbit(d));
    CHECK_EQ(shardline_attr_number_double(get(img, "n_2p63"), &d), 1);
    CHECK(d == 9223372036854775808.0);
    /* NULL out pointers. */
    CHECK_EQ(shardline_attr_number_int64(get(img, "n_int"), NULL), 0);
    CHECK_EQ(shardline_attr_number_double(get(img, "n_int"), NULL), -1);

    /* B */
    EXPECT_B(get(img, "b_test"), "\xB5\xEB\x2D", 3);
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    EXPECT_B(get(img, "b_256"), all, 256);
    EXPECT_B(get(img, "b_empty"), "", 0);

    /* BOOL, NULL */
    CHECK_EQ(shardline_attr_get_type(get(img, "bool_t")), SHARDLINE_ATTR_BOOL);
    CHECK_EQ(shardline_attr_bool(get(img, "bool_t")), 1);
    CHECK_EQ(shardline_attr_get_type(get(img, "bool_f")), SHARDLINE_ATTR_BOOL);
    CHECK_EQ(shardline_attr_bool(get(img, "bool_f")), 0);
    EXPECT_TYPE_SIZE(get(img, "null"), NULL, 0);

    /* M, nested */
    const shardline_attr *addr = get(img, "address");
    EXPECT_TYPE_SIZE(addr, M, 3);
    CHECK_VIEW(shardline_attr_key_at(addr, 0), "street");
    CHECK_VIEW(shardline_attr_key_at(addr, 1), "zip");
    CHECK_VIEW(shardline_attr_key_at(addr, 2), "geo");
    EXPECT_S(get(addr, "street"), "1 Main St");
    EXPECT_N(get(addr, "zip"), "02134");
    EXPECT_NUMBER(get(addr, "zip"), 1, 2134, 1);
    const shardline_attr *geo = get(addr, "geo");
    EXPECT_TYPE_SIZE(geo, M, 2);
    EXPECT_N(get(geo, "lat"), "42.3601");
    EXPECT_NUMBER(get(geo, "lat"), 0, 0, 0);
    EXPECT_N(get(geo, "lng"), "-71.0589");
    CHECK(get(addr, "lat") == NULL); /* lookups do not descend */

    /* L with one of each type */
    const shardline_attr *list = get(img, "list");
    EXPECT_TYPE_SIZE(list, L, 10);
    EXPECT_S(shardline_attr_at(list, 0), "a");
    EXPECT_N(shardline_attr_at(list, 1), "1");
    CHECK_EQ(shardline_attr_bool(shardline_attr_at(list, 2)), 0);
    EXPECT_TYPE_SIZE(shardline_attr_at(list, 3), NULL, 0);
    const shardline_attr *inner = shardline_attr_at(list, 4);
    EXPECT_TYPE_SIZE(inner, L, 2);
    EXPECT_S(shardline_attr_at(inner, 0), "nested");
    EXPECT_TYPE_SIZE(shardline_attr_at(inner, 1), L, 0);
    CHECK(shardline_attr_at(shardline_attr_at(inner, 1), 0) == NULL);
    EXPECT_TYPE_SIZE(shardline_attr_at(list, 5), M, 1);
    EXPECT_S(get(shardline_attr_at(list, 5), "k"), "v");
    EXPECT_B(shardline_attr_at(list, 6), "\x00\x01*A", 4);
    EXPECT_TYPE_SIZE(shardline_attr_at(list, 7), SS, 1);
    EXPECT_S(shardline_attr_at(shardline_attr_at(list, 7), 0), "x");
    EXPECT_TYPE_SIZE(shardline_attr_at(list, 8), NS, 1);
    EXPECT_N(shardline_attr_at(shardline_attr_at(list, 8), 0), "1");
    EXPECT_TYPE_SIZE(shardline_attr_at(list, 9), BS, 1);
    EXPECT_B(shardline_attr_at(shardline_attr_at(list, 9), 0), "A", 1);
    CHECK(shardline_attr_at(list, 10) == NULL);
    CHECK(shardline_attr_at(list, SIZE_MAX) == NULL);
    for (size_t i = 0; i < 10; i++)
        EXPECT_OTHERS_EMPTY(shardline_attr_at(list, i));

    /* Empty containers */
    EXPECT_TYPE_SIZE(get(img, "ss_empty"), SS, 0);
    EXPECT_TYPE_SIZE(get(img, "ns_empty"), NS, 0);
    EXPECT_TYPE_SIZE(get(img, "bs_empty"), BS, 0);
    EXPECT_TYPE_SIZE(get(img, "l_empty"), L, 0);
    EXPECT_TYPE_SIZE(get(img, "m_empty"), M, 0);
    CHECK(shardline_attr_at(get(img, "ss_empty"), 0) == NULL);
    CHECK(shardline_attr_member_at(get(img, "m_empty"), 0) == NULL);
    CHECK(get(get(img, "m_empty"), "") == NULL);

    /* Sets keep order and duplicates; elements are S, N, B values. */
    const shardline_attr *ss = get(img, "ss");
    EXPECT_TYPE_SIZE(ss, SS, 4);
    EXPECT_S(shardline_attr_at(ss, 0), "red");
    EXPECT_S(shardline_attr_at(ss, 1), "green");
    EXPECT_S(shardline_attr_at(ss, 2), "caf\xC3\xA9");
    EXPECT_S(shardline_attr_at(ss, 3), "red");
    CHECK(shardline_attr_at(ss, 4) == NULL);
    CHECK_ABSENT(shardline_attr_key_at(ss, 0));
    const shardline_attr *ns = get(img, "ns");
    EXPECT_TYPE_SIZE(ns, NS, 5);
    EXPECT_N(shardline_attr_at(ns, 0), "1");
    EXPECT_N(shardline_attr_at(ns, 1), "-2.5");
    EXPECT_N(shardline_attr_at(ns, 2), "1E+10");
    EXPECT_N(shardline_attr_at(ns, 3), "0");
    EXPECT_N(shardline_attr_at(ns, 4), "1E-130");
    EXPECT_NUMBER(shardline_attr_at(ns, 1), 0, 0, 1);
    EXPECT_NUMBER(shardline_attr_at(ns, 2), 1, INT64_C(10000000000), 1);
    EXPECT_NUMBER(shardline_attr_at(ns, 4), 0, 0, 0);
    const shardline_attr *bs = get(img, "bs");
    EXPECT_TYPE_SIZE(bs, BS, 4);
    EXPECT_B(shardline_attr_at(bs, 0), "\x00\x01*A", 4);
    EXPECT_B(shardline_attr_at(bs, 1), "A*\x01\x00", 4);
    EXPECT_B(shardline_attr_at(bs, 2), "\x00\x01*A", 4);
    EXPECT_B(shardline_attr_at(bs, 3), "\xB5\xEB\x2D", 3);

    /* Duplicate names are kept in order; lookups find the last. */
    const shardline_attr *dup = get(img, "dup");
    EXPECT_TYPE_SIZE(dup, M, 2);
    CHECK_VIEW(shardline_attr_key_at(dup, 0), "k");
    CHECK_VIEW(shardline_attr_key_at(dup, 1), "k");
    EXPECT_N(shardline_attr_member_at(dup, 0), "1");
    EXPECT_N(shardline_attr_member_at(dup, 1), "2");
    CHECK(get(dup, "k") == shardline_attr_member_at(dup, 1));

    /* Lookups compare exact bytes and lengths. */
    CHECK(shardline_attr_get(img, "pkx", 2) == get(img, "pk"));
    CHECK(shardline_attr_get(img, "p", 1) == NULL);
    CHECK(get(img, "caf\xC3\xA9") == shardline_attr_member_at(img, NAMES - 1));
    CHECK(get(img, "cafe") == NULL);
    shardline_batch_free(b);
    free(text);
}

static void test_stream_view_types(void)
{
    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("dynamodb/stream-view-types.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 3);
    if (shardline_batch_size(b) != 3) {
        shardline_batch_free(b);
        free(text);
        return;
    }
    const shardline_record *r = shardline_batch_record(b, 0);
    check_stream_record(r, 0, text, "1.1", "b1f2a0c3d4e5f60718293a4b5c6d7e8f", "INSERT", "us-east-1", MUSIC_ARN,
                        __LINE__);
    CHECK_ABSENT(r->dynamodb->user_identity_type); /* null */
    CHECK_ABSENT(r->dynamodb->user_identity_principal_id);
    check_dynamodb_fields(r->dynamodb, "1.635734407123456789E9", 1.635734407123456789E9, "300000000000000499659",
                          "45", 45, "KEYS_ONLY", __LINE__);
    CHECK(r->dynamodb->approximate_creation_date_time == strtod("1.635734407123456789E9", NULL));
    check_music_keys(r->dynamodb->keys);
    CHECK(r->dynamodb->new_image == NULL);
    CHECK(r->dynamodb->old_image == NULL);

    r = shardline_batch_record(b, 1);
    check_stream_record(r, 1, text, "1.1", "c2f3a1d4e5f6071829304a5b6c7d8e9f", "MODIFY", "us-east-1", MUSIC_ARN,
                        __LINE__);
    CHECK_ABSENT(r->dynamodb->user_identity_type); /* absent */
    check_dynamodb_fields(r->dynamodb, NULL, 0, "300000000000000499660", "0", 0, "NEW_IMAGE", __LINE__);
    check_music_keys(r->dynamodb->keys);
    check_music_image(r->dynamodb->new_image);
    CHECK(r->dynamodb->old_image == NULL);

    r = shardline_batch_record(b, 2);
    check_stream_record(r, 2, text, "1.0", "d3a4b2e5f6071829304a5b6c7d8e9fa0", "REMOVE", "us-east-1", MUSIC_ARN,
                        __LINE__);
    check_dynamodb_fields(r->dynamodb, "1635734407", 1635734407.0, "300000000000000499661", "98", 98,
                          "OLD_IMAGE", __LINE__);
    check_music_keys(r->dynamodb->keys);
    CHECK(r->dynamodb->new_image == NULL);
    check_music_image(r->dynamodb->old_image);
    /* Offsets of the three records: after "{\r\n\t\"Records\":\t[\r\n\t\t". */
    CHECK_EQ(shardline_batch_record(b, 0)->offset, 1 + 2 + 1 + 10 + 1 + 1 + 2 + 2);
    shardline_batch_free(b);
    free(text);
}

/* Walk the 32 levels of deep-32.json's "deep" attribute. */
static void check_deep(const shardline_attr *a)
{
    for (int level = 1; level <= 32; level++) {
        if (level % 2) {
            char name[8];
            snprintf(name, sizeof name, "m%d", level);
            EXPECT_TYPE_SIZE(a, M, 1);
            CHECK_VIEW(shardline_attr_key_at(a, 0), name);
            a = shardline_attr_member_at(a, 0);
        } else {
            EXPECT_TYPE_SIZE(a, L, 1);
            a = shardline_attr_at(a, 0);
        }
    }
    EXPECT_S(a, "bottom");
}

/* The path of the leaf under 32 levels: prefix + ".M.m1.L[0].M.m3.L[0]...M.m31.L[0]". */
static void deep_path(char *out, size_t cap, const char *prefix)
{
    size_t n = (size_t)snprintf(out, cap, "%s", prefix);
    for (int level = 1; level < 32; level += 2)
        n += (size_t)snprintf(out + n, cap - n, ".M.m%d.L[0]", level);
}

/* text must fail with code at the given offset, with this path, in arena
 * and in-place mode alike. */
static void expect_batch_error_at(const char *text, size_t len, shardline_status code, size_t offset,
                                  const char *path, const shardline_options *opts, int line)
{
    for (int mode = 0; mode < 2; mode++) {
        guarded g = guarded_alloc(len);
        char *copy = guarded_place(&g, text, len);
        shardline_batch *b = (shardline_batch *)(uintptr_t)1;
        shardline_error err;
        memset(&err, 0, sizeof err);
        shardline_status st = mode ? shardline_batch_parse_in_place(copy, len, opts, &b, &err)
                                   : shardline_batch_parse(copy, len, opts, &b, &err);
        check_total++;
        if (st != code || err.code != code || err.offset != offset || strcmp(err.path, path) != 0 ||
            (code != SHARDLINE_OK && b != NULL))
            CHECK_FAIL_AT(__FILE__, line, "%s mode: got %s at %zu path '%s', expected %s at %zu path '%s'",
                          mode ? "in-place" : "arena", shardline_status_name(st), err.offset, err.path,
                          shardline_status_name(code), offset, path);
        if (st == SHARDLINE_OK)
            shardline_batch_free(b);
        guarded_free(&g);
    }
}

/* The offset of marker (plus delta) in text, or SIZE_MAX with a failure. */
static size_t locate(const char *text, const char *marker, long delta, int line)
{
    const char *at = marker ? strstr(text, marker) : text;
    if (at == NULL) {
        CHECK_FAIL_AT(__FILE__, line, "marker %s not in the text", marker);
        return SIZE_MAX;
    }
    return (size_t)((at - text) + delta);
}

static void test_deep(void)
{
    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("dynamodb/deep-32.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 1);
    const shardline_record *r = shardline_batch_record(b, 0);
    if (r != NULL) {
        check_stream_record(r, 0, text, "1.1", "e4b5c3f6071829304a5b6c7d8e9fa0b1", "INSERT", "us-east-1", DEEP_ARN,
                            __LINE__);
        CHECK_EQ(r->offset, strlen("{\"Records\":["));
        check_dynamodb_fields(r->dynamodb, "1704067200", 1704067200.0, "100000000000000000001", "321", 321,
                              "NEW_IMAGE", __LINE__);
        EXPECT_TYPE_SIZE(r->dynamodb->new_image, M, 3);
        EXPECT_S(get(r->dynamodb->new_image, "id"), "deep");
        check_deep(get(r->dynamodb->new_image, "deep"));
        EXPECT_S(get(r->dynamodb->new_image, "after"), "after");
    }
    shardline_batch_free(b);

    /* The leaf {"S":"bottom"} is at JSON depth 70: event, Records, record,
     * dynamodb, NewImage (5), then two levels per M or L (69), then the leaf. */
    shardline_options opts;
    shardline_options_init(&opts);
    opts.max_depth = 70;
    b = NULL;
    CHECK_EQ(shardline_batch_parse(text, len, &opts, &b, NULL), SHARDLINE_OK);
    shardline_batch_free(b);
    opts.max_depth = 69;
    char path[SHARDLINE_ERROR_PATH_MAX];
    deep_path(path, sizeof path, "Records[0].dynamodb.NewImage.deep");
    size_t leaf = locate(text, "{\"S\":\"bottom\"}", 0, __LINE__);
    expect_batch_error_at(text, len, SHARDLINE_ERR_DEPTH, leaf, path, &opts, __LINE__);
    shardline_error err;
    CHECK_ERROR(shardline_json_validate(text, len, &opts, &err), err, SHARDLINE_ERR_DEPTH, leaf);
    /* One level less: the L bracket of level 32 is the one too deep. */
    opts.max_depth = 68;
    size_t bracket = locate(text, "[{\"S\":\"bottom\"}", 0, __LINE__);
    path[strlen(path) - 3] = '\0'; /* "...M.m31.L" */
    expect_batch_error_at(text, len, SHARDLINE_ERR_DEPTH, bracket, path, &opts, __LINE__);

    /* The same value as an image on its own: image (1), then 64, then the leaf (66). */
    char image[1024];
    size_t n = (size_t)snprintf(image, sizeof image, "{\"deep\":");
    for (int level = 1; level <= 32; level++)
        n += (size_t)snprintf(image + n, sizeof image - n, level % 2 ? "{\"M\":{\"m%d\":" : "{\"L\":[", level);
    n += (size_t)snprintf(image + n, sizeof image - n, "{\"S\":\"bottom\"}");
    for (int level = 32; level >= 1; level--)
        n += (size_t)snprintf(image + n, sizeof image - n, level % 2 ? "}}" : "]}");
    n += (size_t)snprintf(image + n, sizeof image - n, "}");
    shardline_image *im = NULL;
    CHECK_EQ(shardline_image_parse(image, n, NULL, &im, NULL), SHARDLINE_OK);
    check_deep(get(shardline_image_root(im), "deep"));
    shardline_image_free(im);
    opts.max_depth = 66;
    im = NULL;
    CHECK_EQ(shardline_image_parse(image, n, &opts, &im, NULL), SHARDLINE_OK);
    shardline_image_free(im);
    opts.max_depth = 65;
    im = (shardline_image *)(uintptr_t)1;
    shardline_status st = shardline_image_parse(image, n, &opts, &im, &err);
    CHECK_ERROR(st, err, SHARDLINE_ERR_DEPTH, locate(image, "{\"S\":\"bottom\"}", 0, __LINE__));
    deep_path(path, sizeof path, "deep");
    CHECK(strcmp(err.path, path) == 0);
    CHECK(im == NULL);
    free(text);
}

/* The change record of change-record.json (also the payload of the first
 * Kinesis record in mixed-sources.json). */
static void check_change_record(const shardline_batch *b, const char *text)
{
    CHECK_EQ(shardline_batch_size(b), 1);
    const shardline_record *r = shardline_batch_record(b, 0);
    if (r == NULL)
        return;
    CHECK(shardline_batch_record(b, 1) == NULL);
    CHECK_EQ(r->source, SHARDLINE_SOURCE_DYNAMODB);
    CHECK_EQ(r->index, 0);
    CHECK_EQ(r->offset, 0);
    CHECK_EQ(text[r->offset], '{');
    CHECK_VIEW(r->event_source, "aws:dynamodb");
    CHECK_ABSENT(r->event_version);
    CHECK_VIEW(r->event_id, "4b6f6b0f-17b4-4d4a-9ab3-8fb0b7f0a0b1");
    CHECK_VIEW(r->event_name, "INSERT");
    CHECK_ABSENT(r->invoke_identity_arn);
    CHECK_VIEW(r->aws_region, "us-east-1");
    CHECK_ABSENT(r->event_source_arn);
    CHECK_ABSENT(r->dynamodb->user_identity_type);
    CHECK_ABSENT(r->dynamodb->user_identity_principal_id);
    CHECK_VIEW(r->dynamodb->table_name, "Music");
    CHECK_VIEW(r->dynamodb->record_format, "application/json");
    check_dynamodb_fields(r->dynamodb, "1731924555370", 1731924555370.0, NULL, "70", 70, NULL, __LINE__);
    check_music_keys(r->dynamodb->keys);
    check_music_image(r->dynamodb->new_image);
    CHECK(r->dynamodb->old_image == NULL);
}

/* An error nested deeper than the path records (160 segments) ends its
 * path with "..."; a path longer than the error's buffer starts with one. */
static void test_deep_error_path(void)
{
    static char text[4096];
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "{\"a\":{\"M\":");
    size_t number = n + strlen("{\"x\":{\"N\":");
    n += (size_t)snprintf(text + n, sizeof text - n, "{\"x\":{\"N\":\"1e999\"}}");
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "}}");
    shardline_options opts;
    shardline_options_init(&opts);
    opts.max_depth = 1000;
    shardline_image *img = NULL;
    shardline_error err;
    CHECK_ERROR(shardline_image_parse(text, n, &opts, &img, &err), err, SHARDLINE_ERR_ATTR_NUMBER, number);
    size_t len = strlen(err.path);
    CHECK_EQ(len, SHARDLINE_ERROR_PATH_MAX - 1);
    CHECK_MEM(err.path, 4, "...M", 4);
    CHECK(len > 7 && memcmp(err.path + len - 7, ".a.M...", 7) == 0);
}

static void test_change_record(void)
{
    size_t len;
    char *text = read_fixture("dynamodb/change-record.json", &len);
    guarded g = guarded_alloc(len);
    char *copy = guarded_place(&g, text, len);
    shardline_batch *b = NULL;
    shardline_error err;
    CHECK_ERROR(shardline_dynamodb_change_parse(copy, len, NULL, &b, &err), err, SHARDLINE_OK, 0);
    check_change_record(b, copy);
    /* Read only: the input is unchanged. */
    CHECK(memcmp(copy, text, len) == 0);
    shardline_batch_free(b);
    /* A change record is not a stream event, and a stream event is not a change record. */
    b = (shardline_batch *)(uintptr_t)1;
    CHECK_ERROR(shardline_batch_parse(copy, len, NULL, &b, &err), err, SHARDLINE_ERR_MISSING_FIELD, 0);
    CHECK(strcmp(err.path, "Records") == 0);
    CHECK(b == NULL);
    guarded_free(&g);
    free(text);
}

static void test_mixed_sources(void)
{
    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("dynamodb/mixed-sources.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 4);
    if (shardline_batch_size(b) != 4) {
        shardline_batch_free(b);
        free(text);
        return;
    }
    /* 0: Kinesis, carrying the change record. */
    const shardline_record *r = shardline_batch_record(b, 0);
    CHECK_EQ(r->source, SHARDLINE_SOURCE_KINESIS);
    CHECK_EQ(r->index, 0);
    CHECK_VIEW(r->event_source, "aws:kinesis");
    CHECK_VIEW(r->event_name, "aws:kinesis:record");
    CHECK_VIEW(r->event_id, "shardId-000000000006:" K_SEQ0);
    CHECK_VIEW(r->invoke_identity_arn, ROLE);
    CHECK_VIEW(r->event_source_arn, K_ARN);
    CHECK_VIEW(r->kinesis.partition_key, "Music");
    CHECK_VIEW(r->kinesis.sequence_number, K_SEQ0);
    CHECK_VIEW(r->kinesis.approximate_arrival_timestamp_text, "1731924555.5");
    CHECK(r->kinesis.approximate_arrival_timestamp == 1731924555.5);
    CHECK(r->dynamodb == NULL); /* Kinesis records carry no DynamoDB part */
    shardline_batch *c = NULL;
    shardline_error err;
    CHECK_ERROR(shardline_dynamodb_change_parse(r->kinesis.data.ptr, r->kinesis.data.len, NULL, &c, &err), err,
                SHARDLINE_OK, 0);
    check_change_record(c, r->kinesis.data.ptr);
    CHECK_MEM(r->kinesis.data.ptr, 16, "{\"awsRegion\":\"us", 16);
    shardline_batch_free(c);

    /* 1: DynamoDB INSERT, NEW_IMAGE. */
    r = shardline_batch_record(b, 1);
    check_stream_record(r, 1, text, "1.0", "1", "INSERT", "us-west-2", DOCS_ARN, __LINE__);
    check_dynamodb_fields(r->dynamodb, NULL, 0, "111", "26", 26, "NEW_IMAGE", __LINE__);
    check_docs_keys(r->dynamodb->keys);
    check_docs_image(r->dynamodb->new_image, "New item!");
    CHECK(r->dynamodb->old_image == NULL);

    /* 2: Kinesis, "hello". */
    r = shardline_batch_record(b, 2);
    CHECK_EQ(r->source, SHARDLINE_SOURCE_KINESIS);
    CHECK_EQ(r->index, 2);
    CHECK_VIEW(r->kinesis.partition_key, "pk-text");
    CHECK_VIEW(r->kinesis.sequence_number, K_SEQ1);
    CHECK_VIEW(r->kinesis.data, "hello");
    CHECK_EQ(text[r->offset], '{');

    /* 3: DynamoDB REMOVE, OLD_IMAGE. */
    r = shardline_batch_record(b, 3);
    check_stream_record(r, 3, text, "1.0", "3", "REMOVE", "us-west-2", DOCS_ARN, __LINE__);
    check_dynamodb_fields(r->dynamodb, NULL, 0, "333", "38", 38, "OLD_IMAGE", __LINE__);
    check_docs_keys(r->dynamodb->keys);
    CHECK(r->dynamodb->new_image == NULL);
    check_docs_image(r->dynamodb->old_image, "This item has changed");
    shardline_batch_free(b);
    free(text);
}

/* In-place mode gives the same records and values as arena mode, with B and
 * S values inside the caller's buffer. */
static void test_in_place(void)
{
    static const char *const fixtures[] = {
        "dynamodb/aws-docs-sample.json", "dynamodb/all-types.json", "dynamodb/stream-view-types.json",
        "dynamodb/deep-32.json",         "dynamodb/mixed-sources.json",
    };
    for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
        size_t len;
        char *text = read_fixture(fixtures[f], &len);
        guarded g = guarded_alloc(len);
        char *copy = guarded_place(&g, text, len);
        shardline_batch *a = NULL, *p = NULL;
        shardline_error err;
        CHECK_EQ(shardline_batch_parse(text, len, NULL, &a, &err), SHARDLINE_OK);
        CHECK_EQ(shardline_batch_parse_in_place(copy, len, NULL, &p, &err), SHARDLINE_OK);
        CHECK_EQ(shardline_batch_size(a), shardline_batch_size(p));
        CHECK(shardline_batch_size(a) > 0);
        for (size_t i = 0; i < shardline_batch_size(a) && i < shardline_batch_size(p); i++) {
            const shardline_record *x = shardline_batch_record(a, i), *y = shardline_batch_record(p, i);
            check_total++;
            if (!records_equal(x, y))
                CHECK_FAIL_AT(__FILE__, __LINE__, "%s record %zu differs between arena and in-place", fixtures[f],
                              i);
            if (y->dynamodb != NULL) /* Kinesis records in mixed batches have none */
                CHECK(payloads_inside(y->dynamodb->keys, copy, len) &&
                      payloads_inside(y->dynamodb->new_image, copy, len) &&
                      payloads_inside(y->dynamodb->old_image, copy, len));
        }
        shardline_batch_free(a);
        shardline_batch_free(p);
        guarded_free(&g);
        free(text);
    }
}

/* ---- images on their own ---------------------------------------------------------- */

static void test_image_parse(void)
{
    /* The same image written four ways. */
    static const char *const forms[] = {
        "{\"a\":{\"S\":\"x\"},\"b\":{\"L\":[{\"N\":\"1\"},{\"BOOL\":true}]},\"c\":{\"M\":{}}}",
        " \t\r\n{ \"a\" : { \"S\" : \"x\" } , \"b\" : { \"L\" : [ { \"N\" : \"1\" } , { \"BOOL\" : true } ] } ,"
        " \"c\" : { \"M\" : { } } } \n",
        "{\r\n\t\"a\":\t{\"S\":\t\"x\"},\r\n\t\"b\":\t{\"L\":\t[\r\n\t\t{\"N\":\"1\"},\r\n\t\t{\"BOOL\":true}\r\n\t]},"
        "\r\n\t\"c\":\t{\"M\":\t{\r\n\t}}\r\n}\r\n",
        "\xEF\xBB\xBF{\"\\u0061\":{\"S\":\"\\u0078\"},\"b\":{\"L\":[{\"N\":\"1\"},{\"BOOL\":true}]},\"c\":{\"M\":{}}}",
    };
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        size_t len = strlen(forms[f]);
        guarded g = guarded_alloc(len);
        char *copy = guarded_place(&g, forms[f], len);
        shardline_image *im = NULL;
        shardline_error err;
        shardline_status st = shardline_image_parse(copy, len, NULL, &im, &err);
        check_total++;
        if (st != SHARDLINE_OK)
            CHECK_FAIL_AT(__FILE__, __LINE__, "form %zu: %s at %zu (%s)", f, shardline_status_name(st), err.offset,
                          err.path);
        CHECK_EQ(err.code, SHARDLINE_OK);
        const shardline_attr *root = shardline_image_root(im);
        EXPECT_TYPE_SIZE(root, M, 3);
        CHECK_VIEW(shardline_attr_key_at(root, 0), "a");
        CHECK_VIEW(shardline_attr_key_at(root, 1), "b");
        CHECK_VIEW(shardline_attr_key_at(root, 2), "c");
        EXPECT_S(get(root, "a"), "x");
        const shardline_attr *l = get(root, "b");
        EXPECT_TYPE_SIZE(l, L, 2);
        EXPECT_N(shardline_attr_at(l, 0), "1");
        CHECK_EQ(shardline_attr_bool(shardline_attr_at(l, 1)), 1);
        EXPECT_TYPE_SIZE(get(root, "c"), M, 0);
        CHECK(memcmp(copy, forms[f], len) == 0); /* read only */
        shardline_image_free(im);
        guarded_free(&g);
    }

    /* Escapes in S, in names and in a type key ("\u0053" is "S"). */
    static const struct {
        const char *text;
        const char *name;
        const char *value;
    } escapes[] = {
        {"{\"a\":{\"S\":\"\\u00e9\"}}", "a", "\xC3\xA9"},
        {"{\"a\":{\"S\":\"\\ud83d\\ude00\\n\\\"\\\\\\/\"}}", "a", "\xF0\x9F\x98\x80\n\"\\/"},
        {"{\"\\u00e9t\\u00e9\":{\"S\":\"summer\"}}", "\xC3\xA9t\xC3\xA9", "summer"},
        {"{\"a\":{\"\\u0053\":\"x\"}}", "a", "x"},
        {"{\"a\":{\"S\":\"\xE2\x9C\x93\"}}", "a", "\xE2\x9C\x93"},
    };
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        shardline_image *im = NULL;
        shardline_error err;
        shardline_status st = shardline_image_parse(escapes[i].text, strlen(escapes[i].text), NULL, &im, &err);
        check_total++;
        if (st != SHARDLINE_OK)
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s: %s at %zu (%s)", escapes[i].text, shardline_status_name(st),
                          err.offset, err.path);
        const shardline_attr *root = shardline_image_root(im);
        EXPECT_TYPE_SIZE(root, M, 1);
        CHECK_VIEW(shardline_attr_key_at(root, 0), escapes[i].name);
        expect_view_attr(get(root, escapes[i].name), SHARDLINE_ATTR_S, escapes[i].value, strlen(escapes[i].value),
                         __LINE__);
        shardline_image_free(im);
    }

    /* Empty image; duplicate names at the top; the root's accessors. */
    shardline_image *im = NULL;
    CHECK_EQ(shardline_image_parse("{}", 2, NULL, &im, NULL), SHARDLINE_OK);
    EXPECT_TYPE_SIZE(shardline_image_root(im), M, 0);
    EXPECT_OTHERS_EMPTY(shardline_image_root(im));
    shardline_image_free(im);
    static const char dup[] = "{\"a\":{\"N\":\"1\"},\"b\":{\"NULL\":true},\"a\":{\"N\":\"2\"}}";
    im = NULL;
    CHECK_EQ(shardline_image_parse(dup, sizeof dup - 1, NULL, &im, NULL), SHARDLINE_OK);
    const shardline_attr *root = shardline_image_root(im);
    EXPECT_TYPE_SIZE(root, M, 3);
    EXPECT_N(shardline_attr_member_at(root, 0), "1");
    EXPECT_N(get(root, "a"), "2");
    CHECK(get(root, "a") == shardline_attr_member_at(root, 2));
    shardline_image_free(im);

    /* NULLs and arguments. */
    CHECK(shardline_image_root(NULL) == NULL);
    shardline_image_free(NULL);
    CHECK_EQ(shardline_attr_get_type(NULL), SHARDLINE_ATTR_NONE);
    CHECK_ABSENT(shardline_attr_string(NULL));
    CHECK_ABSENT(shardline_attr_number_text(NULL));
    CHECK_ABSENT(shardline_attr_binary(NULL));
    CHECK_ABSENT(shardline_attr_key_at(NULL, 0));
    CHECK_EQ(shardline_attr_bool(NULL), -1);
    CHECK_EQ(shardline_attr_size(NULL), 0);
    CHECK(shardline_attr_at(NULL, 0) == NULL);
    CHECK(shardline_attr_member_at(NULL, 0) == NULL);
    CHECK(shardline_attr_get(NULL, "a", 1) == NULL);
    int64_t i64 = 5;
    double dbl = 5;
    CHECK_EQ(shardline_attr_number_int64(NULL, &i64), 0);
    CHECK_EQ(shardline_attr_number_double(NULL, &dbl), -1);
    CHECK(i64 == 5 && dbl == 5);
    shardline_error err;
    CHECK_ERROR(shardline_image_parse("{}", 2, NULL, NULL, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    im = (shardline_image *)(uintptr_t)1;
    CHECK_ERROR(shardline_image_parse(NULL, 2, NULL, &im, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK(im == NULL);
    CHECK_ERROR(shardline_image_parse(NULL, 0, NULL, &im, &err), err, SHARDLINE_ERR_EMPTY, 0);
    CHECK_ERROR(shardline_image_parse(" \n", 2, NULL, &im, &err), err, SHARDLINE_ERR_EMPTY, 2);
    CHECK_ERROR(shardline_image_parse("[]", 2, NULL, &im, &err), err, SHARDLINE_ERR_FIELD_TYPE, 0);
    CHECK(strcmp(err.path, "") == 0);
    CHECK_ERROR(shardline_image_parse(" \"a\"", 4, NULL, &im, &err), err, SHARDLINE_ERR_FIELD_TYPE, 1);
    CHECK_ERROR(shardline_image_parse("{} x", 4, NULL, &im, &err), err, SHARDLINE_ERR_TRAILING, 3);
    CHECK_ERROR(shardline_image_parse("{\"a\":{\"S\":\"x\"}", 14, NULL, &im, &err), err, SHARDLINE_ERR_TRUNCATED,
                14);
    CHECK(im == NULL);
    CHECK_ERROR(shardline_dynamodb_change_parse("{}", 2, NULL, NULL, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    shardline_batch *b = (shardline_batch *)(uintptr_t)1;
    CHECK_ERROR(shardline_dynamodb_change_parse(NULL, 0, NULL, &b, &err), err, SHARDLINE_ERR_EMPTY, 0);
    CHECK(b == NULL);
    CHECK_ERROR(shardline_dynamodb_change_parse("[]", 2, NULL, &b, &err), err, SHARDLINE_ERR_FIELD_TYPE, 0);
}

/* ---- errors ----------------------------------------------------------------------- */

#define D_PRE "\"eventID\":\"1\",\"eventName\":\"INSERT\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\"," \
              "\"awsRegion\":\"us-east-1\""
#define D_ARN "\"eventSourceARN\":\"" DOCS_ARN "\""
#define D_KEYS "\"Keys\":{\"Id\":{\"N\":\"101\"}}"
#define D_SEQ "\"SequenceNumber\":\"111\""
#define D_SIZE "\"SizeBytes\":26"
#define D_VIEW "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\""
#define D_TAIL D_SEQ "," D_SIZE "," D_VIEW
#define DDB(members) "\"dynamodb\":{" members "}"
#define DDB_OK DDB(D_KEYS "," D_TAIL)
#define D_RECORD(ddb) "{" D_PRE "," ddb "," D_ARN "}"
#define D_RECORD_OK D_RECORD(DDB_OK)
#define EVENT(records) "{\"Records\":[" records "]}"

#define K_KINESIS_VALUE "{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"pk\",\"sequenceNumber\":\"" \
                        K_SEQ0 "\",\"data\":\"SGVsbG8=\",\"approximateArrivalTimestamp\":1545084650.987}"
#define K_KINESIS "\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"pk\",\"sequenceNumber\":\"" \
                  K_SEQ0 "\",\"data\":\"SGVsbG8=\",\"approximateArrivalTimestamp\":1545084650.987}"
#define K_TOP "\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\",\"eventID\":\"shardId-000000000006:1\"," \
              "\"eventName\":\"aws:kinesis:record\",\"invokeIdentityArn\":\"" ROLE "\",\"awsRegion\":\"us-east-2\"," \
              "\"eventSourceARN\":\"" K_ARN "\""
#define K_RECORD_OK "{" K_KINESIS "," K_TOP "}"

#define C_PRE "\"awsRegion\":\"us-east-1\",\"eventID\":\"e1\",\"eventName\":\"INSERT\",\"userIdentity\":null," \
              "\"recordFormat\":\"application/json\",\"tableName\":\"Music\""
#define C_SOURCE "\"eventSource\":\"aws:dynamodb\""
#define C_DDB "\"dynamodb\":{\"ApproximateCreationDateTime\":1731924555370," D_KEYS ",\"SizeBytes\":70}"

static void expect_batch_error(const char *text, shardline_status code, const char *marker, long delta,
                               const char *path, const shardline_options *opts, int line)
{
    size_t offset = locate(text, marker, delta, line);
    if (offset != SIZE_MAX)
        expect_batch_error_at(text, strlen(text), code, offset, path, opts, line);
}
#define EXPECT(text, code, marker, delta, path) \
    expect_batch_error((text), (code), (marker), (delta), (path), NULL, __LINE__)

static void expect_change_error(const char *text, shardline_status code, const char *marker, long delta,
                                const char *path, int line)
{
    size_t offset = locate(text, marker, delta, line);
    if (offset == SIZE_MAX)
        return;
    size_t len = strlen(text);
    guarded g = guarded_alloc(len);
    char *copy = guarded_place(&g, text, len);
    shardline_batch *b = (shardline_batch *)(uintptr_t)1;
    shardline_error err;
    memset(&err, 0, sizeof err);
    shardline_status st = shardline_dynamodb_change_parse(copy, len, NULL, &b, &err);
    check_total++;
    if (st != code || err.code != code || err.offset != offset || strcmp(err.path, path) != 0 ||
        (code != SHARDLINE_OK && b != NULL))
        CHECK_FAIL_AT(__FILE__, line, "change record: got %s at %zu path '%s', expected %s at %zu path '%s'",
                      shardline_status_name(st), err.offset, err.path, shardline_status_name(code), offset, path);
    if (st == SHARDLINE_OK)
        shardline_batch_free(b);
    guarded_free(&g);
}
#define EXPECT_CHANGE(text, code, marker, delta, path) \
    expect_change_error((text), (code), (marker), (delta), (path), __LINE__)

/* A malformed image: through shardline_image_parse (path from the attribute),
 * as Records[0]'s NewImage, as Records[1]'s OldImage after a good record, and
 * as a change record's NewImage. marker/delta locate the error in the image. */
static void expect_image_error(const char *image, shardline_status code, const char *marker, long delta,
                               const char *path, int line)
{
    size_t at = locate(image, marker, delta, line);
    if (at == SIZE_MAX)
        return;
    size_t ilen = strlen(image);
    guarded g = guarded_alloc(ilen);
    char *copy = guarded_place(&g, image, ilen);
    shardline_image *im = (shardline_image *)(uintptr_t)1;
    shardline_error err;
    memset(&err, 0, sizeof err);
    shardline_status st = shardline_image_parse(copy, ilen, NULL, &im, &err);
    check_total++;
    if (st != code || err.code != code || err.offset != at || strcmp(err.path, path) != 0 ||
        (code != SHARDLINE_OK && im != NULL))
        CHECK_FAIL_AT(__FILE__, line, "image %s: got %s at %zu path '%s', expected %s at %zu path '%s'", image,
                      shardline_status_name(st), err.offset, err.path, shardline_status_name(code), at, path);
    if (st == SHARDLINE_OK)
        shardline_image_free(im);
    guarded_free(&g);

    char text[4096], full[SHARDLINE_ERROR_PATH_MAX + 64];
    static const char *const pre[] = {
        "{\"Records\":[{" D_PRE ",\"dynamodb\":{" D_KEYS ",\"NewImage\":",
        "{\"Records\":[" D_RECORD_OK ",{" D_PRE ",\"dynamodb\":{" D_KEYS ",\"OldImage\":",
    };
    static const char *const prefix[] = {"Records[0].dynamodb.NewImage", "Records[1].dynamodb.OldImage"};
    for (int k = 0; k < 2; k++) {
        int n = snprintf(text, sizeof text, "%s%s," D_TAIL "}," D_ARN "}]}", pre[k], image);
        snprintf(full, sizeof full, "%s%s%s", prefix[k], path[0] == '[' ? "" : ".", path);
        if (code == SHARDLINE_OK)
            full[0] = '\0';
        expect_batch_error_at(text, (size_t)n, code, code == SHARDLINE_OK ? 0 : strlen(pre[k]) + at, full, NULL,
                              line);
    }
    static const char change_pre[] = "{" C_PRE ",\"dynamodb\":{" D_KEYS ",\"NewImage\":";
    snprintf(text, sizeof text, "%s%s},\"eventSource\":\"aws:dynamodb\"}", change_pre, image);
    snprintf(full, sizeof full, "dynamodb.NewImage.%s", path);
    if (code == SHARDLINE_OK)
        full[0] = '\0';
    size_t len = strlen(text);
    guarded g2 = guarded_alloc(len);
    copy = guarded_place(&g2, text, len);
    shardline_batch *b = (shardline_batch *)(uintptr_t)1;
    memset(&err, 0, sizeof err);
    st = shardline_dynamodb_change_parse(copy, len, NULL, &b, &err);
    size_t exp_off = code == SHARDLINE_OK ? 0 : strlen(change_pre) + at;
    check_total++;
    if (st != code || err.code != code || err.offset != exp_off || strcmp(err.path, full) != 0 ||
        (code != SHARDLINE_OK && b != NULL))
        CHECK_FAIL_AT(__FILE__, line, "change record with image %s: got %s at %zu path '%s', expected %s at %zu path '%s'",
                      image, shardline_status_name(st), err.offset, err.path, shardline_status_name(code), exp_off,
                      full);
    if (st == SHARDLINE_OK)
        shardline_batch_free(b);
    guarded_free(&g2);
}
#define EXPECT_IMAGE(image, code, marker, delta, path) \
    expect_image_error((image), (code), (marker), (delta), (path), __LINE__)

static void test_attribute_errors(void)
{
    /* Not exactly one type key. */
    EXPECT_IMAGE("{\"a\":{}}", SHARDLINE_ERR_ATTR_TYPE, "{}", 0, "a");
    EXPECT_IMAGE("{\"a\":{ }}", SHARDLINE_ERR_ATTR_TYPE, "{ }", 0, "a");
    EXPECT_IMAGE("{\"a\":{\"X\":1}}", SHARDLINE_ERR_ATTR_TYPE, "\"X\"", 0, "a.X");
    EXPECT_IMAGE("{\"a\":{\"s\":\"x\"}}", SHARDLINE_ERR_ATTR_TYPE, "\"s\"", 0, "a.s");
    EXPECT_IMAGE("{\"a\":{\"SSS\":[]}}", SHARDLINE_ERR_ATTR_TYPE, "\"SSS\"", 0, "a.SSS");
    EXPECT_IMAGE("{\"a\":{\"\":1}}", SHARDLINE_ERR_ATTR_TYPE, "\"\"", 0, "a.");
    EXPECT_IMAGE("{\"a\":{\"S\":\"x\",\"N\":\"1\"}}", SHARDLINE_ERR_ATTR_TYPE, "\"N\"", 0, "a.N");
    EXPECT_IMAGE("{\"a\":{\"S\":\"x\",\"X\":1}}", SHARDLINE_ERR_ATTR_TYPE, "\"X\"", 0, "a.X");
    EXPECT_IMAGE("{\"a\":{\"S\":\"x\",\"S\":\"y\"}}", SHARDLINE_ERR_ATTR_TYPE, ",\"S\"", 1, "a.S");
    EXPECT_IMAGE("{\"a\":{\"NULL\":true,\"BOOL\":true}}", SHARDLINE_ERR_ATTR_TYPE, "\"BOOL\"", 0, "a.BOOL");
    /* Left to right: a bad first value before the second key. */
    EXPECT_IMAGE("{\"a\":{\"S\":5,\"N\":\"1\"}}", SHARDLINE_ERR_FIELD_TYPE, "5", 0, "a.S");
    EXPECT_IMAGE("{\"a\":{\"X\":1,\"S\":\"x\"}}", SHARDLINE_ERR_ATTR_TYPE, "\"X\"", 0, "a.X");

    /* The AttributeValue itself not an object. */
    EXPECT_IMAGE("{\"a\":\"x\"}", SHARDLINE_ERR_FIELD_TYPE, "\"x\"", 0, "a");
    EXPECT_IMAGE("{\"a\":[]}", SHARDLINE_ERR_FIELD_TYPE, "[]", 0, "a");
    EXPECT_IMAGE("{\"a\":null}", SHARDLINE_ERR_FIELD_TYPE, "null", 0, "a");
    EXPECT_IMAGE("{\"a\":1}", SHARDLINE_ERR_FIELD_TYPE, "1", 0, "a");
    EXPECT_IMAGE("{\"b\":{\"S\":\"x\"},\"a\":true}", SHARDLINE_ERR_FIELD_TYPE, "true", 0, "a");

    /* Wrong JSON type under every type key. */
    EXPECT_IMAGE("{\"a\":{\"S\":5}}", SHARDLINE_ERR_FIELD_TYPE, "5", 0, "a.S");
    EXPECT_IMAGE("{\"a\":{\"S\":null}}", SHARDLINE_ERR_FIELD_TYPE, "null", 0, "a.S");
    EXPECT_IMAGE("{\"a\":{\"N\":5}}", SHARDLINE_ERR_FIELD_TYPE, "5", 0, "a.N");
    EXPECT_IMAGE("{\"a\":{\"N\":[\"1\"]}}", SHARDLINE_ERR_FIELD_TYPE, "[", 0, "a.N");
    EXPECT_IMAGE("{\"a\":{\"B\":5}}", SHARDLINE_ERR_FIELD_TYPE, "5", 0, "a.B");
    EXPECT_IMAGE("{\"a\":{\"BOOL\":\"true\"}}", SHARDLINE_ERR_FIELD_TYPE, "\"true\"", 0, "a.BOOL");
    EXPECT_IMAGE("{\"a\":{\"BOOL\":1}}", SHARDLINE_ERR_FIELD_TYPE, "1", 0, "a.BOOL");
    EXPECT_IMAGE("{\"a\":{\"BOOL\":null}}", SHARDLINE_ERR_FIELD_TYPE, "null", 0, "a.BOOL");
    EXPECT_IMAGE("{\"a\":{\"NULL\":\"x\"}}", SHARDLINE_ERR_FIELD_TYPE, "\"x\"", 0, "a.NULL");
    EXPECT_IMAGE("{\"a\":{\"NULL\":null}}", SHARDLINE_ERR_FIELD_TYPE, "null", 0, "a.NULL");
    EXPECT_IMAGE("{\"a\":{\"M\":[]}}", SHARDLINE_ERR_FIELD_TYPE, "[]", 0, "a.M");
    EXPECT_IMAGE("{\"a\":{\"M\":null}}", SHARDLINE_ERR_FIELD_TYPE, "null", 0, "a.M");
    EXPECT_IMAGE("{\"a\":{\"L\":{}}}", SHARDLINE_ERR_FIELD_TYPE, "{}", 0, "a.L");
    EXPECT_IMAGE("{\"a\":{\"L\":\"x\"}}", SHARDLINE_ERR_FIELD_TYPE, "\"x\"", 0, "a.L");
    EXPECT_IMAGE("{\"a\":{\"SS\":\"x\"}}", SHARDLINE_ERR_FIELD_TYPE, "\"x\"", 0, "a.SS");
    EXPECT_IMAGE("{\"a\":{\"SS\":{}}}", SHARDLINE_ERR_FIELD_TYPE, "{}", 0, "a.SS");
    EXPECT_IMAGE("{\"a\":{\"NS\":\"1\"}}", SHARDLINE_ERR_FIELD_TYPE, "\"1\"", 0, "a.NS");
    EXPECT_IMAGE("{\"a\":{\"BS\":\"QQ==\"}}", SHARDLINE_ERR_FIELD_TYPE, "\"QQ==\"", 0, "a.BS");
    /* Set and list elements. */
    EXPECT_IMAGE("{\"a\":{\"SS\":[1]}}", SHARDLINE_ERR_FIELD_TYPE, "1", 0, "a.SS[0]");
    EXPECT_IMAGE("{\"a\":{\"SS\":[\"x\",{}]}}", SHARDLINE_ERR_FIELD_TYPE, "{}", 0, "a.SS[1]");
    EXPECT_IMAGE("{\"a\":{\"NS\":[1]}}", SHARDLINE_ERR_FIELD_TYPE, "1", 0, "a.NS[0]");
    EXPECT_IMAGE("{\"a\":{\"BS\":[\"QQ==\",null]}}", SHARDLINE_ERR_FIELD_TYPE, "null", 0, "a.BS[1]");
    EXPECT_IMAGE("{\"a\":{\"L\":[1]}}", SHARDLINE_ERR_FIELD_TYPE, "1", 0, "a.L[0]");
    EXPECT_IMAGE("{\"a\":{\"L\":[{\"S\":\"x\"},\"y\"]}}", SHARDLINE_ERR_FIELD_TYPE, "\"y\"", 0, "a.L[1]");
    EXPECT_IMAGE("{\"a\":{\"L\":[{\"S\":\"x\"},{}]}}", SHARDLINE_ERR_ATTR_TYPE, "{}", 0, "a.L[1]");
    EXPECT_IMAGE("{\"a\":{\"L\":[{\"X\":0}]}}", SHARDLINE_ERR_ATTR_TYPE, "\"X\"", 0, "a.L[0].X");
    EXPECT_IMAGE("{\"a\":{\"L\":[{\"L\":[{\"S\":\"x\"},{\"S\":1}]}]}}", SHARDLINE_ERR_FIELD_TYPE, "1}", 0,
                 "a.L[0].L[1].S");
    /* Map members. */
    EXPECT_IMAGE("{\"a\":{\"M\":{\"b\":\"x\"}}}", SHARDLINE_ERR_FIELD_TYPE, "\"x\"", 0, "a.M.b");
    EXPECT_IMAGE("{\"a\":{\"M\":{\"b\":{}}}}", SHARDLINE_ERR_ATTR_TYPE, "{}", 0, "a.M.b");
    EXPECT_IMAGE("{\"address\":{\"M\":{\"street\":{\"S\":\"1 Main\"},\"zip\":{\"N\":\"x\"}}}}",
                 SHARDLINE_ERR_ATTR_NUMBER, "\"x\"", 0, "address.M.zip.N");
    EXPECT_IMAGE("{\"a\":{\"M\":{\"b\":{\"L\":[{\"M\":{\"c\":{\"SS\":[\"x\",2]}}}]}}}}", SHARDLINE_ERR_FIELD_TYPE,
                 "2]", 0, "a.M.b.L[0].M.c.SS[1]");
    /* Paths name the attribute where the error is, not the first one. */
    EXPECT_IMAGE("{\"list\":{\"L\":[{\"S\":\"a\"},{\"N\":\"1\"},{\"S\":true}]}}", SHARDLINE_ERR_FIELD_TYPE, "true",
                 0, "list.L[2].S");
    EXPECT_IMAGE("{\"tags\":{\"SS\":[\"a\",5]}}", SHARDLINE_ERR_FIELD_TYPE, "5", 0, "tags.SS[1]");

    /* Escaped names appear in paths as written (as unknown members' names do in
     * Kinesis records), in arena and in-place mode alike. */
    EXPECT_IMAGE("{\"caf\\u00e9\":{\"S\":5}}", SHARDLINE_ERR_FIELD_TYPE, "5", 0, "caf\\u00e9.S");
    EXPECT_IMAGE("{\"caf\\u00e9\":{}}", SHARDLINE_ERR_ATTR_TYPE, "{}", 0, "caf\\u00e9");
    EXPECT_IMAGE("{\"a\":{\"M\":{\"k\\u0065y\":{\"N\":\"x\"}}}}", SHARDLINE_ERR_ATTR_NUMBER, "\"x\"", 0,
                 "a.M.k\\u0065y.N");

    /* NULL must be true. */
    EXPECT_IMAGE("{\"a\":{\"NULL\":false}}", SHARDLINE_ERR_FIELD_VALUE, "false", 0, "a.NULL");
    EXPECT_IMAGE("{\"a\":{\"L\":[{\"NULL\":true},{\"NULL\":false}]}}", SHARDLINE_ERR_FIELD_VALUE, "false", 0,
                 "a.L[1].NULL");

    /* B and BS: strict base64 at the exact byte. */
    EXPECT_IMAGE("{\"a\":{\"B\":\"SGVsbG8!\"}}", SHARDLINE_ERR_BASE64_CHAR, "!", 0, "a.B");
    EXPECT_IMAGE("{\"a\":{\"B\":\"SGVs bG8=\"}}", SHARDLINE_ERR_BASE64_CHAR, " bG8", 0, "a.B");
    EXPECT_IMAGE("{\"a\":{\"B\":\"SGVs-G8=\"}}", SHARDLINE_ERR_BASE64_CHAR, "-", 0, "a.B");
    EXPECT_IMAGE("{\"a\":{\"B\":\"SGVsb\"}}", SHARDLINE_ERR_BASE64_PADDING, "SGVsb", 4, "a.B");
    EXPECT_IMAGE("{\"a\":{\"B\":\"AB=C\"}}", SHARDLINE_ERR_BASE64_PADDING, "=C", 0, "a.B");
    EXPECT_IMAGE("{\"a\":{\"B\":\"QR==\"}}", SHARDLINE_ERR_BASE64_TRAILING_BITS, "QR==", 1, "a.B");
    EXPECT_IMAGE("{\"a\":{\"B\":\"\\/\\/\\/!\"}}", SHARDLINE_ERR_BASE64_CHAR, "\\/\\/", 0, "a.B");
    EXPECT_IMAGE("{\"a\":{\"BS\":[\"QQ==\",\"QR==\"]}}", SHARDLINE_ERR_BASE64_TRAILING_BITS, "QR==", 1, "a.BS[1]");
    EXPECT_IMAGE("{\"a\":{\"BS\":[\"Q\"]}}", SHARDLINE_ERR_BASE64_PADDING, "Q\"", 0, "a.BS[0]");
    EXPECT_IMAGE("{\"a\":{\"BS\":[\"QQ==\",\"QQ=\"]}}", SHARDLINE_ERR_BASE64_PADDING, "QQ=\"", 0, "a.BS[1]");
    EXPECT_IMAGE("{\"a\":{\"L\":[{\"B\":\"QQ=\"}]}}", SHARDLINE_ERR_BASE64_PADDING, "QQ=\"", 0, "a.L[0].B");

    /* Good values pass the same way (no error anywhere). */
    EXPECT_IMAGE("{\"a\":{\"B\":\"test\"},\"b\":{\"BS\":[]},\"c\":{\"NULL\":true}}", SHARDLINE_OK, NULL, 0, "");

    /* JSON errors inside an image carry the attribute's path. */
    EXPECT_IMAGE("{\"a\":{\"S\":\"x\xC3\x28\"}}", SHARDLINE_ERR_UTF8, "\xC3", 0, "a.S");
    EXPECT_IMAGE("{\"a\":{\"S\":\"\\ud800\"}}", SHARDLINE_ERR_ESCAPE, "\\ud800", 0, "a.S");
    EXPECT_IMAGE("{\"a\":{\"L\":[{\"S\":\"x\"},]}}", SHARDLINE_ERR_SYNTAX, ",]", 1, "a.L");
}

static void test_number_rules(void)
{
    static const char *const good[] = {
        "0", "-0", "007", "-0.0", "1e5", "1E+5", "1E-5", "1.5E5", "1E-130", "1e-130", "-1E-130", "1E-0130",
        "1E+0125", "0.1E-129", "100E-132", "9.9999999999999999999999999999999999999E+125",
        "-9.9999999999999999999999999999999999999E+125", "99999999999999999999999999999999999999E+88",
        "9.99999999999999999999999999999999999990E+125", "1234567890123456789012345678901234567800",
        "1.00000000000000000000000000000000000000000", "0.0000000000000000000000000000000000000000000000001",
        "12345678901234567890123456789012345678E-167", "-12345678901234567890123456789012345678",
        "0.12345678901234567890123456789012345678", "00000000000000000000000000000000000000000000000000",
        "0E+999", "0.000E-999", "0E+99999999999999999999", "-0E-99999999999999999999",
    };
    static const char *const bad[] = {
        "abc", "", "+1", "1.", ".5", "1e", " 1", "1 ", "1e+", "1E-", "--1", "-", "-.5", "1.5.5", "0x10", "Infinity",
        "-Infinity", "NaN", "1,5", "1E5.5", "1e5e5", "\xD9\xA1", "1_000",
        "123456789012345678901234567890123456789", "-123456789012345678901234567890123456789",
        "1.23456789012345678901234567890123456789", "0.000123456789012345678901234567890123456789",
        "10000000000000000000000000000000000000001", "1E-131", "-1E-131", "1E+126", "-1E+126", "10E+125",
        "1.0E+126", "0.01E-129", "99999999999999999999999999999999999999E+89",
        "9.9999999999999999999999999999999999999E-131", "0.99999999999999999999999999999999999999E-130",
        "12345678901234567890123456789012345678E-168", "1E+99999999999999999999", "1E-99999999999999999999",
        "1E+18446744073709551616", "1E-18446744073709551746",
    };
    /* The same rule through the public check the bindings use. */
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK_EQ(shardline_dynamodb_number_valid(good[i], strlen(good[i])), 1);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(shardline_dynamodb_number_valid(bad[i], strlen(bad[i])), 0);
    CHECK_EQ(shardline_dynamodb_number_valid(NULL, 0), 0);
    CHECK_EQ(shardline_dynamodb_number_valid("12", 1), 1); /* only len bytes count */
    CHECK_EQ(shardline_dynamodb_number_valid("1e", 1), 1);
    CHECK_EQ(shardline_dynamodb_number_valid("1.", 2), 0);

    char image[600], path[64];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(image, sizeof image, "{\"a\":{\"N\":\"%s\"},\"s\":{\"NS\":[\"1\",\"%s\"]}}", good[i], good[i]);
        shardline_image *im = NULL;
        shardline_error err;
        shardline_status st = shardline_image_parse(image, strlen(image), NULL, &im, &err);
        check_total++;
        if (st != SHARDLINE_OK)
            CHECK_FAIL_AT(__FILE__, __LINE__, "N \"%s\" refused: %s at %zu (%s)", good[i], shardline_status_name(st),
                          err.offset, err.path);
        const shardline_attr *root = shardline_image_root(im);
        expect_view_attr(get(root, "a"), SHARDLINE_ATTR_N, good[i], strlen(good[i]), __LINE__);
        expect_view_attr(shardline_attr_at(get(root, "s"), 1), SHARDLINE_ATTR_N, good[i], strlen(good[i]), __LINE__);
        shardline_image_free(im);
    }
    /* 1E-130 written out in full: 129 zeros after the point, then 1. */
    char tiny[160] = "0.";
    memset(tiny + 2, '0', 129);
    tiny[131] = '1';
    tiny[132] = '\0';
    snprintf(image, sizeof image, "{\"a\":{\"N\":\"%s\"}}", tiny);
    shardline_image *im = NULL;
    CHECK_EQ(shardline_image_parse(image, strlen(image), NULL, &im, NULL), SHARDLINE_OK);
    expect_view_attr(get(shardline_image_root(im), "a"), SHARDLINE_ATTR_N, tiny, 132, __LINE__);
    shardline_image_free(im);
    /* One zero more is 1E-131. */
    memmove(tiny + 3, tiny + 2, 131);
    snprintf(image, sizeof image, "{\"a\":{\"N\":\"%s\"}}", tiny);
    EXPECT_IMAGE(image, SHARDLINE_ERR_ATTR_NUMBER, "\"0.", 0, "a.N");

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(image, sizeof image, "{\"a\":{\"N\":\"%s\"}}", bad[i]);
        expect_image_error(image, SHARDLINE_ERR_ATTR_NUMBER, "\"N\":", 4, "a.N", __LINE__);
        snprintf(image, sizeof image, "{\"a\":{\"NS\":[\"1\",\"2\",\"%s\"]}}", bad[i]);
        expect_image_error(image, SHARDLINE_ERR_ATTR_NUMBER, "\"2\",", 4, "a.NS[2]", __LINE__);
        snprintf(image, sizeof image, "{\"x\":{\"L\":[{\"M\":{\"n\":{\"N\":\"%s\"}}}]}}", bad[i]);
        snprintf(path, sizeof path, "x.L[0].M.n.N");
        expect_image_error(image, SHARDLINE_ERR_ATTR_NUMBER, "\"N\":", 4, path, __LINE__);
    }
}

/* One N text as an image member and as a set element, with enough text
 * after it that the parser's 16-byte quick check of short numbers applies:
 * accepted exactly when the full rules (the public check) accept it. */
static void expect_number_verdict(const char *text, size_t len)
{
    char image[160];
    int valid = shardline_dynamodb_number_valid(text, len);
    int n = snprintf(image, sizeof image, "{\"a\":{\"N\":\"%.*s\"},\"pad\":{\"S\":\"0123456789abcdef\"}}", (int)len,
                     text);
    shardline_image *im = NULL;
    shardline_status st = shardline_image_parse(image, (size_t)n, NULL, &im, NULL);
    shardline_image_free(im);
    im = NULL;
    check_total++;
    if (st != (valid ? SHARDLINE_OK : SHARDLINE_ERR_ATTR_NUMBER))
        CHECK_FAIL_AT(__FILE__, __LINE__, "N \"%.*s\": %s, the rules say %s", (int)len, text, shardline_status_name(st),
                      valid ? "valid" : "invalid");
    n = snprintf(image, sizeof image, "{\"s\":{\"NS\":[\"%.*s\",\"12345678901234567\"]}}", (int)len, text);
    st = shardline_image_parse(image, (size_t)n, NULL, &im, NULL);
    shardline_image_free(im);
    check_total++;
    if (st != (valid ? SHARDLINE_OK : SHARDLINE_ERR_ATTR_NUMBER))
        CHECK_FAIL_AT(__FILE__, __LINE__, "NS element \"%.*s\": %s, the rules say %s", (int)len, text,
                      shardline_status_name(st), valid ? "valid" : "invalid");
}

static void test_short_number_check(void)
{
    /* Every text of up to 6 characters over the characters numbers are made
     * of (exponents of up to three digits among them), then random ones of
     * up to 18 (past the 16-byte window). */
    static const char alphabet[] = "01.-+eE9";
    char text[24];
    for (size_t len = 1; len <= 6; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++)
            total *= sizeof alphabet - 1;
        for (size_t code = 0; code < total; code++) {
            size_t c = code;
            for (size_t i = 0; i < len; i++, c /= sizeof alphabet - 1)
                text[i] = alphabet[c % (sizeof alphabet - 1)];
            expect_number_verdict(text, len);
        }
    }
    /* Mantissas, exponent letters, signs and exponents put together, short
     * enough for the quick check and longer. */
    static const char *const mantissas[] = {"0", "7", "-7", "0.5", "-12.25", "99999999999", "0.000000001",
                                            "1.", ".5", "-", ""};
    static const char *const letters[] = {"e", "E", "ee"};
    static const char *const signs[] = {"", "+", "-", "+-"};
    static const char *const exponents[] = {"", "0", "9", "99", "130", "999", "1000"};
    for (size_t m = 0; m < sizeof mantissas / sizeof mantissas[0]; m++)
        for (size_t l = 0; l < sizeof letters / sizeof letters[0]; l++)
            for (size_t g = 0; g < sizeof signs / sizeof signs[0]; g++)
                for (size_t e = 0; e < sizeof exponents / sizeof exponents[0]; e++) {
                    int n = snprintf(text, sizeof text, "%s%s%s%s", mantissas[m], letters[l], signs[g], exponents[e]);
                    expect_number_verdict(text, (size_t)n);
                }
    static const char wide[] = "0123456789.-eE+ x/:";
    uint64_t state = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 100000; round++) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        uint64_t r = state * 0x2545F4914F6CDD1Du;
        size_t len = 1 + (size_t)(r >> 59) % 18;
        for (size_t i = 0; i < len; i++) {
            r = r * 6364136223846793005u + 1442695040888963407u;
            /* Mostly digits, so that long valid numbers come up too. */
            unsigned pick = (unsigned)(r >> 58);
            text[i] = pick < 40 ? (char)('0' + pick % 10) : wide[pick % (sizeof wide - 1)];
        }
        expect_number_verdict(text, len);
    }
}

/* DynamoDB's number rules, written the long way as a reference: the
 * grammar, then the significant digits copied out of the text with the
 * point dropped, and the power of ten of the first of them. */
static bool reference_number_valid(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && s[i] == '-')
        i++;
    char sig[200];
    size_t n = 0, int_digits = 0;
    bool digits = false;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (n < sizeof sig)
            sig[n++] = s[i];
        int_digits++;
        digits = true;
        i++;
    }
    if (!digits)
        return false;
    if (i < len && s[i] == '.') {
        i++;
        size_t before = n;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (n < sizeof sig)
                sig[n++] = s[i];
            i++;
        }
        if (n == before)
            return false;
    }
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int sign = 1;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            sign = s[i++] == '-' ? -1 : 1;
        size_t e = i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (exp < 1000000)
                exp = exp * 10 + (s[i] - '0');
            i++;
        }
        if (i == e)
            return false;
        exp *= sign;
    }
    if (i != len)
        return false;
    size_t first = 0, last = n;
    while (first < n && sig[first] == '0')
        first++;
    if (first == n)
        return true; /* zero */
    while (sig[last - 1] == '0')
        last--;
    long lead = (long)int_digits - 1 - (long)first + exp;
    return last - first <= 38 && lead >= -130 && lead <= 125;
}

/* The public check against the reference on random numbers around the
 * limits: long digit runs (read a word at a time), zeros at either end,
 * points and exponents, and a stray byte now and then. */
static void test_number_rules_reference(void)
{
    uint64_t r = 0x2545F4914F6CDD1Du;
    char text[128];
    for (int n = 0; n < 200000; n++) {
        size_t len = 0;
#define NEXT() (r = r * 6364136223846793005u + 1442695040888963407u, (unsigned)(r >> 33))
        if (NEXT() % 2)
            text[len++] = '-';
        size_t zeros = NEXT() % 4 == 0 ? NEXT() % 20 : 0, a = NEXT() % 45;
        for (size_t i = 0; i < zeros; i++)
            text[len++] = '0';
        for (size_t i = 0; i < a; i++)
            text[len++] = (char)('0' + NEXT() % 10);
        if (NEXT() % 2) {
            text[len++] = '.';
            size_t b = NEXT() % 45, tail = NEXT() % 4 == 0 ? NEXT() % 20 : 0;
            for (size_t i = 0; i < b; i++)
                text[len++] = (char)('0' + NEXT() % 10);
            for (size_t i = 0; i < tail; i++)
                text[len++] = '0';
        }
        if (NEXT() % 2) {
            text[len++] = NEXT() % 2 ? 'e' : 'E';
            if (NEXT() % 2)
                text[len++] = NEXT() % 2 ? '+' : '-';
            size_t c = NEXT() % 4;
            for (size_t i = 0; i < c; i++)
                text[len++] = (char)('0' + NEXT() % 10);
        }
        if (len > 0 && NEXT() % 16 == 0) {
            size_t at = NEXT() % len;
            text[at] = "x. e-+/:"[NEXT() % 8];
        }
#undef NEXT
        check_total++;
        if (shardline_dynamodb_number_valid(text, len) != (int)reference_number_valid(text, len))
            CHECK_FAIL_AT(__FILE__, __LINE__, "N \"%.*s\": the check says %d, the reference %d", (int)len, text,
                          shardline_dynamodb_number_valid(text, len), (int)reference_number_valid(text, len));
    }
}

static void test_depth_limits(void)
{
    /* image (1), a (2), L (3), L[0] (4), L (5), L[0].L[0] (6). */
    static const char image[] = "{\"a\":{\"L\":[{\"L\":[{\"S\":\"x\"}]}]}}";
    shardline_options opts;
    shardline_options_init(&opts);
    shardline_image *im = NULL;
    shardline_error err;
    opts.max_depth = 6;
    CHECK_EQ(shardline_image_parse(image, sizeof image - 1, &opts, &im, &err), SHARDLINE_OK);
    shardline_image_free(im);
    opts.max_depth = 5;
    CHECK_ERROR(shardline_image_parse(image, sizeof image - 1, &opts, &im, &err), err, SHARDLINE_ERR_DEPTH,
                strstr(image, "{\"S\"") - image);
    CHECK(strcmp(err.path, "a.L[0].L[0]") == 0);
    opts.max_depth = 4;
    CHECK_ERROR(shardline_image_parse(image, sizeof image - 1, &opts, &im, &err), err, SHARDLINE_ERR_DEPTH,
                strstr(image, "[{\"S\"") - image);
    CHECK(strcmp(err.path, "a.L[0].L") == 0);
    opts.max_depth = 1;
    CHECK_ERROR(shardline_image_parse(image, sizeof image - 1, &opts, &im, &err), err, SHARDLINE_ERR_DEPTH, 5);
    CHECK(strcmp(err.path, "a") == 0);
    CHECK(im == NULL);

    /* In an event an image is at depth 5 (event, Records, record, dynamodb, NewImage):
     * a (6), M (7), b (8). */
    static const char ev[] = EVENT("{" D_PRE ",\"dynamodb\":{" D_KEYS ",\"NewImage\":{\"a\":{\"M\":{\"b\":{\"S\":\"x\"}}}},"
                                   D_TAIL "}," D_ARN "}");
    opts.max_depth = 8;
    shardline_batch *b = NULL;
    CHECK_EQ(shardline_batch_parse(ev, sizeof ev - 1, &opts, &b, NULL), SHARDLINE_OK);
    shardline_batch_free(b);
    opts.max_depth = 7;
    expect_batch_error(ev, SHARDLINE_ERR_DEPTH, "{\"S\"", 0, "Records[0].dynamodb.NewImage.a.M.b", &opts, __LINE__);
    opts.max_depth = 6;
    expect_batch_error(ev, SHARDLINE_ERR_DEPTH, "{\"b\"", 0, "Records[0].dynamodb.NewImage.a.M", &opts, __LINE__);
    /* Keys at depth 5 too: {"Id":{"N":..}} needs 6. */
    opts.max_depth = 5;
    expect_batch_error(ev, SHARDLINE_ERR_DEPTH, "{\"N\"", 0, "Records[0].dynamodb.Keys.Id", &opts, __LINE__);
}

static void test_record_errors(void)
{
    /* A good record in both orders, and the smallest good dynamodb object. */
    static const char good[] = EVENT(D_RECORD_OK);
    shardline_batch *b = NULL;
    CHECK_EQ(shardline_batch_parse(good, sizeof good - 1, NULL, &b, NULL), SHARDLINE_OK);
    CHECK_EQ(shardline_batch_size(b), 1);
    if (shardline_batch_size(b) == 1) {
        const shardline_record *r = shardline_batch_record(b, 0);
        CHECK(r->dynamodb->new_image == NULL && r->dynamodb->old_image == NULL);
        check_docs_keys(r->dynamodb->keys);
    }
    shardline_batch_free(b);
    static const char keyless[] = EVENT(D_RECORD(DDB(D_TAIL)));
    b = NULL;
    CHECK_EQ(shardline_batch_parse(keyless, sizeof keyless - 1, NULL, &b, NULL), SHARDLINE_OK);
    if (shardline_batch_size(b) == 1)
        CHECK(shardline_batch_record(b, 0)->dynamodb->keys == NULL);
    shardline_batch_free(b);

    /* eventSource decides; eventName must be INSERT, MODIFY or REMOVE. */
    EXPECT(EVENT("{\"eventName\":\"INSERT\"}"), SHARDLINE_ERR_MISSING_FIELD, "{\"e", 0, "Records[0].eventSource");
    EXPECT(EVENT("{" DDB_OK "}"), SHARDLINE_ERR_MISSING_FIELD, "{\"d", 0, "Records[0].eventSource");
    EXPECT(EVENT("{\"eventSource\":\"aws:dynamodb\"}"), SHARDLINE_ERR_MISSING_FIELD, "{", 12, "Records[0].eventVersion");
    EXPECT(EVENT("{\"eventSource\":\"aws:dynamodb\"," DDB_OK ",\"eventName\":\"INSERT\",\"eventVersion\":\"1.1\"}"),
           SHARDLINE_ERR_MISSING_FIELD, "{\"eventS", 0, "Records[0].eventID");
    EXPECT(EVENT("{\"eventSource\":\"aws:dynamodb\",\"eventVersion\":\"1.1\",\"eventID\":\"1\",\"awsRegion\":\"r\"}"),
           SHARDLINE_ERR_MISSING_FIELD, "{\"eventS", 0, "Records[0].eventName");
    EXPECT(EVENT("{" DDB_OK ",\"eventSource\":\"aws:dynamodb\",\"eventVersion\":\"1.1\",\"eventID\":\"1\","
                 "\"eventName\":\"MODIFY\"," D_ARN "}"),
           SHARDLINE_ERR_MISSING_FIELD, "{\"dynamodb", 0, "Records[0].awsRegion");
    EXPECT(EVENT("{" D_PRE "," DDB_OK "}"), SHARDLINE_ERR_MISSING_FIELD, "{\"eventID", 0, "Records[0].eventSourceARN");
    EXPECT(EVENT("{" D_PRE "," D_ARN "}"), SHARDLINE_ERR_MISSING_FIELD, "{\"eventID", 0, "Records[0].dynamodb");
    EXPECT(EVENT(D_RECORD_OK "," D_RECORD_OK ",{" D_PRE "," D_ARN "}"), SHARDLINE_ERR_MISSING_FIELD,
           "},{\"eventID\":\"1\",\"eventName\":\"INSERT\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
           "\"awsRegion\":\"us-east-1\",\"eventSourceARN\"",
           2, "Records[2].dynamodb");
    EXPECT(EVENT("{" D_PRE ",\"dynamodb\":[]," D_ARN "}"), SHARDLINE_ERR_FIELD_TYPE, "[]", 0, "Records[0].dynamodb");
    EXPECT(EVENT("{" D_PRE ",\"dynamodb\":null," D_ARN "}"), SHARDLINE_ERR_FIELD_TYPE, "null", 0,
           "Records[0].dynamodb");
    EXPECT(EVENT("{\"eventID\":\"1\",\"eventName\":\"insert\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
                 "\"awsRegion\":\"r\"," DDB_OK "," D_ARN "}"),
           SHARDLINE_ERR_FIELD_VALUE, "\"insert", 0, "Records[0].eventName");
    EXPECT(EVENT("{\"eventID\":\"1\",\"eventName\":\"aws:kinesis:record\",\"eventVersion\":\"1.1\","
                 "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"r\"," DDB_OK "," D_ARN "}"),
           SHARDLINE_ERR_FIELD_VALUE, "\"aws:kinesis:record", 0, "Records[0].eventName");
    EXPECT(EVENT("{" DDB_OK ",\"eventID\":\"1\",\"eventName\":\"DELETE\",\"eventVersion\":\"1.1\","
                 "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"r\"," D_ARN "}"),
           SHARDLINE_ERR_FIELD_VALUE, "\"DELETE", 0, "Records[0].eventName");
    EXPECT(EVENT("{\"eventID\":\"1\",\"eventName\":5,\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
                 "\"awsRegion\":\"r\"," DDB_OK "," D_ARN "}"),
           SHARDLINE_ERR_FIELD_TYPE, "5,", 0, "Records[0].eventName");
    EXPECT(EVENT("{" D_PRE ",\"eventID\":\"2\"," DDB_OK "," D_ARN "}"), SHARDLINE_ERR_DUPLICATE_FIELD,
           "\"eventID\":\"2", 0, "Records[0].eventID");
    EXPECT(EVENT("{" D_PRE "," DDB_OK "," D_ARN ",\"dynamodb\":{}}"), SHARDLINE_ERR_DUPLICATE_FIELD, "\"dynamodb\":{}",
           0, "Records[0].dynamodb");
    EXPECT(EVENT("{\"eventSource\":\"aws:dynamodb \"}"), SHARDLINE_ERR_FIELD_VALUE, "\"aws:dynamodb ", 0,
           "Records[0].eventSource");
    EXPECT(EVENT("{" D_PRE "," DDB_OK "," D_ARN ",\"extra\":[1,]}"), SHARDLINE_ERR_SYNTAX, ",]", 1,
           "Records[0].extra");

    /* A "kinesis" member on a DynamoDB record, a "dynamodb" member on a Kinesis one. */
    EXPECT(EVENT("{" D_PRE "," DDB_OK ",\"kinesis\":{}," D_ARN "}"), SHARDLINE_ERR_FIELD_VALUE, "{}", 0,
           "Records[0].kinesis");
    EXPECT(EVENT("{" D_PRE ",\"kinesis\":null," DDB_OK "," D_ARN "}"), SHARDLINE_ERR_FIELD_VALUE, "null", 0,
           "Records[0].kinesis");
    EXPECT(EVENT("{" D_PRE ",\"kinesis\":" K_KINESIS_VALUE "," DDB_OK "," D_ARN "}"), SHARDLINE_ERR_FIELD_VALUE,
           "\"kinesis\":{", 10, "Records[0].kinesis");
    /* With the foreign member ahead of eventSource its kind is not yet
     * known, so it is read as what its name says and the first problem
     * left to right is reported: inside it if it is malformed, else the
     * foreign member once the record is read. */
    EXPECT(EVENT("{\"kinesis\":null," D_PRE "," DDB_OK "," D_ARN "}"), SHARDLINE_ERR_FIELD_TYPE, "null", 0,
           "Records[0].kinesis");
    EXPECT(EVENT("{\"kinesis\":{}," D_PRE "," DDB_OK "," D_ARN "}"), SHARDLINE_ERR_MISSING_FIELD, "{}", 0,
           "Records[0].kinesis.kinesisSchemaVersion");
    EXPECT(EVENT("{" K_KINESIS "," K_TOP ",\"dynamodb\":{}}"), SHARDLINE_ERR_FIELD_VALUE, "{}}", 0,
           "Records[0].dynamodb");
    EXPECT(EVENT("{" DDB_OK "," K_KINESIS "," K_TOP "}"), SHARDLINE_ERR_FIELD_VALUE, "{\"Keys", 0,
           "Records[0].dynamodb");
    EXPECT(EVENT("{" K_KINESIS "," K_TOP ",\"dynamodb\":[]}"), SHARDLINE_ERR_FIELD_VALUE, "[]", 0,
           "Records[0].dynamodb");
    EXPECT(EVENT("{" K_KINESIS "," K_TOP "," DDB_OK "}"), SHARDLINE_ERR_FIELD_VALUE, "{\"Keys", 0,
           "Records[0].dynamodb");
    EXPECT(EVENT(K_RECORD_OK ",{" K_KINESIS "," D_PRE "," DDB_OK "," D_ARN "}"), SHARDLINE_ERR_FIELD_VALUE,
           "{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"pk\",\"sequenceNumber\":\"" K_SEQ0
           "\",\"data\":\"SGVsbG8=\",\"approximateArrivalTimestamp\":1545084650.987},\"eventID",
           0, "Records[1].kinesis");

    /* userIdentity: absent, null, or an object with string type and principalId. */
    static const char with_identity[] = EVENT("{" D_PRE ",\"userIdentity\":{\"principalId\":\"p\",\"type\":\"Service\","
                                              "\"extra\":[]}," DDB_OK "," D_ARN "}");
    b = NULL;
    CHECK_EQ(shardline_batch_parse(with_identity, sizeof with_identity - 1, NULL, &b, NULL), SHARDLINE_OK);
    if (shardline_batch_size(b) == 1) {
        CHECK_VIEW(shardline_batch_record(b, 0)->dynamodb->user_identity_type, "Service");
        CHECK_VIEW(shardline_batch_record(b, 0)->dynamodb->user_identity_principal_id, "p");
    }
    shardline_batch_free(b);
    EXPECT(EVENT("{" D_PRE ",\"userIdentity\":\"x\"," DDB_OK "," D_ARN "}"), SHARDLINE_ERR_FIELD_TYPE, "\"x\"", 0,
           "Records[0].userIdentity");
    EXPECT(EVENT("{" D_PRE ",\"userIdentity\":[]," DDB_OK "," D_ARN "}"), SHARDLINE_ERR_FIELD_TYPE, "[]", 0,
           "Records[0].userIdentity");
    EXPECT(EVENT("{" D_PRE ",\"userIdentity\":{\"type\":\"Service\"}," DDB_OK "," D_ARN "}"),
           SHARDLINE_ERR_MISSING_FIELD, "{\"type", 0, "Records[0].userIdentity.principalId");
    EXPECT(EVENT("{" D_PRE ",\"userIdentity\":{\"principalId\":\"p\"}," DDB_OK "," D_ARN "}"),
           SHARDLINE_ERR_MISSING_FIELD, "{\"principalId", 0, "Records[0].userIdentity.type");
    EXPECT(EVENT("{" D_PRE ",\"userIdentity\":{\"type\":1,\"principalId\":\"p\"}," DDB_OK "," D_ARN "}"),
           SHARDLINE_ERR_FIELD_TYPE, "1,", 0, "Records[0].userIdentity.type");
    EXPECT(EVENT("{" D_PRE ",\"userIdentity\":{\"type\":\"Service\",\"principalId\":null}," DDB_OK "," D_ARN "}"),
           SHARDLINE_ERR_FIELD_TYPE, "null}", 0, "Records[0].userIdentity.principalId");
}

static void test_dynamodb_object_errors(void)
{
#define REC(members) EVENT(D_RECORD(DDB(members)))
    /* Missing members, in order: SequenceNumber, SizeBytes, StreamViewType. */
    EXPECT(REC(D_KEYS), SHARDLINE_ERR_MISSING_FIELD, "{\"Keys", 0, "Records[0].dynamodb.SequenceNumber");
    EXPECT(REC(D_VIEW "," D_KEYS), SHARDLINE_ERR_MISSING_FIELD, "{\"Stream", 0, "Records[0].dynamodb.SequenceNumber");
    EXPECT(REC(D_VIEW "," D_SEQ), SHARDLINE_ERR_MISSING_FIELD, "{\"Stream", 0, "Records[0].dynamodb.SizeBytes");
    EXPECT(REC(D_SIZE "," D_SEQ), SHARDLINE_ERR_MISSING_FIELD, "{\"Size", 0, "Records[0].dynamodb.StreamViewType");
    EXPECT(EVENT(D_RECORD("\"dynamodb\":{}")), SHARDLINE_ERR_MISSING_FIELD, "{}", 0,
           "Records[0].dynamodb.SequenceNumber");

    /* SequenceNumber */
    EXPECT(REC(D_KEYS ",\"SequenceNumber\":\"12a\"," D_SIZE "," D_VIEW), SHARDLINE_ERR_FIELD_VALUE, "\"12a", 0,
           "Records[0].dynamodb.SequenceNumber");
    EXPECT(REC(D_KEYS ",\"SequenceNumber\":\"\"," D_SIZE "," D_VIEW), SHARDLINE_ERR_FIELD_VALUE, "\"\",", 0,
           "Records[0].dynamodb.SequenceNumber");
    EXPECT(REC(D_KEYS ",\"SequenceNumber\":\"-1\"," D_SIZE "," D_VIEW), SHARDLINE_ERR_FIELD_VALUE, "\"-1", 0,
           "Records[0].dynamodb.SequenceNumber");
    EXPECT(REC(D_KEYS ",\"SequenceNumber\":111," D_SIZE "," D_VIEW), SHARDLINE_ERR_FIELD_TYPE, "111,", 0,
           "Records[0].dynamodb.SequenceNumber");
    /* SizeBytes */
    EXPECT(REC(D_KEYS "," D_SEQ ",\"SizeBytes\":1.5," D_VIEW), SHARDLINE_ERR_FIELD_VALUE, "1.5", 0,
           "Records[0].dynamodb.SizeBytes");
    EXPECT(REC(D_KEYS "," D_SEQ ",\"SizeBytes\":-1," D_VIEW), SHARDLINE_ERR_FIELD_VALUE, ":-1", 1,
           "Records[0].dynamodb.SizeBytes");
    EXPECT(REC(D_KEYS "," D_SEQ ",\"SizeBytes\":\"26\"," D_VIEW), SHARDLINE_ERR_FIELD_TYPE, "\"26\"", 0,
           "Records[0].dynamodb.SizeBytes");
    EXPECT(REC(D_KEYS "," D_SEQ ",\"SizeBytes\":null," D_VIEW), SHARDLINE_ERR_FIELD_TYPE, "null", 0,
           "Records[0].dynamodb.SizeBytes");
    EXPECT(REC(D_KEYS "," D_SEQ ",\"SizeBytes\":01," D_VIEW), SHARDLINE_ERR_NUMBER, ":01", 1,
           "Records[0].dynamodb.SizeBytes");
    /* StreamViewType */
    EXPECT(REC(D_KEYS "," D_SEQ "," D_SIZE ",\"StreamViewType\":\"NEW\""), SHARDLINE_ERR_FIELD_VALUE, "\"NEW\"", 0,
           "Records[0].dynamodb.StreamViewType");
    EXPECT(REC(D_KEYS "," D_SEQ "," D_SIZE ",\"StreamViewType\":\"keys_only\""), SHARDLINE_ERR_FIELD_VALUE,
           "\"keys_only", 0, "Records[0].dynamodb.StreamViewType");
    EXPECT(REC(D_KEYS "," D_SEQ "," D_SIZE ",\"StreamViewType\":\"NEW_AND_OLD_IMAGES \""), SHARDLINE_ERR_FIELD_VALUE,
           "\"NEW_AND_OLD_IMAGES \"", 0, "Records[0].dynamodb.StreamViewType");
    EXPECT(REC(D_KEYS "," D_SEQ "," D_SIZE ",\"StreamViewType\":5"), SHARDLINE_ERR_FIELD_TYPE, "5}", 0,
           "Records[0].dynamodb.StreamViewType");
    /* ApproximateCreationDateTime */
    EXPECT(REC("\"ApproximateCreationDateTime\":\"1\"," D_KEYS "," D_TAIL), SHARDLINE_ERR_FIELD_TYPE, "Time\":\"1", 6,
           "Records[0].dynamodb.ApproximateCreationDateTime");
    EXPECT(REC("\"ApproximateCreationDateTime\":null," D_KEYS "," D_TAIL), SHARDLINE_ERR_FIELD_TYPE, "null", 0,
           "Records[0].dynamodb.ApproximateCreationDateTime");
    EXPECT(REC("\"ApproximateCreationDateTime\":1.," D_KEYS "," D_TAIL), SHARDLINE_ERR_NUMBER, "1.,", 0,
           "Records[0].dynamodb.ApproximateCreationDateTime");
    /* Images must be objects. */
    EXPECT(REC("\"Keys\":[]," D_TAIL), SHARDLINE_ERR_FIELD_TYPE, "[]", 0, "Records[0].dynamodb.Keys");
    EXPECT(REC(D_KEYS ",\"NewImage\":null," D_TAIL), SHARDLINE_ERR_FIELD_TYPE, "null", 0,
           "Records[0].dynamodb.NewImage");
    EXPECT(REC(D_KEYS ",\"OldImage\":\"x\"," D_TAIL), SHARDLINE_ERR_FIELD_TYPE, "\"x\"", 0,
           "Records[0].dynamodb.OldImage");
    EXPECT(REC(D_KEYS ",\"NewImage\":{\"Id\":{\"N\":\"101\"}}," D_TAIL ",\"NewImage\":{}"),
           SHARDLINE_ERR_DUPLICATE_FIELD, "\"NewImage\":{}", 0, "Records[0].dynamodb.NewImage");
    /* Unknown members are validated and skipped. */
    EXPECT(REC(D_KEYS "," D_TAIL ",\"Extra\":[1,]"), SHARDLINE_ERR_SYNTAX, ",]", 1, "Records[0].dynamodb.Extra");
    static const char unknown[] = REC("\"Extra\":{\"S\":5,\"X\":[]}," D_KEYS "," D_TAIL);
    shardline_batch *b = NULL;
    CHECK_EQ(shardline_batch_parse(unknown, sizeof unknown - 1, NULL, &b, NULL), SHARDLINE_OK);
    shardline_batch_free(b);
    /* An error in the image comes before a missing member (left to right). */
    EXPECT(REC(D_KEYS ",\"NewImage\":{\"a\":{}}"), SHARDLINE_ERR_ATTR_TYPE, "{}", 0, "Records[0].dynamodb.NewImage.a");
#undef REC
}

static void test_change_record_errors(void)
{
    static const char ok[] = "{" C_PRE "," C_DDB "," C_SOURCE "}";
    EXPECT_CHANGE(ok, SHARDLINE_OK, NULL, 0, "");
    /* The stream-only members are optional here, but checked when present. */
    static const char full[] = "{" C_PRE ",\"dynamodb\":{" D_KEYS "," D_TAIL "}," C_SOURCE ",\"extra\":{}}";
    shardline_batch *b = NULL;
    CHECK_EQ(shardline_dynamodb_change_parse(full, sizeof full - 1, NULL, &b, NULL), SHARDLINE_OK);
    if (shardline_batch_size(b) == 1) {
        const shardline_record *r = shardline_batch_record(b, 0);
        check_dynamodb_fields(r->dynamodb, NULL, 0, "111", "26", 26, "NEW_AND_OLD_IMAGES", __LINE__);
        CHECK_VIEW(r->event_id, "e1");
        CHECK_VIEW(r->dynamodb->table_name, "Music");
    }
    shardline_batch_free(b);
    static const char identity[] = "{\"awsRegion\":\"us-east-1\",\"eventID\":\"e1\",\"eventName\":\"REMOVE\","
                                   "\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"},"
                                   "\"recordFormat\":\"application/json\",\"tableName\":\"Music\"," C_DDB "," C_SOURCE "}";
    b = NULL;
    CHECK_EQ(shardline_dynamodb_change_parse(identity, sizeof identity - 1, NULL, &b, NULL), SHARDLINE_OK);
    if (shardline_batch_size(b) == 1) {
        CHECK_VIEW(shardline_batch_record(b, 0)->dynamodb->user_identity_type, "Service");
        CHECK_VIEW(shardline_batch_record(b, 0)->dynamodb->user_identity_principal_id, "dynamodb.amazonaws.com");
        CHECK_VIEW(shardline_batch_record(b, 0)->event_name, "REMOVE");
    }
    shardline_batch_free(b);

    /* Each required member missing on its own. */
    EXPECT_CHANGE("{\"eventID\":\"e1\",\"eventName\":\"INSERT\",\"recordFormat\":\"application/json\","
                  "\"tableName\":\"Music\"," C_DDB "," C_SOURCE "}",
                  SHARDLINE_ERR_MISSING_FIELD, NULL, 0, "awsRegion");
    EXPECT_CHANGE("{\"awsRegion\":\"r\",\"eventName\":\"INSERT\",\"recordFormat\":\"application/json\","
                  "\"tableName\":\"Music\"," C_DDB "," C_SOURCE "}",
                  SHARDLINE_ERR_MISSING_FIELD, NULL, 0, "eventID");
    EXPECT_CHANGE("{\"awsRegion\":\"r\",\"eventID\":\"e1\",\"recordFormat\":\"application/json\","
                  "\"tableName\":\"Music\"," C_DDB "," C_SOURCE "}",
                  SHARDLINE_ERR_MISSING_FIELD, NULL, 0, "eventName");
    EXPECT_CHANGE("{\"awsRegion\":\"r\",\"eventID\":\"e1\",\"eventName\":\"INSERT\",\"tableName\":\"Music\"," C_DDB
                  "," C_SOURCE "}",
                  SHARDLINE_ERR_MISSING_FIELD, NULL, 0, "recordFormat");
    EXPECT_CHANGE("{\"awsRegion\":\"r\",\"eventID\":\"e1\",\"eventName\":\"INSERT\","
                  "\"recordFormat\":\"application/json\"," C_DDB "," C_SOURCE "}",
                  SHARDLINE_ERR_MISSING_FIELD, NULL, 0, "tableName");
    EXPECT_CHANGE("{" C_PRE "," C_SOURCE "}", SHARDLINE_ERR_MISSING_FIELD, NULL, 0, "dynamodb");
    EXPECT_CHANGE("{" C_PRE "," C_DDB "}", SHARDLINE_ERR_MISSING_FIELD, NULL, 0, "eventSource");
    EXPECT_CHANGE(" {" C_PRE "," C_DDB "}", SHARDLINE_ERR_MISSING_FIELD, "{", 0, "eventSource");
    /* Values. */
    EXPECT_CHANGE("{" C_PRE "," C_DDB ",\"eventSource\":\"aws:kinesis\"}", SHARDLINE_ERR_FIELD_VALUE, "\"aws:kinesis",
                  0, "eventSource");
    EXPECT_CHANGE("{" C_PRE "," C_DDB ",\"eventSource\":1}", SHARDLINE_ERR_FIELD_TYPE, "1}", 0, "eventSource");
    EXPECT_CHANGE("{\"awsRegion\":\"r\",\"eventID\":\"e1\",\"eventName\":\"UPSERT\",\"recordFormat\":\"application/json\","
                  "\"tableName\":\"Music\"," C_DDB "," C_SOURCE "}",
                  SHARDLINE_ERR_FIELD_VALUE, "\"UPSERT", 0, "eventName");
    EXPECT_CHANGE("{" C_PRE ",\"tableName\":\"again\"," C_DDB "," C_SOURCE "}", SHARDLINE_ERR_DUPLICATE_FIELD,
                  "\"tableName\":\"again", 0, "tableName");
    EXPECT_CHANGE("{" C_PRE ",\"dynamodb\":[]," C_SOURCE "}", SHARDLINE_ERR_FIELD_TYPE, "[]", 0, "dynamodb");
    EXPECT_CHANGE("{" C_PRE ",\"dynamodb\":{" D_KEYS ",\"SizeBytes\":1.5}," C_SOURCE "}", SHARDLINE_ERR_FIELD_VALUE,
                  "1.5", 0, "dynamodb.SizeBytes");
    EXPECT_CHANGE("{" C_PRE ",\"dynamodb\":{" D_KEYS ",\"SequenceNumber\":\"x\"}," C_SOURCE "}",
                  SHARDLINE_ERR_FIELD_VALUE, "\"x\"", 0, "dynamodb.SequenceNumber");
    EXPECT_CHANGE("{" C_PRE ",\"dynamodb\":{" D_KEYS ",\"StreamViewType\":\"ALL\"}," C_SOURCE "}",
                  SHARDLINE_ERR_FIELD_VALUE, "\"ALL\"", 0, "dynamodb.StreamViewType");
    EXPECT_CHANGE("{" C_PRE ",\"dynamodb\":{\"NewImage\":{\"id\":{\"N\":\"1e\"}}}," C_SOURCE "}",
                  SHARDLINE_ERR_ATTR_NUMBER, "\"1e\"", 0, "dynamodb.NewImage.id.N");
    EXPECT_CHANGE("{" C_PRE "," C_DDB "," C_SOURCE "} x", SHARDLINE_ERR_TRAILING, "} x", 2, "");
}

/* ---- allocation ------------------------------------------------------------------- */

/* A status no function returns: an output pointer left set on failure. */
#define BAD_OUTPUT ((shardline_status)999)

/* kind 0: batch, 1: batch in place, 2: image, 3: change record. */
static shardline_status parse_kind(int kind, const char *text, size_t len, const shardline_options *opts)
{
    shardline_status st;
    char *copy = malloc(len);
    memcpy(copy, text, len);
    if (kind == 2) {
        shardline_image *im = (shardline_image *)(uintptr_t)1;
        st = shardline_image_parse(copy, len, opts, &im, NULL);
        if (st != SHARDLINE_OK && im != NULL)
            st = BAD_OUTPUT;
        shardline_image_free(st == SHARDLINE_OK ? im : NULL);
    } else {
        shardline_batch *b = (shardline_batch *)(uintptr_t)1;
        st = kind == 0   ? shardline_batch_parse(copy, len, opts, &b, NULL)
             : kind == 1 ? shardline_batch_parse_in_place(copy, len, opts, &b, NULL)
                         : shardline_dynamodb_change_parse(copy, len, opts, &b, NULL);
        if (st != SHARDLINE_OK && b != NULL)
            st = BAD_OUTPUT;
        shardline_batch_free(st == SHARDLINE_OK ? b : NULL);
    }
    free(copy);
    return st;
}

static void test_allocator(void)
{
    static const char image[] = "{\"a\":{\"L\":[{\"S\":\"caf\\u00e9\"},{\"B\":\"dGVzdA==\"},{\"M\":{\"x\":{\"NS\":[\"1\"]}}}]}}";
    static const char bad_image[] = "{\"a\":{\"L\":[{\"S\":\"caf\\u00e9\"},{\"B\":\"dGVzdA==\"},{\"N\":\"x\"}]}}";
    size_t len, clen;
    char *text = read_fixture("dynamodb/all-types.json", &len);
    char *change = read_fixture("dynamodb/change-record.json", &clen);
    counting_allocator c = COUNTING_ALLOCATOR_INIT;
    shardline_allocator hooks = {counting_alloc, counting_free, &c};
    shardline_options opts;
    shardline_options_init(&opts);
    opts.allocator = &hooks;
    const struct {
        int kind;
        const char *text;
        size_t len;
        shardline_status status;
    } cases[] = {
        {0, text, len, SHARDLINE_OK},
        {1, text, len, SHARDLINE_OK},
        {2, image, sizeof image - 1, SHARDLINE_OK},
        {2, bad_image, sizeof bad_image - 1, SHARDLINE_ERR_ATTR_NUMBER},
        {3, change, clen, SHARDLINE_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c.calls = 0;
        c.fail_at = SIZE_MAX;
        CHECK_EQ(parse_kind(cases[i].kind, cases[i].text, cases[i].len, &opts), cases[i].status);
        CHECK_EQ(c.live_blocks, 0);
        CHECK(!c.bad_free);
        size_t calls = c.calls;
        CHECK(calls > 0);
        /* Fail each allocation in turn: a clean NOMEM, nothing left. */
        for (size_t n = 0; n < calls; n++) {
            c.calls = 0;
            c.fail_at = n;
            CHECK_EQ(parse_kind(cases[i].kind, cases[i].text, cases[i].len, &opts), SHARDLINE_ERR_NOMEM);
            CHECK_EQ(c.live_blocks, 0);
        }
    }
    free(text);
    free(change);
}

int main(void)
{
    test_aws_docs_sample();
    test_all_types();
    test_stream_view_types();
    test_deep();
    test_deep_error_path();
    test_change_record();
    test_mixed_sources();
    test_in_place();
    test_image_parse();
    test_attribute_errors();
    test_number_rules();
    test_short_number_check();
    test_number_rules_reference();
    test_depth_limits();
    test_record_errors();
    test_dynamodb_object_errors();
    test_change_record_errors();
    test_allocator();
    return check_done("test_dynamodb");
}
