/* selftest.c - checks that bochs_run.sh gives a program an AVX-512 machine.
 *
 *   selftest            print what the CPU supports and XCR0 (the register
 *                       state the kernel enabled); when it has AVX-512 VBMI,
 *                       run vpermb and compare with a scalar permutation,
 *                       and check that two processes switching back and
 *                       forth keep their zmm0-31 and k1. Exit 0 when all is
 *                       as expected, 3 if not
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
#include <cpuid.h>
#include <immintrin.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* XCR0, or 0 when the OS has not enabled XSAVE (CPUID.1:ECX.OSXSAVE). */
static uint64_t xcr0(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
        return 0;
    __asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
    return ((uint64_t)d << 32) | a;
}

#define LOAD(i) "vpbroadcastq " #i "*8(%[vals]), %%zmm" #i "\n\t"
#define STORE(i) "vmovdqu64 %%zmm" #i ", " #i "*64(%[out])\n\t"
#define EIGHT(M, a, b, c, d, e, f, g, h) M(a) M(b) M(c) M(d) M(e) M(f) M(g) M(h)

/* Loads zmm0-31 and k1 with values made from seed, yields the CPU (to the
 * other process doing the same) and checks that they come back unchanged,
 * rounds times. Returns the number of rounds that lost state. */
__attribute__((target("avx512f,avx512bw")))
static int zmm_survive_switches(uint64_t seed, int rounds)
{
    uint64_t vals[32], out[32 * 8 + 1];
    int bad = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < 32; i++)
            vals[i] = seed * 0x9E3779B97F4A7C15ull + (uint64_t)r * 1000 + (uint64_t)i;
        __asm__ volatile(
            EIGHT(LOAD, 0, 1, 2, 3, 4, 5, 6, 7) EIGHT(LOAD, 8, 9, 10, 11, 12, 13, 14, 15)
            EIGHT(LOAD, 16, 17, 18, 19, 20, 21, 22, 23) EIGHT(LOAD, 24, 25, 26, 27, 28, 29, 30, 31)
            "kmovq (%[vals]), %%k1\n\t"
            "mov $24, %%eax\n\t" /* sched_yield */
            "syscall\n\t"
            EIGHT(STORE, 0, 1, 2, 3, 4, 5, 6, 7) EIGHT(STORE, 8, 9, 10, 11, 12, 13, 14, 15)
            EIGHT(STORE, 16, 17, 18, 19, 20, 21, 22, 23) EIGHT(STORE, 24, 25, 26, 27, 28, 29, 30, 31)
            "kmovq %%k1, 2048(%[out])\n\t"
            :
            : [vals] "r"(vals), [out] "r"(out)
            : "rax", "rcx", "r11", "memory", "k1",
              "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
              "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
              "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23",
              "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31");
        int lost = out[256] != vals[0];
        for (int i = 0; i < 32; i++)
            for (int j = 0; j < 8; j++)
                lost |= out[i * 8 + j] != vals[i];
        bad += lost;
    }
    return bad;
}

/* zmm_survive_switches in two processes at once; true when neither lost
 * anything. */
static int switch_test(int rounds)
{
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0)
        _exit(zmm_survive_switches(2, rounds) != 0);
    int bad = zmm_survive_switches(1, rounds);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        bad++;
    printf("zmm0-31 and k1 across %d switches between two processes: %s\n",
           rounds, bad ? "LOST" : "kept");
    return bad == 0;
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
    printf("xcr0 %#llx\n", (unsigned long long)xcr0());

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
        ok = switch_test(2000) && ok;
    }
    printf("selftest: %s\n", ok ? "ok" : "FAILED");
    fflush(stdout);

    const char *code = getenv("SELFTEST_EXIT");
    if (code)
        return atoi(code);
    return ok ? 0 : 3;
}
