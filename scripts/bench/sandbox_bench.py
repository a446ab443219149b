#!/usr/bin/env python3
"""Sandbox creation latency over HTTP against the wall time of the equivalent unshare(1), in one run.

Usage: sandbox_bench.py PORT TOKEN RUNS WARMUP
Prints a markdown table. All traffic goes to 127.0.0.1.
"""
import http.client
import json
import statistics
import subprocess
import sys
import time

PORT, TOKEN, RUNS, WARMUP = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
SEVEN = ["pid", "mnt", "net", "uts", "ipc", "cgroup", "time"]
UNSHARE = ["unshare", "-p", "-f", "-n", "-u", "-i", "-m", "-C", "-T", "--mount-proc", "/bin/true"]

conn = http.client.HTTPConnection("127.0.0.1", PORT)
headers = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}


def request(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    h = dict(headers)
    if data is not None:
        h["Content-Length"] = str(len(data))
    start = time.perf_counter()
    conn.request(method, path, body=data, headers=h)
    response = conn.getresponse()
    payload = response.read()
    return time.perf_counter() - start, response.status, payload


def sandbox_once(body):
    took, status, payload = request("POST", "/sandboxes", body)
    if status != 201:
        raise SystemExit("POST /sandboxes answered %d: %s" % (status, payload[:500]))
    sandbox_id = json.loads(payload)["id"]
    deleted, status, _ = request("DELETE", "/sandboxes/" + sandbox_id)
    if status != 204:
        raise SystemExit("DELETE answered %d" % status)
    return took, deleted


def unshare_once():
    start = time.perf_counter()
    subprocess.run(UNSHARE, check=True)
    return time.perf_counter() - start


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(seconds):
    return "%.2f" % (seconds * 1000)


variants = [
    ("7 types (pid mnt net uts ipc cgroup time), mountProc", {"namespaces": SEVEN, "command": ["/bin/sleep", "60"]}),
    ("all 8, user mapping none", {"namespaces": SEVEN + ["user"], "command": ["/bin/sleep", "60"]}),
    ("all 8, user mapping root", {"namespaces": SEVEN + ["user"], "command": ["/bin/sleep", "60"],
                                  "user": {"mapping": "root"}}),
]

for _ in range(WARMUP):
    for _, body in variants:
        sandbox_once(body)
    unshare_once()

results = {name: ([], []) for name, _ in variants}
unshare = []
for _ in range(RUNS):  # interleaved, so that the variants share the noise
    unshare.append(unshare_once())
    for name, body in variants:
        created, deleted = sandbox_once(body)
        results[name][0].append(created)
        results[name][1].append(deleted)

base = statistics.median(unshare)
print("| what | p50 ms | p99 ms | p50 / unshare p50 | DELETE p50 ms | DELETE p99 ms |")
print("|---|---|---|---|---|---|")
print("| `%s` (wall time, fork+exec from Python included) | %s | %s | 1.00 | | |"
      % (" ".join(UNSHARE), ms(base), ms(pct(unshare, 99))))
for name, (created, deleted) in results.items():
    print("| POST /sandboxes: %s | %s | %s | %.2f | %s | %s |" % (
        name, ms(statistics.median(created)), ms(pct(created, 99)), statistics.median(created) / base,
        ms(statistics.median(deleted)), ms(pct(deleted, 99))))
print()
print("runs: %d measured per row after %d warm-up rounds, interleaved" % (RUNS, WARMUP))
