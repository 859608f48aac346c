/* testutil.h - test helpers: loading fixtures, and buffers that end at a guard page. */
#ifndef SHARDLINE_TESTUTIL_H
#define SHARDLINE_TESTUTIL_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

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

/* Parse tests/data/<name> as a batch; a failure is a failed check. The
 * caller frees *text and the batch. */
static inline shardline_batch *parse_fixture(const char *name, char **text, size_t *len)
{
    *text = read_fixture(name, len);
    shardline_batch *batch = NULL;
    shardline_error err;
    shardline_status st = shardline_batch_parse(*text, *len, NULL, &batch, &err);
    check_total++;
    if (st != SHARDLINE_OK)
        CHECK_FAIL_AT(__FILE__, __LINE__, "%s: %s at %zu (%s)", name, shardline_status_name(st),
                      err.offset, err.path);
    return batch;
}

/* Allocator hooks that count, check sizes on free, and can fail the Nth
 * call: pass a counting_allocator as the hooks' ctx. */
typedef struct counting_allocator {
    size_t live_bytes, peak_bytes, live_blocks, calls;
    size_t fail_at; /* the call number that fails, or SIZE_MAX */
    bool bad_free;  /* free was given a size that differs from the allocation */
} counting_allocator;

#define COUNTING_ALLOCATOR_INIT {0, 0, 0, 0, SIZE_MAX, false}

/* Each block carries its size in front so frees can be checked. */
static inline void *counting_alloc(void *ctx, size_t size)
{
    counting_allocator *c = ctx;
    if (c->calls++ == c->fail_at)
        return NULL;
    size_t *p = malloc(size + 16);
    if (p == NULL)
        return NULL;
    p[0] = size;
    c->live_bytes += size;
    c->live_blocks++;
    if (c->live_bytes > c->peak_bytes)
        c->peak_bytes = c->live_bytes;
    return (char *)p + 16;
}

static inline void counting_free(void *ctx, void *ptr, size_t size)
{
    counting_allocator *c = ctx;
    size_t *p = (size_t *)(void *)((char *)ptr - 16);
    if (p[0] != size)
        c->bad_free = true;
    c->live_bytes -= p[0];
    c->live_blocks--;
    free(p);
}

/* A deterministic xorshift64* generator: tests must repeat exactly. */
/* The fixture folder <data>/<sub> (data: $SHARDLINE_TEST_DATA, else
 * tests/data), opened; a missing one fails a check and gives NULL. */
static inline DIR *open_fixture_dir(const char *sub)
{
    const char *root = getenv("SHARDLINE_TEST_DATA");
    if (root == NULL)
        root = "tests/data";
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", root, sub);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    return d;
}

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
