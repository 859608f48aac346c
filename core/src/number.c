/* number.c - exact conversions of JSON number text to int64 and double. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* A valid JSON number as sign * digits * 10^exp10, where digits are the
 * significant digits (no leading zeros, no trailing zeros). The digits are
 * not copied: they are read from the text, skipping the '.'. */
typedef struct decimal {
    bool negative;
    const char *first; /* first significant digit, or NULL when the value is 0 */
    const char *last;  /* one past the last significant digit */
    size_t count;      /* number of significant digits */
    int64_t exp10;     /* value = digits * 10^exp10 (saturated at +-2^40) */
} decimal;

#define EXP_LIMIT (INT64_C(1) << 40)

static void decompose(const char *s, size_t len, decimal *d)
{
    const char *p = s, *end = s + len;
    d->negative = *p == '-';
    if (d->negative)
        p++;
    const char *int_begin = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    const char *int_end = p;
    const char *frac_begin = int_end, *frac_end = int_end;
    if (p < end && *p == '.') {
        frac_begin = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        frac_end = p;
    }
    int64_t e = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        while (p < end) {
            if (e < EXP_LIMIT)
                e = e * 10 + (*p - '0');
            p++;
        }
        if (eneg)
            e = -e;
    }
    /* The digit string is int_begin..int_end followed by frac_begin..frac_end;
     * the value is that integer times 10^(e - fraction length). */
    const char *first = NULL;
    for (const char *q = int_begin; q < int_end; q++)
        if (*q != '0') { first = q; break; }
    if (first == NULL)
        for (const char *q = frac_begin; q < frac_end; q++)
            if (*q != '0') { first = q; break; }
    d->first = first;
    if (first == NULL) {
        d->last = NULL;
        d->count = 0;
        d->exp10 = 0;
        return;
    }
    const char *last = NULL; /* one past the last non-zero digit */
    for (const char *q = frac_end; q > frac_begin; q--)
        if (q[-1] != '0') { last = q; break; }
    if (last == NULL)
        for (const char *q = int_end; q > int_begin; q--)
            if (q[-1] != '0') { last = q; break; }
    d->last = last;
    /* Digits counted across the '.', which sits at int_end when frac exists. */
    bool spans_point = first < int_end && last > int_end;
    d->count = (size_t)(last - first) - (spans_point ? 1 : 0);
    /* exp10: position of `last` relative to the decimal point. */
    int64_t scale;
    if (last > int_end && frac_end > int_end)
        scale = -(int64_t)(last - frac_begin);
    else
        scale = (int64_t)(int_end - last);
    d->exp10 = e + scale;
}

/* Iterate the significant digits, skipping the '.'. */
#define FOR_EACH_DIGIT(d, q) \
    for (const char *q = (d)->first; q < (d)->last; q++) \
        if (*q != '.')

int sl_number_to_int64(const char *text, size_t len, int64_t *out)
{
    decimal d;
    decompose(text, len, &d);
    if (d.count == 0) {
        *out = 0;
        return 1;
    }
    if (d.exp10 < 0 || (int64_t)d.count + d.exp10 > 19)
        return 0;
    uint64_t v = 0;
    FOR_EACH_DIGIT(&d, q) v = v * 10 + (uint64_t)(*q - '0');
    for (int64_t i = 0; i < d.exp10; i++) {
        if (v > UINT64_MAX / 10)
            return 0;
        v *= 10;
    }
    if (d.negative) {
        if (v > (uint64_t)INT64_MAX + 1)
            return 0;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return 0;
        *out = (int64_t)v;
    }
    return 1;
}

/* ---- exactness ------------------------------------------------------------ */

/* A small unsigned big integer, enough for 800 decimal digits times 5^330. */
#define BIG_LIMBS 128
typedef struct big {
    uint32_t limb[BIG_LIMBS];
    size_t n; /* limbs in use; limb[n-1] != 0 unless n == 0 */
} big;

static bool big_mul_add(big *b, uint32_t mul, uint32_t add)
{
    uint64_t carry = add;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->limb[i] * mul + carry;
        b->limb[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) {
        if (b->n == BIG_LIMBS)
            return false;
        b->limb[b->n++] = (uint32_t)carry;
    }
    return true;
}

/* Divide by d in place; returns the remainder. */
static uint32_t big_div_small(big *b, uint32_t d)
{
    uint64_t rem = 0;
    for (size_t i = b->n; i-- > 0;) {
        uint64_t cur = rem << 32 | b->limb[i];
        b->limb[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    while (b->n > 0 && b->limb[b->n - 1] == 0)
        b->n--;
    return (uint32_t)rem;
}

static size_t big_bit_length(const big *b)
{
    if (b->n == 0)
        return 0;
    uint32_t top = b->limb[b->n - 1];
    size_t bits = 0;
    while (top) {
        bits++;
        top >>= 1;
    }
    return (b->n - 1) * 32 + bits;
}

static size_t big_trailing_zero_bits(const big *b)
{
    size_t i = 0;
    while (i < b->n && b->limb[i] == 0)
        i++;
    if (i == b->n)
        return 0;
    uint32_t v = b->limb[i];
    size_t z = 0;
    while (!(v & 1u)) {
        z++;
        v >>= 1;
    }
    return i * 32 + z;
}

/* Is digits * 10^exp10 exactly a finite double? It is when, writing it as
 * M * 2^exp10 with M = digits * 5^exp10 an integer, M's significant bits fit
 * in 53 and its binary exponent range fits binary64 (subnormals included). */
static bool decimal_is_exact_double(const decimal *d)
{
    if (d->count == 0)
        return true;
    /* An exact double has at most 767 significant decimal digits and lies
     * within 10^-1074 .. 10^309. */
    if (d->count > 767 || d->exp10 > 309 || d->exp10 < -1100)
        return false;
    big m = {{0}, 0};
    FOR_EACH_DIGIT(d, q)
    {
        if (!big_mul_add(&m, 10, (uint32_t)(*q - '0')))
            return false;
    }
    if (d->exp10 >= 0) {
        for (int64_t i = 0; i < d->exp10; i++)
            if (!big_mul_add(&m, 5, 0))
                return false;
    } else {
        for (int64_t i = 0; i < -d->exp10; i++)
            if (big_div_small(&m, 5) != 0)
                return false;
    }
    int64_t tz = (int64_t)big_trailing_zero_bits(&m);
    int64_t bits = (int64_t)big_bit_length(&m);
    int64_t low = tz + d->exp10;         /* exponent of the lowest set bit */
    int64_t high = bits - 1 + d->exp10;  /* exponent of the highest set bit */
    return bits - tz <= 53 && low >= -1074 && high <= 1023;
}

/* ---- rounding ------------------------------------------------------------- */

static const double pow10_exact[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Digits kept for strtod; more never change the rounding once a sticky
 * digit stands for the rest. */
#define STRTOD_DIGITS 780

static double slow_to_double(const decimal *d)
{
    /* Overflow and underflow are decided without strtod, which also keeps
     * absurd exponents out of the text below. */
    int64_t magnitude = (int64_t)d->count + d->exp10; /* value < 10^magnitude */
    if (magnitude > 310)
        return HUGE_VAL;
    if (magnitude < -330)
        return 0.0;
    /* strtod parses "DIGITSeEXP" the same in every locale: there is no
     * decimal point for LC_NUMERIC to change. */
    char buf[STRTOD_DIGITS + 32];
    size_t n = 0;
    int64_t exp10 = d->exp10;
    FOR_EACH_DIGIT(d, q)
    {
        if (n == STRTOD_DIGITS) {
            /* The dropped tail is non-zero (trailing zeros were stripped):
             * a final 1 keeps it from looking like an exact tie. */
            buf[n++] = '1';
            exp10 += (int64_t)d->count - STRTOD_DIGITS - 1;
            break;
        }
        buf[n++] = *q;
    }
    buf[n++] = 'e';
    int64_t e = exp10;
    if (e < 0) {
        buf[n++] = '-';
        e = -e;
    }
    char digits[24];
    size_t k = 0;
    do {
        digits[k++] = (char)('0' + e % 10);
        e /= 10;
    } while (e);
    while (k)
        buf[n++] = digits[--k];
    buf[n] = '\0';
    int saved = errno;
    double v = strtod(buf, NULL);
    errno = saved;
    return v;
}

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128; /* GCC and Clang, on 64-bit targets */

static unsigned u128_bit_length(u128 x)
{
    uint64_t high = (uint64_t)(x >> 64);
    return high != 0 ? 128 - (unsigned)__builtin_clzll(high)
                     : x != 0 ? 64 - (unsigned)__builtin_clzll((uint64_t)x) : 0;
}

/* w * 10^exp10, with 0 < w < 10^19 and |exp10| <= 19: exact in 128-bit
 * integer arithmetic, then rounded once. A product w * 10^k is an integer
 * below 2^128. A quotient w / 10^k is taken of w shifted up to bit 127, so
 * it keeps at least 64 bits, and the remainder tells whether anything lies
 * beyond them. Both round to 53 bits to nearest, ties to even, and the
 * result is a normal double (10^-19 <= value < 10^38), so scaling it by a
 * power of two is exact.
 * Returns 1 when nothing was rounded away. */
static int wide_to_double(uint64_t w, int exp10, bool negative, double *out)
{
    static const uint64_t pow10_u64[20] = {
        UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
        UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000),
        UINT64_C(1000000000), UINT64_C(10000000000), UINT64_C(100000000000),
        UINT64_C(1000000000000), UINT64_C(10000000000000), UINT64_C(100000000000000),
        UINT64_C(1000000000000000), UINT64_C(10000000000000000), UINT64_C(100000000000000000),
        UINT64_C(1000000000000000000), UINT64_C(10000000000000000000)};
    uint64_t pow10 = pow10_u64[exp10 < 0 ? -exp10 : exp10];
    u128 q;
    bool rest; /* a non-zero remainder below q's last bit */
    int scale; /* value = (q + rest) * 2^scale */
    if (exp10 >= 0) {
        q = (u128)w * pow10;
        rest = false;
        scale = 0;
    } else {
        int shift = 64 + __builtin_clzll(w);
        u128 n = (u128)w << shift;
        q = n / pow10;
        rest = n % pow10 != 0;
        scale = -shift;
    }
    unsigned bits = u128_bit_length(q);
    uint64_t m;
    bool exact;
    if (bits <= 53) {
        m = (uint64_t)q;
        exact = !rest;
    } else {
        unsigned drop = bits - 53;
        u128 low = q & (((u128)1 << drop) - 1), half = (u128)1 << (drop - 1);
        m = (uint64_t)(q >> drop);
        scale += (int)drop;
        exact = low == 0 && !rest;
        if (low > half || (low == half && (rest || (m & 1u))))
            m++; /* 2^53 after a carry is still exact as a double */
    }
    /* 2^scale (-117 <= scale <= 75) is a normal double: build it from its bits. */
    uint64_t pow2_bits = (uint64_t)(scale + 1023) << 52;
    double pow2;
    memcpy(&pow2, &pow2_bits, sizeof pow2);
    double v = (double)m * pow2;
    *out = negative ? -v : v;
    return exact ? 1 : 0;
}
#endif

#if FLT_EVAL_METHOD == 0
/* Clinger's fast path: w <= 2^53 and |scale| <= 22 are both exact doubles,
 * so one multiplication or division rounds w * 10^scale correctly. */
static double clinger_value(uint64_t w, int64_t scale, bool negative)
{
    double v = (double)w;
    v = scale >= 0 ? v * pow10_exact[scale] : v / pow10_exact[-scale];
    return negative ? -v : v;
}
#endif

bool sl_decimal_to_double(uint64_t digits, int scale, bool negative, double *out)
{
#if FLT_EVAL_METHOD == 0
    if (digits >= UINT64_C(1000000000000000) || scale < -22 || scale > 22)
        return false;
    *out = clinger_value(digits, scale, negative);
    return true;
#else
    (void)digits;
    (void)scale;
    (void)negative;
    (void)out;
    return false;
#endif
}

/* clinger_value with exactness: 1 when exact, 0 when rounded, -1 (nothing
 * written) when the operands are out of its range or the build cannot
 * round so. */
static int clinger_to_double(uint64_t w, int64_t scale, bool negative, double *out)
{
#if FLT_EVAL_METHOD == 0
    if (w > (UINT64_C(1) << 53) || scale < -22 || scale > 22)
        return -1;
    *out = clinger_value(w, scale, negative);
    /* Exact when the odd part of w times 5^scale stays below 2^53
     * (scale >= 0), or when 5^-scale divides w. */
    if (scale >= 0) {
        uint64_t odd = w;
        while (!(odd & 1u))
            odd >>= 1;
        for (int64_t i = 0; i < scale; i++) {
            if (odd > (UINT64_C(1) << 53) / 5)
                return 0;
            odd *= 5; /* still at most 2^53 */
        }
        return 1;
    }
    for (int64_t i = 0; i < -scale; i++, w /= 5)
        if (w % 5 != 0)
            return 0;
    return 1;
#else
    (void)w;
    (void)scale;
    (void)negative;
    (void)out;
    return -1;
#endif
}

/* w * 10^scale, w > 0, by the first exact method that applies; -1 when none does. */
static int small_to_double(uint64_t w, int64_t scale, bool negative, double *out)
{
    int r = clinger_to_double(w, scale, negative, out);
#if defined(__SIZEOF_INT128__)
    if (r < 0 && w < UINT64_C(10000000000000000000) && scale >= -19 && scale <= 19)
        r = wide_to_double(w, (int)scale, negative, out);
#endif
    return r;
}

int sl_number_to_double(const char *text, size_t len, double *out)
{
    /* One pass over the usual forms: up to 19 digits in all (leading zeros
     * included), so that their integer w is exact, and an exponent. */
    const char *p = text, *end = text + len;
    bool negative = *p == '-';
    p += negative;
    uint64_t w = 0;
    size_t digits = 0, frac = 0; /* all digits; those after the point */
    bool point = false;
    for (; p < end; p++) {
        unsigned c = (unsigned)(unsigned char)*p - '0';
        if (c <= 9) {
            w = w * 10 + c;
            digits++;
            frac += point;
        } else if (*p == '.') {
            point = true;
        } else {
            break;
        }
    }
    if (digits <= 19) {
        int64_t e = 0;
        if (p < end) { /* 'e' or 'E', a sign maybe, then digits */
            bool eneg = *++p == '-';
            p += *p == '-' || *p == '+';
            for (; p < end; p++)
                if (e < 100000)
                    e = e * 10 + (*p - '0');
            e = eneg ? -e : e;
        }
        if (w == 0) {
            *out = negative ? -0.0 : 0.0;
            return 1;
        }
        int r = small_to_double(w, e - (int64_t)frac, negative, out);
        if (r >= 0)
            return r;
    }

    /* Longer digit strings, and those the methods above cannot take:
     * leading and trailing zeros dropped, they may fit after all. */
    decimal d;
    decompose(text, len, &d);
    if (d.count == 0) {
        *out = d.negative ? -0.0 : 0.0;
        return 1;
    }
    if (d.count <= 19) { /* the digits fit w; small_to_double checks the scale */
        uint64_t v = 0;
        FOR_EACH_DIGIT(&d, q) v = v * 10 + (uint64_t)(*q - '0');
        int r = small_to_double(v, d.exp10, d.negative, out);
        if (r >= 0)
            return r;
    }
    double v = slow_to_double(&d);
    *out = d.negative ? -v : v;
    return decimal_is_exact_double(&d) ? 1 : 0;
}
