#!/usr/bin/env bash
# Contract calls next to V8, in one run (issue 14): warm call p50/p90/p99 and bytes allocated per
# call of (a) a contract laid out like near-sdk-rs builds (nearsdk_layout: 1 MiB stack, 17 pages,
# 4 KiB of data) and (b) the bundled C counter, each beside Node/V8 instantiating the same wasm
# per call with a no-op host; deploy + first call (counter and a 213 KiB contract) beside V8's
# compile + first call, each op once the previous op's background compile has ended, and the
# 213 KiB one also back to back (the previous ops' compiles running); calls to a just-deployed
# 213 KiB contract for 2 s (the slowest after 200 ms against the steady compiled call); a call to
# a just-deployed contract alone and behind ten other deploys; eight clients deploying at once and
# the heap a deployed contract keeps.
# Usage: bench/contract-calls.sh [--quick]
#   Both forms: the test classpath comes from target-system's build (target/test-classpath.txt,
#   written after the tests compile): no Maven start unless it is missing or older than a source
#   or pom. Prints the seconds each phase took.
#   full: each row in a JVM of its own: JMH 3x3 s iterations, one fork per row (deploy rows: 5x3 s
#   of warm-up, the JIT needs about 15 deploys), V8 10 s per contract, 9 queue rounds, 8 rounds of
#   2 s of calls, 40 deploy-phase rounds, 60 contracts for the footprint (about 4 minutes on an
#   idle 2-core machine).
#   --quick (CI): the JMH rows and the probes in one JVM (InOneJvm: every JVM start paid its start
#   and the JIT warm-up of the deploy path again), JMH without forks: the warm calls first, on the
#   fresh JVM, 2x1 s warm-up and 2x1 s measured; then 12 deploy-phase rounds, 3 windows of 2 s of
#   calls, 1 queue round; then the deploy rows, 1x1 s warm-up (the probes' deploys have
#   JIT-compiled their path) and 2x1 s measured. V8 2 s per contract, and for the 213 KiB one its
#   compile + first call only (the figures used). The footprint keeps its own JVM (the embedded
#   target's heap), 12 contracts. Fails (exit 1) if a figure is more than 3x past its goal or
#   missing (the V8 ratio is the load-proof one: both sides share the machine), except the 5x
#   clause of the tier window, unmet by orders of magnitude and awaiting a team decision: it is
#   printed UNMET, and CI holds the tiering to compiled code within 2 s instead. Also prints the
#   deploy's phases (parse, instrument, first call; validation and compile in the background).
set -euo pipefail
# Every JVM that deploys or compiles gets a fixed heap, its pages touched at start. On this kind of
# machine a page the JVM touches for the first time costs about 4 us in the kernel (512 MiB take 2 s),
# and G1's default heap grows and shrinks under a deploy's 90 MB of garbage: whole seconds of deploys
# ran 8x slower (300 instead of 35 ms) while the heap was faulted in again, at 20-40% system time.
# BENCH_HEAP overrides it for the probes and the one JVM of --quick (the JMH forks take theirs from
# ContractBench's @Fork), e.g. BENCH_HEAP=" " for the JVM's defaults.
HEAP="${BENCH_HEAP:--Xms2g -Xmx2g -XX:+AlwaysPreTouch}"
cd "$(dirname "$0")/.."
QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
command -v node >/dev/null || { echo "node is not installed (apt-get install -y nodejs)" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# Seconds per phase, printed at the end (the smoke's share of CI's budget).
started=${EPOCHREALTIME/./}; last=$started; timings=()
took() { local now=${EPOCHREALTIME/./}; timings+=("$1 $(((now - last) / 1000000)).$(((now - last) / 100000 % 10))"); last=$now; }

# The test classpath: target-system's build writes it after compiling the tests (process-test-classes,
# target-system/pom.xml), so after CI's `mvn verify` no Maven start is needed (it cost 10-15 s). When
# the file is missing, a jar in it is gone or anything under target-system/src or a pom changed
# since, one Maven start compiles and writes it again.
CP_FILE=target-system/target/test-classpath.txt
fresh() {
  [ -s "$CP_FILE" ] && [ -d target-system/target/test-classes ] && [ -d target-system/target/classes ] || return 1
  [ -z "$(find target-system/src target-system/pom.xml pom.xml -newer "$CP_FILE" -print -quit)" ] || return 1
  local jar; for jar in $(tr ':' ' ' <"$CP_FILE"); do [ -e "$jar" ] || return 1; done
}
if ! fresh; then
  mvn -B -q -pl target-system process-test-classes >"$OUT/mvn.log" || { cat "$OUT/mvn.log"; exit 1; }
  touch "$CP_FILE"  # the plugin leaves an unchanged file as it was: mark it checked now
fi
CP="target-system/target/test-classes:target-system/target/classes:$(cat "$CP_FILE")"
took classpath

WARM_CALLS='ContractBench\.(nearSdkLayoutIncrement|incrementMetered)$'
DEPLOYS='ContractBench\.(coldDeployAndFirstCall|coldDeployAndFirstCallLarge|coldDeployAndFirstCallLargeBackToBack)$'
V8_CONTRACTS=("nearsdk=target-system/src/test/resources/wat/nearsdk_layout.wasm:increment"
  "counter=resources/contracts/counter.wasm:increment")
if $QUICK; then JMH_OPTS="-f 0 -wi 2 -w 1s -i 2 -r 1s"; DEPLOY_OPTS="-f 0 -wi 1 -w 1s -i 2 -r 1s"
  V8_SECONDS=2; V8_LARGE="large=$OUT/large.wasm:increment:0"; ROUNDS=1; WINDOWS=3; PHASE_ROUNDS=12
else JMH_OPTS="-f 1 -wi 3 -w 2s -i 3 -r 3s"; DEPLOY_OPTS="-f 1 -wi 5 -w 3s -i 3 -r 3s"
  V8_SECONDS=10; V8_LARGE="large=$OUT/large.wasm:increment"; ROUNDS=9; WINDOWS=8; PHASE_ROUNDS=40; fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), java $(java -version 2>&1 | head -1 | cut -d'"' -f2), node $(node --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Other JMH runs on a shared machine hold /tmp/jmh.lock: ours is a separate fork (or JVM), run it anyway.
if $QUICK; then
  # One JVM for everything but the footprint (which needs the embedded target's heap): JMH without
  # forks (-f 0, the forks' flags given to this JVM), the warm calls first, on a JVM nothing else has
  # run in yet (as in a fork of their own); then the probes, then the deploy rows, whose path the
  # probes' deploys have JIT-compiled by then (one warm-up iteration where a fresh fork needs three).
  # shellcheck disable=SC2086
  # shellcheck disable=SC2086
  java -Djmh.ignoreLock=true -Xss4m -XX:-DontCompileHugeMethods $HEAP -cp "$CP" dev.outlayer.bench.targetsystem.bench.InOneJvm \
    /dev/null BenchContracts "$OUT/large.wasm" \; \
    "$OUT/jmh.log" jmh "$WARM_CALLS" $JMH_OPTS -foe true -prof gc -rf json -rff "$OUT/jmh.json" \; \
    "$OUT/phases.txt" DeployPhases "$PHASE_ROUNDS" \; \
    "$OUT/window.raw" TierWindowProbe "$WINDOWS" 2 \; \
    "$OUT/queue.raw" CompileQueueProbe "$ROUNDS" \; \
    "$OUT/deploy.log" jmh "$DEPLOYS" $DEPLOY_OPTS -foe true -rf json -rff "$OUT/deploy.json" \
    2>"$OUT/in-one-jvm.err" || { tail -40 "$OUT/in-one-jvm.err"; tail -20 "$OUT"/*.log; exit 1; }
  grep '^compile-queue' "$OUT/queue.raw" >"$OUT/queue.txt" || { echo "MISSING: no compile-queue figures"; exit 1; }
  grep '^tier-window-summary' "$OUT/window.raw" >/dev/null || { echo "MISSING: no tier-window figures"; exit 1; }
  grep '^tier-window' "$OUT/window.raw" >"$OUT/window.txt"
  took "one JVM (steps above)"
else
  java -cp "$CP" dev.outlayer.bench.targetsystem.bench.BenchContracts "$OUT/large.wasm"
  # shellcheck disable=SC2086
  java -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main "$WARM_CALLS" \
    $JMH_OPTS -prof gc -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.log" 2>&1 || { tail -40 "$OUT/jmh.log"; exit 1; }
  took "JMH warm calls"
  # shellcheck disable=SC2086
  java -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main "$DEPLOYS" \
    $DEPLOY_OPTS -rf json -rff "$OUT/deploy.json" > "$OUT/deploy.log" 2>&1 || { tail -40 "$OUT/deploy.log"; exit 1; }
  took "JMH deploys"
fi
node bench/contract-calls-v8.mjs "$V8_SECONDS" "${V8_CONTRACTS[@]}" "$V8_LARGE" > "$OUT/v8.jsonl"
took V8
if ! $QUICK; then
  # shellcheck disable=SC2086
  java -Xss4m -XX:-DontCompileHugeMethods $HEAP -cp "$CP" dev.outlayer.bench.targetsystem.bench.CompileQueueProbe "$ROUNDS" \
    2>/dev/null > "$OUT/queue.raw"
  grep '^compile-queue' "$OUT/queue.raw" > "$OUT/queue.txt" || { echo "MISSING: no compile-queue figures"; exit 1; }
  took "compile queue"
  # Calls to a just-deployed 213 KiB contract for 2 s: the slowest after 200 ms vs the steady compiled call.
  # shellcheck disable=SC2086
  java -Xss4m -XX:-DontCompileHugeMethods $HEAP -cp "$CP" dev.outlayer.bench.targetsystem.bench.TierWindowProbe "$WINDOWS" 2 \
    2>/dev/null | grep '^tier-window' > "$OUT/window.txt"
  took "tier window"
  # Where the 213 KiB deploy + first call spends its time, phase by phase (DeployPhases).
  # shellcheck disable=SC2086
  java -Xss4m -XX:-DontCompileHugeMethods $HEAP -cp "$CP" dev.outlayer.bench.targetsystem.bench.DeployPhases \
    "$PHASE_ROUNDS" 2>/dev/null > "$OUT/phases.txt"
  took "deploy phases"
fi
# Eight clients deploying never-seen 213 KiB contracts, then the heap kept per contract, with the
# embedded target's heap (DeployFootprint).
java -Xss4m -Xms512m -Xmx512m -XX:+UseSerialGC -cp "$CP" dev.outlayer.bench.targetsystem.bench.DeployFootprint \
  "$($QUICK && echo 12 || echo 60)" 8 2>"$OUT/footprint.err" | grep '^deploy-footprint' > "$OUT/footprint.txt" \
  || { tail -5 "$OUT/footprint.err"; echo "deploy-footprint FAILED (out of memory?)"; exit 1; }
took footprint
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
$QUICK && sed -n 's/^in-one-jvm /  in the one JVM: /p' "$OUT/in-one-jvm.err"
echo "seconds per phase: $(printf '%s; ' "${timings[@]}")total $(((${EPOCHREALTIME/./} - started) / 1000000))"
cat "$OUT/phases.txt"
grep -v summary "$OUT/window.txt"
grep '^queue-round' "$OUT/queue.raw"

python3 - "$OUT" "$QUICK" <<'PY'
import json, sys
out, quick = sys.argv[1], sys.argv[2] == "true"
jmh = {r["benchmark"].rsplit(".", 1)[1]: r
       for f in ("/jmh.json", "/deploy.json") for r in json.load(open(out + f))}
v8 = {r["name"]: r for r in map(json.loads, open(out + "/v8.jsonl"))}
footprint = dict(kv.split("=") for kv in open(out + "/footprint.txt").read().split()[1:])
queue = dict(kv.split("=") for kv in open(out + "/queue.txt").read().split()[1:])
window = dict(kv.split("=") for line in open(out + "/window.txt") if line.startswith("tier-window-summary")
              for kv in line.split()[1:])

def pct(name, p):
    return jmh[name]["primaryMetric"]["scorePercentiles"][p]

def alloc(name):
    for key, metric in jmh[name]["secondaryMetrics"].items():
        if key.endswith("gc.alloc.rate.norm"):
            return metric["score"]
    return float("nan")

rows, checks = [], []
def check(what, value, goal, ci_limit):  # lower is better; --quick fails past ci_limit (3x the goal)
    checks.append((what, value, goal, ci_limit))

for label, name, anchor in (("near-sdk-rs layout", "nearSdkLayoutIncrement", "nearsdk"),
                            ("bundled C counter", "incrementMetered", "counter")):
    a = v8[anchor]
    print(f"warm call, {label}: p50 {pct(name,'50.0'):.1f} us, p90 {pct(name,'90.0'):.1f} us, "
          f"p99 {pct(name,'99.0'):.1f} us, {alloc(name)/1024:.1f} KiB allocated per call | "
          f"V8: p50 {a['p50_us']:.1f} us, p90 {a['p90_us']:.1f} us, p99 {a['p99_us']:.1f} us | "
          f"V8 p50 / ours {a['p50_us']/pct(name,'50.0'):.2f}x")
near_v8 = v8["nearsdk"]["p50_us"]
check("near-sdk-rs layout p50 (us)", pct("nearSdkLayoutIncrement", "50.0"), 50, 150)
check("near-sdk-rs layout p99 (us)", pct("nearSdkLayoutIncrement", "99.0"), 300, 900)
check("near-sdk-rs layout p50 / V8 p50 (goal: 3x ahead)", pct("nearSdkLayoutIncrement", "50.0") / near_v8, 1 / 3, 1)
check("near-sdk-rs layout KiB allocated per call", alloc("nearSdkLayoutIncrement") / 1024, 64, 192)
check("C counter p50 (us)", pct("incrementMetered", "50.0"), 15, 45)
for label, name, anchor in (("counter (11 KiB)", "coldDeployAndFirstCall", "counter"),
                            ("213 KiB contract", "coldDeployAndFirstCallLarge", "large")):
    ms = jmh[name]["primaryMetric"]["score"] / 1000
    a = v8[anchor]
    print(f"deploy + first call, {label}: mean {ms:.1f} ms, p50 {pct(name,'50.0')/1000:.1f} ms, "
          f"p90 {pct(name,'90.0')/1000:.1f} ms | V8 compile {a['compile_ms']:.1f} ms + first call {a['first_call_ms']:.1f} ms")
    check(f"deploy + first call {label}, p50 (ms)", pct(name, "50.0") / 1000, 50, 150)
name = "coldDeployAndFirstCallLargeBackToBack"
print(f"deploy + first call, 213 KiB contract, back to back (earlier ops' compiles running, no goal): "
      f"mean {jmh[name]['primaryMetric']['score']/1000:.1f} ms, p50 {pct(name,'50.0')/1000:.1f} ms, "
      f"p90 {pct(name,'90.0')/1000:.1f} ms")
print(f"calls to a just-deployed 213 KiB contract for 2 s ({window['rounds']} rounds, medians): compiled after "
      f"{float(window['compiled_at_ms']):.0f} ms, median call of the last second {float(window['late_half_median_us']):.1f} us, "
      f"slowest after 200 ms {float(window['slowest_after_200ms_us'])/1000:.1f} ms = {float(window['ratio']):.0f}x "
      f"the compiled call ({float(window['compiled_call_us']):.1f} us; worst round {float(window['worst_ratio']):.0f}x), "
      f"GC pauses {float(window['gc_ms']):.0f} ms per window")
# The reference is measured twice (before the rounds on its own copy, after them on the last round's
# contract) and the faster taken: one copy can settle on a slower plateau when the JIT recompiles it.
print(f"  steady compiled call: {float(window['reference_before_us']):.1f} us before the rounds, "
      f"{float(window['reference_after_us']):.1f} us after ({window['reference_calls']} calls to come to rest); "
      f"the two agree within 20%: {window['reference_agree']}; the reference is not slower than the rounds' "
      f"late calls: {window['reference_steady']}" + ("" if window["reference_steady"] == "true"
      else " (NOT STEADY: the ratios below are understated)"))
# Other forms of the 5x clause, for the team's decision on it (measured, no goal yet).
compiled_us = float(window["compiled_call_us"])
print(f"  other forms of the 5x clause (medians): p99 of the calls after 200 ms "
      f"{float(window['p99_after_200ms_us']):.1f} us = {float(window['p99_after_200ms_us'])/compiled_us:.1f}x; "
      f"slowest call once compiled code arrived {float(window['slowest_after_compiled_us']):.1f} us = "
      f"{float(window['slowest_after_compiled_us'])/compiled_us:.0f}x, of which on its CPU at most "
      f"{float(window['slowest_cpu_after_compiled_us']):.0f} us (the rest waiting for a core or in a GC pause); "
      f"no call over 5x after "
      f"{float(window['settled_ms']):.0f} ms (worst round {float(window['worst_settled_ms']):.0f} ms; "
      f"the window is 2,000 ms); the steady compiled code's own slowest of 15,000 calls "
      f"{float(window['steady_slowest_us']):.1f} us = {float(window['steady_slowest_us'])/compiled_us:.0f}x; "
      f"calls over 5x in the window's last second {float(window['over5x_last_second_pct']):.2f}% "
      f"(the steady code's own, nothing deployed: {float(window['steady_over5x_pct']):.2f}%)")
# The 5x clause is unmet by two to three orders of magnitude (the interpreter, then the JVM's tiers,
# run the first calls: docs/performance.md) and awaits a team decision, so CI cannot hold it to 3x;
# CI guards the mechanism instead: compiled code must arrive within the 2 s window.
check("slowest call after 200 ms / steady compiled call (not held to 3x in CI, see above)",
      float(window["ratio"]), 5, float("inf"))
compiled_at = float(window["compiled_at_ms"])  # NaN: the median round never compiled within the window
check("compiled code after deploy, ms (CI guard of the tiering while the 5x clause is unmet)",
      compiled_at, 2000, 2000)
print(f"call to a just-deployed 213 KiB contract (300 Tgas loop), medians of {len(queue['ratios'].split(','))} rounds: "
      f"alone {float(queue['alone_ms']):.0f} ms, behind ten other deploys {float(queue['queued_ms']):.0f} ms: "
      f"{float(queue['ratio']):.2f}x (rounds {queue['ratios']}); median queued / median alone "
      f"{float(queue['ratio_of_medians']):.2f}x")
check("queued / alone", float(queue["ratio"]), 2, 6)
print(f"{footprint['contracts']} never-seen {footprint['code_kib']} KiB contracts deployed and called by "
      f"{footprint['threads']} clients at once, -Xmx{footprint['max_heap_mib']}m SerialGC: deploys done in "
      f"{footprint['deploys_s']} s (slowest deploy + call {footprint['slowest_deploy_ms']} ms), all compiled after "
      f"{footprint['all_compiled_s']} s; heap kept per contract {float(footprint['per_contract_kib']):.0f} KiB "
      f"({float(footprint['heap_after_mib']):.1f} MiB in use after a full GC)")
for what, value, goal, limit in checks:
    flag = "MISSING" if value != value else "ok" if value <= goal else ("UNMET" if limit == float("inf") else "within 3x" if value <= limit else "PAST 3x")
    print(f"  goal {what}: {value:.2f} vs <= {goal:.2f} ({flag})")
bad = [c[0] for c in checks if not c[1] <= c[3]]  # NaN (a figure missing) fails too
if quick and bad:
    print("FAIL: more than 3x past the goal: " + ", ".join(bad))
    sys.exit(1)
PY
