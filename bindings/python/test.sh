#!/usr/bin/env bash
# test.sh OUT.xml - build the Python binding, prove `pip install .` works, run its tests.
#
#   1. pip builds a wheel from the repository (meson-python, static core,
#      python-runtime files only) and installs it into a throwaway target
#      under build/python-binding/site;
#   2. pytest runs bindings/python/tests against that installed copy;
#   3. the extension is rebuilt with AddressSanitizer + UBSan (-Werror) and
#      the API, error and compat tests run again under it (libasan preloaded,
#      PYTHONMALLOC=malloc so Python's own objects are checked too);
#   4. both JUnit reports are merged into OUT.xml. Exits non-zero on any failure.
#
# Run from anywhere, with python3/pip being the venv of requirements-dev.txt.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUT.xml" >&2
    exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work="$root/build/python-binding"
mkdir -p "$work"
cd "$root"

log() { printf '\n== python binding: %s\n' "$*"; }
status=0

log "pip wheel . (meson-python)"
rm -rf "$work/wheel" "$work/site"
python3 -m pip wheel . --no-build-isolation --no-deps --disable-pip-version-check -q \
    --config-settings=build-dir="$work/wheel-build" -w "$work/wheel"
wheel=$(ls "$work"/wheel/shardline-*.whl)
python3 - "$wheel" <<'EOF'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
bad = [n for n in names if n.endswith((".h", ".a", ".pc")) or "/include/" in n or "/lib/" in n]
assert not bad, f"C development files in the wheel: {bad}"
assert any(n.startswith("shardline/_core.") for n in names), names
print(f"{sys.argv[1].rsplit('/', 1)[-1]}: {len(names)} files, no C headers/libraries")
EOF
python3 -m pip install --no-deps --disable-pip-version-check -q --target "$work/site" "$wheel"
PYTHONPATH="$work/site" python3 -c 'import shardline; assert shardline.loads(b"[1]") == [1]; print("import ok:", shardline.__version__, shardline.implementation())'

# A development build with sanitizers: the extension, and gen_workload for the bench smoke test.
log "meson build with AddressSanitizer + UBSan"
asan="$work/asan"
opts=(-Dpython=enabled -Dtests=false -Dcli=false -Ddefault_library=static -Dwerror=true
      -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false
      -Dc_args=-fno-sanitize-recover=all)
if [ -f "$asan/build.ninja" ]; then
    meson setup --reconfigure "$asan" "${opts[@]}" >/dev/null
else
    meson setup "$asan" "${opts[@]}" >/dev/null
fi
ninja -C "$asan" python-extension bench/gen_workload >/dev/null
export SHARDLINE_GEN_WORKLOAD="$asan/bench/gen_workload"

log "pytest (installed wheel)"
set +e
PYTHONPATH="$work/site" python3 -m pytest -q bindings/python/tests -p no:cacheprovider \
    -o junit_suite_name=python-binding --junitxml="$work/wheel.xml"
[ $? -eq 0 ] || status=1
set -e

# The sanitized extension next to the package's Python files.
pkg="$work/asan-site/shardline"
rm -rf "$work/asan-site"
mkdir -p "$pkg/compat"
cp python/shardline/*.py python/shardline/py.typed "$pkg/"
cp python/shardline/compat/*.py "$pkg/compat/"
cp "$asan"/bindings/python/_core*.so "$asan"/bindings/python/core.py "$pkg/"

log "pytest under AddressSanitizer + UBSan"
preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
set +e
PYTHONPATH="$work/asan-site" LD_PRELOAD="$preload" PYTHONMALLOC=malloc \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    SHARDLINE_HYPOTHESIS_SCALE=0.2 python3 -m pytest -q bindings/python/tests/test_api.py bindings/python/tests/test_errors.py \
    bindings/python/tests/test_compat.py bindings/python/tests/test_differential.py \
    bindings/python/tests/test_builder.py bindings/python/tests/test_decimals.py \
    -p no:cacheprovider -o junit_suite_name=python-binding-asan --junitxml="$work/asan.xml"
[ $? -eq 0 ] || status=1
set -e

python3 - "$out" "$work/wheel.xml" "$work/asan.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
merged = ET.Element("testsuites")
for path in sys.argv[2:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for suite in ([root] if root.tag == "testsuite" else list(root)):
        name = suite.get("name", "")
        for case in suite.iter("testcase"):
            case.set("classname", f"{name}.{case.get('classname', '')}")
        merged.append(suite)
ET.ElementTree(merged).write(sys.argv[1], encoding="utf-8", xml_declaration=True)
EOF
exit $status
