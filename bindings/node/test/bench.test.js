'use strict';
// bench.test.js - bench/bench_node.js --quick still runs and every peer still agrees with shardline.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { repo } = require('./helpers');

test('bench_node.js --quick: peers produce equal results', { timeout: 300000 }, () => {
  const out = execFileSync(process.execPath, [path.join(repo, 'bench', 'bench_node.js'), '--quick', '--reps', '1', '--no-strategies'], {
    encoding: 'utf8',
  });
  assert.match(out, /results checked: every peer equals shardline on every case/);
  assert.match(out, /\| kinesis raw Buffer -> payloads as JSON \|/);
});
