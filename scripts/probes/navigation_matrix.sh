#!/bin/bash
# scripts/probes/navigation_matrix.sh - runs the navigation probe (navigation_icrl.cpp) over tasks x
# seeds with the same settings, one log per run (m_TAG_tK_sS.log in the current directory; a run
# whose log already ends with its final line is skipped, so the matrix resumes), then prints the
# summary of navigation_summary.py. The experts' demonstrations must exist first
# (`./navigation_icrl expert K` writes /tmp/nav/f1_tK.demos).
# Usage: PROBE=./navigation_icrl TASKS="0 1 2" SEEDS="1 2 3" navigation_matrix.sh TAG key=value ...
set -u
tag=$1; shift
for s in ${SEEDS:-1 2 3}; do for k in ${TASKS:-0 1 2 3 6 7 8 10 11 12 13 14}; do
  log=m_${tag}_t${k}_s${s}.log
  [ -s "$log" ] && grep -q '^final' "$log" && continue
  ${PROBE:-./navigation_icrl} icrl "$k" seed="$s" "$@" > "$log" 2>&1
done; done
python3 "$(dirname "$0")/navigation_summary.py" "$tag"
