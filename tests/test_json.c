/* test_json.c - the generic JSON API: values and accessors, and every error with its code and offset. */
#include <math.h>
#include <stdlib.h>

#include "check.h"

static shardline_doc *parse_ok(const char *text, size_t len, int line)
{
    shardline_doc *doc = NULL;
    shardline_error err;
    shardline_status st = shardline_json_parse(text, len, NULL, &doc, &err);
    check_total++;
    if (st != SHARDLINE_OK || doc == NULL) {
        CHECK_FAIL_AT(__FILE__, line, "parse of '%.*s' failed: %s at %zu", (int)len, text,
                      shardline_status_name(st), err.offset);
        return NULL;
    }
    return doc;
}
#define PARSE(lit) parse_ok((lit), sizeof(lit) - 1, __LINE__)

/* Both the builder and the validator must reject text with this code and
 * offset, leave *out NULL, and carry no path. */
static void expect_error(const char *text, size_t len, shardline_status code, size_t offset,
                         const shardline_options *options, int line)
{
    shardline_doc *doc = (shardline_doc *)(uintptr_t)1;
    shardline_error err;
    shardline_status st = shardline_json_parse(text, len, options, &doc, &err);
    check_total++;
    if (st != code || err.code != code || err.offset != offset || doc != NULL || err.path[0])
        CHECK_FAIL_AT(__FILE__, line, "parse '%.*s': got %s at %zu, expected %s at %zu", (int)len,
                      text, shardline_status_name(st), err.offset, shardline_status_name(code),
                      offset);
    st = shardline_json_validate(text, len, options, &err);
    check_total++;
    if (st != code || err.offset != offset)
        CHECK_FAIL_AT(__FILE__, line, "validate '%.*s': got %s at %zu, expected %s at %zu",
                      (int)len, text, shardline_status_name(st), err.offset,
                      shardline_status_name(code), offset);
}
#define EXPECT_ERROR(lit, code, offset) expect_error((lit), sizeof(lit) - 1, (code), (offset), NULL, __LINE__)

static void test_object_accessors(void)
{
    shardline_doc *doc = PARSE("{\"a\":1,\"b\":[true,false,null],\"c\":\"x\\ny\",\"d\":{\"e\":-1.5e3},\"\":0}");
    const shardline_value *root = shardline_doc_root(doc);
    CHECK_EQ(shardline_value_type(root), SHARDLINE_TYPE_OBJECT);
    CHECK_EQ(shardline_value_size(root), 5);
    CHECK_VIEW(shardline_value_key_at(root, 0), "a");
    CHECK_VIEW(shardline_value_key_at(root, 3), "d");
    CHECK_VIEW(shardline_value_key_at(root, 4), "");
    CHECK(shardline_value_key_at(root, 5).ptr == NULL);
    CHECK(shardline_value_member_at(root, 5) == NULL);

    int64_t i = 0;
    const shardline_value *a = shardline_value_get(root, "a", 1);
    CHECK_EQ(shardline_value_type(a), SHARDLINE_TYPE_NUMBER);
    CHECK_EQ(shardline_value_number_int64(a, &i), 1);
    CHECK_EQ(i, 1);
    CHECK(a == shardline_value_member_at(root, 0));

    const shardline_value *b = shardline_value_get(root, "b", 1);
    CHECK_EQ(shardline_value_type(b), SHARDLINE_TYPE_ARRAY);
    CHECK_EQ(shardline_value_size(b), 3);
    CHECK_EQ(shardline_value_type(shardline_value_at(b, 0)), SHARDLINE_TYPE_TRUE);
    CHECK_EQ(shardline_value_type(shardline_value_at(b, 1)), SHARDLINE_TYPE_FALSE);
    CHECK_EQ(shardline_value_type(shardline_value_at(b, 2)), SHARDLINE_TYPE_NULL);
    CHECK(shardline_value_at(b, 3) == NULL);
    CHECK(shardline_value_at(root, 0) == NULL); /* not an array */

    CHECK_VIEW(shardline_value_string(shardline_value_get(root, "c", 1)), "x\ny");
    const shardline_value *e = shardline_value_get(shardline_value_get(root, "d", 1), "e", 1);
    CHECK_VIEW(shardline_value_number_text(e), "-1.5e3");
    CHECK_EQ(shardline_value_number_int64(e, &i), 1);
    CHECK_EQ(i, -1500);
    double d = 0;
    CHECK_EQ(shardline_value_number_double(e, &d), 1);
    CHECK(d == -1500.0);
    CHECK(shardline_value_get(root, "zz", 2) == NULL);
    CHECK(shardline_value_get(root, "", 0) == shardline_value_member_at(root, 4));

    /* Wrong-type accessors give the empty answer. */
    CHECK(shardline_value_string(a).ptr == NULL);
    CHECK(shardline_value_number_text(b).ptr == NULL);
    CHECK_EQ(shardline_value_number_double(b, &d), -1);
    CHECK_EQ(shardline_value_number_int64(b, &i), 0);
    CHECK_EQ(shardline_value_size(a), 0);
    shardline_doc_free(doc);
}

static void test_scalars_and_forms(void)
{
    shardline_doc *doc = PARSE(" \t\r\n\"s\" \n");
    CHECK_VIEW(shardline_value_string(shardline_doc_root(doc)), "s");
    shardline_doc_free(doc);

    doc = PARSE("null");
    CHECK_EQ(shardline_value_type(shardline_doc_root(doc)), SHARDLINE_TYPE_NULL);
    shardline_doc_free(doc);

    doc = PARSE("\xEF\xBB\xBF[]");
    CHECK_EQ(shardline_value_type(shardline_doc_root(doc)), SHARDLINE_TYPE_ARRAY);
    CHECK_EQ(shardline_value_size(shardline_doc_root(doc)), 0);
    shardline_doc_free(doc);

    doc = PARSE("{}");
    CHECK_EQ(shardline_value_size(shardline_doc_root(doc)), 0);
    shardline_doc_free(doc);

    /* Every escape, a surrogate pair, \u0000 and raw UTF-8. */
    doc = PARSE("\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\xE6\x97\xA5\"");
    shardline_view s = shardline_value_string(shardline_doc_root(doc));
    CHECK_EQ(s.len, 18); /* 2 + 4 + 8 one-byte escapes + NUL + 3 */
    CHECK_MEM(s.ptr, 14, "\xC3\xA9\xF0\x9F\x98\x80\"\\/\b\f\n\r\t", 14);
    CHECK_EQ(s.ptr[14], 0);
    CHECK_MEM(s.ptr + 15, 3, "\xE6\x97\xA5", 3);
    shardline_doc_free(doc);

    /* Duplicate keys are kept in order; lookup finds the last. */
    doc = PARSE("{\"k\":1,\"k\":2,\"\\u006b\":3,\"j\":4}");
    const shardline_value *root = shardline_doc_root(doc);
    CHECK_EQ(shardline_value_size(root), 4);
    CHECK_VIEW(shardline_value_key_at(root, 2), "k");
    CHECK_VIEW(shardline_value_number_text(shardline_value_get(root, "k", 1)), "3");
    shardline_doc_free(doc);

    /* Number forms keep their text. */
    static const char *const numbers[] = {"0", "-0", "1", "-1", "0.5", "1e5", "1E+5", "1e-5",
                                          "12345678901234567890123", "-0.0e-0"};
    for (size_t n = 0; n < sizeof numbers / sizeof numbers[0]; n++) {
        doc = parse_ok(numbers[n], strlen(numbers[n]), __LINE__);
        CHECK_VIEW(shardline_value_number_text(shardline_doc_root(doc)), numbers[n]);
        shardline_doc_free(doc);
    }
}

static void test_number_accessors(void)
{
    shardline_doc *doc = PARSE("[12, 1.2e1, 120e-1, 1.5, 9223372036854775807, 9223372036854775808,"
                               " -9223372036854775808, 0.1, 1e400, -0]");
    const shardline_value *root = shardline_doc_root(doc);
    int64_t i = 0;
    double d = 0;
    for (size_t k = 0; k < 3; k++) {
        CHECK_EQ(shardline_value_number_int64(shardline_value_at(root, k), &i), 1);
        CHECK_EQ(i, 12);
        CHECK_EQ(shardline_value_number_double(shardline_value_at(root, k), &d), 1);
        CHECK(d == 12.0);
    }
    CHECK_EQ(shardline_value_number_int64(shardline_value_at(root, 3), &i), 0);
    CHECK_EQ(shardline_value_number_int64(shardline_value_at(root, 4), &i), 1);
    CHECK(i == INT64_MAX);
    CHECK_EQ(shardline_value_number_int64(shardline_value_at(root, 5), &i), 0);
    CHECK_EQ(shardline_value_number_int64(shardline_value_at(root, 6), &i), 1);
    CHECK(i == INT64_MIN);
    CHECK_EQ(shardline_value_number_double(shardline_value_at(root, 7), &d), 0);
    CHECK(d == 0.1);
    CHECK_EQ(shardline_value_number_double(shardline_value_at(root, 8), &d), 0);
    CHECK(isinf(d) && d > 0);
    CHECK_EQ(shardline_value_number_double(shardline_value_at(root, 9), &d), 1);
    CHECK(d == 0.0 && signbit(d));
    CHECK_EQ(shardline_value_number_int64(shardline_value_at(root, 0), NULL), 0);
    CHECK_EQ(shardline_value_number_double(shardline_value_at(root, 0), NULL), -1);
    shardline_doc_free(doc);
}

static void test_large_array(void)
{
    enum { N = 100000 };
    char *text = malloc(N * 2 + 2);
    size_t len = 0;
    text[len++] = '[';
    for (int k = 0; k < N; k++) {
        text[len++] = (char)('0' + k % 10);
        text[len++] = k + 1 < N ? ',' : ']';
    }
    shardline_doc *doc = parse_ok(text, len, __LINE__);
    const shardline_value *root = shardline_doc_root(doc);
    CHECK_EQ(shardline_value_size(root), N);
    int64_t v = -1;
    CHECK_EQ(shardline_value_number_int64(shardline_value_at(root, 77777), &v), 1);
    CHECK_EQ(v, 7);
    shardline_doc_free(doc);
    free(text);
}

/* Nesting: exactly the limit works, one more is SHARDLINE_ERR_DEPTH at the
 * bracket that goes too deep, and deep limits never use the C stack. */
static void test_depth(void)
{
    shardline_options opts;
    shardline_options_init(&opts);
    opts.max_depth = 3;
    shardline_doc *doc = NULL;
    shardline_error err;
    CHECK_EQ(shardline_json_parse("[[[1]]]", 7, &opts, &doc, &err), SHARDLINE_OK);
    shardline_doc_free(doc);
    CHECK_EQ(shardline_json_parse("[{\"a\":[]}]", 10, &opts, &doc, &err), SHARDLINE_OK);
    shardline_doc_free(doc);
    expect_error("[[[[1]]]]", 9, SHARDLINE_ERR_DEPTH, 3, &opts, __LINE__);
    expect_error("[{\"a\":[{}]}]", 12, SHARDLINE_ERR_DEPTH, 7, &opts, __LINE__);

    /* Default 1024. */
    size_t n = 1025;
    char *text = malloc(2 * n);
    memset(text, '[', n);
    memset(text + n, ']', n);
    CHECK_EQ(shardline_json_validate(text + 1, 2 * n - 2, NULL, &err), SHARDLINE_OK);
    expect_error(text, 2 * n, SHARDLINE_ERR_DEPTH, 1024, NULL, __LINE__);
    free(text);

    /* 200,000 levels with a raised limit: heap-grown nesting stack. */
    n = 200000;
    text = malloc(2 * n);
    memset(text, '[', n);
    memset(text + n, ']', n);
    opts.max_depth = 200000;
    CHECK_EQ(shardline_json_validate(text, 2 * n, &opts, &err), SHARDLINE_OK);
    CHECK_EQ(shardline_json_parse(text, 2 * n, &opts, &doc, &err), SHARDLINE_OK);
    const shardline_value *v = shardline_doc_root(doc);
    size_t depth = 0;
    while (shardline_value_size(v) == 1) {
        v = shardline_value_at(v, 0);
        depth++;
    }
    CHECK_EQ(depth, n - 1);
    shardline_doc_free(doc);
    opts.max_depth = 199999;
    expect_error(text, 2 * n, SHARDLINE_ERR_DEPTH, 199999, &opts, __LINE__);
    free(text);
}

static void test_errors(void)
{
    /* Empty input. */
    EXPECT_ERROR("", SHARDLINE_ERR_EMPTY, 0);
    EXPECT_ERROR(" \n\t ", SHARDLINE_ERR_EMPTY, 4);
    EXPECT_ERROR("\xEF\xBB\xBF", SHARDLINE_ERR_EMPTY, 3);

    /* Truncation: the offset is the input length. */
    EXPECT_ERROR("{", SHARDLINE_ERR_TRUNCATED, 1);
    EXPECT_ERROR("[1,", SHARDLINE_ERR_TRUNCATED, 3);
    EXPECT_ERROR("[1", SHARDLINE_ERR_TRUNCATED, 2);
    EXPECT_ERROR("{\"a\"", SHARDLINE_ERR_TRUNCATED, 4);
    EXPECT_ERROR("{\"a\":", SHARDLINE_ERR_TRUNCATED, 5);
    EXPECT_ERROR("{\"a\":1", SHARDLINE_ERR_TRUNCATED, 6);
    EXPECT_ERROR("\"abc", SHARDLINE_ERR_TRUNCATED, 4);
    EXPECT_ERROR("tru", SHARDLINE_ERR_TRUNCATED, 3);
    EXPECT_ERROR("nul", SHARDLINE_ERR_TRUNCATED, 3);
    EXPECT_ERROR("-", SHARDLINE_ERR_TRUNCATED, 1);
    EXPECT_ERROR("1.", SHARDLINE_ERR_TRUNCATED, 2);
    EXPECT_ERROR("1e", SHARDLINE_ERR_TRUNCATED, 2);
    EXPECT_ERROR("1e+", SHARDLINE_ERR_TRUNCATED, 3);
    EXPECT_ERROR("\"\\", SHARDLINE_ERR_TRUNCATED, 2);
    EXPECT_ERROR("\"\\u12", SHARDLINE_ERR_TRUNCATED, 5);
    EXPECT_ERROR("\"\\ud83d", SHARDLINE_ERR_TRUNCATED, 7);
    EXPECT_ERROR("\"\\ud83d\\", SHARDLINE_ERR_TRUNCATED, 8);
    EXPECT_ERROR("\"\\ud83d\\u", SHARDLINE_ERR_TRUNCATED, 9);
    EXPECT_ERROR("\"\\ud83d\\ude0", SHARDLINE_ERR_TRUNCATED, 12);
    EXPECT_ERROR("\"\xC3", SHARDLINE_ERR_UTF8, 1); /* cut inside a sequence */

    /* Syntax: the offset is the unexpected byte. */
    EXPECT_ERROR("[1,]", SHARDLINE_ERR_SYNTAX, 3);
    EXPECT_ERROR("{\"a\":1,}", SHARDLINE_ERR_SYNTAX, 7);
    EXPECT_ERROR("{,}", SHARDLINE_ERR_SYNTAX, 1);
    EXPECT_ERROR("[,1]", SHARDLINE_ERR_SYNTAX, 1);
    EXPECT_ERROR("[1,,2]", SHARDLINE_ERR_SYNTAX, 3);
    EXPECT_ERROR("[1 2]", SHARDLINE_ERR_SYNTAX, 3);
    EXPECT_ERROR("{\"a\" 1}", SHARDLINE_ERR_SYNTAX, 5);
    EXPECT_ERROR("{\"a\":1 \"b\":2}", SHARDLINE_ERR_SYNTAX, 7);
    EXPECT_ERROR("{1:2}", SHARDLINE_ERR_SYNTAX, 1);
    EXPECT_ERROR("{'a':1}", SHARDLINE_ERR_SYNTAX, 1);
    EXPECT_ERROR("[\"a\"\n:1]", SHARDLINE_ERR_SYNTAX, 5);
    EXPECT_ERROR("[1}", SHARDLINE_ERR_SYNTAX, 2);
    EXPECT_ERROR("{\"a\":1]", SHARDLINE_ERR_SYNTAX, 6);
    EXPECT_ERROR("// c\n1", SHARDLINE_ERR_SYNTAX, 0);
    EXPECT_ERROR("[1/*x*/]", SHARDLINE_ERR_SYNTAX, 2);
    EXPECT_ERROR("trux", SHARDLINE_ERR_SYNTAX, 0);
    EXPECT_ERROR("[nulL]", SHARDLINE_ERR_SYNTAX, 1);
    EXPECT_ERROR("True", SHARDLINE_ERR_SYNTAX, 0);
    EXPECT_ERROR("NaN", SHARDLINE_ERR_SYNTAX, 0);
    EXPECT_ERROR("[Infinity]", SHARDLINE_ERR_SYNTAX, 1);
    EXPECT_ERROR("+1", SHARDLINE_ERR_SYNTAX, 0);
    EXPECT_ERROR(".5", SHARDLINE_ERR_SYNTAX, 0);
    EXPECT_ERROR("'a'", SHARDLINE_ERR_SYNTAX, 0);
    EXPECT_ERROR("[\xC3\xA9]", SHARDLINE_ERR_SYNTAX, 1);
    EXPECT_ERROR("\x0c" "1", SHARDLINE_ERR_SYNTAX, 0); /* form feed is not JSON whitespace */
    EXPECT_ERROR("[1.5.3]", SHARDLINE_ERR_SYNTAX, 4);
    EXPECT_ERROR("[1x]", SHARDLINE_ERR_SYNTAX, 2);

    /* Trailing content. */
    EXPECT_ERROR("truex", SHARDLINE_ERR_TRAILING, 4);
    EXPECT_ERROR("{\"a\":1}}", SHARDLINE_ERR_TRAILING, 7);
    EXPECT_ERROR("[] []", SHARDLINE_ERR_TRAILING, 3);
    EXPECT_ERROR("1.5.3", SHARDLINE_ERR_TRAILING, 3);
    EXPECT_ERROR("1 2", SHARDLINE_ERR_TRAILING, 2);
    EXPECT_ERROR("{}\x00", SHARDLINE_ERR_TRAILING, 2);

    /* Numbers: the offset is the number's first byte. */
    EXPECT_ERROR("01", SHARDLINE_ERR_NUMBER, 0);
    EXPECT_ERROR("[-01]", SHARDLINE_ERR_NUMBER, 1);
    EXPECT_ERROR("[00]", SHARDLINE_ERR_NUMBER, 1);
    EXPECT_ERROR("[-]", SHARDLINE_ERR_NUMBER, 1);
    EXPECT_ERROR("[-a]", SHARDLINE_ERR_NUMBER, 1);
    EXPECT_ERROR("1.e5", SHARDLINE_ERR_NUMBER, 0);
    EXPECT_ERROR("[1.]", SHARDLINE_ERR_NUMBER, 1);
    EXPECT_ERROR("[1e]", SHARDLINE_ERR_NUMBER, 1);
    EXPECT_ERROR("[1e+]", SHARDLINE_ERR_NUMBER, 1);
    EXPECT_ERROR("[2E-x]", SHARDLINE_ERR_NUMBER, 1);

    /* Control characters inside strings. */
    EXPECT_ERROR("\"a\x01" "b\"", SHARDLINE_ERR_CONTROL_CHAR, 2);
    EXPECT_ERROR("\"\t\"", SHARDLINE_ERR_CONTROL_CHAR, 1);
    EXPECT_ERROR("[\"ab\ncd\"]", SHARDLINE_ERR_CONTROL_CHAR, 4);
    EXPECT_ERROR("\"\x1f\"", SHARDLINE_ERR_CONTROL_CHAR, 1);
    EXPECT_ERROR("{\"k\x00\":1}", SHARDLINE_ERR_CONTROL_CHAR, 3);

    /* Escapes: the offset is the backslash that starts the bad escape. */
    EXPECT_ERROR("\"\\x\"", SHARDLINE_ERR_ESCAPE, 1);
    EXPECT_ERROR("\"ab\\U0041\"", SHARDLINE_ERR_ESCAPE, 3);
    EXPECT_ERROR("\"\\u12G4\"", SHARDLINE_ERR_ESCAPE, 1);
    EXPECT_ERROR("\"\\udc00\"", SHARDLINE_ERR_ESCAPE, 1);
    EXPECT_ERROR("\"\\ud800\"", SHARDLINE_ERR_ESCAPE, 1);
    EXPECT_ERROR("\"\\ud800x\\udc00\"", SHARDLINE_ERR_ESCAPE, 1);
    EXPECT_ERROR("\"\\ud800\\u0041\"", SHARDLINE_ERR_ESCAPE, 1);
    EXPECT_ERROR("\"\\ud800\\n\"", SHARDLINE_ERR_ESCAPE, 1);
    EXPECT_ERROR("\"ab\\ud800\\udbff\"", SHARDLINE_ERR_ESCAPE, 3);
    EXPECT_ERROR("\"\\'\"", SHARDLINE_ERR_ESCAPE, 1);
    EXPECT_ERROR("{\"\\a\":1}", SHARDLINE_ERR_ESCAPE, 2);

    /* UTF-8: the offset is the bad sequence's first byte. */
    EXPECT_ERROR("\"\xC3\"", SHARDLINE_ERR_UTF8, 1);
    EXPECT_ERROR("\"ab\xED\xA0\x80\"", SHARDLINE_ERR_UTF8, 3);
    EXPECT_ERROR("\"\xF4\x90\x80\x80\"", SHARDLINE_ERR_UTF8, 1);
    EXPECT_ERROR("\"\xC0\xAF\"", SHARDLINE_ERR_UTF8, 1);
    EXPECT_ERROR("\"\xE0\x80\xAF\"", SHARDLINE_ERR_UTF8, 1);
    EXPECT_ERROR("\"abcdefghijklmnop\x80\"", SHARDLINE_ERR_UTF8, 17);
    EXPECT_ERROR("\"\xFF\"", SHARDLINE_ERR_UTF8, 1);
    EXPECT_ERROR("{\"\xE6\x97\":1}", SHARDLINE_ERR_UTF8, 2);

    /* Left to right: the first problem wins. */
    EXPECT_ERROR("[\"\xC3\", 01]", SHARDLINE_ERR_UTF8, 2);
    EXPECT_ERROR("[01, \"\xC3\"]", SHARDLINE_ERR_NUMBER, 1);
}

static void test_arguments(void)
{
    shardline_doc *doc = (shardline_doc *)(uintptr_t)1;
    shardline_error err;
    CHECK_ERROR(shardline_json_parse(NULL, 1, NULL, &doc, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK(doc == NULL);
    CHECK_ERROR(shardline_json_parse("1", 1, NULL, NULL, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_ERROR(shardline_json_parse(NULL, 0, NULL, &doc, &err), err, SHARDLINE_ERR_EMPTY, 0);
    CHECK_ERROR(shardline_json_validate(NULL, 3, NULL, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_ERROR(shardline_json_parse("1", SHARDLINE_MAX_INPUT + 1, NULL, &doc, &err), err,
                SHARDLINE_ERR_TOO_LARGE, 0);

    shardline_options opts;
    shardline_options_init(&opts);
    opts.flags = 1;
    CHECK_ERROR(shardline_json_validate("1", 1, &opts, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    opts.flags = 0;
    opts.size = 0; /* not initialised */
    CHECK_ERROR(shardline_json_validate("1", 1, &opts, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);

    /* A NULL error pointer is fine, and success clears the error. */
    CHECK_EQ(shardline_json_validate("[", 1, NULL, NULL), SHARDLINE_ERR_TRUNCATED);
    err.code = SHARDLINE_ERR_SYNTAX;
    CHECK_ERROR(shardline_json_validate("[]", 2, NULL, &err), err, SHARDLINE_OK, 0);
    CHECK(err.message != NULL && err.path[0] == '\0');

    /* NULL objects everywhere. */
    CHECK(shardline_doc_root(NULL) == NULL);
    shardline_doc_free(NULL);
    CHECK_EQ(shardline_value_type(NULL), SHARDLINE_TYPE_NULL);
    CHECK_EQ(shardline_value_size(NULL), 0);
    CHECK(shardline_value_at(NULL, 0) == NULL);
    CHECK(shardline_value_get(NULL, "a", 1) == NULL);
    CHECK(shardline_value_string(NULL).ptr == NULL);
    CHECK(shardline_value_key_at(NULL, 0).ptr == NULL);
    CHECK(shardline_value_member_at(NULL, 0) == NULL);
}

/* Nodes keep lengths below 2^28 - 1 inline; longer texts are held apart.
 * A string of that length, as a document, in an array, and as an S value
 * and an attribute name of a DynamoDB image. */
static void test_long_texts(void)
{
    const size_t n = ((size_t)1 << 28) + 3;
    const char *tail = "\",1]";
    char *text = malloc(n + 16);
    CHECK(text != NULL);
    if (text == NULL)
        return;
    text[0] = '[';
    text[1] = '"';
    memset(text + 2, 'a', n);
    memcpy(text + 2 + n, tail, strlen(tail));
    size_t len = 2 + n + strlen(tail);
    shardline_doc *doc = NULL;
    CHECK_EQ(shardline_json_parse(text, len, NULL, &doc, NULL), SHARDLINE_OK);
    const shardline_value *root = shardline_doc_root(doc);
    CHECK_EQ(shardline_value_size(root), 2);
    shardline_view v = shardline_value_string(shardline_value_at(root, 0));
    CHECK_EQ(v.len, n);
    CHECK(v.ptr == text + 2);
    CHECK_VIEW(shardline_value_number_text(shardline_value_at(root, 1)), "1");
    shardline_doc_free(doc);

    /* {"<n a's>":{"S":"<n - 4 a's>"}}: the name and the value. */
    memcpy(text, "{\"", 2);
    memcpy(text + 2 + n, "\":{\"S\":\"", 8);
    size_t value = 2 + n + 8;
    /* The value reuses the name's bytes: the image is laid out again. */
    char *image = malloc(value + n + 8);
    CHECK(image != NULL);
    if (image != NULL) {
        memcpy(image, text, value);
        memset(image + value, 'b', n - 4);
        memcpy(image + value + n - 4, "\"}}", 3);
        shardline_image *img = NULL;
        shardline_error err;
        CHECK_EQ(shardline_image_parse(image, value + n - 1, NULL, &img, &err), SHARDLINE_OK);
        const shardline_attr *a = shardline_image_root(img);
        CHECK_EQ(shardline_attr_size(a), 1);
        CHECK_EQ(shardline_attr_key_at(a, 0).len, n);
        CHECK_EQ(shardline_attr_string(shardline_attr_member_at(a, 0)).len, n - 4);
        CHECK(shardline_attr_string(shardline_attr_member_at(a, 0)).ptr == image + value);
        shardline_image_free(img);
        free(image);
    }
    free(text);
}

int main(void)
{
    test_object_accessors();
    test_scalars_and_forms();
    test_number_accessors();
    test_large_array();
    test_depth();
    test_errors();
    test_arguments();
    test_long_texts();
    return check_done("test_json");
}
