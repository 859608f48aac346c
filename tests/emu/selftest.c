/* selftest.c - checks that bochs_run.sh gives a program an AVX-512 machine.
 *
 *   selftest            print what the CPU supports; when it has AVX-512
 *                       VBMI, run vpermb and compare with a scalar
 *                       permutation. Exit 0 when all is as expected, 3 if not
 *   selftest exit N     exit with status N at once (checks that the status
 *                       reaches the host)
 *   selftest loop N     run a loop of about N simple instructions (add, dec,
 *                       jnz) and print how long it took by the guest's clock
 *   selftest vloop N    the same with N/4 rounds of vpermb, vpaddb, dec, jnz
 *
 * With SELFTEST_EXIT=N in the environment it exits with status N after the
 * checks. SELFTEST_EXPECT_AVX512=0 makes it expect no AVX-512 (a CPU model
 * without it); the default is to expect it.
 * Build: gcc -static -O2 -o selftest selftest.c
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static void vpermb(const uint8_t idx[64], const uint8_t table[64], uint8_t out[64])
{
    __m512i i = _mm512_loadu_si512(idx);
    __m512i t = _mm512_loadu_si512(table);
    _mm512_storeu_si512(out, _mm512_permutexvar_epi8(i, t));
}

/* out[k] = table[idx[k] & 63]: what vpermb computes. */
static void vpermb_scalar(const uint8_t idx[64], const uint8_t table[64], uint8_t out[64])
{
    for (int k = 0; k < 64; k++)
        out[k] = table[idx[k] & 63];
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* About n instructions: one add, one decrement and one branch per three. */
static void loop(unsigned long n)
{
    unsigned long count = n / 3 ? n / 3 : 1, acc = 0;
    double t0 = now();
    __asm__ volatile("1: add %1, %0\n\t"
                     "dec %1\n\t"
                     "jnz 1b"
                     : "+r"(acc), "+r"(count)
                     :
                     : "cc");
    double t1 = now();
    printf("loop of %lu instructions: %.3f s by the guest clock, %.1f M/s\n",
           n, t1 - t0, (double)n / (t1 - t0) / 1e6);
}

/* About n instructions, half of them AVX-512 (vpermb and vpaddb on zmm). */
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static void vloop(unsigned long n)
{
    unsigned long count = n / 4 ? n / 4 : 1;
    __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(5);
    double t0 = now();
    __asm__ volatile("1: vpermb %1, %2, %1\n\t"
                     "vpaddb %2, %1, %1\n\t"
                     "dec %0\n\t"
                     "jnz 1b"
                     : "+r"(count), "+v"(a)
                     : "v"(b)
                     : "cc");
    double t1 = now();
    uint8_t out[64];
    _mm512_storeu_si512(out, a);
    printf("AVX-512 loop of %lu instructions: %.3f s by the guest clock, %.1f M/s (%u)\n",
           n, t1 - t0, (double)n / (t1 - t0) / 1e6, out[0]);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    if (argc == 3 && strcmp(argv[1], "loop") == 0) {
        loop(strtoul(argv[2], NULL, 10));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "vloop") == 0) {
        vloop(strtoul(argv[2], NULL, 10));
        return 0;
    }

    __builtin_cpu_init();
    int f = __builtin_cpu_supports("avx512f");
    int bw = __builtin_cpu_supports("avx512bw");
    int vbmi = __builtin_cpu_supports("avx512vbmi");
    printf("avx512f %d\navx512bw %d\navx512vbmi %d\n", f != 0, bw != 0, vbmi != 0);

    const char *expect = getenv("SELFTEST_EXPECT_AVX512");
    int want = expect ? atoi(expect) : 1;
    int ok = (f && bw && vbmi) == (want != 0);

    if (f && bw && vbmi) {
        uint8_t idx[64], table[64], got[64], ref[64];
        uint32_t x = 12345;
        for (int k = 0; k < 64; k++) {
            x = x * 1103515245u + 12345u;
            idx[k] = (uint8_t)(x >> 16);          /* high bits must be ignored */
            table[k] = (uint8_t)(200 - 3 * k);
        }
        vpermb(idx, table, got);
        vpermb_scalar(idx, table, ref);
        int same = memcmp(got, ref, 64) == 0;
        printf("vpermb %s:", same ? "matches" : "DIFFERS");
        for (int k = 0; k < 8; k++)
            printf(" %u", got[k]);
        printf(" ...\n");
        ok = ok && same;
    }
    printf("selftest: %s\n", ok ? "ok" : "FAILED");
    fflush(stdout);

    const char *code = getenv("SELFTEST_EXIT");
    if (code)
        return atoi(code);
    return ok ? 0 : 3;
}
