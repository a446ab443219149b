#!/usr/bin/env bash
# What keeping nsscope's snapshot fresh costs on a loaded host, side by side with util-linux 2.42.2's lsns, in one
# run (issue 13, goals 1 and 2). Run on demand, as root, on an otherwise quiet host (not in CI, not a test):
#
#   scripts/scan-cost.sh [path/to/nsscope.jar]      (no jar: builds one with ./mvnw -DskipTests package)
#
# Brings up the landscape (scripts/landscape.sh) so that the host has about PROCS processes, starts nsscope with the
# image's JVM settings (Java 25, MALLOC_ARENA_MAX=2, the Dockerfile's JVM options, -XX:MaxRAM = the chart's memory
# limit) and its default settings, and measures:
#   - idle CPU: the service's utime + stime (/proc/PID/stat) over IDLE_SECONDS with nothing but its background scans,
#     after SETTLE_SECONDS of the same; scaled to a minute. And how many scans ran meanwhile (nsscope_scans_total)
#   - one `lsns -J` (2.42.2) run's CPU (user + sys of the child, getrusage), LSNS_RUNS times: before the idle phase,
#     and as many again after it; the median. The target: idle CPU per minute <= 2x that
#   - `GET /namespaces?refresh=true` at HTTP (curl's time_total), REFRESHES times, each after a random pause of
#     0.6-1.6 s (so that they fall at every point of the background scans' 2 s cycle), interleaved with `lsns -J`
#     wall times; p50 of each, and the ratio. The target: <= 1/3
#   - freshness: FRESH_RUNS times, a new network namespace (`unshare -n sleep`): from the moment unshare has made
#     it until GET /namespaces (no refresh) lists it, and until /events announces it. The target: within the
#     interval (2 s) plus one scan
#   - the CPU that other processes took meanwhile (scripts/bench/cpu_account.py)
# Prints a markdown block, also written to OUT. Everything it started is torn down on exit (trap EXIT).
#
# Environment (defaults):
#   PROCS=3400                  processes the host should have: the landscape's plain sleeps are PROCS minus
#                               what is running minus the containers' processes
#   CONTAINERS=200              the landscape's containers (scripts/landscape.sh)
#   PORT=18081                  nsscope's port, on 127.0.0.1 only
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java   the image's runtime
#   LSNS242=<repo>/../shared/tools/util-linux-2.42.2/lsns
#   LSNS_RUNS=3                 lsns -J runs before the idle phase, and again after it
#   SETTLE_SECONDS=30           background scans before the idle phase (JIT warm-up)
#   IDLE_SECONDS=60             the idle phase
#   REFRESHES=21                refreshes measured (after 3 warm-up ones)
#   FRESH_RUNS=5                freshness probes
#   JVM_OPTS="-XX:MaxRAM=384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:MaxRAMPercentage=25
#             -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"   (run with MALLOC_ARENA_MAX=2)
#   SERVICE_ARGS=               extra arguments of the service (recorded)
#   OUT=<repo>/target/scan-cost-<PROCS>.md
#   KEEP=                       set to keep the raw data directory
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
PROCS=${PROCS:-3400}
CONTAINERS=${CONTAINERS:-200}
PORT=${PORT:-18081}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
LSNS242=${LSNS242:-$REPO/../shared/tools/util-linux-2.42.2/lsns}
LSNS_RUNS=${LSNS_RUNS:-3}
SETTLE_SECONDS=${SETTLE_SECONDS:-30}
IDLE_SECONDS=${IDLE_SECONDS:-60}
REFRESHES=${REFRESHES:-21}
FRESH_RUNS=${FRESH_RUNS:-5}
JVM_OPTS=${JVM_OPTS:--XX:MaxRAM=384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:MaxRAMPercentage=25 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError}
SERVICE_ARGS=${SERVICE_ARGS:-}
OUT=${OUT:-$REPO/target/scan-cost-$PROCS.md}
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/nsscope-scan-cost.XXXXXX)
FRESH_ARG=3600.31350   # the sleep of each freshness probe (a distinctive argv, for the clean-up)
SERVICE_PID=
LANDSCAPE_UP=
EVENTS_PID=

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
count_procs() { local e=(/proc/[0-9]*); echo "${#e[@]}"; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    [[ -z $EVENTS_PID ]] || kill "$EVENTS_PID" 2>/dev/null || true
    local pid
    # a freshness probe left behind (the probe kills each one itself): by its PID, if it is still that sleep
    for pid in $(cat "$WORK/fresh.pids" 2>/dev/null); do
        [[ $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") != "sleep $FRESH_ARG " ]] || kill -KILL "$pid" 2>/dev/null || true
    done
    if [[ -n $SERVICE_PID ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill -TERM "$SERVICE_PID"
        for _ in $(seq 1 100); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    if [[ -n $LANDSCAPE_UP ]]; then
        LANDSCAPE_TIMEOUT=600 "$HERE/landscape.sh" down || log "WARNING: run scripts/landscape.sh down"
    fi
    if [[ -n ${KEEP:-} ]]; then log "raw data in $WORK"; else rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ $EUID -eq 0 ]] || die "run as root (the landscape needs unshare, lsns needs root to see everything)"
[[ -x $JAVA ]] || die "no java at $JAVA"
for tool in curl python3 unshare pgrep; do command -v "$tool" >/dev/null || die "$tool is required"; done
[[ -x $LSNS242 ]] || die "no lsns 2.42.2 at $LSNS242"
! curl -s -o /dev/null --max-time 1 "$BASE/" || die "something listens on 127.0.0.1:$PORT already: set PORT"
JAR=${1:-}
if [[ -z $JAR ]]; then
    (cd "$REPO" && ./mvnw -q -B -DskipTests package) || die "build failed"
    for candidate in "$REPO"/target/nsscope-*.jar; do [[ $candidate == *-plain.jar ]] || { JAR=$candidate; break; }; done
fi
[[ -f $JAR ]] || die "no jar at $JAR"
JAR=$(readlink -f "$JAR")
COMMIT=$(git -C "$(dirname "$JAR")/.." log -1 --format='%h' 2>/dev/null || echo '?')

# --- the landscape ------------------------------------------------------------------------------------------------
ct_procs=$((CONTAINERS * 4 + CONTAINERS / 2)) # unshare + sh + 2 or 3 sleeps each
plain=$((PROCS - $(count_procs) - ct_procs - 2)) # the keeper, nsscope
((plain >= 0)) || die "PROCS=$PROCS is fewer than the host and the containers already make"
if ((PROCS > 8000)); then
    # every process of the landscape forks from one bash: make room (restored by nothing: these are ceilings)
    ulimit -u unlimited 2>/dev/null || ulimit -u 65536
    (($(cat /proc/sys/kernel/pid_max) >= 4 * PROCS)) || echo $((4 * PROCS)) >/proc/sys/kernel/pid_max
fi
log "landscape: CONTAINERS=$CONTAINERS PLAIN=$plain"
LANDSCAPE_UP=yes
CONTAINERS=$CONTAINERS PLAIN=$plain LANDSCAPE_TIMEOUT=600 "$HERE/landscape.sh" up
sleep 2

# --- the service --------------------------------------------------------------------------------------------------
t0=$EPOCHREALTIME
# shellcheck disable=SC2086 # JVM_OPTS is a list of options
MALLOC_ARENA_MAX=2 "$JAVA" $JVM_OPTS -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
    $SERVICE_ARGS >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
until curl -fs -o /dev/null --max-time 1 "$BASE/actuator/health/readiness"; do
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -30 "$WORK/service.log" >&2; die "nsscope exited"; }
    sleep 0.05
done
ready_ms=$(python3 -c "print(round(($EPOCHREALTIME - $t0) * 1000))")
log "nsscope ready in $ready_ms ms ($(count_procs) processes)"

ticks() { awk '{print $14 + $15}' "/proc/$SERVICE_PID/stat"; }
prom() {
    curl -fs --max-time 10 "$BASE/actuator/prometheus" >"$WORK/scrape" || die "scrape failed"
    awk -v n="$1" '!done && ($1 == n || index($1, n "{") == 1) {print $2; done = 1}' "$WORK/scrape"
}
# this script's CPU and its reaped children's (lsns, curl, python), in ticks: our_ticks (lib/our-ticks.sh)
# shellcheck source=scripts/lib/our-ticks.sh
. "$HERE/lib/our-ticks.sh"
account_start() {
    times >"$WORK/times.txt"
    python3 "$HERE/bench/cpu_account.py" snapshot "$WORK/acct.$1.a.json" "$(our_ticks)"
}
account_end() {
    times >"$WORK/times.txt"
    python3 "$HERE/bench/cpu_account.py" snapshot "$WORK/acct.$1.b.json" "$(our_ticks)"
    python3 "$HERE/bench/cpu_account.py" diff "$WORK/acct.$1.a.json" "$WORK/acct.$1.b.json" "$SERVICE_PID" "$$" \
        >"$WORK/acct.$1"
}
# one lsns -J: "cpu_seconds wall_seconds" of the child
lsns_run() {
    python3 - "$LSNS242" <<'EOF'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.monotonic()
subprocess.run([sys.argv[1], "-J"], stdout=subprocess.DEVNULL, check=True)
wall = time.monotonic() - t
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime:.4f} {wall:.4f}")
EOF
}

log "lsns -J 2.42.2: $LSNS_RUNS runs"
for ((i = 0; i < LSNS_RUNS; i++)); do lsns_run >>"$WORK/lsns.cpu"; done

log "settling for ${SETTLE_SECONDS}s, then ${IDLE_SECONDS}s idle"
sleep "$SETTLE_SECONDS"
scans_a=$(prom nsscope_scans_total)
ticks_a=$(ticks)
account_start idle
t_a=$EPOCHREALTIME
sleep "$IDLE_SECONDS"
t_b=$EPOCHREALTIME
ticks_b=$(ticks)
account_end idle
scans_b=$(prom nsscope_scans_total)

log "lsns -J 2.42.2: $LSNS_RUNS more runs"
for ((i = 0; i < LSNS_RUNS; i++)); do lsns_run >>"$WORK/lsns.cpu"; done

log "refresh: 3 warm-up + $REFRESHES measured, each after an lsns -J"
account_start refresh
for ((i = -3; i < REFRESHES; i++)); do
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.6, 1.6), 3))')"
    lsns=$(lsns_run)
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.6, 1.6), 3))')"
    took=$(curl -fs --max-time 15 -o "$WORK/refresh.json" -w '%{time_total}' "$BASE/namespaces?refresh=true") \
        || die "refresh failed"
    scan_ms=$(python3 -c "import json; print(json.load(open('$WORK/refresh.json'))['snapshot']['durationMs'])")
    ((i < 0)) || echo "$took ${lsns#* } $scan_ms" >>"$WORK/refresh"
done
account_end refresh

log "freshness: $FRESH_RUNS new network namespaces"
python3 - "$BASE" "$FRESH_RUNS" "$FRESH_ARG" "$WORK/fresh.pids" >"$WORK/fresh" <<'EOF'
import json, os, subprocess, sys, threading, time, urllib.request
base, runs, arg, pids = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
created = {}
def follow():
    with urllib.request.urlopen(base + "/events?type=net", timeout=600) as stream:
        for line in stream:
            if line.startswith(b"data:"):
                e = json.loads(line[5:])
                if e.get("event") == "namespace-created":
                    created.setdefault(e["ns"], time.monotonic())
threading.Thread(target=follow, daemon=True).start()
time.sleep(1)
for _ in range(runs):
    time.sleep(0.37)
    p = subprocess.Popen(["unshare", "-n", "sleep", arg])
    with open(pids, "a") as f:
        f.write(f"{p.pid}\n")
    while True:  # unshare has made the namespace once its child is sleep
        try:
            if open(f"/proc/{p.pid}/comm").read().strip() == "sleep":
                break
        except OSError:
            pass
        time.sleep(0.001)
    t0 = time.monotonic()
    ns = int(os.readlink(f"/proc/{p.pid}/ns/net").split("[")[1][:-1])
    while True:
        with urllib.request.urlopen(base + "/namespaces?type=net") as r:
            if any(n["ns"] == ns for n in json.load(r)["namespaces"]):
                break
        time.sleep(0.02)
    listed = time.monotonic() - t0
    while ns not in created and time.monotonic() - t0 < 10:
        time.sleep(0.01)
    print(f"{listed:.3f} {created.get(ns, float('nan')) - t0:.3f}")
    p.kill()
    p.wait()
EOF

# --- report -------------------------------------------------------------------------------------------------------
python3 - "$WORK" "$ticks_a" "$ticks_b" "$t_a" "$t_b" "$scans_a" "$scans_b" "$(getconf CLK_TCK)" "$(count_procs)" \
    "$ready_ms" "$COMMIT" "MALLOC_ARENA_MAX=2 $(basename "$(dirname "$(dirname "$JAVA")")") $JVM_OPTS" "$SERVICE_ARGS" "$CONTAINERS" >"$OUT" <<'EOF'
import statistics as st, sys, time
work, ta, tb, wa, wb, sa, sb, tck, procs, ready, commit, jopts, sargs, cts = sys.argv[1:]
rows = lambda name: [l.split() for l in open(f"{work}/{name}") if l.strip()]
lsns = rows("lsns.cpu")
lsns_cpu = st.median(float(r[0]) for r in lsns)
minute = (int(tb) - int(ta)) / int(tck) * 60 / (float(wb) - float(wa))
scans = float(sb) - float(sa)
ref = rows("refresh")
p50 = st.median(float(r[0]) for r in ref) * 1000
lw = st.median(float(r[1]) for r in ref) * 1000
scan = st.median(float(r[2]) for r in ref)
fresh = rows("fresh")
acct = lambda n: open(f"{work}/acct.{n}").read().split()
ai, ar = acct("idle"), acct("refresh")
print(f"### {procs} processes ({cts} containers), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}\n")
print(f"JVM: `{jopts}`{', args `' + sargs + '`' if sargs else ''}; ready in {ready} ms.\n")
print("| measure | nsscope | lsns 2.42.2 | ratio | target |")
print("| --- | ---: | ---: | ---: | --- |")
print(f"| idle CPU: CPU-s per minute (nsscope) vs one `lsns -J` | {minute:.3f} ({scans:.0f} scans, "
      f"{minute * 1000 / max(scans, 1) * (float(wb) - float(wa)) / 60:.1f} ms CPU each) | {lsns_cpu:.3f} "
      f"(runs: {', '.join(r[0] for r in lsns)}) | **{minute / lsns_cpu:.2f}** | ≤ 2 |")
print(f"| `?refresh=true` p50 at HTTP vs `lsns -J` wall, n={len(ref)} | {p50:.1f} ms (p90 "
      f"{sorted(float(r[0]) for r in ref)[int(len(ref) * 0.9)] * 1000:.1f}; scan {scan:.1f} ms) | {lw:.1f} ms | "
      f"**{p50 / lw:.2f}** | ≤ 0.33 |")
print(f"| new net namespace listed / its event sent (s after unshare), n={len(fresh)} | "
      f"max {max(float(r[0]) for r in fresh):.2f} / {max(float(r[1]) for r in fresh):.2f} "
      f"(median {st.median(float(r[0]) for r in fresh):.2f} / {st.median(float(r[1]) for r in fresh):.2f}) | | | "
      "≤ interval (2 s) + one scan |")
print(f"\nOther processes' CPU: idle phase {ai[0]} %, refresh phase {ar[0]} % (kernel threads {ai[1]} / {ar[1]} %).")
EOF
cat "$OUT"
