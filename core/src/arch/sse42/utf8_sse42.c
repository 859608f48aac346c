/* utf8_sse42.c - UTF-8 validation, the JSON string scanner and the structural indexer, 16 bytes at a time. */
#include <immintrin.h>

#include "../../internal.h"

typedef __m128i vec;
typedef uint32_t vmask; /* 16 bits used */
#define VEC_BYTES 16
#define KERNEL(name) name##_sse42

static inline vec vload(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)(const void *)p); }
static inline vec vsplat(uint8_t c) { return _mm_set1_epi8((char)c); }
static inline vec vzero(void) { return _mm_setzero_si128(); }
static inline vec vor(vec a, vec b) { return _mm_or_si128(a, b); }
static inline vec vand(vec a, vec b) { return _mm_and_si128(a, b); }
static inline vec vxor(vec a, vec b) { return _mm_xor_si128(a, b); }
static inline vec vsubs(vec a, vec b) { return _mm_subs_epu8(a, b); }
static inline vec vcmpeq(vec a, vec b) { return _mm_cmpeq_epi8(a, b); }
static inline vec vle(vec a, vec b) { return _mm_cmpeq_epi8(_mm_min_epu8(a, b), a); }
static inline vec vhigh_nibble(vec a) { return _mm_and_si128(_mm_srli_epi16(a, 4), vsplat(0x0F)); }
static inline vec vlookup(vec table, vec idx) { return _mm_shuffle_epi8(table, idx); }
static inline vmask vmovemask(vec a) { return (vmask)_mm_movemask_epi8(a); }
static inline unsigned vmask_ctz(vmask m) { return (unsigned)__builtin_ctz(m); }
static inline bool vis_zero(vec a) { return _mm_testz_si128(a, a) != 0; }
static inline vec vtable(const uint8_t t[16]) { return _mm_loadu_si128((const __m128i *)(const void *)t); }
static inline vec vprev1(vec cur, vec prev) { return _mm_alignr_epi8(cur, prev, 15); }
static inline vec vprev2(vec cur, vec prev) { return _mm_alignr_epi8(cur, prev, 14); }
static inline vec vprev3(vec cur, vec prev) { return _mm_alignr_epi8(cur, prev, 13); }

static inline vec vincomplete_max(void)
{
    return _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                         (char)0xEF, (char)0xDF, (char)0xBF);
}

#include "../x86/utf8_simd.h"

#include "../x86/index_simd.h"
