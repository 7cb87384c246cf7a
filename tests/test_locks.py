"""The client-wave lock: one run per client and wave, other clients and waves in parallel."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from toolkit.run.locks import RunLocked, client_wave_lock, lock_path
from toolkit.run.publish import recover_outputs


def _try_in_another_process(final) -> subprocess.CompletedProcess:
    code = textwrap.dedent(f"""
        from pathlib import Path
        from toolkit.run.locks import RunLocked, client_wave_lock
        try:
            with client_wave_lock(Path({str(final)!r})):
                print("locked")
        except RunLocked as exc:
            print("refused:", exc)
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_a_second_run_of_the_same_client_and_wave_is_refused_naming_the_holder(tmp_path) -> None:
    final = tmp_path / "acme" / "2026-q1"
    with client_wave_lock(final):
        done = _try_in_another_process(final)
        assert done.stdout.startswith("refused: another run of acme 2026-q1 into")
        assert f"(pid {__import__('os').getpid()})" in done.stdout and "--out" in done.stdout
        with pytest.raises(RunLocked):  # a second holder in this process too
            with client_wave_lock(final):
                pass
    assert not lock_path(final).exists()  # released and removed
    assert _try_in_another_process(final).stdout.strip() == "locked"


def test_other_clients_and_waves_lock_independently(tmp_path) -> None:
    with client_wave_lock(tmp_path / "acme" / "2026-q1"):
        assert _try_in_another_process(tmp_path / "other" / "2026-q1").stdout.strip() == "locked"
        assert _try_in_another_process(tmp_path / "acme" / "2025-q4").stdout.strip() == "locked"


def test_recovery_leaves_a_locked_run_alone(tmp_path) -> None:
    final = tmp_path / "acme" / "2026-q1"
    final.parent.mkdir(parents=True)
    backup = final.parent / ".previous-2026-q1@abcd1234"  # a live run between its two renames
    backup.mkdir()
    with client_wave_lock(final):
        recover_outputs(final)
        assert backup.exists() and not final.exists()
    recover_outputs(final)  # once the run is gone (killed), the backup goes back into place
    assert final.exists() and not backup.exists()
