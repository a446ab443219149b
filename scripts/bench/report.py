#!/usr/bin/env python3
"""Helpers of scripts/benchmark.sh: turns the raw data of one run into the markdown results block.

  report.py --markdown WORK PARALLELISM "EXTRA_PARALLELISM"   the results block, to stdout
  report.py --time-command OUT.json WARMUP RUNS CMD...        times commands (fallback for hyperfine; same JSON)
  report.py --row WORK PARALLELISM "EXTRA_PARALLELISM"        the run's row of the spread table (docs/benchmarks.md)
  report.py --row-header                                     that table's header
  report.py --scan-summary WORK TAG                          one line about TAG's full scans
  report.py --p99 WRK_OUTPUT                                 "p99 (N requests)" of one load's output
  report.py --time-command OUT.json WARMUP RUNS CMD...        times commands (fallback for hyperfine; same JSON)
  report.py --load URL CONNECTIONS DURATION                  a crude load generator (fallback for wrk), JSON out

Targets (docs/benchmarks.md): full scan <= 1/3 of `lsns -J` wall time; cached GET /namespaces p50 >= 100x faster
than `lsns -J`; >= 2,000 cached requests/s; a scrape of /actuator/prometheus stays fast under the API's load (its
p99 is reported; no number was set) and never scans /proc.
"""

import os
import sys

import lsns242
from run_data import (
    HOST_NS_MAX_INODE,
    LATENCY_SPEEDUP_MIN,
    SCAN_RATIO_MAX,
    THROUGHPUT_MIN,
    compare_counts,
    cpu_per_scan,
    denied_pids,
    fmt_ms,
    load,
    load_json,
    lsns_times,
    median,
    no_scan_per_scrape,
    noisy_phases,
    parse_load,
    pct,
    phase_loads,
    read_env,
    requests_by_uri,
    scan_summary,
    scans,
    scrape_results,
    time_command,
    verdict,
)


def markdown(work, parallelism, extra):
    env = read_env(os.path.join(work, "meta.env"))
    main = read_env(os.path.join(work, "main.startup"))
    lsns = lsns_times(work)
    lsns_j = lsns["lsns -J"]
    rows = scans(work, "main")
    scan_med = median([r["durationMs"] for r in rows])
    cpu = cpu_per_scan(work, "main", rows)
    conc = parse_load(os.path.join(work, "wrk.concurrent.txt"))
    single = parse_load(os.path.join(work, "wrk.single.txt"))
    size = read_env(os.path.join(work, "cached.size")).get("size_bytes", "?")
    rss = read_env_colon(os.path.join(work, "rss.txt"))
    rss_wrk = read_env_colon(os.path.join(work, "rss.wrk.txt"))
    scr = scrape_results(work)
    counts = compare_counts(work)
    cost = load_json(os.path.join(work, "procfs_cost.json")) if os.path.exists(
        os.path.join(work, "procfs_cost.json")) else None
    first = None
    first_path = os.path.join(work, "main.first.json")
    if os.path.exists(first_path) and os.path.getsize(first_path) > 0:
        first = load_json(first_path)["snapshot"]

    out = []
    w = out.append
    w(f"### Results of {env.get('date', '?')}")
    w("")
    w("| machine | |")
    w("| --- | --- |")
    w(f"| CPUs (`nproc`) | {env.get('nproc')} × {env.get('cpu')} |")
    w(f"| memory | {env.get('mem')} |")
    w(f"| kernel | {env.get('kernel')} |")
    w(f"| lsns | {env.get('lsns')} |")
    w(f"| java | {env.get('java')} ({env.get('jvm')}) |")
    w(f"| JAVA_OPTS | `{env.get('java_opts') or '(none: JVM defaults)'}` (max heap {env.get('max_heap_mib', '?')} MiB) |")
    if env.get("service_args"):
        w(f"| service arguments | `{env.get('service_args')}` |")
    w(f"| tools | hyperfine {env.get('hyperfine')}, wrk {env.get('wrk')} |")
    w(f"| nsscope | {env.get('commit') or env.get('jar')} |")
    w(f"| landscape | {env.get('containers')} containers + {env.get('plain')} plain processes, up in "
      f"{env.get('landscape_up_s')} s; processes on the host: {env.get('procs_before')} before, "
      f"{env.get('procs_loaded')} loaded |")
    w(f"| load before the run | CPUs {env.get('cpu_busy_before', '?')}% busy over 1 s "
      f"({env.get('busy_before') or 'no process above 5%'}); loadavg {env.get('loadavg_before')}; "
      f"other JVMs: {env.get('other_java')} |")
    if env.get("quiet_reached") == "no":
        w(f"| quiet host? | **no**: still busy after the {env.get('quiet_waited_s')} s wait; every figure is noisy |")
    elif env.get("quiet_waited_s") not in (None, "0"):
        w(f"| quiet host? | yes, after waiting {env.get('quiet_waited_s')} s for it |")
    phases = phase_loads(env)
    if phases:
        limit = float(env.get("other_cpu_max", "10"))
        noisy = noisy_phases(env)
        w("| CPU used by other processes during each phase, % of all CPUs (kernel threads; hypervisor steal; "
          "host busy) | " + ", ".join(
              f"{name} {'**' if name in noisy else ''}{p['other']:.1f}%{'**' if name in noisy else ''} "
              f"({pct(p['kernel'])}; {pct(p['steal'])}; {p['busy']:.0f}%)"
              + (f" with {p['jvms']} other JVM(s)" if p["jvms"] else "")
              + (f", busiest {p['top']}" if name in noisy and p["top"] != "-" else "")
              for name, p in phases.items()) + " |")
        w(f"| phases overlapped by other load (> {limit:.0f}% of the CPUs, or another JVM) | "
          f"{', '.join(noisy) if noisy else 'none'} |")
    else:
        foreign = [f"{k[len('foreign_'):]} ({v})" for k, v in env.items() if k.startswith("foreign_") and v != "0"]
        w(f"| other JVMs during the phases | {', '.join(foreign) if foreign else 'none'} |")
    w("")

    w("| what was counted | lsns | nsscope |")
    w("| --- | ---: | ---: |")
    w(f"| processes (lsns: sum of NPROCS of pid namespaces; nsscope: `snapshot.processes`; "
      f"`/proc` had {counts['proc_entries']} entries) | {counts['lsns_procs']} | {counts['ours_procs']} "
      f"(unreadable {counts['ours_unreadable']}, vanished {counts['ours_vanished']}) |")
    w(f"| namespaces | {counts['lsns_namespaces']} | {counts['ours_namespaces']} |")
    for t, (a, b) in counts["by_type"].items():
        w(f"| … {t} | {a} | {b} |")
    w("")
    diffs = []
    more = counts["ours_procs"] - counts["lsns_procs"]
    if more and more == counts["ours_unreadable"]:
        denied = denied_pids()
        diffs.append(f"nsscope counts {more} more process(es): its unreadable one(s), kept with no namespaces, "
                     f"which lsns leaves out" + (f" (/proc/PID/ns/ is denied even to root for PID "
                                                 f"{', '.join(map(str, denied))})" if denied else ""))
    elif more:
        diffs.append(f"nsscope counts {more:+d} process(es) compared to lsns ({counts['ours_unreadable']} of "
                     f"its own unreadable; the rest: processes that started or ended between the two reads)")
    if counts["only_lsns"]:
        diffs.append(f"{len(counts['only_lsns'])} namespaces only in lsns, e.g. {counts['only_lsns'][:3]}")
    if counts["only_ours"]:
        diffs.append(f"{len(counts['only_ours'])} namespaces only in nsscope, e.g. {counts['only_ours'][:3]}")
    host_nprocs = [d for d in counts["nprocs_diff"] if d[0][0] <= HOST_NS_MAX_INODE]
    other_nprocs = [d for d in counts["nprocs_diff"] if d[0][0] > HOST_NS_MAX_INODE]
    if host_nprocs:
        diffs.append(f"NPROCS differs on {len(host_nprocs)} of the host's own namespaces (by at most "
                     f"{max(abs(a - b) for _, a, b in host_nprocs)}: the benchmark's own short-lived processes, "
                     f"lsns itself among them, ran between the two reads)")
    if other_nprocs:
        diffs.append(f"NPROCS differs on {len(other_nprocs)} other namespaces, e.g. {other_nprocs[:3]}")
    for key, label in (("pid_diff", "PID"), ("cmd_diff", "COMMAND"), ("user_diff", "USER")):
        if counts[key]:
            diffs.append(f"{label} differs on {len(counts[key])} namespaces, e.g. {counts[key][:2]}")
    ns_diffs = [d for d in diffs if not d.startswith("nsscope counts")]
    if diffs:
        w("Differences between the two lists (nsscope's refresh, then `lsns -J` right after):")
        w("")
        for d in diffs:
            w(f"- {d}")
        w("")
    if not ns_diffs:
        w("The namespace lists agree namespace for namespace (NS, TYPE, NPROCS, PID, USER, COMMAND).")
    w("")

    w(f"| measure (parallelism {parallelism}) | value |")
    w("| --- | --- |")
    w(f"| `lsns -J` wall time, median of {lsns_j['runs']} | **{fmt_ms(lsns_j['median'])}** "
      f"(min {fmt_ms(lsns_j['min'])}, max {fmt_ms(lsns_j['max'])}; user {fmt_ms(lsns_j['user'])}, "
      f"sys {fmt_ms(lsns_j['system'])}) |")
    other = lsns.get("lsns -J -l --output-all")
    if other:
        w(f"| `lsns -J -l --output-all` wall time, median of {other['runs']} (what nsscope's JSON mirrors) | "
          f"{fmt_ms(other['median'])} (min {fmt_ms(other['min'])}, max {fmt_ms(other['max'])}) |")
    d = [r["durationMs"] for r in rows]
    w(f"| nsscope full scan (`snapshot.durationMs`), median of {len(d)} | **{fmt_ms(scan_med)}** "
      f"(min {fmt_ms(min(d))}, max {fmt_ms(max(d))}) |")
    w(f"| … `GET /namespaces?refresh=true` round trip, median | {fmt_ms(median([r['http_ms'] for r in rows]))} |")
    if cpu:
        w(f"| … service CPU per scan ({cpu['scans']} scans, incl. serving {cpu['requests']} refresh responses) | "
          f"{cpu['user']:.0f} ms user + {cpu['sys']:.0f} ms sys |")
    if first:
        w(f"| … first scan, at startup (cold JVM) | {fmt_ms(first['durationMs'])} "
          f"({first['processes']} processes) |")
    w(f"| cached `GET /namespaces`, {env.get('wrk_args')}: p50 / p99 | **{fmt_ms(conc['p50'])}** / "
      f"{fmt_ms(conc['p99'])} (p90 {fmt_ms(conc.get('p90', float('nan')))}) |")
    w(f"| … throughput | **{conc['rps']:,.0f} requests/s** ({conc['requests']:,} requests, {conc.get('read')} read, "
      f"{conc['errors']} errors) |")
    w(f"| … one connection (`-t1 -c1 -d5s`): p50 / p99, requests/s | {fmt_ms(single['p50'])} / "
      f"{fmt_ms(single['p99'])}, {single['rps']:,.0f}/s |")
    w(f"| … response size | {int(size):,} bytes |" if size.isdigit() else f"| … response size | {size} |")
    small_path = os.path.join(work, "wrk.small.txt")
    if os.path.exists(small_path):
        small = parse_load(small_path)
        w(f"| for comparison: `GET /namespaces?type=time` (2 rows), same concurrency, 5 s: p50 / p99, requests/s | "
          f"{fmt_ms(small['p50'])} / {fmt_ms(small['p99'])}, {small['rps']:,.0f}/s |")
    by_uri = requests_by_uri(work)
    if by_uri:
        w("| requests counted by `http_server_requests_seconds_count` at the end, by `uri` tag | " + ", ".join(
            f"`{u}` {n:,.0f}" for u, n in sorted(by_uri.items(), key=lambda kv: -kv[1])) + " |")
    w(f"| startup to ready (JVM launch → first 200 of /actuator/health/readiness) | **{main.get('ready_ms')} ms** "
      f"({main.get('spring_started')}) |")
    if scr:
        si, sl, api = scr["idle"], scr["load"], scr["api"]
        size = scr["size"]
        w(f"| scrape `GET /actuator/prometheus` ({int(size):,} bytes), idle service, one connection back to back for "
          f"{env.get('scrape_seconds')} s: p50 / p99 (scrapes) | {fmt_ms(si['p50'])} / {fmt_ms(si['p99'])} "
          f"({si['requests']:,} scrapes, {si['errors']} errors) |" if size.isdigit() else
          f"| scrape, idle: p50 / p99 (scrapes) | {fmt_ms(si['p50'])} / {fmt_ms(si['p99'])} ({si['requests']:,}) |")
        w(f"| scrape while `GET /namespaces` runs at -t{env.get('wrk_args', '').split('-t')[-1].split()[0]} "
          f"-c{env.get('wrk_connections')}: p50 / p99 (scrapes) | **{fmt_ms(sl['p50'])} / {fmt_ms(sl['p99'])}** "
          f"({sl['requests']:,} scrapes, {sl['errors']} errors) |")
        w(f"| … the API load meanwhile: p50 / p99, requests/s | {fmt_ms(api['p50'])} / {fmt_ms(api['p99'])}, "
          f"{api['rps']:,.0f}/s ({api['errors']} errors) |")
        for label, key in (("idle", "scans_idle"), ("under load", "scans_load")):
            sc = scr[key]
            if sc:
                w(f"| … scans counted (`nsscope_scans_total`) over the {label} scrape phase | {sc['scans']} in "
                  f"{sc['window_s']:.1f} s (the {env.get('scan_interval_s', '2')} s background interval explains "
                  f"at most {sc['expected_max']}) |")
    rss_line = f"**{rss.get('VmRSS')}** (peak {rss.get('VmHWM')}; {rss.get('Threads')} threads)"
    if rss_wrk or main.get("rss_ready"):
        w(f"| RSS (`VmRSS`): once ready; after the cached load; after all the load (peak `VmHWM`) | "
          f"{main.get('rss_ready', '?')}; {rss_wrk.get('VmRSS', '?')}; {rss_line} |")
    else:
        w(f"| RSS after the load (`VmRSS`; peak `VmHWM`) | {rss_line} |")

    pairs = None
    if os.path.exists(os.path.join(work, "pairs.lsns")):
        with open(os.path.join(work, "pairs.lsns")) as f:
            pl = [float(x) for x in f if x.strip()]
        ps = [r["durationMs"] for r in scans(work, "pairs")]
        pairs = {"lsns": median(pl), "scan": median(ps), "ratio": median([b / a for a, b in zip(pl, ps)]),
                 "n": len(ps)}
        w(f"| interleaved: `lsns -J` then a full scan, {pairs['n']} times: medians | lsns {fmt_ms(pairs['lsns'])}, "
          f"scan {fmt_ms(pairs['scan'])}; median of the {pairs['n']} scan/lsns ratios {pairs['ratio']:.2f} |")
        w("")
    else:
        w("")
    scan_ratio = scan_med / lsns_j["median"]
    speedup = lsns_j["median"] / conc["p50"]
    speedup1 = lsns_j["median"] / single["p50"]
    w("| target | measured | ratio | |")
    w("| --- | --- | --- | --- |")
    w(f"| full scan ≤ 1/3 of `lsns -J` | {fmt_ms(scan_med)} vs {fmt_ms(lsns_j['median'])} | "
      f"{scan_ratio:.2f} of lsns (target ≤ 0.33) | {verdict(scan_ratio <= SCAN_RATIO_MAX)} |")
    if pairs:
        w(f"| … the same, interleaved pairs (for reference) | {fmt_ms(pairs['scan'])} vs {fmt_ms(pairs['lsns'])} | "
          f"{pairs['ratio']:.2f} of lsns | {verdict(pairs['ratio'] <= SCAN_RATIO_MAX)} |")
    w(f"| cached p50 ≥ 100× faster than `lsns -J` (under -c{env.get('wrk_args', '').split('-c')[-1].split()[0]}) | "
      f"{fmt_ms(conc['p50'])} vs {fmt_ms(lsns_j['median'])} | {speedup:.0f}× (target ≥ 100×) | "
      f"{verdict(speedup >= LATENCY_SPEEDUP_MIN)} |")
    w(f"| … the same over one connection (for reference) | {fmt_ms(single['p50'])} vs {fmt_ms(lsns_j['median'])} | "
      f"{speedup1:.0f}× | {verdict(speedup1 >= LATENCY_SPEEDUP_MIN)} |")
    w(f"| ≥ 2,000 cached requests/s | {conc['rps']:,.0f}/s | {conc['rps'] / THROUGHPUT_MIN:.2f} of target | "
      f"{verdict(conc['rps'] >= THROUGHPUT_MIN)} |")
    if scr:
        sl, si = scr["load"], scr["idle"]
        w(f"| scrape stays fast under the API load (no number set: reported) | p99 {fmt_ms(sl['p99'])} under load, "
          f"{fmt_ms(si['p99'])} idle | {sl['p99'] / si['p99']:.1f}× the idle p99 | (figure) |")
        w(f"| a scrape never scans /proc | scans counted over the scrape phases: "
          f"{scr['scans_idle']['scans'] if scr['scans_idle'] else '?'} idle, "
          f"{scr['scans_load']['scans'] if scr['scans_load'] else '?'} under load, for "
          f"{si['requests']:,} + {sl['requests']:,} scrapes | no more than the background interval explains | "
          f"{verdict(no_scan_per_scrape(scr))} |")
    w("")

    out.extend(lsns242.section(work, lsns, scan_med, scans, median, load_json, fmt_ms, verdict))

    tags = [("main", int(parallelism))] + [(f"p{p}", int(p)) for p in extra.split() if p != parallelism]
    if len(tags) > 1:
        w("| `nsscope.scan.parallelism` | full scan, median | min – max | CPU per scan (user + sys) | "
          "startup to ready |")
        w("| ---: | ---: | --- | --- | ---: |")
        for tag, p in sorted(tags, key=lambda t: t[1]):
            r = scans(work, tag)
            c = cpu_per_scan(work, tag, r)
            st = read_env(os.path.join(work, f"{tag}.startup"))
            dd = [x["durationMs"] for x in r]
            cpu_text = f"{c['user']:.0f} + {c['sys']:.0f} ms" if c else "n/a"
            w(f"| {p} | {fmt_ms(median(dd))} | {fmt_ms(min(dd))} – {fmt_ms(max(dd))} | {cpu_text} | "
              f"{st.get('ready_ms')} ms |")
        w("")

    variants = read_env(os.path.join(work, "meta.env")).get("source_variants", "").split()
    if variants:
        base = scans(work, "src_none") if "none" in variants else None
        base_ms = median([x["durationMs"] for x in base]) if base else None
        main_ms = median([x["durationMs"] for x in scans(work, "main")])
        persistent = load_json(os.path.join(work, "counts.persistent.json"))
        w("Discovery sources (`nsscope.scan.sources.*`), each alone, same landscape; the main run has all of "
          "them (the defaults):")
        w("")
        w("| sources | full scan, median | cost over none | CPU per scan (user + sys) |")
        w("| --- | ---: | ---: | --- |")
        for v in variants:
            r = scans(work, f"src_{v}")
            c = cpu_per_scan(work, f"src_{v}", r)
            m = median([x["durationMs"] for x in r])
            extra_ms = "" if base_ms is None or v == "none" else f"{m - base_ms:+.1f} ms"
            cpu_text = f"{c['user']:.0f} + {c['sys']:.0f} ms" if c else "n/a"
            w(f"| {v} only | {fmt_ms(m)} | {extra_ms} | {cpu_text} |")
        w(f"| **default** (threads, fds, mounts, hierarchy, sockets) | **{fmt_ms(main_ms)}** | "
          f"{'+' + fmt_ms(main_ms - base_ms) if base_ms is not None else ''} | |")
        if persistent:
            w("")
            w(f"Namespaces without processes found by the default sources: {len(persistent['namespaces'])} "
              f"({', '.join(sorted({n['type'] for n in persistent['namespaces']})) or 'none'}).")
        w("")

    if cost:
        w(f"Cost of the procfs reads over all {cost['processes']} processes, one thread, Python, best of "
          f"{cost['rounds']} (a floor for what a scan reads; not nsscope itself):")
        w("")
        w("| read | ms |")
        w("| --- | ---: |")
        for k, v in cost["ms"].items():
            w(f"| {k} | {v} |")
        w(f"| **what nsscope reads** (listdir, stat, cmdline, owner, 10 ns links; status only for the "
          f"{cost.get('other_pid_ns', '?')} processes in other PID namespaces) | "
          f"**{cost['nsscope_reads_ms']}** |")
        w(f"| **what lsns -J reads** (listdir, stat, 8 ns stat()) | **{cost['lsns_reads_ms']}** |")
        w("")
    return "\n".join(out)


def row(work, parallelism, extra):
    """One row of docs/benchmarks.md's spread table (its header: ROW_HEADER)."""
    env = read_env(os.path.join(work, "meta.env"))
    main = read_env(os.path.join(work, "main.startup"))
    lsns_j = lsns_times(work)["lsns -J"]
    scan_med = median([r["durationMs"] for r in scans(work, "main")])
    pairs = "–"
    if os.path.exists(os.path.join(work, "pairs.lsns")):
        with open(os.path.join(work, "pairs.lsns")) as f:
            pl = [float(x) for x in f if x.strip()]
        ps = [r["durationMs"] for r in scans(work, "pairs")]
        pairs = f"{median([b / a for a, b in zip(pl, ps)]):.2f}"
    p1 = "–"
    for p in extra.split():
        if p != parallelism and p == "1":
            p1 = f"{median([r['durationMs'] for r in scans(work, 'p1')]):.1f}"
    conc = parse_load(os.path.join(work, "wrk.concurrent.txt"))
    single = parse_load(os.path.join(work, "wrk.single.txt"))
    scr = scrape_results(work)
    rss = read_env_colon(os.path.join(work, "rss.txt"))
    rss_mib = f"{int(rss['VmRSS'].split()[0]) / 1024:.0f}" if rss.get("VmRSS") else "?"
    phases = phase_loads(env)
    noisy = [f"{n} ({phases[n]['other']:.0f}%)" for n in noisy_phases(env)]
    cells = [env.get("date", "?"), (env.get("commit") or "?").split()[0], env.get("procs_loaded", "?"),
             f"{lsns_j['median']:.1f}", f"{scan_med:.1f}", f"{scan_med / lsns_j['median']:.2f}", pairs, p1,
             f"{conc['p50']:.2f}", f"{conc['rps']:,.0f}", f"{single['p50']:.3g}",
             f"{scr['idle']['p99']:.2f}" if scr else "–", f"{scr['load']['p99']:.2f}" if scr else "–",
             f"{scr['load']['requests']:,}" if scr else "–",
             (f"{scr['scans_load']['scans']}/{scr['scans_load']['expected_max']}" if scr and scr["scans_load"]
              else "–"),
             f"{int(main.get('ready_ms', 0)):,}", rss_mib,
             ", ".join(noisy) if noisy else
             f"none (≤ {max(p['other'] for p in phases.values()):.0f}%)" if phases else "?"]
    return "| " + " | ".join(cells) + " |"


ROW_HEADER = ("| run (UTC) | commit | processes | `lsns -J` | scan (par. 2) | scan / lsns | interleaved ratio | "
              "scan (par. 1) | cached p50 (-c16) | requests/s | p50, 1 connection | scrape p99, idle | "
              "scrape p99, API load | scrapes under load | scans / explained, under load | startup to ready | "
              "RSS MiB | phases with other load |")


def read_env_colon(path):
    values = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if ":" in line:
                    k, v = line.split(":", 1)
                    values[k.strip()] = " ".join(v.split())
    return values


def main(argv):
    if argv[0] == "--markdown":
        print(markdown(argv[1], argv[2], argv[3] if len(argv) > 3 else ""))
    elif argv[0] == "--row":
        print(row(argv[1], argv[2], argv[3] if len(argv) > 3 else ""))
    elif argv[0] == "--row-header":
        print(ROW_HEADER)
    elif argv[0] == "--p99":
        r = parse_load(argv[1])
        print(f"{fmt_ms(r['p99'])} ({r['requests']:,} requests)")
    elif argv[0] == "--scan-summary":
        print(scan_summary(argv[1], argv[2]))
    elif argv[0] == "--time-command":
        time_command(argv[1], int(argv[2]), int(argv[3]), argv[4:])
    elif argv[0] == "--load":
        load(argv[1], argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
