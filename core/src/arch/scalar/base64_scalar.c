/* base64_scalar.c - reference strict base64 decoder (RFC 4648 section 4). */
#include "../../internal.h"

/* Value of each alphabet byte, or 0xFF for everything else ('=' included).
 * Shared with the SIMD decoders that look values up in a table. */
const uint8_t sl_base64_values[256] = {
#define X 0xFF
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, 62, X, X, X, 63,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, X, X, X,
    X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, X,
    X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
#undef X
};

/* The error for a non-alphabet byte c at offset i: '=' outside the final
 * padding positions is a padding error, anything else a bad character. */
static shardline_status bad_byte(char c, size_t i, size_t *err_offset)
{
    *err_offset = i;
    return c == '=' ? SHARDLINE_ERR_BASE64_PADDING : SHARDLINE_ERR_BASE64_CHAR;
}

shardline_status sl_base64_decode_scalar(const char *src, size_t len, uint8_t *dst,
                                         size_t *out_len, size_t *err_offset)
{
    const uint8_t *s = (const uint8_t *)src;
    size_t quads = len / 4;
    size_t tail = len % 4;
    /* With a clean length the last quantum may hold padding; it is decoded
     * apart from the loop below. */
    size_t body = tail == 0 && quads > 0 ? quads - 1 : quads;
    size_t o = 0;

    for (size_t q = 0; q < body; q++) {
        size_t i = q * 4;
        uint8_t a = sl_base64_values[s[i]], b = sl_base64_values[s[i + 1]];
        uint8_t c = sl_base64_values[s[i + 2]], d = sl_base64_values[s[i + 3]];
        if (SL_UNLIKELY((a | b | c | d) == 0xFF)) {
            for (size_t k = 0; k < 4; k++)
                if (sl_base64_values[s[i + k]] == 0xFF)
                    return bad_byte(src[i + k], i + k, err_offset);
        }
        /* All four reads happen before the writes: decoding in place is safe. */
        uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
        dst[o] = (uint8_t)(v >> 16);
        dst[o + 1] = (uint8_t)(v >> 8);
        dst[o + 2] = (uint8_t)v;
        o += 3;
    }

    if (tail != 0) {
        *err_offset = quads * 4;
        return SHARDLINE_ERR_BASE64_PADDING;
    }
    if (quads > 0) {
        size_t i = body * 4;
        uint8_t v[4];
        size_t pad = 0;
        if (src[i + 3] == '=')
            pad = src[i + 2] == '=' ? 2 : 1;
        for (size_t k = 0; k < 4 - pad; k++) {
            v[k] = sl_base64_values[s[i + k]];
            if (v[k] == 0xFF)
                return bad_byte(src[i + k], i + k, err_offset);
        }
        uint32_t bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12;
        if (pad == 2) {
            if (v[1] & 0x0F) {
                *err_offset = i + 1;
                return SHARDLINE_ERR_BASE64_TRAILING_BITS;
            }
            dst[o++] = (uint8_t)(bits >> 16);
        } else if (pad == 1) {
            if (v[2] & 0x03) {
                *err_offset = i + 2;
                return SHARDLINE_ERR_BASE64_TRAILING_BITS;
            }
            bits |= (uint32_t)v[2] << 6;
            dst[o++] = (uint8_t)(bits >> 16);
            dst[o++] = (uint8_t)(bits >> 8);
        } else {
            bits |= (uint32_t)v[2] << 6 | v[3];
            dst[o++] = (uint8_t)(bits >> 16);
            dst[o++] = (uint8_t)(bits >> 8);
            dst[o++] = (uint8_t)bits;
        }
    }
    *out_len = o;
    return SHARDLINE_OK;
}
