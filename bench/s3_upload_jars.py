#!/usr/bin/env python3
"""Two or more builds of tempmedia on S3 uploads, each after the same long warm-up.

    python3 bench/s3_upload_jars.py before=/path/to/old.jar after=target/tempmedia.jar [more…]

Each jar in turn (ROUNDS times, alternating) runs as bench.TempmediaOnS3 (S3Proxy + redis-server on
this machine), takes WARM seconds of `wrk -t2 -c16` uploads, has its bucket emptied, then takes
MEASURE seconds more. It prints the rate, each process's CPU per upload (from /proc/<pid>/stat over
the measured stretch) and how many objects were stored. bench/run.sh --s3 caps its warm-up at
--warmup-max, and S3 uploads keep both JVMs compiling for minutes (docs/benchmarks.md, *Where the
time goes: S3 mode*); this script measures builds against each other after the same fixed warm-up,
and CPU per upload, which the shared cores' noise moves less than the rate.

Environment: WARM (120), MEASURE (10), ROUNDS (2), SIZE in bytes (65536).
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

WARM = int(os.environ.get("WARM", "120"))
MEASURE = int(os.environ.get("MEASURE", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))
SIZE = int(os.environ.get("SIZE", str(64 * 1024)))
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system time of a process so far (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(work, label, jar, payload):
    stack = bench.TempmediaOnS3(work, "java", jar=jar).start()
    try:
        target = bench.upload_target(stack.tm, payload)
        bench.wrk(target.url, 16, WARM, target.script, target.env)
        stack.s3.empty()
        pids = (stack.tm.proc.pid, stack.s3.proc.pid)
        before = [cpu_seconds(p) for p in pids]
        result = bench.wrk(target.url, 16, MEASURE, target.script, target.env)
        after = [cpu_seconds(p) for p in pids]
        n = result["requests"]
        tm_ms, s3_ms = (1000 * (a - b) / n for a, b in zip(after, before))
        stored = len(stack.s3.objects("media/"))
        print(f"{label}: {result['rps']:.0f}/s, tempmedia {tm_ms:.3f} ms CPU/upload, "
              f"S3Proxy {s3_ms:.3f} ms, stored {stored} of {n}", flush=True)
    finally:
        stack.stop()


def main():
    jars = [arg.split("=", 1) for arg in sys.argv[1:]]
    if len(jars) < 1 or any(len(j) != 2 for j in jars):
        sys.exit(__doc__)
    work = Path(os.environ.get("WORK", "/tmp/tempmedia-s3-upload-jars"))
    work.mkdir(parents=True, exist_ok=True)
    payload = bench.Payload(work, "upload", SIZE)
    for _ in range(ROUNDS):
        for label, jar in jars:
            measure(work, label, jar, payload)


if __name__ == "__main__":
    main()
