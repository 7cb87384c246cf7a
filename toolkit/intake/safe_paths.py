"""Which paths of a client folder the toolkit reads: symbolic links stay inside the folder.

A link in a client folder (``interviews.csv -> /etc/passwd``, ``excerpts.csv ->``
another client's file) would make the toolkit read, and put on a deck, data
that is not this client's. The rule, by choice: **a link is followed only when
it points inside the client folder** (a wave folder may link to a shared
``questions.csv``); a link that leads outside, or nowhere, is a problem and
nothing of the client is read. Wave folder names are checked here too: they
become paths and parameters later, so they must be safe ids.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from toolkit.intake.problems import ProblemLog
from toolkit.rules import WAVE_ID_PATTERN

SAFE_WAVE = WAVE_ID_PATTERN  # no separators, no '..'


def check_links(root: Path, log_: ProblemLog, display: str) -> bool:
    """Record a ``symlink_outside`` problem per link under ``root`` that leaves it; False if any.

    Parameters
    ----------
    root
        The client folder (itself possibly a link: it is the folder the link names).
    log_
        Where problems go.
    display
        The folder's display name, prefixed to the links' relative paths.
    """
    top = root.resolve()
    ok = True
    for folder, dirs, files in os.walk(top):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if not path.is_symlink():
                continue
            target = path.resolve()
            shown = f"{display}/{path.relative_to(top).as_posix()}"
            if not target.exists():
                reason = f"{shown} is a link to {os.readlink(path)}, which does not exist"
            elif not target.is_relative_to(top):
                reason = f"{shown} is a link to {target}, outside the client folder"
            else:
                continue
            ok = False
            log_.add(shown, "symlink_outside", f"{reason}; the toolkit reads only files inside the client "
                     "folder: copy the file in instead of linking to it", found=str(target),
                     expected="a file inside the client folder")
    return ok


def check_wave_folders(root: Path, log_: ProblemLog, display: str) -> bool:
    """Record an ``unsafe_wave`` problem per ``waves/<name>/`` whose name is not a safe wave id."""
    waves = root / "waves"
    if not waves.is_dir():
        return True
    ok = True
    for entry in sorted(waves.iterdir()):
        if entry.is_dir() and not SAFE_WAVE.fullmatch(entry.name):
            ok = False
            suggestion = re.sub(r"[^A-Za-z0-9_.-]+", "-", entry.name).strip("-.") or "2025-H2"
            log_.add(f"{display}/waves/{entry.name}", "unsafe_wave",
                     f"wave folder {entry.name!r} is not a safe wave name (letters, digits, '.', '_' or '-', "
                     f"starting with a letter or digit); rename it, e.g. to {suggestion!r}",
                     found=entry.name, expected="a wave like '2025-H2'")
    return ok
