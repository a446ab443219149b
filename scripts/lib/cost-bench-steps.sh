# Sourced by scripts/cost-bench.sh: starting and stopping what it measures, and its scrape phase. Uses its settings
# (PORT, APP, ENTRY, JAVA_TOOL_OPTIONS_IMAGE, READY_STARTS...) and sets SERVICE_PID and NE_PID.
# shellcheck shell=bash
containers_for() {
    local size=$1 pair
    for pair in $CONTAINERS_AT; do
        [[ ${pair%%:*} == "$size" ]] && { echo "${pair#*:}"; return; }
    done
    echo $((size / 25))
}
start_nsscope() {
    local dir=$1 t0
    t0=$(now_ms)
    (cd "$APP" && exec env SERVER_PORT="$PORT" SERVER_ADDRESS=127.0.0.1 NSSCOPE_PROCFS_ROOT=/proc \
        JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS_IMAGE -XX:MaxRAM=$MEMORY_LIMIT" MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX_IMAGE" \
        "${ENTRY[@]}") >"$dir/nsscope.log" 2>&1 &
    SERVICE_PID=$!
    until curl -fs -o /dev/null --max-time 1 "$BASE/actuator/health/readiness"; do
        kill -0 "$SERVICE_PID" 2>/dev/null || { tail -30 "$dir/nsscope.log" >&2; die "nsscope exited during startup"; }
        (($(now_ms) - t0 < READY_TIMEOUT * 1000)) || die "nsscope not ready after ${READY_TIMEOUT}s"
        sleep 0.02
    done
    echo "ready_ms=$(($(now_ms) - t0))" >>"$dir/nsscope.env"
    echo "rss_ready_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVICE_PID/status")" >>"$dir/nsscope.env"
}
# Start to readiness varies from one start to the next by a tenth of a second or more: READY_STARTS starts, each
# stopped but the last (the one measured further); the report takes their median.
start_nsscope_ready() {
    local dir=$1 k
    for ((k = 1; k < READY_STARTS; k++)); do
        start_nsscope "$dir"
        stop_pid "$SERVICE_PID"
        SERVICE_PID=
    done
    start_nsscope "$dir"
}
start_node_exporter() {
    local dir=$1
    "$NODE_EXPORTER" --web.listen-address="127.0.0.1:$NE_PORT" >"$dir/node-exporter.log" 2>&1 &
    NE_PID=$!
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null --max-time 1 "$NE_BASE/metrics" && return 0
        kill -0 "$NE_PID" 2>/dev/null || break
        sleep 0.1
    done
    tail -20 "$dir/node-exporter.log" >&2
    die "node-exporter did not start"
}
scrape_phase() {
    local url=$1 out=$2 pid=$3 t0 t1
    wrk -t1 -c1 -d5s "$url" >/dev/null
    t0=$(ticks "$pid")
    wrk -t1 -c1 -d"${SCRAPE_SECONDS}s" --timeout 10s --latency "$url" >"$out"
    t1=$(ticks "$pid")
    echo "$((t1 - t0))" >"$out.ticks"
}
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
