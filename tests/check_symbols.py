#!/usr/bin/env python3
"""check_symbols.py - the shared library must export shardline_* functions and nothing else."""
import subprocess
import sys

library = sys.argv[1]
out = subprocess.run(["nm", "-D", "--defined-only", library], check=True, capture_output=True,
                     text=True).stdout
symbols = [line.split()[-1] for line in out.splitlines() if line.strip()]
exported = [s for s in symbols if not s.startswith("shardline_")]
functions = [s for s in symbols if s.startswith("shardline_")]
if exported:
    print("exported symbols without the shardline_ prefix:", ", ".join(sorted(exported)))
    sys.exit(1)
if len(functions) < 20:
    print("too few shardline_ symbols exported:", functions)
    sys.exit(1)
print(f"{len(functions)} shardline_ symbols exported, nothing else")
