"""Shared fixtures: repository paths, figure clean-up and the browser gate."""
from __future__ import annotations

import os
import re
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


#: Test files heavy as a whole (every test runs whole demo clients, the explorer, the privacy audit,
#: PPTX rendering, known-truth simulations, R or memory-limited subprocesses): each of their tests is
#: marked ``slow`` here, so ``make test-fast`` (``-m "not notebook and not browser and not slow"``)
#: leaves them to ``make test``. Single heavy tests elsewhere carry ``@pytest.mark.slow`` themselves.
SLOW_FILES = frozenset({
    "test_batch_scoring.py", "test_explore.py", "test_explore_compare.py", "test_explore_fixes.py",
    "test_explore_share.py", "test_hardening.py", "test_metrics_reference_r.py", "test_metrics_simulation.py",
    "test_metrics_stories.py", "test_onboarding.py", "test_pptx_native.py", "test_privacy.py",
    "test_privacy_linked.py", "test_privacy_measures.py", "test_privacy_publication.py", "test_storyline.py",
    "test_structure.py",
})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


_PYTESTMARK = re.compile(r"^pytestmark\s*=\s*(.*)$", re.MULTILINE)


def _file_marks(path: Path) -> set[str]:
    """The markers every test of a file carries: `SLOW_FILES`, and its module-level ``pytestmark`` line."""
    marks = {"slow"} if path.name in SLOW_FILES else set()
    found = _PYTESTMARK.search(path.read_text(encoding="utf-8"))
    if found:
        marks |= set(re.findall(r"pytest\.mark\.(\w+)", found.group(1)))
    return marks


def pytest_ignore_collect(collection_path, config):
    """When ``-m`` deselects every test of a file (``make test-fast`` and the heavy files), do not even
    import it: the imports of the notebook and heavy files (papermill, hypothesis, the explorer, PPTX)
    cost more than the quick tests themselves. Such files are then not counted as deselected."""
    markexpr = config.getoption("markexpr", "") or ""
    if not markexpr or not (collection_path.name.startswith("test_") and collection_path.suffix == ".py"):
        return None
    try:
        from _pytest.mark.expression import Expression
    except ImportError:  # pragma: no cover (pytest moved it): collect everything, as without this hook
        return None
    marks = _file_marks(collection_path)
    if marks and not Expression.compile(markexpr).evaluate(lambda name, **_: name in marks):
        return True
    return None


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
    published: dict[str, Path] = {}
    for folder in folders:
        result = run_report(folder, out_dir=out, formats=formats)
        assert result.status == "ok", result.message
        assert result.out_dir is not None
        published[folder.name] = result.out_dir
    return published
