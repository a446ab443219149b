"""The lsns 2.42.2 part of scripts/benchmark.sh's results (used by report.py).

util-linux 2.42.2's lsns is nsscope's reference: it reads what nsscope reads (every descriptor, sockets through
pidfd_getfd, the nsfs ioctls of every namespace), where the system's lsns 2.38 reads processes only. The target: a
full scan with every default source takes at most 1/3 of `lsns -J` 2.42.2's wall time, measured in the same run.
"""
import os

SCAN_RATIO_MAX = 1 / 3
FIELDS = ["type", "nprocs", "pid", "ppid", "command", "uid", "user", "netnsid", "pns", "ons"]


def flatten(namespaces):
    """Every row of `lsns -J`: without -l it prints a tree, and nests a namespace whose lowest process is a child of
    another row's lowest process in that row's "children"."""
    for n in namespaces:
        yield n
        yield from flatten(n.get("children", []))


def pairs(work, tag, scans, median):
    """Medians of the interleaved pairs TAG (lsns, then a scan): lsns, scan, ratio of each pair, count."""
    path = os.path.join(work, f"{tag}.lsns")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        pl = [float(x) for x in f if x.strip()]
    ps = [r["durationMs"] for r in scans(work, tag)]
    return {"lsns": median(pl), "scan": median(ps), "ratio": median([b / a for a, b in zip(pl, ps)]), "n": len(ps)}


def counts(work, load_json):
    """Namespaces of lsns 2.42.2 -J -W --output-all against nsscope's /namespaces, and their differences."""
    lsns_path = os.path.join(work, "counts242.lsns.json")
    if not os.path.exists(lsns_path):
        return None
    theirs = {n["ns"]: n for n in flatten(load_json(lsns_path)["namespaces"])}
    ours = {n["ns"]: n for n in load_json(os.path.join(work, "counts242.nsscope.json"))["namespaces"]}
    def norm(field, v):
        # lsns prints 0 or "" where the kernel gives no answer; nsscope null (and 0 for a PPID of 0)
        return None if v in (0, "") and field in ("pns", "ons", "pid", "ppid", "netnsid") else v

    differing = {}
    for ns in set(theirs) & set(ours):
        for field in FIELDS:
            if norm(field, theirs[ns].get(field)) != norm(field, ours[ns].get(field)):
                differing.setdefault(field, []).append(ns)
    return {"lsns": len(theirs), "ours": len(ours),
            "lsns_without_processes": sum(1 for n in theirs.values() if n["nprocs"] == 0),
            "ours_without_processes": sum(1 for n in ours.values() if n["nprocs"] == 0),
            "only_lsns": sorted(set(theirs) - set(ours)), "only_ours": sorted(set(ours) - set(theirs)),
            "differing": {k: len(v) for k, v in differing.items()}}


def section(work, lsns, scan_med, scans, median, load_json, fmt_ms, verdict):
    """The markdown lines comparing the full scan with lsns 2.42.2, or [] when it was not run."""
    j = lsns.get("lsns242 -J")
    if j is None:
        return []
    out = []
    w = out.append
    w("Against util-linux **2.42.2**'s lsns (the reference; it reads descriptors, sockets and the nsfs ioctls):")
    w("")
    w("| measure | value |")
    w("| --- | --- |")
    w(f"| `lsns -J` 2.42.2 wall time, median of {j['runs']} | **{fmt_ms(j['median'])}** (min {fmt_ms(j['min'])}, "
      f"max {fmt_ms(j['max'])}; user {fmt_ms(j['user'])}, sys {fmt_ms(j['system'])}) |")
    full = lsns.get("lsns242 -J -W --output-all")
    if full:
        w(f"| `lsns -J -W --output-all` 2.42.2 (what nsscope's JSON mirrors), median of {full['runs']} | "
          f"{fmt_ms(full['median'])} (min {fmt_ms(full['min'])}, max {fmt_ms(full['max'])}) |")
    p = pairs(work, "pairs242", scans, median)
    if p:
        w(f"| interleaved: `lsns -J` 2.42.2 then a full scan, {p['n']} times: medians | lsns {fmt_ms(p['lsns'])}, "
          f"scan {fmt_ms(p['scan'])}; median of the {p['n']} scan/lsns ratios {p['ratio']:.2f} |")
    c = counts(work, load_json)
    if c:
        w(f"| namespaces: lsns 2.42.2 `-J -W --output-all`, nsscope `/namespaces` (without processes) | "
          f"{c['lsns']} ({c['lsns_without_processes']}), {c['ours']} ({c['ours_without_processes']}) |")
        diff = ", ".join(f"{k} {v}" for k, v in sorted(c["differing"].items())) or "none"
        w(f"| … only in lsns; only in nsscope; namespaces differing by column | {c['only_lsns'][:5] or 'none'}; "
          f"{c['only_ours'][:5] or 'none'}; {diff} |")
    w("")
    ratio = scan_med / j["median"]
    w("| target | measured | ratio | |")
    w("| --- | --- | --- | --- |")
    w(f"| full scan (every default source) ≤ 1/3 of `lsns -J` 2.42.2 | {fmt_ms(scan_med)} vs {fmt_ms(j['median'])} | "
      f"{ratio:.2f} of lsns 2.42.2 (target ≤ 0.33) | {verdict(ratio <= SCAN_RATIO_MAX)} |")
    if full:
        r2 = scan_med / full["median"]
        w(f"| … against `lsns -J -W --output-all` 2.42.2 (for reference) | {fmt_ms(scan_med)} vs "
          f"{fmt_ms(full['median'])} | {r2:.2f} | {verdict(r2 <= SCAN_RATIO_MAX)} |")
    if p:
        w(f"| … interleaved pairs (for reference) | {fmt_ms(p['scan'])} vs {fmt_ms(p['lsns'])} | {p['ratio']:.2f} | "
          f"{verdict(p['ratio'] <= SCAN_RATIO_MAX)} |")
    w("")
    return out
