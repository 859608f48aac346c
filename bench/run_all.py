#!/usr/bin/env python3
"""run_all.py - the C, Python and Node benchmarks on the same events, one report: latest.md and latest.png.

`./run bench` builds what this needs and calls it; it can also be run alone
once build/release (bench_core, gen_workload, the CLI), the Python package and
the Node addon are built:

    bench/run_all.py --release build/release --python-path build/bench/python-site \\
        --node-addon build/bench/bindings/node/shardline.node [--quick] [--out DIR]

Workloads: gen_workload's Kinesis events of 100 and 10,000 records and
DynamoDB events of 100 and 1,000 records (--quick: 100/1,000 and 100/300),
and the AWS documentation's sample events from tests/data. Each bench checks
its peers' results equal shardline's before timing and interleaves them;
this script only runs them, reads their --json reports and writes
DIR/latest.md (tables, Lambda cost) and DIR/latest.png (speed-ups), with
the raw reports and logs in DIR/raw/. Nothing is hard-coded: a peer that did
not run shows as "not measured".
"""
import argparse
import datetime
import json
import math
import os
import re
import shlex
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = {
    "kinesis": os.path.join(REPO, "tests", "data", "kinesis", "aws-docs-sample.json"),
    "dynamodb": os.path.join(REPO, "tests", "data", "dynamodb", "aws-docs-sample.json"),
}

# Lambda x86 price per GB-second and the memory size that gives one full vCPU.
LAMBDA_PRICE_GB_S = 0.0000166667
LAMBDA_MEMORY_MB = 1769


def lambda_cost_per_million(ns_per_record):
    """Compute cost in USD of 10^6 records at ns_per_record on a 1,769 MB Lambda."""
    return ns_per_record * 1e-9 * 1e6 * (LAMBDA_MEMORY_MB / 1024) * LAMBDA_PRICE_GB_S


# ---- running the benches -----------------------------------------------------------

def run(cmd, log_path, env=None):
    """Run cmd, its stdout and stderr to log_path; raise with the log's tail on failure."""
    started = time.monotonic()
    print(f"  $ {' '.join(shlex.quote(c) for c in cmd)}", flush=True)
    with open(log_path, "w") as log:
        rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO).returncode
    if rc != 0:
        tail = open(log_path).read()[-3000:]
        raise SystemExit(f"run_all: {cmd[0]} failed (exit {rc}); log {log_path}:\n{tail}")
    print(f"    {time.monotonic() - started:.1f} s", flush=True)


def workload_key(kind, records=None):
    return f"{kind}-{records}" if records is not None else f"{kind}-aws-sample"


def generate_workloads(args, raw):
    """{key: path}: the generated events, then the AWS samples."""
    sizes = {"kinesis": (100, 1000) if args.quick else (100, 10000),
             "dynamodb": (100, 300) if args.quick else (100, 1000)}
    paths = {}
    gen = os.path.join(args.release, "bench", "gen_workload")
    for kind, counts in sizes.items():
        for n in counts:
            path = os.path.join(raw, f"{kind}-{n}.json")
            subprocess.run([gen, kind, str(n), "--out", path], check=True)
            paths[workload_key(kind, n)] = path
    for kind, path in SAMPLES.items():
        paths[workload_key(kind)] = path
    return sizes, paths


def run_core(args, raw, sizes, paths):
    out = os.path.join(raw, "core.json")
    cmd = [os.path.join(args.release, "bench", "bench_core"), "--json", out]
    if args.quick:
        cmd.append("--quick")
    cmd += [a for n in sizes["kinesis"] for a in ("--records", str(n))]
    cmd += [a for n in sizes["dynamodb"] for a in ("--dynamodb-records", str(n))]
    run(cmd, os.path.join(raw, "core.log"))
    report = json.load(open(out))
    # bench_core builds its events in memory with the generator gen_workload
    # uses: the sizes must match the files the other benches read.
    for row in report["rows"]:
        if (row["workload"] in paths and row["operation"].startswith("batch_parse")
                and row["bytes"] != os.path.getsize(paths[row["workload"]])):
            raise SystemExit(f"run_all: bench_core's {row['workload']} is {row['bytes']} bytes, "
                             f"gen_workload's file {os.path.getsize(paths[row['workload']])}")
    # bench_core only measures events it generates; the samples go through the
    # CLI's `bench` (shardline alone: parse + decode, as batch_parse).
    report["cli"] = {}
    cli = os.path.join(args.release, "core", "cli", "shardline")
    for kind in SAMPLES:
        key = workload_key(kind)
        log = os.path.join(raw, f"cli-bench-{kind}-sample.log")
        run([cli, "bench", "--seconds", "0.5" if args.quick else "3", paths[key]], log)
        report["cli"][key] = parse_cli_bench(open(log).read(), paths[key])
    return report


def parse_cli_bench(text, path):
    m = re.search(r"\((\d+) bytes, (\d+) records\)", text)
    t = re.search(r"parse \+ decode: ([\d.]+) GB/s, ([\d.]+) ns/record \(median of (\d+) rounds; "
                  r"min ([\d.]+), max ([\d.]+) GB/s\)", text)
    mem = re.search(r"batch memory: (\d+) bytes", text)
    if not (m and t):
        raise SystemExit(f"run_all: cannot read `shardline bench` output for {path}:\n{text}")
    size = int(m.group(1))
    return {"bytes": size, "records": int(m.group(2)), "median_ns": size / float(t.group(1)),
            "slowest_ns": size / float(t.group(4)), "fastest_ns": size / float(t.group(5)),
            "repetitions": int(t.group(3)), "batch_memory": int(mem.group(1)) if mem else None}


def run_python(args, raw, paths):
    out = os.path.join(raw, "python.json")
    env = dict(os.environ, PYTHONPATH=args.python_path)
    cmd = [sys.executable, os.path.join(REPO, "bench", "bench_python.py"), "--json", out]
    if args.quick:
        cmd.append("--quick")
    run(cmd + list(paths.values()), os.path.join(raw, "python.log"), env)
    return json.load(open(out))


def run_node(args, raw, sizes, paths):
    """One bench_node run per pair of events (small, large, sample); returns the reports."""
    tmp = os.path.join(raw, "node-tmp")  # bench_node's scratch files, away from other runs' /tmp
    os.makedirs(tmp, exist_ok=True)
    env = dict(os.environ, SHARDLINE_NODE_ADDON=args.node_addon, TMPDIR=tmp)
    pairs = [(workload_key("kinesis", k), workload_key("dynamodb", d))
             for k, d in zip(sizes["kinesis"], sizes["dynamodb"])]
    pairs.append((workload_key("kinesis"), workload_key("dynamodb")))
    reports = []
    for k, d in pairs:
        out = os.path.join(raw, f"node-{k}-{d}.json")
        # --min-sample-ms: the small events take microseconds a call, so a
        # sample repeats the call for 5 ms; large events still run once a sample.
        cmd = ["node", os.path.join(REPO, "bench", "bench_node.js"), "--no-strategies", "--json", out,
               "--kinesis", paths[k], "--dynamodb", paths[d], "--min-sample-ms", "5"]
        if args.quick:
            cmd.append("--quick")
        run(cmd, os.path.join(raw, f"node-{k}-{d}.log"), env)
        report = json.load(open(out))
        report["workloads"] = {"kinesis": k, "dynamodb": d}
        reports.append(report)
    return reports


# ---- one table of rows ----------------------------------------------------------------

def row(lang, workload, path, impl, role, median_ns=None, fastest_ns=None, slowest_ns=None, records=None,
        nbytes=None, memory=None, note=None):
    """role: 'shardline' (the reference of its path), 'variant' (another shardline call, no ratio), 'peer'."""
    return {"lang": lang, "workload": workload, "path": path, "impl": impl, "role": role, "median_ns": median_ns,
            "fastest_ns": fastest_ns, "slowest_ns": slowest_ns, "records": records, "bytes": nbytes,
            "memory": memory, "note": note}


CORE_PATH = "raw event -> batch (payloads decoded / images unmarshalled)"
CORE_ROLES = {  # bench_core operation -> (shown name, role)
    "batch_parse (arena, + free)": ("shardline_batch_parse", "shardline"),
    "batch_parse_in_place (copy+parse+free)": ("shardline_batch_parse_in_place (with the copy)", "variant"),
    "json_validate (whole event)": ("shardline_json_validate (validation only)", "variant"),
    "simdjson On-Demand: reach kinesis.data": ("simdjson On-Demand, reach kinesis.data (no base64)", "peer"),
    "simdjson DOM parse": ("simdjson DOM parse (no base64, no unmarshalling)", "peer"),
    "of which: memcpy of the event copy": ("memcpy of the event (lower bound)", "peer"),
}


def core_rows(core):
    rows = []
    memory = {(m["workload"], m["mode"]): m["peak_bytes"] for m in core["memory"]}
    for r in core["rows"]:
        timing = dict(median_ns=r["median_ns"], fastest_ns=r["fastest_ns"], slowest_ns=r["slowest_ns"],
                      records=r["records"], nbytes=r["bytes"])
        if r["workload"] == "base64-kernel":
            name = "shardline_base64_decode" if r["operation"].startswith("base64") else "memcpy"
            rows.append(row("C", "base64-kernel", "base64 decode, 64 KiB of text in L2", name,
                            "shardline" if name != "memcpy" else "peer", **{**timing, "records": None}))
            continue
        if r["operation"] not in CORE_ROLES:
            continue  # utf8_validate: payload bytes, not the event; in the raw log
        name, role = CORE_ROLES[r["operation"]]
        mode = {"shardline_batch_parse": "arena"}.get(name, "in-place" if "in_place" in name else None)
        mem = memory.get((r["workload"], mode)) if mode else None
        rows.append(row("C", r["workload"], CORE_PATH, name, role, **timing,
                        memory=(mem, "allocator peak") if mem is not None else None))
    for key, c in core["cli"].items():
        rows.append(row("C", key, CORE_PATH, "shardline_batch_parse (via `shardline bench`)", "shardline",
                        c["median_ns"], c["fastest_ns"], c["slowest_ns"], c["records"], c["bytes"],
                        note=f"batch memory {c['batch_memory']} B" if c["batch_memory"] else None))
        for name, role in CORE_ROLES.values():
            if role == "peer" and (key.startswith("kinesis") or "On-Demand" not in name):
                rows.append(row("C", key, CORE_PATH, name, "peer",
                                note="not measured: bench_core times only the events it generates"))
    return rows


def python_rows(py, paths):
    by_file = {os.path.basename(p): k for k, p in paths.items() if not k.endswith("aws-sample")}
    rows = []
    firsts = set()
    memory = {(m["file"], m["kind"], m["impl"]): m for m in py["memory"]}
    for t in py["timings"]:
        kind = "kinesis" if t["kind"] == "aws:kinesis" else "dynamodb"
        key = by_file.get(t["file"], workload_key(kind))
        path = re.sub(r" \(\d+ images\)$", "", t["path"])
        if (key, path) not in firsts:
            firsts.add((key, path))
            role = "shardline"
        else:
            role = "variant" if t["impl"].startswith("shardline") else "peer"
        m = memory.get((t["file"], t["kind"], {"shardline.kinesis_json(raw)": "shardline.kinesis_json"}.get(
            t["impl"], t["impl"]))) if path == "Kinesis: raw event -> payloads parsed as JSON" else None
        rows.append(row("Python", key, path, t["impl"], role, t["median_s"] * 1e9, t["min_s"] * 1e9,
                        t["max_s"] * 1e9, t["records"], t["bytes"],
                        memory=(m["tracemalloc_peak"], "tracemalloc peak") if m else None))
    return rows


def node_rows(reports):
    rows = []
    for rep in reports:
        for c in rep["cases"]:
            key = rep["workloads"][c["input"]]
            for side, role in (("shardline", "shardline"), ("peer", "peer")):
                s = c[side]
                mem = s["memory"]
                rows.append(row("Node", key, c["path"], s["impl"], role, s["median_ms"] * 1e6, s["min_ms"] * 1e6,
                                s["max_ms"] * 1e6, s["records"], s["bytes"],
                                memory=(mem["retained"], "retained after GC") if mem else None))
    return rows


def add_missing(rows, order):
    """Where a path ran on one event of a kind but not another of the same kind
    (the sample's non-JSON Kinesis payloads), or a peer ran on one but not
    another, say so instead of leaving a silent gap."""
    seen = {}
    for r in rows:
        kind = r["workload"].split("-")[0]
        seen.setdefault((r["lang"], kind, r["path"]), {}).setdefault(r["impl"], r["role"])
    have = {(r["lang"], r["workload"], r["path"], r["impl"]) for r in rows}
    have_path = {(r["lang"], r["workload"], r["path"]) for r in rows}
    for w in order:
        kind = w.split("-")[0]
        for (lang, k, path), impls in seen.items():
            if k != kind:
                continue
            if (lang, w, path) not in have_path:
                why = ("not run: the payloads are not JSON" if "JSON" in path and w.endswith("aws-sample")
                       else "not measured on this event")
                rows.append(row(lang, w, path, "(all)", "missing", note=why))
                continue
            for impl, role in impls.items():
                if role == "peer" and (lang, w, path, impl) not in have:
                    rows.append(row(lang, w, path, impl, role, note="not measured on this event"))
    return rows


# ---- the report ------------------------------------------------------------------------

def fmt_num(x, digits=3):
    """x with `digits` significant digits, in fixed notation."""
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    return f"{x:,.{decimals}f}"


def fmt_bytes(n):
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} KB"


def spread(r):
    if r["fastest_ns"] is None:
        return ""
    return f"{(r['fastest_ns'] / r['median_ns'] - 1) * 100:+.0f}%..{(r['slowest_ns'] / r['median_ns'] - 1) * 100:+.0f}%"


def reference_of(rows, r):
    for o in rows:
        if (o["lang"], o["workload"], o["path"], o["role"]) == (r["lang"], r["workload"], r["path"], "shardline"):
            return o if o["median_ns"] else None
    return None


def speedup(rows, r):
    """The peer's median time over shardline's (above 1: shardline is faster)."""
    ref = reference_of(rows, r)
    if r["role"] != "peer" or r["median_ns"] is None or ref is None:
        return None
    return r["median_ns"] / ref["median_ns"]


def describe_workload(key, rows):
    sized = [r for r in rows if r["workload"] == key and r["bytes"]]
    kind, _, n = key.partition("-")
    name = {"kinesis": "Kinesis", "dynamodb": "DynamoDB Streams", "base64": "base64 kernel"}[kind]
    if key == "base64-kernel":
        return "base64 kernel alone: 64 KiB of base64 text (L2-resident), against memcpy of the same bytes"
    if n == "aws-sample":
        src = os.path.relpath(SAMPLES[kind], REPO)
        what = f"the AWS documentation's sample event (`{src}`)"
    else:
        what = f"gen_workload {kind} {n}"
    if sized:
        what += f", {sized[0]['records']:,} records, {sized[0]['bytes']:,} bytes"
    return f"{name}: {what}"


def markdown(rows, order, meta, command, elapsed):
    out = []
    w = out.append
    w(f"# shardline benchmarks{' (quick mode: a smoke test, not figures to quote)' if meta['quick'] else ''}")
    w("")
    w(f"- date: {meta['date']}")
    w(f"- command: `{command}` ({elapsed / 60:.1f} minutes, builds excluded)")
    w(f"- CPU: {meta['cpu']}, {os.cpu_count()} cores; load average {meta['load_before']} before, "
      f"{meta['load_after']} after (a shared machine: other jobs ran too)")
    w(f"- shardline {meta['shardline']}, SIMD implementation in use: **{meta['implementation']}** "
      f"(`shardline version`; every bench reported the same)")
    w(f"- C: {meta['compiler']} `-O3` (meson release); simdjson {meta['simdjson']}")
    w(f"- Python {meta['python']} (json and base64: the standard library), " +
      ", ".join(f"{k} {v or 'NOT INSTALLED: its rows are missing'}" for k, v in meta["python_peers"].items()))
    w(f"- Node {meta['node']}, @aws-sdk/util-dynamodb {meta['util_dynamodb'] or 'NOT INSTALLED'}")
    w("")
    w("How each bench times (each checks every peer's result equals shardline's before timing):")
    w(f"C `bench_core`: {meta['core_reps']} repetitions of at least {meta['core_rep_ms']} ms each, wall clock, "
      "interleaved with the other operations and peers on the same event; "
      f"Python `bench_python.py`: {meta['python_reps']} interleaved single calls per peer, wall clock "
      f"(`perf_counter`, `gc.collect()` before each); Node `bench_node.js`: {meta['node_reps']} interleaved samples per "
      "implementation, process CPU time, each sample at least 5 ms (small events repeat the call). "
      "Values are medians; spread is the fastest..slowest sample against the median. "
      "GB/s is bytes of event JSON per second, also for paths whose input is the runtime's already-parsed "
      "object; ns/record divides by the event's records. *speed-up* is the peer's median time over "
      "shardline's on the same path and event (above 1: shardline is faster). Memory, where measured: C, the "
      "peak of the bytes the library allocated beyond the input (counting allocator); Python, tracemalloc's "
      "peak during one call (Kinesis raw event -> JSON only); Node, the heap and ArrayBuffer bytes still held "
      "after GC with the result alive (not a peak: Node's peak RSS had already been reached by the warm-up "
      "call); Python and Node measure in a fresh process per implementation, in the full run only.")
    w("")
    w(f"Lambda cost: compute cost per million records at {LAMBDA_MEMORY_MB:,} MB (1 vCPU), x86, "
      f"${LAMBDA_PRICE_GB_S:.10f} per GB-second: ns/record x 10^-9 x 10^6 x {LAMBDA_MEMORY_MB}/1024 GB x price. "
      "This is the decoding step alone, on this machine's CPU: it assumes a Lambda vCPU runs it as fast "
      "and leaves out the invocation charge, the runtime's own event parsing and the handler's work.")
    w("")
    w("## Speed-ups at a glance")
    w("")
    w("shardline's speed-up over each peer (peer median time / shardline's; above 1: shardline faster), "
      "per path and event; the tables below have the times, throughput, spread and memory.")
    w("")
    events = [k for k in order if k != "base64-kernel"]
    short = {k: k.replace("kinesis-", "Kinesis ").replace("dynamodb-", "DynamoDB ").replace("aws-sample", "AWS sample")
             for k in events}
    w("| language | path | peer | " + " | ".join(short[k] for k in events) + " |")
    w("|---|---|---|" + "---:|" * len(events))
    lines = []
    for r in rows:
        if r["role"] != "peer" or r["workload"] not in events:
            continue
        line = (r["lang"], r["path"], r["impl"])
        if line not in lines:
            lines.append(line)
    for lang, path, impl in lines:
        cells = []
        for k in events:
            match = [r for r in rows if (r["lang"], r["workload"], r["path"], r["impl"]) == (lang, k, path, impl)]
            s = speedup(rows, match[0]) if match else None
            cells.append(f"{s:.2f} x" if s else "-" if not match else "n/m")
        w(f"| {lang} | {path} | {impl} | " + " | ".join(cells) + " |")
    w("")
    w("n/m: not measured on that event (see its table); -: the path does not apply to that event.")
    for key in order:
        wrows = [r for r in rows if r["workload"] == key]
        if not wrows:
            continue
        w("")
        w(f"## {describe_workload(key, rows)}")
        w("")
        w("| language | path | implementation | GB/s | ns/record | spread | memory | speed-up |")
        w("|---|---|---|---:|---:|---:|---:|---:|")
        for r in wrows:
            if r["median_ns"] is None:
                w(f"| {r['lang']} | {r['path']} | {r['impl']} | | | | | {r['note']} |")
                continue
            gbs = fmt_num(r["bytes"] / r["median_ns"]) if r["bytes"] else ""
            nsr = fmt_num(r["median_ns"] / r["records"], 4) if r["records"] else ""
            mem = f"{fmt_bytes(r['memory'][0])} ({r['memory'][1]})" if r["memory"] else ""
            s = speedup(rows, r)
            sp = {"shardline": "reference", "variant": ""}.get(r["role"], f"**{s:.2f} x**" if s else "")
            impl = f"**{r['impl']}**" if r["role"] == "shardline" else r["impl"]
            if r["note"]:
                impl += f" ({r['note']})"
            w(f"| {r['lang']} | {r['path']} | {impl} | {gbs} | {nsr} | {spread(r)} | {mem} | {sp} |")
        if key == "base64-kernel":
            continue
        w("")
        w("Lambda compute cost per million records:")
        w("")
        paths = []
        for r in wrows:
            if (r["lang"], r["path"]) not in paths:
                paths.append((r["lang"], r["path"]))
        for lang, path in paths:
            parts = [f"{r['impl']} ${fmt_num(lambda_cost_per_million(r['median_ns'] / r['records']))}"
                     for r in wrows if (r["lang"], r["path"]) == (lang, path) and r["median_ns"] and r["records"]
                     and r["role"] != "variant"]
            if parts:
                w(f"- {lang}, {path}: " + "; ".join(parts))
    w("")
    w("Raw reports and logs of this run: `raw/` next to this file (not kept in git).")
    return "\n".join(out) + "\n"


def chart(rows, order, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    classes = {}  # workload -> colour class
    for key in order:
        n = key.split("-", 1)[1]
        classes[key] = "base64 kernel, 64 KiB" if key == "base64-kernel" else \
            "AWS docs sample (2-3 records)" if n == "aws-sample" else (
            "100 records" if n == "100" else "large: 10,000 Kinesis / 1,000 DynamoDB records"
            if n in ("10000", "1000") else f"{n} records")
    palette = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3"]
    colours = {c: palette[i % len(palette)] for i, c in enumerate(dict.fromkeys(classes.values()))}

    langs = ["C", "Python", "Node"]
    groups = {lang: [] for lang in langs}  # lang -> [(label, [(workload, speed-up)])]
    for r in rows:
        s = speedup(rows, r)
        if s is None or r["lang"] not in groups:
            continue
        kind = "Kinesis" if r["workload"].startswith("kinesis") else "DynamoDB"
        what = r["path"] if r["lang"] != "C" or r["workload"] == "base64-kernel" else "raw event -> batch"
        if r["workload"] != "base64-kernel" and not what.lower().startswith(kind.lower()):
            what = f"{kind}: {what}"
        label = f"{what}\nvs {r['impl']}"
        for g in groups[r["lang"]]:
            if g[0] == label:
                g[1].append((r["workload"], s))
                break
        else:
            groups[r["lang"]].append((label, [(r["workload"], s)]))
    langs = [lang for lang in langs if groups[lang]]
    bar_h, gap = 0.26, 0.4
    height = {lang: sum(len(b) * bar_h + gap for _, b in groups[lang]) for lang in langs}
    # Two columns to keep the figure short: Python (the most groups) on the
    # left, the others stacked on the right.
    left = ["Python"] if "Python" in langs and len(langs) > 1 else langs[:1]
    right = [lang for lang in langs if lang not in left]
    body = max(sum(height[lang] for lang in left), sum(height[lang] for lang in right) + 0.6 * (len(right) - 1))
    fig_h = body + 2.4
    fig = plt.figure(figsize=(20, fig_h))
    grid = fig.add_gridspec(max(len(right), 1), 2 if right else 1, height_ratios=[height[lang] for lang in right]
                            if right else [1], hspace=0.6 / max(1, body / max(1, len(right))), wspace=0.55)
    axes = {left[0]: fig.add_subplot(grid[:, 0])}
    for i, lang in enumerate(right):
        axes[lang] = fig.add_subplot(grid[i, 1])
    all_values = [s for lang in langs for _, bars in groups[lang] for _, s in bars]
    lo, hi = min(all_values + [1]), max(all_values + [1])
    log = hi / lo > 20
    for lang in langs:
        ax = axes[lang]
        y, ticks, labels = 0.0, [], []
        for label, bars in groups[lang]:
            bars = sorted(bars, key=lambda b: order.index(b[0]))
            start = y
            for workload, s in bars:
                ax.barh(y, s, height=bar_h * 0.9, color=colours[classes[workload]])
                ax.text(s * 1.04 if log else s + hi * 0.01, y, f"{s:.2f}x", va="center", fontsize=8)
                y += bar_h
            ticks.append((start + y - bar_h) / 2)
            labels.append(label)
            y += gap
        ax.set_yticks(ticks)
        ax.set_yticklabels(labels, fontsize=8.5)
        ax.set_ylim(y - gap / 2, -gap / 2)
        ax.axvline(1, color="black", linewidth=1)
        if log:
            ax.set_xscale("log")
        ax.set_xlim(lo / 1.6 if log else 0, hi * (2.2 if log else 1.15))
        ax.set_title(lang, loc="left", fontsize=12, fontweight="bold")
        ax.grid(axis="x", which="both", alpha=0.3)
        ax.set_xlabel("speed-up: peer time / shardline time (right of 1x: shardline faster)"
                      + (", log scale" if log else ""), fontsize=9)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    fig.legend(handles, list(colours), loc="upper center", ncol=len(colours), fontsize=10,
               bbox_to_anchor=(0.5, 1 - 0.55 / fig_h))
    fig.suptitle(title, fontsize=13, y=1 - 0.12 / fig_h)
    fig.subplots_adjust(left=0.19, right=0.98, top=1 - 1.3 / fig_h, bottom=0.8 / fig_h)
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---- main ------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller events, few repetitions: a smoke test")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results"), help="where latest.md/png go")
    ap.add_argument("--release", default=os.path.join(REPO, "build", "release"), help="release C build")
    ap.add_argument("--python-path", required=True, help="a directory holding the shardline package")
    ap.add_argument("--node-addon", required=True, help="the built shardline.node")
    ap.add_argument("--command", help="the command to show in the report (default: this one)")
    args = ap.parse_args()
    command = (args.command or " ".join(shlex.quote(a) for a in sys.argv)).strip()
    raw = os.path.join(args.out, "raw")
    os.makedirs(raw, exist_ok=True)
    started = time.monotonic()
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())

    sizes, paths = generate_workloads(args, raw)
    print("C: bench_core, and `shardline bench` on the samples", flush=True)
    core = run_core(args, raw, sizes, paths)
    print("Python: bench_python.py", flush=True)
    py = run_python(args, raw, paths)
    print("Node: bench_node.js", flush=True)
    nodes = run_node(args, raw, sizes, paths)

    version = subprocess.run([os.path.join(args.release, "core", "cli", "shardline"), "version"],
                             check=True, capture_output=True, text=True).stdout
    m = re.search(r"shardline (\S+) \(kernels: (\S+)\)", version)
    implementation = m.group(2) if m else version.strip()
    seen = {"C bench_core": core["implementation"], "Python": py["implementation"],
            **{f"Node ({n['workloads']['kinesis']})": n["implementation"] for n in nodes}}
    if any(v != implementation for v in seen.values()):
        raise SystemExit(f"run_all: the benches ran different kernels: CLI {implementation}, {seen}")

    order = list(paths) + ["base64-kernel"]
    rows = core_rows(core) + python_rows(py, paths) + node_rows(nodes)
    rows = add_missing(rows, order)
    rank = {"C": 0, "Python": 1, "Node": 2}
    role_rank = {"shardline": 0, "variant": 1, "peer": 2, "missing": 3}
    path_order = {}
    for r in rows:
        path_order.setdefault((r["lang"], r["path"]), len(path_order))
    rows.sort(key=lambda r: (order.index(r["workload"]), rank[r["lang"]], path_order[(r["lang"], r["path"])],
                             role_rank[r["role"]]))
    elapsed = time.monotonic() - started
    meta = {
        "quick": args.quick,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": core["cpu"],
        "load_before": load_before,
        "load_after": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "shardline": core["library"],
        "implementation": implementation,
        "compiler": core["compiler"],
        "simdjson": (f"{core['simdjson']['version']} ({core['simdjson']['implementation']} kernels)"
                     if core["simdjson"] else "NOT BUILT: its rows are missing"),
        "python": py["python"],
        "python_peers": py["peers"],
        "node": nodes[0]["node"],
        "util_dynamodb": nodes[0]["peers"]["@aws-sdk/util-dynamodb"],
        "core_reps": core["rows"][0]["repetitions"] if core["rows"] else "?",
        "core_rep_ms": core["min_repetition_ns"] // 1000000,
        "python_reps": py["repetitions"],
        "node_reps": nodes[0]["repetitions"],
    }
    md_path = os.path.join(args.out, "latest.md")
    with open(md_path, "w") as f:
        f.write(markdown(rows, order, meta, command, elapsed))
    png_path = os.path.join(args.out, "latest.png")
    chart(rows, order, png_path, f"shardline {meta['shardline']} ({implementation} kernels) vs peers, "
          f"{meta['cpu']}, {meta['date']}" + (" - QUICK (smoke test)" if args.quick else ""))
    with open(os.path.join(raw, "rows.json"), "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
    print(f"run_all: {md_path} and {png_path} in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
