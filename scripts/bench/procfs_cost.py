#!/usr/bin/env python3
"""Where a scan's time goes: the cost of each kind of procfs access, over every process of the host.

Reads, single-threaded, what nsscope's Scanner reads per process (stat, cmdline, the owner of /proc/PID, the 10
links of /proc/PID/ns/, and status -- since commit 898dc65 only for processes outside the procfs's own PID
namespace, whose NSpid it cannot infer) and what `lsns` reads (stat, and a stat() of each of the 8 namespace
files), timing each kind separately. Prints JSON: milliseconds per kind over all processes,
best of ROUNDS rounds. This is a floor for a single thread (Python adds ~1 us per call, the JVM its own), not a
measurement of nsscope itself.

usage: procfs_cost.py [ROOT=/proc] [ROUNDS=3]
"""
import json
import os
import sys
import time

ROOT = sys.argv[1] if len(sys.argv) > 1 else "/proc"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
NS_LINKS = ["cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts"]
NS_TYPES = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"]


def read(path):
    with open(path, "rb", buffering=0) as f:
        chunks = []
        while True:
            b = f.read(4096)
            if not b:
                return b"".join(chunks)
            chunks.append(b)


def timed(fn, pids):
    start = time.perf_counter()
    for pid in pids:
        try:
            fn(pid)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return (time.perf_counter() - start) * 1e3


def ns_readlinks(pid):
    base = f"{ROOT}/{pid}/ns/"
    for link in NS_LINKS:
        try:
            os.readlink(base + link)
        except FileNotFoundError:
            pass


def ns_stats(pid):
    base = f"{ROOT}/{pid}/ns/"
    for t in NS_TYPES:
        try:
            os.stat(base + t)
        except FileNotFoundError:
            pass


KINDS = {
    "stat": lambda pid: read(f"{ROOT}/{pid}/stat"),
    "cmdline": lambda pid: read(f"{ROOT}/{pid}/cmdline"),
    "status": lambda pid: read(f"{ROOT}/{pid}/status"),
    "owner (stat of /proc/PID)": lambda pid: os.lstat(f"{ROOT}/{pid}"),
    "ns: 10 readlinks (nsscope)": ns_readlinks,
    "ns: 8 stat() (lsns)": ns_stats,
}


def other_pid_ns(pids):
    """The PIDs in another PID namespace than the procfs's (that of PID 2, kthreadd, which is always in it)."""
    try:
        own = os.readlink(f"{ROOT}/2/ns/pid")
    except OSError:
        return pids
    others = []
    for pid in pids:
        try:
            if os.readlink(f"{ROOT}/{pid}/ns/pid") != own:
                others.append(pid)
        except OSError:
            pass
    return others


def main():
    best = {}
    pids = []
    others = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        pids = sorted(int(e) for e in os.listdir(ROOT) if e.isdigit())
        listing = (time.perf_counter() - start) * 1e3
        best["listdir"] = min(best.get("listdir", listing), listing)
        for kind, fn in KINDS.items():
            ms = timed(fn, pids)
            best[kind] = min(best.get(kind, ms), ms)
        others = other_pid_ns(pids)
        ms = timed(KINDS["status"], others)
        best["status, other PID namespaces only"] = min(best.get("status, other PID namespaces only", ms), ms)
    nsscope = ["listdir", "stat", "cmdline", "status, other PID namespaces only", "owner (stat of /proc/PID)",
               "ns: 10 readlinks (nsscope)"]
    lsns = ["listdir", "stat", "ns: 8 stat() (lsns)"]
    print(json.dumps({
        "processes": len(pids),
        "other_pid_ns": len(others),
        "rounds": ROUNDS,
        "ms": {k: round(v, 1) for k, v in best.items()},
        "nsscope_reads_ms": round(sum(best[k] for k in nsscope), 1),
        "lsns_reads_ms": round(sum(best[k] for k in lsns), 1),
    }))


if __name__ == "__main__":
    main()
