#!/usr/bin/env bash
# scripts/results.sh - runs the experiments of RESULTS.md and writes RESULTS.md from their output.
#
#   bash scripts/results.sh [EXPERIMENT ...]          (default: lap-grid)
#
# Experiments (SPEC 9; each over the seeds in SEEDS, methods icrl, bc, gc):
#   lap-grid   icrl learn on lap-grid from envs/data/lap-grid.demos, PPO-Lagrangian forward step
#   lap-grid-exact  the same with the exact forward step (icrl/tabular_icrl.hpp, the default there)
#   grids      icrl suite on the generated grids family (TASKS tasks, default 30, x 3 seeds)
#   navigation icrl suite on the generated navigation family (NAV_TASKS tasks, default 10): icrl
#              and gc x 3 seeds; bc x NAV_BC_SEEDS seeds (default 1: its forward model's bisection
#              for nu makes a bc run about 5 minutes on the 48 x 48 grid)
#   cheetah    the same on cheetah (6M env steps per run)
#   ant        the same on ant (4M env steps per run)
#   transfer   constraints learned on ant (full input -> ant-broken; x only -> point-circle), then
#              icrl transfer into the target env; transfer-ant-broken and transfer-point-circle
#              run one target each
#   ablation   cheetah, B in {1, 5, 10, 20} x importance sampling on/off x early stopping on/off
#
# Environment: BUILD_DIR (default build; built with scripts/setup.sh build if missing), JOBS
# (parallel runs, default 2), SEEDS (default "1 2 3 4 5"), METHODS (default "icrl bc gc"),
# OUT (default results; another OUT gets its own OUT/RESULTS.md).
# Run directories go to $OUT/runs/<experiment>/<method>-s<seed>; for each experiment a figure
# $OUT/<experiment>.png (mean +- standard error over seeds, examples/plot_runs.py) and a table
# fragment $OUT/<experiment>.md. RESULTS.md is then assembled from every fragment present, so
# experiments can be run one at a time. Finished runs (with summary.json) are not run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR="${BUILD_DIR:-build}"
JOBS="${JOBS:-2}"
SEEDS="${SEEDS:-1 2 3 4 5}"
METHODS="${METHODS:-icrl bc gc}"
OUT="${OUT:-results}"
# The repository's RESULTS.md only from the repository's results/; any other OUT gets its own.
RESULTS_MD=RESULTS.md
[ "$OUT" = results ] || RESULTS_MD="$OUT/RESULTS.md"
ICRL="$BUILD_DIR/cli/icrl"
[ -x "$ICRL" ] || BUILD_DIR="$BUILD_DIR" bash scripts/setup.sh build
experiments=("$@")
[ ${#experiments[@]} -gt 0 ] || experiments=(lap-grid)
for e in "${experiments[@]}"; do
  case "$e" in lap-grid|lap-grid-exact|grids|navigation|cheetah|ant|transfer-ant-broken|transfer-point-circle|ablation) ;;
    transfer) ;;
    *) echo "results.sh: unknown experiment '$e' (accepted: lap-grid, lap-grid-exact, grids, navigation, cheetah, ant, transfer, transfer-ant-broken, transfer-point-circle, ablation)" >&2; exit 2 ;;
  esac
done
# transfer = both targets.
expanded=()
for e in "${experiments[@]}"; do
  if [ "$e" = transfer ]; then expanded+=(transfer-ant-broken transfer-point-circle); else expanded+=("$e"); fi
done
experiments=("${expanded[@]}")
PY=python3
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null && PY=/usr/bin/python3

# Runs the command lines on stdin, JOBS at a time; a line is "DIR command...": skipped when
# DIR/summary.json exists, else run with its output in DIR.log.
run_all() {
  while read -r dir cmd; do
    [ -f "$dir/summary.json" ] && continue
    mkdir -p "$(dirname "$dir")"
    # A killed run is continued (icrl learn/transfer --resume DIR); a finished one drops its
    # training state (state.ckpt, about 0.2 MB) to keep results/ small.
    local fail="|| { echo \"FAILED: $dir (see $dir.log)\" >&2; exit 1; }"
    if [ -f "$dir/state.ckpt" ]; then
      read -r exe sub _ <<< "$cmd"
      printf '%s\0' "$exe $sub --resume $dir --quiet >> $dir.log 2>&1 && rm -f $dir/state.ckpt $fail"
    else
      printf '%s\0' "$cmd --out $dir --quiet > $dir.log 2>&1 && rm -f $dir/state.ckpt $fail"
    fi
  done | xargs -0 -r -P "$JOBS" -I{} bash -c '{}'
}

# Table fragment and figure of one experiment from its run directories (rows per method; the
# ablation's rows per setting, GROUP_BY=directory).
GROUP_BY=method
tabulate() {
  local name="$1" title="$2"; shift 2
  { echo "| env | method | seeds | final reward (mean ± se) | final violations (mean ± se) |"
    echo "|---|---|---|---|---|"
    "$PY" examples/plot_runs.py "$@" --table-only --group-by "$GROUP_BY"; } > "$OUT/$name.table"
  "$PY" examples/plot_runs.py "$@" --out "$OUT/$name.png" --title "$title" --group-by "$GROUP_BY" 2>/dev/null || true
  # Wall time and env steps per run; with BAR set, each seed's reward as a multiple of the
  # expert's (the mean return of the demonstrations of the env the agent ran in) and how many
  # seeds reach BAR x the expert with violations <= 0.02.
  # Runs recorded against other demonstrations than the shipped ones (their summary's
  # expert_reward is not the mean return of envs/data/<env>.demos) are named, so that a table is
  # never silently measured against an expert that has since been replaced.
  BAR="${BAR:-}" ICRL_BIN="$ICRL" "$PY" - "$@" > "$OUT/$name.speed" <<'PYEOF'
import json, os, subprocess, sys, statistics
rows = {}
for d in sys.argv[1:]:
    try:
        s = json.load(open(d + "/summary.json"))
    except OSError:
        continue
    key = s["method"] if "constraint_method" not in s else s["constraint_method"] + "'s constraint"
    rows.setdefault(key, []).append(s)
bar = float(os.environ["BAR"]) if os.environ.get("BAR") else None
for m, v in sorted(rows.items()):
    w = [x["wall_seconds"] for x in v]
    print(f"- {m}: {len(v)} runs, {v[0]['env_steps']} env steps each, wall time per run {statistics.mean(w):.0f} s "
          f"(min {min(w):.0f}, max {max(w):.0f})")
    if bar is not None and all(x.get("expert_reward", 0) > 0 for x in v):
        v = sorted(v, key=lambda x: x["seed"])
        ratios = [x["reward"] / x["expert_reward"] for x in v]
        hits = sum(r >= bar and x["violations"] <= 0.02 for r, x in zip(ratios, v))
        per_seed = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"  x expert ({v[0]['expert_reward']:.0f}) by seed {v[0]['seed']}-{v[-1]['seed']}: {per_seed}; "
              f">= {bar:g} x with violations <= 0.02 on {hits} of {len(v)} seeds")
shipped = {}
for env in sorted({x["env"] for v in rows.values() for x in v}):
    path = "envs/data/" + env.replace(":", "-").replace("/", "-") + ".demos"
    if os.path.exists(path):
        info = subprocess.run([os.environ["ICRL_BIN"], "demos", "--info", path], capture_output=True, text=True, check=True)
        shipped[env] = (path, json.loads(info.stdout)["mean_return"])
stale = [x for v in rows.values() for x in v
         if x["env"] in shipped and abs(x.get("expert_reward", shipped[x["env"]][1]) - shipped[x["env"]][1]) > 0.5]
for env in sorted({x["env"] for x in stale}):
    path, now = shipped[env]
    mine = [x for x in stale if x["env"] == env]
    was = sorted({round(x["expert_reward"]) for x in mine})
    print(f"- {len(mine)} of {sum(len(v) for v in rows.values())} runs were measured against demonstrations with mean return "
          f"{', '.join(map(str, was))}; the shipped {path} now has {now:.0f}: move their run directories aside and run this again")
PYEOF
  { echo "## $title"
    echo
    echo "Command: \`bash scripts/results.sh $name\` (seeds: $SEEDS)."
    echo
    cat "$OUT/$name.table"
    echo
    cat "$OUT/$name.speed"
    echo
    if [ -f "$OUT/$name.png" ]; then echo "![$title]($OUT/$name.png)"; echo; fi
  } > "$OUT/$name.md"
}

# Table of exact-forward-step runs (summary.json only: they take seconds and have no env steps).
exact_table() {
  local name="$1" title="$2"; shift 2
  { echo "## $title"
    echo
    echo "Command: \`bash scripts/results.sh $name\` (seeds: $SEEDS). Reward and violations are exact expectations of the"
    echo "final agent (icrl/tabular_icrl.hpp); pass = reward >= 55 and violations <= 0.01."
    echo
    "$PY" - "$@" <<'PYEOF'
import json, sys, statistics
rows = {}
for d in sys.argv[1:]:
    s = json.load(open(d + "/summary.json"))
    rows.setdefault(s["method"], []).append(s)
print("| method | seeds | reward (mean, min) | violations (mean, max) | pass | recall | precision | seconds per run |")
print("|---|---|---|---|---|---|---|---|")
for m, v in rows.items():
    r = [x["reward"] for x in v]; c = [x["violations"] for x in v]
    ok = sum(1 for x in v if x["reward"] >= 55 and x["violations"] <= 0.01)
    print(f"| {m} | {len(v)} | {statistics.mean(r):.2f}, {min(r):.2f} | {statistics.mean(c):.4f}, {max(c):.4f} | {ok} / {len(v)} | "
          f"{statistics.mean(x['recall'] for x in v):.2f} | {statistics.mean(x['precision'] for x in v):.2f} | "
          f"{statistics.mean(x['wall_seconds'] for x in v):.1f} |")
PYEOF
    echo
  } > "$OUT/$name.md"
}

# Table of an icrl suite directory (summary.json, runs.csv).
suite_table() {
  local name="$1" title="$2" dir="$3"
  { echo "## $title"
    echo
    echo "Command: \`bash scripts/results.sh $name\` (= \`icrl suite --family grids --tasks ${TASKS:-30} --seeds 3 --methods $(echo $METHODS | tr ' ' ',')\`)."
    echo "Success: the final agent's exact true-env reward >= 0.9 x the expert's and violations <= 0.01 per nominal"
    echo "step. Precision and recall: of the learned unsafe cells (zeta < 0.5) against the true X cells."
    echo
    "$PY" - "$dir" <<'PYEOF'
import csv, json, sys, statistics
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
rows = list(csv.DictReader(open(d + "/runs.csv")))
print("| method | runs | success | precision | recall | success by layout (wall / block / scattered) | seconds per run |")
print("|---|---|---|---|---|---|---|")
for m, v in s["methods"].items():
    mine = [r for r in rows if r["method"] == m]
    by = []
    for lay in ("wall", "block", "scattered"):
        x = [r for r in mine if r["layout"] == lay]
        by.append(f"{sum(int(r['success']) for r in x)}/{len(x)}")
    sec = statistics.mean(float(r["wall_seconds"]) for r in mine) if mine else float("nan")
    print(f"| {m} | {v['runs']} | {100 * v['success_rate']:.0f} % | {v['precision']:.2f} | {v['recall']:.2f} | {' / '.join(by)} | {sec:.1f} |")
PYEOF
    echo
  } > "$OUT/$name.md"
}

# Table of the navigation suite: icrl and gc in DIR, bc in DIR-bc.
navigation_table() {
  local dir="$1"
  { echo "## navigation: a generated family of point-robot tasks (exact forward step on a 48 x 48 grid)"
    echo
    echo "Command: \`bash scripts/results.sh navigation\` (= \`icrl suite --family navigation --tasks ${NAV_TASKS:-10} --seeds 3 --methods icrl,gc\`"
    echo "and \`--seeds ${NAV_BC_SEEDS:-1} --methods bc\`). Each task's expert: PPO-Lagrangian on the true regions grown by"
    echo "0.4 units (envs/navigation_expert.hpp), 20 feasible true-env episodes mapped onto 0.5-unit cells"
    echo "(envs/navigation_grid.hpp). Success: the final agent's exact reward in the discretised task >= 0.9 x the"
    echo "demonstrations' and violations <= 0.01 per step (a cell is unsafe when its centre is forbidden). Precision"
    echo "and recall: of the learned unsafe cells (zeta < 0.5) against those cells."
    echo
    "$PY" - "$dir" "$dir-bc" <<'PYEOF'
import csv, json, os, sys, statistics
print("| method | tasks x seeds | success | precision | recall | reward / expert (min) | seconds per run |")
print("|---|---|---|---|---|---|---|")
skipped = set()
for d in sys.argv[1:]:
    if not os.path.exists(d + "/summary.json"):
        continue
    s = json.load(open(d + "/summary.json"))
    skipped |= {x["task"] for x in s.get("skipped", [])}
    rows = list(csv.DictReader(open(d + "/runs.csv")))
    for m, v in s["methods"].items():
        mine = [r for r in rows if r["method"] == m]
        ratio = [float(r["reward"]) / float(r["expert_reward"]) for r in mine]
        sec = statistics.mean(float(r["wall_seconds"]) for r in mine)
        print(f"| {m} | {s['tasks']} x {s['seeds']} | {sum(int(r['success']) for r in mine)} / {v['runs']} ({100 * v['success_rate']:.0f} %) "
              f"| {v['precision']:.2f} | {v['recall']:.2f} | {statistics.mean(ratio):.2f} ({min(ratio):.2f}) | {sec:.0f} |")
if skipped:
    print()
    print("Generated tasks passed over because their expert did not reach 20 feasible episodes: " + ", ".join(str(t) for t in sorted(skipped)) + ".")
PYEOF
    echo
  } > "$OUT/navigation.md"
}

# What zeta looks like in each ablation setting (every run's progress.csv), appended to ablation.md.
ablation_zeta() {
  local dir="$1"
  "$PY" - "$dir" >> "$OUT/ablation.md" <<'PYEOF'
import csv, glob, os, statistics, sys
d = sys.argv[1]
runs = {}
for p in sorted(glob.glob(d + "/B*-s*/progress.csv")):
    name = os.path.basename(os.path.dirname(p)).rsplit("-s", 1)[0]
    runs.setdefault(name, []).append(list(csv.DictReader(open(p))))
def feasible_from(r):
    v = [float(x["violations"]) for x in r]
    return next(i + 1 for i in range(len(v)) if all(y <= 0.02 for y in v[i:])) if v[-1] <= 0.02 else None
f = lambda r, i, k: float(r[i][k])
mean = statistics.mean
print("### What zeta looks like in each setting")
print()
print("From each run's progress.csv (3 seeds): the outer iteration from which the nominal violations stay <= 0.02,")
print("the backward steps done and KL(old||new) of eq. (12) in the first iteration, zeta's mean on D and on the")
print("nominal samples S after the first iteration and after the last.")
print()
print("| setting | feasible from | backward steps, it. 1 | KL(old\\|\\|new), it. 1 | zeta D / S, it. 1 | zeta D / S, end | nu, end |")
print("|---|---|---|---|---|---|---|")
order = sorted(runs, key=lambda n: (int(n.split("-")[0][1:]), n))
for n in order:
    rs = runs[n]
    ff = [feasible_from(r) for r in rs]
    print(f"| {n} | {', '.join('never' if x is None else str(x) for x in ff)} | {mean(f(r, 0, 'backward_iters_done') for r in rs):.0f} "
          f"| {mean(f(r, 0, 'kl_forward') for r in rs):.0f} | {mean(f(r, 0, 'zeta_expert') for r in rs):.2f} / {mean(f(r, 0, 'zeta_nominal') for r in rs):.2f} "
          f"| {mean(f(r, -1, 'zeta_expert') for r in rs):.2f} / {mean(f(r, -1, 'zeta_nominal') for r in rs):.2f} | {mean(f(r, -1, 'nu') for r in rs):.1f} |")
big = [n for n in order if not n.startswith("B1-")]
no_es = [r for n in big if n.endswith("es_false") for r in runs[n]]
es = [r for n in big if n.endswith("es_true") for r in runs[n]]
allr = [r for n in order for r in runs[n]]
ff = [feasible_from(r) for r in allr]
print()
print("Why the paper's shape (most settings without IS or early stopping at >= 0.6 violations) does not appear here:")
v1 = [f(r, 0, "violations") for r in allr]
print(f"- Every run ends feasible ({sum(x is not None for x in ff)} of {len(ff)}, from iteration {min(x for x in ff if x)} to {max(x for x in ff if x)}), "
      "with or without IS and early stopping. In iteration 1 the nominal agent")
print(f"  violates on {min(v1):.2f}-{max(v1):.2f} of its steps, behind x = -3, where the feasible demonstrations never go: that part of S is")
print(f"  disjoint from D. A zeta fitted without early stopping (after iteration 1: "
      f"{min(f(r, 0, 'zeta_nominal') for r in no_es):.2f}-{max(f(r, 0, 'zeta_nominal') for r in no_es):.2f} on S, "
      f"{min(f(r, 0, 'zeta_expert') for r in no_es):.2f}-{max(f(r, 0, 'zeta_expert') for r in no_es):.2f} on D) costs S far more than D,")
print("  so its cost falls on the violating steps as well; the forward step leaves them, the agent's samples come to overlap D,")
print("  and zeta ends near 1 on both. Over-fitting zeta stops the forward step only when it costs the expert's own states,")
print("  which takes nominal samples that overlap D (where they do, a classifier that tells S from D settles at")
print("  p_D / (p_D + p_S) < 1 on D's own states).")
print(f"- With B = 1 the four settings are the same run (importance weights are 1 at the first step; early stopping is checked")
print(f"  only before a second). With early stopping, KL(old||new) after the first step is "
      f"{min(f(r, 0, 'kl_forward') for r in es):.0f}-{max(f(r, 0, 'kl_forward') for r in es):.0f} in iteration 1 (limit 10: per-step log-ratios summed over")
print("  1000-step episodes), so the loop stops after one step until the policy settles, and those settings follow the B = 1 run")
print(f"  early on. Their final reward is {min(mean(float(r[-1]['reward']) for r in runs[n]) for n in big if n.endswith('es_true')):.0f}-"
      f"{max(mean(float(r[-1]['reward']) for r in runs[n]) for n in big if n.endswith('es_true')):.0f} against "
      f"{min(mean(float(r[-1]['reward']) for r in runs[n]) for n in big if n.endswith('es_false')):.0f}-"
      f"{max(mean(float(r[-1]['reward']) for r in runs[n]) for n in big if n.endswith('es_false')):.0f} without it (means over seeds).")
print()
PYEOF
}

# Each transfer run beside the source run whose constraint it froze (every run's summary.json
# and progress.csv), appended to the transfer's fragment: how the source agent did and what zeta
# told its own agent from the expert, then what the frozen zeta costs the agent in the target.
transfer_zeta() {
  local name="$1"; shift
  "$PY" - "$@" >> "$OUT/$name.md" <<'PYEOF'
import csv, json, os, sys
rows = []
for d in sys.argv[1:]:
    try:
        t = json.load(open(d + "/summary.json"))
    except OSError:
        continue
    args = open(d + "/command.txt").read().split("\n")
    src = os.path.dirname(args[args.index("--constraint") + 1])
    s = json.load(open(src + "/summary.json"))
    sp = list(csv.DictReader(open(src + "/progress.csv")))[-1]
    tp = list(csv.DictReader(open(d + "/progress.csv")))
    v = [float(x["violations"]) for x in tp]
    feas = next((i + 1 for i in range(len(v)) if all(y <= 0.02 for y in v[i:])), None)
    rows.append((os.path.basename(d).rsplit("-s", 1)[0], t["seed"], s, sp, t, tp[-1], feas, v[0]))
z = lambda r, k: f"{float(r[k]):.3f}" if r[k] else "-"  # gc's runs log no zeta on D and S
if rows:
    print("### Each transferred constraint beside its source run")
    print()
    print("Source: the run on the ant that learned the constraint (reward as a multiple of the ant's demonstrations, zeta's mean")
    print("on the demonstrations D and on its own agent's samples S after its last iteration). Target: the transfer run")
    print("(reward as a multiple of the target's demonstrations, the nominal violations, the outer iteration from which they")
    print("stay <= 0.02, nu and the mean learned cost 1 - zeta of the target agent's steps, all after the last iteration).")
    print()
    print("| constraint | seed | source reward (x expert) | source zeta D / S | target reward (x expert) | violations | feasible from | nu | learned cost |")
    print("|---|---|---|---|---|---|---|---|---|")
    for m, seed, s, sp, t, tp, feas, _ in sorted(rows, key=lambda r: (r[0], r[1])):
        print(f"| {m} | {seed} | {s['reward']:.0f} ({s['reward'] / s['expert_reward']:.2f}) | {z(sp, 'zeta_expert')} / {z(sp, 'zeta_nominal')} "
              f"| {t['reward']:.1f} ({t['reward'] / t['expert_reward']:.2f}) | {t['violations']:.4f} | {feas if feas else 'never'} "
              f"| {float(tp['nu']):.1f} | {float(tp['learned_cost']):.3f} |")
    print()
    # What the table shows, per source method: which target seeds began in the violating gait
    # (first iteration's violations > 0.5) and whether any left it; how much the frozen cost
    # prices the steps of the agents that ended feasible (a cost flat there carries no advantage,
    # so it constrains nothing, however high it is).
    print("Per source method: the target seeds whose first outer iteration violated on more than half of its steps, and")
    print("the mean learned cost on the steps of the target agents that end feasible (violations <= 0.02):")
    print()
    for m in sorted({r[0] for r in rows}):
        rs = [r for r in rows if r[0] == m]
        back = [r for r in rs if r[7] > 0.5]
        left = [r for r in back if r[4]["violations"] <= 0.02]
        feas = [r for r in rs if r[4]["violations"] <= 0.02]
        cost = sum(float(r[5]["learned_cost"]) for r in feas) / len(feas) if feas else float("nan")
        began = (f"began violating on seeds {', '.join(str(r[1]) for r in back)} ({len(left)} of {len(back)} end feasible)"
                 if back else "no seed began violating")
        print(f"- {m}: {began}; {len(feas)} of {len(rs)} end feasible, learned cost on their steps {cost:.2f}")
    print()
    bar = float(os.environ.get("BAR") or 0.8)
    hits = lambda m: sum(r[4]["reward"] >= bar * r[4]["expert_reward"] and r[4]["violations"] <= 0.02 for r in rows if r[0] == m)
    match = [m for m in ("bc", "gc") if any(r[0] == m for r in rows) and hits(m) >= hits("icrl")]
    if match:
        why = ("a target run that begins in the violating gait stays there under every frozen constraint, and a cost that is"
               " high on all of a feasible agent's steps is flat there, so it costs no reward" if any(r[7] > 0.5 for r in rows)
               else "no target run began violating, and every constraint ends tighter than the true one")
        target = os.path.basename(os.path.dirname(sys.argv[1]))
        print(f"Why {' and '.join(match)} do as well as icrl here ({', '.join(f'{m} {hits(m)}' for m in match)} against icrl "
              f"{hits('icrl')} seeds at >= {bar:g} x the expert with violations <= 0.02): {why}. docs/experiments.md,")
        print(f"\"Transfer ant -> {target} against the new experts\", has the measurement.")
        print()
PYEOF
}

mkdir -p "$OUT/runs"
for e in "${experiments[@]}"; do
  R="$OUT/runs/$e"
  dirs=()
  case "$e" in
    lap-grid-exact)
      for m in $METHODS; do
        for s in $SEEDS; do
          echo "$R/$m-s$s $ICRL learn --env lap-grid --forward exact --method $m --seed $s"
        done
      done | run_all
      for m in $METHODS; do for s in $SEEDS; do dirs+=("$R/$m-s$s"); done; done
      exact_table "$e" "lap-grid with the exact forward step: ICRL, bc and gc" "${dirs[@]}"
      ;;
    grids)
      methods_csv=$(echo $METHODS | tr ' ' ',')
      "$ICRL" suite --family grids --tasks "${TASKS:-30}" --seeds 3 --methods "$methods_csv" --out "$R" --quiet > "$R.log" 2>&1 \
        || { echo "FAILED: grids suite (see $R.log)" >&2; exit 1; }
      suite_table grids "grids: a generated family of grid tasks (exact forward step)" "$R"
      ;;
    navigation)
      "$ICRL" suite --family navigation --tasks "${NAV_TASKS:-10}" --seeds 3 --methods icrl,gc --out "$R" --quiet > "$R.log" 2>&1 \
        || { echo "FAILED: navigation suite (see $R.log)" >&2; exit 1; }
      "$ICRL" suite --family navigation --tasks "${NAV_TASKS:-10}" --seeds "${NAV_BC_SEEDS:-1}" --methods bc --out "$R-bc" --quiet > "$R-bc.log" 2>&1 \
        || { echo "FAILED: navigation suite, bc (see $R-bc.log)" >&2; exit 1; }
      navigation_table "$R"
      ;;
    lap-grid|cheetah|ant)
      forward=""
      [ "$e" = lap-grid ] && forward="--forward ppo"
      for m in $METHODS; do
        for s in $SEEDS; do
          echo "$R/$m-s$s $ICRL learn --env $e $forward --method $m --seed $s"
        done
      done | run_all
      for m in $METHODS; do for s in $SEEDS; do dirs+=("$R/$m-s$s"); done; done
      BAR=0.85 tabulate "$e" "$e: ICRL against the binary classifier (bc) and GAIL-constraint (gc)" "${dirs[@]}"
      ;;
    transfer-ant-broken|transfer-point-circle)
      # Source constraints learned on the ant: full input (-> ant-broken, the ant experiment's
      # runs) or x only (-> point-circle); then PPO-Lagrangian in the target under each.
      R="$OUT/runs/transfer"
      target="${e#transfer-}"
      # point-circle's expert needs about 18M steps to converge (docs/guide.md), so its transfer
      # runs 10 x 2M steps instead of point-circle's default 10 x 1e5 (docs/experiments.md,
      # "Transfer ant -> point-circle against the new experts").
      long=""
      [ "$target" = point-circle ] && long="--set forward_steps=2000000"
      for m in $METHODS; do
        for s in $SEEDS; do
          if [ "$target" = ant-broken ]; then
            echo "$OUT/runs/ant/$m-s$s $ICRL learn --env ant --method $m --seed $s"
          else
            echo "$R/source-x/$m-s$s $ICRL learn --env ant --method $m --seed $s --zeta-inputs x"
          fi
        done
      done | run_all
      for m in $METHODS; do
        for s in $SEEDS; do
          if [ "$target" = ant-broken ]; then src="$OUT/runs/ant/$m-s$s"; else src="$R/source-x/$m-s$s"; fi
          echo "$R/$target/$m-s$s $ICRL transfer --constraint $src/constraint.ckpt --env $target --seed $s $long"
        done
      done | run_all
      for m in $METHODS; do for s in $SEEDS; do dirs+=("$R/$target/$m-s$s"); done; done
      # Every transfer run's method is "transfer": rows per source method from the directory names.
      BAR=0.8 GROUP_BY=directory tabulate "$e" "transfer: ant -> $target under each method's frozen constraint" "${dirs[@]}"
      BAR=0.8 transfer_zeta "$e" "${dirs[@]}"
      ;;
    ablation)
      # Seed by seed, so that an interrupted ablation already has whole grids (and is continued
      # where it stopped when run again).
      for s in $SEEDS; do
        for b in 1 5 10 20; do
          for is in step off; do
            for es in true false; do
              echo "$R/B$b-is_$is-es_$es-s$s $ICRL learn --env cheetah --method icrl --seed $s --set backward_iters=$b --set importance=$is --set early_stopping=$es"
            done
          done
        done
      done | run_all
      for b in 1 5 10 20; do for is in step off; do for es in true false; do for s in $SEEDS; do
        dirs+=("$R/B$b-is_$is-es_$es-s$s"); done; done; done; done
      GROUP_BY=directory tabulate ablation "cheetah ablation: B x importance sampling x early stopping" "${dirs[@]}"
      ablation_zeta "$R"
      ;;
  esac
done

# ---- RESULTS.md ------------------------------------------------------------------------------
{
  echo "# Results"
  echo
  echo "Produced by \`scripts/results.sh\` (this file is generated: edit the script, not the file)."
  echo "Reward: mean return of stochastic true-env episodes; violations: share of steps with true"
  echo "cost 1 in the nominal-env episodes of the same policy (SPEC 8); mean ± standard error over"
  echo "seeds, at the last outer iteration. Wall times are per run with $JOBS runs at a time on a 2-vCPU machine (release"
  echo "build), so per run under that load; the CPU model varies between the hours the tables were run (this file was last"
  echo "assembled on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), build directory $BUILD_DIR)."
  echo
  for f in grids navigation lap-grid-exact lap-grid cheetah ant transfer-ant-broken transfer-point-circle ablation; do
    [ -f "$OUT/$f.md" ] && cat "$OUT/$f.md"
  done
} > "$RESULTS_MD"
echo "results.sh: wrote $RESULTS_MD from $(ls "$OUT"/*.md 2>/dev/null | wc -l) experiment(s)"
