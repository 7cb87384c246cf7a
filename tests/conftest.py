"""Shared fixtures: repository paths, figure clean-up and the browser gate."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
CLIENT_DATA = ROOT / "client_data"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    plt.close("all")


def find_test_chromium() -> str | None:
    """Return the Chromium the browser tests should use, or None."""
    env = os.environ.get("ALIGNMENT_CHROMIUM")
    if env and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of a headless-capable Chromium; skips (or fails in CI) when absent."""
    path = find_test_chromium()
    if path is None:
        reason = "no Chromium found: install the Debian package 'chromium' or set ALIGNMENT_CHROMIUM"
        if os.environ.get("ALIGNMENT_REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
            pytest.fail(reason + " (required in CI)")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for test artefacts (screenshots) kept after the run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
