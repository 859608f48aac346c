/* test_number.c - JSON number text to int64 and to correctly rounded double (with exactness), locale-independent. */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "testutil.h"
#include "internal.h"

/* ---- deterministic PRNG (xorshift64*) ------------------------------------ */

static test_rng rng = {UINT64_C(0xD1B54A32D192ED03)};


/* ---- calling the library on an exact-size copy (no NUL, no slack) --------- */

static int conv_double(const char *text, size_t len, double *out)
{
    char *copy = malloc(len);
    memcpy(copy, text, len);
    int r = sl_number_to_double(copy, len, out);
    free(copy);
    return r;
}

static int conv_int64(const char *text, size_t len, int64_t *out)
{
    char *copy = malloc(len);
    memcpy(copy, text, len);
    int r = sl_number_to_int64(copy, len, out);
    free(copy);
    return r;
}

static uint64_t bits_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static void expect_double_at(const char *file, int line, const char *text, size_t len,
                             double value, int exact)
{
    double got = 12345.0;
    int r = conv_double(text, len, &got);
    check_total++;
    if (r != exact || bits_of(got) != bits_of(value))
        CHECK_FAIL_AT(file, line, "sl_number_to_double(\"%.*s%s\") = %d, %a; expected %d, %a",
                      (int)(len > 60 ? 60 : len), text, len > 60 ? "..." : "", r, got, exact, value);
}

#define EXPECT_DOUBLE(text, value, exact) \
    expect_double_at(__FILE__, __LINE__, (text), strlen(text), (value), (exact))
#define EXPECT_DOUBLE_LEN(text, len, value, exact) \
    expect_double_at(__FILE__, __LINE__, (text), (len), (value), (exact))

static void expect_int64_at(const char *file, int line, const char *text, int ok, int64_t value)
{
    const int64_t sentinel = INT64_C(0x5A5A5A5A5A5A5A5A);
    int64_t got = sentinel;
    int r = conv_int64(text, strlen(text), &got);
    int64_t want = ok ? value : sentinel;
    check_total++;
    if (r != ok || got != want)
        CHECK_FAIL_AT(file, line, "sl_number_to_int64(\"%.60s\") = %d, %" PRId64 "; expected %d, %" PRId64,
                      text, r, got, ok, want);
}

#define EXPECT_INT64(text, value) expect_int64_at(__FILE__, __LINE__, (text), 1, (value))
#define EXPECT_NO_INT64(text) expect_int64_at(__FILE__, __LINE__, (text), 0, 0)

/* ---- a small decimal big integer (base 10^9), for exact texts ------------ */

#define DB_LIMBS 200 /* 1800 digits */
typedef struct dec_big {
    uint32_t d[DB_LIMBS];
    size_t n;
} dec_big;

static void db_set(dec_big *b, uint64_t v)
{
    b->n = 0;
    while (v) {
        b->d[b->n++] = (uint32_t)(v % 1000000000u);
        v /= 1000000000u;
    }
}

static void db_mul(dec_big *b, uint32_t m)
{
    uint64_t carry = 0;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->d[i] * m + carry;
        b->d[i] = (uint32_t)(t % 1000000000u);
        carry = t / 1000000000u;
    }
    while (carry) {
        b->d[b->n++] = (uint32_t)(carry % 1000000000u);
        carry /= 1000000000u;
    }
}

/* b *= base^k, base 2 or 5. */
static void db_mul_pow(dec_big *b, unsigned base, unsigned k)
{
    uint32_t chunk = base == 2 ? (1u << 29) : 244140625u; /* 2^29, 5^12 */
    unsigned step = base == 2 ? 29 : 12;
    while (k >= step) {
        db_mul(b, chunk);
        k -= step;
    }
    uint32_t rest = 1;
    while (k--)
        rest *= base;
    db_mul(b, rest);
}

/* Decimal digits of b into out (NUL-terminated), "0" for zero. */
static size_t db_str(const dec_big *b, char *out)
{
    if (b->n == 0) {
        strcpy(out, "0");
        return 1;
    }
    int n = sprintf(out, "%" PRIu32, b->d[b->n - 1]);
    for (size_t i = b->n - 1; i-- > 0;)
        n += sprintf(out + n, "%09" PRIu32, b->d[i]);
    return (size_t)n;
}

/* The exact decimal text of m * 2^e, as "DIGITS" or "DIGITSe-K". */
static size_t exact_text(uint64_t m, int e, char *out)
{
    dec_big b;
    db_set(&b, m);
    if (e >= 0) {
        db_mul_pow(&b, 2, (unsigned)e);
        return db_str(&b, out);
    }
    db_mul_pow(&b, 5, (unsigned)-e);
    size_t n = db_str(&b, out);
    return n + (size_t)sprintf(out + n, "e-%d", -e);
}

/* The same value with the point placed inside: "0.000DIGITS" or "DI.GITS".
 * digits has nd digits and the value is digits * 10^-k. */
static size_t point_text(const char *digits, size_t nd, size_t k, char *out)
{
    size_t n = 0;
    if (k >= nd) {
        out[n++] = '0';
        out[n++] = '.';
        for (size_t i = 0; i < k - nd; i++)
            out[n++] = '0';
        memcpy(out + n, digits, nd);
        n += nd;
    } else {
        memcpy(out, digits, nd - k);
        n = nd - k;
        if (k > 0) {
            out[n++] = '.';
            memcpy(out + n, digits + nd - k, k);
            n += k;
        }
    }
    out[n] = '\0';
    return n;
}

/* ---- a reference for exactness: compare decimal digit strings ------------- */

/* value = 0.DIGITS * 10^exp, no leading or trailing zeros in DIGITS. */
typedef struct norm {
    char digits[2048];
    size_t nd;
    long exp;
} norm;

static void normalize(const char *s, size_t len, norm *out)
{
    size_t i = 0, nd = 0;
    long point = 0; /* digits before the point, counting leading zeros */
    int seen_point = 0;
    if (i < len && s[i] == '-')
        i++;
    char raw[4096];
    for (; i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); i++) {
        if (s[i] == '.') {
            seen_point = 1;
            continue;
        }
        if (nd < sizeof raw)
            raw[nd++] = s[i];
        if (!seen_point)
            point++;
    }
    long e = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int neg = 0;
        if (s[i] == '+' || s[i] == '-')
            neg = s[i++] == '-';
        for (; i < len; i++)
            if (e < 1000000000L)
                e = e * 10 + (s[i] - '0');
        if (neg)
            e = -e;
    }
    size_t first = 0;
    while (first < nd && raw[first] == '0')
        first++;
    size_t last = nd;
    while (last > first && raw[last - 1] == '0')
        last--;
    out->nd = 0;
    out->exp = 0;
    if (first == last)
        return;
    out->nd = last - first < sizeof out->digits ? last - first : sizeof out->digits;
    memcpy(out->digits, raw + first, out->nd);
    out->exp = point - (long)first + e;
}

/* Is d exactly the number the text writes? Uses the C library's exact
 * printing of doubles (%.800e shows every digit a double can have). */
static int ref_is_exact(const char *text, size_t len, double d)
{
    if (!isfinite(d))
        return 0;
    static char buf[1024];
    static norm a, b;
    int n = snprintf(buf, sizeof buf, "%.800e", d < 0 ? -d : d);
    normalize(text, len, &a);
    normalize(buf, (size_t)n, &b);
    return a.nd == b.nd && a.exp == b.exp && memcmp(a.digits, b.digits, a.nd) == 0;
}

/* ---- fixed cases ---------------------------------------------------------- */

static void test_int64(void)
{
    EXPECT_INT64("0", 0);
    EXPECT_INT64("-0", 0);
    EXPECT_INT64("0.0", 0);
    EXPECT_INT64("-0.0", 0);
    EXPECT_INT64("0e5", 0);
    EXPECT_INT64("0.000e-7", 0);
    EXPECT_INT64("0e99999999999", 0);
    EXPECT_INT64("1", 1);
    EXPECT_INT64("-1", -1);
    EXPECT_INT64("12", 12);
    EXPECT_INT64("-12", -12);
    EXPECT_INT64("1.2e1", 12);
    EXPECT_INT64("120e-1", 12);
    EXPECT_INT64("1.20E+1", 12);
    EXPECT_INT64("12.000", 12);
    EXPECT_INT64("0.12e2", 12);
    EXPECT_INT64("1200e-2", 12);
    EXPECT_INT64("0.0012E4", 12);
    EXPECT_INT64("-1.2e1", -12);
    EXPECT_INT64("1.5e1", 15);
    EXPECT_INT64("1e18", INT64_C(1000000000000000000));
    EXPECT_INT64("100000000000000000000e-2", INT64_C(1000000000000000000));
    EXPECT_INT64("9223372036854775807", INT64_MAX);
    EXPECT_INT64("9223372036854775807.0", INT64_MAX);
    EXPECT_INT64("9.223372036854775807e18", INT64_MAX);
    EXPECT_INT64("92233720368547758070e-1", INT64_MAX);
    EXPECT_INT64("-9223372036854775808", INT64_MIN);
    EXPECT_INT64("-9223372036854775807", -INT64_MAX);
    EXPECT_INT64("-9.223372036854775808E+18", INT64_MIN);
    EXPECT_INT64("-0.9223372036854775808e19", INT64_MIN);
    EXPECT_INT64("1e0000000000000000000000000000001", 10);
    EXPECT_INT64("4294967296", INT64_C(4294967296));
    EXPECT_INT64("-4294967297", INT64_C(-4294967297));

    EXPECT_NO_INT64("9223372036854775808");
    EXPECT_NO_INT64("0.9223372036854775808e19");
    EXPECT_NO_INT64("-9223372036854775809");
    EXPECT_NO_INT64("9223372036854775807.5");
    EXPECT_NO_INT64("1e19");
    EXPECT_NO_INT64("-1e19");
    EXPECT_NO_INT64("10000000000000000000");
    EXPECT_NO_INT64("18446744073709551615");
    EXPECT_NO_INT64("18446744073709551616");
    EXPECT_NO_INT64("99999999999999999999");
    EXPECT_NO_INT64("1e20");
    EXPECT_NO_INT64("1e99999999999");
    EXPECT_NO_INT64("1e-99999999999");
    EXPECT_NO_INT64("1.5");
    EXPECT_NO_INT64("-1.5");
    EXPECT_NO_INT64("0.5");
    EXPECT_NO_INT64("1e-1");
    EXPECT_NO_INT64("1.55e1");
    EXPECT_NO_INT64("123456789e-9");
    EXPECT_NO_INT64("0.1");
    EXPECT_NO_INT64("1.0000000000000000000001");

    /* Long forms: 800 zeros on either side. */
    char buf[2048];
    size_t n = 0;
    buf[n++] = '1';
    for (int i = 0; i < 800; i++)
        buf[n++] = '0';
    strcpy(buf + n, "e-800");
    EXPECT_INT64(buf, 1);
    strcpy(buf + n, "e-798");
    EXPECT_INT64(buf, 100);
    strcpy(buf + n, "e-799");
    EXPECT_INT64(buf, 10);
    strcpy(buf + n, "e-801");
    EXPECT_NO_INT64(buf);
    buf[n] = '\0';
    EXPECT_NO_INT64(buf);
    n = 0;
    buf[n++] = '0';
    buf[n++] = '.';
    for (int i = 0; i < 800; i++)
        buf[n++] = '0';
    buf[n++] = '7';
    strcpy(buf + n, "e801");
    EXPECT_INT64(buf, 7);
    strcpy(buf + n, "e800");
    EXPECT_NO_INT64(buf);
    buf[n] = '\0';
    EXPECT_NO_INT64(buf);

    /* Only len bytes are read: digits behind the end do not count. */
    int64_t v = 0;
    CHECK_EQ(sl_number_to_int64("12345", 3, &v), 1);
    CHECK_EQ(v, 123);
    CHECK_EQ(sl_number_to_int64("1.5e1", 3, &v), 0);
    CHECK_EQ(sl_number_to_int64("1e10", 3, &v), 1);
    CHECK_EQ(v, 10);

    /* Every power of ten in range, and one past it. */
    for (int k = 0; k <= 18; k++) {
        char t[32];
        snprintf(t, sizeof t, "1e%d", k);
        int64_t p = 1;
        for (int i = 0; i < k; i++)
            p *= 10;
        EXPECT_INT64(t, p);
        snprintf(t, sizeof t, "-%d.0e%d", 5, k);
        EXPECT_INT64(t, -5 * p);
    }
    /* Random int64 values written plainly and with exponents. */
    for (int i = 0; i < 20000; i++) {
        int64_t x = (int64_t)test_rng_next(&rng);
        if (i % 3 == 0)
            x >>= test_rng_below(&rng, 63);
        char t[64];
        snprintf(t, sizeof t, "%" PRId64, x);
        EXPECT_INT64(t, x);
        /* d.ddde+N with N = number of digits after the first. */
        char u[80];
        const char *digits = t[0] == '-' ? t + 1 : t;
        size_t nd = strlen(digits);
        int m = snprintf(u, sizeof u, "%s%c", x < 0 ? "-" : "", digits[0]);
        if (nd > 1)
            m += snprintf(u + m, sizeof u - (size_t)m, ".%s", digits + 1);
        snprintf(u + m, sizeof u - (size_t)m, "e%zu", nd - 1);
        EXPECT_INT64(u, x);
        /* Followed by ".5": never an integer. */
        snprintf(u, sizeof u, "%s.5", t);
        EXPECT_NO_INT64(u);
    }
}

static void test_double_fixed(void)
{
    /* Zeros, signed. */
    EXPECT_DOUBLE("0", 0.0, 1);
    EXPECT_DOUBLE("-0", -0.0, 1);
    EXPECT_DOUBLE("0.0", 0.0, 1);
    EXPECT_DOUBLE("-0.0e-5", -0.0, 1);
    EXPECT_DOUBLE("0e999999999999", 0.0, 1);
    EXPECT_DOUBLE("-0E+99999999999999999999", -0.0, 1);
    double z = 1.0;
    CHECK_EQ(sl_number_to_double("-0", 2, &z), 1);
    CHECK(z == 0.0 && signbit(z));
    CHECK_EQ(sl_number_to_double("0", 1, &z), 1);
    CHECK(z == 0.0 && !signbit(z));

    /* Exact small values. */
    EXPECT_DOUBLE("1", 1.0, 1);
    EXPECT_DOUBLE("-1", -1.0, 1);
    EXPECT_DOUBLE("0.5", 0.5, 1);
    EXPECT_DOUBLE("0.25", 0.25, 1);
    EXPECT_DOUBLE("0.125", 0.125, 1);
    EXPECT_DOUBLE("0.75", 0.75, 1);
    EXPECT_DOUBLE("1.5E-0", 1.5, 1);
    EXPECT_DOUBLE("25e-2", 0.25, 1);
    EXPECT_DOUBLE("0.125e+1", 1.25, 1);
    EXPECT_DOUBLE("1E+2", 100.0, 1);
    EXPECT_DOUBLE("1e2", 100.0, 1);
    EXPECT_DOUBLE("-2.5e-1", -0.25, 1);
    EXPECT_DOUBLE("1e0000000000000000000000000000001", 10.0, 1);
    EXPECT_DOUBLE("123456789012345", 123456789012345.0, 1);
    EXPECT_DOUBLE("1e15", 1e15, 1);

    /* Rounded: 0.1 = 0x1.999999999999ap-4 is not one tenth. */
    EXPECT_DOUBLE("0.1", 0x1.999999999999ap-4, 0);
    EXPECT_DOUBLE("-0.1", -0x1.999999999999ap-4, 0);
    EXPECT_DOUBLE("0.2", 0x1.999999999999ap-3, 0);
    EXPECT_DOUBLE("0.3", 0x1.3333333333333p-2, 0);
    EXPECT_DOUBLE("1e-2", 0x1.47ae147ae147bp-7, 0);
    EXPECT_DOUBLE("3.14", 3.14, 0);

    /* Powers of ten: 10^22 = 2^22 * 5^22 and 5^22 < 2^53, exact; 5^23 is not. */
    EXPECT_DOUBLE("1e22", 0x1.0f0cf064dd592p+73, 1);
    EXPECT_DOUBLE("10000000000000000000000", 0x1.0f0cf064dd592p+73, 1);
    EXPECT_DOUBLE("1e23", 0x1.52d02c7e14af6p+76, 0);
    EXPECT_DOUBLE("100000000000000000000000", 0x1.52d02c7e14af6p+76, 0);
    EXPECT_DOUBLE("3e22", 3e22, 1); /* 3 * 5^22 < 2^53 */
    EXPECT_DOUBLE("4e22", 4e22, 1);
    EXPECT_DOUBLE("5e22", 0x1.52d02c7e14af6p+75, 0); /* 5^23 > 2^53 */
    EXPECT_DOUBLE("1e-22", 1e-22, 0);

    /* Around 2^53: 2^53 + 1 is a tie, broken to the even 2^53; 2^53 + 3 to
     * 2^53 + 4. */
    EXPECT_DOUBLE("9007199254740992", 0x1p53, 1);
    EXPECT_DOUBLE("9007199254740993", 0x1p53, 0);
    EXPECT_DOUBLE("9007199254740993.000", 0x1p53, 0);
    EXPECT_DOUBLE("9007199254740994", 0x1.0000000000001p53, 1);
    EXPECT_DOUBLE("9007199254740995", 0x1.0000000000002p53, 0);
    EXPECT_DOUBLE("9007199254740996", 0x1.0000000000002p53, 1);
    EXPECT_DOUBLE("9007199254740991", 0x1.fffffffffffffp52, 1);
    EXPECT_DOUBLE("9.007199254740993e15", 0x1p53, 0);
    EXPECT_DOUBLE("9223372036854775808", 0x1p63, 1);
    EXPECT_DOUBLE("18446744073709551616", 0x1p64, 1);
    EXPECT_DOUBLE("1234567890123456768", 0x1.12210f47de981p+60, 1); /* odd part has 53 bits */
    EXPECT_DOUBLE("1234567890123456789", 0x1.12210f47de981p+60, 0);

    /* Limits of the range. */
    EXPECT_DOUBLE("2.2250738585072014e-308", 0x1p-1022, 0);
    EXPECT_DOUBLE("2.2250738585072011e-308", 0x0.fffffffffffffp-1022, 0);
    EXPECT_DOUBLE("4.9e-324", 0x1p-1074, 0);
    EXPECT_DOUBLE("5e-324", 0x1p-1074, 0);
    /* 2^-1075 = 2.4703282292062327208...e-324 is half the smallest subnormal:
     * below it rounds to 0, above it to 2^-1074. 5e-325 is far below. */
    EXPECT_DOUBLE("2.4703282292062327e-324", 0.0, 0);
    EXPECT_DOUBLE("2.4703282292062328e-324", 0x1p-1074, 0);
    EXPECT_DOUBLE("5e-325", 0.0, 0);
    EXPECT_DOUBLE("-5e-325", -0.0, 0);
    EXPECT_DOUBLE("1e-324", 0.0, 0);
    EXPECT_DOUBLE("1e-323", 0x0.0000000000002p-1022, 0); /* 9.88e-324 = 2 ulps */
    EXPECT_DOUBLE("1e-320", 1e-320, 0);
    EXPECT_DOUBLE("1.7976931348623157e308", DBL_MAX, 0);
    EXPECT_DOUBLE("-1.7976931348623157e308", -DBL_MAX, 0);
    EXPECT_DOUBLE("1.7976931348623158e308", DBL_MAX, 0);
    EXPECT_DOUBLE("1.7976931348623159e308", HUGE_VAL, 0);
    EXPECT_DOUBLE("1e308", 1e308, 0);
    EXPECT_DOUBLE("1e309", HUGE_VAL, 0);
    EXPECT_DOUBLE("1e400", HUGE_VAL, 0);
    EXPECT_DOUBLE("-1e400", -HUGE_VAL, 0);

    /* Absurd exponents. */
    EXPECT_DOUBLE("1e-99999999999", 0.0, 0);
    EXPECT_DOUBLE("-1e-99999999999", -0.0, 0);
    EXPECT_DOUBLE("1e99999999999", HUGE_VAL, 0);
    EXPECT_DOUBLE("-1e99999999999", -HUGE_VAL, 0);
    EXPECT_DOUBLE("1E+99999999999999999999999999999999", HUGE_VAL, 0);
    EXPECT_DOUBLE("1e-99999999999999999999999999999999", 0.0, 0);
    EXPECT_DOUBLE("123456.789e-99999999999", 0.0, 0);
    EXPECT_DOUBLE("0.000001e99999999999", HUGE_VAL, 0);

    /* "0.000...0001" forms. */
    EXPECT_DOUBLE("0.0001", 1e-4, 0);
    EXPECT_DOUBLE("0.000000000000000000000000000001", 1e-30, 0);
    EXPECT_DOUBLE("-0.000000000000000000000000000001", -1e-30, 0);
    EXPECT_DOUBLE("0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
                  1e-103, 0);
    EXPECT_DOUBLE("0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001e103",
                  1.0, 1);
    EXPECT_DOUBLE("0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005e103",
                  5.0, 1);

    /* 2^-30 written out in full: 21 significant digits, exact. One more
     * non-zero digit and it is not. */
    EXPECT_DOUBLE("0.000000000931322574615478515625", 0x1p-30, 1);
    EXPECT_DOUBLE("9.31322574615478515625e-10", 0x1p-30, 1);
    EXPECT_DOUBLE("931322574615478515625e-30", 0x1p-30, 1);
    EXPECT_DOUBLE("0.0000000009313225746154785156250000", 0x1p-30, 1);
    EXPECT_DOUBLE("0.0000000009313225746154785156251", 0x1p-30, 0);
    EXPECT_DOUBLE("0.0000000009313225746154785156249", 0x1p-30, 0);
    /* 1 + 2^-52 in full, exact; and 1 + 2^-53 (a tie, to even 1.0). */
    EXPECT_DOUBLE("1.0000000000000002220446049250313080847263336181640625", 0x1.0000000000001p0, 1);
    EXPECT_DOUBLE("1.00000000000000011102230246251565404236316680908203125", 1.0, 0);
    EXPECT_DOUBLE("1.00000000000000011102230246251565404236316680908203126", 0x1.0000000000001p0, 0);

    /* Only len bytes are read. */
    double d = 0;
    CHECK_EQ(sl_number_to_double("0.5e1", 3, &d), 1);
    CHECK(d == 0.5);
    CHECK_EQ(sl_number_to_double("1e22999", 4, &d), 1);
    CHECK(d == 1e22);
}

/* Texts built from exact binary values: every digit counts. */
static void test_double_exact_texts(void)
{
    static char digits[2048], text[4096];

    /* 2^-1074, the smallest subnormal, exact (751 significant digits). */
    size_t n = exact_text(1, -1074, text);
    EXPECT_DOUBLE_LEN(text, n, 0x1p-1074, 1);
    /* The same as 0.000...: 1074 decimals. */
    dec_big b;
    db_set(&b, 1);
    db_mul_pow(&b, 5, 1074);
    size_t nd = db_str(&b, digits);
    n = point_text(digits, nd, 1074, text);
    CHECK(n > 1000);
    EXPECT_DOUBLE_LEN(text, n, 0x1p-1074, 1);
    text[n] = '1'; /* one more digit: no longer exact, same double */
    EXPECT_DOUBLE_LEN(text, n + 1, 0x1p-1074, 0);

    /* 2^-1075 is a tie between 0 and 2^-1074: even wins, 0. Just above it,
     * even by a digit far past the 780th, rounds up; just below, down. */
    n = exact_text(1, -1075, text);
    EXPECT_DOUBLE_LEN(text, n, 0.0, 0);
    db_set(&b, 1);
    db_mul_pow(&b, 5, 1075);
    nd = db_str(&b, digits);
    CHECK(nd > 700 && nd < 780);
    /* digits followed by 100 zeros and a 1, exponent adjusted. */
    memcpy(text, digits, nd);
    memset(text + nd, '0', 100);
    text[nd + 100] = '1';
    n = nd + 101 + (size_t)sprintf(text + nd + 101, "e-%d", 1075 + 101);
    EXPECT_DOUBLE_LEN(text, n, 0x1p-1074, 0);
    /* digits minus one unit in the last place, then 100 nines. */
    memcpy(text, digits, nd);
    {
        size_t k = nd;
        while (text[k - 1] == '0')
            text[--k] = '9';
        text[k - 1]--;
    }
    memset(text + nd, '9', 100);
    n = nd + 100 + (size_t)sprintf(text + nd + 100, "e-%d", 1075 + 100);
    EXPECT_DOUBLE_LEN(text, n, 0.0, 0);
    /* The negative tie gives -0. */
    text[0] = '-';
    n = 1 + exact_text(1, -1075, text + 1);
    EXPECT_DOUBLE_LEN(text, n, -0.0, 0);

    /* 3 * 2^-1075: a tie between 1 and 2 units, to the even 2. */
    n = exact_text(3, -1075, text);
    EXPECT_DOUBLE_LEN(text, n, 0x1p-1073, 0);
    /* 5 * 2^-1075: between 2 and 3 units, to 2. */
    n = exact_text(5, -1075, text);
    EXPECT_DOUBLE_LEN(text, n, 0x1p-1073, 0);

    /* 2^-1022 (DBL_MIN) exact; the largest subnormal exact; an odd multiple
     * of 2^-1074 exact. */
    n = exact_text(1, -1022, text);
    EXPECT_DOUBLE_LEN(text, n, DBL_MIN, 1);
    n = exact_text((UINT64_C(1) << 52) - 1, -1074, text);
    EXPECT_DOUBLE_LEN(text, n, 0x0.fffffffffffffp-1022, 1);
    n = exact_text(12345, -1074, text);
    EXPECT_DOUBLE_LEN(text, n, 12345 * 0x1p-1074, 1);
    /* The double with the most significant digits: (2^53-1) * 2^-1074 has
     * 767 of them. */
    n = exact_text((UINT64_C(1) << 53) - 1, -1074, text);
    EXPECT_DOUBLE_LEN(text, n, 0x1.fffffffffffffp-1022, 1);
    CHECK(n - strlen("e-1074") == 767);

    /* DBL_MAX = (2^53 - 1) * 2^971 written as an integer: exact. */
    n = exact_text((UINT64_C(1) << 53) - 1, 971, text);
    CHECK_EQ(n, 309);
    EXPECT_DOUBLE_LEN(text, n, DBL_MAX, 1);
    /* The midpoint to 2^1024, (2^54 - 1) * 2^970: a tie, and DBL_MAX is odd,
     * so it rounds up, to infinity. One below it rounds to DBL_MAX. */
    n = exact_text((UINT64_C(1) << 54) - 1, 970, text);
    EXPECT_DOUBLE_LEN(text, n, HUGE_VAL, 0);
    {
        size_t k = n;
        while (text[k - 1] == '0')
            text[--k] = '9';
        text[k - 1]--;
    }
    EXPECT_DOUBLE_LEN(text, n, DBL_MAX, 0);
    n = exact_text(1, 1024, text);
    EXPECT_DOUBLE_LEN(text, n, HUGE_VAL, 0);
    n = exact_text(1, 1023, text);
    EXPECT_DOUBLE_LEN(text, n, 0x1p1023, 1);

    /* 2^53 + 1 followed by 800 zeros and a 1 in the fraction: just above the
     * tie, so it rounds up (the deciding digit is past the 800th). */
    n = (size_t)sprintf(text, "9007199254740993.");
    memset(text + n, '0', 800);
    n += 800;
    text[n++] = '1';
    EXPECT_DOUBLE_LEN(text, n, 0x1.0000000000001p53, 0);
    /* Without the 1: the tie, to even. */
    EXPECT_DOUBLE_LEN(text, n - 1, 0x1p53, 0);
    /* 2^53 + 1 - tiny. */
    n = (size_t)sprintf(text, "9007199254740992.");
    memset(text + n, '9', 850);
    n += 850;
    EXPECT_DOUBLE_LEN(text, n, 0x1p53, 0);

    /* 1 followed by 800 zeros: 1e800, infinity. 0.(800 zeros)1: 0. */
    text[0] = '1';
    memset(text + 1, '0', 800);
    EXPECT_DOUBLE_LEN(text, 801, HUGE_VAL, 0);
    memcpy(text + 801, "e-800", 5);
    EXPECT_DOUBLE_LEN(text, 806, 1.0, 1);
    memcpy(text + 801, "e-799", 5);
    EXPECT_DOUBLE_LEN(text, 806, 10.0, 1);
    memcpy(text + 801, "e-801", 5);
    EXPECT_DOUBLE_LEN(text, 806, 0x1.999999999999ap-4, 0);
    memcpy(text, "0.", 2);
    memset(text + 2, '0', 800);
    text[802] = '1';
    EXPECT_DOUBLE_LEN(text, 803, 0.0, 0);
    memcpy(text + 803, "e801", 4);
    EXPECT_DOUBLE_LEN(text, 807, 1.0, 1);
    memcpy(text + 803, "e790", 4);
    EXPECT_DOUBLE_LEN(text, 807, 1e-11, 0);
    text[802] = '5';
    memcpy(text + 803, "e800", 4);
    EXPECT_DOUBLE_LEN(text, 807, 0.5, 1);

    /* 900 significant digits of pi-like noise: compare with the value a
     * shorter prefix can not change (checked against strtod below too). */
    n = 0;
    text[n++] = '3';
    text[n++] = '.';
    for (int i = 0; i < 900; i++)
        text[n++] = (char)('0' + (i * 7 + 1) % 10);
    text[n] = '\0';
    double want = strtod(text, NULL);
    EXPECT_DOUBLE_LEN(text, n, want, 0);
}

/* ---- random texts against strtod and the exactness reference -------------- */

/* Append a random JSON number to out; returns its length. */
static size_t random_number(char *out, int long_digits)
{
    size_t n = 0;
    if (test_rng_below(&rng, 2))
        out[n++] = '-';
    uint32_t int_digits = test_rng_below(&rng, 10) < 3 ? 0 : 1 + test_rng_below(&rng, long_digits ? 500 : 25);
    if (int_digits == 0) {
        out[n++] = '0';
    } else {
        out[n++] = (char)('1' + test_rng_below(&rng, 9));
        for (uint32_t i = 1; i < int_digits; i++)
            out[n++] = (char)('0' + (test_rng_below(&rng, 4) == 0 ? 0 : test_rng_below(&rng, 10)));
    }
    if (test_rng_below(&rng, 10) < 6) {
        out[n++] = '.';
        uint32_t frac = 1 + test_rng_below(&rng, long_digits ? 500 : 30);
        uint32_t zeros = test_rng_below(&rng, 4) == 0 ? test_rng_below(&rng, long_digits ? 400 : 40) : 0;
        for (uint32_t i = 0; i < zeros; i++)
            out[n++] = '0';
        for (uint32_t i = 0; i < frac; i++)
            out[n++] = (char)('0' + test_rng_below(&rng, 10));
        if (test_rng_below(&rng, 3) == 0) /* trailing zeros */
            for (uint32_t i = test_rng_below(&rng, 20); i > 0; i--)
                out[n++] = '0';
    }
    if (test_rng_below(&rng, 2)) {
        out[n++] = test_rng_below(&rng, 2) ? 'e' : 'E';
        uint32_t s = test_rng_below(&rng, 3);
        if (s == 1)
            out[n++] = '+';
        else if (s == 2)
            out[n++] = '-';
        uint32_t e = test_rng_below(&rng, 4) == 0 ? test_rng_below(&rng, 400) : test_rng_below(&rng, 40);
        if (test_rng_below(&rng, 8) == 0)
            e = test_rng_below(&rng, 1200);
        n += (size_t)sprintf(out + n, test_rng_below(&rng, 10) == 0 ? "00%u" : "%u", e);
    }
    out[n] = '\0';
    return n;
}

static void test_random_vs_strtod(void)
{
    static char text[4096];
    long value_mismatch = 0, exact_mismatch = 0, exact_count = 0, parse_trouble = 0;
    for (int iter = 0; iter < 120000; iter++) {
        int long_digits = iter % 20 == 0;
        size_t n = random_number(text, long_digits);
        char *end = NULL;
        double want = strtod(text, &end);
        if (end != text + n) {
            parse_trouble++;
            continue;
        }
        double got = 12345.0;
        int r = conv_double(text, n, &got);
        if (bits_of(got) != bits_of(want)) {
            if (value_mismatch++ < 10)
                fprintf(stderr, "random #%d \"%.80s\": got %a, strtod %a\n", iter, text, got, want);
        }
        /* The exactness reference prints 800 digits: check a sample. */
        if (iter % 4 == 0 || r == 1) {
            int exp_exact = ref_is_exact(text, n, want);
            exact_count += exp_exact;
            if (r != exp_exact) {
                if (exact_mismatch++ < 10)
                    fprintf(stderr, "random #%d \"%.80s\": exact %d, expected %d\n", iter, text, r,
                            exp_exact);
            }
        }
    }
    CHECK_EQ(parse_trouble, 0);
    CHECK_EQ(value_mismatch, 0);
    CHECK_EQ(exact_mismatch, 0);
    CHECK(exact_count > 1000);
}

/* 16 to 19 significant digits with a decimal exponent within +-19 (the
 * 17-digit texts that print doubles, 19-digit timestamps such as
 * 1.543232790473274992E9), the point anywhere and exponents written or
 * not, against strtod and the exactness reference. Then the exact ties of
 * that size: (2m + 1) * 2^(e - 1) for 53-bit m, both as integers (products)
 * and with a fraction (quotients), which must round to even. */
static void test_nineteen_digits(void)
{
    static char text[128], digits[32];
    long bad = 0, exact_count = 0;
    for (int iter = 0; iter < 200000; iter++) {
        size_t nd = 16 + test_rng_below(&rng, 4);
        digits[0] = (char)('1' + test_rng_below(&rng, 9));
        for (size_t i = 1; i < nd; i++)
            digits[i] = (char)('0' + test_rng_below(&rng, 10));
        if (iter % 3 == 0) /* trailing zeros: fewer significant digits */
            for (size_t i = nd - test_rng_below(&rng, 8); i < nd; i++)
                digits[i] = '0';
        size_t k = test_rng_below(&rng, (uint32_t)nd + 1); /* digits after the point */
        char *t = text;
        if (test_rng_below(&rng, 2))
            *t++ = '-';
        size_t n = point_text(digits, nd, k, t);
        int e = (int)test_rng_below(&rng, 41) - 20;
        if (iter % 2)
            n += (size_t)sprintf(t + n, "E%d", e);
        n += (size_t)(t - text);
        double want = strtod(text, NULL), got = 0;
        int r = conv_double(text, n, &got);
        int exp_exact = ref_is_exact(text, n, want);
        exact_count += exp_exact;
        if (bits_of(got) != bits_of(want) || r != exp_exact) {
            if (bad++ < 10)
                fprintf(stderr, "\"%s\": got %d %a, strtod %a exact %d\n", text, r, got, want,
                        exp_exact);
        }
    }
    CHECK_EQ(bad, 0);
    CHECK(exact_count > 1000);

    for (int iter = 0; iter < 20000; iter++) {
        uint64_t m = UINT64_C(1) << 52 | (test_rng_next(&rng) & ((UINT64_C(1) << 52) - 1));
        int e = (int)test_rng_below(&rng, 16) - 10; /* ties (2m+1) * 2^(e-1) */
        size_t n = exact_text(2 * m + 1, e - 1, text);
        if (e - 1 < 0) { /* "DIGITSe-K" -> "DIGI.TS" */
            char *ep = strchr(text, 'e');
            size_t nd = (size_t)(ep - text);
            memcpy(digits, text, nd);
            n = point_text(digits, nd, (size_t)(1 - e), text);
        }
        double lo = ldexp((double)m, e), up = ldexp((double)(m + 1), e);
        double tie = (m & 1) ? up : lo, got = 0;
        int r = conv_double(text, n, &got);
        if (r != 0 || bits_of(got) != bits_of(tie) || bits_of(got) != bits_of(strtod(text, NULL))) {
            if (bad++ < 10)
                fprintf(stderr, "tie \"%s\": got %d %a, expected %a\n", text, r, got, tie);
        }
    }
    CHECK_EQ(bad, 0);
    /* The largest of these: 10^19 - 1 digits times 10^19, and divided by it. */
    EXPECT_DOUBLE("9999999999999999999e19", 9999999999999999999e19, 0);
    EXPECT_DOUBLE("9999999999999999999e-19", 9999999999999999999e-19, 0);
    EXPECT_DOUBLE("1000000000000000001e-19", 0.1000000000000000001, 0);
    EXPECT_DOUBLE("1.543232790473274992E9", 1.543232790473274992E9, 0);
    EXPECT_DOUBLE("18014398509481985", 18014398509481984.0, 0); /* 2^54 + 1: ties to even, down */
    EXPECT_DOUBLE("18014398509481987", 18014398509481988.0, 0); /* 2^54 + 3: ties to even, up */
    EXPECT_DOUBLE("4503599627370496.5", 4503599627370496.0, 0); /* 2^52 + 1/2 */
    EXPECT_DOUBLE("4503599627370497.5", 4503599627370498.0, 0);
    EXPECT_DOUBLE("9007199254740993e-1", 900719925474099.3, 0);
    EXPECT_DOUBLE("19092559814453125e-19", 1001.0 / 524288.0, 1); /* 5^19 * 1001 / 10^19 = 1001 / 2^19 */
    EXPECT_DOUBLE("1152921504606846976e-19", 0.1152921504606846976, 0); /* 2^60 / 10^19 */
    /* Quotients whose kept bits end in zeros with a remainder below them:
     * inexact, though nothing shows in the bits that are rounded away. */
    EXPECT_DOUBLE("2446006485753376425e-19", 0.2446006485753376425, 0);
    EXPECT_DOUBLE("5902714541064499887e-19", 0.5902714541064499887, 0);
}

/* Random doubles: their exact text (exact), the midpoint to the next double
 * (ties to even), and the midpoint nudged up and down. */
static void test_random_doubles(void)
{
    static char text[4096], digits[2048];
    long bad = 0;
    for (int iter = 0; iter < 20000; iter++) {
        uint64_t u = test_rng_next(&rng);
        uint64_t expf = (u >> 52) & 0x7FF;
        if (iter % 4 == 0)
            expf = 0; /* subnormals */
        else if (iter % 4 == 1)
            expf = test_rng_below(&rng, 2) ? 1 + test_rng_below(&rng, 60) : 0x7FE - test_rng_below(&rng, 60);
        if (expf == 0x7FF)
            expf = 0x7FE;
        uint64_t frac = u & ((UINT64_C(1) << 52) - 1);
        if (expf == 0x7FE && frac == (UINT64_C(1) << 52) - 1)
            frac--; /* keep DBL_MAX out: its midpoint is tested above */
        double d = from_bits(expf << 52 | frac);
        uint64_t m = expf == 0 ? frac : frac | UINT64_C(1) << 52;
        int e = expf == 0 ? -1074 : (int)expf - 1075;
        if (m == 0)
            continue;
        int neg = test_rng_below(&rng, 2);
        char *t = text + neg;
        text[0] = '-';

        /* Exact text, sometimes with the point placed inside. */
        size_t n = exact_text(m, e, t);
        if (e < 0 && iter % 3 == 0) {
            char *ep = strchr(t, 'e');
            size_t nd = (size_t)(ep - t);
            memcpy(digits, t, nd);
            n = point_text(digits, nd, (size_t)-e, t);
        }
        double got = 0;
        int r = conv_double(text, n + (size_t)neg, &got);
        if (r != 1 || bits_of(got) != bits_of(neg ? -d : d)) {
            if (bad++ < 10)
                fprintf(stderr, "exact %a: got %d %a\n", d, r, got);
        }

        /* The midpoint (2m+1) * 2^(e-1). */
        n = exact_text(2 * m + 1, e - 1, t);
        double up = from_bits(bits_of(d) + 1); /* the next double up (d > 0) */
        double tie = (m & 1) ? up : d;
        r = conv_double(text, n + (size_t)neg, &got);
        double want = strtod(text, NULL);
        if (r != 0 || bits_of(got) != bits_of(neg ? -tie : tie) || bits_of(got) != bits_of(want)) {
            if (bad++ < 10)
                fprintf(stderr, "midpoint above %a: got %d %a, expected %a\n", d, r, got, tie);
        }
        /* Nudged up: digits then "0000001", exponent 7 lower. */
        char *ep = strchr(t, 'e');
        size_t nd = ep ? (size_t)(ep - t) : n;
        long ex = ep ? strtol(ep + 1, NULL, 10) : 0;
        memcpy(digits, t, nd);
        memcpy(t + nd, "0000001", 7);
        n = nd + 7 + (size_t)sprintf(t + nd + 7, "e%ld", ex - 7);
        r = conv_double(text, n + (size_t)neg, &got);
        if (r != 0 || bits_of(got) != bits_of(neg ? -up : up)) {
            if (bad++ < 10)
                fprintf(stderr, "midpoint+ above %a: got %d %a, expected %a\n", d, r, got, up);
        }
        /* Nudged down: digits minus one ulp, then "9999999". */
        memcpy(t, digits, nd);
        {
            size_t k = nd;
            while (t[k - 1] == '0')
                t[--k] = '9';
            t[k - 1]--;
        }
        memcpy(t + nd, "9999999", 7);
        n = nd + 7 + (size_t)sprintf(t + nd + 7, "e%ld", ex - 7);
        r = conv_double(text, n + (size_t)neg, &got);
        if (r != 0 || bits_of(got) != bits_of(neg ? -d : d)) {
            if (bad++ < 10)
                fprintf(stderr, "midpoint- above %a: got %d %a, expected %a\n", d, r, got, d);
        }
    }
    CHECK_EQ(bad, 0);
}

/* ---- locale independence ---------------------------------------------------- */

static void test_locale(void)
{
    static const char *const texts[] = {
        "0.1", "-1.5", "3.14159", "1e22", "1e23", "123456.789e-3", "2.2250738585072014e-308",
        "9007199254740993", "0.000000000931322574615478515625", "1.7976931348623157e308",
        "4.9e-324", "12345678901234567890.123456789", "1.0000000000000002220446049250313080847263336181640625",
    };
    enum { NT = sizeof texts / sizeof texts[0] };
    double ref[NT];
    int ref_r[NT];
    for (size_t i = 0; i < NT; i++)
        ref_r[i] = sl_number_to_double(texts[i], strlen(texts[i]), &ref[i]);

    static const char *const locales[] = {
        "de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8",
        "ru_RU.UTF-8", "nl_NL.UTF-8", "pt_BR.UTF-8", "C.UTF-8", "C",
    };
    const char *used = NULL;
    for (size_t l = 0; l < sizeof locales / sizeof locales[0]; l++) {
        if (setlocale(LC_NUMERIC, locales[l]) == NULL)
            continue;
        if (used == NULL || strcmp(localeconv()->decimal_point, ".") != 0)
            used = locales[l];
        if (strcmp(localeconv()->decimal_point, ",") == 0) {
            /* The locale really is in force: the C library now stops at '.'. */
            char *end = NULL;
            CHECK(strtod("0.5", &end) == 0.0 && end != NULL && *end == '.');
        }
        for (size_t i = 0; i < NT; i++) {
            double d = 0;
            int r = sl_number_to_double(texts[i], strlen(texts[i]), &d);
            CHECK_EQ(r, ref_r[i]);
            CHECK(bits_of(d) == bits_of(ref[i]));
            int64_t v = 0;
            CHECK_EQ(sl_number_to_int64("1.2e1", 5, &v), 1);
            CHECK_EQ(v, 12);
        }
        /* Long texts take the slow path, which is where a locale could bite. */
        static char text[2048];
        for (int k = 0; k < 200; k++) {
            size_t n = random_number(text, k % 5 == 0);
            double d = 0, in_c = 0;
            int r = sl_number_to_double(text, n, &d);
            const char *cur = setlocale(LC_NUMERIC, NULL);
            char saved[64];
            snprintf(saved, sizeof saved, "%s", cur ? cur : "C");
            setlocale(LC_NUMERIC, "C");
            int rc = sl_number_to_double(text, n, &in_c);
            double s = strtod(text, NULL);
            setlocale(LC_NUMERIC, saved);
            CHECK_EQ(r, rc);
            CHECK(bits_of(d) == bits_of(in_c));
            CHECK(bits_of(d) == bits_of(s));
        }
    }
    setlocale(LC_NUMERIC, "C");
    printf("test_number: locale check used LC_NUMERIC=%s\n", used ? used : "(none)");
    CHECK(used != NULL);
}

int main(void)
{
    test_int64();
    test_double_fixed();
    test_double_exact_texts();
    test_random_vs_strtod();
    test_random_doubles();
    test_nineteen_digits();
    test_locale();
    return check_done("test_number");
}
