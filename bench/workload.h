/* workload.h - deterministic synthetic AWS Lambda stream events, shared by gen_workload and bench_core. */
#ifndef SHARDLINE_BENCH_WORKLOAD_H
#define SHARDLINE_BENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kinesis sequence numbers are always 56 decimal digits. */
#define WL_SEQUENCE_DIGITS 56

/* DynamoDB Streams sequence numbers have 21 to 40 decimal digits. */
#define WL_DYNAMODB_SEQUENCE_MIN_DIGITS 21
#define WL_DYNAMODB_SEQUENCE_MAX_DIGITS 40

/* DynamoDB eventIDs are 32 lowercase hex digits. */
#define WL_DYNAMODB_EVENT_ID_LEN 32

/* The shard every generated Kinesis record claims to come from: a Lambda
 * batch is read from a single shard, so its eventIDs share this prefix. */
#define WL_KINESIS_SHARD_ID "shardId-000000000006"

/* DynamoDB AttributeValue types, as the generator wrote them. The generator
 * keeps its own enum rather than the library's so that the expectations stay
 * an independent statement of what the event holds. */
typedef enum wl_attr_type {
    WL_ATTR_S = 1,
    WL_ATTR_N,
    WL_ATTR_B,
    WL_ATTR_BOOL,
    WL_ATTR_NULL,
    WL_ATTR_M,
    WL_ATTR_L,
    WL_ATTR_SS,
    WL_ATTR_NS,
    WL_ATTR_BS
} wl_attr_type;

/* The type key as it appears in the JSON ("S", "BOOL", ...). */
const char *wl_attr_type_name(wl_attr_type type);

/* Which AttributeValue map of a DynamoDB record an expectation is about. */
typedef enum wl_image {
    WL_IMAGE_KEYS,
    WL_IMAGE_NEW,
    WL_IMAGE_OLD
} wl_image;

/* The deepest attribute an expectation names: image member, then up to
 * three more map members or list/set elements. */
#define WL_ATTR_PATH_MAX 4

/* One step from a map or list down to one of its values. */
typedef struct wl_path_step {
    bool is_index;      /* an L/SS/NS/BS element rather than an M member */
    size_t index;       /* element index, when is_index */
    size_t name_offset; /* member name, unescaped UTF-8, in wl_workload.values */
    size_t name_len;
} wl_path_step;

/* What one chosen attribute of a DynamoDB record must unmarshal to. */
typedef struct wl_attr_check {
    wl_image image;
    unsigned depth; /* steps used in path, 1..WL_ATTR_PATH_MAX */
    wl_path_step path[WL_ATTR_PATH_MAX];
    wl_attr_type type;
    /* S: the unescaped UTF-8 text; N: the number exactly as written; B: the
     * decoded bytes. In wl_workload.values; empty for other types. */
    size_t value_offset;
    size_t value_len;
    bool bool_value; /* BOOL */
    size_t size;     /* M members, L/SS/NS/BS elements; 0 otherwise */
} wl_attr_check;

/* The DynamoDB half of a record's expectations. */
typedef struct wl_dynamodb_record {
    const char *event_name; /* "INSERT", "MODIFY" or "REMOVE": static storage */
    char event_id[WL_DYNAMODB_EVENT_ID_LEN + 1];
    char creation_time_text[40]; /* ApproximateCreationDateTime exactly as written */
    uint64_t size_bytes;         /* SizeBytes */
    size_t key_count;            /* attributes in Keys */
    bool has_new_image, has_old_image;
    size_t new_image_count, old_image_count; /* attributes, when present */
    bool has_user_identity; /* {"type":"Service","principalId":"dynamodb.amazonaws.com"} */
    size_t first_check;     /* this record's checks: wl_workload.checks[first_check..+check_count) */
    size_t check_count;
} wl_dynamodb_record;

/* What a correct parser must hand back for one generated record. Offsets
 * point into the pools of the owning wl_workload (pools may move while they
 * grow, so pointers would not survive generation). Kinesis records fill the
 * payload, partition key, arrival and encryption fields; DynamoDB records
 * fill `dynamodb`; both fill event_offset and sequence_number. */
typedef struct wl_record {
    size_t event_offset;   /* byte offset of the record's '{' in the event */
    size_t payload_offset; /* decoded "data" bytes, in wl_workload.payloads */
    size_t payload_len;
    size_t partition_key_offset; /* partitionKey as UTF-8, in wl_workload.keys */
    size_t partition_key_len;
    /* NUL-terminated: WL_SEQUENCE_DIGITS digits for Kinesis, 21-40 for DynamoDB. */
    char sequence_number[WL_SEQUENCE_DIGITS + 1];
    char arrival_text[32]; /* approximateArrivalTimestamp exactly as written */
    bool has_encryption_type; /* "encryptionType":"NONE" present */
    wl_dynamodb_record dynamodb;
} wl_record;

/* One generated event plus the expected decoding of each record. */
typedef struct wl_workload {
    char *event; /* the event JSON, minified, not NUL-terminated */
    size_t event_len;
    wl_record *records;
    size_t record_count;
    char *payloads; /* every record's payload back to back, in record order */
    size_t payloads_len;
    char *keys; /* every record's partition key back to back */
    size_t keys_len;
    /* DynamoDB only (NULL / 0 / "" for Kinesis): */
    wl_attr_check *checks; /* every record's checks, in record order */
    size_t check_count;
    char *values; /* expected values and path names the checks refer to */
    size_t values_len;
    char aws_region[32];        /* shared by every record of the event */
    char event_source_arn[192]; /* likewise: one table's stream */
} wl_workload;

/* A generator fills *out (which the caller frees with wl_workload_free) with
 * an event of record_count records derived only from seed. Returns false on
 * allocation failure, leaving *out empty. */
typedef bool (*wl_generate_fn)(wl_workload *out, size_t record_count, uint64_t seed);

/* An event kind a generator can produce, selected by name on command lines. */
typedef struct wl_kind {
    const char *name;    /* e.g. "kinesis" */
    const char *summary; /* one line for usage text */
    wl_generate_fn generate;
} wl_kind;

/* The table of event kinds, in display order; *count receives its length. */
const wl_kind *wl_kinds(size_t *count);

/* The kind called name, or NULL. */
const wl_kind *wl_kind_find(const char *name);

/* Kinesis Data Streams events as AWS Lambda delivers them. */
bool wl_generate_kinesis(wl_workload *out, size_t record_count, uint64_t seed);

/* DynamoDB Streams events (NEW_AND_OLD_IMAGES) as AWS Lambda delivers them. */
bool wl_generate_dynamodb(wl_workload *out, size_t record_count, uint64_t seed);

/* Free everything *w owns and empty it. NULL is ignored. */
void wl_workload_free(wl_workload *w);

#endif /* SHARDLINE_BENCH_WORKLOAD_H */
