#!/usr/bin/env python3
"""make_corpus.py - writes the fuzz targets' seed corpora, fuzz/corpus/<target>/, from tests/data.

Seeds are cut from the Kinesis and DynamoDB fixtures: whole events, the
images (Keys, NewImage, OldImage and nested M maps) as their exact text,
decoded payloads, base64 strings, text fields; plus a few hand-written edge
cases per target. Files this script writes start with "seed-"; it replaces
those and leaves any other file alone (inputs merged in from fuzzing runs).
Run it from anywhere, with any Python 3; it needs nothing beyond the
standard library.
"""
import base64
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "tests", "data")
CORPUS = os.path.join(HERE, "corpus")
TARGETS = ["event", "json", "base64", "dynamodb", "in_place", "differential", "alloc"]
PREFIX = "seed-"


# ---- reading the fixtures ---------------------------------------------------------

def fixtures():
    """(name, bytes) of every event fixture, Kinesis first, sorted."""
    out = []
    for kind in ("kinesis", "dynamodb"):
        folder = os.path.join(DATA, kind)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".json"):
                with open(os.path.join(folder, name), "rb") as f:
                    out.append((kind + "-" + name[:-5], f.read()))
    return out


def skip_ws(text, i):
    while i < len(text) and text[i] in b" \t\r\n":
        i += 1
    return i


def skip_value(text, i):
    """End of the JSON value starting at text[i] (the fixtures are valid JSON)."""
    c = text[i:i + 1]
    if c == b'"':
        i += 1
        while text[i:i + 1] != b'"':
            i += 2 if text[i:i + 1] == b"\\" else 1
        return i + 1
    if c in (b"{", b"["):
        depth = 0
        while True:
            c = text[i:i + 1]
            if c == b'"':
                i = skip_value(text, i)
                continue
            if c in (b"{", b"["):
                depth += 1
            elif c in (b"}", b"]"):
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
    while i < len(text) and text[i:i + 1] not in b",]} \t\r\n":
        i += 1
    return i


def raw_members(text, key):
    """The exact text of the value of every member named key (escapes,
    whitespace and duplicate keys kept, which json.loads would lose)."""
    out = []
    for m in re.finditer(re.escape(b'"' + key + b'"'), text):
        i = skip_ws(text, m.end())
        if text[i:i + 1] != b":":
            continue  # a string value, not a key
        i = skip_ws(text, i + 1)
        out.append(text[i:skip_value(text, i)])
    return out


def strings_of(node, keys):
    """Every string value of a member whose key is in keys, and every string
    in an array held by such a member (BS, SS), anywhere in a parsed tree."""
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, list):
            stack.extend(reversed(n))
        elif isinstance(n, dict):
            for k, v in n.items():
                if k in keys and isinstance(v, str):
                    out.append(v)
                elif k in keys and isinstance(v, list):
                    out.extend(x for x in v if isinstance(x, str))
                else:
                    stack.append(v)
    return out


# ---- hand-written edge cases ---------------------------------------------------------

MINIMAL_KINESIS = (
    b'{"Records":[{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"k",'
    b'"sequenceNumber":"1","data":"SGVsbG8=","approximateArrivalTimestamp":1.5},'
    b'"eventSource":"aws:kinesis","eventVersion":"1.0","eventID":"shardId-0:1",'
    b'"eventName":"aws:kinesis:record","invokeIdentityArn":"arn:aws:iam::1:role/r",'
    b'"awsRegion":"us-east-1","eventSourceARN":"arn:aws:kinesis:us-east-1:1:stream/s"}]}'
)

MINIMAL_DYNAMODB = (
    b'{"Records":[{"eventID":"1","eventName":"MODIFY","eventVersion":"1.1",'
    b'"eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{'
    b'"ApproximateCreationDateTime":1.6E9,"Keys":{"id":{"N":"1"}},'
    b'"NewImage":{"id":{"N":"1"},"b":{"B":"AAE="},"bs":{"BS":["AA==","/w=="]}},'
    b'"OldImage":{"id":{"N":"1"}},"SequenceNumber":"2","SizeBytes":3,'
    b'"StreamViewType":"NEW_AND_OLD_IMAGES"},'
    b'"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"},'
    b'"eventSourceARN":"arn:aws:dynamodb:us-east-1:1:table/t/stream/s"}]}'
)

IMAGES = [
    b'{}',
    b'{"n":{"N":"-0.00012345678901234567890123456789012345678E-90"}}',
    b'{"e":{"S":"\\u00e9\\ud83d\\ude00\\/\\n"},"\\u0061":{"NULL":true}}',
    b'{"l":{"L":[{"M":{}},{"L":[]},{"SS":[]},{"NS":["1E-130","9.9999999999999999999999999999999999999E+125"]}]}}',
    b'{"b":{"B":"\\/w=="},"f":{"BOOL":false}}',
    b'{"t":{"\\u0053":"escaped type key"},"u":{"\\u0042\\u0053":["AA=="]}}',
]

DOCUMENTS = [
    b'[0,-0,0.0,-0.0,1E-130,1e308,1.7976931348623157e308,1.7976931348623159e308,'
    b'2.2250738585072014e-308,4.9e-324,2.4703282292062328e-324,9007199254740993,'
    b'-9223372036854775808,9223372036854775807,9223372036854775808,1.5e+3,120e-1,'
    b'123456789012345678901234567890,0.1,1e-400,1e400]',
    b'{"a\\u00e9":"\\ud83d\\ude00\\n\\t\\"\\\\\\/\\b\\f\\r","":"","k":1,"k":2}',
    b'\xef\xbb\xbf {"nested":[[[[{"deep":[null,true,false]}]]]]} \r\n',
    b'"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x98\x80"',
    b'[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
]


def dense_image(members):
    """An image with many small values: nodes outgrow the first arena chunk,
    so allocations happen while the tree is being built, where fuzz_alloc
    can fail them."""
    parts = []
    for i in range(members):
        parts.append(b'"a%d":{"L":[{"N":"%d"},{"BOOL":true},{"SS":["x"]},{"M":{}}]}' % (i, i))
    return b"{" + b",".join(parts) + b"}"


DENSE_IMAGE = dense_image(60)
DENSE_EVENT = MINIMAL_DYNAMODB.replace(b'"NewImage":{"id":{"N":"1"},', b'"NewImage":' + DENSE_IMAGE[:-1] + b",")
DENSE_DOCUMENT = b"[" + b",".join(b"[%d,{},[]]" % i for i in range(400)) + b"]"

# Beyond the 780 digits number.c hands to strtod: 2^53 + 1 written exactly
# (a tie, to even) and a hair above it (rounds up), 800 zeros in between.
LONG_NUMBERS = b"[9007199254740993" + b"0" * 800 + b"e-800,9007199254740993" + b"0" * 800 + b"1e-801]"

# Deeper than the 4096 levels the validator keeps on the stack: with
# max_depth raised it grows a heap copy, an allocation fuzz_alloc can fail.
DEEP_DOCUMENT = b"[" * 5000 + b"]" * 5000

# More records than the first record table holds (16), compact enough to fit.
COMPACT_DYNAMODB = (
    b'{"eventID":"","eventName":"INSERT","eventVersion":"","eventSource":"aws:dynamodb",'
    b'"awsRegion":"","eventSourceARN":"","dynamodb":{"SequenceNumber":"1","SizeBytes":0,'
    b'"StreamViewType":"KEYS_ONLY"}}'
)
MANY_RECORDS = b'{"Records":[' + b",".join([COMPACT_DYNAMODB] * 40) + b"]}"

# A "dynamodb" member ahead of eventSource on a Kinesis record: read as its
# own kind, refused once the record is read.
DYNAMODB_ON_KINESIS = MINIMAL_KINESIS.replace(
    b'"eventSource":"aws:kinesis"',
    b'"dynamodb":{"SequenceNumber":"1","SizeBytes":0,"StreamViewType":"KEYS_ONLY"},'
    b'"eventSource":"aws:kinesis"')

BASE64 = [
    b"", b"QQ==", b"QUI=", b"QUJD", b"Zm9vYmFy", b"+/+/", b"AAECAwQFBgcICQoLDA0ODw==",
    b"QR==", b"QUJ=", b"AB=C", b"A===", b"====", b"Zg", b"Zm9v\n", b"-_-_", b"Zm9v YmFy",
]

UTF8 = [
    b"plain ascii text that is longer than sixteen bytes",
    "caf\u00e9 \u65e5\u672c\u8a9e \U0001F600 \u00fc".encode("utf-8"),
    b"\xc0\xaf overlong", b"\xe0\x80\xaf overlong", b"\xed\xa0\x80 surrogate",
    b"\xf4\x90\x80\x80 beyond", b"\xf8\x88\x80\x80\x80 five", b"cut \xe6\x97",
    b"stop\"quote", b"stop\\backslash", b"stop\x01control", b"\x7f\x80\xbf",
]


# ---- writing ------------------------------------------------------------------------------

def slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:60]


class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(CORPUS, target)
        self.seen = set()
        self.files = {}

    def add(self, name, data):
        digest = hashlib.sha1(data).hexdigest()
        if digest in self.seen:
            return
        self.seen.add(digest)
        name = PREFIX + slug(name)
        if name in self.files:
            name += "-" + digest[:8]
        self.files[name] = data

    def write(self):
        os.makedirs(self.dir, exist_ok=True)
        for old in os.listdir(self.dir):
            if old.startswith(PREFIX):
                os.remove(os.path.join(self.dir, old))
        for name, data in sorted(self.files.items()):
            with open(os.path.join(self.dir, name), "wb") as f:
                f.write(data)
        return len(self.files), sum(len(d) for d in self.files.values())


def main():
    corpora = {t: Corpus(t) for t in TARGETS}
    events = fixtures()

    images = []  # (name, exact text)
    payloads = []  # (name, decoded bytes)
    b64_texts = []  # (name, base64 text)
    text_fields = []  # (name, UTF-8 text)
    for name, raw in events:
        for key in (b"Keys", b"NewImage", b"OldImage", b"M"):
            for n, value in enumerate(raw_members(raw, key)):
                # Nested maps: a few per fixture are enough variety.
                if value.startswith(b"{") and (key != b"M" or n < 4):
                    images.append(("%s-%s-%d" % (name, key.decode(), n), value))
        tree = json.loads(raw.decode("utf-8-sig"))
        for n, s in enumerate(strings_of(tree, {"data", "B", "BS"})):
            b64_texts.append(("%s-b64-%d" % (name, n), s.encode("ascii")))
            payloads.append(("%s-payload-%d" % (name, n), base64.b64decode(s, validate=True)))
        for n, s in enumerate(strings_of(tree, {"partitionKey", "S", "SS", "eventID"})):
            text_fields.append(("%s-text-%d" % (name, n), s.encode("utf-8")))

    hand_events = [("minimal-kinesis", MINIMAL_KINESIS), ("minimal-dynamodb", MINIMAL_DYNAMODB)]
    hand_images = [("image-%d" % n, v) for n, v in enumerate(IMAGES)]
    hand_docs = [("document-%d" % n, v) for n, v in enumerate(DOCUMENTS)]

    for target in ("event", "in_place", "alloc"):
        for name, data in events + hand_events:
            corpora[target].add(name, data)
    for target in ("dynamodb", "in_place", "alloc"):
        for name, data in images + hand_images:
            corpora[target].add(name, data)
    for name, data in events + hand_docs + payloads:
        corpora["json"].add(name, data)
    corpora["alloc"].add("document-0", DOCUMENTS[0])
    for target in ("alloc", "dynamodb", "in_place"):
        corpora[target].add("dense-image", DENSE_IMAGE)
    for target in ("alloc", "event", "in_place"):
        corpora[target].add("dense-event", DENSE_EVENT)
    for target in ("alloc", "json"):
        corpora[target].add("dense-document", DENSE_DOCUMENT)
        corpora[target].add("deep-document", DEEP_DOCUMENT)
    corpora["json"].add("long-numbers", LONG_NUMBERS)
    for target in ("alloc", "event", "in_place"):
        corpora[target].add("many-records", MANY_RECORDS)
    corpora["event"].add("dynamodb-on-kinesis", DYNAMODB_ON_KINESIS)
    for n, data in enumerate(BASE64):
        corpora["base64"].add("edge-%d" % n, data)
        corpora["differential"].add("base64-edge-%d" % n, data)
    for name, data in b64_texts:
        corpora["base64"].add(name, data)
        corpora["differential"].add(name, data)
    for name, data in payloads:
        corpora["base64"].add(name, data)  # raw bytes for the round trip
    for n, data in enumerate(UTF8):
        corpora["differential"].add("utf8-edge-%d" % n, data)
    for name, data in text_fields:
        corpora["differential"].add(name, data)
    for name, data in events[:2]:
        corpora["differential"].add(name, data)

    total = 0
    for target in TARGETS:
        count, size = corpora[target].write()
        total += size
        print("corpus/%-13s %3d seeds, %6d bytes" % (target, count, size))
    print("total %d bytes" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
