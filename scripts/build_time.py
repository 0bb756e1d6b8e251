#!/usr/bin/env python3
"""Build time of a finished Meson/Ninja build, from BUILD_DIR/.ninja_log.

    python3 scripts/build_time.py BUILD_DIR [--group PREFIX ...]

Prints the wall time (first step's start to last step's end), the sum of all compile and link
steps (the CPU time a one-core machine would need, roughly), the number of steps and the
largest steps. With --group, also the sum and count of the steps whose output starts with each
PREFIX (e.g. cli/ tests/). Only the last run of each output counts, so run it on a build made
from scratch (`ninja -t clean` or a new build directory) to measure a full build.
"""
import argparse
import os


def read_log(build):
    steps = {}
    with open(os.path.join(build, ".ninja_log")) as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4:
                steps[parts[3]] = (int(parts[0]) / 1000.0, int(parts[1]) / 1000.0)
    return steps


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--group", action="append", default=[], help="output path prefix to total separately")
    ap.add_argument("--top", type=int, default=5, help="list the N longest steps")
    a = ap.parse_args()
    steps = read_log(a.build)
    if not steps:
        raise SystemExit(f"{a.build}/.ninja_log: no steps recorded; build first (ninja -C {a.build})")
    start = min(s for s, _ in steps.values())
    end = max(e for _, e in steps.values())
    total = sum(e - s for s, e in steps.values())
    print(f"{a.build}: {len(steps)} steps, wall {end - start:.0f} s, sum of steps {total:.0f} s "
          f"({total / 60:.0f} CPU-minutes)")
    for g in a.group:
        sel = [e - s for out, (s, e) in steps.items() if out.startswith(g)]
        print(f"  {g}: {len(sel)} steps, {sum(sel):.0f} s")
    for out, (s, e) in sorted(steps.items(), key=lambda kv: kv[1][0] - kv[1][1])[: a.top]:
        print(f"  {e - s:7.1f} s  {out}")


if __name__ == "__main__":
    main()
