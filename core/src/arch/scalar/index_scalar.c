/* index_scalar.c - the structural indexer's reference: one byte at a time. */
#include "../../internal.h"

#define KERNEL(name) name##_scalar
#include "../index_blocks.h"

static inline void classify64(const uint8_t *p, sl_classes *c)
{
    uint64_t quote = 0, backslash = 0, op = 0, ws = 0, ctrl = 0;
    for (unsigned i = 0; i < 64; i++) {
        unsigned x = p[i];
        quote |= (uint64_t)(x == '"') << i;
        backslash |= (uint64_t)(x == '\\') << i;
        op |= (uint64_t)(x == '{' || x == '}' || x == '[' || x == ']' || x == ':' || x == ',') << i;
        ws |= (uint64_t)(x == ' ' || x == '\t' || x == '\n' || x == '\r') << i;
        ctrl |= (uint64_t)(x < 0x20) << i;
    }
    *c = (sl_classes){quote, backslash, op, ws, ctrl};
}
