#!/usr/bin/env python3
"""Times nsscope's page in headless Chromium, driven over chromedriver's W3C WebDriver HTTP API (no Selenium).

    ui_paint.py URL CHROMEDRIVER_URL RUNS CHROMIUM

Each run is a new browser session with a new empty profile (a cold cache): it opens the page, waits for the
namespaces table, then opens the Processes, Process tree and Hierarchies tabs one after the other. Prints one JSON
object per run: the times the page itself marks (performance.mark, ms since navigation start) and what it drew.
"""
import json
import sys
import tempfile
import shutil
import urllib.request

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,900"]

# Waits for a performance mark (set by the page when a view is drawn), then reports.
WAIT_MARK = """
const [name, done] = arguments;
const t0 = Date.now();
(function poll() {
  const m = performance.getEntriesByName(name);
  if (m.length) return done(m[m.length - 1].startTime);
  if (Date.now() - t0 > 60000) return done(null);
  setTimeout(poll, 5);
})();
"""

FIRST = """
const fcp = performance.getEntriesByName('first-contentful-paint')[0];
const nav = performance.getEntriesByType('navigation')[0];
const ns = performance.getEntriesByType('resource').filter(r => /\\/namespaces$/.test(r.name))[0];
return {
  fcp: fcp ? fcp.startTime : null,
  domContentLoaded: nav.domContentLoadedEventEnd,
  namespacesResponseStart: ns ? ns.responseStart : null,
  namespacesResponseEnd: ns ? ns.responseEnd : null,
  namespacesBytes: ns ? ns.encodedBodySize : null,
  namespacesRendered: performance.getEntriesByName('nsscope:namespaces-rendered')[0].startTime,
  rows: Number(document.querySelector('#view-namespaces [role=grid]').getAttribute('aria-rowcount')) - 1,
  drawnRows: document.querySelectorAll('#view-namespaces .vt-row:not([hidden])').length,
};
"""

TAB = """
const [tab, name, done] = arguments;
const t0 = performance.now();
document.getElementById('tab-' + tab).click();
(function poll() {
  const m = performance.getEntriesByName(name);
  if (m.length) {
    const grid = document.querySelector('#view-' + tab + ' [role=grid]');
    return done({ms: m[m.length - 1].startTime - t0,
                 rows: grid ? Number(grid.getAttribute('aria-rowcount')) - 1
                            : document.querySelectorAll('#view-' + tab + ' g.node').length});
  }
  if (performance.now() - t0 > 60000) return done(null);
  setTimeout(poll, 5);
})();
"""


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read() or b"{}").get("value")


def run(url, driver, chromium):
    profile = tempfile.mkdtemp(prefix="nsscope-ui-bench-")
    caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": chromium, "args": FLAGS + ["--user-data-dir=" + profile]}}}}
    session = call(driver, "POST", "/session", caps)["sessionId"]
    try:
        call(driver, "POST", f"/session/{session}/timeouts", {"script": 90000})
        call(driver, "POST", f"/session/{session}/url", {"url": url})
        painted = call(driver, "POST", f"/session/{session}/execute/async",
                       {"script": WAIT_MARK, "args": ["nsscope:namespaces-painted"]})
        result = call(driver, "POST", f"/session/{session}/execute/sync", {"script": FIRST, "args": []})
        result["namespacesPainted"] = painted
        for tab, mark in (("processes", "nsscope:processes-rendered"), ("tree", "nsscope:tree-rendered"),
                          ("hierarchy", "nsscope:hierarchy-rendered")):
            result[tab] = call(driver, "POST", f"/session/{session}/execute/async",
                               {"script": TAB, "args": [tab, mark]})
        return result
    finally:
        call(driver, "DELETE", f"/session/{session}")
        shutil.rmtree(profile, ignore_errors=True)


def main():
    url, driver, runs, chromium = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    for _ in range(runs):
        print(json.dumps(run(url, driver, chromium)), flush=True)


if __name__ == "__main__":
    main()
