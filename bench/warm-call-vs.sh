#!/usr/bin/env bash
# Issue 12's "the single-receipt warm call must not get slower": JMH ContractBench's two warm calls
# (incrementMetered, nearSdkLayoutIncrement) of this tree next to another commit's, in one run,
# alternating (base, this, base, this, ...) so that both see the same machine; prints p50/p90/p99,
# bytes allocated per call (-prof gc) and the load average of each run.
# Usage: bench/warm-call-vs.sh [BASE_COMMIT [ROUNDS]]   (default: a6e3746, before issue 12's work; 2 rounds)
# About 1 minute per run on an idle 2-core machine (4 runs by default).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-a6e3746}
ROUNDS=${2:-2}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

git clone -q . "$OUT/base"
git -C "$OUT/base" checkout -q "$BASE"
build() { # label tree
  (cd "$2" && mvn -B -q -pl target-system test-compile \
    && mvn -B -q -pl target-system dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$OUT/$1.cp" >/dev/null)
}
build base "$OUT/base"
build this .
echo "machine: $(nproc) cores, java $(java -version 2>&1 | head -1 | cut -d'"' -f2); base $BASE, this $(git rev-parse --short HEAD)"

run() { # label tree round
  local label=$1 tree=$2 n=$3
  local json="$OUT/$label-$n.json"
  local before; before=$(cut -d' ' -f1-3 /proc/loadavg)
  (cd "$tree" && java -Djmh.ignoreLock=true \
    -cp "target-system/target/test-classes:target-system/target/classes:$(cat "$OUT/$label.cp")" \
    org.openjdk.jmh.Main 'ContractBench\.(incrementMetered|nearSdkLayoutIncrement)$' \
    -f 1 -wi 3 -w 2s -i 3 -r 2s -prof gc -rf json -rff "$json" > "$OUT/$label-$n.log" 2>&1) \
    || { tail -30 "$OUT/$label-$n.log"; exit 1; }
  python3 - "$json" "$label" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
path, label, before, after = sys.argv[1:]
for r in json.load(open(path)):
    p = r["primaryMetric"]["scorePercentiles"]
    alloc = next((m["score"] for k, m in r["secondaryMetrics"].items() if k.endswith("gc.alloc.rate.norm")), float("nan"))
    print(f"{label:5} {r['benchmark'].rsplit('.', 1)[1]:24} p50 {p['50.0']:6.1f} us  p90 {p['90.0']:6.1f} us  "
          f"p99 {p['99.0']:7.1f} us  {alloc:7.0f} B/call  load {before} -> {after}")
PY
}
for n in $(seq 1 "$ROUNDS"); do
  run base "$OUT/base" "$n"
  run this . "$n"
done
