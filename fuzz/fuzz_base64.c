/* fuzz_base64.c - fuzz target: strict base64 decoding against an independent decoder, and round trips. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static int alphabet_value(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* The decoder as shardline.h words it, quantum by quantum, left to right:
 * the first bad position wins; '=' is padding only as the final "=" or "=="
 * of a text whose length is a multiple of 4; an incomplete final quantum is
 * a padding error at its start; bits left over before padding must be zero. */
static shardline_status ref_decode(const uint8_t *s, size_t len, uint8_t *out, size_t *out_len,
                                   size_t *err_offset)
{
    size_t whole = len / 4 * 4, o = 0;
    *out_len = 0;
    for (size_t q = 0; q < whole; q += 4) {
        size_t pad = 0;
        if (q + 4 == len && s[q + 3] == '=')
            pad = s[q + 2] == '=' ? 2 : 1;
        int v[4] = {0, 0, 0, 0};
        for (size_t k = 0; k < 4 - pad; k++) {
            v[k] = alphabet_value(s[q + k]);
            if (v[k] < 0) {
                *err_offset = q + k;
                return s[q + k] == '=' ? SHARDLINE_ERR_BASE64_PADDING : SHARDLINE_ERR_BASE64_CHAR;
            }
        }
        if (pad == 2 && (v[1] & 0x0F) != 0) {
            *err_offset = q + 1;
            return SHARDLINE_ERR_BASE64_TRAILING_BITS;
        }
        if (pad == 1 && (v[2] & 0x03) != 0) {
            *err_offset = q + 2;
            return SHARDLINE_ERR_BASE64_TRAILING_BITS;
        }
        uint32_t bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        for (size_t k = 0; k < 3 - pad; k++)
            out[o++] = (uint8_t)(bits >> (16 - 8 * k));
    }
    if (len != whole) {
        *err_offset = whole;
        return SHARDLINE_ERR_BASE64_PADDING;
    }
    *out_len = o;
    return SHARDLINE_OK;
}

/* A buffer kept across inputs. */
static uint8_t *scratch(uint8_t **buf, size_t *cap, size_t need)
{
    if (*cap < need || *buf == NULL) {
        *cap = need > 2 * *cap ? need : 2 * *cap;
        if (*cap == 0)
            *cap = 64;
        *buf = realloc(*buf, *cap);
        if (*buf == NULL)
            abort();
    }
    return *buf;
}

/* Decode src[0..len) with the library (into exactly DECODED_MAX bytes
 * before a guard page) and with the reference: same status, offset, bytes. */
static void check_decode(const char *src, size_t len)
{
    static uint8_t *want;
    static size_t want_cap;
    size_t cap = SHARDLINE_BASE64_DECODED_MAX(len);
    uint8_t *dst = (uint8_t *)fuzz_scratch(1, cap);
    size_t n = 12345, want_len = 0, want_offset = 0;
    shardline_error err;
    fuzz_poison_error(&err);
    shardline_status st = shardline_base64_decode(src, len, dst, cap, &n, &err);
    shardline_status want_st =
        ref_decode((const uint8_t *)src, len, scratch(&want, &want_cap, cap + 1), &want_len, &want_offset);
    FUZZ_CHECK(st == want_st && err.code == st && err.message != NULL && err.path[0] == '\0');
    if (st == SHARDLINE_OK) {
        FUZZ_CHECK(err.offset == 0 && n == want_len && (n == 0 || memcmp(dst, want, n) == 0));
    } else {
        FUZZ_CHECK(err.offset == want_offset && n == 0);
    }
    /* One byte short of DECODED_MAX is refused whatever the padding. */
    if (cap > 0) {
        n = 12345;
        FUZZ_CHECK(shardline_base64_decode(src, len, dst + 1, cap - 1, &n, NULL) ==
                       SHARDLINE_ERR_INVALID_ARGUMENT &&
                   n == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *encoded;
    static size_t encoded_cap;

    /* The input as base64 text. */
    check_decode(fuzz_place_readonly(0, data, size), size);

    /* The input as bytes: encode it here, decode it with the library. */
    size_t elen = SHARDLINE_BASE64_ENCODED_SIZE(size);
    char *e = (char *)scratch(&encoded, &encoded_cap, elen + 1);
    FUZZ_CHECK(fuzz_ref_base64_encode(data, size, e) == elen);
    const char *etext = fuzz_place_readonly(2, e, elen);
    check_decode(etext, elen);
    uint8_t *back = (uint8_t *)fuzz_scratch(3, SHARDLINE_BASE64_DECODED_MAX(elen));
    size_t n = 0;
    FUZZ_CHECK(shardline_base64_decode(etext, elen, back, SHARDLINE_BASE64_DECODED_MAX(elen), &n, NULL) ==
               SHARDLINE_OK);
    FUZZ_CHECK(n == size && (size == 0 || memcmp(back, data, size) == 0));

    /* Decoding in place (dst == src) gives the same bytes. */
    char *inplace = fuzz_place(4, e, elen);
    n = 0;
    FUZZ_CHECK(shardline_base64_decode(inplace, elen, (uint8_t *)inplace, elen, &n, NULL) == SHARDLINE_OK);
    FUZZ_CHECK(n == size && (size == 0 || memcmp(inplace, data, size) == 0));

    /* The library's encoder writes exactly what the reference wrote. */
    const uint8_t *src = (const uint8_t *)fuzz_place_readonly(5, data, size);
    char *out = fuzz_scratch(1, elen);
    size_t written = shardline_base64_encode(src, size, out, elen);
    FUZZ_CHECK(written == elen && (elen == 0 || memcmp(out, e, elen) == 0));
    if (size > 0)
        FUZZ_CHECK(shardline_base64_encode(src, size, out + 1, elen - 1) == 0);
    return 0;
}
