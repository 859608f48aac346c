/* kernels_sse42.c - the sse42 kernel table. */
#include "../../internal.h"

const sl_kernels sl_kernels_sse42 = {
    .name = "sse42",
    .base64_decode = sl_base64_decode_sse42,
    .utf8_validate = sl_utf8_validate_sse42,
    .string_scan = sl_string_scan_sse42,
    .structural_index = sl_structural_index_sse42,
};
