/* codec.c - the public base64 and UTF-8 entry points over the dispatched kernels. */
#include "internal.h"

shardline_status shardline_base64_decode(const char *src, size_t len, uint8_t *dst,
                                         size_t dst_cap, size_t *out_len, shardline_error *error)
{
    if (out_len != NULL)
        *out_len = 0;
    if (out_len == NULL || (len > 0 && (src == NULL || dst == NULL)) ||
        dst_cap < SHARDLINE_BASE64_DECODED_MAX(len))
        return sl_error_set(error, SHARDLINE_ERR_INVALID_ARGUMENT, 0, NULL);
    if (len == 0) {
        sl_error_ok(error);
        return SHARDLINE_OK;
    }
    size_t n = 0, err_offset = 0;
    shardline_status st = sl_kernels_get()->base64_decode(src, len, dst, &n, &err_offset);
    if (st != SHARDLINE_OK)
        return sl_error_set(error, st, err_offset, NULL);
    *out_len = n;
    sl_error_ok(error);
    return SHARDLINE_OK;
}

static const char encode_alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t shardline_base64_encode(const uint8_t *src, size_t len, char *dst, size_t dst_cap)
{
    if (len == 0 || src == NULL || dst == NULL || len > (SIZE_MAX - 2) / 4 * 3 ||
        dst_cap < SHARDLINE_BASE64_ENCODED_SIZE(len))
        return 0;
    size_t o = 0, i = 0;
    for (; len - i >= 3; i += 3) {
        uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
        dst[o++] = encode_alphabet[v >> 18];
        dst[o++] = encode_alphabet[(v >> 12) & 63];
        dst[o++] = encode_alphabet[(v >> 6) & 63];
        dst[o++] = encode_alphabet[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)src[i] << 16;
        dst[o++] = encode_alphabet[v >> 18];
        dst[o++] = encode_alphabet[(v >> 12) & 63];
        dst[o++] = '=';
        dst[o++] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8;
        dst[o++] = encode_alphabet[v >> 18];
        dst[o++] = encode_alphabet[(v >> 12) & 63];
        dst[o++] = encode_alphabet[(v >> 6) & 63];
        dst[o++] = '=';
    }
    return o;
}

shardline_status shardline_utf8_validate(const char *src, size_t len, shardline_error *error)
{
    if (src == NULL && len > 0)
        return sl_error_set(error, SHARDLINE_ERR_INVALID_ARGUMENT, 0, NULL);
    size_t err_offset = 0;
    shardline_status st = len ? sl_kernels_get()->utf8_validate((const uint8_t *)src, len, &err_offset)
                              : SHARDLINE_OK;
    if (st != SHARDLINE_OK)
        return sl_error_set(error, st, err_offset, NULL);
    sl_error_ok(error);
    return SHARDLINE_OK;
}

uint32_t shardline_version(void)
{
    return SHARDLINE_VERSION_NUMBER;
}

const char *shardline_version_string(void)
{
    return SHARDLINE_VERSION_STRING;
}
