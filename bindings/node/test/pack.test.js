'use strict';
// pack.test.js - `npm pack`, then `npm install <tarball>` in an empty directory with no
// registry reachable: the tarball must carry everything node-gyp needs (no SWIG, no repo).
// Slow (a node-gyp build); SHARDLINE_SKIP_PACK=1 skips it.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { repo } = require('./helpers');

const pkgDir = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack + offline npm install in an empty directory: loads and parses a fixture', {
  timeout: 600000,
  skip: process.env.SHARDLINE_SKIP_PACK ? 'SHARDLINE_SKIP_PACK is set' : false,
}, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shardline-pack-'));
  try {
    const env = { ...process.env };
    delete env.SHARDLINE_NODE_ADDON;
    const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', tmp], {
      cwd: pkgDir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    }).replace(/^[^[]*/, ''))[0];
    const files = packed.files.map((f) => f.path);
    for (const f of ['index.js', 'index.d.ts', 'util-dynamodb.js', 'binding.gyp', 'src/shardline_wrap.cxx',
      'src/shardline_node.cc', 'native/sources.gypi', 'native/include/shardline_version.h',
      'native/core/include/shardline.h', 'native/core/src/event.c', 'scripts/install.js']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    assert.ok(!files.some((f) => f.startsWith('test/')), 'tests stay out of the tarball');
    // postpack leaves the checkout as it was.
    assert.ok(!fs.existsSync(path.join(pkgDir, 'native')));
    assert.ok(!fs.existsSync(path.join(pkgDir, 'src', 'shardline_wrap.cxx')));

    const app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)], {
      cwd: app,
      env: { ...env, npm_config_registry: 'http://127.0.0.1:9/' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const fixture = path.join(repo, 'tests', 'data', 'kinesis', 'aws-docs-sample.json');
    const script = `
      const s = require('shardline');
      const u = require('shardline/util-dynamodb');
      const fs = require('fs');
      const out = {
        data: s.kinesisData(fs.readFileSync(${JSON.stringify(fixture)})).map(String),
        key: s.parse(fs.readFileSync(${JSON.stringify(fixture)}))[1].partitionKey,
        image: u.unmarshall({ a: { N: '1' }, b: { B: 'AAE=' } }),
        err: (() => { try { s.loads('[1,]'); } catch (e) { return [e.name, e.code, e.offset]; } })(),
      };
      out.image.b = Array.from(out.image.b);
      console.log(JSON.stringify(out));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: app, env, encoding: 'utf8' }));
    assert.deepEqual(out, {
      data: ['Hello, this is a test.', 'This is only a test.'],
      key: '1',
      image: { a: 1, b: [0, 1] },
      err: ['ParseError', 'SHARDLINE_ERR_SYNTAX', 3],
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
