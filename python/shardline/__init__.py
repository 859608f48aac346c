"""shardline: decode AWS Lambda Kinesis and DynamoDB Streams events, strictly and fast.

    batch = shardline.parse(event)        # raw JSON (bytes/str/...) or the runtime's dict
    payloads = shardline.kinesis_json(event)
    item = shardline.unmarshall(image)    # DynamoDB AttributeValue map -> dict

Every hot path runs in C in one call (shardline._core); bad input raises
ParseError with the core's code, byte offset and path.
"""
from __future__ import annotations

import decimal as _decimal
import enum as _enum
from typing import Any, Optional, Sequence, Union

from . import _core, core as _swig
from ._records import DynamoDBRecord, KinesisRecord

__all__ = [
    "parse",
    "kinesis_data",
    "kinesis_json",
    "unmarshall",
    "loads",
    "base64_decode",
    "ParseError",
    "Status",
    "KinesisRecord",
    "DynamoDBRecord",
    "Record",
    "__version__",
    "implementation",
]

__version__: str = _swig.version_string()


class Status(_enum.IntEnum):
    """shardline_status: the C codes (values are the ABI's, names without SHARDLINE_ / SHARDLINE_ERR_)."""

    OK = 0
    INVALID_ARGUMENT = 1
    NOMEM = 2
    TOO_LARGE = 3
    UTF8 = 10
    TRUNCATED = 11
    SYNTAX = 12
    CONTROL_CHAR = 13
    ESCAPE = 14
    NUMBER = 15
    DEPTH = 16
    TRAILING = 17
    EMPTY = 18
    BASE64_CHAR = 30
    BASE64_PADDING = 31
    BASE64_TRAILING_BITS = 32
    MISSING_FIELD = 50
    FIELD_TYPE = 51
    FIELD_VALUE = 52
    DUPLICATE_FIELD = 53
    ATTR_TYPE = 60
    ATTR_NUMBER = 61

    @property
    def c_name(self) -> str:
        """The C name, e.g. "SHARDLINE_ERR_UTF8" (from shardline_status_name)."""
        return str(_swig.status_name(int(self)))

    @property
    def message(self) -> str:
        return str(_swig.status_message(int(self)))


class ParseError(ValueError):
    """Invalid input. ``code`` is a Status, ``offset`` the byte offset in the
    input (None for dict inputs, which have none; for payloads parsed as JSON
    it is the offset inside the decoded payload) and ``path`` the schema path
    such as "Records[3].kinesis.data" ("" when there is none)."""

    code: Status
    offset: Optional[int]
    path: str

    def __init__(self, message: str, code: int, offset: Optional[int] = None, path: str = "") -> None:
        super().__init__(message)
        try:
            self.code = Status(code)
        except ValueError:  # a code newer than this module
            self.code = code  # type: ignore[assignment]
        self.offset = offset
        self.path = path

    def __reduce__(self) -> Any:
        return (type(self), (self.args[0], int(self.code), self.offset, self.path))


Record = Union[KinesisRecord, DynamoDBRecord]

_core._register(ParseError, _decimal.Decimal, KinesisRecord, DynamoDBRecord)

# The hot paths are the C functions themselves: no Python frame per call.
parse = _core.parse
kinesis_data = _core.kinesis_data
kinesis_json = _core.kinesis_json
loads = _core.loads
base64_decode = _core.base64_decode
# unmarshall(image, *, numbers="decimal"): a DynamoDB AttributeValue map (a
# dict, or its JSON text) as a plain dict. N gives decimal.Decimal exactly as
# stored (numbers="int_float": int or float; numbers="str": the text), B
# bytes (base64 text is decoded), SS/NS/BS sets, M dict, L list, NULL None,
# BOOL bool.
unmarshall = _core.unmarshall


def implementation() -> str:
    """The core's kernel implementation in use, e.g. "scalar"."""
    return str(_swig.implementation())
