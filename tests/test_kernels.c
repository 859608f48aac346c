/* test_kernels.c - every kernel of every implementation this CPU supports,
 * held against its scalar twin: same output bytes, same status, same error
 * offset or stop position (the structural indexer: the same entries and
 * carried state, and the scalar one against a byte-by-byte model of the
 * index). Inputs are fixtures, random text and adversarial
 * cases (every byte value at every position, every alignment, lengths 0 to
 * 1024 and large), placed against a guard page so that any read past the
 * input faults. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "internal.h"
#include "testutil.h"

#define MAX_IMPLS 16
#define MAX_REPORTS 20 /* mismatches printed in full; the rest only count */

/* The implementations under test, best first and the scalar one last; a
 * file that includes this one may name others (see
 * test_kernels_avx512_emulated.c). */
#ifndef KERNELS_UNDER_TEST
#define KERNELS_UNDER_TEST sl_kernels_supported
#endif

static const sl_kernels *impls[MAX_IMPLS];
static size_t n_impls;
static int reports;

/* Buffers reused by every comparison: input and output against guard pages,
 * and a plain buffer for the aligned placements. */
#define GUARD_CAP (3u << 20)
static guarded g_src, g_dst;
static uint8_t *scratch_exp;

static void mismatch(const sl_kernels *k, const char *kernel, const char *how, const uint8_t *src,
                     size_t len, const char *what, size_t got, size_t want)
{
    check_total++;
    check_failed++;
    if (reports++ >= MAX_REPORTS)
        return;
    fprintf(stderr, "%s %s (%s), %zu-byte input: %s %zu, scalar gives %zu; input starts \"", k->name,
            kernel, how, len, what, got, want);
    for (size_t i = 0; i < len && i < 80; i++)
        fprintf(stderr, src[i] >= 0x20 && src[i] < 0x7F ? "%c" : "\\x%02X", src[i]);
    fprintf(stderr, "%s\"\n", len > 80 ? "..." : "");
}

static void agree(const sl_kernels *k, const char *kernel, const char *how, const uint8_t *src,
                  size_t len, const char *what, size_t got, size_t want)
{
    if (got == want)
        check_total++;
    else
        mismatch(k, kernel, how, src, len, what, got, want);
}

/* ---- base64 ----------------------------------------------------------------- */

/* One implementation on one placement of the input: src already placed;
 * dst_cap bytes of output space end at the guard page (dst == NULL: decode
 * in place over src, which must be writable). */
static void base64_one(const sl_kernels *k, const char *how, const char *src, size_t len,
                       uint8_t *dst, shardline_status want, size_t want_len, size_t want_off)
{
    size_t out_len = 12345, off = 12345;
    shardline_status st = k->base64_decode(src, len, dst, &out_len, &off);
    agree(k, "base64_decode", how, (const uint8_t *)src, len, "status", (size_t)st, (size_t)want);
    if (st != want)
        return;
    if (st == SHARDLINE_OK) {
        agree(k, "base64_decode", how, (const uint8_t *)src, len, "length", out_len, want_len);
        if (out_len == want_len) {
            if (memcmp(dst, scratch_exp, want_len) == 0)
                check_total++;
            else
                mismatch(k, "base64_decode", how, (const uint8_t *)src, len, "bytes differ, length",
                         out_len, want_len);
        }
    } else {
        agree(k, "base64_decode", how, (const uint8_t *)src, len, "error offset", off, want_off);
    }
}

/* Every implementation against scalar on text[0..len), placed: against the
 * guard page into an exact-size output that also ends at a guard page; at
 * alignment `align` of a plain buffer; and in place. */
static void base64_case(const char *text, size_t len, size_t align)
{
    size_t max = SHARDLINE_BASE64_DECODED_MAX(len);
    size_t want_len = 0, want_off = 0;
    shardline_status want =
        len ? sl_base64_decode_scalar(text, len, scratch_exp, &want_len, &want_off) : SHARDLINE_OK;
    size_t dst_cap = want == SHARDLINE_OK ? want_len : max;

    for (size_t i = 0; i < n_impls; i++) {
        const sl_kernels *k = impls[i];
        if (len == 0)
            continue; /* the kernels are never called with no input */
        char *src = guarded_place(&g_src, text, len);
        uint8_t *dst = (uint8_t *)g_dst.end - dst_cap;
        base64_one(k, "guarded", src, len, dst, want, want_len, want_off);

        static char plain[GUARD_CAP + 64];
        memcpy(plain + align, text, len);
        static uint8_t out[GUARD_CAP];
        base64_one(k, "aligned", plain + align, len, out + (align * 7) % 61, want, want_len,
                   want_off);

        src = guarded_place(&g_src, text, len);
        base64_one(k, "in place", src, len, (uint8_t *)src, want, want_len, want_off);
    }
}

static size_t encode(const uint8_t *raw, size_t n, char *out)
{
    return n ? shardline_base64_encode(raw, n, out, SHARDLINE_BASE64_ENCODED_SIZE(n)) : 0;
}

static void test_base64(test_rng *rng)
{
    static uint8_t raw[(1u << 20) + 16];
    static char text[(2u << 20)];

    /* Valid text of every length of raw input 0..768 (encoded 0..1024),
     * padded and not, at a rotating alignment; every cut of it, which
     * exercises the bad-length and tail cases. */
    for (size_t n = 0; n <= 768; n++) {
        for (size_t i = 0; i < n; i++)
            raw[i] = (uint8_t)test_rng_next(rng);
        size_t len = encode(raw, n, text);
        base64_case(text, len, n % 64);
        if (n < 48)
            for (size_t cut = 0; cut < len; cut++)
                base64_case(text, cut, cut % 64);
    }

    /* Every byte value at every position of short and medium inputs; the
     * lengths straddle the 16-, 32- and 64-byte blocks. */
    static const size_t lens[] = {4, 8, 12, 16, 20, 24, 28, 32, 36, 44, 48, 60, 64, 68, 92, 96,
                                  100, 124, 128, 132, 188, 192, 196, 256};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t raw_n = lens[li] / 4 * 3 - (li % 3 == 1 ? 1 : li % 3 == 2 ? 2 : 0);
        for (size_t i = 0; i < raw_n; i++)
            raw[i] = (uint8_t)test_rng_next(rng);
        size_t len = encode(raw, raw_n, text);
        char bad[300];
        for (size_t pos = 0; pos < len; pos++) {
            for (unsigned b = 0; b < 256; b++) {
                memcpy(bad, text, len);
                bad[pos] = (char)b;
                base64_case(bad, len, (pos + b) % 64);
            }
        }
    }

    /* Padding in the body, two bad bytes (the first must be reported), and
     * bad trailing bits, at every quantum of a 200-byte text. */
    for (size_t i = 0; i < 150; i++)
        raw[i] = (uint8_t)test_rng_next(rng);
    size_t len = encode(raw, 150, text);
    for (size_t pos = 0; pos + 1 < len; pos++) {
        char bad[256];
        memcpy(bad, text, len);
        bad[pos] = '=';
        bad[pos + 1] = '=';
        base64_case(bad, len, pos % 64);
        memcpy(bad, text, len);
        bad[pos] = '*';
        bad[len - 1 - pos % 7] = '-';
        base64_case(bad, len, pos % 64);
    }
    for (size_t n = 1; n <= 2; n++) {
        size_t l = encode(raw, 150 - n, text);
        for (unsigned c = 0; c < 64; c++) {
            static const char alpha[] =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            text[l - 1 - n] = alpha[c]; /* the last data character before the padding */
            base64_case(text, l, c % 64);
        }
    }

    /* Large: 1 MiB of data, clean and with one bad byte near the start, the
     * middle and the end. */
    for (size_t i = 0; i < (1u << 20); i++)
        raw[i] = (uint8_t)test_rng_next(rng);
    len = encode(raw, 1u << 20, text);
    base64_case(text, len, 0);
    base64_case(text, len, 13);
    static const size_t spots[] = {5, 1u << 19, 0};
    for (size_t s = 0; s < 3; s++) {
        size_t pos = spots[s] ? spots[s] : len - 7;
        char saved = text[pos];
        text[pos] = (char)0x80;
        base64_case(text, len, 3);
        text[pos] = saved;
    }
}

/* ---- UTF-8 validation and the string scanner ------------------------------- */

/* text placed twice: against the guard page, and at an alignment. */
static const char *const hows[2] = {"guarded", "aligned"};

static void place_both(const uint8_t *text, size_t len, size_t align, const uint8_t *placed[2])
{
    static uint8_t plain[GUARD_CAP + 64];
    memcpy(plain + align, text, len);
    placed[0] = (const uint8_t *)guarded_place(&g_src, (const char *)text, len);
    placed[1] = plain + align;
}

static void utf8_case(const uint8_t *text, size_t len, size_t align)
{
    size_t want_off = 0, want_stop = 0;
    shardline_status want = sl_utf8_validate_scalar(text, len, &want_off);
    shardline_status want_scan = sl_string_scan_scalar(text, len, &want_stop);
    const uint8_t *placed[2];
    place_both(text, len, align, placed);

    for (size_t i = 0; i < n_impls; i++) {
        const sl_kernels *k = impls[i];
        for (size_t p = 0; p < 2; p++) {
            size_t off = 12345, stop = 12345;
            shardline_status st = len ? k->utf8_validate(placed[p], len, &off) : SHARDLINE_OK;
            if (len) {
                agree(k, "utf8_validate", hows[p], text, len, "status", (size_t)st, (size_t)want);
                if (st == want && st != SHARDLINE_OK)
                    agree(k, "utf8_validate", hows[p], text, len, "error offset", off, want_off);
            }
            st = k->string_scan(placed[p], len, &stop);
            agree(k, "string_scan", hows[p], text, len, "status", (size_t)st, (size_t)want_scan);
            agree(k, "string_scan", hows[p], text, len, "stop", stop, want_stop);
        }
    }
}

/* Append one random character: mostly ASCII letters, sometimes 2-, 3- and
 * 4-byte sequences. Returns the new length. */
static size_t put_char(test_rng *rng, uint8_t *out, size_t n, unsigned non_ascii_per_64)
{
    uint32_t cp;
    if (test_rng_below(rng, 64) >= non_ascii_per_64) {
        out[n] = (uint8_t)('a' + test_rng_below(rng, 26));
        return n + 1;
    }
    switch (test_rng_below(rng, 3)) {
    case 0: cp = 0x80 + test_rng_below(rng, 0x800 - 0x80); break;
    case 1:
        do
            cp = 0x800 + test_rng_below(rng, 0x10000 - 0x800);
        while (cp >= 0xD800 && cp <= 0xDFFF);
        break;
    default: cp = 0x10000 + test_rng_below(rng, 0x110000 - 0x10000); break;
    }
    if (cp < 0x800) {
        out[n++] = (uint8_t)(0xC0 | cp >> 6);
    } else if (cp < 0x10000) {
        out[n++] = (uint8_t)(0xE0 | cp >> 12);
        out[n++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    } else {
        out[n++] = (uint8_t)(0xF0 | cp >> 18);
        out[n++] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        out[n++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    }
    out[n++] = (uint8_t)(0x80 | (cp & 0x3F));
    return n;
}

static size_t random_text(test_rng *rng, uint8_t *out, size_t target, unsigned non_ascii_per_64)
{
    size_t n = 0;
    while (n + 4 <= target)
        n = put_char(rng, out, n, non_ascii_per_64);
    while (n < target)
        out[n++] = (uint8_t)('A' + test_rng_below(rng, 26));
    return n;
}

static void test_utf8(test_rng *rng)
{
    static uint8_t text[(1u << 20) + 64];

    /* Valid text of every length 0..1024, ASCII only, mixed and mostly
     * multi-byte, at a rotating alignment. */
    static const unsigned mixes[] = {0, 4, 40};
    for (size_t len = 0; len <= 1024; len++)
        for (size_t m = 0; m < 3; m++) {
            random_text(rng, text, len, mixes[m]);
            utf8_case(text, len, (len + m) % 64);
        }

    /* Every byte value at every position of 1..80-byte texts, ASCII and
     * mixed: bad lead bytes, stray continuations, special characters,
     * sequences cut by the end. */
    for (size_t len = 1; len <= 80; len++) {
        uint8_t base[96];
        random_text(rng, base, len, len % 2 ? 0 : 16);
        for (size_t pos = 0; pos < len; pos++)
            for (unsigned b = 0; b < 256; b++) {
                memcpy(text, base, len);
                text[pos] = (uint8_t)b;
                utf8_case(text, len, (pos + b) % 64);
            }
    }

    /* Known-bad and edge sequences at every position of a 100-byte ASCII
     * text, so they straddle every block boundary. */
    static const struct {
        const char *bytes;
        size_t len;
    } seqs[] = {
        {"\xC0\x80", 2},         {"\xC1\xBF", 2},         {"\xC2\x80", 2},
        {"\xDF\xBF", 2},         {"\xE0\x80\x80", 3},     {"\xE0\x9F\xBF", 3},
        {"\xE0\xA0\x80", 3},     {"\xED\x9F\xBF", 3},     {"\xED\xA0\x80", 3},
        {"\xED\xBF\xBF", 3},     {"\xEF\xBF\xBF", 3},     {"\xF0\x80\x80\x80", 4},
        {"\xF0\x8F\xBF\xBF", 4}, {"\xF0\x90\x80\x80", 4}, {"\xF4\x8F\xBF\xBF", 4},
        {"\xF4\x90\x80\x80", 4}, {"\xF5\x80\x80\x80", 4}, {"\xFF", 1},
        {"\x80", 1},             {"\xBF\x80", 2},         {"\xC2", 1},
        {"\xE1\x80", 2},         {"\xF1\x80\x80", 3},     {"\xC2\"", 2},
        {"\xE1\x80\\", 3},       {"\xF1\x80\x80\n", 4},   {"\"", 1},
        {"\\", 1},               {"\x1F", 1},             {"\x7F", 1},
        {"\xC2\x80\xC2", 3},     {"\xF0\x9F\x98\x80\xF0\x9F\x98", 7},
    };
    for (size_t s = 0; s < sizeof seqs / sizeof seqs[0]; s++)
        for (size_t pos = 0; pos + seqs[s].len <= 100; pos++) {
            for (size_t len = pos + seqs[s].len; len <= 100; len += 23) {
                memset(text, 'x', len);
                memcpy(text + pos, seqs[s].bytes, seqs[s].len);
                utf8_case(text, len, pos % 64);
                /* and with a valid 4-byte character just before it */
                if (pos >= 4) {
                    memcpy(text + pos - 4, "\xF0\x9F\x98\x80", 4);
                    utf8_case(text, len, (pos + 1) % 64);
                }
            }
        }

    /* Large: 1 MiB mixed text, clean, then with a bad byte near the start,
     * middle and end, and with a quote in the middle. */
    size_t len = random_text(rng, text, 1u << 20, 6);
    utf8_case(text, len, 0);
    static const size_t spots[] = {3, (1u << 19) + 1, (1u << 20) - 2};
    for (size_t s = 0; s < 3; s++) {
        uint8_t saved = text[spots[s]];
        text[spots[s]] = 0xFF;
        utf8_case(text, len, 5);
        text[spots[s]] = saved;
    }
    text[1u << 19] = '"';
    utf8_case(text, len, 9);
}

/* ---- the structural indexer ------------------------------------------------ */

/* The index as its contract defines it, one byte at a time, written apart
 * from the kernels' bit logic: the reference the scalar kernel is held to. */
static size_t naive_index(const uint8_t *t, size_t len, sl_index_carry *carry, uint32_t *out)
{
    bool in = carry->in_string != 0, escape_next = carry->escaped != 0, prev_other = carry->other != 0;
    bool ctrl = carry->ctrl_in_string != 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t x = t[i];
        bool escaped = escape_next;
        escape_next = x == '\\' && !escaped;
        bool op = x == '{' || x == '}' || x == '[' || x == ']' || x == ':' || x == ',';
        bool ws = x == ' ' || x == '\t' || x == '\n' || x == '\r';
        bool other = !op && !ws && x != '"';
        if (x == '"' && !escaped) {
            out[n++] = (uint32_t)i;
            in = !in;
        } else if (in) {
            if (escape_next)
                out[n++] = (uint32_t)i;
            ctrl |= x < 0x20;
        } else if (op || (other && !prev_other)) {
            out[n++] = (uint32_t)i;
        }
        prev_other = other;
    }
    *carry = (sl_index_carry){in ? ~UINT64_C(0) : 0, escape_next, prev_other, ctrl};
    return n;
}

static uint32_t *index_want, *index_got;

static void index_compare(const sl_kernels *k, const char *how, const uint8_t *text, size_t len,
                          size_t got_n, const sl_index_carry *got, size_t want_n, const sl_index_carry *want,
                          bool whole_blocks)
{
    agree(k, "structural_index", how, text, len, "entry count", got_n, want_n);
    size_t first = 0;
    while (first < got_n && first < want_n && index_got[first] == index_want[first])
        first++;
    agree(k, "structural_index", how, text, len, "first differing entry (count if none)", first,
          want_n < got_n ? want_n : got_n);
    agree(k, "structural_index", how, text, len, "control byte in a string", got->ctrl_in_string != 0,
          want->ctrl_in_string != 0);
    /* The carry says where the text stopped only after whole blocks; after
     * a padded last block (the input's end) it is not used. */
    if (whole_blocks) {
        agree(k, "structural_index", how, text, len, "in-string carry", got->in_string != 0,
              want->in_string != 0);
        agree(k, "structural_index", how, text, len, "escape carry", got->escaped, want->escaped);
        agree(k, "structural_index", how, text, len, "other-run carry", got->other, want->other);
    }
}

/* Every implementation on text (guarded and at an alignment, with a given
 * starting carry) against the naive index; with split > 0 also indexed in
 * windows of split bytes (a multiple of 64), which must give the same. */
static void index_case_from(const uint8_t *text, size_t len, size_t align, sl_index_carry start, size_t split)
{
    sl_index_carry want = start;
    size_t want_n = naive_index(text, len, &want, index_want);
    const uint8_t *placed[2];
    place_both(text, len, align, placed);
    for (size_t i = 0; i < n_impls; i++) {
        const sl_kernels *k = impls[i];
        for (size_t p = 0; p < 2; p++) {
            sl_index_carry got = start;
            size_t n = k->structural_index(placed[p], len, &got, index_got);
            index_compare(k, hows[p], text, len, n, &got, want_n, &want, len % 64 == 0);
        }
        if (split == 0)
            continue;
        sl_index_carry got = start;
        size_t n = 0;
        static uint32_t window[4096 + 8];
        if (split > 4096)
            split = 4096;
        for (size_t at = 0; at < len; at += split) {
            size_t size = len - at < split ? len - at : split;
            size_t m = k->structural_index(placed[1] + at, size, &got, window);
            for (size_t e = 0; e < m; e++)
                index_got[n++] = (uint32_t)at + window[e];
        }
        index_compare(k, "in windows", text, len, n, &got, want_n, &want, len % 64 == 0);
    }
}

static void index_case(const uint8_t *text, size_t len, size_t align)
{
    index_case_from(text, len, align, (sl_index_carry){0, 0, 0, 0}, 0);
}

/* Random text over JSON's special bytes and some others. */
static void random_json_bytes(test_rng *rng, uint8_t *out, size_t len)
{
    static const uint8_t pool[] = {'"', '"', '"', '\\', '\\', '{', '}', '[', ']', ':', ',', ' ', '\n', '\t',
                                   '\r', 0x01, 0x1F, 0x0C, 'a', 'b', 't', 'n', '0', '7', '-', '.', 'e', '/',
                                   0x7F, 0x80, 0xC3, 0xA9, 0xE2, 0xFF, 0x5B | 0x80, 0x3A | 0x80};
    for (size_t i = 0; i < len; i++)
        out[i] = pool[test_rng_below(rng, sizeof pool)];
}

static void test_index(test_rng *rng)
{
    static uint8_t text[(1u << 20) + 64];

    /* Random text of every length 0..1024, in three densities of special
     * bytes, at rotating alignments and from every starting carry. */
    for (size_t len = 0; len <= 1024; len++) {
        random_json_bytes(rng, text, len);
        if (len % 3 == 1)
            for (size_t i = 0; i < len; i++)
                if (test_rng_below(rng, 8) != 0)
                    text[i] = 'x';
        sl_index_carry start = {len % 2 ? ~UINT64_C(0) : 0, (len / 2) % 2, (len / 4) % 2, 0};
        index_case_from(text, len, len % 64, start, len % 5 == 0 ? 64 * (1 + len % 7) : 0);
    }

    /* Every byte value at every position of a JSON text of 130 bytes,
     * across two block boundaries, and runs of backslashes of every length
     * ending at every position (escapes carried across blocks). */
    static const char sample[] = "{\"id\":{\"S\":\"a\\\"b\\\\\"},\"n\":[1,-2.5e3,true,null],\"s\":\"caf\xC3\xA9 "
                                 "\\u00e9\",\"t\" : { \"x\" :\t[ ] , \"y\":\"\" } ,\"z\":false}";
    size_t slen = sizeof sample - 1;
    for (size_t pos = 0; pos < slen; pos++)
        for (unsigned b = 0; b < 256; b++) {
            memcpy(text, sample, slen);
            text[pos] = (uint8_t)b;
            index_case(text, slen, (pos + b) % 64);
        }
    for (size_t run = 1; run <= 70; run++)
        for (size_t end = run; end <= 200; end++) {
            memset(text, 'x', 200);
            text[0] = '"';
            memset(text + end - run, '\\', run);
            text[end] = '"';
            index_case_from(text, 200, end % 64, (sl_index_carry){0, 0, 0, 0}, 64);
            index_case(text, 128, 0);
        }

    /* Fixture-like text, large: 1 MiB, indexed whole, in 4 KiB windows and
     * in 64-byte ones. */
    size_t len = 0;
    while (len + 200 < (1u << 20)) {
        memcpy(text + len, sample, slen);
        len += slen;
        random_json_bytes(rng, text + len, 40);
        len += 40;
    }
    index_case_from(text, len, 3, (sl_index_carry){0, 0, 0, 0}, 4096);
    index_case_from(text, len, 0, (sl_index_carry){0, 0, 0, 0}, 64);
}

/* Fixtures: validate each file, and scan from just after every quote. */
static void test_fixture_dir(const char *sub)
{
    DIR *d = open_fixture_dir(sub);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 6 || strcmp(e->d_name + nl - 5, ".json") != 0)
            continue;
        char name[600];
        snprintf(name, sizeof name, "%s/%s", sub, e->d_name);
        size_t len;
        char *text = read_fixture(name, &len);
        const uint8_t *t = (const uint8_t *)text;
        utf8_case(t, len, 0);
        index_case_from(t, len, 0, (sl_index_carry){0, 0, 0, 0}, 256);
        for (size_t i = 0; i < len; i++)
            if (t[i] == '"')
                utf8_case(t + i + 1, len - i - 1, i % 64);
        free(text);
    }
    closedir(d);
}

int main(void)
{
    const sl_kernels *all[MAX_IMPLS];
    size_t n = KERNELS_UNDER_TEST(all, MAX_IMPLS);
    CHECK(n >= 1 && n <= MAX_IMPLS && all[n - 1] == &sl_kernels_scalar);
    /* SHARDLINE_FORCE_IMPL naming one of them checks that one alone (the
     * suite's rerun per implementation, and slow emulated runs); otherwise
     * all of them. */
    const char *forced = getenv("SHARDLINE_FORCE_IMPL");
    bool one = false;
    for (size_t i = 0; forced != NULL && i + 1 < n && i < MAX_IMPLS; i++)
        one |= strcmp(all[i]->name, forced) == 0;
    for (size_t i = 0; i + 1 < n && i < MAX_IMPLS; i++)
        if (!one || strcmp(all[i]->name, forced) == 0)
            impls[n_impls++] = all[i];
    printf("implementations checked against scalar:");
    for (size_t i = 0; i < n_impls; i++)
        printf(" %s", impls[i]->name);
    printf("%s\n", n_impls ? "" : " none (this CPU has only the scalar kernels)");
    /* The scalar kernels are also held against themselves, so the harness
     * itself always runs. */
    impls[n_impls++] = &sl_kernels_scalar;

    g_src = guarded_alloc(GUARD_CAP);
    g_dst = guarded_alloc(GUARD_CAP);
    scratch_exp = malloc(GUARD_CAP);
    index_want = malloc((GUARD_CAP + 8) * sizeof *index_want);
    index_got = malloc((GUARD_CAP + 8) * sizeof *index_got);
    if (scratch_exp == NULL || index_want == NULL || index_got == NULL)
        return 2;
    test_rng rng = {UINT64_C(0x9E3779B97F4A7C15)};

    test_base64(&rng);
    test_utf8(&rng);
    test_index(&rng);
    test_fixture_dir("kinesis");
    test_fixture_dir("dynamodb");

    free(index_want);
    free(index_got);
    free(scratch_exp);
    guarded_free(&g_src);
    guarded_free(&g_dst);
    return check_done("test_kernels");
}
