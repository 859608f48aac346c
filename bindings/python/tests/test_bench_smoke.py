"""test_bench_smoke.py - bench/bench_python.py --quick runs, its peers agree with shardline, and it prints the table."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GEN = os.environ.get("SHARDLINE_GEN_WORKLOAD", str(ROOT / "build" / "gcc" / "bench" / "gen_workload"))


@pytest.mark.skipif(not Path(GEN).exists(), reason=f"needs gen_workload ({GEN})")
def test_bench_quick():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_python.py"), "--quick", "--gen-workload", GEN],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    for title in ("Kinesis: raw event -> payloads parsed as JSON", "Kinesis: raw event -> payload bytes",
                  "DynamoDB: image dicts -> native", "DynamoDB: raw event -> native images"):
        assert title in out.stdout
    assert "disagrees" not in out.stdout + out.stderr
