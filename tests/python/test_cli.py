"""test_cli.py - the shardline CLI against Python's json and base64 on fixtures and random events."""
import base64
import json
import os
import random
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "kinesis"
BUILD = Path(os.environ.get("SHARDLINE_BUILD", ROOT / "build" / "gcc"))
CLI = BUILD / "core" / "cli" / "shardline"
GEN = BUILD / "bench" / "gen_workload"
FIXTURES = sorted(DATA.glob("*.json"))

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"build the CLI first ({CLI})")


def strict_json(text):
    """Python's json, made as strict as RFC 8259 (no NaN/Infinity)."""
    def no_constants(name):
        raise ValueError(name)
    return json.loads(text, parse_constant=no_constants)


def reference_payload(data):
    """What `shardline decode` documents for a payload, computed by Python."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "base64", base64.b64encode(data).decode("ascii")
    try:
        return "json", strict_json(text)
    except ValueError:
        return "text", text


def reference_kinesis_record(r):
    """One Kinesis record (parsed with strict_json) as `shardline decode` writes it."""
    k = r["kinesis"]
    rec = {name: r[name] for name in ("eventSource", "eventVersion", "eventID", "eventName",
                                      "invokeIdentityArn", "awsRegion", "eventSourceARN")}
    kin = {name: k[name] for name in ("kinesisSchemaVersion", "partitionKey", "sequenceNumber",
                                      "approximateArrivalTimestamp")}
    if "encryptionType" in k:
        kin["encryptionType"] = k["encryptionType"]
    kin["dataEncoding"], kin["data"] = reference_payload(base64.b64decode(k["data"], validate=True))
    rec["kinesis"] = kin
    return rec


def reference_decode(raw):
    event = strict_json(raw.decode("utf-8-sig"))
    return [reference_kinesis_record(r) for r in event["Records"]]


def run_cli(*args, stdin=None):
    return subprocess.run([str(CLI), *args], input=stdin, capture_output=True, timeout=120)


def decode(raw, *options):
    proc = run_cli("decode", *options, "-", stdin=raw)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    lines = proc.stdout.split(b"\n")
    assert lines[-1] == b""  # every record ends with a newline
    return [strict_json(line) for line in lines[:-1]]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_matches_reference(path):
    raw = path.read_bytes()
    assert decode(raw) == reference_decode(raw)
    assert decode(raw, "--in-place") == decode(raw)


def test_fixture_file_argument_and_key_order():
    path = DATA / "aws-docs-sample.json"
    proc = run_cli("decode", str(path))
    assert proc.returncode == 0
    first = proc.stdout.split(b"\n")[0].decode()
    # The documented member order, and the number text kept exactly.
    assert first.startswith('{"eventSource":"aws:kinesis","eventVersion":"1.0","eventID":')
    assert '"approximateArrivalTimestamp":1545084650.987,"dataEncoding":"text","data":"Hello, this is a test."}}' in first


@pytest.mark.skipif(not GEN.exists(), reason="gen_workload not built")
def test_generated_10000_records(tmp_path):
    event = tmp_path / "event.json"
    subprocess.run([str(GEN), "kinesis", "10000", "--out", str(event)], check=True)
    raw = event.read_bytes()
    assert len(raw) > 6_000_000
    got = decode(raw)
    assert len(got) == 10000
    assert got == reference_decode(raw)


# ---- random events ----------------------------------------------------------------

WORDS = ["alpha", "caf\u00e9", "na\u00efve", "\u65e5\u672c\u8a9e", "\U0001f600", "tab\there",
         "quote\"s", "back\\slash", "line\nbreak", "", "\u0001ctl", "slash/"]


def random_json_value(rng, depth=0):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.randrange(-10**12, 10**12)
    if kind == 2:
        return rng.choice([0.5, -1.25, 3.14159, 1e-7, 2.5e10, 12.5])
    if kind in (3, 4):
        return rng.choice(WORDS) + str(rng.randrange(100))
    if kind == 5:
        return [random_json_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(WORDS) + str(i): random_json_value(rng, depth + 1) for i in range(rng.randrange(5))}


def random_payload(rng):
    kind = rng.randrange(4)
    if kind == 0:
        return json.dumps(random_json_value(rng), ensure_ascii=rng.random() < 0.5).encode()
    if kind == 1:
        return rng.choice(WORDS).encode() + b" plain text"
    if kind == 2:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    return b""


def random_kinesis_record(rng, i):
    """Record i of a random Kinesis event, as a dict with its members shuffled."""
    seq = "".join(rng.choice("0123456789") for _ in range(56))
    kinesis = {
        "kinesisSchemaVersion": "1.0",
        "partitionKey": rng.choice(WORDS) + str(i),
        "sequenceNumber": seq,
        "data": base64.b64encode(random_payload(rng)).decode(),
        "approximateArrivalTimestamp": rng.choice([1428537600, 1480641523.477, 1.607497475e9]),
    }
    if rng.random() < 0.3:
        kinesis["encryptionType"] = rng.choice(["NONE", "KMS"])
    rec = {
        "kinesis": kinesis,
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": "shardId-000000000006:" + seq,
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda-role",
        "awsRegion": rng.choice(["us-east-1", "eu-west-1"]),
        "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
    }
    if rng.random() < 0.3:
        rec["unknownField"] = random_json_value(rng)
    items = list(rec.items())
    rng.shuffle(items)
    return dict(items)


def random_event(rng, records):
    event = {"Records": [random_kinesis_record(rng, i) for i in range(records)]}
    style = rng.randrange(3)
    if style == 0:
        text = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    elif style == 1:
        text = json.dumps(event, indent=2, ensure_ascii=True)
    else:
        text = json.dumps(event, indent="\t").replace("\n", "\r\n")
    if rng.random() < 0.3:
        text = text.replace("/", "\\/")  # encoders that escape slashes, base64 included
    return text.encode()


@pytest.mark.parametrize("seed", range(40))
def test_random_events(seed):
    rng = random.Random(seed)
    raw = random_event(rng, rng.randrange(0, 30))
    assert decode(raw) == reference_decode(raw)
    assert decode(raw, "--in-place") == reference_decode(raw)


# ---- errors ---------------------------------------------------------------------------

ERROR_LINE = re.compile(rb"^shardline: -: offset (\d+): [A-Za-z0-9 -]+ \((SHARDLINE_ERR_[A-Z0-9_]+)\)( at \S+)?\n$")


def test_invalid_event_writes_nothing():
    raw = (DATA / "mixed-payloads.json").read_bytes()
    bad = raw.replace(b'"1.0"', b'"1.0', 1)
    proc = run_cli("decode", stdin=bad)
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert ERROR_LINE.match(proc.stderr), proc.stderr


def test_bad_base64_names_the_record():
    raw = (DATA / "aws-docs-sample.json").read_bytes()
    bad = raw.replace(b"VGhpcyBpcyBvbmx5IGEgdGVzdC4=", b"VGhpcyBpcyBvbmx5IGEgdGVzdC4!")
    proc = run_cli("decode", stdin=bad)
    assert proc.returncode == 1 and proc.stdout == b""
    m = ERROR_LINE.match(proc.stderr)
    assert m, proc.stderr
    assert int(m.group(1)) == bad.index(b"!")
    assert m.group(2) == b"SHARDLINE_ERR_BASE64_CHAR"
    assert m.group(3) == b" at Records[1].kinesis.data"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_truncated_fixtures_fail_cleanly(path):
    raw = path.read_bytes()
    end = len(raw.rstrip())
    for cut in sorted({0, 1, end // 3, end // 2, end - 1}):
        proc = run_cli("decode", stdin=raw[:cut])
        assert proc.returncode == 1, cut
        assert proc.stdout == b""
        assert ERROR_LINE.match(proc.stderr), proc.stderr


VALID_JSON = ["0", "-0.5e+3", '"\\u00e9\\ud83d\\ude00"', "[]", "{}", ' {"a" : [1, true, null]} ',
              '"\u65e5"', "[1e400]", '{"a":1,"a":2}']
INVALID_JSON = ["", "[1,]", "{'a':1}", "NaN", "01", '"\\ud800"', '"a\tb"', "[1] 2", "\xff", "[", "1.", "tru"]


@pytest.mark.parametrize("text", VALID_JSON + INVALID_JSON)
def test_validate_agrees_with_python(text):
    raw = text.encode("utf-8", "surrogateescape") if text != "\xff" else b"\xff"
    proc = run_cli("validate", stdin=raw)
    try:
        strict_json(raw.decode("utf-8"))
        # Python accepts lone surrogates in escapes; RFC 8259 text must not.
        expected = 0 if text not in INVALID_JSON else 1
    except (ValueError, UnicodeDecodeError):
        expected = 1
    assert proc.returncode == expected, (text, proc.stderr)
    if expected:
        assert re.match(rb"^\d+: [A-Za-z0-9 -]+\n$", proc.stderr), proc.stderr
    else:
        assert proc.stderr == b""


def test_usage_errors():
    assert run_cli().returncode == 2
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("decode", "/nonexistent/file.json").returncode == 2
    proc = run_cli("version")
    assert proc.returncode == 0 and proc.stdout.startswith(b"shardline ")


def test_bench_command():
    proc = run_cli("bench", "--seconds", "0.2", str(DATA / "mixed-payloads.json"))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "5 records" in out
    assert re.search(r"parse \+ decode: [0-9.]+ GB/s, [0-9.]+ ns/record", out)
