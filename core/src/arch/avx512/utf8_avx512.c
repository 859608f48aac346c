/* utf8_avx512.c - UTF-8 validation, the JSON string scanner and the structural indexer, 64 bytes at a time. */
#include <immintrin.h>

#include "../../internal.h"

typedef __m512i vec;
typedef uint64_t vmask;
#define VEC_BYTES 64
#define KERNEL(name) name##_avx512

static inline vec vload(const uint8_t *p) { return _mm512_loadu_si512((const void *)p); }
static inline vec vsplat(uint8_t c) { return _mm512_set1_epi8((char)c); }
static inline vec vzero(void) { return _mm512_setzero_si512(); }
static inline vec vor(vec a, vec b) { return _mm512_or_si512(a, b); }
static inline vec vand(vec a, vec b) { return _mm512_and_si512(a, b); }
static inline vec vxor(vec a, vec b) { return _mm512_xor_si512(a, b); }
static inline vec vsubs(vec a, vec b) { return _mm512_subs_epu8(a, b); }
static inline vec vcmpeq(vec a, vec b) { return _mm512_movm_epi8(_mm512_cmpeq_epi8_mask(a, b)); }
static inline vec vle(vec a, vec b) { return _mm512_movm_epi8(_mm512_cmple_epu8_mask(a, b)); }
static inline vec vhigh_nibble(vec a) { return _mm512_and_si512(_mm512_srli_epi16(a, 4), vsplat(0x0F)); }
static inline vec vlookup(vec table, vec idx) { return _mm512_shuffle_epi8(table, idx); }
static inline vmask vmovemask(vec a) { return (vmask)_mm512_movepi8_mask(a); }
static inline unsigned vmask_ctz(vmask m) { return (unsigned)__builtin_ctzll(m); }
static inline bool vis_zero(vec a) { return _mm512_test_epi64_mask(a, a) == 0; }

static inline vec vtable(const uint8_t t[16])
{
    return _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)t));
}

/* [prev's last lane, cur's first three lanes]: the bytes just before each lane of cur. */
static inline vec vbefore(vec cur, vec prev)
{
    return _mm512_permutex2var_epi64(prev, _mm512_setr_epi64(6, 7, 8, 9, 10, 11, 12, 13), cur);
}
static inline vec vprev1(vec cur, vec prev) { return _mm512_alignr_epi8(cur, vbefore(cur, prev), 15); }
static inline vec vprev2(vec cur, vec prev) { return _mm512_alignr_epi8(cur, vbefore(cur, prev), 14); }
static inline vec vprev3(vec cur, vec prev) { return _mm512_alignr_epi8(cur, vbefore(cur, prev), 13); }

static inline vec vincomplete_max(void)
{
    /* 0xFF but for 0xEF, 0xDF, 0xBF in bytes 61, 62, 63 */
    return _mm512_set_epi64((long long)0xBFDFEFFFFFFFFFFFull, -1, -1, -1, -1, -1, -1, -1);
}

#include "../x86/utf8_simd.h"

#include "../x86/index_simd.h"
