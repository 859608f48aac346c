#!/usr/bin/env node
'use strict';
// postpack.js - remove what prepack.js generated, so the checkout stays clean.
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');
if (fs.existsSync(path.join(pkg, '..', '..', 'core', 'include', 'shardline.h'))) {
  fs.rmSync(path.join(pkg, 'native'), { recursive: true, force: true });
  fs.rmSync(path.join(pkg, 'src', 'shardline_wrap.cxx'), { force: true });
  fs.rmSync(path.join(pkg, 'LICENSE'), { force: true });
}
