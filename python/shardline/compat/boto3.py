"""boto3's TypeDeserializer, backed by shardline: change one import line.

    from shardline.compat.boto3 import TypeDeserializer   # was boto3.dynamodb.types

Same methods and results as boto3.dynamodb.types.TypeDeserializer (N gives
Decimal, B and BS give Binary, sets for SS/NS/BS), with two differences: B
and BS also accept base64 text (what stream events carry, which boto3
rejects), and invalid values raise TypeDeserializerError, a ParseError that
is also a TypeError where boto3 raises TypeError.
"""
from __future__ import annotations

from typing import Any

from .. import ParseError, Status, _core

try:  # boto3's own class when boto3 is installed, so isinstance() checks keep working
    from boto3.dynamodb.types import Binary
except ImportError:  # pragma: no cover - exercised only without boto3

    class Binary:  # type: ignore[no-redef]
        """A wrapper for binary data, equal and hashing like boto3's Binary."""

        __slots__ = ("value",)

        def __init__(self, value: Any) -> None:
            if not isinstance(value, (bytes, bytearray)):
                raise TypeError("Value must be of the following types: bytes, bytearray")
            self.value = value

        def __eq__(self, other: object) -> bool:
            if isinstance(other, Binary):
                return self.value == other.value
            return self.value == other

        def __ne__(self, other: object) -> bool:
            return not self.__eq__(other)

        def __repr__(self) -> str:
            return f"Binary({self.value!r})"

        def __str__(self) -> str:
            return str(self.value)

        def __bytes__(self) -> bytes:
            return bytes(self.value)

        def __hash__(self) -> int:
            return hash(self.value)


__all__ = ["TypeDeserializer", "Binary", "TypeDeserializerError"]


class TypeDeserializerError(ParseError, TypeError):
    """An AttributeValue boto3 would also reject (with TypeError)."""


class TypeDeserializer:
    """Deserializes DynamoDB AttributeValues to Python values, in C."""

    def deserialize(self, value: Any) -> Any:
        """{"S": "x"} -> "x", {"N": "1.5"} -> Decimal("1.5"), {"M": {...}} -> dict, ..."""
        if not value:
            raise TypeError("Value must be a nonempty dictionary whose key is a valid dynamodb type.")
        try:
            return _core.unmarshall(value, value=True, binary=Binary, binary_base=Binary)
        except ParseError as e:
            if e.code in (Status.ATTR_TYPE, Status.FIELD_TYPE):
                raise TypeDeserializerError(str(e), int(e.code), e.offset, e.path) from None
            raise

    def deserialize_image(self, image: Any) -> dict:
        """A whole AttributeValue map (a NewImage, an item) in one call."""
        try:
            return _core.unmarshall(image, binary=Binary, binary_base=Binary)  # type: ignore[no-any-return]
        except ParseError as e:
            if e.code in (Status.ATTR_TYPE, Status.FIELD_TYPE):
                raise TypeDeserializerError(str(e), int(e.code), e.offset, e.path) from None
            raise
