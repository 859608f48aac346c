#!/usr/bin/env bash
# test.sh OUT.xml - build the Node addon and run every Node test, JUnit XML to OUT.xml.
#
# Run by the repo's `./run test` from the repo root with .venv/bin (meson,
# ninja, swig) on PATH. npm ci installs the pinned devDependencies, meson
# builds the addon against the installed Node's headers into build/node-test,
# and node:test runs test/*.test.js (spec report to stdout, JUnit to OUT.xml).
# Exits non-zero on any failure. SHARDLINE_SKIP_PACK=1 skips the npm pack test.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUT.xml" >&2
    exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$1
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
mkdir -p "$(dirname "$out")"
[ -d "$root/.venv/bin" ] && export PATH="$PATH:$root/.venv/bin"

build="$root/build/node-test"
cd "$here"

echo "== npm ci"
npm ci --no-audit --no-fund --loglevel=error

echo "== meson: the addon and gen_workload in $build"
opts=(-Dnode=enabled -Dtests=false -Dcli=false -Dwerror=true -Dbuildtype=debugoptimized)
if [ -f "$build/build.ninja" ]; then
    meson setup --reconfigure "$build" "$root" "${opts[@]}" >/dev/null
else
    meson setup "$build" "$root" "${opts[@]}" >/dev/null
fi
ninja -C "$build" bindings/node/shardline.node bench/gen_workload

export SHARDLINE_NODE_ADDON="$build/bindings/node/shardline.node"
export GEN_WORKLOAD="$build/bench/gen_workload"

echo "== node --test"
node --test \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination="$out" \
    test/*.test.js
