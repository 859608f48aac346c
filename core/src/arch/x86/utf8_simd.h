/* utf8_simd.h - UTF-8 validation and the JSON string scanner over one x86
 * vector width. Included once by each ISA's utf8_<isa>.c after it defines:
 *
 *   vec, VEC_BYTES, vmask (an unsigned integer of VEC_BYTES bits),
 *   vload(p), vsplat(c), vor(a, b), vand(a, b), vsubs(a, b) (unsigned
 *   saturating), vcmpeq(a, b), vle(a, b) (unsigned <=, as 0xFF/0x00 bytes),
 *   vxor(a, b), vhigh_nibble(a), vtable(t) (a const uint8_t[16] table in
 *   every 16-byte lane), vlookup(table, idx) (indices 0..15), vprev1/2/3(cur,
 *   prev) (cur shifted one, two or three bytes later, the first bytes taken
 *   from the end of prev), vincomplete_max() (0xFF but for 0xEF, 0xDF, 0xBF
 *   in the last three bytes), vmovemask(a) (the high bit of each byte as a
 *   vmask), vmask_ctz(m), vis_zero(a), vzero(), and KERNEL(name), which
 *   names the functions for the ISA.
 *
 * Validation classifies every pair of adjacent bytes with three 16-entry
 * lookups (the high nibble of the first byte, its low nibble and the high
 * nibble of the second); the tables hold one error bit per kind of bad
 * pair, and a pair is bad when a bit survives all three. Third and fourth
 * bytes of long sequences are checked against the lead byte two and three
 * positions back. Blocks of ASCII skip all of that. When a block shows an
 * error, the scalar validator is rerun from the last character boundary
 * before it, which gives the exact offset the scalar kernel reports. */

/* Error bits. Two kinds share bit 6: they never meet in one pair. */
#define U8_TOO_SHORT (1u << 0)  /* lead byte, then a non-continuation */
#define U8_TOO_LONG (1u << 1)   /* ASCII, then a continuation */
#define U8_OVERLONG_3 (1u << 2) /* E0 80..9F */
#define U8_TOO_LARGE (1u << 3)  /* F4 90..BF, F5..FF with 90..BF */
#define U8_SURROGATE (1u << 4)  /* ED A0..BF */
#define U8_OVERLONG_2 (1u << 5) /* C0, C1 */
#define U8_TOO_LARGE_1000 (1u << 6) /* F5..FF 80..8F */
#define U8_OVERLONG_4 (1u << 6)     /* F0 80..8F */
#define U8_TWO_CONTS (1u << 7)      /* continuation, then continuation */
#define U8_CARRY (U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS)

/* The bits a pair can have, by the high nibble of its first byte ... */
static const uint8_t u8_first_high[16] = {
    U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
    U8_TOO_LONG, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS,
    U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT, U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
    U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4,
};

/* ... by the low nibble of its first byte ... */
#define U8_HIGH_LEAD (U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000)
static const uint8_t u8_first_low[16] = {
    U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4,
    U8_CARRY | U8_OVERLONG_2,
    U8_CARRY,
    U8_CARRY,
    U8_CARRY | U8_TOO_LARGE,
    U8_HIGH_LEAD, U8_HIGH_LEAD, U8_HIGH_LEAD, U8_HIGH_LEAD, U8_HIGH_LEAD, U8_HIGH_LEAD,
    U8_HIGH_LEAD, U8_HIGH_LEAD,
    U8_HIGH_LEAD | U8_SURROGATE,
    U8_HIGH_LEAD, U8_HIGH_LEAD,
};

/* ... and by the high nibble of its second byte. */
#define U8_CONT_80 (U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS)
static const uint8_t u8_second_high[16] = {
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
    U8_TOO_SHORT, U8_TOO_SHORT,
    U8_CONT_80 | U8_OVERLONG_3 | U8_TOO_LARGE_1000 | U8_OVERLONG_4,
    U8_CONT_80 | U8_OVERLONG_3 | U8_TOO_LARGE,
    U8_CONT_80 | U8_SURROGATE | U8_TOO_LARGE,
    U8_CONT_80 | U8_SURROGATE | U8_TOO_LARGE,
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
};

typedef struct u8_state {
    vec prev;       /* the previous block */
    vec incomplete; /* non-zero where prev ends inside a sequence */
    vec error;      /* any bit set: an error somewhere so far */
} u8_state;

/* Check one non-ASCII block against the one before it. */
static inline void u8_check_block(u8_state *s, vec in, const vec tables[3])
{
    vec prev1 = vprev1(in, s->prev);
    vec low = vsplat(0x0F);
    vec special = vand(vand(vlookup(tables[0], vhigh_nibble(prev1)),
                            vlookup(tables[1], vand(prev1, low))),
                       vlookup(tables[2], vhigh_nibble(in)));
    /* Bytes that must be the 2nd continuation of a 3-byte sequence or the
     * 3rd of a 4-byte one; the table marked them TWO_CONTS (bit 7), so the
     * two must agree exactly. */
    vec third = vsubs(vprev2(in, s->prev), vsplat(0xE0 - 0x80));
    vec fourth = vsubs(vprev3(in, s->prev), vsplat(0xF0 - 0x80));
    vec must = vand(vor(third, fourth), vsplat(0x80));
    s->error = vor(s->error, vxor(must, special));
    /* A lead byte in the last three positions that its sequence overruns. */
    s->incomplete = vsubs(in, vincomplete_max());
    s->prev = in;
}

static inline void u8_block(u8_state *s, vec in, const vec tables[3])
{
    if (vmovemask(in) == 0) {
        /* ASCII: only a sequence left open by the previous block is wrong. */
        s->error = vor(s->error, s->incomplete);
        s->incomplete = vzero();
        s->prev = in;
    } else {
        u8_check_block(s, in, tables);
    }
}

/* The offset the scalar validator reports for src[0..len), knowing that
 * everything before block_start checked clean: rerun it from the character
 * boundary at or just before block_start. */
static size_t u8_error_offset(const uint8_t *src, size_t len, size_t block_start)
{
    size_t j = block_start, conts = 0;
    while (conts < 3 && j > 0 && (src[j - 1] & 0xC0) == 0x80) {
        j--;
        conts++;
    }
    size_t restart = block_start;
    if (j > 0 && src[j - 1] >= 0xC0) {
        size_t need = src[j - 1] >= 0xF0 ? 4 : src[j - 1] >= 0xE0 ? 3 : 2;
        if (need > conts + 1)
            restart = j - 1; /* a sequence that runs into the failing block */
    }
    size_t off = 0;
    shardline_status st = sl_utf8_validate_scalar(src + restart, len - restart, &off);
    /* The vector check saw an error, so the scalar one must too. */
    return st == SHARDLINE_OK ? len : restart + off;
}

/* Validate src[0..len): blocks of two vectors between error checks, then
 * the tail copied into a zero-filled block (zeros are ASCII, so a sequence
 * cut by the end fails like any other short one). */
shardline_status KERNEL(sl_utf8_validate)(const uint8_t *src, size_t len, size_t *err_offset)
{
    const vec tables[3] = {vtable(u8_first_high), vtable(u8_first_low), vtable(u8_second_high)};
    u8_state s = {vzero(), vzero(), vzero()};
    size_t i = 0;
    for (; len - i >= 2 * VEC_BYTES; i += 2 * VEC_BYTES) {
        vec a = vload(src + i), b = vload(src + i + VEC_BYTES);
        if (vmovemask(vor(a, b)) == 0 && vis_zero(s.incomplete)) {
            s.prev = b;
            continue;
        }
        u8_block(&s, a, tables);
        u8_block(&s, b, tables);
        if (!vis_zero(s.error)) {
            *err_offset = u8_error_offset(src, len, i);
            return SHARDLINE_ERR_UTF8;
        }
    }
    size_t block = i;
    if (len - i >= VEC_BYTES) {
        u8_block(&s, vload(src + i), tables);
        i += VEC_BYTES;
    }
    uint8_t tail[VEC_BYTES] = {0};
    memcpy(tail, src + i, len - i);
    u8_block(&s, vload(tail), tables);
    s.error = vor(s.error, s.incomplete);
    if (!vis_zero(s.error)) {
        *err_offset = u8_error_offset(src, len, block);
        return SHARDLINE_ERR_UTF8;
    }
    return SHARDLINE_OK;
}

/* '"', '\\' and bytes below 0x20, as a bit mask. */
static inline vmask string_specials(vec v)
{
    vec quote = vcmpeq(v, vsplat('"'));
    vec bslash = vcmpeq(v, vsplat('\\'));
    vec ctrl = vle(v, vsplat(0x1F));
    return vmovemask(vor(vor(quote, bslash), ctrl));
}

/* The first '"', '\\' or control byte; the bytes before it are then
 * validated as UTF-8 if any of them is not ASCII (the stop characters are
 * ASCII, so they never sit inside a valid sequence and this is what the
 * scalar scanner reports). */
shardline_status KERNEL(sl_string_scan)(const uint8_t *src, size_t len, size_t *stop)
{
    size_t i = 0;
    vmask high = 0;
    size_t at = len;
    for (; len - i >= VEC_BYTES; i += VEC_BYTES) {
        vec v = vload(src + i);
        vmask m = string_specials(v);
        if (m != 0) {
            unsigned k = vmask_ctz(m);
            high |= vmovemask(v) & (((vmask)1 << k) - 1);
            at = i + k;
            goto found;
        }
        high |= vmovemask(v);
    }
    if (i < len) {
        /* The tail, in a block padded with quotes: the first pad byte stops
         * the scan at len. */
        uint8_t tail[VEC_BYTES];
        memset(tail, '"', sizeof tail);
        memcpy(tail, src + i, len - i);
        vec v = vload(tail);
        unsigned k = vmask_ctz(string_specials(v));
        high |= vmovemask(v) & (((vmask)1 << k) - 1);
        at = i + k;
    }
found:
    *stop = at;
    if (high != 0) {
        size_t off = 0;
        if (KERNEL(sl_utf8_validate)(src, at, &off) != SHARDLINE_OK) {
            *stop = off;
            return SHARDLINE_ERR_UTF8;
        }
    }
    return SHARDLINE_OK;
}
