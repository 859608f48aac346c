/* index_blocks.h - stage 1 of the JSON parser: the structural index, 64
 * bytes at a time. Included once by each implementation's source, which
 * defines KERNEL(name) before and, after,
 *
 *   static inline void classify64(const uint8_t *p, sl_classes *c)
 *
 * which sets, for the 64 bytes at p (bit i: byte p[i]), the masks of the
 * sl_classes fields below. Everything after the classification is plain
 * 64-bit integer code, the same for every implementation, so the scalar
 * classify64 (byte by byte) is the reference for the others.
 *
 * For each block, from its masks:
 *   escaped   bytes that follow an escaping backslash: a backslash escapes
 *             the next byte unless it is escaped itself (found backslash by
 *             backslash, as they are rare; the last byte's escape carries
 *             into the next block);
 *   quotes    the quotes that are not escaped: where strings start and end;
 *   in_string from an opening quote up to, not including, its closing
 *             quote (the running XOR of the quote bits, carried);
 *   entries   structural characters outside strings, every quote, every
 *             escaping backslash inside a string, and the first byte of
 *             each run of other bytes outside strings (where a number,
 *             literal or stray byte starts).
 * The offsets of the entries' bits are written in order. A byte below 0x20
 * inside a string sets carry->ctrl_in_string: the index is then not to be
 * trusted for validation, and the caller goes to the byte-by-byte parser. */

typedef struct sl_classes {
    uint64_t quote;     /* '"' */
    uint64_t backslash; /* '\\' */
    uint64_t op;        /* { } [ ] : , */
    uint64_t ws;        /* space, \t, \n, \r */
    uint64_t ctrl;      /* below 0x20 */
} sl_classes;

static inline void classify64(const uint8_t *p, sl_classes *c);

/* The escaping backslashes of a block (*starts) and the bytes they escape
 * (returned); *carry: bit 0 when the block's first byte is escaped, set for
 * the next block on return. */
static inline uint64_t index_escapes(uint64_t backslash, uint64_t *carry, uint64_t *starts)
{
    uint64_t escaped = *carry, taken = 0;
    uint64_t open = backslash & ~escaped;
    *carry = 0;
    while (open != 0) {
        uint64_t bit = open & (0 - open);
        uint64_t next = bit << 1; /* 0 for bit 63: the escape carries */
        if (next == 0)
            *carry = 1;
        escaped |= next;
        taken |= bit;
        open &= ~(bit | next);
    }
    *starts = taken;
    return escaped;
}

/* Bit i: the XOR of bits 0..i. */
static inline uint64_t index_prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* Append the offsets base + (each set bit of bits) to out[n..]; returns the
 * new count. Writes in groups of four, so up to three entries past the new
 * count are scratch (the caller's buffer has room for them). An
 * implementation may bring its own as SL_INDEX_FLATTEN, with the same
 * contract and at most eight scratch entries. */
#ifndef SL_INDEX_FLATTEN
#define SL_INDEX_FLATTEN index_flatten
static inline size_t index_flatten(uint64_t bits, uint32_t base, uint32_t *out, size_t n)
{
    size_t count = (size_t)__builtin_popcountll(bits);
    uint32_t *o = out + n;
    /* bit 63 keeps ctz defined once bits runs out; those writes are scratch */
    const uint64_t stop = UINT64_C(1) << 63;
    for (size_t k = 0; k < count; k += 4) {
        o[k] = base + (uint32_t)__builtin_ctzll(bits | stop);
        bits &= bits - 1;
        o[k + 1] = base + (uint32_t)__builtin_ctzll(bits | stop);
        bits &= bits - 1;
        o[k + 2] = base + (uint32_t)__builtin_ctzll(bits | stop);
        bits &= bits - 1;
        o[k + 3] = base + (uint32_t)__builtin_ctzll(bits | stop);
        bits &= bits - 1;
    }
    return n + count;
}
#endif

static inline size_t index_block(const sl_classes *c, sl_index_carry *carry, uint32_t base, uint32_t *out,
                                 size_t n)
{
    uint64_t escaped = 0, escapes = 0;
    if ((c->backslash | carry->escaped) != 0)
        escaped = index_escapes(c->backslash, &carry->escaped, &escapes);
    uint64_t quotes = c->quote & ~escaped;
    uint64_t in_string = index_prefix_xor(quotes) ^ carry->in_string;
    carry->in_string = (uint64_t)0 - (in_string >> 63);
    uint64_t other = ~(c->op | c->ws | c->quote);
    uint64_t starts = other & ~((other << 1) | carry->other) & ~in_string;
    carry->other = other >> 63;
    carry->ctrl_in_string |= c->ctrl & in_string;
    uint64_t entries = (c->op & ~in_string) | quotes | starts | (escapes & in_string);
    return SL_INDEX_FLATTEN(entries, base, out, n);
}

/* The kernel: see sl_kernels.structural_index in internal.h. */
size_t KERNEL(sl_structural_index)(const uint8_t *src, size_t len, sl_index_carry *carry, uint32_t *out)
{
    sl_classes c;
    size_t i = 0, n = 0;
    for (; len - i >= 64; i += 64) {
        classify64(src + i, &c);
        n = index_block(&c, carry, (uint32_t)i, out, n);
    }
    if (i < len) {
        /* The input's last bytes, in a block padded with spaces: whitespace
         * adds no entry and leaves every carried state as it is. */
        uint8_t tail[64];
        memset(tail, ' ', sizeof tail);
        memcpy(tail, src + i, len - i);
        classify64(tail, &c);
        n = index_block(&c, carry, (uint32_t)i, out, n);
    }
    return n;
}
