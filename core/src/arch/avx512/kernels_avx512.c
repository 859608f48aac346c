/* kernels_avx512.c - the avx512 kernel table. */
#include "../../internal.h"

const sl_kernels sl_kernels_avx512 = {
    .name = "avx512",
    .base64_decode = sl_base64_decode_avx512,
    .utf8_validate = sl_utf8_validate_avx512,
    .string_scan = sl_string_scan_avx512,
    .structural_index = sl_structural_index_avx512,
};
