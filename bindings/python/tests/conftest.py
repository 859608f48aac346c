"""Shared helpers for the Python binding's tests: fixtures and independent reference decoders."""
import base64
import json
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
KINESIS_FIXTURES = sorted((DATA / "kinesis").glob("*.json"))
DYNAMODB_FIXTURES = sorted(p for p in (DATA / "dynamodb").glob("*.json") if p.name != "change-record.json")


def strict_json(text):
    """Python's json without NaN/Infinity, like RFC 8259."""
    def no_constants(name):
        raise ValueError(name)
    return json.loads(text, parse_constant=no_constants)


def load_event(path):
    raw = path.read_bytes()
    return raw, strict_json(raw.decode("utf-8-sig"))


def decode_b(av):
    """An AttributeValue with B and BS base64-decoded: what boto3 accepts."""
    (kind, value), = av.items()
    if kind == "B":
        return {"B": base64.b64decode(value, validate=True)}
    if kind == "BS":
        return {"BS": [base64.b64decode(v, validate=True) for v in value]}
    if kind == "M":
        return {"M": {k: decode_b(v) for k, v in value.items()}}
    if kind == "L":
        return {"L": [decode_b(v) for v in value]}
    return av


def boto3_deserializer():
    """boto3's TypeDeserializer, except that a number whose extra digits are
    zeros ("1.000...0", more than 38 digits written) is kept exactly instead of
    raising decimal.Rounded: DynamoDB and shardline accept those."""
    import decimal
    from boto3.dynamodb.types import TypeDeserializer

    class Reference(TypeDeserializer):
        def _deserialize_n(self, value):
            try:
                return super()._deserialize_n(value)
            except decimal.Rounded:
                return decimal.Decimal(value)

    return Reference()


def boto3_image(image):
    """An image through boto3's TypeDeserializer (B decoded first), bytes for Binary."""
    td = boto3_deserializer()
    return plain({k: td.deserialize(decode_b(v)) for k, v in image.items()})


def plain(value):
    """boto3 values with Binary unwrapped and Decimals tagged by their exact text."""
    from boto3.dynamodb.types import Binary
    if isinstance(value, Binary):
        return bytes(value.value)
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {plain(v) for v in value}
    return value


def reference_record(r):
    """A record as shardline documents it, from json + base64 + boto3."""
    out = {
        "event_source": r["eventSource"],
        "event_version": r.get("eventVersion"),
        "event_id": r["eventID"],
        "event_name": r["eventName"],
        "invoke_identity_arn": r.get("invokeIdentityArn"),
        "aws_region": r["awsRegion"],
        "event_source_arn": r.get("eventSourceARN"),
    }
    if r["eventSource"] == "aws:kinesis":
        k = r["kinesis"]
        out.update(
            kinesis_schema_version=k["kinesisSchemaVersion"],
            partition_key=k["partitionKey"],
            sequence_number=k["sequenceNumber"],
            data=base64.b64decode(k["data"], validate=True),
            approximate_arrival_timestamp=float(k["approximateArrivalTimestamp"]),
            encryption_type=k.get("encryptionType"),
        )
    else:
        d = r["dynamodb"]
        out.update(
            keys=boto3_image(d["Keys"]) if "Keys" in d else None,
            new_image=boto3_image(d["NewImage"]) if "NewImage" in d else None,
            old_image=boto3_image(d["OldImage"]) if "OldImage" in d else None,
            sequence_number=d.get("SequenceNumber"),
            size_bytes=d.get("SizeBytes"),
            stream_view_type=d.get("StreamViewType"),
            approximate_creation_date_time=(float(d["ApproximateCreationDateTime"])
                                            if "ApproximateCreationDateTime" in d else None),
            user_identity=r.get("userIdentity") or None,
            table_name=r.get("tableName"),
            record_format=r.get("recordFormat"),
        )
    return out


def tagged(value):
    """shardline values with Decimals tagged like plain() does."""
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, dict):
        return {k: tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tagged(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {tagged(v) for v in value}
    return value


def record_dict(rec):
    return tagged(rec.to_dict())


@pytest.fixture(scope="session")
def shardline():
    import shardline as module
    return module
