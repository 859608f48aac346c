#!/usr/bin/env bash
# tests/emu/avx512_tests.sh - the avx512 kernels' real instructions on a
# machine without AVX-512: static builds of the tests that reach the kernels,
# each run under Bochs (bochs_run.sh, CPU model tigerlake) with
# SHARDLINE_FORCE_IMPL=avx512. First it checks that the emulated CPU lists
# avx512, so the forced runs cannot quietly fall back to another
# implementation.
#
#   tests/emu/avx512_tests.sh      (./run test-avx512 sets up meson first)
#
# The emulated CPU is about a hundred times slower than the host: test_kernels
# takes about 5 minutes, the whole script about 10. Needs meson and ninja on
# PATH; bochs_run.sh installs the rest from Debian's packages.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build/emu-static"
tests=(test_kernels test_base64 test_kinesis test_dynamodb test_api test_dispatch)

if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$root" -Dbuildtype=release -Ddefault_library=static \
        -Dc_link_args=-static -Dbench_simdjson=disabled -Dcli=false >/dev/null
fi
ninja -C "$build" "${tests[@]/#/tests/}" >/dev/null

run() {
    "$here/bochs_run.sh" --timeout 3600 --env SHARDLINE_FORCE_IMPL=avx512 \
        --env SHARDLINE_TEST_DATA="$root/tests/data" --file "$root/tests/data" "$@"
}

echo "== implementations on the emulated CPU"
list=$("$here/bochs_run.sh" --timeout 900 "$build/tests/test_dispatch" --list | tr -d '\r')
echo "$list"
if ! grep -qx avx512 <<<"$list"; then
    echo "avx512_tests: the emulated CPU does not list avx512" >&2
    exit 1
fi

failed=()
for t in "${tests[@]}"; do
    echo "== $t, avx512 kernels, under Bochs"
    start=$SECONDS
    if run "$build/tests/$t"; then
        echo "   ok ($((SECONDS - start)) s)"
    else
        echo "   FAILED ($((SECONDS - start)) s)"
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "avx512_tests: failed: ${failed[*]}"
    exit 1
fi
echo "avx512_tests: ${#tests[@]} passed under Bochs"
