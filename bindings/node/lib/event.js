'use strict';
// event.js - Lambda events that are already JS objects (as the runtime hands them over):
// the schema checks of core/src/event.c, applied to objects, with the same codes and paths.
// Objects carry no byte offsets, so .offset is 0 here except for base64 errors
// (the offset inside the data string).
const { ParseError } = require('./errors');

const KINESIS = 1;
const DYNAMODB = 2;

const fail = (code, detail, path) => {
  throw new ParseError(detail, code, 0, path);
};

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const DIGITS_RE = /^[0-9]+$/;
const STREAM_VIEW_TYPES = new Set(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']);
const DYNAMODB_EVENT_NAMES = new Set(['INSERT', 'MODIFY', 'REMOVE']);

const STRING_FIELDS = new Set([
  'eventSource', 'eventVersion', 'eventID', 'eventName', 'invokeIdentityArn',
  'awsRegion', 'eventSourceARN', 'tableName', 'recordFormat',
]);
const KINESIS_RECORD_REQUIRED = [
  'eventSource', 'eventVersion', 'eventID', 'eventName', 'invokeIdentityArn',
  'awsRegion', 'eventSourceARN', 'kinesis',
];
const DYNAMODB_RECORD_REQUIRED = [
  'eventSource', 'eventVersion', 'eventID', 'eventName', 'awsRegion', 'eventSourceARN', 'dynamodb',
];
const KINESIS_REQUIRED = [
  'kinesisSchemaVersion', 'partitionKey', 'sequenceNumber', 'data', 'approximateArrivalTimestamp',
];
const DYNAMODB_REQUIRED = ['SequenceNumber', 'SizeBytes', 'StreamViewType'];

/** The event's Records array, checked to be one. */
function recordsOf(event) {
  if (!isObject(event)) fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an event object', '');
  const records = event.Records;
  if (records === undefined) fail('SHARDLINE_ERR_MISSING_FIELD', 'missing required field', 'Records');
  if (!Array.isArray(records)) fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an array', 'Records');
  return records;
}

// Paths are only built when a check fails: `at` is a function of the field.
function checkKinesis(k, i) {
  const at = (key) => `Records[${i}].kinesis${key === undefined ? '' : '.' + key}`;
  if (!isObject(k)) fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an object', at());
  for (const key in k) {
    const v = k[key];
    if (v === undefined) continue;
    switch (key) {
      case 'approximateArrivalTimestamp':
        if (typeof v !== 'number') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a number', at(key));
        break;
      case 'sequenceNumber':
        if (typeof v !== 'string') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a string', at(key));
        if (!DIGITS_RE.test(v)) fail('SHARDLINE_ERR_FIELD_VALUE', 'expected decimal digits', at(key));
        break;
      case 'kinesisSchemaVersion':
      case 'partitionKey':
      case 'data':
      case 'encryptionType':
        if (typeof v !== 'string') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a string', at(key));
        break;
      default:
    }
  }
  for (let j = 0; j < KINESIS_REQUIRED.length; j++) {
    if (k[KINESIS_REQUIRED[j]] === undefined) fail('SHARDLINE_ERR_MISSING_FIELD', 'missing required field', at(KINESIS_REQUIRED[j]));
  }
}

function checkDynamodb(d, i, imageCheck) {
  const at = (key) => `Records[${i}].dynamodb${key === undefined ? '' : '.' + key}`;
  if (!isObject(d)) fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an object', at());
  for (const key in d) {
    const v = d[key];
    if (v === undefined) continue;
    switch (key) {
      case 'ApproximateCreationDateTime':
        if (typeof v !== 'number') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a number', at(key));
        break;
      case 'Keys':
      case 'NewImage':
      case 'OldImage':
        if (!isObject(v)) fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an object', at(key));
        if (imageCheck) imageCheck(v, at(key));
        break;
      case 'SequenceNumber':
        if (typeof v !== 'string') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a string', at(key));
        if (!DIGITS_RE.test(v)) fail('SHARDLINE_ERR_FIELD_VALUE', 'expected decimal digits', at(key));
        break;
      case 'SizeBytes':
        if (typeof v !== 'number') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a number', at(key));
        if (!Number.isSafeInteger(v) || v < 0) fail('SHARDLINE_ERR_FIELD_VALUE', 'expected a size', at(key));
        break;
      case 'StreamViewType':
        if (typeof v !== 'string') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a string', at(key));
        if (!STREAM_VIEW_TYPES.has(v)) fail('SHARDLINE_ERR_FIELD_VALUE', 'unknown StreamViewType', at(key));
        break;
      default:
    }
  }
  for (let j = 0; j < DYNAMODB_REQUIRED.length; j++) {
    if (d[DYNAMODB_REQUIRED[j]] === undefined) fail('SHARDLINE_ERR_MISSING_FIELD', 'missing required field', at(DYNAMODB_REQUIRED[j]));
  }
}

/** Check record i of an event object; returns KINESIS or DYNAMODB.
 * imageCheck(image, path) is called on each DynamoDB image in order. */
function checkRecord(r, i, imageCheck) {
  const at = (key) => `Records[${i}]${key === undefined ? '' : '.' + key}`;
  if (!isObject(r)) fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a record object', at());
  let source = 0;
  for (const key in r) {
    const v = r[key];
    if (v === undefined) continue;
    if (STRING_FIELDS.has(key)) {
      if (typeof v !== 'string') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a string', at(key));
      if (key === 'eventSource') {
        if (v === 'aws:kinesis') source = KINESIS;
        else if (v === 'aws:dynamodb') source = DYNAMODB;
        else fail('SHARDLINE_ERR_FIELD_VALUE', 'unknown eventSource', at(key));
      }
    } else if (key === 'kinesis') {
      if (source === DYNAMODB) fail('SHARDLINE_ERR_FIELD_VALUE', 'kinesis member in a DynamoDB record', at(key));
      checkKinesis(v, i);
    } else if (key === 'dynamodb') {
      if (source === KINESIS) fail('SHARDLINE_ERR_FIELD_VALUE', 'dynamodb member in a Kinesis record', at(key));
      checkDynamodb(v, i, imageCheck);
    } else if (key === 'userIdentity') {
      const p = at(key);
      if (v === null) continue;
      if (!isObject(v)) fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an object or null', p);
      for (const f of ['type', 'principalId']) {
        if (v[f] !== undefined && typeof v[f] !== 'string') fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a string', `${p}.${f}`);
      }
      for (const f of ['type', 'principalId']) {
        if (v[f] === undefined) fail('SHARDLINE_ERR_MISSING_FIELD', 'missing required field', `${p}.${f}`);
      }
    }
  }
  if (source === KINESIS && r.dynamodb !== undefined)
    fail('SHARDLINE_ERR_FIELD_VALUE', 'dynamodb member in a Kinesis record', at('dynamodb'));
  if (source === DYNAMODB && r.kinesis !== undefined)
    fail('SHARDLINE_ERR_FIELD_VALUE', 'kinesis member in a DynamoDB record', at('kinesis'));
  const required = source === DYNAMODB ? DYNAMODB_RECORD_REQUIRED : KINESIS_RECORD_REQUIRED;
  for (let j = 0; j < required.length; j++) {
    if (r[required[j]] === undefined) fail('SHARDLINE_ERR_MISSING_FIELD', 'missing required field', at(required[j]));
  }
  if (source === DYNAMODB && !DYNAMODB_EVENT_NAMES.has(r.eventName))
    fail('SHARDLINE_ERR_FIELD_VALUE', 'eventName must be INSERT, MODIFY or REMOVE', at('eventName'));
  return source;
}

module.exports = { KINESIS, DYNAMODB, recordsOf, checkRecord };
