#!/usr/bin/env bash
# Loads this host with a realistic namespace landscape for nsscope's benchmark, and removes it again.
#
#   scripts/landscape.sh up       start CONTAINERS "containers" and PLAIN plain processes (idempotent)
#   scripts/landscape.sh down     kill every one of them; leaves no process, zombie or mount behind (idempotent)
#   scripts/landscape.sh status   print what is running (exit 0 if the landscape is complete, 1 otherwise)
#
# Environment:
#   CONTAINERS=200   containers: `unshare -p -f -n -u -i -m -C --mount-proc --kill-child`, each a `sh` (PID 1
#                    of its own PID namespace) running 2 or 3 `sleep`s (alternately): 6 new namespaces each
#                    (pid, net, uts, ipc, mnt, cgroup) and 4 or 5 processes (unshare, sh, sleeps)
#   PLAIN=2000       plain `sleep` processes in the host's namespaces
#   NETNS=0          named network namespaces (`ip netns add nsscope-landscape-N`: bind-mounted under /run/netns),
#                    each with one `sleep` in it (`ip netns exec`: also a mount namespace of its own)
#   FD_HELD=0        network namespaces that no process is in, each held only by a descriptor: a `sleep` in the
#                    host's namespaces with the namespace's nsfs file open (made by `unshare -n`, then `nsenter` back)
#   SOCK_HELD=0      network namespaces that no process is in, each held only by a socket made in it, which a
#                    `sleep` in the host's namespaces keeps open (the same way)
#   LANDSCAPE_DIR=/tmp/nsscope-landscape   state: the keeper's PID, its log, the requested counts
#   LANDSCAPE_TIMEOUT=120                  seconds `up` waits for everything to run, `down` for everything to go
#
# Needs root (unshare of PID, net, mount... namespaces). Every process of the landscape is a child of one
# "keeper" (this script run as `_keep`, in its own session) that reaps them, so `down` leaves no zombie for PID 1;
# every one also carries a distinctive argv (`sleep 86400.31337`, `sleep 86400.31338`, `nsscope-landscape-ct`),
# so that `down` finds strays even if the state directory was lost. The container's /proc mount lives in the
# container's private mount namespace (unshare makes it private) and goes away with it. --kill-child makes the
# kernel SIGKILL a container's PID 1 when its unshare dies, which kills the whole PID namespace.
set -euo pipefail

CONTAINERS=${CONTAINERS:-200}
PLAIN=${PLAIN:-2000}
NETNS=${NETNS:-0}
FD_HELD=${FD_HELD:-0}
SOCK_HELD=${SOCK_HELD:-0}
STATE=${LANDSCAPE_DIR:-/tmp/nsscope-landscape}
TIMEOUT=${LANDSCAPE_TIMEOUT:-120}

PLAIN_ARG=86400.31337          # sleep argument of the plain processes (they also end by themselves in a day)
CT_ARG=86400.31338             # sleep argument of the sleeps inside containers
NETNS_ARG=86400.31339          # ... of the sleep in each named network namespace
FD_ARG=86400.31340             # ... of the sleeps holding a network namespace by a descriptor
SOCK_ARG=86400.31341           # ... of the sleeps holding a network namespace by a socket
NETNS_PREFIX=nsscope-landscape # names of the named network namespaces: PREFIX-N
CT_TAG=nsscope-landscape-ct    # $0 of each container's sh: in the argv of the sh and of its unshare
KEEP_TAG=nsscope-landscape-keeper
SELF=$(readlink -f "${BASH_SOURCE[0]}")

PLAIN_RE="^sleep ${PLAIN_ARG//./\\.}\$"
CT_SLEEP_RE="^sleep ${CT_ARG//./\\.}\$"
NETNS_RE="^sleep ${NETNS_ARG//./\\.}\$"
FD_RE="^sleep ${FD_ARG//./\\.}\$"
SOCK_RE="^sleep ${SOCK_ARG//./\\.}\$"
CT_SH_RE="^sh -c .* ${CT_TAG}-[0-9]+\$"
CT_UNSHARE_RE="^unshare .* ${CT_TAG}-[0-9]+\$"
KEEP_RE="^bash .*landscape\\.sh _keep ${KEEP_TAG}\$"

say() { printf 'landscape: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

count() { pgrep -c -f -- "$1" 2>/dev/null || true; }

# Expected sleeps inside the containers: container i runs 2 + (i % 2) of them.
ct_sleeps_expected() { echo $(( CONTAINERS * 2 + CONTAINERS / 2 )); }

keeper_pid() {
    local pid
    [[ -r $STATE/keeper.pid ]] || return 1
    pid=$(<"$STATE/keeper.pid")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    # Only if that PID is still our keeper (PIDs are reused).
    local -a argv=()
    mapfile -d '' -t argv <"/proc/$pid/cmdline" 2>/dev/null || return 1
    [[ "${argv[*]:-}" =~ $KEEP_RE ]] || return 1
    echo "$pid"
}

status_counts() {
    printf 'keeper=%s plain=%s containers=%s container_sh=%s container_sleeps=%s netns=%s netns_sleeps=%s' \
        "$(keeper_pid || echo none)" "$(count "$PLAIN_RE")" "$(count "$CT_UNSHARE_RE")" \
        "$(count "$CT_SH_RE")" "$(count "$CT_SLEEP_RE")" "$(named_netns | wc -l)" "$(count "$NETNS_RE")"
    printf ' fd_held=%s sock_held=%s\n' "$(count "$FD_RE")" "$(count "$SOCK_RE")"
}

# The named network namespaces of the landscape.
named_netns() { find /run/netns -maxdepth 1 -name "$NETNS_PREFIX-*" -printf '%f\n' 2>/dev/null || true; }

complete() {
    [[ -r $STATE/counts ]] && [[ $(<"$STATE/counts") == "$CONTAINERS $PLAIN $NETNS $FD_HELD $SOCK_HELD" ]] &&
        keeper_pid >/dev/null &&
        [[ $(count "$PLAIN_RE") -eq $PLAIN ]] && [[ $(count "$CT_UNSHARE_RE") -eq $CONTAINERS ]] &&
        [[ $(count "$CT_SH_RE") -eq $CONTAINERS ]] && [[ $(count "$CT_SLEEP_RE") -eq $(ct_sleeps_expected) ]] &&
        [[ $(named_netns | wc -l) -eq $NETNS ]] && [[ $(count "$NETNS_RE") -eq $NETNS ]] &&
        [[ $(count "$FD_RE") -eq $FD_HELD ]] && [[ $(count "$SOCK_RE") -eq $SOCK_HELD ]]
}

anything_left() {
    keeper_pid >/dev/null && return 0
    local re
    for re in "$PLAIN_RE" "$CT_SLEEP_RE" "$CT_SH_RE" "$CT_UNSHARE_RE" "$NETNS_RE" "$FD_RE" "$SOCK_RE" "$KEEP_RE"; do
        [[ $(count "$re") -gt 0 ]] && return 0
    done
    [[ -n $(named_netns) ]]
}

# The keeper: starts everything as its own children, then waits (reaping each as it dies) until all are gone.
keep() {
    local i n
    for ((i = 0; i < CONTAINERS; i++)); do
        local script="sleep $CT_ARG & sleep $CT_ARG &"
        ((i % 2)) && script+=" sleep $CT_ARG &"
        script+=" wait"
        unshare -p -f -n -u -i -m -C --mount-proc --kill-child \
            sh -c "$script" "$CT_TAG-$i" </dev/null >/dev/null 2>&1 &
    done
    for ((n = 0; n < PLAIN; n++)); do
        # shellcheck disable=SC2217 # not for input: so that none of them holds the caller's stdin open
        sleep "$PLAIN_ARG" </dev/null >/dev/null 2>&1 &
    done
    for ((n = 0; n < NETNS; n++)); do
        ip netns add "$NETNS_PREFIX-$n"
        ip netns exec "$NETNS_PREFIX-$n" sleep "$NETNS_ARG" </dev/null >/dev/null 2>&1 &
    done
    # A new network namespace whose only process (python, then nsenter) goes back to the keeper's network
    # namespace and becomes a sleep: the namespace is then held by the descriptor (FD_HELD) or the socket
    # (SOCK_HELD) it left open, as fd 5.
    local back=/proc/$$/ns/net
    local hold='import os, socket, sys
if sys.argv[1] == "fd":
    fd = os.open("/proc/self/ns/net", os.O_RDONLY)
else:
    fd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).detach()
os.dup2(fd, 5)
os.execvp("nsenter", ["nsenter", "--net=" + sys.argv[2], "sleep", sys.argv[3]])'
    for ((n = 0; n < FD_HELD; n++)); do
        unshare -n python3 -c "$hold" fd "$back" "$FD_ARG" </dev/null >/dev/null 2>&1 &
    done
    for ((n = 0; n < SOCK_HELD; n++)); do
        unshare -n python3 -c "$hold" socket "$back" "$SOCK_ARG" </dev/null >/dev/null 2>&1 &
    done
    : >"$STATE/started"
    wait || true
}

up() {
    [[ $EUID -eq 0 ]] || die "must run as root (it creates PID, net and mount namespaces)"
    [[ $CONTAINERS =~ ^[0-9]+$ && $PLAIN =~ ^[0-9]+$ && $NETNS =~ ^[0-9]+$ && $FD_HELD =~ ^[0-9]+$ &&
        $SOCK_HELD =~ ^[0-9]+$ ]] || die "CONTAINERS, PLAIN, NETNS, FD_HELD and SOCK_HELD must be numbers"
    if ((FD_HELD + SOCK_HELD > 0)); then
        command -v python3 >/dev/null && command -v nsenter >/dev/null || die "FD_HELD, SOCK_HELD need python3, nsenter"
    fi
    ((NETNS == 0)) || command -v ip >/dev/null || die "NETNS needs ip (iproute2)"
    if complete; then
        say "already up: $(status_counts)"
        return 0
    fi
    if anything_left; then
        say "a partial or different landscape is running: taking it down first"
        down
    fi
    mkdir -p "$STATE"
    rm -f "$STATE/started"
    echo "$CONTAINERS $PLAIN $NETNS $FD_HELD $SOCK_HELD" >"$STATE/counts"
    local start=$SECONDS
    # Its own session and process group: a Ctrl-C or a job-control kill of the caller does not reach it.
    setsid bash "$SELF" _keep "$KEEP_TAG" </dev/null >"$STATE/keeper.log" 2>&1 &
    echo $! >"$STATE/keeper.pid"
    until [[ -e $STATE/started ]] && complete; do
        if ((SECONDS - start > TIMEOUT)); then
            say "not complete after ${TIMEOUT}s: $(status_counts)"
            down
            die "up failed"
        fi
        if ! keeper_pid >/dev/null && ! [[ -e $STATE/started ]]; then
            sleep 0.2
            keeper_pid >/dev/null || { cat "$STATE/keeper.log" >&2 || true; down; die "the keeper died"; }
        fi
        sleep 0.5
    done
    say "up in $((SECONDS - start))s: $(status_counts)"
}

kill_matching() {
    local re=$1
    local -a pids=()
    mapfile -t pids < <(pgrep -f -- "$re" || true)
    if ((${#pids[@]} > 0)); then
        kill -KILL "${pids[@]}" 2>/dev/null || true
    fi
}

down() {
    [[ $EUID -eq 0 ]] || die "must run as root"
    if ! anything_left; then
        rm -rf "$STATE"
        say "nothing to take down"
        return 0
    fi
    local keeper start=$SECONDS
    keeper=$(keeper_pid || true)
    # The unshares first: --kill-child then SIGKILLs each container's PID 1, which takes its namespace down.
    kill_matching "$CT_UNSHARE_RE"
    if [[ -n $keeper ]]; then
        # Then every other child of the keeper (the plain sleeps).
        local -a children=()
        mapfile -t children < <(pgrep -P "$keeper" || true)
        if ((${#children[@]} > 0)); then
            kill -KILL "${children[@]}" 2>/dev/null || true
        fi
    fi
    # Strays whose keeper is gone (state lost, keeper killed by hand): by their distinctive argv.
    kill_matching "$PLAIN_RE"
    kill_matching "$CT_SH_RE"
    kill_matching "$CT_SLEEP_RE"
    kill_matching "$NETNS_RE"
    kill_matching "$FD_RE"
    kill_matching "$SOCK_RE"
    local name
    while read -r name; do
        [[ -z $name ]] || ip netns delete "$name" 2>/dev/null || true
    done < <(named_netns)
    # The keeper reaps its children as they die and then returns from `wait`; give it the time to.
    while anything_left; do
        if ((SECONDS - start > TIMEOUT)); then
            say "still running after ${TIMEOUT}s: $(status_counts)"
            return 1
        fi
        if [[ -n $keeper ]] && ((SECONDS - start > 5)); then
            kill -KILL "$keeper" 2>/dev/null || true
        fi
        kill_matching "$CT_UNSHARE_RE"
        kill_matching "$PLAIN_RE"
        kill_matching "$CT_SH_RE"
        kill_matching "$CT_SLEEP_RE"
        kill_matching "$NETNS_RE"
        kill_matching "$FD_RE"
        kill_matching "$SOCK_RE"
        kill_matching "$KEEP_RE"
        while read -r name; do
            [[ -z $name ]] || ip netns delete "$name" 2>/dev/null || true
        done < <(named_netns)
        sleep 0.2
    done
    rm -rf "$STATE"
    say "down in $((SECONDS - start))s"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status)
        status_counts
        complete
        ;;
    _keep) keep ;;
    *)
        echo "usage: $0 up|down|status   (env: CONTAINERS=$CONTAINERS PLAIN=$PLAIN NETNS=$NETNS FD_HELD=$FD_HELD" \
            "SOCK_HELD=$SOCK_HELD LANDSCAPE_DIR=$STATE)" >&2
        exit 2
        ;;
esac
