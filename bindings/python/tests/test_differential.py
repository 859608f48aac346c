"""test_differential.py - hypothesis: shardline against json, base64 and boto3 on random inputs, raw and dict."""
import base64
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shardline
from conftest import boto3_image, decode_b, tagged

# SHARDLINE_HYPOTHESIS_SCALE scales every test's example count (test.sh uses
# a smaller one for the run under AddressSanitizer).
SCALE = float(os.environ.get("SHARDLINE_HYPOTHESIS_SCALE", "1"))


def examples(n):
    return settings(max_examples=max(5, int(n * SCALE)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


SETTINGS = examples(150)

json_scalars = (st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text())
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=5)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=30)

number_text = st.from_regex(r"\A-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,24})?([eE][+-]?[0-9]{1,3})?\Z")


@SETTINGS
@given(json_values, st.booleans())
def test_loads_matches_json(value, ascii_only):
    text = json.dumps(value, ensure_ascii=ascii_only)
    got = shardline.loads(text.encode())
    assert got == json.loads(text)
    assert repr(got) == repr(json.loads(text))


@SETTINGS
@given(number_text)
def test_numbers_match_json(text):
    expected = json.loads(text)
    got = shardline.loads(text)
    assert type(got) is type(expected)
    assert repr(got) == repr(expected)


@SETTINGS
@given(st.binary(max_size=300))
def test_base64_matches_stdlib(data):
    text = base64.b64encode(data)
    assert shardline.base64_decode(text) == data
    assert shardline.base64_decode(text.decode()) == data


def kinesis_event(payloads):
    return {"Records": [{
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": f"pk-{i}", "sequenceNumber": str(10**20 + i),
                    "data": base64.b64encode(p).decode(), "approximateArrivalTimestamp": 1545084650.987 + i},
        "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": f"shardId-1:{i}",
        "eventName": "aws:kinesis:record", "invokeIdentityArn": "arn:aws:iam::1:role/r",
        "awsRegion": "us-east-2", "eventSourceARN": "arn:aws:kinesis:us-east-2:1:stream/s",
    } for i, p in enumerate(payloads)]}


@SETTINGS
@given(st.lists(st.binary(max_size=200), max_size=8))
def test_kinesis_data_matches_stdlib(payloads):
    event = kinesis_event(payloads)
    raw = json.dumps(event).encode()
    assert shardline.kinesis_data(raw) == payloads
    assert shardline.kinesis_data(event) == payloads
    assert [bytes(v) for v in shardline.kinesis_data(raw, zero_copy=True)] == payloads
    batch = shardline.parse(raw)
    assert [r.data for r in batch] == payloads
    assert batch == shardline.parse(event)
    assert [r.partition_key for r in batch] == [f"pk-{i}" for i in range(len(payloads))]


@SETTINGS
@given(st.lists(json_values, max_size=6))
def test_kinesis_json_matches_stdlib(values):
    payloads = [json.dumps(v).encode() for v in values]
    event = kinesis_event(payloads)
    raw = json.dumps(event)
    expected = [json.loads(p) for p in payloads]
    assert shardline.kinesis_json(raw) == expected
    assert shardline.kinesis_json(json.loads(raw)) == expected


# DynamoDB AttributeValues as stream events carry them: B and BS in base64.
def dynamodb_number():
    digits = st.from_regex(r"\A-?[0-9]{1,19}(\.[0-9]{1,19})?([eE][+-]?[0-9]{1,2})?\Z")
    return digits


b64 = st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode())
scalar_av = st.one_of(
    st.text(max_size=20).map(lambda s: {"S": s}),
    dynamodb_number().map(lambda n: {"N": n}),
    b64.map(lambda b: {"B": b}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.just({"NULL": True}),
    st.lists(st.text(max_size=8), min_size=1, max_size=4, unique=True).map(lambda v: {"SS": v}),
    st.lists(dynamodb_number(), min_size=1, max_size=4).map(lambda v: {"NS": v}),
    st.lists(st.binary(max_size=10), min_size=1, max_size=4, unique=True).map(
        lambda v: {"BS": [base64.b64encode(b).decode() for b in v]}),
)
attribute_values = st.recursive(
    scalar_av,
    lambda inner: st.dictionaries(st.text(max_size=8), inner, max_size=4).map(lambda m: {"M": m})
    | st.lists(inner, max_size=4).map(lambda v: {"L": v}),
    max_leaves=20)
images = st.dictionaries(st.text(max_size=10), attribute_values, max_size=6)


def valid_for_boto3(image):
    try:
        boto3_image(image)
        return True
    except Exception:  # numbers boto3's context cannot hold exactly are outside this comparison
        return False


@examples(100)
@given(images)
def test_unmarshall_matches_boto3(image):
    from hypothesis import assume
    assume(valid_for_boto3(image))
    expected = boto3_image(image)
    assert tagged(shardline.unmarshall(image)) == expected
    assert tagged(shardline.unmarshall(json.dumps(image))) == expected
    assert tagged(shardline.unmarshall(json.dumps(image, ensure_ascii=False).encode())) == expected


@examples(30)
@given(st.lists(st.tuples(images, images), min_size=1, max_size=3))
def test_dynamodb_events_match_boto3(pairs):
    from hypothesis import assume
    assume(all(valid_for_boto3(a) and valid_for_boto3(b) for a, b in pairs))
    event = {"Records": [{
        "eventID": str(i), "eventVersion": "1.1", "eventName": "MODIFY", "eventSource": "aws:dynamodb",
        "awsRegion": "us-west-2", "eventSourceARN": "arn:aws:dynamodb:us-west-2:1:table/T/stream/x",
        "dynamodb": {"NewImage": new, "OldImage": old, "SequenceNumber": str(100 + i), "SizeBytes": 10 + i,
                     "StreamViewType": "NEW_AND_OLD_IMAGES", "ApproximateCreationDateTime": 1480642020},
    } for i, (new, old) in enumerate(pairs)]}
    raw = json.dumps(event).encode()
    for source in (raw, event):
        batch = shardline.parse(source)
        assert [tagged(r.new_image) for r in batch] == [boto3_image(n) for n, _ in pairs]
        assert [tagged(r.old_image) for r in batch] == [boto3_image(o) for _, o in pairs]
        assert [r.size_bytes for r in batch] == [10 + i for i in range(len(pairs))]


@SETTINGS
@given(attribute_values)
def test_compat_type_deserializer_matches_boto3(av):
    from boto3.dynamodb.types import Binary, TypeDeserializer as Boto3Deserializer
    from shardline.compat.boto3 import TypeDeserializer
    from hypothesis import assume
    decoded = decode_b(av)
    try:
        expected = Boto3Deserializer().deserialize(decoded)
    except Exception:
        assume(False)
    ours = TypeDeserializer()
    for value in (decoded, av):  # boto3's input (bytes), and the base64 text boto3 rejects
        got = ours.deserialize(value)
        assert got == expected
        assert tagged(got) == tagged(expected)
        if "B" in av:
            assert isinstance(got, Binary)
        if "BS" in av:
            assert all(isinstance(x, Binary) for x in got)
