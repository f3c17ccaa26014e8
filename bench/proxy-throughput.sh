#!/usr/bin/env bash
# Proxy throughput and overhead on loopback, measured in one run:
#   1. latency: one connection, direct to the NEAR RPC emulator vs through /near-rpc; overhead = p50 difference
#   2. throughput: many connections, direct vs through /near-rpc (key of the `unlimited` tier)
# Prints requests/s, latency percentiles and errors (non-2xx) of each run.
# Usage: bench/proxy-throughput.sh [seconds] [connections]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
CONNECTIONS=${2:-32}
JAR=target-system/target/outlayer-target-system.jar
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }
[ -f "$JAR" ] || mvn -q -B -pl target-system package -DskipTests

LOG=$(mktemp)
coproc TARGET { exec java -Xms512m -jar "$JAR" --host 127.0.0.1 --coordinator-port 0 --rpc-port 0 \
  --components coordinator,rpc --exit-on-stdin-eof 2>"$LOG"; }
trap 'kill "$TARGET_PID" 2>/dev/null || true; rm -f "$LOG"' EXIT
read -r -t 60 READY <&"${TARGET[0]}" || { cat "$LOG"; echo "target did not start" >&2; exit 1; }
COORD=$(sed -E 's/.*coordinator=([^ ]+).*/\1/' <<<"$READY")
RPC=$(sed -E 's/.*rpc=([^ ]+).*/\1/' <<<"$READY")
echo "target: $READY"

run() { # name url key
  echo "== $1: ${SECONDS_PER_RUN}s, $CONNECTIONS connections"
  WRK_API_KEY=$3 wrk -t2 -c"$CONNECTIONS" -d3s -s bench/rpc-status.lua "$2" >/dev/null   # warm-up
  WRK_API_KEY=$3 wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/rpc-status.lua "$2" | tee "/tmp/wrk-$1.txt" \
    | grep -E "Requests/sec|50%|90%|99%|Non-2xx|Socket errors|requests in"
}
latency() { # name url key
  WRK_API_KEY=$3 wrk -t1 -c1 -d3s -s bench/rpc-status.lua "$2" >/dev/null
  WRK_API_KEY=$3 wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" --latency -s bench/rpc-status.lua "$2" > "/tmp/wrk-$1.txt"
  echo "== $1 (1 connection): p50 $(p50 "$1")  p99 $(awk '$1=="99%" {print $2}' "/tmp/wrk-$1.txt")  $(grep -E 'Non-2xx' "/tmp/wrk-$1.txt" || echo 'no errors')"
}
to_us() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); print v} else if (v ~ /ms$/) {sub(/ms/,"",v); print v*1000} else {sub(/s/,"",v); print v*1000000}}' <<<"$1"; }
p50() { awk '$1=="50%" {print $2}' "/tmp/wrk-$1.txt"; }
latency direct-latency "$RPC/" ""
latency proxied-latency "$COORD/near-rpc" "bench-unlimited-key"
echo "proxy overhead at p50 (proxied - direct, 1 connection): $(awk -v a="$(to_us "$(p50 proxied-latency)")" -v b="$(to_us "$(p50 direct-latency)")" 'BEGIN {printf "%.0f us", a-b}')  (target <= 500 us)"

run direct "$RPC/" ""
run proxied "$COORD/near-rpc" "bench-unlimited-key"

rps() { awk '/Requests\/sec/ {print $2}' "/tmp/wrk-$1.txt"; }
echo "== summary"
echo "direct  rps $(rps direct)  p50 $(p50 direct)"
echo "proxied rps $(rps proxied)  p50 $(p50 proxied)"
echo "proxied throughput target: >= 5000 rps, zero errors"
echo "proxied/direct throughput ratio: $(awk -v a="$(rps proxied)" -v b="$(rps direct)" 'BEGIN {printf "%.2f", a/b}')"
curl -s "$COORD/throttle/metrics" | sed 's/^/throttle metrics: /'; echo
