/* shardline_py.c - native fast paths of the Python binding: events, payloads, images and JSON to Python objects in one crossing. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shardline.h"
#include "shardline_py.h"

/* Below this many input bytes the GIL stays held: releasing it costs more
 * than the parse. */
#define NOGIL_MIN_INPUT 16384

/* Presized dicts save rehashing; the call is internal API, so newer
 * Pythons get plain dicts. */
#if PY_VERSION_HEX < 0x030D0000
#define new_dict(n) _PyDict_NewPresized(n)
#else
#define new_dict(n) ((void)(n), PyDict_New())
#endif

/* Number forms for DynamoDB N values. */
enum { NUM_DECIMAL = 0, NUM_INT_FLOAT = 1, NUM_STR = 2 };

/* Classes the pure-Python layer registers with _register(). */
static PyObject *parse_error_cls;   /* shardline.ParseError */
static PyObject *decimal_cls;       /* decimal.Decimal */
static PyObject *decimal_from_int;  /* decimal.Decimal.from_float, given ints only */
static PyTypeObject *kinesis_cls;   /* shardline.KinesisRecord */
static PyTypeObject *dynamodb_cls;  /* shardline.DynamoDBRecord */

/* Member names of events, interned once. */
static PyObject *s_records, *s_event_source, *s_event_version, *s_event_id, *s_event_name,
    *s_invoke_identity_arn, *s_aws_region, *s_event_source_arn, *s_kinesis, *s_dynamodb,
    *s_kinesis_schema_version, *s_partition_key, *s_sequence_number, *s_data, *s_arrival,
    *s_encryption_type, *s_creation_time, *s_keys, *s_new_image, *s_old_image, *s_sequence_number_d,
    *s_size_bytes, *s_stream_view_type, *s_user_identity, *s_table_name, *s_record_format,
    *s_type, *s_principal_id, *s_aws_kinesis, *s_aws_dynamodb, *s_value, *s_cache;

/* ---- errors ------------------------------------------------------------------------ */

/* Raise ParseError(message, code, offset, path); offset is NULL for inputs
 * that have no byte offsets (dicts). Always returns NULL. */
static PyObject *raise_parse_error(shardline_status code, const size_t *offset, const char *message,
                                   const char *path)
{
    if (parse_error_cls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "shardline._core is not initialised");
        return NULL;
    }
    char text[SHARDLINE_ERROR_PATH_MAX + 256];
    int n = offset ? snprintf(text, sizeof text, "offset %zu: %s (%s)", *offset, message,
                              shardline_status_name(code))
                   : snprintf(text, sizeof text, "%s (%s)", message, shardline_status_name(code));
    if (path != NULL && path[0] != '\0' && n > 0 && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n, " at %s", path);
    /* A path cut to fit may end inside a UTF-8 sequence: decode leniently. */
    const char *p = path ? path : "";
    PyObject *off = offset ? PyLong_FromSize_t(*offset) : Py_NewRef(Py_None);
    PyObject *msg = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
    PyObject *where = PyUnicode_DecodeUTF8(p, (Py_ssize_t)strlen(p), "replace");
    if (off != NULL && msg != NULL && where != NULL) {
        PyObject *exc = PyObject_CallFunction(parse_error_cls, "OiOO", msg, (int)code, off, where);
        if (exc != NULL) {
            PyErr_SetObject(parse_error_cls, exc);
            Py_DECREF(exc);
        }
    }
    Py_XDECREF(off);
    Py_XDECREF(msg);
    Py_XDECREF(where);
    return NULL;
}

static PyObject *raise_shardline_error(const shardline_error *e)
{
    if (e->code == SHARDLINE_ERR_NOMEM)
        return PyErr_NoMemory();
    return raise_parse_error(e->code, &e->offset, e->message, e->path);
}

/* ---- inputs ------------------------------------------------------------------------ */

/* Raw JSON text handed in as bytes, bytearray, memoryview (any C-contiguous
 * buffer) or str (its UTF-8 form). */
typedef struct input {
    const char *ptr;
    size_t len;
    Py_buffer view;
    bool has_view;
    bool immutable; /* nobody can change the bytes while the GIL is released */
} input;

/* 1 when obj is raw text and *in is filled, 0 when obj is not raw text
 * (no exception set), -1 on error. */
static int input_get(PyObject *obj, input *in)
{
    memset(in, 0, sizeof *in);
    if (PyBytes_Check(obj)) {
        in->ptr = PyBytes_AS_STRING(obj);
        in->len = (size_t)PyBytes_GET_SIZE(obj);
        in->immutable = true;
        return 1;
    }
    if (PyUnicode_Check(obj)) {
        Py_ssize_t len;
        const char *p = PyUnicode_AsUTF8AndSize(obj, &len);
        if (p == NULL) {
            /* Lone surrogates have no UTF-8 form: the text is not valid JSON. */
            PyErr_Clear();
            raise_parse_error(SHARDLINE_ERR_UTF8, NULL, shardline_status_message(SHARDLINE_ERR_UTF8), "");
            return -1;
        }
        in->ptr = p;
        in->len = (size_t)len;
        in->immutable = true;
        return 1;
    }
    if (PyObject_CheckBuffer(obj)) {
        if (PyObject_GetBuffer(obj, &in->view, PyBUF_C_CONTIGUOUS) < 0)
            return -1;
        in->has_view = true;
        in->ptr = in->view.buf;
        in->len = (size_t)in->view.len;
        in->immutable = in->view.readonly != 0;
        return 1;
    }
    return 0;
}

static void input_release(input *in)
{
    if (in->has_view)
        PyBuffer_Release(&in->view);
    in->has_view = false;
}

/* ---- Python objects from bytes ----------------------------------------------------- */

/* Validated UTF-8 text (the core checked it) as a str. */
static bool is_ascii(const char *p, size_t len)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < len; i++)
        acc |= (uint8_t)p[i];
    return (acc & 0x8080808080808080ull) == 0;
}

/* Valid UTF-8 (checked by the core) to a str without CPython's generic
 * decoder: one pass counts characters and finds the widest, a second writes
 * them at the width the str needs. */
static PyObject *utf8_str(const char *p, size_t len)
{
    const uint8_t *s = (const uint8_t *)p, *end = s + len;
    size_t count = 0;
    uint8_t top = 0;
    for (const uint8_t *q = s; q < end; q++) {
        count += (*q & 0xC0) != 0x80;
        if (*q > top)
            top = *q;
    }
    Py_UCS4 maxchar = top < 0x80 ? 0x7F : top < 0xC4 ? 0xFF : top < 0xF0 ? 0xFFFF : 0x10FFFF;
    PyObject *str = PyUnicode_New((Py_ssize_t)count, maxchar);
    if (str == NULL)
        return NULL;
    unsigned kind = PyUnicode_KIND(str);
    void *data = PyUnicode_DATA(str);
    if (maxchar == 0x7F) {
        memcpy(data, p, len);
        return str;
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        Py_UCS1 *out = data;
        while (s < end) {
            if (*s < 0x80) {
                *out++ = *s++;
            } else {
                *out++ = (Py_UCS1)(((s[0] & 0x1F) << 6) | (s[1] & 0x3F));
                s += 2;
            }
        }
        return str;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        Py_UCS2 *out = data;
        while (s < end) {
            Py_UCS2 c = *s;
            if (c < 0x80) {
                s++;
            } else if (c < 0xE0) {
                c = (Py_UCS2)(((c & 0x1F) << 6) | (s[1] & 0x3F));
                s += 2;
            } else {
                c = (Py_UCS2)(((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F));
                s += 3;
            }
            *out++ = c;
        }
        return str;
    }
    Py_UCS4 *out = data;
    while (s < end) {
        Py_UCS4 c = *s;
        if (c < 0x80) {
            s++;
        } else if (c < 0xE0) {
            c = ((c & 0x1F) << 6) | (s[1] & 0x3F);
            s += 2;
        } else if (c < 0xF0) {
            c = ((c & 0x0F) << 12) | ((Py_UCS4)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            s += 3;
        } else {
            c = ((c & 0x07) << 18) | ((Py_UCS4)(s[1] & 0x3F) << 12) | ((Py_UCS4)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
            s += 4;
        }
        *out++ = c;
    }
    return str;
}

static PyObject *text_str(const char *p, size_t len)
{
    if (is_ascii(p, len)) {
        /* ASCII needs no decoding: one allocation and a copy. */
        PyObject *s = PyUnicode_New((Py_ssize_t)len, 127);
        if (s != NULL)
            memcpy(PyUnicode_DATA(s), p, len);
        return s;
    }
    return utf8_str(p, len);
}

static PyObject *view_str(shardline_view v)
{
    if (v.ptr == NULL)
        return Py_NewRef(Py_None);
    return text_str(v.ptr, v.len);
}

/* Caches of short immutable objects made from bytes: object keys and
 * short strings repeat across payloads, images and calls, and so do many
 * DynamoDB numbers. They are module state, not C globals: a capsule in the
 * module's dict owns them (module_cache finds it through the function's
 * module), so each module object, and each subinterpreter, has its own;
 * the GIL guards them. Direct-mapped: a collision only costs a miss. The
 * tables never move, so a slot stays valid across a call into Python. */
#define CACHE_BITS 11
#define CACHE_SLOTS (1u << CACHE_BITS)
#define CACHE_MAX_LEN 40
#define CACHE_CAPSULE "shardline._core._cache"

/* Decimals keep their text: a Decimal has no bytes to compare with. */
typedef struct decimal_slot {
    PyObject *obj;
    uint32_t len;
    char bytes[CACHE_MAX_LEN];
} decimal_slot;

/* Predicted object keys, by the key before them. */
#define NEXT_KEY_SLOTS 512

typedef struct obj_cache {
    /* ASCII strs only: their own data is the text to compare with, so a
     * slot is one pointer. */
    PyObject *keys[CACHE_SLOTS];
    decimal_slot decimals[CACHE_SLOTS];
    /* The key that last followed a key (or opened an object at a depth):
     * payloads of a stream mostly repeat a few shapes, so the builder first
     * checks whether the text holds that key again. Only ASCII keys written
     * without escapes are kept, so their data is exactly the text between
     * the quotes. A slot is chosen by the previous key's address, which only
     * picks the guess: the text decides. */
    PyObject *next_key[NEXT_KEY_SLOTS];
} obj_cache;

static void obj_cache_free(PyObject *capsule)
{
    obj_cache *c = PyCapsule_GetPointer(capsule, CACHE_CAPSULE);
    if (c == NULL)
        return;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        Py_XDECREF(c->keys[i]);
        Py_XDECREF(c->decimals[i].obj);
    }
    for (size_t i = 0; i < NEXT_KEY_SLOTS; i++)
        Py_XDECREF(c->next_key[i]);
    PyMem_Free(c);
}

/* The cache of the module a native function belongs to. */
static obj_cache *module_cache(PyObject *module)
{
    PyObject *capsule = PyDict_GetItemWithError(PyModule_GetDict(module), s_cache);
    if (capsule == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_RuntimeError, "shardline._core: the module has lost its _cache");
        return NULL;
    }
    return PyCapsule_GetPointer(capsule, CACHE_CAPSULE);
}

/* Up to eight bytes at p as one word, without reading past p + len. */
static uint64_t load_upto8(const char *p, size_t len)
{
    uint64_t w = 0;
    if (len >= 8) {
        memcpy(&w, p, 8);
    } else if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + len - 4, 4);
        w = lo | (uint64_t)hi << 32;
    } else if (len > 0) {
        w = (uint8_t)p[0] | (uint64_t)(uint8_t)p[len / 2] << 8 | (uint64_t)(uint8_t)p[len - 1] << 16;
    }
    return w;
}

/* A cheap hash of at most CACHE_MAX_LEN bytes: the first and last eight
 * bytes and the length (a collision only costs a miss). */
static uint32_t hash_bytes(const char *p, size_t len)
{
    uint64_t a = load_upto8(p, len), b = 0;
    if (len > 8)
        memcpy(&b, p + len - 8, 8);
    uint64_t x = a ^ ((b * 0xC2B2AE3D27D4EB4Full) >> 7) ^ ((b * 0xC2B2AE3D27D4EB4Full) << 57) ^ len;
    /* The top bits of a product depend on every bit of x. */
    return (uint32_t)((x * 0x9E3779B97F4A7C15ull) >> 32);
}

/* len bytes at a and b equal; inline for the short keys of JSON, where a
 * call to memcmp costs more than the comparison. */
static bool same_bytes(const char *a, const char *b, size_t len)
{
    if (len > 16)
        return memcmp(a, b, len) == 0;
    if (len >= 8) {
        uint64_t a0, a1, b0, b1;
        memcpy(&a0, a, 8);
        memcpy(&a1, a + len - 8, 8);
        memcpy(&b0, b, 8);
        memcpy(&b1, b + len - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    return load_upto8(a, len) == load_upto8(b, len);
}

/* A short str, shared through the cache when ASCII. */
static PyObject *key_str(obj_cache *c, const char *p, size_t len)
{
    if (len > CACHE_MAX_LEN)
        return text_str(p, len);
    PyObject **slot = &c->keys[hash_bytes(p, len) >> (32 - CACHE_BITS)];
    PyObject *hit = *slot;
    if (hit != NULL && (size_t)PyUnicode_GET_LENGTH(hit) == len && same_bytes(PyUnicode_DATA(hit), p, len))
        return Py_NewRef(hit);
    PyObject *obj = text_str(p, len);
    if (obj != NULL && PyUnicode_IS_ASCII(obj))
        Py_XSETREF(*slot, Py_NewRef(obj));
    return obj;
}

static bool has_fraction_or_exponent(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] == '.' || p[i] == 'e' || p[i] == 'E')
            return true;
    return false;
}

/* The text -?digits with at most 18 digits, other than a negative zero
 * (a Decimal keeps its sign), as the long long it is exactly. */
static bool small_integer(const char *p, size_t len, long long *out)
{
    size_t i = len > 0 && p[0] == '-';
    if (len == i || len - i > 18)
        return false;
    long long v = 0;
    for (size_t k = i; k < len; k++) {
        unsigned d = (unsigned)(unsigned char)p[k] - '0';
        if (d > 9)
            return false;
        v = v * 10 + (long long)d;
    }
    if (i && v == 0)
        return false;
    *out = i ? -v : v;
    return true;
}

/* p[0..len) as a C string for CPython's parsers: in small (64 bytes) when
 * it fits, else in PyMem (the caller frees it when it is not small); NULL
 * with MemoryError set. */
static char *c_text(const char *p, size_t len, char small[64])
{
    char *buf = len < 64 ? small : PyMem_Malloc(len + 1);
    if (buf == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(buf, p, len);
    buf[len] = '\0';
    return buf;
}

/* An integer literal (-?digits, leading zeros allowed) as an int. */
static PyObject *integer_from_text(const char *p, size_t len)
{
    long long v;
    if (small_integer(p, len, &v))
        return PyLong_FromLongLong(v);
    char small[64];
    char *buf = c_text(p, len, small);
    if (buf == NULL)
        return NULL;
    PyObject *r = PyLong_FromString(buf, NULL, 10);
    if (buf != small)
        PyMem_Free(buf);
    return r;
}

/* The Decimal of a DynamoDB number's text p[0..len); str, when not NULL,
 * is that text as a str. Decimal(str) parses the text behind a generic
 * call with keyword parsing; an integer goes through
 * Decimal.from_float(int), a one-argument call whose conversion is exact
 * whatever the context (no rounding, no signals), and gives the same
 * Decimal: the same digits, exponent 0, and the sign (a negative zero,
 * which no int has, keeps the text path). */
static PyObject *decimal_from_text(const char *p, size_t len, PyObject *str)
{
    long long v;
    if (small_integer(p, len, &v)) {
        PyObject *i = PyLong_FromLongLong(v);
        if (i == NULL)
            return NULL;
        PyObject *d = PyObject_CallOneArg(decimal_from_int, i);
        Py_DECREF(i);
        return d;
    }
    PyObject *s = str != NULL ? Py_NewRef(str) : text_str(p, len);
    if (s == NULL)
        return NULL;
    PyObject *d = PyObject_CallOneArg(decimal_cls, s);
    Py_DECREF(s);
    return d;
}

/* A DynamoDB number (already checked against DynamoDB's grammar) in the
 * requested form; dbl is its nearest double when the caller has it, str
 * its text as a str when the caller has that. */
static PyObject *dynamodb_number(const char *p, size_t len, int numbers, const double *dbl, PyObject *str,
                                 obj_cache *cache)
{
    if (numbers == NUM_STR)
        return str != NULL ? Py_NewRef(str) : text_str(p, len);
    if (numbers == NUM_INT_FLOAT) {
        if (!has_fraction_or_exponent(p, len))
            return integer_from_text(p, len);
        if (dbl != NULL)
            return PyFloat_FromDouble(*dbl);
        PyObject *s = str != NULL ? Py_NewRef(str) : text_str(p, len);
        if (s == NULL)
            return NULL;
        PyObject *f = PyFloat_FromString(s);
        Py_DECREF(s);
        return f;
    }
    decimal_slot *slot = NULL;
    if (len <= CACHE_MAX_LEN) {
        slot = &cache->decimals[hash_bytes(p, len) >> (32 - CACHE_BITS)];
        if (slot->obj != NULL && slot->len == len && same_bytes(slot->bytes, p, len))
            return Py_NewRef(slot->obj);
    }
    PyObject *d = decimal_from_text(p, len, str);
    if (d != NULL && slot != NULL) {
        Py_XSETREF(slot->obj, Py_NewRef(d));
        slot->len = (uint32_t)len;
        memcpy(slot->bytes, p, len);
    }
    return d;
}

/* ---- JSON text to Python in one pass ----------------------------------------------- */

/* The builder walks the text once, making Python objects directly, and
 * checks it on the way exactly as strictly as shardline_json_validate
 * (RFC 8259, UTF-8, the default depth). It only notes *that* the text is
 * bad (bad = true, no exception); json_bytes_to_py then asks the validator
 * what and where, so the error is the core's own. */
#define TB_LOCAL_ITEMS 256

typedef struct text_builder {
    const char *p, *end;
    char *buf; /* unescaped strings, PyMem */
    size_t cap;
    /* Members of the open containers (values, or key and value pairs),
     * collected until the container closes so that each list and dict is
     * made once at its final size. local first, then PyMem. */
    PyObject **items;
    size_t top, items_cap;
    uint32_t depth; /* open containers */
    bool bad;       /* the text is not valid JSON; no exception is set */
    bool plain;     /* the last string read was ASCII and had no escapes */
    obj_cache *cache;
    PyObject *local[TB_LOCAL_ITEMS];
} text_builder;

static PyObject *tb_bad(text_builder *b)
{
    b->bad = true;
    return NULL;
}

/* Skip whitespace; true when text is left. */
static inline bool tb_ws(text_builder *b)
{
    const char *p = b->p, *end = b->end;
    if (p < end && (uint8_t)*p > ' ')
        return true;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    b->p = p;
    return p < end;
}

/* Push obj (a new reference, taken over even on failure). */
static bool tb_push(text_builder *b, PyObject *obj)
{
    if (b->top == b->items_cap) {
        size_t ncap = b->items_cap * 2;
        PyObject **n = b->items == b->local ? PyMem_Malloc(ncap * sizeof *n)
                                            : PyMem_Realloc(b->items, ncap * sizeof *n);
        if (n == NULL) {
            Py_DECREF(obj);
            PyErr_NoMemory();
            return false;
        }
        if (b->items == b->local)
            memcpy(n, b->local, b->top * sizeof *n);
        b->items = n;
        b->items_cap = ncap;
    }
    b->items[b->top++] = obj;
    return true;
}

/* Release the items pushed since base. */
static void tb_drop(text_builder *b, size_t base)
{
    while (b->top > base)
        Py_DECREF(b->items[--b->top]);
}

/* Four hex digits at p (before end) as a code unit, or -1. */
static int32_t hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int h = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

#define HIGH_BITS 0x8080808080808080ull
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_WORDS 1
#else
#define LITTLE_ENDIAN_WORDS 0
#endif
#define ONES 0x0101010101010101ull

/* Non-ASCII bytes were seen in [p, p + len): they must be valid UTF-8. */
static bool tb_utf8_ok(uint64_t high, const char *p, size_t len)
{
    shardline_error err;
    return (high & HIGH_BITS) == 0 || shardline_utf8_validate(p, len, &err) == SHARDLINE_OK;
}

/* Short values (enums, ids, flags) repeat from payload to payload like
 * keys do: they share the key cache. */
#define VALUE_CACHE_MAX_LEN 16

/* The string whose opening quote is at b->p. */
static PyObject *tb_string(text_builder *b, bool key)
{
    const char *start = ++b->p, *q = start, *end = b->end;
    uint64_t high = 0;
    b->plain = false;
    /* Eight bytes at a time up to the first quote, backslash or control
     * byte. Each test flags such a byte exactly when no earlier byte of the
     * word is flagged, so the lowest flag (little-endian) is the first. */
    for (;;) {
        if ((size_t)(end - q) < 8 || !LITTLE_ENDIAN_WORDS) {
            while (q < end && *q != '"' && *q != '\\' && (uint8_t)*q >= 0x20)
                high |= (uint8_t)*q++;
            if (q == end)
                return tb_bad(b);
            break;
        }
        uint64_t w;
        memcpy(&w, q, 8);
        uint64_t quote = w ^ (ONES * '"'), slash = w ^ (ONES * '\\');
        uint64_t found = (((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | ((w - ONES * 0x20) & ~w)) & HIGH_BITS;
        if (found == 0) {
            high |= w;
            q += 8;
            continue;
        }
        unsigned bits = (unsigned)__builtin_ctzll(found) & ~7u; /* 8 * the byte's index */
        high |= w & ((1ull << bits) - 1);
        q += bits / 8;
        break;
    }
    if ((uint8_t)*q < 0x20)
        return tb_bad(b);
    if (*q == '"') {
        size_t len = (size_t)(q - start);
        if (!tb_utf8_ok(high, start, len))
            return tb_bad(b);
        b->p = q + 1;
        b->plain = (high & HIGH_BITS) == 0;
        if (key || len <= VALUE_CACHE_MAX_LEN)
            return key_str(b->cache, start, len);
        if ((high & HIGH_BITS) == 0) {
            PyObject *str = PyUnicode_New((Py_ssize_t)len, 127);
            if (str != NULL)
                memcpy(PyUnicode_DATA(str), start, len);
            return str;
        }
        return utf8_str(start, len);
    }
    /* Escapes: find the end, then unescape into the scratch buffer (never
     * longer than the text), checking each escape. */
    const char *close = q;
    while (*close != '"') {
        size_t step = *close == '\\' ? 2 : 1;
        if ((size_t)(end - close) <= step)
            return tb_bad(b);
        close += step;
    }
    size_t need = (size_t)(close - start);
    if (need > b->cap) {
        char *nb = PyMem_Realloc(b->buf, need);
        if (nb == NULL)
            return PyErr_NoMemory();
        b->buf = nb;
        b->cap = need;
    }
    size_t n = (size_t)(q - start);
    memcpy(b->buf, start, n);
    const char *r = q;
    while (r < close) {
        uint8_t c = (uint8_t)*r;
        if (c != '\\') {
            if (c < 0x20)
                return tb_bad(b);
            high |= c;
            b->buf[n++] = (char)c;
            r++;
            continue;
        }
        char e = r[1]; /* a backslash is never the last byte before close */
        r += 2;
        switch (e) {
        case '"': case '\\': case '/': b->buf[n++] = e; break;
        case 'b': b->buf[n++] = '\b'; break;
        case 'f': b->buf[n++] = '\f'; break;
        case 'n': b->buf[n++] = '\n'; break;
        case 'r': b->buf[n++] = '\r'; break;
        case 't': b->buf[n++] = '\t'; break;
        case 'u': {
            int32_t cp = hex4(r, close);
            if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
                return tb_bad(b);
            r += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                /* A high surrogate must be followed at once by an escaped low one. */
                int32_t lo = close - r >= 6 && r[0] == '\\' && r[1] == 'u' ? hex4(r + 2, close) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return tb_bad(b);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                r += 6;
            }
            if (cp < 0x80) {
                b->buf[n++] = (char)cp;
            } else if (cp < 0x800) {
                b->buf[n++] = (char)(0xC0 | (cp >> 6));
                b->buf[n++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                b->buf[n++] = (char)(0xE0 | (cp >> 12));
                b->buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                b->buf[n++] = (char)(0x80 | (cp & 0x3F));
            } else {
                b->buf[n++] = (char)(0xF0 | (cp >> 18));
                b->buf[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                b->buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                b->buf[n++] = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default:
            return tb_bad(b);
        }
    }
    /* Escapes are ASCII: the raw text is valid UTF-8 when its literal bytes are. */
    if (!tb_utf8_ok(high, start, need))
        return tb_bad(b);
    b->p = close + 1;
    return key ? key_str(b->cache, b->buf, n) : text_str(b->buf, n);
}

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The number at b->p, checked against RFC 8259's grammar while its value
 * is gathered: the digits as one integer (while it fits) and the power of
 * ten they are scaled by. */
static PyObject *tb_number(text_builder *b)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *s = b->p, *q = s, *end = b->end;
    bool neg = *q == '-';
    if (neg && ++q == end)
        return tb_bad(b);
    uint64_t m = 0;
    size_t digits = 0; /* all digits, leading zeros included: at most 19 fit m */
    int64_t scale = 0;
    if (*q == '0') {
        if (++q < end && is_digit(*q))
            return tb_bad(b);
        digits = 1;
    } else if (is_digit(*q)) {
        for (; q < end && is_digit(*q); q++, digits++)
            m = m * 10 + (uint64_t)(*q - '0');
    } else {
        return tb_bad(b);
    }
    bool integer = true;
    if (q < end && *q == '.') {
        if (++q == end || !is_digit(*q))
            return tb_bad(b);
        for (; q < end && is_digit(*q); q++, digits++, scale--)
            m = m * 10 + (uint64_t)(*q - '0');
        integer = false;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        bool eneg = false;
        if (++q < end && (*q == '+' || *q == '-'))
            eneg = *q++ == '-';
        if (q == end || !is_digit(*q))
            return tb_bad(b);
        int64_t e = 0;
        for (; q < end && is_digit(*q); q++)
            if (e < 100000)
                e = e * 10 + (*q - '0');
        scale += eneg ? -e : e;
        integer = false;
    }
    b->p = q;
    size_t len = (size_t)(q - s);
    if (integer) {
        if (digits <= 18)
            return PyLong_FromLongLong(neg ? -(long long)m : (long long)m);
        return integer_from_text(s, len);
    }
    /* Clinger's fast path: digits that fit a double exactly, scaled by an
     * exact power of ten, are correctly rounded by one multiplication or
     * division. */
    if (digits <= 19 && m <= (UINT64_C(1) << 53) && scale >= -22 && scale <= 22) {
        double d = (double)m;
        d = scale < 0 ? d / pow10[-scale] : d * pow10[scale];
        return PyFloat_FromDouble(neg ? -d : d);
    }
    /* Correctly rounded, as float(text) and Python's json do. */
    char small[64];
    char *buf = c_text(s, len, small);
    if (buf == NULL)
        return NULL;
    double d = PyOS_string_to_double(buf, NULL, NULL);
    if (buf != small)
        PyMem_Free(buf);
    if (d == -1.0 && PyErr_Occurred())
        return NULL;
    return PyFloat_FromDouble(d);
}

static PyObject *tb_value(text_builder *b);

/* After a member or element: 1 when a ',' (and whitespace) leads to the
 * next one, 0 at the closing bracket (consumed), -1 when the text is bad. */
static inline int tb_next(text_builder *b, char close)
{
    if (!tb_ws(b))
        return -1;
    char c = *b->p++;
    if (c == close)
        return 0;
    return c == ',' && tb_ws(b) ? 1 : -1;
}

/* The object whose '{' is at b->p. */
static PyObject *tb_object(text_builder *b)
{
    size_t base = b->top;
    b->p++;
    if (!tb_ws(b))
        return tb_bad(b);
    if (*b->p == '}') {
        b->p++;
    } else {
        uintptr_t prev = b->depth; /* the first key: by depth */
        for (;;) {
            if (*b->p != '"')
                goto bad;
            PyObject **place = &b->cache->next_key[(prev ^ prev >> 9) % NEXT_KEY_SLOTS];
            PyObject *key = *place;
            if (key != NULL) {
                /* The key read here last time, when the text holds it again. */
                const char *t = b->p + 1;
                size_t len = (size_t)PyUnicode_GET_LENGTH(key);
                if ((size_t)(b->end - t) > len && t[len] == '"' && same_bytes(t, PyUnicode_DATA(key), len)) {
                    b->p = t + len + 1;
                    Py_INCREF(key);
                } else {
                    key = NULL;
                }
            }
            if (key == NULL) {
                key = tb_string(b, true);
                if (key != NULL && b->plain)
                    Py_XSETREF(*place, Py_NewRef(key));
            }
            if (key == NULL || !tb_push(b, key))
                goto fail;
            prev = (uintptr_t)key >> 4;
            if (!tb_ws(b) || *b->p != ':')
                goto bad;
            b->p++;
            if (!tb_ws(b))
                goto bad;
            PyObject *value = tb_value(b);
            if (value == NULL || !tb_push(b, value))
                goto fail;
            int next = tb_next(b, '}');
            if (next < 0)
                goto bad;
            if (next == 0)
                break;
        }
    }
    PyObject *dict = new_dict((Py_ssize_t)(b->top - base) / 2);
    if (dict == NULL)
        goto fail;
    for (size_t i = base; i < b->top; i += 2) {
        if (PyDict_SetItem(dict, b->items[i], b->items[i + 1]) < 0) {
            Py_DECREF(dict);
            goto fail;
        }
    }
    tb_drop(b, base);
    return dict;
bad:
    b->bad = true;
fail:
    tb_drop(b, base);
    return NULL;
}

/* The array whose '[' is at b->p. */
static PyObject *tb_array(text_builder *b)
{
    size_t base = b->top;
    b->p++;
    if (!tb_ws(b))
        return tb_bad(b);
    if (*b->p == ']') {
        b->p++;
    } else {
        for (;;) {
            PyObject *value = tb_value(b);
            if (value == NULL || !tb_push(b, value))
                goto fail;
            int next = tb_next(b, ']');
            if (next < 0)
                goto bad;
            if (next == 0)
                break;
        }
    }
    PyObject *list = PyList_New((Py_ssize_t)(b->top - base));
    if (list == NULL)
        goto fail;
    for (size_t i = base; i < b->top; i++)
        PyList_SET_ITEM(list, (Py_ssize_t)(i - base), b->items[i]);
    b->top = base; /* the list owns them now */
    return list;
bad:
    b->bad = true;
fail:
    tb_drop(b, base);
    return NULL;
}

/* The value at b->p (whitespace skipped, text left). */
static PyObject *tb_value(text_builder *b)
{
    const char *p = b->p;
    size_t left = (size_t)(b->end - p);
    switch (*p) {
    case '{':
    case '[': {
        if (b->depth >= SHARDLINE_DEFAULT_MAX_DEPTH)
            return tb_bad(b);
        b->depth++;
        PyObject *r = *p == '{' ? tb_object(b) : tb_array(b);
        b->depth--;
        return r;
    }
    case '"':
        return tb_string(b, false);
    case 't':
        if (left < 4 || memcmp(p, "true", 4) != 0)
            return tb_bad(b);
        b->p += 4;
        return Py_NewRef(Py_True);
    case 'f':
        if (left < 5 || memcmp(p, "false", 5) != 0)
            return tb_bad(b);
        b->p += 5;
        return Py_NewRef(Py_False);
    case 'n':
        if (left < 4 || memcmp(p, "null", 4) != 0)
            return tb_bad(b);
        b->p += 4;
        return Py_NewRef(Py_None);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return tb_number(b);
    default:
        return tb_bad(b);
    }
}

/* One JSON text (a payload) to Python objects. When the text is not valid
 * JSON, shardline_json_validate reports its error, which then comes before
 * any Python error of the build (an int too long, say), as if the text had
 * been checked first. A payload's error gets the path of its record
 * (record >= 0) when the core gave none; the offset is inside this text. */
static PyObject *json_bytes_to_py(const char *p, size_t len, obj_cache *cache, Py_ssize_t record)
{
    text_builder b;
    b.p = p;
    b.end = p + len;
    b.buf = NULL;
    b.cap = 0;
    b.items = b.local;
    b.top = 0;
    b.items_cap = TB_LOCAL_ITEMS;
    b.depth = 0;
    b.bad = false;
    b.plain = false;
    b.cache = cache;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) /* a BOM, as the core allows */
        b.p += 3;
    PyObject *r = NULL;
    if (len > SHARDLINE_MAX_INPUT || !tb_ws(&b)) {
        b.bad = true;
    } else if ((r = tb_value(&b)) != NULL && tb_ws(&b)) {
        Py_CLEAR(r); /* text after the value */
        b.bad = true;
    }
    PyMem_Free(b.buf);
    if (b.items != b.local)
        PyMem_Free(b.items);
    if (r != NULL)
        return r;
    shardline_error err;
    if (shardline_json_validate(p, len, NULL, &err) != SHARDLINE_OK) {
        PyErr_Clear();
        if (record >= 0 && err.path[0] == '\0')
            snprintf(err.path, sizeof err.path, "Records[%zd].kinesis.data", record);
        return raise_shardline_error(&err);
    }
    if (b.bad)
        PyErr_SetString(PyExc_SystemError, "shardline: the JSON builder rejected text the validator accepts");
    return NULL;
}

/* ---- DynamoDB attribute trees to Python -------------------------------------------- */

typedef struct av_mode {
    int numbers;
    PyObject *binary; /* a class wrapping B values (boto3's Binary), or NULL for bytes */
    obj_cache *cache; /* the call's */
} av_mode;

static PyObject *binary_value(const char *p, size_t len, const av_mode *mode)
{
    PyObject *b = PyBytes_FromStringAndSize(p, (Py_ssize_t)len);
    if (b == NULL || mode->binary == NULL)
        return b;
    PyObject *w = PyObject_CallOneArg(mode->binary, b);
    Py_DECREF(b);
    return w;
}

static PyObject *attr_to_py(const shardline_attr *a, const av_mode *mode);

static PyObject *attr_map_to_py(const shardline_attr *a, const av_mode *mode)
{
    size_t n = shardline_attr_size(a);
    PyObject *dict = new_dict((Py_ssize_t)n);
    if (dict == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        shardline_view k = shardline_attr_key_at(a, i);
        PyObject *key = key_str(mode->cache, k.ptr, k.len);
        PyObject *item = key ? attr_to_py(shardline_attr_member_at(a, i), mode) : NULL;
        if (item == NULL || PyDict_SetItem(dict, key, item) < 0) {
            Py_XDECREF(key);
            Py_XDECREF(item);
            Py_DECREF(dict);
            return NULL;
        }
        Py_DECREF(key);
        Py_DECREF(item);
    }
    return dict;
}

static PyObject *attr_to_py(const shardline_attr *a, const av_mode *mode)
{
    shardline_attr_type type = shardline_attr_get_type(a);
    switch (type) {
    case SHARDLINE_ATTR_S: {
        /* Short values (enums, ids, flags) repeat like names: they share the cache. */
        shardline_view t = shardline_attr_string(a);
        return t.len <= VALUE_CACHE_MAX_LEN ? key_str(mode->cache, t.ptr, t.len) : text_str(t.ptr, t.len);
    }
    case SHARDLINE_ATTR_N: {
        shardline_view t = shardline_attr_number_text(a);
        double d = 0;
        if (mode->numbers == NUM_INT_FLOAT)
            shardline_attr_number_double(a, &d);
        return dynamodb_number(t.ptr, t.len, mode->numbers, &d, NULL, mode->cache);
    }
    case SHARDLINE_ATTR_B: {
        shardline_view t = shardline_attr_binary(a);
        return binary_value(t.ptr, t.len, mode);
    }
    case SHARDLINE_ATTR_BOOL:
        return Py_NewRef(shardline_attr_bool(a) ? Py_True : Py_False);
    case SHARDLINE_ATTR_NULL:
        return Py_NewRef(Py_None);
    case SHARDLINE_ATTR_M:
        return attr_map_to_py(a, mode);
    case SHARDLINE_ATTR_L: {
        size_t n = shardline_attr_size(a);
        PyObject *list = PyList_New((Py_ssize_t)n);
        if (list == NULL)
            return NULL;
        for (size_t i = 0; i < n; i++) {
            PyObject *item = attr_to_py(shardline_attr_at(a, i), mode);
            if (item == NULL) {
                Py_DECREF(list);
                return NULL;
            }
            PyList_SET_ITEM(list, (Py_ssize_t)i, item);
        }
        return list;
    }
    case SHARDLINE_ATTR_SS:
    case SHARDLINE_ATTR_NS:
    case SHARDLINE_ATTR_BS: {
        PyObject *set = PySet_New(NULL);
        if (set == NULL)
            return NULL;
        size_t n = shardline_attr_size(a);
        for (size_t i = 0; i < n; i++) {
            PyObject *item = attr_to_py(shardline_attr_at(a, i), mode);
            if (item == NULL || PySet_Add(set, item) < 0) {
                Py_XDECREF(item);
                Py_DECREF(set);
                return NULL;
            }
            Py_DECREF(item);
        }
        return set;
    }
    default:
        return Py_NewRef(Py_None);
    }
}

static PyObject *image_or_none(const shardline_attr *a, const av_mode *mode)
{
    return a == NULL ? Py_NewRef(Py_None) : attr_map_to_py(a, mode);
}

/* ---- record types ------------------------------------------------------------------ */

/* Slots shared by both record types, then each source's own. */
enum {
    F_EVENT_SOURCE,
    F_EVENT_VERSION,
    F_EVENT_ID,
    F_EVENT_NAME,
    F_INVOKE_IDENTITY_ARN,
    F_AWS_REGION,
    F_EVENT_SOURCE_ARN,
    F_COMMON,
    /* Kinesis */
    F_KINESIS_SCHEMA_VERSION = F_COMMON,
    F_PARTITION_KEY,
    F_K_SEQUENCE_NUMBER,
    F_DATA,
    F_ARRIVAL,
    F_ENCRYPTION_TYPE,
    F_KINESIS_END,
    /* DynamoDB */
    F_KEYS = F_COMMON,
    F_NEW_IMAGE,
    F_OLD_IMAGE,
    F_D_SEQUENCE_NUMBER,
    F_SIZE_BYTES,
    F_STREAM_VIEW_TYPE,
    F_CREATION_TIME,
    F_USER_IDENTITY,
    F_TABLE_NAME,
    F_RECORD_FORMAT,
    F_DYNAMODB_END
};
#define RECORD_SLOTS F_DYNAMODB_END

typedef struct record_object {
    PyObject_HEAD
    PyObject *f[RECORD_SLOTS];
} record_object;

static int record_traverse(PyObject *self, visitproc visit, void *arg)
{
    record_object *r = (record_object *)self;
    for (int i = 0; i < RECORD_SLOTS; i++)
        Py_VISIT(r->f[i]);
    return 0;
}

static int record_clear(PyObject *self)
{
    record_object *r = (record_object *)self;
    for (int i = 0; i < RECORD_SLOTS; i++)
        Py_CLEAR(r->f[i]);
    return 0;
}

/* Records are only ever instances of the Python subclasses, whose
 * subtype_dealloc and subtype_traverse handle the (heap) type's reference;
 * these only look after the slots. */
static void record_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    record_clear(self);
    Py_TYPE(self)->tp_free(self);
}

#define SLOT(name, i) {name, T_OBJECT, offsetof(record_object, f) + (i) * sizeof(PyObject *), READONLY, NULL}
#define COMMON_SLOTS                                                                              \
    SLOT("event_source", F_EVENT_SOURCE), SLOT("event_version", F_EVENT_VERSION),                 \
        SLOT("event_id", F_EVENT_ID), SLOT("event_name", F_EVENT_NAME),                           \
        SLOT("invoke_identity_arn", F_INVOKE_IDENTITY_ARN), SLOT("aws_region", F_AWS_REGION),     \
        SLOT("event_source_arn", F_EVENT_SOURCE_ARN)

static PyMemberDef kinesis_members[] = {
    COMMON_SLOTS,
    SLOT("kinesis_schema_version", F_KINESIS_SCHEMA_VERSION),
    SLOT("partition_key", F_PARTITION_KEY),
    SLOT("sequence_number", F_K_SEQUENCE_NUMBER),
    SLOT("data", F_DATA),
    SLOT("approximate_arrival_timestamp", F_ARRIVAL),
    SLOT("encryption_type", F_ENCRYPTION_TYPE),
    {NULL, 0, 0, 0, NULL},
};

static PyMemberDef dynamodb_members[] = {
    COMMON_SLOTS,
    SLOT("keys", F_KEYS),
    SLOT("new_image", F_NEW_IMAGE),
    SLOT("old_image", F_OLD_IMAGE),
    SLOT("sequence_number", F_D_SEQUENCE_NUMBER),
    SLOT("size_bytes", F_SIZE_BYTES),
    SLOT("stream_view_type", F_STREAM_VIEW_TYPE),
    SLOT("approximate_creation_date_time", F_CREATION_TIME),
    SLOT("user_identity", F_USER_IDENTITY),
    SLOT("table_name", F_TABLE_NAME),
    SLOT("record_format", F_RECORD_FORMAT),
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject kinesis_base_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "shardline._core.KinesisRecordBase",
    .tp_basicsize = sizeof(record_object),
    .tp_dealloc = record_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A Kinesis Data Streams record (fields set by the parser, read-only).",
    .tp_traverse = record_traverse,
    .tp_clear = record_clear,
    .tp_members = kinesis_members,
};

static PyTypeObject dynamodb_base_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "shardline._core.DynamoDBRecordBase",
    .tp_basicsize = sizeof(record_object),
    .tp_dealloc = record_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A DynamoDB Streams record (fields set by the parser, read-only).",
    .tp_traverse = record_traverse,
    .tp_clear = record_clear,
    .tp_members = dynamodb_members,
};

static record_object *record_new(PyTypeObject *cls)
{
    return (record_object *)cls->tp_alloc(cls, 0);
}

/* Fill unset slots of the source's range with None. */
static void record_fill_none(record_object *r, int end)
{
    for (int i = 0; i < end; i++)
        if (r->f[i] == NULL)
            r->f[i] = Py_NewRef(Py_None);
}

/* ---- records from a parsed batch --------------------------------------------------- */

/* Fields whose text repeats from record to record reuse one str per call. */
typedef struct repeat_cache {
    const char *ptr;
    size_t len;
    PyObject *obj;
} repeat_cache;

static PyObject *repeat_str(repeat_cache *c, shardline_view v)
{
    if (v.ptr == NULL)
        return Py_NewRef(Py_None);
    if (c->obj != NULL && c->len == v.len && memcmp(c->ptr, v.ptr, v.len) == 0)
        return Py_NewRef(c->obj);
    PyObject *s = text_str(v.ptr, v.len);
    if (s == NULL)
        return NULL;
    Py_XSETREF(c->obj, Py_NewRef(s));
    c->ptr = v.ptr;
    c->len = v.len;
    return s;
}

#define REPEAT_FIELDS 10
enum { RC_SOURCE, RC_VERSION, RC_NAME, RC_INVOKE, RC_REGION, RC_ARN, RC_SCHEMA, RC_ENCRYPTION, RC_VIEW, RC_FORMAT };

static void repeat_clear(repeat_cache *c)
{
    for (int i = 0; i < REPEAT_FIELDS; i++)
        Py_CLEAR(c[i].obj);
}

static bool set_slot(record_object *r, int i, PyObject *value)
{
    r->f[i] = value;
    return value != NULL;
}

static PyObject *record_from_c(const shardline_record *rec, repeat_cache *rc, const av_mode *mode)
{
    bool kinesis = rec->source == SHARDLINE_SOURCE_KINESIS;
    record_object *r = record_new(kinesis ? kinesis_cls : dynamodb_cls);
    if (r == NULL)
        return NULL;
    bool ok = set_slot(r, F_EVENT_SOURCE, repeat_str(&rc[RC_SOURCE], rec->event_source)) &&
              set_slot(r, F_EVENT_VERSION, repeat_str(&rc[RC_VERSION], rec->event_version)) &&
              set_slot(r, F_EVENT_ID, view_str(rec->event_id)) &&
              set_slot(r, F_EVENT_NAME, repeat_str(&rc[RC_NAME], rec->event_name)) &&
              set_slot(r, F_INVOKE_IDENTITY_ARN, repeat_str(&rc[RC_INVOKE], rec->invoke_identity_arn)) &&
              set_slot(r, F_AWS_REGION, repeat_str(&rc[RC_REGION], rec->aws_region)) &&
              set_slot(r, F_EVENT_SOURCE_ARN, repeat_str(&rc[RC_ARN], rec->event_source_arn));
    if (ok && kinesis) {
        const shardline_kinesis *k = &rec->kinesis;
        ok = set_slot(r, F_KINESIS_SCHEMA_VERSION, repeat_str(&rc[RC_SCHEMA], k->kinesis_schema_version)) &&
             set_slot(r, F_PARTITION_KEY, view_str(k->partition_key)) &&
             set_slot(r, F_K_SEQUENCE_NUMBER, view_str(k->sequence_number)) &&
             set_slot(r, F_DATA, PyBytes_FromStringAndSize(k->data.ptr, (Py_ssize_t)k->data.len)) &&
             set_slot(r, F_ARRIVAL, PyFloat_FromDouble(k->approximate_arrival_timestamp)) &&
             set_slot(r, F_ENCRYPTION_TYPE, repeat_str(&rc[RC_ENCRYPTION], k->encryption_type));
    } else if (ok) {
        const shardline_dynamodb *d = rec->dynamodb;
        ok = set_slot(r, F_KEYS, image_or_none(d->keys, mode)) &&
             set_slot(r, F_NEW_IMAGE, image_or_none(d->new_image, mode)) &&
             set_slot(r, F_OLD_IMAGE, image_or_none(d->old_image, mode)) &&
             set_slot(r, F_D_SEQUENCE_NUMBER, view_str(d->sequence_number)) &&
             set_slot(r, F_SIZE_BYTES, d->size_bytes_text.ptr ? PyLong_FromLongLong(d->size_bytes)
                                                             : Py_NewRef(Py_None)) &&
             set_slot(r, F_STREAM_VIEW_TYPE, repeat_str(&rc[RC_VIEW], d->stream_view_type)) &&
             set_slot(r, F_CREATION_TIME, d->approximate_creation_date_time_text.ptr
                                              ? PyFloat_FromDouble(d->approximate_creation_date_time)
                                              : Py_NewRef(Py_None)) &&
             set_slot(r, F_TABLE_NAME, view_str(d->table_name)) &&
             set_slot(r, F_RECORD_FORMAT, repeat_str(&rc[RC_FORMAT], d->record_format));
        if (ok && d->user_identity_type.ptr != NULL) {
            PyObject *type = view_str(d->user_identity_type);
            PyObject *principal = view_str(d->user_identity_principal_id);
            ok = type != NULL && principal != NULL &&
                 set_slot(r, F_USER_IDENTITY,
                          Py_BuildValue("{sOsO}", "type", type, "principalId", principal));
            Py_XDECREF(type);
            Py_XDECREF(principal);
        }
    }
    if (!ok) {
        Py_DECREF(r);
        return NULL;
    }
    record_fill_none(r, kinesis ? F_KINESIS_END : F_DYNAMODB_END);
    return (PyObject *)r;
}

/* The core allocates through PyMem_Raw* (thread-safe without the GIL), so
 * tracemalloc and Python's memory hooks see batches and images too. */
static void *raw_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return PyMem_RawMalloc(size);
}

static void raw_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    PyMem_RawFree(ptr);
}

static const shardline_allocator py_allocator = {raw_alloc, raw_free, NULL};

/* The core's options for every parse: its memory comes from PyMem_Raw. */
static shardline_options python_options(void)
{
    shardline_options o;
    shardline_options_init(&o);
    o.allocator = &py_allocator;
    return o;
}

/* Parse raw event text into a batch, the GIL released for large immutable
 * inputs. Returns the batch, or NULL with ParseError raised. */
static shardline_batch *parse_raw_batch(const input *in, bool change)
{
    shardline_batch *batch = NULL;
    shardline_error err;
    shardline_status st;
    shardline_options py_options = python_options();
    if (in->immutable && in->len >= NOGIL_MIN_INPUT) {
        Py_BEGIN_ALLOW_THREADS
        st = change ? shardline_dynamodb_change_parse(in->ptr, in->len, &py_options, &batch, &err)
                    : shardline_batch_parse(in->ptr, in->len, &py_options, &batch, &err);
        Py_END_ALLOW_THREADS
    } else {
        st = change ? shardline_dynamodb_change_parse(in->ptr, in->len, &py_options, &batch, &err)
                    : shardline_batch_parse(in->ptr, in->len, &py_options, &batch, &err);
    }
    if (st != SHARDLINE_OK) {
        raise_shardline_error(&err);
        return NULL;
    }
    return batch;
}

static PyObject *records_from_batch(shardline_batch *batch, const av_mode *mode)
{
    size_t n = shardline_batch_size(batch);
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (list == NULL)
        return NULL;
    repeat_cache rc[REPEAT_FIELDS];
    memset(rc, 0, sizeof rc);
    for (size_t i = 0; i < n; i++) {
        PyObject *r = record_from_c(shardline_batch_record(batch, i), rc, mode);
        if (r == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, r);
    }
    repeat_clear(rc);
    return list;
}

/* A record of another source where only Kinesis records make sense. */
static PyObject *not_kinesis(const shardline_record *r)
{
    char path[64];
    snprintf(path, sizeof path, "Records[%zu].eventSource", r->index);
    return raise_parse_error(SHARDLINE_ERR_FIELD_VALUE, &r->offset,
                             "record is not a Kinesis record", path);
}

/* ---- dict inputs: AttributeValues ------------------------------------------------ */


/* A schema error found while walking Python objects: the code and the path
 * segments collected innermost first while the walk unwinds. code 0 with a
 * NULL result means a Python exception is set instead. */
typedef struct walk_error {
    shardline_status code;
    const char *message;
    PyObject *segments; /* list of str names and int indexes, innermost first */
} walk_error;

static PyObject *walk_fail(walk_error *e, shardline_status code, const char *message)
{
    e->code = code;
    e->message = message ? message : shardline_status_message(code);
    return NULL;
}

/* Add a segment while unwinding from a schema error; a no-op otherwise. */
static void walk_segment(walk_error *e, PyObject *segment)
{
    if (e->code == SHARDLINE_OK)
        return;
    if (e->segments == NULL && (e->segments = PyList_New(0)) == NULL) {
        e->code = SHARDLINE_OK; /* MemoryError is set */
        return;
    }
    if (PyList_Append(e->segments, segment) < 0)
        e->code = SHARDLINE_OK;
}

static void walk_index(walk_error *e, Py_ssize_t i)
{
    if (e->code == SHARDLINE_OK)
        return;
    PyObject *n = PyLong_FromSsize_t(i);
    if (n == NULL) {
        e->code = SHARDLINE_OK;
        return;
    }
    walk_segment(e, n);
    Py_DECREF(n);
}

/* Raise the ParseError of a failed walk (or leave the Python exception). */
static PyObject *walk_raise(walk_error *e)
{
    if (e->code == SHARDLINE_OK) {
        Py_CLEAR(e->segments);
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "shardline: walk failed without an error");
        return NULL;
    }
    char path[SHARDLINE_ERROR_PATH_MAX];
    char tmp[4096];
    size_t pos = sizeof tmp - 1;
    tmp[pos] = '\0';
    Py_ssize_t n = e->segments ? PyList_GET_SIZE(e->segments) : 0;
    bool cut = false;
    /* Built from the innermost segment backwards, like the core's paths. */
    for (Py_ssize_t i = 0; i < n && !cut; i++) {
        PyObject *seg = PyList_GET_ITEM(e->segments, i);
        char buf[64];
        const char *text;
        Py_ssize_t len;
        bool index = PyLong_Check(seg);
        if (index) {
            len = snprintf(buf, sizeof buf, "[%zd]", PyLong_AsSsize_t(seg));
            text = buf;
        } else {
            text = PyUnicode_AsUTF8AndSize(seg, &len);
            if (text == NULL) {
                PyErr_Clear();
                text = "?";
                len = 1;
            }
        }
        if (i > 0) {
            /* A name is followed by '.' unless an index follows it. */
            PyObject *next_outer_inner = PyList_GET_ITEM(e->segments, i - 1);
            if (!PyLong_Check(next_outer_inner)) {
                if (pos == 0) {
                    cut = true;
                    break;
                }
                tmp[--pos] = '.';
            }
        }
        if ((size_t)len > pos) {
            cut = true;
            break;
        }
        pos -= (size_t)len;
        memcpy(tmp + pos, text, (size_t)len);
    }
    const char *full = tmp + pos;
    size_t full_len = sizeof tmp - 1 - pos;
    if (cut || full_len >= sizeof path) {
        size_t keep = sizeof path - 4;
        snprintf(path, sizeof path, "...%s", full + (full_len > keep ? full_len - keep : 0));
    } else {
        memcpy(path, full, full_len + 1);
    }
    Py_CLEAR(e->segments);
    return raise_parse_error(e->code, NULL, e->message, path);
}

/* A str's text, which must be ASCII to be base64 or a number. */
static const char *ascii_text(PyObject *s, Py_ssize_t *len)
{
    if (!PyUnicode_IS_ASCII(s))
        return NULL;
    *len = PyUnicode_GET_LENGTH(s);
    return (const char *)PyUnicode_DATA(s);
}

/* base64 text (a str, or ASCII bytes) decoded into a new bytes object. */
static PyObject *base64_to_bytes(PyObject *text, walk_error *e)
{
    const char *src;
    Py_ssize_t len;
    if (PyUnicode_Check(text)) {
        src = ascii_text(text, &len);
        if (src == NULL) {
            /* The first non-ASCII character is outside the alphabet. */
            return walk_fail(e, SHARDLINE_ERR_BASE64_CHAR, NULL);
        }
    } else {
        src = PyBytes_AS_STRING(text);
        len = PyBytes_GET_SIZE(text);
    }
    size_t cap = SHARDLINE_BASE64_DECODED_MAX((size_t)len);
    size_t got = 0;
    shardline_error err;
    if (cap <= 512) {
        /* Small values (most B values) decode on the stack and are copied
         * once at their exact size: no resize of the bytes object. */
        uint8_t tmp[512];
        if (shardline_base64_decode(src, (size_t)len, tmp, sizeof tmp, &got, &err) != SHARDLINE_OK)
            return walk_fail(e, err.code, err.message);
        return PyBytes_FromStringAndSize((const char *)tmp, (Py_ssize_t)got);
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)cap);
    if (out == NULL)
        return NULL;
    if (shardline_base64_decode(src, (size_t)len, (uint8_t *)PyBytes_AS_STRING(out), cap, &got, &err) !=
        SHARDLINE_OK) {
        Py_DECREF(out);
        return walk_fail(e, err.code, err.message);
    }
    if (got != cap && _PyBytes_Resize(&out, (Py_ssize_t)got) < 0)
        return NULL;
    return out;
}

typedef struct dict_walk {
    av_mode mode;
    uint32_t max_depth;
    walk_error err;
    PyObject *binary_cls_base; /* a class whose .value holds bytes (boto3 Binary), or NULL */
    bool change; /* a DynamoDB change record from Kinesis, not a stream record */
    /* WANT_JSON decodes each payload here (PyMem, grown as needed) rather
     * than into a bytes object that would be thrown away at once. */
    bool want_scratch;
    char *scratch;
    size_t scratch_cap, scratch_len;
} dict_walk;

static PyObject *av_value(dict_walk *w, PyObject *av, uint32_t depth);

/* The bytes of a B value given as base64 text, bytes or a Binary. */
static PyObject *av_binary(dict_walk *w, PyObject *v)
{
    PyObject *b;
    if (PyUnicode_Check(v)) {
        b = base64_to_bytes(v, &w->err);
    } else if (PyBytes_CheckExact(v)) {
        b = Py_NewRef(v);
    } else if (PyByteArray_Check(v) || PyBytes_Check(v) || PyMemoryView_Check(v)) {
        b = PyBytes_FromObject(v);
    } else if (w->binary_cls_base != NULL && PyObject_TypeCheck(v, (PyTypeObject *)w->binary_cls_base)) {
        PyObject *inner = PyObject_GetAttr(v, s_value);
        if (inner == NULL)
            return NULL;
        b = PyBytes_FromObject(inner);
        Py_DECREF(inner);
    } else {
        return walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
    }
    if (b == NULL || w->mode.binary == NULL)
        return b;
    PyObject *wrapped = PyObject_CallOneArg(w->mode.binary, b);
    Py_DECREF(b);
    return wrapped;
}

static PyObject *av_number(dict_walk *w, PyObject *v)
{
    if (!PyUnicode_Check(v))
        return walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
    Py_ssize_t len;
    const char *p = ascii_text(v, &len);
    if (p == NULL || !shardline_dynamodb_number_valid(p, (size_t)len))
        return walk_fail(&w->err, SHARDLINE_ERR_ATTR_NUMBER, NULL);
    return dynamodb_number(p, (size_t)len, w->mode.numbers, NULL, v, w->mode.cache);
}

/* The members of an image or an M: name -> AttributeValue. */
static PyObject *av_map(dict_walk *w, PyObject *map, uint32_t depth)
{
    if (!PyDict_Check(map))
        return walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
    if (depth >= w->max_depth)
        return walk_fail(&w->err, SHARDLINE_ERR_DEPTH, NULL);
    PyObject *out = new_dict(PyDict_GET_SIZE(map));
    if (out == NULL)
        return NULL;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(map, &pos, &key, &value)) {
        if (!PyUnicode_Check(key)) {
            walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, "attribute name is not a string");
            Py_DECREF(out);
            return NULL;
        }
        PyObject *item = av_value(w, value, depth + 1);
        if (item == NULL || PyDict_SetItem(out, key, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(out);
            walk_segment(&w->err, key);
            return NULL;
        }
        Py_DECREF(item);
    }
    return out;
}

static PyObject *av_set(dict_walk *w, PyObject *v, shardline_attr_type element)
{
    if (!PyList_Check(v) && !PyTuple_Check(v))
        return walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
    PyObject *set = PySet_New(NULL);
    if (set == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(v);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PySequence_Fast_GET_ITEM(v, i), *item;
        if (element == SHARDLINE_ATTR_S)
            item = PyUnicode_Check(x) ? Py_NewRef(x) : walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        else if (element == SHARDLINE_ATTR_N)
            item = av_number(w, x);
        else
            item = av_binary(w, x);
        if (item == NULL || PySet_Add(set, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(set);
            walk_index(&w->err, i);
            return NULL;
        }
        Py_DECREF(item);
    }
    return set;
}

/* The type of an AttributeValue key, decided by length and bytes as the
 * core does (no search); SHARDLINE_ATTR_NONE for anything else. */
static shardline_attr_type av_type_of(PyObject *key)
{
    if (!PyUnicode_Check(key) || !PyUnicode_IS_ASCII(key))
        return SHARDLINE_ATTR_NONE;
    const char *k = (const char *)PyUnicode_DATA(key);
    switch (PyUnicode_GET_LENGTH(key)) {
    case 1:
        switch (k[0]) {
        case 'S': return SHARDLINE_ATTR_S;
        case 'N': return SHARDLINE_ATTR_N;
        case 'B': return SHARDLINE_ATTR_B;
        case 'M': return SHARDLINE_ATTR_M;
        case 'L': return SHARDLINE_ATTR_L;
        default: return SHARDLINE_ATTR_NONE;
        }
    case 2:
        if (k[1] != 'S')
            return SHARDLINE_ATTR_NONE;
        return k[0] == 'S' ? SHARDLINE_ATTR_SS : k[0] == 'N' ? SHARDLINE_ATTR_NS
                                              : k[0] == 'B' ? SHARDLINE_ATTR_BS : SHARDLINE_ATTR_NONE;
    case 4:
        return memcmp(k, "BOOL", 4) == 0 ? SHARDLINE_ATTR_BOOL
               : memcmp(k, "NULL", 4) == 0 ? SHARDLINE_ATTR_NULL : SHARDLINE_ATTR_NONE;
    default:
        return SHARDLINE_ATTR_NONE;
    }
}

/* One AttributeValue dict, {"S": "x"}; depth counts containers around it. */
static PyObject *av_value(dict_walk *w, PyObject *av, uint32_t depth)
{
    if (!PyDict_Check(av))
        return walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
    if (depth >= w->max_depth)
        return walk_fail(&w->err, SHARDLINE_ERR_DEPTH, NULL);
    Py_ssize_t pos = 0;
    PyObject *key, *v;
    if (!PyDict_Next(av, &pos, &key, &v))
        return walk_fail(&w->err, SHARDLINE_ERR_ATTR_TYPE, NULL);
    shardline_attr_type type = av_type_of(key);
    PyObject *r = NULL;
    switch (type) {
    case SHARDLINE_ATTR_NONE:
        walk_fail(&w->err, SHARDLINE_ERR_ATTR_TYPE, NULL);
        break;
    case SHARDLINE_ATTR_S:
        r = PyUnicode_Check(v) ? Py_NewRef(v) : walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        break;
    case SHARDLINE_ATTR_N:
        r = av_number(w, v);
        break;
    case SHARDLINE_ATTR_B:
        r = av_binary(w, v);
        break;
    case SHARDLINE_ATTR_BOOL:
        r = PyBool_Check(v) ? Py_NewRef(v) : walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        break;
    case SHARDLINE_ATTR_NULL:
        if (v == Py_True)
            r = Py_NewRef(Py_None);
        else
            walk_fail(&w->err, PyBool_Check(v) ? SHARDLINE_ERR_FIELD_VALUE : SHARDLINE_ERR_FIELD_TYPE, NULL);
        break;
    case SHARDLINE_ATTR_M:
        r = av_map(w, v, depth + 1);
        break;
    case SHARDLINE_ATTR_L:
        if (!PyList_Check(v) && !PyTuple_Check(v)) {
            walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
            break;
        }
        if (depth + 1 >= w->max_depth) {
            walk_fail(&w->err, SHARDLINE_ERR_DEPTH, NULL);
            break;
        } else {
            Py_ssize_t n = PySequence_Fast_GET_SIZE(v);
            PyObject *list = PyList_New(n);
            if (list == NULL)
                break;
            for (Py_ssize_t i = 0; i < n; i++) {
                PyObject *item = av_value(w, PySequence_Fast_GET_ITEM(v, i), depth + 2);
                if (item == NULL) {
                    walk_index(&w->err, i);
                    Py_CLEAR(list);
                    break;
                }
                PyList_SET_ITEM(list, i, item);
            }
            r = list;
        }
        break;
    case SHARDLINE_ATTR_SS:
        r = av_set(w, v, SHARDLINE_ATTR_S);
        break;
    case SHARDLINE_ATTR_NS:
        r = av_set(w, v, SHARDLINE_ATTR_N);
        break;
    default:
        r = av_set(w, v, SHARDLINE_ATTR_B);
        break;
    }
    if (r == NULL) {
        walk_segment(&w->err, key);
        return NULL;
    }
    if (PyDict_GET_SIZE(av) > 1) {
        /* A second type key: reported at that key, as the core does. */
        PyObject *second;
        PyDict_Next(av, &pos, &second, &v);
        Py_DECREF(r);
        walk_fail(&w->err, SHARDLINE_ERR_ATTR_TYPE, NULL);
        walk_segment(&w->err, second);
        return NULL;
    }
    return r;
}

/* ---- dict inputs: events ----------------------------------------------------------- */

/* What a walk over an event builds per record. */
enum { WANT_RECORDS, WANT_DATA, WANT_JSON };

/* A member of a dict, or NULL (no exception) when absent. */
static PyObject *member(PyObject *dict, PyObject *name)
{
    return PyDict_GetItemWithError(dict, name);
}

/* A required string member: the str (borrowed), or NULL with the error set. */
static PyObject *required_str(dict_walk *w, PyObject *dict, PyObject *name)
{
    PyObject *v = member(dict, name);
    if (v == NULL) {
        if (!PyErr_Occurred())
            walk_fail(&w->err, SHARDLINE_ERR_MISSING_FIELD, NULL);
    } else if (!PyUnicode_Check(v)) {
        v = NULL;
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
    }
    if (v == NULL)
        walk_segment(&w->err, name);
    return v;
}

/* An optional string member: the str (borrowed), Py_None when absent, NULL on error. */
static PyObject *optional_str(dict_walk *w, PyObject *dict, PyObject *name)
{
    PyObject *v = member(dict, name);
    if (v == NULL)
        return PyErr_Occurred() ? NULL : Py_None;
    if (!PyUnicode_Check(v)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        walk_segment(&w->err, name);
        return NULL;
    }
    return v;
}

static bool str_all_digits(PyObject *s)
{
    Py_ssize_t len;
    const char *p = ascii_text(s, &len);
    if (p == NULL || len == 0)
        return false;
    for (Py_ssize_t i = 0; i < len; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static bool str_in(PyObject *s, const char *const *names)
{
    for (; *names; names++)
        if (PyUnicode_CompareWithASCIIString(s, *names) == 0)
            return true;
    return false;
}

static bool is_number(PyObject *v)
{
    return !PyBool_Check(v) && (PyLong_Check(v) || PyFloat_Check(v));
}

/* The number of a timestamp member as a float; NULL with the error set. */
static PyObject *timestamp(dict_walk *w, PyObject *v, PyObject *name)
{
    if (!is_number(v)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        walk_segment(&w->err, name);
        return NULL;
    }
    return PyFloat_CheckExact(v) ? Py_NewRef(v) : PyNumber_Float(v);
}

static const char *const stream_view_types[] = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", NULL};
static const char *const dynamodb_event_names[] = {"INSERT", "MODIFY", "REMOVE", NULL};

/* Decode a payload's base64 text into w->scratch; false with the error set
 * (the path segment "data" added). */
static bool scratch_base64(dict_walk *w, PyObject *text)
{
    Py_ssize_t len;
    const char *src = ascii_text(text, &len);
    if (src == NULL) {
        walk_fail(&w->err, SHARDLINE_ERR_BASE64_CHAR, NULL);
        walk_segment(&w->err, s_data);
        return false;
    }
    size_t cap = SHARDLINE_BASE64_DECODED_MAX((size_t)len);
    if (cap > w->scratch_cap || w->scratch == NULL) {
        size_t ncap = cap > 4096 ? cap + cap / 2 : 4096;
        char *nb = PyMem_Realloc(w->scratch, ncap);
        if (nb == NULL) {
            PyErr_NoMemory();
            return false;
        }
        w->scratch = nb;
        w->scratch_cap = ncap;
    }
    shardline_error err;
    if (shardline_base64_decode(src, (size_t)len, (uint8_t *)w->scratch, w->scratch_cap, &w->scratch_len, &err) !=
        SHARDLINE_OK) {
        walk_fail(&w->err, err.code, err.message);
        walk_segment(&w->err, s_data);
        return false;
    }
    return true;
}

/* The "kinesis" member of a record dict: validated; its decoded payload
 * returned (new reference), and the record's Kinesis slots set when r is given. */
static PyObject *dict_kinesis(dict_walk *w, PyObject *k, record_object *r)
{
    if (!PyDict_Check(k))
        return walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
    PyObject *schema = required_str(w, k, s_kinesis_schema_version);
    PyObject *pkey = schema ? required_str(w, k, s_partition_key) : NULL;
    PyObject *seq = pkey ? required_str(w, k, s_sequence_number) : NULL;
    if (seq == NULL)
        return NULL;
    if (!str_all_digits(seq)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_VALUE, NULL);
        walk_segment(&w->err, s_sequence_number);
        return NULL;
    }
    PyObject *text = required_str(w, k, s_data);
    if (text == NULL)
        return NULL;
    PyObject *arrival = member(k, s_arrival);
    if (arrival == NULL) {
        if (!PyErr_Occurred()) {
            walk_fail(&w->err, SHARDLINE_ERR_MISSING_FIELD, NULL);
            walk_segment(&w->err, s_arrival);
        }
        return NULL;
    }
    PyObject *arrival_f = timestamp(w, arrival, s_arrival);
    if (arrival_f == NULL)
        return NULL;
    PyObject *encryption = optional_str(w, k, s_encryption_type);
    if (encryption == NULL) {
        Py_DECREF(arrival_f);
        return NULL;
    }
    if (r == NULL && w->want_scratch) {
        Py_DECREF(arrival_f);
        return scratch_base64(w, text) ? Py_NewRef(Py_None) : NULL;
    }
    PyObject *data = base64_to_bytes(text, &w->err);
    if (data == NULL) {
        Py_DECREF(arrival_f);
        walk_segment(&w->err, s_data);
        return NULL;
    }
    if (r == NULL) {
        Py_DECREF(arrival_f);
        return data;
    }
    r->f[F_KINESIS_SCHEMA_VERSION] = Py_NewRef(schema);
    r->f[F_PARTITION_KEY] = Py_NewRef(pkey);
    r->f[F_K_SEQUENCE_NUMBER] = Py_NewRef(seq);
    r->f[F_DATA] = Py_NewRef(data);
    r->f[F_ARRIVAL] = arrival_f;
    r->f[F_ENCRYPTION_TYPE] = Py_NewRef(encryption);
    return data;
}

/* An optional image member (Keys, NewImage, OldImage) into slot i. */
static bool dict_image(dict_walk *w, PyObject *d, PyObject *name, record_object *r, int i)
{
    PyObject *v = member(d, name);
    if (v == NULL) {
        if (PyErr_Occurred())
            return false;
        r->f[i] = Py_NewRef(Py_None);
        return true;
    }
    /* The image is the fourth container of the event. */
    r->f[i] = av_map(w, v, 3);
    if (r->f[i] == NULL) {
        walk_segment(&w->err, name);
        return false;
    }
    return true;
}

/* The "dynamodb" member of a DynamoDB record dict, into r's slots. */
static bool dict_dynamodb(dict_walk *w, PyObject *d, record_object *r)
{
    if (!PyDict_Check(d)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        return false;
    }
    PyObject *creation = member(d, s_creation_time);
    if (creation == NULL && PyErr_Occurred())
        return false;
    if (!dict_image(w, d, s_keys, r, F_KEYS) || !dict_image(w, d, s_new_image, r, F_NEW_IMAGE) ||
        !dict_image(w, d, s_old_image, r, F_OLD_IMAGE))
        return false;
    PyObject *seq = w->change ? optional_str(w, d, s_sequence_number_d) : required_str(w, d, s_sequence_number_d);
    if (seq == NULL)
        return false;
    if (seq != Py_None && !str_all_digits(seq)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_VALUE, NULL);
        walk_segment(&w->err, s_sequence_number_d);
        return false;
    }
    PyObject *size = member(d, s_size_bytes);
    if (size == NULL && w->change && !PyErr_Occurred()) {
        size = Py_None;
    } else if (size == NULL) {
        if (!PyErr_Occurred()) {
            walk_fail(&w->err, SHARDLINE_ERR_MISSING_FIELD, NULL);
            walk_segment(&w->err, s_size_bytes);
        }
        return false;
    }
    if (size != Py_None && !is_number(size)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        walk_segment(&w->err, s_size_bytes);
        return false;
    }
    PyObject *size_int;
    if (size == Py_None) {
        size_int = Py_NewRef(Py_None);
    } else if (PyFloat_Check(size)) {
        double x = PyFloat_AS_DOUBLE(size);
        size_int = (x >= 0 && x < 9.2e18 && x == (double)(long long)x) ? PyLong_FromDouble(x) : NULL;
    } else {
        size_int = PyLong_AsLongLong(size) >= 0 ? Py_NewRef(size) : NULL;
        if (size_int == NULL)
            PyErr_Clear();
    }
    if (size_int == NULL) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_VALUE, NULL);
        walk_segment(&w->err, s_size_bytes);
        return false;
    }
    r->f[F_SIZE_BYTES] = size_int;
    PyObject *view = w->change ? optional_str(w, d, s_stream_view_type) : required_str(w, d, s_stream_view_type);
    if (view == NULL)
        return false;
    if (view != Py_None && !str_in(view, stream_view_types)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_VALUE, NULL);
        walk_segment(&w->err, s_stream_view_type);
        return false;
    }
    if (creation != NULL && (r->f[F_CREATION_TIME] = timestamp(w, creation, s_creation_time)) == NULL)
        return false;
    r->f[F_D_SEQUENCE_NUMBER] = Py_NewRef(seq);
    r->f[F_STREAM_VIEW_TYPE] = Py_NewRef(view);
    return true;
}

/* userIdentity: absent or None gives None, else {"type", "principalId"} strings. */
static bool dict_user_identity(dict_walk *w, PyObject *rec, record_object *r)
{
    PyObject *u = member(rec, s_user_identity);
    if (u == NULL)
        return !PyErr_Occurred();
    if (u == Py_None)
        return true;
    if (!PyDict_Check(u)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        walk_segment(&w->err, s_user_identity);
        return false;
    }
    PyObject *type = required_str(w, u, s_type);
    PyObject *principal = type ? required_str(w, u, s_principal_id) : NULL;
    if (principal == NULL) {
        walk_segment(&w->err, s_user_identity);
        return false;
    }
    r->f[F_USER_IDENTITY] = Py_BuildValue("{sOsO}", "type", type, "principalId", principal);
    return r->f[F_USER_IDENTITY] != NULL;
}

static PyObject *kinesis_only_segment(dict_walk *w, PyObject *name)
{
    walk_fail(&w->err, SHARDLINE_ERR_FIELD_VALUE, "field does not belong to this kind of record");
    walk_segment(&w->err, name);
    return NULL;
}

/* One record dict. WANT_RECORDS returns a record object; WANT_DATA and
 * WANT_JSON return the decoded payload (Kinesis records only). */
static PyObject *dict_record(dict_walk *w, PyObject *rec, int want)
{
    if (!PyDict_Check(rec))
        return walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
    PyObject *source = required_str(w, rec, s_event_source);
    if (source == NULL)
        return NULL;
    bool kinesis = PyUnicode_Compare(source, s_aws_kinesis) == 0;
    bool dynamodb = !kinesis && PyUnicode_Compare(source, s_aws_dynamodb) == 0;
    if (!kinesis && (!dynamodb || want != WANT_RECORDS)) {
        /* An unknown source, or a DynamoDB record where payloads are asked for. */
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_VALUE, dynamodb ? "record is not a Kinesis record" : NULL);
        walk_segment(&w->err, s_event_source);
        return NULL;
    }
    if (w->change && kinesis) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_VALUE, NULL);
        walk_segment(&w->err, s_event_source);
        return NULL;
    }
    PyObject *version = w->change ? optional_str(w, rec, s_event_version) : required_str(w, rec, s_event_version);
    PyObject *id = version ? required_str(w, rec, s_event_id) : NULL;
    PyObject *name = id ? required_str(w, rec, s_event_name) : NULL;
    PyObject *invoke = name ? (kinesis ? required_str(w, rec, s_invoke_identity_arn)
                                       : optional_str(w, rec, s_invoke_identity_arn))
                            : NULL;
    PyObject *region = invoke ? required_str(w, rec, s_aws_region) : NULL;
    PyObject *arn = region ? (w->change ? optional_str(w, rec, s_event_source_arn)
                                        : required_str(w, rec, s_event_source_arn))
                           : NULL;
    if (arn == NULL)
        return NULL;
    PyObject *other = member(rec, kinesis ? s_dynamodb : s_kinesis);
    if (other != NULL)
        return kinesis_only_segment(w, kinesis ? s_dynamodb : s_kinesis);
    if (PyErr_Occurred())
        return NULL;
    PyObject *body = member(rec, kinesis ? s_kinesis : s_dynamodb);
    if (body == NULL) {
        if (!PyErr_Occurred()) {
            walk_fail(&w->err, SHARDLINE_ERR_MISSING_FIELD, NULL);
            walk_segment(&w->err, kinesis ? s_kinesis : s_dynamodb);
        }
        return NULL;
    }
    if (!kinesis && !str_in(name, dynamodb_event_names)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_VALUE, NULL);
        walk_segment(&w->err, s_event_name);
        return NULL;
    }
    if (want != WANT_RECORDS) {
        PyObject *data = dict_kinesis(w, body, NULL);
        if (data == NULL)
            walk_segment(&w->err, s_kinesis);
        return data;
    }
    record_object *r = record_new(kinesis ? kinesis_cls : dynamodb_cls);
    if (r == NULL)
        return NULL;
    r->f[F_EVENT_SOURCE] = Py_NewRef(source);
    r->f[F_EVENT_VERSION] = Py_NewRef(version);
    r->f[F_EVENT_ID] = Py_NewRef(id);
    r->f[F_EVENT_NAME] = Py_NewRef(name);
    r->f[F_INVOKE_IDENTITY_ARN] = Py_NewRef(invoke);
    r->f[F_AWS_REGION] = Py_NewRef(region);
    r->f[F_EVENT_SOURCE_ARN] = Py_NewRef(arn);
    bool ok;
    if (kinesis) {
        PyObject *data = dict_kinesis(w, body, r);
        ok = data != NULL;
        Py_XDECREF(data);
        if (!ok)
            walk_segment(&w->err, s_kinesis);
    } else {
        ok = dict_dynamodb(w, body, r);
        if (!ok)
            walk_segment(&w->err, s_dynamodb);
        ok = ok && dict_user_identity(w, rec, r);
        if (ok) {
            PyObject *table = w->change ? required_str(w, rec, s_table_name) : optional_str(w, rec, s_table_name);
            PyObject *format = table ? (w->change ? required_str(w, rec, s_record_format)
                                                  : optional_str(w, rec, s_record_format))
                                     : NULL;
            ok = format != NULL;
            if (ok) {
                r->f[F_TABLE_NAME] = Py_NewRef(table);
                r->f[F_RECORD_FORMAT] = Py_NewRef(format);
            }
        }
    }
    if (!ok) {
        Py_DECREF(r);
        return NULL;
    }
    record_fill_none(r, kinesis ? F_KINESIS_END : F_DYNAMODB_END);
    return (PyObject *)r;
}

/* Reading a runtime-parsed event is mostly waiting for memory: each record
 * is a few dicts and a dozen value objects spread over the heap, cold by
 * the time they are read. While record i is checked and built, the walk
 * asks the CPU for the memory of the next ones, in three steps a record
 * apart, each using only what the step before brought in: record i + 3's
 * dict, record i + 2's values (its entries are read with PyDict_Next), and
 * the values of the dicts among record i + 1's values (its "kinesis" or
 * "dynamodb" body). It reads only memory the checks read later, and it
 * changes no result: a record of another shape is just prefetched less. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch((const void *)(p), 0, 3)
#else
#define PREFETCH(p) ((void)(p))
#endif

static void prefetch_values(PyObject *d)
{
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(d, &pos, &k, &v))
        PREFETCH(v);
}

static void prefetch_records(PyObject *records, Py_ssize_t i)
{
    Py_ssize_t n = PyList_GET_SIZE(records), pos = 0;
    PyObject *k, *v, *r;
    if (i + 3 < n)
        PREFETCH(PyList_GET_ITEM(records, i + 3));
    if (i + 2 < n && PyDict_CheckExact(r = PyList_GET_ITEM(records, i + 2)))
        prefetch_values(r);
    if (i + 1 < n && PyDict_CheckExact(r = PyList_GET_ITEM(records, i + 1)))
        while (PyDict_Next(r, &pos, &k, &v))
            if (PyDict_CheckExact(v))
                prefetch_values(v);
}

/* A whole event dict: a list with one item per record. */
static PyObject *dict_event(dict_walk *w, PyObject *event, int want)
{
    PyObject *records = member(event, s_records);
    if (records == NULL) {
        if (PyErr_Occurred())
            return NULL;
        walk_fail(&w->err, SHARDLINE_ERR_MISSING_FIELD, NULL);
        walk_segment(&w->err, s_records);
        return walk_raise(&w->err);
    }
    if (!PyList_Check(records)) {
        walk_fail(&w->err, SHARDLINE_ERR_FIELD_TYPE, NULL);
        walk_segment(&w->err, s_records);
        return walk_raise(&w->err);
    }
    /* A copy of the list holds every record for the whole walk, whatever
     * code a lookup might run (a key's __eq__) does to the event. */
    PyObject *list = PyList_GetSlice(records, 0, PyList_GET_SIZE(records));
    if (list == NULL)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(list);
    PyObject *out = PyList_New(n);
    for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
        prefetch_records(list, i);
        PyObject *item = dict_record(w, PyList_GET_ITEM(list, i), want);
        if (item != NULL && want == WANT_JSON) {
            Py_DECREF(item); /* None: the payload is in w->scratch */
            item = json_bytes_to_py(w->scratch, w->scratch_len, w->mode.cache, i);
            if (item == NULL) {
                Py_CLEAR(out);
                break;
            }
        }
        if (item == NULL) {
            Py_CLEAR(out);
            walk_index(&w->err, i);
            walk_segment(&w->err, s_records);
            walk_raise(&w->err);
            break;
        }
        PyList_SET_ITEM(out, i, item);
    }
    Py_DECREF(list);
    return out;
}

/* ---- module functions -------------------------------------------------------------- */

static int numbers_arg(PyObject *numbers)
{
    if (numbers == NULL)
        return NUM_DECIMAL;
    if (PyUnicode_Check(numbers)) {
        if (PyUnicode_CompareWithASCIIString(numbers, "decimal") == 0)
            return NUM_DECIMAL;
        if (PyUnicode_CompareWithASCIIString(numbers, "int_float") == 0)
            return NUM_INT_FLOAT;
        if (PyUnicode_CompareWithASCIIString(numbers, "str") == 0)
            return NUM_STR;
    }
    PyErr_SetString(PyExc_ValueError, "numbers must be \"decimal\", \"int_float\" or \"str\"");
    return -1;
}

static bool ready(void)
{
    if (parse_error_cls == NULL || decimal_cls == NULL || kinesis_cls == NULL || dynamodb_cls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "shardline._core: import shardline, not shardline._core");
        return false;
    }
    return true;
}

static void dict_walk_init(dict_walk *w, int numbers, PyObject *binary, PyObject *binary_base, obj_cache *cache)
{
    memset(w, 0, sizeof *w);
    w->mode.numbers = numbers;
    w->mode.binary = binary;
    w->mode.cache = cache;
    w->max_depth = SHARDLINE_DEFAULT_MAX_DEPTH;
    w->binary_cls_base = binary_base;
}

static PyObject *not_an_event(PyObject *obj)
{
    PyErr_Format(PyExc_TypeError, "event must be bytes, bytearray, memoryview, str or dict, not %.100s",
                 Py_TYPE(obj)->tp_name);
    return NULL;
}

/* Vectorcall arguments: one positional argument, then keyword-only ones
 * named in names (NULL-terminated); values left NULL when not given. A call
 * with no keywords costs nothing beyond the count check. */
static bool fast_args(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                      const char *const *names, PyObject **first, PyObject **values)
{
    if (nargs != 1) {
        PyErr_Format(PyExc_TypeError, "%s() takes exactly one positional argument (%zd given)", fname, nargs);
        return false;
    }
    *first = args[0];
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, i);
        size_t j = 0;
        for (; names[j] != NULL; j++)
            if (PyUnicode_CompareWithASCIIString(key, names[j]) == 0)
                break;
        if (names[j] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fname, key);
            return false;
        }
        values[j] = args[nargs + i];
    }
    return true;
}

static int truth_arg(PyObject *v)
{
    return v == NULL ? 0 : PyObject_IsTrue(v);
}

/* parse(event, *, numbers="decimal", change=False) -> list of records */
static PyObject *py_parse_impl(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                              obj_cache *cache)
{
    (void)self;
    static const char *const names[] = {"numbers", "change", NULL};
    PyObject *event, *kw[2] = {NULL, NULL};
    if (!fast_args("parse", args, nargs, kwnames, names, &event, kw))
        return NULL;
    PyObject *numbers = kw[0];
    int change = truth_arg(kw[1]);
    if (change < 0)
        return NULL;
    int num = numbers_arg(numbers);
    if (num < 0 || !ready())
        return NULL;
    if (PyDict_Check(event)) {
        dict_walk w;
        dict_walk_init(&w, num, NULL, NULL, cache);
        w.change = change != 0;
        if (!change)
            return dict_event(&w, event, WANT_RECORDS);
        PyObject *r = dict_record(&w, event, WANT_RECORDS);
        if (r == NULL)
            return walk_raise(&w.err);
        PyObject *list = PyList_New(1);
        if (list == NULL) {
            Py_DECREF(r);
            return NULL;
        }
        PyList_SET_ITEM(list, 0, r);
        return list;
    }
    input in;
    int got = input_get(event, &in);
    if (got <= 0)
        return got < 0 ? NULL : not_an_event(event);
    shardline_batch *batch = parse_raw_batch(&in, change != 0);
    PyObject *out = NULL;
    if (batch != NULL) {
        av_mode mode = {num, NULL, cache};
        out = records_from_batch(batch, &mode);
        shardline_batch_free(batch);
    }
    input_release(&in);
    return out;
}

/* kinesis_data(event, *, zero_copy=False) -> list of bytes (or memoryviews) */
static PyObject *py_kinesis_data_impl(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                                     obj_cache *cache)
{
    (void)self;
    static const char *const names[] = {"zero_copy", NULL};
    PyObject *event, *kw[1] = {NULL};
    if (!fast_args("kinesis_data", args, nargs, kwnames, names, &event, kw))
        return NULL;
    int zero_copy = truth_arg(kw[0]);
    if (zero_copy < 0)
        return NULL;
    if (!ready())
        return NULL;
    if (PyDict_Check(event)) {
        dict_walk w;
        dict_walk_init(&w, NUM_DECIMAL, NULL, NULL, cache);
        return dict_event(&w, event, WANT_DATA);
    }
    input in;
    int got = input_get(event, &in);
    if (got <= 0)
        return got < 0 ? NULL : not_an_event(event);
    PyObject *out = NULL, *buffer = NULL, *whole = NULL;
    shardline_batch *batch = NULL;
    if (zero_copy) {
        /* One private copy of the event, decoded in place: every payload is
         * a slice of it. */
        buffer = PyBytes_FromStringAndSize(in.ptr, (Py_ssize_t)in.len);
        if (buffer == NULL)
            goto done;
        shardline_error err;
        shardline_status st;
        shardline_options py_options = python_options();
        char *buf = PyBytes_AS_STRING(buffer);
        Py_BEGIN_ALLOW_THREADS
        st = shardline_batch_parse_in_place(buf, in.len, &py_options, &batch, &err);
        Py_END_ALLOW_THREADS
        if (st != SHARDLINE_OK) {
            /* The copy may be half rewritten, but offsets and paths are
             * those of the original text. */
            raise_shardline_error(&err);
            goto done;
        }
        if ((whole = PyMemoryView_FromObject(buffer)) == NULL)
            goto done;
    } else if ((batch = parse_raw_batch(&in, false)) == NULL) {
        goto done;
    }
    size_t n = shardline_batch_size(batch);
    out = PyList_New((Py_ssize_t)n);
    if (out == NULL)
        goto done;
    const char *base = buffer ? PyBytes_AS_STRING(buffer) : NULL;
    for (size_t i = 0; i < n; i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        if (r->source != SHARDLINE_SOURCE_KINESIS) {
            not_kinesis(r);
            Py_CLEAR(out);
            goto done;
        }
        shardline_view d = r->kinesis.data;
        PyObject *item;
        uintptr_t p = (uintptr_t)d.ptr, b = (uintptr_t)base;
        if (whole != NULL && d.ptr != NULL && p >= b && p - b + d.len <= in.len) {
            PyObject *lo = PyLong_FromSize_t((size_t)(p - b));
            PyObject *hi = lo ? PyLong_FromSize_t((size_t)(p - b) + d.len) : NULL;
            PyObject *slice = hi ? PySlice_New(lo, hi, NULL) : NULL;
            item = slice ? PyObject_GetItem(whole, slice) : NULL;
            Py_XDECREF(lo);
            Py_XDECREF(hi);
            Py_XDECREF(slice);
        } else {
            item = PyBytes_FromStringAndSize(d.ptr, (Py_ssize_t)d.len);
        }
        if (item == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, (Py_ssize_t)i, item);
    }
done:
    shardline_batch_free(batch);
    Py_XDECREF(whole);
    Py_XDECREF(buffer);
    input_release(&in);
    return out;
}

/* kinesis_json(event) -> list of payloads parsed as JSON */
static PyObject *py_kinesis_json_impl(PyObject *self, PyObject *event, obj_cache *cache)
{
    (void)self;
    if (!ready())
        return NULL;
    if (PyDict_Check(event)) {
        dict_walk w;
        dict_walk_init(&w, NUM_DECIMAL, NULL, NULL, cache);
        w.want_scratch = true;
        PyObject *out = dict_event(&w, event, WANT_JSON);
        PyMem_Free(w.scratch);
        return out;
    }
    input in;
    int got = input_get(event, &in);
    if (got <= 0)
        return got < 0 ? NULL : not_an_event(event);
    PyObject *out = NULL;
    shardline_batch *batch = parse_raw_batch(&in, false);
    if (batch != NULL) {
        size_t n = shardline_batch_size(batch);
        out = PyList_New((Py_ssize_t)n);
        for (size_t i = 0; out != NULL && i < n; i++) {
            const shardline_record *r = shardline_batch_record(batch, i);
            PyObject *item;
            if (r->source != SHARDLINE_SOURCE_KINESIS) {
                item = not_kinesis(r);
            } else {
                item = json_bytes_to_py(r->kinesis.data.ptr, r->kinesis.data.len, cache, (Py_ssize_t)i);
            }
            if (item == NULL) {
                Py_CLEAR(out);
                break;
            }
            PyList_SET_ITEM(out, (Py_ssize_t)i, item);
        }
        shardline_batch_free(batch);
    }
    input_release(&in);
    return out;
}

/* unmarshall(image, *, numbers="decimal", binary=None, binary_base=None) -> dict
 * unmarshall(..., value=True): image is one AttributeValue, not a map. */
static PyObject *py_unmarshall_impl(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                                   obj_cache *cache)
{
    (void)self;
    static const char *const names[] = {"numbers", "binary", "binary_base", "value", NULL};
    PyObject *image, *kw[4] = {NULL, NULL, NULL, NULL};
    if (!fast_args("unmarshall", args, nargs, kwnames, names, &image, kw))
        return NULL;
    PyObject *numbers = kw[0];
    PyObject *binary = kw[1] ? kw[1] : Py_None, *binary_base = kw[2] ? kw[2] : Py_None;
    int value = truth_arg(kw[3]);
    if (value < 0)
        return NULL;
    int num = numbers_arg(numbers);
    if (num < 0 || !ready())
        return NULL;
    if (binary_base != Py_None && !PyType_Check(binary_base)) {
        PyErr_SetString(PyExc_TypeError, "binary_base must be a class");
        return NULL;
    }
    if (PyDict_Check(image)) {
        dict_walk w;
        dict_walk_init(&w, num, binary == Py_None ? NULL : binary, binary_base == Py_None ? NULL : binary_base,
                       cache);
        PyObject *r = value ? av_value(&w, image, 0) : av_map(&w, image, 0);
        return r ? r : walk_raise(&w.err);
    }
    if (value) {
        PyErr_SetString(PyExc_TypeError, "an AttributeValue must be a dict");
        return NULL;
    }
    input in;
    int got = input_get(image, &in);
    if (got <= 0) {
        if (got == 0)
            PyErr_Format(PyExc_TypeError, "image must be a dict, bytes, bytearray, memoryview or str, not %.100s",
                         Py_TYPE(image)->tp_name);
        return NULL;
    }
    shardline_image *img = NULL;
    shardline_error err;
    PyObject *out = NULL;
    shardline_options py_options = python_options();
    if (shardline_image_parse(in.ptr, in.len, &py_options, &img, &err) != SHARDLINE_OK) {
        raise_shardline_error(&err);
    } else {
        av_mode mode = {num, binary == Py_None ? NULL : binary, cache};
        out = attr_map_to_py(shardline_image_root(img), &mode);
        shardline_image_free(img);
    }
    input_release(&in);
    return out;
}

/* loads(data) -> object: strict RFC 8259 JSON */
static PyObject *py_loads_impl(PyObject *self, PyObject *data, obj_cache *cache)
{
    (void)self;
    if (!ready())
        return NULL;
    input in;
    int got = input_get(data, &in);
    if (got <= 0) {
        if (got == 0)
            PyErr_Format(PyExc_TypeError, "data must be bytes, bytearray, memoryview or str, not %.100s",
                         Py_TYPE(data)->tp_name);
        return NULL;
    }
    PyObject *out = json_bytes_to_py(in.ptr, in.len, cache, -1);
    input_release(&in);
    return out;
}

/* base64_decode(text) -> bytes: strict RFC 4648 */
static PyObject *py_base64_decode(PyObject *self, PyObject *text)
{
    (void)self;
    if (!ready())
        return NULL;
    input in;
    int got = input_get(text, &in);
    if (got <= 0) {
        if (got == 0)
            PyErr_Format(PyExc_TypeError, "text must be bytes, bytearray, memoryview or str, not %.100s",
                         Py_TYPE(text)->tp_name);
        return NULL;
    }
    size_t cap = SHARDLINE_BASE64_DECODED_MAX(in.len);
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)cap);
    if (out != NULL) {
        size_t len = 0;
        shardline_error err;
        if (shardline_base64_decode(in.ptr, in.len, (uint8_t *)PyBytes_AS_STRING(out), cap, &len, &err) !=
            SHARDLINE_OK) {
            Py_CLEAR(out);
            raise_shardline_error(&err);
        } else if (len != cap && _PyBytes_Resize(&out, (Py_ssize_t)len) < 0) {
            out = NULL;
        }
    }
    input_release(&in);
    return out;
}

/* _register(ParseError, Decimal, KinesisRecord, DynamoDBRecord) */
static PyObject *py_register(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *error, *decimal, *kinesis, *dynamodb;
    if (!PyArg_ParseTuple(args, "OOO!O!:_register", &error, &decimal, &PyType_Type, &kinesis, &PyType_Type,
                          &dynamodb))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)kinesis, &kinesis_base_type) ||
        !PyType_IsSubtype((PyTypeObject *)dynamodb, &dynamodb_base_type) ||
        ((PyTypeObject *)kinesis)->tp_basicsize != kinesis_base_type.tp_basicsize ||
        ((PyTypeObject *)dynamodb)->tp_basicsize != dynamodb_base_type.tp_basicsize) {
        PyErr_SetString(PyExc_TypeError, "record classes must subclass the base types with __slots__ = ()");
        return NULL;
    }
    Py_XSETREF(parse_error_cls, Py_NewRef(error));
    PyObject *from_int = PyObject_GetAttrString(decimal, "from_float");
    if (from_int == NULL)
        return NULL;
    Py_XSETREF(decimal_cls, Py_NewRef(decimal));
    Py_XSETREF(decimal_from_int, from_int);
    Py_XSETREF(kinesis_cls, (PyTypeObject *)Py_NewRef(kinesis));
    Py_XSETREF(dynamodb_cls, (PyTypeObject *)Py_NewRef(dynamodb));
    Py_RETURN_NONE;
}

/* Every call builds thousands of new containers, which would set off
 * collections that traverse the young (and now and then the whole) heap in
 * the middle of the build; nothing built inside a call can be garbage yet,
 * so the collector waits until the call returns. call_begin gives the
 * module's cache (NULL with an exception) and pauses the collector;
 * call_end restarts it if it was running and passes the result through. */
static obj_cache *call_begin(PyObject *self, int *gc_was)
{
    obj_cache *cache = module_cache(self);
    *gc_was = cache != NULL ? PyGC_Disable() : 0;
    return cache;
}

static PyObject *call_end(PyObject *result, int gc_was)
{
    if (gc_was)
        PyGC_Enable();
    return result;
}

static PyObject *py_parse(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int gc_was;
    obj_cache *cache = call_begin(self, &gc_was);
    return cache ? call_end(py_parse_impl(self, args, nargs, kwnames, cache), gc_was) : NULL;
}

static PyObject *py_kinesis_data(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int gc_was;
    obj_cache *cache = call_begin(self, &gc_was);
    return cache ? call_end(py_kinesis_data_impl(self, args, nargs, kwnames, cache), gc_was) : NULL;
}

static PyObject *py_unmarshall(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int gc_was;
    obj_cache *cache = call_begin(self, &gc_was);
    return cache ? call_end(py_unmarshall_impl(self, args, nargs, kwnames, cache), gc_was) : NULL;
}

static PyObject *py_kinesis_json(PyObject *self, PyObject *event)
{
    int gc_was;
    obj_cache *cache = call_begin(self, &gc_was);
    return cache ? call_end(py_kinesis_json_impl(self, event, cache), gc_was) : NULL;
}

static PyObject *py_loads(PyObject *self, PyObject *data)
{
    int gc_was;
    obj_cache *cache = call_begin(self, &gc_was);
    return cache ? call_end(py_loads_impl(self, data, cache), gc_was) : NULL;
}

static PyMethodDef native_methods[] = {
    {"parse", (PyCFunction)(void (*)(void))py_parse, METH_FASTCALL | METH_KEYWORDS,
     "parse(event, *, numbers='decimal', change=False) -> list of records"},
    {"kinesis_data", (PyCFunction)(void (*)(void))py_kinesis_data, METH_FASTCALL | METH_KEYWORDS,
     "kinesis_data(event, *, zero_copy=False) -> list of decoded payloads"},
    {"kinesis_json", py_kinesis_json, METH_O, "kinesis_json(event) -> list of payloads parsed as JSON"},
    {"unmarshall", (PyCFunction)(void (*)(void))py_unmarshall, METH_FASTCALL | METH_KEYWORDS,
     "unmarshall(image, *, numbers='decimal') -> dict"},
    {"loads", py_loads, METH_O, "loads(data) -> object (strict RFC 8259 JSON)"},
    {"base64_decode", py_base64_decode, METH_O, "base64_decode(text) -> bytes (strict RFC 4648)"},
    {"_register", py_register, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyObject *field_names(const PyMemberDef *m)
{
    PyObject *list = PyList_New(0);
    for (; list != NULL && m->name != NULL; m++) {
        PyObject *s = PyUnicode_FromString(m->name);
        if (s == NULL || PyList_Append(list, s) < 0)
            Py_CLEAR(list);
        Py_XDECREF(s);
    }
    if (list == NULL)
        return NULL;
    PyObject *t = PyList_AsTuple(list);
    Py_DECREF(list);
    return t;
}

int shardline_py_init(PyObject *module)
{
    static const struct {
        PyObject **slot;
        const char *text;
    } names[] = {
        {&s_records, "Records"},
        {&s_event_source, "eventSource"},
        {&s_event_version, "eventVersion"},
        {&s_event_id, "eventID"},
        {&s_event_name, "eventName"},
        {&s_invoke_identity_arn, "invokeIdentityArn"},
        {&s_aws_region, "awsRegion"},
        {&s_event_source_arn, "eventSourceARN"},
        {&s_kinesis, "kinesis"},
        {&s_dynamodb, "dynamodb"},
        {&s_kinesis_schema_version, "kinesisSchemaVersion"},
        {&s_partition_key, "partitionKey"},
        {&s_sequence_number, "sequenceNumber"},
        {&s_data, "data"},
        {&s_arrival, "approximateArrivalTimestamp"},
        {&s_encryption_type, "encryptionType"},
        {&s_creation_time, "ApproximateCreationDateTime"},
        {&s_keys, "Keys"},
        {&s_new_image, "NewImage"},
        {&s_old_image, "OldImage"},
        {&s_sequence_number_d, "SequenceNumber"},
        {&s_size_bytes, "SizeBytes"},
        {&s_stream_view_type, "StreamViewType"},
        {&s_user_identity, "userIdentity"},
        {&s_table_name, "tableName"},
        {&s_record_format, "recordFormat"},
        {&s_type, "type"},
        {&s_principal_id, "principalId"},
        {&s_aws_kinesis, "aws:kinesis"},
        {&s_aws_dynamodb, "aws:dynamodb"},
        {&s_value, "value"},
        {&s_cache, "_cache"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (*names[i].slot == NULL && (*names[i].slot = PyUnicode_InternFromString(names[i].text)) == NULL)
            return -1;
    }
    obj_cache *cache = PyMem_Calloc(1, sizeof *cache);
    if (cache == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *capsule = PyCapsule_New(cache, CACHE_CAPSULE, obj_cache_free);
    if (capsule == NULL) {
        PyMem_Free(cache);
        return -1;
    }
    if (PyModule_AddObject(module, "_cache", capsule) < 0) {
        Py_DECREF(capsule);
        return -1;
    }
    if (PyType_Ready(&kinesis_base_type) < 0 || PyType_Ready(&dynamodb_base_type) < 0)
        return -1;
    if (PyModule_AddObjectRef(module, "KinesisRecordBase", (PyObject *)&kinesis_base_type) < 0 ||
        PyModule_AddObjectRef(module, "DynamoDBRecordBase", (PyObject *)&dynamodb_base_type) < 0)
        return -1;
    PyObject *kf = field_names(kinesis_members), *df = field_names(dynamodb_members);
    if (kf == NULL || df == NULL || PyModule_AddObject(module, "KINESIS_FIELDS", kf) < 0) {
        Py_XDECREF(kf);
        Py_XDECREF(df);
        return -1;
    }
    if (PyModule_AddObject(module, "DYNAMODB_FIELDS", df) < 0) {
        Py_DECREF(df);
        return -1;
    }
    return PyModule_AddFunctions(module, native_methods);
}
