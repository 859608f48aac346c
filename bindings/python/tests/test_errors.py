"""test_errors.py - every failure raises ParseError with the exact code, offset and path, raw and dict alike."""
import json

import pytest

import shardline
from shardline import ParseError, Status

KINESIS = {
    "Records": [{
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "pk", "sequenceNumber": "123",
                    "data": "eyJhIjoxfQ==", "approximateArrivalTimestamp": 1545084650.987},
        "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": "shardId-1:123",
        "eventName": "aws:kinesis:record", "invokeIdentityArn": "arn:aws:iam::1:role/r",
        "awsRegion": "us-east-2", "eventSourceARN": "arn:aws:kinesis:us-east-2:1:stream/s",
    }]
}

DYNAMODB = {
    "Records": [{
        "eventID": "1", "eventVersion": "1.1", "eventName": "INSERT", "eventSource": "aws:dynamodb",
        "awsRegion": "us-west-2", "eventSourceARN": "arn:aws:dynamodb:us-west-2:1:table/T/stream/x",
        "dynamodb": {"Keys": {"Id": {"N": "101"}},
                     "NewImage": {"Id": {"N": "101"}, "Message": {"S": "hi"}},
                     "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_IMAGE"},
    }]
}


def mutate(event, fn):
    e = json.loads(json.dumps(event))
    fn(e["Records"][0])
    return e


def expect(call, source, code, offset, path):
    with pytest.raises(ParseError) as info:
        call(source)
    err = info.value
    assert (err.code, err.offset, err.path) == (code, offset, path), str(err)
    assert isinstance(err.code, Status)
    assert err.code.c_name in str(err)
    return err


def both(call, event, code, path, locate, *, dict_code=None):
    """The raw text fails at offset raw.index(locate) (or locate itself when it
    is an int); the dict at the same path with offset None."""
    raw = json.dumps(event, separators=(",", ":")).encode()
    offset = locate if isinstance(locate, int) else raw.index(locate)
    expect(call, raw, code, offset, path)
    expect(call, event, dict_code or code, None, path)


@pytest.mark.parametrize("text,code,offset", [
    (b"", Status.EMPTY, 0),
    (b"  \n", Status.EMPTY, 3),
    (b"[1,]", Status.SYNTAX, 3),
    (b'"\xff"', Status.UTF8, 1),
    (b"[1] x", Status.TRAILING, 4),
    (b'{"a":01}', Status.NUMBER, 5),
    (b'"\\ud800"', Status.ESCAPE, 1),
    (b'"\\x"', Status.ESCAPE, 1),
    (b'"a\x01"', Status.CONTROL_CHAR, 2),
    (b"[1", Status.TRUNCATED, 2),
    (b"[" * 1025 + b"]" * 1025, Status.DEPTH, 1024),
    (b"NaN", Status.SYNTAX, 0),
    (b"[1] // c", Status.TRAILING, 4),
])
def test_loads_errors(text, code, offset):
    expect(shardline.loads, text, code, offset, "")
    expect(shardline.loads, bytearray(text), code, offset, "")


def test_loads_lone_surrogate_str():
    expect(shardline.loads, '"\ud800"', Status.UTF8, None, "")


@pytest.mark.parametrize("text,code,offset", [
    ("QR==", Status.BASE64_TRAILING_BITS, 1),
    ("AB=C", Status.BASE64_PADDING, 2),
    ("A-BC", Status.BASE64_CHAR, 1),
    ("ABC", Status.BASE64_PADDING, 0),
])
def test_base64_errors(text, code, offset):
    expect(shardline.base64_decode, text, code, offset, "")
    assert shardline.base64_decode("QQ==") == b"A"


def kdata(r, value):
    r["kinesis"]["data"] = value


@pytest.mark.parametrize("call", [shardline.parse, shardline.kinesis_data, shardline.kinesis_json])
def test_kinesis_event_errors(call):
    both(call, mutate(KINESIS, lambda r: kdata(r, "QR==")), Status.BASE64_TRAILING_BITS,
         "Records[0].kinesis.data", b'R=="')
    both(call, mutate(KINESIS, lambda r: kdata(r, "eyJhIjoxfQ")), Status.BASE64_PADDING,
         "Records[0].kinesis.data", b'fQ"')
    both(call, mutate(KINESIS, lambda r: kdata(r, "ey!hIjoxfQ==")), Status.BASE64_CHAR,
         "Records[0].kinesis.data", b'!hIjoxfQ==')
    both(call, mutate(KINESIS, lambda r: r["kinesis"].pop("partitionKey")), Status.MISSING_FIELD,
         "Records[0].kinesis.partitionKey", b'{"kinesisSchemaVersion"')
    both(call, mutate(KINESIS, lambda r: r["kinesis"].update(partitionKey=7)), Status.FIELD_TYPE,
         "Records[0].kinesis.partitionKey", b'7,')
    both(call, mutate(KINESIS, lambda r: r["kinesis"].update(sequenceNumber="12a")), Status.FIELD_VALUE,
         "Records[0].kinesis.sequenceNumber", b'"12a"')
    both(call, mutate(KINESIS, lambda r: r["kinesis"].update(approximateArrivalTimestamp="1")),
         Status.FIELD_TYPE, "Records[0].kinesis.approximateArrivalTimestamp", b'"1"}')
    both(call, mutate(KINESIS, lambda r: r.update(eventSource="aws:sqs")), Status.FIELD_VALUE,
         "Records[0].eventSource", b'"aws:sqs"')
    both(call, mutate(KINESIS, lambda r: r.pop("awsRegion")), Status.MISSING_FIELD,
         "Records[0].awsRegion", b'{"kinesis"')
    both(call, {"Records": {}}, Status.FIELD_TYPE, "Records", b"{}")
    both(call, {"records": []}, Status.MISSING_FIELD, "Records", 0)
    both(call, {"Records": [1]}, Status.FIELD_TYPE, "Records[0]", b"1]")


def test_kinesis_only_calls_reject_dynamodb_records():
    for call in (shardline.kinesis_data, shardline.kinesis_json):
        raw = json.dumps(DYNAMODB, separators=(",", ":")).encode()
        err = expect(call, raw, Status.FIELD_VALUE, raw.index(b'{"eventID"'), "Records[0].eventSource")
        assert "not a Kinesis record" in str(err)
        expect(call, DYNAMODB, Status.FIELD_VALUE, None, "Records[0].eventSource")


def test_payload_not_json():
    event = mutate(KINESIS, lambda r: kdata(r, "eyJhIjp9"))  # {"a":}
    raw = json.dumps(event).encode()
    expect(shardline.kinesis_json, raw, Status.SYNTAX, 5, "Records[0].kinesis.data")
    expect(shardline.kinesis_json, event, Status.SYNTAX, 5, "Records[0].kinesis.data")


def image(r, name, value):
    r["dynamodb"]["NewImage"][name] = value


@pytest.mark.parametrize("value,code,path,locate", [
    ({"N": "1e200"}, Status.ATTR_NUMBER, "Message.N", b'"1e200"'),
    ({"N": "1.2.3"}, Status.ATTR_NUMBER, "Message.N", b'"1.2.3"'),
    ({"N": "123456789012345678901234567890123456789"}, Status.ATTR_NUMBER, "Message.N", b'"1234567890123'),
    ({"N": 5}, Status.FIELD_TYPE, "Message.N", b"5}"),
    ({"S": "x", "N": "1"}, Status.ATTR_TYPE, "Message.N", b'"N":"1"'),
    ({}, Status.ATTR_TYPE, "Message", b"{}"),
    ({"X": "1"}, Status.ATTR_TYPE, "Message.X", b'"X"'),
    ({"NULL": False}, Status.FIELD_VALUE, "Message.NULL", b"false"),
    ({"BOOL": "true"}, Status.FIELD_TYPE, "Message.BOOL", b'"true"'),
    ({"B": "QR=="}, Status.BASE64_TRAILING_BITS, "Message.B", b'R=="'),
    ({"L": [{"S": "a"}, {"N": "x"}]}, Status.ATTR_NUMBER, "Message.L[1].N", b'"x"'),
    ({"M": {"in": {"SS": ["a", 1]}}}, Status.FIELD_TYPE, "Message.M.in.SS[1]", b"1]"),
    ({"NS": ["1", "1e999"]}, Status.ATTR_NUMBER, "Message.NS[1]", b'"1e999"'),
    ({"BS": ["QQ==", "Q==="]}, Status.BASE64_PADDING, "Message.BS[1]", b'==="]'),
    ({"M": []}, Status.FIELD_TYPE, "Message.M", b"[]"),
])
def test_attribute_value_errors(value, code, path, locate):
    event = mutate(DYNAMODB, lambda r: image(r, "Message", value))
    both(shardline.parse, event, code, "Records[0].dynamodb.NewImage." + path, locate)
    img = {"Message": value}
    raw = json.dumps(img, separators=(",", ":")).encode()
    expect(shardline.unmarshall, raw, code, raw.index(locate), path)
    expect(shardline.unmarshall, img, code, None, path)


@pytest.mark.parametrize("change,code,path,locate", [
    (lambda r: r.update(eventName="UPSERT"), Status.FIELD_VALUE, "Records[0].eventName", b'"UPSERT"'),
    (lambda r: r["dynamodb"].update(SizeBytes=-1), Status.FIELD_VALUE, "Records[0].dynamodb.SizeBytes", b"-1"),
    (lambda r: r["dynamodb"].update(SizeBytes=1.5), Status.FIELD_VALUE, "Records[0].dynamodb.SizeBytes", b"1.5"),
    (lambda r: r["dynamodb"].update(StreamViewType="ALL"), Status.FIELD_VALUE,
     "Records[0].dynamodb.StreamViewType", b'"ALL"'),
    (lambda r: r["dynamodb"].pop("SequenceNumber"), Status.MISSING_FIELD,
     "Records[0].dynamodb.SequenceNumber", b'{"Keys"'),
    (lambda r: r.update(kinesis={}), Status.FIELD_VALUE, "Records[0].kinesis", b'{}'),
    (lambda r: r.update(userIdentity={"type": "Service"}), Status.MISSING_FIELD,
     "Records[0].userIdentity.principalId", b'{"type"'),
])
def test_dynamodb_record_errors(change, code, path, locate):
    both(shardline.parse, mutate(DYNAMODB, change), code, path, locate)


def test_depth_limit_on_dicts():
    deep = {"S": "x"}
    for _ in range(600):
        deep = {"L": [deep]}
    with pytest.raises(ParseError) as info:
        shardline.unmarshall({"a": deep})
    assert info.value.code == Status.DEPTH and info.value.offset is None
    assert info.value.path.startswith("...") and info.value.path.endswith(".L[0].L")
    raw = b'{"a":' + b'{"L":[' * 600 + b'{"S":"x"}' + b']}' * 600 + b"}"
    with pytest.raises(ParseError) as info:
        shardline.unmarshall(raw)
    assert info.value.code == Status.DEPTH
    cyclic = {"L": []}
    cyclic["L"].append(cyclic)
    with pytest.raises(ParseError) as info:
        shardline.unmarshall({"a": cyclic})
    assert info.value.code == Status.DEPTH


def test_parse_error_pickles():
    import pickle
    try:
        shardline.loads(b"[1,]")
    except ParseError as e:
        again = pickle.loads(pickle.dumps(e))
        assert (again.code, again.offset, again.path, str(again)) == (e.code, e.offset, e.path, str(e))


def test_long_non_ascii_paths_are_cut_cleanly():
    name = "é" * 300
    image = {name: {"N": "x"}}
    for source in (image, json.dumps(image, ensure_ascii=False).encode()):
        with pytest.raises(ParseError) as info:
            shardline.unmarshall(source)
        assert info.value.code == Status.ATTR_NUMBER
        assert info.value.path.startswith("...") and info.value.path.endswith("é.N")
        assert len(info.value.path.encode("utf-8", "replace")) < 300
