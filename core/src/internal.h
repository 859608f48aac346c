/* internal.h - declarations shared by the library's translation units (never installed). */
#ifndef SHARDLINE_INTERNAL_H
#define SHARDLINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "shardline.h"

#if defined(__GNUC__) || defined(__clang__)
#define SL_LIKELY(x) __builtin_expect(!!(x), 1)
#define SL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SL_INTERNAL __attribute__((visibility("hidden")))
/* For helpers that only pay off when inlined at every call (constant sizes). */
#define SL_ALWAYS_INLINE inline __attribute__((always_inline))
/* For rarely taken or large paths kept out of the hot function around them. */
#define SL_NOINLINE __attribute__((noinline))
#else
#define SL_LIKELY(x) (x)
#define SL_UNLIKELY(x) (x)
#define SL_INTERNAL
#define SL_ALWAYS_INLINE inline
#define SL_NOINLINE
#endif

/* ---- allocation ---------------------------------------------------------- */

/* The caller's hooks, or malloc/free. */
SL_INTERNAL shardline_allocator sl_allocator_from(const shardline_options *options);
SL_INTERNAL void *sl_alloc(const shardline_allocator *a, size_t size);
SL_INTERNAL void sl_free(const shardline_allocator *a, void *ptr, size_t size);

/* A chunked bump allocator. Chunks are released together by sl_arena_release.
 * `total` counts every byte obtained from the allocator, for reporting. */
typedef struct sl_chunk sl_chunk;
typedef struct sl_arena {
    shardline_allocator allocator;
    sl_chunk *chunks;
    char *cur;
    char *end;
    size_t total;
} sl_arena;

SL_INTERNAL void sl_arena_init(sl_arena *arena, const shardline_allocator *allocator);
/* Make sure `need` bytes are free in the current chunk, opening a new chunk of
 * max(need, hint) bytes when they are not. Returns false on allocation failure. */
SL_INTERNAL bool sl_arena_reserve(sl_arena *arena, size_t need, size_t hint);
/* Reserve and take n bytes aligned to `align` (a power of two). Inline:
 * the parsers take a node array or a string from the current chunk many
 * times a record. */
static inline void *sl_arena_alloc(sl_arena *arena, size_t n, size_t align, size_t hint)
{
    size_t pad = arena->cur ? (size_t)(-(uintptr_t)arena->cur & (align - 1u)) : 0;
    if (SL_UNLIKELY(arena->cur == NULL || (size_t)(arena->end - arena->cur) < n ||
                    (size_t)(arena->end - arena->cur) - n < pad)) {
        if (n > SIZE_MAX - align || !sl_arena_reserve(arena, n + align, hint))
            return NULL;
        pad = (size_t)(-(uintptr_t)arena->cur & (align - 1u));
    }
    char *p = arena->cur + pad;
    arena->cur = p + n;
    return p;
}
SL_INTERNAL void sl_arena_release(sl_arena *arena);

/* The arena's state at one moment, for giving back what was taken since. */
typedef struct sl_arena_mark {
    sl_chunk *chunks;
    char *cur, *end;
    size_t total;
} sl_arena_mark;

static inline sl_arena_mark sl_arena_get_mark(const sl_arena *arena)
{
    sl_arena_mark m = {arena->chunks, arena->cur, arena->end, arena->total};
    return m;
}

/* Free the chunks opened since the mark and give back the bytes taken since. */
SL_INTERNAL void sl_arena_rewind(sl_arena *arena, const sl_arena_mark *mark);

/* ---- errors -------------------------------------------------------------- */

/* Schema path segments, kept while walking so an error can name its place. */
#define SL_PATH_DEPTH 160
typedef struct sl_path_seg {
    const char *name; /* NULL for an array index */
    size_t len;       /* name length, or the index */
} sl_path_seg;

typedef struct sl_path {
    sl_path_seg seg[SL_PATH_DEPTH];
    size_t depth; /* may exceed SL_PATH_DEPTH: deeper segments are not kept */
} sl_path;

static inline void sl_path_push_name(sl_path *path, const char *name, size_t len)
{
    if (path->depth < SL_PATH_DEPTH) {
        path->seg[path->depth].name = name;
        path->seg[path->depth].len = len;
    }
    path->depth++;
}

static inline void sl_path_push_index(sl_path *path, size_t index)
{
    if (path->depth < SL_PATH_DEPTH) {
        path->seg[path->depth].name = NULL;
        path->seg[path->depth].len = index;
    }
    path->depth++;
}

static inline void sl_path_pop(sl_path *path)
{
    path->depth--;
}

/* Fill *error (if non-NULL) with code, offset, the code's message and the
 * formatted path (NULL path: ""). Returns code. */
SL_INTERNAL shardline_status sl_error_set(shardline_error *error, shardline_status code,
                                          size_t offset, const sl_path *path);
SL_INTERNAL void sl_error_ok(shardline_error *error);

/* ---- kernels and CPU dispatch --------------------------------------------- */

/* What the structural indexer carries from one window of the input to the
 * next; all zero before the first. */
typedef struct sl_index_carry {
    uint64_t in_string;      /* all ones: the last window ended inside a string */
    uint64_t escaped;        /* 1: the next window's first byte is escaped */
    uint64_t other;          /* 1: the last window ended in a run of bytes that are
                                not structural, quote or whitespace */
    uint64_t ctrl_in_string; /* non-zero once a byte below 0x20 sat inside a string */
} sl_index_carry;

/* One implementation of the hot loops. Every implementation must give the
 * same results, error codes and offsets as the scalar one. */
typedef struct sl_kernels {
    const char *name;
    /* Strict base64 decode (see shardline_base64_decode). dst may equal src.
     * On error returns the code and sets *err_offset. */
    shardline_status (*base64_decode)(const char *src, size_t len, uint8_t *dst,
                                      size_t *out_len, size_t *err_offset);
    /* UTF-8 validation; on error *err_offset is the bad sequence's first byte. */
    shardline_status (*utf8_validate)(const uint8_t *src, size_t len, size_t *err_offset);
    /* Scan JSON string content: *stop receives the index of the first '"',
     * '\\' or byte below 0x20, or len when there is none. The bytes before
     * that index must be valid UTF-8; if not, returns SHARDLINE_ERR_UTF8 with
     * *stop at the first bad sequence's first byte. */
    shardline_status (*string_scan)(const uint8_t *src, size_t len, size_t *stop);
    /* Stage 1 of JSON parsing over one window src[0..len) of the input
     * (len < 2^32; a multiple of 64 unless it is the input's last window):
     * writes to out, in order, the offsets from src of every { } [ ] : ,
     * outside strings, every quote that is not escaped, every escaping
     * backslash inside a string, and the first byte of each run of other
     * non-whitespace bytes outside strings (a number, a literal or a stray
     * byte). Returns how many; out needs room for len + 8 (the last few are
     * scratch). *carry takes the state from window to window (see
     * arch/index_blocks.h). */
    size_t (*structural_index)(const uint8_t *src, size_t len, sl_index_carry *carry, uint32_t *out);
} sl_kernels;

SL_INTERNAL const sl_kernels *sl_kernels_get(void);

/* Every implementation this CPU can run, best first and the scalar one
 * last, for the tests and fuzzers that hold them against each other. Fills
 * out[0..cap) and returns how many there are (more than cap: some were left
 * out). No state: each call asks the CPU checks again. */
SL_INTERNAL size_t sl_kernels_supported(const sl_kernels **out, size_t cap);

/* The scalar implementation: the reference every other one is checked against. */
SL_INTERNAL extern const sl_kernels sl_kernels_scalar;

/* The SIMD implementations, each built only for its CPU family (see
 * core/src/arch/meson.build) and compiled with its own target flags. Their
 * functions have the same contracts as the scalar ones below. */
#define SL_DECLARE_KERNELS(isa)                                                               \
    SL_INTERNAL extern const sl_kernels sl_kernels_##isa;                                     \
    SL_INTERNAL shardline_status sl_base64_decode_##isa(const char *src, size_t len,          \
                                                        uint8_t *dst, size_t *out_len,        \
                                                        size_t *err_offset);                  \
    SL_INTERNAL shardline_status sl_utf8_validate_##isa(const uint8_t *src, size_t len,       \
                                                        size_t *err_offset);                  \
    SL_INTERNAL shardline_status sl_string_scan_##isa(const uint8_t *src, size_t len,         \
                                                      size_t *stop);                          \
    SL_INTERNAL size_t sl_structural_index_##isa(const uint8_t *src, size_t len,              \
                                                 sl_index_carry *carry, uint32_t *out);
#if defined(__x86_64__)
SL_DECLARE_KERNELS(sse42)
SL_DECLARE_KERNELS(avx2)
SL_DECLARE_KERNELS(avx512)
#elif defined(__aarch64__)
SL_DECLARE_KERNELS(neon)
#endif
#undef SL_DECLARE_KERNELS

/* Validate one UTF-8 sequence starting at src[0], which is >= 0x80. Returns
 * its length (2..4), or 0 if the sequence is invalid or runs past n. */
SL_INTERNAL size_t sl_utf8_sequence(const uint8_t *src, size_t n);

/* The base64 alphabet's 6-bit values by byte, 0xFF for every other byte. */
SL_INTERNAL extern const uint8_t sl_base64_values[256];

/* Scalar kernels, also used directly by the other implementations for tails. */
SL_INTERNAL shardline_status sl_base64_decode_scalar(const char *src, size_t len, uint8_t *dst,
                                                     size_t *out_len, size_t *err_offset);
SL_INTERNAL shardline_status sl_utf8_validate_scalar(const uint8_t *src, size_t len,
                                                     size_t *err_offset);
SL_INTERNAL shardline_status sl_string_scan_scalar(const uint8_t *src, size_t len, size_t *stop);
SL_INTERNAL size_t sl_structural_index_scalar(const uint8_t *src, size_t len, sl_index_carry *carry,
                                              uint32_t *out);

/* ---- numbers --------------------------------------------------------------- */

/* text must be a valid RFC 8259 number. Same contracts as the public
 * shardline_value_number_int64 / _double. */
SL_INTERNAL int sl_number_to_int64(const char *text, size_t len, int64_t *out);
SL_INTERNAL int sl_number_to_double(const char *text, size_t len, double *out);
/* The value of a decimal - its digits as an integer below 10^15, times
 * 10^scale with |scale| <= 22 - exactly as sl_number_to_double gives it:
 * one correctly rounded multiplication or division by an exact power of
 * ten. False (nothing written) for other inputs, or where the build cannot
 * round that way. */
SL_INTERNAL bool sl_decimal_to_double(uint64_t digits, int scale, bool negative, double *out);

#endif /* SHARDLINE_INTERNAL_H */
