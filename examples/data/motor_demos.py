#!/usr/bin/env python3
"""examples/data/motor_demos.py - writes motor.csv, the demonstrations examples/your_system.cpp
learns from: 20 logged episodes of an operator who runs the motor of that example as fast as its
bearings allow (speed 1.0; the rating, 1.2, is written nowhere in the reward).

The motor (the same tables as the example's make_motor): speed levels v = 0, 0.25, ..., 3.0; the
buttons 0 slower, 1 hold, 2 faster move one level (clamped); the machine produces 2 v - v^2 / 2
on entering level v (the most at v = 2); 50 steps per episode from standstill. The operator
presses faster up to 1.0 and then holds, and now and then waits a step on the way up.
Deterministic: `python3 motor_demos.py > motor.csv` rewrites the same file.
"""
import random

LEVELS, TARGET, STEPS = 13, 4, 50
rng = random.Random(2026)
print("episode,t,obs_0,act_0,reward")
for episode in range(20):
    level = 0
    for t in range(STEPS):
        button = 2 if level < TARGET and rng.random() > 0.15 else 1
        nxt = min(LEVELS - 1, max(0, level + button - 1))
        v = 0.25 * nxt
        print(f"{episode},{t},{0.25 * level:.2f},{button},{2.0 * v - 0.5 * v * v:.6f}")
        level = nxt
