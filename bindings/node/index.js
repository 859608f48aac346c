'use strict';
// index.js - shardline for Node: decode AWS Lambda Kinesis and DynamoDB Streams events.
//
// Raw input (Buffer, Uint8Array, ArrayBuffer, string) crosses into C once per
// call: the C library parses and validates the whole event and the addon
// builds every JS value natively, returning columns that the classes below
// turn into records. Objects the Lambda runtime already parsed are checked
// here with the C library's rules, their base64 decoded in one native call.
const native = require('./lib/native');
const { ParseError } = require('./lib/errors');
const ev = require('./lib/event');
const am = require('./lib/unmarshall');

const MODE_RECORDS = 0;
const MODE_DATA = 1;
const MODE_JSON = 2;

// Column layout of native parseRaw(..., MODE_RECORDS); see src/shardline_node.cc.
const COLS = 13;
const NUMS = 3;
const SOURCE_KINESIS = 1;

const isRaw = (x) => typeof x === 'string' || ArrayBuffer.isView(x) || x instanceof ArrayBuffer;

/** Objects go to the JS walk; anything else that is not raw JSON is a TypeError. */
function checkEventObject(event) {
  if (typeof event !== 'object' || event === null)
    throw new TypeError('expected a Lambda event object or its raw JSON (Buffer, Uint8Array, ArrayBuffer, string)');
}

/** Strict RFC 8259 JSON text -> JS value (BOM skipped). */
function loads(input) {
  return JSON.parse(native.jsonText(input));
}

/** A Kinesis Data Streams record: the event's fields, flattened, payload decoded. */
class KinesisRecord {
  constructor(s, k, ts, data) {
    this.eventSource = s[k];
    this.eventVersion = s[k + 1];
    this.eventID = s[k + 2];
    this.eventName = s[k + 3];
    this.invokeIdentityArn = s[k + 4];
    this.awsRegion = s[k + 5];
    this.eventSourceARN = s[k + 6];
    this.kinesisSchemaVersion = s[k + 7];
    this.partitionKey = s[k + 8];
    this.sequenceNumber = s[k + 9];
    this.encryptionType = s[k + 10];
    this.approximateArrivalTimestamp = ts;
    this.data = data;
  }

  /** The payload parsed as strict JSON. */
  json() {
    return loads(this.data);
  }

  /** The payload as UTF-8 text. */
  text() {
    return this.data.toString('utf8');
  }
}

/** A DynamoDB Streams record: the event's fields, flattened, images unmarshalled. */
class DynamoDBRecord {
  constructor(s, k, created, size, keys, newImage, oldImage) {
    this.eventSource = s[k];
    this.eventVersion = s[k + 1];
    this.eventID = s[k + 2];
    this.eventName = s[k + 3];
    this.awsRegion = s[k + 5];
    this.eventSourceARN = s[k + 6];
    this.sequenceNumber = s[k + 7];
    this.streamViewType = s[k + 8];
    this.userIdentity = s[k + 9] === undefined ? undefined : { type: s[k + 9], principalId: s[k + 10] };
    this.tableName = s[k + 11];
    this.recordFormat = s[k + 12];
    this.approximateCreationDateTime = created;
    this.sizeBytes = size;
    this.keys = keys;
    this.newImage = newImage;
    this.oldImage = oldImage;
  }
}

// Patch kinds written by the native image emitter (src/shardline_node.cc).
const PATCH_WRAP = 1;
const PATCH_BIGINT = 2;
const PATCH_BINARY = 3;
const PATCH_SET = 4;

/** Put back what JSON cannot hold into JSON.parse's images: wrapped numbers,
 * BigInts, binaries (views into one ArrayBuffer) and sets. Each patch is a
 * flat run of numbers: image, depth, the steps down to the value (a key as
 * its index in the key table, a list index i as -(i + 1)), kind. */
function applyPatches(images, p, keys, bin, binOff, wrap) {
  const n = p.length;
  let i = 0;
  while (i < n) {
    let o = images[p[i]];
    const depth = p[i + 1];
    i += 2;
    for (let d = 1; d < depth; d++) {
      const q = p[i++];
      o = q < 0 ? o[-q - 1] : o[keys[q]];
    }
    const q = p[i++];
    const key = q < 0 ? -q - 1 : keys[q];
    const v = o[key];
    switch (p[i++]) {
      case PATCH_WRAP:
        o[key] = wrap(v);
        break;
      case PATCH_BIGINT:
        o[key] = BigInt(v);
        break;
      case PATCH_BINARY:
        o[key] = new Uint8Array(bin, binOff[v], binOff[v + 1] - binOff[v]);
        break;
      default: // PATCH_SET
        o[key] = new Set(v);
    }
  }
}

/** [images, ...] from the native [json, bin, binOff] (plus the JSON's strings). */
function imagesFrom(json, bin, binOff, wrap) {
  const doc = JSON.parse(json);
  const images = doc[1];
  if (doc[2].length) applyPatches(images, doc[2], doc[3], bin, binOff, wrap);
  return doc;
}

function recordsFromColumns(cols, wrap) {
  const [json, nums, ab, off, bin, binOff, ids] = cols;
  const doc = imagesFrom(json, bin, binOff, wrap);
  const strings = doc[0];
  const images = doc[1];
  const n = off.length - 1;
  const out = new Array(n);
  const s = new Array(COLS); // this record's strings, reused: the constructors copy them out
  for (let i = 0; i < n; i++) {
    const k = i * COLS;
    for (let j = 0; j < COLS; j++) {
      const id = ids[k + j];
      s[j] = id < 0 ? undefined : strings[id];
    }
    const m = i * NUMS;
    if (nums[m] === SOURCE_KINESIS) {
      const start = off[i];
      out[i] = new KinesisRecord(s, 0, nums[m + 1], Buffer.from(ab, start, off[i + 1] - start));
    } else {
      const size = nums[m + 2];
      const j = i * 3;
      out[i] = new DynamoDBRecord(
        s, 0, nums[m + 1], size === size ? size : undefined,
        images[j] === null ? undefined : images[j],
        images[j + 1] === null ? undefined : images[j + 1],
        images[j + 2] === null ? undefined : images[j + 2]
      );
    }
  }
  return out;
}

function buffersFromOffsets(ab, off) {
  const n = off.length - 1;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const start = off[i];
    out[i] = Buffer.from(ab, start, off[i + 1] - start);
  }
  return out;
}

// ---- already-parsed event objects ---------------------------------------------------

const str = (v) => (v === undefined ? undefined : v);

/** Decode the data strings of Kinesis records natively; errors name the record. */
function decodeData(strings, recordIndex, mode) {
  try {
    return native.decodeMany(strings, mode);
  } catch (e) {
    if (e instanceof ParseError && e.index !== undefined) {
      const i = recordIndex === null ? e.index : recordIndex[e.index];
      throw new ParseError(e.detail, e.code, e.offset, `Records[${i}].kinesis.data`, i);
    }
    throw e;
  }
}

/** Kinesis data strings of an event object; every record must be from Kinesis. */
function kinesisStrings(event) {
  checkEventObject(event);
  const records = ev.recordsOf(event);
  const n = records.length;
  const strings = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (ev.checkRecord(r, i, null) !== ev.KINESIS)
      throw new ParseError('record is not from Kinesis Data Streams', 'SHARDLINE_ERR_FIELD_VALUE', 0,
        `Records[${i}].eventSource`, i);
    strings[i] = r.kinesis.data;
  }
  return strings;
}

function parseObject(event, options) {
  checkEventObject(event);
  const records = ev.recordsOf(event);
  const n = records.length;
  const sources = new Uint8Array(n);
  const strings = [];
  const index = [];
  for (let i = 0; i < n; i++) {
    sources[i] = ev.checkRecord(records[i], i, null);
    if (sources[i] === ev.KINESIS) {
      strings.push(records[i].kinesis.data);
      index.push(i);
    }
  }
  const [ab, off] = decodeData(strings, index, MODE_DATA);
  const out = new Array(n);
  let j = 0;
  const cols = new Array(COLS);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    cols[0] = r.eventSource;
    cols[1] = str(r.eventVersion);
    cols[2] = str(r.eventID);
    cols[3] = str(r.eventName);
    cols[4] = str(r.invokeIdentityArn);
    cols[5] = str(r.awsRegion);
    cols[6] = str(r.eventSourceARN);
    if (sources[i] === ev.KINESIS) {
      const k = r.kinesis;
      cols[7] = k.kinesisSchemaVersion;
      cols[8] = k.partitionKey;
      cols[9] = k.sequenceNumber;
      cols[10] = k.encryptionType;
      const start = off[j];
      out[i] = new KinesisRecord(cols, 0, k.approximateArrivalTimestamp, Buffer.from(ab, start, off[j + 1] - start));
      j++;
    } else {
      const d = r.dynamodb;
      const u = r.userIdentity == null ? undefined : r.userIdentity;
      cols[7] = d.SequenceNumber;
      cols[8] = d.StreamViewType;
      cols[9] = u === undefined ? undefined : u.type;
      cols[10] = u === undefined ? undefined : u.principalId;
      cols[11] = r.tableName;
      cols[12] = r.recordFormat;
      out[i] = new DynamoDBRecord(
        cols, 0,
        d.ApproximateCreationDateTime === undefined ? NaN : d.ApproximateCreationDateTime,
        d.SizeBytes,
        d.Keys === undefined ? undefined : am.unmarshallImage(d.Keys, options, i, 'Keys'),
        d.NewImage === undefined ? undefined : am.unmarshallImage(d.NewImage, options, i, 'NewImage'),
        d.OldImage === undefined ? undefined : am.unmarshallImage(d.OldImage, options, i, 'OldImage')
      );
    }
  }
  return out;
}

// ---- the API -----------------------------------------------------------------------------

/** Every record of a Lambda stream event, decoded. */
function parse(event, options) {
  if (isRaw(event)) {
    const wrap = am.numberWrapper(options);
    return recordsFromColumns(native.parseRaw(event, MODE_RECORDS, wrap !== undefined), wrap);
  }
  return parseObject(event, options);
}

/** The decoded Kinesis payloads: Buffers sharing one ArrayBuffer. */
function kinesisData(event) {
  if (isRaw(event)) {
    const [ab, off] = native.parseRaw(event, MODE_DATA, undefined);
    return buffersFromOffsets(ab, off);
  }
  const [ab, off] = decodeData(kinesisStrings(event), null, MODE_DATA);
  return buffersFromOffsets(ab, off);
}

/** The Kinesis payloads parsed as strict JSON (one V8 JSON.parse of all of them). */
function kinesisJson(event) {
  if (isRaw(event)) return JSON.parse(native.parseRaw(event, MODE_JSON, undefined));
  return JSON.parse(decodeData(kinesisStrings(event), null, MODE_JSON));
}

/** util-dynamodb's unmarshall: image object (or its raw JSON text) -> native. */
function unmarshall(image, options) {
  if (isRaw(image) && !(options != null && options.convertWithoutMapWrapper)) {
    const wrap = am.numberWrapper(options);
    const [json, bin, binOff] = native.imageRaw(image, wrap !== undefined);
    return imagesFrom(json, bin, binOff, wrap)[1][0];
  }
  return am.unmarshall(image, options);
}

module.exports = {
  parse,
  kinesisData,
  kinesisJson,
  unmarshall,
  convertToNative: am.convertToNative,
  loads,
  ParseError,
  NumberValue: am.NumberValue,
  KinesisRecord,
  DynamoDBRecord,
  version: native.version(),
  implementation: native.implementation(),
};
