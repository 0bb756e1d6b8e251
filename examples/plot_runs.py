#!/usr/bin/env python3
"""plot_runs.py - learning curves (mean +- standard error over seeds) from icrl run directories.

Usage:
    python3 examples/plot_runs.py RUN_DIR [RUN_DIR ...] --out FILE.png [--title T] [--expert-reward X]
    python3 examples/plot_runs.py RUN_DIR [RUN_DIR ...] --table-only [--header]

Each RUN_DIR is an output directory of `icrl learn` or `icrl transfer` (--out DIR) and holds:

  progress.csv  header row, comma separated, one row per outer iteration. Columns may come in
                any order and extra columns are ignored; this script needs
                  env_steps   environment steps so far (the x axis)
                  reward      mean return in the true environment
                  violations  share of nominal steps that violate the true constraint
                (the files also carry wall_seconds, violation_rate, feasible_reward, nu,
                backward_iters_done, kl_forward, kl_reverse, which are not plotted).
                A value may be `nan` or empty (= not measured at that iteration).
  summary.json  written when the run ends: env, method, seed, reward, violations and
                expert_reward (null = not a number). While a run is still going there is no
                summary.json: the group then comes from `env = X` / `method = X` lines of
                config.txt, else from the directory name (a trailing seed suffix such as
                `_s3`, `-seed3` or `_3` is removed so that seeds group together), and the
                final values from the last row of progress.csv.

Runs are grouped by (env, method), or with --group-by directory by (env, directory name without
its seed suffix), which separates runs of one method with different settings. Within a group
the curves are aligned by row index (outer iteration); the x value of a row is the mean
env_steps of that row over the seeds. Runs of unequal length are cut to the shortest (stated
on stderr). For every row the mean and the
standard error (sample standard deviation / sqrt(n); 0 for a single seed) are taken over the
seeds whose value is a finite number.

Output:
  --out FILE.png  two panels side by side, "reward (true env)" and "violations (share of
                  nominal steps)", one line per group with a shaded +-1 standard error band;
                  the expert's reward (summary.json expert_reward, mean over the runs of an
                  env, or --expert-reward) as a dashed horizontal line on the reward panel.
                  Drawn with matplotlib's Agg backend (no display needed).
  stdout          one markdown table row per group, for RESULTS.md:
                    | env | method | seeds | final reward mean ± se | final violations mean ± se |
                  ("final" = summary.json reward / violations, else the last progress.csv row);
                  --header also prints the table's header and separator lines.
  --table-only    print the table without plotting (matplotlib is not imported).

Exit status: 0 on success, 1 for a missing or unreadable run directory / file (the message
names the file and what is wrong), 2 for a bad command line.

Needs Python 3 and, unless --table-only, matplotlib (Debian: apt-get install -y
python3-matplotlib). If the `python3` found first on PATH cannot import matplotlib but Debian's
/usr/bin/python3 can, the script re-runs itself with /usr/bin/python3.
"""

import argparse
import csv
import io
import json
import math
import os
import re
import statistics
import sys

REQUIRED_COLUMNS = ("env_steps", "reward", "violations")
REWARD_DECIMALS = 1
VIOLATION_DECIMALS = 4
SYSTEM_PYTHON = "/usr/bin/python3"
REEXEC_GUARD = "ICRL_PLOT_RUNS_REEXEC"


class RunError(Exception):
    """A run directory or one of its files is missing or malformed (exit status 1)."""


def warn(msg):
    print("plot_runs.py: " + msg, file=sys.stderr)


# ---- reading one run ------------------------------------------------------------------------

def parse_number(text):
    """A CSV/JSON value as float; empty, nan, null, None -> nan. Raises ValueError otherwise."""
    if text is None:
        return math.nan
    if isinstance(text, bool):
        raise ValueError(repr(text))
    if isinstance(text, (int, float)):
        return float(text)
    t = str(text).strip()
    if t == "" or t.lower() in ("nan", "-nan", "+nan", "null", "none"):
        return math.nan
    return float(t)  # also accepts inf / -inf


def read_progress(run_dir):
    """Columns REQUIRED_COLUMNS of RUN_DIR/progress.csv as {name: [float, ...]}."""
    path = os.path.join(run_dir, "progress.csv")
    if not os.path.isfile(path):
        raise RunError(f"'{path}': no such file (is '{run_dir}' an icrl learn/transfer --out directory?)")
    try:
        with open(path, newline="", encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise RunError(f"'{path}': cannot read: {e}")
    if text.strip() == "":
        raise RunError(f"'{path}': file is empty (no header row; did the run start?)")
    complete_last_line = text.endswith("\n")
    rows, line_numbers = [], []  # non-blank rows and their 1-based line numbers in the file
    reader = csv.reader(io.StringIO(text, newline=""))
    for r in reader:
        if r and any(c.strip() for c in r):
            rows.append(r)
            line_numbers.append(reader.line_num)
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RunError(f"'{path}': missing column(s) {', '.join(missing)} "
                       f"(header has: {', '.join(header)})")
    index = {name: header.index(name) for name in REQUIRED_COLUMNS}
    data_rows = rows[1:]
    if not data_rows:
        raise RunError(f"'{path}': header row but no data rows (the run has not finished an iteration yet)")
    columns = {name: [] for name in REQUIRED_COLUMNS}
    for n, row in enumerate(data_rows):
        line_no = line_numbers[n + 1]
        if len(row) != len(header):
            if n == len(data_rows) - 1 and not complete_last_line and n > 0:
                warn(f"'{path}': last row is incomplete ({len(row)} of {len(header)} fields); "
                     f"ignored (run still writing?)")
                break
            raise RunError(f"'{path}': line {line_no} has {len(row)} fields, the header has {len(header)}")
        for name, i in index.items():
            try:
                columns[name].append(parse_number(row[i]))
            except ValueError:
                raise RunError(f"'{path}': line {line_no}, column {name}: '{row[i]}' is not a number")
    return columns


def read_config(run_dir):
    """`key = value` lines of RUN_DIR/config.txt (comments after '#' removed); {} if absent."""
    path = os.path.join(run_dir, "config.txt")
    out = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0]
                if "=" in line:
                    key, value = line.split("=", 1)
                    out[key.strip()] = value.strip()
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as e:
        warn(f"'{path}': cannot read ({e}); ignored")
    return out


def read_summary(run_dir):
    """RUN_DIR/summary.json as a dict, or None while the run has not written it."""
    path = os.path.join(run_dir, "summary.json")
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            summary = json.load(f)
    except (OSError, UnicodeDecodeError) as e:
        raise RunError(f"'{path}': cannot read: {e}")
    except json.JSONDecodeError as e:
        raise RunError(f"'{path}': not valid JSON: {e}")
    if not isinstance(summary, dict):
        raise RunError(f"'{path}': expected a JSON object {{...}}, found {type(summary).__name__}")
    return summary


def summary_number(summary, key, run_dir):
    """summary[key] as float (nan if absent or null)."""
    if summary is None or key not in summary:
        return math.nan
    try:
        return parse_number(summary[key])
    except ValueError:
        raise RunError(f"'{os.path.join(run_dir, 'summary.json')}': key {key}: {summary[key]!r} is not a number")


def name_from_directory(run_dir):
    base = os.path.basename(os.path.normpath(os.path.abspath(run_dir)))
    m = re.match(r"^(.+?)[-_.](?:seed|s)?\d+$", base)
    return m.group(1) if m else base


def last_finite(values):
    for v in reversed(values):
        if math.isfinite(v):
            return v
    return math.nan


def load_run(run_dir):
    if not os.path.exists(run_dir):
        raise RunError(f"'{run_dir}': no such directory")
    if not os.path.isdir(run_dir):
        raise RunError(f"'{run_dir}': not a directory (give the --out directory of icrl learn/transfer)")
    progress = read_progress(run_dir)
    summary = read_summary(run_dir)
    config = read_config(run_dir)
    env = method = None
    source = "summary.json"
    if summary is not None:
        env, method = summary.get("env"), summary.get("method")
    if not env or not method:
        if summary is not None:
            warn(f"'{os.path.join(run_dir, 'summary.json')}': no env/method key; using config.txt or the directory name")
        source = "config.txt"
        env = env or config.get("env")
        method = method or config.get("method")
    if not env or not method:
        source = "directory name"
        env = env or "?"
        method = method or name_from_directory(run_dir)
    run = {
        "dir": run_dir,
        "env": str(env),
        "method": str(method),
        "group_source": source,
        "seed": (summary or {}).get("seed", config.get("seed", "?")),
        "progress": progress,
        "has_summary": summary is not None,
        "expert_reward": summary_number(summary, "expert_reward", run_dir),
    }
    if summary is not None:
        run["final_reward"] = summary_number(summary, "reward", run_dir)
        run["final_violations"] = summary_number(summary, "violations", run_dir)
    else:
        warn(f"'{run_dir}': no summary.json (run still going?); group from {source}, "
             f"final values from the last row of progress.csv")
        run["final_reward"] = last_finite(progress["reward"])
        run["final_violations"] = last_finite(progress["violations"])
    return run


# ---- statistics -----------------------------------------------------------------------------

def mean_se(values):
    """(mean, standard error, n) over the finite values; se = 0 for n = 1, (nan, nan, 0) for n = 0."""
    finite = [v for v in values if math.isfinite(v)]
    n = len(finite)
    if n == 0:
        return math.nan, math.nan, 0
    if n == 1:
        return finite[0], 0.0, 1
    return statistics.fmean(finite), statistics.stdev(finite) / math.sqrt(n), n


def group_runs(runs):
    groups = {}
    for run in runs:
        groups.setdefault((run["env"], run["method"]), []).append(run)
    for (env, method), members in groups.items():
        seeds = [str(r["seed"]) for r in members if str(r["seed"]) != "?"]
        dupes = sorted({s for s in seeds if seeds.count(s) > 1})
        if dupes:
            warn(f"group {env} / {method}: seed(s) {', '.join(dupes)} appear more than once")
    # Natural order: B5 before B10 (numbers inside names compare as numbers).
    def natural(key):
        return [[int(t) if t.isdigit() else t for t in re.split(r"(\d+)", part)] for part in key]
    return dict(sorted(groups.items(), key=lambda item: natural(item[0])))


def group_curves(key, members):
    """{column: [(x, mean, se), ...]} for the rows all members have (cut to the shortest run)."""
    lengths = [len(r["progress"]["env_steps"]) for r in members]
    length = min(lengths)
    if len(set(lengths)) > 1:
        detail = ", ".join(f"{r['dir']}: {n}" for r, n in zip(members, lengths))
        warn(f"group {key[0]} / {key[1]}: runs have unequal numbers of rows ({detail}); "
             f"curves cut to the shortest, {length} rows")
    curves = {}
    xs = [mean_se([r["progress"]["env_steps"][i] for r in members])[0] for i in range(length)]
    for column in ("reward", "violations"):
        points = []
        for i in range(length):
            m, se, _ = mean_se([r["progress"][column][i] for r in members])
            points.append((xs[i], m, se))
        curves[column] = points
    nan_rows = sum(1 for r in members for c in REQUIRED_COLUMNS for v in r["progress"][c][:length]
                   if not math.isfinite(v))
    if nan_rows:
        warn(f"group {key[0]} / {key[1]}: {nan_rows} value(s) are nan/empty; each row's mean and "
             f"standard error use the seeds with a number there")
    return curves


def fmt(mean, se, decimals):
    if not math.isfinite(mean):
        return "nan"
    return f"{mean:.{decimals}f} ± {se:.{decimals}f}"


def table_rows(groups):
    rows = []
    for (env, method), members in groups.items():
        cells = []
        for key, decimals, label in (("final_reward", REWARD_DECIMALS, "reward"),
                                     ("final_violations", VIOLATION_DECIMALS, "violations")):
            m, se, n = mean_se([r[key] for r in members])
            if n == 0:
                warn(f"group {env} / {method}: final {label} is nan for all {len(members)} run(s)")
            elif n < len(members):
                warn(f"group {env} / {method}: final {label} is nan for {len(members) - n} of "
                     f"{len(members)} runs; mean ± se over the other {n}")
            cells.append(fmt(m, se, decimals))
        rows.append(f"| {env} | {method} | {len(members)} | {cells[0]} | {cells[1]} |")
    return rows


# ---- plotting -------------------------------------------------------------------------------

def import_pyplot():
    """matplotlib.pyplot with the Agg backend; re-runs under Debian's python3 if needed."""
    try:
        import matplotlib
    except ImportError:
        here = os.path.realpath(sys.executable or "")
        if (os.environ.get(REEXEC_GUARD) is None and os.path.exists(SYSTEM_PYTHON)
                and here != os.path.realpath(SYSTEM_PYTHON)):
            warn(f"matplotlib is not importable by {sys.executable}; re-running with {SYSTEM_PYTHON}")
            os.environ[REEXEC_GUARD] = "1"
            sys.stdout.flush()
            sys.stderr.flush()
            os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
        print(f"plot_runs.py: error: matplotlib is not importable by {sys.executable} "
              f"(Debian: apt-get install -y python3-matplotlib; or use --table-only)", file=sys.stderr)
        sys.exit(1)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def plot(plt, groups, curves, out, title, expert_override):
    fig, (ax_r, ax_v) = plt.subplots(1, 2, figsize=(12, 4.5))
    colors = plt.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])
    envs = sorted({env for env, _ in groups})
    for k, ((env, method), members) in enumerate(groups.items()):
        color = colors[k % len(colors)]
        # More groups than colours (the ablation's 16): later rounds of the cycle are dashed/dotted.
        style = ("-", "--", ":", "-.")[(k // len(colors)) % 4]
        label = f"{method} (n={len(members)})" if len(envs) == 1 else f"{env} / {method} (n={len(members)})"
        for ax, column in ((ax_r, "reward"), (ax_v, "violations")):
            pts = curves[(env, method)][column]
            x = [p[0] for p in pts]
            y = [p[1] for p in pts]
            lo = [p[1] - p[2] for p in pts]
            hi = [p[1] + p[2] for p in pts]
            marker = "o" if len(pts) == 1 else None
            ax.plot(x, y, color=color, linestyle=style, label=label, linewidth=1.6, marker=marker)
            ax.fill_between(x, lo, hi, color=color, alpha=0.2, linewidth=0)

    if expert_override is not None:
        ax_r.axhline(expert_override, color="black", linestyle="--", linewidth=1.2,
                     label=f"expert ({expert_override:g})")
    else:
        dashes = [(5, 3), (2, 2), (8, 3, 2, 3), (1, 3)]
        for k, env in enumerate(envs):
            values = [r["expert_reward"] for (e, _), members in groups.items() if e == env for r in members]
            m, _, n = mean_se(values)
            if n:
                label = f"expert ({m:.{REWARD_DECIMALS}f})" if len(envs) == 1 else f"expert {env} ({m:.{REWARD_DECIMALS}f})"
                ax_r.axhline(m, color="black", linestyle="--", dashes=dashes[k % len(dashes)],
                             linewidth=1.2, label=label)

    ax_r.set_title("reward (true env)")
    ax_r.set_ylabel("mean return")
    ax_v.set_title("violations (share of nominal steps)")
    ax_v.set_ylabel("violating steps / steps")
    for ax in (ax_r, ax_v):
        ax.set_xlabel("env steps")
        ax.grid(True, alpha=0.3)
        ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4))
    ax_v.set_ylim(bottom=0)
    ax_r.legend(fontsize="small", loc="best")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    try:
        fig.savefig(out, dpi=120)
    except OSError as e:
        print(f"plot_runs.py: error: cannot write '{out}': {e}", file=sys.stderr)
        sys.exit(1)
    finally:
        plt.close(fig)


# ---- main -----------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="plot_runs.py",
        description="Learning curves (mean ± standard error over seeds) and a markdown results table "
                    "from icrl learn / icrl transfer run directories.")
    parser.add_argument("run_dirs", nargs="+", metavar="RUN_DIR",
                        help="run directory with progress.csv (and summary.json once finished)")
    parser.add_argument("--out", metavar="FILE.png", help="image to write (required unless --table-only)")
    parser.add_argument("--title", metavar="T", help="figure title")
    parser.add_argument("--expert-reward", metavar="X", type=float,
                        help="expert reward line on the reward panel (default: summary.json expert_reward)")
    parser.add_argument("--table-only", action="store_true", help="print the markdown table, do not plot")
    parser.add_argument("--header", action="store_true", help="also print the table's header lines")
    parser.add_argument("--group-by", choices=("method", "directory"), default="method",
                        help="method: group by (env, method) (default); directory: by the run directory's "
                             "name without its seed suffix (the ablation's settings, e.g. B5-is_off-es_true-s2)")
    args = parser.parse_args(argv)
    if not args.table_only and not args.out:
        parser.error("--out FILE.png is required (or use --table-only)")
    if args.table_only and args.out:
        parser.error("--out and --table-only exclude each other")
    if args.expert_reward is not None and not math.isfinite(args.expert_reward):
        parser.error(f"--expert-reward: {args.expert_reward} is not a finite number")

    plt = None
    if not args.table_only:
        plt = import_pyplot()  # first, so a re-run under another python3 repeats no messages
        ext = os.path.splitext(args.out)[1].lstrip(".").lower()
        supported = plt.figure().canvas.get_supported_filetypes()
        plt.close("all")
        if ext not in supported:
            parser.error(f"--out {args.out}: unknown image type '.{ext}' "
                         f"(use one of: {', '.join('.' + e for e in sorted(supported))})")
        parent = os.path.dirname(os.path.abspath(args.out))
        if not os.path.isdir(parent):
            print(f"plot_runs.py: error: cannot write '{args.out}': directory '{parent}' does not exist",
                  file=sys.stderr)
            return 1

    runs, seen = [], set()
    try:
        for run_dir in args.run_dirs:
            real = os.path.realpath(run_dir)
            if real in seen:
                warn(f"'{run_dir}' given more than once; counted once")
                continue
            seen.add(real)
            run = load_run(run_dir)
            if args.group_by == "directory":
                run["method"] = name_from_directory(run_dir)
            runs.append(run)
    except RunError as e:
        print(f"plot_runs.py: error: {e}", file=sys.stderr)
        return 1

    groups = group_runs(runs)
    curves = None
    if not args.table_only:
        curves = {key: group_curves(key, members) for key, members in groups.items()}
    if args.header:
        print("| env | method | seeds | final reward mean ± se | final violations mean ± se |")
        print("|---|---|---|---|---|")
    for row in table_rows(groups):
        print(row)
    sys.stdout.flush()

    if not args.table_only:
        plot(plt, groups, curves, args.out, args.title, args.expert_reward)
        warn(f"wrote {args.out} ({len(groups)} group(s), {len(runs)} run(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
