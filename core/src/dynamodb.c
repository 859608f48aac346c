/* dynamodb.c - DynamoDB AttributeValue unmarshalling into typed trees, and their accessors. */
#include "dynamodb.h"

/* ---- numbers ------------------------------------------------------------------ */

/* DynamoDB's number rules: -?digits(.digits)?([eE][+-]?digits)?, at most 38
 * significant digits, and a non-zero magnitude from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125. */
static bool dynamodb_number_valid(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    if (p < end && *p == '-')
        p++;
    /* The digits before and after the point, as runs. */
    const char *int_start = p;
    p = sl_digit_run(p, end);
    const char *int_end = p, *frac_start = p, *frac_end = p;
    if (int_end == int_start)
        return false;
    if (p < end && *p == '.') {
        frac_start = ++p;
        p = sl_digit_run(p, end);
        frac_end = p;
        if (frac_end == frac_start)
            return false;
    }
    int64_t exp = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool neg = false;
        if (p < end && (*p == '+' || *p == '-'))
            neg = *p++ == '-';
        const char *e = p;
        while (p < end && *p >= '0' && *p <= '9') {
            if (exp < 100000)
                exp = exp * 10 + (*p - '0');
            p++;
        }
        if (p == e)
            return false;
        if (neg)
            exp = -exp;
    }
    if (p != end)
        return false;
    /* Digits numbered across the point: the significant ones run from the
     * first non-zero digit to the last, and the first one's power of ten
     * is its place. Both ends are usually the runs' own ends. */
    int64_t int_digits = int_end - int_start, first = -1, last = -1;
    for (const char *q = int_start; q < int_end && first < 0; q++)
        if (*q != '0')
            first = q - int_start;
    for (const char *q = frac_start; q < frac_end && first < 0; q++)
        if (*q != '0')
            first = int_digits + (q - frac_start);
    if (first < 0)
        return true; /* zero */
    for (const char *q = frac_end; q > frac_start && last < 0; q--)
        if (q[-1] != '0')
            last = int_digits + (q - 1 - frac_start);
    for (const char *q = int_end; q > int_start && last < 0; q--)
        if (q[-1] != '0')
            last = q - 1 - int_start;
    int64_t lead = int_digits - 1 - first + exp;
    return last - first + 1 <= 38 && lead >= -130 && lead <= 125;
}

/* dynamodb_number_valid for an N value inside the parser's input, with a
 * quick answer for the usual shapes: -?digits(.digits)? and that with an
 * exponent of one or two digits, e[+-]?digits, in at most 16 bytes. Such a
 * number has at most 15 significant digits and a magnitude between 1E-114
 * and 1E+114, always within DynamoDB's limits, so the grammar alone
 * decides. The check looks at 16 bytes at once (only when they lie inside
 * the input) and leaves every other text to the full rules. */
static bool number_valid_at(const sl_parser *P, const char *s, size_t len)
{
#if defined(__SSE2__)
    if (len > 0 && len <= 16 && P->end - s >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        __m128i x = _mm_sub_epi8(v, _mm_set1_epi8('0'));
        /* x <= 9 as unsigned bytes: a digit. */
        unsigned digits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x));
        unsigned dots = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
        /* 'E' and 'e' differ in one bit. */
        unsigned exps = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
                                                                     _mm_set1_epi8('e')));
        unsigned body = ((1u << len) - 1) & (s[0] == '-' ? ~1u : ~0u);
        exps &= body;
        /* The mantissa runs up to the first e, the exponent after it. */
        unsigned mantissa = exps ? body & ((exps & (0u - exps)) - 1) : body;
        unsigned exponent = body & ~mantissa & ~exps;
        unsigned mdigits = digits & mantissa, mdots = dots & mantissa;
        /* Digits and at most one point fill the mantissa, and a digit
         * stands on each side of the point. */
        bool ok = (mdigits | mdots) == mantissa && mdigits != 0 && (mdots & (mdots - 1)) == 0 &&
                  (mdots == 0 || ((mdots >> 1) & mdigits && (mdots << 1) & mdigits));
        if (ok && exps != 0) {
            /* One e, a sign right after it or none, then one or two digits. */
            unsigned signs = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')),
                                                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
            unsigned edigits = digits & exponent, esign = signs & exponent;
            unsigned past_two = edigits & (edigits - 1);
            past_two &= past_two - 1;
            ok = (exps & (exps - 1)) == 0 && (edigits | esign) == exponent && (esign & ~(exps << 1)) == 0 &&
                 edigits != 0 && past_two == 0;
        }
        if (ok)
            return true;
    }
#else
    (void)P;
#endif
    return dynamodb_number_valid(s, len);
}

int shardline_dynamodb_number_valid(const char *text, size_t len)
{
    return text != NULL && len > 0 && dynamodb_number_valid(text, len);
}

/* ---- the unmarshaller ------------------------------------------------------------- */

/* What the walker is inside of, innermost last. */
typedef enum frame_kind {
    FRAME_MAP,  /* the members of an image or an M: name -> AttributeValue */
    FRAME_LIST, /* the elements of an L */
    FRAME_ATTR  /* an AttributeValue object whose value has been read */
} frame_kind;

typedef struct frame {
    uint8_t kind;
    bool first;
    uint32_t index; /* next list index */
} frame;

typedef struct type_key {
    const char *name;
    size_t len;
    shardline_attr_type type;
} type_key;

static const type_key type_keys[] = {
    {"S", 1, SHARDLINE_ATTR_S},     {"N", 1, SHARDLINE_ATTR_N},     {"B", 1, SHARDLINE_ATTR_B},
    {"BOOL", 4, SHARDLINE_ATTR_BOOL}, {"NULL", 4, SHARDLINE_ATTR_NULL}, {"M", 1, SHARDLINE_ATTR_M},
    {"L", 1, SHARDLINE_ATTR_L},     {"SS", 2, SHARDLINE_ATTR_SS},   {"NS", 2, SHARDLINE_ATTR_NS},
    {"BS", 2, SHARDLINE_ATTR_BS},
};

static const type_key *find_type_key(const sl_string *key)
{
    /* Every AttributeValue has one: decide unescaped keys by length and
     * bytes, without a search. */
    if (!key->escaped) {
        const char *k = key->raw;
        switch (key->len) {
        case 1:
            switch (k[0]) {
            case 'S': return &type_keys[0];
            case 'N': return &type_keys[1];
            case 'B': return &type_keys[2];
            case 'M': return &type_keys[5];
            case 'L': return &type_keys[6];
            default: return NULL;
            }
        case 2:
            if (k[1] != 'S')
                return NULL;
            return k[0] == 'S' ? &type_keys[7] : k[0] == 'N' ? &type_keys[8] : k[0] == 'B' ? &type_keys[9] : NULL;
        case 4:
            return memcmp(k, "BOOL", 4) == 0 ? &type_keys[3] : memcmp(k, "NULL", 4) == 0 ? &type_keys[4] : NULL;
        default:
            return NULL;
        }
    }
    for (size_t i = 0; i < sizeof type_keys / sizeof type_keys[0]; i++)
        if (sl_key_equals(key, type_keys[i].name, type_keys[i].len))
            return &type_keys[i];
    return NULL;
}

/* Double the parser's frame stack (kept across records); false when that fails. */
static bool grow_frames(sl_parser *P, size_t count)
{
    size_t cap = P->frames_cap / sizeof(frame);
    size_t ncap = cap ? cap * 2 : 16;
    frame *f = sl_alloc(&P->allocator, ncap * sizeof *f);
    if (f == NULL)
        return false;
    if (count)
        memcpy(f, P->frames, count * sizeof *f);
    sl_free(&P->allocator, P->frames, P->frames_cap);
    P->frames = f;
    P->frames_cap = ncap * sizeof *f;
    return true;
}

static inline frame *push_frame(sl_parser *P, size_t *count, frame_kind kind)
{
    if (SL_UNLIKELY(*count == P->frames_cap / sizeof(frame)) && !grow_frames(P, *count))
        return NULL;
    frame *f = (frame *)P->frames + (*count)++;
    f->kind = (uint8_t)kind;
    f->first = true;
    f->index = 0;
    return f;
}

/* One scalar AttributeValue (S N B BOOL NULL), or a set element, as a node. */
static shardline_status read_scalar(sl_parser *P, shardline_attr_type type, sl_node *node)
{
    shardline_view text = {NULL, 0};
    shardline_status st;
    const char *at = P->p;
    switch (type) {
    case SHARDLINE_ATTR_S:
        st = sl_read_string(P, &text);
        break;
    case SHARDLINE_ATTR_N:
        st = sl_read_string(P, &text);
        if (st == SHARDLINE_OK && !dynamodb_number_valid(text.ptr, text.len))
            st = sl_fail(P, SHARDLINE_ERR_ATTR_NUMBER, at);
        break;
    case SHARDLINE_ATTR_B:
        st = sl_read_base64(P, &text);
        break;
    case SHARDLINE_ATTR_BOOL:
        if ((st = sl_expect_kind(P, 't')) == SHARDLINE_OK) {
            bool value = *P->p == 't';
            st = value ? sl_scan_literal(P, "true", 4) : sl_scan_literal(P, "false", 5);
            text.len = value;
        }
        break;
    default: /* NULL: only {"NULL": true} exists */
        if ((st = sl_expect_kind(P, 't')) != SHARDLINE_OK)
            break;
        if (*P->p == 't')
            st = sl_scan_literal(P, "true", 4);
        else if ((st = sl_scan_literal(P, "false", 5)) == SHARDLINE_OK)
            st = sl_fail(P, SHARDLINE_ERR_FIELD_VALUE, at);
        break;
    }
    if (st == SHARDLINE_OK && !sl_node_set(P, node, type, text.ptr, text.len))
        st = sl_fail(P, SHARDLINE_ERR_NOMEM, at);
    return st;
}

/* The B value whose base64 text runs from text to its closing quote at
 * close, with no '"' or '\\' in it, decoded into node. */
static shardline_status plain_base64_node(sl_parser *P, const char *text, const char *close, sl_node *node)
{
    shardline_view bytes;
    shardline_status st = sl_decode_plain_base64(P, text, (size_t)(close - text), &bytes);
    if (st == SHARDLINE_OK && !sl_node_set(P, node, SHARDLINE_ATTR_B, bytes.ptr, bytes.len))
        st = sl_fail(P, SHARDLINE_ERR_NOMEM, text - 1);
    return st;
}

/* The elements of an SS, NS or BS: an array of strings of one kind. */
static shardline_status read_set(sl_parser *P, shardline_attr_type set_type, uint32_t depth)
{
    static const shardline_attr_type element[] = {
        [SHARDLINE_ATTR_SS] = SHARDLINE_ATTR_S,
        [SHARDLINE_ATTR_NS] = SHARDLINE_ATTR_N,
        [SHARDLINE_ATTR_BS] = SHARDLINE_ATTR_B,
    };
    sl_builder *B = &P->builder;
    if (depth >= P->max_depth)
        return sl_fail(P, SHARDLINE_ERR_DEPTH, P->p);
    if (!sl_builder_open(P, B, set_type))
        return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
    P->p++;
    bool first = true, done = false;
    shardline_status st;
    for (uint32_t i = 0;; i++) {
        if ((st = sl_array_next(P, &first, &done)) != SHARDLINE_OK)
            return st;
        if (done)
            break;
        sl_path_push_index(&P->path, i);
        if ((st = sl_expect_kind(P, '"')) != SHARDLINE_OK)
            return st;
        sl_node *node = sl_builder_push(P, B);
        if (node == NULL)
            return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
        /* SS and NS elements without escapes (and valid numbers) are taken
         * as they stand, BS elements without escapes decoded as they stand;
         * anything else is read_scalar's. */
        const char *p = P->p + 1, *close;
        shardline_view text;
        if (P->fast && set_type != SHARDLINE_ATTR_BS && sl_plain_string(P, &p, &text) &&
            (set_type == SHARDLINE_ATTR_SS || number_valid_at(P, text.ptr, text.len)) &&
            sl_node_set(P, node, element[set_type], text.ptr, text.len)) {
            P->p = p;
        } else if (P->fast && set_type == SHARDLINE_ATTR_BS &&
                   (close = sl_quote_or_backslash(p, P->end)) != NULL && *close == '"') {
            if ((st = plain_base64_node(P, p, close, node)) != SHARDLINE_OK)
                return st;
            P->p = close + 1;
        } else if ((st = read_scalar(P, element[set_type], node)) != SHARDLINE_OK) {
            return st;
        }
        sl_path_pop(&P->path);
    }
    if (!sl_builder_close(P, B, false))
        return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
    return SHARDLINE_OK;
}

/* The next member name of a map at P->p, written compactly and without
 * escapes (`"name":` or, after the first, `,"name":`) and followed by a
 * value: taken as it stands, leaving P->p on the value. False leaves
 * everything as it was, for sl_object_next. */
static bool fast_name(sl_parser *P, bool *first, shardline_view *name)
{
    const char *p = P->p, *end = P->end;
    if (!P->fast)
        return false;
    if (!*first && p < end && *p == ',')
        p++;
    if (p == end || *p != '"' || (p == P->p) != *first)
        return false;
    p++;
    if (!sl_plain_string(P, &p, name) || end - p < 2 || p[0] != ':' || (unsigned char)p[1] <= ' ')
        return false;
    P->p = p + 1;
    *first = false;
    return true;
}

/* p (with at least 8 bytes) starts {"S":" or {"N":" - most AttributeValues
 * do. The type varies from one value to the next, so the shape is decided
 * as one comparison of a word rather than a branch per byte. */
static inline bool string_attr_start(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t shape = 0x0000ffffff00ffffull; /* every byte but the type */
    const uint64_t want = (uint64_t)'{' | (uint64_t)'"' << 8 | (uint64_t)'"' << 24 | (uint64_t)':' << 32 |
                          (uint64_t)'"' << 40;
    unsigned t = (unsigned char)p[2];
    return ((sl_load64(p) & shape) == want) & ((t == 'S') | (t == 'N'));
#else
    return p[0] == '{' && p[1] == '"' && p[3] == '"' && p[4] == ':' && p[5] == '"' && (p[2] == 'S' || p[2] == 'N');
#endif
}

/* The {"S":"..."} at P->p whose string the plain scan left (an escape, or
 * an error): scanned, and unescaped once the object is known to end after
 * it, as begin_attr and read_scalar would. False (nothing written) when it
 * does not end there; true with *st an error as they would report it. */
static bool escaped_string_attr(sl_parser *P, shardline_status *st)
{
    const char *obj = P->p, *value = obj + 5;
    sl_string s;
    shardline_view text;
    sl_path_push_name(&P->path, "S", 1);
    P->p = value;
    if ((*st = sl_scan_string(P, &s)) != SHARDLINE_OK)
        return true;
    if (P->p == P->end || *P->p != '}') {
        sl_path_pop(&P->path);
        P->p = obj;
        return false;
    }
    if ((*st = sl_string_text(P, &s, &text)) != SHARDLINE_OK)
        return true;
    sl_node *node = sl_builder_push(P, &P->builder);
    if (node == NULL || !sl_node_set(P, node, SHARDLINE_ATTR_S, text.ptr, text.len)) {
        *st = sl_fail(P, SHARDLINE_ERR_NOMEM, value);
        return true;
    }
    sl_path_pop(&P->path);
    P->p++;
    return true;
}

/* The AttributeValues that make up most of an image - {"S":"..."},
 * {"N":"..."} with a valid number, {"B":"..."}, {"BOOL":true|false},
 * {"NULL":true} - written compactly and without escapes, read straight
 * into a new node. False leaves P->p and the builder as they were, for
 * begin_attr. True with *st an error when a B value does not decode (the
 * error is reported, as begin_attr would). depth counts the containers
 * around P->p. */
static bool fast_scalar(sl_parser *P, uint32_t depth, shardline_status *st)
{
    const char *p = P->p, *end = P->end;
    *st = SHARDLINE_OK;
    if (!P->fast || depth >= P->max_depth || end - p < 9)
        return false;
    shardline_view text = {NULL, 0};
    shardline_attr_type type;
    /* The type key's first letter picks the one literal to compare: M, L
     * and the sets leave without comparing any. */
    if (string_attr_start(p)) {
        type = p[2] == 'S' ? SHARDLINE_ATTR_S : SHARDLINE_ATTR_N;
        p += 6;
        if (!sl_plain_string(P, &p, &text))
            return type == SHARDLINE_ATTR_S && escaped_string_attr(P, st);
        if (p == end || *p != '}' || (type == SHARDLINE_ATTR_N && !number_valid_at(P, text.ptr, text.len)))
            return false;
        p++;
    } else if (p[2] == 'B' && p[3] == '"') {
        if (!SL_TAKE(&p, end, "{\"B\":\""))
            return false;
        /* Decoded last, once the value is known to end here. */
        const char *close = sl_quote_or_backslash(p, end);
        if (close == NULL || *close != '"' || end - close < 2 || close[1] != '}')
            return false;
        sl_node *node = sl_builder_push(P, &P->builder);
        if (node == NULL)
            return false;
        sl_path_push_name(&P->path, "B", 1);
        if ((*st = plain_base64_node(P, p, close, node)) != SHARDLINE_OK)
            return true;
        sl_path_pop(&P->path);
        P->p = close + 2;
        return true;
    } else if (p[2] == 'B') {
        type = SHARDLINE_ATTR_BOOL;
        if (SL_TAKE(&p, end, "{\"BOOL\":true}"))
            text.len = 1;
        else if (!SL_TAKE(&p, end, "{\"BOOL\":false}"))
            return false;
    } else if (p[2] == 'N' && SL_TAKE(&p, end, "{\"NULL\":true}")) {
        type = SHARDLINE_ATTR_NULL;
    } else {
        return false;
    }
    sl_node *node = sl_builder_push(P, &P->builder);
    if (node == NULL || !sl_node_set(P, node, type, text.ptr, text.len))
        return false;
    P->p = p;
    return true;
}

/* The type key of the AttributeValue object at P->p (a '{') when it is an
 * M, L, SS, NS or BS written compactly, its bracket right after the ':' -
 * {"M":{, {"L":[, {"SS":[ - leaving P->p on that bracket; NULL leaves it
 * as it was. */
static const type_key *fast_container_key(sl_parser *P, sl_string *key)
{
    const char *p = P->p;
    if (!P->fast || P->end - p < 7 || p[1] != '"')
        return NULL;
    const type_key *t;
    size_t len;
    if (p[3] == '"' && p[4] == ':' && ((p[2] == 'M' && p[5] == '{') || (p[2] == 'L' && p[5] == '['))) {
        t = &type_keys[p[2] == 'M' ? 5 : 6];
        len = 1;
    } else if (p[3] == 'S' && p[4] == '"' && p[5] == ':' && p[6] == '[' &&
               (p[2] == 'S' || p[2] == 'N' || p[2] == 'B')) {
        t = &type_keys[p[2] == 'S' ? 7 : p[2] == 'N' ? 8 : 9];
        len = 2;
    } else {
        return NULL;
    }
    key->raw = p + 2;
    key->len = len;
    key->escaped = false;
    P->p = p + len + 4;
    return t;
}

/* Open the AttributeValue object at P->p: read its type key and either its
 * whole value (scalars, sets) or the opening of its M / L, pushing frames.
 * depth counts the containers around P->p. */
static shardline_status begin_attr(sl_parser *P, size_t *frames, uint32_t depth)
{
    shardline_status st = sl_expect_kind(P, '{');
    if (st != SHARDLINE_OK)
        return st;
    if (depth >= P->max_depth)
        return sl_fail(P, SHARDLINE_ERR_DEPTH, P->p);
    const char *obj = P->p;
    sl_string key;
    const type_key *t = fast_container_key(P, &key);
    if (t == NULL) {
        P->p++;
        bool first = true, done = false;
        if ((st = sl_object_next(P, &first, &key, &done)) != SHARDLINE_OK)
            return st;
        if (done)
            return sl_fail(P, SHARDLINE_ERR_ATTR_TYPE, obj);
        t = find_type_key(&key);
    }
    sl_path_push_name(&P->path, key.raw, key.len);
    if (t == NULL)
        return sl_fail(P, SHARDLINE_ERR_ATTR_TYPE, key.raw - 1);
    frame *f = push_frame(P, frames, FRAME_ATTR);
    if (f == NULL)
        return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
    f->first = false;
    sl_builder *B = &P->builder;
    switch (t->type) {
    case SHARDLINE_ATTR_M:
    case SHARDLINE_ATTR_L: {
        bool map = t->type == SHARDLINE_ATTR_M;
        if ((st = sl_expect_kind(P, map ? '{' : '[')) != SHARDLINE_OK)
            return st;
        if (depth + 1 >= P->max_depth)
            return sl_fail(P, SHARDLINE_ERR_DEPTH, P->p);
        if (!sl_builder_open(P, B, t->type) || push_frame(P, frames, map ? FRAME_MAP : FRAME_LIST) == NULL)
            return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
        P->p++;
        return SHARDLINE_OK;
    }
    case SHARDLINE_ATTR_SS:
    case SHARDLINE_ATTR_NS:
    case SHARDLINE_ATTR_BS:
        if ((st = sl_expect_kind(P, '[')) != SHARDLINE_OK)
            return st;
        return read_set(P, t->type, depth + 1);
    default: {
        sl_node *node = sl_builder_push(P, B);
        if (node == NULL)
            return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
        return read_scalar(P, t->type, node);
    }
    }
}

shardline_status sl_dynamodb_image(sl_parser *P, uint32_t depth, const shardline_attr **out)
{
    sl_builder *B = &P->builder;
    size_t base = B->top;
    size_t frames = 0;
    /* Containers opened inside the image around the cursor, its own '{'
     * included: the next bracket sits inside depth + open containers. */
    uint32_t open = 0;
    shardline_status st = sl_expect_kind(P, '{');
    if (st != SHARDLINE_OK)
        return st;
    if (depth >= P->max_depth)
        return sl_fail(P, SHARDLINE_ERR_DEPTH, P->p);
    if (!sl_builder_open(P, B, SHARDLINE_ATTR_M) || push_frame(P, &frames, FRAME_MAP) == NULL)
        return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
    P->p++;
    open = 1;
    while (frames > 0) {
        frame *f = (frame *)P->frames + frames - 1;
        bool done = false;
        sl_string key;
        if (f->kind == FRAME_MAP) {
            shardline_view text = {NULL, 0};
            if (fast_name(P, &f->first, &text)) {
                sl_path_push_name(&P->path, text.ptr, text.len);
            } else {
                if ((st = sl_object_next(P, &f->first, &key, &done)) != SHARDLINE_OK)
                    return st;
                if (!done) {
                    sl_path_push_name(&P->path, key.raw, key.len);
                    /* The name as written stays a path segment until the
                     * member ends, so an escaped name is unescaped into the
                     * arena even in in-place mode: rewriting it would garble
                     * the path. */
                    char *wbase = P->wbase;
                    P->wbase = NULL;
                    st = sl_string_text(P, &key, &text);
                    P->wbase = wbase;
                    if (st != SHARDLINE_OK)
                        return st;
                }
            }
            if (!done) {
                sl_node *name = sl_builder_push(P, B);
                if (name == NULL || !sl_node_set(P, name, SHARDLINE_ATTR_S, text.ptr, text.len))
                    return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
            }
        } else if (f->kind == FRAME_LIST) {
            if ((st = sl_array_next(P, &f->first, &done)) != SHARDLINE_OK)
                return st;
            if (!done)
                sl_path_push_index(&P->path, f->index++);
        } else {
            /* The value is read: the AttributeValue object must end here. */
            if ((st = sl_object_next(P, &f->first, &key, &done)) != SHARDLINE_OK)
                return st;
            if (!done) {
                sl_path_pop(&P->path); /* report the second key, not the first */
                sl_path_push_name(&P->path, key.raw, key.len);
                return sl_fail(P, SHARDLINE_ERR_ATTR_TYPE, key.raw - 1);
            }
            frames--;
            sl_path_pop(&P->path); /* the type key */
            sl_path_pop(&P->path); /* the member name or list index */
            open--;
            continue;
        }
        if (done) {
            /* An M or L (or the image) closed. */
            if (!sl_builder_close(P, B, f->kind == FRAME_MAP))
                return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
            frames--;
            open--;
            continue;
        }
        if (fast_scalar(P, depth + open, &st)) {
            if (st != SHARDLINE_OK)
                return st;
            sl_path_pop(&P->path); /* the member name or list index */
            continue;
        }
        if ((st = begin_attr(P, &frames, depth + open)) != SHARDLINE_OK)
            return st;
        /* begin_attr opened the AttributeValue object, and an M or L in it. */
        frame *top = (frame *)P->frames + frames - 1;
        open += top->kind == FRAME_ATTR ? 1 : 2;
    }
    sl_node *root = sl_arena_alloc(P->arena, sizeof *root, _Alignof(sl_node), P->arena_hint);
    if (root == NULL)
        return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
    *root = B->stack[base];
    B->top = base;
    *out = (const shardline_attr *)(const void *)root;
    return SHARDLINE_OK;
}

/* ---- accessors ---------------------------------------------------------------------- */

/* shardline_attr is never defined: its pointers point at sl_node objects. */
static const sl_node *node_of(const shardline_attr *attr)
{
    return (const sl_node *)(const void *)attr;
}

static const shardline_attr *attr_of(const sl_node *node)
{
    return (const shardline_attr *)(const void *)node;
}

shardline_attr_type shardline_attr_get_type(const shardline_attr *attr)
{
    return attr ? (shardline_attr_type)sl_node_type(node_of(attr)) : SHARDLINE_ATTR_NONE;
}

static shardline_view text_if(const shardline_attr *attr, shardline_attr_type type)
{
    shardline_view v = {NULL, 0};
    const sl_node *n = node_of(attr);
    if (n != NULL && sl_node_type(n) == (uint32_t)type) {
        v.ptr = sl_node_text(n);
        v.len = sl_node_len(n);
    }
    return v;
}

shardline_view shardline_attr_string(const shardline_attr *attr)
{
    return text_if(attr, SHARDLINE_ATTR_S);
}

shardline_view shardline_attr_number_text(const shardline_attr *attr)
{
    return text_if(attr, SHARDLINE_ATTR_N);
}

shardline_view shardline_attr_binary(const shardline_attr *attr)
{
    return text_if(attr, SHARDLINE_ATTR_B);
}

int shardline_attr_number_int64(const shardline_attr *attr, int64_t *out)
{
    const sl_node *n = node_of(attr);
    if (n == NULL || out == NULL || sl_node_type(n) != SHARDLINE_ATTR_N)
        return 0;
    return sl_number_to_int64(sl_node_text(n), sl_node_len(n), out);
}

int shardline_attr_number_double(const shardline_attr *attr, double *out)
{
    const sl_node *n = node_of(attr);
    if (n == NULL || out == NULL || sl_node_type(n) != SHARDLINE_ATTR_N)
        return -1;
    return sl_number_to_double(sl_node_text(n), sl_node_len(n), out);
}

int shardline_attr_bool(const shardline_attr *attr)
{
    const sl_node *n = node_of(attr);
    if (n == NULL || sl_node_type(n) != SHARDLINE_ATTR_BOOL)
        return -1;
    return sl_node_len(n) ? 1 : 0;
}

static bool is_container(const sl_node *n)
{
    return n != NULL && (sl_node_type(n) == SHARDLINE_ATTR_M || sl_node_type(n) == SHARDLINE_ATTR_L ||
                         sl_node_type(n) == SHARDLINE_ATTR_SS || sl_node_type(n) == SHARDLINE_ATTR_NS ||
                         sl_node_type(n) == SHARDLINE_ATTR_BS);
}

size_t shardline_attr_size(const shardline_attr *attr)
{
    const sl_node *n = node_of(attr);
    return is_container(n) ? sl_node_len(n) : 0;
}

const shardline_attr *shardline_attr_at(const shardline_attr *attr, size_t i)
{
    const sl_node *n = node_of(attr);
    if (!is_container(n) || sl_node_type(n) == SHARDLINE_ATTR_M || i >= sl_node_len(n))
        return NULL;
    return attr_of(&sl_node_children(n)[i]);
}

shardline_view shardline_attr_key_at(const shardline_attr *attr, size_t i)
{
    shardline_view v = {NULL, 0};
    const sl_node *n = node_of(attr);
    if (n != NULL && sl_node_type(n) == SHARDLINE_ATTR_M && i < sl_node_len(n)) {
        v.ptr = sl_node_text(&sl_node_children(n)[2 * i]);
        v.len = sl_node_len(&sl_node_children(n)[2 * i]);
    }
    return v;
}

const shardline_attr *shardline_attr_member_at(const shardline_attr *attr, size_t i)
{
    const sl_node *n = node_of(attr);
    if (n == NULL || sl_node_type(n) != SHARDLINE_ATTR_M || i >= sl_node_len(n))
        return NULL;
    return attr_of(&sl_node_children(n)[2 * i + 1]);
}

const shardline_attr *shardline_attr_get(const shardline_attr *attr, const char *key, size_t len)
{
    const sl_node *n = node_of(attr);
    if (n == NULL || sl_node_type(n) != SHARDLINE_ATTR_M || (key == NULL && len > 0))
        return NULL;
    for (size_t i = sl_node_len(n); i-- > 0;) {
        const sl_node *k = &sl_node_children(n)[2 * i];
        if (sl_node_len(k) == len && (len == 0 || memcmp(sl_node_text(k), key, len) == 0))
            return attr_of(&sl_node_children(n)[2 * i + 1]);
    }
    return NULL;
}

/* ---- standalone images ------------------------------------------------------------- */

struct shardline_image {
    sl_owned owned;
    const shardline_attr *root;
};

static shardline_status build_image(sl_parser *P, void *object)
{
    return sl_dynamodb_image(P, 0, &((shardline_image *)object)->root);
}

shardline_status shardline_image_parse(const char *input, size_t len,
                                       const shardline_options *options, shardline_image **out,
                                       shardline_error *error)
{
    void *image = NULL;
    shardline_status st = sl_parse_owned(input, len, options, error, sizeof(shardline_image),
                                         build_image, out ? &image : NULL);
    if (out != NULL)
        *out = image;
    return st;
}

const shardline_attr *shardline_image_root(const shardline_image *image)
{
    return image ? image->root : NULL;
}

void shardline_image_free(shardline_image *image)
{
    sl_owned_free(image ? &image->owned : NULL);
}
