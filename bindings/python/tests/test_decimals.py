"""test_decimals.py - N values become Decimals equal in every respect to Decimal(text), on every path."""
import decimal
import json
import random
from decimal import Decimal

import pytest

import shardline

# Signs and zeros, leading zeros, fractions, exponents, coefficients of
# one to four 19-digit words and longer, and hashes' corner cases (a
# negative one hashes to -2; large and small exponents), with the cache of
# repeated numbers in play.
EDGE = [
    "0", "-0", "0.000", "-0.0", "0E+5", "-0e-7", "00000", "007", "-007.0700", "1", "-1", "10", "40.0",
    "7e+15", "9.7839E4", "-1.5e-3", "1E-130", "1e0", "1E+000", "1234567890123456789", "9999999999999999999",
    "-9999999999999999999", "10000000000000000000", "12345678901234567890", "1.2345678901234567890",
    "12345678901234567890123456789012345678", "-12345678901234567890123456789012345678",
    "9.9999999999999999999999999999999999999E+125", "-0.00012345678901234567890123456789012345678",
    "100000000000000000000000000000000000000000000000000000000",
    "1234567890123456789012345678901234567800000000000000000000000000000000000000",
    "12345678901234567890123456789012345678000000000000000000000000000000000000000",
    "2305843009213693951", "-2305843009213693951", "2305843009213693952", "4611686018427387902",
    "1E+125", "1E-129", "0.5E-125", "31E+90", "1" + "0" * 125, "0." + "0" * 129 + "1", "0E+99999999",
    "0E-100000000", "0E+100000001", "0E-1000000000000",
    # Integers of up to 18 digits take another road to their Decimal than
    # other texts: its bounds, and zeros written with a sign or leading zeros.
    "-00", "-000000000000000000", "000000000000000000", "999999999999999999", "-999999999999999999",
    "000000000000000001", "-000000000000000001", "0000000000000000001", "1000000000000000000",
    "-1000000000000000000",
]


def random_numbers(count, seed):
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 38)))
        point = rng.randint(0, len(digits))
        text = digits if point == len(digits) else digits[:point] + "." + digits[point:]
        if text.startswith("."):
            text = "0" + text
        if rng.random() < 0.4:
            text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 99))
        if rng.random() < 0.5:
            text = "-" + text
        if shardline_accepts(text):
            out.append(text)
    return out


def shardline_accepts(text):
    try:
        shardline.unmarshall({"n": {"N": text}})
    except shardline.ParseError:
        return False
    return True


NUMBERS = EDGE + random_numbers(3000, 7)


def same_decimal(got, text):
    want = Decimal(text)
    assert type(got) is Decimal, text
    assert got.as_tuple() == want.as_tuple(), text
    assert str(got) == str(want) and repr(got) == repr(want), text
    assert hash(got) == hash(want), text
    assert got == want and not got != want, text


def test_edge_cases_are_valid_dynamodb_numbers():
    # All of them must reach the construction, not stop at validation.
    assert [t for t in EDGE if not shardline_accepts(t)] == []


@pytest.mark.parametrize("path", ["dict", "bytes", "event", "event_dict", "set"])
def test_decimals_match_decimal_text(path):
    image = {f"n{i}": {"N": t} for i, t in enumerate(NUMBERS)}
    if path == "set":
        for t in NUMBERS:
            (got,) = shardline.unmarshall({"s": {"NS": [t]}})["s"]
            same_decimal(got, t)
        return
    if path == "dict":
        got = shardline.unmarshall(image)
    elif path == "bytes":
        got = shardline.unmarshall(json.dumps(image).encode())
    else:
        event = {"Records": [{
            "eventID": "1", "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1", "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:table/t/stream/s",
            "dynamodb": {"NewImage": image, "SequenceNumber": "1", "SizeBytes": 1,
                         "StreamViewType": "NEW_IMAGE"},
        }]}
        (record,) = shardline.parse(event if path == "event_dict" else json.dumps(event).encode())
        got = record.new_image
    for i, t in enumerate(NUMBERS):
        same_decimal(got[f"n{i}"], t)


@pytest.mark.parametrize("path", ["dict", "bytes"])
def test_decimals_ignore_the_context(path):
    # Construction is exact and signals nothing, whatever the thread's context.
    texts = ["123456789", "-987654321987654321", "12.5", "1E+100", "-0", "0.000001"]
    image = {f"n{i}": {"N": t} for i, t in enumerate(texts)}
    with decimal.localcontext() as ctx:
        ctx.prec = 1
        ctx.Emax = 1
        ctx.Emin = -1
        for signal in ctx.traps:
            ctx.traps[signal] = True
        got = shardline.unmarshall(image if path == "dict" else json.dumps(image).encode())
        assert not any(ctx.flags.values())
    for i, t in enumerate(texts):
        same_decimal(got[f"n{i}"], t)


def test_equal_numbers_share_a_set_entry():
    # Equal Decimals must hash alike however they are written.
    got = shardline.unmarshall({"s": {"NS": ["1", "1.0", "10E-1", "0.1E1", "2", "-0", "0.00"]}})["s"]
    assert got == {Decimal(1), Decimal(2), Decimal(0)}
    assert len(got) == 3


def test_decimals_work_as_numbers():
    got = shardline.unmarshall({"a": {"N": "-12.50"}, "b": {"N": "7e+15"}, "c": {"N": "12345678901234567890.5"}})
    assert got["a"] * 2 == Decimal("-25.00")
    assert got["b"] + 1 == Decimal("7000000000000001")
    assert got["c"].quantize(Decimal(1)) == Decimal("12345678901234567890")
    assert {got["a"]: 1}[Decimal("-12.5")] == 1
