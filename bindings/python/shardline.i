/* shardline.i - the SWIG interface of the Python binding: the C ABI as module shardline.core,
 * plus native fast paths (shardline_py.c) registered into the same extension module. */
%module(package="shardline", moduleimport="from . import _core") core

%{
#include "shardline.h"
#include "shardline_py.h"
%}

/* Views come back to Python as bytes (the C side never NUL-terminates them). */
%typemap(out) shardline_view {
    $result = $1.ptr ? PyBytes_FromStringAndSize($1.ptr, (Py_ssize_t)$1.len) : SWIG_Py_Void();
}

/* Only the plain-data corner of the ABI goes through SWIG proxies: version,
 * status names and the kernel in use. Everything that parses or hands out
 * views into memory Python does not own is reached through the native
 * wrappers, which copy into Python objects in one crossing. */
%ignore shardline_batch_parse;
%ignore shardline_batch_parse_in_place;
%ignore shardline_dynamodb_change_parse;
%ignore shardline_batch_size;
%ignore shardline_batch_record;
%ignore shardline_batch_memory;
%ignore shardline_batch_free;
%ignore shardline_image_parse;
%ignore shardline_image_root;
%ignore shardline_image_free;
%ignore shardline_json_parse;
%ignore shardline_json_validate;
%ignore shardline_doc_root;
%ignore shardline_doc_free;
%ignore shardline_base64_decode;
%ignore shardline_base64_encode;
%ignore shardline_utf8_validate;
%ignore shardline_options_init;
%ignore shardline_allocator;
%ignore shardline_options;
%ignore shardline_error;
%ignore shardline_view;
%ignore shardline_kinesis;
%ignore shardline_dynamodb;
%ignore shardline_record;
%ignore shardline_attr_get_type;
%ignore shardline_attr_string;
%ignore shardline_attr_number_text;
%ignore shardline_attr_number_int64;
%ignore shardline_attr_number_double;
%ignore shardline_attr_binary;
%ignore shardline_attr_bool;
%ignore shardline_attr_size;
%ignore shardline_attr_at;
%ignore shardline_attr_key_at;
%ignore shardline_attr_member_at;
%ignore shardline_attr_get;
%ignore shardline_value_type;
%ignore shardline_value_string;
%ignore shardline_value_number_text;
%ignore shardline_value_number_int64;
%ignore shardline_value_number_double;
%ignore shardline_value_size;
%ignore shardline_value_at;
%ignore shardline_value_key_at;
%ignore shardline_value_member_at;
%ignore shardline_value_get;
%rename("%(strip:[shardline_])s") "";

#define SHARDLINE_API
%include "shardline_version.h"
%include "shardline.h"

%init %{
    if (shardline_py_init(m) < 0)
        return -1;
%}
