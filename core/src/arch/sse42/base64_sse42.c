/* base64_sse42.c - strict base64 decoder, 16 characters per step with SSSE3 nibble lookups. */
#include <smmintrin.h>

#include "../../internal.h"

/*
 * Each character is classified by two pshufb lookups, one on its low
 * nibble and one on its high nibble. The high nibble selects a class bit,
 * the low nibble the set of classes in which that nibble is NOT an alphabet
 * character, so the two lookups share a set bit exactly at the bytes to
 * reject, which one ptest per block detects:
 *
 *   class 0x01  high 2: only '+' (low 11) and '/' (low 15)
 *   class 0x02  high 3: only '0'..'9' (low 0..9)
 *   class 0x04  high 4 and 6: all but '@' and '`' (low 0)
 *   class 0x08  high 5 and 7: only low 0..10 ('P'..'Z', 'p'..'z')
 *   class 0x10  high 0, 1 and 8..15: nothing ('=' is rejected too: high 3)
 *
 * A third lookup on the high nibble gives the offset that turns a character
 * into its 6-bit value. '/' shares high nibble 2 with '+' and lands on 66
 * with '+''s offset; every other alphabet character lands on 0..63, so an
 * unsigned min with 63 fixes '/' alone. (What other bytes become does not
 * matter: their block is never stored.)
 *
 * Every block of a step is checked before any store, so a block is only
 * ever written when its input was good. On a bad block the loop stops and
 * the scalar decoder takes over at the start of the step: it finds the
 * exact error code and offset and writes exactly the bytes it would have
 * written on its own. It also decodes the short rest and the final quantum,
 * which may hold padding.
 */

/* One block of 16 characters: their 6-bit values, and the two class
 * lookups whose AND is non-zero at the bytes outside the alphabet. */
typedef struct block {
    __m128i sextets;
    __m128i invalid_low;
    __m128i class_high;
} block;

static inline block decode_block(const char *src)
{
    const __m128i invalid_by_low = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                                 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m128i class_by_high = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
                                                0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    /* high 2: '+' (and '/', fixed by the min), 3: digits, 4-5: upper, 6-7: lower */
    const __m128i offset_by_high =
        _mm_setr_epi8(0, 0, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m128i nibble = _mm_set1_epi8(0x0F);

    __m128i in = _mm_loadu_si128((const __m128i *)src);
    __m128i high = _mm_and_si128(_mm_srli_epi32(in, 4), nibble);
    __m128i low = _mm_and_si128(in, nibble);
    __m128i values = _mm_add_epi8(in, _mm_shuffle_epi8(offset_by_high, high));
    return (block){
        .sextets = _mm_min_epu8(values, _mm_set1_epi8(63)),
        .invalid_low = _mm_shuffle_epi8(invalid_by_low, low),
        .class_high = _mm_shuffle_epi8(class_by_high, high),
    };
}

static inline bool block_ok(const block *b)
{
    return _mm_testz_si128(b->invalid_low, b->class_high);
}

/* Pack 16 6-bit values into 12 bytes (bytes 12..15 of the result are zero). */
static inline __m128i pack_sextets(__m128i v)
{
    /* Byte pairs (a, b) -> a * 64 + b, then word pairs (ab, cd) -> ab * 4096 + cd:
     * each 32-bit lane holds the 24 decoded bits, most significant first. */
    __m128i pairs = _mm_maddubs_epi16(v, _mm_set1_epi32(0x01400140));
    __m128i quads = _mm_madd_epi16(pairs, _mm_set1_epi32(0x00011000));
    return _mm_shuffle_epi8(quads,
                            _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
}

/* Store a block's 12 bytes plus 4 spare bytes that the next block's store overwrites. */
static inline void store_block_spill(uint8_t *dst, const block *b)
{
    _mm_storeu_si128((__m128i *)dst, pack_sextets(b->sextets));
}

/* Store exactly a block's 12 bytes, so the write ends where the output does. */
static inline void store_block_exact(uint8_t *dst, const block *b)
{
    __m128i bytes = pack_sextets(b->sextets);
    _mm_storel_epi64((__m128i *)dst, bytes);
    uint32_t last = (uint32_t)_mm_extract_epi32(bytes, 2);
    memcpy(dst + 8, &last, sizeof last);
}

#define BLOCK_CHARS 16
#define KERNEL(name) name##_sse42
#include "../x86/base64_simd.h"
