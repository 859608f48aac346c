/* utf8_avx2.c - UTF-8 validation, the JSON string scanner and the structural indexer, 32 bytes at a time. */
#include <immintrin.h>

#include "../../internal.h"

typedef __m256i vec;
typedef uint32_t vmask;
#define VEC_BYTES 32
#define KERNEL(name) name##_avx2

static inline vec vload(const uint8_t *p) { return _mm256_loadu_si256((const __m256i *)(const void *)p); }
static inline vec vsplat(uint8_t c) { return _mm256_set1_epi8((char)c); }
static inline vec vzero(void) { return _mm256_setzero_si256(); }
static inline vec vor(vec a, vec b) { return _mm256_or_si256(a, b); }
static inline vec vand(vec a, vec b) { return _mm256_and_si256(a, b); }
static inline vec vxor(vec a, vec b) { return _mm256_xor_si256(a, b); }
static inline vec vsubs(vec a, vec b) { return _mm256_subs_epu8(a, b); }
static inline vec vcmpeq(vec a, vec b) { return _mm256_cmpeq_epi8(a, b); }
static inline vec vle(vec a, vec b) { return _mm256_cmpeq_epi8(_mm256_min_epu8(a, b), a); }
static inline vec vhigh_nibble(vec a) { return _mm256_and_si256(_mm256_srli_epi16(a, 4), vsplat(0x0F)); }
static inline vec vlookup(vec table, vec idx) { return _mm256_shuffle_epi8(table, idx); }
static inline vmask vmovemask(vec a) { return (vmask)_mm256_movemask_epi8(a); }
static inline unsigned vmask_ctz(vmask m) { return (unsigned)__builtin_ctz(m); }
static inline bool vis_zero(vec a) { return _mm256_testz_si256(a, a) != 0; }

static inline vec vtable(const uint8_t t[16])
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)t));
}

/* [prev's high lane, cur's low lane]: the bytes just before each lane of cur. */
static inline vec vbefore(vec cur, vec prev) { return _mm256_permute2x128_si256(prev, cur, 0x21); }
static inline vec vprev1(vec cur, vec prev) { return _mm256_alignr_epi8(cur, vbefore(cur, prev), 15); }
static inline vec vprev2(vec cur, vec prev) { return _mm256_alignr_epi8(cur, vbefore(cur, prev), 14); }
static inline vec vprev3(vec cur, vec prev) { return _mm256_alignr_epi8(cur, vbefore(cur, prev), 13); }

static inline vec vincomplete_max(void)
{
    return _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                            (char)0xEF, (char)0xDF, (char)0xBF);
}

#include "../x86/utf8_simd.h"

#include "../x86/index_simd.h"
