"""Runs a Python script as __main__ and, at exit, writes its peak RSS (KiB) to the file named by
SYNTHPROOF_BENCH_RSS_FILE. usage: python3 rss_probe.py SCRIPT [ARGS...]"""
import os
import resource
import runpy
import sys

script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(os.path.abspath(script))
try:
    runpy.run_path(script, run_name="__main__")
finally:
    out = os.environ.get("SYNTHPROOF_BENCH_RSS_FILE")
    if out:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if sys.platform == "darwin":  # bytes there, KiB on Linux
            peak //= 1024
        with open(out, "w") as f:
            f.write(f"{peak}\n")
