'use strict';
// util-dynamodb.js - `shardline/util-dynamodb`: drop-in unmarshall / convertToNative for
// @aws-sdk/util-dynamodb users; stream events' B and BS come back decoded as Uint8Array.
const { unmarshall, convertToNative, NumberValue } = require('./index');

module.exports = { unmarshall, convertToNative, NumberValue };
