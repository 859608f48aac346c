/* json_parse.c - strict RFC 8259 scanning: strings, numbers, literals, and the iterative value walker. */
#include "json.h"

shardline_status sl_parser_init(sl_parser *P, const char *input, size_t len,
                                const shardline_options *options, shardline_error *error)
{
    memset(P, 0, offsetof(sl_parser, path));
    P->path.depth = 0;
    P->builder.open = SIZE_MAX;
    P->error = error;
    if (input == NULL && len > 0)
        return sl_error_set(error, SHARDLINE_ERR_INVALID_ARGUMENT, 0, NULL);
    if (len > SHARDLINE_MAX_INPUT)
        return sl_error_set(error, SHARDLINE_ERR_TOO_LARGE, 0, NULL);
    P->max_depth = SHARDLINE_DEFAULT_MAX_DEPTH;
    P->fast = true;
    for (int kind = 0; kind < SL_FOLLOW_KINDS; kind++)
        for (int i = 0; i <= SL_FOLLOW_FIELDS; i++)
            P->follow[kind][i] = (uint8_t)i; /* at first, the order of the schema's table */
    if (options != NULL) {
        /* size tells which fields the caller's struct has; flags must be 0. */
        if (options->size < offsetof(shardline_options, flags) + sizeof options->flags ||
            options->flags != 0)
            return sl_error_set(error, SHARDLINE_ERR_INVALID_ARGUMENT, 0, NULL);
        if (options->max_depth != 0)
            P->max_depth = options->max_depth;
    }
    if (input == NULL)
        input = "";
    P->base = input;
    P->p = input;
    P->end = input + len;
    if (len >= 3 && (unsigned char)input[0] == 0xEF && (unsigned char)input[1] == 0xBB &&
        (unsigned char)input[2] == 0xBF)
        P->p += 3;
    P->allocator = sl_allocator_from(options);
    P->k = sl_kernels_get();
    return SHARDLINE_OK;
}

void sl_parser_release(sl_parser *P)
{
    sl_free(&P->allocator, P->builder.stack, P->builder.cap * sizeof *P->builder.stack);
    P->builder.stack = NULL;
    P->builder.top = P->builder.cap = 0;
    P->builder.open = SIZE_MAX;
    sl_free(&P->allocator, P->frames, P->frames_cap);
    P->frames = NULL;
    P->frames_cap = 0;
}

/* ---- strings --------------------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Read 4 hex digits at p. Returns the value, -1 for a non-hex digit, or -2
 * when the input ends before a non-hex digit was seen. */
static int32_t read_hex4(const char *p, const char *end)
{
    int32_t v = 0;
    for (int i = 0; i < 4; i++) {
        if (p + i >= end)
            return -2;
        int h = hex_value(p[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

/* Validate the escape at *pp (a backslash) and move past it. */
static shardline_status check_escape(sl_parser *P, const char **pp)
{
    const char *p = *pp, *end = P->end;
    if (end - p < 2)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, end);
    switch (p[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        *pp = p + 2;
        return SHARDLINE_OK;
    case 'u':
        break;
    default:
        return sl_fail(P, SHARDLINE_ERR_ESCAPE, p);
    }
    int32_t cp = read_hex4(p + 2, end);
    if (cp == -2)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, end);
    if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
        return sl_fail(P, SHARDLINE_ERR_ESCAPE, p);
    if (cp < 0xD800 || cp > 0xDBFF) {
        *pp = p + 6;
        return SHARDLINE_OK;
    }
    /* A high surrogate must be followed at once by an escaped low one. */
    const char *q = p + 6;
    if (q >= end || (q[0] == '\\' && q + 1 >= end))
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, end);
    if (q[0] != '\\' || q[1] != 'u')
        return sl_fail(P, SHARDLINE_ERR_ESCAPE, p);
    int32_t lo = read_hex4(q + 2, end);
    if (lo == -2)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, end);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return sl_fail(P, SHARDLINE_ERR_ESCAPE, p);
    *pp = p + 12;
    return SHARDLINE_OK;
}

shardline_status sl_scan_string(sl_parser *P, sl_string *s)
{
    const char *start = P->p + 1, *p = start, *end = P->end;
    bool escaped = false;
    for (;;) {
        size_t stop = 0;
        if (!(p == start && sl_ascii_string(p, end, &stop) != 0) &&
            P->k->string_scan((const uint8_t *)p, (size_t)(end - p), &stop) != SHARDLINE_OK)
            return sl_fail(P, SHARDLINE_ERR_UTF8, p + stop);
        p += stop;
        if (p == end)
            return sl_fail(P, SHARDLINE_ERR_TRUNCATED, end);
        if (*p == '"')
            break;
        if (*p != '\\')
            return sl_fail(P, SHARDLINE_ERR_CONTROL_CHAR, p);
        shardline_status st = check_escape(P, &p);
        if (st != SHARDLINE_OK)
            return st;
        escaped = true;
    }
    s->raw = start;
    s->len = (size_t)(p - start);
    s->escaped = escaped;
    P->p = p + 1;
    return SHARDLINE_OK;
}

static size_t put_utf8(char *dst, uint32_t cp)
{
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xC0 | cp >> 6);
        dst[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xE0 | cp >> 12);
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    dst[0] = (char)(0xF0 | cp >> 18);
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t sl_unescape(const char *src, size_t len, char *dst)
{
    size_t i = 0, o = 0;
    while (i < len) {
        const char *bs = memchr(src + i, '\\', len - i);
        size_t run = bs ? (size_t)(bs - (src + i)) : len - i;
        if (dst + o != src + i)
            memmove(dst + o, src + i, run);
        o += run;
        i += run;
        if (i == len)
            break;
        char c = src[i + 1];
        switch (c) {
        case 'b': dst[o++] = '\b'; i += 2; break;
        case 'f': dst[o++] = '\f'; i += 2; break;
        case 'n': dst[o++] = '\n'; i += 2; break;
        case 'r': dst[o++] = '\r'; i += 2; break;
        case 't': dst[o++] = '\t'; i += 2; break;
        case 'u': {
            uint32_t cp = (uint32_t)read_hex4(src + i + 2, src + len);
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo = (uint32_t)read_hex4(src + i + 2, src + len);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            o += put_utf8(dst + o, cp);
            break;
        }
        default: /* '"', '\\', '/' stand for themselves */
            dst[o++] = c;
            i += 2;
            break;
        }
    }
    return o;
}

shardline_status sl_string_text(sl_parser *P, const sl_string *s, shardline_view *out)
{
    if (!s->escaped) {
        out->ptr = s->raw;
        out->len = s->len;
        return SHARDLINE_OK;
    }
    char *dst;
    if (P->wbase != NULL) {
        dst = P->wbase + (s->raw - P->base);
    } else {
        dst = sl_arena_alloc(P->arena, s->len, 1, P->arena_hint);
        if (dst == NULL)
            return sl_fail(P, SHARDLINE_ERR_NOMEM, s->raw);
    }
    out->ptr = dst;
    out->len = sl_unescape(s->raw, s->len, dst);
    return SHARDLINE_OK;
}

bool sl_key_equals_escaped(const sl_string *key, const char *name, size_t name_len)
{
    /* Escaped keys are at least as long as their text; a long one cannot
     * match a field name. */
    char buf[64];
    if (key->len > sizeof buf)
        return false;
    size_t n = sl_unescape(key->raw, key->len, buf);
    return n == name_len && memcmp(buf, name, name_len) == 0;
}

/* ---- numbers and literals ---------------------------------------------------- */

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

shardline_status sl_scan_number(sl_parser *P, shardline_view *text)
{
    const char *start = P->p, *p = start, *end = P->end;
    if (*p == '-')
        p++;
    if (p == end)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, end);
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p))
            return sl_fail(P, SHARDLINE_ERR_NUMBER, start);
    } else if (is_digit(*p)) {
        while (p < end && is_digit(*p))
            p++;
    } else {
        return sl_fail(P, SHARDLINE_ERR_NUMBER, start);
    }
    if (p < end && *p == '.') {
        p++;
        if (p == end)
            return sl_fail(P, SHARDLINE_ERR_TRUNCATED, end);
        if (!is_digit(*p))
            return sl_fail(P, SHARDLINE_ERR_NUMBER, start);
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end)
            return sl_fail(P, SHARDLINE_ERR_TRUNCATED, end);
        if (!is_digit(*p))
            return sl_fail(P, SHARDLINE_ERR_NUMBER, start);
        while (p < end && is_digit(*p))
            p++;
    }
    text->ptr = start;
    text->len = (size_t)(p - start);
    P->p = p;
    return SHARDLINE_OK;
}

shardline_status sl_scan_literal(sl_parser *P, const char *word, size_t n)
{
    const char *p = P->p;
    for (size_t i = 0; i < n; i++) {
        if (p + i == P->end)
            return sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
        if (p[i] != word[i])
            return sl_fail(P, SHARDLINE_ERR_SYNTAX, p);
    }
    P->p = p + n;
    return SHARDLINE_OK;
}

/* ---- schema readers ------------------------------------------------------------ */

static bool starts_value(char c)
{
    switch (c) {
    case '{': case '[': case '"': case '-': case 't': case 'f': case 'n':
        return true;
    default:
        return c >= '0' && c <= '9';
    }
}

shardline_status sl_expect_kind_general(sl_parser *P, char c)
{
    char got = *P->p;
    bool ok;
    if (c == '0')
        ok = got == '-' || (got >= '0' && got <= '9');
    else if (c == 't')
        ok = got == 't' || got == 'f';
    else
        ok = got == c;
    if (ok)
        return SHARDLINE_OK;
    return sl_fail(P, starts_value(got) ? SHARDLINE_ERR_FIELD_TYPE : SHARDLINE_ERR_SYNTAX, P->p);
}

shardline_status sl_read_string(sl_parser *P, shardline_view *out)
{
    shardline_status st = sl_expect_kind(P, '"');
    if (st != SHARDLINE_OK)
        return st;
    sl_string s;
    if ((st = sl_scan_string(P, &s)) != SHARDLINE_OK)
        return st;
    return sl_string_text(P, &s, out);
}

shardline_status sl_read_base64(sl_parser *P, shardline_view *out)
{
    shardline_status st = sl_expect_kind(P, '"');
    if (st != SHARDLINE_OK)
        return st;
    sl_string s;
    if ((st = sl_scan_string(P, &s)) != SHARDLINE_OK)
        return st;
    if (!s.escaped)
        return sl_decode_plain_base64(P, s.raw, s.len, out);
    /* An encoder that escapes '/' as "\/": unescape first (into writable
     * memory), then decode over that text. Offsets cannot map back into the
     * input: errors point at the string's first character. */
    shardline_view text = {NULL, 0};
    if ((st = sl_string_text(P, &s, &text)) != SHARDLINE_OK)
        return st;
    uint8_t *dst = (uint8_t *)(uintptr_t)text.ptr;
    size_t n = 0, err_offset = 0;
    if (text.len > 0 && (st = P->k->base64_decode(text.ptr, text.len, dst, &n, &err_offset)) != SHARDLINE_OK)
        return sl_fail(P, st, s.raw);
    out->ptr = (const char *)dst;
    out->len = n;
    return SHARDLINE_OK;
}

shardline_status sl_decode_plain_base64(sl_parser *P, const char *text, size_t len, shardline_view *out)
{
    uint8_t *dst;
    size_t n = 0, at = 0, stop = 0;
    shardline_status st = SHARDLINE_OK;
    if (P->wbase != NULL)
        dst = (uint8_t *)P->wbase + (text - P->base);
    else if ((dst = sl_arena_alloc(P->arena, SHARDLINE_BASE64_DECODED_MAX(len), 1, P->arena_hint)) == NULL)
        return sl_fail(P, SHARDLINE_ERR_NOMEM, text);
    if (len > 0)
        st = P->k->base64_decode(text, len, dst, &n, &at);
    if (st == SHARDLINE_OK) {
        out->ptr = (const char *)dst;
        out->len = n;
        return SHARDLINE_OK;
    }
    /* Every byte before `at` is in the alphabet, and decoding in place has
     * written only over text before it: the rest is still the input. */
    if (P->k->string_scan((const uint8_t *)text + at, len - at, &stop) != SHARDLINE_OK)
        return sl_fail(P, SHARDLINE_ERR_UTF8, text + at + stop);
    if (at + stop < len)
        return sl_fail(P, SHARDLINE_ERR_CONTROL_CHAR, text + at + stop);
    return sl_fail(P, st, text + at);
}

/* ---- objects and arrays for schema walkers ------------------------------------ */

/* Between members or elements: a ',' and whitespace, with input left. */
static shardline_status expect_comma(sl_parser *P)
{
    if (*P->p != ',')
        return sl_fail(P, SHARDLINE_ERR_SYNTAX, P->p);
    P->p++;
    sl_skip_ws(P);
    if (P->p == P->end)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
    return SHARDLINE_OK;
}

shardline_status sl_object_next_expect(sl_parser *P, bool *first, sl_string *key, bool *done,
                                       const char *expect, size_t expect_len, bool *matched)
{
    *matched = false;
    sl_skip_ws(P);
    if (P->p == P->end)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
    if (*P->p == '}') {
        P->p++;
        *done = true;
        return SHARDLINE_OK;
    }
    shardline_status st;
    if (!*first && (st = expect_comma(P)) != SHARDLINE_OK)
        return st;
    *first = false;
    if (*P->p != '"')
        return sl_fail(P, SHARDLINE_ERR_SYNTAX, P->p);
    /* The expected key, quotes included, is a complete valid string. */
    if (expect != NULL && (size_t)(P->end - P->p) > expect_len + 1 && P->p[expect_len + 1] == '"' &&
        sl_bytes_equal(P->p + 1, expect, expect_len)) {
        key->raw = P->p + 1;
        key->len = expect_len;
        key->escaped = false;
        P->p += expect_len + 2;
        *matched = true;
    } else if ((st = sl_scan_string(P, key)) != SHARDLINE_OK) {
        return st;
    }
    sl_skip_ws(P);
    if (P->p == P->end)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
    if (*P->p != ':')
        return sl_fail(P, SHARDLINE_ERR_SYNTAX, P->p);
    P->p++;
    sl_skip_ws(P);
    if (P->p == P->end)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
    *done = false;
    return SHARDLINE_OK;
}

shardline_status sl_array_next_general(sl_parser *P, bool *first, bool *done)
{
    sl_skip_ws(P);
    if (P->p == P->end)
        return sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
    if (*P->p == ']') {
        P->p++;
        *done = true;
        return SHARDLINE_OK;
    }
    if (!*first) {
        shardline_status st = expect_comma(P);
        if (st != SHARDLINE_OK)
            return st;
        if (*P->p == ']') /* trailing comma */
            return sl_fail(P, SHARDLINE_ERR_SYNTAX, P->p);
    }
    *first = false;
    *done = false;
    return SHARDLINE_OK;
}

shardline_status sl_expect_end(sl_parser *P)
{
    sl_skip_ws(P);
    if (P->p != P->end)
        return sl_fail(P, SHARDLINE_ERR_TRAILING, P->p);
    return SHARDLINE_OK;
}

/* ---- the value walker ------------------------------------------------------------ */

/* One bit per open container (1 = object). The first 4096 levels live on
 * the C stack; deeper nesting grows a heap copy, so depth never costs stack. */
typedef struct bitstack {
    uint64_t local[64];
    uint64_t *words;
    size_t cap; /* words */
    const shardline_allocator *allocator;
} bitstack;

static void bitstack_init(bitstack *b, const shardline_allocator *allocator)
{
    b->words = b->local;
    b->cap = sizeof b->local / sizeof b->local[0];
    b->allocator = allocator;
}

/* Double the stack's words (nesting past 4096, 8192, ... levels). */
static SL_NOINLINE bool bitstack_grow(bitstack *b)
{
    size_t cap = b->cap * 2;
    uint64_t *words = sl_alloc(b->allocator, cap * sizeof *words);
    if (words == NULL)
        return false;
    memcpy(words, b->words, b->cap * sizeof *words);
    if (b->words != b->local)
        sl_free(b->allocator, b->words, b->cap * sizeof *words);
    b->words = words;
    b->cap = cap;
    return true;
}

static inline bool bitstack_set(bitstack *b, size_t level, bool bit)
{
    size_t w = level / 64;
    if (SL_UNLIKELY(w >= b->cap) && !bitstack_grow(b))
        return false;
    uint64_t mask = UINT64_C(1) << (level % 64);
    b->words[w] = bit ? b->words[w] | mask : b->words[w] & ~mask;
    return true;
}

static inline bool bitstack_get(const bitstack *b, size_t level)
{
    return (b->words[level / 64] >> (level % 64)) & 1u;
}

static void bitstack_free(bitstack *b)
{
    if (b->words != b->local)
        sl_free(b->allocator, b->words, b->cap * sizeof *b->words);
}

/* sl_builder_push when the stack is full: double it, then push. */
sl_node *sl_builder_grow(sl_parser *P, sl_builder *B)
{
    size_t cap = B->cap ? B->cap * 2 : 64;
    sl_node *stack = sl_alloc(&P->allocator, cap * sizeof *stack);
    if (stack == NULL)
        return NULL;
    if (B->top)
        memcpy(stack, B->stack, B->top * sizeof *stack);
    sl_free(&P->allocator, B->stack, B->cap * sizeof *stack);
    B->stack = stack;
    B->cap = cap;
    return &B->stack[B->top++];
}

bool sl_node_set_held(sl_parser *P, sl_node *n, uint32_t type, const void *ptr, size_t len)
{
    sl_held *h = sl_arena_alloc(P->arena, sizeof *h, _Alignof(sl_held), P->arena_hint);
    if (h == NULL)
        return false;
    h->ptr = ptr;
    h->len = len;
    n->bits = type | SL_LEN_HELD << SL_TYPE_BITS;
    const void *held = h;
    memcpy(n->ref, &held, sizeof held);
    return true;
}

_Static_assert(sizeof(size_t) <= sizeof(((sl_node *)0)->ref), "an open container keeps an index in ref");

bool sl_builder_open(sl_parser *P, sl_builder *B, uint32_t type)
{
    sl_node *node = sl_builder_push(P, B);
    if (node == NULL)
        return false;
    /* While open, ref remembers the enclosing container. */
    node->bits = type;
    memcpy(node->ref, &B->open, sizeof B->open);
    B->open = B->top - 1;
    return true;
}

bool sl_builder_close(sl_parser *P, sl_builder *B, bool pairs)
{
    size_t at = B->open;
    sl_node *c = &B->stack[at];
    size_t n = B->top - at - 1;
    size_t parent;
    memcpy(&parent, c->ref, sizeof parent);
    sl_node *kids = NULL;
    if (n > 0) {
        kids = sl_arena_alloc(P->arena, n * sizeof *kids, _Alignof(sl_node), P->arena_hint);
        if (kids == NULL)
            return false;
        c = &B->stack[at];
        memcpy(kids, c + 1, n * sizeof *kids);
    }
    if (!sl_node_set(P, c, sl_node_type(c), kids, pairs ? n / 2 : n))
        return false;
    B->top = at + 1;
    B->open = parent;
    return true;
}

/* Scan the string at P->p (a value or a key) and, when building, push it. */
static shardline_status walk_string(sl_parser *P, sl_builder *B)
{
    sl_string s;
    shardline_view text = {NULL, 0};
    shardline_status st = sl_scan_string(P, &s);
    if (st != SHARDLINE_OK || B == NULL)
        return st;
    if ((st = sl_string_text(P, &s, &text)) != SHARDLINE_OK)
        return st;
    sl_node *node = sl_builder_push(P, B);
    if (node == NULL || !sl_node_set(P, node, SHARDLINE_TYPE_STRING, text.ptr, text.len))
        return sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
    return SHARDLINE_OK;
}

/* Walk one value iteratively. With B == NULL it only validates. */
static shardline_status walk(sl_parser *P, uint32_t depth, sl_builder *B)
{
    bitstack bits;
    bitstack_init(&bits, &P->allocator);
    uint32_t level = 0;
    shardline_status st = SHARDLINE_OK;
    shardline_view text = {NULL, 0};
    sl_node *node;

value:
    sl_skip_ws(P);
    if (P->p == P->end) {
        st = sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
        goto out;
    }
    switch (*P->p) {
    case '{':
    case '[': {
        bool is_object = *P->p == '{';
        if ((uint64_t)depth + level >= P->max_depth) {
            st = sl_fail(P, SHARDLINE_ERR_DEPTH, P->p);
            goto out;
        }
        if (!bitstack_set(&bits, level, is_object))
            goto nomem;
        level++;
        if (B && !sl_builder_open(P, B, is_object ? SHARDLINE_TYPE_OBJECT : SHARDLINE_TYPE_ARRAY))
            goto nomem;
        P->p++;
        sl_skip_ws(P);
        if (P->p == P->end) {
            st = sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
            goto out;
        }
        if (*P->p == (is_object ? '}' : ']')) {
            P->p++;
            goto close;
        }
        if (is_object)
            goto key;
        goto value;
    }
    case '"':
        if ((st = walk_string(P, B)) != SHARDLINE_OK)
            goto out;
        break;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        if ((st = sl_scan_number(P, &text)) != SHARDLINE_OK)
            goto out;
        if (B) {
            if ((node = sl_builder_push(P, B)) == NULL ||
                !sl_node_set(P, node, SHARDLINE_TYPE_NUMBER, text.ptr, text.len))
                goto nomem;
        }
        break;
    case 't':
    case 'f':
    case 'n': {
        shardline_type t = *P->p == 't' ? SHARDLINE_TYPE_TRUE
                           : *P->p == 'f' ? SHARDLINE_TYPE_FALSE : SHARDLINE_TYPE_NULL;
        const char *word = t == SHARDLINE_TYPE_TRUE ? "true" : t == SHARDLINE_TYPE_FALSE ? "false" : "null";
        if ((st = sl_scan_literal(P, word, strlen(word))) != SHARDLINE_OK)
            goto out;
        if (B) {
            if ((node = sl_builder_push(P, B)) == NULL)
                goto nomem;
            sl_node_put(node, t, NULL, 0);
        }
        break;
    }
    default:
        st = sl_fail(P, SHARDLINE_ERR_SYNTAX, P->p);
        goto out;
    }

after_value:
    if (level == 0)
        goto out;
    sl_skip_ws(P);
    if (P->p == P->end) {
        st = sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
        goto out;
    }
    if (bitstack_get(&bits, level - 1)) {
        if (*P->p == ',') {
            P->p++;
            sl_skip_ws(P);
            goto key;
        }
        if (*P->p == '}') {
            P->p++;
            goto close;
        }
    } else {
        if (*P->p == ',') {
            P->p++;
            goto value;
        }
        if (*P->p == ']') {
            P->p++;
            goto close;
        }
    }
    st = sl_fail(P, SHARDLINE_ERR_SYNTAX, P->p);
    goto out;

key:
    if (P->p == P->end) {
        st = sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
        goto out;
    }
    if (*P->p != '"') {
        st = sl_fail(P, SHARDLINE_ERR_SYNTAX, P->p);
        goto out;
    }
    if ((st = walk_string(P, B)) != SHARDLINE_OK)
        goto out;
    sl_skip_ws(P);
    if (P->p == P->end) {
        st = sl_fail(P, SHARDLINE_ERR_TRUNCATED, P->end);
        goto out;
    }
    if (*P->p != ':') {
        st = sl_fail(P, SHARDLINE_ERR_SYNTAX, P->p);
        goto out;
    }
    P->p++;
    goto value;

close:
    level--;
    if (B && !sl_builder_close(P, B, sl_node_type(&B->stack[B->open]) == SHARDLINE_TYPE_OBJECT))
        goto nomem;
    goto after_value;

nomem:
    st = sl_fail(P, SHARDLINE_ERR_NOMEM, P->p);
out:
    bitstack_free(&bits);
    return st;
}

shardline_status sl_skip_value(sl_parser *P, uint32_t depth)
{
    return walk(P, depth, NULL);
}

shardline_status sl_validate_text(sl_parser *P)
{
    sl_skip_ws(P);
    if (P->p == P->end)
        return sl_fail(P, SHARDLINE_ERR_EMPTY, P->p);
    shardline_status st = sl_skip_value(P, 0);
    if (st == SHARDLINE_OK)
        st = sl_expect_end(P);
    return st;
}

shardline_status sl_build_value(sl_parser *P, uint32_t depth, sl_node *root)
{
    sl_builder *B = &P->builder;
    size_t base = B->top;
    shardline_status st = walk(P, depth, B);
    if (st == SHARDLINE_OK)
        *root = B->stack[base];
    B->top = base;
    B->open = SIZE_MAX;
    return st;
}

/* ---- stage 2: validation over the structural index -------------------------
 *
 * The input is indexed a window at a time (the kernels' structural_index),
 * and the walk below goes from entry to entry instead of from byte to
 * byte: a string is its opening and closing quotes, whatever lies between.
 * What the index does not prove is checked where it matters: each window is
 * validated as UTF-8 (cut at a character boundary), a control byte inside
 * a string is flagged by the indexer, strings with an escape are read by
 * sl_scan_string, numbers and literals by sl_scan_number and
 * sl_scan_literal, and the byte after a number or literal must end it.
 * Any other byte outside strings starts a run of its own, an entry the
 * grammar then refuses. So the walk accepts exactly the texts
 * sl_validate_text accepts; on anything else it gives up, and the caller
 * runs sl_validate_text, which finds and reports the first error. */

#define SL_INDEX_WINDOW 4096 /* bytes indexed at a time */

typedef struct index_walk {
    const uint8_t *text; /* the indexed text: the input after its BOM */
    size_t len;
    size_t window;     /* offset of the current window */
    size_t window_end; /* and of the next */
    size_t utf8_end;   /* the text is valid UTF-8 up to here */
    size_t i, n;       /* entries[i..n) are still to come */
    bool untrusted;    /* the index cannot be used from here on */
    const sl_kernels *k;
    sl_index_carry carry;
    uint32_t entries[SL_INDEX_WINDOW + 8];
} index_walk;

/* Index windows until one has an entry. False at the end of the text, or
 * with w->untrusted set when a window cannot be used. */
static SL_NOINLINE bool index_refill(index_walk *w)
{
    while (w->i == w->n) {
        if (w->window_end >= w->len || w->untrusted)
            return false;
        size_t start = w->window_end;
        size_t size = w->len - start < SL_INDEX_WINDOW ? w->len - start : SL_INDEX_WINDOW;
        w->n = w->k->structural_index(w->text + start, size, &w->carry, w->entries);
        w->i = 0;
        w->window = start;
        w->window_end = start + size;
        /* UTF-8 up to the window's end, or up to the start of a character
         * the window cuts: that character is checked whole with the next. */
        size_t upto = w->window_end;
        for (int back = 0; back < 3 && upto < w->len && upto > w->utf8_end &&
                           (w->text[upto] & 0xC0) == 0x80;
             back++)
            upto--;
        size_t off = 0;
        if (w->carry.ctrl_in_string != 0 ||
            (upto > w->utf8_end &&
             w->k->utf8_validate(w->text + w->utf8_end, upto - w->utf8_end, &off) != SHARDLINE_OK)) {
            w->untrusted = true;
            return false;
        }
        w->utf8_end = upto;
    }
    return true;
}

/* The offset of the next entry, left unread; false when there is none. */
static inline bool index_peek(index_walk *w, size_t *at)
{
    if (SL_UNLIKELY(w->i == w->n) && !index_refill(w))
        return false;
    *at = w->window + w->entries[w->i];
    return true;
}

static inline bool index_next(index_walk *w, size_t *at)
{
    if (!index_peek(w, at))
        return false;
    w->i++;
    return true;
}

/* The string whose opening quote is at offset open. */
static inline bool index_string(sl_parser *P, index_walk *w, size_t open)
{
    size_t at;
    if (!index_next(w, &at))
        return false;
    if (SL_LIKELY(w->text[at] == '"'))
        return true;
    /* An escape: the byte scanner reads the string, then the entries
     * inside it are passed over. */
    sl_string s;
    P->p = (const char *)w->text + open;
    if (sl_scan_string(P, &s) != SHARDLINE_OK)
        return false;
    size_t end = (size_t)((const uint8_t *)P->p - w->text);
    while (index_peek(w, &at) && at < end)
        w->i++;
    return !w->untrusted;
}

/* The number or literal that starts at offset at. */
static bool index_scalar(sl_parser *P, index_walk *w, size_t at)
{
    P->p = (const char *)w->text + at;
    shardline_view text;
    shardline_status st;
    switch (w->text[at]) {
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        st = sl_scan_number(P, &text);
        break;
    case 't':
        st = sl_scan_literal(P, "true", 4);
        break;
    case 'f':
        st = sl_scan_literal(P, "false", 5);
        break;
    case 'n':
        st = sl_scan_literal(P, "null", 4);
        break;
    default:
        return false;
    }
    if (st != SHARDLINE_OK)
        return false;
    if (P->p == P->end)
        return true;
    char c = *P->p;
    return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool sl_validate_indexed(sl_parser *P)
{
    index_walk w;
    w.text = (const uint8_t *)P->p;
    w.len = (size_t)(P->end - P->p);
    w.window = w.window_end = w.utf8_end = 0;
    w.i = w.n = 0;
    w.untrusted = false;
    w.k = P->k;
    w.carry = (sl_index_carry){0, 0, 0, 0};
    shardline_error *error = P->error;
    P->error = NULL; /* a failed check here is not the report: sl_validate_text makes that */
    bitstack bits;
    bitstack_init(&bits, &P->allocator);
    uint32_t level = 0;
    bool ok = false;
    size_t at;
    if (!index_next(&w, &at))
        goto out;

value:
    switch (w.text[at]) {
    case '{':
    case '[': {
        bool is_object = w.text[at] == '{';
        if (level >= P->max_depth || !bitstack_set(&bits, level, is_object))
            goto out;
        level++;
        if (!index_next(&w, &at))
            goto out;
        if (w.text[at] == (is_object ? '}' : ']'))
            goto close;
        if (is_object)
            goto key;
        goto value;
    }
    case '"':
        if (!index_string(P, &w, at))
            goto out;
        break;
    default:
        if (!index_scalar(P, &w, at))
            goto out;
        break;
    }

after_value:
    if (level == 0) {
        ok = !index_next(&w, &at) && !w.untrusted;
        goto out;
    }
    if (!index_next(&w, &at))
        goto out;
    bool in_object = bitstack_get(&bits, level - 1);
    if (w.text[at] == ',') {
        if (!index_next(&w, &at))
            goto out;
        if (in_object)
            goto key;
        goto value;
    }
    if (w.text[at] == (in_object ? '}' : ']'))
        goto close;
    goto out;

key:
    if (w.text[at] != '"' || !index_string(P, &w, at) || !index_next(&w, &at) || w.text[at] != ':' ||
        !index_next(&w, &at))
        goto out;
    goto value;

close:
    level--;
    goto after_value;

out:
    bitstack_free(&bits);
    P->error = error;
    return ok;
}
