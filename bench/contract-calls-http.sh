#!/usr/bin/env bash
# Warm contract calls over HTTP (issue 14, "Warm contract calls over HTTP"): the bundled counter
# deployed to 10 accounts, wrk calling `increment` round-robin over them with 10 connections, so
# the whole path is measured: body parse into CallBody, scheduling per account, execution, and
# the CallAnswer rendered as JSON. Anchor in the same run: GET /health on the same listener (the
# HTTP floor of this machine and JVM). Goal: >= 8,000 calls/s, p99 <= 10 ms.
#
# Usage: bench/contract-calls-http.sh [--quick] [seconds] [connections] [accounts]
#   --quick  CI form: 3 s (after a warm-up until the JIT is quiet: at most 60 s more); fails when more than 3x off the goal (< 2,667 calls/s or p99 > 30 ms) or on errors.
# JAVA_OPTS: extra JVM flags for the target (e.g. a profiler agent); TARGET_JAR: another build to measure. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; shift; fi
SECS=${1:-$([ $QUICK = 1 ] && echo 3 || echo 15)}
CONNECTIONS=${2:-10}
ACCOUNTS=${3:-10}
JAR=${TARGET_JAR:-target-system/target/outlayer-target-system.jar}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }
[ -f "$JAR" ] || mvn -q -B -pl target-system -am package -DskipTests

WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
mkfifo "$WORK/in" "$WORK/out"
exec 7<>"$WORK/in"
java -Xms512m -Xmx1g -XX:-DontCompileHugeMethods ${JAVA_OPTS:-} -jar "$JAR" --host 127.0.0.1 --components coordinator --coordinator-port 0 \
  --upstream-rpc http://127.0.0.1:9/ --exit-on-stdin-eof <"$WORK/in" >"$WORK/out" 2>"$WORK/log" &
PID=$!
exec 8<"$WORK/out"
READY=
until [[ $READY == READY* ]]; do
  read -r -t 120 READY <&8 || { cat "$WORK/log" >&2; echo "target did not start" >&2; exit 1; }
done
cat <&8 >/dev/null &
URL=$(sed -E 's/.*coordinator=([^ ]+).*/\1/' <<<"$READY")
for i in $(seq 0 $((ACCOUNTS - 1))); do
  curl -sf -o /dev/null -X PUT --data-binary @resources/contracts/counter.wasm "$URL/contracts/bench$i.test.near" \
    || { echo "deploy to bench$i.test.near failed" >&2; exit 1; }
done
# Deploys compile in the background: wait until a call on each account answers 200.
for i in $(seq 0 $((ACCOUNTS - 1))); do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"method":"get_num"}' \
    "$URL/contracts/bench$i.test.near/view" || { echo "bench$i.test.near does not answer" >&2; exit 1; }
done

echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)"
echo "target $URL, $ACCOUNTS accounts, $CONNECTIONS connections, ${SECS}s per run; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
to_us() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); print v+0} else if (v ~ /ms$/) {sub(/ms/,"",v); print v*1000} else {sub(/s/,"",v); print v*1000000}}'; }
# The target's user + system clock ticks so far: CPU per request is what the machine's load cannot skew.
cpu_ticks() { cut -d' ' -f14,15 "/proc/$PID/stat" | awk '{print $1+$2}'; }
measure() { # name wrk-args...: prints and stores "rps p50 p99 errors cpu_us_per_request" in $WORK/name
  local name=$1; shift
  local ticks_before
  ticks_before=$(cpu_ticks)
  ACCOUNTS=$ACCOUNTS wrk -t2 -c"$CONNECTIONS" -d"${SECS}s" --latency "$@" >"$WORK/$name.txt"
  local cpu_us
  cpu_us=$(awk -v t="$(( $(cpu_ticks) - ticks_before ))" -v hz="$(getconf CLK_TCK)" \
    -v n="$(awk '/requests in/ {print $1}' "$WORK/$name.txt")" 'BEGIN {printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0)}')
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/$name.txt" | to_us)
  p99=$(awk '$1=="99%" {print $2}' "$WORK/$name.txt" | to_us)
  errors=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",",""); n+=$4+$6+$8+$10} END {print n+0}' "$WORK/$name.txt")
  echo "$rps $p50 $p99 $errors $cpu_us" >"$WORK/$name"
  printf "  %-14s %7s req/s  p50 %7s us  p99 %7s us  errors %s  target cpu %s us/request\n" "$name" "$rps" "$p50" "$p99" "$errors" "$cpu_us"
}
# The JVM needs its JIT's work done before it is measured: on a loaded machine a fixed warm-up
# leaves the call path half interpreted. Warm SECS, then on until the JIT compiler threads use
# under 5% of the target's CPU (at most 60 s more), as bench/proxy-throughput.sh does.
jit_ticks() { for t in /proc/"$PID"/task/*; do
  case $(cat "$t/comm" 2>/dev/null) in C1\ CompilerThre*|C2\ CompilerThre*) cut -d' ' -f14,15 "$t/stat" 2>/dev/null ;; esac
done | awk '{n+=$1+$2} END {print n+0}'; }
echo "== warm-up (${SECS}s of calls, then until the JIT is quiet)"
ACCOUNTS=$ACCOUNTS wrk -t2 -c"$CONNECTIONS" -d"${SECS}s" -s bench/contract-call.lua "$URL" >/dev/null
ACCOUNTS=$ACCOUNTS wrk -t2 -c"$CONNECTIONS" -d"${SECS}s" "$URL/health" >/dev/null
for _ in $(seq 12); do
  jit_before=$(jit_ticks); all_before=$(cpu_ticks)
  ACCOUNTS=$ACCOUNTS wrk -t2 -c"$CONNECTIONS" -d5s -s bench/contract-call.lua "$URL" >/dev/null
  jit=$(( $(jit_ticks) - jit_before )); all=$(( $(cpu_ticks) - all_before ))
  echo "  warm-up: JIT $jit of $all CPU ticks"
  [ $(( jit * 20 )) -lt "$all" ] && break
done
echo "== measured"
measure health-anchor "$URL/health"
measure contract-calls -s bench/contract-call.lua "$URL"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
read -r RPS P50 P99 ERRORS CPU <"$WORK/contract-calls"
read -r HRPS _ _ _ HCPU <"$WORK/health-anchor"
echo "calls/s $RPS (goal >= 8000), p99 $P99 us (goal <= 10000), errors $ERRORS; calls/health ratio $(awk -v a="$RPS" -v b="$HRPS" 'BEGIN {printf "%.2f", a/b}'); load average after: $LOAD"
echo "target CPU per request: call $CPU us, health $HCPU us; at that CPU the machine's $(nproc) cores would serve $(awk -v c="$CPU" -v n="$(nproc)" 'BEGIN {printf "%.0f", (c > 0 ? n * 1e6 / c : 0)}') calls/s (an upper bound: wrk shares the cores)"
curl -s "$URL/contracts/bench0.test.near" | head -c 300; echo

if [ $QUICK = 1 ]; then
  FAIL=0
  awk -v a="$RPS" 'BEGIN {exit !(a*3 >= 8000)}' || { echo "FAIL: under a third of 8,000 calls/s" >&2; FAIL=1; }
  awk -v a="$P99" 'BEGIN {exit !(a <= 30000)}' || { echo "FAIL: p99 over 3x 10 ms" >&2; FAIL=1; }
  [ "$ERRORS" = 0 ] || { echo "FAIL: $ERRORS errors" >&2; FAIL=1; }
  [ $FAIL = 0 ] && echo "quick check: OK (within 3x of the goal)"
  exit $FAIL
fi
