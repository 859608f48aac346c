/* fuzz_event.c - fuzz target: Lambda events and DynamoDB change records, every field of every record read back. */
#include <string.h>

#include "fuzz_common.h"

/* Parse text as an event (or as a change record) and check the outcome:
 * on success every record, field and image; on failure the error. */
static shardline_status parse_checked(const char *text, size_t len, const shardline_options *options,
                                      bool change, shardline_error *err)
{
    /* Not NULL, so that the parse must be seen to clear it on failure. */
    static char marker;
    shardline_batch *batch = (shardline_batch *)(void *)&marker;
    fuzz_poison_error(err);
    shardline_status st = change ? shardline_dynamodb_change_parse(text, len, options, &batch, err)
                                 : shardline_batch_parse(text, len, options, &batch, err);
    if (st == SHARDLINE_OK) {
        fuzz_check_ok(err);
        fuzz_consume(fuzz_walk_batch(batch, text, len, change));
    } else {
        FUZZ_CHECK(batch == NULL);
        fuzz_check_failure(text, len, st, err, FUZZ_EVENT_CODES);
    }
    fuzz_check_utf8_consistency(text, len, st, err);
    fuzz_check_against_json(text, len, options, st, err);
    shardline_batch_free(batch);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Read-only: parsing must never write into the caller's text. */
    const char *text = fuzz_place_readonly(0, data, size);
    for (int change = 0; change < 2; change++) {
        shardline_error full, limited;
        shardline_status st = parse_checked(text, size, NULL, change != 0, &full);

        /* Under a tight nesting limit the parse is the same parse until it
         * first goes too deep: it stops there with SHARDLINE_ERR_DEPTH or
         * ends exactly like the unlimited one. The limit comes from the
         * size so that the fuzzer can steer it. */
        shardline_options options;
        shardline_options_init(&options);
        options.max_depth = 1 + (uint32_t)(size % 12);
        shardline_status lst = parse_checked(text, size, &options, change != 0, &limited);
        if (lst != SHARDLINE_ERR_DEPTH) {
            FUZZ_CHECK(lst == st);
            if (st != SHARDLINE_OK)
                FUZZ_CHECK(limited.offset == full.offset && strcmp(limited.path, full.path) == 0);
        }
    }
    return 0;
}
