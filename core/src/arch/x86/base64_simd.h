/* base64_simd.h - the strict base64 decoder's driver, shared by the x86
 * kernels. Included at the end of base64_<isa>.c, which defines:
 *
 *   block                  one decoded block of BLOCK_CHARS characters
 *   decode_block(src)      classify and translate BLOCK_CHARS characters
 *   block_ok(&b)           true when every character was in the alphabet
 *   store_block_spill(dst, &b)  write BLOCK_BYTES bytes, and up to 4 more
 *                          that the next block's store overwrites
 *   store_block_exact(dst, &b)  write exactly BLOCK_BYTES bytes
 *   BLOCK_CHARS, KERNEL(name)
 *
 * Two blocks are loaded and checked before either is stored, so a block is
 * only written when its input was good and in-place decoding never
 * overwrites unread text. Whole quanta short of a block are decoded as the
 * body's last block, overlapping the blocks before it, when that text is
 * still the input, and otherwise as a block padded with 'A's. A bad block,
 * a rest of one quantum and the final quantum (which may hold padding) go
 * to the scalar decoder, which finds the exact error code and offset and
 * writes what it would on its own. */
#define BLOCK_BYTES (BLOCK_CHARS / 4 * 3)

/* Whether src[from..to) still holds the input once dst[0..written) has
 * been stored: false when decoding in place has overwritten part of it. */
static inline bool overlap_unwritten(const char *src, const uint8_t *dst, size_t written, size_t from,
                                     size_t to)
{
    uintptr_t w0 = (uintptr_t)dst, w1 = w0 + written;
    uintptr_t r0 = (uintptr_t)(src + from), r1 = (uintptr_t)(src + to);
    return w1 <= r0 || w0 >= r1;
}

shardline_status KERNEL(sl_base64_decode)(const char *src, size_t len, uint8_t *dst, size_t *out_len,
                                        size_t *err_offset)
{
    /* Whole quanta that cannot hold padding: all of them when the length is
     * not a multiple of 4 (an error the scalar code reports after them),
     * all but the last otherwise. */
    size_t body = len % 4 != 0 ? len - len % 4 : len > 0 ? len - 4 : 0;
    size_t i = 0, o = 0;

    /* Every load of a step comes before its stores, which end at
     * o + 3/2 BLOCK_CHARS <= i + 2 BLOCK_CHARS when decoding in place: no
     * unread input is overwritten. */
    while (body - i >= 2 * BLOCK_CHARS) {
        block b0 = decode_block(src + i);
        block b1 = decode_block(src + i + BLOCK_CHARS);
        if (SL_UNLIKELY(!block_ok(&b0) || !block_ok(&b1)))
            goto rest;
        store_block_spill(dst + o, &b0);
        store_block_exact(dst + o + BLOCK_BYTES, &b1);
        i += 2 * BLOCK_CHARS;
        o += 2 * BLOCK_BYTES;
    }
    if (body - i >= BLOCK_CHARS) {
        block b = decode_block(src + i);
        if (!block_ok(&b))
            goto rest;
        store_block_exact(dst + o, &b);
        i += BLOCK_CHARS;
        o += BLOCK_BYTES;
    }
    if (body - i > 0 && i > 0 && overlap_unwritten(src, dst, o, body - BLOCK_CHARS, i)) {
        /* The short rest of the body after at least one block: the body's
         * last block, overlapping the ones before, decoded and stored again
         * over their identical bytes. */
        size_t at = body - BLOCK_CHARS;
        block b = decode_block(src + at);
        if (block_ok(&b)) {
            store_block_exact(dst + at / 4 * 3, &b);
            o += (body - i) / 4 * 3;
            i = body;
        }
    } else if (body - i >= 8) {
        /* The short rest of the body (whole quanta, fewer than a block):
         * copied into a block of 'A's, decoded as one, and only its own
         * bytes kept. The stores end at o + 3/4 (body - i) <= body, short of
         * the final quantum, so in-place decoding stays safe. */
        size_t chars = body - i, bytes = chars / 4 * 3;
        char text[BLOCK_CHARS];
        uint8_t out[BLOCK_BYTES];
        memset(text, 'A', sizeof text);
        memcpy(text, src + i, chars);
        block b = decode_block(text);
        if (block_ok(&b)) {
            store_block_exact(out, &b);
            memcpy(dst + o, out, bytes);
            i += chars;
            o += bytes;
        }
    }

rest:;
    /* i is a multiple of 4, so the rest has the same quantum layout. */
    size_t n = 0;
    shardline_status st = sl_base64_decode_scalar(src + i, len - i, dst + o, &n, err_offset);
    if (st != SHARDLINE_OK) {
        *err_offset += i;
        return st;
    }
    *out_len = o + n;
    return SHARDLINE_OK;
}
