/* shardline.h - the public C ABI of shardline: decode AWS Lambda stream batches.
 *
 * shardline parses the JSON events that AWS Lambda delivers from Kinesis Data
 * Streams, validates them strictly (RFC 8259 JSON, RFC 4648 base64, the event
 * schema) and hands back records whose payloads are already base64-decoded.
 *
 * Conventions that hold for every function below unless its comment says
 * otherwise:
 *
 * - Views. A shardline_view is a pointer and a length. Views never own memory
 *   and are not NUL-terminated. A view points either into the caller's input
 *   buffer (bytes that needed no change) or into memory owned by the object
 *   that produced it (a batch or a document). It stays valid until that
 *   object is freed AND, for views into the input, while the caller keeps the
 *   input buffer alive and unchanged. An absent optional field is the view
 *   {NULL, 0}; an empty present field is a non-NULL pointer with length 0.
 * - Errors. Functions that can fail return a shardline_status and, when the
 *   caller passes a non-NULL shardline_error, fill it in: on success with
 *   code SHARDLINE_OK, on failure with the code, the byte offset in the input
 *   where the problem was found, a static message and (for schema errors) a
 *   path such as "Records[3].kinesis.data". On failure every output pointer
 *   is set to NULL / zero and nothing needs freeing: there is no partial
 *   result.
 * - NULL. Passing NULL for a required pointer argument returns
 *   SHARDLINE_ERR_INVALID_ARGUMENT (never a crash). A NULL input pointer with
 *   length 0 is accepted as the empty input. Accessors given a NULL object
 *   return the "empty" answer documented on them.
 * - Threads. There is no global mutable state apart from the one-time CPU
 *   dispatch, which is thread-safe. Distinct objects may be used from
 *   distinct threads freely. A finished batch or document is read-only and
 *   may be read from many threads at once; freeing it must not race with
 *   reads.
 * - Memory. All memory comes from the allocator in shardline_options (or
 *   malloc/free when none is given). A batch or document makes a small,
 *   bounded number of allocations (its arena chunks), never one per record.
 */
#ifndef SHARDLINE_H
#define SHARDLINE_H

#include <stddef.h>
#include <stdint.h>

#include "shardline_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(SHARDLINE_BUILDING_DLL)
#define SHARDLINE_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define SHARDLINE_API __attribute__((visibility("default")))
#else
#define SHARDLINE_API
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */
/* ------------------------------------------------------------------------ */

/* The version of the library actually loaded, as SHARDLINE_VERSION_NUMBER
 * encodes it (major << 16 | minor << 8 | patch). Compare with the macro to
 * detect a header/library mismatch. Thread-safe. */
SHARDLINE_API uint32_t shardline_version(void);

/* The same as a static NUL-terminated string, e.g. "0.1.0". */
SHARDLINE_API const char *shardline_version_string(void);

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                  */
/* ------------------------------------------------------------------------ */

/* Status codes. The numeric values are part of the ABI and never change;
 * new codes are only ever appended. */
typedef enum shardline_status {
    SHARDLINE_OK = 0,
    /* A required pointer was NULL, or an option was out of range. */
    SHARDLINE_ERR_INVALID_ARGUMENT = 1,
    /* The allocator returned NULL. */
    SHARDLINE_ERR_NOMEM = 2,
    /* The input is larger than the library can index (see SHARDLINE_MAX_INPUT). */
    SHARDLINE_ERR_TOO_LARGE = 3,

    /* JSON (RFC 8259) */
    /* Invalid UTF-8: bad lead byte, bad continuation, overlong form, UTF-16
     * surrogate (U+D800..U+DFFF), code point above U+10FFFF, or a sequence
     * cut short. The offset is the sequence's first byte. */
    SHARDLINE_ERR_UTF8 = 10,
    /* The input ended inside a value. The offset is the input length. */
    SHARDLINE_ERR_TRUNCATED = 11,
    /* A byte that cannot start or continue the JSON grammar here (a missing
     * comma or colon, a trailing comma, a comment, a bad literal, ...). */
    SHARDLINE_ERR_SYNTAX = 12,
    /* A raw control character (U+0000..U+001F) inside a string. */
    SHARDLINE_ERR_CONTROL_CHAR = 13,
    /* An unknown escape, a bad \u escape, or a lone or misordered UTF-16
     * surrogate in \u escapes. The offset is the backslash. */
    SHARDLINE_ERR_ESCAPE = 14,
    /* A number that breaks the RFC 8259 grammar (leading zero, missing
     * digits, "+1", ".5", "1.", "1e", ...). The offset is the number's start. */
    SHARDLINE_ERR_NUMBER = 15,
    /* Arrays and objects nested deeper than the max_depth option. The
     * offset is the bracket that went one level too deep. */
    SHARDLINE_ERR_DEPTH = 16,
    /* Something other than whitespace after the top-level value. */
    SHARDLINE_ERR_TRAILING = 17,
    /* The input is empty or only whitespace. */
    SHARDLINE_ERR_EMPTY = 18,

    /* base64 (RFC 4648, standard alphabet, padded). For base64 inside a
     * JSON string (Kinesis data, DynamoDB B and BS) the offset is the bad
     * byte in the input, or the string's first character when the string
     * contains JSON escapes such as "\/" (its text was rewritten). */
    /* A byte outside the alphabet (whitespace and '-' '_' included). */
    SHARDLINE_ERR_BASE64_CHAR = 30,
    /* Length not a multiple of 4, or an '=' that is not part of a final
     * "=" or "==" ("AB=C" and "A===" are errors). The offset is the first
     * bad position; a bad length is reported at the start of the incomplete
     * final quantum, ahead of any bad byte inside that quantum. */
    SHARDLINE_ERR_BASE64_PADDING = 31,
    /* The bits left over before padding are not zero ("QR==" instead of
     * "QQ=="): such text is not what any encoder emits. The offset is the
     * character carrying the stray bits. */
    SHARDLINE_ERR_BASE64_TRAILING_BITS = 32,

    /* Event schema */
    /* A required field is missing. The offset is the opening brace of the
     * object that lacks it; the path names the field. */
    SHARDLINE_ERR_MISSING_FIELD = 50,
    /* A field holds the wrong JSON type. The offset is the value's start. */
    SHARDLINE_ERR_FIELD_TYPE = 51,
    /* A field has the right type but a value this event kind never has
     * (an unknown eventSource, a sequenceNumber that is not digits, ...). */
    SHARDLINE_ERR_FIELD_VALUE = 52,
    /* A known field appears twice in the same object. The offset is the
     * second occurrence's key. */
    SHARDLINE_ERR_DUPLICATE_FIELD = 53,

    /* DynamoDB AttributeValues */
    /* An AttributeValue object without exactly one type key: {} (offset:
     * its '{'), a key that is not S N B BOOL NULL M L SS NS BS, or a second
     * key (offset: that key's opening quote). */
    SHARDLINE_ERR_ATTR_TYPE = 60,
    /* An N (or NS element) that is not a DynamoDB number: not
     * -?digits(.digits)?([eE][+-]?digits)?, more than 38 significant
     * digits, or a magnitude outside 1E-130 .. 9.99...E+125. The offset is
     * the string's opening quote. */
    SHARDLINE_ERR_ATTR_NUMBER = 61
} shardline_status;

/* Longest path kept in shardline_error, including the terminating NUL. A
 * longer path keeps its last part and starts with "...". Only the first 160
 * segments of a path are recorded: an error nested deeper ends its path
 * with "..." in place of the rest. */
#define SHARDLINE_ERROR_PATH_MAX 256

/* What went wrong. Filled in by every function that takes one. Plain data:
 * copy it, keep it, no freeing. */
typedef struct shardline_error {
    shardline_status code;
    /* Byte offset into the input where the problem was found (0 on success). */
    size_t offset;
    /* Static English sentence fragment, never NULL once filled in. */
    const char *message;
    /* Schema path such as "Records[3].kinesis.data", or "" when the error
     * is not tied to a field (plain JSON syntax errors carry the path of the
     * field being read when there is one). NUL-terminated. */
    char path[SHARDLINE_ERROR_PATH_MAX];
} shardline_error;

/* The name of a status as a static string, e.g. "SHARDLINE_ERR_UTF8".
 * Unknown values give "SHARDLINE_ERR_UNKNOWN". Never NULL. */
SHARDLINE_API const char *shardline_status_name(shardline_status status);

/* A short static description of a status, e.g. "invalid UTF-8". Never NULL. */
SHARDLINE_API const char *shardline_status_message(shardline_status status);

/* ------------------------------------------------------------------------ */
/* Allocation and options                                                   */
/* ------------------------------------------------------------------------ */

/* Allocator hooks. Every hook receives ctx. alloc returns memory aligned for
 * any object type (like malloc) or NULL; free receives the pointer and the
 * size that was asked for. shardline never calls alloc with size 0 and never
 * frees NULL. The hooks must stay callable until every object allocated with
 * them is freed. */
typedef struct shardline_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} shardline_allocator;

/* Largest input accepted, in bytes. Offsets and lengths inside the index are
 * 32-bit; larger inputs give SHARDLINE_ERR_TOO_LARGE. */
#define SHARDLINE_MAX_INPUT ((size_t)0xFFFFFFF0u)

/* Default nesting limit for arrays and objects. */
#define SHARDLINE_DEFAULT_MAX_DEPTH 1024u

/* Options for the parsing functions. Always initialise with
 * shardline_options_init(), then change fields: the struct may gain fields at
 * its end in later versions, and the size field tells the library how much of
 * it the caller knows about. Passing NULL options means all defaults. */
typedef struct shardline_options {
    /* sizeof(shardline_options) as the caller compiled it. */
    size_t size;
    /* Deepest nesting of arrays/objects accepted, counting the outermost
     * container as 1. 0 means the default (1024). Any value up to
     * UINT32_MAX works: nesting never uses the C stack. */
    uint32_t max_depth;
    /* Reserved, must be 0. */
    uint32_t flags;
    /* NULL means malloc/free. The struct is copied: it need not outlive
     * the call, but the hooks must outlive every object made with it. */
    const shardline_allocator *allocator;
} shardline_options;

/* Fill *options with the defaults and set options->size. NULL is ignored. */
SHARDLINE_API void shardline_options_init(shardline_options *options);

/* ------------------------------------------------------------------------ */
/* Views                                                                    */
/* ------------------------------------------------------------------------ */

/* A run of bytes: text (UTF-8, not NUL-terminated) or binary payload. */
typedef struct shardline_view {
    const char *ptr;
    size_t len;
} shardline_view;

/* ------------------------------------------------------------------------ */
/* Kinesis batches                                                          */
/* ------------------------------------------------------------------------ */

/* Where a record came from, detected from its eventSource. */
typedef enum shardline_source {
    SHARDLINE_SOURCE_UNKNOWN = 0,
    SHARDLINE_SOURCE_KINESIS = 1, /* "aws:kinesis" */
    SHARDLINE_SOURCE_DYNAMODB = 2 /* "aws:dynamodb" */
} shardline_source;

/* The "kinesis" object of a Kinesis Data Streams record. All text fields are
 * views (see the conventions at the top); text with JSON escapes is unescaped
 * into the batch's memory (or in place, in in-place mode). */
typedef struct shardline_kinesis {
    shardline_view kinesis_schema_version; /* e.g. "1.0" */
    shardline_view partition_key;          /* any Unicode text */
    shardline_view sequence_number;        /* decimal digits, kept as text */
    /* The payload, base64-decoded: arbitrary bytes, length may be 0. */
    shardline_view data;
    /* approximateArrivalTimestamp exactly as written (a JSON number such as
     * "1428537600", "1480641523.477" or "1.607497475E9") and its value as the
     * nearest double (seconds since the epoch). */
    shardline_view approximate_arrival_timestamp_text;
    double approximate_arrival_timestamp;
    /* "NONE" or "KMS" when present; {NULL, 0} when the field is absent. */
    shardline_view encryption_type;
} shardline_kinesis;

/* ------------------------------------------------------------------------ */
/* DynamoDB AttributeValues                                                 */
/* ------------------------------------------------------------------------ */

/* The type of an unmarshalled AttributeValue: its type key. */
typedef enum shardline_attr_type {
    SHARDLINE_ATTR_NONE = 0, /* a NULL pointer */
    SHARDLINE_ATTR_S = 1,    /* string */
    SHARDLINE_ATTR_N = 2,    /* number, kept as its exact text */
    SHARDLINE_ATTR_B = 3,    /* binary, base64-decoded */
    SHARDLINE_ATTR_BOOL = 4,
    SHARDLINE_ATTR_NULL = 5,
    SHARDLINE_ATTR_M = 6,    /* map: name -> value, in document order */
    SHARDLINE_ATTR_L = 7,    /* list of values */
    SHARDLINE_ATTR_SS = 8,   /* set of strings: elements are S values */
    SHARDLINE_ATTR_NS = 9,   /* set of numbers: elements are N values */
    SHARDLINE_ATTR_BS = 10   /* set of binaries: elements are B values */
} shardline_attr_type;

/* An unmarshalled AttributeValue: a node of a read-only tree owned by a
 * batch or an image, living as long as its owner. Accessors given a value
 * of another type (or NULL) return the empty answer they document. */
typedef struct shardline_attr shardline_attr;

SHARDLINE_API shardline_attr_type shardline_attr_get_type(const shardline_attr *attr);

/* S: the unescaped UTF-8 text. {NULL,0} for other types. */
SHARDLINE_API shardline_view shardline_attr_string(const shardline_attr *attr);

/* N: the number exactly as written ("1.50", "-0.3E5"); {NULL,0} otherwise. */
SHARDLINE_API shardline_view shardline_attr_number_text(const shardline_attr *attr);

/* N as int64, with the contract of shardline_value_number_int64: 1 and *out
 * set when the number is an integer in int64 range, else 0 (also for other
 * types). N as double, with the contract of shardline_value_number_double:
 * 1 exact, 0 rounded, -1 (and *out untouched) for other types. */
SHARDLINE_API int shardline_attr_number_int64(const shardline_attr *attr, int64_t *out);
SHARDLINE_API int shardline_attr_number_double(const shardline_attr *attr, double *out);

/* B: the decoded bytes (possibly empty); {NULL,0} for other types. */
SHARDLINE_API shardline_view shardline_attr_binary(const shardline_attr *attr);

/* BOOL: 1 for true, 0 for false; -1 for other types. */
SHARDLINE_API int shardline_attr_bool(const shardline_attr *attr);

/* Members of an M, elements of an L, SS, NS or BS; 0 for other types. */
SHARDLINE_API size_t shardline_attr_size(const shardline_attr *attr);

/* Element i of an L, SS, NS or BS (set elements have type S, N or B), O(1);
 * NULL for other types or i out of range. Sets keep the event's order;
 * duplicates are not removed. */
SHARDLINE_API const shardline_attr *shardline_attr_at(const shardline_attr *attr, size_t i);

/* Member i of an M in document order, O(1): its unescaped name and value. */
SHARDLINE_API shardline_view shardline_attr_key_at(const shardline_attr *attr, size_t i);
SHARDLINE_API const shardline_attr *shardline_attr_member_at(const shardline_attr *attr, size_t i);

/* The member of an M named key[0..len), or NULL; the last one wins if a
 * name repeats. O(members). */
SHARDLINE_API const shardline_attr *shardline_attr_get(const shardline_attr *attr, const char *key,
                                                       size_t len);

/* The "dynamodb" object of a DynamoDB Streams record (or of a DynamoDB
 * change record delivered through Kinesis Data Streams), with the record
 * members only DynamoDB records have. Owned by the batch; may gain fields
 * at its end in later versions, like shardline_record. */
typedef struct shardline_dynamodb {
    /* ApproximateCreationDateTime exactly as written (seconds such as
     * "1480642020" or "1.635734407123456789E9"; milliseconds in change
     * records from Kinesis) and its nearest double; {NULL,0} and NaN when
     * the field is absent. */
    shardline_view approximate_creation_date_time_text;
    double approximate_creation_date_time;
    /* Keys, NewImage, OldImage as M values; NULL when absent (which ones a
     * stream sends depends on its StreamViewType). */
    const shardline_attr *keys;
    const shardline_attr *new_image;
    const shardline_attr *old_image;
    /* Decimal digits; {NULL,0} in change records from Kinesis. */
    shardline_view sequence_number;
    /* SizeBytes as written and as an integer; {NULL,0} and -1 when absent. */
    shardline_view size_bytes_text;
    int64_t size_bytes;
    /* "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE" or "NEW_AND_OLD_IMAGES";
     * {NULL,0} when absent. */
    shardline_view stream_view_type;
    /* The record's userIdentity: {"type": "Service", "principalId":
     * "dynamodb.amazonaws.com"} for TTL deletions; {NULL,0} both when the
     * member is absent or null. */
    shardline_view user_identity_type;
    shardline_view user_identity_principal_id;
    /* The record's tableName and recordFormat ("application/json"): change
     * records delivered through Kinesis only (see
     * shardline_dynamodb_change_parse); {NULL,0} in stream records. */
    shardline_view table_name;
    shardline_view record_format;
} shardline_dynamodb;

/* One record of a batch. Records are owned by their batch and only ever
 * handed out by pointer. Later versions may append fields to this struct (for
 * other event sources): never copy it by value into storage you keep, and
 * never assume its size. */
typedef struct shardline_record {
    shardline_source source;
    /* Position of the record in the event's Records array. */
    size_t index;
    /* Byte offset of the record's opening brace in the input. */
    size_t offset;
    shardline_view event_source;        /* "aws:kinesis" or "aws:dynamodb" */
    shardline_view event_version;       /* e.g. "1.0"; "1.1" for DynamoDB */
    shardline_view event_id;            /* "shardId-...:4959..." for Kinesis */
    shardline_view event_name;          /* "aws:kinesis:record"; INSERT, MODIFY or REMOVE */
    shardline_view invoke_identity_arn; /* Kinesis only; {NULL,0} for DynamoDB */
    shardline_view aws_region;
    shardline_view event_source_arn;    /* {NULL,0} in change records from Kinesis */
    /* Valid when source == SHARDLINE_SOURCE_KINESIS. */
    shardline_kinesis kinesis;
    /* Non-NULL exactly when source == SHARDLINE_SOURCE_DYNAMODB. A pointer,
     * so Kinesis records do not pay for DynamoDB's members. */
    const shardline_dynamodb *dynamodb;
} shardline_record;

/* A parsed batch: an opaque handle that owns the records and the arena that
 * holds decoded payloads and unescaped strings. */
typedef struct shardline_batch shardline_batch;

/* Parse a Lambda stream event ({"Records":[...]}) and decode every payload.
 *
 * Records may come from Kinesis Data Streams or DynamoDB Streams; each
 * record's eventSource decides its schema and its `source`. DynamoDB images
 * are unmarshalled into shardline_attr trees in the batch's memory: B and BS
 * values base64-decoded, N values checked against DynamoDB's number rules.
 *
 * input/len: the raw event JSON. A leading UTF-8 BOM is skipped. The buffer
 *   is only read, never written, and not read past input[len - 1]; it needs
 *   no NUL terminator and no padding. Views into it are handed out, so keep
 *   it alive and unchanged while using the batch.
 * options: NULL for defaults.
 * out: receives the batch on success, NULL on failure. Free it with
 *   shardline_batch_free().
 * error: may be NULL.
 *
 * Memory: the batch struct, a record table and an arena for decoded payloads
 * and unescaped strings. The arena starts with a chunk of at most 68 KiB and
 * grows by whole chunks sized by projecting what the records so far needed
 * over the rest of the input (never more than 3/4 of the remaining input
 * plus 4 KiB at a time); the record table grows the same way. No allocation
 * per record: a 10,000-record Kinesis batch makes about five allocations.
 * DynamoDB images add a 12-byte node (8 on 32-bit targets) per attribute
 * name and per value.
 * shardline_batch_memory() tells the total.
 *
 * Top-level fields other than "Records", and unknown fields in records, are
 * validated as JSON and skipped. An event with "Records": [] is a valid empty
 * batch. Thread-safe for distinct outputs. */
SHARDLINE_API shardline_status shardline_batch_parse(const char *input, size_t len,
                                                     const shardline_options *options,
                                                     shardline_batch **out,
                                                     shardline_error *error);

/* The same, but payloads and B values are base64-decoded and strings
 * unescaped inside the caller's buffer, over the text they came from (output
 * is never longer than its text), so a Kinesis batch allocates only its
 * record table (DynamoDB images still need their attribute nodes). On success the
 * buffer is no longer the same JSON text: its payload strings hold decoded
 * bytes. On failure the buffer may have been partly rewritten (no batch is
 * returned, so no half-decoded record is ever seen); keep a copy if you need
 * the original text to report errors from. */
SHARDLINE_API shardline_status shardline_batch_parse_in_place(char *input, size_t len,
                                                              const shardline_options *options,
                                                              shardline_batch **out,
                                                              shardline_error *error);

/* Parse one DynamoDB change record as Kinesis Data Streams carries it (the
 * decoded payload of a Kinesis record from a table streaming to Kinesis):
 * {"awsRegion", "eventID", "eventName", "userIdentity", "recordFormat",
 * "tableName", "dynamodb": {...}, "eventSource": "aws:dynamodb"}. *out
 * receives a batch of one record with source SHARDLINE_SOURCE_DYNAMODB,
 * table_name and record_format set and no sequence number. Paths in errors
 * start at the payload's members ("dynamodb.NewImage.id.N"). Input, options
 * and memory as for shardline_batch_parse. */
SHARDLINE_API shardline_status shardline_dynamodb_change_parse(const char *input, size_t len,
                                                               const shardline_options *options,
                                                               shardline_batch **out,
                                                               shardline_error *error);

/* Number of records; 0 for NULL. */
SHARDLINE_API size_t shardline_batch_size(const shardline_batch *batch);

/* Record i (0-based) or NULL when batch is NULL or i >= size. The pointer
 * lives as long as the batch. */
SHARDLINE_API const shardline_record *shardline_batch_record(const shardline_batch *batch,
                                                             size_t i);

/* Bytes the batch holds from its allocator (arena chunks and record table):
 * the extra memory the batch costs beyond the input. 0 for NULL. */
SHARDLINE_API size_t shardline_batch_memory(const shardline_batch *batch);

/* Free the batch and everything it owns. NULL is ignored. */
SHARDLINE_API void shardline_batch_free(shardline_batch *batch);

/* ------------------------------------------------------------------------ */
/* DynamoDB images on their own                                             */
/* ------------------------------------------------------------------------ */

/* An unmarshalled AttributeValue map, for callers that hold an image (a
 * NewImage, an item from a stream consumer) rather than a whole event. */
typedef struct shardline_image shardline_image;

/* Unmarshal one AttributeValue map, {"name": {"S": "x"}, ...}, from JSON
 * text. The root is an M value. Input (read only, kept alive for views),
 * options and errors as for shardline_batch_parse; paths start at the
 * attribute name ("address.M.zip.N"). Free with shardline_image_free(). */
SHARDLINE_API shardline_status shardline_image_parse(const char *input, size_t len,
                                                     const shardline_options *options,
                                                     shardline_image **out,
                                                     shardline_error *error);

/* The root M value; NULL for a NULL image. */
SHARDLINE_API const shardline_attr *shardline_image_root(const shardline_image *image);

/* Free the image and every value in it. NULL is ignored. */
SHARDLINE_API void shardline_image_free(shardline_image *image);

/* 1 when text[0..len) is a number DynamoDB accepts as N (the check the
 * unmarshaller applies: -?digits(.digits)?([eE][+-]?digits)?, at most 38
 * significant digits, zero or a magnitude from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125), else 0. For bindings
 * that unmarshal values they did not get from shardline's parser. text may
 * be NULL only when len is 0 (not a number: 0). Thread-safe, no allocation. */
SHARDLINE_API int shardline_dynamodb_number_valid(const char *text, size_t len);

/* ------------------------------------------------------------------------ */
/* Generic JSON documents                                                   */
/* ------------------------------------------------------------------------ */

typedef enum shardline_type {
    SHARDLINE_TYPE_NULL = 0,
    SHARDLINE_TYPE_FALSE = 1,
    SHARDLINE_TYPE_TRUE = 2,
    SHARDLINE_TYPE_NUMBER = 3,
    SHARDLINE_TYPE_STRING = 4,
    SHARDLINE_TYPE_ARRAY = 5,
    SHARDLINE_TYPE_OBJECT = 6
} shardline_type;

/* A parsed JSON text: an opaque handle owning a read-only tree. */
typedef struct shardline_doc shardline_doc;
/* A node of the tree. Pointers to nodes live as long as their document. */
typedef struct shardline_value shardline_value;

/* Parse any JSON text (RFC 8259, strict) into a tree.
 * input/len: as for shardline_batch_parse (read only, no padding needed,
 *   BOM skipped, views point into it: keep it alive and unchanged).
 * Memory: nodes of 12 bytes each (8 on 32-bit targets) plus unescaped
 *   strings, in an arena sized from len and grown by chunks. Duplicate
 *   object keys are kept in order.
 * Thread-safe for distinct outputs. */
SHARDLINE_API shardline_status shardline_json_parse(const char *input, size_t len,
                                                    const shardline_options *options,
                                                    shardline_doc **out,
                                                    shardline_error *error);

/* Validate a JSON text without building anything: the same checks and the
 * same error as shardline_json_parse. options may be NULL. Valid texts are
 * checked over a structural index built 4 KiB at a time (about 17 KiB of
 * stack); an invalid one is then walked byte by byte for its first error.
 * Allocates only a nesting stack of max_depth / 8 bytes when max_depth
 * exceeds 4096. */
SHARDLINE_API shardline_status shardline_json_validate(const char *input, size_t len,
                                                       const shardline_options *options,
                                                       shardline_error *error);

/* The root value; NULL for a NULL document. */
SHARDLINE_API const shardline_value *shardline_doc_root(const shardline_doc *doc);

/* Free a document and every value in it. NULL is ignored. */
SHARDLINE_API void shardline_doc_free(shardline_doc *doc);

/* The value's type; SHARDLINE_TYPE_NULL for a NULL pointer. */
SHARDLINE_API shardline_type shardline_value_type(const shardline_value *value);

/* Strings: the unescaped UTF-8 text ({NULL,0} if value is not a string).
 * Numbers: the number exactly as written ({NULL,0} if not a number). */
SHARDLINE_API shardline_view shardline_value_string(const shardline_value *value);
SHARDLINE_API shardline_view shardline_value_number_text(const shardline_value *value);

/* Number as int64. Returns 1 and sets *out when the number is an integer in
 * int64 range, whatever its form ("12", "1.2e1", "120e-1" all give 12);
 * returns 0 and leaves *out alone otherwise (not a number, a fraction, out of
 * range, or out is NULL). */
SHARDLINE_API int shardline_value_number_int64(const shardline_value *value, int64_t *out);

/* Number as double: *out receives the nearest double (round half to even;
 * +-HUGE_VAL beyond range, signed zero below it). Returns 1 when that double
 * equals the number exactly ("-0" gives -0.0, exactly), 0 when it was
 * rounded (every overflow to HUGE_VAL and underflow to zero is rounded). Returns -1 and leaves
 * *out alone when value is not a number or out is NULL. Independent of the
 * C locale. */
SHARDLINE_API int shardline_value_number_double(const shardline_value *value, double *out);

/* Number of elements (array) or members (object); 0 for anything else. */
SHARDLINE_API size_t shardline_value_size(const shardline_value *value);

/* Element i of an array, O(1); NULL if not an array or out of range. */
SHARDLINE_API const shardline_value *shardline_value_at(const shardline_value *value, size_t i);

/* Member i of an object, in document order, O(1): its unescaped key and its
 * value. NULL / {NULL,0} if not an object or out of range. */
SHARDLINE_API shardline_view shardline_value_key_at(const shardline_value *value, size_t i);
SHARDLINE_API const shardline_value *shardline_value_member_at(const shardline_value *value,
                                                               size_t i);

/* The value of the member whose unescaped key equals key[0..len), or NULL.
 * With duplicate keys the LAST one wins, as in JSON.parse and Python's json.
 * O(members). */
SHARDLINE_API const shardline_value *shardline_value_get(const shardline_value *value,
                                                         const char *key, size_t len);

/* ------------------------------------------------------------------------ */
/* base64 (RFC 4648 section 4, standard alphabet with padding)              */
/* ------------------------------------------------------------------------ */

/* Upper bound of the decoded size of len base64 characters: len / 4 * 3. */
#define SHARDLINE_BASE64_DECODED_MAX(len) ((size_t)(len) / 4u * 3u)
/* Exact encoded size of len bytes: (len + 2) / 3 * 4 (mind overflow for
 * len near SIZE_MAX). */
#define SHARDLINE_BASE64_ENCODED_SIZE(len) (((size_t)(len) + 2u) / 3u * 4u)

/* Decode strictly: length a multiple of 4, only A-Z a-z 0-9 + /, '=' only as
 * a final "=" or "==", zero bits before padding. Empty input decodes to
 * nothing (src and dst may then be NULL).
 * dst must hold SHARDLINE_BASE64_DECODED_MAX(len) bytes even when padding
 * makes the output shorter (dst_cap is checked: less gives
 * SHARDLINE_ERR_INVALID_ARGUMENT, as does a NULL src or dst with len > 0).
 * dst may equal src (decoding in place); other overlaps are not allowed.
 * *out_len receives the decoded size.
 * On error *out_len is 0 and the error offset is relative to src; dst may
 * hold partial output. Uses the fastest kernel this CPU supports. */
SHARDLINE_API shardline_status shardline_base64_decode(const char *src, size_t len,
                                                       uint8_t *dst, size_t dst_cap,
                                                       size_t *out_len,
                                                       shardline_error *error);

/* Encode len bytes as padded standard base64 into dst, which must hold
 * SHARDLINE_BASE64_ENCODED_SIZE(len) bytes. Returns the number of characters
 * written (no NUL is added), or 0 when len is 0, src or dst is NULL, or
 * dst_cap is too small: a non-zero len never legitimately gives 0. */
SHARDLINE_API size_t shardline_base64_encode(const uint8_t *src, size_t len, char *dst,
                                             size_t dst_cap);

/* ------------------------------------------------------------------------ */
/* UTF-8                                                                    */
/* ------------------------------------------------------------------------ */

/* Validate UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no truncated sequence). NUL bytes are valid UTF-8. Returns
 * SHARDLINE_OK or SHARDLINE_ERR_UTF8 with the offset of the first byte of the
 * first bad sequence. */
SHARDLINE_API shardline_status shardline_utf8_validate(const char *src, size_t len,
                                                       shardline_error *error);

/* ------------------------------------------------------------------------ */
/* CPU dispatch                                                             */
/* ------------------------------------------------------------------------ */

/* The name of the kernel implementation in use: "avx512" (AVX-512 F, BW
 * and VBMI), "avx2", "sse42" or "scalar" on x86-64, "neon" or "scalar" on
 * AArch64, "scalar" elsewhere. The choice is made once, on first use, from
 * the CPU's features (thread-safe); every implementation gives the same
 * results, errors and offsets. For tests, the environment variable
 * SHARDLINE_FORCE_IMPL=<name> selects an implementation if this CPU
 * supports it. Never NULL. */
SHARDLINE_API const char *shardline_implementation(void);

#ifdef __cplusplus
}
#endif

#endif /* SHARDLINE_H */
