'use strict';
// unmarshall.js - AttributeValues that are already JS objects -> native values,
// with @aws-sdk/util-dynamodb's results and the C library's checks and error codes.
//
// One walker serves two passes: the fast pass carries no path and throws RETRY
// at the first problem; the error pass walks again with a path to build the
// ParseError the C library would report (code, path; offset inside the string
// for base64 errors, else 0 since objects have no byte offsets).
const native = require('./native');
const { ParseError } = require('./errors');

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_DEPTH = 1024;
const RETRY = Symbol('shardline.retry');

/** util-dynamodb's NumberValue: the exact text of an N, for wrapNumbers: true. */
class NumberValue {
  constructor(value) {
    this.value = typeof value === 'object' && value !== null && 'N' in value ? String(value.N) : String(value);
  }
  static from(value) {
    return new NumberValue(value);
  }
  toAttributeValue() {
    return { N: this.toString() };
  }
  toBigInt() {
    return BigInt(this.toString());
  }
  toString() {
    return String(this.value);
  }
  valueOf() {
    return this.toString();
  }
}

const wrapNumberValue = (text) => new NumberValue(text);

/** The wrap argument the native side takes: undefined, or a function of the N text. */
function numberWrapper(options) {
  const w = options == null ? undefined : options.wrapNumbers;
  if (typeof w === 'function') return w;
  return w ? wrapNumberValue : undefined;
}

/** DynamoDB's number rules, as core/src/dynamodb.c states them:
 * -?digits(.digits)?([eE][+-]?digits)?, at most 38 significant digits,
 * a non-zero magnitude from 1E-130 to 9.99..E+125. */
const NUMBER_RE = /^-?([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;
// Short plain numbers ("42", "-3.25") cannot break the digit or range rules.
const SHORT_NUMBER_RE = /^-?[0-9]{1,15}(?:\.[0-9]{1,15})?$/;
function numberValid(text) {
  if (text.length <= 16 && SHORT_NUMBER_RE.test(text)) return true;
  const m = NUMBER_RE.exec(text);
  if (m === null) return false;
  const int = m[1];
  const frac = m[2] === undefined ? '' : m[2];
  const digits = int + frac;
  let first = 0;
  while (first < digits.length && digits.charCodeAt(first) === 48) first++;
  if (first === digits.length) return true; // zero
  let last = digits.length - 1;
  while (digits.charCodeAt(last) === 48) last--;
  if (last - first + 1 > 38) return false;
  let exp = 0;
  if (m[3] !== undefined) {
    // Accumulate like the C code, which stops growing at 100000.
    const e = m[3];
    for (let i = e[0] === '+' || e[0] === '-' ? 1 : 0; i < e.length; i++) {
      if (exp < 100000) exp = exp * 10 + (e.charCodeAt(i) - 48);
    }
    if (e[0] === '-') exp = -exp;
  }
  const lead = int.length - 1 - first + exp;
  return lead >= -130 && lead <= 125;
}

const INTEGER_RE = /^-?[0-9]+$/;

// RFC 4648 base64 as the C decoder accepts it: padded, standard alphabet,
// zero bits before the padding. Anything else goes to the C decoder for
// its exact error.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64_VALUE = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => {
  B64_VALUE[c.charCodeAt(0)] = i;
});
function base64Strict(s) {
  if (!BASE64_RE.test(s)) return false;
  const n = s.length;
  if (n === 0 || s.charCodeAt(n - 1) !== 61 /* = */) return true;
  if (s.charCodeAt(n - 2) === 61) return (B64_VALUE[s.charCodeAt(n - 3)] & 15) === 0;
  return (B64_VALUE[s.charCodeAt(n - 2)] & 3) === 0;
}
const UNSAFE_NUMBER =
  'number cannot be converted to a JS number or BigInt without losing precision; set wrapNumbers';

class Walker {
  constructor(options, path, depth) {
    this.wrap = numberWrapper(options);
    this.path = path; // null in the fast pass
    // Nesting as the C library counts it: every object and array, the
    // image's own object included, plus the event's around an image.
    this.depth = depth;
  }

  fail(code, detail, offset = 0) {
    if (this.path === null) throw RETRY;
    throw new ParseError(detail, code, offset, joinPath(this.path));
  }

  push(seg) {
    if (this.path !== null) this.path.push(seg);
  }

  pop() {
    if (this.path !== null) this.path.pop();
  }

  number(text) {
    if (typeof text !== 'string') this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a string');
    if (!numberValid(text)) this.fail('SHARDLINE_ERR_ATTR_NUMBER', 'not a DynamoDB number');
    if (this.wrap !== undefined) return this.wrap(text);
    const num = Number(text);
    if (num > MAX_SAFE || num < -MAX_SAFE) {
      if (INTEGER_RE.test(text)) return BigInt(text);
      this.fail('SHARDLINE_ERR_ATTR_NUMBER', UNSAFE_NUMBER);
    }
    return num;
  }

  binary(value) {
    if (typeof value !== 'string') {
      if (value instanceof Uint8Array) return value; // SDK responses carry bytes already
      this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a base64 string');
    }
    if (base64Strict(value)) {
      // A copy of its own, not a view that would keep Buffer's 8 KiB pool slab alive.
      return new Uint8Array(Buffer.from(value, 'base64'));
    }
    // Not strict base64: the C decoder names the problem and its offset.
    try {
      native.base64Decode(value);
    } catch (e) {
      if (e instanceof ParseError) this.fail(e.code, e.detail, e.offset);
      throw e;
    }
    throw new Error('shardline: internal error: base64 check disagrees with the C decoder');
  }

  string(value) {
    if (typeof value !== 'string') this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected a string');
    return value;
  }

  enter() {
    if (++this.depth > MAX_DEPTH) this.fail('SHARDLINE_ERR_DEPTH', 'nested too deeply');
  }

  /** An AttributeValue object {TYPE: value} -> its native value. Problems are
   * reported in the C library's order: an unknown first key, then the first
   * value, then a second key. */
  attr(av) {
    if (typeof av !== 'object' || av === null || Array.isArray(av))
      this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an AttributeValue object');
    this.enter();
    let type;
    let value;
    let extra;
    for (const k in av) {
      const v = av[k];
      if (v === undefined) continue; // as util-dynamodb (and JSON.stringify) skip it
      if (type === undefined) {
        type = k;
        value = v;
      } else {
        extra = k;
        break;
      }
    }
    if (type === undefined) this.fail('SHARDLINE_ERR_ATTR_TYPE', 'an AttributeValue needs exactly one type key');
    this.push(type);
    let out;
    switch (type) {
      case 'S':
        out = this.string(value);
        break;
      case 'N':
        out = this.number(value);
        break;
      case 'BOOL':
        if (typeof value !== 'boolean') this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected true or false');
        out = value;
        break;
      case 'NULL':
        if (value !== true) {
          if (value === false) this.fail('SHARDLINE_ERR_FIELD_VALUE', 'NULL must be true');
          this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected true');
        }
        out = null;
        break;
      case 'M':
        out = this.map(value);
        break;
      case 'L':
        out = this.list(value);
        break;
      case 'B':
        out = this.binary(value);
        break;
      case 'SS':
      case 'NS':
      case 'BS':
        out = this.set(type, value);
        break;
      default:
        this.fail('SHARDLINE_ERR_ATTR_TYPE', 'unknown AttributeValue type key');
    }
    this.pop();
    if (extra !== undefined) {
      this.push(extra);
      this.fail('SHARDLINE_ERR_ATTR_TYPE', 'an AttributeValue needs exactly one type key');
    }
    this.depth--;
    return out;
  }

  map(m) {
    if (typeof m !== 'object' || m === null || Array.isArray(m))
      this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an object of AttributeValues');
    this.enter();
    const out = {};
    for (const k in m) {
      const v = m[k];
      if (v === undefined) continue;
      this.push(k);
      out[k] = this.attr(v);
      this.pop();
    }
    this.depth--;
    return out;
  }

  list(l) {
    if (!Array.isArray(l)) this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an array of AttributeValues');
    this.enter();
    const n = l.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      this.push(`[${i}]`);
      out[i] = this.attr(l[i]);
      this.pop();
    }
    this.depth--;
    return out;
  }

  set(type, l) {
    if (!Array.isArray(l)) this.fail('SHARDLINE_ERR_FIELD_TYPE', 'expected an array of strings');
    this.enter();
    this.depth--;
    const n = l.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      this.push(`[${i}]`);
      const v = l[i];
      out[i] = type === 'SS' ? this.string(v) : type === 'NS' ? this.number(v) : this.binary(v);
      this.pop();
    }
    return new Set(out);
  }
}

/** "address.M.zip.N", "tags.NS[2]": the C library's path form. */
function joinPath(segments) {
  let s = '';
  for (const seg of segments) {
    if (seg.charCodeAt(0) === 91 /* [ */ || s === '') s += seg;
    else s += '.' + seg;
  }
  return s;
}

/** Run fn(walker) fast; on a problem, run it again with a path for the error.
 * prefix: path segments in front ("Records[3].dynamodb.NewImage"). */
function walk(options, prefix, depth, fn) {
  try {
    return fn(new Walker(options, null, depth));
  } catch (e) {
    if (e !== RETRY) throw e;
  }
  const path = prefix ? [typeof prefix === 'function' ? prefix() : prefix] : [];
  fn(new Walker(options, path, depth));
  throw new Error('shardline: internal error: the error pass found no error'); // unreachable
}

/** util-dynamodb's unmarshall(image, options) with strict checks and B/BS decoded. */
function unmarshall(data, options) {
  if (options != null && options.convertWithoutMapWrapper) return convertToNative(data, options);
  return walk(options, '', 0, (w) => w.map(data));
}

/** util-dynamodb's convertToNative(attributeValue, options). */
function convertToNative(data, options) {
  return walk(options, '', 0, (w) => w.attr(data));
}

/** An image inside an event object, with the event's path in errors: it sits
 * inside the event, Records, the record and its dynamodb object. */
function unmarshallImage(data, options, record, image) {
  return walk(options, () => `Records[${record}].dynamodb.${image}`, 4, (w) => w.map(data));
}

module.exports = {
  NumberValue,
  numberWrapper,
  numberValid,
  unmarshall,
  convertToNative,
  unmarshallImage,
  joinPath,
};
