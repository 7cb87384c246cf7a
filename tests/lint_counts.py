"""Print how many ruff findings and mypy errors the tree has (for re-cleaning after a merge); always exits 0."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def main() -> int:
    ruff = subprocess.run([str(BIN / "ruff"), "check", "toolkit", "tests", "benchmarks", "--statistics"],
                          cwd=ROOT, capture_output=True, text=True)
    found = re.search(r"Found (\d+) error", ruff.stdout)
    print(f"ruff: {found.group(1) if found else 0} findings")
    mypy = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True)
    lines = mypy.stdout.splitlines()
    errors = [line for line in lines if ": error:" in line]
    toolkit = sum(line.startswith("toolkit/") for line in errors)
    print(f"mypy: {len(errors)} errors ({toolkit} in toolkit/, {len(errors) - toolkit} in tests/ and benchmarks/)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
