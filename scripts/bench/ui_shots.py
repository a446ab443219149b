#!/usr/bin/env python3
"""Screenshots of nsscope's page for docs/, through chromedriver's W3C WebDriver HTTP API (no Selenium).

    ui_shots.py URL CHROMEDRIVER_URL CHROMIUM OUTDIR [NAME.png...]

With names, only those shots are saved (the steps of the others still run: each shot builds on the one before).

Each shot: a script that puts the page in a state (a tab, a filter, a panel), a wait, then a PNG.
"""
import base64
import json
import shutil
import sys
import tempfile
import time
import urllib.request

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1440,860", "--hide-scrollbars", "--force-color-profile=srgb"]

SET = """
const [sel, value] = arguments;
const el = document.querySelector(sel);
if (el.type === 'checkbox') el.checked = value; else el.value = value;
el.dispatchEvent(new Event(el.tagName === 'SELECT' || el.type === 'checkbox' ? 'change' : 'input', {bubbles: true}));
"""
# the first process whose NSpid has two PIDs or more: one in a PID namespace of its own
NESTED = """
const rows = [...document.querySelectorAll('#' + arguments[0] + ' .vt-row:not([hidden])')];
const row = rows.find(r => r.children[5].textContent.includes(' '));
if (row) row.querySelector('.vt-td').click();
return !!row;
"""
CLICK = "document.querySelector(arguments[0]).click();"
FIND_ROW = """
const [view, text] = arguments;
const rows = [...document.querySelectorAll('#' + view + ' .vt-row:not([hidden])')];
const row = rows.find(r => r.textContent.includes(text));
if (row) row.querySelector('.vt-td').click();
return !!row;
"""

SHOTS = [
    ("ui-namespaces.png", [("click", "#tab-namespaces"), ("set", "#view-namespaces input[name=q]", "")]),
    ("ui-persistent.png", [("set", "#view-namespaces select[name=persistent]", "yes"),
                           ("row", "view-namespaces", "/run/netns/")]),
    ("ui-containers.png", [("set", "#view-namespaces select[name=persistent]", ""),
                           ("set", "#view-namespaces input[name=container]", "*"), ("key", "Escape")]),
    ("ui-tree.png", [("set", "#view-namespaces input[name=container]", ""), ("click", "#tab-tree"),
                     ("set", "#view-tree select[name=type]", "uts"),
                     # the last container, centred: the rows around it are containers too
                     ("set", "#view-tree input[name=find]", "box8"), ("submit", "#view-tree form")]),
    ("ui-user-hierarchy.png", [("click", "#tab-hierarchy"), ("set", "#view-hierarchy select", "user/parent")]),
    ("ui-net-owner.png", [("set", "#view-hierarchy select", "net/owner")]),
    ("ui-process.png", [("click", "#tab-processes"), ("set", "#view-processes input[name=q]", "907.5151"),
                        ("nested", "view-processes")]),
]


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read() or b"{}").get("value")


def main():
    url, driver, chromium, out = sys.argv[1:5]
    only = set(sys.argv[5:])
    profile = tempfile.mkdtemp(prefix="nsscope-ui-shots-")
    caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": chromium, "args": FLAGS + ["--user-data-dir=" + profile]}}}}
    session = call(driver, "POST", "/session", caps)["sessionId"]
    s = f"/session/{session}"
    try:
        call(driver, "POST", s + "/url", {"url": url})
        time.sleep(3)
        for name, steps in SHOTS:
            for step in steps:
                if step[0] == "click":
                    call(driver, "POST", s + "/execute/sync", {"script": CLICK, "args": [step[1]]})
                elif step[0] == "set":
                    call(driver, "POST", s + "/execute/sync", {"script": SET, "args": [step[1], step[2]]})
                elif step[0] == "submit":
                    call(driver, "POST", s + "/execute/sync",
                         {"script": "document.querySelector(arguments[0]).requestSubmit()", "args": [step[1]]})
                elif step[0] == "row":
                    if not call(driver, "POST", s + "/execute/sync", {"script": FIND_ROW, "args": [step[1], step[2]]}):
                        print(f"ui_shots: no row with {step[2]!r} in {step[1]}", file=sys.stderr)
                elif step[0] == "nested":
                    if not call(driver, "POST", s + "/execute/sync", {"script": NESTED, "args": [step[1]]}):
                        print("ui_shots: no process in a PID namespace of its own", file=sys.stderr)
                elif step[0] == "key":
                    call(driver, "POST", s + "/execute/sync", {"script":
                         "document.getElementById('details').hidden || document.querySelector('#details .close').click()",
                         "args": []})
                time.sleep(1.2)
            if only and name not in only:
                continue
            png = base64.b64decode(call(driver, "GET", s + "/screenshot"))
            with open(f"{out}/{name}", "wb") as f:
                f.write(png)
            print(f"ui_shots: {out}/{name}")
    finally:
        call(driver, "DELETE", s)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
