"""test_compat.py - shardline.compat.boto3 behaves like boto3's TypeDeserializer, and errors like it."""
from decimal import Decimal

import pytest

import shardline
from shardline.compat.boto3 import Binary, TypeDeserializer, TypeDeserializerError


def test_same_results_as_boto3():
    from boto3.dynamodb.types import TypeDeserializer as Boto3
    values = [{"S": "x"}, {"N": "1.50"}, {"B": b"\x00"}, {"BOOL": False}, {"NULL": True},
              {"M": {"a": {"N": "1"}, "b": {"L": [{"S": "y"}]}}}, {"SS": ["a", "b"]}, {"NS": ["1", "2.5"]},
              {"BS": [b"a", b"b"]}, {"L": []}]
    for v in values:
        ours, theirs = TypeDeserializer().deserialize(v), Boto3().deserialize(v)
        assert ours == theirs and type(ours) is type(theirs)
    assert str(TypeDeserializer().deserialize({"N": "1.50"})) == "1.50"


def test_base64_text_for_b():
    got = TypeDeserializer().deserialize({"B": "AAEC"})
    assert isinstance(got, Binary) and got.value == b"\x00\x01\x02"
    assert TypeDeserializer().deserialize({"BS": ["QQ==", b"B"]}) == {Binary(b"A"), Binary(b"B")}
    assert TypeDeserializer().deserialize({"B": Binary(b"z")}) == Binary(b"z")


def test_deserialize_image():
    assert TypeDeserializer().deserialize_image({"n": {"N": "2"}, "b": {"B": "QQ=="}}) == {
        "n": Decimal(2), "b": Binary(b"A")}


def test_errors_are_type_errors_like_boto3():
    td = TypeDeserializer()
    with pytest.raises(TypeError):
        td.deserialize({})
    for bad in ({"X": "1"}, {"S": 1}, {"S": "a", "N": "1"}):
        with pytest.raises(TypeError) as info:
            td.deserialize(bad)
        assert isinstance(info.value, shardline.ParseError)
        assert isinstance(info.value, TypeDeserializerError)
    with pytest.raises(shardline.ParseError) as info:
        td.deserialize({"N": "abc"})
    assert info.value.code == shardline.Status.ATTR_NUMBER and info.value.path == "N"
