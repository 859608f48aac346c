/* shardline_node.h - the native half of the Node binding: hot paths that build JS values in one crossing.
 *
 * Each function takes the napi_env first; SWIG's typemaps in shardline.i pass
 * the env and the JS arguments through untouched, so these functions are
 * wrapped like any C function but speak Node-API directly. On failure they
 * throw a ParseError (the constructor registered by sl_init) and return NULL.
 */
#ifndef SHARDLINE_NODE_H
#define SHARDLINE_NODE_H

#include <node_api.h>

/* What sl_parse_raw returns, chosen by its `mode` argument. */
enum sl_parse_mode {
    SL_MODE_RECORDS = 0, /* columns for parse(): every record, images unmarshalled */
    SL_MODE_DATA = 1,    /* [ArrayBuffer, Float64Array offsets]: Kinesis payloads only */
    SL_MODE_JSON = 2     /* "[p1,p2,...]": validated Kinesis payloads for JSON.parse */
};

/* Register the JS classes the native side creates: ParseError and Set.
 * Must be called once before anything else. Returns undefined. */
napi_value sl_init(napi_env env, napi_value parse_error_ctor);

/* Parse a raw Lambda event (Buffer, Uint8Array, ArrayBuffer or string).
 * mode: a sl_parse_mode. wrap: truthy when N values are to be wrapped
 * (index.js then calls the wrapper on each N's text). */
napi_value sl_parse_raw(napi_env env, napi_value input, napi_value mode, napi_value wrap);

/* Unmarshal one raw AttributeValue map (JSON text): returns
 * [json, binary ArrayBuffer, binary offsets] for index.js to JSON.parse and
 * patch. wrap: truthy when numbers are to be wrapped (every N as its text). */
napi_value sl_image_raw(napi_env env, napi_value input, napi_value wrap);

/* The same image built value by value through Node-API (the slower
 * strategy, kept for the benchmark). wrap: undefined or a function. */
napi_value sl_image_raw_napi(napi_env env, napi_value input, napi_value wrap);

/* Decode an array of base64 strings (Kinesis data of an already-parsed
 * event) strictly. mode SL_MODE_DATA: [ArrayBuffer, Float64Array offsets];
 * SL_MODE_JSON: also validate each payload as JSON and return "[p1,...]".
 * Errors carry the failing element's index in .index. */
napi_value sl_decode_many(napi_env env, napi_value strings, napi_value mode);

/* Decode one base64 string strictly to a Uint8Array. */
napi_value sl_base64_decode(napi_env env, napi_value text);

/* Validate JSON text (Buffer/Uint8Array/string) strictly and return it as a
 * string for JSON.parse, BOM removed. */
napi_value sl_json_text(napi_env env, napi_value input);

/* Parse JSON text into JS values directly from shardline's tree (the
 * alternative to sl_json_text + JSON.parse, kept for the benchmark). */
napi_value sl_json_tree(napi_env env, napi_value input);

#endif
