/* testutil.h - test helpers: loading fixtures, and buffers that end at a guard page. */
#ifndef SHARDLINE_TESTUTIL_H
#define SHARDLINE_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Read tests/data/<name> (the folder comes from SHARDLINE_TEST_DATA) into a
 * malloc'd buffer; exits on failure since no test can go on without it. */
static inline char *read_fixture(const char *name, size_t *len)
{
    const char *dir = getenv("SHARDLINE_TEST_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open fixture %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read fixture %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* A deterministic xorshift64* generator: tests must repeat exactly. */
typedef struct test_rng {
    uint64_t state; /* any non-zero seed */
} test_rng;

static inline uint64_t test_rng_next(test_rng *r)
{
    uint64_t x = r->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

/* Uniform enough below n (n > 0) for test inputs. */
static inline uint32_t test_rng_below(test_rng *r, uint32_t n)
{
    return (uint32_t)(test_rng_next(r) % n);
}

/* Memory whose end touches a PROT_NONE page, so reading one byte past what
 * was placed at its end faults, with or without ASan. */
typedef struct guarded {
    char *end; /* first byte of the guard page */
    size_t cap;
    void *map;
    size_t map_len;
} guarded;

static inline guarded guarded_alloc(size_t cap)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t body = (cap + page - 1) / page * page;
    guarded g;
    g.map_len = body + page;
    g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g.map == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    if (mprotect((char *)g.map + body, page, PROT_NONE) != 0) {
        perror("mprotect");
        exit(2);
    }
    g.end = (char *)g.map + body;
    g.cap = cap;
    return g;
}

/* Copy data[0..len) (len <= cap) so that its last byte is the last one
 * before the guard page; returns where it starts. */
static inline char *guarded_place(guarded *g, const char *data, size_t len)
{
    char *start = g->end - len;
    if (len)
        memcpy(start, data, len);
    return start;
}

static inline void guarded_free(guarded *g)
{
    munmap(g->map, g->map_len);
}

#endif /* SHARDLINE_TESTUTIL_H */
