#!/bin/bash -eu
# OSS-Fuzz build script for shardline (projects/shardline/build.sh in
# google/oss-fuzz; the master copy is fuzz/oss-fuzz/build.sh in shardline).
#
# Environment, set by OSS-Fuzz: $SRC (the checkout is $SRC/shardline), $OUT
# (targets, seed corpora, dictionaries), $WORK (scratch), $CC, $CXX, $CFLAGS,
# $CXXFLAGS, $LIB_FUZZING_ENGINE, $SANITIZER.
#
# Produces in $OUT, for every target fuzz/<name> of the meson build:
#   <name>                    the target, linked with $LIB_FUZZING_ENGINE
#   <name>_seed_corpus.zip    fuzz/corpus/<short>/ plus the regression inputs
#                             of tests/data/fuzz-regressions/<short>/, where
#                             <short> is <name> without its fuzz_ prefix
#   <name>.dict               fuzz/shardline.dict
set -euo pipefail

src="$SRC/shardline"
work="${WORK:-$(mktemp -d)}"
build="$work/shardline-build"

# meson and ninja, pinned as in requirements-dev.txt, if the image lacks them
# (or has a meson older than the project's meson_version).
need_tools=0
if ! command -v ninja >/dev/null 2>&1 || ! command -v meson >/dev/null 2>&1; then
    need_tools=1
elif [ "$(printf '%s\n' 1.1.0 "$(meson --version)" | sort -V | head -n1)" != 1.1.0 ]; then
    need_tools=1
fi
if [ "$need_tools" -eq 1 ]; then
    pip3 install --quiet --disable-pip-version-check \
        $(grep -E '^(meson|ninja)==' "$src/requirements-dev.txt")
fi

# $CC and $CFLAGS come from the environment (meson reads them at setup);
# buildtype=plain so that $CFLAGS alone decide optimisation and debug info;
# b_ndebug=false keeps assert() live (plain would otherwise define NDEBUG).
# default_library stays 'both': core/meson.build takes the static half of
# the library (get_static_lib()) for the internal dependency the targets
# link, which a static-only build does not have. The targets are linked
# statically either way; the shared library is built but not shipped.
rm -rf "$build"
meson setup "$build" "$src" \
    -Dbuildtype=plain \
    -Db_ndebug=false \
    -Ddefault_library=both \
    -Db_lundef=false \
    -Dtests=false \
    -Dcli=false \
    -Dbench_simdjson=disabled \
    -Dfuzzing_engine=oss-fuzz \
    -Dfuzzer_ldflags="$LIB_FUZZING_ENGINE"
ninja -C "$build"

targets=$(find "$build/fuzz" -maxdepth 1 -type f -executable -name 'fuzz_*' -printf '%f\n' | sort)
if [ -z "$targets" ]; then
    echo "build.sh: no fuzz targets in $build/fuzz" >&2
    exit 1
fi

for target in $targets; do
    cp "$build/fuzz/$target" "$OUT/$target"
    cp "$src/fuzz/shardline.dict" "$OUT/$target.dict"

    # Committed inputs live in folders named without the fuzz_ prefix
    # (fuzz/corpus/json for fuzz_json); a folder with the full name wins.
    name=$target
    [ -d "$src/fuzz/corpus/$name" ] || name=${target#fuzz_}
    seeds="$work/seeds/$target"
    rm -rf "$seeds"
    mkdir -p "$seeds"
    if [ -d "$src/fuzz/corpus/$name" ]; then
        find "$src/fuzz/corpus/$name" -type f ! -name '.*' -exec cp -t "$seeds" {} +
    fi
    regressions="$src/tests/data/fuzz-regressions/$name"
    if [ -d "$regressions" ]; then
        find "$regressions" -type f ! -name '.*' -print0 |
            while IFS= read -r -d '' f; do
                cp "$f" "$seeds/regression-$(basename "$f")"
            done
    fi
    rm -f "$OUT/${target}_seed_corpus.zip"
    if [ -n "$(ls -A "$seeds")" ]; then
        (cd "$seeds" && zip -q -X -r "$OUT/${target}_seed_corpus.zip" .)
    fi
    echo "build.sh: $target ($(ls "$seeds" | wc -l) seeds)"
done
