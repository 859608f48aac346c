/* kernels_neon.c - the neon kernel table. */
#include "../../internal.h"

const sl_kernels sl_kernels_neon = {
    .name = "neon",
    .base64_decode = sl_base64_decode_neon,
    .utf8_validate = sl_utf8_validate_neon,
    .string_scan = sl_string_scan_neon,
    .structural_index = sl_structural_index_neon,
};
