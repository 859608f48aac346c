/* test_api.c - the ABI surface: versions, status names, options, allocator hooks, NULLs, threads. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "testutil.h"

static void test_version(void)
{
    CHECK_EQ(shardline_version(), SHARDLINE_VERSION_NUMBER);
    CHECK(strcmp(shardline_version_string(), SHARDLINE_VERSION_STRING) == 0);
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", SHARDLINE_VERSION_MAJOR, SHARDLINE_VERSION_MINOR,
             SHARDLINE_VERSION_PATCH);
    CHECK(strcmp(shardline_version_string(), expect) == 0);
}

static void test_status_names(void)
{
    static const struct {
        shardline_status code;
        int value;
        const char *name;
    } table[] = {
        {SHARDLINE_OK, 0, "SHARDLINE_OK"},
        {SHARDLINE_ERR_INVALID_ARGUMENT, 1, "SHARDLINE_ERR_INVALID_ARGUMENT"},
        {SHARDLINE_ERR_NOMEM, 2, "SHARDLINE_ERR_NOMEM"},
        {SHARDLINE_ERR_TOO_LARGE, 3, "SHARDLINE_ERR_TOO_LARGE"},
        {SHARDLINE_ERR_UTF8, 10, "SHARDLINE_ERR_UTF8"},
        {SHARDLINE_ERR_TRUNCATED, 11, "SHARDLINE_ERR_TRUNCATED"},
        {SHARDLINE_ERR_SYNTAX, 12, "SHARDLINE_ERR_SYNTAX"},
        {SHARDLINE_ERR_CONTROL_CHAR, 13, "SHARDLINE_ERR_CONTROL_CHAR"},
        {SHARDLINE_ERR_ESCAPE, 14, "SHARDLINE_ERR_ESCAPE"},
        {SHARDLINE_ERR_NUMBER, 15, "SHARDLINE_ERR_NUMBER"},
        {SHARDLINE_ERR_DEPTH, 16, "SHARDLINE_ERR_DEPTH"},
        {SHARDLINE_ERR_TRAILING, 17, "SHARDLINE_ERR_TRAILING"},
        {SHARDLINE_ERR_EMPTY, 18, "SHARDLINE_ERR_EMPTY"},
        {SHARDLINE_ERR_BASE64_CHAR, 30, "SHARDLINE_ERR_BASE64_CHAR"},
        {SHARDLINE_ERR_BASE64_PADDING, 31, "SHARDLINE_ERR_BASE64_PADDING"},
        {SHARDLINE_ERR_BASE64_TRAILING_BITS, 32, "SHARDLINE_ERR_BASE64_TRAILING_BITS"},
        {SHARDLINE_ERR_MISSING_FIELD, 50, "SHARDLINE_ERR_MISSING_FIELD"},
        {SHARDLINE_ERR_FIELD_TYPE, 51, "SHARDLINE_ERR_FIELD_TYPE"},
        {SHARDLINE_ERR_FIELD_VALUE, 52, "SHARDLINE_ERR_FIELD_VALUE"},
        {SHARDLINE_ERR_DUPLICATE_FIELD, 53, "SHARDLINE_ERR_DUPLICATE_FIELD"},
        {SHARDLINE_ERR_ATTR_TYPE, 60, "SHARDLINE_ERR_ATTR_TYPE"},
        {SHARDLINE_ERR_ATTR_NUMBER, 61, "SHARDLINE_ERR_ATTR_NUMBER"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        CHECK_EQ(table[i].code, table[i].value); /* values are ABI */
        CHECK(strcmp(shardline_status_name(table[i].code), table[i].name) == 0);
        const char *msg = shardline_status_message(table[i].code);
        CHECK(msg != NULL && msg[0] != '\0');
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(msg, shardline_status_message(table[j].code)) != 0);
    }
    CHECK(strcmp(shardline_status_name((shardline_status)999), "SHARDLINE_ERR_UNKNOWN") == 0);
    CHECK(strcmp(shardline_status_message((shardline_status)999), "unknown error") == 0);
}

static void test_options(void)
{
    shardline_options o;
    memset(&o, 0xAB, sizeof o);
    shardline_options_init(&o);
    CHECK_EQ(o.size, sizeof o);
    CHECK_EQ(o.max_depth, SHARDLINE_DEFAULT_MAX_DEPTH);
    CHECK_EQ(o.flags, 0);
    CHECK(o.allocator == NULL);
    shardline_options_init(NULL);
}

static void test_batch_arguments(void)
{
    shardline_batch *b = (shardline_batch *)(uintptr_t)1;
    shardline_error err;
    CHECK_ERROR(shardline_batch_parse(NULL, 4, NULL, &b, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK(b == NULL);
    CHECK_ERROR(shardline_batch_parse("{}", 2, NULL, NULL, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_ERROR(shardline_batch_parse(NULL, 0, NULL, &b, &err), err, SHARDLINE_ERR_EMPTY, 0);
    CHECK_ERROR(shardline_batch_parse_in_place(NULL, 0, NULL, &b, &err), err, SHARDLINE_ERR_EMPTY, 0);
    CHECK_ERROR(shardline_batch_parse("{}", SHARDLINE_MAX_INPUT + 1, NULL, &b, &err), err,
                SHARDLINE_ERR_TOO_LARGE, 0);
    CHECK_EQ(shardline_batch_parse("{\"Records\":[]}", 14, NULL, &b, NULL), SHARDLINE_OK);
    CHECK_EQ(shardline_batch_size(b), 0);
    shardline_batch_free(b);

    CHECK_EQ(shardline_batch_size(NULL), 0);
    CHECK(shardline_batch_record(NULL, 0) == NULL);
    CHECK_EQ(shardline_batch_memory(NULL), 0);
    shardline_batch_free(NULL);
    CHECK(shardline_implementation() != NULL && shardline_implementation()[0] != '\0');
}

/* ---- allocator hooks ------------------------------------------------------------- */

static void test_allocator(void)
{
    size_t len;
    char *text = read_fixture("kinesis/escapes.json", &len);
    counting_allocator c = COUNTING_ALLOCATOR_INIT;
    shardline_allocator hooks = {counting_alloc, counting_free, &c};
    shardline_options opts;
    shardline_options_init(&opts);
    opts.allocator = &hooks;

    /* Every allocation goes through the hooks and comes back. */
    shardline_batch *b = NULL;
    CHECK_EQ(shardline_batch_parse(text, len, &opts, &b, NULL), SHARDLINE_OK);
    CHECK(c.calls > 0 && c.live_blocks > 0);
    CHECK_EQ(shardline_batch_memory(b), c.live_bytes);
    /* Escaped strings are unescaped into the arena. */
    CHECK_VIEW(shardline_batch_record(b, 0)->kinesis.partition_key, "caf\xC3\xA9");
    shardline_batch_free(b);
    CHECK_EQ(c.live_bytes, 0);
    CHECK_EQ(c.live_blocks, 0);
    CHECK(!c.bad_free);
    size_t batch_calls = c.calls;

    /* Fail the Nth allocation, for every N the parse makes: a clean NOMEM,
     * no batch, nothing left allocated. */
    for (size_t n = 0; n < batch_calls; n++) {
        c.calls = 0;
        c.fail_at = n;
        shardline_error err;
        b = (shardline_batch *)(uintptr_t)1;
        CHECK_EQ(shardline_batch_parse(text, len, &opts, &b, &err), SHARDLINE_ERR_NOMEM);
        CHECK_EQ(err.code, SHARDLINE_ERR_NOMEM);
        CHECK(b == NULL);
        CHECK_EQ(c.live_blocks, 0);
    }

    /* The same for documents, including deep nesting (heap nesting stack). */
    enum { DEEP = 5000 };
    char *deep = malloc(2 * DEEP);
    memset(deep, '[', DEEP);
    memset(deep + DEEP, ']', DEEP);
    opts.max_depth = DEEP;
    static const char *const docs[] = {"{\"a\":[1,2,{\"b\":\"\\u00e9\"}],\"c\":\"x\"}", NULL};
    for (int d = 0; d < 2; d++) {
        const char *doc_text = docs[d] ? docs[d] : deep;
        size_t doc_len = docs[d] ? strlen(docs[d]) : 2 * DEEP;
        c.calls = 0;
        c.fail_at = SIZE_MAX;
        shardline_doc *doc = NULL;
        CHECK_EQ(shardline_json_parse(doc_text, doc_len, &opts, &doc, NULL), SHARDLINE_OK);
        shardline_doc_free(doc);
        CHECK_EQ(c.live_blocks, 0);
        size_t doc_calls = c.calls;
        CHECK(doc_calls > 0);
        for (size_t n = 0; n < doc_calls; n++) {
            c.calls = 0;
            c.fail_at = n;
            doc = (shardline_doc *)(uintptr_t)1;
            CHECK_EQ(shardline_json_parse(doc_text, doc_len, &opts, &doc, NULL), SHARDLINE_ERR_NOMEM);
            CHECK(doc == NULL);
            CHECK_EQ(c.live_blocks, 0);
        }
        /* Validation allocates only for nesting beyond 4096 levels. */
        c.calls = 0;
        c.fail_at = SIZE_MAX;
        CHECK_EQ(shardline_json_validate(doc_text, doc_len, &opts, NULL), SHARDLINE_OK);
        CHECK_EQ(c.calls, docs[d] ? 0 : 1);
        CHECK_EQ(c.live_blocks, 0);
    }
    free(deep);

    /* A caller compiled against an older, smaller options struct: the
     * allocator field is beyond its size, so it is not read. */
    shardline_options old;
    shardline_options_init(&old);
    old.size = offsetof(shardline_options, allocator);
    old.allocator = (const shardline_allocator *)(uintptr_t)1; /* garbage: must be ignored */
    c.calls = 0;
    CHECK_EQ(shardline_batch_parse(text, len, &old, &b, NULL), SHARDLINE_OK);
    CHECK_EQ(c.calls, 0);
    shardline_batch_free(b);

    /* In-place mode allocates only the batch and its record table. */
    char *copy = malloc(len);
    memcpy(copy, text, len);
    c.calls = 0;
    c.fail_at = SIZE_MAX;
    CHECK_EQ(shardline_batch_parse_in_place(copy, len, &opts, &b, NULL), SHARDLINE_OK);
    CHECK_EQ(c.calls, 2);
    CHECK_EQ(c.live_bytes, shardline_batch_memory(b));
    shardline_batch_free(b);
    CHECK_EQ(c.live_blocks, 0);
    free(copy);
    free(text);
}

/* ---- threads --------------------------------------------------------------------- */

typedef struct job {
    const char *text;
    size_t len;
    size_t records;
    bool ok;
} job;

static void *parse_many(void *arg)
{
    job *j = arg;
    j->ok = true;
    for (int i = 0; i < 300 && j->ok; i++) {
        shardline_batch *b = NULL;
        if (shardline_batch_parse(j->text, j->len, NULL, &b, NULL) != SHARDLINE_OK ||
            shardline_batch_size(b) != j->records ||
            shardline_batch_record(b, 0)->kinesis.data.len != 91)
            j->ok = false;
        shardline_batch_free(b);
    }
    return NULL;
}

/* Threads parsing at once, the first of them racing on the one-time kernel
 * dispatch (this test makes no call that dispatches before it). */
static void test_threads(void)
{
    size_t len;
    char *text = read_fixture("kinesis/mixed-payloads.json", &len);
    enum { THREADS = 4 };
    pthread_t tid[THREADS];
    job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (job){text, len, 5, false};
        CHECK_EQ(pthread_create(&tid[t], NULL, parse_many, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(tid[t], NULL);
        CHECK(jobs[t].ok);
    }
    free(text);
}

int main(void)
{
    test_threads();
    test_version();
    test_status_names();
    test_options();
    test_batch_arguments();
    test_allocator();
    return check_done("test_api");
}
