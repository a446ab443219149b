#!/usr/bin/env bash
# Sandbox creation latency: run on demand (not in CI, not a test), as root, on an otherwise quiet host.
#
#   scripts/sandbox-bench.sh [path/to/nsscope.jar]      (no jar: builds one with ./mvnw -DskipTests package)
#
# Starts nsscope on 127.0.0.1:PORT with sandboxes enabled (a random token, limits lifted), then measures in this one
# run, interleaved: the wall time of `unshare -p -f -n -u -i -m -C -T --mount-proc /bin/true`, and the latency of
# POST /sandboxes (HTTP round trip on a kept-alive connection included) for the 7 non-user types and for all 8
# (user mapping none, and root), each followed by a DELETE (also timed). Target (issue 4): the POST's p50 at most
# twice the unshare command's. Prints a markdown block to stdout and BENCH_OUT. The service is stopped on exit.
#
# Environment (defaults): PORT=18081 RUNS=300 WARMUP=100 JAVA_OPTS="-Xmx256m -XX:+UseSerialGC"
#   BENCH_OUT=<repo>/target/sandbox-bench-results.md READY_TIMEOUT=120
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
PORT=${PORT:-18081}
RUNS=${RUNS:-300}
WARMUP=${WARMUP:-100}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
BENCH_OUT=${BENCH_OUT:-$REPO/target/sandbox-bench-results.md}
READY_TIMEOUT=${READY_TIMEOUT:-120}

[ "$(id -u)" = 0 ] || { echo "run as root: sandboxes need it" >&2; exit 1; }
for tool in unshare python3 curl; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

JAR=${1:-}
if [ -z "$JAR" ]; then
    (cd "$REPO" && ./mvnw -q -o -DskipTests package) || (cd "$REPO" && ./mvnw -q -DskipTests package)
    JAR=$(ls "$REPO"/target/nsscope-*.jar | grep -v original | head -1)
fi

TOKEN=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
LOG=$(mktemp /tmp/nsscope-sandbox-bench.XXXXXX.log)
# the token in a file only root reads, never on a command line (which every process and the read API show)
TOKEN_FILE=$(mktemp /tmp/nsscope-sandbox-bench.XXXXXX.token)
chmod 600 "$TOKEN_FILE"
printf '%s' "$TOKEN" > "$TOKEN_FILE"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
    --nsscope.sandbox.enabled=true --nsscope.sandbox.token-file="$TOKEN_FILE" \
    --nsscope.sandbox.max-concurrent=64 --nsscope.sandbox.creations-per-minute=100000 \
    --nsscope.sandbox.allowed-executables=/bin/sleep >"$LOG" 2>&1 &
SERVICE=$!
trap 'kill "$SERVICE" 2>/dev/null; wait "$SERVICE" 2>/dev/null; rm -f "$LOG" "$TOKEN_FILE"' EXIT

for _ in $(seq "$READY_TIMEOUT"); do
    curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && break
    kill -0 "$SERVICE" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 1
done

{
    echo "### Sandbox creation, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -r), $(nproc) cores"
    echo
    echo "JVM options: \`$JAVA_OPTS\`; $(java -version 2>&1 | head -1)"
    echo
    python3 "$HERE/bench/sandbox_bench.py" "$PORT" "$TOKEN" "$RUNS" "$WARMUP"
} | tee "$BENCH_OUT"
