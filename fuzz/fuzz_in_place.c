/* fuzz_in_place.c - fuzz target: in-place batch parsing must give what arena parsing gives. */
#include <string.h>

#include "compare.h"
#include "fuzz_common.h"

/* Parse data[0..size) twice, into the arena from a read-only copy and in
 * place in a writable one (separate slots: the arena batch keeps views into
 * its copy). Same status, offset and path; on success the same records,
 * field by field and image by image. */
static void compare_parses(const char *data, size_t size, unsigned arena_slot, unsigned in_place_slot)
{
    static char marker;
    const char *text = fuzz_place_readonly(arena_slot, data, size);
    char *buf = fuzz_place(in_place_slot, data, size);
    shardline_batch *arena = (shardline_batch *)(void *)&marker;
    shardline_batch *in_place = (shardline_batch *)(void *)&marker;
    shardline_error aerr, ierr;
    fuzz_poison_error(&aerr);
    fuzz_poison_error(&ierr);
    shardline_status ast = shardline_batch_parse(text, size, NULL, &arena, &aerr);
    shardline_status ist = shardline_batch_parse_in_place(buf, size, NULL, &in_place, &ierr);
    FUZZ_CHECK(ast == ist);
    if (ast == SHARDLINE_OK) {
        fuzz_check_ok(&aerr);
        fuzz_check_ok(&ierr);
        size_t n = shardline_batch_size(arena);
        FUZZ_CHECK(shardline_batch_size(in_place) == n);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(records_equal(shardline_batch_record(arena, i), shardline_batch_record(in_place, i)));
        /* The walks read every byte of both and compare everything the
         * accessors give, images included. */
        FUZZ_CHECK(fuzz_walk_batch(arena, text, size, false) == fuzz_walk_batch(in_place, NULL, size, false));
    } else {
        FUZZ_CHECK(arena == NULL && in_place == NULL);
        /* The in-place buffer may be partly rewritten: check both errors
         * against the original text. */
        fuzz_check_failure(data, size, ast, &aerr, FUZZ_EVENT_CODES);
        fuzz_check_failure(data, size, ist, &ierr, FUZZ_EVENT_CODES);
        FUZZ_CHECK(aerr.offset == ierr.offset && strcmp(aerr.path, ierr.path) == 0);
    }
    shardline_batch_free(arena);
    shardline_batch_free(in_place);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    compare_parses((const char *)data, size, 0, 1);
    /* The input as the NewImage of a DynamoDB event: in-place decoding of
     * B, BS and escaped strings inside images. */
    fuzz_wrapped w = fuzz_wrap_image(data, size);
    compare_parses(w.text, w.len, 2, 3);
    return 0;
}
