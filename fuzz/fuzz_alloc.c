/* fuzz_alloc.c - fuzz target: every allocation of a parse fails in turn; errors stay clean, nothing leaks. */
#include <string.h>

#include "fuzz_common.h"
#include "testutil.h"

/* The parsing entry points that allocate. */
typedef enum parse_kind {
    KIND_BATCH,
    KIND_BATCH_IN_PLACE,
    KIND_CHANGE,
    KIND_IMAGE,
    KIND_DOC,
    KIND_VALIDATE, /* allocates only past 4096 levels of nesting */
    KIND_COUNT
} parse_kind;

/* Failing allocation N = 0, 1, ... costs a parse each: past this many
 * allocations, spread the attempts over them instead. */
#define MAX_ATTEMPTS 64

typedef struct outcome {
    shardline_status status;
    size_t offset;
    char path[SHARDLINE_ERROR_PATH_MAX];
    uint64_t digest; /* of the result, on success */
    size_t calls;    /* allocator calls the parse made */
} outcome;

static const uint64_t allowed_codes[KIND_COUNT] = {
    FUZZ_EVENT_CODES, FUZZ_EVENT_CODES, FUZZ_EVENT_CODES, FUZZ_IMAGE_CODES, FUZZ_JSON_CODES, FUZZ_JSON_CODES,
};

/* Parse data[0..size) one way with an allocator whose call number fail_at
 * (0-based) returns NULL, check the call's own promises (no output and
 * nothing allocated after a failure, every block freed with its size after
 * a success), and say what happened. */
static outcome run(parse_kind kind, const uint8_t *data, size_t size, size_t fail_at)
{
    static char marker;
    counting_allocator counter = COUNTING_ALLOCATOR_INIT;
    counter.fail_at = fail_at;
    shardline_allocator hooks = {counting_alloc, counting_free, &counter};
    shardline_options options;
    shardline_options_init(&options);
    options.allocator = &hooks;
    if (kind == KIND_VALIDATE)
        options.max_depth = UINT32_MAX;

    /* Read-only except for the in-place parse, which rewrites its copy. */
    char *writable = NULL;
    const char *text;
    if (kind == KIND_BATCH_IN_PLACE)
        text = writable = fuzz_place(0, data, size);
    else
        text = fuzz_place_readonly(0, data, size);
    void *object = &marker;
    shardline_batch *batch = (shardline_batch *)object;
    shardline_image *image = (shardline_image *)object;
    shardline_doc *doc = (shardline_doc *)object;
    shardline_error err;
    fuzz_poison_error(&err);
    shardline_status st;
    switch (kind) {
    case KIND_BATCH:
        st = shardline_batch_parse(text, size, &options, &batch, &err);
        break;
    case KIND_BATCH_IN_PLACE:
        st = shardline_batch_parse_in_place(writable, size, &options, &batch, &err);
        break;
    case KIND_CHANGE:
        st = shardline_dynamodb_change_parse(text, size, &options, &batch, &err);
        break;
    case KIND_IMAGE:
        st = shardline_image_parse(text, size, &options, &image, &err);
        break;
    case KIND_DOC:
        st = shardline_json_parse(text, size, &options, &doc, &err);
        break;
    default:
        st = shardline_json_validate(text, size, &options, &err);
        break;
    }

    outcome o;
    memset(&o, 0, sizeof o);
    o.status = st;
    o.offset = err.offset;
    memcpy(o.path, err.path, sizeof o.path);
    if (st == SHARDLINE_OK) {
        fuzz_check_ok(&err);
        switch (kind) {
        case KIND_BATCH:
        case KIND_BATCH_IN_PLACE:
        case KIND_CHANGE:
            FUZZ_CHECK(shardline_batch_memory(batch) == counter.live_bytes);
            o.digest = fuzz_walk_batch(batch, writable ? NULL : text, size, kind == KIND_CHANGE);
            shardline_batch_free(batch);
            break;
        case KIND_IMAGE:
            o.digest = fuzz_walk_attr(shardline_image_root(image));
            shardline_image_free(image);
            break;
        case KIND_DOC:
            o.digest = fuzz_walk_value(shardline_doc_root(doc));
            shardline_doc_free(doc);
            break;
        default:
            break;
        }
    } else {
        /* No partial result, nothing to free. */
        if (kind == KIND_IMAGE)
            FUZZ_CHECK(image == NULL);
        else if (kind == KIND_DOC)
            FUZZ_CHECK(doc == NULL);
        else if (kind != KIND_VALIDATE)
            FUZZ_CHECK(batch == NULL);
        fuzz_check_failure((const char *)data, size, st, &err,
                           allowed_codes[kind] | FUZZ_CODE(SHARDLINE_ERR_NOMEM));
    }
    FUZZ_CHECK(counter.live_blocks == 0 && counter.live_bytes == 0);
    FUZZ_CHECK(!counter.bad_free);
    o.calls = counter.calls;
    return o;
}

static bool same_outcome(const outcome *a, const outcome *b)
{
    if (a->status != b->status)
        return false;
    if (a->status == SHARDLINE_OK)
        return a->digest == b->digest;
    return a->offset == b->offset && strcmp(a->path, b->path) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int kind = 0; kind < KIND_COUNT; kind++) {
        outcome free_run = run((parse_kind)kind, data, size, SIZE_MAX);
        FUZZ_CHECK(free_run.status != SHARDLINE_ERR_NOMEM);
        size_t calls = free_run.calls;
        size_t step = calls > MAX_ATTEMPTS ? (calls + MAX_ATTEMPTS - 1) / MAX_ATTEMPTS : 1;
        for (size_t n = 0; n < calls; n += step) {
            outcome o = run((parse_kind)kind, data, size, n);
            /* The parse is deterministic, so call n happened and failed. */
            FUZZ_CHECK(o.calls > n);
            if (o.status != SHARDLINE_ERR_NOMEM)
                FUZZ_CHECK(same_outcome(&o, &free_run));
        }
        /* Failing the first call that never comes changes nothing. */
        outcome past_end = run((parse_kind)kind, data, size, calls);
        FUZZ_CHECK(same_outcome(&past_end, &free_run) && past_end.calls == calls);
    }
    return 0;
}
