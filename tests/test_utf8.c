/* test_utf8.c - RFC 3629 UTF-8 validation (public and scalar) and the scalar JSON string scanner. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "testutil.h"
#include "internal.h"

/* ---- deterministic PRNG (xorshift64*) ------------------------------------ */

static test_rng rng = {UINT64_C(0x2545F4914F6CDD1D)};


/* ---- reference 1: the RFC 3629 section 4 table, byte ranges ---------------
 *   UTF8-2 = %xC2-DF UTF8-tail
 *   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
 *            %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 *   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
 *            %xF4 %x80-8F 2( UTF8-tail )
 * Returns the length of the sequence at s (n bytes available), 0 if bad. */
static size_t rfc_seq(const uint8_t *s, size_t n)
{
    static const struct {
        uint8_t lead_lo, lead_hi, second_lo, second_hi, len;
    } rows[] = {
        {0x00, 0x7F, 0, 0, 1},
        {0xC2, 0xDF, 0x80, 0xBF, 2},
        {0xE0, 0xE0, 0xA0, 0xBF, 3},
        {0xE1, 0xEC, 0x80, 0xBF, 3},
        {0xED, 0xED, 0x80, 0x9F, 3},
        {0xEE, 0xEF, 0x80, 0xBF, 3},
        {0xF0, 0xF0, 0x90, 0xBF, 4},
        {0xF1, 0xF3, 0x80, 0xBF, 4},
        {0xF4, 0xF4, 0x80, 0x8F, 4},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        if (s[0] < rows[r].lead_lo || s[0] > rows[r].lead_hi)
            continue;
        size_t len = rows[r].len;
        if (n < len)
            return 0;
        if (len > 1 && (s[1] < rows[r].second_lo || s[1] > rows[r].second_hi))
            return 0;
        for (size_t k = 2; k < len; k++)
            if (s[k] < 0x80 || s[k] > 0xBF)
                return 0;
        return len;
    }
    return 0;
}

/* ---- reference 2: decode the code point, then reject by value ------------ */
static size_t decode_seq(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1Fu, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0Fu, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07u, min = 0x10000;
    } else {
        return 0; /* continuation byte or 5/6-byte lead */
    }
    for (size_t k = 1; k < len; k++) {
        if (k >= n || (s[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

typedef size_t (*seq_fn)(const uint8_t *s, size_t n);

/* Whole-buffer validation with one of the references. */
static shardline_status ref_validate(seq_fn seq, const uint8_t *s, size_t n, size_t *off)
{
    size_t i = 0;
    while (i < n) {
        size_t k = seq(s + i, n - i);
        if (k == 0) {
            *off = i;
            return SHARDLINE_ERR_UTF8;
        }
        i += k;
    }
    *off = 0;
    return SHARDLINE_OK;
}

/* The scanner's contract, written from its comment in internal.h. */
static shardline_status ref_scan(const uint8_t *s, size_t n, size_t *stop)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\' || c < 0x20)
            break;
        size_t k = decode_seq(s + i, n - i);
        if (k == 0) {
            *stop = i;
            return SHARDLINE_ERR_UTF8;
        }
        i += k;
    }
    *stop = i;
    return SHARDLINE_OK;
}

/* Encode a code point (no checks: the caller picks valid ones). */
static size_t encode_cp(uint32_t cp, uint8_t *out)
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | cp >> 18);
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- helpers calling the library ------------------------------------------ */

/* Public and scalar validation must both give code at offset. */
static void expect_utf8_at(const char *file, int line, const void *src, size_t len,
                           shardline_status code, size_t offset)
{
    shardline_error err;
    memset(&err, 0x5A, sizeof err);
    shardline_status st = shardline_utf8_validate(src, len, &err);
    size_t exp_off = code == SHARDLINE_OK ? 0 : offset;
    check_total++;
    if (st != code || err.code != code || err.offset != exp_off || err.message == NULL ||
        err.path[0] != '\0')
        CHECK_FAIL_AT(file, line, "shardline_utf8_validate (len %zu): got %s (error %s at %zu), expected %s at %zu",
                      len, shardline_status_name(st), shardline_status_name(err.code), err.offset,
                      shardline_status_name(code), exp_off);
    check_total++;
    if (shardline_utf8_validate(src, len, NULL) != code)
        CHECK_FAIL_AT(file, line, "shardline_utf8_validate (len %zu, error=NULL): wrong status", len);
    size_t koff = 999999;
    st = sl_utf8_validate_scalar(src, len, &koff);
    check_total++;
    if (st != code || (code != SHARDLINE_OK && koff != offset))
        CHECK_FAIL_AT(file, line, "sl_utf8_validate_scalar (len %zu): got %s at %zu, expected %s at %zu",
                      len, shardline_status_name(st), koff, shardline_status_name(code), offset);
}

#define EXPECT_UTF8(src, len, code, offset) \
    expect_utf8_at(__FILE__, __LINE__, (src), (len), (code), (offset))
#define EXPECT_VALID(lit) EXPECT_UTF8((lit), sizeof(lit) - 1, SHARDLINE_OK, 0)

static void expect_scan_at(const char *file, int line, const void *src, size_t len,
                           shardline_status code, size_t stop)
{
    size_t got = 999999;
    shardline_status st = sl_string_scan_scalar(src, len, &got);
    check_total++;
    if (st != code || got != stop)
        CHECK_FAIL_AT(file, line, "sl_string_scan_scalar (len %zu): got %s stop %zu, expected %s stop %zu",
                      len, shardline_status_name(st), got, shardline_status_name(code), stop);
}

#define EXPECT_SCAN(src, len, code, stop) \
    expect_scan_at(__FILE__, __LINE__, (src), (len), (code), (stop))

/* ---- validation tests ------------------------------------------------------ */

static void test_basics(void)
{
    EXPECT_UTF8(NULL, 0, SHARDLINE_OK, 0);
    EXPECT_UTF8("", 0, SHARDLINE_OK, 0);
    shardline_error err;
    CHECK_ERROR(shardline_utf8_validate(NULL, 1, &err), err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_EQ(shardline_utf8_validate(NULL, 5, NULL), SHARDLINE_ERR_INVALID_ARGUMENT);

    EXPECT_VALID("a");
    EXPECT_VALID("Hello, world! 0123456789 ~`!@#$%^&*()_+-={}[]|\\:;\"'<>,.?/");
    /* NUL bytes are valid. */
    EXPECT_VALID("\0");
    EXPECT_VALID("a\0b");
    static const char zeros[100] = {0};
    EXPECT_UTF8(zeros, sizeof zeros, SHARDLINE_OK, 0);
    /* Every ASCII byte. */
    char ascii[128];
    for (int i = 0; i < 128; i++)
        ascii[i] = (char)i;
    EXPECT_UTF8(ascii, sizeof ascii, SHARDLINE_OK, 0);
    /* Every single byte: exactly 00..7F are valid alone. */
    for (int b = 0; b < 256; b++) {
        uint8_t one = (uint8_t)b;
        EXPECT_UTF8(&one, 1, b < 0x80 ? SHARDLINE_OK : SHARDLINE_ERR_UTF8, 0);
    }
}

static void test_boundaries(void)
{
    EXPECT_VALID("\x7F");                 /* U+007F */
    EXPECT_VALID("\xC2\x80");             /* U+0080 */
    EXPECT_VALID("\xDF\xBF");             /* U+07FF */
    EXPECT_VALID("\xE0\xA0\x80");         /* U+0800 */
    EXPECT_VALID("\xED\x9F\xBF");         /* U+D7FF */
    EXPECT_VALID("\xEE\x80\x80");         /* U+E000 */
    EXPECT_VALID("\xEF\xBF\xBD");         /* U+FFFD */
    EXPECT_VALID("\xEF\xBF\xBF");         /* U+FFFF */
    EXPECT_VALID("\xF0\x90\x80\x80");     /* U+10000 */
    EXPECT_VALID("\xF3\xBF\xBF\xBF");     /* U+FFFFF */
    EXPECT_VALID("\xF4\x80\x80\x80");     /* U+100000 */
    EXPECT_VALID("\xF4\x8F\xBF\xBF");     /* U+10FFFF */
    EXPECT_VALID("\xEF\xBB\xBF");         /* BOM, U+FEFF */
    EXPECT_VALID("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC");
    /* Every code point, encoded by the test, in one buffer. */
    size_t cap = 0x110000 * 4;
    uint8_t *all = malloc(cap);
    size_t n = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        n += encode_cp(cp, all + n);
    }
    EXPECT_UTF8(all, n, SHARDLINE_OK, 0);
    /* Every surrogate, encoded the CESU way, is rejected where it starts. */
    int bad = 0;
    for (uint32_t cp = 0xD800; cp <= 0xDFFF; cp++) {
        uint8_t s[8] = {'x', 'y'};
        encode_cp(cp, s + 2);
        size_t off = 0;
        if (shardline_utf8_validate((const char *)s, 5, NULL) != SHARDLINE_ERR_UTF8 ||
            sl_utf8_validate_scalar(s, 5, &off) != SHARDLINE_ERR_UTF8 || off != 2)
            bad++;
    }
    CHECK_EQ(bad, 0);
    free(all);
}

/* A bad sequence; the error is always reported at its first byte.
 * `at_end_only` marks sequences that are bad only because the input ends
 * there (ASCII after them would change nothing, other bytes might). */
typedef struct bad_case {
    const char *bytes;
    size_t len;
    int at_end_only;
} bad_case;

#define BAD(lit) {(lit), sizeof(lit) - 1, 0}
#define BAD_END(lit) {(lit), sizeof(lit) - 1, 1}

static const bad_case bad_cases[] = {
    /* stray continuation bytes */
    BAD("\x80"), BAD("\xBF"), BAD("\x80\x80"), BAD("\xA9"),
    /* C0 and C1: always overlong */
    BAD("\xC0\x80"), BAD("\xC0\xAF"), BAD("\xC1\xBF"), BAD("\xC0"), BAD("\xC1"),
    /* overlong three-byte forms E0 80..9F xx */
    BAD("\xE0\x80\x80"), BAD("\xE0\x9F\xBF"), BAD("\xE0\x80\xAF"),
    /* overlong four-byte forms F0 80..8F xx xx */
    BAD("\xF0\x80\x80\x80"), BAD("\xF0\x8F\xBF\xBF"), BAD("\xF0\x80\x80\xAF"),
    /* surrogates ED A0..BF xx */
    BAD("\xED\xA0\x80"), BAD("\xED\xAD\xBF"), BAD("\xED\xB0\x80"), BAD("\xED\xBF\xBF"),
    BAD("\xED\xA0\xBD\xED\xB8\x80"), /* a CESU-8 pair */
    /* above U+10FFFF: F4 90.., F5..FF */
    BAD("\xF4\x90\x80\x80"), BAD("\xF4\xBF\xBF\xBF"), BAD("\xF5\x80\x80\x80"),
    BAD("\xF7\xBF\xBF\xBF"), BAD("\xF8\x88\x80\x80\x80"), BAD("\xFB\xBF\xBF\xBF\xBF"),
    BAD("\xFC\x84\x80\x80\x80\x80"), BAD("\xFD\xBF\xBF\xBF\xBF\xBF"), BAD("\xFE"), BAD("\xFF"),
    BAD("\xFE\xFF"), BAD("\xFF\xFE"),
    /* truncated by an ASCII byte */
    BAD("\xC3" "A"), BAD("\xDF" " "), BAD("\xE2\x82" "A"), BAD("\xE2" "A\x82"),
    BAD("\xE0\xA0" "a"), BAD("\xF0\x9F\x98" "A"), BAD("\xF0\x9F" "AA"), BAD("\xF0" "AAA"),
    BAD("\xF4\x8F\xBF" "\x7F"), BAD("\xC2" "\0"),
    /* truncated by another lead byte */
    BAD("\xC3\xC3\xA9"), BAD("\xE2\x82\xE2\x82\xAC"), BAD("\xF0\x9F\x98\xC3\xA9"),
    BAD("\xE2\xF0\x9F\x98\x80"),
    /* cut short by the end of the input */
    BAD_END("\xC3"), BAD_END("\xDF"), BAD_END("\xE2"), BAD_END("\xE2\x82"), BAD_END("\xED\x9F"),
    BAD_END("\xF0"), BAD_END("\xF0\x9F"), BAD_END("\xF0\x9F\x98"), BAD_END("\xF4\x8F\xBF"),
};

static void test_bad_sequences(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *bc = &bad_cases[i];
        /* Alone, after two ASCII bytes, after a valid multi-byte character. */
        EXPECT_UTF8(bc->bytes, bc->len, SHARDLINE_ERR_UTF8, 0);
        char buf[256];
        memcpy(buf, "ab", 2);
        memcpy(buf + 2, bc->bytes, bc->len);
        EXPECT_UTF8(buf, bc->len + 2, SHARDLINE_ERR_UTF8, 2);
        memcpy(buf, "\xE2\x82\xAC\xF0\x9F\x98\x80", 7);
        memcpy(buf + 7, bc->bytes, bc->len);
        EXPECT_UTF8(buf, bc->len + 7, SHARDLINE_ERR_UTF8, 7);
        /* The two references agree with the expectation too. */
        size_t off = 99;
        CHECK_EQ(ref_validate(rfc_seq, (const uint8_t *)bc->bytes, bc->len, &off), SHARDLINE_ERR_UTF8);
        CHECK_EQ(off, 0);
        CHECK_EQ(ref_validate(decode_seq, (const uint8_t *)bc->bytes, bc->len, &off), SHARDLINE_ERR_UTF8);
        CHECK_EQ(off, 0);
    }
}

/* Every bad sequence at every offset 0..40 inside long runs, so that the
 * 8-byte fast path is taken before and after it at every alignment. */
static void test_offsets(void)
{
    static const char *const prefixes[] = {
        "", /* pure ASCII */
        "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", /* a valid character first */
    };
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *bc = &bad_cases[i];
        for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
            size_t plen = strlen(prefixes[p]);
            for (size_t off = plen; off <= 40; off++) {
                char buf[128];
                memcpy(buf, prefixes[p], plen);
                memset(buf + plen, 'a', off - plen);
                memcpy(buf + off, bc->bytes, bc->len);
                size_t len = off + bc->len;
                EXPECT_UTF8(buf, len, SHARDLINE_ERR_UTF8, off);
                if (!bc->at_end_only) {
                    memset(buf + len, 'z', 48);
                    EXPECT_UTF8(buf, len + 48, SHARDLINE_ERR_UTF8, off);
                }
                /* A second bad byte later never changes the first. */
                memset(buf + len, 'z', 20);
                buf[len + 20] = (char)0xFF;
                if (!bc->at_end_only)
                    EXPECT_UTF8(buf, len + 21, SHARDLINE_ERR_UTF8, off);
            }
        }
    }
    /* Valid characters at every offset are valid. */
    static const char *const good[] = {
        "\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEF\xBF\xBF",
        "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\0",
    };
    for (size_t g = 0; g < sizeof good / sizeof good[0]; g++) {
        size_t glen = good[g][0] == '\0' ? 1 : strlen(good[g]);
        for (size_t off = 0; off <= 40; off++) {
            char buf[128];
            memset(buf, 'a', off);
            memcpy(buf + off, good[g], glen);
            EXPECT_UTF8(buf, off + glen, SHARDLINE_OK, 0);
            memset(buf + off + glen, 'q', 30);
            EXPECT_UTF8(buf, off + glen + 30, SHARDLINE_OK, 0);
        }
    }
    /* Long text of valid characters, then one stray continuation byte. */
    char big[4096];
    size_t n = 0;
    while (n + 4 <= 3000) {
        memcpy(big + n, "\xF0\x9F\x98\x80", 4);
        n += 4;
        memcpy(big + n, "abcdefghijk", 11);
        n += 11;
    }
    EXPECT_UTF8(big, n, SHARDLINE_OK, 0);
    big[n] = (char)0x80;
    EXPECT_UTF8(big, n + 1, SHARDLINE_ERR_UTF8, n);
    /* Truncate the last emoji at each of its bytes. */
    for (size_t cut = 1; cut < 4; cut++)
        EXPECT_UTF8(big, n - 11 - 4 + cut, SHARDLINE_ERR_UTF8, n - 11 - 4);
}

/* All 65536 two-byte inputs against the RFC table. */
static void test_all_pairs(void)
{
    for (int a = 0; a < 256; a++) {
        for (int b = 0; b < 256; b++) {
            uint8_t s[2] = {(uint8_t)a, (uint8_t)b};
            /* From the table: a pair is valid when both bytes are ASCII or
             * it is exactly one C2..DF lead with a tail. Otherwise the first
             * bad sequence is at 0 unless the first byte is ASCII. */
            shardline_status exp;
            size_t off = 0;
            if (a < 0x80 && b < 0x80) {
                exp = SHARDLINE_OK;
            } else if (a >= 0xC2 && a <= 0xDF && b >= 0x80 && b <= 0xBF) {
                exp = SHARDLINE_OK;
            } else {
                exp = SHARDLINE_ERR_UTF8;
                off = a < 0x80 ? 1 : 0;
            }
            size_t roff = 0;
            CHECK_EQ(ref_validate(rfc_seq, s, 2, &roff), exp);
            CHECK_EQ(roff, off);
            EXPECT_UTF8(s, 2, exp, off);
        }
    }
}

/* All 2^24 three-byte inputs and a broad sample of four-byte ones against
 * both references (mismatches counted, the first few printed). */
static void test_all_triples(void)
{
    long mismatches = 0;
    for (uint32_t v = 0; v < (1u << 24); v++) {
        uint8_t s[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
        size_t o1 = 0, o2 = 0, o3 = 0;
        shardline_status r1 = ref_validate(rfc_seq, s, 3, &o1);
        shardline_status r2 = ref_validate(decode_seq, s, 3, &o2);
        shardline_status got = sl_utf8_validate_scalar(s, 3, &o3);
        if (got == SHARDLINE_OK)
            o3 = 0;
        if (r1 != r2 || o1 != o2 || got != r1 || o3 != o1) {
            if (mismatches++ < 10)
                fprintf(stderr, "triple %02X %02X %02X: rfc %d@%zu decode %d@%zu lib %d@%zu\n",
                        s[0], s[1], s[2], r1, o1, r2, o2, got, o3);
        }
    }
    CHECK_EQ(mismatches, 0);

    static const uint8_t pick[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                   0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF};
    mismatches = 0;
    for (int a = 0x80; a < 256; a++) {
        for (int b = 0; b < 256; b++) {
            for (size_t c = 0; c < sizeof pick; c++) {
                for (size_t d = 0; d < sizeof pick; d++) {
                    uint8_t s[4] = {(uint8_t)a, (uint8_t)b, pick[c], pick[d]};
                    size_t o1 = 0, o2 = 0, o3 = 0;
                    shardline_status r1 = ref_validate(rfc_seq, s, 4, &o1);
                    shardline_status r2 = ref_validate(decode_seq, s, 4, &o2);
                    shardline_status got = sl_utf8_validate_scalar(s, 4, &o3);
                    if (got == SHARDLINE_OK)
                        o3 = 0;
                    if (r1 != r2 || o1 != o2 || got != r1 || o3 != o1) {
                        if (mismatches++ < 10)
                            fprintf(stderr, "quad %02X %02X %02X %02X: rfc %d@%zu lib %d@%zu\n",
                                    s[0], s[1], s[2], s[3], r1, o1, got, o3);
                    }
                }
            }
        }
    }
    CHECK_EQ(mismatches, 0);
}

/* Random text: ASCII runs, valid characters of every length, and now and
 * then a broken piece. */
static size_t random_text(uint8_t *buf, size_t max, int allow_bad, int allow_specials)
{
    size_t n = 0;
    size_t target = test_rng_below(&rng, (uint32_t)max);
    while (n + 8 < target) {
        uint32_t kind = test_rng_below(&rng, 100);
        if (kind < 40) {
            size_t run = test_rng_below(&rng, 20);
            for (size_t k = 0; k < run && n + 8 < max; k++) {
                uint8_t c = (uint8_t)(0x20 + test_rng_below(&rng, 0x60));
                if (!allow_specials && (c == '"' || c == '\\'))
                    c = 'x';
                buf[n++] = c;
            }
        } else if (kind < 85) {
            uint32_t cls = test_rng_below(&rng, 4), cp;
            if (cls == 0)
                cp = 0x80 + test_rng_below(&rng, 0x780);
            else if (cls == 1)
                cp = 0x800 + test_rng_below(&rng, 0xD800 - 0x800);
            else if (cls == 2)
                cp = 0xE000 + test_rng_below(&rng, 0x2000);
            else
                cp = 0x10000 + test_rng_below(&rng, 0x100000);
            n += encode_cp(cp, buf + n);
        } else if (kind < 92 && allow_specials) {
            static const uint8_t sp[] = {'"', '\\', 0x00, 0x01, 0x0A, 0x1F};
            buf[n++] = sp[test_rng_below(&rng, sizeof sp)];
        } else if (kind < 97 && allow_bad) {
            buf[n++] = (uint8_t)test_rng_next(&rng);
        } else if (allow_bad) {
            const bad_case *bc = &bad_cases[test_rng_below(&rng, sizeof bad_cases / sizeof bad_cases[0])];
            if (bc->len <= 8)
                for (size_t k = 0; k < bc->len; k++)
                    buf[n++] = (uint8_t)bc->bytes[k];
        }
    }
    return n;
}

static void test_random_validate(void)
{
    static uint8_t buf[600];
    long mismatches = 0, valid = 0, invalid = 0;
    for (int iter = 0; iter < 200000; iter++) {
        int allow_bad = iter % 4 != 0;
        size_t n = random_text(buf, sizeof buf, allow_bad, iter % 3 == 0);
        if (iter % 7 == 0 && n > 0) /* sometimes cut the text anywhere */
            n = test_rng_below(&rng, (uint32_t)n + 1);
        size_t roff = 0, o1 = 0, o2 = 0;
        shardline_status r = ref_validate(decode_seq, buf, n, &roff);
        shardline_error err;
        shardline_status g1 = shardline_utf8_validate((const char *)buf, n, &err);
        o1 = err.offset;
        shardline_status g2 = sl_utf8_validate_scalar(buf, n, &o2);
        if (g2 == SHARDLINE_OK)
            o2 = 0;
        size_t rt = 0;
        shardline_status r2 = ref_validate(rfc_seq, buf, n, &rt);
        if (r == SHARDLINE_OK)
            valid++;
        else
            invalid++;
        if (g1 != r || g2 != r || o1 != roff || o2 != roff || r2 != r || rt != roff || err.code != r) {
            if (mismatches++ < 10)
                fprintf(stderr, "random utf8 #%d (len %zu): ref %d@%zu public %d@%zu scalar %d@%zu\n",
                        iter, n, r, roff, g1, o1, g2, o2);
        }
    }
    CHECK_EQ(mismatches, 0);
    /* The generator really produced both kinds. */
    CHECK(valid > 10000);
    CHECK(invalid > 10000);
}

/* ---- string scanner -------------------------------------------------------- */

static void test_scan_basics(void)
{
    EXPECT_SCAN("", 0, SHARDLINE_OK, 0);
    EXPECT_SCAN("abc", 3, SHARDLINE_OK, 3);
    EXPECT_SCAN("abc\"", 4, SHARDLINE_OK, 3);
    EXPECT_SCAN("\"abc", 4, SHARDLINE_OK, 0);
    EXPECT_SCAN("ab\\n\"", 5, SHARDLINE_OK, 2);
    EXPECT_SCAN("caf\xC3\xA9\"", 6, SHARDLINE_OK, 5);
    EXPECT_SCAN("\xF0\x9F\x98\x80\xE2\x82\xAC", 7, SHARDLINE_OK, 7);
    /* Every single byte value. */
    for (int b = 0; b < 256; b++) {
        uint8_t one = (uint8_t)b;
        if (b == '"' || b == '\\' || b < 0x20)
            EXPECT_SCAN(&one, 1, SHARDLINE_OK, 0);
        else if (b < 0x80)
            EXPECT_SCAN(&one, 1, SHARDLINE_OK, 1);
        else
            EXPECT_SCAN(&one, 1, SHARDLINE_ERR_UTF8, 0);
    }
    /* DEL and the bytes just around the specials are ordinary. */
    EXPECT_SCAN(" !#[]~\x7F", 7, SHARDLINE_OK, 7);
    /* A multi-byte sequence cut by a special is bad UTF-8 at its lead. */
    EXPECT_SCAN("\xC3\"", 2, SHARDLINE_ERR_UTF8, 0);
    EXPECT_SCAN("ab\xC3\"", 4, SHARDLINE_ERR_UTF8, 2);
    EXPECT_SCAN("ab\xC3\\", 4, SHARDLINE_ERR_UTF8, 2);
    EXPECT_SCAN("ab\xC3\n", 4, SHARDLINE_ERR_UTF8, 2);
    EXPECT_SCAN("ab\xE2\x82\"", 5, SHARDLINE_ERR_UTF8, 2);
    EXPECT_SCAN("ab\xF0\x9F\x98\"", 6, SHARDLINE_ERR_UTF8, 2);
    EXPECT_SCAN("\xC3", 1, SHARDLINE_ERR_UTF8, 0);
    /* Bad UTF-8 before the special wins; after it, it is not looked at. */
    EXPECT_SCAN("a\xFF\"", 3, SHARDLINE_ERR_UTF8, 1);
    EXPECT_SCAN("a\"\xFF", 3, SHARDLINE_OK, 1);
    EXPECT_SCAN("a\\\xED\xA0\x80", 5, SHARDLINE_OK, 1);
    EXPECT_SCAN("a\xED\xA0\x80\"", 5, SHARDLINE_ERR_UTF8, 1);
    EXPECT_SCAN("a\xC0\xAF\"", 4, SHARDLINE_ERR_UTF8, 1);
    EXPECT_SCAN("a\xF4\x90\x80\x80\"", 6, SHARDLINE_ERR_UTF8, 1);
}

static void test_scan_positions(void)
{
    static const uint8_t specials[] = {'"', '\\', 0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F};
    /* Ordinary fillers, including those next to the special values. */
    static const uint8_t fillers[] = {'a', 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x7F};
    for (size_t s = 0; s < sizeof specials; s++) {
        for (size_t f = 0; f < sizeof fillers; f++) {
            for (size_t pos = 0; pos <= 40; pos++) {
                uint8_t buf[128];
                memset(buf, fillers[f], sizeof buf);
                buf[pos] = specials[s];
                EXPECT_SCAN(buf, pos + 1, SHARDLINE_OK, pos);
                EXPECT_SCAN(buf, pos + 50, SHARDLINE_OK, pos);
                /* A second special later does not matter. */
                buf[pos + 9] = '"';
                EXPECT_SCAN(buf, pos + 50, SHARDLINE_OK, pos);
                /* Without the special the scan runs to the end. */
                memset(buf, fillers[f], sizeof buf);
                EXPECT_SCAN(buf, pos, SHARDLINE_OK, pos);
            }
        }
        /* After multi-byte characters. */
        for (size_t pos = 0; pos <= 40; pos++) {
            static const char *const chars[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "z"};
            uint8_t buf[128];
            size_t n = 0, last_start = 0;
            while (n < pos) {
                const char *c = chars[(n * 5 + pos) % 4];
                size_t cl = strlen(c);
                if (n + cl > pos)
                    c = "z", cl = 1;
                last_start = n;
                memcpy(buf + n, c, cl);
                n += cl;
            }
            buf[n] = specials[s];
            memset(buf + n + 1, 'x', 30);
            EXPECT_SCAN(buf, n + 31, SHARDLINE_OK, pos);
            if (pos > 0) {
                /* Make the last byte before the special a lone C3 lead: the
                 * character holding it becomes bad UTF-8 (a lead cut short,
                 * or, when it was a one-byte character, the C3 itself). */
                uint8_t save = buf[pos - 1];
                buf[pos - 1] = 0xC3;
                EXPECT_SCAN(buf, n + 31, SHARDLINE_ERR_UTF8, last_start);
                size_t rstop = 0;
                CHECK_EQ(ref_scan(buf, n + 31, &rstop), SHARDLINE_ERR_UTF8);
                CHECK_EQ(rstop, last_start);
                buf[pos - 1] = save;
            }
        }
    }
    /* Bad UTF-8 at every offset, then a special further on. */
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *bc = &bad_cases[i];
        for (size_t off = 0; off <= 40; off++) {
            uint8_t buf[128];
            memset(buf, 'a', off);
            memcpy(buf + off, bc->bytes, bc->len);
            buf[off + bc->len] = '"';
            memset(buf + off + bc->len + 1, 'b', 20);
            EXPECT_SCAN(buf, off + bc->len + 21, SHARDLINE_ERR_UTF8, off);
            EXPECT_SCAN(buf, off + bc->len, SHARDLINE_ERR_UTF8, off);
            /* The same bad bytes behind a special are never reached. */
            memset(buf, 'a', off);
            buf[off] = '\\';
            memcpy(buf + off + 1, bc->bytes, bc->len);
            EXPECT_SCAN(buf, off + 1 + bc->len, SHARDLINE_OK, off);
        }
    }
}

static void test_scan_exhaustive_pairs(void)
{
    long mismatches = 0;
    for (int a = 0; a < 256; a++) {
        for (int b = 0; b < 256; b++) {
            uint8_t s[2] = {(uint8_t)a, (uint8_t)b};
            size_t rstop = 0, stop = 0;
            shardline_status r = ref_scan(s, 2, &rstop);
            shardline_status g = sl_string_scan_scalar(s, 2, &stop);
            if (r != g || rstop != stop) {
                if (mismatches++ < 10)
                    fprintf(stderr, "scan pair %02X %02X: ref %d stop %zu, lib %d stop %zu\n", a, b,
                            r, rstop, g, stop);
            }
        }
    }
    CHECK_EQ(mismatches, 0);
    /* Hand-checked pair classes. */
    EXPECT_SCAN("\xC3\xA9", 2, SHARDLINE_OK, 2);
    EXPECT_SCAN("a\"", 2, SHARDLINE_OK, 1);
    EXPECT_SCAN("\x1F" "a", 2, SHARDLINE_OK, 0);
    EXPECT_SCAN("a\x80", 2, SHARDLINE_ERR_UTF8, 1);
    EXPECT_SCAN("\xE0\xA0", 2, SHARDLINE_ERR_UTF8, 0);
}

static void test_scan_random(void)
{
    static uint8_t buf[600];
    long mismatches = 0, with_utf8_error = 0, stopped_early = 0;
    for (int iter = 0; iter < 200000; iter++) {
        size_t n = random_text(buf, sizeof buf, iter % 3 != 0, iter % 5 != 0);
        size_t rstop = 0, stop = 0;
        shardline_status r = ref_scan(buf, n, &rstop);
        shardline_status g = sl_string_scan_scalar(buf, n, &stop);
        if (r != SHARDLINE_OK)
            with_utf8_error++;
        else if (rstop < n)
            stopped_early++;
        if (r != g || rstop != stop) {
            if (mismatches++ < 10)
                fprintf(stderr, "random scan #%d (len %zu): ref %d stop %zu, lib %d stop %zu\n",
                        iter, n, r, rstop, g, stop);
        }
    }
    CHECK_EQ(mismatches, 0);
    CHECK(with_utf8_error > 10000);
    CHECK(stopped_early > 10000);
}

int main(void)
{
    test_basics();
    test_boundaries();
    test_bad_sequences();
    test_offsets();
    test_all_pairs();
    test_all_triples();
    test_random_validate();
    test_scan_basics();
    test_scan_positions();
    test_scan_exhaustive_pairs();
    test_scan_random();
    return check_done("test_utf8");
}
