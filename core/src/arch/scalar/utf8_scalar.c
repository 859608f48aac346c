/* utf8_scalar.c - reference UTF-8 validation (RFC 3629) and the JSON string scanner. */
#include "../../internal.h"

/* Byte-at-a-time validation of one multi-byte sequence. The ranges follow
 * RFC 3629's table: they exclude overlong forms (C0, C1, E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
 * (F4 90..BF, F5..FF). */
size_t sl_utf8_sequence(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    if (c >= 0xC2 && c <= 0xDF) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        uint8_t lo = c == 0xE0 ? 0xA0 : 0x80;
        uint8_t hi = c == 0xED ? 0x9F : 0xBF;
        if (n < 2 || s[1] < lo || s[1] > hi)
            return 0;
        if (n < 3 || (s[2] & 0xC0) != 0x80)
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        uint8_t lo = c == 0xF0 ? 0x90 : 0x80;
        uint8_t hi = c == 0xF4 ? 0x8F : 0xBF;
        if (n < 2 || s[1] < lo || s[1] > hi)
            return 0;
        if (n < 3 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (n < 4 || (s[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

shardline_status sl_utf8_validate_scalar(const uint8_t *src, size_t len, size_t *err_offset)
{
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8 && (load64(src + i) & HIGHS) == 0) {
            i += 8;
            continue;
        }
        if (src[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = sl_utf8_sequence(src + i, len - i);
        if (n == 0) {
            *err_offset = i;
            return SHARDLINE_ERR_UTF8;
        }
        i += n;
    }
    return SHARDLINE_OK;
}

/* High bit of each byte of the result is set where v's byte is '"', '\\',
 * below 0x20 or at least 0x80. The subtraction tricks can also set it in a
 * byte above (later in memory on little-endian) a true match, never below
 * one, so the lowest set bit always marks the first byte that matters. */
static inline uint64_t special_mask(uint64_t v)
{
    uint64_t quote = v ^ (ONES * '"');
    uint64_t bslash = v ^ (ONES * '\\');
    uint64_t t = ((quote - ONES) & ~quote) | ((bslash - ONES) & ~bslash) | (v - ONES * 0x20) | v;
    return t & HIGHS;
}

/* Bytes to skip before the first flagged byte of a non-zero mask. */
static inline size_t first_flagged(uint64_t mask)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(mask) / 8;
#else
    (void)mask;
    return 0; /* look at the block byte by byte */
#endif
}

shardline_status sl_string_scan_scalar(const uint8_t *src, size_t len, size_t *stop)
{
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t mask = special_mask(load64(src + i));
            if (mask == 0) {
                i += 8;
                continue;
            }
            i += first_flagged(mask);
        }
        uint8_t c = src[i];
        if (c == '"' || c == '\\' || c < 0x20)
            break;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n = sl_utf8_sequence(src + i, len - i);
        if (n == 0) {
            *stop = i;
            return SHARDLINE_ERR_UTF8;
        }
        i += n;
    }
    *stop = i;
    return SHARDLINE_OK;
}
