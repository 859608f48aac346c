"""Record classes: the C base types hold the fields, these add the methods."""
from __future__ import annotations

from typing import Any

from . import _core

__all__ = ["KinesisRecord", "DynamoDBRecord"]


class _RecordMixin:
    __slots__ = ()
    _fields: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The record's eventSource: "aws:kinesis" or "aws:dynamodb"."""
        return self.event_source  # type: ignore[attr-defined,no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """Every field by its snake_case name."""
        return {name: getattr(self, name) for name in self._fields}

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._fields)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields[:4])
        return f"{type(self).__name__}({shown}, ...)"

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self).__name__, self.to_dict()))


class KinesisRecord(_RecordMixin, _core.KinesisRecordBase):
    """A Kinesis Data Streams record; ``data`` is the base64-decoded payload."""

    __slots__ = ()
    _fields = _core.KINESIS_FIELDS

    def json(self) -> Any:
        """The payload parsed as strict JSON (shardline.loads)."""
        return _core.loads(self.data)

    # Powertools-style accessors (KinesisStreamRecordPayload).
    def data_as_bytes(self) -> bytes:
        return self.data  # type: ignore[no-any-return]

    def data_as_text(self) -> str:
        return self.data.decode("utf-8")  # type: ignore[no-any-return]

    def data_as_json(self) -> Any:
        return _core.loads(self.data)


class DynamoDBRecord(_RecordMixin, _core.DynamoDBRecordBase):
    """A DynamoDB Streams record; images are native dicts (None when absent)."""

    __slots__ = ()
    _fields = _core.DYNAMODB_FIELDS


def _rebuild(name: str, fields: dict[str, Any]) -> Any:
    # Records cannot be built field by field from Python: rebuild through a
    # plain namespace-like dict so pickling at least round-trips the data.
    return fields
