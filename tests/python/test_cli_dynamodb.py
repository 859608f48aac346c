"""test_cli_dynamodb.py - DynamoDB in the shardline CLI (`decode`, `decode-change`, `unmarshal`)
against a reference unmarshaller written with Python's json, base64 and decimal."""
import base64
import decimal
import json
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_cli import (CLI, GEN, ROOT, WORDS, random_json_value,  # noqa: E402
                      random_kinesis_record, reference_kinesis_record, run_cli, strict_json)

DATA = ROOT / "tests" / "data" / "dynamodb"
FIXTURES = sorted(DATA.glob("*.json"))

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"build the CLI first ({CLI})")


# ---- exact JSON: member order kept, numbers as their text ------------------------------

WIDE = decimal.Context(Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


class Num:
    """A JSON number or a DynamoDB N. Two are equal when their decimal values are equal
    AND their texts are identical (1.50 is not 1.5 here)."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def value(self):
        """Decimal of the text; for exponents beyond even the widest Decimal context
        (DynamoDB accepts 0E+999999999999999999999), an exact (sign, digits, exponent)."""
        try:
            with decimal.localcontext(WIDE):
                return Decimal(self.text)
        except decimal.InvalidOperation:
            m = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?", self.text)
            digits = (m.group(2) + (m.group(3) or "")).lstrip("0")
            if not digits:
                return ("0",)
            exponent = int(m.group(4) or "0") - len(m.group(3) or "")
            trimmed = digits.rstrip("0")
            return (m.group(1), trimmed, exponent + len(digits) - len(trimmed))

    def __eq__(self, other):
        return (isinstance(other, Num) and self.value() == other.value()
                and self.text == other.text)

    def __hash__(self):
        return hash(self.text)

    def __repr__(self):
        return f"Num({self.text!r})"


def _no_constants(name):
    raise ValueError(name)


def load_exact(text):
    """JSON with objects as tuples of (key, value) pairs in document order (duplicates kept;
    a tuple never equals a list, so {} and [] stay apart) and numbers as Num."""
    return json.loads(text, object_pairs_hook=tuple, parse_int=Num, parse_float=Num,
                      parse_constant=_no_constants)


def member(obj, key, default=None):
    """A member of a load_exact object; the last one wins, as in the library."""
    found = default
    for k, v in obj:
        if k == key:
            found = v
    return found


# ---- the reference unmarshaller --------------------------------------------------------

def ref_number(text):
    """An N as the CLI documents it: the exact text, minus leading zeros of the integer
    part (JSON does not allow them; the value is unchanged)."""
    return Num(re.sub(r"^(-?)0+(?=[0-9])", r"\1", text))


def ref_binary(text):
    """A B as the CLI documents it: decoded, then standard padded base64 again."""
    return base64.b64encode(base64.b64decode(text, validate=True)).decode("ascii")


def ref_attr(av):
    """One AttributeValue (a load_exact object with one type key) as plain JSON (load_exact
    form). Recursion is fine here: the reference only sees inputs this file builds."""
    assert len(av) == 1, av
    (kind, v), = av
    if kind == "S":
        return v
    if kind == "N":
        return ref_number(v)
    if kind == "B":
        return ref_binary(v)
    if kind == "BOOL":
        assert isinstance(v, bool)
        return v
    if kind == "NULL":
        assert v is True
        return None
    if kind == "M":
        return ref_image(v)
    if kind == "L":
        return [ref_attr(x) for x in v]
    if kind == "SS":
        return list(v)
    if kind == "NS":
        return [ref_number(x) for x in v]
    if kind == "BS":
        return [ref_binary(x) for x in v]
    raise AssertionError(f"unknown type key {kind}")


def ref_image(image):
    return tuple((name, ref_attr(av)) for name, av in image)


def ref_dynamodb_record(r):
    """A DynamoDB record (load_exact form) as `decode` and `decode-change` write it."""
    out = []

    def copy(obj, dst, *names):
        for name in names:
            v = member(obj, name)
            if v is not None:
                dst.append((name, v))

    copy(r, out, "eventID", "eventName", "eventVersion", "eventSource", "tableName",
         "recordFormat", "awsRegion", "eventSourceARN")
    ui = member(r, "userIdentity")
    if ui is not None:
        out.append(("userIdentity", (("type", member(ui, "type")),
                                     ("principalId", member(ui, "principalId")))))
    d = member(r, "dynamodb")
    dd = []
    copy(d, dd, "ApproximateCreationDateTime")
    for name in ("Keys", "NewImage", "OldImage"):
        image = member(d, name)
        if image is not None:
            dd.append((name, ref_image(image)))
    copy(d, dd, "SequenceNumber", "SizeBytes", "StreamViewType")
    out.append(("dynamodb", tuple(dd)))
    return tuple(out)


def reference_lines(raw):
    """Every record of an event as ("kinesis", strict_json form) or ("dynamodb", load_exact
    form): Kinesis records keep test_cli's reference, DynamoDB records need exact numbers."""
    text = raw.decode("utf-8-sig")
    plain = strict_json(text)["Records"]
    exact = member(load_exact(text), "Records")
    assert len(plain) == len(exact)
    return [("dynamodb", ref_dynamodb_record(e)) if p["eventSource"] == "aws:dynamodb"
            else ("kinesis", reference_kinesis_record(p)) for p, e in zip(plain, exact)]


# ---- running the CLI --------------------------------------------------------------------

def run_ok(*args, stdin):
    proc = run_cli(*args, stdin=stdin)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert proc.stderr == b""
    lines = proc.stdout.split(b"\n")
    assert lines[-1] == b"", "every line ends with a newline"
    return [line.decode("utf-8") for line in lines[:-1]]


def decode_lines(raw, *options):
    out = []
    for line in run_ok("decode", *options, "-", stdin=raw):
        plain = strict_json(line)
        if plain.get("eventSource") == "aws:dynamodb":
            out.append(("dynamodb", load_exact(line)))
        else:
            out.append(("kinesis", plain))
    return out


def unmarshal(raw):
    lines = run_ok("unmarshal", stdin=raw)
    assert len(lines) == 1
    return load_exact(lines[0])


def decode_change(raw):
    lines = run_ok("decode-change", stdin=raw)
    assert len(lines) == 1
    return load_exact(lines[0])


# ---- writing JSON in many styles ---------------------------------------------------------

class Raw(str):
    """A JSON number written exactly as this text."""


class Style:
    """How an event is written: whitespace, \\u escapes, escaped slashes."""

    def __init__(self, rng):
        self.rng = rng
        self.kind = rng.choice(["compact", "indent", "tabs-crlf", "random"])
        self.ascii = rng.random() < 0.5
        self.slashes = rng.random() < 0.3  # encoders that write "\/", base64 included

    def ws(self, level):
        if self.kind == "compact":
            return ""
        if self.kind == "indent":
            return "\n" + "  " * level
        if self.kind == "tabs-crlf":
            return "\r\n" + "\t" * level
        return self.rng.choice(["", "", " ", "\n", "\t", "\r\n  ", " \t "])

    def colon(self):
        if self.kind == "compact":
            return ":"
        if self.kind == "random":
            return self.rng.choice(["", " ", "\t"]) + ":" + self.rng.choice(["", " ", "\n"])
        return ": "


def dump(v, style, level=0):
    if isinstance(v, Raw):
        return str(v)
    if v is None or isinstance(v, (bool, int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        s = json.dumps(v, ensure_ascii=style.ascii)
        return s.replace("/", "\\/") if style.slashes else s
    if isinstance(v, list):
        if not v:
            return "[" + style.ws(level) + "]" if style.kind == "random" else "[]"
        inner = ("," .join(style.ws(level + 1) + dump(x, style, level + 1) for x in v))
        return "[" + inner + style.ws(level) + "]"
    assert isinstance(v, dict)
    if not v:
        return "{}"
    inner = ",".join(style.ws(level + 1) + dump(k, style) + style.colon() + dump(x, style, level + 1)
                     for k, x in v.items())
    return "{" + inner + style.ws(level) + "}"


def write_event(rng, records):
    style = Style(rng)
    text = style.ws(0) + dump({"Records": records}, style) + style.ws(0)
    return text.encode("utf-8")


# ---- random DynamoDB values ----------------------------------------------------------------

EDGE_NUMBERS = ["0", "1", "-1", "1.50", "-0.3E5", "1E-130", "-1E-130", "1E+125", "1e2",
                "9.9999999999999999999999999999999999999E+125", "3.0e-7", "0.000001", "100",
                "12345678901234567890123456789012345678", "-98765432109876543210.987654321"]
NAMES = ["id", "zip", "caf\u00e9", "\u65e5\u672c", "\U0001f600", "with space", "quote\"d",
         "back\\slash", "tab\tname", "", "a/b", "M", "N", "S", "L", "NULL"]


def dynamodb_number_ok(text):
    """DynamoDB's rule per shardline.h: the grammar, at most 38 significant digits, zero or
    a magnitude in 1E-130 .. 9.99...E+125."""
    m = re.fullmatch(r"-?([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?", text)
    if not m:
        return False
    whole, frac = m.group(1), m.group(2) or ""
    digits = (whole + frac).lstrip("0")
    if not digits:
        return True  # zero, whatever its exponent
    if len(digits.rstrip("0")) > 38:
        return False
    # Integer arithmetic, not Decimal: exponents may have any number of digits. The
    # magnitude is d.ddd x 10^adjusted; in range when -130 <= adjusted <= 125.
    adjusted = int(m.group(3) or "0") - len(frac) + len(digits) - 1
    return -130 <= adjusted <= 125


def random_number(rng):
    if rng.random() < 0.3:
        return rng.choice(EDGE_NUMBERS)
    while True:
        sign = "-" if rng.random() < 0.3 else ""
        whole = rng.choice("123456789") + "".join(rng.choice("0123456789")
                                                  for _ in range(rng.randrange(0, 18)))
        if rng.random() < 0.2:
            whole = "0"
        frac = ("." + "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 15)))
                if rng.random() < 0.5 else "")
        exp = ""
        if rng.random() < 0.4:
            exp = rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randrange(0, 140))
        text = sign + whole + frac + exp
        if dynamodb_number_ok(text) and Decimal(text) != 0:
            return text


def random_string(rng):
    return rng.choice(WORDS + NAMES) + str(rng.randrange(1000))


def random_b64(rng, min_len=0):
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(min_len, 24)))
    return base64.b64encode(data).decode("ascii")


SCALARS = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS"]
ALL_TYPES = SCALARS + ["M", "L"]


def random_attr(rng, depth, kind=None):
    """One AttributeValue as a Python object ready for dump()."""
    if kind is None:
        kind = rng.choice(ALL_TYPES if depth < 5 else SCALARS)
    if kind == "S":
        return {"S": random_string(rng)}
    if kind == "N":
        return {"N": random_number(rng)}
    if kind == "B":
        return {"B": random_b64(rng)}
    if kind == "BOOL":
        return {"BOOL": rng.random() < 0.5}
    if kind == "NULL":
        return {"NULL": True}
    if kind == "SS":
        return {"SS": [random_string(rng) for _ in range(rng.randrange(1, 5))]}
    if kind == "NS":
        return {"NS": [random_number(rng) for _ in range(rng.randrange(1, 5))]}
    if kind == "BS":
        return {"BS": [random_b64(rng, 1) for _ in range(rng.randrange(1, 5))]}
    if kind == "M":
        return {"M": random_image(rng, depth + 1, rng.randrange(0, 5))}
    return {"L": [random_attr(rng, depth + 1) for _ in range(rng.randrange(0, 5))]}


def random_image(rng, depth=0, extra=None, every_type=False):
    """A map of attribute names to values; every_type puts one value of each type in."""
    kinds = list(ALL_TYPES) if every_type else []
    kinds += [None] * (rng.randrange(0, 6) if extra is None else extra)
    rng.shuffle(kinds)
    image = {}
    for i, kind in enumerate(kinds):
        image[rng.choice(NAMES) + str(i)] = random_attr(rng, depth, kind)
    return image


def random_keys(rng):
    if rng.random() < 0.5:
        return {"id": {"S": random_string(rng)}}
    sort = {"S": random_string(rng)} if rng.random() < 0.5 else {"B": random_b64(rng, 1)}
    keys = {"pk": {"N": random_number(rng)}, "sk": sort}
    return dict(reversed(keys.items())) if rng.random() < 0.5 else keys


def shuffled(rng, d):
    items = list(d.items())
    rng.shuffle(items)
    return dict(items)


VIEWS = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]
TIMES = ["1480642020", "1.635734407123456789E9", "1635734407.123", "1.6E9", "1700000000"]


def random_dynamodb_body(rng, name, view, change=False):
    """The "dynamodb" object of a record: images as the event name and view type imply."""
    keys = random_keys(rng)
    d = {}
    if change or rng.random() < 0.8:
        d["ApproximateCreationDateTime"] = Raw(rng.choice(["1651268339145", "1700000000000"])
                                               if change else rng.choice(TIMES))
    d["Keys"] = keys
    if name in ("INSERT", "MODIFY") and view in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES"):
        d["NewImage"] = {**keys, **random_image(rng, every_type=rng.random() < 0.7)}
    if name in ("MODIFY", "REMOVE") and view in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES"):
        d["OldImage"] = {**keys, **random_image(rng, every_type=rng.random() < 0.7)}
    if not change:
        d["SequenceNumber"] = "".join(rng.choice("0123456789") for _ in range(21))
    d["SizeBytes"] = Raw(str(rng.randrange(1, 400_000)))
    if not change:
        d["StreamViewType"] = view
    return shuffled(rng, d)


def random_dynamodb_record(rng):
    name = rng.choice(["INSERT", "MODIFY", "REMOVE"])
    view = rng.choice(VIEWS)
    rec = {
        "eventID": "%032x" % rng.getrandbits(128),
        "eventName": name,
        "eventVersion": rng.choice(["1.0", "1.1"]),
        "eventSource": "aws:dynamodb",
        "awsRegion": rng.choice(["us-east-1", "eu-west-1"]),
        "dynamodb": random_dynamodb_body(rng, name, view),
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2015-06-27T00:48:05.899",
    }
    if name == "REMOVE" and rng.random() < 0.4:
        rec["userIdentity"] = shuffled(rng, {"type": "Service", "principalId": "dynamodb.amazonaws.com"})
    elif rng.random() < 0.1:
        rec["userIdentity"] = None
    if rng.random() < 0.2:
        rec["unknownField"] = random_json_value(rng)
    return shuffled(rng, rec)


def random_change_record(rng):
    name = rng.choice(["INSERT", "MODIFY", "REMOVE"])
    rec = {
        "awsRegion": "us-east-1",
        "eventID": "%08x-%04x-4%03x-8%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                                   rng.getrandbits(12), rng.getrandbits(12),
                                                   rng.getrandbits(48)),
        "eventName": name,
        "userIdentity": None,
        "recordFormat": "application/json",
        "tableName": rng.choice(["Music", "caf\u00e9/orders"]),
        "dynamodb": random_dynamodb_body(rng, name, "NEW_AND_OLD_IMAGES", change=True),
        "eventSource": "aws:dynamodb",
    }
    if name == "REMOVE" and rng.random() < 0.5:
        rec["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    return shuffled(rng, rec)


# ---- fixtures -----------------------------------------------------------------------------

def fixture_kind(path):
    """"event" for {"Records": [...]}, "change" for a change record, None otherwise."""
    try:
        doc = strict_json(path.read_bytes().decode("utf-8-sig"))
    except ValueError:
        return None
    if isinstance(doc, dict) and isinstance(doc.get("Records"), list):
        return "event"
    if isinstance(doc, dict) and "dynamodb" in doc and "tableName" in doc:
        return "change"
    return None


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_matches_reference(path):
    raw = path.read_bytes()
    kind = fixture_kind(path)
    if kind == "event":
        assert decode_lines(raw) == reference_lines(raw)
        assert decode_lines(raw, "--in-place") == reference_lines(raw)
    elif kind == "change":
        expected = ref_dynamodb_record(load_exact(raw.decode("utf-8-sig")))
        assert decode_change(raw) == expected
    else:
        pytest.skip("neither an event nor a change record")


# ---- exact output ---------------------------------------------------------------------------

DOCS_RECORD = (
    '{"Records":[{"eventID":"1","eventName":"INSERT","eventVersion":"1.0","eventSource":"aws:dynamodb",'
    '"awsRegion":"us-east-1","dynamodb":{"Keys":{"Id":{"N":"101"}},"NewImage":{"Message":'
    '{"S":"New item!"},"Id":{"N":"101"}},"SequenceNumber":"111","SizeBytes":26,'
    '"StreamViewType":"NEW_AND_OLD_IMAGES"},"eventSourceARN":"stream-ARN"}]}')


def test_record_line_exact_bytes():
    lines = run_ok("decode", stdin=DOCS_RECORD.encode())
    assert lines == [
        '{"eventID":"1","eventName":"INSERT","eventVersion":"1.0","eventSource":"aws:dynamodb",'
        '"awsRegion":"us-east-1","eventSourceARN":"stream-ARN","dynamodb":{"Keys":{"Id":101},'
        '"NewImage":{"Message":"New item!","Id":101},"SequenceNumber":"111","SizeBytes":26,'
        '"StreamViewType":"NEW_AND_OLD_IMAGES"}}']


def test_every_type_exact_bytes():
    image = ('{"s":{"S":"a\\"\\u00e9\\n"},"n":{"N":"1.50"},"tiny":{"N":"1E-130"},"b":{"B":"AAEC"},'
             '"empty":{"B":""},"t":{"BOOL":true},"f":{"BOOL":false},"z":{"NULL":true},'
             '"m":{"M":{"x":{"N":"-0.3E5"},"y":{"M":{}}}},"l":{"L":[{"S":"x"},{"L":[]},{"N":"7"}]},'
             '"ss":{"SS":["x","x","y"]},"ns":{"NS":["2.50","1e2"]},"bs":{"BS":["AA==","/w=="]}}')
    lines = run_ok("unmarshal", stdin=image.encode())
    assert lines == [
        '{"s":"a\\"\u00e9\\n","n":1.50,"tiny":1E-130,"b":"AAEC","empty":"","t":true,"f":false,'
        '"z":null,"m":{"x":-0.3E5,"y":{}},"l":["x",[],7],"ss":["x","x","y"],"ns":[2.50,1e2],'
        '"bs":["AA==","/w=="]}']


def test_leading_zeros_dropped():
    # DynamoDB's number grammar allows them, JSON's does not: same value, valid JSON.
    lines = run_ok("unmarshal", stdin=b'{"a":{"N":"007"},"b":{"N":"-00.50"},"c":{"N":"0"},"d":{"N":"0e0"}}')
    assert lines == ['{"a":7,"b":-0.50,"c":0,"d":0e0}']


def test_user_identity_and_creation_time():
    raw = DOCS_RECORD.replace('"dynamodb":{', '"userIdentity":{"principalId":"dynamodb.amazonaws.com",'
                              '"type":"Service"},"dynamodb":{"ApproximateCreationDateTime":1.635734407123456789E9,')
    raw = raw.replace('"eventName":"INSERT"', '"eventName":"REMOVE"')
    line, = run_ok("decode", stdin=raw.encode())
    assert ('"eventSourceARN":"stream-ARN","userIdentity":{"type":"Service","principalId":'
            '"dynamodb.amazonaws.com"},"dynamodb":{"ApproximateCreationDateTime":1.635734407123456789E9,'
            '"Keys":') in line


def test_deep_nesting_32_levels():
    value = {"S": "bottom"}
    for i in range(31):
        value = {"M": {"k": value}} if i % 2 else {"L": [value]}
    event = json.loads(DOCS_RECORD)
    event["Records"][0]["dynamodb"]["NewImage"]["deep"] = value
    raw = json.dumps(event).encode()
    assert decode_lines(raw) == reference_lines(raw)


def test_nesting_to_max_depth_without_recursion():
    # 511 nested lists: the root object is level 1, each L adds 2 ({"L": [...]}), so the
    # innermost [] sits at level 1023 of the default 1024. One more is too deep.
    for levels, ok in ((511, True), (512, False)):
        text = '{"a":' + '{"L":[' * levels + ']}' * levels + '}'
        proc = run_cli("unmarshal", stdin=text.encode())
        if ok:
            assert proc.returncode == 0, proc.stderr
            assert proc.stdout.decode() == '{"a":' + '[' * levels + ']' * levels + '}\n'
        else:
            assert proc.returncode == 1 and proc.stdout == b""
            m = ERROR_LINE.match(proc.stderr)
            assert m and m.group(2) == b"SHARDLINE_ERR_DEPTH", proc.stderr
            assert int(m.group(1)) == text.index("[", len('{"a":') + 6 * (levels - 1))


# ---- random events, images and change records ---------------------------------------------

@pytest.mark.parametrize("seed", range(40))
def test_random_events(seed):
    rng = random.Random(seed)
    mix_kinesis = seed % 3 == 0
    records = []
    for i in range(rng.randrange(0 if seed else 1, 25)):
        if mix_kinesis and rng.random() < 0.4:
            records.append(random_kinesis_record(rng, i))
        else:
            records.append(random_dynamodb_record(rng))
    raw = write_event(rng, records)
    expected = reference_lines(raw)
    assert decode_lines(raw) == expected
    assert decode_lines(raw, "--in-place") == expected


@pytest.mark.parametrize("seed", range(20))
def test_random_unmarshal(seed):
    rng = random.Random(1000 + seed)
    style = Style(rng)
    raw = (style.ws(0) + dump(random_image(rng, every_type=True), style) + style.ws(0)).encode()
    assert unmarshal(raw) == ref_image(load_exact(raw.decode()))


@pytest.mark.parametrize("seed", range(10))
def test_random_decode_change(seed):
    rng = random.Random(2000 + seed)
    style = Style(rng)
    raw = dump(random_change_record(rng), style).encode()
    expected = ref_dynamodb_record(load_exact(raw.decode()))
    got = decode_change(raw)
    assert got == expected
    # The documented order: tableName and recordFormat right after eventSource.
    names = [k for k, _ in got]
    assert names[names.index("eventSource") + 1:][:2] == ["tableName", "recordFormat"]


CHANGE_RECORD = (
    '{"awsRegion":"us-east-1","eventID":"0cae7f39-4f2d-4a32-8e97-9b3f2f1e8b2a","eventName":"INSERT",'
    '"userIdentity":null,"recordFormat":"application/json","tableName":"Music","dynamodb":'
    '{"ApproximateCreationDateTime":1651268339145,"Keys":{"Artist":{"S":"No One You Know"}},'
    '"NewImage":{"Artist":{"S":"No One You Know"},"Year":{"N":"2020"}},"SizeBytes":52},'
    '"eventSource":"aws:dynamodb"}')


def test_decode_change_exact_bytes():
    lines = run_ok("decode-change", stdin=CHANGE_RECORD.encode())
    assert lines == [
        '{"eventID":"0cae7f39-4f2d-4a32-8e97-9b3f2f1e8b2a","eventName":"INSERT",'
        '"eventSource":"aws:dynamodb","tableName":"Music","recordFormat":"application/json",'
        '"awsRegion":"us-east-1","dynamodb":{"ApproximateCreationDateTime":1651268339145,'
        '"Keys":{"Artist":"No One You Know"},"NewImage":{"Artist":"No One You Know","Year":2020},'
        '"SizeBytes":52}}']


def test_generated_workload(tmp_path):
    if not GEN.exists():
        pytest.skip("gen_workload not built")
    event = tmp_path / "event.json"
    proc = subprocess.run([str(GEN), "dynamodb", "1000", "--out", str(event)], capture_output=True)
    if proc.returncode != 0:
        assert b"unknown event kind" in proc.stderr, proc.stderr
        pytest.skip("gen_workload has no dynamodb kind")
    raw = event.read_bytes()
    expected = reference_lines(raw)
    assert len(expected) == 1000
    assert decode_lines(raw) == expected
    assert decode_lines(raw, "--in-place") == expected


# ---- errors --------------------------------------------------------------------------------

ERROR_LINE = re.compile(rb"^shardline: -: offset (\d+): [^\n]+? \((SHARDLINE_ERR_[A-Z0-9_]+)\)( at [^\n]+)?\n$")


def expect_error(args, raw, code, offset, path=None, path_prefix=None):
    proc = run_cli(*args, stdin=raw)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == b""
    m = ERROR_LINE.match(proc.stderr)
    assert m, proc.stderr
    assert m.group(2).decode() == code, proc.stderr
    assert int(m.group(1)) == offset, proc.stderr
    at = m.group(3).decode()[len(" at "):] if m.group(3) else ""
    if path is not None:
        assert at == path, proc.stderr
    if path_prefix is not None:
        assert at.startswith(path_prefix), proc.stderr


def event_with(new_image_text):
    """DOCS_RECORD with NewImage replaced by raw text, and that text's offset."""
    head, tail = DOCS_RECORD.split('"NewImage":{', 1)
    tail = tail.split('},"SequenceNumber"', 1)[1]
    raw = head + '"NewImage":' + new_image_text + ',"SequenceNumber"' + tail
    return raw.encode(), len(head) + len('"NewImage":')


BAD_NUMBERS = ["12a", "", "+1", ".5", "1.", "1e", "0x10", " 1", "1E-131", "1E126", "9" * 39,
               "1" + "0" * 38 + ".5", "NaN", "Infinity", "-", "1e+", "--1"]


@pytest.mark.parametrize("text", BAD_NUMBERS)
def test_bad_number(text):
    image = '{"zip":{"N":%s}}' % json.dumps(text)
    raw, at = event_with(image)
    quote = at + image.index('{"N":') + len('{"N":')
    expect_error(["decode"], raw, "SHARDLINE_ERR_ATTR_NUMBER", quote,
                 path="Records[0].dynamodb.NewImage.zip.N")


def random_number_text(rng):
    """Mostly near-misses: leading zeros, 38/39 digits, exponents around the limits."""
    sign = rng.choice(["", "", "-", "+"])
    whole = "0" * rng.choice([0, 0, 1, 40]) + "".join(rng.choice("0123456789")
                                                      for _ in range(rng.randrange(0, 42)))
    frac = ""
    if rng.random() < 0.5:
        frac = "." + "0" * rng.choice([0, 5, 130]) + "".join(rng.choice("0123456789")
                                                            for _ in range(rng.randrange(0, 42)))
    exp = ""
    if rng.random() < 0.6:
        e = rng.choice([0, 1, 38, 88, 125, 126, 129, 130, 131, 10**20]) + rng.randrange(-2, 3)
        exp = rng.choice("eE") + rng.choice(["", "+", "-"]) + str(abs(e))
    return sign + whole + frac + exp


@pytest.mark.parametrize("seed", range(4))
def test_number_rule_matches_header(seed):
    # Every N accepted exactly when the header's rule says so, and written as documented.
    rng = random.Random(3000 + seed)
    for _ in range(50):
        text = random_number_text(rng)
        proc = run_cli("unmarshal", stdin=json.dumps({"a": {"N": text}}).encode())
        if dynamodb_number_ok(text):
            assert proc.returncode == 0, (text, proc.stderr)
            assert load_exact(proc.stdout.decode()) == (("a", ref_number(text)),), text
        else:
            assert proc.returncode == 1 and proc.stdout == b"", (text, proc.stderr)
            assert b"(SHARDLINE_ERR_ATTR_NUMBER) at a.N\n" in proc.stderr, (text, proc.stderr)


def test_bad_number_in_set():
    image = '{"nums":{"NS":["1","2x"]}}'
    raw, at = event_with(image)
    expect_error(["decode"], raw, "SHARDLINE_ERR_ATTR_NUMBER", at + image.index('"2x"'),
                 path="Records[0].dynamodb.NewImage.nums.NS[1]")


@pytest.mark.parametrize("b64,code,bad", [
    ("AB!D", "SHARDLINE_ERR_BASE64_CHAR", "!"),
    ("QR==", "SHARDLINE_ERR_BASE64_TRAILING_BITS", "R"),
    # An offset inside escaped text cannot be mapped back to the input: the library reports
    # the string's first character, as it does for Kinesis data.
    ("QUJD\\nREVG", "SHARDLINE_ERR_BASE64_CHAR", "QUJD"),
    ("QUJ", "SHARDLINE_ERR_BASE64_PADDING", "QUJ"),
])
def test_bad_base64(b64, code, bad):
    image = '{"pic":{"B":"%s"}}' % b64
    raw, at = event_with(image)
    expect_error(["decode"], raw, code, at + image.index(bad, len('{"pic":{"B":"')),
                 path="Records[0].dynamodb.NewImage.pic.B")


def test_bad_base64_in_set():
    image = '{"pics":{"BS":["AA==","A-=="]}}'
    raw, at = event_with(image)
    expect_error(["decode"], raw, "SHARDLINE_ERR_BASE64_CHAR", at + image.index("-"),
                 path="Records[0].dynamodb.NewImage.pics.BS[1]")


@pytest.mark.parametrize("av,where,path", [
    ('{"S":"x","N":"1"}', '"N"', "a.N"),              # a second type key: its opening quote
    ('{}', '{}', "a"),                                # no type key: the '{'
    ('{"X":"1"}', '"X"', "a.X"),                      # not a type key
    ('{"s":"x"}', '"s"', "a.s"),                      # type keys are case-sensitive
    ('{"L":[{"S":"x","S":"y"}]}', '"S":"y"', "a.L[0].S"),
    ('{"M":{"b":{}}}', '{}', "a.M.b"),
])
def test_attr_type(av, where, path):
    image = '{"a":%s}' % av
    raw, at = event_with(image)
    expect_error(["decode"], raw, "SHARDLINE_ERR_ATTR_TYPE", at + image.index(where, len('{"a":')),
                 path="Records[0].dynamodb.NewImage." + path)


def test_unmarshal_error_path():
    image = '{"address":{"M":{"street":{"S":"Main"},"zip":{"N":"1x"}}}}'
    expect_error(["unmarshal"], image.encode(), "SHARDLINE_ERR_ATTR_NUMBER", image.index('"1x"'),
                 path="address.M.zip.N")


def test_decode_change_error_path():
    raw = CHANGE_RECORD.replace('"Year":{"N":"2020"}', '"Year":{"N":"20 20"}')
    expect_error(["decode-change"], raw.encode(), "SHARDLINE_ERR_ATTR_NUMBER", raw.index('"20 20"'),
                 path="dynamodb.NewImage.Year.N")


def test_invalid_json_writes_nothing():
    for args, raw in ((["unmarshal"], b'{"a":{"S":"x"},}'), (["decode-change"], CHANGE_RECORD[:-1].encode()),
                      (["unmarshal"], b""), (["decode"], DOCS_RECORD[:-3].encode())):
        proc = run_cli(*args, stdin=raw)
        assert proc.returncode == 1 and proc.stdout == b"", (args, proc.stderr)
        assert ERROR_LINE.match(proc.stderr), proc.stderr


def test_usage_errors():
    assert run_cli("unmarshal", "--bogus").returncode == 2
    assert run_cli("decode-change", "a.json", "b.json").returncode == 2
    assert run_cli("unmarshal", "/nonexistent/image.json").returncode == 2
    help_text = run_cli("help").stdout.decode()
    assert "decode-change [FILE|-]" in help_text and "unmarshal [FILE|-]" in help_text
