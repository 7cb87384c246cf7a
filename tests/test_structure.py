"""The code's structure (DESIGN 5): a light public API, no import cycles, no upward imports, one pipeline."""
from __future__ import annotations

import ast
import subprocess
import sys

import numpy as np
import pandas as pd

from conftest import ROOT

PACKAGE = ROOT / "toolkit"


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def _import_graph() -> dict[str, set[str]]:
    """Edges module -> toolkit module for every import, at module level or inside a function
    (imports under ``if TYPE_CHECKING:`` are left out: they never run)."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, tree in modules.items():
        skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                           for a in node.names]
            for target in targets:
                found = resolve(target) if target.startswith("toolkit") else None
                if found and found != name:
                    graph[name].add(found)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_the_package_has_no_import_cycle():
    assert _cycles(_import_graph()) == []


def test_lower_layers_never_import_upper_ones():
    graph = _import_graph()

    def reaches(module: str, prefixes: tuple[str, ...]) -> list[str]:
        return sorted(t for t in graph[module] if any(t == p or t.startswith(p + ".") for p in prefixes))

    renderers = ("toolkit.deck", "toolkit.slides", "toolkit.pptx", "toolkit.plots", "toolkit.cli", "toolkit.report")
    assert reaches("toolkit.story", renderers) == []           # the story knows no renderer
    for module in [m for m in graph if m.startswith(("toolkit.metrics", "toolkit.intake"))]:
        assert reaches(module, renderers + ("toolkit.story", "toolkit.explore", "toolkit.batch")) == [], module
    for module in [m for m in graph if m.startswith("toolkit.intake")]:
        assert reaches(module, ("toolkit.metrics",)) == [], module
    for module in [m for m in graph if m.startswith("toolkit.run")]:
        assert reaches(module, ("toolkit.story", "toolkit.report", "toolkit.batch", "toolkit.cli")) == [], module


def test_no_module_computes_the_repository_root_from_its_own_path():
    offenders = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                 if "parents[" in p.read_text(encoding="utf-8") or "Path(__file__)" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_the_public_api_is_one_import_away_and_import_toolkit_stays_light():
    code = ("import sys, toolkit; heavy = [m for m in ('pandas', 'toolkit.story', 'toolkit.report') "
            "if m in sys.modules]; names = sorted(n for n in toolkit.__all__ if n != '__version__'); "
            "print(heavy, [n for n in names if getattr(toolkit, n) is None])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[] []"
    import toolkit
    from toolkit.batch.run import run_batch
    from toolkit.explore.widgets import Explorer
    from toolkit.intake import load_client
    from toolkit.report import run_report
    from toolkit.story import build_story

    assert (toolkit.load_client, toolkit.build_story, toolkit.run_report, toolkit.run_batch, toolkit.Explorer) == (
        load_client, build_story, run_report, run_batch, Explorer)


def test_training_checks_see_exactly_the_story_the_deck_shows():
    from toolkit.story import build_story
    from toolkit.training import training_data

    data = training_data()
    story = build_story(data.client_dir)
    assert data.client.wave == story.client.wave and data.previous.wave == story.previous_wave
    assert data.protected.oai["value"] == story.assessment.oai["value"]
    pd.testing.assert_frame_equal(data.protected.areas, story.assessment.areas)
    assert data.findings.summary_sentences == story.findings.summary_sentences


def test_the_explorer_drift_view_is_the_story_of_the_same_wave():
    from toolkit.explore.compare import drift_assessment
    from toolkit.explore.engine import ExploreEngine
    from toolkit.story import build_story
    from toolkit.training import training_data

    folder = training_data().client_dir
    engine = ExploreEngine()
    drift = drift_assessment(engine, folder, engine.load(folder))
    story = build_story(folder)
    assert drift is not None and drift.drift is not None and not drift.drift.empty
    assert np.allclose(drift.drift["difference"].astype(float), story.assessment.drift["difference"].astype(float),
                       equal_nan=True)
    pd.testing.assert_frame_equal(drift.areas, story.assessment.areas)
