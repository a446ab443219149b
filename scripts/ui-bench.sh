#!/usr/bin/env bash
# How fast nsscope's page draws a loaded host: run by hand (not in CI, not a test), as root.
#
#   scripts/ui-bench.sh [path/to/nsscope.jar]        (no jar: builds one with ./mvnw -DskipTests package)
#
# Brings up the landscape (scripts/landscape.sh) at about 10,000 processes (CONTAINERS=200 "containers" of 4-5
# processes each, PLAIN=9000 plain sleeps), starts nsscope on 127.0.0.1:PORT with the operator's JVM settings, and
# opens the page RUNS times in headless Chromium (Debian's chromium and chromium-driver), each time with a new empty
# profile (nothing cached). scripts/bench/ui_paint.py reads the times the page marks itself:
#   - first contentful paint (the page's frame: header, tabs, filters);
#   - the namespaces table drawn (its rows in the DOM), then painted (the next frame): the "first paint" of the data;
#   - the Processes tab (every process, virtualised), the Process tree tab (/trees/pid) and the Hierarchies tab
#     (the user namespaces' SVG), each from its click to its drawing;
# and, in the same run, `lsns -J` and `lsns -J --output-all` wall times (util-linux 2.42.2 from shared/tools when
# there, else the system's; LSNS= to choose) and nsscope's scan time, for scale.
# Writes a markdown block to UI_BENCH_OUT and stdout. Tears everything down on exit (trap), also on failure.
#
# Environment (defaults): CONTAINERS=200 PLAIN=9000 PORT=18084 RUNS=5 DRIVER_PORT=(a free port)
#   JAVA_OPTS="-Xmx256m -XX:+UseSerialGC" UI_BENCH_OUT=<repo>/target/ui-bench-results.md
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
export CONTAINERS=${CONTAINERS:-200} PLAIN=${PLAIN:-9000}
PORT=${PORT:-18084}
DRIVER_PORT=${DRIVER_PORT:-$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
RUNS=${RUNS:-5}
JAVA_OPTS=${JAVA_OPTS--Xmx256m -XX:+UseSerialGC}
OUT=${UI_BENCH_OUT:-$REPO/target/ui-bench-results.md}
# the reference lsns (util-linux 2.42.2, beside the project in shared/), else the system's
LSNS=${LSNS:-$REPO/../shared/tools/util-linux-2.42.2/lsns}
[[ -x $LSNS ]] || LSNS=$(command -v lsns)
CHROMIUM=${NSSCOPE_CHROMIUM:-/usr/bin/chromium}
CHROMEDRIVER=${NSSCOPE_CHROMEDRIVER:-/usr/bin/chromedriver}
JAR=${1:-}

log() { printf 'ui-bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[[ $EUID -eq 0 ]] || die "run as root: the landscape needs unshare"
for tool in java curl python3 lsns; do command -v "$tool" >/dev/null || die "missing $tool"; done
[[ -x $CHROMIUM && -x $CHROMEDRIVER ]] || die "needs $CHROMIUM and $CHROMEDRIVER (apt-get install chromium chromium-driver)"

WORK=$(mktemp -d /tmp/nsscope-ui-bench.XXXXXX)
SERVICE=""
DRIVER=""
cleanup() {
    trap - EXIT INT TERM
    [[ -z $DRIVER ]] || { kill "$DRIVER" 2>/dev/null; wait "$DRIVER" 2>/dev/null || true; }
    [[ -z $SERVICE ]] || { kill "$SERVICE" 2>/dev/null; wait "$SERVICE" 2>/dev/null || true; }
    "$HERE/landscape.sh" down || log "WARNING: landscape down failed: run scripts/landscape.sh down"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z $JAR ]]; then
    (cd "$REPO" && ./mvnw -q -DskipTests package) || die "build failed"
    JAR=$(ls "$REPO"/target/nsscope-*.jar | grep -v original | head -1)
fi

log "landscape: $CONTAINERS containers, $PLAIN plain processes"
LANDSCAPE_TIMEOUT=300 "$HERE/landscape.sh" up

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
java $JAVA_OPTS -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 >"$WORK/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 240); do
    curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && break
    sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null || die "nsscope not ready: $WORK/service.log"
for _ in 1 2 3; do curl -sf "http://127.0.0.1:$PORT/namespaces?refresh=true" -o "$WORK/ns.json"; sleep 0.6; done

"$CHROMEDRIVER" --port="$DRIVER_PORT" --allowed-ips=127.0.0.1 >"$WORK/driver.log" 2>&1 &
DRIVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$DRIVER_PORT/status" >/dev/null && break; sleep 0.2; done

log "timing lsns -J and nsscope's scan"
python3 - "$PORT" "$LSNS" >"$WORK/scale.json" <<'PY'
import json, subprocess, sys, time, urllib.request
port, lsns = sys.argv[1], sys.argv[2]
def wall(cmd):
    t = []
    for _ in range(5):
        t0 = time.perf_counter(); subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        t.append((time.perf_counter() - t0) * 1000)
    return sorted(t)[2]
scans = []
for _ in range(5):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/namespaces?refresh=true") as r:
        scans.append(json.load(r)["snapshot"]["durationMs"])
    time.sleep(0.6)
with urllib.request.urlopen(f"http://127.0.0.1:{port}/namespaces") as r:
    ns = json.load(r)
print(json.dumps({"lsns": wall([lsns, "-J"]), "lsnsAll": wall([lsns, "-J", "--output-all"]),
                  "scan": sorted(scans)[2], "namespaces": len(ns["namespaces"]),
                  "processes": ns["snapshot"]["processes"]}))
PY

log "opening the page $RUNS times"
python3 "$HERE/bench/ui_paint.py" "http://127.0.0.1:$PORT/" "http://127.0.0.1:$DRIVER_PORT" "$RUNS" "$CHROMIUM" \
    >"$WORK/runs.jsonl"

python3 - "$WORK/scale.json" "$WORK/runs.jsonl" "$JAVA_OPTS" "$(chromium --version 2>/dev/null | head -1)" \
    "$("$LSNS" --version)" >"$OUT" <<'PY'
import json, statistics, sys, datetime, os
scale = json.load(open(sys.argv[1]))
runs = [json.loads(l) for l in open(sys.argv[2])]
def med(f): return statistics.median(f(r) for r in runs)
def mx(f): return max(f(r) for r in runs)
rows = [
    ("first contentful paint (page frame)", lambda r: r["fcp"]),
    ("`/namespaces` answered (response end)", lambda r: r["namespacesResponseEnd"]),
    ("namespaces table drawn", lambda r: r["namespacesRendered"]),
    ("**namespaces table painted**", lambda r: r["namespacesPainted"]),
    ("Processes tab: click to drawn", lambda r: r["processes"]["ms"]),
    ("Process tree tab (`/trees/pid`): click to drawn", lambda r: r["tree"]["ms"]),
    ("Hierarchies tab (user SVG): click to drawn", lambda r: r["hierarchy"]["ms"]),
]
r0 = runs[0]
print(f"### UI run of {datetime.date.today()}: {scale['processes']} processes, {scale['namespaces']} namespaces\n")
print(f"{os.cpu_count()} CPUs, {os.uname().release}; {sys.argv[4]}; service JVM `{sys.argv[3]}`; {len(runs)} runs, "
      f"each a new browser profile; times in ms since navigation start (tabs: since the click)\n")
print("| what | median | max |\n| --- | ---: | ---: |")
for name, f in rows:
    print(f"| {name} | {med(f):.0f} | {mx(f):.0f} |")
print(f"\nDrawn: {r0['rows']} namespace rows ({r0['drawnRows']} in the DOM), {r0['processes']['rows']} process rows, "
      f"{r0['tree']['rows']} tree rows, {r0['hierarchy']['rows']} SVG nodes; `/namespaces` "
      f"{r0['namespacesBytes'] / 1024:.0f} KiB on the wire (gzip).\n")
print(f"Same run, for scale: `lsns -J` {scale['lsns']:.0f} ms, `lsns -J --output-all` {scale['lsnsAll']:.0f} ms "
      f"({sys.argv[5]}), nsscope's scan {scale['scan']:.0f} ms (medians of 5): the page's table is painted "
      f"{med(rows[3][1]) / scale['lsns']:.2f}x the time `lsns -J` takes to print.")
PY
cat "$OUT"
