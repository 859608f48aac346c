#!/bin/sh
# check_deterministic.sh - proves gen_workload output depends only on its arguments.
# usage: check_deterministic.sh GEN_WORKLOAD
set -eu
gen=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM

# Separate processes catch what one process could hide (address-dependent
# output, uninitialised memory); stdout and --out must agree as well.
"$gen" kinesis 500 42 --out "$dir/a.json"
"$gen" kinesis 500 42 --out "$dir/b.json"
"$gen" kinesis 500 42 > "$dir/c.json"
"$gen" kinesis 500 43 --out "$dir/d.json"
"$gen" kinesis 500 --out "$dir/default1.json"
"$gen" kinesis 500 1 --out "$dir/seed1.json"

cmp "$dir/a.json" "$dir/b.json"
cmp "$dir/a.json" "$dir/c.json"
cmp "$dir/default1.json" "$dir/seed1.json"
if cmp -s "$dir/a.json" "$dir/d.json"; then
    echo "seeds 42 and 43 produced the same event" >&2
    exit 1
fi
test -s "$dir/a.json"
echo "gen_workload is deterministic ($(wc -c < "$dir/a.json") bytes for 500 records)"
