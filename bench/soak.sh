#!/usr/bin/env bash
# Soak test (issue 15, "Keep it held"): the target system under mixed load for a bounded time, on
# loopback only, with heap (after a full GC), RSS, threads and open file descriptors sampled.
# Load: proxied JSON-RPC `status`, counter calls (direct and linux mode with secrets), printenv runs
# with secrets, keystore list/store/pubkey (one sequential client each); OutLayer's on-chain execution
# lifecycle (signed request_execution to the callback's result, 8 in flight) and its HTTPS API
# (payment-key calls, 4 in flight). Class histograms of the target at the first quarter and the end.
# Usage: bench/soak.sh [seconds (default 1800, at most 14400)] [sample seconds (default 30)]
#        bench/soak.sh --short          # 60 s, sampled every 5 s: checks the script itself
# Writes target/soak/<timestamp>/{samples.csv,summary.txt,target.log,histogram-*.txt}; exits 1 when
# the verdict fails. SOAK_LANES=lifecycle,https-call (names from summary.txt) runs only those lanes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--short" ]; then DURATION=60; SAMPLE=5; export SOAK_SHORT=1; else DURATION=${1:-1800}; SAMPLE=${2:-30}; fi
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 && "$DURATION" -le 14400 ]] || { echo "duration: 1..14400 seconds" >&2; exit 2; }
JAR=target-system/target/outlayer-target-system.jar
[ -f "$JAR" ] || mvn -q -B -pl target-system package -DskipTests

OUT=target/soak/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
DATA=$(mktemp -d)
LOG="$OUT/target.log"
# The admin routes' token (grants of the HTTPS lane's payment keys): this run's own, never the default.
SOAK_ADMIN_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export SOAK_ADMIN_TOKEN
# --https-rate-per-minute: the HTTPS API's per-address limit still runs, high enough for one client.
coproc TARGET { exec java -Xmx512m -XX:+ExitOnOutOfMemoryError -XX:-DontCompileHugeMethods -jar "$JAR" --host 127.0.0.1 \
  --coordinator-port 0 --rpc-port 0 --keystore-port 0 --keystore-data-dir "$DATA/keystore" \
  --admin --admin-token "$SOAK_ADMIN_TOKEN" --https-rate-per-minute 100000000 \
  --exit-on-stdin-eof 2>"$LOG"; }
PID=$TARGET_PID
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
read -r -t 120 READY <&"${TARGET[0]}" || { cat "$LOG"; echo "target did not start" >&2; exit 1; }
COORD=$(sed -E 's/.*coordinator=([^ ]+).*/\1/' <<<"$READY")
RPC=$(sed -E 's/.*rpc=([^ ]+).*/\1/' <<<"$READY")
KEYSTORE=$(sed -E 's/.*keystore=([^ ]+).*/\1/' <<<"$READY")
echo "target (pid $PID): $READY; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The profile every secrets request uses, stored by its owner's key; the same ciphertext is re-stored under other names.
CIPHERTEXT=$(java -jar "$JAR" encrypt-secrets --keystore "$KEYSTORE" --repo github.com/outlayer-bench/soak \
  --owner bench.test.near --secrets '{"SOAK_SECRET":"soak-value"}' --profile soak \
  --api-key bench-unlimited-key --access '"AllowAll"' 2>>"$LOG")

set +e
java -cp "$JAR" bench/Soak.java "$COORD" "$RPC" "$KEYSTORE" "$PID" "$DURATION" "$SAMPLE" "$CIPHERTEXT" "$OUT"
VERDICT=$?
set -e
kill -0 "$PID" 2>/dev/null || { echo "the target system died during the soak; see $LOG" >&2; VERDICT=1; }
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT"
exit $VERDICT
