/* base64_neon.c - strict base64 decoding with AArch64 NEON, 64 (then 32) characters a step. */
#include <arm_neon.h>

#include "../../internal.h"

/* The scalar decoder's table (sl_base64_values) up to 127 makes the two
 * 64-byte tables of TBL and TBX; bytes from 128 up index neither and are
 * caught by their own high bit. */

/* The 6-bit values of 16 characters; the high bit of *bad is set in every
 * lane whose character is outside the alphabet. */
static inline uint8x16_t decode16(uint8x16_t c, uint8x16x4_t lo, uint8x16x4_t hi, uint8x16_t *bad)
{
    /* TBL gives 0 for indexes from 64 up, TBX leaves those lanes alone, so
     * c - 64 only replaces the lanes 64..127. */
    uint8x16_t v = vqtbl4q_u8(lo, c);
    v = vqtbx4q_u8(v, hi, vsubq_u8(c, vdupq_n_u8(64)));
    *bad = vorrq_u8(*bad, vorrq_u8(v, c));
    return v;
}

/* Three bytes from each lane's four 6-bit values. */
static inline uint8x16x3_t pack(uint8x16_t a, uint8x16_t b, uint8x16_t c, uint8x16_t d)
{
    uint8x16x3_t out;
    out.val[0] = vorrq_u8(vshlq_n_u8(a, 2), vshrq_n_u8(b, 4));
    out.val[1] = vorrq_u8(vshlq_n_u8(b, 4), vshrq_n_u8(c, 2));
    out.val[2] = vorrq_u8(vshlq_n_u8(c, 6), d);
    return out;
}

/* Decode whole 64- and then 32-character steps of s[0..end) into dst,
 * stopping before the first step that holds a byte outside the alphabet.
 * Returns the characters consumed; *written gets the bytes stored. */
static size_t decode_steps(const uint8_t *s, size_t end, uint8_t *dst, size_t *written)
{
    size_t i = 0, o = 0;
    const uint8x16x4_t lo = vld1q_u8_x4(sl_base64_values);
    const uint8x16x4_t hi = vld1q_u8_x4(sl_base64_values + 64);
    /* Lane k of val[j] is character j of quantum k. Each step loads all its
     * characters before it stores: in place, dst + o <= s + i. */
    for (; i + 64 <= end; i += 64, o += 48) {
        uint8x16x4_t in = vld4q_u8(s + i);
        uint8x16_t bad = vdupq_n_u8(0);
        uint8x16_t a = decode16(in.val[0], lo, hi, &bad);
        uint8x16_t b = decode16(in.val[1], lo, hi, &bad);
        uint8x16_t c = decode16(in.val[2], lo, hi, &bad);
        uint8x16_t d = decode16(in.val[3], lo, hi, &bad);
        if (SL_UNLIKELY(vmaxvq_u8(bad) >= 0x80))
            break;
        vst3q_u8(dst + o, pack(a, b, c, d));
    }
    if (i + 32 <= end) {
        /* Eight quanta, each half-vector used twice so the 16-lane code
         * serves; only the low halves are stored. */
        uint8x8x4_t in = vld4_u8(s + i);
        uint8x16_t bad = vdupq_n_u8(0);
        uint8x16_t a = decode16(vcombine_u8(in.val[0], in.val[0]), lo, hi, &bad);
        uint8x16_t b = decode16(vcombine_u8(in.val[1], in.val[1]), lo, hi, &bad);
        uint8x16_t c = decode16(vcombine_u8(in.val[2], in.val[2]), lo, hi, &bad);
        uint8x16_t d = decode16(vcombine_u8(in.val[3], in.val[3]), lo, hi, &bad);
        if (vmaxvq_u8(bad) < 0x80) {
            uint8x16x3_t out = pack(a, b, c, d);
            uint8x8x3_t low = {{vget_low_u8(out.val[0]), vget_low_u8(out.val[1]),
                                vget_low_u8(out.val[2])}};
            vst3_u8(dst + o, low);
            i += 32;
            o += 24;
        }
    }
    *written = o;
    return i;
}

shardline_status sl_base64_decode_neon(const char *src, size_t len, uint8_t *dst, size_t *out_len,
                                       size_t *err_offset)
{
    /* The scalar decoder's loop covers every whole quantum except a final
     * one that may hold padding. The vector steps cover a prefix of those
     * and the scalar decoder does the rest, tail and padding included, and
     * names the bad byte when a step stopped on one. */
    size_t quads = len / 4;
    size_t body = len % 4 == 0 && quads > 0 ? quads - 1 : quads;
    size_t i = 0, o = 0;
    if (body * 4 >= 32)
        i = decode_steps((const uint8_t *)src, body * 4, dst, &o);

    /* i is a whole number of quanta, so the rest keeps the same layout. */
    size_t rest_len = 0, rest_err = 0;
    shardline_status st = sl_base64_decode_scalar(src + i, len - i, dst + o, &rest_len, &rest_err);
    if (st != SHARDLINE_OK) {
        *err_offset = i + rest_err;
        return st;
    }
    *out_len = o + rest_len;
    return SHARDLINE_OK;
}
