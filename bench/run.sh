#!/usr/bin/env bash
# Benchmarks tempmedia side by side with nginx, WireMock and S3Proxy on loopback (see docs/benchmarks.md).
# Usage: bench/run.sh [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--only NAME[,NAME…]] [--java PATH]
#                     [--latency [--latency-share 0.5]]   (p50/p99 paced at that share of each one's peak)
#        bench/run.sh --tls   (download 64 KiB and token over HTTPS vs the same server's plain port)
#        bench/run.sh --s3    (tempmedia on S3Proxy + redis-server vs the same S3Proxy asked directly;
#                              figures in bench/results/latest-s3.json)
#        bench/run.sh --download-jars JAR,JAR…   (or --token-fsync-jars): two builds, same run, alternating
# Needs: nginx, wrk, h2load (Debian: nginx wrk nghttp2-client), python3, redis-server for --s3
# (Debian: redis-server), and the jar (built here when missing). The Java peers, WireMock and
# S3Proxy (bench/peers/pom.xml), are fetched from Maven Central into bench/peers/target/ when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
tools=(nginx wrk h2load python3 curl)
[[ " $* " == *" --s3 "* ]] && tools+=(redis-server)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "missing: ${missing[*]} (apt-get install nginx wrk nghttp2-client python3 curl redis-server)" >&2
  exit 2
fi
# The memory run holds 1 000 connections at once: a descriptor each in h2load and in the server.
(( $(ulimit -n) >= 4096 )) || ulimit -n 4096
[[ -f target/tempmedia.jar ]] || ./mvnw -q -B package -DskipTests
if [[ ! -f bench/peers/target/wiremock-standalone.jar || ! -f bench/peers/target/s3proxy.classpath ]]; then
  ./mvnw -q -B -f bench/peers/pom.xml dependency:copy dependency:build-classpath
fi
exec python3 bench/bench.py "$@"
