/* test_fast_paths.c - the fast paths for the services' layouts against the general path:
 * every byte of a Kinesis record and of DynamoDB records replaced, deleted or cut off
 * must give the same records, or the same error code, offset and path, both ways. */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "compare.h"
#include "dynamodb.h"
#include "testutil.h"

#define SOURCE_ARN "arn:aws:dynamodb:us-east-1:123456789012:table/Types/stream/2023-09-06T10:45:55.123"

/* A Kinesis record in the service's layout, then a DynamoDB record whose
 * images use every AttributeValue type, compact, with names and values the
 * fast paths take and some they leave (escapes, non-ASCII). */
static const char kinesis_event[] =
    "{\"Records\":[{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"caf\xC3\xA9\","
    "\"sequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\","
    "\"data\":\"eyJ0eXBlIjoibG9nIn0=\",\"approximateArrivalTimestamp\":1545084650.987,"
    "\"encryptionType\":\"KMS\"},\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\","
    "\"eventID\":\"shardId-000000000006:4959\",\"eventName\":\"aws:kinesis:record\","
    "\"invokeIdentityArn\":\"arn:aws:iam::123456789012:role/r\",\"awsRegion\":\"us-east-2\","
    "\"eventSourceARN\":\"arn:aws:kinesis:us-east-2:123456789012:stream/s\"}]}";

/* Three Kinesis records of one stream: the last two repeat the first one's
 * text after the eventID (the fast path's shortcut for such tails). */
#define KINESIS_TAIL                                                                               \
    ",\"eventName\":\"aws:kinesis:record\",\"invokeIdentityArn\":\"arn:aws:iam::123456789012:role/r\","   \
    "\"awsRegion\":\"us-east-2\",\"eventSourceARN\":\"arn:aws:kinesis:us-east-2:123456789012:stream/s\"}"
#define KINESIS_RECORD(seq, data)                                                                  \
    "{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"k\",\"sequenceNumber\":\"" seq "\","  \
    "\"data\":\"" data "\",\"approximateArrivalTimestamp\":1545084650},\"eventSource\":\"aws:kinesis\","    \
    "\"eventVersion\":\"1.0\",\"eventID\":\"shardId-000000000006:" seq "\"" KINESIS_TAIL
static const char kinesis_stream_event[] =
    "{\"Records\":[" KINESIS_RECORD("4959", "eyJ0eXBlIjoibG9nIn0=") "," KINESIS_RECORD("4960", "AAEC/w==") ","
    KINESIS_RECORD("4961", "AQ==") "]}";

static const char dynamodb_event[] =
    "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"MODIFY\",\"eventVersion\":\"1.1\","
    "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":{"
    "\"ApproximateCreationDateTime\":1693997155.0,\"Keys\":{\"PK\":{\"S\":\"u#1\"}},"
    "\"NewImage\":{\"PK\":{\"S\":\"u#1\"},\"n\":{\"N\":\"-12.50\"},\"b\":{\"B\":\"AAEC/w==\"},"
    "\"t\":{\"BOOL\":true},\"f\":{\"BOOL\":false},\"z\":{\"NULL\":true},"
    "\"m\":{\"M\":{\"x\":{\"S\":\"\xE6\x97\xA5\"},\"e\":{\"S\":\"a\\u00e9\"}}},"
    "\"l\":{\"L\":[{\"N\":\"1E+3\"},{\"S\":\"\"},{\"L\":[]}]},\"ss\":{\"SS\":[\"a\",\"b\"]},"
    "\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"bs\":{\"BS\":[\"AQ==\"]},\"k\\u0031\":{\"S\":\"esc\"}},"
    "\"SequenceNumber\":\"111\",\"SizeBytes\":26,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
    "\"eventSourceARN\":\"" SOURCE_ARN "\"}]}";

/* A deletion by TTL (no NewImage, a userIdentity) and a KEYS_ONLY record. */
static const char dynamodb_ttl_event[] =
    "{\"Records\":[{\"eventID\":\"2\",\"eventName\":\"REMOVE\",\"eventVersion\":\"1.1\","
    "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":{"
    "\"ApproximateCreationDateTime\":1.6939972E9,\"Keys\":{\"PK\":{\"S\":\"u#2\"}},"
    "\"OldImage\":{\"PK\":{\"S\":\"u#2\"},\"ttl\":{\"N\":\"1693997000\"}},"
    "\"SequenceNumber\":\"222\",\"SizeBytes\":0,\"StreamViewType\":\"OLD_IMAGE\"},"
    "\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"},"
    "\"eventSourceARN\":\"" SOURCE_ARN "\"},"
    "{\"eventID\":\"3\",\"eventName\":\"INSERT\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
    "\"awsRegion\":\"us-east-1\",\"dynamodb\":{\"ApproximateCreationDateTime\":1693997156,"
    "\"Keys\":{\"PK\":{\"S\":\"u#3\"}},\"SequenceNumber\":\"333\",\"SizeBytes\":123456789012345678,"
    "\"StreamViewType\":\"KEYS_ONLY\"},\"eventSourceARN\":\"" SOURCE_ARN "\"}]}";

typedef struct parsed {
    shardline_status status;
    shardline_error err;
    shardline_batch *batch;
    guarded g;
} parsed;

static parsed parse(const char *text, size_t len, bool in_place, bool general, const shardline_options *opts)
{
    parsed r;
    r.g = guarded_alloc(len);
    char *copy = guarded_place(&r.g, text, len);
    r.batch = NULL;
    if (general)
        r.status = sl_batch_parse_general(copy, in_place ? copy : NULL, len, opts, &r.batch, &r.err);
    else if (in_place)
        r.status = shardline_batch_parse_in_place(copy, len, opts, &r.batch, &r.err);
    else
        r.status = shardline_batch_parse(copy, len, opts, &r.batch, &r.err);
    return r;
}

static void release(parsed *r)
{
    shardline_batch_free(r->batch);
    guarded_free(&r->g);
}

/* text[0..len) parsed with and without the fast paths, in both modes. */
static bool same_both_ways_with(const char *text, size_t len, const shardline_options *opts)
{
    bool same = true;
    for (int mode = 0; mode < 2 && same; mode++) {
        parsed f = parse(text, len, mode, false, opts), g = parse(text, len, mode, true, opts);
        if (f.status != g.status) {
            same = false;
        } else if (f.status != SHARDLINE_OK) {
            same = f.err.code == g.err.code && f.err.offset == g.err.offset &&
                   strcmp(f.err.path, g.err.path) == 0;
        } else {
            same = shardline_batch_size(f.batch) == shardline_batch_size(g.batch);
            for (size_t i = 0; same && i < shardline_batch_size(f.batch); i++)
                same = records_equal(shardline_batch_record(f.batch, i), shardline_batch_record(g.batch, i));
        }
        if (!same)
            fprintf(stderr, "%s mode: fast %s (%s at %zu '%s'), general %s (%s at %zu '%s') for %.*s\n",
                    mode ? "in-place" : "arena", shardline_status_name(f.status),
                    shardline_status_name(f.err.code), f.err.offset, f.err.path,
                    shardline_status_name(g.status), shardline_status_name(g.err.code), g.err.offset,
                    g.err.path, (int)len, text);
        release(&f);
        release(&g);
    }
    return same;
}

static bool same_both_ways(const char *text, size_t len)
{
    return same_both_ways_with(text, len, NULL);
}

/* Every byte of text replaced by each of the bytes that matter to strings,
 * base64, numbers and structure; deleted; and the text cut off before it. */
static void mutate_everywhere(const char *event, size_t len)
{
    static const unsigned char bytes[] = {'"', '\\', 0x01, 0x1F, 0x7F, 0x80, 0xC3, 0xE2, 0xF0, 0xFF,
                                          '=', 'A', '/', '+', '}', ']', '{', '[', ',', ':', ' ',
                                          '-', '0', '9', '.', 'e', 'x', 'S', 'N', 't', 'n'};
    char *text = malloc(len);
    int mismatches = 0;
    CHECK(same_both_ways(event, len));
    for (size_t at = 0; at < len; at++) {
        for (size_t b = 0; b < sizeof bytes; b++) {
            memcpy(text, event, len);
            text[at] = (char)bytes[b];
            mismatches += !same_both_ways(text, len);
        }
        memcpy(text, event, at);
        memcpy(text + at, event + at + 1, len - at - 1);
        mismatches += !same_both_ways(text, len - 1);
        mismatches += !same_both_ways(event, at);
    }
    CHECK_EQ(mismatches, 0);
    free(text);
}

/* The unmutated events do take the fast paths' results: the same values as
 * the general path, views into the input where nothing was decoded. */
static void test_values(void)
{
    parsed k = parse(kinesis_event, sizeof kinesis_event - 1, false, false, NULL);
    CHECK_EQ(k.status, SHARDLINE_OK);
    if (k.status == SHARDLINE_OK) {
        const shardline_record *r = shardline_batch_record(k.batch, 0);
        CHECK_VIEW(r->kinesis.data, "{\"type\":\"log\"}");
        CHECK_VIEW(r->kinesis.encryption_type, "KMS");
        CHECK_VIEW(r->event_source, "aws:kinesis");
        CHECK(r->kinesis.approximate_arrival_timestamp == 1545084650.987);
    }
    release(&k);
    parsed d = parse(dynamodb_event, sizeof dynamodb_event - 1, false, false, NULL);
    CHECK_EQ(d.status, SHARDLINE_OK);
    if (d.status == SHARDLINE_OK) {
        const shardline_attr *img = shardline_batch_record(d.batch, 0)->dynamodb->new_image;
        CHECK_VIEW(shardline_attr_number_text(shardline_attr_get(img, "n", 1)), "-12.50");
        CHECK_EQ(shardline_attr_bool(shardline_attr_get(img, "t", 1)), 1);
        CHECK_EQ(shardline_attr_bool(shardline_attr_get(img, "f", 1)), 0);
        CHECK_EQ(shardline_attr_get_type(shardline_attr_get(img, "z", 1)), SHARDLINE_ATTR_NULL);
        CHECK_VIEW(shardline_attr_string(shardline_attr_get(img, "k1", 2)), "esc");
        CHECK_MEM(shardline_attr_binary(shardline_attr_get(img, "b", 1)).ptr,
                  shardline_attr_binary(shardline_attr_get(img, "b", 1)).len, "\x00\x01\x02\xFF", 4);
    }
    release(&d);
    parsed t = parse(dynamodb_ttl_event, sizeof dynamodb_ttl_event - 1, false, false, NULL);
    CHECK_EQ(t.status, SHARDLINE_OK);
    if (t.status == SHARDLINE_OK) {
        const shardline_dynamodb *ttl = shardline_batch_record(t.batch, 0)->dynamodb;
        CHECK_VIEW(ttl->user_identity_type, "Service");
        CHECK_VIEW(ttl->user_identity_principal_id, "dynamodb.amazonaws.com");
        CHECK(ttl->new_image == NULL && ttl->old_image != NULL);
        CHECK_EQ(ttl->size_bytes, 0);
        CHECK(ttl->approximate_creation_date_time == 1.6939972E9);
        const shardline_dynamodb *keys_only = shardline_batch_record(t.batch, 1)->dynamodb;
        CHECK(keys_only->keys != NULL && keys_only->new_image == NULL && keys_only->old_image == NULL);
        CHECK_EQ(keys_only->size_bytes, 123456789012345678);
        CHECK_VIEW(keys_only->size_bytes_text, "123456789012345678");
    }
    release(&t);
}

/* The records of kinesis_stream_event, whose tails repeat, have views
 * into their own text (not into the record they repeat), in both modes. */
static void test_repeated_tails(void)
{
    const size_t len = sizeof kinesis_stream_event - 1;
    for (int in_place = 0; in_place <= 1; in_place++) {
        parsed k = parse(kinesis_stream_event, len, in_place, false, NULL);
        CHECK_EQ(k.status, SHARDLINE_OK);
        if (k.status != SHARDLINE_OK) {
            release(&k);
            continue;
        }
        const char *base = k.g.end - len;
        CHECK_EQ(shardline_batch_size(k.batch), 3);
        for (size_t i = 0; i < 3; i++) {
            const shardline_record *r = shardline_batch_record(k.batch, i);
            const char *from = base + r->offset;
            const char *to = i + 1 < 3 ? base + shardline_batch_record(k.batch, i + 1)->offset : base + len;
            const shardline_view views[] = {r->event_id, r->event_name, r->invoke_identity_arn,
                                            r->aws_region, r->event_source_arn};
            for (size_t v = 0; v < sizeof views / sizeof views[0]; v++)
                CHECK(views[v].ptr > from && views[v].ptr + views[v].len < to);
            CHECK_VIEW(r->event_name, "aws:kinesis:record");
            CHECK_VIEW(r->invoke_identity_arn, "arn:aws:iam::123456789012:role/r");
            CHECK_VIEW(r->aws_region, "us-east-2");
            CHECK_VIEW(r->event_source_arn, "arn:aws:kinesis:us-east-2:123456789012:stream/s");
        }
        shardline_view data = shardline_batch_record(k.batch, 1)->kinesis.data;
        CHECK_MEM(data.ptr, data.len, "\x00\x01\x02\xFF", 4);
        CHECK_VIEW(shardline_batch_record(k.batch, 2)->event_id, "shardId-000000000006:4961");
        release(&k);
    }
}

/* The event with its first `marker` replaced by `form`: the same records
 * or error both ways. */
static bool same_with(const char *event, const char *marker, const char *form)
{
    const char *at = strstr(event, marker);
    CHECK(at != NULL);
    if (at == NULL)
        return false;
    size_t head = (size_t)(at - event), len = strlen(event) + strlen(form);
    char *text = malloc(len + 1);
    int n = snprintf(text, len + 1, "%.*s%s%s", (int)head, event, form, at + strlen(marker));
    CHECK(n > 0 && (size_t)n <= len);
    bool same = same_both_ways(text, (size_t)n);
    free(text);
    if (!same)
        fprintf(stderr, "  timestamp form %s\n", form);
    return same;
}

/* Arrival timestamps in the forms the fast path reads (plain and with an
 * exponent) and in those it leaves to the general path (long, large
 * exponents, invalid): the same value, bit for bit, or the same error. */
static void test_timestamps(void)
{
    static const char *const forms[] = {
        "1.545084650987E9", "1.545084650987e+9", "15450846509.87E-1", "1545084650987E-3", "1E0",
        "1e22", "1e23", "123456789012345E-22", "123456789012345E-23", "999999999999999E22",
        "-0.0E5", "0E-999", "2.5E01", "2.5E001", "2.5E0001", "1E1000", "9007199254740993E0",
        "1.7976931348623157E308", "4.9406564584124654E-324", "-1.5e-7", "1.5E", "1.5E+", "1.5e-",
        "1.E5", "01E5", "1E5E5", "1E+-5", "--1E5", "1e5.5"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        CHECK(same_with(kinesis_event, "1545084650.987", forms[i]));

    /* Every split of up to 17 digits into a whole part and a fraction (the
     * fast path reads up to 15 and leaves longer ones), with several digit
     * patterns, signs and exponents, in both records that carry a
     * timestamp. */
    static const char *const patterns[] = {"16406783897139254", "99999999999999999",
                                           "10000000000000001", "90817263544536271",
                                           "01234567890123456"};
    static const char *const exponents[] = {"", "E9", "e-3"};
    int mismatches = 0;
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++)
        for (int whole = 1; whole <= 17; whole++)
            for (int frac = 0; whole + frac <= 17; frac++)
                for (size_t e = 0; e < sizeof exponents / sizeof exponents[0]; e++)
                    for (int negative = 0; negative <= 1; negative++) {
                        char form[64];
                        snprintf(form, sizeof form, "%s%.*s%s%.*s%s", negative ? "-" : "", whole,
                                 patterns[p], frac > 0 ? "." : "", frac, patterns[p] + whole,
                                 exponents[e]);
                        mismatches += !same_with(kinesis_event, "1545084650.987", form);
                        mismatches += !same_with(dynamodb_event, "1693997155.0", form);
                    }
    CHECK_EQ(mismatches, 0);
}

/* The nesting limit stops both paths at the same container: the fast
 * paths count the record's and its objects' depths as the general path does. */
static void test_depth_limits(void)
{
    static const char *const events[] = {kinesis_event, kinesis_stream_event, dynamodb_event,
                                         dynamodb_ttl_event};
    for (size_t e = 0; e < sizeof events / sizeof events[0]; e++) {
        for (uint32_t depth = 1; depth <= 8; depth++) {
            shardline_options opts;
            shardline_options_init(&opts);
            opts.max_depth = depth;
            CHECK(same_both_ways_with(events[e], strlen(events[e]), &opts));
        }
    }
}

/* The base64 strings the fast paths scan for their closing quote - a
 * Kinesis payload, a B value, a BS element - of every length up to 140
 * (past two of the scan's 64-byte steps), with a '"', a '\\' or the escape
 * \/ at every position: the same records or error both ways. */
static void long_strings_everywhere(const char *event, const char *marker)
{
    enum { LONGEST = 140 };
    uint8_t raw[LONGEST];
    char b64[LONGEST + 4];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(i * 37 + 11);
    CHECK(shardline_base64_encode(raw, LONGEST / 4 * 3, b64, sizeof b64) == LONGEST);
    const char *at = strstr(event, marker);
    CHECK(at != NULL);
    if (at == NULL)
        return;
    size_t head = (size_t)(at - event), tail = strlen(at + strlen(marker));
    size_t cap = head + LONGEST + tail;
    char *text = malloc(cap);
    int mismatches = 0;
    for (size_t len = 0; len <= LONGEST; len++) {
        memcpy(text, event, head);
        memcpy(text + head + len, at + strlen(marker), tail);
        memcpy(text + head, b64, len);
        mismatches += !same_both_ways(text, head + len + tail);
        for (size_t i = 0; i < len; i++) {
            static const char *const marks[] = {"\"", "\\", "\\/"};
            for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
                size_t n = strlen(marks[m]);
                if (i + n > len)
                    continue;
                memcpy(text + head, b64, len);
                memcpy(text + head + i, marks[m], n);
                mismatches += !same_both_ways(text, head + len + tail);
            }
        }
    }
    CHECK_EQ(mismatches, 0);
    free(text);
}

int main(void)
{
    test_values();
    test_repeated_tails();
    test_timestamps();
    test_depth_limits();
    mutate_everywhere(kinesis_event, sizeof kinesis_event - 1);
    mutate_everywhere(kinesis_stream_event, sizeof kinesis_stream_event - 1);
    mutate_everywhere(dynamodb_event, sizeof dynamodb_event - 1);
    mutate_everywhere(dynamodb_ttl_event, sizeof dynamodb_ttl_event - 1);
    long_strings_everywhere(kinesis_event, "eyJ0eXBlIjoibG9nIn0=");
    long_strings_everywhere(dynamodb_event, "AAEC/w==");
    long_strings_everywhere(dynamodb_event, "AQ==");
    return check_done("test_fast_paths");
}
