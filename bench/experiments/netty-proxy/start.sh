#!/usr/bin/env bash
# Starts the Netty experiment (NettyProxy.java) as bench/proxy-throughput.sh's fourth target:
#   CANDIDATE_CMD=bench/experiments/netty-proxy/start.sh bench/proxy-throughput.sh 6 10 3
# The benchmark sets CANDIDATE_PORT (where to serve), UPSTREAM_URL (where to forward) and TARGET_JAR (the
# target's jar, for the proxy's envelope scan and bucket4j). Netty is Gatling's own version (the root pom's
# netty.version), resolved through pom.xml here; the class is compiled into a temporary directory.
set -euo pipefail
: "${CANDIDATE_PORT:?set by bench/proxy-throughput.sh}" "${UPSTREAM_URL:?}" "${TARGET_JAR:?}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
java_pid=
# The benchmark stops this script: the JVM goes with it.
trap '[ -n "$java_pid" ] && kill "$java_pid" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 143' TERM INT
resolve() { mvn -q -B "$@" -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/netty.txt" >"$work/mvn.log"; }
resolve -o || resolve || { cat "$work/mvn.log" >&2; exit 1; }
# Netty first: the target's jar holds an older Netty (Lettuce's) without the HTTP codec or native epoll.
classpath="$(cat "$work/netty.txt"):$TARGET_JAR"
javac -d "$work/classes" -cp "$classpath" "$here/NettyProxy.java"
java -Xms256m -Xmx512m -cp "$work/classes:$classpath" \
  dev.outlayer.bench.targetsystem.http.proxy.NettyProxy "$CANDIDATE_PORT" "$UPSTREAM_URL" &
java_pid=$!
wait "$java_pid"
