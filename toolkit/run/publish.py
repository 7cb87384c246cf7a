"""Publishing a run's outputs atomically, keeping a failed notebook whole, recovering after a kill.

Every run writes into a hidden staging folder next to ``<client>/<wave>`` and
is published by renames, so ``<client>/<wave>`` always holds one whole run:
the last good one until the new one is complete.
"""
from __future__ import annotations

import glob
import logging
import os
import shutil
import uuid
from pathlib import Path

from toolkit.run.interrupts import held_signals
from toolkit.run.processes import alive

log = logging.getLogger("toolkit")

# Hidden work folders next to ``<client>/<wave>``; "@" cannot occur in a wave name, so
# the glob for wave "2026" never matches the folders of wave "2026-q1".
STAGING = ".staging-{wave}@"
BACKUP = ".previous-{wave}@"


def keep_failed(executed: Path, where: Path) -> Path | None:
    """Move a failed run's notebook to ``where`` (replacing an older failure), whole or not at all.

    The notebook is kept only when it is complete, valid JSON (a full disk
    truncates it), and ``where`` is replaced by one rename, so it always holds
    one whole failed notebook. Returns None when nothing could be kept.
    """
    import nbformat

    try:
        nbformat.read(executed, as_version=4)
    except Exception as exc:  # missing, truncated, not JSON
        log.info("the failed notebook %s is not whole (%s): not kept", executed, exc)
        return None
    tmp = where.parent / f".{where.name}.{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir(parents=True)
        os.replace(executed, tmp / "assessment.ipynb")
        old = where.parent / f".{where.name}.old.{uuid.uuid4().hex[:8]}"
        if where.exists():
            os.replace(where, old)
        os.replace(tmp, where)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        log.warning("could not keep the failed notebook in %s: %s", where, exc)
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    return where / "assessment.ipynb"


def publish(staging: Path, final: Path) -> None:
    """Swap ``staging`` into ``final`` with renames, so ``final`` is always whole.

    Explorer exports (``explore-*``) saved in the previous output are carried over:
    a new deck must not delete a consultant's saved views.
    """
    backup = final.parent / f"{BACKUP.format(wave=final.name)}{uuid.uuid4().hex[:8]}"
    if final.exists():
        for export in final.glob("explore-*"):
            if export.is_dir():
                shutil.copytree(export, staging / export.name)
    with held_signals():  # the two renames are never split by Ctrl-C or SIGTERM
        if final.exists():
            os.replace(final, backup)
        os.replace(staging, final)
    shutil.rmtree(backup, ignore_errors=True)


def recover_outputs(final: Path, *, locked: bool = False) -> None:
    """Undo what a killed run left behind: restore a swapped-out deck, drop stale staging.

    Parameters
    ----------
    final
        The output folder ``<out>/<client>/<wave>``.
    locked
        True when the caller holds the client-wave lock (`toolkit.run.locks`); else the
        lock is tried, and when another run holds it nothing is touched: that run
        is alive and its backup and staging are in use.
    """
    if not locked:
        from toolkit.run.locks import RunLocked, client_wave_lock

        if not final.parent.exists():
            return
        try:
            with client_wave_lock(final):
                recover_outputs(final, locked=True)
        except (RunLocked, OSError):  # busy, or a folder we cannot write: nothing to undo here
            pass
        return
    parent = final.parent
    if not parent.exists():
        return
    backups = sorted(parent.glob(f"{glob.escape(BACKUP.format(wave=final.name))}*"), key=lambda p: p.stat().st_mtime)
    if backups and not final.exists():
        os.replace(backups.pop(), final)
    for stale in backups:
        shutil.rmtree(stale, ignore_errors=True)
    for staging in parent.glob(f"{glob.escape(STAGING.format(wave=final.name))}*"):
        pid = staging.name.split("@")[1] if staging.name.count("@") == 2 else ""
        if not (pid.isdigit() and alive(int(pid))):  # a zombie no longer writes: its staging is stale
            shutil.rmtree(staging, ignore_errors=True)
