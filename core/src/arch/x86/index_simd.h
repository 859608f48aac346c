/* index_simd.h - the structural indexer's classification over one x86
 * vector width, included at the end of utf8_<isa>.c (whose vector
 * operations it uses), and the flattening of the index masks: eight
 * offsets from a table per byte of the mask, widened and stored whatever
 * the byte holds, which costs no mispredicted branch when the number of
 * entries per block varies. The rest is arch/index_blocks.h. */

#include "index_offsets.h"

static inline size_t index_flatten_bytes(uint64_t bits, uint32_t base, uint32_t *out, size_t n)
{
    if (bits == 0) /* inside long strings */
        return n;
    uint32_t *o = out + n;
    for (unsigned b = 0; b < 8; b++) {
        unsigned byte = (unsigned)(bits >> (8 * b)) & 0xFF;
        __m128i row = _mm_loadl_epi64((const __m128i *)(const void *)index_offsets[byte]);
#if VEC_BYTES >= 32
        __m256i at = _mm256_add_epi32(_mm256_cvtepu8_epi32(row), _mm256_set1_epi32((int)(base + 8 * b)));
        _mm256_storeu_si256((__m256i *)(void *)o, at);
#else
        __m128i first = _mm_add_epi32(_mm_cvtepu8_epi32(row), _mm_set1_epi32((int)(base + 8 * b)));
        __m128i second =
            _mm_add_epi32(_mm_cvtepu8_epi32(_mm_srli_si128(row, 4)), _mm_set1_epi32((int)(base + 8 * b)));
        _mm_storeu_si128((__m128i *)(void *)o, first);
        _mm_storeu_si128((__m128i *)(void *)(o + 4), second);
#endif
        o += __builtin_popcount(byte);
    }
    return (size_t)(o - out);
}
#define SL_INDEX_FLATTEN index_flatten_bytes

#include "../index_blocks.h"

static inline void classify64(const uint8_t *p, sl_classes *c)
{
    *c = (sl_classes){0, 0, 0, 0, 0};
    for (unsigned k = 0; k < 64 / VEC_BYTES; k++) {
        vec v = vload(p + k * VEC_BYTES);
        /* '[' and ']' are '{' and '}' with bit 5 clear */
        vec folded = vor(v, vsplat(0x20));
        vec op = vor(vor(vcmpeq(folded, vsplat('{')), vcmpeq(folded, vsplat('}'))),
                     vor(vcmpeq(v, vsplat(':')), vcmpeq(v, vsplat(','))));
        vec ws = vor(vor(vcmpeq(v, vsplat(' ')), vcmpeq(v, vsplat('\t'))),
                     vor(vcmpeq(v, vsplat('\n')), vcmpeq(v, vsplat('\r'))));
        unsigned shift = k * VEC_BYTES;
        c->quote |= (uint64_t)vmovemask(vcmpeq(v, vsplat('"'))) << shift;
        c->backslash |= (uint64_t)vmovemask(vcmpeq(v, vsplat('\\'))) << shift;
        c->op |= (uint64_t)vmovemask(op) << shift;
        c->ws |= (uint64_t)vmovemask(ws) << shift;
        c->ctrl |= (uint64_t)vmovemask(vle(v, vsplat(0x1F))) << shift;
    }
}
