#!/usr/bin/env python3
"""The raw data of one run of scripts/benchmark.sh, read and summed up for report.py (which renders it): scans,
`lsns -J` times, load outputs, scrapes, counts against lsns, and the targets the verdicts use.
"""

import http.client
import json
import os
import re
import statistics
import subprocess
import threading
import time
from urllib.parse import urlparse

from lsns242 import flatten

SCAN_RATIO_MAX = 1 / 3
LATENCY_SPEEDUP_MIN = 100
THROUGHPUT_MIN = 2000
HOST_NS_MAX_INODE = 4026531839  # the initial namespaces' inodes (4026531832..4026531839 on every Linux)


def median(values):
    return statistics.median(values) if values else float("nan")


def read_env(path):
    env = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    env[k] = v
    return env


def load_json(path):
    with open(path) as f:
        return json.load(f)


# --- full scans ---------------------------------------------------------------------------------------------------
def scans(work, tag):
    """The measured refresh scans of TAG: durationMs, sequence, processes, namespaces, HTTP round-trip ms."""
    rows = []
    with open(os.path.join(work, f"{tag}.scans")) as f:
        http_ms = [float(line) * 1000 for line in f if line.strip()]
    for i, ms in enumerate(http_ms, start=1):
        body = load_json(os.path.join(work, f"{tag}.scan.{i}.json"))
        snap = body["snapshot"]
        rows.append({"durationMs": snap["durationMs"], "sequence": snap["sequence"], "processes": snap["processes"],
                     "namespaces": len(body["namespaces"]), "http_ms": ms})
    return rows


def cpu_per_scan(work, tag, rows):
    """CPU (user, sys ms) the service spent per scan over the measured window, background scans included."""
    env = read_env(os.path.join(work, "meta.env"))
    tck = float(env.get("clk_tck", "100"))
    path = os.path.join(work, f"{tag}.cpu")
    if not os.path.exists(path) or not rows:
        return None
    values = read_env(path)
    b = values["before"].split()
    a = values["after"].split()
    user = (int(a[0]) - int(b[0])) * 1000 / tck
    system = (int(a[1]) - int(b[1])) * 1000 / tck
    # Scans in the window: from the one after the last warm-up scan to the last measured one.
    warm = scans(work, f"{tag}-warmup")
    first = warm[-1]["sequence"] if warm else rows[0]["sequence"] - 1
    n = rows[-1]["sequence"] - first
    if n <= 0:
        return None
    return {"user": user / n, "sys": system / n, "scans": n, "requests": len(rows)}


def scan_summary(work, tag):
    rows = scans(work, tag)
    d = [r["durationMs"] for r in rows]
    cpu = cpu_per_scan(work, tag, rows)
    s = f"median {median(d):.1f} ms (min {min(d):.1f}, max {max(d):.1f}) over {len(d)}"
    if cpu:
        s += f"; CPU/scan {cpu['user']:.0f} ms user + {cpu['sys']:.0f} ms sys"
    return s


# --- lsns timing --------------------------------------------------------------------------------------------------
def lsns_times(work):
    """{command: {"median", "min", "max", "user", "system", "runs"}} in ms, from hyperfine's JSON (or ours)."""
    data = load_json(os.path.join(work, "lsns.hyperfine.json"))
    out = {}
    for r in data["results"]:
        times = [t * 1000 for t in r["times"]]
        out[r["command"]] = {"median": median(times), "min": min(times), "max": max(times),
                             "user": r.get("user", float("nan")) * 1000,
                             "system": r.get("system", float("nan")) * 1000, "runs": len(times)}
    return out


def time_command(out, warmup, runs, commands):
    results = []
    for command in commands:
        argv = command.split()
        times, user, system = [], [], []
        for i in range(warmup + runs):
            before = os.times()
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            elapsed = time.perf_counter() - start
            after = os.times()
            if i >= warmup:
                times.append(elapsed)
                user.append(after.children_user - before.children_user)
                system.append(after.children_system - before.children_system)
        results.append({"command": command, "times": times, "median": median(times),
                        "user": statistics.mean(user), "system": statistics.mean(system)})
    with open(out, "w") as f:
        json.dump({"results": results, "tool": "python loop"}, f)


# --- HTTP load ----------------------------------------------------------------------------------------------------
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")


def parse_load(path):
    """p50, p99 (ms), requests/s, requests, errors from wrk --latency output (or our fallback's JSON)."""
    with open(path) as f:
        text = f.read()
    if text.lstrip().startswith("{"):
        return json.loads(text)
    result = {"tool": "wrk"}
    for pct, key in (("50", "p50"), ("75", "p75"), ("90", "p90"), ("99", "p99")):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        result[key] = to_ms(m.group(1)) if m else float("nan")
    m = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
    result["rps"] = float(m.group(1)) if m else float("nan")
    m = re.search(r"(\d+) requests in ([0-9.]+\w+), ([0-9.]+\w+) read", text)
    result["requests"] = int(m.group(1)) if m else 0
    result["read"] = m.group(3) if m else "?"
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(g) for g in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    result["errors"] = errors
    return result


def scrape_scans(work, tag):
    """Scans counted (nsscope_scans_total) over TAG's scrape phase, and at most how many the background interval
    explains: {"scans", "window_s", "expected_max"}; None if not measured."""
    path = os.path.join(work, f"{tag}.scans")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        points = [tuple(float(x) for x in line.split()) for line in f if line.strip()]
    if len(points) < 2:
        return None
    env = read_env(os.path.join(work, "meta.env"))
    interval = float(env.get("scan_interval_s", "2"))
    (t0, n0), (t1, n1) = points[0], points[-1]
    window = t1 - t0
    # Background scans run at a fixed delay of `interval` after the previous one ends: at most one per interval,
    # plus one already due at the start of the window.
    return {"scans": int(n1 - n0), "window_s": window, "expected_max": int(window // interval) + 1}


def load(url, connections, duration):
    """A crude closed-loop load generator (threads, keep-alive): only for when wrk is missing. The GIL caps it."""
    u = urlparse(url)
    seconds = to_ms(duration) / 1000
    deadline = time.perf_counter() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        mine = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", u.path + ("?" + u.query if u.query else ""))
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors[0] += 1
            except Exception:  # noqa: BLE001 - count and reconnect
                errors[0] += 1
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
                continue
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(int(connections))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")

    print(json.dumps({"tool": "python fallback", "p50": pct(0.50), "p75": pct(0.75), "p90": pct(0.90),
                      "p99": pct(0.99), "rps": len(latencies) / elapsed, "requests": len(latencies),
                      "errors": errors[0], "read": "?"}))


# --- counts: lsns vs nsscope --------------------------------------------------------------------------------------


def denied_pids(root="/proc", limit=5):
    """PIDs whose namespace links root may not read (a VM's or a sandbox's init, for one)."""
    denied = []
    for entry in sorted((e for e in os.listdir(root) if e.isdigit()), key=int):
        try:
            os.readlink(f"{root}/{entry}/ns/pid")
        except PermissionError:
            denied.append(int(entry))
            if len(denied) >= limit:
                break
        except OSError:
            pass
    return denied


def compare_counts(work):
    lsns = list(flatten(load_json(os.path.join(work, "counts.lsns.json"))["namespaces"]))
    ours_body = load_json(os.path.join(work, "counts.nsscope.json"))
    ours = ours_body["namespaces"]
    with open(os.path.join(work, "counts.proc")) as f:
        proc_entries = int(f.read().strip() or 0)
    types = sorted({n["type"] for n in lsns} | {n["type"] for n in ours})
    by_type = {t: (sum(1 for n in lsns if n["type"] == t), sum(1 for n in ours if n["type"] == t)) for t in types}
    lk = {(n["ns"], n["type"]): n for n in lsns}
    ok = {(n["ns"], n["type"]): n for n in ours}
    only_lsns = sorted(set(lk) - set(ok))
    only_ours = sorted(set(ok) - set(lk))
    both = sorted(set(lk) & set(ok))
    nprocs_diff = [(k, lk[k]["nprocs"], ok[k]["nprocs"]) for k in both if lk[k]["nprocs"] != ok[k]["nprocs"]]
    pid_diff = [(k, lk[k]["pid"], ok[k]["pid"]) for k in both if lk[k]["pid"] != ok[k]["pid"]]
    cmd_diff = [(k, lk[k].get("command"), ok[k].get("command")) for k in both
                if lk[k].get("command") != ok[k].get("command")]
    user_diff = [(k, lk[k].get("user"), ok[k].get("user")) for k in both if lk[k].get("user") != ok[k].get("user")]
    lsns_procs = sum(n["nprocs"] for n in lsns if n["type"] == "pid")
    ours_pid_sum = sum(n["nprocs"] for n in ours if n["type"] == "pid")
    return {"lsns_namespaces": len(lsns), "ours_namespaces": len(ours), "by_type": by_type,
            "lsns_procs": lsns_procs, "ours_procs": ours_body["snapshot"]["processes"], "ours_pid_sum": ours_pid_sum,
            "ours_unreadable": ours_body["snapshot"]["unreadable"], "ours_vanished": ours_body["snapshot"]["vanished"],
            "proc_entries": proc_entries, "only_lsns": only_lsns, "only_ours": only_ours,
            "nprocs_diff": nprocs_diff, "pid_diff": pid_diff, "cmd_diff": cmd_diff, "user_diff": user_diff}


# --- the markdown block -------------------------------------------------------------------------------------------
def fmt_ms(v):
    if v != v:  # NaN
        return "n/a"
    if v < 1:
        return f"{v:.3f} ms"
    if v < 10:
        return f"{v:.2f} ms"
    return f"{v:.1f} ms" if v < 1000 else f"{v:,.0f} ms"


def phase_loads(env):
    """{phase: {"other", "kernel", "steal", "busy" (% of all CPUs), "jvms", "top"}} from meta.env's phase_NAME
    lines (scripts/bench/cpu_account.py)."""
    out = {}
    for k, v in env.items():
        if k.startswith("phase_"):
            f = v.split(maxsplit=5)
            if len(f) == 3:  # the first runs of 2026-11-29 (kernel threads counted as other; no steal)
                f = [f[0], "nan", "nan", f[1], f[2], "-"]
            o, kernel, steal, busy, j, top = f
            out[k[len("phase_"):]] = {"other": float(o), "kernel": float(kernel), "steal": float(steal),
                                      "busy": float(busy), "jvms": int(j), "top": top}
    return out


def pct(v):
    return "n/a" if v != v else f"{v:.1f}%"


def noisy_phases(env):
    limit = float(env.get("other_cpu_max", "10"))
    return [name for name, p in phase_loads(env).items() if p["other"] > limit or p["jvms"]]


def rss_of(work, name):
    return read_env_colon(os.path.join(work, name))


def scrape_results(work):
    """The two scrape phases: {"idle": load, "load": load, "api": load, "scans_idle", "scans_load", "size"}."""
    paths = {k: os.path.join(work, f) for k, f in (("idle", "wrk.scrape_idle.txt"), ("load", "wrk.scrape_load.txt"),
                                                   ("api", "wrk.scrape_load.api.txt"))}
    if not all(os.path.exists(p) for p in paths.values()):
        return None
    out = {k: parse_load(p) for k, p in paths.items()}
    out["scans_idle"] = scrape_scans(work, "scrape_idle")
    out["scans_load"] = scrape_scans(work, "scrape_load")
    out["size"] = read_env(os.path.join(work, "scrape.size")).get("size_bytes", "?")
    return out


def requests_by_uri(work):
    """{uri: count} of http_server_requests_seconds_count in the last scrape of the run (what a dashboard sees)."""
    path = os.path.join(work, "scrape.last.txt")
    counts = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                m = re.match(r'http_server_requests_seconds_count\{(.*)\} (\S+)$', line)
                if m:
                    uri = re.search(r'uri="([^"]*)"', m.group(1))
                    key = uri.group(1) if uri else "?"
                    counts[key] = counts.get(key, 0) + float(m.group(2))
    return counts


def no_scan_per_scrape(scr):
    """True if no scrape phase counted more scans than the background interval explains."""
    return all(s is not None and s["scans"] <= s["expected_max"] for s in (scr["scans_idle"], scr["scans_load"]))


def verdict(ok):
    return "**met**" if ok else "**MISSED**"
