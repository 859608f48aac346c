'use strict';
// native.js - load the compiled addon (shardline.node) and give it the JS classes it creates.
//
// Where the addon is looked for, first hit wins:
//   1. $SHARDLINE_NODE_ADDON (a path to a .node file; the repo's meson build sets it in test.sh)
//   2. build/Release/shardline.node (node-gyp, as `npm install` of the package builds it)
//   3. build/Debug/shardline.node
const fs = require('node:fs');
const path = require('node:path');
const { ParseError } = require('./errors');

function addonPath() {
  const candidates = [];
  if (process.env.SHARDLINE_NODE_ADDON) candidates.push(path.resolve(process.env.SHARDLINE_NODE_ADDON));
  const root = path.join(__dirname, '..');
  candidates.push(path.join(root, 'build', 'Release', 'shardline.node'));
  candidates.push(path.join(root, 'build', 'Debug', 'shardline.node'));
  for (const file of candidates) {
    if (fs.existsSync(file)) return file;
  }
  throw new Error(
    'shardline: the native addon is not built; looked for ' + candidates.join(', ') +
      ' (run `npm install` in the package, or set SHARDLINE_NODE_ADDON)'
  );
}

const native = require(addonPath());
native.init(ParseError);

module.exports = native;
