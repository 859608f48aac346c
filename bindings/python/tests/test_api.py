"""test_api.py - the public API on the fixtures, with exact expected values."""
import base64
import json
import pickle
from decimal import Decimal

import pytest

import shardline
from conftest import (DATA, DYNAMODB_FIXTURES, KINESIS_FIXTURES, load_event, record_dict,
                      reference_record, strict_json, tagged)

KINESIS_SAMPLE = DATA / "kinesis" / "aws-docs-sample.json"
DYNAMODB_SAMPLE = DATA / "dynamodb" / "aws-docs-sample.json"


def test_version_and_status():
    assert shardline.__version__ == "0.1.0"
    assert shardline.implementation() != ""
    assert issubclass(shardline.ParseError, ValueError)
    for status in shardline.Status:
        assert status.c_name == ("SHARDLINE_OK" if status == 0 else "SHARDLINE_ERR_" + status.name)
    assert shardline.Status.UTF8 == 10
    assert shardline.Status.ATTR_NUMBER.message == "invalid DynamoDB number"


def test_kinesis_sample_exact():
    raw = KINESIS_SAMPLE.read_bytes()
    batch = shardline.parse(raw)
    assert len(batch) == 2
    r = batch[0]
    assert isinstance(r, shardline.KinesisRecord)
    assert r.source == "aws:kinesis"
    assert r.data == b"Hello, this is a test."
    assert r.data_as_bytes() == b"Hello, this is a test."
    assert r.data_as_text() == "Hello, this is a test."
    assert r.partition_key == "1"
    assert r.sequence_number == "49590338271490256608559692538361571095921575989136588898"
    assert r.approximate_arrival_timestamp == 1545084650.987
    assert r.event_id == "shardId-000000000006:49590338271490256608559692538361571095921575989136588898"
    assert r.event_name == "aws:kinesis:record"
    assert r.event_version == "1.0"
    assert r.kinesis_schema_version == "1.0"
    assert r.invoke_identity_arn == "arn:aws:iam::123456789012:role/lambda-role"
    assert r.aws_region == "us-east-2"
    assert r.event_source_arn == "arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"
    assert r.encryption_type is None
    assert batch[1].data == b"This is only a test."
    with pytest.raises(AttributeError):
        r.data = b"x"


def test_dynamodb_sample_exact():
    batch = shardline.parse(DYNAMODB_SAMPLE.read_bytes())
    assert [r.event_name for r in batch] == ["INSERT", "MODIFY", "REMOVE"]
    r = batch[1]
    assert isinstance(r, shardline.DynamoDBRecord)
    assert r.source == "aws:dynamodb"
    assert r.keys == {"Id": Decimal("101")}
    assert r.new_image == {"Message": "This item has changed", "Id": Decimal("101")}
    assert r.old_image == {"Message": "New item!", "Id": Decimal("101")}
    assert r.sequence_number == "222"
    assert r.size_bytes == 59
    assert r.stream_view_type == "NEW_AND_OLD_IMAGES"
    assert r.approximate_creation_date_time == 1480642020.0
    assert r.user_identity is None and r.table_name is None and r.invoke_identity_arn is None
    assert batch[0].old_image is None
    assert batch[2].new_image is None


@pytest.mark.parametrize("path", KINESIS_FIXTURES + DYNAMODB_FIXTURES, ids=lambda p: p.parent.name + "/" + p.name)
def test_fixtures_match_reference(path):
    raw, event = load_event(path)
    expected = [reference_record(r) for r in event["Records"]]
    for source in (raw, bytearray(raw), memoryview(raw), raw.decode("utf-8"), event):
        got = [record_dict(r) for r in shardline.parse(source)]
        assert got == expected


@pytest.mark.parametrize("path", KINESIS_FIXTURES, ids=lambda p: p.name)
def test_kinesis_data_and_json(path):
    raw, event = load_event(path)
    payloads = [base64.b64decode(r["kinesis"]["data"], validate=True) for r in event["Records"]]
    assert shardline.kinesis_data(raw) == payloads
    assert shardline.kinesis_data(event) == payloads
    views = shardline.kinesis_data(raw, zero_copy=True)
    assert [bytes(v) for v in views] == payloads
    if payloads:
        assert len({id(v.obj) for v in views if isinstance(v, memoryview)}) <= 1
    json_payloads = []
    for p in payloads:
        try:
            json_payloads.append(strict_json(p.decode("utf-8")))
        except ValueError:
            json_payloads = None
            break
    if json_payloads is not None:
        assert shardline.kinesis_json(raw) == json_payloads
        assert shardline.kinesis_json(event) == json_payloads
        assert [r.json() for r in shardline.parse(raw)] == json_payloads
        assert [r.data_as_json() for r in shardline.parse(raw)] == json_payloads


def test_mixed_payloads_json_error():
    raw = (DATA / "kinesis" / "mixed-payloads.json").read_bytes()
    event = json.loads(raw)
    bad = next(i for i, r in enumerate(event["Records"])
               if not _is_json(base64.b64decode(r["kinesis"]["data"])))
    with pytest.raises(shardline.ParseError) as e:
        shardline.kinesis_json(raw)
    assert e.value.path == f"Records[{bad}].kinesis.data"
    with pytest.raises(shardline.ParseError) as e2:
        shardline.kinesis_json(event)
    assert (e2.value.code, e2.value.offset, e2.value.path) == (e.value.code, e.value.offset, e.value.path)


def _is_json(data):
    try:
        strict_json(data.decode("utf-8"))
        return True
    except ValueError:
        return False


def test_change_record():
    raw = (DATA / "dynamodb" / "change-record.json").read_bytes()
    event = json.loads(raw)
    for source in (raw, event):
        (r,) = shardline.parse(source, change=True)
        assert r.table_name == event["tableName"]
        assert r.record_format == "application/json"
        assert r.sequence_number is None and r.event_source_arn is None
        assert tagged(r.new_image) == tagged(shardline.unmarshall(event["dynamodb"]["NewImage"]))


def test_all_types_image():
    raw = (DATA / "dynamodb" / "all-types.json").read_bytes()
    image = json.loads(raw)["Records"][0]["dynamodb"]["NewImage"]
    got = shardline.unmarshall(image)
    assert got["n_trail"] == Decimal("1.50") and str(got["n_trail"]) == "1.50"
    assert str(got["n_lead"]) == "7"
    assert str(got["n_min"]) == "1E-130"
    assert got["b_test"] == base64.b64decode(image["b_test"]["B"])
    assert got["ss"] == {"red", "café", "green"}
    assert got["null"] is None and got["bool_t"] is True and got["bool_f"] is False
    assert got["list"][7] == {"x"}
    assert tagged(shardline.unmarshall(json.dumps(image))) == tagged(got)
    assert tagged(shardline.unmarshall(json.dumps(image).encode())) == tagged(got)
    as_str = shardline.unmarshall(image, numbers="str")
    assert as_str["n_trail"] == "1.50" and as_str["n_38"] == "12345678901234567890123456789012345678"
    as_if = shardline.unmarshall(image, numbers="int_float")
    assert as_if["n_int"] == 101 and type(as_if["n_int"]) is int
    assert as_if["n_trail"] == 1.5 and type(as_if["n_trail"]) is float
    assert as_if["n_2p63"] == 9223372036854775808
    assert as_if["n_lead"] == 7
    raw_if = shardline.unmarshall(json.dumps(image), numbers="int_float")
    assert raw_if == as_if
    with pytest.raises(ValueError):
        shardline.unmarshall(image, numbers="float")


def test_unmarshall_accepts_bytes_for_b():
    assert shardline.unmarshall({"b": {"B": b"\x00\x01"}, "bs": {"BS": [b"a", "Yg=="]}}) == {
        "b": b"\x00\x01", "bs": {b"a", b"b"}}


def test_loads_matches_json():
    docs = ['{"a": [1, -0, 1.5, 1e400, -1e-400, 12345678901234567890123, "\\u00e9\\ud83d\\ude00"]}',
            '"x"', "null", "true", "[]", "{}", '{"a":1,"a":2}', "0.1", "-0.0", "1E5", "123.456e-7",
            '["\\"\\\\\\/\\b\\f\\n\\r\\t"]', "\ufeff[1]".encode("utf-8").decode("latin-1")]
    for text in docs[:-1]:
        got = shardline.loads(text)
        assert got == json.loads(text)
        assert repr(got) == repr(json.loads(text))
    assert shardline.loads(b"\xef\xbb\xbf[1]") == [1]


def test_records_are_gc_safe_and_compare():
    raw = DYNAMODB_SAMPLE.read_bytes()
    a, b = shardline.parse(raw), shardline.parse(json.loads(raw))
    assert a == b
    assert a[0] != a[1]
    a[0].new_image["self"] = a[0]  # a cycle through a record: the collector must free it
    import gc
    gc.collect()
    assert "DynamoDBRecord(" in repr(a[0])
    assert pickle.loads(pickle.dumps(b[1]))["event_name"] == "MODIFY"


def test_bad_argument_types():
    for f in (shardline.parse, shardline.kinesis_data, shardline.kinesis_json):
        with pytest.raises(TypeError):
            f(42)
    with pytest.raises(TypeError):
        shardline.loads(None)
    with pytest.raises(TypeError):
        shardline.unmarshall(3.5)


def test_empty_batch():
    assert shardline.parse(b'{"Records":[]}') == []
    assert shardline.kinesis_json({"Records": []}) == []
