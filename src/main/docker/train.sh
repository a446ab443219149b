#!/usr/bin/env bash
# The image's training run (the Dockerfile's RUN; scripts/cost-bench.sh and AotImageIT run it the same way):
#
#   train.sh java [OPTION...] -XX:AOTCacheOutput=FILE [OPTION...] -jar JAR
#
# starts the application with that command on 127.0.0.1 and a free port (TRAIN_PORT, else one picked at random),
# waits until it is ready (its first scan made), gives it a workload (the lists, a tree, the metrics, a refresh,
# twice), then stops it with SIGTERM: the JVM writes the AOT cache (FILE) as it exits, with what the start, the scans
# and the requests loaded, linked and profiled (JEP 483/514/515), so a start from it also finds the scan's and the
# request path's code ready. Fails (exit 1) if the application does not get ready, a request does not answer 2xx,
# the JVM does not exit, or FILE is not written. Bounded in time (TRAIN_TIMEOUT seconds, default 180, for the start
# and again for the exit); the application is killed on any way out. Needs bash (its /dev/tcp), not curl.
set -euo pipefail

TIMEOUT=${TRAIN_TIMEOUT:-180}
LOG=${TRAIN_LOG:-$(mktemp /tmp/nsscope-train.XXXXXX)}
cache=
for arg in "$@"; do
    case $arg in -XX:AOTCacheOutput=*) cache=${arg#*=} ;; esac
done
[[ -n $cache ]] || { echo "train.sh: no -XX:AOTCacheOutput=FILE in: $*" >&2; exit 2; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${TRAIN_PORT:-}
while [[ -z $port ]]; do
    port=$((20000 + RANDOM % 20000))
    if listening "$port"; then port=; fi
done

# GET PATH [ACCEPT]: prints the status code ("000" if there was no answer); the body is read and dropped.
get() {
    local code=000
    if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\nConnection: close\r\n\r\n' "$1" "${2:-*/*}" >&3
        read -r -t 30 _ code _ <&3 || code=000
        timeout 30 cat <&3 >/dev/null || true
        exec 3<&-
    fi 2>/dev/null
    echo "$code"
}

rm -f "$cache"
SERVER_ADDRESS=127.0.0.1 SERVER_PORT=$port "$@" </dev/null >"$LOG" 2>&1 &
pid=$!
fail() {
    echo "train.sh: $*; the application's log ($LOG):" >&2
    tail -n 30 "$LOG" >&2
    exit 1
}
trap 'kill -KILL "$pid" 2>/dev/null || true' EXIT
# Killed itself (a timeout, Ctrl-C): bash runs no EXIT trap on a fatal signal, so take the application down here.
trap 'exit 1' INT TERM HUP

deadline=$((SECONDS + TIMEOUT))
until [[ $(get /actuator/health/readiness) == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || fail "the application exited before it was ready"
    ((SECONDS < deadline)) || fail "not ready after ${TIMEOUT}s"
    sleep 0.2
done
for round in 1 2; do
    for request in /namespaces "/namespaces text/plain" /processes "/processes text/plain" /trees/pid \
        "/trees/net text/plain" /actuator/prometheus /actuator/health/readiness "/namespaces?refresh=true"; do
        read -r path accept <<<"$request"
        code=$(get "$path" "${accept:-*/*}")
        [[ $code == 2?? ]] || fail "GET $path (round $round) answered $code"
    done
done

kill -TERM "$pid"
deadline=$((SECONDS + TIMEOUT))
while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "still running ${TIMEOUT}s after SIGTERM"
    sleep 0.2
done
wait "$pid" || true # 143: stopped by SIGTERM, as asked
trap - EXIT
[[ -s $cache ]] || fail "no AOT cache written to $cache"
echo "train.sh: $cache written ($(stat -c %s "$cache") bytes), trained on 127.0.0.1:$port"
[[ -n ${TRAIN_LOG:-} ]] || rm -f "$LOG"
