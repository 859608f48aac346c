/* error.c - status names and messages, and filling shardline_error with a path. */
#include <stdio.h>

#include "internal.h"

typedef struct status_info {
    shardline_status code;
    const char *name;
    const char *message;
} status_info;

static const status_info status_table[] = {
    {SHARDLINE_OK, "SHARDLINE_OK", "success"},
    {SHARDLINE_ERR_INVALID_ARGUMENT, "SHARDLINE_ERR_INVALID_ARGUMENT", "invalid argument"},
    {SHARDLINE_ERR_NOMEM, "SHARDLINE_ERR_NOMEM", "out of memory"},
    {SHARDLINE_ERR_TOO_LARGE, "SHARDLINE_ERR_TOO_LARGE", "input too large"},
    {SHARDLINE_ERR_UTF8, "SHARDLINE_ERR_UTF8", "invalid UTF-8"},
    {SHARDLINE_ERR_TRUNCATED, "SHARDLINE_ERR_TRUNCATED", "unexpected end of input"},
    {SHARDLINE_ERR_SYNTAX, "SHARDLINE_ERR_SYNTAX", "invalid JSON syntax"},
    {SHARDLINE_ERR_CONTROL_CHAR, "SHARDLINE_ERR_CONTROL_CHAR", "unescaped control character in string"},
    {SHARDLINE_ERR_ESCAPE, "SHARDLINE_ERR_ESCAPE", "invalid escape sequence"},
    {SHARDLINE_ERR_NUMBER, "SHARDLINE_ERR_NUMBER", "invalid number"},
    {SHARDLINE_ERR_DEPTH, "SHARDLINE_ERR_DEPTH", "nesting too deep"},
    {SHARDLINE_ERR_TRAILING, "SHARDLINE_ERR_TRAILING", "content after the JSON value"},
    {SHARDLINE_ERR_EMPTY, "SHARDLINE_ERR_EMPTY", "empty input"},
    {SHARDLINE_ERR_BASE64_CHAR, "SHARDLINE_ERR_BASE64_CHAR", "invalid base64 character"},
    {SHARDLINE_ERR_BASE64_PADDING, "SHARDLINE_ERR_BASE64_PADDING", "invalid base64 length or padding"},
    {SHARDLINE_ERR_BASE64_TRAILING_BITS, "SHARDLINE_ERR_BASE64_TRAILING_BITS", "non-zero trailing bits in base64"},
    {SHARDLINE_ERR_MISSING_FIELD, "SHARDLINE_ERR_MISSING_FIELD", "required field missing"},
    {SHARDLINE_ERR_FIELD_TYPE, "SHARDLINE_ERR_FIELD_TYPE", "field has the wrong JSON type"},
    {SHARDLINE_ERR_FIELD_VALUE, "SHARDLINE_ERR_FIELD_VALUE", "field has an invalid value"},
    {SHARDLINE_ERR_DUPLICATE_FIELD, "SHARDLINE_ERR_DUPLICATE_FIELD", "duplicate field"},
    {SHARDLINE_ERR_ATTR_TYPE, "SHARDLINE_ERR_ATTR_TYPE", "AttributeValue needs exactly one type key"},
    {SHARDLINE_ERR_ATTR_NUMBER, "SHARDLINE_ERR_ATTR_NUMBER", "invalid DynamoDB number"},
};

static const status_info *lookup(shardline_status status)
{
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].code == status)
            return &status_table[i];
    return NULL;
}

const char *shardline_status_name(shardline_status status)
{
    const status_info *info = lookup(status);
    return info ? info->name : "SHARDLINE_ERR_UNKNOWN";
}

const char *shardline_status_message(shardline_status status)
{
    const status_info *info = lookup(status);
    return info ? info->message : "unknown error";
}

/* Write the path into out (cap bytes incl. NUL), e.g. "Records[3].kinesis.data".
 * It is rendered from its deepest segment backwards, so a path too long for
 * out keeps its last part behind a leading "...". Segments deeper than
 * SL_PATH_DEPTH were never recorded; a trailing "..." stands for them. */
static void format_path(const sl_path *path, char *out, size_t cap)
{
    char tmp[SHARDLINE_ERROR_PATH_MAX];
    size_t pos = sizeof tmp - 1; /* tmp[pos..] holds the text built so far */
    const size_t reserve = 3;    /* room for the leading "..." */
    bool cut = false;
    size_t kept = path->depth < SL_PATH_DEPTH ? path->depth : SL_PATH_DEPTH;
    tmp[pos] = '\0';
    if (path->depth > SL_PATH_DEPTH) {
        pos -= 3;
        memcpy(tmp + pos, "...", 3);
    }
    for (size_t i = kept; i-- > 0 && !cut;) {
        char seg[32];
        const char *text;
        size_t n;
        const sl_path_seg *s = &path->seg[i];
        if (s->name == NULL) {
            n = (size_t)snprintf(seg, sizeof seg, "[%zu]", s->len);
            text = seg;
        } else {
            text = s->name;
            n = s->len;
        }
        bool dot = s->name != NULL && i > 0;
        size_t room = pos - reserve;
        if (n + dot > room) {
            /* Keep the segment's tail and stop. */
            size_t take = room;
            memcpy(tmp + pos - take, text + n - take, take);
            pos -= take;
            cut = true;
            break;
        }
        pos -= n;
        memcpy(tmp + pos, text, n);
        if (dot)
            tmp[--pos] = '.';
    }
    if (cut) {
        pos -= 3;
        memcpy(tmp + pos, "...", 3);
    }
    size_t len = sizeof tmp - 1 - pos;
    if (len > cap - 1)
        len = cap - 1;
    memcpy(out, tmp + pos, len);
    out[len] = '\0';
}

shardline_status sl_error_set(shardline_error *error, shardline_status code, size_t offset,
                              const sl_path *path)
{
    if (error != NULL) {
        error->code = code;
        error->offset = offset;
        error->message = shardline_status_message(code);
        error->path[0] = '\0';
        if (path != NULL && path->depth > 0)
            format_path(path, error->path, sizeof error->path);
    }
    return code;
}

void sl_error_ok(shardline_error *error)
{
    if (error != NULL) {
        error->code = SHARDLINE_OK;
        error->offset = 0;
        error->message = shardline_status_message(SHARDLINE_OK);
        error->path[0] = '\0';
    }
}
