/* avx512_emulated.h - for compiling the avx512 kernels' sources on CPUs
 * without AVX-512, so that their logic is tested everywhere: the intrinsics
 * they use in portable C through SIMDe (Debian's libsimde-dev), and their
 * functions renamed *_emulated so they do not meet the real ones in the
 * library. Include it before a kernel source: it brings <immintrin.h>
 * first, so the source's own #include of it does nothing and every _mm512_
 * name refers to SIMDe's version or to one defined here.
 *
 * Three intrinsics are written out here: SIMDe 0.7.4 (Debian 12) lacks
 * _mm512_alignr_epi8 and _mm512_mask_storeu_epi8, and its native alias of
 * _mm512_madd_epi16 takes the masked form's four arguments. */
#ifndef SHARDLINE_TESTS_AVX512_EMULATED_H
#define SHARDLINE_TESTS_AVX512_EMULATED_H

#define SIMDE_ENABLE_NATIVE_ALIASES
#include <immintrin.h>
#include <simde/x86/avx512.h>
#include <stdint.h>
#include <string.h>

#undef _mm512_madd_epi16
#define _mm512_madd_epi16(a, b) simde_mm512_madd_epi16(a, b)

/* In each 128-bit lane: the 32 bytes hi:lo shifted right by n bytes, the low 16 kept. */
static inline simde__m512i emu_alignr_epi8(simde__m512i hi, simde__m512i lo, int n)
{
    uint8_t h[64], l[64], r[64];
    memcpy(h, &hi, sizeof h);
    memcpy(l, &lo, sizeof l);
    for (int lane = 0; lane < 64; lane += 16)
        for (int j = 0; j < 16; j++) {
            int k = j + n;
            r[lane + j] = k < 16 ? l[lane + k] : k < 32 ? h[lane + k - 16] : 0;
        }
    simde__m512i out;
    memcpy(&out, r, sizeof r);
    return out;
}
#undef _mm512_alignr_epi8
#define _mm512_alignr_epi8(hi, lo, n) emu_alignr_epi8(hi, lo, n)

/* Writes only the bytes whose mask bit is set, as the instruction does. */
static inline void emu_mask_storeu_epi8(void *dst, uint64_t mask, simde__m512i v)
{
    uint8_t b[64];
    memcpy(b, &v, sizeof b);
    for (int j = 0; j < 64; j++)
        if (mask >> j & 1)
            ((uint8_t *)dst)[j] = b[j];
}
#undef _mm512_mask_storeu_epi8
#define _mm512_mask_storeu_epi8(dst, mask, v) emu_mask_storeu_epi8(dst, mask, v)

#define sl_base64_decode_avx512 sl_base64_decode_avx512_emulated
#define sl_utf8_validate_avx512 sl_utf8_validate_avx512_emulated
#define sl_string_scan_avx512 sl_string_scan_avx512_emulated
#define sl_structural_index_avx512 sl_structural_index_avx512_emulated
#define sl_kernels_avx512 sl_kernels_avx512_emulated

#endif
