"""Shared fixtures: repository paths, figure clean-up and the browser gate."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from pptx_support import pptx_custom_deck, pptx_decks, pptx_pdfs, pptx_stories  # noqa: E402,F401  (shared fixtures)

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
    """Return the Chromium the browser tests should use (the toolkit's own lookup), or None."""
    from toolkit.deck import find_chromium

    return find_chromium()


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


HOSTILE_NAME = 'Acme <img src=x onerror=alert(1)> & Sons'
HOSTILE_QUOTE = "This is terrible, the worst, I hate it: <script>alert(1)</script> awful, broken, useless."


def make_hostile_client(folder: Path) -> Path:
    """Copy swiftmart into ``folder``, with hostile text in its name and in a quote that will be shown."""
    import pandas as pd
    import yaml

    target = folder / "hostile-co"
    shutil.copytree(CLIENT_DATA / "swiftmart", target)
    config = yaml.safe_load((target / "client.yaml").read_text(encoding="utf-8"))
    config["name"] = HOSTILE_NAME
    (target / "client.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    people = pd.read_csv(target / "interviews.csv", usecols=["respondent_id", "department", "level"])
    biggest = people["department"].value_counts().index[0]
    who = people[(people["department"] == biggest) & (people["level"] == "frontline")]["respondent_id"].iloc[0]
    excerpts = pd.read_csv(target / "excerpts.csv")
    row = pd.DataFrame([{"respondent_id": who, "area": "customer_experience", "theme": "customer promise",
                         "text": f'"{HOSTILE_QUOTE}"'}])  # a verbatim quote, as the demo files write them
    pd.concat([excerpts, row]).to_csv(target / "excerpts.csv", index=False)
    return target


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory) -> dict[str, Path]:
    """Real reports (executed notebook + deck.html + deck.pdf when Chromium exists) for every
    demo client and a hostile-text variant, produced once per test session."""
    from toolkit.report import run_report

    clients = tmp_path_factory.mktemp("clients")
    out = tmp_path_factory.mktemp("reports")
    folders = [CLIENT_DATA / name for name in sorted(p.name for p in CLIENT_DATA.iterdir()
                                                     if (p / "client.yaml").exists())]
    folders.append(make_hostile_client(clients))
    formats = "html,pdf" if find_test_chromium() else "html"
    published = {}
    for folder in folders:
        result = run_report(folder, out_dir=out, formats=formats)
        assert result.status == "ok", result.message
        published[folder.name] = result.out_dir
    return published
