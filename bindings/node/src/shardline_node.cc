/* shardline_node.cc - build JS values from shardline's batches, images and documents through Node-API. */
#include "shardline_node.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shardline.h"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define SL_HAVE_MMAP 1
#endif

namespace {

/* Memory for batches and big scratch buffers. Large blocks are mapped and
 * unmapped directly rather than taken from malloc: once freed they leave
 * the process, so a call's peak does not stay in RSS as free heap (glibc
 * raises its mmap threshold after the first big free and would keep them). */
constexpr size_t kBigBlock = 256 * 1024;

void *big_alloc(size_t n)
{
#ifdef SL_HAVE_MMAP
    if (n >= kBigBlock) {
        void *p = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == MAP_FAILED ? nullptr : p;
    }
#endif
    return malloc(n);
}

void big_free(void *p, size_t n)
{
    if (p == nullptr)
        return;
#ifdef SL_HAVE_MMAP
    if (n >= kBigBlock) {
        munmap(p, n);
        return;
    }
#endif
    free(p);
}

void *sl_alloc_hook(void *, size_t n) { return big_alloc(n); }
void sl_free_hook(void *, void *p, size_t n) { big_free(p, n); }
const shardline_allocator kAllocator = {sl_alloc_hook, sl_free_hook, nullptr};

/* Parser options: defaults with the allocator above. */
shardline_options parse_options()
{
    shardline_options o;
    shardline_options_init(&o);
    o.allocator = &kAllocator;
    return o;
}

/* Per-environment state. Node runs one environment per thread (the main
 * thread, each worker), and SWIG's runtime owns the env's instance-data
 * slot, so the state hangs off a thread_local and is freed by an env
 * cleanup hook. */
struct instance {
    napi_env env = nullptr;
    napi_ref parse_error = nullptr;
    napi_ref set_ctor = nullptr;
};

thread_local instance *tls_instance = nullptr;

instance *get_instance(napi_env env)
{
    return tls_instance != nullptr && tls_instance->env == env ? tls_instance : nullptr;
}

void instance_cleanup(void *data)
{
    instance *inst = static_cast<instance *>(data);
    if (tls_instance == inst)
        tls_instance = nullptr;
    delete inst; /* the references die with the environment */
}

napi_value undefined_value(napi_env env)
{
    napi_value v;
    napi_get_undefined(env, &v);
    return v;
}

/* Throw new ParseError(message, code, offset, path[, index]). Returns NULL so
 * callers can `return throw_error(...)`. */
napi_value throw_error(napi_env env, shardline_status code, const char *message, size_t offset,
                       const char *path, int64_t index = -1)
{
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending)
        return nullptr;
    instance *inst = get_instance(env);
    napi_value ctor = nullptr;
    if (inst == nullptr || inst->parse_error == nullptr ||
        napi_get_reference_value(env, inst->parse_error, &ctor) != napi_ok || ctor == nullptr) {
        napi_throw_error(env, shardline_status_name(code), message);
        return nullptr;
    }
    napi_value args[5];
    napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &args[0]);
    napi_create_string_utf8(env, shardline_status_name(code), NAPI_AUTO_LENGTH, &args[1]);
    napi_create_double(env, (double)offset, &args[2]);
    napi_create_string_utf8(env, path != nullptr ? path : "", NAPI_AUTO_LENGTH, &args[3]);
    if (index >= 0)
        napi_create_double(env, (double)index, &args[4]);
    else
        napi_get_undefined(env, &args[4]);
    napi_value err;
    if (napi_new_instance(env, ctor, 5, args, &err) == napi_ok)
        napi_throw(env, err);
    return nullptr;
}

napi_value throw_shardline(napi_env env, const shardline_error *e, int64_t index = -1)
{
    return throw_error(env, e->code, e->message, e->offset, e->path, index);
}

napi_value throw_type(napi_env env, const char *message)
{
    napi_throw_type_error(env, nullptr, message);
    return nullptr;
}

/* The bytes of a JS input: a view of a Buffer / TypedArray / ArrayBuffer (its
 * backing store is off the V8 heap and does not move), or a UTF-8 copy of a
 * string owned by this struct. */
struct input_bytes {
    const char *ptr = nullptr;
    size_t len = 0;
    char *owned = nullptr;
    size_t owned_cap = 0;
    ~input_bytes() { big_free(owned, owned_cap); }
};

bool get_input(napi_env env, napi_value v, input_bytes *out)
{
    napi_valuetype type;
    if (napi_typeof(env, v, &type) != napi_ok)
        return false;
    if (type == napi_string) {
        size_t len = 0;
        if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok)
            return false;
        out->owned = static_cast<char *>(big_alloc(len + 1));
        out->owned_cap = len + 1;
        if (out->owned == nullptr) {
            napi_throw_error(env, "SHARDLINE_ERR_NOMEM", "out of memory");
            return false;
        }
        napi_get_value_string_utf8(env, v, out->owned, len + 1, &len);
        out->ptr = out->owned;
        out->len = len;
        return true;
    }
    bool is = false;
    if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
        napi_typedarray_type ta;
        size_t length, byte_offset;
        void *data;
        napi_value ab;
        napi_get_typedarray_info(env, v, &ta, &length, &data, &ab, &byte_offset);
        size_t elem = 1;
        switch (ta) {
        case napi_int16_array: case napi_uint16_array: elem = 2; break;
        case napi_int32_array: case napi_uint32_array: case napi_float32_array: elem = 4; break;
        case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
        default: break;
        }
        out->ptr = static_cast<const char *>(data);
        out->len = length * elem;
        return true;
    }
    if (napi_is_dataview(env, v, &is) == napi_ok && is) {
        size_t length, byte_offset;
        void *data;
        napi_value ab;
        napi_get_dataview_info(env, v, &length, &data, &ab, &byte_offset);
        out->ptr = static_cast<const char *>(data);
        out->len = length;
        return true;
    }
    if (napi_is_arraybuffer(env, v, &is) == napi_ok && is) {
        void *data;
        size_t length;
        napi_get_arraybuffer_info(env, v, &data, &length);
        out->ptr = static_cast<const char *>(data);
        out->len = length;
        return true;
    }
    throw_type(env, "expected a Buffer, Uint8Array, ArrayBuffer or string of JSON text");
    return false;
}

bool is_ascii(const char *p, size_t n)
{
    /* Eight bytes at a time; the compiler vectorises the OR. */
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)p[i];
    return (acc & UINT64_C(0x8080808080808080)) == 0;
}

/* A JS string from UTF-8 bytes already validated by shardline; one-byte
 * (latin1) creation when the text is ASCII, which V8 copies without decoding. */
napi_value make_text(napi_env env, const char *p, size_t n)
{
    napi_value v;
    if (is_ascii(p, n))
        napi_create_string_latin1(env, p, n, &v);
    else
        napi_create_string_utf8(env, p, n, &v);
    return v;
}

/* Interned JS strings for object keys (and repeated short values): one V8
 * string per distinct name in a call, so V8 sees the same key object and
 * property stores hit its caches. Lives for one crossing (one handle scope). */
class string_cache {
public:
    explicit string_cache(napi_env env) : env_(env) {}

    napi_value get(const char *p, size_t n)
    {
        if (n > 48)
            return make_text(env_, p, n);
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)p[i]) * 16777619u;
        h ^= (uint32_t)n;
        size_t slot = h & (kSlots - 1);
        for (size_t probe = 0; probe < 8; probe++) {
            entry &e = table_[(slot + probe) & (kSlots - 1)];
            if (e.value == nullptr) {
                e.ptr = p;
                e.len = (uint32_t)n;
                e.hash = h;
                e.value = make_text(env_, p, n);
                return e.value;
            }
            if (e.hash == h && e.len == n && memcmp(e.ptr, p, n) == 0)
                return e.value;
        }
        return make_text(env_, p, n);
    }

private:
    static constexpr size_t kSlots = 1024;
    struct entry {
        const char *ptr = nullptr;
        uint32_t len = 0;
        uint32_t hash = 0;
        napi_value value = nullptr;
    };
    napi_env env_;
    entry table_[kSlots];
};

/* ------------------------------------------------------------------------ */
/* AttributeValues -> JS, with @aws-sdk/util-dynamodb's number rules         */
/* ------------------------------------------------------------------------ */

const double kMaxSafe = 9007199254740991.0;

struct attr_builder {
    napi_env env;
    string_cache keys;
    napi_value wrap;     /* a function for N values, or nullptr */
    napi_value set_ctor; /* Set */
    const shardline_attr *failed = nullptr; /* the N that could not be converted */

    attr_builder(napi_env e, napi_value wrap_fn) : env(e), keys(e), wrap(wrap_fn), set_ctor(nullptr)
    {
        instance *inst = get_instance(env);
        napi_get_reference_value(env, inst->set_ctor, &set_ctor);
    }

    /* BigInt from "-?digits" (at most 38 significant digits, as DynamoDB
     * guarantees), or nullptr when the text is not an integer literal. */
    napi_value bigint(const char *p, size_t n)
    {
        size_t i = 0;
        int sign = 0;
        if (n > 0 && p[0] == '-') {
            sign = 1;
            i = 1;
        }
        if (i == n)
            return nullptr;
        /* 128 bits as four 32-bit limbs: 38 digits stay below 2^127. */
        uint32_t limb[4] = {0, 0, 0, 0};
        for (; i < n; i++) {
            if (p[i] < '0' || p[i] > '9')
                return nullptr;
            uint64_t carry = (uint64_t)(p[i] - '0');
            for (int k = 0; k < 4; k++) {
                uint64_t t = (uint64_t)limb[k] * 10u + carry;
                limb[k] = (uint32_t)t;
                carry = t >> 32;
            }
        }
        uint64_t words[2] = {(uint64_t)limb[1] << 32 | limb[0], (uint64_t)limb[3] << 32 | limb[2]};
        napi_value v;
        if (napi_create_bigint_words(env, sign, words[1] ? 2 : 1, words, &v) != napi_ok)
            return nullptr;
        return v;
    }

    napi_value number(const shardline_attr *a)
    {
        shardline_view text = shardline_attr_number_text(a);
        napi_value v;
        if (wrap != nullptr) {
            napi_value arg = make_text(env, text.ptr, text.len), global;
            napi_get_global(env, &global);
            if (napi_call_function(env, global, wrap, 1, &arg, &v) != napi_ok)
                return nullptr;
            return v;
        }
        double d = 0;
        shardline_attr_number_double(a, &d);
        if (d > kMaxSafe || d < -kMaxSafe) {
            v = bigint(text.ptr, text.len);
            if (v == nullptr)
                failed = a;
            return v;
        }
        napi_create_double(env, d, &v);
        return v;
    }

    napi_value binary(const shardline_attr *a)
    {
        shardline_view b = shardline_attr_binary(a);
        napi_value ab, out;
        void *data = nullptr;
        napi_create_arraybuffer(env, b.len, &data, &ab);
        if (b.len)
            memcpy(data, b.ptr, b.len);
        napi_create_typedarray(env, napi_uint8_array, b.len, ab, 0, &out);
        return out;
    }

    /* Recursion depth is bounded by the parser's max_depth (1024 levels). */
    napi_value build(const shardline_attr *a)
    {
        napi_value v = nullptr;
        switch (shardline_attr_get_type(a)) {
        case SHARDLINE_ATTR_S: {
            shardline_view s = shardline_attr_string(a);
            return s.len <= 16 ? keys.get(s.ptr, s.len) : make_text(env, s.ptr, s.len);
        }
        case SHARDLINE_ATTR_N:
            return number(a);
        case SHARDLINE_ATTR_B:
            return binary(a);
        case SHARDLINE_ATTR_BOOL:
            napi_get_boolean(env, shardline_attr_bool(a) == 1, &v);
            return v;
        case SHARDLINE_ATTR_NULL:
            napi_get_null(env, &v);
            return v;
        case SHARDLINE_ATTR_M: {
            size_t n = shardline_attr_size(a);
            napi_create_object(env, &v);
            for (size_t i = 0; i < n; i++) {
                shardline_view k = shardline_attr_key_at(a, i);
                napi_value child = build(shardline_attr_member_at(a, i));
                if (child == nullptr)
                    return nullptr;
                if (napi_set_property(env, v, keys.get(k.ptr, k.len), child) != napi_ok)
                    return nullptr;
            }
            return v;
        }
        case SHARDLINE_ATTR_L:
        case SHARDLINE_ATTR_SS:
        case SHARDLINE_ATTR_NS:
        case SHARDLINE_ATTR_BS: {
            size_t n = shardline_attr_size(a);
            napi_create_array_with_length(env, n, &v);
            for (size_t i = 0; i < n; i++) {
                napi_value child = build(shardline_attr_at(a, i));
                if (child == nullptr)
                    return nullptr;
                napi_set_element(env, v, (uint32_t)i, child);
            }
            if (shardline_attr_get_type(a) == SHARDLINE_ATTR_L)
                return v;
            napi_value set;
            if (napi_new_instance(env, set_ctor, 1, &v, &set) != napi_ok)
                return nullptr;
            return set;
        }
        default:
            return undefined_value(env);
        }
    }
};

/* The path from `root` (an M) down to `target`, in shardline's error-path
 * form ("address.M.zip.N", "tags.NS[2]"), for the rare error raised after
 * parsing. Depth-first; only runs when an error is reported. */
bool find_attr_path(const shardline_attr *node, const shardline_attr *target, std::string *path)
{
    shardline_attr_type t = shardline_attr_get_type(node);
    static const char *const names[] = {"", "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
    if (t == SHARDLINE_ATTR_M) {
        for (size_t i = 0; i < shardline_attr_size(node); i++) {
            const shardline_attr *child = shardline_attr_member_at(node, i);
            shardline_view k = shardline_attr_key_at(node, i);
            size_t mark = path->size();
            if (!path->empty())
                path->push_back('.');
            path->append(k.ptr, k.len);
            if (child == target) {
                path->append(".N");
                return true;
            }
            shardline_attr_type ct = shardline_attr_get_type(child);
            if (ct == SHARDLINE_ATTR_M || ct == SHARDLINE_ATTR_L || ct == SHARDLINE_ATTR_NS) {
                path->push_back('.');
                path->append(names[ct]);
                if (find_attr_path(child, target, path))
                    return true;
            }
            path->resize(mark);
        }
    } else if (t == SHARDLINE_ATTR_L || t == SHARDLINE_ATTR_NS) {
        for (size_t i = 0; i < shardline_attr_size(node); i++) {
            const shardline_attr *child = shardline_attr_at(node, i);
            size_t mark = path->size();
            path->append("[" + std::to_string(i) + "]");
            if (child == target) {
                if (t == SHARDLINE_ATTR_L)
                    path->append(".N");
                return true;
            }
            shardline_attr_type ct = shardline_attr_get_type(child);
            if (ct == SHARDLINE_ATTR_M || ct == SHARDLINE_ATTR_L || ct == SHARDLINE_ATTR_NS) {
                path->push_back('.');
                path->append(names[ct]);
                if (find_attr_path(child, target, path))
                    return true;
            }
            path->resize(mark);
        }
    }
    return false;
}

const char kUnsafeNumber[] =
    "number cannot be converted to a JS number or BigInt without losing precision; set wrapNumbers";

napi_value throw_unsafe_number(napi_env env, const shardline_attr *root, const shardline_attr *failed,
                               const std::string &prefix, size_t offset)
{
    std::string path;
    find_attr_path(root, failed, &path);
    path = prefix.empty() ? path : prefix + "." + path;
    return throw_error(env, SHARDLINE_ERR_ATTR_NUMBER, kUnsafeNumber, offset, path.c_str());
}

napi_value get_wrap(napi_env env, napi_value wrap)
{
    napi_valuetype t;
    napi_typeof(env, wrap, &t);
    return t == napi_function ? wrap : nullptr;
}

bool get_bool(napi_env env, napi_value v)
{
    bool b = false;
    napi_value coerced;
    if (napi_coerce_to_bool(env, v, &coerced) == napi_ok)
        napi_get_value_bool(env, coerced, &b);
    return b;
}

int32_t get_int(napi_env env, napi_value v)
{
    int32_t i = 0;
    napi_get_value_int32(env, v, &i);
    return i;
}

/* Kinesis payloads of a batch into one ArrayBuffer, with offsets (n + 1 of
 * them; record i is [off[i], off[i+1])). Records from other sources get an
 * empty range. */
bool kinesis_data(napi_env env, const shardline_batch *batch, napi_value *ab_out, napi_value *offsets_out)
{
    size_t n = shardline_batch_size(batch), total = 0;
    for (size_t i = 0; i < n; i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        if (r->source == SHARDLINE_SOURCE_KINESIS)
            total += r->kinesis.data.len;
    }
    void *data = nullptr, *offs = nullptr;
    napi_value offsets_ab;
    if (napi_create_arraybuffer(env, total, &data, ab_out) != napi_ok ||
        napi_create_arraybuffer(env, (n + 1) * sizeof(double), &offs, &offsets_ab) != napi_ok)
        return false;
    char *dst = static_cast<char *>(data);
    double *off = static_cast<double *>(offs);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        off[i] = (double)pos;
        if (r->source == SHARDLINE_SOURCE_KINESIS && r->kinesis.data.len) {
            memcpy(dst + pos, r->kinesis.data.ptr, r->kinesis.data.len);
            pos += r->kinesis.data.len;
        }
    }
    off[n] = (double)pos;
    return napi_create_typedarray(env, napi_float64_array, n + 1, offsets_ab, 0, offsets_out) == napi_ok;
}

/* Append validated JSON text as pure ASCII: every non-ASCII UTF-8 sequence
 * (they only occur inside strings) becomes its \uXXXX escape, a surrogate
 * pair above U+FFFF. The text means the same JSON, and V8 gets a one-byte
 * string: a plain copy to create and its fastest JSON.parse, instead of a
 * UTF-8 decode into a two-byte string. dst holds 3 * n bytes. */
size_t append_json_ascii(char *dst, const char *src, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *out = dst;
    size_t i = 0;
    while (i < n) {
        /* Copy the ASCII run eight bytes at a time. */
        size_t run = i;
        while (run + 8 <= n) {
            uint64_t w;
            memcpy(&w, src + run, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            run += 8;
        }
        while (run < n && (unsigned char)src[run] < 0x80)
            run++;
        memcpy(out, src + i, run - i);
        out += run - i;
        i = run;
        if (i >= n)
            break;
        unsigned char c = (unsigned char)src[i];
        uint32_t cp;
        if (c < 0xE0) {
            cp = (uint32_t)(c & 0x1F) << 6 | (src[i + 1] & 0x3F);
            i += 2;
        } else if (c < 0xF0) {
            cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(src[i + 1] & 0x3F) << 6 | (src[i + 2] & 0x3F);
            i += 3;
        } else {
            cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(src[i + 1] & 0x3F) << 12 |
                 (uint32_t)(src[i + 2] & 0x3F) << 6 | (src[i + 3] & 0x3F);
            i += 4;
        }
        uint32_t units[2];
        int count = 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            units[0] = 0xD800 | (cp >> 10);
            units[1] = 0xDC00 | (cp & 0x3FF);
            count = 2;
        } else {
            units[0] = cp;
        }
        for (int u = 0; u < count; u++) {
            out[0] = '\\';
            out[1] = 'u';
            out[2] = hex[units[u] >> 12];
            out[3] = hex[(units[u] >> 8) & 15];
            out[4] = hex[(units[u] >> 4) & 15];
            out[5] = hex[units[u] & 15];
            out += 6;
        }
    }
    return (size_t)(out - dst);
}

/* Build "[p1,p2,...]" from validated JSON payloads (BOM dropped), as one
 * ASCII string for JSON.parse. get(i) returns payload i. */
template <typename Get>
napi_value join_json(napi_env env, size_t n, Get get, const char *(*path_of)(size_t, char *))
{
    size_t total = 2;
    for (size_t i = 0; i < n; i++)
        total += 3 * get(i).len + 1;
    char *buf = static_cast<char *>(big_alloc(total));
    if (buf == nullptr)
        return throw_error(env, SHARDLINE_ERR_NOMEM, "out of memory", 0, "");
    size_t pos = 0;
    buf[pos++] = '[';
    for (size_t i = 0; i < n; i++) {
        shardline_view p = get(i);
        shardline_error err;
        if (shardline_json_validate(p.ptr, p.len, nullptr, &err) != SHARDLINE_OK) {
            big_free(buf, total);
            char pathbuf[64];
            return throw_error(env, err.code, err.message, err.offset, path_of(i, pathbuf), (int64_t)i);
        }
        if (p.len >= 3 && memcmp(p.ptr, "\xEF\xBB\xBF", 3) == 0) {
            p.ptr += 3;
            p.len -= 3;
        }
        if (i)
            buf[pos++] = ',';
        pos += append_json_ascii(buf + pos, p.ptr, p.len);
    }
    buf[pos++] = ']';
    napi_value s;
    napi_create_string_latin1(env, buf, pos, &s);
    big_free(buf, total);
    return s;
}

const char *record_data_path(size_t i, char *buf)
{
    snprintf(buf, 64, "Records[%zu].kinesis.data", i);
    return buf;
}

const char *element_path(size_t i, char *buf)
{
    snprintf(buf, 64, "[%zu]", i);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* AttributeValues -> JSON text for V8's JSON.parse, plus patches            */
/* ------------------------------------------------------------------------ */

/* A growable byte buffer; aborts on out-of-memory like V8 itself does. */
class byte_buf {
public:
    byte_buf() = default;
    byte_buf(const byte_buf &) = delete;
    byte_buf &operator=(const byte_buf &) = delete;
    ~byte_buf() { big_free(p_, cap_); }

    /* Room for n more bytes; write them at the returned pointer, then commit. */
    char *room(size_t n)
    {
        if (n > cap_ - len_) {
            size_t cap = cap_ ? cap_ : 4096;
            while (n > cap - len_)
                cap *= 2;
            char *p = static_cast<char *>(big_alloc(cap));
            if (p == nullptr)
                abort();
            if (len_)
                memcpy(p, p_, len_);
            big_free(p_, cap_);
            p_ = p;
            cap_ = cap;
        }
        return p_ + len_;
    }
    void commit(size_t n) { len_ += n; }
    void put(char c)
    {
        *room(1) = c;
        len_++;
    }
    void put(const char *s, size_t n)
    {
        if (n) {
            memcpy(room(n), s, n);
            len_ += n;
        }
    }
    void put_cstr(const char *s) { put(s, strlen(s)); }
    void put_uint(uint64_t v)
    {
        char tmp[24];
        int n = 0;
        do {
            tmp[n++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        char *o = room((size_t)n);
        for (int i = 0; i < n; i++)
            o[i] = tmp[n - 1 - i];
        len_ += (size_t)n;
    }
    const char *data() const { return p_; }
    size_t size() const { return len_; }
    void drop_last() { len_--; }

private:
    char *p_ = nullptr;
    size_t len_ = 0, cap_ = 0;
};

/* Bytes that cannot be copied into a JSON string as they are: controls,
 * '"', '\\' and every non-ASCII byte (escaped to \uXXXX so the text stays
 * one-byte for V8). */
struct escape_table {
    bool needs[256];
    constexpr escape_table() : needs()
    {
        for (int c = 0; c < 256; c++)
            needs[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    }
};
constexpr escape_table kEscape;

/* Valid UTF-8 text as a JSON string of ASCII characters. */
void put_json_string(byte_buf &o, const char *p, size_t n)
{
    char *out = o.room(6 * n + 2);
    char *start = out;
    *out++ = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && !kEscape.needs[(unsigned char)p[run]])
            run++;
        memcpy(out, p + i, run - i);
        out += run - i;
        i = run;
        if (i >= n)
            break;
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            *out++ = '\\';
            switch (c) {
            case '"': *out++ = '"'; break;
            case '\\': *out++ = '\\'; break;
            case '\n': *out++ = 'n'; break;
            case '\r': *out++ = 'r'; break;
            case '\t': *out++ = 't'; break;
            case '\b': *out++ = 'b'; break;
            case '\f': *out++ = 'f'; break;
            default:
                out[0] = 'u';
                out[1] = '0';
                out[2] = '0';
                out[3] = "0123456789abcdef"[c >> 4];
                out[4] = "0123456789abcdef"[c & 15];
                out += 5;
            }
            i++;
            continue;
        }
        size_t seq = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        out += append_json_ascii(out, p + i, seq);
        i += seq;
    }
    *out++ = '"';
    o.commit((size_t)(out - start));
}

enum patch_kind { PATCH_WRAP = 1, PATCH_BIGINT = 2, PATCH_BINARY = 3, PATCH_SET = 4 };

const char *const kTypeNames[] = {"", "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};

/* Writes images as the JSON of their native values: S as strings, N as
 * numbers when they are safe, M as objects, L as arrays, BOOL and NULL as
 * literals. What JSON cannot hold is written as a stand-in plus a patch
 * that index.js applies after JSON.parse: an N for wrapNumbers or a BigInt
 * (its text), a B (an index into one ArrayBuffer of all decoded bytes), a
 * set (an array that becomes a Set). A patch is a flat run in the patch
 * array: image, depth, the keys/indexes down from the image, kind. */
class image_emitter {
public:
    byte_buf text;
    byte_buf patches;
    byte_buf bin;
    std::vector<double> bin_off{0.0};
    bool wrap = false;
    /* The failure, when emit() returns false. */
    std::string error_path;

    bool emit_image(const shardline_attr *root, size_t image)
    {
        image_ = image;
        return emit_map(root);
    }

private:
    struct seg {
        const char *key; /* nullptr for an index */
        size_t len;
        size_t index;
        shardline_attr_type container;
    };
    std::vector<seg> path_;
    size_t image_ = 0;
    size_t patch_count_ = 0;

    /* Path steps are numbers: a key as its index in the key table (each
     * distinct name once, so V8 internalizes it once), a list index i as
     * -(i + 1). */
    void patch(int kind)
    {
        if (patch_count_++)
            patches.put(',');
        patches.put_uint(image_);
        patches.put(',');
        patches.put_uint(path_.size());
        for (const seg &s : path_) {
            patches.put(',');
            if (s.key != nullptr) {
                patches.put_uint(key_id(s.key, s.len));
            } else {
                patches.put('-');
                patches.put_uint(s.index + 1);
            }
        }
        patches.put(',');
        patches.put((char)('0' + kind));
    }

    size_t key_id(const char *p, size_t n)
    {
        auto it = key_ids_.find(std::string_view(p, n));
        if (it != key_ids_.end())
            return it->second;
        size_t id = key_ids_.size();
        key_ids_.emplace(std::string_view(p, n), id);
        if (id)
            keys.put(',');
        put_json_string(keys, p, n);
        return id;
    }

    std::unordered_map<std::string_view, size_t> key_ids_;

public:
    byte_buf keys;

private:

    /* "address.M.zip.N", "list.L[1].N", "tags.NS[2]": the C library's form. */
    void fail_here(const shardline_attr *a)
    {
        std::string p;
        for (size_t i = 0; i < path_.size(); i++) {
            const seg &s = path_[i];
            if (i > 0) {
                p += '.';
                p += kTypeNames[s.container];
            }
            if (s.key != nullptr) {
                if (i > 0)
                    p += '.';
                p.append(s.key, s.len);
            } else {
                p += '[' + std::to_string(s.index) + ']';
            }
        }
        bool set_element = !path_.empty() && path_.back().key == nullptr &&
                           path_.back().container != SHARDLINE_ATTR_L;
        if (!set_element) {
            p += '.';
            p += kTypeNames[shardline_attr_get_type(a)];
        }
        error_path = p;
    }

    static bool json_number_syntax(const char *p, size_t n)
    {
        /* DynamoDB's grammar is JSON's except that it allows leading zeros. */
        size_t i = n > 0 && p[0] == '-' ? 1 : 0;
        return !(i + 1 < n && p[i] == '0' && p[i + 1] >= '0' && p[i + 1] <= '9');
    }

    static bool integer_syntax(const char *p, size_t n)
    {
        size_t i = n > 0 && p[0] == '-' ? 1 : 0;
        if (i == n)
            return false;
        for (; i < n; i++)
            if (p[i] < '0' || p[i] > '9')
                return false;
        return true;
    }

    bool emit_number(const shardline_attr *a)
    {
        shardline_view t = shardline_attr_number_text(a);
        if (wrap) {
            put_json_string(text, t.ptr, t.len);
            patch(PATCH_WRAP);
            return true;
        }
        double d = 0;
        shardline_attr_number_double(a, &d);
        if (d > kMaxSafe || d < -kMaxSafe) {
            if (!integer_syntax(t.ptr, t.len)) {
                fail_here(a);
                return false;
            }
            put_json_string(text, t.ptr, t.len);
            patch(PATCH_BIGINT);
            return true;
        }
        if (json_number_syntax(t.ptr, t.len)) {
            text.put(t.ptr, t.len);
        } else {
            char tmp[32];
            int n = snprintf(tmp, sizeof tmp, "%.17g", d);
            text.put(tmp, (size_t)n);
        }
        return true;
    }

    void emit_binary(const shardline_attr *a)
    {
        shardline_view b = shardline_attr_binary(a);
        text.put_uint(bin_off.size() - 1);
        bin.put(b.ptr, b.len);
        bin_off.push_back((double)bin.size());
        patch(PATCH_BINARY);
    }

    /* Member i of map m is shadowed when its name appears again later:
     * JSON.parse keeps the last one, and so must the patches. */
    static bool shadowed(const shardline_attr *m, size_t i, size_t n)
    {
        shardline_view k = shardline_attr_key_at(m, i);
        for (size_t j = i + 1; j < n; j++) {
            shardline_view o = shardline_attr_key_at(m, j);
            if (o.len == k.len && memcmp(o.ptr, k.ptr, k.len) == 0)
                return true;
        }
        return false;
    }

    bool emit_map(const shardline_attr *m)
    {
        size_t n = shardline_attr_size(m);
        /* Duplicate names are rare; only small maps are checked pairwise,
         * large ones through a sorted copy of their names. */
        std::vector<char> skip;
        if (n > 1) {
            if (n <= 32) {
                for (size_t i = 0; i + 1 < n; i++)
                    if (shadowed(m, i, n)) {
                        skip.resize(n, 0);
                        skip[i] = 1;
                    }
            } else {
                std::vector<std::pair<std::string, size_t>> names(n);
                for (size_t i = 0; i < n; i++) {
                    shardline_view k = shardline_attr_key_at(m, i);
                    names[i] = {std::string(k.ptr, k.len), i};
                }
                std::sort(names.begin(), names.end());
                for (size_t i = 0; i + 1 < n; i++)
                    if (names[i].first == names[i + 1].first) {
                        skip.resize(n, 0);
                        skip[names[i].second] = 1;
                    }
            }
        }
        text.put('{');
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            if (!skip.empty() && skip[i])
                continue;
            if (!first)
                text.put(',');
            first = false;
            shardline_view k = shardline_attr_key_at(m, i);
            put_json_string(text, k.ptr, k.len);
            text.put(':');
            path_.push_back({k.ptr, k.len, 0, SHARDLINE_ATTR_M});
            if (!emit(shardline_attr_member_at(m, i)))
                return false;
            path_.pop_back();
        }
        text.put('}');
        return true;
    }

    bool emit_list(const shardline_attr *l, shardline_attr_type type)
    {
        size_t n = shardline_attr_size(l);
        text.put('[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                text.put(',');
            path_.push_back({nullptr, 0, i, type});
            if (!emit(shardline_attr_at(l, i)))
                return false;
            path_.pop_back();
        }
        text.put(']');
        if (type != SHARDLINE_ATTR_L)
            patch(PATCH_SET);
        return true;
    }

    /* Recursion depth is bounded by the parser's max_depth (1024). */
    bool emit(const shardline_attr *a)
    {
        shardline_attr_type type = shardline_attr_get_type(a);
        switch (type) {
        case SHARDLINE_ATTR_S: {
            shardline_view v = shardline_attr_string(a);
            put_json_string(text, v.ptr, v.len);
            return true;
        }
        case SHARDLINE_ATTR_N:
            return emit_number(a);
        case SHARDLINE_ATTR_B:
            emit_binary(a);
            return true;
        case SHARDLINE_ATTR_BOOL:
            text.put_cstr(shardline_attr_bool(a) == 1 ? "true" : "false");
            return true;
        case SHARDLINE_ATTR_NULL:
            text.put_cstr("null");
            return true;
        case SHARDLINE_ATTR_M:
            return emit_map(a);
        default:
            return emit_list(a, type);
        }
    }
};

/* The emitter's JSON text ("[[strings], [images], [patches]]"), the decoded
 * binaries and their offsets, as JS values; false after throwing. */
bool images_json(napi_env env, image_emitter &e, napi_value *json, napi_value *bin_ab, napi_value *bin_offsets)
{
    napi_create_string_latin1(env, e.text.data(), e.text.size(), json);
    void *data = nullptr, *od = nullptr;
    napi_value off_ab;
    if (napi_create_arraybuffer(env, e.bin.size(), &data, bin_ab) != napi_ok ||
        napi_create_arraybuffer(env, e.bin_off.size() * sizeof(double), &od, &off_ab) != napi_ok)
        return false;
    if (e.bin.size())
        memcpy(data, e.bin.data(), e.bin.size());
    memcpy(od, e.bin_off.data(), e.bin_off.size() * sizeof(double));
    return napi_create_typedarray(env, napi_float64_array, e.bin_off.size(), off_ab, 0, bin_offsets) == napi_ok;
}

/* Close the images array and append the patches and their key table:
 * "...],[patches],[keys]]". */
void finish_images(image_emitter &e)
{
    e.text.put("],[", 3);
    e.text.put(e.patches.data(), e.patches.size());
    e.text.put("],[", 3);
    e.text.put(e.keys.data(), e.keys.size());
    e.text.put("]]", 2);
}

/* Columns parse() turns into records (see index.js, which owns the layout). */
enum {
    COL_EVENT_SOURCE,
    COL_EVENT_VERSION,
    COL_EVENT_ID,
    COL_EVENT_NAME,
    COL_INVOKE_IDENTITY_ARN,
    COL_AWS_REGION,
    COL_EVENT_SOURCE_ARN,
    COL_A, /* kinesisSchemaVersion | SequenceNumber */
    COL_B, /* partitionKey | StreamViewType */
    COL_C, /* sequenceNumber | userIdentity.type */
    COL_D, /* encryptionType | userIdentity.principalId */
    COL_E, /* approximateArrivalTimestamp text | tableName */
    COL_F, /* - | recordFormat */
    COL_COUNT
};
enum { NUM_SOURCE, NUM_TIME, NUM_SIZE, NUM_COUNT };

/* parse()'s columns in one JSON text and a few typed arrays:
 * [json, nums, data ArrayBuffer, data offsets, binary ArrayBuffer, binary
 * offsets, string ids] where json is "[[strings], [images], [patches], [keys]]".
 * Each record has COL_COUNT string ids (Int32Array; -1 when absent) into the
 * strings array, which holds a value once when consecutive records repeat it
 * (eventSource, region, ARNs, ...); three images per record (Keys, NewImage,
 * OldImage; null when absent or not DynamoDB). index.js owns the layout. */
napi_value records_columns(napi_env env, const shardline_batch *batch, bool wrap)
{
    size_t n = shardline_batch_size(batch);
    napi_value nums_ab, nums, ab, offsets, json, bin_ab, bin_offsets, ids_ab, ids;
    void *nums_data, *ids_data;
    napi_create_arraybuffer(env, n * NUM_COUNT * sizeof(double), &nums_data, &nums_ab);
    napi_create_typedarray(env, napi_float64_array, n * NUM_COUNT, nums_ab, 0, &nums);
    napi_create_arraybuffer(env, n * COL_COUNT * sizeof(int32_t), &ids_data, &ids_ab);
    napi_create_typedarray(env, napi_int32_array, n * COL_COUNT, ids_ab, 0, &ids);
    if (!kinesis_data(env, batch, &ab, &offsets))
        return nullptr;
    double *num = static_cast<double *>(nums_data);
    int32_t *id = static_cast<int32_t *>(ids_data);
    image_emitter e;
    e.wrap = wrap;
    byte_buf &t = e.text;
    t.put("[[", 2);
    struct last {
        const char *ptr = nullptr;
        size_t len = 0;
        int32_t id = -1;
    } prev[COL_COUNT];
    int32_t count = 0;
    size_t i = 0;
    auto put = [&](int col, shardline_view view) {
        int32_t *slot = id + i * COL_COUNT + col;
        if (view.ptr == nullptr) {
            *slot = -1;
            return;
        }
        last &l = prev[col];
        if (l.id >= 0 && l.len == view.len && memcmp(l.ptr, view.ptr, view.len) == 0) {
            *slot = l.id;
            return;
        }
        if (count)
            t.put(',');
        put_json_string(t, view.ptr, view.len);
        l.ptr = view.ptr;
        l.len = view.len;
        l.id = count++;
        *slot = l.id;
    };
    bool any_dynamodb = false;
    shardline_view none = {nullptr, 0};
    for (i = 0; i < n; i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        put(COL_EVENT_SOURCE, r->event_source);
        put(COL_EVENT_VERSION, r->event_version);
        put(COL_EVENT_ID, r->event_id);
        put(COL_EVENT_NAME, r->event_name);
        put(COL_INVOKE_IDENTITY_ARN, r->invoke_identity_arn);
        put(COL_AWS_REGION, r->aws_region);
        put(COL_EVENT_SOURCE_ARN, r->event_source_arn);
        double *nr = num + i * NUM_COUNT;
        nr[NUM_SOURCE] = (double)r->source;
        if (r->source == SHARDLINE_SOURCE_KINESIS) {
            const shardline_kinesis *k = &r->kinesis;
            put(COL_A, k->kinesis_schema_version);
            put(COL_B, k->partition_key);
            put(COL_C, k->sequence_number);
            put(COL_D, k->encryption_type);
            put(COL_E, none);
            put(COL_F, none);
            nr[NUM_TIME] = k->approximate_arrival_timestamp;
            nr[NUM_SIZE] = NAN;
        } else {
            const shardline_dynamodb *d = r->dynamodb;
            any_dynamodb = true;
            put(COL_A, d->sequence_number);
            put(COL_B, d->stream_view_type);
            put(COL_C, d->user_identity_type);
            put(COL_D, d->user_identity_principal_id);
            put(COL_E, d->table_name);
            put(COL_F, d->record_format);
            nr[NUM_TIME] = d->approximate_creation_date_time;
            nr[NUM_SIZE] = d->size_bytes >= 0 ? (double)d->size_bytes : NAN;
        }
    }
    t.put("],[", 3);
    for (i = 0; any_dynamodb && i < n; i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        const shardline_attr *imgs[3] = {nullptr, nullptr, nullptr};
        if (r->dynamodb != nullptr) {
            imgs[0] = r->dynamodb->keys;
            imgs[1] = r->dynamodb->new_image;
            imgs[2] = r->dynamodb->old_image;
        }
        static const char *const names[3] = {"Keys", "NewImage", "OldImage"};
        for (size_t k = 0; k < 3; k++) {
            if (i + k)
                t.put(',');
            if (imgs[k] == nullptr) {
                t.put("null", 4);
            } else if (!e.emit_image(imgs[k], i * 3 + k)) {
                std::string path = "Records[" + std::to_string(i) + "].dynamodb." + names[k] + "." + e.error_path;
                return throw_error(env, SHARDLINE_ERR_ATTR_NUMBER, kUnsafeNumber, r->offset, path.c_str());
            }
        }
    }
    finish_images(e);
    if (!images_json(env, e, &json, &bin_ab, &bin_offsets))
        return nullptr;
    napi_value out;
    napi_create_array_with_length(env, 7, &out);
    napi_set_element(env, out, 0, json);
    napi_set_element(env, out, 1, nums);
    napi_set_element(env, out, 2, ab);
    napi_set_element(env, out, 3, offsets);
    napi_set_element(env, out, 4, bin_ab);
    napi_set_element(env, out, 5, bin_offsets);
    napi_set_element(env, out, 6, ids);
    return out;
}

/* The first record that is not from Kinesis, as an error for the
 * Kinesis-only entry points; false when every record is from Kinesis. */
bool reject_non_kinesis(napi_env env, const shardline_batch *batch)
{
    for (size_t i = 0; i < shardline_batch_size(batch); i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        if (r->source != SHARDLINE_SOURCE_KINESIS) {
            std::string path = "Records[" + std::to_string(i) + "].eventSource";
            throw_error(env, SHARDLINE_ERR_FIELD_VALUE, "record is not from Kinesis Data Streams", r->offset,
                        path.c_str(), (int64_t)i);
            return true;
        }
    }
    return false;
}

struct batch_holder {
    shardline_batch *b = nullptr;
    ~batch_holder() { shardline_batch_free(b); }
};

/* A JS tree from a shardline JSON document. */
struct json_builder {
    napi_env env;
    string_cache keys;
    explicit json_builder(napi_env e) : env(e), keys(e) {}

    napi_value build(const shardline_value *v)
    {
        napi_value out;
        switch (shardline_value_type(v)) {
        case SHARDLINE_TYPE_NULL: napi_get_null(env, &out); return out;
        case SHARDLINE_TYPE_FALSE: napi_get_boolean(env, false, &out); return out;
        case SHARDLINE_TYPE_TRUE: napi_get_boolean(env, true, &out); return out;
        case SHARDLINE_TYPE_NUMBER: {
            double d = 0;
            shardline_value_number_double(v, &d);
            napi_create_double(env, d, &out);
            return out;
        }
        case SHARDLINE_TYPE_STRING: {
            shardline_view s = shardline_value_string(v);
            return s.len <= 16 ? keys.get(s.ptr, s.len) : make_text(env, s.ptr, s.len);
        }
        case SHARDLINE_TYPE_ARRAY: {
            size_t n = shardline_value_size(v);
            napi_create_array_with_length(env, n, &out);
            for (size_t i = 0; i < n; i++)
                napi_set_element(env, out, (uint32_t)i, build(shardline_value_at(v, i)));
            return out;
        }
        case SHARDLINE_TYPE_OBJECT: {
            size_t n = shardline_value_size(v);
            napi_create_object(env, &out);
            for (size_t i = 0; i < n; i++) {
                shardline_view k = shardline_value_key_at(v, i);
                napi_set_property(env, out, keys.get(k.ptr, k.len), build(shardline_value_member_at(v, i)));
            }
            return out;
        }
        }
        return undefined_value(env);
    }
};

/* The characters of a JS string that should hold base64, one byte each:
 * V8 copies the UTF-16 units out (a plain widening copy for one-byte
 * strings, much faster than UTF-8 conversion), and each unit above 0x7F
 * becomes 0x80, a byte outside the base64 alphabet, so the strict decoder
 * reports it at its own index. */
bool base64_chars(napi_env env, napi_value s, std::u16string *wide, std::string *buf, size_t *len)
{
    if (napi_get_value_string_utf16(env, s, nullptr, 0, len) != napi_ok)
        return false;
    wide->resize(*len + 1);
    buf->resize(*len + 1);
    size_t got = 0;
    napi_get_value_string_utf16(env, s, &(*wide)[0], *len + 1, &got);
    const char16_t *w = wide->data();
    char *o = &(*buf)[0];
    for (size_t i = 0; i < got; i++)
        o[i] = w[i] < 0x80 ? (char)w[i] : (char)0x80;
    *len = got;
    return true;
}

} // namespace

napi_value sl_init(napi_env env, napi_value parse_error_ctor)
{
    instance *inst = get_instance(env);
    if (inst == nullptr) {
        inst = new instance();
        inst->env = env;
        tls_instance = inst;
        napi_add_env_cleanup_hook(env, instance_cleanup, inst);
    }
    if (inst->parse_error != nullptr)
        napi_delete_reference(env, inst->parse_error);
    napi_create_reference(env, parse_error_ctor, 1, &inst->parse_error);
    if (inst->set_ctor == nullptr) {
        napi_value global, set;
        napi_get_global(env, &global);
        napi_get_named_property(env, global, "Set", &set);
        napi_create_reference(env, set, 1, &inst->set_ctor);
    }
    return undefined_value(env);
}

napi_value sl_parse_raw(napi_env env, napi_value input, napi_value mode_value, napi_value wrap)
{
    input_bytes in;
    if (!get_input(env, input, &in))
        return nullptr;
    int mode = get_int(env, mode_value);
    const shardline_options options = parse_options();
    batch_holder batch;
    shardline_error err;
    if (shardline_batch_parse(in.ptr, in.len, &options, &batch.b, &err) != SHARDLINE_OK)
        return throw_shardline(env, &err);
    if (mode == SL_MODE_RECORDS)
        return records_columns(env, batch.b, get_bool(env, wrap));
    if (reject_non_kinesis(env, batch.b))
        return nullptr;
    if (mode == SL_MODE_JSON) {
        const shardline_batch *b = batch.b;
        return join_json(
            env, shardline_batch_size(b),
            [b](size_t i) { return shardline_batch_record(b, i)->kinesis.data; }, record_data_path);
    }
    napi_value ab, offsets, out;
    if (!kinesis_data(env, batch.b, &ab, &offsets))
        return nullptr;
    napi_create_array_with_length(env, 2, &out);
    napi_set_element(env, out, 0, ab);
    napi_set_element(env, out, 1, offsets);
    return out;
}

/* The image in input (a Buffer or string), or NULL with the error thrown.
 * Its strings may point into *in (a string's UTF-8 copy): keep *in alive
 * while the image is. */
static shardline_image *parse_image(napi_env env, napi_value input, input_bytes *in)
{
    if (!get_input(env, input, in))
        return nullptr;
    shardline_image *image = nullptr;
    shardline_error err;
    const shardline_options options = parse_options();
    if (shardline_image_parse(in->ptr, in->len, &options, &image, &err) != SHARDLINE_OK)
        throw_shardline(env, &err);
    return image;
}

napi_value sl_image_raw(napi_env env, napi_value input, napi_value wrap)
{
    input_bytes in;
    shardline_image *image = parse_image(env, input, &in);
    if (image == nullptr)
        return nullptr;
    image_emitter e;
    e.wrap = get_bool(env, wrap);
    e.text.put("[[],[", 5); /* no record strings, then the one image */
    bool ok = e.emit_image(shardline_image_root(image), 0);
    shardline_image_free(image);
    if (!ok)
        return throw_error(env, SHARDLINE_ERR_ATTR_NUMBER, kUnsafeNumber, 0, e.error_path.c_str());
    finish_images(e);
    napi_value json, bin_ab, bin_offsets, out;
    if (!images_json(env, e, &json, &bin_ab, &bin_offsets))
        return nullptr;
    napi_create_array_with_length(env, 3, &out);
    napi_set_element(env, out, 0, json);
    napi_set_element(env, out, 1, bin_ab);
    napi_set_element(env, out, 2, bin_offsets);
    return out;
}

/* The napi-object strategy for images, kept for bench_node.js --strategies:
 * every value made through Node-API calls (measured slower than JSON.parse). */
napi_value sl_image_raw_napi(napi_env env, napi_value input, napi_value wrap)
{
    input_bytes in;
    shardline_image *image = parse_image(env, input, &in);
    if (image == nullptr)
        return nullptr;
    attr_builder builder(env, get_wrap(env, wrap));
    const shardline_attr *root = shardline_image_root(image);
    napi_value out = builder.build(root);
    if (out == nullptr && builder.failed != nullptr)
        throw_unsafe_number(env, root, builder.failed, "", 0);
    shardline_image_free(image);
    return out;
}

napi_value sl_decode_many(napi_env env, napi_value strings, napi_value mode_value)
{
    int mode = get_int(env, mode_value);
    uint32_t n = 0;
    bool is_array = false;
    napi_is_array(env, strings, &is_array);
    if (!is_array)
        return throw_type(env, "expected an array of base64 strings");
    napi_get_array_length(env, strings, &n);
    /* Pass 1: lengths, to size one output buffer. */
    std::string scratch;
    std::u16string wide;
    size_t cap = 0;
    for (uint32_t i = 0; i < n; i++) {
        napi_value s;
        napi_valuetype t;
        napi_get_element(env, strings, i, &s);
        napi_typeof(env, s, &t);
        if (t != napi_string) {
            char path[64];
            return throw_error(env, SHARDLINE_ERR_FIELD_TYPE, "expected a string", 0, element_path(i, path), i);
        }
        size_t len = 0;
        napi_get_value_string_utf16(env, s, nullptr, 0, &len);
        cap += SHARDLINE_BASE64_DECODED_MAX(len) + 1;
    }
    /* Pass 2: decode. For JSON, payloads land behind "[" and "," directly. */
    byte_buf joined;
    void *data = nullptr;
    napi_value ab = nullptr, offsets_ab, offsets;
    char *out;
    double *off = nullptr;
    std::string payload;
    if (mode == SL_MODE_JSON) {
        out = joined.room(3 * cap + 2);
    } else {
        if (napi_create_arraybuffer(env, cap, &data, &ab) != napi_ok)
            return nullptr;
        out = static_cast<char *>(data);
        void *od;
        napi_create_arraybuffer(env, ((size_t)n + 1) * sizeof(double), &od, &offsets_ab);
        napi_create_typedarray(env, napi_float64_array, (size_t)n + 1, offsets_ab, 0, &offsets);
        off = static_cast<double *>(od);
    }
    size_t pos = 0;
    if (mode == SL_MODE_JSON)
        out[pos++] = '[';
    for (uint32_t i = 0; i < n; i++) {
        napi_value s;
        napi_get_element(env, strings, i, &s);
        size_t len = 0;
        base64_chars(env, s, &wide, &scratch, &len);
        if (mode == SL_MODE_JSON && i)
            out[pos++] = ',';
        if (off != nullptr)
            off[i] = (double)pos;
        size_t got = 0;
        shardline_error err;
        char *dst = out + pos;
        if (mode == SL_MODE_JSON) {
            payload.resize(SHARDLINE_BASE64_DECODED_MAX(len) + 1);
            dst = &payload[0];
        }
        if (shardline_base64_decode(scratch.data(), len, reinterpret_cast<uint8_t *>(dst),
                                    SHARDLINE_BASE64_DECODED_MAX(len), &got, &err) != SHARDLINE_OK) {
            char path[64];
            return throw_error(env, err.code, err.message, err.offset, element_path(i, path), i);
        }
        if (mode == SL_MODE_JSON) {
            if (shardline_json_validate(dst, got, nullptr, &err) != SHARDLINE_OK) {
                char path[64];
                /* The offset is into the decoded payload. */
                return throw_error(env, err.code, err.message, err.offset, element_path(i, path), i);
            }
            size_t skip = got >= 3 && memcmp(dst, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
            pos += append_json_ascii(out + pos, dst + skip, got - skip);
            continue;
        }
        pos += got;
    }
    if (mode == SL_MODE_JSON) {
        out[pos++] = ']';
        napi_value text;
        napi_create_string_latin1(env, out, pos, &text);
        return text;
    }
    off[n] = (double)pos;
    napi_value result;
    napi_create_array_with_length(env, 2, &result);
    napi_set_element(env, result, 0, ab);
    napi_set_element(env, result, 1, offsets);
    return result;
}

napi_value sl_base64_decode(napi_env env, napi_value text)
{
    napi_valuetype t;
    napi_typeof(env, text, &t);
    if (t != napi_string)
        return throw_error(env, SHARDLINE_ERR_FIELD_TYPE, "expected a base64 string", 0, "");
    std::string scratch;
    std::u16string wide;
    size_t len = 0;
    base64_chars(env, text, &wide, &scratch, &len);
    napi_value ab, out;
    void *data = nullptr;
    size_t cap = SHARDLINE_BASE64_DECODED_MAX(len), got = 0;
    shardline_error err;
    std::string tmp(cap + 1, '\0');
    if (shardline_base64_decode(scratch.data(), len, reinterpret_cast<uint8_t *>(&tmp[0]), cap, &got, &err) !=
        SHARDLINE_OK)
        return throw_shardline(env, &err);
    napi_create_arraybuffer(env, got, &data, &ab);
    if (got)
        memcpy(data, tmp.data(), got);
    napi_create_typedarray(env, napi_uint8_array, got, ab, 0, &out);
    return out;
}

napi_value sl_json_text(napi_env env, napi_value input)
{
    input_bytes in;
    if (!get_input(env, input, &in))
        return nullptr;
    shardline_error err;
    if (shardline_json_validate(in.ptr, in.len, nullptr, &err) != SHARDLINE_OK)
        return throw_shardline(env, &err);
    const char *p = in.ptr;
    size_t n = in.len;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        n -= 3;
    }
    return make_text(env, p, n);
}

napi_value sl_json_tree(napi_env env, napi_value input)
{
    input_bytes in;
    if (!get_input(env, input, &in))
        return nullptr;
    shardline_doc *doc = nullptr;
    shardline_error err;
    if (shardline_json_parse(in.ptr, in.len, nullptr, &doc, &err) != SHARDLINE_OK)
        return throw_shardline(env, &err);
    json_builder b(env);
    napi_value out = b.build(shardline_doc_root(doc));
    shardline_doc_free(doc);
    return out;
}
