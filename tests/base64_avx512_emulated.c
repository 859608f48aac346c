/* base64_avx512_emulated.c - the avx512 base64 decoder over portable intrinsics (see avx512_emulated.h). */
#include "avx512_emulated.h"

#include "../core/src/arch/avx512/base64_avx512.c"
