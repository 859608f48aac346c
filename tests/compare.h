/* compare.h - exact comparisons of records and AttributeValue trees, for tests that parse twice. */
#ifndef SHARDLINE_COMPARE_H
#define SHARDLINE_COMPARE_H

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "shardline.h"

/* Same bytes, and present or absent alike ({NULL,0} differs from "" ). */
static inline bool views_same(shardline_view a, shardline_view b)
{
    return a.len == b.len && (a.ptr == NULL) == (b.ptr == NULL) &&
           (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Bit for bit, with every NaN equal to every NaN. */
static inline bool doubles_same(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* Two AttributeValue trees with the same types, texts, bytes and shapes. */
static inline bool attrs_equal(const shardline_attr *a, const shardline_attr *b)
{
    shardline_attr_type t = shardline_attr_get_type(a);
    if (t != shardline_attr_get_type(b) || shardline_attr_size(a) != shardline_attr_size(b))
        return false;
    switch (t) {
    case SHARDLINE_ATTR_NONE:
        return (a == NULL) == (b == NULL);
    case SHARDLINE_ATTR_S:
        return views_same(shardline_attr_string(a), shardline_attr_string(b));
    case SHARDLINE_ATTR_N:
        return views_same(shardline_attr_number_text(a), shardline_attr_number_text(b));
    case SHARDLINE_ATTR_B:
        return views_same(shardline_attr_binary(a), shardline_attr_binary(b));
    case SHARDLINE_ATTR_BOOL:
        return shardline_attr_bool(a) == shardline_attr_bool(b);
    case SHARDLINE_ATTR_NULL:
        return true;
    case SHARDLINE_ATTR_M:
        for (size_t i = 0; i < shardline_attr_size(a); i++)
            if (!views_same(shardline_attr_key_at(a, i), shardline_attr_key_at(b, i)) ||
                !attrs_equal(shardline_attr_member_at(a, i), shardline_attr_member_at(b, i)))
                return false;
        return true;
    default: /* L, SS, NS, BS */
        for (size_t i = 0; i < shardline_attr_size(a); i++)
            if (!attrs_equal(shardline_attr_at(a, i), shardline_attr_at(b, i)))
                return false;
        return true;
    }
}

static inline bool dynamodb_parts_equal(const shardline_dynamodb *a, const shardline_dynamodb *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return views_same(a->approximate_creation_date_time_text, b->approximate_creation_date_time_text) &&
           doubles_same(a->approximate_creation_date_time, b->approximate_creation_date_time) &&
           attrs_equal(a->keys, b->keys) && attrs_equal(a->new_image, b->new_image) &&
           attrs_equal(a->old_image, b->old_image) && views_same(a->sequence_number, b->sequence_number) &&
           views_same(a->size_bytes_text, b->size_bytes_text) && a->size_bytes == b->size_bytes &&
           views_same(a->stream_view_type, b->stream_view_type) &&
           views_same(a->user_identity_type, b->user_identity_type) &&
           views_same(a->user_identity_principal_id, b->user_identity_principal_id) &&
           views_same(a->table_name, b->table_name) && views_same(a->record_format, b->record_format);
}

/* Every field of two records, the Kinesis and DynamoDB parts included. */
static inline bool records_equal(const shardline_record *x, const shardline_record *y)
{
    bool same = x->source == y->source && x->index == y->index && x->offset == y->offset &&
                views_same(x->event_source, y->event_source) &&
                views_same(x->event_version, y->event_version) && views_same(x->event_id, y->event_id) &&
                views_same(x->event_name, y->event_name) &&
                views_same(x->invoke_identity_arn, y->invoke_identity_arn) &&
                views_same(x->aws_region, y->aws_region) &&
                views_same(x->event_source_arn, y->event_source_arn) &&
                dynamodb_parts_equal(x->dynamodb, y->dynamodb);
    if (x->source == SHARDLINE_SOURCE_KINESIS)
        same = same && views_same(x->kinesis.data, y->kinesis.data) &&
               views_same(x->kinesis.partition_key, y->kinesis.partition_key) &&
               views_same(x->kinesis.sequence_number, y->kinesis.sequence_number) &&
               views_same(x->kinesis.kinesis_schema_version, y->kinesis.kinesis_schema_version) &&
               views_same(x->kinesis.encryption_type, y->kinesis.encryption_type) &&
               views_same(x->kinesis.approximate_arrival_timestamp_text,
                          y->kinesis.approximate_arrival_timestamp_text) &&
               doubles_same(x->kinesis.approximate_arrival_timestamp, y->kinesis.approximate_arrival_timestamp);
    return same;
}

#endif /* SHARDLINE_COMPARE_H */
