/* dispatch.c - picks the kernel implementation once per process, thread-safely. */
#include <stdatomic.h>
#include <stdlib.h>

#include "internal.h"

/* Every implementation built into this library, best first. An entry is
 * usable when its CPU check passes. The scalar one is always last. */
typedef struct impl_entry {
    const sl_kernels *kernels;
    bool (*supported)(void);
} impl_entry;

static bool always(void)
{
    return true;
}

#if defined(__x86_64__)
/* The CPU checks ask cpuid once more each call; only choose() and the
 * tests call them. When the build's baseline already has the ISA the check
 * is the constant true. __builtin_cpu_supports also checks that the OS
 * saves the AVX (and AVX-512) state. */
static bool has_avx512(void)
{
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VBMI__)
    return true;
#else
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vbmi");
#endif
}

static bool has_avx2(void)
{
#if defined(__AVX2__) && defined(__BMI__) && defined(__BMI2__) && defined(__POPCNT__)
    return true;
#else
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
#endif
}

static bool has_sse42(void)
{
#if defined(__SSE4_2__) && defined(__SSSE3__) && defined(__POPCNT__)
    return true;
#else
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("ssse3") &&
           __builtin_cpu_supports("popcnt");
#endif
}
#endif

static const impl_entry impls[] = {
#if defined(__x86_64__)
    {&sl_kernels_avx512, has_avx512},
    {&sl_kernels_avx2, has_avx2},
    {&sl_kernels_sse42, has_sse42},
#elif defined(__aarch64__)
    {&sl_kernels_neon, always}, /* Advanced SIMD is part of AArch64 */
#endif
    {&sl_kernels_scalar, always},
};

/* The one piece of mutable global state: the chosen table. Choosing is
 * idempotent, so threads racing on the first call all store the same
 * pointer. */
static _Atomic(const sl_kernels *) active_kernels;

static const sl_kernels *choose(void)
{
    /* A test-only override: force an implementation by name. An unknown or
     * unsupported name falls back to the normal choice. */
    const char *force = getenv("SHARDLINE_FORCE_IMPL");
    if (force != NULL) {
        for (size_t i = 0; i < sizeof impls / sizeof impls[0]; i++)
            if (strcmp(force, impls[i].kernels->name) == 0 && impls[i].supported())
                return impls[i].kernels;
    }
    for (size_t i = 0; i < sizeof impls / sizeof impls[0]; i++)
        if (impls[i].supported())
            return impls[i].kernels;
    return &sl_kernels_scalar;
}

const sl_kernels *sl_kernels_get(void)
{
    const sl_kernels *k = atomic_load_explicit(&active_kernels, memory_order_acquire);
    if (SL_UNLIKELY(k == NULL)) {
        k = choose();
        atomic_store_explicit(&active_kernels, k, memory_order_release);
    }
    return k;
}

size_t sl_kernels_supported(const sl_kernels **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof impls / sizeof impls[0]; i++) {
        if (!impls[i].supported())
            continue;
        if (n < cap)
            out[n] = impls[i].kernels;
        n++;
    }
    return n;
}

const char *shardline_implementation(void)
{
    return sl_kernels_get()->name;
}
