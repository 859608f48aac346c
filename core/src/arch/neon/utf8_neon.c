/* utf8_neon.c - UTF-8 validation, the JSON string scanner and the structural indexer with AArch64 NEON. */
#include <arm_neon.h>

#include "../../internal.h"

/* ---- UTF-8 validation ------------------------------------------------------
 *
 * The lookup algorithm of Keiser and Lemire ("Validating UTF-8 in less than
 * one instruction per byte", 2021): three 16-entry tables, indexed by the
 * high nibble of the previous byte, its low nibble and the high nibble of
 * the current byte, each give the set of errors that byte pair could be part
 * of; an error is real when all three agree. A third or fourth byte of a
 * sequence must be a continuation and may not be anything else, which the
 * two-continuations bit checks against the bytes two and three back.
 *
 * The vector pass only says whether a 64-byte block holds an error. Its
 * exact offset comes from the scalar validator, restarted at a character
 * boundary just before the block, so it is scalar's by construction. */

#define TOO_SHORT (1 << 0)      /* lead byte followed by a non-continuation */
#define TOO_LONG (1 << 1)       /* ASCII followed by a continuation */
#define OVERLONG_3 (1 << 2)     /* E0 80..9F */
#define TOO_LARGE (1 << 3)      /* F4 90..BF, F5..FF 90..BF */
#define SURROGATE (1 << 4)      /* ED A0..BF */
#define OVERLONG_2 (1 << 5)     /* C0, C1 */
#define TOO_LARGE_1000 (1 << 6) /* F5..FF 80..8F */
#define OVERLONG_4 (1 << 6)     /* F0 80..8F */
#define TWO_CONTS (1 << 7)      /* two continuations in a row */
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)

static const uint8_t byte_1_high_table[16] = {
    /* 0xxx: ASCII */
    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
    /* 10xx: continuation */
    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
    /* 1100, 1101: two-byte leads */
    TOO_SHORT | OVERLONG_2, TOO_SHORT,
    /* 1110: three-byte leads */
    TOO_SHORT | OVERLONG_3 | SURROGATE,
    /* 1111: four-byte leads and F5..FF */
    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4,
};

static const uint8_t byte_1_low_table[16] = {
    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, /* xxxx0000 */
    CARRY | OVERLONG_2,                           /* xxxx0001 */
    CARRY,
    CARRY,
    CARRY | TOO_LARGE,                  /* xxxx0100 */
    CARRY | TOO_LARGE | TOO_LARGE_1000, /* xxxx0101 */
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, /* xxxx1000 */
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, /* xxxx1101 */
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
};

static const uint8_t byte_2_high_table[16] = {
    /* 0xxx: ASCII */
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
    /* 1000 */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
    /* 1001 */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
    /* 101x */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    /* 11xx: leads */
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
};

/* After the last byte of a block, a sequence is unfinished when one of the
 * last three bytes is a lead that needs more bytes than are left: the
 * saturating difference with these limits is non-zero exactly there. */
static const uint8_t incomplete_limits[16] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0 - 1, 0xE0 - 1, 0xC0 - 1,
};

typedef struct utf8_tables {
    uint8x16_t byte_1_high, byte_1_low, byte_2_high, limits;
} utf8_tables;

/* Non-zero lanes where the 16 bytes of `in`, following `prev`, break a rule. */
static inline uint8x16_t check16(uint8x16_t prev, uint8x16_t in, const utf8_tables *t)
{
    uint8x16_t prev1 = vextq_u8(prev, in, 15);
    uint8x16_t b1h = vqtbl1q_u8(t->byte_1_high, vshrq_n_u8(prev1, 4));
    uint8x16_t b1l = vqtbl1q_u8(t->byte_1_low, vandq_u8(prev1, vdupq_n_u8(0x0F)));
    uint8x16_t b2h = vqtbl1q_u8(t->byte_2_high, vshrq_n_u8(in, 4));
    uint8x16_t special = vandq_u8(vandq_u8(b1h, b1l), b2h);
    /* A byte two back >= E0 or three back >= F0 needs this one to be a
     * continuation: the 0x80 bit marks those lanes, and must match the
     * TWO_CONTS bit of `special` exactly. */
    uint8x16_t prev2 = vextq_u8(prev, in, 14);
    uint8x16_t prev3 = vextq_u8(prev, in, 13);
    uint8x16_t third = vqsubq_u8(prev2, vdupq_n_u8(0xE0 - 0x80));
    uint8x16_t fourth = vqsubq_u8(prev3, vdupq_n_u8(0xF0 - 0x80));
    uint8x16_t must23 = vandq_u8(vorrq_u8(third, fourth), vdupq_n_u8(0x80));
    return veorq_u8(must23, special);
}

/* The first character boundary at or after p - 3, given that [0, p) was
 * found valid apart from a possibly unfinished last sequence: there every
 * byte that is not a continuation starts a character, and a sequence that
 * crosses p starts at one of p - 3 .. p - 1. */
static size_t restart_point(const uint8_t *src, size_t p)
{
    size_t r = p > 3 ? p - 3 : 0;
    while (r < p && (src[r] & 0xC0) == 0x80)
        r++;
    return r;
}

/* Check whole 64- and then 16-byte blocks of src[0..len). Returns the start
 * of the first block found to hold an error, or where the whole blocks end. */
static size_t check_blocks(const uint8_t *src, size_t len)
{
    const utf8_tables t = {
        vld1q_u8(byte_1_high_table),
        vld1q_u8(byte_1_low_table),
        vld1q_u8(byte_2_high_table),
        vld1q_u8(incomplete_limits),
    };
    uint8x16_t prev = vdupq_n_u8(0);
    uint8x16_t incomplete = vdupq_n_u8(0);
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        uint8x16x4_t in = vld1q_u8_x4(src + i);
        uint8x16_t any = vorrq_u8(vorrq_u8(in.val[0], in.val[1]), vorrq_u8(in.val[2], in.val[3]));
        uint8x16_t err = incomplete; /* all ASCII: only a sequence left open is wrong */
        if (vmaxvq_u8(any) >= 0x80) {
            err = check16(prev, in.val[0], &t);
            err = vorrq_u8(err, check16(in.val[0], in.val[1], &t));
            err = vorrq_u8(err, check16(in.val[1], in.val[2], &t));
            err = vorrq_u8(err, check16(in.val[2], in.val[3], &t));
        }
        if (SL_UNLIKELY(vmaxvq_u8(err) != 0))
            return i;
        incomplete = vqsubq_u8(in.val[3], t.limits);
        prev = in.val[3];
    }
    for (; i + 16 <= len; i += 16) {
        uint8x16_t in = vld1q_u8(src + i);
        uint8x16_t err = vmaxvq_u8(in) < 0x80 ? incomplete : check16(prev, in, &t);
        if (vmaxvq_u8(err) != 0)
            return i;
        incomplete = vqsubq_u8(in, t.limits);
        prev = in;
    }
    return i;
}

shardline_status sl_utf8_validate_neon(const uint8_t *src, size_t len, size_t *err_offset)
{
    /* The block at i holds an error, or i is where the whole blocks end;
     * either way scalar goes on from a character boundary near i. */
    size_t i = len >= 16 ? check_blocks(src, len) : 0;
    size_t r = restart_point(src, i);
    size_t off = 0;
    shardline_status st = sl_utf8_validate_scalar(src + r, len - r, &off);
    if (st != SHARDLINE_OK)
        *err_offset = r + off;
    return st;
}

/* ---- JSON string scan ------------------------------------------------------
 *
 * The stop byte is found with compares alone; the bytes before it are then
 * validated as UTF-8 when any of them (or a few after, in the stop's block)
 * is 0x80 or above. This equals the scalar scanner: the stop bytes are
 * ASCII, so no valid sequence contains one, and a sequence the stop byte
 * cuts is reported at its lead by either. */

/* Four bits per byte of a 0x00/0xFF compare result, first byte lowest. */
static inline uint64_t nibble_mask(uint8x16_t cmp)
{
    return vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(cmp), 4)), 0);
}

static inline uint8x16_t stop_bytes(uint8x16_t v)
{
    uint8x16_t quote = vceqq_u8(v, vdupq_n_u8('"'));
    uint8x16_t bslash = vceqq_u8(v, vdupq_n_u8('\\'));
    uint8x16_t ctrl = vcltq_u8(v, vdupq_n_u8(0x20));
    return vorrq_u8(vorrq_u8(quote, bslash), ctrl);
}

/* The index of the first stop byte, or len; *high gets the OR of the bytes
 * looked at, which include every byte before that index. */
static size_t find_stop(const uint8_t *src, size_t len, uint8_t *high)
{
    size_t i = 0;
    uint8x16_t seen = vdupq_n_u8(0);
    for (; i + 64 <= len; i += 64) {
        uint8x16x4_t in = vld1q_u8_x4(src + i);
        uint8x16_t stops[4] = {stop_bytes(in.val[0]), stop_bytes(in.val[1]),
                               stop_bytes(in.val[2]), stop_bytes(in.val[3])};
        uint8x16_t any = vorrq_u8(vorrq_u8(stops[0], stops[1]), vorrq_u8(stops[2], stops[3]));
        if (vmaxvq_u8(any) != 0) {
            /* Only the 16-byte blocks up to the stop's count for *high. */
            for (size_t k = 0;; k++) {
                seen = vorrq_u8(seen, in.val[k]);
                uint64_t m = nibble_mask(stops[k]);
                if (m != 0) {
                    *high = vmaxvq_u8(seen);
                    return i + 16 * k + (size_t)__builtin_ctzll(m) / 4;
                }
            }
        }
        seen = vorrq_u8(seen, vorrq_u8(vorrq_u8(in.val[0], in.val[1]), vorrq_u8(in.val[2], in.val[3])));
    }
    for (; i + 16 <= len; i += 16) {
        uint8x16_t v = vld1q_u8(src + i);
        seen = vorrq_u8(seen, v);
        uint64_t m = nibble_mask(stop_bytes(v));
        if (m != 0) {
            *high = vmaxvq_u8(seen);
            return i + (size_t)__builtin_ctzll(m) / 4;
        }
    }
    uint8_t tail = vmaxvq_u8(seen);
    for (; i < len; i++) {
        uint8_t c = src[i];
        if (c == '"' || c == '\\' || c < 0x20)
            break;
        tail |= c;
    }
    *high = tail;
    return i;
}

shardline_status sl_string_scan_neon(const uint8_t *src, size_t len, size_t *stop)
{
    uint8_t high = 0;
    size_t i = find_stop(src, len, &high);
    if (high >= 0x80) {
        size_t off = 0;
        if (sl_utf8_validate_neon(src, i, &off) != SHARDLINE_OK) {
            *stop = off;
            return SHARDLINE_ERR_UTF8;
        }
    }
    *stop = i;
    return SHARDLINE_OK;
}

/* ---- the structural indexer's classification ---------------------------------
 *
 * Four 16-byte compare results become one 64-bit mask: each byte keeps the
 * bit of its place in its half-vector, and three rounds of pairwise adds
 * sum each group of eight into one byte. The rest is arch/index_blocks.h. */

#define KERNEL(name) name##_neon
#include "../index_blocks.h"

static inline uint64_t mask64(uint8x16_t a, uint8x16_t b, uint8x16_t c, uint8x16_t d)
{
    const uint8x16_t place = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    uint8x16_t ab = vpaddq_u8(vandq_u8(a, place), vandq_u8(b, place));
    uint8x16_t cd = vpaddq_u8(vandq_u8(c, place), vandq_u8(d, place));
    uint8x16_t abcd = vpaddq_u8(ab, cd);
    return vgetq_lane_u64(vreinterpretq_u64_u8(vpaddq_u8(abcd, abcd)), 0);
}

static inline void classify64(const uint8_t *p, sl_classes *c)
{
    uint8x16_t quote[4], backslash[4], op[4], ws[4], ctrl[4];
    for (unsigned k = 0; k < 4; k++) {
        uint8x16_t v = vld1q_u8(p + 16 * k);
        /* '[' and ']' are '{' and '}' with bit 5 clear */
        uint8x16_t folded = vorrq_u8(v, vdupq_n_u8(0x20));
        quote[k] = vceqq_u8(v, vdupq_n_u8('"'));
        backslash[k] = vceqq_u8(v, vdupq_n_u8('\\'));
        op[k] = vorrq_u8(vorrq_u8(vceqq_u8(folded, vdupq_n_u8('{')), vceqq_u8(folded, vdupq_n_u8('}'))),
                         vorrq_u8(vceqq_u8(v, vdupq_n_u8(':')), vceqq_u8(v, vdupq_n_u8(','))));
        ws[k] = vorrq_u8(vorrq_u8(vceqq_u8(v, vdupq_n_u8(' ')), vceqq_u8(v, vdupq_n_u8('\t'))),
                         vorrq_u8(vceqq_u8(v, vdupq_n_u8('\n')), vceqq_u8(v, vdupq_n_u8('\r'))));
        ctrl[k] = vcltq_u8(v, vdupq_n_u8(0x20));
    }
    c->quote = mask64(quote[0], quote[1], quote[2], quote[3]);
    c->backslash = mask64(backslash[0], backslash[1], backslash[2], backslash[3]);
    c->op = mask64(op[0], op[1], op[2], op[3]);
    c->ws = mask64(ws[0], ws[1], ws[2], ws[3]);
    c->ctrl = mask64(ctrl[0], ctrl[1], ctrl[2], ctrl[3]);
}

