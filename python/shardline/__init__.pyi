import enum
from decimal import Decimal
from typing import Any, Literal, Optional, Union, overload

__version__: str

_Raw = Union[bytes, bytearray, memoryview, str]
_Numbers = Literal["decimal", "int_float", "str"]

class Status(enum.IntEnum):
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
    def c_name(self) -> str: ...
    @property
    def message(self) -> str: ...

class ParseError(ValueError):
    code: Status
    offset: Optional[int]
    path: str
    def __init__(self, message: str, code: int, offset: Optional[int] = ..., path: str = ...) -> None: ...

class _RecordBase:
    @property
    def source(self) -> str: ...
    event_source: str
    event_version: str
    event_id: str
    event_name: str
    invoke_identity_arn: Optional[str]
    aws_region: str
    event_source_arn: Optional[str]
    def to_dict(self) -> dict[str, Any]: ...

class KinesisRecord(_RecordBase):
    kinesis_schema_version: str
    partition_key: str
    sequence_number: str
    data: bytes
    approximate_arrival_timestamp: float
    encryption_type: Optional[str]
    def json(self) -> Any: ...
    def data_as_bytes(self) -> bytes: ...
    def data_as_text(self) -> str: ...
    def data_as_json(self) -> Any: ...

class DynamoDBRecord(_RecordBase):
    keys: Optional[dict[str, Any]]
    new_image: Optional[dict[str, Any]]
    old_image: Optional[dict[str, Any]]
    sequence_number: Optional[str]
    size_bytes: Optional[int]
    stream_view_type: Optional[str]
    approximate_creation_date_time: Optional[float]
    user_identity: Optional[dict[str, str]]
    table_name: Optional[str]
    record_format: Optional[str]

Record = Union[KinesisRecord, DynamoDBRecord]

def parse(event: Union[_Raw, dict[str, Any]], *, numbers: _Numbers = ..., change: bool = ...) -> list[Record]: ...
@overload
def kinesis_data(event: Union[_Raw, dict[str, Any]]) -> list[bytes]: ...
@overload
def kinesis_data(event: Union[_Raw, dict[str, Any]], *, zero_copy: Literal[False]) -> list[bytes]: ...
@overload
def kinesis_data(event: _Raw, *, zero_copy: Literal[True]) -> list[Union[bytes, memoryview]]: ...
def kinesis_json(event: Union[_Raw, dict[str, Any]]) -> list[Any]: ...
def unmarshall(image: Union[_Raw, dict[str, Any]], *, numbers: _Numbers = ...) -> dict[str, Any]: ...
def loads(data: _Raw) -> Any: ...
def base64_decode(text: _Raw) -> bytes: ...
def implementation() -> str: ...
