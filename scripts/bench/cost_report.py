#!/usr/bin/env python3
"""Helper of scripts/cost-bench.sh.

  cost_report.py chart-limit VALUES_YAML        the chart's resources.limits.memory as a JVM size (384Mi -> 384m)
  cost_report.py dockerfile DOCKERFILE OUTDIR   the image's settings, one file each in OUTDIR: JAVA_TOOL_OPTIONS and
                                                MALLOC_ARENA_MAX (the ENV values), train (the java command of the RUN
                                                that has -XX:AOTCacheOutput: the training script, then its java
                                                command) and entrypoint, NUL-separated arguments; copies (what the
                                                runtime stage copies from the build context: source, destination,
                                                NUL-separated pairs)
  cost_report.py report WORK OUT_JSON           the markdown block of a run (stdout) and its raw figures (OUT_JSON)
"""
import glob
import json
import os
import re
import shlex
import statistics
import sys

from lsns242 import flatten
from run_data import read_env


# --- the image's settings -----------------------------------------------------------------------------------------
def dockerfile_instructions(path):
    """(INSTRUCTION, text) of each instruction, continuation lines joined, comments dropped."""
    out, current = [], ""
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not current and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if current and line.lstrip().startswith("#"):
                continue
            if line.endswith("\\"):
                current += line[:-1] + " "
                continue
            current += line
            word, _, rest = current.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            current = ""
    return out


def env_values(text):
    """The KEY=VALUE pairs of an ENV instruction (values may be double-quoted)."""
    return dict(token.split("=", 1) for token in shlex.split(text))


def image_settings(path):
    env, train, entry, copies = {}, None, None, []
    for word, text in dockerfile_instructions(path):
        if word == "FROM":
            env, copies = {}, []  # only the last stage's
        elif word == "COPY" and not text.startswith("--"):
            copies.append(shlex.split(text))
        elif word == "ENV":
            env.update(env_values(text))
        elif word == "RUN" and "-XX:AOTCacheOutput" in text:
            train = json.loads(text) if text.startswith("[") else shlex.split(text)
        elif word == "ENTRYPOINT":
            entry = json.loads(text)
    if train is None or entry is None:
        raise SystemExit(f"{path}: no training RUN (-XX:AOTCacheOutput) or no ENTRYPOINT")
    return env, train, entry, copies


def dockerfile(path, outdir):
    env, train, entry, copies = image_settings(path)
    os.makedirs(outdir, exist_ok=True)
    for key in ("JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX"):
        with open(os.path.join(outdir, key), "w") as f:
            f.write(env.get(key, ""))
    if any(len(c) != 2 for c in copies):
        raise SystemExit(f"{path}: a COPY of the runtime stage with other than one source and one destination")
    for name, argv in (("train", train), ("entrypoint", entry), ("copies", [a for c in copies for a in c])):
        with open(os.path.join(outdir, name), "w") as f:
            f.write("".join(a + "\0" for a in argv))


def chart_limit(values):
    text = open(values).read()
    m = re.search(r"^resources:\n(?:[ ]+.*\n)*?[ ]+limits:\n(?:[ ]+.*\n)*?[ ]+memory:[ ]*(\S+)", text, re.M)
    if not m:
        raise SystemExit(f"{values}: no resources.limits.memory")
    v = m.group(1).strip("\"'")
    unit = {"Ki": "k", "Mi": "m", "Gi": "g"}
    for suffix, jvm in unit.items():
        if v.endswith(suffix):
            return v[: -len(suffix)] + jvm
    raise SystemExit(f"{values}: limits.memory {v}: give it in Ki, Mi or Gi")


# --- reading a run ------------------------------------------------------------------------------------------------
def read_env_all(path, key):
    """Every value of KEY in a KEY=VALUE file written to more than once, in order."""
    return [line.rstrip("\n").split("=", 1)[1] for line in open(path) if line.startswith(key + "=")]


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not m:
        return None
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v if unit == "ms" else v * 1000 if unit == "s" else v * 60000


def wrk(path):
    """p50, p99 (ms), requests/s, requests and errors of one wrk --latency output."""
    out = {"p50": None, "p99": None, "rps": None, "requests": 0, "errors": 0}
    if not os.path.exists(path):
        return out
    text = open(path).read()
    for pct, key in (("50", "p50"), ("99", "p99")):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", text, re.M)
        if m:
            out[key] = to_ms(m.group(1))
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in", text)
    out["requests"] = int(m.group(1)) if m else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["errors"] = (sum(int(x) for x in errors.groups()) if errors else 0) + (int(non2xx.group(1)) if non2xx else 0)
    return out


def prom(path, name):
    if not os.path.exists(path):
        return None
    for line in open(path):
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def size_figures(d, tck):
    land = read_env(os.path.join(d, "landscape.env"))
    ns = read_env(os.path.join(d, "nsscope.env"))
    lsns_run = json.load(open(os.path.join(d, "lsns.json")))["results"][0]
    lsns_cpu_ms = (lsns_run["user"] + lsns_run["system"]) * 1000
    refresh_http = [float(x) * 1000 for x in open(os.path.join(d, "refresh.txt")) if x.strip()]
    durations = []
    for path in sorted(glob.glob(os.path.join(d, "refresh.*.json"))):
        durations.append(json.load(open(path))["snapshot"]["durationMs"])
    namespaces = json.load(open(os.path.join(d, "namespaces.json")))
    lsns_out = list(flatten(json.load(open(os.path.join(d, "lsns.out.json")))["namespaces"]))
    differing = {n["ns"] for n in namespaces["namespaces"]} ^ {n["ns"] for n in lsns_out}
    idle_s = int(ns["idle_ms"]) / 1000
    # Every start's (cost-bench.sh's READY_STARTS); the last start's RSS at readiness.
    ready = [int(v) for v in read_env_all(os.path.join(d, "nsscope.env"), "ready_ms")]
    idle_cpu_per_min = int(ns["idle_ticks"]) / tck * 60 / idle_s
    ne_idle_per_min = int(ns["ne_idle_ticks"]) / tck * 60 / idle_s
    scans = [prom(os.path.join(d, f), "nsscope_scans_total") for f in ("scans.before", "scans.after")]
    s_ns = wrk(os.path.join(d, "scrape.nsscope.txt"))
    s_ne = wrk(os.path.join(d, "scrape.node-exporter.txt"))
    ne_ticks = int(open(os.path.join(d, "scrape.node-exporter.txt.ticks")).read())
    ns_ticks = int(open(os.path.join(d, "scrape.nsscope.txt.ticks")).read())
    return {
        "size": int(land["size"]),
        "processes": int(land["procs"]),
        "threads": int(land.get("threads") or 0),
        "containers": int(land["containers"]),
        "namespaces": len(namespaces["namespaces"]),
        "lsns_namespaces": len(lsns_out),
        "namespaces_differing": len(differing),
        "snapshot_processes": namespaces["snapshot"]["processes"],
        "lsns_wall_ms": lsns_run["median"] * 1000,
        "lsns_cpu_ms": lsns_cpu_ms,
        "lsns_maxrss_mib": int(read_env(os.path.join(d, "lsns.env"))["lsns_maxrss_kb"]) / 1024,
        "ready_ms": statistics.median(ready),
        "ready_all_ms": ready,
        "rss_ready_mib": int(ns["rss_ready_kb"]) / 1024,
        "idle_cpu_s_per_min": idle_cpu_per_min,
        "idle_scans": (scans[1] - scans[0]) if None not in scans else None,
        "idle_cpu_vs_lsns": idle_cpu_per_min * 1000 / lsns_cpu_ms,
        "ne_idle_cpu_s_per_min": ne_idle_per_min,
        "refresh_p50_ms": statistics.median(refresh_http),
        "refresh_vs_lsns": statistics.median(refresh_http) / (lsns_run["median"] * 1000),
        "scan_ms": statistics.median(durations),
        "scrape_p50_ms": s_ns["p50"],
        "scrape_p99_ms": s_ns["p99"],
        "scrapes": s_ns["requests"],
        "scrape_errors": s_ns["errors"],
        "scrape_cpu_ms": ns_ticks / tck * 1000 / max(1, s_ns["requests"]),
        "scrape_bytes": int(ns.get("scrape_bytes") or 0),
        "ne_scrape_p50_ms": s_ne["p50"],
        "ne_scrape_p99_ms": s_ne["p99"],
        "ne_scrapes": s_ne["requests"],
        "ne_scrape_cpu_ms": ne_ticks / tck * 1000 / max(1, s_ne["requests"]),
        "ne_scrape_bytes": int(ns.get("ne_scrape_bytes") or 0),
        "ne_rss_mib": int(ns.get("ne_rss_kb") or 0) / 1024,
        "namespaces_bytes": int(ns.get("namespaces_bytes") or 0),
        "namespaces_gzip_bytes": int(ns.get("namespaces_gzip_bytes") or 0),
        "cached": wrk(os.path.join(d, "wrk.plain.txt")),
        "cached_gzip": wrk(os.path.join(d, "wrk.gzip.txt")),
        "load": {k: wrk(os.path.join(d, f"load.{k}.txt")) for k in ("namespaces", "processes", "scrapes")},
        "rss_load_mib": int(ns["rss_load_kb"]) / 1024,
        "hwm_load_mib": int(ns["hwm_load_kb"]) / 1024,
        "threads_load": int(ns.get("threads_load") or 0),
        "rss_anon_mib": int(ns.get("rss_anon_kb") or 0) / 1024,
        "rss_file_mib": int(ns.get("rss_file_kb") or 0) / 1024,
        "live_heap_mib": int(ns["live_heap_kb"]) / 1024 if ns.get("live_heap_kb") else None,
        "warnings": open(os.path.join(d, "warnings.txt")).read().splitlines()
        if os.path.exists(os.path.join(d, "warnings.txt")) else [],
    }


# --- the report ---------------------------------------------------------------------------------------------------
def n(v, digits=0):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}"


def report(work, out_json):
    meta = read_env(os.path.join(work, "meta.env"))
    tck = float(meta.get("clk_tck", "100"))
    sizes = sorted((size_figures(d, tck) for d in glob.glob(os.path.join(work, "size-*"))), key=lambda s: s["size"])
    with open(out_json, "w") as f:
        json.dump({"meta": meta, "sizes": sizes}, f, indent=1)
    lines = [f"#### Cost by host size, {meta['date']}", ""]
    lines += [
        "| machine and settings | |",
        "| --- | --- |",
        f"| CPUs, memory, kernel | {meta['nproc']} × {meta['cpu']}, {meta['mem']}, {meta['kernel']} |",
        f"| nsscope | {meta['commit']}; {meta['java']} |",
        f"| … as the image runs it | `{meta['entrypoint']}` in the extracted jar, with `JAVA_TOOL_OPTIONS="
        f"{meta['java_tool_options']}` and `MALLOC_ARENA_MAX={meta['malloc_arena_max']}` |",
        f"| lsns | {meta['lsns']} (`lsns -J`) |",
        f"| node-exporter | {meta['node_exporter']}, default collectors |",
        "",
    ]
    head = "| figure | " + " | ".join(f"{s['size']:,}" for s in sizes) + " |"
    lines += [head, "| --- |" + " ---: |" * len(sizes)]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(s) for s in sizes) + " |")

    row("processes (threads) on the host; containers of the landscape",
        lambda s: f"{s['processes']:,} ({s['threads']:,}); {s['containers']}")
    row("namespaces: nsscope / lsns 2.42; listed by only one of them",
        lambda s: f"{s['namespaces']:,} / {s['lsns_namespaces']:,}; {s['namespaces_differing']}")
    row("**lsns -J**: wall time, median; CPU per run (user + sys)",
        lambda s: f"{n(s['lsns_wall_ms'])} ms; {n(s['lsns_cpu_ms'])} ms")
    row("**idle CPU** (an idle minute, background scans only): nsscope, CPU-s per minute (× one `lsns -J`)",
        lambda s: f"**{n(s['idle_cpu_s_per_min'], 2)}** ({n(s['idle_cpu_vs_lsns'], 1)}×)")
    row("… node-exporter, CPU-s per idle minute", lambda s: n(s["ne_idle_cpu_s_per_min"], 2))
    row("**ready**: nsscope, process start → readiness UP, median of the starts (fastest–slowest)",
        lambda s: f"**{n(s['ready_ms'] / 1000, 2)} s** ({n(min(s['ready_all_ms']) / 1000, 2)}–"
        f"{n(max(s['ready_all_ms']) / 1000, 2)}, {len(s['ready_all_ms'])} starts)")
    row("**RSS after load**: nsscope VmRSS (peak VmHWM), MiB", lambda s: f"**{n(s['rss_load_mib'])}** "
        f"({n(s['hwm_load_mib'])})")
    row("… of which anonymous / file-backed; the heap's live objects after a full GC, MiB",
        lambda s: f"{n(s['rss_anon_mib'])} / {n(s['rss_file_mib'])}; {n(s['live_heap_mib'])}")
    row("… node-exporter after its scrapes; lsns -J peak, MiB", lambda s: f"{n(s['ne_rss_mib'])}; "
        f"{n(s['lsns_maxrss_mib'])}")
    row("**refresh**: `?refresh=true` p50 at HTTP (× lsns wall)",
        lambda s: f"**{n(s['refresh_p50_ms'])} ms** ({n(s['refresh_vs_lsns'], 2)}×)")
    row("**scan**: `snapshot.durationMs`, median; vs `lsns -J` wall", lambda s: f"**{n(s['scan_ms'])} ms**; "
        f"{n(s['scan_ms'] / s['lsns_wall_ms'], 2)}×")
    row("**scrape** p50 / p99: nsscope", lambda s: f"**{n(s['scrape_p50_ms'], 2)} / {n(s['scrape_p99_ms'], 1)} ms**")
    row("… node-exporter", lambda s: f"{n(s['ne_scrape_p50_ms'], 2)} / {n(s['ne_scrape_p99_ms'], 1)} ms")
    row("… CPU per scrape: nsscope / node-exporter; bytes",
        lambda s: f"{n(s['scrape_cpu_ms'], 1)} / {n(s['ne_scrape_cpu_ms'], 1)} ms; "
        f"{n(s['scrape_bytes'] / 1024)} / {n(s['ne_scrape_bytes'] / 1024)} KiB")
    row(f"**cached `GET /namespaces`**, requests/s (wrk -t2 -c{meta['wrk_connections']}); p50",
        lambda s: f"**{n(s['cached']['rps'])}**; {n(s['cached']['p50'], 1)} ms")
    row("… with `Accept-Encoding: gzip`", lambda s: f"{n(s['cached_gzip']['rps'])}; "
        f"{n(s['cached_gzip']['p50'], 1)} ms")
    row("… response size: plain / gzip, KiB", lambda s: f"{n(s['namespaces_bytes'] / 1024)} / "
        f"{n(s['namespaces_gzip_bytes'] / 1024)}")
    row(f"sustained load ({meta['load_seconds']} s): requests/s of lists, processes, scrapes",
        lambda s: " / ".join(n(s["load"][k]["rps"]) for k in ("namespaces", "processes", "scrapes")))
    errors = sum(s["cached"]["errors"] + s["cached_gzip"]["errors"] + s["scrape_errors"]
                 + sum(v["errors"] for v in s["load"].values()) for s in sizes)
    lines += ["", f"HTTP errors over every phase: {errors}. Scans during the idle minute: "
              + ", ".join(f"{n(s['idle_scans'])} at {s['size']:,}" for s in sizes) + "."]
    warned = [f"{s['size']:,}: {w}" for s in sizes for w in s["warnings"]]
    if warned:
        lines += ["", "WARN/ERROR lines nsscope logged:", ""] + [f"- `{w}`" for w in warned[:20]]
    return "\n".join(lines) + "\n"


def main(argv):
    if argv[1:2] == ["chart-limit"]:
        print(chart_limit(argv[2]))
    elif argv[1:2] == ["dockerfile"]:
        dockerfile(argv[2], argv[3])
    elif argv[1:2] == ["report"]:
        sys.stdout.write(report(argv[2], argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
