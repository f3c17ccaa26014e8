#!/usr/bin/env bash
# The contract simulator's own cryptography next to an anchor, in one run: alt_bn128_pairing_check
# (2 pairs) and one element of bls12381_map_fp_to_g1 / _fp2_to_g2, through VmLogic (JMH:
# AltBn128PairingBench, Bls12381MapBench), beside the same operations in @noble/curves (audited pure
# JavaScript) on Node's V8, and beside the time nearcore's gas allows (1 Tgas ~ 1 ms). No goal: the
# figures say how far the stand-in's cost stays below what a contract is charged for it.
# Usage: bench/curve-ops.sh [seconds per iteration, default 3] (about 2 minutes; not in CI). Ours: JMH's
# sample mode, 3 warm-up and 3 measured iterations in one fork; noble's: p50 of the same seconds after 20 warm-up calls.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${1:-3}
command -v node >/dev/null || { echo "node is not installed (apt-get install -y nodejs)" >&2; exit 2; }
[ -d bench/curve-ops/node_modules/@noble/curves ] || npm ci --prefix bench/curve-ops --no-audit --no-fund >/dev/null
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# The test classpath as bench/contract-calls.sh takes it: written by target-system's build.
CP_FILE=target-system/target/test-classpath.txt
if [ ! -s "$CP_FILE" ] || [ -n "$(find target-system/src target-system/pom.xml pom.xml -newer "$CP_FILE" -print -quit)" ]; then
  mvn -B -q -pl target-system process-test-classes >"$OUT/mvn.log" || { cat "$OUT/mvn.log"; exit 1; }
  touch "$CP_FILE"
fi
CP="target-system/target/test-classes:target-system/target/classes:$(cat "$CP_FILE")"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), java $(java -version 2>&1 | head -1 | cut -d'"' -f2), node $(node --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main \
  'AltBn128PairingBench.pairingCheck|Bls12381MapBench.mapFp' -p pairs=2 \
  -f 1 -wi 3 -w "${SECONDS_PER}s" -i 3 -r "${SECONDS_PER}s" -bm sample -tu us -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.log" 2>&1 \
  || { tail -30 "$OUT/jmh.log"; exit 1; }
node bench/curve-ops/noble.mjs "$SECONDS_PER" >"$OUT/noble.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT/jmh.json" "$OUT/noble.txt" <<'PY'
import json, sys
ours = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
noble = {}
for line in open(sys.argv[2]):
    name, *fields = line.split()
    noble[name] = dict(f.split("=") for f in fields)
rows = [  # (ours, noble's, nearcore's gas in Ggas)
    ("pairingCheck", "alt_bn128_pairing_check_2_pairs", "alt_bn128_pairing_check, 2 pairs", 9686 + 2 * 5102),
    ("mapFpToG1", "bls12381_map_fp_to_g1", "bls12381_map_fp_to_g1, 1 element", 252),
    ("mapFp2ToG2", "bls12381_map_fp2_to_g2", "bls12381_map_fp2_to_g2, 1 element", 900),
]
for key, anchor, label, ggas in rows:
    if key not in ours or anchor not in noble:
        sys.exit(f"MISSING: {label}")
    p50, p90 = ours[key]["scorePercentiles"]["50.0"], ours[key]["scorePercentiles"]["90.0"]
    v8 = float(noble[anchor]["p50_us"])
    print(f"{label}: ours p50 {p50:.0f} us, p90 {p90:.0f} us | @noble/curves on V8 p50 {v8:.0f} us: {v8 / p50:.1f}x ours"
          f" | nearcore's gas {ggas} Ggas ~ {ggas:.0f} us: {ggas / p50:.1f}x ours")
PY
