/* kernels_scalar.c - the scalar kernel table: always built, the reference for every other ISA. */
#include "../../internal.h"

const sl_kernels sl_kernels_scalar = {
    .name = "scalar",
    .base64_decode = sl_base64_decode_scalar,
    .utf8_validate = sl_utf8_validate_scalar,
    .string_scan = sl_string_scan_scalar,
    .structural_index = sl_structural_index_scalar,
};
