/* fuzz_dynamodb.c - fuzz target: standalone DynamoDB images, and the same text as the NewImage of an event. */
#include <string.h>

#include "compare.h"
#include "fuzz_common.h"

/* Parse the input as an image and, embedded, as an event whose nesting
 * limit is raised by the depth the image sits at inside it. Until the
 * image's text ends the event parse reads the same bytes the same way, so:
 * - a valid image makes a valid event whose NewImage is the same tree;
 * - an image error found inside the text is the event's error, at the
 *   same place shifted by the event's prefix, with the same path behind
 *   the event's own.
 * Errors that depend on what follows the text (the input ends: TRUNCATED,
 * EMPTY; something follows the value: TRAILING) prove nothing about the
 * event, which goes on. */
static void check_image_and_event(const uint8_t *data, size_t size, uint32_t max_depth)
{
    static char marker;
    const char *text = fuzz_place_readonly(0, data, size);
    shardline_options options;
    shardline_options_init(&options);
    options.max_depth = max_depth;

    shardline_image *image = (shardline_image *)(void *)&marker;
    shardline_error ierr;
    fuzz_poison_error(&ierr);
    shardline_status ist = shardline_image_parse(text, size, &options, &image, &ierr);
    const shardline_attr *root = NULL;
    if (ist == SHARDLINE_OK) {
        fuzz_check_ok(&ierr);
        root = shardline_image_root(image);
        FUZZ_CHECK(shardline_attr_get_type(root) == SHARDLINE_ATTR_M);
        fuzz_consume(fuzz_walk_attr(root));
    } else {
        FUZZ_CHECK(image == NULL);
        fuzz_check_failure(text, size, ist, &ierr, FUZZ_IMAGE_CODES);
    }
    fuzz_check_utf8_consistency(text, size, ist, &ierr);
    fuzz_check_against_json(text, size, &options, ist, &ierr);

    fuzz_wrapped w = fuzz_wrap_image(data, size);
    const char *event = fuzz_place_readonly(1, w.text, w.len);
    shardline_options event_options = options;
    event_options.max_depth = max_depth + FUZZ_WRAP_DEPTH;
    shardline_batch *batch = (shardline_batch *)(void *)&marker;
    shardline_error eerr;
    fuzz_poison_error(&eerr);
    shardline_status est = shardline_batch_parse(event, w.len, &event_options, &batch, &eerr);
    if (est == SHARDLINE_OK) {
        fuzz_check_ok(&eerr);
        fuzz_consume(fuzz_walk_batch(batch, event, w.len, false));
    } else {
        FUZZ_CHECK(batch == NULL);
        fuzz_check_failure(event, w.len, est, &eerr, FUZZ_EVENT_CODES);
    }

    if (ist == SHARDLINE_OK) {
        FUZZ_CHECK(est == SHARDLINE_OK && shardline_batch_size(batch) == 1);
        const shardline_record *r = shardline_batch_record(batch, 0);
        FUZZ_CHECK(r->dynamodb != NULL && attrs_equal(r->dynamodb->new_image, root));
    } else if (ist != SHARDLINE_ERR_TRUNCATED && ist != SHARDLINE_ERR_EMPTY &&
               ist != SHARDLINE_ERR_TRAILING) {
        FUZZ_CHECK(est == ist);
        FUZZ_CHECK(ierr.offset >= w.skipped && eerr.offset == w.image_at + (ierr.offset - w.skipped));
        bool comparable = false;
        bool same = fuzz_wrapped_paths_match(eerr.path, ierr.path, &comparable);
        FUZZ_CHECK(!comparable || same);
    }
    shardline_batch_free(batch);
    shardline_image_free(image);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_image_and_event(data, size, SHARDLINE_DEFAULT_MAX_DEPTH);
    /* A tight limit (steered by the size) reaches the depth checks of M, L
     * and sets at every level. */
    check_image_and_event(data, size, 1 + (uint32_t)(size % 10));
    return 0;
}
