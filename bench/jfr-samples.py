#!/usr/bin/env python3
"""Summarises JFR execution samples (`jfr print --json --events jdk.ExecutionSample FILE > samples.json`):
samples per thread group, the hottest frames by self time, and the hub's own methods (com.emaileventhub) by inclusive
time. Usage: bench/jfr-samples.py samples.json [top=25]"""
import collections
import json
import re
import sys

events = json.load(open(sys.argv[1]))["recording"]["events"]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
total = len(events)


def group(thread):
    # thread names without their numbers: "vert.x-worker-thread-3" -> "vert.x-worker-thread"
    return re.sub(r"[-#\s]*\d+$", "", thread or "?")


def frame(f):
    m = f["method"]
    return m["type"]["name"] + "." + m["name"]


threads = collections.Counter()
self_time = collections.Counter()
inclusive = collections.Counter()
for e in events:
    v = e["values"]
    t = v.get("sampledThread") or {}
    threads[group(t.get("javaName") or t.get("osName"))] += 1
    frames = (v.get("stackTrace") or {}).get("frames") or []
    if frames:
        self_time[frame(frames[0])] += 1
    for name in {frame(f) for f in frames if f["method"]["type"]["name"].startswith("com.emaileventhub")}:
        inclusive[name] += 1


def table(title, counter, n):
    print(f"\n{title} ({total} samples)")
    print("| share | samples | |")
    print("|---|---|---|")
    for name, c in counter.most_common(n):
        print(f"| {100 * c / total:.1f} % | {c} | {name} |")


table("Samples per thread group", threads, 15)
table("Hottest frames (self)", self_time, top)
table("The hub's methods (inclusive)", inclusive, top)
