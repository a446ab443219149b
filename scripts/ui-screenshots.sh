#!/usr/bin/env bash
# Screenshots of nsscope's page on a loaded host, for docs/ (run by hand, as root; not in CI):
#
#   scripts/ui-screenshots.sh [path/to/nsscope.jar [NAME.png...]]   (no jar: builds one; names: only those shots)
#
# Loads the host with: CONTAINERS "containers" (unshare -p -f -m -n -u -i -C --mount-proc, each a sh and two
# sleeps), some of them moved into Docker- and Kubernetes-style cgroups so that nsscope recognises them; user
# namespaces nested three deep; a user namespace left a ghost; a net namespace bind-mounted by `ip netns add`; one held
# only by a descriptor; a thread that unshared its uts namespace (a loose thread). Starts nsscope on 127.0.0.1:PORT,
# takes the shots with headless Chromium (scripts/bench/ui_shots.py) into OUT, and removes everything on exit (trap):
# processes (each carries MARK or sleeps NAP: found by that, killed by PID), the netns, the cgroups.
#
# Environment (defaults): CONTAINERS=8 PORT=18084 OUT=<repo>/docs
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
CONTAINERS=${CONTAINERS:-8}
PORT=${PORT:-18084}
OUT=${OUT:-$REPO/docs}
MARK=nsscope-ui
NAP=907.5151     # every sleep of this script sleeps this long: the cleanup finds them by it (and by MARK)
NAP_RE=${NAP//./\\.}
# This script's processes, and nothing else's: whole command lines, anchored (as scripts/landscape.sh finds its own).
PATTERNS=("^sleep $NAP_RE\$" "^(unshare|sh) .* $MARK-[a-z0-9]+\$" "^sh -c unshare -U -r sleep $NAP_RE; true\$"
          "^(/[^ ]*/)?python3 -c .* $MARK-loose\$")
NETNS=nsscope-ui-blue
CG=/sys/fs/cgroup/unified
[[ -d $CG ]] || CG=/sys/fs/cgroup
CHROMIUM=${NSSCOPE_CHROMIUM:-/usr/bin/chromium}
CHROMEDRIVER=${NSSCOPE_CHROMEDRIVER:-/usr/bin/chromedriver}
JAR=${1:-}
ONLY=("${@:2}")

log() { printf 'ui-screenshots: %s\n' "$*" >&2; }
[[ $EUID -eq 0 ]] || { log "run as root"; exit 1; }

WORK=$(mktemp -d /tmp/nsscope-ui-shots.XXXXXX)
SERVICE="" DRIVER="" CGROUPS=()
cleanup() {
    trap - EXIT INT TERM
    [[ -z $DRIVER ]] || { kill "$DRIVER" 2>/dev/null; wait "$DRIVER" 2>/dev/null || true; }
    [[ -z $SERVICE ]] || { kill "$SERVICE" 2>/dev/null; wait "$SERVICE" 2>/dev/null || true; }
    # by PID: every process this script started carries MARK in its command line (orphans included)
    local pids
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        pids=$(for p in "${PATTERNS[@]}"; do pgrep -f -- "$p"; done || true)
        [[ -n $pids ]] || break
        # shellcheck disable=SC2086 # a list of PIDs
        kill -KILL $pids 2>/dev/null || true
        sleep 0.5
    done
    ip netns del "$NETNS" 2>/dev/null || true
    local dir
    for dir in "${CGROUPS[@]}"; do rmdir "$dir" 2>/dev/null || log "WARNING: cgroup $dir left"; done
    rm -rf "$WORK"
    for p in "${PATTERNS[@]}"; do pgrep -f -- "$p" >/dev/null && log "WARNING: processes matching $p left"; done
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z $JAR ]]; then
    (cd "$REPO" && ./mvnw -q -DskipTests package) || exit 1
    JAR=$(ls "$REPO"/target/nsscope-*.jar | grep -v original | head -1)
fi

# containers
for ((i = 1; i <= CONTAINERS; i++)); do
    setsid unshare -p -f -m -n -u -i -C --mount-proc --kill-child \
        sh -c "hostname box$i; sleep $NAP & sleep $NAP & wait" "$MARK-ct$i" </dev/null >/dev/null 2>&1 &
done
sleep 1
# Docker- and Kubernetes-style cgroups for three of them: the unshare and everything under it
move() { # move PID and its descendants into cgroup dir $2
    local pid=$1 dir=$2 child
    echo "$pid" >"$dir/cgroup.procs" 2>/dev/null || true
    for child in $(pgrep -P "$pid"); do move "$child" "$dir"; done
}
hex() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
n=0
for pid in $(pgrep -f "^unshare .*$MARK-ct"); do
    n=$((n + 1))
    case $n in
        1|2) dir="$CG/system.slice/docker-$(hex).scope" ;;
        3) dir="$CG/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6c1f4a3e_9b2d_4c7e_8f10_2a3b4c5d6e7f.slice/cri-containerd-$(hex).scope" ;;
        *) break ;;
    esac
    # the directories made here, innermost first, for the cleanup
    made=() d=$dir
    while [[ ! -d $d ]]; do made+=("$d"); d=$(dirname "$d"); done
    mkdir -p "$dir" && CGROUPS=("${made[@]}" "${CGROUPS[@]}")
    move "$pid" "$dir"
done
# user namespaces three deep, and a ghost between the host's and a child's
setsid unshare -U -r sh -c "unshare -U -r sh -c 'unshare -U -r sleep $NAP; true'; true" "$MARK-u1" \
    </dev/null >/dev/null 2>&1 &
setsid unshare -U -r sh -c "unshare -U -r -n sleep $NAP & exit 0" "$MARK-u2" </dev/null >/dev/null 2>&1 &
# a net namespace bind-mounted by ip netns, and one held only by a descriptor
ip netns add "$NETNS"
setsid sh -c "unshare -n sleep $NAP & p=\$!; sleep 0.3; exec 3</proc/\$p/ns/net; kill \$p; exec sleep $NAP" "$MARK-fd" \
    </dev/null >/dev/null 2>&1 &
# a thread that unshared its uts namespace (CLONE_NEWUTS): a loose thread
setsid python3 -c 'import ctypes, threading, time; threading.Thread(daemon=True, target=lambda: (ctypes.CDLL(None).unshare(0x04000000), time.sleep(900))).start(); time.sleep(900)' \
    "$MARK-loose" </dev/null >/dev/null 2>&1 &
sleep 1

java -Xmx256m -XX:+UseSerialGC -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 \
    >"$WORK/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && break
    sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/namespaces?refresh=true" >/dev/null
DRIVER_PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$CHROMEDRIVER" --port="$DRIVER_PORT" --allowed-ips=127.0.0.1 >"$WORK/driver.log" 2>&1 &
DRIVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$DRIVER_PORT/status" >/dev/null && break; sleep 0.2; done
python3 "$HERE/bench/ui_shots.py" "http://127.0.0.1:$PORT/" "http://127.0.0.1:$DRIVER_PORT" "$CHROMIUM" "$OUT" \
    "${ONLY[@]}"
