"""Method v2 simulations with known truth, longer than the CI tests (DESIGN 2.1).

Prints, for n = 20 / 40 / 80 respondents: 90 % coverage of P and of the OAI
(with KPI noise), the false-alarm rate of "at least one blind spot" and of "at
least one significant drift" under no true difference, and C under random
answering on 4-, 5- and 7-point scales (native null vs v1's sigma^2 = 2).
Targets: coverage 0.85-0.95, false alarms <= 0.10, random-answering C ~ 5 on
every scale (only the floor at 0 keeps it above 0).
Run: ``.venv/bin/python benchmarks/method.py [--reps 1000]`` (about 4 min at 1000 on 2 cores).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.metrics.simulate import blind_spot_false_alarms, coverage, drift_false_alarms, random_answering_consistency  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--boot", type=int, default=1000)
    args = parser.parse_args()
    start = time.perf_counter()
    print(f"reps {args.reps}, B {args.boot}")
    for n in (20, 40, 80):
        cov = coverage(n=n, reps=args.reps, n_boot=args.boot, seed=100 + n)
        print(f"n={n:>3}  coverage90  P {cov['a.perception']:.3f}  OAI {cov['oai']:.3f}")
    print(f"blind-spot false alarms (6/12/22 people): {blind_spot_false_alarms(reps=args.reps, seed=7):.3f}")
    drift_reps = max(50, args.reps // 3)
    print(f"drift false alarms (n=40, {drift_reps} wave pairs): "
          f"{drift_false_alarms(n=40, reps=drift_reps, n_boot=args.boot, seed=8):.3f}")
    for points in (4, 5, 7):
        native, v1 = random_answering_consistency(points, n=40, reps=args.reps, seed=9)
        print(f"random answering, {points} points: C native {native:.1f}  (v1 sigma^2=2: {v1:.1f})")
    print(f"took {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
