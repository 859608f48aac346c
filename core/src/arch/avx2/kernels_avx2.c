/* kernels_avx2.c - the avx2 kernel table. */
#include "../../internal.h"

const sl_kernels sl_kernels_avx2 = {
    .name = "avx2",
    .base64_decode = sl_base64_decode_avx2,
    .utf8_validate = sl_utf8_validate_avx2,
    .string_scan = sl_string_scan_avx2,
    .structural_index = sl_structural_index_avx2,
};
