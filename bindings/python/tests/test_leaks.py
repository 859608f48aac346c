"""test_leaks.py - thousands of calls, successful and failing, leave no Python objects or C memory behind."""
import gc
import json
import resource
import tracemalloc
from pathlib import Path

import shardline
from shardline.compat.boto3 import TypeDeserializer

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


def workload():
    kinesis = (DATA / "kinesis" / "mixed-payloads.json").read_bytes()
    kinesis_ok = (DATA / "kinesis" / "aws-docs-sample.json").read_bytes()
    dynamodb = (DATA / "dynamodb" / "all-types.json").read_bytes()
    change = (DATA / "dynamodb" / "change-record.json").read_bytes()
    kd, dd = json.loads(kinesis_ok), json.loads(dynamodb)
    image = dd["Records"][0]["dynamodb"]["NewImage"]
    td = TypeDeserializer()
    json_dict = json.loads(kinesis_ok)
    for r in json_dict["Records"]:
        r["kinesis"]["data"] = "eyJhIjpbMSwyLjUsIlx1MDBlOSJdLCJiIjp7fX0="  # {"a":[1,2.5,"\u00e9"],"b":{}}
    json_event = json.dumps(json_dict).encode()
    bad = [b"", b"[1,]", b'{"Records":[{"eventSource":"aws:kinesis"}]}', kinesis[:-5],
           dynamodb.replace(b'"N": "101"', b'"N": "1e999"')]

    def run():
        shardline.parse(kinesis)
        shardline.parse(dynamodb)
        shardline.parse(kd)
        shardline.parse(dd)
        shardline.parse(dynamodb, numbers="int_float")
        shardline.parse(change, change=True)
        shardline.kinesis_data(kinesis)
        shardline.kinesis_data(kinesis, zero_copy=True)
        shardline.kinesis_data(kd)
        shardline.kinesis_json(json_event)
        shardline.kinesis_json(json_dict)
        shardline.unmarshall(image)
        shardline.unmarshall(image, numbers="str")
        td.deserialize({"M": image})
        shardline.loads(dynamodb)
        for b in bad:
            for f in (shardline.parse, shardline.kinesis_json, shardline.loads):
                try:
                    f(b)
                except shardline.ParseError:
                    pass
        for b in ({"Records": [1]}, {"Records": [dict(kd["Records"][0], kinesis={})]}):
            try:
                shardline.parse(b)
            except shardline.ParseError:
                pass
        try:
            shardline.unmarshall({"a": {"L": [{"N": "x"}]}})
        except shardline.ParseError:
            pass
    return run


def test_no_leaks():
    run = workload()
    for _ in range(200):  # warm caches (key and number caches fill up to a fixed size)
        run()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(2000):
        run()
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename") if s.size_diff > 0)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert grown < 64 * 1024, [str(s) for s in after.compare_to(before, "lineno")[:5]]
    assert rss_after - rss_before < 16 * 1024  # KiB
