'use strict';
// errors.js - ParseError, the one error type every decoding function throws for bad input.

/** Bad input: .code is the C library's status name ("SHARDLINE_ERR_UTF8"),
 * .offset the byte offset in the input, .path the field ("Records[3].kinesis.data"). */
class ParseError extends Error {
  constructor(detail, code, offset, path, index) {
    super(`${detail} at offset ${offset}${path ? ` (${path})` : ''} [${code}]`);
    this.name = 'ParseError';
    this.code = code;
    this.offset = offset;
    this.path = path;
    this.detail = detail;
    if (index !== undefined) this.index = index;
  }
}

module.exports = { ParseError };
