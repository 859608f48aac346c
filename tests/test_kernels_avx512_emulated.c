/* test_kernels_avx512_emulated.c - the avx512 kernels' logic on any x86-64
 * CPU: their sources compiled over portable AVX-512 intrinsics under other
 * names (avx512_emulated.h; the base64 decoder in
 * base64_avx512_emulated.c), then held against the scalar kernels by the
 * whole of test_kernels.c. The real instructions are tested by test_kernels
 * itself where the CPU has them (dispatch lists avx512 there), and on an
 * emulated AVX-512 CPU by ./run test-avx512 (emu/avx512_tests.sh). */
#include "avx512_emulated.h"

#include "../core/src/arch/avx512/kernels_avx512.c"
#include "../core/src/arch/avx512/utf8_avx512.c"

static size_t emulated_and_scalar(const sl_kernels **out, size_t cap)
{
    const sl_kernels *list[] = {&sl_kernels_avx512_emulated, &sl_kernels_scalar};
    for (size_t i = 0; i < cap && i < 2; i++)
        out[i] = list[i];
    return 2;
}

#define KERNELS_UNDER_TEST emulated_and_scalar
#include "test_kernels.c"
