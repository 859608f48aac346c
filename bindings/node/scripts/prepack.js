#!/usr/bin/env node
'use strict';
// prepack.js - make the package self-contained before `npm pack` / `npm publish`.
//
// The user who installs the tarball has no SWIG and no repository, so this
// copies in what node-gyp needs to build there:
//   src/shardline_wrap.cxx     the SWIG -napi wrapper (swig from PATH or $SWIG)
//   native/core/               core/include and every .c/.h under core/src
//   native/include/            shardline_version.h as meson generates it
//   native/sources.gypi        the core's sources and per-file flags, taken from
//                              meson's compile_commands.json, so ISA folders added
//                              later (core/src/arch/<isa>/ with -mavx2 & co.) come
//                              along without editing this script
// The meson configure goes to <repo>/build/node-pack (no compilation).
// postpack.js removes the generated files again.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');
const repo = path.resolve(process.env.SHARDLINE_REPO || path.join(pkg, '..', '..'));
const core = path.join(repo, 'core');
const native = path.join(pkg, 'native');

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
}

if (!fs.existsSync(path.join(core, 'include', 'shardline.h'))) {
  if (fs.existsSync(path.join(native, 'sources.gypi'))) process.exit(0); // already prepared
  console.error(`prepack: no shardline repository at ${repo} (set SHARDLINE_REPO)`);
  process.exit(1);
}

// 1. The SWIG wrapper.
run(process.env.SWIG || 'swig', [
  '-c++', '-javascript', '-napi',
  '-I' + path.join(core, 'include'), '-I' + path.join(pkg, 'src'),
  '-o', path.join(pkg, 'src', 'shardline_wrap.cxx'), path.join(pkg, 'shardline.i'),
]);

// 2. meson's view of the core: version header and per-file compile commands.
const builddir = path.join(repo, 'build', 'node-pack');
const meson = process.env.MESON || 'meson';
const setupArgs = ['-Dtests=false', '-Dcli=false', '-Dnode=disabled', '-Dpython=disabled', '-Dbuildtype=release'];
if (fs.existsSync(path.join(builddir, 'build.ninja'))) {
  run(meson, ['setup', '--reconfigure', builddir, repo, ...setupArgs], { stdio: ['ignore', 'ignore', 'inherit'] });
} else {
  run(meson, ['setup', builddir, repo, ...setupArgs], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const commands = JSON.parse(fs.readFileSync(path.join(builddir, 'compile_commands.json'), 'utf8'));

// Flags that make a file's build differ from the baseline: ISA options (-m...)
// and defines other than meson's own.
const MESON_DEFINES = new Set(['-D_FILE_OFFSET_BITS=64', '-DNDEBUG', '-D_GLIBCXX_ASSERTIONS=1']);
const perFile = new Map(); // relative path under core/ -> sorted special flags
for (const entry of commands) {
  const file = path.resolve(entry.directory, entry.file);
  if (!file.startsWith(path.join(core, 'src') + path.sep) || !file.endsWith('.c')) continue;
  const args = entry.arguments || entry.command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g);
  const special = args.filter((a) => (/^-m/.test(a) || /^-D/.test(a)) && !MESON_DEFINES.has(a)).sort();
  const rel = path.relative(core, file).split(path.sep).join('/');
  const prev = perFile.get(rel);
  if (prev === undefined || special.length > prev.length) perFile.set(rel, special);
}
if (perFile.size === 0) {
  console.error('prepack: no core sources found in compile_commands.json');
  process.exit(1);
}
const groups = new Map(); // flags key -> {flags, sources}
for (const [rel, flags] of [...perFile].sort()) {
  const key = flags.join(' ');
  if (!groups.has(key)) groups.set(key, { flags, sources: [] });
  groups.get(key).sources.push('core/' + rel); // relative to native/, as gyp reads includes
}

// 3. Copy the core and the generated version header.
fs.rmSync(native, { recursive: true, force: true });
function copyTree(from, to, keep) {
  for (const ent of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, ent.name);
    const dst = path.join(to, ent.name);
    if (ent.isDirectory()) copyTree(src, dst, keep);
    else if (keep(ent.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}
copyTree(path.join(core, 'include'), path.join(native, 'core', 'include'), (n) => n.endsWith('.h'));
copyTree(path.join(core, 'src'), path.join(native, 'core', 'src'), (n) => /\.(c|h)$/.test(n));
fs.mkdirSync(path.join(native, 'include'), { recursive: true });
fs.copyFileSync(path.join(builddir, 'core', 'shardline_version.h'), path.join(native, 'include', 'shardline_version.h'));
fs.copyFileSync(path.join(repo, 'LICENSE'), path.join(pkg, 'LICENSE'));

// 4. native/sources.gypi: one static library per flag set. ISA flags only
// mean something on the architecture family this was packed on; elsewhere
// those libraries are left empty (dispatch.c guards its tables by arch too).
const packArch = { x64: 'x64', arm64: 'arm64', ia32: 'ia32' }[process.arch] || process.arch;
const targets = [];
let i = 0;
for (const { flags, sources } of groups.values()) {
  const name = flags.length === 0 ? 'shardline_core' : `shardline_core_${++i}`;
  const target = {
    target_name: name,
    type: 'static_library',
    sources,
    include_dirs: ['include', 'core/include', 'core', 'core/src'],
    cflags_c: ['-std=c11', '-fvisibility=hidden', ...flags],
    xcode_settings: { OTHER_CFLAGS: ['-std=c11', '-fvisibility=hidden', ...flags] },
  };
  if (flags.some((f) => f.startsWith('-m'))) {
    target.conditions = [[`target_arch!="${packArch}"`, { type: 'none', 'sources!': sources }]];
  }
  targets.push(target);
}
const gypi = {
  variables: { shardline_core_libs: targets.map((t) => t.target_name) },
  targets,
};
fs.writeFileSync(
  path.join(native, 'sources.gypi'),
  '# Generated by scripts/prepack.js from meson\'s compile_commands.json; do not edit.\n' +
    JSON.stringify(gypi, null, 2) + '\n'
);
console.log(`prepack: ${perFile.size} core sources in ${targets.length} flag group(s), packed on ${packArch}`);
