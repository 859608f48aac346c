/* json.h - the strict JSON cursor shared by the document builder and the event schemas. */
#ifndef SHARDLINE_JSON_H
#define SHARDLINE_JSON_H

#include "internal.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* A tree node; the public shardline_value (and shardline_attr) is this
 * struct: 12 bytes on 64-bit targets, since the pointer is kept as bytes and
 * nodes pack at 4-byte alignment. `bits` holds the type (shardline_type or
 * shardline_attr_type) in its low 4 bits and the length above them: text
 * bytes, or the element / member count. A length of SL_LEN_HELD or more is
 * held in an sl_held record that `ref` points to. For objects and maps the
 * children are 2 * len nodes: key (a string), value, key, ... Read and
 * write nodes only through the functions below. */
struct shardline_value {
    uint32_t bits;
    unsigned char ref[sizeof(void *)]; /* the text or children pointer */
};
typedef struct shardline_value sl_node;

#define SL_TYPE_BITS 4
#define SL_LEN_HELD (UINT32_MAX >> SL_TYPE_BITS)

typedef struct sl_held {
    const void *ptr;
    size_t len;
} sl_held;

static inline uint32_t sl_node_type(const sl_node *n)
{
    return n->bits & ((1u << SL_TYPE_BITS) - 1);
}

static inline const void *sl_node_ref(const sl_node *n)
{
    const void *p;
    memcpy(&p, n->ref, sizeof p);
    return p;
}

static inline size_t sl_node_len(const sl_node *n)
{
    uint32_t len = n->bits >> SL_TYPE_BITS;
    return SL_LIKELY(len != SL_LEN_HELD) ? len : ((const sl_held *)sl_node_ref(n))->len;
}

static inline const char *sl_node_text(const sl_node *n)
{
    const void *p = sl_node_ref(n);
    return SL_LIKELY((n->bits >> SL_TYPE_BITS) != SL_LEN_HELD) ? p : ((const sl_held *)p)->ptr;
}

static inline const sl_node *sl_node_children(const sl_node *n)
{
    return (const sl_node *)(const void *)sl_node_text(n);
}

/* Fill n with len < SL_LEN_HELD (no memory needed). */
static inline void sl_node_put(sl_node *n, uint32_t type, const void *ptr, size_t len)
{
    n->bits = type | (uint32_t)len << SL_TYPE_BITS;
    memcpy(n->ref, &ptr, sizeof ptr);
}

struct sl_parser;
/* Fill n; a length of SL_LEN_HELD or more goes into an sl_held in the
 * parser's arena. False when that allocation fails. */
SL_INTERNAL bool sl_node_set_held(struct sl_parser *P, sl_node *n, uint32_t type, const void *ptr,
                                  size_t len);

static inline bool sl_node_set(struct sl_parser *P, sl_node *n, uint32_t type, const void *ptr, size_t len)
{
    if (SL_UNLIKELY(len >= SL_LEN_HELD))
        return sl_node_set_held(P, n, type, ptr, len);
    sl_node_put(n, type, ptr, len);
    return true;
}

/* The tree builder: values are pushed on a stack; when a container closes,
 * its children move into the arena as one contiguous array (O(1) indexing)
 * and the container's placeholder node takes their place. */
typedef struct sl_builder {
    sl_node *stack;
    size_t top, cap;
    size_t open; /* stack index of the innermost open container, or SIZE_MAX */
} sl_builder;

#define SL_FOLLOW_KINDS 5
#define SL_FOLLOW_FIELDS 15

typedef struct sl_parser {
    const char *base; /* input start: offsets are relative to it */
    const char *p;    /* cursor */
    const char *end;
    char *wbase;      /* in-place mode: writable alias of base; else NULL */
    const sl_kernels *k;
    sl_arena *arena;  /* receives unescaped strings when not in place */
    size_t arena_hint;
    uint32_t max_depth;
    bool fast; /* take the speculative fast paths (see sl_batch_parse_general) */
    shardline_allocator allocator;
    shardline_error *error;
    /* Scratch reused across records (never one allocation per record),
     * released by sl_parser_release(). */
    sl_builder builder;
    void *frames;
    size_t frames_cap;
    /* The schema walks' guesses (event.c): for each kind of schema object,
     * follow[kind][i + 1] is the member that came after member i the last
     * time, follow[kind][0] the one that came first. */
    uint8_t follow[SL_FOLLOW_KINDS][SL_FOLLOW_FIELDS + 1];
    sl_path path;
} sl_parser;

/* Set up a parser over input[0..len): checks arguments and size, skips a
 * UTF-8 BOM. Returns SHARDLINE_OK or the error (already reported). */
SL_INTERNAL shardline_status sl_parser_init(sl_parser *P, const char *input, size_t len,
                                            const shardline_options *options,
                                            shardline_error *error);

/* Free the parser's scratch memory (not the arena). */
SL_INTERNAL void sl_parser_release(sl_parser *P);

static inline size_t sl_offset(const sl_parser *P, const char *at)
{
    return (size_t)(at - P->base);
}

/* Report code at `at` with the current path. */
static inline shardline_status sl_fail(sl_parser *P, shardline_status code, const char *at)
{
    return sl_error_set(P->error, code, sl_offset(P, at), &P->path);
}

static inline void sl_skip_ws(sl_parser *P)
{
    const char *p = P->p, *end = P->end;
    /* Minified events have no whitespace: one test and out. */
    if (SL_LIKELY(p < end && (unsigned char)*p > ' '))
        return;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    P->p = p;
}

#if defined(__SSE2__)
/* The baseline vector unit of x86-64, for scans inline in the parser. For
 * the 16 bytes at p: returns a bit per '"', '\\' or control byte, and sets
 * *high to a bit per non-ASCII byte. */
static inline unsigned sl_string_special16(const char *p, unsigned *high)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i bslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    /* Unsigned v < 0x20, as a signed comparison with the sign bit flipped. */
    __m128i ctrl = _mm_cmplt_epi8(_mm_xor_si128(v, _mm_set1_epi8((char)0x80)),
                                  _mm_set1_epi8((char)(0x20 ^ 0x80)));
    *high = (unsigned)_mm_movemask_epi8(v);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, bslash), ctrl));
}
#endif

/* Most strings of an event are short and ASCII (keys, names, ids): the
 * baseline vector unit of the build (SSE2 on x86-64) finds their end inline,
 * 16 bytes at a time, without calling through the kernel table. When only
 * ASCII comes before the first '"', '\\' or control byte of the string
 * content at p, *stop is set at that byte, and which one it is comes from
 * the compare (not from reading the byte again, a load on the path from one
 * token to the next): 1 for the closing '"', -1 for a '\\' or control
 * byte. 0, at the first non-ASCII byte or near the end of the input,
 * leaves the string to the kernel. */
static SL_ALWAYS_INLINE int sl_ascii_string(const char *p, const char *end, size_t *stop)
{
#if defined(__SSE2__)
    for (const char *q = p; end - q >= 16; q += 16) {
        unsigned high;
        unsigned special = sl_string_special16(q, &high);
        if (special != 0) {
            unsigned quote = (unsigned)_mm_movemask_epi8(
                _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)q), _mm_set1_epi8('"')));
            unsigned k = (unsigned)__builtin_ctz(special);
            if (high & ((1u << k) - 1))
                return 0;
            *stop = (size_t)(q - p) + k;
            return (quote >> k) & 1 ? 1 : -1;
        }
        if (high != 0)
            return 0;
    }
#else
    (void)p;
    (void)end;
    (void)stop;
#endif
    return 0;
}

/* ---- speculative readers: fast paths for the layouts the services write,
 * whose callers fall back to the general path on any mismatch ---- */

static inline uint64_t sl_load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* A high bit per byte of the word w that is not an ASCII digit, and none
 * when all eight are. A byte b below 0x80 is a digit when b + 0x50 reaches
 * 0x80 (b >= '0') and b + 0x46 does not (b <= '9'); such sums never carry
 * into the next byte, so the bit of the lowest non-digit byte is exact
 * (a byte of 0x80 or more can disturb the bits above its own). */
static inline uint64_t sl_nondigits8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
    uint64_t at_least_0 = w + ones * 0x50, above_9 = w + ones * 0x46;
    return ~(at_least_0 & ~above_9 & ~w) & high;
}

/* The end of the run of ASCII digits at p (p itself when there is none),
 * eight bytes a step while they lie before end. */
static inline const char *sl_digit_run(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; end - p >= 8; p += 8) {
        uint64_t bad = sl_nondigits8(sl_load64(p));
        if (bad != 0)
            return p + __builtin_ctzll(bad) / 8;
    }
#endif
    while (p < end && (unsigned)(*p - '0') <= 9)
        p++;
    return p;
}

/* a[0..n) == b[0..n), inline for the keys, names and fixed runs of events,
 * where a call to memcmp costs more than the comparison: short ones as two
 * overlapping words, longer ones word by word and then the last word
 * (overlapping the one before). With a constant n the compiler keeps only
 * the words that n needs. */
static SL_ALWAYS_INLINE bool sl_bytes_equal(const char *a, const char *b, size_t n)
{
    if (n < 4) {
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return false;
        return true;
    }
    if (n < 8) {
        uint32_t a0, a1, b0, b1;
        memcpy(&a0, a, 4);
        memcpy(&a1, a + n - 4, 4);
        memcpy(&b0, b, 4);
        memcpy(&b1, b + n - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    uint64_t diff = sl_load64(a + n - 8) ^ sl_load64(b + n - 8);
    if (n <= 16)
        return (diff | (sl_load64(a) ^ sl_load64(b))) == 0;
    for (size_t i = 0; i + 8 < n; i += 8)
        diff |= sl_load64(a + i) ^ sl_load64(b + i);
    return diff == 0;
}

/* The fixed text at *pp is `lit` (n bytes, a constant): move past it. */
static SL_ALWAYS_INLINE bool sl_take_literal(const char **pp, const char *end, const char *lit, size_t n)
{
    const char *p = *pp;
    if ((size_t)(end - p) < n || !sl_bytes_equal(p, lit, n))
        return false;
    *pp = p + n;
    return true;
}
#define SL_TAKE(pp, end, lit) sl_take_literal(pp, end, lit, sizeof(lit) - 1)

/* The string content starting at *pp (after its opening quote), when it has
 * no escape: checked as sl_scan_string would (control characters, UTF-8).
 * Leaves *pp after the closing quote. False when the string has an escape
 * or an error: the caller then reads it the general way, which decides. */
static SL_ALWAYS_INLINE bool sl_plain_string(const sl_parser *P, const char **pp, shardline_view *out)
{
    const char *start = *pp, *end = P->end;
    size_t stop = 0;
    int ascii = sl_ascii_string(start, end, &stop);
    if (ascii < 0)
        return false;
    if (ascii == 0 &&
        (P->k->string_scan((const uint8_t *)start, (size_t)(end - start), &stop) != SHARDLINE_OK ||
         start + stop == end || start[stop] != '"'))
        return false;
    out->ptr = start;
    out->len = stop;
    *pp = start + stop + 1;
    return true;
}

/* The first '"' or '\\' at or after p, or NULL: where a base64 string ends,
 * or an escape that leaves the string to the general path. */
#if defined(__SSE2__)
/* A byte of 0xFF at each '"' or '\\' of the 16 bytes at p. */
static inline __m128i sl_quote_or_backslash16(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    return _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
}
#endif

static inline const char *sl_quote_or_backslash(const char *p, const char *end)
{
#if defined(__SSE2__)
    /* Base64 payloads run to hundreds of bytes: 64 at a time, with one
     * test, and the hit found among them only once there is one. */
    for (; end - p >= 64; p += 64) {
        __m128i a = sl_quote_or_backslash16(p), b = sl_quote_or_backslash16(p + 16);
        __m128i c = sl_quote_or_backslash16(p + 32), d = sl_quote_or_backslash16(p + 48);
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) != 0) {
            uint64_t hit = (uint64_t)(unsigned)_mm_movemask_epi8(a) |
                           (uint64_t)(unsigned)_mm_movemask_epi8(b) << 16 |
                           (uint64_t)(unsigned)_mm_movemask_epi8(c) << 32 |
                           (uint64_t)(unsigned)_mm_movemask_epi8(d) << 48;
            return p + __builtin_ctzll(hit);
        }
    }
    for (; end - p >= 16; p += 16) {
        unsigned hit = (unsigned)_mm_movemask_epi8(sl_quote_or_backslash16(p));
        if (hit != 0)
            return p + __builtin_ctz(hit);
    }
#endif
    for (; p < end; p++)
        if (*p == '"' || *p == '\\')
            return p;
    return NULL;
}

/* Decode the base64 string content text[0..len), which holds no '"' or
 * '\\' and is followed by its closing quote, into the arena or, in
 * in-place mode, over itself. On failure, reports (with the current path)
 * what scanning the string and then decoding it reports: the scan's first
 * error (UTF-8 or control character), else the decoder's. Call it only once nothing that
 * follows can send the caller back to the general path: in place, a
 * failed decode has rewritten part of the text. */
SL_INTERNAL shardline_status sl_decode_plain_base64(sl_parser *P, const char *text, size_t len,
                                                    shardline_view *out);

/* A string as found in the input: its content between the quotes. */
typedef struct sl_string {
    const char *raw;
    size_t len;
    bool escaped; /* contains at least one backslash escape */
} sl_string;

/* Scan and validate the string at P->p (which must be '"'): UTF-8, control
 * characters, escapes and surrogate pairs. Leaves P->p after the closing quote. */
SL_INTERNAL shardline_status sl_scan_string(sl_parser *P, sl_string *s);

/* The string's text: the raw bytes when unescaped, else unescaped into the
 * arena, or over the raw bytes in in-place mode. */
SL_INTERNAL shardline_status sl_string_text(sl_parser *P, const sl_string *s, shardline_view *out);

/* Unescape validated string content src[0..len) into dst (dst may equal src).
 * Returns the length written, never more than len. */
SL_INTERNAL size_t sl_unescape(const char *src, size_t len, char *dst);

/* Scan and validate the number at P->p; *text receives its exact text. */
SL_INTERNAL shardline_status sl_scan_number(sl_parser *P, shardline_view *text);

/* Match the literal word (true, false, null) at P->p. */
SL_INTERNAL shardline_status sl_scan_literal(sl_parser *P, const char *word, size_t n);

SL_INTERNAL shardline_status sl_expect_kind_general(sl_parser *P, char c);

/* Schema checks: the value at P->p must start with `c` ('{', '[', '"', or
 * '0' for a number, 't' for true/false). Another valid value is
 * SHARDLINE_ERR_FIELD_TYPE; anything else SHARDLINE_ERR_SYNTAX. The usual
 * outcome, the very character `c`, is decided inline; the rest (a number's
 * sign or digit, false, the errors) by sl_expect_kind_general. */
static inline shardline_status sl_expect_kind(sl_parser *P, char c)
{
    return SL_LIKELY(*P->p == c) ? SHARDLINE_OK : sl_expect_kind_general(P, c);
}

/* A string value at P->p (type-checked) as text, unescaped if needed. */
SL_INTERNAL shardline_status sl_read_string(sl_parser *P, shardline_view *out);

/* A string value at P->p (type-checked) holding base64, decoded into the
 * arena or, in in-place mode, over its own text. Error offsets point at
 * the bad byte, or at the string's first character when it has escapes. */
SL_INTERNAL shardline_status sl_read_base64(sl_parser *P, shardline_view *out);

/* Builder steps. push returns NULL on allocation failure. open pushes a
 * container placeholder; close moves its children into the arena (pairs:
 * the children are key/value pairs, so the count is halved). */
SL_INTERNAL sl_node *sl_builder_grow(sl_parser *P, sl_builder *B);

static inline sl_node *sl_builder_push(sl_parser *P, sl_builder *B)
{
    if (SL_UNLIKELY(B->top == B->cap))
        return sl_builder_grow(P, B);
    return &B->stack[B->top++];
}

SL_INTERNAL bool sl_builder_open(sl_parser *P, sl_builder *B, uint32_t type);
SL_INTERNAL bool sl_builder_close(sl_parser *P, sl_builder *B, bool pairs);

/* sl_object_next for a schema that expects a member named `expect` (plain
 * ASCII, no '"' or '\\', expect_len bytes) next: when the input holds
 * exactly that key, it is taken without scanning and *matched is set. Any
 * other key is scanned as usual, with *matched false. */
SL_INTERNAL shardline_status sl_object_next_expect(sl_parser *P, bool *first, sl_string *key,
                                                   bool *done, const char *expect,
                                                   size_t expect_len, bool *matched);
SL_INTERNAL shardline_status sl_array_next_general(sl_parser *P, bool *first, bool *done);

/* Walking objects and arrays whose '{' or '[' the caller consumed. Each call
 * moves to the next member / element: *done is set at the closing bracket
 * (consumed). For objects the key is scanned and the ':' consumed; the cursor
 * is left on the value (whitespace skipped). `first` tracks commas. The
 * compact steps - a closing bracket right there, or a ',' straight before
 * an element - are taken inline; the rest (whitespace, errors) out of line. */
static inline shardline_status sl_object_next(sl_parser *P, bool *first, sl_string *key, bool *done)
{
    if (P->p < P->end && *P->p == '}') {
        P->p++;
        *done = true;
        return SHARDLINE_OK;
    }
    bool matched;
    return sl_object_next_expect(P, first, key, done, NULL, 0, &matched);
}

static inline shardline_status sl_array_next(sl_parser *P, bool *first, bool *done)
{
    const char *p = P->p;
    if (p < P->end && *p == ']') {
        P->p = p + 1;
        *done = true;
        return SHARDLINE_OK;
    }
    if (!*first && P->end - p >= 2 && p[0] == ',' && (unsigned char)p[1] > ' ' && p[1] != ']') {
        P->p = p + 1;
        *done = false;
        return SHARDLINE_OK;
    }
    return sl_array_next_general(P, first, done);
}

/* Compare a scanned key with a plain ASCII name (escaped keys are unescaped
 * for the comparison). The common unescaped case is inline. */
SL_INTERNAL bool sl_key_equals_escaped(const sl_string *key, const char *name, size_t name_len);

static inline bool sl_key_equals(const sl_string *key, const char *name, size_t name_len)
{
    if (key->escaped)
        return sl_key_equals_escaped(key, name, name_len);
    return key->len == name_len && sl_bytes_equal(key->raw, name, name_len);
}

/* Validate one value at P->p without keeping it. depth is the nesting depth
 * of the containers around it. */
SL_INTERNAL shardline_status sl_skip_value(sl_parser *P, uint32_t depth);

/* Validate the text from P->p to the end as one JSON value with only
 * whitespace around it, byte by byte: SHARDLINE_OK, or the first error
 * (reported; an empty text is SHARDLINE_ERR_EMPTY). */
SL_INTERNAL shardline_status sl_validate_text(sl_parser *P);

/* Whether sl_validate_text would accept the text from P->p to the end,
 * found over the structural index (stage 2; see json_parse.c). Reports
 * nothing: on false, sl_validate_text finds the error. */
SL_INTERNAL bool sl_validate_indexed(sl_parser *P);

/* Parse one value at P->p into a tree whose nodes live in P->arena; *root
 * receives a copy of the root node. */
SL_INTERNAL shardline_status sl_build_value(sl_parser *P, uint32_t depth, sl_node *root);

/* After the top-level value: only whitespace may follow. */
SL_INTERNAL shardline_status sl_expect_end(sl_parser *P);

/* Objects that own their arena (documents, images) start with it. */
typedef struct sl_owned {
    sl_arena arena; /* owns every chunk, the one holding the object included */
} sl_owned;

/* Fills an owned object from the value at P->p (whitespace skipped, input
 * not empty). */
typedef shardline_status (*sl_owned_parser)(sl_parser *P, void *object);

/* Parse one whole JSON text into a new object of `size` bytes (starting with
 * an sl_owned) allocated first in its own arena: `parse` reads the value,
 * then only whitespace may follow. On failure nothing is left allocated. */
SL_INTERNAL shardline_status sl_parse_owned(const char *input, size_t len,
                                            const shardline_options *options,
                                            shardline_error *error, size_t size,
                                            sl_owned_parser parse, void **out);

/* Free an object made by sl_parse_owned; NULL is ignored. */
SL_INTERNAL void sl_owned_free(sl_owned *object);

#endif /* SHARDLINE_JSON_H */
