#!/usr/bin/env python3
"""make_fixtures.py - writes the event fixtures in tests/data/kinesis and tests/data/dynamodb.

Payloads are encoded with Python's own base64 module, so the fixtures do not
depend on the library they test. Run it from anywhere; it rewrites the files.
The exact payloads are repeated as expectations in tests/test_kinesis.c and
tests/test_dynamodb.c. Every DynamoDB fixture is read back with Python's json
module to make sure it is valid JSON.
"""
import base64
import json
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

    dynamodb_main()


# ---- DynamoDB Streams --------------------------------------------------------------

DDB_HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dynamodb")
DOCS_ARN = ("arn:aws:dynamodb:us-west-2:123456789012:table/ExampleTableWithStream/stream/"
            "2015-06-27T00:48:05.899")
TYPES_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/AllTypes/stream/2023-09-06T10:45:55.123"
MUSIC_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Music/stream/2021-11-01T02:40:07.123"
DEEP_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/Deep/stream/2024-01-01T00:00:00.000"


class Raw(str):
    """JSON text written exactly as given (escapes, number spellings)."""


def dump(value, style="pretty", depth=0):
    """Serialise a value: Raw as is, str through json.dumps (raw UTF-8), bool,
    None, int, a list of (key, value) pairs as an object (so member order and
    duplicate keys stay as written) and a tuple as an array.

    Styles: "pretty" (2-space indent), "compact" (pretty, but containers whose
    one-line form is short stay on one line), "tabs-crlf", "minified"."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if style == "minified":
        nl, ind, sp = "", "", ""
    elif style == "tabs-crlf":
        nl, ind, sp = "\r\n", "\t", "\t"
    else:
        nl, ind, sp = "\n", "  ", " "
    if isinstance(value, list):
        items = [json.dumps(k, ensure_ascii=False) if not isinstance(k, Raw) else str(k) for k, _ in value]
        vals = [v for _, v in value]
        opener, closer = "{", "}"
    else:
        items, vals, opener, closer = None, list(value), "[", "]"
    if not vals:
        return opener + closer
    if style == "compact":
        flat = dump(value, "oneline")
        if len(flat) + 2 * depth <= 78:
            return flat
    if style == "oneline":
        parts = [(items[i] + ": " if items else "") + dump(v, "oneline") for i, v in enumerate(vals)]
        return opener + ", ".join(parts) + closer
    pad = ind * (depth + 1)
    parts = []
    for i, v in enumerate(vals):
        key = items[i] + ":" + sp if items else ""
        parts.append(pad + key + dump(v, style, depth + 1))
    return opener + nl + ("," + nl).join(parts) + nl + ind * depth + closer


def write_ddb(name, value, style="pretty"):
    nl = {"minified": "", "tabs-crlf": "\r\n"}.get(style, "\n")
    text = dump(value, style) + nl
    json.loads(text)  # strict enough: the fixtures must be plain JSON
    with open(os.path.join(DDB_HERE, name), "wb") as f:
        f.write(text.encode("utf-8"))


def S(text):
    return [("S", text)]


def N(text):
    return [("N", text)]


def B(data):
    return [("B", b64(data))]


def ddb_record(event_id, name, dynamodb, arn, version="1.1", region="us-east-1", order=None,
               user_identity=False, extra=None):
    """A DynamoDB Streams record; `order` lists the member names in output order.
    user_identity False leaves it out, None writes null, a pair writes the object."""
    members = {
        "eventID": event_id,
        "eventName": name,
        "eventVersion": version,
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": dynamodb,
        "eventSourceARN": arn,
    }
    order = order or ["eventID", "eventName", "eventVersion", "eventSource", "awsRegion",
                      "userIdentity", "dynamodb", "eventSourceARN"]
    out = []
    for key in order:
        if key == "userIdentity":
            if user_identity is None:
                out.append((key, None))
            elif user_identity is not False:
                out.append((key, [("type", user_identity[0]), ("principalId", user_identity[1])]))
        else:
            out.append((key, members[key]))
    if extra:
        out.insert(1, extra)
    return out


def event(records):
    return [("Records", tuple(records))]


def kinesis_as_value(members):
    """A record() from the Kinesis fixtures (raw JSON texts) as a dump() value."""
    return [(k, kinesis_as_value(v) if isinstance(v, list) else Raw(v)) for k, v in members]


MUSIC_KEYS = [("Artist", S("No One You Know")), ("SongTitle", S("Call Me Today"))]
MUSIC_IMAGE = MUSIC_KEYS + [("AlbumTitle", S("Somewhat Famous")), ("Awards", N("1"))]


def change_record():
    """A DynamoDB change record as Kinesis Data Streams for DynamoDB delivers it."""
    return [
        ("awsRegion", "us-east-1"),
        ("eventID", "4b6f6b0f-17b4-4d4a-9ab3-8fb0b7f0a0b1"),
        ("eventName", "INSERT"),
        ("userIdentity", None),
        ("recordFormat", "application/json"),
        ("tableName", "Music"),
        ("dynamodb", [
            ("ApproximateCreationDateTime", Raw("1731924555370")),
            ("Keys", MUSIC_KEYS),
            ("NewImage", MUSIC_IMAGE),
            ("SizeBytes", 70),
        ]),
        ("eventSource", "aws:dynamodb"),
    ]


def deep(level, last=32):
    """Level `level` of a value nested `last` levels of M and L, alternating."""
    inner = S("bottom") if level == last else deep(level + 1, last)
    if level % 2:
        return [("M", [("m%d" % level, inner)])]
    return [("L", (inner,))]


def dynamodb_main():
    os.makedirs(DDB_HERE, exist_ok=True)

    # The AWS docs sample (three records on ExampleTableWithStream), member
    # orders as the docs give them.
    key = [("Id", N("101"))]
    new1 = [("Message", S("New item!")), ("Id", N("101"))]
    new2 = [("Message", S("This item has changed")), ("Id", N("101"))]
    docs_order = ["eventID", "eventVersion", "dynamodb", "awsRegion", "eventName", "eventSourceARN",
                  "eventSource"]
    ts = Raw("1480642020")
    write_ddb("aws-docs-sample.json", event([
        ddb_record("1", "INSERT", [
            ("Keys", key), ("NewImage", new1), ("StreamViewType", "NEW_AND_OLD_IMAGES"),
            ("SequenceNumber", "111"), ("SizeBytes", 26), ("ApproximateCreationDateTime", ts),
        ], DOCS_ARN, version="1.0", region="us-west-2", order=docs_order),
        ddb_record("2", "MODIFY", [
            ("OldImage", new1), ("SequenceNumber", "222"), ("Keys", key), ("SizeBytes", 59),
            ("NewImage", new2), ("StreamViewType", "NEW_AND_OLD_IMAGES"),
            ("ApproximateCreationDateTime", ts),
        ], DOCS_ARN, version="1.0", region="us-west-2", order=docs_order),
        ddb_record("3", "REMOVE", [
            ("Keys", key), ("SizeBytes", 38), ("SequenceNumber", "333"), ("OldImage", new2),
            ("StreamViewType", "NEW_AND_OLD_IMAGES"), ("ApproximateCreationDateTime", ts),
        ], DOCS_ARN, version="1.0", region="us-west-2", order=docs_order),
    ]))

    # Every AttributeValue type in one NewImage, on a TTL deletion.
    new_image = [
        ("pk", S("item#1")),
        ("s_escapes", [("S", Raw('"line\\nbreak \\"q\\" back\\\\slash \\/ tab\\t caf\\u00e9 \\ud83d\\ude00"'))]),
        ("s_raw", S("\u65e5\u672c\u8a9e \u00fcn\u00efc\u00f6d\u00e9 \U0001F600")),
        ("s_empty", S("")),
        ("n_zero", N("0")),
        ("n_int", N("101")),
        ("n_neg_frac", N("-0.5")),
        ("n_min", N("1E-130")),
        ("n_max", N("9.9999999999999999999999999999999999999E+125")),
        ("n_38", N("12345678901234567890123456789012345678")),
        ("n_tenth", N("0.1")),
        ("n_neg_zero", N("-0")),
        ("n_exp", N("-1.5e+3")),
        ("n_lead", N("007")),
        ("n_trail", N("1.50")),
        ("n_int64_max", N("9223372036854775807")),
        ("n_int64_min", N("-9223372036854775808")),
        ("n_2p63", N("9223372036854775808")),
        ("n_zeros", N("0" * 50 + "1." + "0" * 50)),
        ("n_38_frac", N("-0.00012345678901234567890123456789012345678E-90")),
        ("b_test", [("B", "test")]),
        ("b_256", B(bytes(range(256)))),
        ("b_empty", [("B", "")]),
        ("bool_t", [("BOOL", True)]),
        ("bool_f", [("BOOL", False)]),
        ("null", [("NULL", True)]),
        ("address", [("M", [
            ("street", S("1 Main St")),
            ("zip", N("02134")),
            ("geo", [("M", [("lat", N("42.3601")), ("lng", N("-71.0589"))])]),
        ])]),
        ("list", [("L", (
            S("a"), N("1"), [("BOOL", False)], [("NULL", True)],
            [("L", (S("nested"), [("L", ())]))],
            [("M", [("k", S("v"))])],
            B(b"\x00\x01*A"),
            [("SS", ("x",))], [("NS", ("1",))], [("BS", (b64(b"A"),))],
        ))]),
        ("ss_empty", [("SS", ())]),
        ("ns_empty", [("NS", ())]),
        ("bs_empty", [("BS", ())]),
        ("l_empty", [("L", ())]),
        ("m_empty", [("M", [])]),
        ("ss", [("SS", ("red", "green", Raw('"caf\\u00e9"'), "red"))]),
        ("ns", [("NS", ("1", "-2.5", "1E+10", "0", "1E-130"))]),
        ("bs", [("BS", (b64(b"\x00\x01*A"), b64(b"A*\x01\x00"), b64(b"\x00\x01*A"), "test"))]),
        ("dup", [("M", [("k", N("1")), ("k", N("2"))])]),
        (Raw('"caf\\u00e9"'), S("escaped name")),
    ]
    assert b64(b"\x00\x01*A") == "AAEqQQ==" and b64(b"A*\x01\x00") == "QSoBAA=="
    assert base64.b64decode("test") == b"\xb5\xeb\x2d"
    keys = [("pk", S("item#1"))]
    write_ddb("all-types.json", event([
        ddb_record("f07f8ca4b0b26cb9c4e5e77e69f274ee", "REMOVE", [
            ("ApproximateCreationDateTime", Raw("1693997155.0")),
            ("Keys", keys),
            ("NewImage", new_image),
            ("OldImage", keys + [("ttl", N("1693997100"))]),
            ("SequenceNumber", "1405400000000002063282832"),
            ("SizeBytes", 1234),
            ("StreamViewType", "NEW_AND_OLD_IMAGES"),
        ], TYPES_ARN, user_identity=("Service", "dynamodb.amazonaws.com")),
    ]), style="compact")

    # KEYS_ONLY, NEW_IMAGE, OLD_IMAGE: images that the view type leaves out are
    # absent; unknown members in the record and in "dynamodb".
    write_ddb("stream-view-types.json", event([
        ddb_record("b1f2a0c3d4e5f60718293a4b5c6d7e8f", "INSERT", [
            ("ApproximateCreationDateTime", Raw("1.635734407123456789E9")),
            ("Keys", MUSIC_KEYS),
            ("SequenceNumber", "300000000000000499659"),
            ("SizeBytes", 45),
            ("StreamViewType", "KEYS_ONLY"),
        ], MUSIC_ARN, user_identity=None),
        ddb_record("c2f3a1d4e5f6071829304a5b6c7d8e9f", "MODIFY", [
            ("Keys", MUSIC_KEYS),
            ("NewImage", MUSIC_IMAGE),
            ("ExtraDynamo", (True, False, None, Raw("-1.5e-3"))),
            ("SequenceNumber", "300000000000000499660"),
            ("SizeBytes", 0),
            ("StreamViewType", "NEW_IMAGE"),
        ], MUSIC_ARN, extra=("extraRecordField", [("x", (1, None, Raw('"\\u0041"')))])),
        ddb_record("d3a4b2e5f6071829304a5b6c7d8e9fa0", "REMOVE", [
            ("ApproximateCreationDateTime", Raw("1635734407")),
            ("Keys", MUSIC_KEYS),
            ("OldImage", MUSIC_IMAGE),
            ("SequenceNumber", "300000000000000499661"),
            ("SizeBytes", 98),
            ("StreamViewType", "OLD_IMAGE"),
        ], MUSIC_ARN, version="1.0"),
    ]), style="tabs-crlf")

    # 32 levels of M and L (DynamoDB's limit), minified to keep it short.
    write_ddb("deep-32.json", event([
        ddb_record("e4b5c3f6071829304a5b6c7d8e9fa0b1", "INSERT", [
            ("ApproximateCreationDateTime", Raw("1704067200")),
            ("Keys", [("id", S("deep"))]),
            ("NewImage", [("id", S("deep")), ("deep", deep(1)), ("after", S("after"))]),
            ("SequenceNumber", "100000000000000000001"),
            ("SizeBytes", 321),
            ("StreamViewType", "NEW_IMAGE"),
        ], DEEP_ARN),
    ]), style="minified")

    # Kinesis and DynamoDB records in one batch; the first Kinesis record
    # carries a DynamoDB change record (minified) as its payload.
    change = dump(change_record(), "minified").encode("utf-8")
    write_ddb("mixed-sources.json", event([
        kinesis_as_value(record(q("Music"), SEQ[0], q(b64(change)), "1731924555.5")),
        ddb_record("1", "INSERT", [
            ("Keys", key), ("NewImage", new1), ("SequenceNumber", "111"), ("SizeBytes", 26),
            ("StreamViewType", "NEW_IMAGE"),
        ], DOCS_ARN, version="1.0", region="us-west-2"),
        kinesis_as_value(record(q("pk-text"), SEQ[1], q(b64(b"hello")), "1545084650.987")),
        ddb_record("3", "REMOVE", [
            ("Keys", key), ("OldImage", new2), ("SequenceNumber", "333"), ("SizeBytes", 38),
            ("StreamViewType", "OLD_IMAGE"),
        ], DOCS_ARN, version="1.0", region="us-west-2"),
    ]), style="compact")

    write_ddb("change-record.json", change_record(), style="pretty")


if __name__ == "__main__":
    main()
