#!/usr/bin/env python3
"""Helper of scripts/benchmark.sh: who used the CPUs during a phase of the benchmark.

  cpu_account.py snapshot OUT.json OURS_TICKS        the host's CPU ticks (/proc/stat) and every live process's
                                                     (/proc/PID/stat: utime + stime), with OURS_TICKS: the CPU of
                                                     the benchmark script and its reaped children (bash `times`)
  cpu_account.py diff START.json END.json SERVICE_PID OURS_PIDS
                                                     one line: OTHER_PCT KERNEL_PCT STEAL_PCT HOST_BUSY_PCT TOP

Over the phase, in % of all the CPUs' time: OTHER_PCT is what neither the service, nor the benchmark and its
tools (wrk, hyperfine and lsns, curl, python; OURS_PIDS, comma-separated, are the live ones), nor the kernel
used: another job on the host (a build, tests, an image build). KERNEL_PCT is kernel threads (kworkers,
ksoftirqd, kdamond...): mostly work the benchmark itself causes (loopback traffic, memory churn), reported
apart. STEAL_PCT is time the hypervisor gave to other guests. Interrupt time is not subtracted: with tick-based
CPU accounting the kernel charges it to the task it interrupted as well (with CONFIG_IRQ_TIME_ACCOUNTING it would
land in OTHER_PCT: an overestimate, which flags a phase rather than hiding a foreign job). Per-process times are
sampled at each tick, so OTHER_PCT is good to a few ticks: a percent or two of a short phase. TOP names the busiest other live
processes ("comm:pid=ms", up to 3, "-" if none used 10 ms); a foreign process that started and ended within the
phase is counted in OTHER_PCT, but not named.
"""
import json
import os
import sys


def host_ticks():
    """busy, total, irq + softirq, steal: clock ticks of all CPUs since boot."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: busy excludes idle and iowait
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
    return busy, busy + v[3] + v[4], v[5] + v[6], v[7]


def processes():
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                line = f.read()
        except OSError:
            continue
        comm = line[line.index("(") + 1:line.rindex(")")]
        fields = line[line.rindex(")") + 2:].split()  # from field 3 (state) on
        ppid, utime, stime, start = int(fields[1]), int(fields[11]), int(fields[12]), int(fields[19])
        procs[entry] = [comm, ppid, utime + stime, start]
    return procs


def snapshot(out, ours):
    busy, total, irq, steal = host_ticks()
    data = {"busy": busy, "total": total, "irq": irq, "steal": steal, "ours": int(ours), "procs": processes()}
    with open(out, "w") as f:
        json.dump(data, f)


def diff(start_path, end_path, service_pid, ours_pids):
    with open(start_path) as f:
        a = json.load(f)
    with open(end_path) as f:
        b = json.load(f)
    total = max(1, b["total"] - a["total"])
    busy = b["busy"] - a["busy"]
    ours = b["ours"] - a["ours"]
    steal = b["steal"] - a["steal"]
    mine = set(p for p in ours_pids.split(",") if p) | {str(os.getpid()), str(os.getppid())}
    service = kthreads = 0
    others = []
    for pid, (comm, ppid, ticks, start) in b["procs"].items():
        before = a["procs"].get(pid)
        # A process started during the phase (or a PID reused meanwhile): all of its time. (Not the name: a
        # kworker's changes with its work.)
        used = ticks - before[2] if before and before[3] == start else ticks
        if pid == service_pid:
            service = used
        elif pid == "2" or ppid == 2:
            kthreads += used
        elif pid not in mine and str(ppid) not in mine and used > 0:
            others.append((used, comm, pid))
    # Steal is not CPU this guest used.
    other = max(0, busy - steal - service - ours - kthreads)
    tck = os.sysconf("SC_CLK_TCK")
    others.sort(reverse=True)
    top = ",".join(f"{comm.replace(' ', '_')}:{pid}={used * 1000 // tck}" for used, comm, pid in others[:3]
                   if used * 1000 // tck >= 10)
    print(f"{100 * other / total:.1f} {100 * kthreads / total:.1f} {100 * steal / total:.1f} "
          f"{100 * busy / total:.1f} {top or '-'}")


def main(argv):
    if len(argv) == 3 and argv[0] == "snapshot":
        snapshot(argv[1], argv[2])
    elif len(argv) == 5 and argv[0] == "diff":
        diff(argv[1], argv[2], argv[3], argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
