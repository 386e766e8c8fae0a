#!/usr/bin/env python3
"""Summarises JFR execution samples (`jfr print --json --events jdk.ExecutionSample FILE > samples.json`):
samples per thread group, the hottest frames by self time, and the hub's own methods (com.emaileventhub) by inclusive
time. Usage: bench/jfr-samples.py samples.json [top=25]
With --threads BEFORE AFTER TICKS WALL_MS (snapshots "ticks tid name" of /proc/PID/task/*): CPU per thread group."""
import collections
import json
import re
import sys

def group(thread):
    # thread names without their numbers: "vert.x-worker-thread-3" -> "vert.x-worker-thread"
    return re.sub(r"[-#\s]*\d+$", "", thread or "?")


if sys.argv[1] == "--threads":
    # two snapshots of "ticks tid name" per thread (/proc/PID/task/*), the clock's ticks per second, the wall ms between
    def snapshot(path):
        out = {}
        for line in open(path):
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) == 3:
                out[parts[1]] = (int(parts[0]), parts[2])
        return out
    before, after = snapshot(sys.argv[2]), snapshot(sys.argv[3])
    tick, wall = int(sys.argv[4]), int(sys.argv[5]) / 1000
    groups = collections.Counter()
    for tid, (ticks, name) in after.items():
        groups[group(name)] += (ticks - before.get(tid, (0, name))[0]) / tick
    print(f"\nCPU per thread group over the measured run (/proc; JIT, GC and native code included)")
    print("| cores | CPU s | thread group |")
    print("|---|---|---|")
    for name, seconds in groups.most_common(15):
        print(f"| {seconds / wall:.2f} | {seconds:.1f} | {name} |")
    sys.exit(0)

events = json.load(open(sys.argv[1]))["recording"]["events"]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
total = len(events)


def frame(f):
    m = f["method"]
    return m["type"]["name"].replace("/", ".") + "." + m["name"]


def package(name):
    parts = name.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else name


threads = collections.Counter()
packages = collections.Counter()
owners = collections.Counter()
self_time = collections.Counter()
inclusive = collections.Counter()
for e in events:
    v = e["values"]
    t = v.get("sampledThread") or {}
    threads[group(t.get("javaName") or t.get("osName"))] += 1
    frames = (v.get("stackTrace") or {}).get("frames") or []
    names = [frame(f) for f in frames]
    if names:
        self_time[names[0]] += 1
        packages[package(names[0])] += 1
    # the nearest of the hub's own methods on the stack (what the time was spent for); else the nearest non-JDK frame
    hub = next((n for n in names if n.startswith("com.emaileventhub")), None)
    other = next((package(n) for n in names if not n.startswith(("java.", "jdk.", "sun."))), "JDK only")
    owners[hub if hub else "(no hub frame) " + other] += 1
    for name in {frame(f) for f in frames if frame(f).startswith("com.emaileventhub")}:
        inclusive[name] += 1


def table(title, counter, n):
    print(f"\n{title} ({total} samples)")
    print("| share | samples | |")
    print("|---|---|---|")
    for name, c in counter.most_common(n):
        print(f"| {100 * c / total:.1f} % | {c} | {name} |")


table("Samples per thread group", threads, 15)
table("Self time per package", packages, 15)
table("Hottest frames (self)", self_time, top)
table("Nearest hub method on the stack (library time charged to its caller)", owners, top)
table("The hub's methods (inclusive)", inclusive, top)
