#!/usr/bin/env python3
"""The memory run's uploads (100 concurrent 10 MB uploads, tempmedia at -Xmx128m) in the S3 mode.

    python3 bench/s3_memory.py [label=/path/to/tempmedia.jar …]   # default: target/tempmedia.jar

bench/run.sh --only memory runs tempmedia on its local store; in the S3 mode an upload's part
gathers in memory before it is sent (up to 5 MiB filling and 5 MiB sending per upload), so the
same load is worth its own figure. For each jar: h2load's statuses, peak RSS of tempmedia's process,
how many objects S3Proxy holds after, and the peaks of the JVM's direct memory and of the uploads'
parts (storage.s3.uploadMemoryMb's gauge, on jars that have it) read from /metrics every second.
Environment: WORK (/tmp/tempmedia-s3-memory), UPLOADS (100), UPLOAD_MEMORY_MB (the server's default).
"""
import os
import re
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

UPLOADS = int(os.environ.get("UPLOADS", "100"))


SERIES = {"direct": r'^jvm_buffer_memory_used_bytes\{id="direct"\} (\S+)$',
          "parts": r"^tempmedia_s3_upload_memory_bytes (\S+)$"}


class PeakGauges(bench.Sampling):
    """The highest value of each of SERIES in the server's /metrics, read every second."""

    def __init__(self, metrics_url):
        super().__init__(1.0)
        self.url, self.peaks = metrics_url, {k: 0.0 for k in SERIES}

    def sample(self):
        try:
            text = urllib.request.urlopen(self.url, timeout=5).read().decode()
        except OSError:
            return
        for name, pattern in SERIES.items():
            m = re.search(pattern, text, re.M)
            if m:
                self.peaks[name] = max(self.peaks[name], float(m.group(1)))


def measure(work, label, jar, body):
    budget = os.environ.get("UPLOAD_MEMORY_MB") or None
    stack = bench.TempmediaOnS3(work, "java", jar=jar, xmx="128m", upload_memory_mb=budget).start()
    try:
        url = bench.upload_url(stack.tm)
        with bench.PeakRss(stack.tm.proc.pid) as rss, PeakGauges(stack.tm.url("/metrics")) as gauges:
            started = time.time()
            result = bench.h2load(["-n", str(UPLOADS), "-c", str(UPLOADS), "-d", str(body), "-H",
                                   f"Content-Type: multipart/form-data; boundary={bench.BOUNDARY}"], url)
            seconds = time.time() - started
        stored = len(stack.s3.objects("media/"))
        print(f"{label}: {result['h2load_status']}; errors {result['errors']}, not 2xx {result['non2xx']};"
              f" stored {stored} of {UPLOADS}; peak RSS {rss.bytes / bench.MIB:.0f} MB; {seconds:.1f} s;"
              f" peak direct memory {gauges.peaks['direct'] / bench.MIB:.0f} MB,"
              f" parts {gauges.peaks['parts'] / bench.MIB:.0f} MB", flush=True)
    finally:
        stack.stop()


def main():
    jars = [arg.split("=", 1) for arg in sys.argv[1:]] or [["tempmedia", str(bench.JAR)]]
    if any(len(j) != 2 for j in jars):
        sys.exit(__doc__)
    work = Path(os.environ.get("WORK", "/tmp/tempmedia-s3-memory"))
    work.mkdir(parents=True, exist_ok=True)
    body = work / "upload-10mb.multipart"
    body.write_bytes(bench.multipart("big.jpg", bench.jpeg_of_size(10 * 1000 * 1000)))
    for label, jar in jars:
        measure(work, label, jar, body)


if __name__ == "__main__":
    main()
