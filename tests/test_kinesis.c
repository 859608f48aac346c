/* test_kinesis.c - Kinesis batches: golden values of every fixture, in-place mode, schema errors with paths. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "compare.h"
#include "testutil.h"

#define SEQ0 "49590338271490256608559692538361571095921575989136588898"
#define SEQ1 "49590338271490256608559692540925702759324208523137515618"
#define SEQ2 "49545115243490985018280067714973144582180062593244200961"
#define SEQ3 "49545115243490985018280067714973144582180062593244200962"
#define SEQ4 "4954511524349098501828006771497314458218006259324420"
#define ROLE "arn:aws:iam::123456789012:role/lambda-role"
#define ARN "arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"

/* The fields every fixture record shares. */
static void check_common(const shardline_record *r, const char *seq, const char *text)
{
    CHECK_EQ(r->source, SHARDLINE_SOURCE_KINESIS);
    CHECK_VIEW(r->event_source, "aws:kinesis");
    CHECK_VIEW(r->event_version, "1.0");
    CHECK_VIEW(r->event_name, "aws:kinesis:record");
    CHECK_VIEW(r->invoke_identity_arn, ROLE);
    CHECK_VIEW(r->aws_region, "us-east-2");
    CHECK_VIEW(r->event_source_arn, ARN);
    CHECK_VIEW(r->kinesis.kinesis_schema_version, "1.0");
    CHECK_VIEW(r->kinesis.sequence_number, seq);
    char id[128];
    snprintf(id, sizeof id, "shardId-000000000006:%s", seq);
    CHECK_VIEW(r->event_id, id);
    CHECK_EQ(text[r->offset], '{');
}

static void test_aws_docs_sample(void)
{
    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("kinesis/aws-docs-sample.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 2);
    const shardline_record *r = shardline_batch_record(b, 0);
    check_common(r, SEQ0, text);
    CHECK_EQ(r->index, 0);
    CHECK_VIEW(r->kinesis.partition_key, "1");
    CHECK_VIEW(r->kinesis.data, "Hello, this is a test.");
    CHECK_VIEW(r->kinesis.approximate_arrival_timestamp_text, "1545084650.987");
    CHECK(r->kinesis.approximate_arrival_timestamp == 1545084650.987);
    CHECK(r->kinesis.encryption_type.ptr == NULL && r->kinesis.encryption_type.len == 0);
    r = shardline_batch_record(b, 1);
    check_common(r, SEQ1, text);
    CHECK_EQ(r->index, 1);
    CHECK_VIEW(r->kinesis.data, "This is only a test.");
    CHECK(r->kinesis.approximate_arrival_timestamp == 1545084711.166);
    CHECK(shardline_batch_record(b, 2) == NULL);
    /* Views of unescaped text point into the input. */
    CHECK(r->aws_region.ptr > text && r->aws_region.ptr < text + len);
    CHECK(shardline_batch_memory(b) > 0);
    shardline_batch_free(b);
    free(text);
}

static void test_mixed_payloads(void)
{
    static const char json_payload[] =
        "{\"id\":1,\"name\":\"caf\\u00e9 \\\"quoted\\\"\",\"tags\":[\"a\",\"b\"],\"price\":12.50,\"ok\":true,\"none\":null}";
    static const char text_payload[] = "plain text, not JSON: \xC3\xBCn\xC3\xAF" "c\xC3\xB6" "d\xC3\xA9 \xE2\x9C\x93";
    static const char pretty_payload[] = "{\n  \"a\": [1, 2.5e3, -0],\n  \"b\": {\"c\": \"d\"}\n}";
    unsigned char binary[256];
    for (int i = 0; i < 256; i++)
        binary[i] = (unsigned char)i;

    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("kinesis/mixed-payloads.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 5);
    const shardline_record *r = shardline_batch_record(b, 0);
    check_common(r, SEQ0, text);
    CHECK_VIEW(r->kinesis.partition_key, "pk-json");
    CHECK_VIEW(r->kinesis.data, json_payload);
    CHECK_VIEW(r->kinesis.approximate_arrival_timestamp_text, "1428537600");
    CHECK(r->kinesis.approximate_arrival_timestamp == 1428537600.0);
    CHECK_VIEW(r->kinesis.encryption_type, "NONE");

    r = shardline_batch_record(b, 1);
    check_common(r, SEQ1, text);
    CHECK_VIEW(r->kinesis.data, text_payload);
    CHECK(r->kinesis.approximate_arrival_timestamp == 1480641523.477);
    CHECK(r->kinesis.encryption_type.ptr == NULL);

    r = shardline_batch_record(b, 2);
    check_common(r, SEQ2, text);
    CHECK_MEM(r->kinesis.data.ptr, r->kinesis.data.len, binary, 256);
    CHECK_VIEW(r->kinesis.approximate_arrival_timestamp_text, "1.607497475E9");
    CHECK(r->kinesis.approximate_arrival_timestamp == 1607497475.0);
    CHECK_VIEW(r->kinesis.encryption_type, "KMS");

    r = shardline_batch_record(b, 3);
    check_common(r, SEQ3, text);
    CHECK(r->kinesis.data.ptr != NULL); /* present, empty */
    CHECK_EQ(r->kinesis.data.len, 0);
    CHECK(r->kinesis.approximate_arrival_timestamp == 1607497475.0);

    r = shardline_batch_record(b, 4);
    check_common(r, SEQ4, text);
    CHECK_VIEW(r->kinesis.data, pretty_payload);
    CHECK_VIEW(r->kinesis.approximate_arrival_timestamp_text, "1.6074974755E+9");
    CHECK(r->kinesis.approximate_arrival_timestamp == 1607497475.5);
    shardline_batch_free(b);
    free(text);
}

static void test_field_order_and_whitespace(void)
{
    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("kinesis/field-order.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 3);
    static const char *const pks[] = {"a", "b", "c"};
    static const char *const data[] = {"first", "second", "third"};
    static const char *const seqs[] = {SEQ0, SEQ1, SEQ2};
    for (size_t i = 0; i < 3; i++) {
        const shardline_record *r = shardline_batch_record(b, i);
        check_common(r, seqs[i], text);
        CHECK_VIEW(r->kinesis.partition_key, pks[i]);
        CHECK_VIEW(r->kinesis.data, data[i]);
    }
    CHECK(shardline_batch_record(b, 1)->kinesis.approximate_arrival_timestamp == 1545084650.0);
    CHECK(shardline_batch_record(b, 2)->kinesis.approximate_arrival_timestamp == 1545084650.987);
    CHECK_VIEW(shardline_batch_record(b, 2)->kinesis.encryption_type, "NONE");
    shardline_batch_free(b);
    free(text);

    /* The same two records, minified and with tabs and CRLF. */
    char *t1, *t2;
    size_t l1, l2;
    shardline_batch *b1 = parse_fixture("kinesis/minified.json", &t1, &l1);
    shardline_batch *b2 = parse_fixture("kinesis/tabs-crlf.json", &t2, &l2);
    CHECK(l1 < l2);
    CHECK_EQ(shardline_batch_size(b1), 2);
    CHECK_EQ(shardline_batch_size(b2), 2);
    for (size_t i = 0; i < 2; i++) {
        const shardline_record *r1 = shardline_batch_record(b1, i), *r2 = shardline_batch_record(b2, i);
        check_common(r1, i ? SEQ1 : SEQ0, t1);
        check_common(r2, i ? SEQ1 : SEQ0, t2);
        CHECK_VIEW(r1->kinesis.partition_key, i ? "ws-2" : "ws-1");
        CHECK_VIEW(r2->kinesis.partition_key, i ? "ws-2" : "ws-1");
        CHECK_VIEW(r1->kinesis.data, i ? "[1,2,3]" : "{\"k\": \"v\"}");
        CHECK_VIEW(r2->kinesis.data, i ? "[1,2,3]" : "{\"k\": \"v\"}");
    }
    shardline_batch_free(b1);
    shardline_batch_free(b2);
    free(t1);
    free(t2);
}

static void test_escapes_bom_empty(void)
{
    char *text;
    size_t len;
    shardline_batch *b = parse_fixture("kinesis/escapes.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 4);
    CHECK_VIEW(shardline_batch_record(b, 0)->kinesis.partition_key, "caf\xC3\xA9");
    CHECK_VIEW(shardline_batch_record(b, 0)->kinesis.data, "one");
    CHECK_VIEW(shardline_batch_record(b, 1)->kinesis.partition_key, "\xF0\x9F\x98\x80 smile");
    CHECK_VIEW(shardline_batch_record(b, 2)->kinesis.partition_key, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");
    CHECK_VIEW(shardline_batch_record(b, 2)->kinesis.data, "three");
    const shardline_record *r = shardline_batch_record(b, 3);
    CHECK_VIEW(r->kinesis.partition_key, "quote\" backslash\\ slash/ tab\t");
    /* "data" spelled "d\u0061ta", its base64 written with "\/". */
    CHECK_MEM(r->kinesis.data.ptr, r->kinesis.data.len, "\xFB\xFF\xBF", 3);
    CHECK_VIEW(r->event_id, "shardId-000000000006:" SEQ3);
    CHECK_VIEW(r->kinesis.approximate_arrival_timestamp_text, "4");
    shardline_batch_free(b);
    free(text);

    b = parse_fixture("kinesis/bom.json", &text, &len);
    CHECK_EQ(shardline_batch_size(b), 1);
    CHECK_VIEW(shardline_batch_record(b, 0)->kinesis.data, "with a byte order mark");
    /* BOM (3), then "{\n  \"Records\": [\n    " (21 bytes) before the record. */
    CHECK_EQ(shardline_batch_record(b, 0)->offset, 3 + 21);
    shardline_batch_free(b);
    free(text);

    b = parse_fixture("kinesis/empty-batch.json", &text, &len);
    CHECK(b != NULL);
    CHECK_EQ(shardline_batch_size(b), 0);
    CHECK(shardline_batch_record(b, 0) == NULL);
    shardline_batch_free(b);
    free(text);
}

/* In-place mode gives the same records, allocates only the record table, and
 * leaves payloads inside the caller's buffer. */
static void test_in_place(void)
{
    static const char *const fixtures[] = {
        "kinesis/aws-docs-sample.json", "kinesis/mixed-payloads.json", "kinesis/field-order.json",
        "kinesis/tabs-crlf.json", "kinesis/minified.json", "kinesis/escapes.json",
        "kinesis/bom.json", "kinesis/empty-batch.json",
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
        for (size_t i = 0; i < shardline_batch_size(a); i++) {
            const shardline_record *x = shardline_batch_record(a, i), *y = shardline_batch_record(p, i);
            /* Every field, the offsets and the timestamp doubles included. */
            CHECK(records_equal(x, y));
            CHECK(y->kinesis.data.len == 0 ||
                  (y->kinesis.data.ptr >= copy && y->kinesis.data.ptr < copy + len));
        }
        /* The in-place batch holds no arena: only its record table. */
        CHECK(shardline_batch_memory(p) <= shardline_batch_memory(a));
        shardline_batch_free(a);
        shardline_batch_free(p);
        guarded_free(&g);
        free(text);
    }
}

/* ---- errors ---------------------------------------------------------------------- */

#define K_SCHEMA "\"kinesisSchemaVersion\":\"1.0\""
#define K_PK "\"partitionKey\":\"pk\""
#define K_SEQ "\"sequenceNumber\":\"" SEQ0 "\""
#define K_DATA "\"data\":\"SGVsbG8=\""
#define K_TS "\"approximateArrivalTimestamp\":1545084650.987"
#define KINESIS_OK "\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ "," K_DATA "," K_TS "}"
#define T_SOURCE "\"eventSource\":\"aws:kinesis\""
#define T_REST "\"eventVersion\":\"1.0\",\"eventID\":\"shardId-000000000006:1\",\"eventName\":\"aws:kinesis:record\"," \
               "\"invokeIdentityArn\":\"" ROLE "\",\"awsRegion\":\"us-east-2\",\"eventSourceARN\":\"" ARN "\""
#define RECORD_OK "{" KINESIS_OK "," T_SOURCE "," T_REST "}"
#define EVENT(records) "{\"Records\":[" records "]}"

/* text must fail with code at the offset of the first occurrence of marker
 * (plus delta), with this path, in arena and in-place mode alike. */
static void expect_batch_error(const char *text, shardline_status code, const char *marker,
                               long delta, const char *path, const shardline_options *opts, int line)
{
    size_t len = strlen(text);
    const char *at = marker ? strstr(text, marker) : text;
    if (at == NULL) {
        CHECK_FAIL_AT(__FILE__, line, "marker %s not in the text", marker);
        return;
    }
    size_t offset = (size_t)((at - text) + delta);
    for (int mode = 0; mode < 2; mode++) {
        guarded g = guarded_alloc(len);
        char *copy = guarded_place(&g, text, len);
        shardline_batch *b = (shardline_batch *)(uintptr_t)1;
        shardline_error err;
        shardline_status st = mode ? shardline_batch_parse_in_place(copy, len, opts, &b, &err)
                                   : shardline_batch_parse(copy, len, opts, &b, &err);
        check_total++;
        if (st != code || err.code != code || err.offset != offset || strcmp(err.path, path) != 0 ||
            b != NULL)
            CHECK_FAIL_AT(__FILE__, line, "%s mode: got %s at %zu path '%s', expected %s at %zu path '%s'",
                          mode ? "in-place" : "arena", shardline_status_name(st), err.offset, err.path,
                          shardline_status_name(code), offset, path);
        guarded_free(&g);
    }
}
#define EXPECT(text, code, marker, delta, path) \
    expect_batch_error((text), (code), (marker), (delta), (path), NULL, __LINE__)

static void test_schema_errors(void)
{
    /* The event itself. */
    EXPECT("", SHARDLINE_ERR_EMPTY, NULL, 0, "");
    EXPECT("[]", SHARDLINE_ERR_FIELD_TYPE, NULL, 0, "");
    EXPECT("\"Records\"", SHARDLINE_ERR_FIELD_TYPE, NULL, 0, "");
    EXPECT("x", SHARDLINE_ERR_SYNTAX, NULL, 0, "");
    EXPECT("{}", SHARDLINE_ERR_MISSING_FIELD, NULL, 0, "Records");
    EXPECT(" {\"records\":[]}", SHARDLINE_ERR_MISSING_FIELD, "{", 0, "Records");
    EXPECT("{\"Records\":{}}", SHARDLINE_ERR_FIELD_TYPE, "{}", 0, "Records");
    EXPECT("{\"Records\":null}", SHARDLINE_ERR_FIELD_TYPE, "null", 0, "Records");
    EXPECT("{\"Records\":[1]}", SHARDLINE_ERR_FIELD_TYPE, "1", 0, "Records[0]");
    EXPECT("{\"Records\":[],\"Records\":[]}", SHARDLINE_ERR_DUPLICATE_FIELD, ",", 1, "Records");
    EXPECT("{\"Records\":[]} x", SHARDLINE_ERR_TRAILING, "x", 0, "");
    EXPECT("{\"Records\":[],}", SHARDLINE_ERR_SYNTAX, ",}", 1, "");
    EXPECT("{\"Records\":[" RECORD_OK ",]}", SHARDLINE_ERR_SYNTAX, ",]", 1, "Records");
    EXPECT("{\"Records\":[" RECORD_OK, SHARDLINE_ERR_TRUNCATED, NULL, (long)strlen("{\"Records\":[" RECORD_OK), "Records");
    EXPECT("{\"foo\":tru}", SHARDLINE_ERR_SYNTAX, "tru", 0, "foo");
    EXPECT("{\"window\":{\"a\":[1,]},\"Records\":[]}", SHARDLINE_ERR_SYNTAX, "]}", 0, "window");

    /* Record fields. */
    EXPECT(EVENT("{" T_SOURCE "," T_REST "}"), SHARDLINE_ERR_MISSING_FIELD, "{\"e", 0, "Records[0].kinesis");
    EXPECT(EVENT("{" KINESIS_OK "," T_REST "}"), SHARDLINE_ERR_MISSING_FIELD, "{\"k", 0, "Records[0].eventSource");
    EXPECT(EVENT("{" KINESIS_OK "," T_SOURCE ",\"eventVersion\":\"1.0\",\"eventID\":\"x\",\"eventName\":\"n\","
                 "\"awsRegion\":\"r\",\"eventSourceARN\":\"a\"}"),
           SHARDLINE_ERR_MISSING_FIELD, "{\"k", 0, "Records[0].invokeIdentityArn");
    EXPECT(EVENT("{\"kinesis\":[]," T_SOURCE "," T_REST "}"), SHARDLINE_ERR_FIELD_TYPE, "[]", 0, "Records[0].kinesis");
    EXPECT(EVENT("{" KINESIS_OK ",\"eventSource\":\"aws:sqs\"," T_REST "}"), SHARDLINE_ERR_FIELD_VALUE,
           "\"aws:sqs", 0, "Records[0].eventSource");
    EXPECT(EVENT("{" KINESIS_OK "," T_SOURCE "," T_REST ",\"eventName\":\"again\"}"),
           SHARDLINE_ERR_DUPLICATE_FIELD, "\"eventName\":\"again", 0, "Records[0].eventName");
    EXPECT(EVENT("{" KINESIS_OK ",\"eventName\":7," T_SOURCE "}"), SHARDLINE_ERR_FIELD_TYPE, ":7,", 1,
           "Records[0].eventName");
    EXPECT(EVENT("{" KINESIS_OK ",\"extra\":[1,]," T_SOURCE "}"), SHARDLINE_ERR_SYNTAX, ",]", 1,
           "Records[0].extra");
    EXPECT(EVENT(RECORD_OK "," RECORD_OK ",{" KINESIS_OK "," T_SOURCE "}"), SHARDLINE_ERR_MISSING_FIELD,
           "{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"pk\",\"sequenceNumber\":\"" SEQ0
           "\",\"data\":\"SGVsbG8=\",\"approximateArrivalTimestamp\":1545084650.987},\"eventSource\":\"aws:kinesis\"}",
           0, "Records[2].eventVersion");

    /* Kinesis fields. */
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ "," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_MISSING_FIELD, "{\"kinesisS", 0, "Records[0].kinesis.data");
    EXPECT(EVENT("{\"kinesis\":{" K_PK "," K_SEQ "," K_DATA "," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_MISSING_FIELD, "{\"partitionKey", 0, "Records[0].kinesis.kinesisSchemaVersion");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ ",\"data\":5," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_FIELD_TYPE, "5,", 0, "Records[0].kinesis.data");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ ",\"data\":\"SGVsbG8!\"," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_BASE64_CHAR, "!", 0, "Records[0].kinesis.data");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ ",\"data\":\"SGVsb\"," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_BASE64_PADDING, "SGVsb", 4, "Records[0].kinesis.data");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ ",\"data\":\"QR==\"," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_BASE64_TRAILING_BITS, "QR==", 1, "Records[0].kinesis.data");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ ",\"data\":\"SGVs bG8=\"," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_BASE64_CHAR, " bG8", 0, "Records[0].kinesis.data");
    /* Escaped base64: the offset is the string's first character. */
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ ",\"data\":\"\\/\\/\\/!\"," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_BASE64_CHAR, "\\/\\/", 0, "Records[0].kinesis.data");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK ",\"sequenceNumber\":\"12a\"," K_DATA "," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_FIELD_VALUE, "\"12a", 0, "Records[0].kinesis.sequenceNumber");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK ",\"sequenceNumber\":\"\"," K_DATA "," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_FIELD_VALUE, "\"\",", 0, "Records[0].kinesis.sequenceNumber");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ "," K_DATA ",\"approximateArrivalTimestamp\":\"1\"}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_FIELD_TYPE, "\"1\"", 0, "Records[0].kinesis.approximateArrivalTimestamp");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ "," K_DATA ",\"approximateArrivalTimestamp\":01}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_NUMBER, "01}", 0, "Records[0].kinesis.approximateArrivalTimestamp");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ "," K_DATA "," K_TS ",\"encryptionType\":null}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_FIELD_TYPE, "null", 0, "Records[0].kinesis.encryptionType");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK "," K_SEQ "," K_DATA "," K_TS ",\"partitionKey\":\"again\"}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_DUPLICATE_FIELD, "\"partitionKey\":\"again", 0, "Records[0].kinesis.partitionKey");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA ",\"partitionKey\":\"p\xC3\x28\"," K_SEQ "," K_DATA "," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_UTF8, "\xC3", 0, "Records[0].kinesis.partitionKey");
    EXPECT(EVENT("{\"kinesis\":{" K_SCHEMA ",\"partitionKey\":\"\\ud800\"," K_SEQ "," K_DATA "," K_TS "}," T_SOURCE "," T_REST "}"),
           SHARDLINE_ERR_ESCAPE, "\\ud800", 0, "Records[0].kinesis.partitionKey");

    /* An unknown source is reported at once, before the members after it. */
    EXPECT("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"kinesis\":@}]}", SHARDLINE_ERR_FIELD_VALUE,
           "\"aws:sqs", 0, "Records[0].eventSource");

    /* The event's own containers count against max_depth too: the event
     * object is level 1, Records 2, a record 3, its kinesis object 4. */
    {
        static const struct {
            uint32_t max_depth;
            const char *marker; /* where the bracket that goes too deep is */
            const char *path;
        } limits[] = {
            {1, "[{", "Records"},
            {2, "{\"kinesis", "Records[0]"},
            {3, "{\"kinesisSchemaVersion", "Records[0].kinesis"},
        };
        for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
            shardline_options limited;
            shardline_options_init(&limited);
            limited.max_depth = limits[i].max_depth;
            expect_batch_error(EVENT(RECORD_OK), SHARDLINE_ERR_DEPTH, limits[i].marker, 0, limits[i].path,
                               &limited, __LINE__);
        }
        shardline_options four;
        shardline_options_init(&four);
        four.max_depth = 4;
        shardline_batch *ok4 = NULL;
        CHECK_EQ(shardline_batch_parse(EVENT(RECORD_OK), strlen(EVENT(RECORD_OK)), &four, &ok4, NULL), SHARDLINE_OK);
        shardline_batch_free(ok4);
    }

    /* Nesting inside an unknown field counts from the top of the event. */
    shardline_options opts;
    shardline_options_init(&opts);
    opts.max_depth = 5;
    expect_batch_error(EVENT("{" KINESIS_OK ",\"extra\":[[[]]]," T_SOURCE "," T_REST "}"), SHARDLINE_ERR_DEPTH,
                       "[[[]]]", 2, "Records[0].extra", &opts, __LINE__);
    shardline_batch *b = NULL;
    const char ok5[] = EVENT("{" KINESIS_OK ",\"extra\":[[]]," T_SOURCE "," T_REST "}");
    CHECK_EQ(shardline_batch_parse(ok5, sizeof ok5 - 1, &opts, &b, NULL), SHARDLINE_OK);
    shardline_batch_free(b);
}

/* Long paths keep their last part behind "...". */
/* Sequence numbers must be all digits: every length up to 64 (the check
 * goes a word at a time), with one non-digit at every position, whatever
 * the byte - below '0', above '9', letters, DEL, a non-ASCII character. */
static void test_sequence_number_digits(void)
{
    static const char *const bad[] = {" ", "/", ":", "a", "Z", "~", "\x7f", "\xc3\xa9"};
    char digits[80], text[1024];
    for (size_t len = 1; len <= 64; len++) {
        for (size_t i = 0; i < len; i++)
            digits[i] = (char)('0' + (i * 7 + len) % 10);
        digits[len] = '\0';
        snprintf(text, sizeof text,
                 EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK ",\"sequenceNumber\":\"%s\"," K_DATA "," K_TS "},"
                       T_SOURCE "," T_REST "}"),
                 digits);
        shardline_batch *b = NULL;
        shardline_error err;
        CHECK(shardline_batch_parse(text, strlen(text), NULL, &b, &err) == SHARDLINE_OK);
        if (b != NULL) {
            CHECK_MEM(shardline_batch_record(b, 0)->kinesis.sequence_number.ptr,
                      shardline_batch_record(b, 0)->kinesis.sequence_number.len, digits, len);
            shardline_batch_free(b);
        }
        for (size_t pos = 0; pos < len; pos++) {
            for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
                snprintf(text, sizeof text,
                         EVENT("{\"kinesis\":{" K_SCHEMA "," K_PK ",\"sequenceNumber\":\"%.*s%s%s\"," K_DATA
                               "," K_TS "}," T_SOURCE "," T_REST "}"),
                         (int)pos, digits, bad[k], digits + pos + 1);
                EXPECT(text, SHARDLINE_ERR_FIELD_VALUE, "\"sequenceNumber\":", 17,
                       "Records[0].kinesis.sequenceNumber");
            }
        }
    }
}

/* Members are first compared with the one that followed the previous
 * member in the record before: records whose orders change from one to the
 * next, and unknown members among them, give the same results, and a
 * repeated member is still found. */
static void test_member_orders(void)
{
#define ORDER_A "{" T_SOURCE "," KINESIS_OK "," T_REST "}"
#define ORDER_B "{" T_REST ",\"extra\":[1]," T_SOURCE "," KINESIS_OK "}"
#define ORDER_C "{\"eventName\":\"aws:kinesis:record\"," KINESIS_OK "," T_SOURCE ",\"eventVersion\":\"1.0\"," \
                "\"eventID\":\"shardId-000000000006:1\",\"invokeIdentityArn\":\"" ROLE "\",\"awsRegion\":\"us-east-2\"," \
                "\"eventSourceARN\":\"" ARN "\"}"
    static const char text[] = EVENT(ORDER_A "," ORDER_A "," ORDER_B "," ORDER_C "," ORDER_B "," ORDER_A "," ORDER_C);
    shardline_batch *b = NULL;
    shardline_error err;
    CHECK(shardline_batch_parse(text, strlen(text), NULL, &b, &err) == SHARDLINE_OK);
    CHECK_EQ(shardline_batch_size(b), 7);
    for (size_t i = 0; b != NULL && i < shardline_batch_size(b); i++) {
        /* Every member, read into its own place. */
        const shardline_record *r = shardline_batch_record(b, i);
        const shardline_view got[] = {r->event_source, r->event_version, r->event_id, r->event_name,
                                      r->invoke_identity_arn, r->aws_region, r->event_source_arn,
                                      r->kinesis.partition_key, r->kinesis.sequence_number, r->kinesis.data};
        static const char *const want[] = {"aws:kinesis", "1.0", "shardId-000000000006:1", "aws:kinesis:record",
                                           ROLE, "us-east-2", ARN, "pk", SEQ0, "Hello"};
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
            CHECK_VIEW(got[k], want[k]);
    }
    shardline_batch_free(b);
    EXPECT(EVENT(ORDER_A "," ORDER_B "," ORDER_C ",{" T_REST "," T_SOURCE "," KINESIS_OK ",\"eventID\":\"again\"}"),
           SHARDLINE_ERR_DUPLICATE_FIELD, "\"eventID\":\"again", 0, "Records[3].eventID");
    EXPECT(EVENT(ORDER_C "," ORDER_C ",{\"eventName\":\"n\",\"eventName\":\"n\"}"), SHARDLINE_ERR_DUPLICATE_FIELD,
           "\"eventName\":\"n\"}", 0, "Records[2].eventName");
    EXPECT(EVENT(ORDER_B "," ORDER_A ",{" T_REST "," T_SOURCE "}"), SHARDLINE_ERR_MISSING_FIELD,
           "{\"eventVersion\":\"1.0\",\"eventID\":\"shardId-000000000006:1\",\"eventName\":\"aws:kinesis:record\","
           "\"invokeIdentityArn\":\"" ROLE "\",\"awsRegion\":\"us-east-2\",\"eventSourceARN\":\"" ARN "\",\"eventSource",
           0, "Records[2].kinesis");
#undef ORDER_A
#undef ORDER_B
#undef ORDER_C
}

static void test_long_path(void)
{
    char text[2048];
    char key[400];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    snprintf(text, sizeof text, "{\"Records\":[{\"%s\":[1,]}]}", key);
    shardline_batch *b = NULL;
    shardline_error err;
    CHECK_EQ(shardline_batch_parse(text, strlen(text), NULL, &b, &err), SHARDLINE_ERR_SYNTAX);
    CHECK_EQ(strlen(err.path), SHARDLINE_ERROR_PATH_MAX - 1);
    CHECK_MEM(err.path, 3, "...", 3);
    CHECK_EQ(err.path[SHARDLINE_ERROR_PATH_MAX - 2], 'k');
}

/* ---- the fast path for the service's layout -------------------------------------------- */

/* Records in Kinesis's own compact layout take a fast path (test_fast_paths
 * holds it against the general path byte by byte); its values and the
 * payload errors it reports itself. */
#define FAST_R0 "{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"caf\xC3\xA9-1\"," \
    "\"sequenceNumber\":\"" SEQ0 "\",\"data\":\"eyJ0eXBlIjoibG9nIiwibGV2ZWwiOiJXQVJOIn0=\"," \
    "\"approximateArrivalTimestamp\":1545084650.987,\"encryptionType\":\"KMS\"}," T_SOURCE "," T_REST "}"
#define FAST_R1 "{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"pk-7\"," \
    "\"sequenceNumber\":\"" SEQ1 "\",\"data\":\"SGVsbG8sIHdvcmxkIQ==\"," \
    "\"approximateArrivalTimestamp\":1.607497475E9}," T_SOURCE "," T_REST "}"

typedef struct parse_result {
    shardline_status status;
    shardline_error err;
    shardline_batch *batch;
    guarded g;
} parse_result;

static parse_result parse_copy(const char *text, size_t len, bool in_place)
{
    parse_result r;
    r.g = guarded_alloc(len);
    char *copy = guarded_place(&r.g, text, len);
    r.batch = NULL;
    r.status = in_place ? shardline_batch_parse_in_place(copy, len, NULL, &r.batch, &r.err)
                        : shardline_batch_parse(copy, len, NULL, &r.batch, &r.err);
    return r;
}

static void test_fast_layout(void)
{
    /* Both records take the fast path: the same values as the fixtures'. */
    static const char event[] = EVENT(FAST_R0 "," FAST_R1);
    for (int mode = 0; mode < 2; mode++) {
        parse_result r = parse_copy(event, sizeof event - 1, mode);
        CHECK_EQ(r.status, SHARDLINE_OK);
        CHECK_EQ(shardline_batch_size(r.batch), 2);
        if (r.status == SHARDLINE_OK) {
            const shardline_record *r0 = shardline_batch_record(r.batch, 0);
            const shardline_record *r1 = shardline_batch_record(r.batch, 1);
            CHECK_VIEW(r0->kinesis.partition_key, "caf\xC3\xA9-1");
            CHECK_VIEW(r0->kinesis.data, "{\"type\":\"log\",\"level\":\"WARN\"}");
            CHECK_VIEW(r0->kinesis.encryption_type, "KMS");
            CHECK(r0->kinesis.approximate_arrival_timestamp == 1545084650.987);
            CHECK_VIEW(r1->kinesis.data, "Hello, world!");
            CHECK(r1->kinesis.encryption_type.ptr == NULL);
            CHECK(r1->kinesis.approximate_arrival_timestamp == 1607497475.0);
            CHECK_VIEW(r1->event_source, "aws:kinesis");
            CHECK_VIEW(r1->event_source_arn, ARN);
            CHECK_EQ(r1->source, SHARDLINE_SOURCE_KINESIS);
        }
        shardline_batch_free(r.batch);
        guarded_free(&r.g);
    }

    /* Payload errors, which the fast path reports itself, exactly. */
#define FAST_DATA(d) EVENT(FAST_R0 ",{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"p\"," \
    "\"sequenceNumber\":\"1\",\"data\":\"" d "\",\"approximateArrivalTimestamp\":1}," T_SOURCE "," T_REST "}")
    EXPECT(FAST_DATA("SGVs*G8="), SHARDLINE_ERR_BASE64_CHAR, "*", 0, "Records[1].kinesis.data");
    EXPECT(FAST_DATA("SGVsbG8"), SHARDLINE_ERR_BASE64_PADDING, "bG8\"", 0, "Records[1].kinesis.data");
    EXPECT(FAST_DATA("SGVsbG9="), SHARDLINE_ERR_BASE64_TRAILING_BITS, "G9=", 1, "Records[1].kinesis.data");
    EXPECT(FAST_DATA("SG*s\x01G8="), SHARDLINE_ERR_CONTROL_CHAR, "\x01", 0, "Records[1].kinesis.data");
    EXPECT(FAST_DATA("SG*s\xC3(G8="), SHARDLINE_ERR_UTF8, "\xC3(", 0, "Records[1].kinesis.data");
    EXPECT(FAST_DATA("SGVsbG8=\\u"), SHARDLINE_ERR_ESCAPE, "\\u", 0, "Records[1].kinesis.data");

    /* An escaped '/' in a payload leaves the record to the general path, which decodes it. */
    static const char escaped[] = FAST_DATA("SGV\\/bG8=");
    for (int mode = 0; mode < 2; mode++) {
        parse_result r = parse_copy(escaped, sizeof escaped - 1, mode);
        CHECK_EQ(r.status, SHARDLINE_OK);
        if (r.status == SHARDLINE_OK)
            CHECK_MEM(shardline_batch_record(r.batch, 1)->kinesis.data.ptr,
                      shardline_batch_record(r.batch, 1)->kinesis.data.len, "He\x7Flo", 5);
        shardline_batch_free(r.batch);
        guarded_free(&r.g);
    }
#undef FAST_DATA
}

int main(void)
{
    test_aws_docs_sample();
    test_mixed_payloads();
    test_field_order_and_whitespace();
    test_escapes_bom_empty();
    test_in_place();
    test_schema_errors();
    test_sequence_number_digits();
    test_member_orders();
    test_long_path();
    test_fast_layout();
    return check_done("test_kinesis");
}
