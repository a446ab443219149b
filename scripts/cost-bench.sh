#!/usr/bin/env bash
# What nsscope costs a node, by host size (issue 13), side by side with util-linux lsns 2.42 and node-exporter, in
# one run per size. Run on demand (not in CI, not a test), as root, on an otherwise quiet host:
#
#   scripts/cost-bench.sh [--jar path/to/nsscope.jar] [SIZE...]   e.g. scripts/cost-bench.sh 1000 3400 10000 20000
#
# SIZE: processes on the host at each step (default: SIZES, 1000 3400 10000 20000). No --jar: builds one with
# ./mvnw -DskipTests package from this checkout. The table it writes (OUT) names the commit it measured.
#
# nsscope runs as the image runs it, without a container: the jar extracted as the Dockerfile extracts it, the
# Dockerfile's training run made once (the JDK AOT cache; its script, src/main/docker/train.sh, with its workload on
# PORT), then for each size started with the Dockerfile's ENTRYPOINT
# and JAVA_TOOL_OPTIONS (read from the Dockerfile, so they cannot drift) and -XX:MaxRAM set to the chart's memory
# limit (what the container's limit does to the JVM). For each size in SIZES it brings up a landscape of that many
# processes (scripts/landscape.sh: containers made with unshare, named network namespaces made with ip netns,
# namespaces held only by a descriptor or a socket, plain processes), then measures:
#   lsns -J (2.42)      wall time and CPU per run (hyperfine), its peak RSS
#   node-exporter       CPU over an idle minute, scrape p50/p99 (wrk, one connection), CPU per scrape, RSS
#   nsscope             start to readiness UP (the median of READY_STARTS starts); CPU over an idle minute
#                       (background scans only, default settings);
#                       ?refresh=true at HTTP and its scan's snapshot.durationMs (REFRESHES, SPACING apart); scrape
#                       p50/p99; cached GET /namespaces requests/s (wrk -t2 -cWRK_CONNECTIONS, plain and gzip);
#                       RSS (VmRSS, VmHWM) after LOAD_SECONDS of mixed load (lists, processes, scrapes, refreshes)
# and writes one markdown block (OUT) with the table of every figure by size, plus the raw figures (OUT.json).
# Everything it starts (landscape, services, load) is stopped on exit, also on Ctrl-C or a failure; kernel.pid_max is
# raised for the largest size if needed and set back.
#
# Environment (defaults):
#   SIZES="1000 3400 10000 20000"    the sizes when none is given as an argument
#   CONTAINERS_AT="1000:100 3400:200 10000:300 20000:400"   containers of the landscape by size (else SIZE/25)
#   NETNS=10 FD_HELD=10 SOCK_HELD=10 the landscape's named, descriptor-held and socket-held network namespaces
#   PORT=18082 NE_PORT=18092         nsscope's and node-exporter's ports, on 127.0.0.1
#   JAVA=                            a Java 24+ runtime (the AOT cache needs one); empty: JAVA_HOME's if 24+, else
#                                    /usr/lib/jvm/temurin-25-jdk-amd64
#   MEMORY_LIMIT=                    -XX:MaxRAM of nsscope; empty: the chart's resources.limits.memory
#   LSNS=<repo>/../shared/tools/util-linux-2.42.2/lsns   NODE_EXPORTER=prometheus-node-exporter
#   LSNS_RUNS=5 SETTLE_SECONDS=10 IDLE_SECONDS=60 REFRESHES=9 SPACING=0.7 SCRAPE_SECONDS=15 WRK_SECONDS=15
#   WRK_CONNECTIONS=16 LOAD_SECONDS=60 READY_TIMEOUT=120 READY_STARTS=5
#   OUT=<repo>/target/cost-bench.md  BENCH_KEEP= (set: keep the raw data directory)
#   BENCH_MARKER=/tmp/nsscope-bench-running   exists while this runs (image builds hold off); "" for none
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

SIZES=${SIZES:-1000 3400 10000 20000}
CONTAINERS_AT=${CONTAINERS_AT:-1000:100 3400:200 10000:300 20000:400}
NETNS=${NETNS:-10}
FD_HELD=${FD_HELD:-10}
SOCK_HELD=${SOCK_HELD:-10}
PORT=${PORT:-18082}
NE_PORT=${NE_PORT:-18092}
JAVA=${JAVA:-}
MEMORY_LIMIT=${MEMORY_LIMIT:-}
LSNS=${LSNS:-$REPO/../shared/tools/util-linux-2.42.2/lsns}
NODE_EXPORTER=${NODE_EXPORTER:-prometheus-node-exporter}
LSNS_RUNS=${LSNS_RUNS:-5}
SETTLE_SECONDS=${SETTLE_SECONDS:-10}
IDLE_SECONDS=${IDLE_SECONDS:-60}
REFRESHES=${REFRESHES:-9}
SPACING=${SPACING:-0.7}
SCRAPE_SECONDS=${SCRAPE_SECONDS:-15}
WRK_SECONDS=${WRK_SECONDS:-15}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
LOAD_SECONDS=${LOAD_SECONDS:-60}
READY_TIMEOUT=${READY_TIMEOUT:-120}
READY_STARTS=${READY_STARTS:-5}
OUT=${OUT:-$REPO/target/cost-bench.md}
BENCH_MARKER=${BENCH_MARKER-/tmp/nsscope-bench-running}

ARG_SIZES=()
BASE="http://127.0.0.1:$PORT"
NE_BASE="http://127.0.0.1:$NE_PORT"
WORK=$(mktemp -d /tmp/nsscope-cost.XXXXXX)
SERVICE_PID=
NE_PID=
LOAD_PIDS=()
LANDSCAPE_UP=
MARKER_MINE=
PID_MAX_BEFORE=

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
count_procs() { local e=(/proc/[0-9]*); echo "${#e[@]}"; }

stop_pid() {
    local pid=$1
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
stop_load() {
    local p
    for p in "${LOAD_PIDS[@]}"; do stop_pid "$p"; done
    LOAD_PIDS=()
}
landscape() { CONTAINERS=$1 PLAIN=$2 NETNS=$NETNS FD_HELD=$FD_HELD SOCK_HELD=$SOCK_HELD "$HERE/landscape.sh" "$3"; }
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    log "tearing down"
    stop_load
    stop_pid "$SERVICE_PID"
    stop_pid "$NE_PID"
    if [[ -n $LANDSCAPE_UP ]]; then
        landscape 0 0 down || log "WARNING: landscape down failed: run scripts/landscape.sh down"
    fi
    [[ -z $PID_MAX_BEFORE ]] || echo "$PID_MAX_BEFORE" >/proc/sys/kernel/pid_max
    [[ -z $MARKER_MINE ]] || rm -f "$BENCH_MARKER"
    if [[ -n ${BENCH_KEEP:-} ]]; then log "raw data kept in $WORK"; else rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preflight ----------------------------------------------------------------------------------------------------
[[ $EUID -eq 0 ]] || die "run as root: the landscape needs unshare and ip netns, lsns needs root to see everything"
for tool in curl python3 wrk hyperfine unshare ip nsenter pgrep; do
    command -v "$tool" >/dev/null || die "$tool is required (apt-get install -y wrk hyperfine iproute2)"
done
[[ -x $LSNS ]] || die "no lsns 2.42 at $LSNS (set LSNS)"
command -v "$NODE_EXPORTER" >/dev/null || die "no $NODE_EXPORTER (apt-get install -y prometheus-node-exporter)"
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}'; }
if [[ -z $JAVA ]]; then
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] && (($(java_major "$JAVA_HOME/bin/java") >= 24)); then
        JAVA=$JAVA_HOME/bin/java
    else
        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
    fi
fi
[[ -x $JAVA ]] && (($(java_major "$JAVA") >= 24)) || die "JAVA=$JAVA: a Java 24+ runtime is needed (the image's AOT cache)"
for p in "$PORT" "$NE_PORT"; do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then die "something already listens on 127.0.0.1:$p"; fi
done
if [[ -z $MEMORY_LIMIT ]]; then
    MEMORY_LIMIT=$(python3 "$HERE/bench/cost_report.py" chart-limit "$REPO/helm/nsscope/values.yaml")
fi

JAR=
while (($#)); do
    case $1 in
        --jar) JAR=${2:?--jar needs a path}; shift 2 ;;
        --jar=*) JAR=${1#--jar=}; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *[!0-9]* | '') die "not a size (a number of processes): $1" ;;
        *) ARG_SIZES+=("$1"); shift ;;
    esac
done
((${#ARG_SIZES[@]} == 0)) || SIZES="${ARG_SIZES[*]}"
if [[ -z $JAR ]]; then
    log "building the jar (./mvnw -q -B -DskipTests package)"
    (cd "$REPO" && ./mvnw -q -B -DskipTests package) || die "build failed"
    for candidate in "$REPO"/target/nsscope-*.jar; do
        [[ $candidate == *-plain.jar ]] || { JAR=$candidate; break; }
    done
fi
[[ -f $JAR ]] || die "no jar at $JAR"
JAR=$(readlink -f "$JAR")

if [[ -n $BENCH_MARKER && ! -e $BENCH_MARKER ]]; then
    echo "$$ $(date -u +%Y-%m-%dT%H:%M:%SZ) scripts/cost-bench.sh" >"$BENCH_MARKER"
    MARKER_MINE=yes
fi

# --- the image's layout and settings ------------------------------------------------------------------------------
# From the Dockerfile: JAVA_TOOL_OPTIONS and MALLOC_ARENA_MAX (ENV), the training run (the RUN with
# -XX:AOTCacheOutput) and the ENTRYPOINT, each NUL-separated.
python3 "$HERE/bench/cost_report.py" dockerfile "$REPO/Dockerfile" "$WORK/image"
JAVA_TOOL_OPTIONS_IMAGE=$(<"$WORK/image/JAVA_TOOL_OPTIONS")
MALLOC_ARENA_MAX_IMAGE=$(<"$WORK/image/MALLOC_ARENA_MAX")
mapfile -d '' -t TRAIN <"$WORK/image/train"
mapfile -d '' -t ENTRY <"$WORK/image/entrypoint"
mapfile -d '' -t COPIES <"$WORK/image/copies"
[[ ${ENTRY[0]} == java ]] || die "the Dockerfile's ENTRYPOINT is not a java command"
JCMD=$(dirname "$JAVA")/jcmd
# The training run is its script (src/main/docker/train.sh, which the Dockerfile copies in) running a java command.
found=
for i in "${!TRAIN[@]}"; do
    [[ ${TRAIN[i]} == java ]] && { TRAIN[i]=$JAVA; found=yes; break; }
done
[[ -n $found ]] || die "the Dockerfile's training run runs no java command"
ENTRY[0]=$JAVA
image_env() {
    env JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS_IMAGE${1:+ $1}" MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX_IMAGE" "${@:2}"
}
APP=$WORK/app
log "extracting $JAR as the Dockerfile does, and its training run (the AOT cache)"
mkdir -p "$APP"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --layers --destination "$WORK/layers" >/dev/null
mv "$WORK"/layers/application/nsscope-*.jar "$WORK/layers/application/nsscope.jar"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
    cp -a "$WORK/layers/$layer/." "$APP/"
done
# The Dockerfile's paths are under /app: the same files under $APP; what it copies from the build context (the
# training script), copied the same way.
for ((i = 0; i + 1 < ${#COPIES[@]}; i += 2)); do
    cp "$REPO/${COPIES[i]}" "${COPIES[i + 1]//\/app\//$APP/}"
done
TRAIN=("${TRAIN[@]//\/app\//$APP/}")
ENTRY=("${ENTRY[@]//\/app\//$APP/}")
# The training run serves its workload on PORT, which is free (checked above) and nsscope's later.
(cd "$APP" && TRAIN_PORT=$PORT TRAIN_LOG="$WORK/training-app.log" image_env "" "${TRAIN[@]}") >"$WORK/training.log" 2>&1 \
    || { tail -20 "$WORK/training.log" >&2; die "training run failed"; }

# --- machine ------------------------------------------------------------------------------------------------------
{
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc=$(nproc)"
    echo "cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
    echo "mem=$(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
    echo "kernel=$(uname -sr)"
    echo "lsns=$("$LSNS" --version)"
    echo "node_exporter=$("$NODE_EXPORTER" --version 2>&1 | head -1)"
    echo "java=$("$JAVA" -version 2>&1 | sed -n 2p)"
    echo "jar=$JAR"
    echo "commit=$(git -C "$REPO" log -1 --format='%h %s' | cut -c1-80)$(git -C "$REPO" diff --quiet HEAD -- src pom.xml Dockerfile || echo ' (with uncommitted changes)')"
    echo "java_tool_options=$JAVA_TOOL_OPTIONS_IMAGE -XX:MaxRAM=$MEMORY_LIMIT"
    echo "malloc_arena_max=$MALLOC_ARENA_MAX_IMAGE"
    echo "entrypoint=${ENTRY[*]//$APP\//\/app\/}"
    echo "memory_limit=$MEMORY_LIMIT"
    echo "clk_tck=$(getconf CLK_TCK)"
    echo "procs_idle=$(count_procs)"
    echo "wrk_connections=$WRK_CONNECTIONS"
    echo "idle_seconds=$IDLE_SECONDS"
    echo "load_seconds=$LOAD_SECONDS"
} >"$WORK/meta.env"

largest=0
for size in $SIZES; do ((size > largest)) && largest=$size; done
pid_max=$(</proc/sys/kernel/pid_max)
if ((largest * 2 > pid_max)); then
    PID_MAX_BEFORE=$pid_max
    echo $((largest * 4 > 4194304 ? 4194304 : largest * 4)) >/proc/sys/kernel/pid_max
    log "kernel.pid_max $pid_max -> $(</proc/sys/kernel/pid_max) for the run"
fi

# --- helpers ------------------------------------------------------------------------------------------------------
# shellcheck source=scripts/lib/cost-bench-steps.sh
. "$HERE/lib/cost-bench-steps.sh"

# --- one size -----------------------------------------------------------------------------------------------------
measure_size() {
    local size=$1 dir=$WORK/size-$size containers plain procs i
    mkdir -p "$dir"
    containers=$(containers_for "$size")
    plain=$((size - $(count_procs) - containers * 9 / 2 - NETNS - FD_HELD - SOCK_HELD))
    ((plain >= 0)) || plain=0
    log "== $size processes: landscape of $containers containers, $plain plain processes, $NETNS named netns," \
        "$FD_HELD netns held by a descriptor, $SOCK_HELD by a socket"
    LANDSCAPE_UP=yes
    landscape "$containers" "$plain" up
    sleep 3
    procs=$(count_procs)
    {
        echo "size=$size"
        echo "containers=$containers"
        echo "plain=$plain"
        echo "procs=$procs"
        echo "threads=$(awk '{n += $20} END {print n}' /proc/[0-9]*/stat 2>/dev/null)"
    } >"$dir/landscape.env"

    log "lsns -J: $LSNS_RUNS runs after 1 warm-up"
    hyperfine -N --style basic --warmup 1 --runs "$LSNS_RUNS" --export-json "$dir/lsns.json" "$LSNS -J" \
        >"$dir/lsns.txt" 2>&1 || die "hyperfine failed"
    python3 -c 'import resource, subprocess, sys
subprocess.run([sys.argv[1], "-J"], stdout=subprocess.DEVNULL, check=True)
print("lsns_maxrss_kb=%d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$LSNS" >"$dir/lsns.env"
    "$LSNS" -J >"$dir/lsns.out.json"

    start_node_exporter "$dir"
    log "nsscope: start to ready, $READY_STARTS starts"
    start_nsscope_ready "$dir"
    log "ready in $(sed -n 's/^ready_ms=//p' "$dir/nsscope.env" | paste -sd' ') ms; settling ${SETTLE_SECONDS}s, then an idle minute"
    sleep "$SETTLE_SECONDS"
    curl -fs -o "$dir/scans.before" "$BASE/actuator/prometheus"
    local ns0 ne0 t0
    ns0=$(ticks "$SERVICE_PID")
    ne0=$(ticks "$NE_PID")
    t0=$(now_ms)
    sleep "$IDLE_SECONDS"
    {
        echo "idle_ticks=$(($(ticks "$SERVICE_PID") - ns0))"
        echo "idle_ms=$(($(now_ms) - t0))"
        echo "ne_idle_ticks=$(($(ticks "$NE_PID") - ne0))"
    } >>"$dir/nsscope.env"
    curl -fs -o "$dir/scans.after" "$BASE/actuator/prometheus"

    log "?refresh=true: $REFRESHES, ${SPACING}s apart"
    : >"$dir/refresh.txt"
    for ((i = 1; i <= REFRESHES; i++)); do
        sleep "$SPACING"
        curl -fs --max-time 30 -o "$dir/refresh.$i.json" -w '%{time_total}\n' "$BASE/namespaces?refresh=true" \
            >>"$dir/refresh.txt" || die "GET /namespaces?refresh=true failed"
    done
    curl -fs -o "$dir/namespaces.json" "$BASE/namespaces?refresh=true"

    log "scrapes: nsscope, then node-exporter, ${SCRAPE_SECONDS}s each over one connection"
    scrape_phase "$BASE/actuator/prometheus" "$dir/scrape.nsscope.txt" "$SERVICE_PID"
    scrape_phase "$NE_BASE/metrics" "$dir/scrape.node-exporter.txt" "$NE_PID"
    curl -fs -o /dev/null -w 'scrape_bytes=%{size_download}\n' "$BASE/actuator/prometheus" >>"$dir/nsscope.env"
    curl -fs -o /dev/null -w 'ne_scrape_bytes=%{size_download}\n' "$NE_BASE/metrics" >>"$dir/nsscope.env"
    echo "ne_rss_kb=$(status_kb "$NE_PID" VmRSS)" >>"$dir/nsscope.env"

    log "cached GET /namespaces: wrk -t2 -c$WRK_CONNECTIONS, ${WRK_SECONDS}s, plain then gzip"
    curl -fs -o /dev/null -w 'namespaces_bytes=%{size_download}\n' "$BASE/namespaces" >>"$dir/nsscope.env"
    curl -fs -o /dev/null -H 'Accept-Encoding: gzip' -w 'namespaces_gzip_bytes=%{size_download}\n' \
        "$BASE/namespaces" >>"$dir/nsscope.env"
    wrk -t2 -c"$WRK_CONNECTIONS" -d5s "$BASE/namespaces" >/dev/null
    wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --timeout 10s --latency "$BASE/namespaces" >"$dir/wrk.plain.txt"
    wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --timeout 10s --latency -H 'Accept-Encoding: gzip' \
        "$BASE/namespaces" >"$dir/wrk.gzip.txt"

    log "sustained load, ${LOAD_SECONDS}s: GET /namespaces (-c8), /processes (-c2), scrapes (-c1), a refresh a second"
    wrk -t1 -c8 -d"${LOAD_SECONDS}s" --timeout 10s "$BASE/namespaces" >"$dir/load.namespaces.txt" &
    LOAD_PIDS+=($!)
    wrk -t1 -c2 -d"${LOAD_SECONDS}s" --timeout 10s "$BASE/processes" >"$dir/load.processes.txt" &
    LOAD_PIDS+=($!)
    wrk -t1 -c1 -d"${LOAD_SECONDS}s" --timeout 10s "$BASE/actuator/prometheus" >"$dir/load.scrapes.txt" &
    LOAD_PIDS+=($!)
    # Bounded by the clock, not by a count: on a large host a refresh under this load takes seconds.
    local end=$(($(date +%s) + LOAD_SECONDS))
    while (($(date +%s) < end)); do
        curl -fs -o /dev/null --max-time 30 "$BASE/namespaces?refresh=true" || true
        sleep 1
    done
    for p in "${LOAD_PIDS[@]}"; do wait "$p" || true; done
    LOAD_PIDS=()
    sleep 5
    {
        echo "rss_load_kb=$(status_kb "$SERVICE_PID" VmRSS)"
        echo "hwm_load_kb=$(status_kb "$SERVICE_PID" VmHWM)"
        echo "threads_load=$(status_kb "$SERVICE_PID" Threads)"
        echo "rss_anon_kb=$(status_kb "$SERVICE_PID" RssAnon)"
        echo "rss_file_kb=$(status_kb "$SERVICE_PID" RssFile)"
    } >>"$dir/nsscope.env"
    # What the heap holds once the load is over: the histogram forces a full collection first (after the RSS).
    if "$JCMD" "$SERVICE_PID" GC.class_histogram >"$dir/histogram.txt" 2>&1; then
        echo "live_heap_kb=$(awk '$1 == "Total" {print int($3 / 1024)}' "$dir/histogram.txt")" >>"$dir/nsscope.env"
    fi
    log "after the load: RSS $(sed -n 's/^rss_load_kb=//p' "$dir/nsscope.env") kB"
    grep -E ' (WARN|ERROR) ' "$dir/nsscope.log" | cut -c1-200 | head -20 >"$dir/warnings.txt" || true

    stop_pid "$SERVICE_PID"
    SERVICE_PID=
    stop_pid "$NE_PID"
    NE_PID=
    landscape 0 0 down
    LANDSCAPE_UP=
    sleep 2
}

mkdir -p "$(dirname "$OUT")"
for size in $SIZES; do
    measure_size "$size"
    # Written after every size: a later size that fails leaves the table of those done.
    python3 "$HERE/bench/cost_report.py" report "$WORK" "$OUT.json" >"$OUT"
done
cat "$OUT"
log "results written to $OUT (raw figures: $OUT.json)"
