#!/usr/bin/env python3
"""Compile time and peak compiler memory per translation unit of a Meson build.

    python3 scripts/compile_memory.py BUILD_DIR [--top N] [--match TEXT]

Reads BUILD_DIR/compile_commands.json, recompiles each translation unit (the N slowest by
BUILD_DIR/.ninja_log when --top is given; only files whose path contains TEXT with --match) one
at a time into a scratch object under /usr/bin/time, and prints one line per file: wall seconds
and the compiler's peak resident memory (MiB), largest first. The build directory is not
modified. Needs a completed build (for .ninja_log) and GNU time (/usr/bin/time, Debian: time).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile


def ninja_durations(build):
    """Object file -> compile seconds of the last build (.ninja_log v5: start end mtime out hash)."""
    durations = {}
    path = os.path.join(build, ".ninja_log")
    if not os.path.exists(path):
        return durations
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) >= 4 and parts[3].endswith(".o"):
                durations[parts[3]] = (int(parts[1]) - int(parts[0])) / 1000.0
    return durations


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--top", type=int, default=0, help="only the N slowest files of the last build")
    ap.add_argument("--match", default="", help="only files whose path contains this text")
    args = ap.parse_args()
    cc_path = os.path.join(args.build, "compile_commands.json")
    if not os.path.exists(cc_path):
        sys.exit(f"compile_memory: {cc_path} not found: pass a configured Meson build directory")
    if not os.path.exists("/usr/bin/time"):
        sys.exit("compile_memory: /usr/bin/time not found: install GNU time (apt-get install time)")
    entries = [e for e in json.load(open(cc_path)) if args.match in e["file"]]
    durations = ninja_durations(args.build)
    if args.top > 0:
        def last(e):
            m = re.search(r" -o (\S+)", e["command"])
            return durations.get(m.group(1), 0.0) if m else 0.0
        entries = sorted(entries, key=last, reverse=True)[: args.top]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        obj = os.path.join(tmp, "unit.o")
        for e in entries:
            cmd = re.sub(r" -o \S+", " -o " + obj, e["command"])
            cmd = re.sub(r" -MD -MQ \S+ -MF \S+", "", cmd)
            report = os.path.join(tmp, "time.txt")
            r = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report, "sh", "-c", cmd], cwd=e["directory"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                sys.exit(f"compile_memory: {e['file']} failed to compile:\n{r.stderr}")
            seconds, kib = open(report).read().split()[-2:]
            name = os.path.normpath(os.path.join(e["directory"], e["file"]))
            if sum(1 for f in entries if f["file"] == e["file"]) > 1:  # compiled more than once: name the object
                name += " (" + os.path.basename(os.path.dirname(re.search(r" -o (\S+)", e["command"]).group(1))) + ")"
            rows.append((int(kib) / 1024.0, float(seconds), name))
            print(f"  {rows[-1][2]}: {rows[-1][1]:.1f} s, {rows[-1][0]:.0f} MiB", file=sys.stderr, flush=True)
    root = os.path.commonpath([r[2] for r in rows]) if rows else ""
    print(f"{'peak MiB':>9} {'seconds':>8}  file")
    for mib, seconds, path in sorted(rows, reverse=True):
        print(f"{mib:9.0f} {seconds:8.1f}  {os.path.relpath(path, root) if root else path}")


if __name__ == "__main__":
    main()
