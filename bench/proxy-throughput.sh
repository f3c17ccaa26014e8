#!/usr/bin/env bash
# The throttled JSON-RPC proxy against nginx, side by side in one run (issue 14, "Throttled proxy"):
#   upstream  the NEAR RPC emulator, in its own JVM (--components rpc)
#   direct    wrk -> upstream
#   proxy     wrk -> coordinator /near-rpc (its own JVM, key of the `unlimited` tier) -> upstream
#   nginx     wrk -> nginx (worker_processes auto, limit_req keyed by X-API-Key, keepalive upstream) -> upstream
# Each round measures the three in turn with the same wrk load (`status` calls); the rounds are
# interleaved so that machine noise hits all three alike. Overhead = p50 minus direct's p50.
# Prints every run, the medians over the rounds, and proxy/nginx ratios. Goal: overhead <= nginx's,
# throughput >= nginx's.
#
# Usage: bench/proxy-throughput.sh [--quick] [seconds-per-run] [connections] [rounds]
#   --quick   CI form (about 40-100 s): warm-up 3 s for the upstream and nginx, 10 s and on until its JIT is quiet for the proxy, 1 round of 3 s; fails (exit 1) when the proxy is more than 3x off the goal
#             (throughput below nginx/3, or overhead above 3x nginx's + 100 us of timer noise).
# PROXY_JAVA_OPTS / UPSTREAM_JAVA_OPTS: extra JVM flags (e.g. a profiler agent) for either JVM; TARGET_JAR: another build.
# WRK_DELAY_MS: each connection pauses this long between its calls (bench/rpc-status.lua), so the load stays
#   below saturation; without it every process is busy and a p50 says as much about queueing as about cost.
# CANDIDATE_CMD: a fourth target measured beside the others in each round, for an experiment (e.g.
#   bench/experiments/netty-proxy/start.sh): run with UPSTREAM_URL, CANDIDATE_PORT and TARGET_JAR in its
#   environment, it must serve POST /near-rpc on 127.0.0.1:$CANDIDATE_PORT and keep running in the foreground.
# Needs wrk and nginx (apt-get install -y wrk nginx).
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; shift; fi
SECS=${1:-$([ $QUICK = 1 ] && echo 3 || echo 10)}
CONNECTIONS=${2:-10}
ROUNDS=${3:-$([ $QUICK = 1 ] && echo 1 || echo 3)}
JAR=${TARGET_JAR:-target-system/target/outlayer-target-system.jar}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }
[ -x "$NGINX" ] || { echo "nginx is not installed: apt-get install -y nginx" >&2; exit 2; }
[ -f "$JAR" ] || mvn -q -B -pl target-system -am package -DskipTests

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# launch_jvm NAME JVM_OPTS ARGS...: starts the target with ARGS; await_ready NAME then waits for its READY
# line into READY_LINE. The upstream and the proxy start side by side (the proxy does not call its upstream
# before a request comes): about 3 s less than one after the other.
launch_jvm() {
  local name=$1 opts=$2 out; shift 2
  mkfifo "$WORK/$name.in" "$WORK/$name.out"
  # Its stdin stays open (the JVM exits when it closes) for as long as this script holds the fifo.
  exec {fd}<>"$WORK/$name.in"
  java -Xms256m -Xmx512m -XX:-DontCompileHugeMethods $opts -jar "$JAR" --host 127.0.0.1 --exit-on-stdin-eof "$@" \
    <"$WORK/$name.in" >"$WORK/$name.out" 2>"$WORK/$name.log" &
  PIDS+=($!)
  exec {out}<"$WORK/$name.out"
  printf -v "OUT_$name" %s "$out"
}
await_ready() {
  local name=$1 out_var="OUT_$1"
  local out=${!out_var}
  READY_LINE=
  until [[ $READY_LINE == READY* ]]; do   # an agent may print first
    read -r -t 90 READY_LINE <&"$out" || { cat "$WORK/$name.log" >&2; echo "$name did not start" >&2; exit 1; }
  done
  cat <&"$out" >/dev/null &   # keep draining its stdout
}
UPSTREAM="http://127.0.0.1:$(free_port)"
launch_jvm upstream "${UPSTREAM_JAVA_OPTS:-}" --components rpc --rpc-port "${UPSTREAM##*:}"
launch_jvm proxy "${PROXY_JAVA_OPTS:-}" --components coordinator --coordinator-port 0 --upstream-rpc "$UPSTREAM/"
PROXY_PID=${PIDS[-1]}
await_ready upstream
[ "$(sed -E 's/.*rpc=([^ ]+).*/\1/' <<<"$READY_LINE")" = "$UPSTREAM" ] || { echo "the upstream is not at $UPSTREAM: $READY_LINE" >&2; exit 1; }
await_ready proxy
PROXY=$(sed -E 's/.*coordinator=([^ ]+).*/\1/' <<<"$READY_LINE")
UPSTREAM_PORT=${UPSTREAM##*:}

if [ -n "${CANDIDATE_CMD:-}" ]; then
  CANDIDATE_PORT=$(free_port)
  UPSTREAM_URL="$UPSTREAM/" CANDIDATE_PORT=$CANDIDATE_PORT TARGET_JAR=$JAR $CANDIDATE_CMD >"$WORK/candidate.log" 2>&1 &
  CANDIDATE_PID=$!
  PIDS+=("$CANDIDATE_PID")
  CANDIDATE="http://127.0.0.1:$CANDIDATE_PORT"
  for _ in $(seq 100); do curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"status","params":[]}' "$CANDIDATE/near-rpc" && break; sleep 0.2; done
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"status","params":[]}' \
    "$CANDIDATE/near-rpc" || { cat "$WORK/candidate.log" >&2; echo "the candidate ($CANDIDATE_CMD) does not answer" >&2; exit 1; }
fi

NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
user root;
pid $WORK/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  # The same policy as the proxy's unlimited tier: a token bucket per API key, admitting at once.
  limit_req_zone \$http_x_api_key zone=per_key:10m rate=1000000r/s;
  limit_req_status 429;
  upstream near_rpc { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /near-rpc {
      limit_req zone=per_key burst=1000000 nodelay;
      proxy_pass http://near_rpc/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-API-Key "";
    }
  }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 50); do curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
  --data '{"jsonrpc":"2.0","id":1,"method":"status","params":[]}' "$NGINX_URL/near-rpc" && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1), $("$NGINX" -v 2>&1)"
echo "upstream $UPSTREAM  proxy $PROXY/near-rpc  nginx $NGINX_URL/near-rpc${CANDIDATE:+  candidate $CANDIDATE/near-rpc ($CANDIDATE_CMD)}"
[ -n "${WRK_DELAY_MS:-}" ] && echo "paced: each connection pauses ${WRK_DELAY_MS} ms between calls"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# cpu_ticks PID...: user + system clock ticks the processes have used so far.
cpu_ticks() { for pid in "$@"; do cut -d' ' -f14,15 "/proc/$pid/stat"; done | awk '{n+=$1+$2} END {print n+0}'; }
# The processes that do a run's proxying (none for direct): their CPU per request is what the machine's
# load cannot skew, because a busy machine stretches time, not work.
proxy_pids() {
  case $1 in
    proxy) echo "$PROXY_PID" ;;
    candidate) pgrep -P "$CANDIDATE_PID" | tr '\n' ' '; echo "$CANDIDATE_PID" ;;
    nginx) pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' '; cat "$WORK/nginx.pid" ;;
  esac
}

# wrk_run NAME URL: one measured run; appends "rps p50_us p99_us errors cpu_us_per_request mean_us" to $WORK/NAME.rows
wrk_run() {
  local out="$WORK/$1.txt"
  local pids ticks_before jit_before
  pids=$(proxy_pids "$1")
  ticks_before=$(cpu_ticks $pids)
  jit_before=$(jit_ticks)
  WRK_API_KEY=bench-unlimited-key wrk -t2 -c"$CONNECTIONS" -d"${SECS}s" --latency -s bench/rpc-status.lua "$2" >"$out"
  local cpu_ticks_used requests cpu_us
  cpu_ticks_used=$(( $(cpu_ticks $pids) - ticks_before ))
  [ "$1" = proxy ] && echo "    (of the proxy's $cpu_ticks_used CPU ticks, its JIT compiler: $(( $(jit_ticks) - jit_before )))"
  requests=$(awk '/requests in/ {print $1}' "$out")
  cpu_us=$(awk -v t="$cpu_ticks_used" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0)}')
  local rps p50 p99 errors mean
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out" | to_us)
  p99=$(awk '$1=="99%" {print $2}' "$out" | to_us)
  errors=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",",""); n+=$4+$6+$8+$10} END {print n+0}' "$out")
  mean=$(awk '$1=="Latency" {print $2; exit}' "$out" | to_us)
  echo "$rps $p50 $p99 $errors $cpu_us $mean" >>"$WORK/$1.rows"
  printf "  %-7s %7s rps  p50 %6s us  p99 %6s us  errors %s  cpu %s us/request\n" "$1" "$rps" "$p50" "$p99" "$errors" "$cpu_us"
}
to_us() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); print v+0} else if (v ~ /ms$/) {sub(/ms/,"",v); print v*1000} else {sub(/s/,"",v); print v*1000000}}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$WORK/$1.rows" | median; }

# The JVMs need their JIT's work done before they are measured: warm each target at least 10 s, and
# the proxy on until its JIT compiler threads use under 5% of its CPU (at most 60 s more): on a
# loaded machine 10 s leave the proxy half interpreted, which nginx never is.
# jit_ticks [PID]: the JIT compiler threads' CPU ticks so far, of the proxy or of PID.
jit_ticks() { for t in /proc/"${1:-$PROXY_PID}"/task/*; do
  case $(cat "$t/comm" 2>/dev/null) in C1\ CompilerThre*|C2\ CompilerThre*) cut -d' ' -f14,15 "$t/stat" 2>/dev/null ;; esac
done | awk '{n+=$1+$2} END {print n+0}'; }
WARM=$((SECS > 10 ? SECS : 10))
# --quick: the upstream and nginx get 3 s (nginx has no JIT; the upstream's JIT warms with the proxy's,
# every proxied call reaching it), the proxy its full warm-up: CI's 15 minutes are tight on a slow machine.
OTHERS_WARM=$([ $QUICK = 1 ] && echo 3 || echo "$WARM")
echo "== warm-up (upstream and nginx ${OTHERS_WARM} s, the proxy ${WARM} s and on until its JIT is quiet)"
for url in "$UPSTREAM/" "$PROXY/near-rpc" "$NGINX_URL/near-rpc" ${CANDIDATE:+"$CANDIDATE/near-rpc"}; do
  secs=$([ "$url" = "$PROXY/near-rpc" ] || [ "$url" = "${CANDIDATE:-}/near-rpc" ] && echo "$WARM" || echo "$OTHERS_WARM")
  WRK_API_KEY=bench-unlimited-key wrk -t2 -c"$CONNECTIONS" -d"${secs}s" -s bench/rpc-status.lua "$url" >/dev/null
done
# warm_until_quiet NAME PID URL: 5 s runs until the JIT used under 5% of PID's CPU (at most 12 runs).
warm_until_quiet() {
  for _ in $(seq 12); do
    jit_before=$(jit_ticks "$2"); all_before=$(cpu_ticks "$2")
    WRK_API_KEY=bench-unlimited-key wrk -t2 -c"$CONNECTIONS" -d5s -s bench/rpc-status.lua "$3" >/dev/null
    jit=$(( $(jit_ticks "$2") - jit_before )); all=$(( $(cpu_ticks "$2") - all_before ))
    echo "  $1 warm-up: JIT $jit of $all CPU ticks"
    [ $(( jit * 20 )) -lt "$all" ] && break
  done
}
warm_until_quiet proxy "$PROXY_PID" "$PROXY/near-rpc"
# A candidate that is a JVM (its process or its script's child) gets the same.
if [ -n "${CANDIDATE:-}" ]; then
  for pid in $(proxy_pids candidate); do
    if grep -qs 'CompilerThre' /proc/"$pid"/task/*/comm; then warm_until_quiet candidate "$pid" "$CANDIDATE/near-rpc"; fi
  done
fi
for round in $(seq "$ROUNDS"); do
  echo "== round $round: ${SECS}s each, $CONNECTIONS connections, 2 wrk threads"
  wrk_run direct "$UPSTREAM/"
  wrk_run proxy "$PROXY/near-rpc"
  wrk_run nginx "$NGINX_URL/near-rpc"
  [ -n "${CANDIDATE:-}" ] && wrk_run candidate "$CANDIDATE/near-rpc"
done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

D_RPS=$(col direct 1); P_RPS=$(col proxy 1); N_RPS=$(col nginx 1)
D_P50=$(col direct 2); P_P50=$(col proxy 2); N_P50=$(col nginx 2)
P_OVER=$(awk -v a="$P_P50" -v b="$D_P50" 'BEGIN {print a-b}')
N_OVER=$(awk -v a="$N_P50" -v b="$D_P50" 'BEGIN {print a-b}')
P_CPU=$(col proxy 5); N_CPU=$(col nginx 5)
# The mean's overhead beside the p50's: at full speed (all cores busy) the mean is connections / throughput
# (Little's law) and the p50 also carries how evenly a target serves its connections (docs/performance.md).
D_MEAN=$(col direct 6)
mean_over() { awk -v a="$(col "$1" 6)" -v b="$D_MEAN" 'BEGIN {printf "%+.0f", a-b}'; }
ERRORS=$(cat "$WORK"/*.rows | awk '{n+=$4} END {print n+0}')
echo "== medians over $ROUNDS round(s), $CONNECTIONS connections (load average after: $LOAD)"
printf "  %-7s %7s rps  p50 %6s us  mean %6s us\n" direct "$D_RPS" "$D_P50" "$D_MEAN"
printf "  %-7s %7s rps  p50 %6s us  overhead %+5.0f us  (mean's overhead %s us)\n" proxy "$P_RPS" "$P_P50" "$P_OVER" "$(mean_over proxy)"
printf "  %-7s %7s rps  p50 %6s us  overhead %+5.0f us  (mean's overhead %s us)\n" nginx "$N_RPS" "$N_P50" "$N_OVER" "$(mean_over nginx)"
echo "CPU per proxied request (load-proof): proxy $P_CPU us, nginx $N_CPU us: proxy/nginx $(awk -v a="$P_CPU" -v b="$N_CPU" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
echo "proxy/nginx throughput: $(awk -v a="$P_RPS" -v b="$N_RPS" 'BEGIN {printf "%.2f", a/b}') (goal >= 1.00)"
echo "proxy overhead - nginx overhead: $(awk -v a="$P_OVER" -v b="$N_OVER" 'BEGIN {printf "%+.0f us", a-b}') (goal <= 0)"
if [ -n "${CANDIDATE:-}" ]; then
  C_RPS=$(col candidate 1); C_P50=$(col candidate 2); C_CPU=$(col candidate 5)
  C_OVER=$(awk -v a="$C_P50" -v b="$D_P50" 'BEGIN {print a-b}')
  printf "  %-9s %7s rps  p50 %6s us  overhead %+5.0f us  (mean's overhead %s us)  cpu %s us/request (%s)\n" \
    candidate "$C_RPS" "$C_P50" "$C_OVER" "$(mean_over candidate)" "$C_CPU" "$CANDIDATE_CMD"
  echo "candidate/nginx throughput: $(awk -v a="$C_RPS" -v b="$N_RPS" 'BEGIN {printf "%.2f", a/b}'), overhead - nginx's: $(awk -v a="$C_OVER" -v b="$N_OVER" 'BEGIN {printf "%+.0f us", a-b}'), CPU per request / nginx's: $(awk -v a="$C_CPU" -v b="$N_CPU" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
fi
echo "errors (non-2xx + socket): $ERRORS"

if [ $QUICK = 1 ]; then
  FAIL=0
  # A run that measured nothing (no rate or latency parsed from wrk) must not pass as a ratio of zeros.
  for value in "$D_RPS" "$P_RPS" "$N_RPS" "$D_P50" "$P_P50" "$N_P50"; do
    awk -v v="$value" 'BEGIN {exit !(v ~ /^[0-9.]+$/ && v > 0)}' \
      || { echo "FAIL: a run measured nothing (rates $D_RPS / $P_RPS / $N_RPS rps, p50s $D_P50 / $P_P50 / $N_P50 us)" >&2; FAIL=1; break; }
  done
  awk -v a="$P_RPS" -v b="$N_RPS" 'BEGIN {exit !(a*3 >= b)}' || { echo "FAIL: proxy throughput below a third of nginx's" >&2; FAIL=1; }
  awk -v a="$P_OVER" -v b="$N_OVER" 'BEGIN {exit !(a <= 3*(b>0?b:0) + 100)}' \
    || { echo "FAIL: proxy overhead more than 3x nginx's (+100 us)" >&2; FAIL=1; }
  [ "$ERRORS" = 0 ] || { echo "FAIL: $ERRORS errors" >&2; FAIL=1; }
  [ $FAIL = 0 ] && echo "quick check: OK (within 3x of the goal)"
  exit $FAIL
fi
