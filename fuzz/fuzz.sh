#!/usr/bin/env bash
# fuzz/fuzz.sh - build, replay and run shardline's libFuzzer targets; coverage.
#
#   fuzz/fuzz.sh ci [SECONDS]            replay every corpus and regression, then fuzz
#                                        each target SECONDS (default 60) on a scratch
#                                        copy of its corpus; non-zero on any crash,
#                                        leak or timeout
#   fuzz/fuzz.sh run [SECONDS] [JOBS]    fuzz every target SECONDS (default 3600), JOBS
#                                        at a time (default: the number of cores), and
#                                        merge new coverage into fuzz/corpus/<name>
#   fuzz/fuzz.sh coverage                source-based coverage of core/ from the meson
#                                        tests and every corpus and regression input
#
# meson and ninja come from PATH (./run puts .venv/bin there); clang-19 and
# llvm-19 from Debian. Builds: build/fuzz (ASan + UBSan + libFuzzer) and
# build/coverage. Crash, leak and timeout inputs go to build/fuzz/artifacts.
# FUZZ_TARGETS="fuzz_json fuzz_base64" limits ci and run to some targets;
# FUZZ_JOBS sets the parallelism of ci (default: the number of cores).
# Inputs: fuzz/corpus/<name>/ and tests/data/fuzz-regressions/<name>/, where
# <name> is the target without fuzz_ (json for fuzz_json).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

all_targets=(fuzz_event fuzz_json fuzz_base64 fuzz_dynamodb fuzz_in_place fuzz_differential fuzz_alloc)
if [ -n "${FUZZ_TARGETS:-}" ]; then
    read -r -a targets <<<"$FUZZ_TARGETS"
else
    targets=("${all_targets[@]}")
fi

# clang-19 unless FUZZ_CC says otherwise (an exported CC=gcc must not leak in).
cc=${FUZZ_CC:-clang-19}
builddir="$root/build/fuzz"
artifacts="$builddir/artifacts"
dict="$root/fuzz/shardline.dict"
corpora="$root/fuzz/corpus"
regressions="$root/tests/data/fuzz-regressions"
cores=$(nproc 2>/dev/null || echo 2)

# Sanitizer behaviour for every run: leaks and UB are errors, with stacks.
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0:symbolize=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

log() { printf '\n== %s\n' "$*"; }
die() { printf 'fuzz.sh: %s\n' "$*" >&2; exit 2; }

need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH (./run setup installs meson, ninja and clang-19)"
    done
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# setup_build DIR [meson options...]: configure (or reconfigure) DIR with $cc and build it.
setup_build() {
    local dir=$1
    shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        rm -rf "$dir"
        CC="$cc" meson setup "$dir" "$@" >/dev/null
    fi
    ninja -C "$dir" >/dev/null
}

build_fuzzers() {
    need meson ninja "$cc"
    log "build: $cc, libFuzzer, ASan + UBSan (build/fuzz)"
    setup_build "$builddir" \
        -Dfuzzing_engine=libfuzzer \
        -Db_sanitize=address,undefined \
        -Db_lundef=false \
        -Dc_args=-fno-sanitize-recover=all \
        -Dtests=false \
        -Dcli=false \
        -Dbench_simdjson=disabled \
        -Dbuildtype=debugoptimized
    local t
    for t in "${targets[@]}"; do
        [ -x "$builddir/fuzz/$t" ] || die "target $t was not built (expected build/fuzz/fuzz/$t)"
    done
    [ -f "$dict" ] || die "dictionary $dict missing"
    mkdir -p "$artifacts"
}

# corpus_of / regressions_of TARGET: where its committed inputs live. The
# folders are named after the target without its fuzz_ prefix
# (fuzz/corpus/json for fuzz_json); a folder with the full name wins.
corpus_of() {
    if [ -d "$corpora/$1" ]; then echo "$corpora/$1"; else echo "$corpora/${1#fuzz_}"; fi
}
regressions_of() {
    if [ -d "$regressions/$1" ]; then echo "$regressions/$1"; else echo "$regressions/${1#fuzz_}"; fi
}

# inputs_of TARGET: the committed corpus and regression folders that exist.
inputs_of() {
    local d
    for d in "$(corpus_of "$1")" "$(regressions_of "$1")"; do
        [ -d "$d" ] && printf '%s\n' "$d"
    done
    return 0
}

# files_in DIR...: every input file (hidden files such as .gitkeep left out),
# NUL-separated, in name order.
files_in() {
    find "$@" -type f ! -name '.*' -print0 | sort -z
}

# classify LOG RC: one word for how a libFuzzer run ended.
classify() {
    local log=$1 rc=$2
    if grep -q 'ERROR: libFuzzer: timeout' "$log"; then echo timeout
    elif grep -q 'ERROR: LeakSanitizer' "$log"; then echo leak
    elif grep -q 'ERROR: libFuzzer: out-of-memory' "$log"; then echo out-of-memory
    elif grep -qE 'ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer: deadly signal)|runtime error:' "$log"; then echo crash
    elif [ "$rc" -ne 0 ]; then echo "failed(rc=$rc)"
    else echo ok
    fi
}

# artifacts_in LOG: the crash/leak/timeout inputs libFuzzer wrote, one a line.
artifacts_in() {
    sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$1" | sort -u
}

# replay TARGET LOG: run TARGET once on every committed corpus and regression
# input (each file as a plain argument). Returns libFuzzer's status.
replay() {
    local t=$1 out=$2 bin="$builddir/fuzz/$1"
    local -a dirs
    mapfile -t dirs < <(inputs_of "$t")
    : >"$out"
    [ ${#dirs[@]} -gt 0 ] || return 0
    # xargs: several batches of files if the list is long; 123 if any failed.
    files_in "${dirs[@]}" |
        xargs -0 -r "$bin" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
            -artifact_prefix="$artifacts/$t-" >>"$out" 2>&1
}

# fuzz_one TARGET SECONDS CORPUS LOG: fuzz TARGET with CORPUS as the working
# corpus (new inputs are written there) and the regressions as extra seeds.
fuzz_one() {
    local t=$1 seconds=$2 corpus=$3 out=$4 bin="$builddir/fuzz/$1"
    local -a extra=()
    local reg
    reg=$(regressions_of "$t")
    [ -d "$reg" ] && extra+=("$reg")
    local rc=0
    # The outer timeout only guards against a wedged process; libFuzzer
    # stops itself after -max_total_time and reports hangs via -timeout.
    timeout --kill-after=30 $((seconds + 300)) \
        "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -detect_leaks=1 -dict="$dict" -print_final_stats=1 \
            -artifact_prefix="$artifacts/$t-" \
            "$corpus" "${extra[@]}" >"$out" 2>&1 || rc=$?
    echo "$rc" >"$out.rc"
    return 0
}

# summary TARGET SECONDS LOG: one line from libFuzzer's output.
summary() {
    local t=$1 seconds=$2 out=$3
    local rc status execs last cov ft corp took
    rc=$(cat "$out.rc" 2>/dev/null || echo 1)
    status=$(classify "$out" "$rc")
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$out" | tail -n1)
    if [ -z "$execs" ]; then
        execs=$(grep -oE '^#[0-9]+' "$out" | tail -n1 | tr -d '#')
    fi
    last=$(grep -E '^#[0-9]+.*cov: ' "$out" | tail -n1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
    # "Done N runs in S second(s)": the time the run really took.
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out" | tail -n1)
    printf '%-18s %-8s %5ss %10s execs  cov %-6s ft %-6s corpus %s\n' \
        "$t" "$status" "${took:-$seconds}" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}"
    [ "$status" = ok ]
}

# run_parallel JOBS FUNCTION: run "FUNCTION target" for every target, at most
# JOBS at a time, and wait for all of them.
run_parallel() {
    local jobs=$1 fn=$2 t running=0
    for t in "${targets[@]}"; do
        if [ "$running" -ge "$jobs" ]; then
            wait -n || true
            running=$((running - 1))
        fi
        echo "   start $t"
        "$fn" "$t" &
        running=$((running + 1))
    done
    wait || true
}

report_artifacts() {
    local out=$1 a
    while IFS= read -r a; do
        [ -n "$a" ] && echo "   artifact: $a"
    done < <(artifacts_in "$out")
    return 0
}

cmd_ci() {
    local seconds=${1:-60}
    is_uint "$seconds" || die "ci: SECONDS must be a whole number"
    local jobs=${FUZZ_JOBS:-$cores}
    is_uint "$jobs" && [ "$jobs" -ge 1 ] || die "FUZZ_JOBS must be a positive number"
    local start=$SECONDS
    build_fuzzers
    local logs="$builddir/logs"
    rm -rf "$logs" "$builddir/ci"
    mkdir -p "$logs"
    local -a failed=()
    local t n

    log "replay: every corpus and regression input once"
    for t in "${targets[@]}"; do
        if replay "$t" "$logs/$t.replay.log"; then
            n=$(grep -c '^Executed ' "$logs/$t.replay.log" || true)
            printf '%-18s ok       %s inputs\n' "$t" "$n"
        else
            printf '%-18s %-8s see %s\n' "$t" "$(classify "$logs/$t.replay.log" 1)" "${logs#"$root"/}/$t.replay.log"
            sed -n 's/^Running: \(.*\)$/   input: \1/p' "$logs/$t.replay.log" | tail -n1
            report_artifacts "$logs/$t.replay.log"
            failed+=("$t (replay)")
        fi
    done

    log "fuzz: ${seconds}s per target, $jobs at a time, on scratch copies of fuzz/corpus"
    ci_job() {
        local t=$1 work="$builddir/ci/$1"
        mkdir -p "$work"
        local seeds
        seeds=$(corpus_of "$t")
        if [ -d "$seeds" ]; then cp -R "$seeds/." "$work/"; fi
        fuzz_one "$t" "$seconds" "$work" "$logs/$t.fuzz.log"
    }
    run_parallel "$jobs" ci_job

    log "summary (logs in ${logs#"$root"/})"
    for t in "${targets[@]}"; do
        if ! summary "$t" "$seconds" "$logs/$t.fuzz.log"; then
            failed+=("$t")
            report_artifacts "$logs/$t.fuzz.log"
            echo "   log: ${logs#"$root"/}/$t.fuzz.log"
        fi
    done
    echo
    echo "fuzz ci: ${#targets[@]} targets, ${#failed[@]} failed, $((SECONDS - start))s"
    if [ ${#failed[@]} -gt 0 ]; then
        echo "failed: ${failed[*]}"
        return 1
    fi
}

cmd_run() {
    local seconds=${1:-3600} jobs=${2:-$cores}
    is_uint "$seconds" || die "run: SECONDS must be a whole number"
    is_uint "$jobs" && [ "$jobs" -ge 1 ] || die "run: JOBS must be a positive number"
    build_fuzzers
    local logs="$builddir/logs" scratch="$builddir/run"
    rm -rf "$scratch"
    mkdir -p "$logs" "$scratch"
    local -a failed=()
    local t before after

    log "fuzz: ${seconds}s per target, $jobs at a time"
    run_job() {
        local t=$1 work="$scratch/$1"
        mkdir -p "$work"
        local seeds
        seeds=$(corpus_of "$t")
        if [ -d "$seeds" ]; then cp -R "$seeds/." "$work/"; fi
        fuzz_one "$t" "$seconds" "$work" "$logs/$t.run.log"
    }
    run_parallel "$jobs" run_job

    log "summary (logs in ${logs#"$root"/})"
    for t in "${targets[@]}"; do
        if ! summary "$t" "$seconds" "$logs/$t.run.log"; then
            failed+=("$t")
            report_artifacts "$logs/$t.run.log"
        fi
    done

    log "merge new coverage into fuzz/corpus"
    local dest
    for t in "${targets[@]}"; do
        dest=$(corpus_of "$t")
        mkdir -p "$dest"
        before=$(files_in "$dest" | tr -cd '\0' | wc -c)
        # -merge=1 adds to the first folder only the inputs of the others
        # that bring new coverage. Crashing inputs are skipped by the merge.
        if ! "$builddir/fuzz/$t" -merge=1 -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 \
                -artifact_prefix="$artifacts/$t-" \
                "$dest" "$scratch/$t" >"$logs/$t.merge.log" 2>&1; then
            echo "$t: merge failed, see ${logs#"$root"/}/$t.merge.log"
            failed+=("$t (merge)")
            continue
        fi
        after=$(files_in "$dest" | tr -cd '\0' | wc -c)
        printf '%-18s %5d -> %5d inputs\n' "$t" "$before" "$after"
    done
    echo
    echo "fuzz run: ${#targets[@]} targets, ${#failed[@]} failed; artifacts in ${artifacts#"$root"/}"
    if [ ${#failed[@]} -gt 0 ]; then
        echo "failed: ${failed[*]}"
        return 1
    fi
}

cmd_coverage() {
    need meson ninja "$cc" llvm-profdata-19 llvm-cov-19 python3
    local dir="$root/build/coverage"
    local profiles="$dir/profiles"
    local flags="-fprofile-instr-generate -fcoverage-mapping"
    log "build: clang-19 with source-based coverage (build/coverage)"
    setup_build "$dir" \
        -Dfuzzing_engine=none \
        -Dtests=true \
        -Dcli=false \
        -Dbench_simdjson=disabled \
        -Dbuildtype=debug \
        -Dc_args="$flags" \
        -Dc_link_args=-fprofile-instr-generate \
        -Dcpp_args="$flags" \
        -Dcpp_link_args=-fprofile-instr-generate
    rm -rf "$profiles" "$dir/html"
    mkdir -p "$profiles"
    export LLVM_PROFILE_FILE="$profiles/%p-%m.profraw"

    # exported_symbols is left out: the profile runtime itself exports
    # __start___llvm_prf_* symbols from the instrumented shared library.
    log "meson test (build/coverage; all tests but exported_symbols)"
    local rc=0
    local -a tests
    mapfile -t tests < <(meson test -C "$dir" --list 2>/dev/null | sed 's/^[^:]*://' | grep -vx exported_symbols)
    meson test -C "$dir" --num-processes "$cores" --timeout-multiplier 4 "${tests[@]}" \
        >"$dir/meson-test.log" 2>&1 || rc=$?
    tail -n 12 "$dir/meson-test.log"
    [ "$rc" -eq 0 ] || echo "fuzz.sh: meson test failed (rc $rc); coverage is reported anyway"

    log "replay: every corpus and regression input"
    local t n
    local -a dirs
    for t in "${all_targets[@]}"; do
        [ -x "$dir/fuzz/$t" ] || die "replay target $t was not built (build/coverage/fuzz/$t)"
        mapfile -t dirs < <(inputs_of "$t")
        [ ${#dirs[@]} -gt 0 ] || continue
        n=$(files_in "${dirs[@]}" | tr -cd '\0' | wc -c)
        if files_in "${dirs[@]}" | xargs -0 -r "$dir/fuzz/$t" >"$dir/replay-$t.log" 2>&1; then
            printf '%-18s %5d inputs\n' "$t" "$n"
        else
            printf '%-18s %5d inputs, FAILED (see %s)\n' "$t" "$n" "${dir#"$root"/}/replay-$t.log"
            rc=1
        fi
    done
    unset LLVM_PROFILE_FILE

    log "merge profiles"
    find "$profiles" -name '*.profraw' -size +0 -print0 | xargs -0 llvm-profdata-19 merge -sparse -o "$dir/coverage.profdata"
    # Every instrumented executable of the build (tests, replay mains).
    local -a objects
    mapfile -t objects < <(meson introspect "$dir" --targets | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["type"] == "executable":
        print(*t["filename"], sep="\n")' | sort -u)
    local -a objargs=("${objects[0]}")
    local o
    for o in "${objects[@]:1}"; do
        objargs+=(-object "$o")
    done

    log "llvm-cov report: core/"
    llvm-cov-19 report -instr-profile="$dir/coverage.profdata" "${objargs[@]}" \
        -show-region-summary=false -show-instantiation-summary=false \
        "$root/core" | tee "$dir/report.txt" | sed "s|$root/||"
    llvm-cov-19 show -format=html -output-dir="$dir/html" -show-branches=count \
        -show-line-counts-or-regions -instr-profile="$dir/coverage.profdata" \
        "${objargs[@]}" "$root/core" >/dev/null
    local total
    total=$(grep '^TOTAL' "$dir/report.txt")
    python3 - "$total" <<'EOF'
import sys
# TOTAL  functions missed cover  lines missed cover  branches missed cover
f = sys.argv[1].split()
print(f"coverage of core/: lines {f[6]} ({int(f[4]) - int(f[5])}/{f[4]}), "
      f"branches {f[9]} ({int(f[7]) - int(f[8])}/{f[7]}), functions {f[3]}")
EOF
    echo "HTML report: ${dir#"$root"/}/html/index.html"
    return "$rc"
}

case "${1:-}" in
    ci) shift; cmd_ci "$@" ;;
    run) shift; cmd_run "$@" ;;
    coverage) shift; cmd_coverage "$@" ;;
    *)
        sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
