"""test_builder.py - loads checks JSON while it builds: every way to fail gives the core's exact code and offset."""
import base64
import json

import pytest

import shardline
from shardline import ParseError, Status


def fails(text, code, offset, path=""):
    with pytest.raises(ParseError) as info:
        shardline.loads(text)
    assert (info.value.code, info.value.offset, info.value.path) == (code, offset, path), str(info.value)


# One case per check the builder makes, each failing where the builder stops.
@pytest.mark.parametrize("text,code,offset", [
    # structure
    (b"{", Status.TRUNCATED, 1),
    (b"{ ", Status.TRUNCATED, 2),
    (b'{"a"', Status.TRUNCATED, 4),
    (b'{"a":', Status.TRUNCATED, 5),
    (b'{"a":1', Status.TRUNCATED, 6),
    (b'{"a":1,', Status.TRUNCATED, 7),
    (b"[", Status.TRUNCATED, 1),
    (b"[1,", Status.TRUNCATED, 3),
    (b'{"a" 1}', Status.SYNTAX, 5),
    (b'{"a":}', Status.SYNTAX, 5),
    (b'{"a":1 "b":2}', Status.SYNTAX, 7),
    (b'{"a":1,}', Status.SYNTAX, 7),
    (b"{,}", Status.SYNTAX, 1),
    (b"{1:2}", Status.SYNTAX, 1),
    (b"[1 2]", Status.SYNTAX, 3),
    (b"[,1]", Status.SYNTAX, 1),
    (b"[1]]", Status.TRAILING, 3),
    (b"[1}", Status.SYNTAX, 2),
    (b'{"a":1]', Status.SYNTAX, 6),
    (b"\xef\xbb\xbf", Status.EMPTY, 3),
    (b"\xef\xbb\xbf [1] x", Status.TRAILING, 8),
    (b"[\x00]", Status.SYNTAX, 1),
    (b"[\xc3\xa9]", Status.SYNTAX, 1),
    # literals
    (b"[tru]", Status.SYNTAX, 1),
    (b"[nul", Status.TRUNCATED, 4),
    (b"[fals]", Status.SYNTAX, 1),
    (b"[True]", Status.SYNTAX, 1),
    # numbers
    (b"[-]", Status.NUMBER, 1),
    (b"-", Status.TRUNCATED, 1),
    (b"[1.]", Status.NUMBER, 1),
    (b"[1.e5]", Status.NUMBER, 1),
    (b"[1e]", Status.NUMBER, 1),
    (b"[1e+]", Status.NUMBER, 1),
    (b"1e", Status.TRUNCATED, 2),
    (b"[-01]", Status.NUMBER, 1),
    (b"[+1]", Status.SYNTAX, 1),
    (b"[.5]", Status.SYNTAX, 1),
    # strings
    (b'"abc', Status.TRUNCATED, 4),
    (b'"abcdefghijklmnop', Status.TRUNCATED, 17),
    (b'"abc\\', Status.TRUNCATED, 5),
    (b'"abcdefghij\x1f"', Status.CONTROL_CHAR, 11),
    (b'"\\n\x01"', Status.CONTROL_CHAR, 3),
    (b'"\\u12"', Status.ESCAPE, 1),
    (b'"\\u12g4"', Status.ESCAPE, 1),
    (b'"\\udc00"', Status.ESCAPE, 1),
    (b'"\\ud800\\u0041"', Status.ESCAPE, 1),
    (b'"\\ud800x"', Status.ESCAPE, 1),
    (b'"x\\ud83d\\ude00\\q"', Status.ESCAPE, 14),
    (b'"\xc3\x28"', Status.UTF8, 1),
    (b'"abcdefgh\xed\xa0\x80"', Status.UTF8, 9),
    (b'"\\n\xff"', Status.UTF8, 3),
    (b'"\xf4\x90\x80\x80"', Status.UTF8, 1),
    (b'{"k\xc0\xaf":1}', Status.UTF8, 3),
    # depth: 1024 containers are fine, the 1025th is not
    (b'{"a":' * 1024 + b"[]" + b"}" * 1024, Status.DEPTH, 5 * 1024),
])
def test_builder_errors_are_the_cores(text, code, offset):
    fails(text, code, offset)


@pytest.mark.parametrize("text,value", [
    (b'{"a":1,"a":2}', {"a": 2}),
    (b' \t\r\n{ "a" : [ 1 , -0 , 0.5e-3 , 1E+2 , "" , true , false , null ] } \n', None),
    (b'"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 x"', "\"\\/\b\f\n\r\té\U0001F600 x"),
    (b'["caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x94\xa5", "\\u0000"]', ["café 日🔥", "\x00"]),
    (b"[12345678901234567890123, -9223372036854775809, 1.7976931348623157e308, 5e-324]", None),
])
def test_builder_accepts_valid_json(text, value):
    expected = json.loads(text.decode("utf-8-sig"))
    got = shardline.loads(text)
    assert got == expected and repr(got) == repr(expected)
    if value is not None:
        assert got == value


def test_builder_takes_the_deepest_allowed_nesting():
    value, depth = shardline.loads(b"[" * 1024 + b"]" * 1024), 1
    while value:
        assert len(value) == 1
        value, depth = value[0], depth + 1
    assert value == [] and depth == 1024


def test_core_error_comes_before_a_python_error():
    # An int too long for int() (Python's digit limit) before a syntax error:
    # the text's error wins, as when the text was checked before the build.
    digits = b"1" * 5000
    fails(b"[" + digits + b",]", Status.SYNTAX, 5002)
    with pytest.raises(ValueError) as info:
        shardline.loads(b"[" + digits + b"]")
    assert not isinstance(info.value, ParseError)


def test_payload_error_path_names_its_record():
    good = base64.b64encode(b'{"a":[1,2]}').decode()
    bad = base64.b64encode(b'{"a":[1,2}').decode()
    records = [{
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "pk", "sequenceNumber": "1",
                    "data": d, "approximateArrivalTimestamp": 1.5},
        "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": "id", "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn", "awsRegion": "us-east-2", "eventSourceARN": "arn",
    } for d in (good, good, bad)]
    event = {"Records": records}
    for source in (json.dumps(event).encode(), event):
        with pytest.raises(ParseError) as info:
            shardline.kinesis_json(source)
        assert (info.value.code, info.value.offset, info.value.path) == (Status.SYNTAX, 9, "Records[2].kinesis.data")


def test_keys_and_short_values_are_shared_and_exact():
    # Keys that collide in length and ends, and the same key in many payloads.
    docs = [json.dumps({"k%04dx" % i: "v%d" % (i % 7), "abcdefgh12345678": i, "abcdefgh87654321": -i})
            for i in range(3000)]
    for d in docs:
        assert shardline.loads(d) == json.loads(d)
    a, b = shardline.loads(b'{"type":"x"}'), shardline.loads(b'{"type":"x"}')
    assert next(iter(a)) is next(iter(b))


def test_repeated_keys_are_checked_against_the_text():
    # Each document follows one whose keys the builder will guess for it:
    # every guess must be confirmed by the text, whatever the text holds.
    pairs = [
        (b'{"ab":1}', b'{"a":1}'),               # guess longer than the key
        (b'{"a":1}', b'{"ab":1}'),               # guess a prefix of the key
        (b'{"a":1}', b'{"a\\u0062":1}'),         # the guessed bytes, then an escape
        (b'{"ab":1}', b'{"a\\u0062":1}'),        # the same key, written escaped
        (b'{"a\\"b":1}', b'{"a\\"b":2}'),        # escaped keys are never guessed
        (b'{"a\\"":1}', b'{"a"":1}'),            # ... or their text would pass for it
        (b'{"a":1,"b":2}', b'{"a":1,"b\\"":2}'),
        (b'{"":1}', b'{"":2,"":3}'),             # empty keys, and a repeated one
        (b'{"\xc3\xa9":1}', b'{"\xc3\xa9":2}'),  # non-ASCII keys are never guessed
        (b'{"x":{"y":1}}', b'{"x":{"y":1,"z":{"y":2}}}'),
        (b'{"abc":1}', b'{"abc'),                # the guess runs past the end
        (b'{"abc":1}', b'{"abc"'),
        (b'{"abc":1}', b'{"ab\x01":1}'),
        (b'{"abc":1}', b'{"abc\x01":1}'),
    ]
    for first, second in pairs:
        for _ in range(2):
            assert shardline.loads(first) == json.loads(first)
            try:
                expected = json.loads(second)
            except ValueError:
                with pytest.raises(ParseError):
                    shardline.loads(second)
            else:
                assert shardline.loads(second) == expected
    shardline.loads(b'{"abc":1}')
    fails(b'{"abc', Status.TRUNCATED, 5)
    shardline.loads(b'{"abc":1}')
    fails(b'{"abc\x01":1}', Status.CONTROL_CHAR, 5)
