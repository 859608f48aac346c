#!/usr/bin/env node
'use strict';
// bench_node.js - shardline's Node binding against JSON.parse + Buffer and @aws-sdk/util-dynamodb.
//
//   node bench/bench_node.js [--quick] [--no-strategies] [--reps N]
//                            [--kinesis FILE] [--dynamodb FILE] [--gen PATH/TO/gen_workload]
//                            [--json FILE] [--min-sample-ms MS]
//
// One process runs every peer on the same input, repetitions interleaved
// (A B A B ...), and prints medians with their spread (p25..p75) and the
// ratio peer / shardline. Times are the process's CPU time (user + system,
// GC threads included) per call, which other load on a shared machine
// disturbs far less than wall time; --wall measures wall time instead. Before timing, each case checks that the peer's
// result equals shardline's. Memory is measured in a child process per
// implementation (peak RSS and retained heap + ArrayBuffers after GC).
// Workloads come from bench/gen_workload (kinesis 10000, dynamodb 1000;
// --quick: 2000 and 300), found in build/*/bench/ or given with --gen.
// The addon comes from $SHARDLINE_NODE_ADDON or bindings/node/build/Release.
// --json FILE also writes every figure (and the peers' versions) as JSON, for
// bench/run_all.py. --min-sample-ms MS repeats a call within one sample until
// the sample lasts MS (calibrated once per implementation), for events so
// small that one call is near the timer's resolution; the default times
// single calls. A Kinesis event whose payloads are not all JSON (the AWS
// documentation's sample) skips the JSON cases.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const v8 = require('node:v8');
const vm = require('node:vm');

const repo = path.resolve(__dirname, '..');
const pkgDir = path.join(repo, 'bindings', 'node');
const shardline = require(pkgDir);
const native = require(path.join(pkgDir, 'lib', 'native'));
const ddbUtil = require(require.resolve('@aws-sdk/util-dynamodb', { paths: [pkgDir] }));

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

// ---- arguments and workloads ----------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const quick = flag('--quick');
const strategies = !flag('--no-strategies');
const reps = Number(option('--reps', quick ? 5 : 15));
const wall = flag('--wall');
const jsonOut = option('--json');
const minSampleMs = Number(option('--min-sample-ms', 0));

function findGen() {
  const given = option('--gen', process.env.GEN_WORKLOAD);
  if (given) return given;
  const builds = path.join(repo, 'build');
  const dirs = fs.existsSync(builds) ? fs.readdirSync(builds) : [];
  for (const d of ['node-test', 'node-dev', 'release', 'gcc', ...dirs]) {
    const p = path.join(builds, d, 'bench', 'gen_workload');
    if (fs.existsSync(p)) return p;
  }
  throw new Error('bench_node: no gen_workload found; build the repo with meson or pass --gen');
}

function workload(kind, records, file) {
  if (file) return fs.readFileSync(file);
  const out = path.join(os.tmpdir(), `shardline-bench-${kind}-${records}.json`);
  execFileSync(findGen(), [kind, String(records), '--out', out]);
  return fs.readFileSync(out);
}

// ---- the cases ------------------------------------------------------------------------

const W = { wrapNumbers: true }; // util-dynamodb throws on this workload's large non-integers otherwise

/** A copy of an AttributeValue tree with B and BS decoded, for util-dynamodb. */
function predecode(v) {
  if (Array.isArray(v)) return v.map(predecode);
  if (v === null || typeof v !== 'object') return v;
  const o = {};
  for (const k in v) {
    if (k === 'B') o.B = new Uint8Array(Buffer.from(v.B, 'base64'));
    else if (k === 'BS') o.BS = v.BS.map((x) => new Uint8Array(Buffer.from(x, 'base64')));
    else o[k] = predecode(v[k]);
  }
  return o;
}

/** Comparable form: NumberValue-likes (ours or util-dynamodb's) as {N: text}, bytes as plain Uint8Array. */
function norm(v) {
  if (v instanceof Set) return { Set: [...v].map(norm) };
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
  if (Array.isArray(v)) return v.map(norm);
  if (v !== null && typeof v === 'object') {
    if (v.constructor && v.constructor.name === 'NumberValue') return { N: v.value };
    const o = {};
    for (const k of Object.keys(v)) o[k] = norm(v[k]);
    return o;
  }
  return v;
}

function imagesOf(event) {
  const out = [];
  for (const r of event.Records) {
    const d = r.dynamodb;
    for (const i of [d.Keys, d.NewImage, d.OldImage]) if (i !== undefined) out.push(i);
  }
  return out;
}

function peerDynamodbRaw(buf, options) {
  const out = [];
  for (const r of JSON.parse(buf).Records) {
    const d = r.dynamodb;
    if (d.Keys) out.push(ddbUtil.unmarshall(d.Keys, options));
    if (d.NewImage) out.push(ddbUtil.unmarshall(d.NewImage, options));
    if (d.OldImage) out.push(ddbUtil.unmarshall(d.OldImage, options));
  }
  return out;
}

function slDynamodbRaw(buf, options) {
  const out = [];
  for (const r of shardline.parse(buf, options)) {
    if (r.keys) out.push(r.keys);
    if (r.newImage) out.push(r.newImage);
    if (r.oldImage) out.push(r.oldImage);
  }
  return out;
}

/** Records whose images util-dynamodb converts without wrapNumbers (no unsafe non-integers). */
function defaultNumberRecords(event) {
  return event.Records.filter((r) => {
    try {
      for (const i of [r.dynamodb.Keys, r.dynamodb.NewImage, r.dynamodb.OldImage]) if (i) ddbUtil.unmarshall(i);
      return true;
    } catch {
      return false;
    }
  });
}

/** Inputs are made on first use, so a memory child builds only its own. */
function lazy(make) {
  let v;
  let done = false;
  return () => {
    if (!done) {
      v = make();
      done = true;
    }
    return v;
  };
}

/** True when every Kinesis payload of the event is JSON text. */
function payloadsAreJson(kBuf) {
  try {
    for (const r of JSON.parse(kBuf).Records) JSON.parse(Buffer.from(r.kinesis.data, 'base64'));
    return true;
  } catch {
    return false;
  }
}

function buildCases(kBuf, dBuf) {
  const kEventL = lazy(() => JSON.parse(kBuf));
  const dEventL = lazy(() => JSON.parse(dBuf));
  const imagesL = lazy(() => imagesOf(dEventL()));
  const preL = lazy(() => imagesL().map(predecode));
  const dSafeL = lazy(() => ({ Records: defaultNumberRecords(JSON.parse(dBuf)) }));
  const dSafeBufL = lazy(() => Buffer.from(JSON.stringify(dSafeL())));
  const safeImagesL = lazy(() => imagesOf(dSafeL()));
  const safePreL = lazy(() => safeImagesL().map(predecode));
  const imageTextsL = lazy(() => imagesL().map((i) => Buffer.from(JSON.stringify(i))));
  const wrapFn = (t) => new shardline.NumberValue(t);

  const sameBuffers = (a, b) => a.length === b.length && a.every((x, i) => Buffer.compare(x, b[i]) === 0);
  const sameNorm = (a, b) => util.isDeepStrictEqual(norm(a), norm(b));

  // What each case's input holds, for per-record and per-byte figures.
  const kSize = lazy(() => ({ records: kEventL().Records.length, bytes: kBuf.length }));
  const dSize = lazy(() => ({ records: dEventL().Records.length, bytes: dBuf.length }));
  const dSafeSize = lazy(() => ({ records: dSafeL().Records.length, bytes: dSafeBufL().length }));

  const cases = [
    {
      name: 'kinesis raw Buffer -> payloads as JSON',
      json: true,
      target: 2,
      sl: () => shardline.kinesisJson(kBuf),
      peer: ['JSON.parse + Buffer.from + JSON.parse', () => JSON.parse(kBuf).Records.map((r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64')))],
      same: util.isDeepStrictEqual,
    },
    {
      name: 'kinesis raw Buffer -> payload Buffers',
      target: 4,
      sl: () => shardline.kinesisData(kBuf),
      peer: ['JSON.parse + Buffer.from', () => JSON.parse(kBuf).Records.map((r) => Buffer.from(r.kinesis.data, 'base64'))],
      same: sameBuffers,
    },
    {
      name: 'dynamodb images object -> native (wrapNumbers)',
      target: 3,
      sl: () => imagesL().map((i) => shardline.unmarshall(i, W)),
      peer: ['util-dynamodb unmarshall, B pre-decoded', () => preL().map((i) => ddbUtil.unmarshall(i, W))],
      same: sameNorm,
    },
    {
      name: 'dynamodb raw Buffer -> native (wrapNumbers)',
      target: 4,
      sl: () => slDynamodbRaw(dBuf, W),
      peer: ['JSON.parse + util-dynamodb unmarshall', () => peerDynamodbRaw(dBuf, W)],
      // The timed peer leaves B as base64 text; equality is checked against its B-decoded run.
      check: () => sameNorm(slDynamodbRaw(dBuf, W), preL().map((i) => ddbUtil.unmarshall(i, W))),
    },
    {
      name: 'dynamodb images object -> native (default numbers)',
      target: 3,
      sl: () => safeImagesL().map((i) => shardline.unmarshall(i)),
      peer: ['util-dynamodb unmarshall, B pre-decoded', () => safePreL().map((i) => ddbUtil.unmarshall(i))],
      same: sameNorm,
    },
    {
      name: 'dynamodb raw Buffer -> native (default numbers)',
      target: 4,
      sl: () => slDynamodbRaw(dSafeBufL()),
      peer: ['JSON.parse + util-dynamodb unmarshall', () => peerDynamodbRaw(dSafeBufL())],
      check: () => sameNorm(slDynamodbRaw(dSafeBufL()), safePreL().map((i) => ddbUtil.unmarshall(i))),
    },
    {
      name: 'kinesis raw Buffer -> records (parse)',
      sl: () => shardline.parse(kBuf),
      peer: ['JSON.parse + Buffer.from per record', () => JSON.parse(kBuf).Records.map((r) => {
        r.kinesis.data = Buffer.from(r.kinesis.data, 'base64');
        return r;
      })],
      same: (a, b) => a.length === b.length && a.every((r, i) => r.partitionKey === b[i].kinesis.partitionKey &&
        r.sequenceNumber === b[i].kinesis.sequenceNumber && r.eventSourceARN === b[i].eventSourceARN &&
        r.approximateArrivalTimestamp === b[i].kinesis.approximateArrivalTimestamp && r.data.equals(b[i].kinesis.data)),
    },
    {
      name: 'kinesis event object -> payload Buffers',
      sl: () => shardline.kinesisData(kEventL()),
      peer: ['Buffer.from per record', () => kEventL().Records.map((r) => Buffer.from(r.kinesis.data, 'base64'))],
      same: sameBuffers,
    },
    {
      name: 'kinesis event object -> payloads as JSON',
      json: true,
      sl: () => shardline.kinesisJson(kEventL()),
      peer: ['Buffer.from + JSON.parse per record', () => kEventL().Records.map((r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64')))],
      same: util.isDeepStrictEqual,
    },
    {
      name: 'dynamodb event object -> records (wrapNumbers)',
      sl: () => shardline.parse(dEventL(), W),
      peer: ['util-dynamodb unmarshall per image', () => dEventL().Records.map((r) => [r.dynamodb.Keys, r.dynamodb.NewImage, r.dynamodb.OldImage].map((i) => i && ddbUtil.unmarshall(i, W)))],
      check: () => true,
    },
  ];
  for (const c of cases) c.size = c.name.startsWith('kinesis') ? kSize : c.name.includes('default numbers') ? dSafeSize : dSize;
  const kJson = payloadsAreJson(kBuf);
  const strategyCases = [
    {
      name: 'strategy: kinesis raw -> JSON',
      impls: [
        ['validated "[p1,p2,..]" ASCII string, one JSON.parse (used)', () => shardline.kinesisJson(kBuf)],
        ['kinesisData + JSON.parse(buf.toString()) per payload', () => shardline.kinesisData(kBuf).map((b) => JSON.parse(b.toString()))],
        ['native value tree per payload (Node-API objects)', () => shardline.kinesisData(kBuf).map((b) => native.jsonTree(b))],
      ],
    },
    {
      name: 'strategy: dynamodb raw image -> native',
      impls: [
        ['C JSON of native values + JSON.parse + patches (used)', () => imageTextsL().map((t) => shardline.unmarshall(t, W))],
        ['Node-API object per value', () => imageTextsL().map((t) => native.imageRawNapi(t, wrapFn))],
      ],
    },
    {
      name: 'strategy: dynamodb image object -> native',
      impls: [
        ['JS walk, base64 natively (used)', () => imagesL().map((i) => shardline.unmarshall(i, W))],
        ['JSON.stringify + raw path', () => imagesL().map((i) => shardline.unmarshall(JSON.stringify(i), W))],
      ],
    },
  ];
  return {
    cases: kJson ? cases : cases.filter((c) => !c.json),
    strategyCases: kJson ? strategyCases : strategyCases.filter((s) => !s.name.includes('kinesis')),
    safeRecords: () => dSafeL().Records.length,
    kJson,
  };
}

// ---- timing ---------------------------------------------------------------------------

/** ms per call of fn, over `calls` calls in a row (1 unless --min-sample-ms). */
function timeOnce(fn, calls = 1) {
  let r;
  if (wall) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) r = fn();
    const t1 = process.hrtime.bigint();
    if (r === undefined) throw new Error('no result');
    return Number(t1 - t0) / 1e6 / calls;
  }
  const c0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) r = fn();
  const c = process.cpuUsage(c0);
  if (r === undefined) throw new Error('no result');
  return (c.user + c.system) / 1e3 / calls;
}

/** Calls per sample so that a sample lasts at least --min-sample-ms (1 without it). */
function callsPerSample(fn) {
  if (!(minSampleMs > 0)) return 1;
  let calls = 1;
  while (calls < 1e6 && timeOnce(fn, calls) * calls < minSampleMs) calls *= 2;
  return calls;
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.round(p * (s.length - 1)))];
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), min: s[0], max: s[s.length - 1], samples: s.length };
}

/** Run the implementations interleaved: every repetition runs each once, order rotated. */
function race(impls) {
  for (const [, fn] of impls) {
    fn();
    fn();
  }
  const calls = impls.map(([, fn]) => callsPerSample(fn));
  const samples = impls.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < impls.length; k++) {
      const i = (k + r) % impls.length;
      // No gc() here: a forced full GC before each call makes the next one
      // pay for regrowing the heap (page faults), which is not steady state.
      samples[i].push(timeOnce(impls[i][1], calls[i]));
    }
  }
  return samples.map((s, i) => ({ ...stats(s), calls: calls[i] }));
}

const fmt = (st) => `${st.median.toFixed(2).padStart(8)} ms (${st.p25.toFixed(2)}..${st.p75.toFixed(2)})`;

// ---- memory (child processes) ---------------------------------------------------------

/** In a child: run case `index`'s implementation once and report its memory. */
function memoryChild(kBuf, dBuf, index, which) {
  const { cases } = buildCases(kBuf, dBuf);
  const c = cases[index];
  const fn = which === 'sl' ? c.sl : c.peer[1];
  if (which === 'sl') c.sl(); // inputs made, code loaded: then measure a second run
  else c.peer[1]();
  gc();
  gc();
  const before = process.memoryUsage();
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const result = fn();
  const peak = process.resourceUsage().maxRSS * 1024;
  gc();
  gc();
  const after = process.memoryUsage();
  const retained = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  // RSS growth with the result alive, and how far the call pushed the peak.
  process.stdout.write(JSON.stringify({ retained, rss: after.rss - before.rss, peak: Math.max(0, peak - peakBefore), n: result.length }));
}

function measureMemory(index, which, files) {
  const r = spawnSync(process.execPath, [__filename, '--memory-child', String(index), which, files.k, files.d], {
    encoding: 'utf8',
    env: process.env,
  });
  if (r.status !== 0) throw new Error(`memory child failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ---- JSON report (--json) -------------------------------------------------------------

function packageVersion(name) {
  try {
    return require(require.resolve(`${name}/package.json`, { paths: [pkgDir] })).version;
  } catch {
    return null;
  }
}

function writeReport(file, rows, { cpu }) {
  const impl = (name, st, mem, size) => ({ impl: name, ...size, median_ms: st.median, min_ms: st.min, max_ms: st.max,
    p25_ms: st.p25, p75_ms: st.p75, repetitions: st.samples, calls_per_sample: st.calls, memory: mem || null });
  const report = {
    bench: 'node',
    shardline: shardline.version,
    implementation: shardline.implementation,
    node: process.version,
    cpu,
    repetitions: reps,
    quick,
    clock: wall ? 'wall' : 'process cpu (user + system)',
    peers: { '@aws-sdk/util-dynamodb': packageVersion('@aws-sdk/util-dynamodb') },
    kinesis: option('--kinesis') ? path.basename(option('--kinesis')) : null,
    dynamodb: option('--dynamodb') ? path.basename(option('--dynamodb')) : null,
    cases: rows.map((r) => ({
      path: r.c.name,
      input: r.c.name.split(' ')[0],
      shardline: impl('shardline', r.sl, r.memSl, r.c.size()),
      peer: impl(r.c.peer[0], r.peer, r.memPeer, r.c.size()),
    })),
  };
  fs.writeFileSync(file, JSON.stringify(report, null, 1) + '\n');
}

// ---- main -----------------------------------------------------------------------------

function main() {
  if (argv[0] === '--memory-child') {
    memoryChild(fs.readFileSync(argv[3]), fs.readFileSync(argv[4]), Number(argv[1]), argv[2]);
    return;
  }
  const kRecords = quick ? 2000 : 10000;
  const dRecords = quick ? 300 : 1000;
  const kBuf = workload('kinesis', kRecords, option('--kinesis'));
  const dBuf = workload('dynamodb', dRecords, option('--dynamodb'));
  const files = { k: path.join(os.tmpdir(), 'shardline-bench-k.json'), d: path.join(os.tmpdir(), 'shardline-bench-d.json') };
  fs.writeFileSync(files.k, kBuf);
  fs.writeFileSync(files.d, dBuf);
  const cpu = (os.cpus()[0] || { model: 'unknown' }).model;
  console.log(`shardline ${shardline.version} (${shardline.implementation} kernels), Node ${process.version}, ${cpu}, ${os.cpus().length} CPUs`);
  console.log(`kinesis: ${kRecords} records, ${(kBuf.length / 1e6).toFixed(2)} MB; dynamodb: ${dRecords} records, ${(dBuf.length / 1e6).toFixed(2)} MB; ${reps} interleaved repetitions`);

  const { cases, strategyCases, safeRecords, kJson } = buildCases(kBuf, dBuf);
  if (!kJson) console.log('kinesis payloads are not all JSON: the JSON cases are skipped');
  console.log(`default-number rows: the ${safeRecords()} records whose images util-dynamodb converts without wrapNumbers`);
  console.log(`times: ${wall ? 'wall clock' : 'process CPU time (user + system)'} per call, ms\n`);
  let failed = false;
  for (const c of cases) {
    const ok = c.check ? c.check() : c.same(c.sl(), c.peer[1]());
    if (!ok) {
      console.error(`MISMATCH: ${c.name}: ${c.peer[0]} and shardline differ`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
  console.log('results checked: every peer equals shardline on every case\n');

  const rows = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const [sl, peer] = race([['shardline', c.sl], c.peer]);
    const ratio = peer.median / sl.median;
    const row = { c, sl, peer, ratio };
    if (!quick && c.target !== undefined) {
      row.memSl = measureMemory(i, 'sl', files);
      row.memPeer = measureMemory(i, 'peer', files);
    }
    rows.push(row);
  }
  const mb = (x) => (x / 1048576).toFixed(1);
  console.log('| path | shardline median (p25..p75) | peer | peer median (p25..p75) | ratio | target |' +
    (quick ? '' : ' retained MB sl/peer | RSS growth MB sl/peer |'));
  console.log('|---|---|---|---|---|---|' + (quick ? '' : '---|---|'));
  for (const r of rows) {
    const target = r.c.target === undefined ? '-' : `>= ${r.c.target}x ${r.ratio >= r.c.target ? 'met' : 'MISSED'}`;
    let line = `| ${r.c.name} | ${fmt(r.sl)} | ${r.c.peer[0]} | ${fmt(r.peer)} | ${r.ratio.toFixed(2)}x | ${target} |`;
    if (!quick) {
      line += r.memSl ? ` ${mb(r.memSl.retained)} / ${mb(r.memPeer.retained)} | ${mb(r.memSl.rss)} / ${mb(r.memPeer.rss)} |` : ' - | - |';
    }
    console.log(line);
  }
  if (jsonOut) writeReport(jsonOut, rows, { kRecords, dRecords, cpu });
  if (strategies) {
    console.log('\nStrategies (same input, interleaved; the first of each group is what the binding uses):');
    for (const s of strategyCases) {
      const impls = quick ? s.impls.slice(0, 2) : s.impls;
      const res = race(impls);
      console.log(`  ${s.name}`);
      impls.forEach(([name], i) => console.log(`    ${fmt(res[i])}  ${name}`));
    }
  }
}

main();
