"""``alignment`` with a marker written as each phase of a report starts, and an optional pause.

``python tests/phase_cli.py MARKERS PAUSE -- report CLIENT ...``: writes ``pid N``
then the name of each phase (``validate``, ``execute``, ``export``, ``publish``)
to MARKERS as it starts; at phase PAUSE (or ``-`` for none) it sleeps
``PHASE_PAUSE_S`` seconds (default 60) first, to widen that phase's window.
``PHASE_NOTEBOOK`` replaces the assessment notebook. Test-only: it wraps the
toolkit's functions from outside, the toolkit has no hooks for it.
"""
from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path


def main() -> int:
    markers, pause = sys.argv[1], sys.argv[2]
    args = sys.argv[sys.argv.index("--") + 1:]
    seconds = float(os.environ.get("PHASE_PAUSE_S", "60"))

    def mark(text: str) -> None:
        with open(markers, "a") as handle:
            handle.write(text + "\n")

    import toolkit.intake
    import toolkit.report as report

    def wrap(owner: object, name: str, phase: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def wrapper(*a, **kw):
            mark(phase)
            if pause == phase:
                time.sleep(seconds)
            return original(*a, **kw)

        setattr(owner, name, wrapper)

    wrap(toolkit.intake, "load_client", "validate")
    wrap(report, "_execute", "execute")
    wrap(report, "_export", "export")
    wrap(report, "_publish", "publish")
    if os.environ.get("PHASE_NOTEBOOK"):
        kwdefaults = report.run_report.__kwdefaults__
        assert kwdefaults is not None  # run_report has keyword-only parameters
        kwdefaults["notebook"] = Path(os.environ["PHASE_NOTEBOOK"])
    mark(f"pid {os.getpid()}")
    from toolkit.cli import main as cli

    return cli(args)


if __name__ == "__main__":
    sys.exit(main())
