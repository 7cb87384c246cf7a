"""Read-only and full output folders: one clean line (no traceback), the right exit code, nothing half-written.

Uses small tmpfs mounts, so it needs root (as in CI).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLIENT_DATA, ROOT

pytestmark = pytest.mark.notebook
CLIENT = "harbor-concierge"
ALIGNMENT = [sys.executable, "-m", "toolkit.cli"]

if os.geteuid() != 0:  # pragma: no cover - CI runs as root
    pytest.skip("mounting a small tmpfs needs root (CI runs the suite as root)", allow_module_level=True)


@pytest.fixture
def mount(tmp_path):
    """Mount tmpfs folders (``mount(name, size, read_only)``); unmounted after the test."""
    mounted: list[Path] = []

    def make(name: str, size: str = "4m", *, read_only: bool = False, fill_from: Path | None = None) -> Path:
        where = tmp_path / name
        where.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
        mounted.append(where)
        if fill_from is not None:
            shutil.copytree(fill_from, where, dirs_exist_ok=True)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        return where

    yield make
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ALIGNMENT, *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


def _one_line(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr[-3000:]
    return lines[0]


def test_report_into_a_read_only_folder_is_a_bad_option(mount) -> None:
    out = mount("ro", read_only=True)
    done = _cli("report", str(CLIENT_DATA / CLIENT), "--out", str(out), "--formats", "html")
    assert done.returncode == 2
    line = _one_line(done)
    assert "Read-only file system" in line and "--out" in line


def test_batch_into_a_read_only_folder_is_refused_before_any_client_runs(mount) -> None:
    out = mount("ro", read_only=True)
    done = _cli("batch", str(CLIENT_DATA), "--out", str(out), "--no-progress", "--formats", "html")
    assert done.returncode == 2
    assert "Read-only file system" in _one_line(done)
    assert done.stdout == ""  # no client ran, no table


def test_portfolio_into_a_read_only_folder_says_so_and_no_clean_up_error_hides_it(mount, tmp_path) -> None:
    reports = tmp_path / "reports"
    done = _cli("report", str(CLIENT_DATA / CLIENT), "--out", str(reports), "--formats", "html")
    assert done.returncode == 0, done.stderr
    out = mount("ro", "16m", read_only=True, fill_from=reports)
    done = _cli("portfolio", "--out", str(out))
    assert done.returncode == 2
    line = _one_line(done)
    assert "Read-only file system" in line and "portfolio.csv" in line


def test_report_into_a_full_folder_fails_cleanly_and_keeps_nothing_half_written(mount) -> None:
    out = mount("full", "400k")
    done = _cli("report", str(CLIENT_DATA / CLIENT), "--out", str(out), "--formats", "html")
    assert done.returncode == 1
    line = _one_line(done)
    assert line.startswith("run failed:") and "No space left on device" in line
    client = out / CLIENT
    left = sorted(p.name for p in client.iterdir()) if client.exists() else []
    assert not [name for name in left if name.startswith(".staging") or name.startswith(".previous")]
    for failed in client.glob("*.failed/assessment.ipynb"):  # a kept notebook is whole JSON, never truncated
        json.loads(failed.read_text())
