/* base64_avx2.c - strict base64 decoder, 32 characters per step with AVX2 nibble lookups. */
#include <immintrin.h>

#include "../../internal.h"

/*
 * The method of base64_sse42.c, whose comment explains the tables, on
 * 32-byte blocks: two vpshufb lookups on the low and high nibbles whose AND
 * is non-zero exactly at the bytes outside the alphabet (one vptest per
 * block), a third on the high nibble for the offset to the 6-bit value,
 * with '/' brought from 66 down to 63 by an unsigned min.
 *
 * The packing of four 6-bit values into three bytes stays within each
 * 128-bit lane, and the two lanes' 12 bytes are stored apart: on CPUs that
 * split 256-bit operations (Zen 1) that is cheaper than a vpermd.
 *
 * Every block of a step is checked before any store, so a block is only
 * ever written when its input was good. On a bad block the loop stops and
 * the scalar decoder takes over at the start of the step: it finds the
 * exact error code and offset and writes exactly the bytes it would have
 * written on its own. It also decodes the short rest and the final quantum,
 * which may hold padding.
 */

/* vpshufb looks up within each 128-bit lane: the same 16 entries in both. */
#define LANE_TABLE(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

/* One block of 32 characters: their 6-bit values, and the two class
 * lookups whose AND is non-zero at the bytes outside the alphabet. */
typedef struct block {
    __m256i sextets;
    __m256i invalid_low;
    __m256i class_high;
} block;

static inline block decode_block(const char *src)
{
    const __m256i invalid_by_low = LANE_TABLE(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                              0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m256i class_by_high = LANE_TABLE(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
                                             0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    /* high 2: '+' (and '/', fixed by the min), 3: digits, 4-5: upper, 6-7: lower */
    const __m256i offset_by_high =
        LANE_TABLE(0, 0, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nibble = _mm256_set1_epi8(0x0F);

    __m256i in = _mm256_loadu_si256((const __m256i *)src);
    __m256i high = _mm256_and_si256(_mm256_srli_epi32(in, 4), nibble);
    __m256i low = _mm256_and_si256(in, nibble);
    __m256i values = _mm256_add_epi8(in, _mm256_shuffle_epi8(offset_by_high, high));
    return (block){
        .sextets = _mm256_min_epu8(values, _mm256_set1_epi8(63)),
        .invalid_low = _mm256_shuffle_epi8(invalid_by_low, low),
        .class_high = _mm256_shuffle_epi8(class_by_high, high),
    };
}

static inline bool block_ok(const block *b)
{
    return _mm256_testz_si256(b->invalid_low, b->class_high);
}

/* Pack 32 6-bit values into 12 bytes at the bottom of each 128-bit lane. */
static inline __m256i pack_sextets(__m256i v)
{
    /* Byte pairs (a, b) -> a * 64 + b, then word pairs (ab, cd) -> ab * 4096 + cd:
     * each 32-bit lane holds the 24 decoded bits, most significant first. */
    __m256i pairs = _mm256_maddubs_epi16(v, _mm256_set1_epi32(0x01400140));
    __m256i quads = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x00011000));
    return _mm256_shuffle_epi8(
        quads, LANE_TABLE(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
}

/* Store a block's 24 bytes plus 4 spare bytes that the next block's store overwrites. */
static inline void store_block_spill(uint8_t *dst, const block *b)
{
    __m256i bytes = pack_sextets(b->sextets);
    _mm_storeu_si128((__m128i *)dst, _mm256_castsi256_si128(bytes));
    _mm_storeu_si128((__m128i *)(dst + 12), _mm256_extracti128_si256(bytes, 1));
}

/* Store exactly a block's 24 bytes, so the write ends where the output does. */
static inline void store_block_exact(uint8_t *dst, const block *b)
{
    __m256i bytes = pack_sextets(b->sextets);
    __m128i high = _mm256_extracti128_si256(bytes, 1);
    _mm_storeu_si128((__m128i *)dst, _mm256_castsi256_si128(bytes));
    _mm_storel_epi64((__m128i *)(dst + 12), high);
    uint32_t last = (uint32_t)_mm_extract_epi32(high, 2);
    memcpy(dst + 20, &last, sizeof last);
}

#define BLOCK_CHARS 32
#define KERNEL(name) name##_avx2
#include "../x86/base64_simd.h"
