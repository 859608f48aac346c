/* fuzz_common.h - what the fuzz targets share: guard-page inputs, invariant checks, tree walkers, references. */
#ifndef SHARDLINE_FUZZ_COMMON_H
#define SHARDLINE_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shardline.h"

/* The entry point every target defines; libFuzzer (or replay_main.c) calls it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- failing loudly -------------------------------------------------------- */

/* Print where and what, then abort: libFuzzer reports the abort as a crash
 * with a stack trace and saves the input. */
_Noreturn void fuzz_fail(const char *file, int line, const char *what);

#define FUZZ_CHECK(cond)                                                \
    do {                                                                \
        if (!(cond))                                                    \
            fuzz_fail(__FILE__, __LINE__, #cond);                       \
    } while (0)

/* ---- inputs against guard pages ------------------------------------------------ */

/* Independent buffers per target; each is mapped once and only remapped when
 * an input outgrows it (mapping per input is too slow for fuzzing). */
#define FUZZ_SLOTS 6

/* Copy data[0..len) so that its last byte is the last one before a PROT_NONE
 * page, and return where it starts. Any read or write past the end faults. */
char *fuzz_place(unsigned slot, const void *data, size_t len);

/* len writable bytes (contents unspecified) ending at the slot's guard
 * page: output buffers of exactly the documented size. */
char *fuzz_scratch(unsigned slot, size_t len);

/* fuzz_place, then made read-only: the library promises not to write into
 * inputs it only parses. The slot is writable again at its next use. */
const char *fuzz_place_readonly(unsigned slot, const void *data, size_t len);

/* ---- reading everything ---------------------------------------------------------- */

/* A running digest; fuzz_mix feeds it bytes, and reading them is what makes
 * ASan look at every byte a view claims. */
uint64_t fuzz_mix(uint64_t h, const void *p, size_t n);
uint64_t fuzz_mix_u64(uint64_t h, uint64_t v);

/* Keep a digest alive so the reads that made it are not optimised away. */
void fuzz_consume(uint64_t h);

/* {NULL, 0}, or a pointer with any length: a non-NULL length needs a pointer. */
void fuzz_check_view(shardline_view v);

/* ---- independent references ------------------------------------------------------- */

/* RFC 3629 UTF-8, decoded code point by code point. Returns true when valid;
 * otherwise *bad receives the first byte of the first bad sequence. */
bool fuzz_ref_utf8(const uint8_t *s, size_t len, size_t *bad);

/* Padded standard base64, written here so nothing depends on the library's
 * own encoder. out must hold SHARDLINE_BASE64_ENCODED_SIZE(len) bytes;
 * returns the length written. */
size_t fuzz_ref_base64_encode(const uint8_t *src, size_t len, char *out);

/* RFC 8259 number grammar. */
bool fuzz_ref_json_number(const char *s, size_t len);

/* DynamoDB's N rules: -?digits(.digits)?([eE][+-]?digits)?, at most 38
 * significant digits, zero or a magnitude in 1E-130 .. 9.99..E+125. */
bool fuzz_ref_dynamodb_number(const char *s, size_t len);

/* Check the number accessors' answers for text (grammatical number text):
 * int64 (1 and the value exactly when an integer in range, else 0 and the
 * output untouched), double (glibc's correctly rounded strtod, and 1 exactly
 * when that double equals the number). int64_before is what *out held before
 * the int64 call. */
void fuzz_check_number(shardline_view text, int int64_ret, int64_t int64_out, int64_t int64_before,
                       int double_ret, double double_out);

/* ---- errors ------------------------------------------------------------------------ */

/* Sets of status codes, as bits (every code is below 64). */
#define FUZZ_CODE(c) (UINT64_C(1) << (c))
/* Codes any strict JSON reader may give. */
#define FUZZ_JSON_CODES                                                                        \
    (FUZZ_CODE(SHARDLINE_ERR_UTF8) | FUZZ_CODE(SHARDLINE_ERR_TRUNCATED) |                      \
     FUZZ_CODE(SHARDLINE_ERR_SYNTAX) | FUZZ_CODE(SHARDLINE_ERR_CONTROL_CHAR) |                 \
     FUZZ_CODE(SHARDLINE_ERR_ESCAPE) | FUZZ_CODE(SHARDLINE_ERR_NUMBER) |                       \
     FUZZ_CODE(SHARDLINE_ERR_DEPTH) | FUZZ_CODE(SHARDLINE_ERR_TRAILING) |                      \
     FUZZ_CODE(SHARDLINE_ERR_EMPTY))
#define FUZZ_BASE64_CODES                                                                      \
    (FUZZ_CODE(SHARDLINE_ERR_BASE64_CHAR) | FUZZ_CODE(SHARDLINE_ERR_BASE64_PADDING) |          \
     FUZZ_CODE(SHARDLINE_ERR_BASE64_TRAILING_BITS))
/* Standalone images: JSON, base64 (B, BS), AttributeValue shape and the
 * schema checks of a value's type ({"S": 1}) and of {"NULL": false}. */
#define FUZZ_IMAGE_CODES                                                                       \
    (FUZZ_JSON_CODES | FUZZ_BASE64_CODES | FUZZ_CODE(SHARDLINE_ERR_ATTR_TYPE) |                \
     FUZZ_CODE(SHARDLINE_ERR_ATTR_NUMBER) | FUZZ_CODE(SHARDLINE_ERR_FIELD_TYPE) |              \
     FUZZ_CODE(SHARDLINE_ERR_FIELD_VALUE))
/* Events and change records: all of the above plus the schema. */
#define FUZZ_EVENT_CODES                                                                       \
    (FUZZ_IMAGE_CODES | FUZZ_CODE(SHARDLINE_ERR_MISSING_FIELD) |                               \
     FUZZ_CODE(SHARDLINE_ERR_DUPLICATE_FIELD))

/* Fill *err with what no call leaves behind (code 63, no message, no NUL
 * in the path), so that a call that forgets to fill it in is caught rather
 * than passing on what an earlier call left in the same stack slot. */
void fuzz_poison_error(shardline_error *err);

/* A successful call's error: code OK, offset 0, the OK message, path "". */
void fuzz_check_ok(const shardline_error *err);

/* A failed parse of input[0..len) (the text as it was before the call):
 * the status is one of `allowed`, the error repeats it with its message, the
 * offset lies in the input and points at what the code's documentation says
 * it points at, the path is NUL-terminated, and the UTF-8 and whitespace
 * facts of the input agree with the code. */
void fuzz_check_failure(const char *input, size_t len, shardline_status st,
                        const shardline_error *err, uint64_t allowed);

/* Facts every parser must respect whatever its status: a text that is not
 * valid UTF-8 never parses, and its error lies at or before the first bad
 * byte. Call after fuzz_check_failure or on success. */
void fuzz_check_utf8_consistency(const char *input, size_t len, shardline_status st,
                                 const shardline_error *err);

/* An event, a change record or an image is first of all a JSON text, read
 * by the same scanners: given the outcome (st, err) of parsing text with
 * options, check it against shardline_json_validate with the same options.
 * Valid events are valid JSON; an invalid JSON text never parses, and stops
 * at or before the validator's error; a JSON-level error (a code of
 * FUZZ_JSON_CODES) is exactly the validator's, same code, same offset. */
void fuzz_check_against_json(const char *text, size_t len, const shardline_options *options,
                             shardline_status st, const shardline_error *err);

/* ---- walking results ------------------------------------------------------------- */

/* Visit every node of a JSON document, call every accessor on it, check
 * the answers, and return a digest of the tree's exact shape and content
 * (equal trees, equal digests). Iterative: deep trees cost heap, not stack. */
uint64_t fuzz_walk_value(const shardline_value *root);

/* The same digest without the checks: for comparing a tree already walked
 * with others built from the same text. */
uint64_t fuzz_digest_value(const shardline_value *root);

/* fuzz_walk_value for an AttributeValue tree (root may be NULL: digest of nothing). */
uint64_t fuzz_walk_attr(const shardline_attr *root);

/* Every record of a batch, every field, every image. input/len: the text the
 * batch was parsed from when it is still intact (arena mode), to check record
 * offsets against; NULL after an in-place parse. change: the batch came from
 * shardline_dynamodb_change_parse. Returns a digest. */
uint64_t fuzz_walk_batch(const shardline_batch *batch, const char *input, size_t len, bool change);

/* ---- a DynamoDB event around an image ------------------------------------------------ */

/* The smallest valid DynamoDB Streams event whose only record's NewImage is
 * image[0..len), minus a leading UTF-8 BOM (allowed only at the start of a
 * text). The text lives in a buffer reused across calls. An error at offset
 * o of the standalone image is at image_at + (o - skipped) in the event. */
typedef struct fuzz_wrapped {
    const char *text;
    size_t len;
    size_t image_at; /* where the image's text starts in the event */
    size_t skipped;  /* leading image bytes left out (3 for a BOM, else 0) */
} fuzz_wrapped;

fuzz_wrapped fuzz_wrap_image(const uint8_t *image, size_t len);

/* The path the event's errors carry in front of the image's own path. */
#define FUZZ_WRAP_PATH "Records[0].dynamodb.NewImage"

/* How deep the image's '{' sits inside the event: the event's max_depth must
 * be this much larger to treat the image as a standalone parse does. */
#define FUZZ_WRAP_DEPTH 4u

/* Is the event's error path FUZZ_WRAP_PATH followed by the standalone
 * image's error path? *comparable is false when the event's path was cut
 * short ("..." at its start or end: too long, or deeper than the library
 * keeps), and then the answer means nothing. */
bool fuzz_wrapped_paths_match(const char *event_path, const char *image_path, bool *comparable);

#endif /* SHARDLINE_FUZZ_COMMON_H */
