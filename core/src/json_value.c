/* json_value.c - the generic JSON document: parse, validate, and read-only accessors. */
#include "json.h"

struct shardline_doc {
    sl_owned owned;
    sl_node root;
};

shardline_status sl_parse_owned(const char *input, size_t len, const shardline_options *options,
                                shardline_error *error, size_t size, sl_owned_parser parse,
                                void **out)
{
    if (out != NULL)
        *out = NULL;
    sl_parser P;
    shardline_status st = sl_parser_init(&P, input, len, options, error);
    if (st != SHARDLINE_OK)
        return st;
    if (out == NULL)
        return sl_error_set(error, SHARDLINE_ERR_INVALID_ARGUMENT, 0, NULL);
    sl_arena arena;
    sl_arena_init(&arena, &P.allocator);
    P.arena = &arena;
    /* Nodes are 12 bytes and a dense text has about one value per 4 bytes:
     * start near len and let chunks grow from there. */
    P.arena_hint = len < 4096 ? 4096 : len;
    sl_owned *object = sl_arena_alloc(&arena, size, 16, P.arena_hint);
    if (object == NULL)
        return sl_error_set(error, SHARDLINE_ERR_NOMEM, 0, NULL);
    sl_skip_ws(&P);
    if (P.p == P.end) {
        st = sl_fail(&P, SHARDLINE_ERR_EMPTY, P.p);
    } else {
        st = parse(&P, object);
        if (st == SHARDLINE_OK)
            st = sl_expect_end(&P);
    }
    sl_parser_release(&P);
    if (st != SHARDLINE_OK) {
        sl_arena_release(&arena);
        return st;
    }
    object->arena = arena;
    *out = object;
    sl_error_ok(error);
    return SHARDLINE_OK;
}

void sl_owned_free(sl_owned *object)
{
    if (object == NULL)
        return;
    sl_arena arena = object->arena; /* the object lives in the arena it owns */
    sl_arena_release(&arena);
}

static shardline_status build_doc(sl_parser *P, void *object)
{
    return sl_build_value(P, 0, &((shardline_doc *)object)->root);
}

shardline_status shardline_json_parse(const char *input, size_t len,
                                      const shardline_options *options, shardline_doc **out,
                                      shardline_error *error)
{
    void *doc = NULL;
    shardline_status st = sl_parse_owned(input, len, options, error, sizeof(shardline_doc), build_doc,
                                         out ? &doc : NULL);
    if (out != NULL)
        *out = doc;
    return st;
}

shardline_status shardline_json_validate(const char *input, size_t len,
                                         const shardline_options *options, shardline_error *error)
{
    sl_parser P;
    shardline_status st = sl_parser_init(&P, input, len, options, error);
    if (st != SHARDLINE_OK)
        return st;
    /* Valid texts take the index; the others are walked byte by byte from
     * the start, which reports their first error. */
    const char *start = P.p;
    if (!sl_validate_indexed(&P)) {
        P.p = start;
        if ((st = sl_validate_text(&P)) != SHARDLINE_OK)
            return st;
    }
    sl_error_ok(error);
    return SHARDLINE_OK;
}

const shardline_value *shardline_doc_root(const shardline_doc *doc)
{
    return doc ? &doc->root : NULL;
}

void shardline_doc_free(shardline_doc *doc)
{
    sl_owned_free(doc ? &doc->owned : NULL);
}

shardline_type shardline_value_type(const shardline_value *v)
{
    return v ? (shardline_type)sl_node_type(v) : SHARDLINE_TYPE_NULL;
}

static shardline_view text_if(const shardline_value *v, shardline_type t)
{
    shardline_view view = {NULL, 0};
    if (v != NULL && sl_node_type(v) == (uint32_t)t) {
        view.ptr = sl_node_text(v);
        view.len = sl_node_len(v);
    }
    return view;
}

shardline_view shardline_value_string(const shardline_value *v)
{
    return text_if(v, SHARDLINE_TYPE_STRING);
}

shardline_view shardline_value_number_text(const shardline_value *v)
{
    return text_if(v, SHARDLINE_TYPE_NUMBER);
}

int shardline_value_number_int64(const shardline_value *v, int64_t *out)
{
    if (v == NULL || out == NULL || sl_node_type(v) != SHARDLINE_TYPE_NUMBER)
        return 0;
    return sl_number_to_int64(sl_node_text(v), sl_node_len(v), out);
}

int shardline_value_number_double(const shardline_value *v, double *out)
{
    if (v == NULL || out == NULL || sl_node_type(v) != SHARDLINE_TYPE_NUMBER)
        return -1;
    return sl_number_to_double(sl_node_text(v), sl_node_len(v), out);
}

size_t shardline_value_size(const shardline_value *v)
{
    if (v == NULL || (sl_node_type(v) != SHARDLINE_TYPE_ARRAY && sl_node_type(v) != SHARDLINE_TYPE_OBJECT))
        return 0;
    return sl_node_len(v);
}

const shardline_value *shardline_value_at(const shardline_value *v, size_t i)
{
    if (v == NULL || sl_node_type(v) != SHARDLINE_TYPE_ARRAY || i >= sl_node_len(v))
        return NULL;
    return &sl_node_children(v)[i];
}

shardline_view shardline_value_key_at(const shardline_value *v, size_t i)
{
    shardline_view view = {NULL, 0};
    if (v != NULL && sl_node_type(v) == SHARDLINE_TYPE_OBJECT && i < sl_node_len(v)) {
        view.ptr = sl_node_text(&sl_node_children(v)[2 * i]);
        view.len = sl_node_len(&sl_node_children(v)[2 * i]);
    }
    return view;
}

const shardline_value *shardline_value_member_at(const shardline_value *v, size_t i)
{
    if (v == NULL || sl_node_type(v) != SHARDLINE_TYPE_OBJECT || i >= sl_node_len(v))
        return NULL;
    return &sl_node_children(v)[2 * i + 1];
}

const shardline_value *shardline_value_get(const shardline_value *v, const char *key, size_t len)
{
    if (v == NULL || sl_node_type(v) != SHARDLINE_TYPE_OBJECT || (key == NULL && len > 0))
        return NULL;
    for (size_t i = sl_node_len(v); i-- > 0;) {
        const sl_node *k = &sl_node_children(v)[2 * i];
        if (sl_node_len(k) == len && (len == 0 || memcmp(sl_node_text(k), key, len) == 0))
            return &sl_node_children(v)[2 * i + 1];
    }
    return NULL;
}
