/* fuzz_common.c - the fuzz targets' shared helpers: guard pages, references, error checks, tree walkers. */
#include "fuzz_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "testutil.h"

_Noreturn void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

/* Realloc that cannot fail quietly: a fuzzer out of memory is not a finding
 * about the library. */
static void *grow(void *p, size_t size)
{
    void *q = realloc(p, size);
    if (q == NULL) {
        fprintf(stderr, "fuzz: out of memory (%zu bytes)\n", size);
        abort();
    }
    return q;
}

/* ---- guard pages ------------------------------------------------------------------- */

typedef struct slot {
    guarded g;
    bool mapped;
    bool readonly;
} slot;

static slot slots[FUZZ_SLOTS];

/* The slot, mapped with room for len bytes and writable. */
static slot *slot_ready(unsigned index, size_t len)
{
    FUZZ_CHECK(index < FUZZ_SLOTS);
    slot *s = &slots[index];
    if (s->mapped && s->g.cap < len) {
        guarded_free(&s->g);
        s->mapped = false;
    }
    if (!s->mapped) {
        size_t cap = 1u << 16;
        while (cap < len)
            cap *= 2;
        s->g = guarded_alloc(cap);
        s->mapped = true;
        s->readonly = false;
    }
    if (s->readonly) {
        if (mprotect(s->g.map, (size_t)(s->g.end - (char *)s->g.map), PROT_READ | PROT_WRITE) != 0)
            abort();
        s->readonly = false;
    }
    return s;
}

char *fuzz_place(unsigned index, const void *data, size_t len)
{
    return guarded_place(&slot_ready(index, len)->g, data, len);
}

char *fuzz_scratch(unsigned index, size_t len)
{
    return slot_ready(index, len)->g.end - len;
}

const char *fuzz_place_readonly(unsigned index, const void *data, size_t len)
{
    char *p = fuzz_place(index, data, len);
    slot *s = &slots[index];
    if (mprotect(s->g.map, (size_t)(s->g.end - (char *)s->g.map), PROT_READ) != 0)
        abort();
    s->readonly = true;
    return p;
}

/* ---- digests ------------------------------------------------------------------------- */

static volatile uint64_t sink;

uint64_t fuzz_mix(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

uint64_t fuzz_mix_u64(uint64_t h, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return fuzz_mix(h, b, sizeof b);
}

void fuzz_consume(uint64_t h)
{
    sink ^= h;
}

void fuzz_check_view(shardline_view v)
{
    FUZZ_CHECK(v.len == 0 || v.ptr != NULL);
}

#define DIGEST_START UINT64_C(0xcbf29ce484222325)

/* Length first, so that ("ab","c") and ("a","bc") digest differently. */
static uint64_t mix_view(uint64_t h, shardline_view v)
{
    fuzz_check_view(v);
    h = fuzz_mix_u64(h, v.ptr == NULL ? UINT64_MAX : v.len);
    return fuzz_mix(h, v.ptr, v.len);
}

/* ---- references ------------------------------------------------------------------------ */

bool fuzz_ref_utf8(const uint8_t *s, size_t len, size_t *bad)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* The lead byte says how many continuation bytes follow, its own
         * payload bits, and the least code point that needs this length. */
        size_t more;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) {
            more = 1;
            cp = c & 0x1Fu;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            more = 2;
            cp = c & 0x0Fu;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            more = 3;
            cp = c & 0x07u;
            min = 0x10000;
        } else {
            goto fail; /* a continuation byte or F8..FF */
        }
        if (len - i - 1 < more)
            goto fail;
        for (size_t k = 1; k <= more; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto fail;
            cp = cp << 6 | (s[i + k] & 0x3Fu);
        }
        /* Overlong, surrogate, beyond Unicode. */
        if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            goto fail;
        i += 1 + more;
    }
    return true;
fail:
    *bad = i;
    return false;
}

size_t fuzz_ref_base64_encode(const uint8_t *src, size_t len, char *out)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        size_t n = len - i < 3 ? len - i : 3;
        uint32_t bits = 0;
        for (size_t k = 0; k < 3; k++)
            bits = bits << 8 | (k < n ? src[i + k] : 0u);
        for (size_t k = 0; k < 4; k++)
            out[o + k] = k <= n ? alphabet[(bits >> (18 - 6 * k)) & 63] : '=';
        o += 4;
    }
    return o;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A decimal number taken apart: its significant digits (first to last
 * non-zero digit) and the powers of ten of the first and last of them. */
typedef struct ref_decimal {
    bool negative;
    bool zero;
    const char *int_digits, *frac_digits;
    size_t int_len, frac_len;
    size_t first, last; /* digit indexes across int and fraction digits */
    int64_t lead;       /* power of ten of the first significant digit */
    int64_t tail;       /* power of ten of the last significant digit */
} ref_decimal;

static char ref_digit(const ref_decimal *d, size_t k)
{
    return k < d->int_len ? d->int_digits[k] : d->frac_digits[k - d->int_len];
}

/* Parse -?digits(.digits)?([eE][+-]?digits)?; with json, also refuse a
 * leading zero before more integer digits. Exponents saturate far beyond
 * any double or DynamoDB range. */
static bool ref_decimal_parse(const char *s, size_t len, bool json, ref_decimal *d)
{
    size_t p = 0;
    memset(d, 0, sizeof *d);
    if (p < len && s[p] == '-') {
        d->negative = true;
        p++;
    }
    d->int_digits = s + p;
    while (p < len && is_digit(s[p]))
        p++;
    d->int_len = (size_t)(s + p - d->int_digits);
    if (d->int_len == 0 || (json && d->int_len > 1 && d->int_digits[0] == '0'))
        return false;
    d->frac_digits = s + p;
    if (p < len && s[p] == '.') {
        p++;
        d->frac_digits = s + p;
        while (p < len && is_digit(s[p]))
            p++;
        d->frac_len = (size_t)(s + p - d->frac_digits);
        if (d->frac_len == 0)
            return false;
    }
    int64_t e = 0;
    if (p < len && (s[p] == 'e' || s[p] == 'E')) {
        p++;
        bool negative_exp = false;
        if (p < len && (s[p] == '+' || s[p] == '-'))
            negative_exp = s[p++] == '-';
        size_t start = p;
        while (p < len && is_digit(s[p])) {
            if (e < INT64_C(1000000000000000))
                e = e * 10 + (s[p] - '0');
            p++;
        }
        if (p == start)
            return false;
        if (negative_exp)
            e = -e;
    }
    if (p != len)
        return false;
    size_t n = d->int_len + d->frac_len;
    d->zero = true;
    for (size_t k = 0; k < n; k++) {
        if (ref_digit(d, k) != '0') {
            if (d->zero)
                d->first = k;
            d->zero = false;
            d->last = k;
        }
    }
    if (!d->zero) {
        d->lead = (int64_t)d->int_len - 1 - (int64_t)d->first + e;
        d->tail = (int64_t)d->int_len - 1 - (int64_t)d->last + e;
    }
    return true;
}

bool fuzz_ref_json_number(const char *s, size_t len)
{
    ref_decimal d;
    return ref_decimal_parse(s, len, true, &d);
}

bool fuzz_ref_dynamodb_number(const char *s, size_t len)
{
    ref_decimal d;
    if (!ref_decimal_parse(s, len, false, &d))
        return false;
    return d.zero || (d.last - d.first + 1 <= 38 && d.lead >= -130 && d.lead <= 125);
}

/* The value as int64 when it is an integer in range. */
static bool ref_int64(const ref_decimal *d, int64_t *out)
{
    if (d->zero) {
        *out = 0;
        return true;
    }
    /* The last significant digit below the units: a fraction. 10^19 and
     * more: beyond int64. Below that everything fits a uint64_t. */
    if (d->tail < 0 || d->lead >= 19)
        return false;
    uint64_t v = 0;
    for (size_t k = d->first; k <= d->last; k++)
        v = v * 10 + (uint64_t)(ref_digit(d, k) - '0');
    for (int64_t i = 0; i < d->tail; i++)
        v *= 10;
    if (d->negative) {
        if (v > (uint64_t)INT64_MAX + 1)
            return false;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
        return true;
    }
    if (v > (uint64_t)INT64_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

/* glibc's strtod rounds correctly: the nearest double, ties to even. */
static double ref_strtod(const char *s, size_t len)
{
    static char *buf;
    static size_t cap;
    if (cap < len + 1) {
        cap = len + 1 > 2 * cap ? len + 1 : 2 * cap;
        buf = grow(buf, cap);
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    return strtod(buf, NULL);
}

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Is the decimal exactly the (finite, non-zero) double v? glibc prints a
 * double's exact decimal expansion, which never has more than 767
 * significant digits: compare digits and exponent. */
static bool ref_exact(const ref_decimal *d, double v)
{
    if (d->last - d->first + 1 > 767)
        return false;
    /* v = m * 2^low with m odd. For low < 0 its last non-zero decimal
     * digit is at 10^low (m * 5^-low is odd, so not a multiple of 10):
     * printing lead10 - low digits after the first is exact, and far
     * cheaper than always printing 780. Two more cover log10's rounding. */
    int exp2 = 0;
    double f = frexp(fabs(v), &exp2);
    uint64_t m = (uint64_t)ldexp(f, 53);
    int low = exp2 - 53;
    while (m != 0 && (m & 1u) == 0) {
        m >>= 1;
        low++;
    }
    int precision = (int)floor(log10(fabs(v))) - (low < 0 ? low : 0) + 2;
    if (precision < 17)
        precision = 17;
    if (precision > 780)
        precision = 780;
    char buf[840];
    int n = snprintf(buf, sizeof buf, "%.*e", precision, fabs(v));
    FUZZ_CHECK(n > 0 && (size_t)n < sizeof buf);
    /* "D.DDDD...e[+-]X": the digits are buf[0], then buf[2] up to the e. */
    char *e = strchr(buf, 'e');
    FUZZ_CHECK(e != NULL);
    long exponent = strtol(e + 1, NULL, 10);
    char digits[800];
    size_t count = 0;
    digits[count++] = buf[0];
    for (const char *p = buf + 2; p < e; p++)
        digits[count++] = *p;
    while (count > 1 && digits[count - 1] == '0')
        count--;
    if ((int64_t)exponent != d->lead || d->last - d->first + 1 != count)
        return false;
    for (size_t k = 0; k < count; k++)
        if (ref_digit(d, d->first + k) != digits[k])
            return false;
    return true;
}

void fuzz_check_number(shardline_view text, int int64_ret, int64_t int64_out, int64_t int64_before,
                       int double_ret, double double_out)
{
    ref_decimal d;
    FUZZ_CHECK(text.ptr != NULL && text.len > 0);
    FUZZ_CHECK(ref_decimal_parse(text.ptr, text.len, false, &d));

    int64_t want = 0;
    bool integral = ref_int64(&d, &want);
    FUZZ_CHECK(int64_ret == (integral ? 1 : 0));
    FUZZ_CHECK(int64_out == (integral ? want : int64_before));

    double nearest = ref_strtod(text.ptr, text.len);
    FUZZ_CHECK(same_bits(double_out, nearest));
    bool exact;
    if (d.zero)
        exact = true;
    else if (isinf(nearest) || nearest == 0.0)
        exact = false;
    else if (integral)
        /* An integer in int64 range is exact when the double converts back
         * to it (the range test keeps the conversion defined). */
        exact = nearest >= -9223372036854775808.0 && nearest < 9223372036854775808.0 &&
                (int64_t)nearest == want;
    else
        exact = ref_exact(&d, nearest);
    FUZZ_CHECK(double_ret == (exact ? 1 : 0));
}

/* ---- errors ------------------------------------------------------------------------------ */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Nothing but whitespace after an optional BOM: what SHARDLINE_ERR_EMPTY means. */
static bool only_whitespace(const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (; i < len; i++)
        if (!is_ws(s[i]))
            return false;
    return true;
}

static bool starts_value(char c)
{
    return c == '{' || c == '[' || c == '"' || c == '-' || is_digit(c) || c == 't' || c == 'f' ||
           c == 'n';
}

void fuzz_poison_error(shardline_error *err)
{
    memset(err, 'Z', sizeof *err);
    err->code = (shardline_status)63;
    err->offset = SIZE_MAX;
    err->message = NULL;
}

void fuzz_check_ok(const shardline_error *err)
{
    FUZZ_CHECK(err->code == SHARDLINE_OK);
    FUZZ_CHECK(err->offset == 0);
    FUZZ_CHECK(err->message != NULL && strcmp(err->message, shardline_status_message(SHARDLINE_OK)) == 0);
    FUZZ_CHECK(err->path[0] == '\0');
}

void fuzz_check_failure(const char *input, size_t len, shardline_status st,
                        const shardline_error *err, uint64_t allowed)
{
    FUZZ_CHECK(st != SHARDLINE_OK);
    FUZZ_CHECK((unsigned)st < 64 && (allowed & FUZZ_CODE(st)) != 0);
    FUZZ_CHECK(err->code == st);
    FUZZ_CHECK(strcmp(shardline_status_name(st), "SHARDLINE_ERR_UNKNOWN") != 0);
    FUZZ_CHECK(err->message != NULL && strcmp(err->message, shardline_status_message(st)) == 0);
    FUZZ_CHECK(memchr(err->path, '\0', sizeof err->path) != NULL);
    FUZZ_CHECK(err->offset <= len);
    size_t o = err->offset;
    bool inside = o < len;
    char at = inside ? input[o] : '\0';
    size_t bad = 0;
    switch (st) {
    case SHARDLINE_ERR_TRUNCATED:
        FUZZ_CHECK(o == len);
        break;
    case SHARDLINE_ERR_EMPTY:
        FUZZ_CHECK(o == len && only_whitespace(input, len));
        break;
    case SHARDLINE_ERR_UTF8:
        /* Everything before the offset was read and accepted, so the
         * offset is the first bad sequence of the whole input. */
        FUZZ_CHECK(!fuzz_ref_utf8((const uint8_t *)input, len, &bad) && bad == o);
        break;
    case SHARDLINE_ERR_CONTROL_CHAR:
        FUZZ_CHECK(inside && (uint8_t)at < 0x20);
        break;
    case SHARDLINE_ERR_ESCAPE:
        FUZZ_CHECK(inside && at == '\\');
        break;
    case SHARDLINE_ERR_NUMBER:
        FUZZ_CHECK(inside && (at == '-' || is_digit(at)));
        break;
    case SHARDLINE_ERR_DEPTH:
        FUZZ_CHECK(inside && (at == '{' || at == '['));
        break;
    case SHARDLINE_ERR_TRAILING:
        FUZZ_CHECK(inside && !is_ws(at));
        break;
    case SHARDLINE_ERR_MISSING_FIELD:
        FUZZ_CHECK(inside && at == '{' && err->path[0] != '\0');
        break;
    case SHARDLINE_ERR_FIELD_TYPE:
        FUZZ_CHECK(inside && starts_value(at));
        break;
    case SHARDLINE_ERR_DUPLICATE_FIELD:
    case SHARDLINE_ERR_ATTR_NUMBER:
        FUZZ_CHECK(inside && at == '"');
        break;
    case SHARDLINE_ERR_ATTR_TYPE:
        FUZZ_CHECK(inside && (at == '{' || at == '"'));
        break;
    case SHARDLINE_ERR_SYNTAX:
    /* Not always a value's start: a member a record of its source never
     * has is rejected where it stands, before its value is read. */
    case SHARDLINE_ERR_FIELD_VALUE:
    case SHARDLINE_ERR_BASE64_CHAR:
    case SHARDLINE_ERR_BASE64_PADDING:
    case SHARDLINE_ERR_BASE64_TRAILING_BITS:
        FUZZ_CHECK(inside);
        break;
    default: /* NOMEM carries the position the parse had reached */
        break;
    }
    if (only_whitespace(input, len) && st != SHARDLINE_ERR_NOMEM)
        FUZZ_CHECK(st == SHARDLINE_ERR_EMPTY);
}

void fuzz_check_utf8_consistency(const char *input, size_t len, shardline_status st,
                                 const shardline_error *err)
{
    size_t bad = 0;
    if (fuzz_ref_utf8((const uint8_t *)input, len, &bad)) {
        FUZZ_CHECK(st != SHARDLINE_ERR_UTF8);
        return;
    }
    /* Strict JSON is UTF-8: the parse must stop at or before the bad byte. */
    FUZZ_CHECK(st != SHARDLINE_OK);
    FUZZ_CHECK(err->offset <= bad);
}

void fuzz_check_against_json(const char *text, size_t len, const shardline_options *options,
                             shardline_status st, const shardline_error *err)
{
    shardline_error verr;
    fuzz_poison_error(&verr);
    shardline_status vst = shardline_json_validate(text, len, options, &verr);
    if (st == SHARDLINE_OK)
        FUZZ_CHECK(vst == SHARDLINE_OK);
    if (vst != SHARDLINE_OK)
        FUZZ_CHECK(st != SHARDLINE_OK && err->offset <= verr.offset);
    if (st != SHARDLINE_OK && (FUZZ_JSON_CODES & FUZZ_CODE(st)) != 0)
        FUZZ_CHECK(vst == st && verr.offset == err->offset);
}

/* ---- text views --------------------------------------------------------------------------- */

/* A text view: unescaped JSON string content is always valid UTF-8. */
static uint64_t mix_text(uint64_t h, shardline_view v)
{
    size_t bad = 0;
    fuzz_check_view(v);
    FUZZ_CHECK(v.ptr == NULL || fuzz_ref_utf8((const uint8_t *)v.ptr, v.len, &bad));
    return mix_view(h, v);
}

static bool view_is(shardline_view v, const char *s)
{
    size_t n = strlen(s);
    return v.ptr != NULL && v.len == n && memcmp(v.ptr, s, n) == 0;
}

static bool views_equal(shardline_view a, shardline_view b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* ---- JSON documents --------------------------------------------------------------------------- */

typedef struct value_frame {
    const shardline_value *v;
    size_t next, size;
} value_frame;

static value_frame *value_stack;
static size_t value_stack_cap;

/* Sentinels the accessors must leave alone when they answer "not a number". */
#define INT64_SENTINEL INT64_C(0x5A5A5A5A5A5A5A5A)
static const double double_sentinel = 12345.678;

/* An object's keys: shardline_value_get must find the LAST member with each
 * key. Quadratic, so only for objects small enough. */
static void check_value_lookup(const shardline_value *v, size_t size)
{
    if (size > 64) {
        shardline_view key = shardline_value_key_at(v, size - 1);
        FUZZ_CHECK(shardline_value_get(v, key.ptr, key.len) == shardline_value_member_at(v, size - 1));
        return;
    }
    for (size_t i = 0; i < size; i++) {
        shardline_view key = shardline_value_key_at(v, i);
        size_t last = i;
        for (size_t j = i + 1; j < size; j++)
            if (views_equal(shardline_value_key_at(v, j), key))
                last = j;
        FUZZ_CHECK(shardline_value_get(v, key.ptr, key.len) == shardline_value_member_at(v, last));
    }
}

/* A node's part of a tree digest: its type, then its text or its size
 * (children follow in pre-order, so sizes keep the shape unambiguous). */
static uint64_t digest_value(const shardline_value *v, uint64_t h)
{
    shardline_type t = shardline_value_type(v);
    h = fuzz_mix_u64(h, (uint64_t)t);
    if (t == SHARDLINE_TYPE_STRING)
        return mix_view(h, shardline_value_string(v));
    if (t == SHARDLINE_TYPE_NUMBER)
        return mix_view(h, shardline_value_number_text(v));
    return fuzz_mix_u64(h, shardline_value_size(v));
}

/* Every accessor on one node, checked; returns the digest with the node
 * mixed in. */
static uint64_t visit_value(const shardline_value *v, uint64_t h)
{
    shardline_type t = shardline_value_type(v);
    FUZZ_CHECK(v != NULL && (unsigned)t <= SHARDLINE_TYPE_OBJECT);
    shardline_view s = shardline_value_string(v), num = shardline_value_number_text(v);
    size_t size = shardline_value_size(v);
    int64_t i64 = INT64_SENTINEL;
    double dbl = double_sentinel;
    int int_ret = shardline_value_number_int64(v, &i64);
    int dbl_ret = shardline_value_number_double(v, &dbl);
    FUZZ_CHECK(shardline_value_number_int64(v, NULL) == 0);
    FUZZ_CHECK(shardline_value_number_double(v, NULL) == -1);
    if (t != SHARDLINE_TYPE_STRING)
        FUZZ_CHECK(s.ptr == NULL && s.len == 0);
    if (t != SHARDLINE_TYPE_NUMBER) {
        FUZZ_CHECK(num.ptr == NULL && num.len == 0);
        FUZZ_CHECK(int_ret == 0 && i64 == INT64_SENTINEL);
        FUZZ_CHECK(dbl_ret == -1 && same_bits(dbl, double_sentinel));
    }
    if (t != SHARDLINE_TYPE_ARRAY && t != SHARDLINE_TYPE_OBJECT)
        FUZZ_CHECK(size == 0);
    if (t != SHARDLINE_TYPE_ARRAY)
        FUZZ_CHECK(shardline_value_at(v, 0) == NULL);
    if (t != SHARDLINE_TYPE_OBJECT) {
        shardline_view k = shardline_value_key_at(v, 0);
        FUZZ_CHECK(k.ptr == NULL && k.len == 0);
        FUZZ_CHECK(shardline_value_member_at(v, 0) == NULL);
        FUZZ_CHECK(shardline_value_get(v, "", 0) == NULL);
    }
    switch (t) {
    case SHARDLINE_TYPE_STRING: {
        size_t bad = 0;
        FUZZ_CHECK(s.ptr != NULL && fuzz_ref_utf8((const uint8_t *)s.ptr, s.len, &bad));
        break;
    }
    case SHARDLINE_TYPE_NUMBER:
        FUZZ_CHECK(num.ptr != NULL && fuzz_ref_json_number(num.ptr, num.len));
        fuzz_check_number(num, int_ret, i64, INT64_SENTINEL, dbl_ret, dbl);
        break;
    case SHARDLINE_TYPE_ARRAY:
        FUZZ_CHECK(shardline_value_at(v, size) == NULL);
        break;
    case SHARDLINE_TYPE_OBJECT: {
        FUZZ_CHECK(shardline_value_member_at(v, size) == NULL);
        shardline_view k = shardline_value_key_at(v, size);
        FUZZ_CHECK(k.ptr == NULL && k.len == 0);
        FUZZ_CHECK(shardline_value_get(v, NULL, 1) == NULL);
        /* Keys are valid UTF-8, so this one is never there. */
        FUZZ_CHECK(shardline_value_get(v, "\xFF", 1) == NULL);
        check_value_lookup(v, size);
        break;
    }
    default:
        break;
    }
    return digest_value(v, h);
}

static void push_value(size_t *top, const shardline_value *v)
{
    if (*top == value_stack_cap) {
        value_stack_cap = value_stack_cap ? 2 * value_stack_cap : 64;
        value_stack = grow(value_stack, value_stack_cap * sizeof *value_stack);
    }
    value_stack[*top].v = v;
    value_stack[*top].next = 0;
    value_stack[*top].size = shardline_value_size(v);
    (*top)++;
}

/* Pre-order over the tree; with check, every node's accessors are checked,
 * else the walk only digests (the same digest). */
static uint64_t walk_values(const shardline_value *root, bool check)
{
    uint64_t h = check ? visit_value(root, DIGEST_START) : digest_value(root, DIGEST_START);
    size_t top = 0;
    shardline_type t = shardline_value_type(root);
    if (t == SHARDLINE_TYPE_ARRAY || t == SHARDLINE_TYPE_OBJECT)
        push_value(&top, root);
    while (top > 0) {
        value_frame *f = &value_stack[top - 1];
        if (f->next == f->size) {
            top--;
            continue;
        }
        size_t i = f->next++;
        const shardline_value *child;
        if (shardline_value_type(f->v) == SHARDLINE_TYPE_OBJECT) {
            shardline_view key = shardline_value_key_at(f->v, i);
            h = check ? mix_text(h, key) : mix_view(h, key);
            child = shardline_value_member_at(f->v, i);
        } else {
            child = shardline_value_at(f->v, i);
        }
        FUZZ_CHECK(child != NULL);
        h = check ? visit_value(child, h) : digest_value(child, h);
        t = shardline_value_type(child); /* f may move when the stack grows below */
        if (t == SHARDLINE_TYPE_ARRAY || t == SHARDLINE_TYPE_OBJECT)
            push_value(&top, child);
    }
    return h;
}

uint64_t fuzz_walk_value(const shardline_value *root)
{
    return walk_values(root, true);
}

uint64_t fuzz_digest_value(const shardline_value *root)
{
    return walk_values(root, false);
}

/* ---- AttributeValue trees ----------------------------------------------------------------------- */

typedef struct attr_frame {
    const shardline_attr *a;
    size_t next, size;
} attr_frame;

static attr_frame *attr_stack;
static size_t attr_stack_cap;

static bool attr_is_container(shardline_attr_type t)
{
    return t == SHARDLINE_ATTR_M || t == SHARDLINE_ATTR_L || t == SHARDLINE_ATTR_SS ||
           t == SHARDLINE_ATTR_NS || t == SHARDLINE_ATTR_BS;
}

static void check_attr_lookup(const shardline_attr *a, size_t size)
{
    if (size > 64) {
        shardline_view key = shardline_attr_key_at(a, size - 1);
        FUZZ_CHECK(shardline_attr_get(a, key.ptr, key.len) == shardline_attr_member_at(a, size - 1));
        return;
    }
    for (size_t i = 0; i < size; i++) {
        shardline_view key = shardline_attr_key_at(a, i);
        size_t last = i;
        for (size_t j = i + 1; j < size; j++)
            if (views_equal(shardline_attr_key_at(a, j), key))
                last = j;
        FUZZ_CHECK(shardline_attr_get(a, key.ptr, key.len) == shardline_attr_member_at(a, last));
    }
}

static uint64_t visit_attr(const shardline_attr *a, uint64_t h)
{
    shardline_attr_type t = shardline_attr_get_type(a);
    FUZZ_CHECK(a != NULL && t >= SHARDLINE_ATTR_S && t <= SHARDLINE_ATTR_BS);
    h = fuzz_mix_u64(h, (uint64_t)t);
    shardline_view s = shardline_attr_string(a), num = shardline_attr_number_text(a),
                   bin = shardline_attr_binary(a);
    size_t size = shardline_attr_size(a);
    int64_t i64 = INT64_SENTINEL;
    double dbl = double_sentinel;
    int int_ret = shardline_attr_number_int64(a, &i64);
    int dbl_ret = shardline_attr_number_double(a, &dbl);
    int b = shardline_attr_bool(a);
    FUZZ_CHECK(shardline_attr_number_int64(a, NULL) == 0);
    FUZZ_CHECK(shardline_attr_number_double(a, NULL) == -1);
    if (t != SHARDLINE_ATTR_S)
        FUZZ_CHECK(s.ptr == NULL && s.len == 0);
    if (t != SHARDLINE_ATTR_N) {
        FUZZ_CHECK(num.ptr == NULL && num.len == 0);
        FUZZ_CHECK(int_ret == 0 && i64 == INT64_SENTINEL);
        FUZZ_CHECK(dbl_ret == -1 && same_bits(dbl, double_sentinel));
    }
    if (t != SHARDLINE_ATTR_B)
        FUZZ_CHECK(bin.ptr == NULL && bin.len == 0);
    if (t != SHARDLINE_ATTR_BOOL)
        FUZZ_CHECK(b == -1);
    if (!attr_is_container(t))
        FUZZ_CHECK(size == 0);
    if (t == SHARDLINE_ATTR_M || !attr_is_container(t))
        FUZZ_CHECK(shardline_attr_at(a, 0) == NULL);
    if (t != SHARDLINE_ATTR_M) {
        shardline_view k = shardline_attr_key_at(a, 0);
        FUZZ_CHECK(k.ptr == NULL && k.len == 0);
        FUZZ_CHECK(shardline_attr_member_at(a, 0) == NULL);
        FUZZ_CHECK(shardline_attr_get(a, "", 0) == NULL);
    }
    switch (t) {
    case SHARDLINE_ATTR_S:
        FUZZ_CHECK(s.ptr != NULL);
        return mix_text(h, s);
    case SHARDLINE_ATTR_N:
        FUZZ_CHECK(num.ptr != NULL && fuzz_ref_dynamodb_number(num.ptr, num.len));
        fuzz_check_number(num, int_ret, i64, INT64_SENTINEL, dbl_ret, dbl);
        return mix_view(h, num);
    case SHARDLINE_ATTR_B:
        FUZZ_CHECK(bin.ptr != NULL);
        return mix_view(h, bin);
    case SHARDLINE_ATTR_BOOL:
        FUZZ_CHECK(b == 0 || b == 1);
        return fuzz_mix_u64(h, (uint64_t)b);
    case SHARDLINE_ATTR_NULL:
        return h;
    case SHARDLINE_ATTR_M: {
        FUZZ_CHECK(shardline_attr_member_at(a, size) == NULL);
        shardline_view k = shardline_attr_key_at(a, size);
        FUZZ_CHECK(k.ptr == NULL && k.len == 0);
        FUZZ_CHECK(shardline_attr_get(a, NULL, 1) == NULL);
        FUZZ_CHECK(shardline_attr_get(a, "\xFF", 1) == NULL);
        check_attr_lookup(a, size);
        return fuzz_mix_u64(h, size);
    }
    default: /* L, SS, NS, BS */
        FUZZ_CHECK(shardline_attr_at(a, size) == NULL);
        return fuzz_mix_u64(h, size);
    }
}

static void push_attr(size_t *top, const shardline_attr *a)
{
    if (*top == attr_stack_cap) {
        attr_stack_cap = attr_stack_cap ? 2 * attr_stack_cap : 64;
        attr_stack = grow(attr_stack, attr_stack_cap * sizeof *attr_stack);
    }
    attr_stack[*top].a = a;
    attr_stack[*top].next = 0;
    attr_stack[*top].size = shardline_attr_size(a);
    (*top)++;
}

uint64_t fuzz_walk_attr(const shardline_attr *root)
{
    if (root == NULL) {
        FUZZ_CHECK(shardline_attr_get_type(root) == SHARDLINE_ATTR_NONE);
        FUZZ_CHECK(shardline_attr_size(root) == 0 && shardline_attr_bool(root) == -1);
        return DIGEST_START;
    }
    uint64_t h = visit_attr(root, DIGEST_START);
    size_t top = 0;
    if (attr_is_container(shardline_attr_get_type(root)))
        push_attr(&top, root);
    while (top > 0) {
        attr_frame *f = &attr_stack[top - 1];
        if (f->next == f->size) {
            top--;
            continue;
        }
        size_t i = f->next++;
        shardline_attr_type parent = shardline_attr_get_type(f->a);
        const shardline_attr *child;
        if (parent == SHARDLINE_ATTR_M) {
            h = mix_text(h, shardline_attr_key_at(f->a, i));
            child = shardline_attr_member_at(f->a, i);
        } else {
            child = shardline_attr_at(f->a, i);
        }
        FUZZ_CHECK(child != NULL);
        /* Set elements have the set's element type. */
        shardline_attr_type ct = shardline_attr_get_type(child);
        if (parent == SHARDLINE_ATTR_SS)
            FUZZ_CHECK(ct == SHARDLINE_ATTR_S);
        else if (parent == SHARDLINE_ATTR_NS)
            FUZZ_CHECK(ct == SHARDLINE_ATTR_N);
        else if (parent == SHARDLINE_ATTR_BS)
            FUZZ_CHECK(ct == SHARDLINE_ATTR_B);
        h = visit_attr(child, h);
        if (attr_is_container(ct))
            push_attr(&top, child);
    }
    return h;
}

/* ---- batches -------------------------------------------------------------------------------------- */

static bool all_digits(shardline_view v)
{
    if (v.ptr == NULL || v.len == 0)
        return false;
    for (size_t i = 0; i < v.len; i++)
        if (!is_digit(v.ptr[i]))
            return false;
    return true;
}

/* A number field kept as text and as the nearest double. */
static uint64_t mix_number_field(uint64_t h, shardline_view text, double value)
{
    FUZZ_CHECK(text.ptr != NULL && fuzz_ref_json_number(text.ptr, text.len));
    FUZZ_CHECK(same_bits(value, ref_strtod(text.ptr, text.len)));
    return mix_view(h, text);
}

static uint64_t mix_required_text(uint64_t h, shardline_view v)
{
    FUZZ_CHECK(v.ptr != NULL);
    return mix_text(h, v);
}

static uint64_t walk_kinesis_record(uint64_t h, const shardline_record *r)
{
    const shardline_kinesis *k = &r->kinesis;
    FUZZ_CHECK(view_is(r->event_source, "aws:kinesis"));
    FUZZ_CHECK(r->dynamodb == NULL);
    h = mix_required_text(h, r->event_version);
    h = mix_required_text(h, r->event_id);
    h = mix_required_text(h, r->event_name);
    h = mix_required_text(h, r->invoke_identity_arn);
    h = mix_required_text(h, r->aws_region);
    h = mix_required_text(h, r->event_source_arn);
    h = mix_required_text(h, k->kinesis_schema_version);
    h = mix_required_text(h, k->partition_key);
    FUZZ_CHECK(all_digits(k->sequence_number));
    h = mix_view(h, k->sequence_number);
    FUZZ_CHECK(k->data.ptr != NULL);
    h = mix_view(h, k->data); /* binary: any bytes */
    h = mix_number_field(h, k->approximate_arrival_timestamp_text, k->approximate_arrival_timestamp);
    return mix_text(h, k->encryption_type);
}

static uint64_t walk_dynamodb_record(uint64_t h, const shardline_record *r, bool change)
{
    const shardline_dynamodb *d = r->dynamodb;
    FUZZ_CHECK(view_is(r->event_source, "aws:dynamodb"));
    FUZZ_CHECK(d != NULL);
    FUZZ_CHECK(view_is(r->event_name, "INSERT") || view_is(r->event_name, "MODIFY") ||
               view_is(r->event_name, "REMOVE"));
    /* The Kinesis part of a DynamoDB record is never filled in. */
    FUZZ_CHECK(r->kinesis.data.ptr == NULL && r->kinesis.partition_key.ptr == NULL &&
               r->kinesis.sequence_number.ptr == NULL);
    h = mix_required_text(h, r->event_id);
    h = mix_required_text(h, r->aws_region);
    h = mix_text(h, r->event_version);
    h = mix_text(h, r->invoke_identity_arn);
    h = mix_text(h, r->event_source_arn);
    if (change) {
        FUZZ_CHECK(d->table_name.ptr != NULL && d->record_format.ptr != NULL);
    } else {
        FUZZ_CHECK(r->event_version.ptr != NULL && r->event_source_arn.ptr != NULL);
        FUZZ_CHECK(d->sequence_number.ptr != NULL && d->size_bytes_text.ptr != NULL &&
                   d->stream_view_type.ptr != NULL);
    }
    h = mix_text(h, d->table_name);
    h = mix_text(h, d->record_format);
    if (d->sequence_number.ptr != NULL)
        FUZZ_CHECK(all_digits(d->sequence_number));
    h = mix_view(h, d->sequence_number);
    if (d->stream_view_type.ptr != NULL)
        FUZZ_CHECK(view_is(d->stream_view_type, "KEYS_ONLY") || view_is(d->stream_view_type, "NEW_IMAGE") ||
                   view_is(d->stream_view_type, "OLD_IMAGE") ||
                   view_is(d->stream_view_type, "NEW_AND_OLD_IMAGES"));
    h = mix_view(h, d->stream_view_type);
    if (d->size_bytes_text.ptr != NULL) {
        ref_decimal dec;
        int64_t want = -1;
        FUZZ_CHECK(ref_decimal_parse(d->size_bytes_text.ptr, d->size_bytes_text.len, true, &dec));
        FUZZ_CHECK(ref_int64(&dec, &want) && want >= 0 && d->size_bytes == want);
        h = mix_view(h, d->size_bytes_text);
    } else {
        FUZZ_CHECK(d->size_bytes == -1 && d->size_bytes_text.len == 0);
    }
    if (d->approximate_creation_date_time_text.ptr != NULL)
        h = mix_number_field(h, d->approximate_creation_date_time_text, d->approximate_creation_date_time);
    else
        FUZZ_CHECK(isnan(d->approximate_creation_date_time));
    /* userIdentity is null / absent (both views absent) or has both members. */
    FUZZ_CHECK((d->user_identity_type.ptr == NULL) == (d->user_identity_principal_id.ptr == NULL));
    h = mix_text(h, d->user_identity_type);
    h = mix_text(h, d->user_identity_principal_id);
    const shardline_attr *images[3] = {d->keys, d->new_image, d->old_image};
    for (int i = 0; i < 3; i++) {
        if (images[i] != NULL)
            FUZZ_CHECK(shardline_attr_get_type(images[i]) == SHARDLINE_ATTR_M);
        h = fuzz_mix_u64(h, fuzz_walk_attr(images[i]));
    }
    return h;
}

uint64_t fuzz_walk_batch(const shardline_batch *batch, const char *input, size_t len, bool change)
{
    FUZZ_CHECK(batch != NULL);
    size_t n = shardline_batch_size(batch);
    uint64_t h = fuzz_mix_u64(DIGEST_START, n);
    FUZZ_CHECK(shardline_batch_memory(batch) > 0);
    FUZZ_CHECK(shardline_batch_record(batch, n) == NULL);
    if (change)
        FUZZ_CHECK(n == 1);
    for (size_t i = 0; i < n; i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        FUZZ_CHECK(r != NULL && r->index == i);
        if (input != NULL)
            FUZZ_CHECK(r->offset < len && input[r->offset] == '{');
        h = fuzz_mix_u64(h, r->offset);
        if (r->source == SHARDLINE_SOURCE_KINESIS) {
            FUZZ_CHECK(!change);
            h = walk_kinesis_record(h, r);
        } else {
            FUZZ_CHECK(r->source == SHARDLINE_SOURCE_DYNAMODB);
            h = walk_dynamodb_record(h, r, change);
        }
    }
    return h;
}

/* ---- wrapping an image in an event ---------------------------------------------------------------- */

static const char wrap_prefix[] =
    "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"INSERT\",\"eventVersion\":\"1.1\","
    "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\","
    "\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/1\","
    "\"dynamodb\":{\"SequenceNumber\":\"1\",\"SizeBytes\":1,\"StreamViewType\":\"NEW_IMAGE\","
    "\"NewImage\":";
static const char wrap_suffix[] = "}}]}";

fuzz_wrapped fuzz_wrap_image(const uint8_t *image, size_t len)
{
    static char *buf;
    static size_t cap;
    size_t skip = len >= 3 && memcmp(image, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t pre = sizeof wrap_prefix - 1, post = sizeof wrap_suffix - 1;
    size_t need = pre + (len - skip) + post;
    if (cap < need) {
        cap = need > 2 * cap ? need : 2 * cap;
        buf = grow(buf, cap);
    }
    memcpy(buf, wrap_prefix, pre);
    if (len > skip)
        memcpy(buf + pre, image + skip, len - skip);
    memcpy(buf + pre + (len - skip), wrap_suffix, post);
    fuzz_wrapped w = {buf, need, pre, skip};
    return w;
}

bool fuzz_wrapped_paths_match(const char *event_path, const char *image_path, bool *comparable)
{
    /* A path too long or too deep for shardline_error is cut, with "..." at
     * its start or end: the event's longer path then says less. */
    size_t n = strlen(event_path);
    *comparable = !(n >= 3 && (memcmp(event_path, "...", 3) == 0 || memcmp(event_path + n - 3, "...", 3) == 0));
    if (!*comparable)
        return false;
    size_t pre = sizeof FUZZ_WRAP_PATH - 1;
    if (n < pre || memcmp(event_path, FUZZ_WRAP_PATH, pre) != 0)
        return false;
    const char *rest = event_path + pre;
    if (image_path[0] == '\0')
        /* No path, or only an empty attribute name (which prints as nothing
         * at the start of a path and as a lone "." after one). */
        return rest[0] == '\0' || strcmp(rest, ".") == 0;
    return rest[0] == '.' && strcmp(rest + 1, image_path) == 0;
}
