#!/usr/bin/env bash
# nsscope's image smoke test: proves the top-level Dockerfile without a registry of base images or a Docker engine.
# Run on demand (not in CI), as root, on a Linux host with network access to a Debian mirror and Maven Central:
#
#   scripts/image-smoke.sh [--rebuild-bases] [--clean] [--no-compare] [--keep-work] [--repo DIR] [--ref REF]
#
#   1. makes two local base images with debootstrap (Debian SUITE, --variant=minbase, no docs, apt caches
#      cleaned) from the mirror the host's apt uses, and `podman import`s them:
#        localhost/nsscope-build-base:SUITE    openjdk-17-jdk-headless            (the build stage's BUILDER_IMAGE)
#        localhost/nsscope-runtime-base:SUITE-javaN   a Java runtime made with jlink from the host's RUNTIME_JDK
#                                              (Java 25 by default: Debian SUITE has none), at /opt/java/openjdk as
#                                              in the Temurin JRE images              (the runtime's RUNTIME_IMAGE)
#      The build base also trusts the CA certificates the host added (EXTRA_CA_DIR), for a TLS-inspecting proxy
#      between the build and Maven Central. A base that already exists is kept (they are the cache) unless
#      --rebuild-bases;
#   2. builds the image with `podman build --network=host` (the build stage downloads Maven and the dependencies)
#      from a clean `git clone` of the repository (REF, default HEAD: what is committed, never the uncommitted files
#      of the work tree), tagged localhost/nsscope:smoke;
#   3. runs it as the Helm chart does (host PID namespace, the host's /proc read-only at /host/proc, every
#      capability dropped but SYS_PTRACE and DAC_READ_SEARCH, read-only root with a tmpfs /tmp, no new privileges,
#      the chart's 384 MiB memory limit), publishing the port on 127.0.0.1 only;
#   4. waits (bounded) for /actuator/health/readiness to answer 200, checks that GET /namespaces lists the host's
#      namespaces (the same set as `lsns -J -l` on the host, give or take NS_TOLERANCE transient ones, kthreadd's
#      and the container's own among them) and that GET /actuator/prometheus serves nsscope's metrics;
#   4b. makes one namespace of each type on the host (unshare, ip netns; removed again on exit) and checks every
#      type's details (GET /namespaces/{ns}) as the chart's capabilities allow: user, pid, mnt and time read whole,
#      net's interfaces from /proc/PID/net, uts, ipc and cgroup answering needs-capability (CAP_SYS_ADMIN, chart
#      value details.privileged); then starts the image once more with SYS_ADMIN added (details.privileged=true)
#      and checks that every type is read;
#   5. measures image size and layers, startup-to-ready (from `podman run` to the first 200 of readiness), the JVM's
#      RSS after a few requests (VmRSS/VmHWM of the java process, read from the host's /proc), and whether the AOT
#      cache is used (the entrypoint with -XX:AOTMode=on, which fails if the cache is unusable, counting the classes
#      loaded from it), and, unless --no-compare, startup-to-ready with the image's entrypoint against the same with
#      -XX:AOTMode=off (STARTS times each), each start after a wait for quiet CPUs;
#   6. always cleans up (trap EXIT): stops and removes its containers, kills the processes and deletes the network
#      namespace and veth pair of 4b, unmounts what it mounted and deletes its work
#      directory; leaves the images (the cache) unless --clean, which removes them and prunes dangling images.
# Prints a summary and writes it to SUMMARY_FILE. Exits non-zero if a step or a check fails.
#
# Options:
#   --rebuild-bases   make the base images again even if they exist
#   --clean           at the end, remove localhost/nsscope:smoke, both bases and dangling (intermediate) images
#   --no-compare      skip the startup comparison with -XX:AOTMode=off
#   --keep-work       keep the work directory (the clone, the root filesystems) for inspection
#   --repo DIR        the git repository to clone (default: the one this script is in)
#   --ref REF         the commit, branch or tag to build (default: HEAD of --repo)
#
# Environment (defaults):
#   SUITE=bookworm                    Debian suite of both bases
#   MIRROR=                           Debian mirror; empty: the first one in the host's /etc/apt/sources.list(.d)
#   SECURITY_MIRROR=                  Debian security mirror; empty: the host's, if it has one ("none" for none)
#   RUNTIME_JDK=/usr/lib/jvm/temurin-25-jdk-amd64   the JDK whose jlink makes the runtime base's Java (its version
#                                     names the base: nsscope-runtime-base:SUITE-java25)
#   PORT=18081                        the published port, on 127.0.0.1 only
#   MEMORY=384m                       the container's memory limit (the chart's limits.memory); "" for none
#   READY_TIMEOUT=180                 seconds the container may take to become ready
#   BUILD_TIMEOUT=2400                seconds `podman build` may take
#   BASE_TIMEOUT=1800                 seconds making one base image may take
#   REQUESTS=20                       GET /namespaces made before the RSS is read
#   STARTS=3                          starts of each variant in the comparison
#   NS_TOLERANCE=3                    namespaces allowed to differ between nsscope and lsns (transient processes)
#   WORK_ROOT=/var/tmp                where the work directory is made (needs ~1.5 GiB while the bases are made)
#   SUMMARY_FILE=<repo>/target/image-smoke-summary.md
#   BENCH_MARKER=/tmp/nsscope-bench-running   while this file exists (a benchmark runs), heavy steps wait for it
#                                     to go (polled every 10 s, at most BENCH_WAIT_MAX s); "" for none
#   BENCH_WAIT_MAX=3600
#   QUIET_WAIT=120 QUIET_MAX_BUSY=20  before each measured start, wait up to QUIET_WAIT s for the CPUs to be at most
#                                     QUIET_MAX_BUSY % busy (the reading is in the summary: other load slows a start)
#   EXTRA_CA_DIR=/usr/local/share/ca-certificates   CA certificates the host added to its trust (*.crt), also trusted
#                                     by the build base (Java's cacerts too), so that the build stage reaches Maven
#                                     Central through the same TLS-inspecting proxy as the host, if there is one;
#                                     "" for none. Never in the runtime base nor in the image.
#   OCI_RUNTIME=                      podman's OCI runtime; empty: podman's default (crun), or runc on a hybrid cgroup
#                                     layout with controllers in its v2 hierarchy, which crun refuses
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
REF=HEAD
REBUILD_BASES=false
CLEAN=false
COMPARE=true
KEEP_WORK=false

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --rebuild-bases) REBUILD_BASES=true ;;
        --clean) CLEAN=true ;;
        --no-compare) COMPARE=false ;;
        --keep-work) KEEP_WORK=true ;;
        --repo) REPO=$(cd "${2:?--repo needs a directory}" && pwd); shift ;;
        --ref) REF=${2:?--ref needs a commit}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

SUITE=${SUITE:-bookworm}
RUNTIME_JDK=${RUNTIME_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
MIRROR=${MIRROR:-}
SECURITY_MIRROR=${SECURITY_MIRROR:-}
PORT=${PORT:-18081}
MEMORY=${MEMORY-384m}
READY_TIMEOUT=${READY_TIMEOUT:-180}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-2400}
BASE_TIMEOUT=${BASE_TIMEOUT:-1800}
REQUESTS=${REQUESTS:-20}
STARTS=${STARTS:-3}
NS_TOLERANCE=${NS_TOLERANCE:-3}
WORK_ROOT=${WORK_ROOT:-/var/tmp}
SUMMARY_FILE=${SUMMARY_FILE:-$REPO/target/image-smoke-summary.md}
BENCH_MARKER=${BENCH_MARKER-/tmp/nsscope-bench-running}
BENCH_WAIT_MAX=${BENCH_WAIT_MAX:-3600}
QUIET_WAIT=${QUIET_WAIT:-120}
QUIET_MAX_BUSY=${QUIET_MAX_BUSY:-20}
EXTRA_CA_DIR=${EXTRA_CA_DIR-/usr/local/share/ca-certificates}

BUILD_BASE=localhost/nsscope-build-base:$SUITE
[ -x "$RUNTIME_JDK/bin/jlink" ] || { echo "no jlink in RUNTIME_JDK=$RUNTIME_JDK" >&2; exit 1; }
RUNTIME_JAVA=$("$RUNTIME_JDK/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}')
RUNTIME_BASE=localhost/nsscope-runtime-base:$SUITE-java$RUNTIME_JAVA
IMAGE=localhost/nsscope:smoke
CTR=nsscope-smoke
CONTAINERS=("$CTR" "$CTR-cds" "$CTR-start" "$CTR-details")
DETAILS_RUN=$$
DETAILS_NETNS=nsscope-smoke-$DETAILS_RUN
DETAILS_VETH=nssmk$DETAILS_RUN
DETAILS_PGIDS=()   # process groups of 4b's namespaces (each started by setsid)
BASE_URL="http://127.0.0.1:$PORT"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
PATH_ENV=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
now_ms() { date +%s%3N; }

# --- preconditions -----------------------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "run as root (podman build/run of a host-PID container, debootstrap, mounts)"
missing=()
for tool in podman debootstrap git curl python3 lsns tar timeout findmnt unshare setsid ip ipcmk; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]} (apt-get install -y podman debootstrap git curl python3 util-linux iproute2)"
[ -r "$KEYRING" ] || die "no $KEYRING (apt-get install -y debian-archive-keyring)"
git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 || die "$REPO is not a git repository"
COMMIT=$(git -C "$REPO" rev-parse --verify "$REF^{commit}") || die "no commit $REF in $REPO"

# Two podman quirks of some hosts, worked around here:
# - crun refuses a hybrid cgroup layout whose unified (v2) hierarchy has controllers ("cgroups in hybrid mode not
#   supported"): runc is used there instead (OCI_RUNTIME=... to choose), through this run's own containers.conf;
# - without CAP_SYS_RESOURCE (a nested or sandboxed root), podman's default rlimits (nofile, nproc above the
#   host's) cannot be set: the containers get the host's hard limits instead, nproc at most kernel.pid_max (above
#   that, runc's prlimit is refused here too).
OCI_RUNTIME=${OCI_RUNTIME:-}
if [ -z "$OCI_RUNTIME" ] && [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] \
        && [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
    OCI_RUNTIME=runc
    command -v runc >/dev/null || die "crun cannot run containers on this hybrid cgroup layout: apt-get install -y runc"
fi
LIMITS=()
cap_eff=$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)
if (( (16#$cap_eff >> 24 & 1) == 0 )); then
    nofile=$(ulimit -Hn)
    nproc=$(ulimit -Hu)
    pid_max=$(cat /proc/sys/kernel/pid_max)
    if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ]; then nproc=$pid_max; fi
    [ "$nofile" != unlimited ] || nofile=1048576
    LIMITS=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
fi

WORK=$(mktemp -d "$WORK_ROOT/nsscope-image-smoke.XXXXXX")
if [ -n "$OCI_RUNTIME" ]; then
    # `podman build` takes its runtime from containers.conf only: this run's copy of it, with the runtime set.
    conf=/etc/containers/containers.conf
    [ -r "$conf" ] || conf=/usr/share/containers/containers.conf
    if [ -r "$conf" ]; then sed '/^[[:space:]]*runtime[[:space:]]*=/d' "$conf"; fi >"$WORK/containers.conf"
    if grep -q '^\[engine\]' "$WORK/containers.conf"; then
        sed -i "/^\[engine\]/a runtime = \"$OCI_RUNTIME\"" "$WORK/containers.conf"
    else
        printf '[engine]\nruntime = "%s"\n' "$OCI_RUNTIME" >>"$WORK/containers.conf"
    fi
    export CONTAINERS_CONF=$WORK/containers.conf
fi
MOUNTS=()   # mount points to unmount on exit, innermost last

cleanup() {
    local rc=$? c m i
    set +e
    trap - INT TERM
    [ "$rc" -eq 0 ] || log "exiting ($rc): cleaning up"
    for c in "${CONTAINERS[@]}"; do
        if podman container exists "$c" 2>/dev/null; then
            podman stop -t 5 "$c" >/dev/null 2>&1
            podman rm -f "$c" >/dev/null 2>&1
        fi
    done
    if declare -F remove_detail_namespaces >/dev/null; then remove_detail_namespaces; fi
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        m=${MOUNTS[i]}
        if findmnt -rn --mountpoint "$m" >/dev/null 2>&1; then
            umount "$m" 2>/dev/null || umount -l "$m"
        fi
    done
    if $CLEAN; then
        log "--clean: removing $IMAGE, $BUILD_BASE, $RUNTIME_BASE and dangling images"
        podman rmi -f "$IMAGE" "$BUILD_BASE" "$RUNTIME_BASE" >/dev/null 2>&1
        podman image prune -f >/dev/null 2>&1
    fi
    if $KEEP_WORK; then
        log "work directory kept: $WORK"
    else
        # Never delete through a mount that is still there.
        if findmnt -rn -o TARGET | grep -q "^$WORK/"; then
            log "mounts remain under $WORK: not deleting it"
        else
            rm -rf "$WORK"
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Heavy steps hold off while another job (the benchmark) says it is measuring.
wait_for_quiet() {
    [ -n "$BENCH_MARKER" ] || return 0
    local waited=0
    while [ -e "$BENCH_MARKER" ]; do
        [ "$waited" -eq 0 ] && log "$BENCH_MARKER exists (a benchmark runs): waiting before $1"
        [ "$waited" -ge "$BENCH_WAIT_MAX" ] && die "$BENCH_MARKER still there after ${BENCH_WAIT_MAX}s"
        sleep 10
        waited=$((waited + 10))
    done
    [ "$waited" -eq 0 ] || log "benchmark done after ${waited}s of waiting"
}

. "$HERE/lib/image-smoke-bases.sh"
. "$HERE/lib/image-smoke-run.sh"
. "$HERE/lib/image-smoke-steps.sh"

# =================================================================================================================
log "work directory $WORK"
for c in "${CONTAINERS[@]}"; do remove_container "$c"; done   # a killed earlier run's
if curl -s -o /dev/null --max-time 2 "$BASE_URL/"; then die "something already answers on 127.0.0.1:$PORT (PORT=...)"; fi

if [ -z "$MIRROR" ] || [ -z "$SECURITY_MIRROR" ]; then
    read -r host_main host_sec < <(host_mirrors)
    MIRROR=${MIRROR:-$host_main}
    [ -n "$SECURITY_MIRROR" ] || { [ "$host_sec" = - ] && SECURITY_MIRROR=none || SECURITY_MIRROR=$host_sec; }
fi
[ "$MIRROR" != - ] || die "no Debian mirror found in /etc/apt/sources.list(.d): set MIRROR"
log "Debian mirror: $MIRROR (security: $SECURITY_MIRROR)"

make_base "$BUILD_BASE" "nsscope smoke test: Debian $SUITE minbase + openjdk-17-jdk-headless" true \
    openjdk-17-jdk-headless
make_base "$RUNTIME_BASE" "nsscope smoke test: Debian $SUITE minbase + Java $RUNTIME_JAVA (jlink of $RUNTIME_JDK)" \
    false "jlink:$RUNTIME_JDK"
if [ -n "$MINBASE" ]; then rm -rf "$MINBASE"; fi

# --- 2. the image (scripts/lib/image-smoke-steps.sh) ---------------------------------------------------------
build_image

# --- 3./4. run and check -----------------------------------------------------------------------------------------
wait_for_quiet "running the container"
wait_cpu_quiet
busy_main=$BUSY
log "podman run $CTR (host PID namespace, host /proc at /host/proc, 127.0.0.1:$PORT); CPUs ${busy_main}% busy before"
start=$(now_ms)
run_container "$CTR"
wait_ready "$CTR" "$start"
ready_ms=$READY_MS
log "ready ${ready_ms} ms after podman run"
started_line=$(podman logs "$CTR" 2>&1 | grep -o 'Started [A-Za-z]* in [0-9.]* seconds[^)]*)' | head -n 1 || true)
java_pid=$(podman inspect --format '{{.State.Pid}}' "$CTR")
[ "$(cat "/proc/$java_pid/comm" 2>/dev/null)" = java ] \
    || java_pid=$(pgrep -P "$java_pid" -x java | head -n 1) || die "no java process in $CTR"

get "/namespaces?refresh=true" "$WORK/namespaces.json"
lsns -J -l >"$WORK/lsns.json"
for m in mnt uts ipc net cgroup; do readlink "/proc/$java_pid/ns/$m"; done >"$WORK/own-ns.txt"
readlink /proc/2/ns/mnt >"$WORK/kthreadd-ns.txt" 2>/dev/null || true
get "/processes/2/ns" "$WORK/kthreadd.json"
ns_report=$(python3 - "$WORK" "$NS_TOLERANCE" <<'EOF'
import json, re, sys
work, tolerance = sys.argv[1], int(sys.argv[2])
ours = json.load(open(f'{work}/namespaces.json'))['namespaces']
theirs = json.load(open(f'{work}/lsns.json'))['namespaces']
a = {int(n['ns']): n for n in ours}
b = {int(n['ns']): n for n in theirs}
only_ours, only_lsns = sorted(set(a) - set(b)), sorted(set(b) - set(a))
problems = []
if len(only_ours) + len(only_lsns) > tolerance:
    problems.append(f'{len(only_ours)} only in nsscope {only_ours}, {len(only_lsns)} only in lsns {only_lsns}')
own = [int(re.search(r'\[(\d+)\]', l).group(1)) for l in open(f'{work}/own-ns.txt') if l.strip()]
missing_own = [n for n in own if n not in a]
if missing_own:
    problems.append(f"the container's own namespaces missing: {missing_own}")
k = json.load(open(f'{work}/kthreadd.json'))
if 'kthreadd' not in json.dumps(k):
    problems.append('GET /processes/2/ns does not name kthreadd')
host_mnt = [int(re.search(r'\[(\d+)\]', l).group(1)) for l in open(f'{work}/kthreadd-ns.txt') if l.strip()]
if host_mnt and host_mnt[0] not in a:
    problems.append(f"kthreadd's mnt namespace {host_mnt[0]} not listed")
same_rows = sum(1 for n, row in a.items() if n in b and row.get('type') == b[n].get('type')
                and row.get('nprocs') == b[n].get('nprocs'))
same_user = sum(1 for n, row in a.items() if n in b and row.get('user') == b[n].get('user'))
print(f'nsscope {len(a)} namespaces, lsns {len(b)}; {len(set(a) & set(b))} in both '
      f'({same_rows} with the same type and NPROCS, {same_user} with the same USER); only nsscope: {only_ours or "none"}, '
      f'only lsns: {only_lsns or "none"}; the container\'s own {len(own)} listed: {not missing_own}; '
      f'PID 2 kthreadd visible: {"kthreadd" in json.dumps(k)}')
for p in problems:
    print('PROBLEM: ' + p)
EOF
)
log "namespaces: $ns_report"
if grep -q '^PROBLEM' <<<"$ns_report"; then die "GET /namespaces does not show the host's namespaces"; fi

get /actuator/prometheus "$WORK/prometheus.txt"
nsscope_series=$(grep -c '^nsscope_' "$WORK/prometheus.txt" || true)
[ "$nsscope_series" -gt 0 ] || die "GET /actuator/prometheus has no nsscope_ series"
log "prometheus: $nsscope_series nsscope_ series, $(grep -c -v '^#' "$WORK/prometheus.txt") in all"

for ((i = 0; i < REQUESTS; i++)); do get /namespaces "$WORK/n.json"; done
for ((i = 0; i < 5; i++)); do get /actuator/prometheus "$WORK/p.txt"; done
status_mib() { awk -v k="$1:" '$1 == k { printf "%d", $2 / 1024 }' "/proc/$java_pid/status"; }
rss_mib=$(status_mib VmRSS)
hwm_mib=$(status_mib VmHWM)
anon_mib=$(status_mib RssAnon)
file_mib=$(status_mib RssFile)
log "java (host PID $java_pid): VmRSS ${rss_mib} MiB, VmHWM ${hwm_mib} MiB (anon ${anon_mib}, file ${file_mib})"
cgroup_usage=$(podman stats --no-stream --format '{{.MemUsage}}' "$CTR" 2>/dev/null || echo n/a)
make_detail_namespaces
details_chart=$(check_details chart)
log "$details_chart"
if grep -q '^PROBLEM' <<<"$details_chart"; then die "the details under the chart's capabilities are not as promised"; fi
# A graceful stop (SIGTERM, as the kubelet sends), and what the service logged at WARN or above meanwhile.
stop_start=$(now_ms)
podman stop -t 30 "$CTR" >/dev/null
stop_ms=$(($(now_ms) - stop_start))
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$CTR")
podman logs "$CTR" >"$WORK/container.log" 2>&1 || true
warnings=$(grep -E '^[0-9][^ ]* +(WARN|ERROR) ' "$WORK/container.log" | sed -E 's/^[^ ]+ +//' | cut -c1-160 || true)
warning_count=$(grep -c . <<<"$warnings" || true)
warnings_block=
fence='```'
[ -z "$warnings" ] || warnings_block=$(printf '\n  %s\n%s\n  %s' "$fence" "$(head -n 10 <<<"$warnings" | sed 's/^/  /')" "$fence")
log "stopped in ${stop_ms} ms (exit code $exit_code); $warning_count WARN/ERROR lines in its log"
remove_container "$CTR"
# details.privileged=true: the same container with SYS_ADMIN added.
log "podman run $CTR-details with SYS_ADMIN added (details.privileged=true)"
run_container "$CTR-details" --cap-add=SYS_ADMIN
wait_ready "$CTR-details" "$(now_ms)"
details_privileged=$(check_details privileged)
log "$details_privileged"
remove_container "$CTR-details"
remove_detail_namespaces
if grep -q '^PROBLEM' <<<"$details_privileged"; then die "the details with SYS_ADMIN are not all read"; fi

# --- 5. AOT cache (scripts/lib/image-smoke-steps.sh) ---------------------------------------------------------
check_aot_cache

# --- summary -----------------------------------------------------------------------------------------------------
mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }
jsa_text=missing
[ "$jsa_size" = none ] || jsa_text=$(mib "$jsa_size")
summary=$(cat <<EOF
### Image smoke test, $(date -u +%Y-%m-%dT%H:%MZ)

- commit: $COMMIT ($VERSION), built in ${build_s}s on $(podman --version)${OCI_RUNTIME:+ with $OCI_RUNTIME}, $(nproc) cores
- bases: $BUILD_BASE, $RUNTIME_BASE (Debian $SUITE minbase from the host's mirror)
- image $IMAGE: $(mib "$image_size") in $image_layers layers (runtime base: $(mib "$runtime_size"); nsscope.aot: $jsa_text)
- startup-to-ready (podman run to first 200 of /actuator/health/readiness): ${ready_ms} ms${started_line:+ (app log: $started_line)}; CPUs ${busy_main}% busy before
- namespaces: $ns_report
- prometheus: $nsscope_series nsscope_ series
- $(head -n 1 <<<"$details_chart") (the chart's SYS_PTRACE and DAC_READ_SEARCH)
- $(head -n 1 <<<"$details_privileged") (with SYS_ADMIN: details.privileged=true)
- RSS of the java process after $REQUESTS GET /namespaces and 5 scrapes: VmRSS ${rss_mib} MiB, VmHWM ${hwm_mib} MiB (RssAnon ${anon_mib}, RssFile ${file_mib}); container memory (podman stats): $cgroup_usage; limit: ${MEMORY:-none}
- stop (SIGTERM, podman stop -t 30): ${stop_ms} ms, exit code $exit_code; WARN/ERROR lines logged: $warning_count$warnings_block
- AOT cache: $cds_verdict
- startup comparison: $compare_line

Layers (podman history):

\`\`\`
$history
\`\`\`
EOF
)
mkdir -p "$(dirname "$SUMMARY_FILE")"
printf '%s\n' "$summary" >"$SUMMARY_FILE"
printf '\n%s\n\n' "$summary"
log "summary written to $SUMMARY_FILE"
log "PASS"
