'use strict';
// differential.test.js - random events and images (seeded) against JSON.parse + Buffer and
// @aws-sdk/util-dynamodb (B pre-decoded for it), raw and object inputs.
const test = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const ddb = require('@aws-sdk/util-dynamodb');
const shardline = require('..');
const { rng, predecode, norm } = require('./helpers');

const SEEDS = Number(process.env.SHARDLINE_TEST_SEEDS || 40);

// ---- generators ------------------------------------------------------------------------

const ALPHABET = ['a', 'b', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u00e9', '\u00ff', '\u0100',
  '\u65e5', '\u2028', '\ud83d\ude00', '\u{10ffff}', '#', '.', '[', ']', '{'];

function randString(r, max = 12) {
  let s = '';
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) s += r.pick(ALPHABET);
  return s;
}

function randNumber(r) {
  switch (r.int(6)) {
    case 0: return r.int(1000) - 500;
    case 1: return (r.int(2000000) - 1000000) / 1000;
    case 2: return r.next() * 1e300;
    case 3: return -r.next() * 1e-300;
    case 4: return Number.MAX_SAFE_INTEGER - r.int(10);
    default: return r.int(2) ? 0 : -0.5;
  }
}

function randJson(r, depth = 0) {
  const k = depth > 4 ? r.int(4) : r.int(7);
  switch (k) {
    case 0: return null;
    case 1: return r.bool();
    case 2: return randNumber(r);
    case 3: return randString(r);
    case 4: {
      const a = [];
      for (let i = r.int(5); i > 0; i--) a.push(randJson(r, depth + 1));
      return a;
    }
    default: {
      const o = {};
      for (let i = r.int(5); i > 0; i--) o[randString(r, 6)] = randJson(r, depth + 1);
      return o;
    }
  }
}

/** JSON text for a value, with random whitespace and escapes the way other encoders write them. */
function jsonText(r, v) {
  let t = JSON.stringify(v, null, r.bool(0.3) ? 1 : undefined);
  if (r.bool(0.3)) t = t.replace(/\u00e9/g, '\\u00e9').replace(/\//g, '\\/');
  return r.bool(0.2) ? ` ${t}\n` : t;
}

function kinesisRecord(r, i, payload) {
  const rec = {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: randString(r) || 'pk',
      sequenceNumber: String(49590338271490256608559692538361571095921575989136588898n + BigInt(i)),
      data: payload.toString('base64'),
      approximateArrivalTimestamp: 1545084650 + r.int(100000) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000006:${i}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
    awsRegion: r.pick(['us-east-1', 'eu-central-1']),
    eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
  };
  if (r.bool(0.2)) rec.kinesis.encryptionType = r.pick(['NONE', 'KMS']);
  return rec;
}

const NAMES = ['id', 'pk', 'sk', 'name', 'caf\u00e9', '\ud83d\ude00', 'a.b', 'n', 'x y', '10', '2', 'tags', ''];

/** A random AttributeValue; numbers stay within what util-dynamodb converts unless `unsafe`. */
function randAttr(r, depth, unsafe) {
  const k = depth > 3 ? r.int(7) : r.int(10);
  switch (k) {
    case 0: return { S: randString(r) };
    case 1: return { N: randN(r, unsafe) };
    case 2: return { B: r.bytes(r.int(9)).toString('base64') };
    case 3: return { BOOL: r.bool() };
    case 4: return { NULL: true };
    case 5: return { SS: Array.from({ length: r.int(4) }, () => randString(r)) };
    case 6: return { NS: Array.from({ length: r.int(4) }, () => randN(r, unsafe)) };
    case 7: return { M: randImage(r, depth + 1, unsafe) };
    case 8: return { L: Array.from({ length: r.int(4) }, () => randAttr(r, depth + 1, unsafe)) };
    default: return { BS: Array.from({ length: r.int(3) }, () => r.bytes(r.int(6)).toString('base64')) };
  }
}

function randN(r, unsafe) {
  const sign = r.bool(0.3) ? '-' : '';
  switch (r.int(unsafe ? 8 : 7)) {
    case 0: return sign + String(r.int(100000));
    case 1: return `${sign}${r.int(1000)}.${r.int(1000)}`;
    case 2: return `${sign}0${r.int(10)}`; // leading zero: valid for DynamoDB, not JSON
    case 3: return `${sign}${r.int(10)}.${r.int(100)}E${r.pick(['+', '-', ''])}${r.int(unsafe ? 20 : 12)}`;
    case 4: return sign + '9007199254740' + String(990 + r.int(10)); // around 2^53
    case 5: return sign + '1' + '0'.repeat(18 + r.int(15)); // a BigInt
    case 6: return `${sign}0.${'0'.repeat(r.int(5))}${r.int(1000)}`;
    default: return `${sign}1.5E+${20 + r.int(100)}`; // beyond the safe range, not an integer
  }
}

function randImage(r, depth = 0, unsafe = false) {
  const img = {};
  for (let i = r.int(6); i > 0; i--) img[r.pick(NAMES)] = randAttr(r, depth, unsafe);
  return img;
}

function dynamodbRecord(r, i, unsafe) {
  const view = r.pick(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']);
  const d = {
    ApproximateCreationDateTime: 1480642020 + r.int(1000),
    Keys: { id: { S: `item#${i}` } },
    SequenceNumber: String(4421584500000000017450439091n + BigInt(i)),
    SizeBytes: 26 + r.int(1000),
    StreamViewType: view,
  };
  if (view !== 'KEYS_ONLY' && view !== 'OLD_IMAGE') d.NewImage = randImage(r, 0, unsafe);
  if (view !== 'KEYS_ONLY' && view !== 'NEW_IMAGE') d.OldImage = randImage(r, 0, unsafe);
  const rec = {
    eventID: `c4ca4238a0b923820dcc509a6f75849${i}`,
    eventName: r.pick(['INSERT', 'MODIFY', 'REMOVE']),
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: d,
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899',
  };
  if (r.bool(0.2)) rec.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  return rec;
}

/** util-dynamodb's answer, or the fact that it throws. */
function reference(fn) {
  try {
    return { value: norm(fn()) };
  } catch (e) {
    return { error: true };
  }
}

function ours(fn) {
  try {
    return { value: norm(fn()) };
  } catch (e) {
    assert.ok(e instanceof shardline.ParseError, String(e && e.stack));
    assert.equal(e.code, 'SHARDLINE_ERR_ATTR_NUMBER');
    return { error: true };
  }
}

// ---- Kinesis --------------------------------------------------------------------------------

test('random Kinesis events: payload bytes and JSON against JSON.parse + Buffer', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = rng(seed);
    const n = r.int(20);
    const values = [];
    const payloads = [];
    for (let i = 0; i < n; i++) {
      const v = randJson(r);
      values.push(v);
      payloads.push(Buffer.from(jsonText(r, v)));
    }
    const event = { Records: payloads.map((p, i) => kinesisRecord(r, i, p)) };
    const raw = Buffer.from(JSON.stringify(event, null, r.bool() ? 2 : undefined));
    const refEvent = JSON.parse(raw);
    const refData = refEvent.Records.map((x) => Buffer.from(x.kinesis.data, 'base64'));
    const refJson = refData.map((b) => JSON.parse(b.toString('utf8')));
    for (const input of [raw, refEvent, raw.toString('utf8')]) {
      assert.deepEqual(shardline.kinesisData(input), refData, `seed ${seed}`);
      assert.deepEqual(shardline.kinesisJson(input), refJson, `seed ${seed}`);
      const recs = shardline.parse(input);
      assert.deepEqual(recs.map((x) => x.data), refData, `seed ${seed}`);
      assert.deepEqual(recs.map((x) => x.json()), refJson, `seed ${seed}`);
      assert.deepEqual(recs.map((x) => [x.partitionKey, x.sequenceNumber, x.approximateArrivalTimestamp, x.encryptionType, x.awsRegion]),
        refEvent.Records.map((x) => [x.kinesis.partitionKey, x.kinesis.sequenceNumber, x.kinesis.approximateArrivalTimestamp, x.kinesis.encryptionType, x.awsRegion]));
    }
  }
});

test('random binary payloads: kinesisData is Buffer.from(data, "base64")', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = rng(1000 + seed);
    const payloads = Array.from({ length: r.int(30) }, () => r.bytes(r.int(3000)));
    const event = { Records: payloads.map((p, i) => kinesisRecord(r, i, p)) };
    assert.deepEqual(shardline.kinesisData(Buffer.from(JSON.stringify(event))), payloads);
    assert.deepEqual(shardline.kinesisData(event), payloads);
  }
});

test('random strings: loads agrees with JSON.parse', () => {
  for (let seed = 1; seed <= SEEDS * 5; seed++) {
    const r = rng(2000 + seed);
    const v = randJson(r);
    const t = jsonText(r, v);
    assert.deepEqual(shardline.loads(t), JSON.parse(t));
    assert.deepEqual(shardline.loads(Buffer.from(t)), JSON.parse(t));
  }
});

// ---- DynamoDB ---------------------------------------------------------------------------------

for (const [label, options] of [
  ['default numbers', undefined],
  ['wrapNumbers: true', { wrapNumbers: true }],
  ['wrapNumbers: function', { wrapNumbers: (t) => `#${t}` }],
]) {
  test(`random images (${label}): unmarshall against util-dynamodb, object and raw`, () => {
    for (let seed = 1; seed <= SEEDS * 3; seed++) {
      const r = rng(3000 + seed);
      const img = randImage(r, 0, true);
      const ref = reference(() => ddb.unmarshall(predecode(img), options));
      const text = JSON.stringify(img);
      assert.deepEqual(ours(() => shardline.unmarshall(img, options)), ref, `seed ${seed}: ${text}`);
      assert.deepEqual(ours(() => shardline.unmarshall(text, options)), ref, `seed ${seed}: ${text}`);
      assert.deepEqual(ours(() => shardline.unmarshall(Buffer.from(text), options)), ref, `seed ${seed}`);
      const av = randAttr(r, 0, true);
      const refAv = reference(() => ddb.convertToNative(predecode(av), options));
      assert.deepEqual(ours(() => shardline.convertToNative(av, options)), refAv, `seed ${seed}`);
      assert.deepEqual(ours(() => shardline.unmarshall(av, { ...options, convertWithoutMapWrapper: true })),
        reference(() => ddb.unmarshall(predecode(av), { ...options, convertWithoutMapWrapper: true })), `seed ${seed}`);
    }
  });

  test(`random DynamoDB events (${label}): parse against JSON.parse + util-dynamodb`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = rng(4000 + seed);
      const event = { Records: Array.from({ length: r.int(12) }, (_, i) => dynamodbRecord(r, i, false)) };
      const raw = Buffer.from(JSON.stringify(event));
      const expected = event.Records.map((x) => ({
        eventID: x.eventID,
        eventName: x.eventName,
        sequenceNumber: x.dynamodb.SequenceNumber,
        sizeBytes: x.dynamodb.SizeBytes,
        streamViewType: x.dynamodb.StreamViewType,
        approximateCreationDateTime: x.dynamodb.ApproximateCreationDateTime,
        userIdentity: x.userIdentity,
        keys: norm(ddb.unmarshall(predecode(x.dynamodb.Keys), options)),
        newImage: x.dynamodb.NewImage && norm(ddb.unmarshall(predecode(x.dynamodb.NewImage), options)),
        oldImage: x.dynamodb.OldImage && norm(ddb.unmarshall(predecode(x.dynamodb.OldImage), options)),
      }));
      for (const input of [raw, event]) {
        const got = shardline.parse(input, options).map((x) => ({
          eventID: x.eventID,
          eventName: x.eventName,
          sequenceNumber: x.sequenceNumber,
          sizeBytes: x.sizeBytes,
          streamViewType: x.streamViewType,
          approximateCreationDateTime: x.approximateCreationDateTime,
          userIdentity: x.userIdentity,
          keys: norm(x.keys),
          newImage: x.newImage && norm(x.newImage),
          oldImage: x.oldImage && norm(x.oldImage),
        }));
        assert.deepEqual(got, expected, `seed ${seed}`);
      }
    }
  });
}

test('random number texts: the JS check of object images agrees with the C library', () => {
  const pieces = ['-', '0', '00', '1', '9', '.', 'e', 'E', '+', '-', '5', '123456789', '0000000000', ' ', 'x'];
  for (let seed = 1; seed <= SEEDS * 50; seed++) {
    const r = rng(5000 + seed);
    let t = '';
    for (let i = 1 + r.int(8); i > 0; i--) t += r.pick(pieces);
    if (r.bool(0.1)) t = `1${'2'.repeat(30 + r.int(15))}`;
    if (r.bool(0.1)) t = `${r.int(10)}E${r.pick(['+', '-', ''])}${120 + r.int(20)}`;
    const wrap = { wrapNumbers: true };
    const a = ours(() => shardline.unmarshall({ n: { N: t } }, wrap));
    const b = (() => {
      try {
        return { value: norm(shardline.unmarshall(JSON.stringify({ n: { N: t } }), wrap)) };
      } catch (e) {
        assert.equal(e.code, 'SHARDLINE_ERR_ATTR_NUMBER');
        return { error: true };
      }
    })();
    assert.deepEqual(a, b, `N ${JSON.stringify(t)}`);
  }
});

test('nesting limit: object and raw images fail at the same depth', () => {
  const wrapL = (inner, n) => {
    let s = inner;
    for (let i = 0; i < n; i++) s = `{"L":[${s}]}`;
    return s;
  };
  const wrapM = (inner, n) => {
    let s = inner;
    for (let i = 0; i < n; i++) s = `{"M":{"k":${s}}}`;
    return s;
  };
  for (const [make, limit] of [[(n) => wrapL('{"S":"x"}', n), 511], [(n) => wrapM('{"S":"x"}', n), 511], [(n) => wrapL('{"SS":["x"]}', n), 510]]) {
    for (const n of [limit, limit + 1]) {
      const text = `{"a":${make(n)}}`;
      const codes = [text, JSON.parse(text)].map((input) => {
        try {
          shardline.unmarshall(input);
          return 'ok';
        } catch (e) {
          return e.code;
        }
      });
      assert.deepEqual(codes, n === limit ? ['ok', 'ok'] : ['SHARDLINE_ERR_DEPTH', 'SHARDLINE_ERR_DEPTH']);
    }
  }
});

test('mutated events: object input reports the code and path the raw input does', () => {
  const mutations = [
    (e) => delete e.Records[0].eventID,
    (e) => (e.Records[0].eventSource = 'aws:s3'),
    (e) => (e.Records[0].eventVersion = 1),
    (e) => delete e.Records[0].dynamodb.StreamViewType,
    (e) => (e.Records[0].dynamodb.SizeBytes = 1.5),
    (e) => (e.Records[0].dynamodb.SequenceNumber = '12a'),
    (e) => (e.Records[0].dynamodb.Keys = []),
    (e) => (e.Records[0].dynamodb.Keys.id = { S: 'x', N: '1' }),
    (e) => (e.Records[0].dynamodb.Keys.id = { Q: 'x' }),
    (e) => (e.Records[0].dynamodb.Keys.id = { N: '1e999' }),
    (e) => (e.Records[0].dynamodb.Keys.id = { B: 'AB=C' }),
    (e) => (e.Records[0].kinesis = {}),
    (e) => (e.Records[0].userIdentity = { type: 'Service' }),
    (e) => (e.Records[0].userIdentity = 'x'),
  ];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = rng(6000 + seed);
    const event = { Records: Array.from({ length: 1 + r.int(3) }, (_, i) => dynamodbRecord(r, i, false)) };
    const m = mutations[seed % mutations.length];
    m(event);
    const raw = JSON.stringify(event);
    const got = [raw, JSON.parse(raw)].map((input) => {
      try {
        shardline.parse(input);
        return 'ok';
      } catch (e) {
        assert.ok(e instanceof shardline.ParseError, String(e));
        return `${e.code} ${e.path}`;
      }
    });
    assert.equal(got[1], got[0], `mutation ${seed % mutations.length}: ${raw.slice(0, 200)}`);
    assert.notEqual(got[0], 'ok');
  }
});

test('util.inspect of records does not throw', () => {
  const r = rng(7);
  const event = { Records: [dynamodbRecord(r, 0, false)] };
  assert.ok(util.inspect(shardline.parse(event)).includes('DynamoDBRecord'));
});
