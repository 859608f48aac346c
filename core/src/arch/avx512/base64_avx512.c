/* base64_avx512.c - strict base64 decoder, 64 characters per step with AVX-512 VBMI. */
#include <immintrin.h>

#include "../../internal.h"

/*
 * VBMI makes the decoder two byte permutations around two multiplies:
 *
 * - vpermi2b looks each character's low seven bits up in the first 128
 *   entries of sl_base64_values (the scalar decoder's own table), which
 *   hold the 6-bit value or 0xFF. A character is outside the alphabet
 *   exactly when its value or the character itself has the high bit set, so
 *   one vpmovb2m of their OR gives the block's bad bytes as a mask.
 * - vpmaddubsw and vpmaddwd put the 24 bits of each four characters in the
 *   low three bytes of a 32-bit lane, most significant byte highest; one
 *   vpermb then gathers the 48 bytes, most significant first, across the
 *   whole register, and a masked store writes exactly those 48.
 *
 * The driver (x86/base64_simd.h) checks every block of a step before any
 * store and hands bad blocks, the short rest and the final quantum to the
 * scalar decoder, which gives the exact error code and offset.
 */

typedef struct block {
    __m512i sextets;
    __mmask64 bad; /* bytes outside the alphabet */
} block;

static inline block decode_block(const char *src)
{
    const __m512i low_half = _mm512_loadu_si512((const void *)sl_base64_values);
    const __m512i high_half = _mm512_loadu_si512((const void *)(sl_base64_values + 64));
    __m512i in = _mm512_loadu_si512((const void *)src);
    __m512i values = _mm512_permutex2var_epi8(low_half, in, high_half);
    return (block){
        .sextets = values,
        .bad = _mm512_movepi8_mask(_mm512_or_si512(values, in)),
    };
}

static inline bool block_ok(const block *b)
{
    return b->bad == 0;
}

/* For output byte j: byte 2 - j % 3 of 32-bit lane j / 3. */
static const uint8_t pack_order[64] = {
    2,  1,  0,  6,  5,  4,  10, 9,  8,  14, 13, 12, 18, 17, 16, 22, 21, 20, 26, 25, 24, 30,
    29, 28, 34, 33, 32, 38, 37, 36, 42, 41, 40, 46, 45, 44, 50, 49, 48, 54, 53, 52, 58, 57,
    56, 62, 61, 60, 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
};

/* Store exactly a block's 48 bytes. */
static inline void store_block_exact(uint8_t *dst, const block *b)
{
    /* Byte pairs (a, b) -> a * 64 + b, then word pairs (ab, cd) -> ab * 4096 + cd. */
    __m512i pairs = _mm512_maddubs_epi16(b->sextets, _mm512_set1_epi32(0x01400140));
    __m512i quads = _mm512_madd_epi16(pairs, _mm512_set1_epi32(0x00011000));
    __m512i bytes = _mm512_permutexvar_epi8(_mm512_loadu_si512((const void *)pack_order), quads);
    _mm512_mask_storeu_epi8(dst, (__mmask64)0xFFFFFFFFFFFFu, bytes);
}

/* The masked store is already exact: nothing to spill. */
static inline void store_block_spill(uint8_t *dst, const block *b)
{
    store_block_exact(dst, b);
}

#define BLOCK_CHARS 64
#define KERNEL(name) name##_avx512
#include "../x86/base64_simd.h"
