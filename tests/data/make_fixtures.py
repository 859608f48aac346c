#!/usr/bin/env python3
"""make_fixtures.py - writes the Kinesis event fixtures in tests/data/kinesis.

Payloads are encoded with Python's own base64 module, so the fixtures do not
depend on the library they test. Run it from anywhere; it rewrites the files.
The exact payloads are repeated as expectations in tests/test_kinesis.c.
"""
import base64
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kinesis")
ARN = "arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"
ROLE = "arn:aws:iam::123456789012:role/lambda-role"
SEQ = [
    "49590338271490256608559692538361571095921575989136588898",
    "49590338271490256608559692540925702759324208523137515618",
    "49545115243490985018280067714973144582180062593244200961",
    "49545115243490985018280067714973144582180062593244200962",
    "4954511524349098501828006771497314458218006259324420",
]


def b64(data):
    return base64.b64encode(data).decode("ascii")


def q(text):
    """A JSON string literal, written by hand so escapes stay as chosen."""
    return '"' + text + '"'


def record(pk, seq, data, ts, enc=None, order="kinesis-first", extra=None, data_key="data",
           event_id=None):
    """Members of one record as (key, raw JSON) pairs, in the given order."""
    kinesis = [
        ("kinesisSchemaVersion", q("1.0")),
        ("partitionKey", pk),
        ("sequenceNumber", q(seq)),
        (data_key, data),
        ("approximateArrivalTimestamp", ts),
    ]
    if enc is not None:
        kinesis.append(("encryptionType", q(enc)))
    top = [
        ("eventSource", q("aws:kinesis")),
        ("eventVersion", q("1.0")),
        ("eventID", event_id or q("shardId-000000000006:" + seq)),
        ("eventName", q("aws:kinesis:record")),
        ("invokeIdentityArn", q(ROLE)),
        ("awsRegion", q("us-east-2")),
        ("eventSourceARN", q(ARN)),
    ]
    if order == "kinesis-first":
        members = [("kinesis", kinesis)] + top
    elif order == "kinesis-last":
        members = top + [("kinesis", kinesis)]
    else:  # "reversed": every member list in reverse order
        members = list(reversed(top)) + [("kinesis", list(reversed(kinesis)))]
    if extra:
        members.insert(1, extra)
    return members


def write(name, records, style="pretty", top_extra=None, bom=False):
    """Serialise with a chosen whitespace style: pretty, minified, tabs-crlf."""
    if style == "pretty":
        nl, ind, sp = "\n", "  ", " "
    elif style == "minified":
        nl, ind, sp = "", "", ""
    else:
        nl, ind, sp = "\r\n", "\t", "\t"

    def obj(members, depth):
        if not members:
            return "{}"
        pad = ind * (depth + 1)
        parts = []
        for key, value in members:
            if isinstance(value, list):
                value = obj(value, depth + 1)
            parts.append(pad + q(key) + ":" + sp + value)
        return "{" + nl + ("," + nl).join(parts) + nl + ind * depth + "}"

    recs = [obj(r, 2) for r in records]
    if recs:
        arr = "[" + nl + ("," + nl).join(ind * 2 + r for r in recs) + nl + ind + "]"
    else:
        arr = "[]"
    members = [("Records", arr)]
    if top_extra:
        members = top_extra[:1] + members + top_extra[1:]
    text = "{" + nl + ("," + nl).join(ind + q(k) + ":" + sp + v for k, v in members) + nl + "}" + nl
    with open(os.path.join(HERE, name), "wb") as f:
        if bom:
            f.write(b"\xef\xbb\xbf")
        f.write(text.encode("utf-8"))


def main():
    os.makedirs(HERE, exist_ok=True)
    json_payload = b'{"id":1,"name":"caf\\u00e9 \\"quoted\\"","tags":["a","b"],"price":12.50,"ok":true,"none":null}'
    text_payload = "plain text, not JSON: \u00fcn\u00efc\u00f6d\u00e9 \u2713".encode("utf-8")
    binary_payload = bytes(range(256))
    pretty_payload = b'{\n  "a": [1, 2.5e3, -0],\n  "b": {"c": "d"}\n}'
    write("mixed-payloads.json", [
        record(q("pk-json"), SEQ[0], q(b64(json_payload)), "1428537600", enc="NONE"),
        record(q("pk-text"), SEQ[1], q(b64(text_payload)), "1480641523.477"),
        record(q("pk-binary"), SEQ[2], q(b64(binary_payload)), "1.607497475E9", enc="KMS"),
        record(q("pk-empty"), SEQ[3], q(""), "1607497475.000"),
        record(q("pk-pretty"), SEQ[4], q(b64(pretty_payload)), "1.6074974755E+9"),
    ])

    unknown = ("extra", '{"nested":[1,{"x":null},true,false,-1.5e-3],"s":"\\u0041\\n"}')
    window = [
        ("window", '{"start":"2020-07-30T17:00:00Z","end":"2020-07-30T17:05:00Z"}'),
        ("state", "{}"),
        ("shardId", q("shardId-000000000006")),
        ("isFinalInvokeForWindow", "false"),
    ]
    write("field-order.json", [
        record(q("a"), SEQ[0], q(b64(b"first")), "1545084650.987", order="kinesis-last"),
        record(q("b"), SEQ[1], q(b64(b"second")), "1545084650", order="reversed", extra=unknown),
        record(q("c"), SEQ[2], q(b64(b"third")), "1.545084650987e9", enc="NONE"),
    ], top_extra=window)

    whitespace_records = [
        record(q("ws-1"), SEQ[0], q(b64(b'{"k": "v"}')), "1545084650.987"),
        record(q("ws-2"), SEQ[1], q(b64(b"[1,2,3]")), "1545084651"),
    ]
    write("tabs-crlf.json", whitespace_records, style="tabs-crlf")
    write("minified.json", whitespace_records, style="minified")

    # Escapes: partition keys in every form, an escaped key name, an eventID
    # with \u escapes of ASCII letters, and base64 "data" with "\/" escapes.
    slashy = b"\xfb\xff\xbf"  # encodes to "+/+/"
    assert b64(slashy) == "+/+/"
    write("escapes.json", [
        record(q("caf\\u00e9"), SEQ[0], q(b64(b"one")), "1"),
        record(q("\\ud83d\\ude00 smile"), SEQ[1], q(b64(b"two")), "2"),
        record(q("\u65e5\u672c\u8a9e"), SEQ[2], q(b64(b"three")), "3"),
        record(q('quote\\" backslash\\\\ slash\\/ tab\\t'), SEQ[3], q(b64(slashy).replace("/", "\\/")), "4",
               data_key="d\\u0061ta", event_id=q("\\u0073hardId-000000000006:" + SEQ[3])),
    ])

    write("bom.json", [record(q("bom"), SEQ[0], q(b64(b"with a byte order mark")), "1545084650.987")],
          bom=True)
    write("empty-batch.json", [])


if __name__ == "__main__":
    main()
