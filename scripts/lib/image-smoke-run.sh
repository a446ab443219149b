# Sourced by scripts/image-smoke.sh (which defines the settings, log, die, now_ms and the work directory):
# steps 3 and 4, running the image and checking it, details included.
# shellcheck shell=bash

# --- 3./4. running the image -------------------------------------------------------------------------------------
memory=()
[ -z "$MEMORY" ] || memory=(--memory "$MEMORY")

# The percentage of all CPUs busy over one second (/proc/stat): what else the host does while we measure.
cpu_busy() {
    local a b i ta=0 tb=0 idle
    read -r -a a < <(grep '^cpu ' /proc/stat)
    sleep 1
    read -r -a b < <(grep '^cpu ' /proc/stat)
    for i in 1 2 3 4 5 6 7 8; do ta=$((ta + a[i])); tb=$((tb + b[i])); done
    idle=$(((b[4] + b[5]) - (a[4] + a[5])))
    echo $((tb > ta ? 100 * (tb - ta - idle) / (tb - ta) : 0))
}
# Waits up to QUIET_WAIT s for the CPUs to be at most QUIET_MAX_BUSY % busy; sets BUSY to the last reading.
# (Not in a command substitution, here and in wait_ready: a signal's trap would wait for it to end.)
BUSY=
wait_cpu_quiet() {
    local deadline=$((SECONDS + QUIET_WAIT))
    while :; do
        BUSY=$(cpu_busy)
        if [ "$BUSY" -le "$QUIET_MAX_BUSY" ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
    done
}
# run_container NAME [podman-run options...] [-- command...]: starts NAME detached with the chart's settings.
run_container() {
    local name=$1 opts=() cmd=()
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
    [ $# -eq 0 ] || { shift; cmd=("$@"); }
    podman run -d --name "$name" --pid=host "${LIMITS[@]}" \
        -v /proc:/host/proc:ro -e NSSCOPE_PROCFS_ROOT=/host/proc -e NSSCOPE_NODE_NAME="$(hostname)" \
        -p "127.0.0.1:$PORT:8080" \
        --cap-drop=ALL --cap-add=SYS_PTRACE --cap-add=DAC_READ_SEARCH \
        --security-opt no-new-privileges \
        --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,size=64m,mode=1777 \
        "${memory[@]}" "${opts[@]}" "$IMAGE" "${cmd[@]}" >/dev/null
}

# wait_ready NAME START_MS: sets READY_MS to the ms from START_MS to the first 200 of readiness; fails if NAME
# exits or READY_TIMEOUT passes.
READY_MS=
wait_ready() {
    local name=$1 start=$2 code deadline
    deadline=$(($(now_ms) + READY_TIMEOUT * 1000))
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/actuator/health/readiness" || true)
        if [ "$code" = 200 ]; then
            READY_MS=$(($(now_ms) - start))
            return 0
        fi
        if [ "$(podman inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" != true ]; then
            podman logs --tail 40 "$name" >&2 || true
            die "container $name stopped before it was ready"
        fi
        if [ "$(now_ms)" -ge "$deadline" ]; then
            podman logs --tail 40 "$name" >&2 || true
            die "container $name not ready after ${READY_TIMEOUT}s (last readiness answer: $code)"
        fi
        sleep 0.1
    done
}

remove_container() { podman rm -f -t 5 "$1" >/dev/null 2>&1 || true; }

# get PATH OUTFILE: GET with a bounded time; fails on anything but 200.
get() {
    local code
    code=$(curl -s -o "$2" -w '%{http_code}' --max-time 30 "$BASE_URL$1") || die "GET $1: curl failed"
    [ "$code" = 200 ] || { head -c 600 "$2" >&2; die "GET $1 answered $code"; }
}

# --- 4b. details ---------------------------------------------------------------------------------------------
# One namespace of each type, each holding a sleep marked with this run's PID: uts with its own host name, ipc with a
# shared memory segment, user mapping root, time with offsets, pid, mnt, cgroup, and a network namespace with one end
# of a veth pair (10.231.6.2/24). Their PIDs by type in DETAILS_PID.
declare -A DETAILS_PID=()
make_detail_namespaces() {
    local mark=600.$DETAILS_RUN t
    start_detail() { setsid "$@" </dev/null >/dev/null 2>&1 & DETAILS_PGIDS+=($!); }
    start_detail unshare -u sh -c "hostname smoke-$DETAILS_RUN && exec sleep ${mark}1"
    start_detail unshare -i sh -c "ipcmk -M 4096 >/dev/null && exec sleep ${mark}2"
    start_detail unshare -U --map-root-user sleep "${mark}3"
    start_detail unshare -T --monotonic 86400 --boottime 3600 -f sleep "${mark}4"
    start_detail unshare -p -f --mount-proc sleep "${mark}5"
    start_detail unshare -m --propagation private sleep "${mark}6"
    start_detail unshare -C sleep "${mark}7"
    ip netns add "$DETAILS_NETNS"
    ip link add "${DETAILS_VETH}a" type veth peer name "${DETAILS_VETH}b"
    ip link set "${DETAILS_VETH}b" netns "$DETAILS_NETNS"
    ip -n "$DETAILS_NETNS" addr add 10.231.6.2/24 dev "${DETAILS_VETH}b"
    ip -n "$DETAILS_NETNS" link set "${DETAILS_VETH}b" up
    ip -n "$DETAILS_NETNS" link set lo up
    start_detail ip netns exec "$DETAILS_NETNS" sleep "${mark}8"
    local i=1
    for t in uts ipc user time pid mnt cgroup net; do
        local tries=0 pid=
        while [ -z "$pid" ]; do
            pid=$(pgrep -x -f "sleep ${mark}$i" | head -n 1 || true)
            [ -n "$pid" ] || { tries=$((tries + 1)); [ "$tries" -lt 100 ] || die "no sleep ${mark}$i"; sleep 0.1; }
        done
        DETAILS_PID[$t]=$pid
        i=$((i + 1))
    done
}
remove_detail_namespaces() {
    local g
    for g in "${DETAILS_PGIDS[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
    for g in "${DETAILS_PGIDS[@]}"; do { wait "$g"; } 2>/dev/null || true; done   # killed: 137, quietly
    DETAILS_PGIDS=()
    if [ -e "/run/netns/$DETAILS_NETNS" ]; then ip netns delete "$DETAILS_NETNS"; fi
    local tries=0
    while [ -e "/sys/class/net/${DETAILS_VETH}a" ] && [ "$tries" -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
    if [ -e "/sys/class/net/${DETAILS_VETH}a" ]; then ip link delete "${DETAILS_VETH}a"; fi
    return 0
}
# check_details MODE: GET /namespaces/{ns} for each type of 4b, checked for MODE (chart: the chart's default
# capabilities; privileged: with SYS_ADMIN); prints one line, and PROBLEM lines.
check_details() {
    local mode=$1 t
    for t in "${!DETAILS_PID[@]}"; do
        local ino
        ino=$(readlink "/proc/${DETAILS_PID[$t]}/ns/$t" | tr -dc 0-9)
        get "/namespaces/$ino?refresh=true" "$WORK/details-$mode-$t.json"
        printf '%s %s\n' "$t" "${DETAILS_PID[$t]}"
    done >"$WORK/details-$mode.txt"
    ip -n "$DETAILS_NETNS" -br addr >"$WORK/details-ip.txt"
    python3 - "$WORK" "$mode" "smoke-$DETAILS_RUN" <<'PY'
import json, sys
work, mode, hostname = sys.argv[1:4]
pids = dict(l.split() for l in open(f'{work}/details-{mode}.txt'))
ip = {l.split()[0].split('@')[0]: set(l.split()[2:]) for l in open(f'{work}/details-ip.txt') if l.strip()}
problems, seen = [], []
for t, pid in sorted(pids.items()):
    d = json.load(open(f'{work}/details-{mode}-{t}.json'))['details']
    o, e = d.get(t) or {}, (d.get(t) or {}).get('error')
    if d.get('via') != int(pid):
        problems.append(f'{t}: via {d.get("via")}, expected {pid}')
    if mode == 'privileged' or t in ('user', 'pid', 'mnt', 'time'):
        if e is not None:
            problems.append(f'{t}: error {e}')
    elif t == 'net':
        if o.get('source') != 'procfs' or (e or {}).get('reason') != 'needs-capability':
            problems.append(f'net: source {o.get("source")}, error {e}')
    elif not e or e.get('reason') != 'needs-capability' or e.get('capability') != 'CAP_SYS_ADMIN' \
            or e.get('chartValue') != 'details.privileged':
        problems.append(f'{t}: expected needs-capability CAP_SYS_ADMIN details.privileged, got {e}')
    if t == 'net':
        got = {i['name']: set(i['addresses']) for i in o.get('interfaces') or []}
        if got != ip:
            problems.append(f'net: interfaces {got}, ip -br addr says {ip}')
    if t == 'uts' and mode == 'privileged' and o.get('hostname') != hostname:
        problems.append(f'uts: hostname {o.get("hostname")}, expected {hostname}')
    seen.append(t + ('' if e is None else ':' + e['reason']))
print('details (' + mode + '): ' + ', '.join(seen))
for p in problems:
    print('PROBLEM: ' + p)
PY
}
