/* alloc.c - allocator hooks, the chunked arena, and option defaults. */
#include <stdlib.h>

#include "internal.h"

static void *default_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size);
}

static void default_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    free(ptr);
}

void shardline_options_init(shardline_options *options)
{
    if (options == NULL)
        return;
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
    options->max_depth = SHARDLINE_DEFAULT_MAX_DEPTH;
}

shardline_allocator sl_allocator_from(const shardline_options *options)
{
    shardline_allocator a = {default_alloc, default_free, NULL};
    /* Only read the allocator field if the caller's struct has it. */
    if (options != NULL &&
        options->size >= offsetof(shardline_options, allocator) + sizeof options->allocator &&
        options->allocator != NULL && options->allocator->alloc != NULL &&
        options->allocator->free != NULL)
        a = *options->allocator;
    return a;
}

void *sl_alloc(const shardline_allocator *a, size_t size)
{
    return size == 0 ? NULL : a->alloc(a->ctx, size);
}

void sl_free(const shardline_allocator *a, void *ptr, size_t size)
{
    if (ptr != NULL)
        a->free(a->ctx, ptr, size);
}

/* ---- arena ----------------------------------------------------------------- */

struct sl_chunk {
    sl_chunk *next;
    size_t size; /* whole allocation, header included */
};

/* Chunk payloads start at this alignment, enough for every node type. */
#define SL_CHUNK_HEADER ((sizeof(sl_chunk) + 15u) & ~(size_t)15u)

void sl_arena_init(sl_arena *arena, const shardline_allocator *allocator)
{
    arena->allocator = *allocator;
    arena->chunks = NULL;
    arena->cur = NULL;
    arena->end = NULL;
    arena->total = 0;
}

bool sl_arena_reserve(sl_arena *arena, size_t need, size_t hint)
{
    if ((size_t)(arena->end - arena->cur) >= need && arena->cur != NULL)
        return true;
    size_t body = need > hint ? need : hint;
    if (body > SIZE_MAX - SL_CHUNK_HEADER - 16u)
        return false;
    size_t size = SL_CHUNK_HEADER + body + 16u; /* +16: room to align the first object */
    sl_chunk *chunk = sl_alloc(&arena->allocator, size);
    if (chunk == NULL)
        return false;
    chunk->next = arena->chunks;
    chunk->size = size;
    arena->chunks = chunk;
    arena->cur = (char *)chunk + SL_CHUNK_HEADER;
    arena->end = (char *)chunk + size;
    arena->total += size;
    return true;
}

void sl_arena_rewind(sl_arena *arena, const sl_arena_mark *mark)
{
    while (arena->chunks != mark->chunks) {
        sl_chunk *c = arena->chunks;
        arena->chunks = c->next;
        sl_free(&arena->allocator, c, c->size);
    }
    arena->cur = mark->cur;
    arena->end = mark->end;
    arena->total = mark->total;
}

void sl_arena_release(sl_arena *arena)
{
    sl_chunk *c = arena->chunks;
    while (c != NULL) {
        sl_chunk *next = c->next;
        sl_free(&arena->allocator, c, c->size);
        c = next;
    }
    arena->chunks = NULL;
    arena->cur = arena->end = NULL;
    arena->total = 0;
}
