/* peer_simdjson.h - simdjson, the peer bench_core measures shardline against
 * (linked into the benchmark only, when meson finds simdjson and a C++
 * compiler). Every function reports what it saw, so the benchmark can check
 * that the peer did the work before timing it. */
#ifndef SHARDLINE_PEER_SIMDJSON_H
#define SHARDLINE_PEER_SIMDJSON_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct peer_simdjson peer_simdjson;

/* A parser sized for json[0..len), with its own padded copy of the text
 * (simdjson reads up to 64 bytes past the end). NULL when out of memory. */
peer_simdjson *peer_simdjson_new(const char *json, size_t len);
void peer_simdjson_free(peer_simdjson *peer);

/* The library's version and the kernel it picked at run time. */
const char *peer_simdjson_version(void);
const char *peer_simdjson_implementation(void);

/* On-Demand: walk Records and reach each record's kinesis.data as a raw
 * string (no unescaping, no base64); *records gets the count. With
 * text_bytes non-NULL (the check before timing) each string is also read
 * and *text_bytes gets their total length. false on any error. */
bool peer_simdjson_ondemand_kinesis_data(peer_simdjson *peer, size_t *records, size_t *text_bytes);

/* DOM: parse the whole event into simdjson's tape. *records gets the length
 * of the Records array. false on any error. */
bool peer_simdjson_dom_parse(peer_simdjson *peer, size_t *records);

#ifdef __cplusplus
}
#endif

#endif /* SHARDLINE_PEER_SIMDJSON_H */
