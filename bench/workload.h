/* workload.h - deterministic synthetic AWS Lambda stream events, shared by gen_workload and bench_core. */
#ifndef SHARDLINE_BENCH_WORKLOAD_H
#define SHARDLINE_BENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kinesis sequence numbers are always 56 decimal digits. */
#define WL_SEQUENCE_DIGITS 56

/* The shard every generated Kinesis record claims to come from: a Lambda
 * batch is read from a single shard, so its eventIDs share this prefix. */
#define WL_KINESIS_SHARD_ID "shardId-000000000006"

/* What a correct parser must hand back for one generated record. Offsets
 * point into the pools of the owning wl_workload (pools may move while they
 * grow, so pointers would not survive generation). */
typedef struct wl_record {
    size_t event_offset;   /* byte offset of the record's '{' in the event */
    size_t payload_offset; /* decoded "data" bytes, in wl_workload.payloads */
    size_t payload_len;
    size_t partition_key_offset; /* partitionKey as UTF-8, in wl_workload.keys */
    size_t partition_key_len;
    char sequence_number[WL_SEQUENCE_DIGITS + 1]; /* NUL-terminated */
    char arrival_text[32]; /* approximateArrivalTimestamp exactly as written */
    bool has_encryption_type; /* "encryptionType":"NONE" present */
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

/* Free everything *w owns and empty it. NULL is ignored. */
void wl_workload_free(wl_workload *w);

#endif /* SHARDLINE_BENCH_WORKLOAD_H */
