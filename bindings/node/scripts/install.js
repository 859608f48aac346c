#!/usr/bin/env node
'use strict';
// install.js - build the addon with node-gyp when the package is installed from its tarball.
//
// Node's own headers are used when the running Node has them (<prefix>/include/node,
// as Debian's nodejs-dev and the official tarballs ship), so node-gyp never
// downloads anything. In a repository checkout (no native/ folder) nothing is
// built here: the repo builds the addon with meson (see test.sh).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');
if (!fs.existsSync(path.join(pkg, 'native', 'sources.gypi'))) {
  console.log('shardline: repository checkout, skipping node-gyp (build with meson -Dnode=enabled or test.sh)');
  process.exit(0);
}

const args = ['rebuild'];
const prefix = path.resolve(process.execPath, '..', '..');
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const jobs = process.env.JOBS || 'max';
args.push(`--jobs=${jobs}`);

let cmd = process.execPath;
let gyp = process.env.npm_config_node_gyp;
if (!gyp || !fs.existsSync(gyp)) {
  try {
    gyp = require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    gyp = null;
  }
}
if (!gyp) {
  cmd = 'node-gyp';
} else {
  args.unshift(gyp);
}
const r = spawnSync(cmd, args, { cwd: pkg, stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
