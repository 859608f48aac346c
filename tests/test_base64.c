/* test_base64.c - strict RFC 4648 base64: public decode/encode and the scalar decode kernel. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "testutil.h"
#include "internal.h"

/* The RFC 4648 section 4 alphabet, kept here independently of the library. */
static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Value of an alphabet byte, or -1. memchr, not strchr: NUL is not in it. */
static int alpha_value(unsigned char c)
{
    const char *p = memchr(alphabet, c, 64);
    return p == NULL ? -1 : (int)(p - alphabet);
}

/* ---- deterministic PRNG (xorshift64*) ------------------------------------ */

static test_rng rng = {UINT64_C(0x9E3779B97F4A7C15)};

/* ---- reference encoder (written from RFC 4648 section 4) ---------------- */

static size_t ref_encode(const uint8_t *src, size_t len, char *dst)
{
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        dst[o++] = alphabet[src[i] >> 2];
        dst[o++] = alphabet[((src[i] & 3) << 4) | (src[i + 1] >> 4)];
        dst[o++] = alphabet[((src[i + 1] & 15) << 2) | (src[i + 2] >> 6)];
        dst[o++] = alphabet[src[i + 2] & 63];
    }
    if (len - i == 1) {
        dst[o++] = alphabet[src[i] >> 2];
        dst[o++] = alphabet[(src[i] & 3) << 4];
        dst[o++] = '=';
        dst[o++] = '=';
    } else if (len - i == 2) {
        dst[o++] = alphabet[src[i] >> 2];
        dst[o++] = alphabet[((src[i] & 3) << 4) | (src[i + 1] >> 4)];
        dst[o++] = alphabet[(src[i + 1] & 15) << 2];
        dst[o++] = '=';
    }
    return o;
}

/* ---- helpers ------------------------------------------------------------- */

/* Decode text with the public function and the scalar kernel, expecting
 * success with exactly exp[0..exp_len). Also decodes in place. */
static void expect_decode(const char *text, size_t len, const void *exp, size_t exp_len)
{
    size_t cap = SHARDLINE_BASE64_DECODED_MAX(len);
    uint8_t *dst = malloc(cap + 1);
    shardline_error err;
    memset(&err, 0x5A, sizeof err);
    size_t out_len = 12345;
    shardline_status st = shardline_base64_decode(text, len, dst, cap, &out_len, &err);
    CHECK_ERROR(st, err, SHARDLINE_OK, 0);
    CHECK(err.message != NULL);
    CHECK_EQ(err.path[0], '\0');
    CHECK_MEM(dst, out_len, exp, exp_len);

    /* Without an error struct. */
    out_len = 12345;
    CHECK_EQ(shardline_base64_decode(text, len, dst, cap, &out_len, NULL), SHARDLINE_OK);
    CHECK_MEM(dst, out_len, exp, exp_len);

    /* The scalar kernel directly. */
    size_t kout = 12345, koff = 777;
    memset(dst, 0xEE, cap + 1);
    CHECK_EQ(sl_base64_decode_scalar(text, len, dst, &kout, &koff), SHARDLINE_OK);
    CHECK_MEM(dst, kout, exp, exp_len);

    /* In place, public and scalar. */
    char *buf = malloc(len + 1);
    if (len > 0)
        memcpy(buf, text, len);
    out_len = 12345;
    st = shardline_base64_decode(buf, len, (uint8_t *)buf, len, &out_len, &err);
    CHECK_ERROR(st, err, SHARDLINE_OK, 0);
    CHECK_MEM(buf, out_len, exp, exp_len);
    if (len > 0)
        memcpy(buf, text, len);
    kout = 12345;
    CHECK_EQ(sl_base64_decode_scalar(buf, len, (uint8_t *)buf, &kout, &koff), SHARDLINE_OK);
    CHECK_MEM(buf, kout, exp, exp_len);
    free(buf);
    free(dst);
}

#define EXPECT_DECODE(text, exp, exp_len) expect_decode((text), strlen(text), (exp), (exp_len))

/* Decode text (public and scalar), expecting failure with code at offset. */
static void expect_error_at(const char *file, int line, const char *text, size_t len,
                            shardline_status code, size_t offset)
{
    size_t cap = SHARDLINE_BASE64_DECODED_MAX(len);
    uint8_t *dst = malloc(cap + 1);
    shardline_error err;
    memset(&err, 0x5A, sizeof err);
    size_t out_len = 12345;
    shardline_status st = shardline_base64_decode(text, len, dst, cap, &out_len, &err);
    check_total++;
    if (st != code || err.code != code || err.offset != offset)
        CHECK_FAIL_AT(file, line, "decode(\"%.*s\"): got %s (error %s at %zu), expected %s at %zu",
                      (int)(len > 80 ? 80 : len), text, shardline_status_name(st),
                      shardline_status_name(err.code), err.offset, shardline_status_name(code),
                      offset);
    check_total++;
    if (out_len != 0 || err.message == NULL || err.path[0] != '\0')
        CHECK_FAIL_AT(file, line, "decode(\"%.*s\"): out_len %zu (expected 0) or bad message/path",
                      (int)(len > 80 ? 80 : len), text, out_len);

    /* No error struct: same status. */
    out_len = 12345;
    st = shardline_base64_decode(text, len, dst, cap, &out_len, NULL);
    check_total++;
    if (st != code || out_len != 0)
        CHECK_FAIL_AT(file, line, "decode(\"%.*s\", error=NULL): got %s, out_len %zu",
                      (int)(len > 80 ? 80 : len), text, shardline_status_name(st), out_len);

    size_t kout = 0, koff = 777777;
    st = sl_base64_decode_scalar(text, len, dst, &kout, &koff);
    check_total++;
    if (st != code || koff != offset)
        CHECK_FAIL_AT(file, line, "sl_base64_decode_scalar(\"%.*s\"): got %s at %zu, expected %s at %zu",
                      (int)(len > 80 ? 80 : len), text, shardline_status_name(st), koff,
                      shardline_status_name(code), offset);
    free(dst);
}

#define EXPECT_ERROR(text, code, offset) \
    expect_error_at(__FILE__, __LINE__, (text), strlen(text), (code), (offset))
#define EXPECT_ERROR_LEN(text, len, code, offset) \
    expect_error_at(__FILE__, __LINE__, (text), (len), (code), (offset))

/* Encode with the library and check the text and the return value. */
static void expect_encode(const void *src, size_t len, const char *exp)
{
    size_t need = SHARDLINE_BASE64_ENCODED_SIZE(len);
    char *dst = malloc(need + 2);
    memset(dst, '#', need + 2);
    size_t n = shardline_base64_encode(src, len, dst, need);
    CHECK_MEM(dst, n, exp, strlen(exp));
    CHECK_EQ(dst[need], '#'); /* nothing past the encoded size, no NUL */
    free(dst);
}

/* ---- tests --------------------------------------------------------------- */

static void test_macros(void)
{
    CHECK_EQ(SHARDLINE_BASE64_DECODED_MAX(0), 0);
    CHECK_EQ(SHARDLINE_BASE64_DECODED_MAX(3), 0);
    CHECK_EQ(SHARDLINE_BASE64_DECODED_MAX(4), 3);
    CHECK_EQ(SHARDLINE_BASE64_DECODED_MAX(7), 3);
    CHECK_EQ(SHARDLINE_BASE64_DECODED_MAX(8), 6);
    CHECK_EQ(SHARDLINE_BASE64_ENCODED_SIZE(0), 0);
    CHECK_EQ(SHARDLINE_BASE64_ENCODED_SIZE(1), 4);
    CHECK_EQ(SHARDLINE_BASE64_ENCODED_SIZE(2), 4);
    CHECK_EQ(SHARDLINE_BASE64_ENCODED_SIZE(3), 4);
    CHECK_EQ(SHARDLINE_BASE64_ENCODED_SIZE(4), 8);
    CHECK_EQ(SHARDLINE_BASE64_ENCODED_SIZE(1024), 1368);
}

/* RFC 4648 section 10. */
static void test_rfc_vectors(void)
{
    static const struct {
        const char *plain, *encoded;
    } v[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        EXPECT_DECODE(v[i].encoded, v[i].plain, strlen(v[i].plain));
        if (v[i].plain[0] != '\0')
            expect_encode(v[i].plain, strlen(v[i].plain), v[i].encoded);
    }
    /* Encoding nothing writes nothing and returns 0. */
    char dst[8] = "#######";
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"", 0, dst, sizeof dst), 0);
    CHECK_EQ(dst[0], '#');

    /* t=45 e=30 s=44 t=45: 101101 011110 101100 101101 = b5 eb 2d. */
    static const uint8_t test_bytes[] = {0xb5, 0xeb, 0x2d};
    EXPECT_DECODE("test", test_bytes, 3);
    expect_encode(test_bytes, 3, "test");

    /* A few more worked out by hand. */
    static const uint8_t zeros[3] = {0, 0, 0};
    static const uint8_t ones[3] = {0xFF, 0xFF, 0xFF};
    EXPECT_DECODE("AAAA", zeros, 3);
    EXPECT_DECODE("AA==", zeros, 1);
    EXPECT_DECODE("AAA=", zeros, 2);
    EXPECT_DECODE("////", ones, 3);
    EXPECT_DECODE("/w==", ones, 1);
    EXPECT_DECODE("//8=", ones, 2);
    static const uint8_t pm[3] = {0xFB, 0xEF, 0xBE}; /* "++++": 62 x 4 = 111110 x 4 */
    EXPECT_DECODE("++++", pm, 3);
    EXPECT_DECODE("QQ==", "A", 1);
    EXPECT_DECODE("QUI=", "AB", 2);
    EXPECT_DECODE("QUJD", "ABC", 3);
}

/* Every byte value as a one-byte input, both directions. */
static void test_single_bytes(void)
{
    for (int b = 0; b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        char exp[5];
        exp[0] = alphabet[b >> 2];
        exp[1] = alphabet[(b & 3) << 4];
        exp[2] = '=';
        exp[3] = '=';
        exp[4] = '\0';
        expect_encode(&byte, 1, exp);
        EXPECT_DECODE(exp, &byte, 1);
    }
    /* Every two-byte input is too many for per-input checks; sample the
     * high/low nibble boundaries exhaustively over the first byte. */
    for (int b = 0; b < 256; b++) {
        uint8_t two[2] = {(uint8_t)b, (uint8_t)(255 - b)};
        char exp[5];
        CHECK_EQ(ref_encode(two, 2, exp), 4);
        exp[4] = '\0';
        expect_encode(two, 2, exp);
        EXPECT_DECODE(exp, two, 2);
    }
}

/* Random buffers of every length 0..1024, both directions and in place. */
static void test_random_round_trips(void)
{
    uint8_t src[1024];
    char ref[1368 + 4], enc[1368 + 4];
    uint8_t dec[1024 + 4];
    int bad = 0;
    for (size_t len = 0; len <= 1024; len++) {
        for (size_t i = 0; i < len; i++)
            src[i] = (uint8_t)test_rng_next(&rng);
        size_t rn = ref_encode(src, len, ref);
        CHECK_EQ(rn, SHARDLINE_BASE64_ENCODED_SIZE(len));
        memset(enc, '#', sizeof enc);
        size_t en = shardline_base64_encode(src, len, enc, SHARDLINE_BASE64_ENCODED_SIZE(len));
        CHECK_MEM(enc, en, ref, rn);
        CHECK_EQ(enc[rn], '#');

        size_t out_len = 99999;
        shardline_error err;
        shardline_status st = shardline_base64_decode(ref, rn, dec, sizeof dec, &out_len, &err);
        CHECK_ERROR(st, err, SHARDLINE_OK, 0);
        CHECK_MEM(dec, out_len, src, len);

        /* The exact minimum capacity is enough. */
        out_len = 99999;
        st = shardline_base64_decode(ref, rn, dec, SHARDLINE_BASE64_DECODED_MAX(rn), &out_len, &err);
        CHECK_ERROR(st, err, SHARDLINE_OK, 0);
        CHECK_EQ(out_len, len);

        size_t kout = 0, koff = 0;
        memset(dec, 0, sizeof dec);
        if (sl_base64_decode_scalar(ref, rn, dec, &kout, &koff) != SHARDLINE_OK ||
            kout != len || (len > 0 && memcmp(dec, src, len) != 0))
            bad++;

        /* In place, public. */
        char buf[1368 + 4];
        memcpy(buf, ref, rn);
        out_len = 99999;
        st = shardline_base64_decode(buf, rn, (uint8_t *)buf, rn, &out_len, &err);
        CHECK_ERROR(st, err, SHARDLINE_OK, 0);
        CHECK_MEM(buf, out_len, src, len);
        /* In place, scalar. */
        memcpy(buf, ref, rn);
        kout = 0;
        if (sl_base64_decode_scalar(buf, rn, (uint8_t *)buf, &kout, &koff) != SHARDLINE_OK ||
            kout != len || (len > 0 && memcmp(buf, src, len) != 0))
            bad++;
    }
    CHECK_EQ(bad, 0);
}

/* Expected result of decoding text (len a multiple of 4, at most one byte
 * different from a valid text) worked out from the rules in shardline.h. */
typedef struct expectation {
    shardline_status code;
    size_t offset;
} expectation;

/* One byte that is not in the alphabet, at every position of a valid
 * 16-character text. */
static void test_bad_byte_everywhere(void)
{
    /* Both texts are valid and unpadded. In the first the character at 14
     * ('t' = 45) has non-zero low two bits, in the second ('E' = 4) zero ones,
     * so putting '=' at 15 gives trailing bits in one and a valid padded
     * text in the other. */
    static const char *const bases[] = {"QUJDREVGR0hJSktM", "0123456789+/ABEC"};
    for (size_t bi = 0; bi < 2; bi++) {
        const char *base = bases[bi];
        for (int c = 0; c < 256; c++) {
            if (alpha_value((unsigned char)c) >= 0)
                continue;
            for (size_t pos = 0; pos < 16; pos++) {
                char text[16];
                memcpy(text, base, 16);
                text[pos] = (char)c;
                if (c != '=') {
                    EXPECT_ERROR_LEN(text, 16, SHARDLINE_ERR_BASE64_CHAR, pos);
                } else if (pos < 14) {
                    /* '=' before the final two positions. */
                    EXPECT_ERROR_LEN(text, 16, SHARDLINE_ERR_BASE64_PADDING, pos);
                } else if (pos == 14) {
                    /* "x=y": '=' followed by a data character is not padding. */
                    EXPECT_ERROR_LEN(text, 16, SHARDLINE_ERR_BASE64_PADDING, 14);
                } else if (alpha_value((unsigned char)base[14]) & 3) {
                    EXPECT_ERROR_LEN(text, 16, SHARDLINE_ERR_BASE64_TRAILING_BITS, 14);
                } else {
                    /* A valid padded text: 9 bytes from the first 12
                     * characters, then 2 from "ABE=". */
                    uint8_t exp[11];
                    for (size_t q = 0; q < 4; q++) {
                        uint32_t v = 0;
                        size_t nchars = q < 3 ? 4 : 3;
                        for (size_t k = 0; k < nchars; k++)
                            v |= (uint32_t)alpha_value((unsigned char)text[q * 4 + k]) << (18 - 6 * k);
                        exp[q * 3] = (uint8_t)(v >> 16);
                        exp[q * 3 + 1] = (uint8_t)(v >> 8);
                        if (q < 3)
                            exp[q * 3 + 2] = (uint8_t)v;
                    }
                    expect_decode(text, 16, exp, 11);
                }
            }
        }
    }

    /* A bad byte at every position of a long text: the offset is exact
     * wherever it falls. */
    static const char bad_bytes[] = {' ', '\n', '-', '_', '.', '\0', '=', (char)0x80, (char)0xFF};
    char text[400];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = alphabet[(i * 7 + 3) % 64];
    for (size_t bb = 0; bb < sizeof bad_bytes; bb++) {
        for (size_t pos = 0; pos < sizeof text; pos++) {
            char t[400];
            memcpy(t, text, sizeof t);
            t[pos] = bad_bytes[bb];
            shardline_status code = SHARDLINE_ERR_BASE64_CHAR;
            if (bad_bytes[bb] == '=')
                code = SHARDLINE_ERR_BASE64_PADDING; /* also at 398: "=X" is no padding */
            if (bad_bytes[bb] == '=' && pos == sizeof t - 1) {
                /* "..XY=": valid padding if the character at 398 has zero low bits. */
                if (alpha_value((unsigned char)t[398]) & 3)
                    EXPECT_ERROR_LEN(t, sizeof t, SHARDLINE_ERR_BASE64_TRAILING_BITS, 398);
                continue;
            }
            EXPECT_ERROR_LEN(t, sizeof t, code, pos);
        }
    }
    /* Two bad bytes: the first one is reported. */
    char t2[400];
    memcpy(t2, text, sizeof t2);
    t2[100] = '!';
    t2[50] = '=';
    EXPECT_ERROR_LEN(t2, sizeof t2, SHARDLINE_ERR_BASE64_PADDING, 50);
    t2[49] = '*';
    EXPECT_ERROR_LEN(t2, sizeof t2, SHARDLINE_ERR_BASE64_CHAR, 49);
}

static void test_padding_rules(void)
{
    /* Length not a multiple of 4: the start of the incomplete final quantum. */
    EXPECT_ERROR("A", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("AB", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("ABC", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("=", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("==", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("Zg=", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("Zg", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("Zm9vY", SHARDLINE_ERR_BASE64_PADDING, 4);
    EXPECT_ERROR("Zm9vYg", SHARDLINE_ERR_BASE64_PADDING, 4);
    EXPECT_ERROR("Zm9vYg=", SHARDLINE_ERR_BASE64_PADDING, 4);
    EXPECT_ERROR("Zm9vYmF", SHARDLINE_ERR_BASE64_PADDING, 4);
    EXPECT_ERROR("Zm9vYmFy=", SHARDLINE_ERR_BASE64_PADDING, 8);
    EXPECT_ERROR("Zm9vYmFy===", SHARDLINE_ERR_BASE64_PADDING, 8);
    EXPECT_ERROR("Zm9v\n", SHARDLINE_ERR_BASE64_PADDING, 4);
    /* The bad byte sits in the incomplete quantum itself: still the length. */
    EXPECT_ERROR("Zm9vYmFy!", SHARDLINE_ERR_BASE64_PADDING, 8);
    EXPECT_ERROR("Zm9vY!", SHARDLINE_ERR_BASE64_PADDING, 4);
    /* An earlier bad byte wins over the bad length. */
    EXPECT_ERROR("Zm!vYg", SHARDLINE_ERR_BASE64_CHAR, 2);
    EXPECT_ERROR("Zm=vYg", SHARDLINE_ERR_BASE64_PADDING, 2);
    EXPECT_ERROR("Zg==Zg=", SHARDLINE_ERR_BASE64_PADDING, 2);
    EXPECT_ERROR("Zm9vYmFy Zg==", SHARDLINE_ERR_BASE64_CHAR, 8);     /* len 13 */
    EXPECT_ERROR("Zm9v YmFyZg==", SHARDLINE_ERR_BASE64_CHAR, 4);    /* len 13 */

    /* '=' in a non-final quantum. */
    EXPECT_ERROR("Zg==Zg==", SHARDLINE_ERR_BASE64_PADDING, 2);
    EXPECT_ERROR("Zm8=Zm8=", SHARDLINE_ERR_BASE64_PADDING, 3);
    EXPECT_ERROR("Zm9v=m9v", SHARDLINE_ERR_BASE64_PADDING, 4);
    EXPECT_ERROR("====AAAA", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("AAAA====AAAA", SHARDLINE_ERR_BASE64_PADDING, 4);

    /* Bad padding in the final quantum. */
    EXPECT_ERROR("A===", SHARDLINE_ERR_BASE64_PADDING, 1);
    EXPECT_ERROR("====", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("AB=C", SHARDLINE_ERR_BASE64_PADDING, 2);
    EXPECT_ERROR("A=B=", SHARDLINE_ERR_BASE64_PADDING, 1);
    EXPECT_ERROR("=AB=", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("=A==", SHARDLINE_ERR_BASE64_PADDING, 0);
    EXPECT_ERROR("A=BC", SHARDLINE_ERR_BASE64_PADDING, 1);
    EXPECT_ERROR("Zm9vA===", SHARDLINE_ERR_BASE64_PADDING, 5);
    EXPECT_ERROR("Zm9v====", SHARDLINE_ERR_BASE64_PADDING, 4);
    EXPECT_ERROR("Zm9vAB=C", SHARDLINE_ERR_BASE64_PADDING, 6);
    /* A bad character before the padding is reported as a character. */
    EXPECT_ERROR("A*==", SHARDLINE_ERR_BASE64_CHAR, 1);
    EXPECT_ERROR("AB*=", SHARDLINE_ERR_BASE64_CHAR, 2);
    EXPECT_ERROR("*B==", SHARDLINE_ERR_BASE64_CHAR, 0);

    /* Non-zero trailing bits. Q=16 (010000), R=17 (010001): "QR==" leaves
     * 0001 after the 8 bits of 'A'. */
    EXPECT_ERROR("QR==", SHARDLINE_ERR_BASE64_TRAILING_BITS, 1);
    EXPECT_DECODE("QQ==", "A", 1);
    /* "QUI=": 16 20 8 -> 0x41 0x42 + 00; "QUJ=": J=9 leaves 01. */
    EXPECT_DECODE("QUI=", "AB", 2);
    EXPECT_ERROR("QUJ=", SHARDLINE_ERR_BASE64_TRAILING_BITS, 2);
    EXPECT_ERROR("Zm9vQR==", SHARDLINE_ERR_BASE64_TRAILING_BITS, 5);
    EXPECT_ERROR("Zm9vQUJ=", SHARDLINE_ERR_BASE64_TRAILING_BITS, 6);
    /* Every second character with one padding char: only values with the low
     * four bits clear (A Q g w) are allowed. */
    for (int v = 0; v < 64; v++) {
        char t[5] = {'Q', alphabet[v], '=', '=', '\0'};
        if (v & 15) {
            EXPECT_ERROR(t, SHARDLINE_ERR_BASE64_TRAILING_BITS, 1);
        } else {
            uint8_t exp = (uint8_t)(16 << 2 | v >> 4);
            EXPECT_DECODE(t, &exp, 1);
        }
        char u[5] = {'Q', 'U', alphabet[v], '=', '\0'};
        if (v & 3) {
            EXPECT_ERROR(u, SHARDLINE_ERR_BASE64_TRAILING_BITS, 2);
        } else {
            uint8_t exp[2] = {0x41, (uint8_t)(4 << 4 | v >> 2)};
            EXPECT_DECODE(u, exp, 2);
        }
        /* Unpadded final quanta have no trailing bits to check. */
        char w[5] = {'Q', 'U', 'J', alphabet[v], '\0'};
        uint8_t wexp[3] = {0x41, 0x42, (uint8_t)(0x40 | v)};
        EXPECT_DECODE(w, wexp, 3);
    }
}

static void test_rejected_alphabets(void)
{
    /* Whitespace anywhere, including the MIME line break. */
    EXPECT_ERROR(" Zm9v", SHARDLINE_ERR_BASE64_CHAR, 0);    /* len 5 */
    EXPECT_ERROR(" Zm9vYm", SHARDLINE_ERR_BASE64_CHAR, 0);  /* len 8 */
    EXPECT_ERROR("Zm9v\r\nYm", SHARDLINE_ERR_BASE64_CHAR, 4);
    EXPECT_ERROR("Zm9v\nYmE", SHARDLINE_ERR_BASE64_CHAR, 4);
    EXPECT_ERROR("Zm9vYmE\n", SHARDLINE_ERR_BASE64_CHAR, 7);
    EXPECT_ERROR("Zm9vYm \t", SHARDLINE_ERR_BASE64_CHAR, 6);
    EXPECT_ERROR("Zm9\tYmFy", SHARDLINE_ERR_BASE64_CHAR, 3);
    EXPECT_ERROR("Zm9vYmF\v", SHARDLINE_ERR_BASE64_CHAR, 7);
    EXPECT_ERROR("Zm9vYmF\f", SHARDLINE_ERR_BASE64_CHAR, 7);
    EXPECT_ERROR("    ", SHARDLINE_ERR_BASE64_CHAR, 0);
    EXPECT_ERROR("Zg= ", SHARDLINE_ERR_BASE64_PADDING, 2); /* "= " is not padding */
    EXPECT_ERROR("Zg== ", SHARDLINE_ERR_BASE64_PADDING, 2); /* len 5: the '=' comes first */
    /* base64url characters. */
    EXPECT_ERROR("-_-_", SHARDLINE_ERR_BASE64_CHAR, 0);
    EXPECT_ERROR("ab_d", SHARDLINE_ERR_BASE64_CHAR, 2);
    EXPECT_ERROR("Zm9v-_AA", SHARDLINE_ERR_BASE64_CHAR, 4);
    EXPECT_ERROR("Zm9vYm-y", SHARDLINE_ERR_BASE64_CHAR, 6);
    EXPECT_ERROR("Zm9vYmF_", SHARDLINE_ERR_BASE64_CHAR, 7);
    EXPECT_ERROR("_w==", SHARDLINE_ERR_BASE64_CHAR, 0);
    /* NUL inside the text. */
    EXPECT_ERROR_LEN("Zm\0v", 4, SHARDLINE_ERR_BASE64_CHAR, 2);
    /* High bytes. */
    EXPECT_ERROR("Zm9v\xC3\xA9YQ", SHARDLINE_ERR_BASE64_CHAR, 4);
}

static void test_arguments(void)
{
    uint8_t dst[16];
    size_t out_len;
    shardline_error err;

    /* Empty input: NULL src/dst accepted with len 0. */
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode(NULL, 0, NULL, 0, &out_len, &err), err, SHARDLINE_OK, 0);
    CHECK_EQ(out_len, 0);
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode("", 0, dst, 0, &out_len, &err), err, SHARDLINE_OK, 0);
    CHECK_EQ(out_len, 0);
    out_len = 5;
    CHECK_EQ(shardline_base64_decode(NULL, 0, dst, sizeof dst, &out_len, NULL), SHARDLINE_OK);
    CHECK_EQ(out_len, 0);

    /* NULL required pointers. */
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode(NULL, 4, dst, sizeof dst, &out_len, &err), err,
                SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_EQ(out_len, 0);
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode("Zm9v", 4, NULL, 3, &out_len, &err), err,
                SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_EQ(out_len, 0);
    CHECK_ERROR(shardline_base64_decode("Zm9v", 4, dst, sizeof dst, NULL, &err), err,
                SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_EQ(shardline_base64_decode("Zm9v", 4, dst, sizeof dst, NULL, NULL),
             SHARDLINE_ERR_INVALID_ARGUMENT);
    CHECK_ERROR(shardline_base64_decode(NULL, 0, NULL, 0, NULL, &err), err,
                SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK(err.message != NULL);

    /* dst_cap below len / 4 * 3, even when the decoded size would fit. */
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode("Zg==", 4, dst, 2, &out_len, &err), err,
                SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_EQ(out_len, 0);
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode("Zm9vYmFy", 8, dst, 5, &out_len, &err), err,
                SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_EQ(out_len, 0);
    CHECK_ERROR(shardline_base64_decode("Zm9v", 4, dst, 0, &out_len, &err), err,
                SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    CHECK_ERROR(shardline_base64_decode("Zm9vYmFy", SIZE_MAX, dst, sizeof dst, &out_len, &err),
                err, SHARDLINE_ERR_INVALID_ARGUMENT, 0);
    /* The exact bound is enough. */
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode("Zm9vYmFy", 8, dst, 6, &out_len, &err), err, SHARDLINE_OK, 0);
    CHECK_MEM(dst, out_len, "foobar", 6);
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode("Zg==", 4, dst, 3, &out_len, &err), err, SHARDLINE_OK, 0);
    CHECK_MEM(dst, out_len, "f", 1);
    /* len 3 needs no room at all: the error is the length. */
    out_len = 5;
    CHECK_ERROR(shardline_base64_decode("Zm9", 3, dst, 0, &out_len, &err), err,
                SHARDLINE_ERR_BASE64_PADDING, 0);
    CHECK_EQ(out_len, 0);

    /* The error struct is reset on success after a failure. */
    CHECK_ERROR(shardline_base64_decode("QR==", 4, dst, 3, &out_len, &err), err,
                SHARDLINE_ERR_BASE64_TRAILING_BITS, 1);
    CHECK_ERROR(shardline_base64_decode("QQ==", 4, dst, 3, &out_len, &err), err, SHARDLINE_OK, 0);
    CHECK_EQ(err.path[0], '\0');

    /* Encode: 0 for len 0, NULL pointers, small dst_cap. */
    char out[16];
    memset(out, '#', sizeof out);
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foo", 0, out, sizeof out), 0);
    CHECK_EQ(shardline_base64_encode(NULL, 0, NULL, 0), 0);
    CHECK_EQ(shardline_base64_encode(NULL, 0, out, sizeof out), 0);
    CHECK_EQ(shardline_base64_encode(NULL, 3, out, sizeof out), 0);
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foo", 3, NULL, 4), 0);
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foo", 3, out, 3), 0);
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foo", 3, out, 0), 0);
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"f", 1, out, 3), 0);
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foob", 4, out, 7), 0);
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"fooba", 5, out, 7), 0);
    CHECK_EQ(out[0], '#');
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foob", 4, out, 8), 8);
    CHECK_MEM(out, 8, "Zm9vYg==", 8);
    CHECK_EQ(out[8], '#');
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foo", 3, out, sizeof out), 4);
    CHECK_MEM(out, 4, "Zm9v", 4);
    /* A length whose encoded size does not fit in size_t: no dst_cap is
     * large enough (the source is never read). */
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foo", SIZE_MAX, out, SIZE_MAX), 0);
    CHECK_EQ(shardline_base64_encode((const uint8_t *)"foo", SIZE_MAX / 4 * 3 + 1, out, SIZE_MAX), 0);
}

int main(void)
{
    CHECK(shardline_implementation() != NULL);
    test_macros();
    test_rfc_vectors();
    test_single_bytes();
    test_random_round_trips();
    test_bad_byte_everywhere();
    test_padding_rules();
    test_rejected_alphabets();
    test_arguments();
    return check_done("test_base64");
}
