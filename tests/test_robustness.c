/* test_robustness.c - every fixture truncated at every offset and with bytes flipped, against guard pages. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "compare.h"
#include "testutil.h"

/* Lambda events, parsed with shardline_batch_parse and its in-place twin. */
static const char *const fixtures[] = {
    "kinesis/aws-docs-sample.json",  "kinesis/mixed-payloads.json",     "kinesis/field-order.json",
    "kinesis/tabs-crlf.json",        "kinesis/minified.json",           "kinesis/escapes.json",
    "kinesis/bom.json",              "kinesis/empty-batch.json",        "dynamodb/aws-docs-sample.json",
    "dynamodb/all-types.json",       "dynamodb/stream-view-types.json", "dynamodb/deep-32.json",
    "dynamodb/mixed-sources.json",
};

/* DynamoDB change records as Kinesis carries them, parsed with
 * shardline_dynamodb_change_parse. */
static const char *const change_fixtures[] = {
    "dynamodb/change-record.json",
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

typedef struct outcome {
    shardline_status status;
    size_t offset;
    char path[SHARDLINE_ERROR_PATH_MAX];
} outcome;

/* Parse text[0..len) every way the library offers, each copy ending at a
 * guard page, and check that the ways agree with each other:
 * - arena and in-place batch parsing: same status, offset and path, and on
 *   success the same records, DynamoDB images included (for a change record,
 *   two change-record parses of separate copies instead);
 * - the JSON builder and the validator: same status and offset;
 * - a valid batch is valid JSON; every error offset lies within the input.
 * Returns the batch status. */
static shardline_status parse_all_ways(const char *text, size_t len, guarded *g, guarded *g2,
                                       bool change, int line)
{
    shardline_batch *arena = NULL, *in_place = NULL;
    shardline_error e1, e2, e3, e4;
    char *copy = guarded_place(g, text, len);
    shardline_status s1 = change ? shardline_dynamodb_change_parse(copy, len, NULL, &arena, &e1)
                                 : shardline_batch_parse(copy, len, NULL, &arena, &e1);
    outcome o1 = {s1, e1.offset, ""};
    memcpy(o1.path, e1.path, sizeof o1.path);

    /* The in-place parse gets its own buffer: the arena batch still points
     * into `copy`. */
    char *copy2 = guarded_place(g2, text, len);
    shardline_status s2 = change ? shardline_dynamodb_change_parse(copy2, len, NULL, &in_place, &e2)
                                 : shardline_batch_parse_in_place(copy2, len, NULL, &in_place, &e2);
    check_total++;
    if (s1 != s2 || (s1 != SHARDLINE_OK && (e1.offset != e2.offset || strcmp(o1.path, e2.path) != 0)))
        CHECK_FAIL_AT(__FILE__, line, "len %zu: arena %s at %zu '%s', in-place %s at %zu '%s'", len,
                      shardline_status_name(s1), e1.offset, o1.path, shardline_status_name(s2),
                      e2.offset, e2.path);
    if (s1 == SHARDLINE_OK && s2 == SHARDLINE_OK) {
        size_t n = shardline_batch_size(arena);
        CHECK_EQ(shardline_batch_size(in_place), n);
        for (size_t i = 0; i < n && i < shardline_batch_size(in_place); i++) {
            const shardline_record *a = shardline_batch_record(arena, i);
            const shardline_record *b = shardline_batch_record(in_place, i);
            CHECK(views_same(a->kinesis.data, b->kinesis.data));
            CHECK(views_same(a->kinesis.partition_key, b->kinesis.partition_key));
            CHECK(views_same(a->event_source_arn, b->event_source_arn));
            check_total++;
            if (!records_equal(a, b))
                CHECK_FAIL_AT(__FILE__, line, "len %zu: record %zu differs between the two parses", len, i);
        }
    }
    shardline_batch_free(arena);
    shardline_batch_free(in_place);

    copy = guarded_place(g, text, len);
    shardline_doc *doc = NULL;
    shardline_status s3 = shardline_json_parse(copy, len, NULL, &doc, &e3);
    shardline_doc_free(doc);
    shardline_status s4 = shardline_json_validate(copy, len, NULL, &e4);
    check_total++;
    if (s3 != s4 || (s3 != SHARDLINE_OK && e3.offset != e4.offset))
        CHECK_FAIL_AT(__FILE__, line, "len %zu: parse %s at %zu, validate %s at %zu", len,
                      shardline_status_name(s3), e3.offset, shardline_status_name(s4), e4.offset);
    check_total++;
    if (s1 == SHARDLINE_OK && s3 != SHARDLINE_OK)
        CHECK_FAIL_AT(__FILE__, line, "len %zu: a valid batch is not valid JSON (%s)", len,
                      shardline_status_name(s3));
    check_total++;
    if ((s1 != SHARDLINE_OK && e1.offset > len) || (s3 != SHARDLINE_OK && e3.offset > len))
        CHECK_FAIL_AT(__FILE__, line, "len %zu: error offset beyond the input", len);
    return s1;
}

static void test_truncation(const char *name, bool change)
{
    size_t len;
    char *text = read_fixture(name, &len);
    size_t last = len;
    while (last > 0 && is_ws(text[last - 1]))
        last--;
    guarded g = guarded_alloc(len), g2 = guarded_alloc(len);
    size_t errors = 0;
    for (size_t n = 0; n <= len; n++) {
        shardline_status st = parse_all_ways(text, n, &g, &g2, change, __LINE__);
        bool should_pass = n >= last;
        check_total++;
        if ((st == SHARDLINE_OK) != should_pass)
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s cut at %zu/%zu: %s", name, n, len,
                          shardline_status_name(st));
        errors += st != SHARDLINE_OK;
    }
    CHECK_EQ(errors, last);
    guarded_free(&g);
    guarded_free(&g2);
    free(text);
}

static void test_flips(const char *name, bool change)
{
    static const unsigned char values[] = {0x00, '"', '\\', '{', 0x80, 0xFF, '=', ','};
    size_t len;
    char *text = read_fixture(name, &len);
    char *work = malloc(len);
    guarded g = guarded_alloc(len), g2 = guarded_alloc(len);
    for (size_t i = 0; i < len; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            if ((unsigned char)text[i] == values[v])
                continue;
            memcpy(work, text, len);
            work[i] = (char)values[v];
            parse_all_ways(work, len, &g, &g2, change, __LINE__);
        }
    }
    guarded_free(&g);
    guarded_free(&g2);
    free(work);
    free(text);
}

/* The generated 10,000-record event: valid, both modes equal, and cut at a
 * spread of offsets (every offset of 6 MB would take hours). */
static void test_large_event(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        CHECK_FAIL_AT(__FILE__, __LINE__, "cannot open %s", path);
        return;
    }
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc(len);
    CHECK_EQ(fread(text, 1, len, f), len);
    fclose(f);
    CHECK(len > 6u * 1000 * 1000);
    guarded g = guarded_alloc(len), g2 = guarded_alloc(len);
    CHECK_EQ(parse_all_ways(text, len, &g, &g2, false, __LINE__), SHARDLINE_OK);
    shardline_batch *b = NULL;
    CHECK_EQ(shardline_batch_parse(text, len, NULL, &b, NULL), SHARDLINE_OK);
    CHECK_EQ(shardline_batch_size(b), 10000);
    shardline_batch_free(b);
    for (size_t k = 1; k < 64; k++) {
        size_t n = len / 64 * k + k * 7;
        CHECK(parse_all_ways(text, n, &g, &g2, false, __LINE__) != SHARDLINE_OK);
    }
    guarded_free(&g);
    guarded_free(&g2);
    free(text);
}

int main(int argc, char **argv)
{
    for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
        test_truncation(fixtures[f], false);
        test_flips(fixtures[f], false);
    }
    for (size_t f = 0; f < sizeof change_fixtures / sizeof change_fixtures[0]; f++) {
        test_truncation(change_fixtures[f], true);
        test_flips(change_fixtures[f], true);
    }
    if (argc > 1)
        test_large_event(argv[1]);
    return check_done("test_robustness");
}
