/* fuzz_json.c - fuzz target: JSON documents (parse, byte by byte, agrees with validate, over the structural index; every accessor) and UTF-8 validation. */
#include <string.h>

#include "fuzz_common.h"

/* Parse and validate text with the same options: both must give the same
 * status and offset. Returns the status; *digest receives the tree's digest
 * on success. Only with walk are the tree's accessors checked: the other
 * parses build the same tree from the same text. */
static shardline_status parse_and_validate(const char *text, size_t len,
                                           const shardline_options *options, bool walk,
                                           shardline_error *err, uint64_t *digest)
{
    static char marker;
    shardline_doc *doc = (shardline_doc *)(void *)&marker;
    shardline_error verr;
    fuzz_poison_error(err);
    fuzz_poison_error(&verr);
    shardline_status st = shardline_json_parse(text, len, options, &doc, err);
    shardline_status vst = shardline_json_validate(text, len, options, &verr);
    FUZZ_CHECK(st == vst);
    *digest = 0;
    if (st == SHARDLINE_OK) {
        fuzz_check_ok(err);
        fuzz_check_ok(&verr);
        const shardline_value *root = shardline_doc_root(doc);
        FUZZ_CHECK(root != NULL);
        *digest = walk ? fuzz_walk_value(root) : fuzz_digest_value(root);
    } else {
        FUZZ_CHECK(doc == NULL);
        fuzz_check_failure(text, len, st, err, FUZZ_JSON_CODES);
        fuzz_check_failure(text, len, vst, &verr, FUZZ_JSON_CODES);
        FUZZ_CHECK(err->offset == verr.offset);
        /* A document has no schema, so no path. */
        FUZZ_CHECK(err->path[0] == '\0' && verr.path[0] == '\0');
    }
    fuzz_check_utf8_consistency(text, len, st, err);
    shardline_doc_free(doc);
    return st;
}

/* shardline_utf8_validate against the reference decoder. */
static void check_utf8(const char *text, size_t len)
{
    shardline_error err;
    size_t bad = 0;
    bool valid = fuzz_ref_utf8((const uint8_t *)text, len, &bad);
    fuzz_poison_error(&err);
    shardline_status st = shardline_utf8_validate(text, len, &err);
    if (valid) {
        FUZZ_CHECK(st == SHARDLINE_OK);
        fuzz_check_ok(&err);
    } else {
        FUZZ_CHECK(st == SHARDLINE_ERR_UTF8 && err.code == st && err.offset == bad);
        FUZZ_CHECK(err.message != NULL && err.path[0] == '\0');
    }
    FUZZ_CHECK(shardline_utf8_validate(text, len, NULL) == st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = fuzz_place_readonly(0, data, size);
    shardline_error full;
    uint64_t full_digest;
    shardline_status st = parse_and_validate(text, size, NULL, true, &full, &full_digest);
    FUZZ_CHECK(shardline_json_validate(text, size, NULL, NULL) == st);
    check_utf8(text, size);

    /* A tight nesting limit: the same parse until it first goes too deep. */
    shardline_options options;
    shardline_options_init(&options);
    options.max_depth = 1 + (uint32_t)(size % 8);
    shardline_error limited;
    uint64_t limited_digest;
    shardline_status lst = parse_and_validate(text, size, &options, false, &limited, &limited_digest);
    if (lst != SHARDLINE_ERR_DEPTH) {
        FUZZ_CHECK(lst == st);
        FUZZ_CHECK(st == SHARDLINE_OK ? limited_digest == full_digest : limited.offset == full.offset);
    }

    /* No practical limit: past 4096 levels the validator grows its nesting
     * stack on the heap; parse and validate must still agree. */
    options.max_depth = UINT32_MAX;
    shardline_error unlimited;
    uint64_t unlimited_digest;
    shardline_status ust = parse_and_validate(text, size, &options, false, &unlimited, &unlimited_digest);
    if (st != SHARDLINE_ERR_DEPTH) {
        FUZZ_CHECK(ust == st);
        FUZZ_CHECK(st == SHARDLINE_OK ? unlimited_digest == full_digest : unlimited.offset == full.offset);
    }
    return 0;
}
