#!/usr/bin/env python3
"""tempmedia and its peers (nginx; WireMock; S3Proxy asked directly), same machine, same run:
alternating rounds, medians, ratios.

Writes a Markdown table to stdout and the raw figures to bench/results/latest.json (--s3:
latest-s3.json).
"""
import argparse
import base64
import hashlib
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import xml.sax.saxutils
from pathlib import Path
from typing import Callable, NamedTuple, Optional

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "target" / "tempmedia.jar"
PEERS = ROOT / "bench" / "peers" / "target"  # bench/run.sh fetches them (bench/peers/pom.xml)
LUA = ROOT / "bench" / "lua"
NGINX_WARMUP = 2  # seconds: nginx has no JIT to wait for; the JVMs get --warmup
APPID, SECRET = "wx0000000000000001", "devsecret00000000000000000000001"
BOUNDARY = "----tempmediaBench7MA4YWxkTrZu0gW"
MIB = 1024 * 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.005)
    raise RuntimeError(f"{url} did not answer")


def get_json(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def jpeg_of_size(size):
    """A JPEG signature, then filler: tempmedia detects the format from the first bytes."""
    head = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    body = os.urandom(size - len(head) - 2)
    return head + body + bytes([0xFF, 0xD9])


def multipart(filename, data):
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


class Server:
    """A server this harness started, as a process listening on 127.0.0.1:port."""
    proc = None
    port = None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def pids(self):
        """The processes whose JIT compilers the warm-up waits for (nginx's none matter)."""
        return [self.proc.pid] if self.proc else []


class Tempmedia(Server):
    def __init__(self, work, java, fsync, xmx=None, jar=None, https=False, env=None):
        self.data = work / "tempmedia-data"
        self.java, self.fsync, self.xmx = java, fsync, xmx
        self.jar = Path(jar) if jar else JAR
        self.https = https
        self.env = env or {}  # TEMPMEDIA_* configuration beyond the defaults

    def start(self):
        shutil.rmtree(self.data, ignore_errors=True)
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEMPMEDIA_")}
        env["TEMPMEDIA_STORAGE_FSYNC"] = "true" if self.fsync else "false"
        env["TEMPMEDIA_LOG_LEVEL"] = os.environ.get("BENCH_LOG_LEVEL", "WARN")  # nginx runs with access_log off too
        env.update(self.env)
        # The README's start command: with the class-data archive the build leaves beside the jar.
        jsa = self.jar.with_suffix(".jsa")
        cds = [f"-XX:SharedArchiveFile={jsa}"] if jsa.exists() else []
        # BENCH_JAVA_OPTS: more JVM options for the server (a profile's, Native Memory Tracking's).
        extra = os.environ.get("BENCH_JAVA_OPTS", "").split()
        cmd = [self.java] + cds + extra + ([f"-Xmx{self.xmx}"] if self.xmx else []) + [
            "-jar", str(self.jar), "serve", "--port", str(self.port), "--data", str(self.data)]
        if self.https:
            self.https_port = free_port()
            cmd += ["--https-port", str(self.https_port)]
        started = time.time()
        # BENCH_SERVER_LOG=path keeps the server's warnings and errors (by default they are dropped).
        log = open(os.environ["BENCH_SERVER_LOG"], "ab") if os.environ.get("BENCH_SERVER_LOG") else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        if log is not subprocess.DEVNULL:
            log.close()  # the server has its own copy of the descriptor
        wait_http(self.url("/_tempmedia/health"))
        self.startup = time.time() - started
        self.token = get_json(self.url(f"/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={SECRET}"))["access_token"]
        return self

    def tls_url(self, path):
        return f"https://127.0.0.1:{self.https_port}{path}"

    def upload(self, data):
        body = multipart("bench.jpg", data)
        return get_json(self.url(f"/cgi-bin/media/upload?access_token={self.token}&type=image"), body,
                        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})["media_id"]


def start_nginx(root, http_block):
    """nginx in the foreground with its files under root (tmp/ and logs/ made by the caller): no access
    log, kept-alive connections for the whole run, and http_block's servers."""
    # As root, nginx's workers would drop to "nobody", who cannot read a private temp dir.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = f"""
{user}
worker_processes auto;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path {root}/tmp;
{http_block}}}
"""
    (root / "nginx.conf").write_text(conf)
    return subprocess.Popen(["nginx", "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Nginx(Server):
    def pids(self):
        return []  # no JIT

    def __init__(self, work):
        self.root = work / "nginx"

    def start(self, files):
        shutil.rmtree(self.root, ignore_errors=True)
        (self.root / "html" / "files").mkdir(parents=True)
        (self.root / "html" / "dav").mkdir(parents=True)
        (self.root / "tmp").mkdir()
        (self.root / "logs").mkdir()
        for name, data in files.items():
            (self.root / "html" / "files" / name).write_bytes(data)
        self.port = free_port()
        self.proc = start_nginx(self.root, f"""
  sendfile on;
  tcp_nopush on;
  server {{
    listen 127.0.0.1:{self.port};
    root {self.root}/html;
    location /files/ {{ }}
    location /dav/ {{ dav_methods PUT; create_full_put_path on; client_max_body_size 20m; }}
    location = /token {{ default_type application/json; return 200 '{{"access_token":"x","expires_in":7200}}'; }}
  }}
""")
        wait_http(self.url("/files/64k.bin"))
        return self


class BareNetty(Server):
    """bench/BareNetty.java: a Netty server that answers every request with the file and a download's
    headers and does nothing else; what a download path written straight on Netty could reach at
    most (--bare-netty). A JVM too: warmed as long as tempmedia."""

    def __init__(self, work, java):
        self.root = work / "bare-netty"
        self.java = java

    def start(self, body):
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        (self.root / "media.jpg").write_bytes(body)
        self.port = free_port()
        cmd = [self.java, "-cp", str(JAR), str(ROOT / "bench" / "BareNetty.java"),
               str(self.root / "media.jpg"), str(self.port)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(self.url("/cgi-bin/media/get"))
        return self


def peer_file(name):
    path = PEERS / name
    if not path.exists():
        raise SystemExit(f"{path} is missing: bench/run.sh fetches it, or run"
                         " ./mvnw -q -B -f bench/peers/pom.xml dependency:copy dependency:build-classpath")
    return path


class WireMock(Server):
    """WireMock standalone, what a project would otherwise stub WeChat with: one stub answering
    GET /cgi-bin/media/get, whatever the query, with the body file and WeChat's headers.
    FLAGS are its own switches for load (no request journal, no request logging); the rest is its
    default (Jetty's thread pool, Handlebars templating available, HTTP/2 on the plain port)."""
    FLAGS = ["--disable-banner", "--no-request-journal", "--disable-request-logging"]

    def __init__(self, work, java):
        self.root = work / "wiremock"
        self.java = java

    def start(self, body):
        shutil.rmtree(self.root, ignore_errors=True)
        (self.root / "mappings").mkdir(parents=True)
        (self.root / "__files").mkdir()
        (self.root / "__files" / "media.jpg").write_bytes(body)
        (self.root / "mappings" / "media-get.json").write_text(json.dumps({
            "request": {"method": "GET", "urlPath": "/cgi-bin/media/get"},
            "response": {"status": 200, "bodyFileName": "media.jpg", "headers": {
                "Content-Type": "image/jpeg",
                "Content-disposition": 'attachment; filename="bench.jpg"',
                "Cache-Control": "no-cache, must-revalidate"}}}))
        self.port = free_port()
        cmd = [self.java, "-jar", str(peer_file("wiremock-standalone.jar")), "--port", str(self.port),
               "--bind-address", "127.0.0.1", "--root-dir", str(self.root)] + self.FLAGS
        started = time.time()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(self.media_url())
        self.startup = time.time() - started
        return self

    def media_url(self):
        return self.url("/cgi-bin/media/get?access_token=x&media_id=bench")

    @staticmethod
    def version(java):
        jar = PEERS / "wiremock-standalone.jar"
        return subprocess.run([java, "-jar", str(jar), "--version"], capture_output=True,
                              text=True).stdout.strip() if jar.exists() else None


class S3Proxy(Server):
    """S3Proxy standalone (the S3 server the scale-out tests use) over memory, jclouds' transient
    provider, without authentication, run from its Maven jar and runtime classpath; logging at WARN
    (its jar brings no logback configuration, and logback's default is DEBUG on every request)."""
    BUCKET = "tempmedia"
    MAIN = "org.gaul.s3proxy.Main"

    def __init__(self, work, java):
        self.root = work / "s3proxy"
        self.java = java

    def start(self):
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.port = free_port()
        properties = self.root / "s3proxy.properties"
        properties.write_text(f"s3proxy.endpoint=http://127.0.0.1:{self.port}\n"
                              "s3proxy.authorization=none\n"
                              "jclouds.provider=transient\njclouds.identity=x\njclouds.credential=y\n")
        logback = self.root / "logback.xml"
        logback.write_text('<configuration><appender name="err" class="ch.qos.logback.core.ConsoleAppender">'
                           '<target>System.err</target><encoder><pattern>%d %level %logger %msg%n</pattern></encoder>'
                           '</appender><root level="WARN"><appender-ref ref="err"/></root></configuration>')
        classpath = peer_file("s3proxy.classpath").read_text().strip()
        self.proc = subprocess.Popen([self.java, f"-Dlogback.configurationFile={logback}", "-cp", classpath,
                                      self.MAIN, "--properties", str(properties)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(self.url("/"))  # ListAllMyBuckets
        return self

    def request(self, method, path, data=None):
        # Not urllib's default form type for a body: Jetty would parse a binary body as a form and refuse it.
        req = urllib.request.Request(self.url(path), data=data, method=method,
                                     headers={"Content-Type": "application/octet-stream"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.read()

    def create_bucket(self):
        self.request("PUT", f"/{self.BUCKET}", b"")
        return self

    def put(self, key, data):
        """Stores data under key in the bucket; returns the object's path."""
        path = f"/{self.BUCKET}/{key}"
        self.request("PUT", path, data)
        return path

    def empty(self):
        """Deletes every object of the bucket (DeleteObjects, 1 000 keys a request). The transient store
        keeps objects in a file system in memory that holds at most 4 GiB (Jimfs' default): 4 096 objects
        of 1 MiB, which an upload run fills within seconds, after which every PUT fails."""
        keys = list(self.objects())
        for i in range(0, len(keys), 1000):
            body = ("<Delete><Quiet>true</Quiet>" + "".join(
                f"<Object><Key>{xml.sax.saxutils.escape(k)}</Key></Object>" for k in keys[i:i + 1000])
                    + "</Delete>").encode()
            req = urllib.request.Request(self.url(f"/{self.BUCKET}?delete"), data=body, method="POST", headers={
                "Content-Type": "application/xml",
                "Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()})
            with urllib.request.urlopen(req, timeout=60) as r:
                r.read()

    def objects(self, prefix=""):
        """key → size of every object in the bucket under prefix (ListObjectsV2, page after page)."""
        ns = {"s3": "http://s3.amazonaws.com/doc/2006-03-01/"}
        found, token = {}, None
        while True:
            query = {"list-type": "2", "prefix": prefix, **({"continuation-token": token} if token else {})}
            page = ET.fromstring(self.request("GET", f"/{self.BUCKET}?{urllib.parse.urlencode(query)}"))
            for o in page.findall("s3:Contents", ns):
                found[o.find("s3:Key", ns).text] = int(o.find("s3:Size", ns).text)
            token = page.findtext("s3:NextContinuationToken", namespaces=ns)
            if page.findtext("s3:IsTruncated", namespaces=ns) != "true" or not token:
                return found


class Redis(Server):
    """redis-server on a free port, nothing persisted."""

    def __init__(self, work):
        self.root = work / "redis"

    def start(self):
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.port = free_port()
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", str(self.root)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while not self.ping():
            if time.time() > deadline:
                raise RuntimeError("redis-server did not answer")
            time.sleep(0.01)
        return self

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def uri(self):
        return f"redis://127.0.0.1:{self.port}/0"


class NginxRelay(Server):
    """nginx as a reverse proxy in front of an S3Proxy of its own, keeping 64 connections to it alive:
    the least any relay of S3 costs on these cores, the ceiling for tempmedia's relayed rows (its
    downloads through nginx are GETs of the object, its uploads PUTs of it). Request bodies of up to
    2 MiB are buffered in memory: with nginx's default of 16 KiB a 64 KiB PUT went to a temporary
    file first and took 44 ms at the median (357/s against 2 996/s in memory)."""

    def __init__(self, work, java):
        self.root = work / "nginx-relay"
        self.s3 = S3Proxy(work, java)

    def start(self):
        self.s3.start().create_bucket()
        shutil.rmtree(self.root, ignore_errors=True)
        for d in ("logs", "tmp"):
            (self.root / d).mkdir(parents=True)
        self.port = free_port()
        self.proc = start_nginx(self.root, f"""
  proxy_temp_path {self.root}/tmp;
  upstream s3 {{ server 127.0.0.1:{self.s3.port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{self.port};
    client_max_body_size 20m;
    client_body_buffer_size 2m;
    location / {{
      proxy_pass http://s3;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffers 16 128k;
      proxy_busy_buffers_size 256k;
    }}
  }}
""")
        try:
            wait_http(self.url("/"))  # S3Proxy's ListAllMyBuckets, through nginx
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        super().stop()
        self.s3.stop()

    def pids(self):
        return self.s3.pids()


class TempmediaOnS3:
    """tempmedia in its scale-out mode (docs/scaling.md): media in S3Proxy, state in redis-server, all
    three on this machine, configured by environment variables as a deployment would be."""

    def __init__(self, work, java, memory_cache_mb=None, jar=None, xmx=None, upload_memory_mb=None):
        self.work, self.java, self.memory_cache_mb, self.jar, self.xmx = work, java, memory_cache_mb, jar, xmx
        self.upload_memory_mb = upload_memory_mb
        self.s3, self.redis, self.tm = S3Proxy(work, java), Redis(work), None

    def start(self):
        try:
            self.s3.start()
            self.redis.start()
            self.tm = Tempmedia(self.work, self.java, fsync=False, jar=self.jar, xmx=self.xmx, env={
                "TEMPMEDIA_STORAGE_KIND": "s3",
                "TEMPMEDIA_STORAGE_S3_ENDPOINT": self.s3.url(""),
                "TEMPMEDIA_STORAGE_S3_REGION": "us-east-1",
                "TEMPMEDIA_STORAGE_S3_BUCKET": S3Proxy.BUCKET,
                "TEMPMEDIA_STORAGE_S3_ACCESS_KEY": "x",
                "TEMPMEDIA_STORAGE_S3_SECRET_KEY": "y",
                "TEMPMEDIA_STORAGE_S3_PATH_STYLE": "true",
                "TEMPMEDIA_STATE_KIND": "redis",
                "TEMPMEDIA_STATE_URI": self.redis.uri(),
                **({} if self.memory_cache_mb is None
                   else {"TEMPMEDIA_STORAGE_S3_MEMORY_CACHE_MB": str(self.memory_cache_mb)}),
                **({} if self.upload_memory_mb is None
                   else {"TEMPMEDIA_STORAGE_S3_UPLOAD_MEMORY_MB": str(self.upload_memory_mb)})}).start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        for server in (self.tm, self.redis, self.s3):
            if server:
                server.stop()

    def pids(self):
        return [p for server in (self.tm, self.s3) if server for p in server.pids()]


def wrk(url, conns, duration, script=None, env=None):
    cmd = ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout
    rps = float(next(l for l in out.splitlines() if l.startswith("Requests/sec:")).split()[1])
    errors = sum(int(x) for l in out.splitlines() if "Non-2xx" in l for x in l.split()[-1:])
    socket_errors = next((l for l in out.splitlines() if "Socket errors" in l), "")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "requests": requests, "non2xx": errors, "socket_errors": socket_errors.strip(),
            **latency_percentiles(out)}


WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def latency_percentiles(out):
    """p50_ms … p99_ms from the "Latency Distribution" lines of wrk --latency (times in us, ms, s…)."""
    found = {}
    for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.M):
        found[f"p{m.group(1)}_ms"] = float(m.group(2)) * WRK_UNITS_MS[m.group(3)]
    return found


def paced(target, conns, rate, duration):
    """wrk at a fixed rate: each of the conns connections waits conns/rate seconds between requests
    (bench/lua/paced.lua around the workload's own script)."""
    delay_ms = conns / max(rate, 1.0) * 1000
    env = {**target.env, "DELAY_MS": f"{delay_ms:.3f}", "INNER_SCRIPT": str(target.script or "")}
    return {"target_rps": rate, "delay_ms": delay_ms, **wrk(target.url, conns, duration, LUA / "paced.lua", env)}



class Target(NamedTuple):
    """What wrk is pointed at: a URL, and the Lua script and its environment that shape the requests."""
    url: str
    script: Optional[Path] = None
    env: dict = {}


class Side(NamedTuple):
    """One server of a comparison: how to start it, what to load it with once started, and how many
    seconds of that load it gets before it is measured."""
    label: str
    start: Callable[[], object]  # a started server, with stop()
    target: Callable[[object], Target]
    warmup: float
    after: Optional[Callable[[object], dict]] = None  # what to record of the server once measured
    before_load: Optional[Callable[[object], None]] = None  # run before each stretch of load (warm-up steps, the measured run)


def compiler_seconds(pids):
    """CPU seconds the JIT compiler threads (C1, C2) of these JVMs have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                stat = (task / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            if name.startswith(("C1 Compiler", "C2 Compiler")):
                fields = stat[stat.rindex(")") + 2:].split()
                total += (int(fields[11]) + int(fields[12])) / ticks
    return total


WARMUP_STEP = 5  # seconds of load between two looks at the JIT compilers
SETTLED = 0.05  # share of one core the compilers may still use over a step for the JIT to count as settled


def warm_up(server, t, conns, side, args):
    """Load for side.warmup seconds, then in steps of WARMUP_STEP until the JVMs' JIT compilers use
    less than SETTLED of a core over a step (at most args.warmup_max seconds in all): on 2 cores the
    compilers of a JVM under a new load run for 15 to 60 s, and their CPU is taken from the server
    being measured. Returns the requests served and the seconds it took."""
    pids = server.pids() if hasattr(server, "pids") else []
    prepare(side, server)
    requests = wrk(t.url, conns, side.warmup, t.script, t.env)["requests"]
    spent = side.warmup
    while pids and spent < args.warmup_max:
        before = compiler_seconds(pids)
        prepare(side, server)
        requests += wrk(t.url, conns, WARMUP_STEP, t.script, t.env)["requests"]
        spent += WARMUP_STEP
        if compiler_seconds(pids) - before < SETTLED * WARMUP_STEP:
            break
    return requests, spent


def prepare(side, server):
    if side.before_load:
        side.before_load(server)


def measure(side, conns, args, pace=False):
    """Starts the side's server, warms it (warm_up), measures its peak, stops it; with pace, between the
    last two also a run at args.latency_share of that peak, for its latency."""
    server = side.start()
    try:
        t = side.target(server)
        warm_requests, warm_seconds = warm_up(server, t, conns, side, args)
        prepare(side, server)
        run = wrk(t.url, conns, args.duration, t.script, t.env)
        run["warmup_requests"] = warm_requests
        run["warmup_seconds"] = warm_seconds
        if pace:
            run["paced"] = paced(t, conns, run["rps"] * args.latency_share, args.duration)
        if side.after:
            run.update(side.after(server))
        return run
    finally:
        server.stop()


def alternate(args, name, conns, sides, paced_labels=()):
    """args.rounds rounds, each measuring every side in turn with only that side's server running, so
    that load from elsewhere on the machine falls on every side alike; the sides named in paced_labels
    also get a paced run for latency. Returns label → runs."""
    runs = {s.label: [] for s in sides}
    for r in range(args.rounds):
        for side in sides:
            runs[side.label].append(measure(side, conns, args, pace=side.label in paced_labels))
        print(f"  {name} round {r + 1}: " + ", ".join(summary(label, rs[-1]) for label, rs in runs.items()),
              file=sys.stderr)
    return runs


def summary(label, run):
    text = f"{label} {run['rps']:.0f}/s"
    if "paced" in run:
        p = run["paced"]
        text += f" (paced at {p['rps']:.0f}/s: p50 {p['p50_ms']:.2f} ms, p99 {p['p99_ms']:.2f} ms)"
    return text


def compare(runs, base="tempmedia"):
    """Each side's median; the base side's median over every other's (ratios; ratio: over the first);
    the medians of the paced runs' p50 and p99 (latency)."""
    medians = {label: statistics.median(x["rps"] for x in rs) for label, rs in runs.items()}
    out = dict(medians)
    ratios = {label: medians[base] / m for label, m in medians.items() if label != base}
    if ratios:
        out["ratio"] = next(iter(ratios.values()))
        out["ratios"] = ratios
    latency = {label: {p: statistics.median(x["paced"][p] for x in rs) for p in ("p50_ms", "p99_ms", "rps")}
               for label, rs in runs.items() if rs and all("paced" in x for x in rs)}
    if latency:
        out["latency"] = latency
    out["runs"] = runs
    return out


class Workload(NamedTuple):
    """A load (wrk -t2 -c conns) and the sides it is put on; latency: whether --latency adds paced runs
    of tempmedia and nginx."""
    name: str
    conns: int
    sides: list
    latency: bool = False


def run_workloads(args, workloads):
    """The workloads that --only selects (any part of their name), each compared side by side."""
    paced_labels = ("tempmedia", "nginx") if args.latency else ()
    return {w.name: compare(alternate(args, w.name, w.conns, w.sides, paced_labels if w.latency else ()))
            for w in workloads if not args.only or any(o in w.name for o in args.only)}


class Payload:
    """A JPEG of a given size, and the files wrk sends: as a multipart upload, and raw (for a PUT)."""

    def __init__(self, work, name, size):
        self.data = jpeg_of_size(size)
        self.multipart = work / f"upload-{name}.multipart"
        self.multipart.write_bytes(multipart("bench.jpg", self.data))
        self.raw = work / f"upload-{name}.bin"
        self.raw.write_bytes(self.data)


def upload_url(tm):
    return tm.url(f"/cgi-bin/media/upload?access_token={tm.token}&type=image")


def download_url(tm, data):
    """The download of data, uploaded first."""
    return tm.url(f"/cgi-bin/media/get?access_token={tm.token}&media_id={tm.upload(data)}")


def upload_target(tm, payload):
    return Target(upload_url(tm), LUA / "upload.lua",
                  {"BODY_FILE": str(payload.multipart), "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}"})


def download_target(tm, payload):
    return Target(download_url(tm, payload.data))


def token_target(tm):
    return Target(tm.url(f"/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={SECRET}"))


def tempmedia_side(args, work, target, label="tempmedia", **kw):
    return Side(label, lambda: Tempmedia(work, args.java, **{"fsync": False, **kw}).start(), target, args.warmup)


def run_throughput(args, work):
    one_mib, k64 = Payload(work, "1mib", MIB), Payload(work, "64k", 64 * 1024)
    files = {"1m.bin": one_mib.data, "64k.bin": k64.data}

    def nginx(target):
        return Side("nginx", lambda: Nginx(work).start(files), target, NGINX_WARMUP)

    def range_of(target):
        return lambda server: target(server)._replace(script=LUA / "range.lua")

    def put(payload):
        return lambda ng: Target(ng.url("/dav/u.bin"), LUA / "put.lua", {"BODY_FILE": str(payload.raw)})

    def wiremock(payload):  # a JVM too: warmed as long as tempmedia
        return Side("wiremock", lambda: WireMock(work, args.java).start(payload.data),
                    lambda wm: Target(wm.media_url()), args.warmup)

    def bare_netty(payload):  # --bare-netty: the ceiling of a path written on Netty alone
        if not args.bare_netty:
            return []
        return [Side("bare netty", lambda: BareNetty(work, args.java).start(payload.data),
                     lambda bn: Target(bn.url("/cgi-bin/media/get")), args.warmup)]

    return run_workloads(args, [
        Workload("download 1 MiB, 32 conns", 32, [
            tempmedia_side(args, work, lambda tm: download_target(tm, one_mib)),
            nginx(lambda ng: Target(ng.url("/files/1m.bin"))),
            wiremock(one_mib)] + bare_netty(one_mib), latency=True),
        Workload("download 64 KiB, 32 conns", 32, [
            tempmedia_side(args, work, lambda tm: download_target(tm, k64)),
            nginx(lambda ng: Target(ng.url("/files/64k.bin"))),
            wiremock(k64)] + bare_netty(k64), latency=True),
        Workload("Range 256 KiB of 1 MiB, 32 conns", 32, [
            tempmedia_side(args, work, range_of(lambda tm: download_target(tm, one_mib))),
            nginx(range_of(lambda ng: Target(ng.url("/files/1m.bin"))))]),
        Workload("upload 1 MiB, 8 conns (fsync off)", 8, [
            tempmedia_side(args, work, lambda tm: upload_target(tm, one_mib)),
            nginx(put(one_mib))]),
        Workload("upload 64 KiB, 8 conns (fsync off)", 8, [
            tempmedia_side(args, work, lambda tm: upload_target(tm, k64)),
            nginx(put(k64))], latency=True),
        Workload("token, 32 conns", 32, [
            tempmedia_side(args, work, token_target),
            nginx(lambda ng: Target(ng.url("/token")))]),
        Workload("upload 1 MiB, 8 conns (fsync on)", 8, [
            tempmedia_side(args, work, lambda tm: upload_target(tm, one_mib), fsync=True)]),
    ])


def run_s3(args, work):
    """tempmedia on S3Proxy and redis-server against S3Proxy asked directly for the same bytes: GET of
    an object for a download, PUT of the raw bytes to a new key for an upload. Each side gets an
    S3Proxy of its own, started the same way, afresh (it keeps objects in memory), and warmed as long."""
    one_mib, k64 = Payload(work, "1mib", MIB), Payload(work, "64k", 64 * 1024)

    def tempmedia(target, memory_cache_mb=None, before_load=None):
        return Side("tempmedia", lambda: TempmediaOnS3(work, args.java, memory_cache_mb).start(), target,
                    args.warmup, lambda stack: {"objects_in_bucket": len(stack.s3.objects())}, before_load)

    def direct(target, before_load=None):  # the bucket made as tempmedia makes it at its start
        return Side("direct", lambda: S3Proxy(work, args.java).start().create_bucket(), target, args.warmup,
                    lambda s3: {"objects_in_bucket": len(s3.objects())}, before_load)

    def nginx_relay(target, before_load=None):  # the ceiling of a relay on these cores
        return Side("nginx relay", lambda: NginxRelay(work, args.java).start(), target, args.warmup,
                    lambda ng: {"objects_in_bucket": len(ng.s3.objects())}, before_load)

    def download(payload, memory_cache_mb=None):
        sides = [tempmedia(lambda stack: landed_download_target(stack, payload), memory_cache_mb),
                 direct(lambda s3: Target(s3.url(s3.put("direct/bench.jpg", payload.data))))]
        if memory_cache_mb == 0:
            sides.append(nginx_relay(lambda ng: Target(ng.url(ng.s3.put("direct/bench.jpg", payload.data)))))
        return sides

    # The store holds at most 4 GiB (S3Proxy.empty): both buckets are emptied before each stretch of
    # load, so that every upload measured is stored as a new object (objects_in_bucket counts them
    # after the measured run; tempmedia answers a failed upload with 200 and an errcode, which wrk
    # does not count as an error).
    def upload(payload):
        return [tempmedia(lambda stack: upload_target(stack.tm, payload), before_load=lambda stack: stack.s3.empty()),
                direct(lambda s3: Target(s3.url("/"), LUA / "put.lua", {
                    "BODY_FILE": str(payload.raw), "PUT_PREFIX": f"/{S3Proxy.BUCKET}/direct/"}),
                       before_load=lambda s3: s3.empty()),
                nginx_relay(lambda ng: Target(ng.url("/"), LUA / "put.lua", {
                    "BODY_FILE": str(payload.raw), "PUT_PREFIX": f"/{S3Proxy.BUCKET}/direct/"}),
                            before_load=lambda ng: ng.s3.empty())]

    return run_workloads(args, [
        Workload("download 64 KiB, 16 conns", 16, download(k64)),
        Workload("download 1 MiB, 16 conns", 16, download(one_mib)),
        # the same with no bytes held in memory: every download relayed from S3 (objects over 1 MiB,
        # and a working set larger than storage.s3.memoryCacheMb, are served this way)
        Workload("download 64 KiB relayed (memoryCacheMb 0), 16 conns", 16, download(k64, 0)),
        Workload("download 1 MiB relayed (memoryCacheMb 0), 16 conns", 16, download(one_mib, 0)),
        Workload("upload 64 KiB, 16 conns", 16, upload(k64)),
        Workload("upload 1 MiB, 16 conns", 16, upload(one_mib)),
    ])


def landed_download_target(stack, payload):
    """tempmedia's download of an upload that is checked to be in S3Proxy: the setup under test."""
    target = download_target(stack.tm, payload)
    if len(payload.data) not in stack.s3.objects("media/").values():
        raise RuntimeError(f"tempmedia's upload is not in S3Proxy's bucket: {stack.s3.objects()}")
    return target


def run_tls(args, work):
    """Download 64 KiB and token over HTTPS (TLS 1.3, the local CA's EC P-256 leaf) and over the plain
    port of the same server, alternating within each round; wrk keeps its connections, so this is
    the cost of encryption on a kept-alive connection, handshakes amortised."""
    k64 = jpeg_of_size(64 * 1024)
    results = {}
    for name, conns, path_of in [
        ("download 64 KiB, 32 conns", 32,
         lambda tm, media: f"/cgi-bin/media/get?access_token={tm.token}&media_id={media}"),
        ("token, 32 conns", 32,
         lambda tm, media: f"/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={SECRET}"),
    ]:
        plain, tls = [], []
        for r in range(args.rounds):
            tm = Tempmedia(work, args.java, fsync=False, https=True).start()
            try:
                path = path_of(tm, tm.upload(k64))
                wrk(tm.url(path), conns, args.warmup)
                plain.append(wrk(tm.url(path), conns, args.duration))
                wrk(tm.tls_url(path), conns, args.warmup)  # TLS's own code paths need the JIT too
                tls.append(wrk(tm.tls_url(path), conns, args.duration))
            finally:
                tm.stop()
            print(f"  {name} round {r + 1}: plain {plain[-1]['rps']:.0f}/s, https {tls[-1]['rps']:.0f}/s",
                  file=sys.stderr)
        p_med = statistics.median(x["rps"] for x in plain)
        t_med = statistics.median(x["rps"] for x in tls)
        results[name] = {"plain": p_med, "https": t_med, "ratio": t_med / p_med,
                         "runs": {"plain": plain, "https": tls}}
    return results


def run_startup(args, work, n=7):
    """Start to first answer, n times each, alternating: tempmedia's health check, WireMock's stub."""
    body = jpeg_of_size(64 * 1024)
    starts = {"tempmedia": lambda: Tempmedia(work, args.java, fsync=True).start(),
              "wiremock": lambda: WireMock(work, args.java).start(body)}
    times = {label: [] for label in starts}
    for _ in range(n):
        for label, start in starts.items():
            server = start()
            times[label].append(server.startup)
            server.stop()
    medians = {label: {"median_s": statistics.median(ts), "runs_s": ts} for label, ts in times.items()}
    return {**medians["tempmedia"], "wiremock": medians["wiremock"]}


class Sampling:
    """Calls sample() every `period` seconds in a thread while the with-block runs."""

    def __init__(self, period):
        self.period, self.done = period, threading.Event()

    def __enter__(self):
        self.thread = threading.Thread(target=self.run)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()

    def run(self):
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.period)

    def sample(self):
        raise NotImplementedError


class PeakRss(Sampling):
    """The highest resident set of a process, sampled every 20 ms while the block runs."""

    def __init__(self, pid):
        super().__init__(0.02)
        self.pid, self.bytes = pid, 0

    def sample(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    self.bytes = max(self.bytes, int(line.split()[1]) * 1024)


def h2load(options, url, timeout=300):
    """h2load --h1 (one connection per client, all opened at once): its summary lines; errors, the
    requests that did not succeed (failed, errored, timed out); non2xx; and the body bytes received."""
    out = subprocess.run(["h2load", "--h1", *options, url], capture_output=True, text=True, timeout=timeout).stdout
    line = lambda start: next((l.strip() for l in out.splitlines() if l.strip().startswith(start)), "")
    requests, status = line("requests:"), line("status codes:")
    number = lambda pattern, text: int(next(iter(re.findall(pattern, text)), 0))
    total = number(r"(\d+) total", requests)
    return {"h2load_requests": requests, "h2load_status": status,
            "errors": total - number(r"(\d+) succeeded", requests) if requests else 1,
            "non2xx": total - number(r"(\d+) 2xx", status),
            "data_bytes": number(r"\((\d+)\) data", line("traffic:"))}


def heap_info(tm):
    out = subprocess.run(["jcmd", str(tm.proc.pid), "GC.heap_info"], capture_output=True, text=True).stdout
    return out.strip().splitlines()[:3]


def raise_descriptor_limit(needed):
    """h2load and the server hold a descriptor per connection each; run.sh raises the limit, this too."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def memory_run(args, work, h2load_options, target):
    """tempmedia at -Xmx128m under one h2load run against target(tm): peak RSS, time, heap after."""
    tm = Tempmedia(work, args.java, fsync=False, xmx="128m").start()
    try:
        url = target(tm)
        with PeakRss(tm.proc.pid) as rss:
            started = time.time()
            result = h2load(h2load_options, url)
            elapsed = time.time() - started
        return {**result, "peak_rss_mb": rss.bytes / MIB, "seconds": elapsed, "heap_info": heap_info(tm),
                "stored": sum(1 for p in (tm.data / "media").rglob("*") if p.is_file() and ".incoming" not in p.parts)}
    finally:
        tm.stop()


def run_memory(args, work):
    """100 concurrent 10 MB uploads, and 20 000 downloads of one 64 KiB object over 1 000 connections
    at once, each on a fresh tempmedia at -Xmx128m."""
    ten_mb = work / "upload-10mb.multipart"
    ten_mb.write_bytes(multipart("big.jpg", jpeg_of_size(10 * 1000 * 1000)))
    uploads = memory_run(args, work, ["-n", "100", "-c", "100", "-d", str(ten_mb),
                                      "-H", f"Content-Type: multipart/form-data; boundary={BOUNDARY}"],
                         upload_url)
    uploads["uploads"] = 100
    raise_descriptor_limit(4096)
    k64 = jpeg_of_size(64 * 1024)
    downloads = memory_run(args, work, ["-n", "20000", "-c", "1000"], lambda tm: download_url(tm, k64))
    downloads.update({"downloads": 20000, "connections": 1000, "size": len(k64)})
    return {"uploads_10mb": uploads, "downloads_64k": downloads}


def memory_failures(memory):
    """Every error of the memory run, as sentences; none is allowed."""
    failures = [f"{name}: {m['errors']} h2load errors, {m['non2xx']} answers not 2xx ({m['h2load_requests']};"
                f" {m['h2load_status']})" for name, m in memory.items() if m["errors"] or m["non2xx"]]
    uploads, downloads = memory["uploads_10mb"], memory["downloads_64k"]
    if uploads["stored"] != uploads["uploads"]:
        failures.append(f"uploads_10mb: {uploads['stored']} of {uploads['uploads']} stored")
    if downloads["data_bytes"] != downloads["downloads"] * downloads["size"]:  # an errcode JSON is a 200 too
        failures.append(f"downloads_64k: {downloads['data_bytes']} bytes of media received, not"
                        f" {downloads['downloads']} × {downloads['size']}")
    return failures


def run_jars(args, work, jars, name, target, fsync):
    """One workload for each jar in turn, round after round (alternating, so that load from elsewhere
    on the machine falls on every jar alike): the same-run comparison of builds of tempmedia."""
    runs = alternate(args, name, 32, [tempmedia_side(args, work, target, label=jar, jar=jar, fsync=fsync)
                                      for jar in jars])
    return {jar: {"median": statistics.median(x["rps"] for x in rs), "runs": rs} for jar, rs in runs.items()}


def run_token_fsync(args, work):
    """/cgi-bin/token with storage.fsync on, for each jar."""
    return run_jars(args, work, args.token_fsync_jars, "token (fsync on)", token_target, fsync=True)


def run_download_jars(args, work):
    """download 64 KiB, 32 conns (fsync off), for each jar."""
    k64 = Payload(work, "64k", 64 * 1024)
    return run_jars(args, work, args.download_jars, "download 64 KiB", lambda tm: download_target(tm, k64), fsync=False)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=int, default=8)
    p.add_argument("--only", type=lambda s: s.split(","), default=None)
    p.add_argument("--java", default="java")
    p.add_argument("--warmup", type=int, default=15, help="seconds of load before each JVM (tempmedia, WireMock, S3Proxy) is measured, then more until its JIT has settled; nginx gets 2")
    p.add_argument("--warmup-max", type=int, default=60, help="seconds a JVM's warm-up may last at most")
    p.add_argument("--token-fsync-jars", type=lambda s: s.split(","), default=None,
                   help="only /cgi-bin/token with fsync on, 32 conns, for these jars alternately (JAR,JAR…)")
    p.add_argument("--download-jars", type=lambda s: s.split(","), default=None,
                   help="only download 64 KiB, 32 conns, for these jars alternately (JAR,JAR…)")
    p.add_argument("--tls", action="store_true",
                   help="only download 64 KiB and token over HTTPS against the same server's plain port")
    p.add_argument("--latency", action="store_true",
                   help="download 1 MiB and 64 KiB, upload 64 KiB: also wrk's p50 and p99 for tempmedia and nginx"
                        " at --latency-share of each one's own peak in that round")
    p.add_argument("--latency-share", type=float, default=0.5, help="share of the peak for --latency (0.5)")
    p.add_argument("--bare-netty", action="store_true",
                   help="the download rows also against bench/BareNetty.java, a Netty server that only sends"
                        " the file: the ceiling of a download path written on Netty alone")
    p.add_argument("--s3", action="store_true",
                   help="only tempmedia on S3Proxy and redis-server against S3Proxy asked directly"
                        " (bench/results/latest-s3.json)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tempmedia-bench-"))
    if args.s3:
        try:
            out = {"machine": machine(args), "s3": run_s3(args, work)}
        finally:
            shutil.rmtree(work, ignore_errors=True)
        write_results("latest-s3.json", out)
        print_s3_table(out["s3"])
        return
    if args.tls:
        try:
            out = run_tls(args, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print("| workload | plain | https | https/plain | rounds (plain / https) |\n|---|---|---|---|---|")
        for name, r in out.items():
            rounds = ", ".join(f"{a['rps']:.0f}/{b['rps']:.0f}" for a, b in zip(r["runs"]["plain"], r["runs"]["https"]))
            print(f"| {name} | {r['plain']:.0f}/s | {r['https']:.0f}/s | {r['ratio']:.2f} | {rounds} |")
        return
    if args.download_jars:
        try:
            out = run_download_jars(args, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print("| jar | download 64 KiB, 32 conns (median) | rounds |\n|---|---|---|")
        for jar, r in out.items():
            rounds = ", ".join(f"{x['rps']:.0f}" for x in r["runs"])
            bad = sum(x["non2xx"] for x in r["runs"])
            print(f"| {jar} | {r['median']:.0f}/s | {rounds}{f' ({bad} non-2xx)' if bad else ''} |")
        return
    if args.token_fsync_jars:
        try:
            out = run_token_fsync(args, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print("| jar | token, 32 conns, fsync on (median) | rounds |\n|---|---|---|")
        for jar, r in out.items():
            rounds = ", ".join(f"{x['rps']:.0f}" for x in r["runs"])
            print(f"| {jar} | {r['median']:.0f}/s | {rounds} |")
        return
    try:
        out = {"machine": machine(args)}
        if args.latency:
            out["latency_share"] = args.latency_share
        if not args.only or "startup" in args.only:
            out["startup"] = run_startup(args, work)
        out["throughput"] = run_throughput(args, work) if not args.only or set(args.only) - {"startup", "memory"} else {}
        if not args.only or "memory" in args.only:
            out["memory"] = run_memory(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_results("latest.json", out)
    print_table(out)
    failures = memory_failures(out["memory"]) if "memory" in out else []
    if failures:
        raise SystemExit("memory run FAILED:\n  " + "\n  ".join(failures))


def machine(args):
    return {"cpus": os.cpu_count(),
            "java": subprocess.run([args.java, "-version"], capture_output=True, text=True).stderr.splitlines()[0],
            "nginx": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip(),
            "wiremock": WireMock.version(args.java),
            "redis": subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.strip()}


def write_results(name, out):
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / name).write_text(json.dumps(out, indent=2))


def print_s3_table(results):
    """One row a workload; the nginx relay's columns only where it ran (relayed downloads, uploads)."""
    print("| workload (S3Proxy, transient, + redis-server) | tempmedia | direct S3 | tempmedia/direct |"
          " nginx relay | nginx relay/direct | rounds (tempmedia / direct / nginx relay) |"
          " objects in the bucket after (last round) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        runs = r["runs"]
        labels = [label for label in ("tempmedia", "direct", "nginx relay") if label in runs]
        rounds = ", ".join("/".join(f"{x['rps']:.0f}" for x in xs) for xs in zip(*(runs[lb] for lb in labels)))
        bad = sum(x["non2xx"] for rs in runs.values() for x in rs)
        objects = " / ".join(str(runs[lb][-1]["objects_in_bucket"]) for lb in labels)
        relay = (f"{r['nginx relay']:.0f}/s | {r['nginx relay'] / r['direct']:.2f}" if "nginx relay" in r
                 else "— | —")
        print(f"| {name} | {r['tempmedia']:.0f}/s | {r['direct']:.0f}/s | {r['ratios']['direct']:.2f} | {relay} |"
              f" {rounds}{f' ({bad} non-2xx)' if bad else ''} | {objects} |")


def print_table(out):
    throughput = out.get("throughput", {})
    share = out.get("latency_share") if any("latency" in r for r in throughput.values()) else None
    head = ["workload", "tempmedia", "nginx", "tempmedia/nginx", "WireMock", "tempmedia/WireMock"]
    peers = ["nginx", "wiremock"]
    if any("bare netty" in r for r in throughput.values()):
        head += ["bare Netty", "tempmedia/bare Netty", "bare Netty/nginx"]
        peers.append("bare netty")
    if share:
        head += [f"{who} p50 / p99 (rate) paced at {share:.0%} of its peak" for who in ("tempmedia", "nginx")]

    def row(*cells):
        print("| " + " | ".join(list(cells) + [""] * (len(head) - len(cells))) + " |")

    row(*head)
    print("|---" * len(head) + "|")
    for name, r in throughput.items():
        cells = [name, f"{r['tempmedia']:.0f}/s"]
        for peer in peers:
            cells += [f"{r[peer]:.0f}/s", f"{r['ratios'][peer]:.2f}"] if peer in r else ["—", "—"]
        if "bare netty" in peers:
            cells += [f"{r['bare netty'] / r['nginx']:.2f}" if "bare netty" in r and "nginx" in r else "—"]
        if share:
            cells += [f"{lat['p50_ms']:.2f} / {lat['p99_ms']:.2f} ms ({lat['rps']:.0f}/s)" if lat else "—"
                      for lat in (r.get("latency", {}).get(label) for label in ("tempmedia", "nginx"))]
        row(*cells)
    if "startup" in out:
        st = out["startup"]
        row(f"startup to first answer (median of {len(st['runs_s'])})", f"{st['median_s']:.2f} s", "", "",
            f"{st['wiremock']['median_s']:.2f} s")
    if "memory" in out:
        up, down = out["memory"]["uploads_10mb"], out["memory"]["downloads_64k"]
        row("100 × 10 MB concurrent uploads, -Xmx128m",
            f"{up['stored']} of {up['uploads']} stored ({up['h2load_status']}), peak RSS {up['peak_rss_mb']:.0f} MB,"
            f" {up['seconds']:.1f} s")
        row(f"{down['downloads']} downloads of 64 KiB over {down['connections']} connections at once, -Xmx128m",
            f"{down['h2load_status']}, {down['errors']} errors, {down['data_bytes'] / MIB:.0f} MiB of media,"
            f" peak RSS {down['peak_rss_mb']:.0f} MB, {down['seconds']:.1f} s")


if __name__ == "__main__":
    main()
