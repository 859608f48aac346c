/* fuzz_differential.c - fuzz target: every kernel implementation this CPU runs against the scalar one
 * (base64, UTF-8, the string scanner and the structural indexer). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "internal.h"

/* More than any build will ever have. */
#define MAX_IMPLS 16

/* What one table's three kernels said about one text. */
typedef struct kernel_results {
    shardline_status b64;
    size_t b64_len, b64_offset;
    shardline_status utf8;
    size_t utf8_offset;
    shardline_status scan;
    size_t scan_stop;
} kernel_results;

/* Decoded bytes of the scalar run, kept while the others run. */
static uint8_t *scalar_bytes;
static size_t scalar_bytes_cap;

/* Run k's kernels on src[0..len) (which ends at a guard page). Decoded
 * bytes land in an exactly DECODED_MAX-sized buffer before a guard page;
 * *out points at them. The kernels are called as the library calls them:
 * base64 and UTF-8 never with an empty text, the string scan with any. */
static kernel_results run_kernels(const sl_kernels *k, const char *src, size_t len, const uint8_t **out)
{
    kernel_results r = {SHARDLINE_OK, 0, 0, SHARDLINE_OK, 0, SHARDLINE_OK, 0};
    uint8_t *dst = (uint8_t *)fuzz_scratch(2, SHARDLINE_BASE64_DECODED_MAX(len));
    if (len > 0) {
        r.b64 = k->base64_decode(src, len, dst, &r.b64_len, &r.b64_offset);
        r.utf8 = k->utf8_validate((const uint8_t *)src, len, &r.utf8_offset);
    }
    r.scan = k->string_scan((const uint8_t *)src, len, &r.scan_stop);
    *out = dst;
    return r;
}

/* The string scan's contract, from its comment in internal.h: stop at the
 * first '"', '\\' or control byte; the bytes before must be valid UTF-8,
 * else the error is at the first bad sequence. */
static void check_scan_reference(const char *src, size_t len, const kernel_results *r)
{
    size_t stop = 0, bad = 0;
    while (stop < len && src[stop] != '"' && src[stop] != '\\' && (uint8_t)src[stop] >= 0x20)
        stop++;
    if (fuzz_ref_utf8((const uint8_t *)src, stop, &bad)) {
        FUZZ_CHECK(r->scan == SHARDLINE_OK && r->scan_stop == stop);
    } else {
        FUZZ_CHECK(r->scan == SHARDLINE_ERR_UTF8 && r->scan_stop == bad);
    }
}

/* The structural index of src[0..len) by k, as one window from a zero
 * carry: its entries in out[which] (grown as needed), its count returned. */
static uint32_t *index_out[2];
static size_t index_cap[2];

static size_t run_index(const sl_kernels *k, const char *src, size_t len, int which, sl_index_carry *carry)
{
    if (index_cap[which] < len + 8) {
        index_cap[which] = len + 8;
        index_out[which] = realloc(index_out[which], index_cap[which] * sizeof *index_out[which]);
        FUZZ_CHECK(index_out[which] != NULL);
    }
    *carry = (sl_index_carry){0, 0, 0, 0};
    return k->structural_index((const uint8_t *)src, len, carry, index_out[which]);
}

/* Compare every supported table with the scalar one on text[0..len). */
static void compare_on(const sl_kernels *const *impls, size_t n, const char *text, size_t len)
{
    /* Writable: mprotect per window would cost more than the kernels. */
    const char *src = fuzz_place(0, text, len);
    const uint8_t *bytes;
    kernel_results want = run_kernels(&sl_kernels_scalar, src, len, &bytes);
    if (want.b64 == SHARDLINE_OK && want.b64_len > 0) {
        if (scalar_bytes_cap < want.b64_len) {
            scalar_bytes_cap = want.b64_len;
            scalar_bytes = realloc(scalar_bytes, scalar_bytes_cap);
            FUZZ_CHECK(scalar_bytes != NULL);
        }
        memcpy(scalar_bytes, bytes, want.b64_len);
    }
    if (len > 0) {
        size_t bad = 0;
        bool valid = fuzz_ref_utf8((const uint8_t *)src, len, &bad);
        FUZZ_CHECK(valid ? want.utf8 == SHARDLINE_OK : want.utf8 == SHARDLINE_ERR_UTF8 && want.utf8_offset == bad);
    }
    check_scan_reference(src, len, &want);
    sl_index_carry want_carry;
    size_t want_entries = run_index(&sl_kernels_scalar, src, len, 0, &want_carry);

    for (size_t i = 0; i < n; i++) {
        const sl_kernels *k = impls[i];
        kernel_results got = run_kernels(k, src, len, &bytes);
        FUZZ_CHECK(got.b64 == want.b64);
        if (want.b64 == SHARDLINE_OK)
            FUZZ_CHECK(got.b64_len == want.b64_len && (got.b64_len == 0 || memcmp(bytes, scalar_bytes, got.b64_len) == 0));
        else
            FUZZ_CHECK(got.b64_offset == want.b64_offset);
        FUZZ_CHECK(got.utf8 == want.utf8 && (want.utf8 == SHARDLINE_OK || got.utf8_offset == want.utf8_offset));
        FUZZ_CHECK(got.scan == want.scan && got.scan_stop == want.scan_stop);
        sl_index_carry carry;
        size_t entries = run_index(k, src, len, 1, &carry);
        FUZZ_CHECK(entries == want_entries &&
                   (entries == 0 || memcmp(index_out[1], index_out[0], entries * sizeof *index_out[0]) == 0));
        FUZZ_CHECK(carry.in_string == want_carry.in_string && carry.escaped == want_carry.escaped &&
                   carry.other == want_carry.other &&
                   (carry.ctrl_in_string != 0) == (want_carry.ctrl_in_string != 0));

        /* Decoding in place, as in-place batches do: dst == src. */
        if (len > 0) {
            char *buf = fuzz_place(1, text, len);
            size_t out_len = 0, offset = 0;
            shardline_status st = k->base64_decode(buf, len, (uint8_t *)buf, &out_len, &offset);
            FUZZ_CHECK(st == want.b64);
            if (st == SHARDLINE_OK)
                FUZZ_CHECK(out_len == want.b64_len && (out_len == 0 || memcmp(buf, scalar_bytes, out_len) == 0));
            else
                FUZZ_CHECK(offset == want.b64_offset);
        }
    }
}

/* The whole text, and its ends cut off one byte at a time: vector kernels
 * change paths at block boundaries and in their tails. */
static void compare_windows(const sl_kernels *const *impls, size_t n, const char *text, size_t len)
{
    compare_on(impls, n, text, len);
    for (size_t cut = 1; cut <= 16 && cut < len; cut++) {
        compare_on(impls, n, text + cut, len - cut);
        compare_on(impls, n, text, len - cut);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sl_kernels *impls[MAX_IMPLS];
    size_t n = sl_kernels_supported(impls, MAX_IMPLS);
    FUZZ_CHECK(n >= 1 && n <= MAX_IMPLS && impls[n - 1] == &sl_kernels_scalar);

    /* The input as it is: mostly invalid base64, any UTF-8. */
    compare_windows(impls, n, (const char *)data, size);

    /* The input encoded: valid base64 of every length, which random bytes
     * would almost never be. */
    static char *encoded;
    static size_t encoded_cap;
    size_t elen = SHARDLINE_BASE64_ENCODED_SIZE(size);
    if (encoded_cap < elen + 1) {
        encoded_cap = elen + 1;
        encoded = realloc(encoded, encoded_cap);
        FUZZ_CHECK(encoded != NULL);
    }
    FUZZ_CHECK(fuzz_ref_base64_encode(data, size, encoded) == elen);
    compare_windows(impls, n, encoded, elen);
    return 0;
}
