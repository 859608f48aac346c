'use strict';
// api.test.js - the public API on the repository's fixtures, against JSON.parse + Buffer as the reference.
const test = require('node:test');
const assert = require('node:assert/strict');
const shardline = require('..');
const utilSubpath = require('shardline/util-dynamodb');
const { fixture, fixtureNames, norm } = require('./helpers');

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const refEvent = (buf) => JSON.parse((buf.subarray(0, 3).equals(BOM) ? buf.subarray(3) : buf).toString('utf8'));

/** The record parse() should give for a Kinesis record object, built by hand. */
function expectedKinesis(r) {
  return {
    eventSource: r.eventSource,
    eventVersion: r.eventVersion,
    eventID: r.eventID,
    eventName: r.eventName,
    invokeIdentityArn: r.invokeIdentityArn,
    awsRegion: r.awsRegion,
    eventSourceARN: r.eventSourceARN,
    kinesisSchemaVersion: r.kinesis.kinesisSchemaVersion,
    partitionKey: r.kinesis.partitionKey,
    sequenceNumber: r.kinesis.sequenceNumber,
    encryptionType: r.kinesis.encryptionType,
    approximateArrivalTimestamp: r.kinesis.approximateArrivalTimestamp,
    data: Buffer.from(r.kinesis.data, 'base64'),
  };
}

const plain = (rec) => ({ ...rec });

test('version and implementation', () => {
  assert.equal(shardline.version, require('../package.json').version);
  assert.match(shardline.implementation, /^[a-z0-9]+$/);
});

for (const name of fixtureNames('kinesis')) {
  test(`parse kinesis/${name}: raw and object input give the reference records`, () => {
    const buf = fixture('kinesis', name);
    const ref = refEvent(buf);
    const expected = ref.Records.map(expectedKinesis);
    const fromRaw = shardline.parse(buf);
    assert.deepEqual(fromRaw.map(plain), expected);
    for (const r of fromRaw) assert.ok(r instanceof shardline.KinesisRecord);
    assert.deepEqual(shardline.parse(ref).map(plain), expected);
    assert.deepEqual(shardline.kinesisData(buf), expected.map((r) => r.data));
    assert.deepEqual(shardline.kinesisData(ref), expected.map((r) => r.data));
  });
}

test('inputs: Buffer, Uint8Array, ArrayBuffer, DataView and string give the same records', () => {
  const buf = fixture('kinesis', 'escapes.json');
  const expected = shardline.parse(buf).map(plain);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  for (const input of [new Uint8Array(ab), ab, new DataView(ab), buf.toString('utf8')]) {
    assert.deepEqual(shardline.parse(input).map(plain), expected);
  }
});

test('escapes.json: unescaped partition keys and payloads', () => {
  const recs = shardline.parse(fixture('kinesis', 'escapes.json'));
  assert.equal(recs[0].partitionKey, 'caf\u00e9');
  assert.equal(recs[1].partitionKey, '\u{1f600} smile');
  assert.equal(recs[2].partitionKey, '\u65e5\u672c\u8a9e');
  assert.deepEqual(recs.map((r) => r.text()), ['one', 'two', 'three', recs[3].data.toString()]);
});

test('kinesisData: zero-copy slices of one ArrayBuffer holding exactly the payloads', () => {
  const buf = fixture('kinesis', 'aws-docs-sample.json');
  const data = shardline.kinesisData(buf);
  assert.equal(data.length, 2);
  assert.equal(data[0].toString(), 'Hello, this is a test.');
  assert.equal(data[1].toString(), 'This is only a test.');
  assert.equal(data[0].buffer, data[1].buffer);
  assert.equal(data[0].byteOffset, 0);
  assert.equal(data[1].byteOffset, 22);
  assert.equal(data[0].buffer.byteLength, 22 + 20);
  assert.ok(Buffer.isBuffer(data[0]));
});

test('kinesisJson and KinesisRecord.json(): payloads parsed as JSON', () => {
  const texts = ['{"a":1,"b":[true,null,"x\u00e9\\ud83d\\ude00\u{1f600}"]}', ' [1.5, -0, 1e300] ', '"text"', '42', '{}'];
  const payloads = texts.map((t) => JSON.parse(t));
  const event = {
    Records: texts.map((p, i) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: `k${i}`,
        sequenceNumber: String(1000 + i),
        data: Buffer.from(texts[i]).toString('base64'),
        approximateArrivalTimestamp: 1545084650.987,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000006:${1000 + i}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'us-east-2',
      eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
    })),
  };
  const raw = Buffer.from(JSON.stringify(event));
  assert.deepEqual(shardline.kinesisJson(raw), payloads);
  assert.deepEqual(shardline.kinesisJson(event), payloads);
  assert.deepEqual(shardline.parse(raw).map((r) => r.json()), payloads);
  assert.ok(Object.is(shardline.kinesisJson(raw)[1][1], -0));
});

test('a payload with a UTF-8 BOM: kinesisJson skips it as loads does', () => {
  const data = Buffer.concat([BOM, Buffer.from('{"bom":true}')]).toString('base64');
  const event = JSON.parse(fixture('kinesis', 'aws-docs-sample.json'));
  event.Records = [event.Records[0]];
  event.Records[0].kinesis.data = data;
  assert.deepEqual(shardline.kinesisJson(Buffer.from(JSON.stringify(event))), [{ bom: true }]);
  assert.deepEqual(shardline.kinesisJson(event), [{ bom: true }]);
});

test('empty batch', () => {
  const buf = fixture('kinesis', 'empty-batch.json');
  assert.deepEqual(shardline.parse(buf), []);
  assert.deepEqual(shardline.kinesisData(buf), []);
  assert.deepEqual(shardline.kinesisJson(buf), []);
  assert.deepEqual(shardline.parse({ Records: [] }), []);
});

test('loads: strict JSON from Buffer and string, BOM skipped', () => {
  assert.deepEqual(shardline.loads('{"a":[1,2,{"b":null}]}'), { a: [1, 2, { b: null }] });
  assert.deepEqual(shardline.loads(Buffer.from('\ufeff[1]')), [1]);
  assert.equal(shardline.loads(' "caf\\u00e9" '), 'caf\u00e9');
  assert.deepEqual(shardline.loads('{"k":1,"k":2}'), { k: 2 });
});

for (const name of fixtureNames('dynamodb').filter((n) => n !== 'change-record.json')) {
  test(`parse dynamodb/${name}: raw and object input agree`, () => {
    const buf = fixture('dynamodb', name);
    const opts = { wrapNumbers: true };
    const raw = shardline.parse(buf, opts);
    const obj = shardline.parse(JSON.parse(buf), opts);
    assert.deepEqual(norm(raw.map(plain)), norm(obj.map(plain)));
  });
}

test('aws-docs-sample.json: DynamoDB record fields', () => {
  const buf = fixture('dynamodb', 'aws-docs-sample.json');
  const ref = JSON.parse(buf).Records;
  const recs = shardline.parse(buf);
  assert.equal(recs.length, 3);
  recs.forEach((r, i) => {
    const e = ref[i];
    assert.ok(r instanceof shardline.DynamoDBRecord);
    assert.equal(r.eventID, e.eventID);
    assert.equal(r.eventName, e.eventName);
    assert.equal(r.eventVersion, e.eventVersion);
    assert.equal(r.eventSource, 'aws:dynamodb');
    assert.equal(r.awsRegion, e.awsRegion);
    assert.equal(r.eventSourceARN, e.eventSourceARN);
    assert.equal(r.sequenceNumber, e.dynamodb.SequenceNumber);
    assert.equal(r.sizeBytes, e.dynamodb.SizeBytes);
    assert.equal(r.streamViewType, e.dynamodb.StreamViewType);
    const t = e.dynamodb.ApproximateCreationDateTime;
    assert.ok(t === undefined ? Number.isNaN(r.approximateCreationDateTime) : r.approximateCreationDateTime === t);
  });
});

test('all-types.json: every AttributeValue type, exact values', () => {
  const rec = shardline.parse(fixture('dynamodb', 'all-types.json'), { wrapNumbers: true })[0];
  const img = rec.newImage;
  assert.equal(rec.eventName, 'REMOVE');
  assert.deepEqual(rec.userIdentity, { type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  assert.deepEqual(rec.keys, { pk: 'item#1' });
  assert.equal(img.s_escapes, 'line\nbreak "q" back\\slash / tab\t caf\u00e9 \u{1f600}');
  assert.equal(img.s_empty, '');
  assert.ok(img.n_max instanceof shardline.NumberValue);
  assert.equal(img.n_max.value, '9.9999999999999999999999999999999999999E+125');
  assert.equal(String(img.n_lead), '007');
  assert.deepEqual(img.b_test, new Uint8Array([0xb5, 0xeb, 0x2d]));
  assert.deepEqual(img.b_256, new Uint8Array(Array.from({ length: 256 }, (_, i) => i)));
  assert.deepEqual(img.b_empty, new Uint8Array(0));
  assert.equal(Object.getPrototypeOf(img.b_test), Uint8Array.prototype);
  assert.equal(img.bool_t, true);
  assert.equal(img.bool_f, false);
  assert.equal(img.null, null);
  assert.deepEqual(img.ss, new Set(['red', 'green', 'caf\u00e9']));
  assert.deepEqual([...img.ns].map(String), ['1', '-2.5', '1E+10', '0', '1E-130']);
  assert.equal(img.bs.size, 4);
  assert.deepEqual(img.list[4], ['nested', []]);
  assert.deepEqual(img.list[5], { k: 'v' });
  assert.equal(img.dup.k.value, '2');
  assert.equal(img['caf\u00e9'], 'escaped name');
  assert.deepEqual(img.ss_empty, new Set());
  assert.deepEqual(img.m_empty, {});
  assert.deepEqual(img.l_empty, []);
});

test('default numbers: safe numbers, BigInt beyond the safe range, -0', () => {
  const img = {
    a: { N: '42' }, b: { N: '-1.5e+3' }, c: { N: '9007199254740991' }, d: { N: '9007199254740993' },
    e: { N: '-12345678901234567890123456789012345678' }, f: { N: '007' }, g: { N: '-0' }, h: { N: '0.1' },
    i: { NS: ['1', '99999999999999999999'] },
  };
  const expected = {
    a: 42, b: -1500, c: 9007199254740991, d: 9007199254740993n,
    e: -12345678901234567890123456789012345678n, f: 7, g: -0, h: 0.1,
    i: new Set([1, 99999999999999999999n]),
  };
  for (const out of [shardline.unmarshall(img), shardline.unmarshall(JSON.stringify(img)), shardline.unmarshall(Buffer.from(JSON.stringify(img)))]) {
    assert.deepEqual(out, expected);
    assert.ok(Object.is(out.g, -0));
  }
});

test('wrapNumbers: true gives NumberValue, a function gets the text', () => {
  const img = { n: { N: '1.50' }, l: { L: [{ N: '2' }] }, s: { NS: ['3'] } };
  for (const input of [img, JSON.stringify(img)]) {
    const out = shardline.unmarshall(input, { wrapNumbers: true });
    assert.ok(out.n instanceof shardline.NumberValue);
    assert.equal(out.n.value, '1.50');
    assert.equal(out.n.toString(), '1.50');
    assert.equal(out.l[0].toBigInt(), 2n);
    assert.deepEqual(out.n.toAttributeValue(), { N: '1.50' });
    const seen = [];
    const f = shardline.unmarshall(input, { wrapNumbers: (t) => (seen.push(t), `<${t}>`) });
    assert.deepEqual(f, { n: '<1.50>', l: ['<2>'], s: new Set(['<3>']) });
    assert.deepEqual(seen, ['1.50', '2', '3']);
  }
});

test('convertWithoutMapWrapper and convertToNative take one AttributeValue', () => {
  assert.equal(shardline.unmarshall({ S: 'x' }, { convertWithoutMapWrapper: true }), 'x');
  assert.deepEqual(shardline.unmarshall({ M: { a: { N: '1' } } }, { convertWithoutMapWrapper: true }), { a: 1 });
  assert.deepEqual(shardline.convertToNative({ B: 'AAE=' }), new Uint8Array([0, 1]));
  assert.deepEqual(shardline.convertToNative({ L: [{ NULL: true }, { BOOL: false }] }), [null, false]);
});

test('shardline/util-dynamodb: same unmarshall and convertToNative', () => {
  assert.equal(utilSubpath.unmarshall, shardline.unmarshall);
  assert.equal(utilSubpath.convertToNative, shardline.convertToNative);
  assert.deepEqual(utilSubpath.unmarshall({ id: { S: 'a' }, bin: { BS: ['AA=='] } }), { id: 'a', bin: new Set([new Uint8Array([0])]) });
});

test('B already decoded (SDK responses) passes through the object path', () => {
  const bytes = new Uint8Array([1, 2, 3]);
  assert.equal(shardline.unmarshall({ b: { B: bytes } }).b, bytes);
});

test('duplicate attribute names: the last one wins, with its own type', () => {
  const text = '{"k":{"B":"AAE="},"k":{"N":"2"},"s":{"M":{"x":{"SS":["a"]},"x":{"S":"b"}}}}';
  assert.deepEqual(shardline.unmarshall(text), { k: 2, s: { x: 'b' } });
  assert.deepEqual(shardline.unmarshall(text), shardline.unmarshall(JSON.parse(text)));
});

test('mixed-sources.json: Kinesis and DynamoDB records in one batch', () => {
  const recs = shardline.parse(fixture('dynamodb', 'mixed-sources.json'));
  assert.deepEqual(recs.map((r) => r.eventSource), ['aws:kinesis', 'aws:dynamodb', 'aws:kinesis', 'aws:dynamodb']);
  assert.ok(recs[0] instanceof shardline.KinesisRecord);
  assert.ok(recs[1] instanceof shardline.DynamoDBRecord);
  assert.equal(recs[0].json().eventSource, 'aws:dynamodb');
});

test('TypeError for inputs that are neither raw JSON nor an event object', () => {
  assert.throws(() => shardline.parse(42), TypeError);
  assert.throws(() => shardline.loads({}), TypeError);
  assert.throws(() => shardline.loads(null), TypeError);
});
