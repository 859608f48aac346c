#!/usr/bin/env bash
# .ci/test-aarch64.sh - cross-build shardline for AArch64 and run every meson
# test under qemu-user, so the NEON kernels are checked on an x86-64 machine.
#
#   .ci/test-aarch64.sh              configure build/aarch64, build, meson test
#   .ci/test-aarch64.sh --build-only configure and build (./run test then runs
#                                    the tests itself, to count them)
#
# The cross compilers and qemu come from Debian's packages when missing
# (sudo when not root). meson and ninja come from PATH or from the .venv that
# ./run sets up. Every meson test runs, through the cross file's exe_wrapper
# (qemu-aarch64); the results are in build/aarch64/meson-logs/testlog.json.
# The suite takes about 3 minutes on 2 idle cores, most of it
# test_robustness, test_number, test_utf8 and test_kernels; timeouts are
# stretched because qemu runs code several times slower.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dir="$root/build/aarch64"
cross="$root/.ci/cross/aarch64-linux-gnu.ini"

log() { printf '\n== %s\n' "$*"; }

# quiet CMD...: run CMD, showing its output only when it fails.
quiet() {
    local out
    if ! out=$("$@" 2>&1); then
        printf '%s\n' "$out"
        return 1
    fi
}

if [ -x "$root/.venv/bin/meson" ]; then
    export PATH="$root/.venv/bin:$PATH"
fi

# The C and C++ cross compilers (C++ for the header_alone_cpp test), the
# AArch64 libc, and qemu-user for qemu-aarch64.
setup_cross() {
    if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 &&
        command -v aarch64-linux-gnu-g++ >/dev/null 2>&1 &&
        command -v qemu-aarch64 >/dev/null 2>&1 &&
        [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; then
        return 0
    fi
    log "AArch64 cross compilers and qemu-user from Debian"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
        gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user >/dev/null
}

setup_cross

log "build: aarch64 (cross, tests under qemu-aarch64)"
opts=(--cross-file "$cross" -Dwerror=true -Dbuildtype=debugoptimized -Dfuzzing_engine=none)
if [ -f "$dir/build.ninja" ]; then
    quiet meson setup --reconfigure "$dir" "${opts[@]}"
else
    quiet meson setup "$dir" "${opts[@]}"
fi
quiet ninja -C "$dir"

[ "${1:-}" = "--build-only" ] && exit 0

log "meson test (aarch64)"
meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier 3
