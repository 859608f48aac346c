#!/usr/bin/env python3
"""bench_python.py - shardline's Python binding against its peers on generated Lambda events.

One process times every peer on the same workloads, repetitions interleaved
(peer A, B, C, A, B, C, ...) so that noise hits all of them alike; it prints
medians, the spread (min..max as % of the median) and each peer's time as a
multiple of shardline's. Before timing, every peer's result is checked equal
to shardline's on the workload. Peak memory (tracemalloc, and RSS in a
fresh child process per peer) is measured for the Kinesis JSON path.

    bench/bench_python.py --gen-workload build/release/bench/gen_workload
    bench/bench_python.py kinesis.json dynamodb.json      # events made by gen_workload
    bench/bench_python.py --quick --gen-workload ...      # a few seconds: smoke test
    bench/bench_python.py --json out.json kinesis.json    # also every figure as JSON (bench/run_all.py)

A Kinesis event whose payloads are not all JSON (the AWS documentation's
sample) gets only the payload-bytes comparison.
"""
import argparse
import base64
import gc
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal

import shardline

try:
    import orjson
    import pybase64
except ImportError:  # pragma: no cover
    orjson = pybase64 = None
try:
    from boto3.dynamodb.types import Binary, TypeDeserializer
except ImportError:  # pragma: no cover
    TypeDeserializer = Binary = None
try:
    from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent, KinesisStreamEvent
except ImportError:  # pragma: no cover
    KinesisStreamEvent = DynamoDBStreamEvent = None


# ---- peers: Kinesis ----------------------------------------------------------------

def std_raw_json(raw):
    return [json.loads(base64.b64decode(r["kinesis"]["data"], validate=True)) for r in json.loads(raw)["Records"]]


def orjson_raw_json(raw):
    return [orjson.loads(pybase64.b64decode(r["kinesis"]["data"], validate=True))
            for r in orjson.loads(raw)["Records"]]


def powertools_raw_json(raw):
    return [r.kinesis.data_as_json() for r in KinesisStreamEvent(json.loads(raw)).records]


def std_dict_json(event):
    return [json.loads(base64.b64decode(r["kinesis"]["data"], validate=True)) for r in event["Records"]]


def orjson_dict_json(event):
    return [orjson.loads(pybase64.b64decode(r["kinesis"]["data"], validate=True)) for r in event["Records"]]


def powertools_dict_json(event):
    return [r.kinesis.data_as_json() for r in KinesisStreamEvent(event).records]


def std_raw_bytes(raw):
    return [base64.b64decode(r["kinesis"]["data"], validate=True) for r in json.loads(raw)["Records"]]


def orjson_raw_bytes(raw):
    return [pybase64.b64decode(r["kinesis"]["data"], validate=True) for r in orjson.loads(raw)["Records"]]


def powertools_raw_bytes(raw):
    return [r.kinesis.data_as_bytes() for r in KinesisStreamEvent(json.loads(raw)).records]


# ---- peers: DynamoDB ---------------------------------------------------------------

IMAGE_KEYS = ("Keys", "NewImage", "OldImage")


def decode_b(av):
    """B and BS base64-decoded: boto3's TypeDeserializer rejects the text streams carry."""
    (kind, value), = av.items()
    if kind == "B":
        return {"B": base64.b64decode(value)}
    if kind == "BS":
        return {"BS": [base64.b64decode(v) for v in value]}
    if kind == "M":
        return {"M": {k: decode_b(v) for k, v in value.items()}}
    if kind == "L":
        return {"L": [decode_b(v) for v in value]}
    return av


def boto3_images(images, td):
    return [{k: td.deserialize(v) for k, v in image.items()} for image in images]


def boto3_raw_event(raw, td, loads=json.loads):
    """The full path a boto3 user has to write: parse, decode B, deserialize every image."""
    out = []
    for r in loads(raw)["Records"]:
        d = r["dynamodb"]
        out.append([{k: td.deserialize(decode_b(v)) for k, v in d[name].items()} if name in d else None
                    for name in IMAGE_KEYS])
    return out


def powertools_images(event):
    # Powertools gives {} for an absent image; shardline and boto3 users get None.
    return [[r.dynamodb.keys or None, r.dynamodb.new_image or None, r.dynamodb.old_image or None]
            for r in DynamoDBStreamEvent(event).records]


def powertools_raw_event(raw):
    return powertools_images(json.loads(raw))


def shardline_raw_event(raw):
    return [[r.keys, r.new_image, r.old_image] for r in shardline.parse(raw)]


# ---- JSON report (--json) -----------------------------------------------------------

# Every timed and memory figure, under the workload file it came from; main()
# writes them with the peers' versions when --json is given.
REPORT = {"timings": [], "memory": []}
WORKLOAD = {}  # the event being measured: file, kind, records, bytes


def package_version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def write_report(path, reps, quick):
    report = {
        "bench": "python",
        "shardline": shardline.__version__,
        "implementation": shardline.implementation(),
        "python": platform.python_version(),
        "cpu": cpu_name(),
        "repetitions": reps,
        "quick": quick,
        # None: the peer is not installed, and its rows are missing.
        "peers": {name: package_version(name) for name in ("orjson", "pybase64", "boto3", "aws-lambda-powertools")},
        **REPORT,
    }
    with open(path, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")


# ---- comparison helpers ------------------------------------------------------------

def canonical(value, b64_bytes=False):
    """Values made comparable: Binary as bytes, Decimals by exact text; with
    b64_bytes, bytes as base64 text (powertools leaves B undecoded)."""
    if Binary is not None and isinstance(value, Binary):
        value = bytes(value.value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode() if b64_bytes else bytes(value)
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, dict):
        return {k: canonical(v, b64_bytes) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v, b64_bytes) for v in value]
    if isinstance(value, (set, frozenset)):
        return {canonical(v, b64_bytes) for v in value}
    return value


# ---- timing --------------------------------------------------------------------------

def time_interleaved(peers, reps):
    """peers: [(name, fn)]; returns {name: [seconds...]}, repetitions interleaved."""
    times = {name: [] for name, _ in peers}
    for name, fn in peers:  # warm-up
        fn()
    for _ in range(reps):
        for name, fn in peers:
            gc.collect()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def summarize(title, peers, times, units, targets, rows):
    base = statistics.median(times[peers[0][0]])
    for name, _ in peers:
        REPORT["timings"].append({**WORKLOAD, "path": title, "impl": name, "items": units,
                                  "median_s": statistics.median(times[name]), "min_s": min(times[name]),
                                  "max_s": max(times[name]), "repetitions": len(times[name])})
    print(f"\n{title}")
    print(f"  {'peer':<48} {'median':>10} {'spread':>14} {'per item':>10} {'x shardline':>12}  target")
    for name, _ in peers:
        ts = times[name]
        med = statistics.median(ts)
        spread = f"{(min(ts) / med - 1) * 100:+.0f}%..{(max(ts) / med - 1) * 100:+.0f}%"
        ratio = med / base
        target = targets.get(name, "")
        verdict = ""
        if target:
            verdict = f">= {target}x  {'met' if ratio >= target else 'NOT met'}"
        print(f"  {name:<48} {med * 1e3:>8.2f}ms {spread:>14} {med / units * 1e9:>8.0f}ns {ratio:>11.2f}x  {verdict}")
        rows.append((title, name, med, ratio, target))


def check_equal(title, reference, others):
    for name, value in others:
        if value != reference:
            raise SystemExit(f"bench_python: {title}: {name} disagrees with shardline; not timing")


# ---- memory --------------------------------------------------------------------------

MEMORY_PEERS = {
    "shardline.kinesis_json": lambda raw: shardline.kinesis_json(raw),
    "json + base64": std_raw_json,
    "orjson + pybase64": orjson_raw_json,
}


def peak_rss():
    """Peak RSS in bytes: VmHWM from /proc (ru_maxrss where there is none)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def memory_child(peer, path):
    """Run one peer once in this fresh process; print tracemalloc peak and peak-RSS growth."""
    raw = open(path, "rb").read()
    fn = MEMORY_PEERS[peer]
    gc.collect()
    try:  # reset the peak to the current RSS, so the growth is this call's
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    rss0 = peak_rss()
    result = fn(raw)
    rss1 = peak_rss()
    del result
    gc.collect()
    tracemalloc.start()
    result = fn(raw)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"peak": peak, "rss": rss1 - rss0}))


def memory_table(path, rows):
    print(f"\nPeak memory, raw Kinesis event -> payloads as JSON (one fresh process per peer, input {os.path.getsize(path) / 1e6:.1f} MB)")
    print(f"  {'peer':<48} {'tracemalloc peak':>18} {'RSS growth':>12}")
    results = {}
    for peer in MEMORY_PEERS:
        if peer.startswith("orjson") and orjson is None:
            continue
        out = subprocess.run([sys.executable, __file__, "--memory-child", peer, path],
                             check=True, capture_output=True, text=True).stdout
        results[peer] = json.loads(out)
        REPORT["memory"].append({**WORKLOAD, "path": "Kinesis: raw event -> payloads parsed as JSON",
                                 "impl": peer, "tracemalloc_peak": results[peer]["peak"],
                                 "rss_growth": results[peer]["rss"]})
        print(f"  {peer:<48} {results[peer]['peak'] / 1e6:>15.1f} MB {results[peer]['rss'] / 1e6:>9.1f} MB")
    ours, std = results["shardline.kinesis_json"], results["json + base64"]
    ok = ours["peak"] <= std["peak"] and ours["rss"] <= std["rss"]
    print(f"  shardline vs stdlib: tracemalloc {ours['peak'] / std['peak']:.2f}x, RSS {ours['rss'] / max(std['rss'], 1):.2f}x"
          f"  (target <= 1x: {'met' if ok else 'NOT met'})")
    rows.append(("memory", "shardline / stdlib peak", ours["peak"] / std["peak"], None, None))


# ---- main ------------------------------------------------------------------------------

def generate(gen, kind, records, outdir):
    path = os.path.join(outdir, f"{kind}-{records}.json")
    subprocess.run([gen, kind, str(records), "--out", path], check=True)
    return path


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("events", nargs="*", help="Kinesis and/or DynamoDB events written by gen_workload")
    ap.add_argument("--gen-workload", help="path of gen_workload: generate kinesis 10000 and dynamodb 1000")
    ap.add_argument("--quick", action="store_true", help="small workloads, 3 repetitions: a few seconds")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per peer (default 11, --quick 3)")
    ap.add_argument("--json", metavar="FILE", help="also write every figure and the peers' versions to FILE")
    ap.add_argument("--memory-child", nargs=2, metavar=("PEER", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(*args.memory_child)
        return 0
    reps = args.reps or (3 if args.quick else 11)
    tmp = tempfile.TemporaryDirectory(prefix="bench_python.")
    paths = list(args.events)
    if args.gen_workload:
        paths.append(generate(args.gen_workload, "kinesis", 1000 if args.quick else 10000, tmp.name))
        paths.append(generate(args.gen_workload, "dynamodb", 100 if args.quick else 1000, tmp.name))
    if not paths:
        ap.error("give event files or --gen-workload")

    print(f"shardline {shardline.__version__} (kernels: {shardline.implementation()}), Python {platform.python_version()}, "
          f"{cpu_name()}, {os.cpu_count()} cores; {reps} interleaved repetitions, medians")
    rows = []
    for path in paths:
        raw = open(path, "rb").read()
        event = json.loads(raw)
        records = event["Records"]
        n = len(records)
        kind = records[0]["eventSource"] if records else "aws:kinesis"
        WORKLOAD.clear()
        WORKLOAD.update(file=os.path.basename(path), kind=kind, records=n, bytes=len(raw))
        print(f"\n== {os.path.basename(path)}: {n} records, {len(raw) / 1e6:.2f} MB")
        if kind == "aws:kinesis":
            payloads_json = all_payloads_json(event)
            if not payloads_json:
                print("  payloads are not all JSON: only the payload-bytes comparison applies")
            run_kinesis(raw, event, n, reps, rows, payloads_json)
            if not args.quick and payloads_json:
                memory_table(path, rows)
        else:
            run_dynamodb(raw, event, n, reps, rows)
    if args.json:
        write_report(args.json, reps, args.quick)
    return 0


def all_payloads_json(event):
    try:
        for r in event["Records"]:
            json.loads(base64.b64decode(r["kinesis"]["data"], validate=True))
    except ValueError:  # json.JSONDecodeError, UnicodeDecodeError and binascii.Error are all ValueErrors
        return False
    return True


def run_kinesis(raw, event, n, reps, rows, payloads_json=True):
    if payloads_json:
        run_kinesis_json(raw, event, n, reps, rows)
    run_kinesis_bytes(raw, n, reps, rows)


def run_kinesis_json(raw, event, n, reps, rows):
    # Raw event -> payloads as JSON.
    ref = shardline.kinesis_json(raw)
    peers = [("shardline.kinesis_json(raw)", lambda: shardline.kinesis_json(raw)),
             ("json + base64", lambda: std_raw_json(raw))]
    if orjson:
        peers.append(("orjson + pybase64", lambda: orjson_raw_json(raw)))
    if KinesisStreamEvent:
        peers.append(("powertools KinesisStreamEvent", lambda: powertools_raw_json(raw)))
    check_equal("raw -> JSON", ref, [(name, fn()) for name, fn in peers[1:]])
    summarize("Kinesis: raw event -> payloads parsed as JSON", peers, time_interleaved(peers, reps), n,
              {"json + base64": 8, "orjson + pybase64": 2}, rows)

    # Runtime-parsed dict -> payloads as JSON.
    peers = [("shardline.kinesis_json(dict)", lambda: shardline.kinesis_json(event)),
             ("json + base64", lambda: std_dict_json(event))]
    if orjson:
        peers.append(("orjson + pybase64", lambda: orjson_dict_json(event)))
    if KinesisStreamEvent:
        peers.append(("powertools KinesisStreamEvent", lambda: powertools_dict_json(event)))
    check_equal("dict -> JSON", ref, [(name, fn()) for name, fn in peers])
    summarize("Kinesis: runtime-parsed dict -> payloads parsed as JSON", peers, time_interleaved(peers, reps), n,
              {"json + base64": 3, "orjson + pybase64": 1.5}, rows)


def run_kinesis_bytes(raw, n, reps, rows):
    # Raw event -> payload bytes.
    ref = shardline.kinesis_data(raw)
    peers = [("shardline.kinesis_data(raw)", lambda: shardline.kinesis_data(raw)),
             ("shardline.kinesis_data(raw, zero_copy)", lambda: shardline.kinesis_data(raw, zero_copy=True)),
             ("shardline.parse(raw) (whole records)", lambda: shardline.parse(raw)),
             ("json + base64", lambda: std_raw_bytes(raw))]
    if orjson:
        peers.append(("orjson + pybase64", lambda: orjson_raw_bytes(raw)))
    if KinesisStreamEvent:
        peers.append(("powertools KinesisStreamEvent", lambda: powertools_raw_bytes(raw)))
    check_equal("raw -> bytes", ref, [(peers[1][0], [bytes(v) for v in peers[1][1]()]),
                                      (peers[2][0], [r.data for r in peers[2][1]()])]
                + [(name, fn()) for name, fn in peers[3:]])
    summarize("Kinesis: raw event -> payload bytes", peers, time_interleaved(peers, reps), n,
              {"json + base64": 10}, rows)


def run_dynamodb(raw, event, n, reps, rows):
    td = TypeDeserializer() if TypeDeserializer else None
    images = [r["dynamodb"][k] for r in event["Records"] for k in IMAGE_KEYS if k in r["dynamodb"]]
    decoded = [{k: decode_b(v) for k, v in image.items()} for image in images]  # boto3's input, prepared untimed
    unmarshall = shardline.unmarshall

    ref = [unmarshall(image) for image in images]
    peers = [("shardline.unmarshall per image", lambda: [unmarshall(image) for image in images])]
    if td:
        peers.append(("boto3 TypeDeserializer (B pre-decoded)", lambda: boto3_images(decoded, td)))
        check_equal("images", canonical(ref), [(peers[1][0], canonical(peers[1][1]()))])
    summarize(f"DynamoDB: image dicts -> native ({len(images)} images)", peers,
              time_interleaved(peers, reps), len(images),
              {"boto3 TypeDeserializer (B pre-decoded)": 10}, rows)

    ref = shardline_raw_event(raw)
    peers = [("shardline.parse(raw)", lambda: shardline_raw_event(raw))]
    if td:
        peers.append(("json + boto3 TypeDeserializer", lambda: boto3_raw_event(raw, td)))
        check_equal("raw event", canonical(ref), [(peers[-1][0], canonical(peers[-1][1]()))])
        if orjson:
            peers.append(("orjson + boto3 TypeDeserializer", lambda: boto3_raw_event(raw, td, orjson.loads)))
    if DynamoDBStreamEvent:
        peers.append(("powertools DynamoDBStreamEvent (B left as text)", lambda: powertools_raw_event(raw)))
        check_equal("raw event (B as text)", canonical(ref, True), [(peers[-1][0], canonical(peers[-1][1](), True))])
    summarize("DynamoDB: raw event -> native images", peers, time_interleaved(peers, reps), n,
              {"json + boto3 TypeDeserializer": 15}, rows)

    peers = [("shardline.parse(dict)", lambda: [[r.keys, r.new_image, r.old_image] for r in shardline.parse(event)])]
    if DynamoDBStreamEvent:
        peers.append(("powertools DynamoDBStreamEvent (B left as text)", lambda: powertools_images(event)))
    summarize("DynamoDB: runtime-parsed dict -> native images", peers, time_interleaved(peers, reps), n, {}, rows)


if __name__ == "__main__":
    sys.exit(main())
