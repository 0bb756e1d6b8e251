"""scripts/probes/navigation_summary.py - summarises the logs of navigation_matrix.sh.

Per run: reached (some outer iteration at >= 0.9 x the expert's reward with violation share
<= 0.01), the final evaluation (reward / expert, episode violation rate), the last iteration's
violation share. Totals: final (last evaluation >= 0.9 x and episode violation rate <= 0.01),
the suite's measure (last iteration >= 0.9 x and violation share <= 0.01), reached.
Usage: python3 navigation_summary.py TAG   (in the directory of the logs m_TAG_tK_sS.log)
"""
import glob
import re
import sys

tag = sys.argv[1]
final_ok = share_ok = reached_n = runs = 0
for f in sorted(glob.glob('m_%s_t*_s*.log' % tag)):
    expert = None
    reached = False
    final = None
    last = None
    for line in open(f):
        m = re.match(r'task \d+: expert (\S+);', line)
        if m:
            expert = float(m.group(1))
        m = re.match(r'it\s+(\d+) rew\s+(\S+) viol (\S+)', line)
        if m and expert:
            last = (float(m.group(2)), float(m.group(3)))
            if last[0] >= 0.9 * expert and last[1] <= 0.01:
                reached = True
        m = re.match(r'final task (\d+) seed (\d+): reward (\S+) \(expert (\S+), ratio (\S+)\) viol rate (\S+)', line)
        if m:
            final = (float(m.group(5)), float(m.group(6)))
    if final is None or last is None:
        continue
    runs += 1
    reached_n += reached
    ok = final[0] >= 0.9 and final[1] <= 0.01
    ok_share = last[0] >= 0.9 * expert and last[1] <= 0.01
    final_ok += ok
    share_ok += ok_share
    print('%s %s final %.2f x, episode violation rate %.2f; last iteration share %.3f%s' %
          (f, 'reached' if reached else '-', final[0], final[1], last[1], ' OK' if ok_share else ''))
print('%s: final %d / %d, suite measure %d / %d, reached %d / %d' % (tag, final_ok, runs, share_ok, runs, reached_n, runs))
