/* shardline.i - SWIG interface of the Node binding (swig -c++ -javascript -napi).
 *
 * Small C functions (version, status names, kernel name) are wrapped by SWIG
 * as they are. The hot paths live in src/shardline_node.cc and speak Node-API
 * themselves: the typemaps below hand them the env and the raw JS arguments,
 * and pass their napi_value result back, so each call is one crossing that
 * builds every JS value natively.
 */
%module shardline_native

%{
#include "shardline.h"
#include "shardline_node.h"
%}

/* Node-API pass-through: env from the wrapper, arguments and result untouched. */
%typemap(in, numinputs=0) napi_env env "$1 = env;"
%typemap(in) napi_value "$1 = static_cast<napi_value>($input);"
%typemap(out) napi_value "$result = Napi::Value(env, $1);"

/* A thrown ParseError leaves $result empty; return it as is so Node-API
 * raises the pending exception. */

%rename(version) shardline_version_string;
%rename(implementation) shardline_implementation;
%rename(statusName) shardline_status_name;
%rename(statusMessage) shardline_status_message;
const char *shardline_version_string(void);
const char *shardline_implementation(void);
%typemap(in) shardline_status {
  int32_t status_value = 0;
  napi_get_value_int32(env, $input, &status_value);
  $1 = static_cast<shardline_status>(status_value);
}
const char *shardline_status_name(shardline_status status);
const char *shardline_status_message(shardline_status status);

%rename(init) sl_init;
%rename(parseRaw) sl_parse_raw;
%rename(imageRaw) sl_image_raw;
%rename(imageRawNapi) sl_image_raw_napi;
%rename(decodeMany) sl_decode_many;
%rename(base64Decode) sl_base64_decode;
%rename(jsonText) sl_json_text;
%rename(jsonTree) sl_json_tree;
napi_value sl_init(napi_env env, napi_value parse_error_ctor);
napi_value sl_parse_raw(napi_env env, napi_value input, napi_value mode, napi_value wrap);
napi_value sl_image_raw(napi_env env, napi_value input, napi_value wrap);
napi_value sl_image_raw_napi(napi_env env, napi_value input, napi_value wrap);
napi_value sl_decode_many(napi_env env, napi_value strings, napi_value mode);
napi_value sl_base64_decode(napi_env env, napi_value text);
napi_value sl_json_text(napi_env env, napi_value input);
napi_value sl_json_tree(napi_env env, napi_value input);
