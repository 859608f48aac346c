'use strict';
// helpers.js - shared by the node:test files: fixtures, a seeded random generator, comparison helpers.
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(repo, 'tests', 'data');

function fixture(kind, name) {
  return fs.readFileSync(path.join(fixtures, kind, name));
}

function fixtureNames(kind) {
  return fs.readdirSync(path.join(fixtures, kind)).filter((n) => n.endsWith('.json')).sort();
}

/** mulberry32: a small seeded PRNG, so every failure is reproducible from its seed. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (arr) => arr[int(arr.length)];
  const bool = (p = 0.5) => next() < p;
  const bytes = (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = int(256);
    return b;
  };
  return { next, int, pick, bool, bytes };
}

/** A copy of an AttributeValue tree with B and BS decoded, for util-dynamodb's unmarshall. */
function predecode(v) {
  if (Array.isArray(v)) return v.map(predecode);
  if (v === null || typeof v !== 'object') return v;
  const o = {};
  for (const k of Object.keys(v)) {
    if (k === 'B') o.B = new Uint8Array(Buffer.from(v.B, 'base64'));
    else if (k === 'BS') o.BS = v.BS.map((x) => new Uint8Array(Buffer.from(x, 'base64')));
    else o[k] = predecode(v[k]);
  }
  return o;
}

/** Comparable form: any NumberValue as {N: text}, bytes as {bytes: hex} (plain Uint8Array required),
 * sets as {Set: [...]} in insertion order. */
function norm(v) {
  if (v instanceof Set) return { Set: [...v].map(norm) };
  if (v instanceof Uint8Array) {
    if (Object.getPrototypeOf(v) !== Uint8Array.prototype && !Buffer.isBuffer(v)) throw new Error('not a Uint8Array');
    return { bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  }
  if (Array.isArray(v)) return v.map(norm);
  if (v !== null && typeof v === 'object') {
    if (v.constructor && v.constructor.name === 'NumberValue') return { N: v.value };
    const o = {};
    for (const k of Object.keys(v)) o[k] = norm(v[k]);
    return o;
  }
  return v;
}

/** Run fn and return the error it throws (fails the test when it does not throw). */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

module.exports = { repo, fixture, fixtureNames, rng, predecode, norm, thrown };
