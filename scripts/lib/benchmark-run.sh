# Sourced by scripts/benchmark.sh (which defines the settings, log, die and the work directory): the functions of
# a run: how busy the CPUs are, starting the service, its CPU ticks by phase, scans counted from its metrics, load.
# shellcheck shell=bash

# --- the CPUs -----------------------------------------------------------------------------------------------------
# How busy the CPUs are over one second (percent of all CPUs, from /proc/stat).
cpu_busy_pct() {
    local a b
    a=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    sleep 1
    b=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " ");
        printf "%.0f", (y[2] > x[2]) ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0}'
}
# The processes that used more than 5% of a CPU over one second, e.g. "java 144%, kdamond.0 11%".
busiest() {
    top -b -n2 -d1 -o %CPU -w 200 2>/dev/null | awk '/^top -/ {n++} n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 5 &&
        $12 != "top" {printf "%s%s %s%%", sep, $12, $9; sep = ", "}' || true
}

# --- helpers ------------------------------------------------------------------------------------------------------
# start_service TAG PARALLELISM: launches the jar, waits for readiness, records the startup time in WORK/TAG.startup
start_service() {
    local tag=$1 parallelism=$2 t0 t1
    t0=$EPOCHREALTIME
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
        --nsscope.scan.parallelism="$parallelism" $SERVICE_ARGS >"$WORK/$tag.log" 2>&1 &
    SERVICE_PID=$!
    until curl -fs -o /dev/null --max-time 1 "$BASE/actuator/health/readiness"; do
        kill -0 "$SERVICE_PID" 2>/dev/null || { tail -30 "$WORK/$tag.log" >&2; die "nsscope exited during startup"; }
        if python3 -c "import sys; sys.exit(0 if $EPOCHREALTIME - $t0 > $READY_TIMEOUT else 1)"; then
            die "nsscope not ready after ${READY_TIMEOUT}s"
        fi
        sleep 0.02
    done
    t1=$EPOCHREALTIME
    {
        echo "ready_ms=$(python3 -c "print(round(($t1 - $t0) * 1000))")"
        echo "spring_started=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds (process running for [0-9.]*)' \
            "$WORK/$tag.log" | head -1)"
        echo "pid=$SERVICE_PID"
        echo "rss_ready=$(awk '/^VmRSS:/ {print $2, $3}' "/proc/$SERVICE_PID/status")"
    } >"$WORK/$tag.startup"
    # The snapshot of the synchronous first scan, before the first background scan replaces it (2s later).
    curl -fs --max-time 10 -o "$WORK/$tag.first.json" "$BASE/namespaces" || true
    log "nsscope ($tag, parallelism=$parallelism) ready in $(sed -n 's/^ready_ms=//p' "$WORK/$tag.startup") ms"
}

cpu_ticks() { awk '{print $14, $15}' "/proc/$SERVICE_PID/stat"; }

# What other processes (a build, tests, an image build) took from the CPUs during a phase: the host's busy time
# (/proc/stat) minus the service's, this script's and its reaped children's (bash's `times`: wrk, hyperfine and
# lsns, curl, python) and kernel threads' (reported apart), by scripts/bench/cpu_account.py. Also the most other
# JVMs seen at its start or end.
# our_ticks (lib/our-ticks.sh): the ticks in WORK/times.txt, which phase_start/phase_end write with `times`.
# shellcheck source=scripts/lib/our-ticks.sh
. "$HERE/lib/our-ticks.sh"
phase_start() {
    times >"$WORK/times.txt"
    python3 "$HERE/bench/cpu_account.py" snapshot "$WORK/phase.$1.start.json" "$(our_ticks)"
    pgrep -x java | grep -cvx "${SERVICE_PID:-none}" >"$WORK/phase.$1.jvms" || true
}
phase_end() {
    local jvms line other
    times >"$WORK/times.txt"
    python3 "$HERE/bench/cpu_account.py" snapshot "$WORK/phase.$1.end.json" "$(our_ticks)"
    jvms=$(pgrep -x java | grep -cvx "${SERVICE_PID:-none}" || true)
    ((jvms >= $(<"$WORK/phase.$1.jvms"))) || jvms=$(<"$WORK/phase.$1.jvms")
    line=$(python3 "$HERE/bench/cpu_account.py" diff "$WORK/phase.$1.start.json" "$WORK/phase.$1.end.json" \
        "${SERVICE_PID:-none}" "$$")
    # phase_NAME=OTHER_PCT KERNEL_PCT STEAL_PCT HOST_BUSY_PCT OTHER_JVMS TOP
    read -r other _ <<<"$line"
    echo "phase_$1=${line% *} $jvms ${line##* }" >>"$WORK/meta.env"
    if ((jvms > 0)) || awk -v o="$other" -v m="$OTHER_CPU_MAX" 'BEGIN {exit !(o > m)}'; then
        log "WARNING: during '$1' other processes took ${other}% of the CPUs ($jvms other JVMs; busiest:" \
            "${line##* }): figures will be noisy"
    fi
}

# prom_value NAME: the value of a sample of GET /actuator/prometheus (without labels other than node), e.g.
# nsscope_scans_total; with the time of the scrape (seconds since the epoch) first.
prom_value() {
    local now=$EPOCHREALTIME
    curl -fs --max-time 10 "$BASE/actuator/prometheus" |
        awk -v name="$1" -v now="$now" '!found && ($1 == name || index($1, name "{") == 1) {print now, $2; found = 1}'
}

# refresh_scans TAG N [LSNS]: N spaced `?refresh=true` requests; bodies to WORK/TAG.scan.I.json, times to
# WORK/TAG.scans. With LSNS (lsns, or lsns242): each one right after a timed `LSNS -J` (to WORK/TAG.lsns), so that
# both see the same noise.
refresh_scans() {
    local tag=$1 n=$2 paired=${3:-} i t0
    : >"$WORK/$tag.scans"
    [[ -z $paired ]] || : >"$WORK/$tag.lsns"
    for ((i = 1; i <= n; i++)); do
        sleep "$SPACING"
        if [[ -n $paired ]]; then
            t0=$EPOCHREALTIME
            PATH="$WORK/bin:$PATH" "$paired" -J >/dev/null
            python3 -c "print(($EPOCHREALTIME - $t0) * 1000)" >>"$WORK/$tag.lsns"
        fi
        curl -fs --max-time 15 -o "$WORK/$tag.scan.$i.json" -w '%{time_total}\n' \
            "$BASE/namespaces?refresh=true" >>"$WORK/$tag.scans" || die "GET /namespaces?refresh=true failed"
    done
}

# measure_scans TAG [paired]: WARMUP then RUNS refresh scans, with the service's CPU time over the measured ones
measure_scans() {
    local tag=$1
    refresh_scans "$tag-warmup" "$WARMUP"
    echo "before=$(cpu_ticks) $(date +%s.%N)" >"$WORK/$tag.cpu"
    refresh_scans "$tag" "$RUNS"
    echo "after=$(cpu_ticks) $(date +%s.%N)" >>"$WORK/$tag.cpu"
    log "full scans ($tag): $(python3 "$HERE/bench/report.py" --scan-summary "$WORK" "$tag")"
}

# load URL CONNECTIONS DURATION OUT [THREADS]: wrk (or the Python fallback) with --latency, its output to OUT
load() {
    local url=$1 connections=$2 duration=$3 out=$4 threads=${5:-$WRK_THREADS}
    ((threads <= connections)) || threads=$connections
    if [[ $HAVE_WRK == yes ]]; then
        wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s --latency "$url" >"$out"
    else
        python3 "$HERE/bench/report.py" --load "$url" "$connections" "$duration" >"$out"
    fi
}
