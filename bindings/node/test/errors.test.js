'use strict';
// errors.test.js - every error path: ParseError with the exact code, offset and path.
// Offsets are worked out from the input text (indexOf), not copied from the output.
const test = require('node:test');
const assert = require('node:assert/strict');
const shardline = require('..');
const { ParseError } = shardline;
const { thrown, fixture } = require('./helpers');

function expectError(fn, code, offset, path) {
  const e = thrown(fn);
  assert.ok(e instanceof ParseError, `expected a ParseError, got ${e && e.stack}`);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'ParseError');
  assert.deepEqual({ code: e.code, offset: e.offset, path: e.path }, { code, offset, path });
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.includes(code));
  return e;
}

// One Kinesis record, as compact JSON text, with markers to replace.
const KINESIS_RECORD =
  '{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"pk","sequenceNumber":"4959",' +
  '"data":"DATA","approximateArrivalTimestamp":1545084650.987},' +
  '"eventSource":"aws:kinesis","eventVersion":"1.0","eventID":"shardId-000000000006:4959",' +
  '"eventName":"aws:kinesis:record","invokeIdentityArn":"arn:aws:iam::123456789012:role/lambda-role",' +
  '"awsRegion":"us-east-2","eventSourceARN":"arn:aws:kinesis:us-east-2:123456789012:stream/s"}';
const GOOD = Buffer.from('{"ok":true}').toString('base64');

function kinesisEvent(...records) {
  return `{"Records":[${records.join(',')}]}`;
}
const record = (data = GOOD, edit = (s) => s) => edit(KINESIS_RECORD.replace('DATA', data));

// ---- JSON --------------------------------------------------------------------------------

test('loads: every JSON error code with its offset', () => {
  expectError(() => shardline.loads(''), 'SHARDLINE_ERR_EMPTY', 0, '');
  expectError(() => shardline.loads(' \n\t '), 'SHARDLINE_ERR_EMPTY', 4, '');
  expectError(() => shardline.loads('[1,2'), 'SHARDLINE_ERR_TRUNCATED', 4, '');
  expectError(() => shardline.loads('[1,]'), 'SHARDLINE_ERR_SYNTAX', 3, '');
  expectError(() => shardline.loads('{"a" 1}'), 'SHARDLINE_ERR_SYNTAX', 5, '');
  expectError(() => shardline.loads('[1]//'), 'SHARDLINE_ERR_TRAILING', 3, '');
  expectError(() => shardline.loads('"a\tb"'), 'SHARDLINE_ERR_CONTROL_CHAR', 2, '');
  expectError(() => shardline.loads('["a\\qb"]'), 'SHARDLINE_ERR_ESCAPE', 3, '');
  expectError(() => shardline.loads('"\\ud800"'), 'SHARDLINE_ERR_ESCAPE', 1, '');
  expectError(() => shardline.loads('[01]'), 'SHARDLINE_ERR_NUMBER', 1, '');
  expectError(() => shardline.loads('[1.]'), 'SHARDLINE_ERR_NUMBER', 1, '');
  expectError(() => shardline.loads('1 2'), 'SHARDLINE_ERR_TRAILING', 2, '');
  expectError(() => shardline.loads(Buffer.from([0x22, 0x61, 0xff, 0x22])), 'SHARDLINE_ERR_UTF8', 2, '');
  expectError(() => shardline.loads(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])), 'SHARDLINE_ERR_UTF8', 1, '');
  const deep = '['.repeat(1025) + ']'.repeat(1025);
  expectError(() => shardline.loads(deep), 'SHARDLINE_ERR_DEPTH', 1024, '');
  assert.equal(shardline.loads('['.repeat(1024) + ']'.repeat(1024)).length, 1);
});

test('raw events: JSON errors inside the event carry the field path', () => {
  const text = kinesisEvent(record(GOOD, (s) => s.replace('"pk"', '"p\\xk"')));
  expectError(() => shardline.parse(text), 'SHARDLINE_ERR_ESCAPE', text.indexOf('\\x'), 'Records[0].kinesis.partitionKey');
  const full = kinesisEvent(record());
  const cut = full.slice(0, full.indexOf('"pk"') + 2);
  expectError(() => shardline.parse(cut), 'SHARDLINE_ERR_TRUNCATED', cut.length, 'Records[0].kinesis.partitionKey');
  expectError(() => shardline.parse(''), 'SHARDLINE_ERR_EMPTY', 0, '');
  const trailing = kinesisEvent(record()) + ' x';
  expectError(() => shardline.parse(trailing), 'SHARDLINE_ERR_TRAILING', trailing.length - 1, '');
});

// ---- base64 --------------------------------------------------------------------------------

for (const [name, data, code, at] of [
  ['a byte outside the alphabet', 'ab-d', 'SHARDLINE_ERR_BASE64_CHAR', 2],
  ['URL-safe alphabet', 'ab_d', 'SHARDLINE_ERR_BASE64_CHAR', 2],
  ['a length that is not a multiple of 4', 'abcde', 'SHARDLINE_ERR_BASE64_PADDING', 4],
  ['padding inside the text', 'AB=C', 'SHARDLINE_ERR_BASE64_PADDING', 2],
  ['stray bits before padding', 'QR==', 'SHARDLINE_ERR_BASE64_TRAILING_BITS', 1],
  ['stray bits before one =', 'QUF=', 'SHARDLINE_ERR_BASE64_TRAILING_BITS', 2],
]) {
  test(`base64: ${name} (${data}), raw and object events`, () => {
    const text = kinesisEvent(record(), record(data));
    const start = text.indexOf(`"data":"${data}"`) + '"data":"'.length;
    for (const fn of [shardline.parse, shardline.kinesisData, shardline.kinesisJson]) {
      expectError(() => fn(text), code, start + at, 'Records[1].kinesis.data');
      // An object has no byte offsets; the offset is inside the data string.
      const e = expectError(() => fn(JSON.parse(text)), code, at, 'Records[1].kinesis.data');
      assert.equal(e.index, 1);
    }
  });
}

test('base64: B values in images (raw text, objects), BS elements', () => {
  const text = '{"a":{"M":{"b":{"B":"QR=="}}}}';
  expectError(() => shardline.unmarshall(text), 'SHARDLINE_ERR_BASE64_TRAILING_BITS', text.indexOf('QR') + 1, 'a.M.b.B');
  expectError(() => shardline.unmarshall(JSON.parse(text)), 'SHARDLINE_ERR_BASE64_TRAILING_BITS', 1, 'a.M.b.B');
  const bs = '{"s":{"BS":["AA==","A"]}}';
  expectError(() => shardline.unmarshall(bs), 'SHARDLINE_ERR_BASE64_PADDING', bs.indexOf('"A"]') + 1, 's.BS[1]');
  expectError(() => shardline.unmarshall(JSON.parse(bs)), 'SHARDLINE_ERR_BASE64_PADDING', 0, 's.BS[1]');
  expectError(() => shardline.unmarshall({ s: { B: 'AA\u0141=' } }), 'SHARDLINE_ERR_BASE64_CHAR', 2, 's.B');
});

// ---- the payload's JSON ------------------------------------------------------------------------

test('kinesisJson and json(): the payload error, offset inside the payload, record path and index', () => {
  const bad = Buffer.from('{"a":[1,2}').toString('base64');
  const text = kinesisEvent(record(), record(), record(bad));
  for (const input of [text, JSON.parse(text)]) {
    const e = expectError(() => shardline.kinesisJson(input), 'SHARDLINE_ERR_SYNTAX', 9, 'Records[2].kinesis.data');
    assert.equal(e.index, 2);
  }
  const recs = shardline.parse(text);
  expectError(() => recs[2].json(), 'SHARDLINE_ERR_SYNTAX', 9, '');
  const empty = kinesisEvent(record(''));
  expectError(() => shardline.kinesisJson(empty), 'SHARDLINE_ERR_EMPTY', 0, 'Records[0].kinesis.data');
  const binary = kinesisEvent(record(Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]).toString('base64')));
  expectError(() => shardline.kinesisJson(binary), 'SHARDLINE_ERR_UTF8', 2, 'Records[0].kinesis.data');
});

// ---- the event schema ----------------------------------------------------------------------------

test('schema: missing, mistyped, bad-valued and duplicate fields (raw offsets, object paths agree)', () => {
  const cases = [
    [record(GOOD, (s) => s.replace(`"data":"${GOOD}",`, '')), 'SHARDLINE_ERR_MISSING_FIELD', (t) => t.indexOf('{"kinesisSchemaVersion"'), 'Records[0].kinesis.data'],
    [record(GOOD, (s) => s.replace('"partitionKey":"pk"', '"partitionKey":5')), 'SHARDLINE_ERR_FIELD_TYPE', (t) => t.indexOf(':5') + 1, 'Records[0].kinesis.partitionKey'],
    [record(GOOD, (s) => s.replace('"sequenceNumber":"4959"', '"sequenceNumber":"49x9"')), 'SHARDLINE_ERR_FIELD_VALUE', (t) => t.indexOf('"49x9"'), 'Records[0].kinesis.sequenceNumber'],
    [record(GOOD, (s) => s.replace('"aws:kinesis"', '"aws:sqs"')), 'SHARDLINE_ERR_FIELD_VALUE', (t) => t.indexOf('"aws:sqs"'), 'Records[0].eventSource'],
    [record(GOOD, (s) => s.replace('1545084650.987', '"1545084650"')), 'SHARDLINE_ERR_FIELD_TYPE', (t) => t.indexOf('"1545084650"'), 'Records[0].kinesis.approximateArrivalTimestamp'],
    [record(GOOD, (s) => s.replace('"awsRegion":"us-east-2",', '')), 'SHARDLINE_ERR_MISSING_FIELD', (t) => t.indexOf('{"kinesis"'), 'Records[0].awsRegion'],
    [record(GOOD, (s) => s.replace(/"kinesis":\{[^}]*\}/, '"kinesis":"x"')), 'SHARDLINE_ERR_FIELD_TYPE', (t) => t.indexOf('"kinesis":"x"') + 10, 'Records[0].kinesis'],
  ];
  for (const [rec, code, offsetOf, path] of cases) {
    const text = kinesisEvent(rec);
    expectError(() => shardline.parse(text), code, offsetOf(text), path);
    expectError(() => shardline.parse(JSON.parse(text)), code, 0, path);
  }
  const dup = kinesisEvent(record(GOOD, (s) => s.replace('"partitionKey":"pk"', '"partitionKey":"pk","partitionKey":"pk"')));
  expectError(() => shardline.parse(dup), 'SHARDLINE_ERR_DUPLICATE_FIELD', dup.lastIndexOf('"partitionKey"'), 'Records[0].kinesis.partitionKey');
  expectError(() => shardline.parse('{"records":[]}'), 'SHARDLINE_ERR_MISSING_FIELD', 0, 'Records');
  expectError(() => shardline.parse({ records: [] }), 'SHARDLINE_ERR_MISSING_FIELD', 0, 'Records');
  expectError(() => shardline.parse('{"Records":{}}'), 'SHARDLINE_ERR_FIELD_TYPE', 11, 'Records');
  expectError(() => shardline.parse({ Records: {} }), 'SHARDLINE_ERR_FIELD_TYPE', 0, 'Records');
  expectError(() => shardline.parse('[]'), 'SHARDLINE_ERR_FIELD_TYPE', 0, '');
  expectError(() => shardline.parse('{"Records":[1]}'), 'SHARDLINE_ERR_FIELD_TYPE', 12, 'Records[0]');
  expectError(() => shardline.parse({ Records: [1] }), 'SHARDLINE_ERR_FIELD_TYPE', 0, 'Records[0]');
});

test('DynamoDB schema: eventName, SizeBytes, StreamViewType', () => {
  const base = JSON.parse(fixture('dynamodb', 'aws-docs-sample.json'));
  const cases = [
    [(r) => (r.eventName = 'UPSERT'), 'SHARDLINE_ERR_FIELD_VALUE', 'Records[0].eventName', '"UPSERT"'],
    [(r) => (r.dynamodb.SizeBytes = -1), 'SHARDLINE_ERR_FIELD_VALUE', 'Records[0].dynamodb.SizeBytes', '-1'],
    [(r) => (r.dynamodb.StreamViewType = 'ALL'), 'SHARDLINE_ERR_FIELD_VALUE', 'Records[0].dynamodb.StreamViewType', '"ALL"'],
    [(r) => delete r.dynamodb.SequenceNumber, 'SHARDLINE_ERR_MISSING_FIELD', 'Records[0].dynamodb.SequenceNumber', null],
  ];
  for (const [edit, code, path, marker] of cases) {
    const ev = structuredClone(base);
    edit(ev.Records[0]);
    const text = JSON.stringify(ev);
    const offset = marker === null ? text.indexOf('{', text.indexOf('"dynamodb":')) : text.indexOf(marker);
    expectError(() => shardline.parse(text), code, offset, path);
    expectError(() => shardline.parse(ev), code, 0, path);
  }
});

test('kinesisData and kinesisJson reject records that are not from Kinesis', () => {
  const buf = fixture('dynamodb', 'aws-docs-sample.json');
  const text = buf.toString();
  const first = text.indexOf('{', text.indexOf('['));
  for (const fn of [shardline.kinesisData, shardline.kinesisJson]) {
    const e = expectError(() => fn(buf), 'SHARDLINE_ERR_FIELD_VALUE', first, 'Records[0].eventSource');
    assert.equal(e.index, 0);
    expectError(() => fn(JSON.parse(text)), 'SHARDLINE_ERR_FIELD_VALUE', 0, 'Records[0].eventSource');
  }
});

// ---- AttributeValues -------------------------------------------------------------------------------

test('AttributeValues: type keys, value types, numbers (raw offsets; objects agree on code and path)', () => {
  const cases = [
    ['{"a":{}}', 'SHARDLINE_ERR_ATTR_TYPE', '{}', 'a'],
    ['{"a":{"X":"1"}}', 'SHARDLINE_ERR_ATTR_TYPE', '"X"', 'a.X'],
    ['{"a":{"S":"x","N":"1"}}', 'SHARDLINE_ERR_ATTR_TYPE', '"N"', 'a.N'],
    ['{"a":{"S":5,"N":"1"}}', 'SHARDLINE_ERR_FIELD_TYPE', '5', 'a.S'],
    ['{"a":{"L":[{"S":"x"},{}]}}', 'SHARDLINE_ERR_ATTR_TYPE', '{}', 'a.L[1]'],
    ['{"a":{"N":"1.2.3"}}', 'SHARDLINE_ERR_ATTR_NUMBER', '"1.2.3"', 'a.N'],
    ['{"a":{"N":"1e126"}}', 'SHARDLINE_ERR_ATTR_NUMBER', '"1e126"', 'a.N'],
    ['{"a":{"N":"1e-131"}}', 'SHARDLINE_ERR_ATTR_NUMBER', '"1e-131"', 'a.N'],
    ['{"a":{"N":"123456789012345678901234567890123456789"}}', 'SHARDLINE_ERR_ATTR_NUMBER', '"1234', 'a.N'],
    ['{"a":{"N":" 1"}}', 'SHARDLINE_ERR_ATTR_NUMBER', '" 1"', 'a.N'],
    ['{"a":{"NS":["1","x"]}}', 'SHARDLINE_ERR_ATTR_NUMBER', '"x"', 'a.NS[1]'],
    ['{"a":{"SS":["x",1]}}', 'SHARDLINE_ERR_FIELD_TYPE', '1]', 'a.SS[1]'],
    ['{"a":{"NULL":false}}', 'SHARDLINE_ERR_FIELD_VALUE', 'false', 'a.NULL'],
    ['{"a":{"BOOL":"true"}}', 'SHARDLINE_ERR_FIELD_TYPE', '"true"', 'a.BOOL'],
    ['{"a":{"M":[]}}', 'SHARDLINE_ERR_FIELD_TYPE', '[]', 'a.M'],
    ['{"a":{"M":{"b":{"L":{}}}}}', 'SHARDLINE_ERR_FIELD_TYPE', '{}}', 'a.M.b.L'],
    ['{"a":"x"}', 'SHARDLINE_ERR_FIELD_TYPE', '"x"', 'a'],
  ];
  for (const [text, code, marker, path] of cases) {
    expectError(() => shardline.unmarshall(text), code, text.indexOf(marker), path);
    expectError(() => shardline.unmarshall(JSON.parse(text)), code, 0, path);
  }
});

test('numbers util-dynamodb cannot represent: SHARDLINE_ERR_ATTR_NUMBER unless wrapNumbers', () => {
  const img = { a: { M: { b: { N: '1.5E+20' } } }, l: { L: [{ N: '1' }] } };
  const text = JSON.stringify(img);
  expectError(() => shardline.unmarshall(text), 'SHARDLINE_ERR_ATTR_NUMBER', 0, 'a.M.b.N');
  expectError(() => shardline.unmarshall(img), 'SHARDLINE_ERR_ATTR_NUMBER', 0, 'a.M.b.N');
  const inList = { l: { L: [{ N: '1' }, { N: '12345678901234567.5' }] } };
  expectError(() => shardline.unmarshall(JSON.stringify(inList)), 'SHARDLINE_ERR_ATTR_NUMBER', 0, 'l.L[1].N');
  expectError(() => shardline.unmarshall(inList), 'SHARDLINE_ERR_ATTR_NUMBER', 0, 'l.L[1].N');
  const inSet = { s: { NS: ['1', '-1.5e125'] } };
  expectError(() => shardline.unmarshall(JSON.stringify(inSet)), 'SHARDLINE_ERR_ATTR_NUMBER', 0, 's.NS[1]');
  expectError(() => shardline.unmarshall(inSet), 'SHARDLINE_ERR_ATTR_NUMBER', 0, 's.NS[1]');
  assert.equal(shardline.unmarshall(text, { wrapNumbers: true }).a.b.value, '1.5E+20');
  // In an event, the offset is the record's opening brace.
  const ev = JSON.parse(fixture('dynamodb', 'aws-docs-sample.json'));
  ev.Records[1].dynamodb.NewImage.big = { N: '-9.5E+100' };
  const evText = JSON.stringify(ev);
  const second = evText.indexOf('{"eventID"', evText.indexOf('{"eventID"') + 1);
  expectError(() => shardline.parse(evText), 'SHARDLINE_ERR_ATTR_NUMBER', second, 'Records[1].dynamodb.NewImage.big.N');
  expectError(() => shardline.parse(ev), 'SHARDLINE_ERR_ATTR_NUMBER', 0, 'Records[1].dynamodb.NewImage.big.N');
});

test('a wrapNumbers function that throws: its error comes through', () => {
  const boom = () => {
    throw new RangeError('boom');
  };
  assert.throws(() => shardline.unmarshall('{"a":{"N":"1"}}', { wrapNumbers: boom }), RangeError);
  assert.throws(() => shardline.unmarshall({ a: { N: '1' } }, { wrapNumbers: boom }), RangeError);
});

test('DEPTH: nesting beyond 1024 in images and payloads', () => {
  let deep = '{"S":"x"}';
  for (let i = 0; i < 600; i++) deep = `{"L":[${deep}]}`;
  const text = `{"a":${deep}}`;
  const e = thrown(() => shardline.unmarshall(text));
  assert.equal(e.code, 'SHARDLINE_ERR_DEPTH');
  assert.equal(e.offset, e0(text));
  assert.equal(text[e.offset], '[');
  // "a" + ".L[0]" x 511 + ".L" is longer than the C library keeps: its last part, after "...".
  assert.ok(e.path.startsWith('...') && e.path.includes('.L[0].L[0]') && e.path.length <= 255, e.path);
  const eo = thrown(() => shardline.unmarshall(JSON.parse(text)));
  assert.equal(eo.code, 'SHARDLINE_ERR_DEPTH');
});

// The C library counts the image's own object as depth 1 and each AttributeValue
// object and each L array as one more: the 1025th bracket is where it fails.
function e0(text) {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{' || text[i] === '[') {
      if (++depth > 1024) return i;
    } else if (text[i] === '}' || text[i] === ']') depth--;
  }
  return -1;
}

test('truncated fixtures: every prefix is a ParseError, never a crash', () => {
  for (const [kind, name] of [['kinesis', 'aws-docs-sample.json'], ['dynamodb', 'all-types.json']]) {
    const buf = fixture(kind, name);
    for (let n = 0; n <= buf.lastIndexOf('}'); n += 7) {
      const e = thrown(() => shardline.parse(buf.subarray(0, n), { wrapNumbers: true }));
      assert.ok(e instanceof ParseError, `${name} cut at ${n}: ${e}`);
    }
  }
});

test('bytes flipped in fixtures: a ParseError or records, never a crash', () => {
  const buf = Buffer.from(fixture('dynamodb', 'all-types.json'));
  for (let i = 0; i < buf.length; i += 5) {
    const copy = Buffer.from(buf);
    copy[i] ^= 0x20;
    try {
      shardline.parse(copy, { wrapNumbers: true });
    } catch (e) {
      assert.ok(e instanceof ParseError, `flip at ${i}: ${e}`);
    }
  }
});
