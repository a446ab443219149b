#!/usr/bin/env bash
# nsscope's benchmark: run on demand (not in CI, not a test), as root, on an otherwise quiet host.
#
#   scripts/benchmark.sh [path/to/nsscope.jar]      (no jar: builds one with ./mvnw -DskipTests package)
#
# Brings up the landscape (scripts/landscape.sh: CONTAINERS containers + PLAIN plain processes), starts nsscope
# on 127.0.0.1:PORT, and measures, in this one run and side by side:
#   - `lsns -J` wall time (hyperfine, median of RUNS; a Python loop if hyperfine is missing), of the system's lsns
#     and of util-linux 2.42.2's (LSNS242), the reference: it reads what nsscope reads (descriptors, sockets, the
#     nsfs ioctls); also `lsns -J -W --output-all` of 2.42.2, which nsscope's JSON mirrors
#   - nsscope's full scan time: median `snapshot.durationMs` of RUNS `GET /namespaces?refresh=true`, spaced
#     more than refresh-min-interval apart, after WARMUP such scans; and the CPU the service spent per scan
#   - the same scan ratio from RUNS interleaved pairs (`lsns -J`, then a refresh scan), which share the noise; and
#     with lsns 2.42.2's `lsns -J`
#   - cached `GET /namespaces`: latency p50/p99 and requests/s under concurrency (wrk -tWRK_THREADS
#     -cWRK_CONNECTIONS -dWRK_DURATION --latency), unloaded latency over one connection, and the same load on a
#     2-row answer (`?type=time`) for comparison
#   - scraping GET /actuator/prometheus (wrk -t1 -c1 -dSCRAPE_SECONDS --latency, after a WRK_WARMUP warm-up
#     of the scrape): on an idle service, then while a second wrk loads GET /namespaces at the same concurrency
#     as the cached phase; and how many scans ran meanwhile (nsscope_scans_total), against what the background
#     interval explains: a scrape must not scan
#   - startup-to-ready: from the JVM's launch to the first 200 of /actuator/health/readiness
#   - RSS (VmRSS, VmHWM) of the service once ready, and after all the load
#   - processes and namespaces counted by lsns and by nsscope (they should agree); every namespace, with those
#     without processes, by lsns 2.42.2 -J -W --output-all and by nsscope
#   - the full scan time again with nsscope.scan.parallelism = each of EXTRA_PARALLELISM
#   - the full scan time with each discovery source alone (nsscope.scan.sources.*: threads, fds, mounts,
#     hierarchy, sockets) and with none, to tell what each costs (SOURCE_VARIANTS)
#   - a per-kind cost of the procfs reads (scripts/bench/procfs_cost.py), to see where a scan's time goes
# and checks the ratios against the targets (docs/benchmarks.md). Writes a markdown block to BENCH_OUT and stdout,
# and one row of the spread table (docs/benchmarks.md) to BENCH_OUT.row.
# The landscape and the service are always torn down on exit (trap EXIT), and all traffic goes to 127.0.0.1.
# Each phase records the CPU that other processes (builds, tests, image builds) took from the two cores meanwhile.
#
# Environment (defaults):
#   CONTAINERS=200 PLAIN=2000        the landscape (see scripts/landscape.sh)
#   PORT=18080                       nsscope's port, on 127.0.0.1 only
#   PARALLELISM=2                    nsscope.scan.parallelism of the main run (the service's default)
#   EXTRA_PARALLELISM=1              other values whose full scan time is measured too ("" for none)
#   SOURCE_VARIANTS="none threads fds mounts hierarchy sockets"   scan sources measured alone ("" for none); the
#                                    main run uses the defaults (every source)
#   LSNS242=<repo>/../shared/tools/util-linux-2.42.2/lsns   util-linux 2.42.2's lsns ("" or absent: left out)
#   RUNS=9 WARMUP=3                  measured / warm-up runs of lsns -J and of the full scan
#   SPACING=0.7                      seconds between two refresh scans (must exceed refresh-min-interval, 500ms)
#   WRK_THREADS=2 WRK_CONNECTIONS=16 WRK_DURATION=15s WRK_WARMUP=5s
#   SCRAPE_SECONDS=15                each of the two scrape phases (idle, and under the API load)
#   JAVA_OPTS="-Xmx256m -XX:+UseSerialGC"   the service's JVM options, as an operator runs the jar (the image and
#                                    the chart use -XX:MaxRAMPercentage=70 -XX:+UseSerialGC); "" for the JVM's
#                                    defaults. Recorded in the results, with the resulting max heap
#   SERVICE_ARGS=                    extra arguments of the service, e.g. --nsscope.metrics.per-namespace=true
#                                    (recorded in the results)
#   BENCH_OUT=<repo>/target/benchmark-results.md
#   QUIET_WAIT=120 QUIET_MAX_BUSY=20 wait up to QUIET_WAIT s for the CPUs to be at most QUIET_MAX_BUSY % busy
#                                    (and no other JVM running) for 3 s in a row
#   READY_TIMEOUT=120                seconds the service may take to become ready
#   BENCH_KEEP=                      set to keep the raw data directory (it is printed)
#   BENCH_MARKER=/tmp/nsscope-bench-running   a file that exists while this benchmark runs (from before the quiet
#                                    wait to the teardown), so that other heavy jobs on the host can hold off; ""
#                                    for none. Left alone if it already exists (another run's)
#   OTHER_CPU_MAX=10                 a phase during which other processes took more than this % of the CPUs is
#                                    flagged as noisy in the results
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

CONTAINERS=${CONTAINERS:-200}
PLAIN=${PLAIN:-2000}
PORT=${PORT:-18080}
PARALLELISM=${PARALLELISM:-2}
EXTRA_PARALLELISM=${EXTRA_PARALLELISM-1}
SOURCE_VARIANTS=${SOURCE_VARIANTS-none threads fds mounts hierarchy sockets}
LSNS242=${LSNS242-$REPO/../shared/tools/util-linux-2.42.2/lsns}
RUNS=${RUNS:-9}
WARMUP=${WARMUP:-3}
SPACING=${SPACING:-0.7}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
WRK_DURATION=${WRK_DURATION:-15s}
WRK_WARMUP=${WRK_WARMUP:-5s}
SCRAPE_SECONDS=${SCRAPE_SECONDS:-15}
JAVA_OPTS=${JAVA_OPTS--Xmx256m -XX:+UseSerialGC}
SERVICE_ARGS=${SERVICE_ARGS:-}
BENCH_MARKER=${BENCH_MARKER-/tmp/nsscope-bench-running}
OTHER_CPU_MAX=${OTHER_CPU_MAX:-10}
BENCH_OUT=${BENCH_OUT:-$REPO/target/benchmark-results.md}
READY_TIMEOUT=${READY_TIMEOUT:-120}
QUIET_WAIT=${QUIET_WAIT:-120}
QUIET_MAX_BUSY=${QUIET_MAX_BUSY:-20}
export CONTAINERS PLAIN

BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/nsscope-benchmark.XXXXXX)
SERVICE_PID=
LOAD_PID=
LANDSCAPE_UP=
MARKER_MINE=

count_procs() {
    local entries=(/proc/[0-9]*)
    echo "${#entries[@]}"
}
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# cpu_busy_pct, busiest, start_service, the phases' CPU ticks, scans from the metrics, load:
. "$HERE/lib/benchmark-run.sh"

# --- teardown: always, whatever happened --------------------------------------------------------------------------
stop_service() {
    [[ -n $SERVICE_PID ]] || return 0
    if kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill -TERM "$SERVICE_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$SERVICE_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    SERVICE_PID=
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    log "tearing down"
    if [[ -n $LOAD_PID ]]; then
        kill -TERM "$LOAD_PID" 2>/dev/null || true
        wait "$LOAD_PID" 2>/dev/null || true
    fi
    stop_service
    if [[ -n $LANDSCAPE_UP ]]; then
        "$HERE/landscape.sh" down || log "WARNING: landscape down failed: run scripts/landscape.sh down"
    fi
    [[ -z $MARKER_MINE ]] || rm -f "$BENCH_MARKER"
    if [[ -n ${BENCH_KEEP:-} ]]; then
        log "raw data kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preflight ----------------------------------------------------------------------------------------------------
[[ $EUID -eq 0 ]] || die "run as root: the landscape needs unshare, and lsns needs root to see every namespace"
for tool in java curl python3 lsns unshare pgrep; do
    command -v "$tool" >/dev/null || die "$tool is required"
done
HAVE_HYPERFINE=$(command -v hyperfine >/dev/null && echo yes || echo no)
HAVE_WRK=$(command -v wrk >/dev/null && echo yes || echo no)
# lsns 2.42.2 runs as `lsns242` from a directory of WORK put first on the PATH of the timed commands
HAVE_LSNS242=$([[ -n $LSNS242 && -x $LSNS242 ]] && echo yes || echo no)
if [[ $HAVE_LSNS242 == yes ]]; then
    mkdir -p "$WORK/bin" && ln -s "$(readlink -f "$LSNS242")" "$WORK/bin/lsns242"
else
    log "lsns 2.42.2 not found at ${LSNS242:-(unset)}: comparing with the system's lsns only"
fi
[[ $HAVE_HYPERFINE == yes ]] || log "hyperfine not found (apt-get install -y hyperfine): timing lsns with a Python loop"
[[ $SCRAPE_SECONDS =~ ^[1-9][0-9]*$ ]] || die "SCRAPE_SECONDS must be a whole number of seconds"
[[ $HAVE_WRK == yes ]] || log "wrk not found (apt-get install -y wrk): using the (much weaker) Python load generator"
if curl -s -o /dev/null --max-time 1 "$BASE/"; then
    die "something already listens on 127.0.0.1:$PORT: set PORT"
fi

JAR=${1:-}
if [[ -z $JAR ]]; then
    log "building the jar (./mvnw -q -B -DskipTests package)"
    (cd "$REPO" && ./mvnw -q -B -DskipTests package) || die "build failed"
    for candidate in "$REPO"/target/nsscope-*.jar; do
        [[ $candidate == *-plain.jar ]] || { JAR=$candidate; break; }
    done
fi
[[ -f $JAR ]] || die "no jar at $JAR"
JAR=$(readlink -f "$JAR")

# --- machine info, before we load it ------------------------------------------------------------------------------
JAR_COMMIT=$(git -C "$(dirname "$JAR")/.." log -1 --format='%h %s' 2>/dev/null | cut -c1-80 || true)
if [[ -n $JAR_COMMIT ]] && ! git -C "$(dirname "$JAR")/.." diff --quiet HEAD -- src pom.xml 2>/dev/null; then
    JAR_COMMIT+=" (+ uncommitted changes)"
fi
# Tell other heavy jobs of this host (they may look for this file) that a benchmark runs, then wait for quiet.
if [[ -n $BENCH_MARKER ]]; then
    if [[ -e $BENCH_MARKER ]]; then
        log "WARNING: $BENCH_MARKER exists already (another benchmark?): leaving it alone"
    else
        echo "$$ $(date -u +%Y-%m-%dT%H:%M:%SZ) scripts/benchmark.sh" >"$BENCH_MARKER"
        MARKER_MINE=yes
    fi
fi
# A build or a test run on the same two CPUs halves every figure: wait a while for the host to be quiet (3 s in a
# row at most QUIET_MAX_BUSY % busy, with no other JVM), then go on anyway, saying so.
waited=0
quiet=0
quiet_reached=yes
while ((quiet < 3)); do
    busy=$(cpu_busy_pct)
    if ((busy <= QUIET_MAX_BUSY)) && ! pgrep -x java >/dev/null; then
        quiet=$((quiet + 1))
        continue
    fi
    quiet=0
    if ((waited >= QUIET_WAIT)); then
        log "WARNING: the host is still busy after ${QUIET_WAIT}s (${busy}%; $(busiest)): going on, figures will be noisy"
        quiet_reached=no
        break
    fi
    ((waited > 0)) || log "the host is busy (${busy}%; $(busiest)): waiting up to ${QUIET_WAIT}s for quiet"
    waited=$((waited + 1))
done
{
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc=$(nproc)"
    echo "cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
    echo "mem=$(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
    echo "kernel=$(uname -sr)"
    echo "lsns=$(lsns --version)"
    echo "lsns242=$([[ $HAVE_LSNS242 == yes ]] && "$LSNS242" --version || echo none)"
    echo "java=$(java -version 2>&1 | head -1)"
    echo "jvm=$(java -version 2>&1 | sed -n 2p)"
    echo "hyperfine=$([[ $HAVE_HYPERFINE == yes ]] && hyperfine --version | awk '{print $2}' || echo none)"
    echo "wrk=$([[ $HAVE_WRK == yes ]] && wrk -v 2>&1 | head -1 | awk '{print $2}' || echo none)"
    echo "jar=$JAR"
    echo "commit=$JAR_COMMIT"
    echo "java_opts=$JAVA_OPTS"
    echo "service_args=$SERVICE_ARGS"
    # shellcheck disable=SC2086
    echo "max_heap_mib=$(java $JAVA_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null |
        awk '$2 == "MaxHeapSize" {printf "%d", $4 / 1048576}')"
    echo "containers=$CONTAINERS"
    echo "plain=$PLAIN"
    echo "parallelism=$PARALLELISM"
    echo "runs=$RUNS"
    echo "warmup=$WARMUP"
    echo "spacing=$SPACING"
    echo "wrk_args=-t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency"
    echo "wrk_connections=$WRK_CONNECTIONS"
    echo "scrape_seconds=$SCRAPE_SECONDS"
    echo "scan_interval_s=2"
    echo "other_cpu_max=$OTHER_CPU_MAX"
    echo "quiet_waited_s=$waited"
    echo "quiet_reached=$quiet_reached"
    echo "procs_before=$(count_procs)"
    echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    # Other JVMs and busy processes share these cores: say so in the results.
    echo "other_java=$(pgrep -c -x java || true)"
    echo "cpu_busy_before=$(cpu_busy_pct)"
    echo "busy_before=$(busiest)"
    echo "clk_tck=$(getconf CLK_TCK)"
} >"$WORK/meta.env"
log "machine: $(nproc) CPUs, $(uname -r), $(lsns --version), load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the landscape ------------------------------------------------------------------------------------------------
log "landscape up: CONTAINERS=$CONTAINERS PLAIN=$PLAIN"
LANDSCAPE_UP=yes
start=$EPOCHREALTIME
"$HERE/landscape.sh" up
echo "landscape_up_s=$(python3 -c "print(round($EPOCHREALTIME - $start, 1))")" >>"$WORK/meta.env"
echo "procs_loaded=$(count_procs)" >>"$WORK/meta.env"
sleep 2 # let the kernel settle (netns setup work queues)

# --- main run -----------------------------------------------------------------------------------------------------
start_service main "$PARALLELISM"

log "counts: GET /namespaces?refresh=true, then lsns -J, then /proc"
# lsns 2.38 lists only namespaces with processes: so does ?persistent=false (the others are counted apart)
curl -fs --max-time 15 -o "$WORK/counts.nsscope.json" "$BASE/namespaces?persistent=false&refresh=true" \
    || die "refresh failed"
curl -fs --max-time 15 -o "$WORK/counts.persistent.json" "$BASE/namespaces?persistent=true" || die "GET failed"
lsns -J >"$WORK/counts.lsns.json"
count_procs >"$WORK/counts.proc"
if [[ $HAVE_LSNS242 == yes ]]; then
    # every namespace, those without processes too, as lsns 2.42.2 lists them
    curl -fs --max-time 15 -o "$WORK/counts242.nsscope.json" "$BASE/namespaces?refresh=true" || die "refresh failed"
    "$LSNS242" -J -W --output-all >"$WORK/counts242.lsns.json"
fi

log "lsns -J: $WARMUP warm-up + $RUNS runs"
LSNS_COMMANDS=('lsns -J' 'lsns -J -l --output-all')
[[ $HAVE_LSNS242 == no ]] || LSNS_COMMANDS+=('lsns242 -J' 'lsns242 -J -W --output-all')
phase_start lsns
if [[ $HAVE_HYPERFINE == yes ]]; then
    PATH="$WORK/bin:$PATH" hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
        --export-json "$WORK/lsns.hyperfine.json" "${LSNS_COMMANDS[@]}" >"$WORK/lsns.hyperfine.txt" 2>&1 \
        || die "hyperfine failed"
else
    PATH="$WORK/bin:$PATH" python3 "$HERE/bench/report.py" --time-command "$WORK/lsns.hyperfine.json" "$WARMUP" \
        "$RUNS" "${LSNS_COMMANDS[@]}" || die "timing lsns failed"
fi
phase_end lsns

log "nsscope full scans: $WARMUP warm-up + $RUNS measured, ${SPACING}s apart"
phase_start scans
measure_scans main
phase_end scans

log "interleaved: $RUNS times \`lsns -J\` then a full scan"
phase_start pairs
refresh_scans pairs "$RUNS" lsns
phase_end pairs
if [[ $HAVE_LSNS242 == yes ]]; then
    log "interleaved: $RUNS times lsns 2.42.2's \`lsns -J\` then a full scan"
    phase_start pairs242
    refresh_scans pairs242 "$RUNS" lsns242
    phase_end pairs242
fi

log "cached GET /namespaces: warm-up $WRK_WARMUP, then $WRK_DURATION at -t$WRK_THREADS -c$WRK_CONNECTIONS"
curl -fs --max-time 10 -o "$WORK/cached.json" -w 'size_bytes=%{size_download}\n' "$BASE/namespaces" \
    >"$WORK/cached.size"
load "$BASE/namespaces" "$WRK_CONNECTIONS" "$WRK_WARMUP" /dev/null
phase_start wrk
load "$BASE/namespaces" "$WRK_CONNECTIONS" "$WRK_DURATION" "$WORK/wrk.concurrent.txt"
load "$BASE/namespaces" 1 5s "$WORK/wrk.single.txt" 1
# The same request path with a 2-row answer: what writing ~1,200 rows costs on top of the framework.
load "$BASE/namespaces?type=time" "$WRK_CONNECTIONS" 5s "$WORK/wrk.small.txt"
phase_end wrk
grep -E '^(VmRSS|VmHWM|Threads):' "/proc/$SERVICE_PID/status" >"$WORK/rss.wrk.txt"
log "after the cached load: $(tr '\n' ' ' <"$WORK/rss.wrk.txt")"

# Scraping /actuator/prometheus, back to back over one connection, for SCRAPE_SECONDS: first on an otherwise idle
# service, then while a second load generator keeps GET /namespaces busy at the cached phase's concurrency.
# nsscope_scans_total before and after each: a scrape must read the current snapshot, never scan /proc, so the
# scans counted meanwhile are the background ones (every scan interval) and nothing more.
curl -fs --max-time 10 -o "$WORK/scrape.first.txt" -w 'size_bytes=%{size_download}\n' \
    "$BASE/actuator/prometheus" >"$WORK/scrape.size" || die "GET /actuator/prometheus failed"
scrape_phase() {
    local tag=$1
    prom_value nsscope_scans_total >"$WORK/$tag.scans"
    load "$BASE/actuator/prometheus" 1 "${SCRAPE_SECONDS}s" "$WORK/wrk.$tag.txt" 1
    prom_value nsscope_scans_total >>"$WORK/$tag.scans"
}
log "scrapes of /actuator/prometheus: warm-up $WRK_WARMUP, then ${SCRAPE_SECONDS}s over one connection, idle service"
load "$BASE/actuator/prometheus" 1 "$WRK_WARMUP" /dev/null 1
phase_start scrape_idle
scrape_phase scrape_idle
phase_end scrape_idle
log "scrapes of /actuator/prometheus while GET /namespaces runs at -t$WRK_THREADS -c$WRK_CONNECTIONS"
phase_start scrape_load
load "$BASE/namespaces" "$WRK_CONNECTIONS" "$((SCRAPE_SECONDS + 4))s" "$WORK/wrk.scrape_load.api.txt" &
LOAD_PID=$!
sleep 2 # the API load first: the scrapes all run under it
scrape_phase scrape_load
wait "$LOAD_PID" || die "the API load of the scrape phase failed"
LOAD_PID=
phase_end scrape_load
curl -fs --max-time 10 -o "$WORK/scrape.last.txt" "$BASE/actuator/prometheus" || true
log "scrape p99: idle $(python3 "$HERE/bench/report.py" --p99 "$WORK/wrk.scrape_idle.txt"), under the API load \
$(python3 "$HERE/bench/report.py" --p99 "$WORK/wrk.scrape_load.txt")"

grep -E '^(VmRSS|VmHWM|Threads):' "/proc/$SERVICE_PID/status" >"$WORK/rss.txt"
log "after all the load: $(tr '\n' ' ' <"$WORK/rss.txt")"

log "procfs cost per kind of read (single thread)"
python3 "$HERE/bench/procfs_cost.py" /proc 3 >"$WORK/procfs_cost.json"

stop_service

# --- other parallelisms: the full scan only -----------------------------------------------------------------------
for p in $EXTRA_PARALLELISM; do
    [[ $p == "$PARALLELISM" ]] && continue
    start_service "p$p" "$p"
    phase_start "scans_p$p"
    measure_scans "p$p"
    phase_end "scans_p$p"
    stop_service
done

# --- discovery sources: each alone, and none ----------------------------------------------------------------------
MAIN_SERVICE_ARGS=$SERVICE_ARGS
for v in $SOURCE_VARIANTS; do
    SERVICE_ARGS=$MAIN_SERVICE_ARGS
    for s in threads fds mounts hierarchy sockets; do
        SERVICE_ARGS+=" --nsscope.scan.sources.$s=$([[ $s == "$v" ]] && echo true || echo false)"
    done
    start_service "src_$v" "$PARALLELISM"
    phase_start "scans_src_$v"
    measure_scans "src_$v"
    phase_end "scans_src_$v"
    stop_service
done
SERVICE_ARGS=$MAIN_SERVICE_ARGS
echo "source_variants=$SOURCE_VARIANTS" >>"$WORK/meta.env"

echo "procs_end=$(count_procs)" >>"$WORK/meta.env"

# --- the results --------------------------------------------------------------------------------------------------
mkdir -p "$(dirname "$BENCH_OUT")"
python3 "$HERE/bench/report.py" --markdown "$WORK" "$PARALLELISM" "$EXTRA_PARALLELISM" >"$BENCH_OUT"
python3 "$HERE/bench/report.py" --row "$WORK" "$PARALLELISM" "$EXTRA_PARALLELISM" >"$BENCH_OUT.row"
cat "$BENCH_OUT"
log "results written to $BENCH_OUT (and the spread-table row to $BENCH_OUT.row)"
