/* dynamodb.h - the AttributeValue unmarshaller, shared by event records and standalone images. */
#ifndef SHARDLINE_DYNAMODB_H
#define SHARDLINE_DYNAMODB_H

#include "json.h"

/* Unmarshal the AttributeValue map (an image: {"name": {"S": "x"}, ...}) at
 * P->p into an M value whose nodes live in P->arena. depth is the number of
 * containers around the map's '{'. Paths of errors continue P->path with
 * the attribute name, the type key and list or set indexes. Iterative: the
 * C stack does not grow with nesting. */
SL_INTERNAL shardline_status sl_dynamodb_image(sl_parser *P, uint32_t depth,
                                               const shardline_attr **out);

/* shardline_batch_parse (writable NULL) or shardline_batch_parse_in_place
 * (writable == input) without the fast paths for the layouts the services
 * write: every record and AttributeValue through the general path. The
 * results must be the same; tests and fuzzers hold the two against each
 * other. */
SL_INTERNAL shardline_status sl_batch_parse_general(const char *input, char *writable, size_t len,
                                                    const shardline_options *options,
                                                    shardline_batch **out, shardline_error *error);

#endif /* SHARDLINE_DYNAMODB_H */
