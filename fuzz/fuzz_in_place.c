/* fuzz_in_place.c - fuzz target: in-place batch parsing must give what arena parsing gives,
 * and the fast paths for the services' layouts what the general path gives. */
#include <string.h>

#include "compare.h"
#include "dynamodb.h"
#include "fuzz_common.h"

/* Same status, offset and path; on success the same records, field by
 * field and image by image (walk_text: the arena batch's input, or NULL). */
static void compare_batches(shardline_status ast, const shardline_error *aerr, shardline_batch *a,
                            shardline_status bst, const shardline_error *berr, shardline_batch *b,
                            const char *walk_text, size_t size)
{
    FUZZ_CHECK(ast == bst);
    if (ast != SHARDLINE_OK || bst != SHARDLINE_OK) {
        FUZZ_CHECK(a == NULL && b == NULL);
        FUZZ_CHECK(aerr->offset == berr->offset && strcmp(aerr->path, berr->path) == 0);
        return;
    }
    size_t n = shardline_batch_size(a);
    FUZZ_CHECK(shardline_batch_size(b) == n);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(records_equal(shardline_batch_record(a, i), shardline_batch_record(b, i)));
    /* The walks read every byte of both and compare everything the
     * accessors give, images included. */
    FUZZ_CHECK(fuzz_walk_batch(a, walk_text, size, false) == fuzz_walk_batch(b, NULL, size, false));
}

/* Parse data[0..size) three times: into the arena from a read-only copy,
 * in place in a writable one (separate slots: the arena batch keeps views
 * into its copy), and into the arena by the general path alone. */
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
    if (ast == SHARDLINE_OK) {
        fuzz_check_ok(&aerr);
        fuzz_check_ok(&ierr);
    } else {
        /* The in-place buffer may be partly rewritten: check both errors
         * against the original text. */
        fuzz_check_failure(data, size, ast, &aerr, FUZZ_EVENT_CODES);
        fuzz_check_failure(data, size, ist, &ierr, FUZZ_EVENT_CODES);
    }
    compare_batches(ast, &aerr, arena, ist, &ierr, in_place, text, size);

    shardline_batch *general = (shardline_batch *)(void *)&marker;
    shardline_error gerr;
    fuzz_poison_error(&gerr);
    shardline_status gst = sl_batch_parse_general(text, NULL, size, NULL, &general, &gerr);
    compare_batches(ast, &aerr, arena, gst, &gerr, general, text, size);
    shardline_batch_free(general);
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
