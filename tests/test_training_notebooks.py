"""The training course's notebooks, executed by papermill in real kernels.

Every solution notebook must run with every check passing; every exercise
notebook, left unanswered, must run with every check reporting "not yet
answered". The capstone writes its deck into a temporary folder given as a
parameter, and no shipped course file is changed by any run.
"""
from __future__ import annotations

import hashlib
import re
import runpy
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from conftest import ROOT
from toolkit import training

pytestmark = pytest.mark.notebook
COURSE = ROOT / "notebooks" / "training"
NAMES = sorted(p.name for p in COURSE.glob("0*.ipynb"))
RESULT = re.compile(r"^\[(?P<id>\d-[\w-]+)\] (?P<word>PASSED|TRY AGAIN|NOT YET ANSWERED):", re.M)


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _run(notebook: Path, out_dir: Path) -> nbformat.NotebookNode:
    scratch = out_dir / "scratch"
    params = {"training_dir": str(COURSE), "scratch_dir": str(scratch)}
    if notebook.name.startswith("06"):
        params["reports_dir"] = str(out_dir / "reports")
    out = out_dir / notebook.name
    pm.execute_notebook(str(notebook), str(out), parameters=params, kernel_name="python3",
                        cwd=str(notebook.parent), progress_bar=False)
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[tuple[str, str], nbformat.NotebookNode]:
    """Every exercise and solution notebook, executed once (two at a time)."""
    before = _tree_hash(COURSE / "data")
    jobs = [(kind, COURSE / ("solutions" if kind == "solution" else "") / name)
            for kind in ("solution", "exercise") for name in NAMES]
    jobs.sort(key=lambda j: not j[1].name.startswith("06"))  # the slow capstone first
    with ThreadPoolExecutor(2) as pool:
        futures = {(kind, nb.name): pool.submit(_run, nb, tmp_path_factory.mktemp(f"{kind}-{nb.stem}"))
                   for kind, nb in jobs}
        done = {key: f.result() for key, f in futures.items()}
    assert _tree_hash(COURSE / "data") == before, "a notebook changed the shipped course data"
    return done


def check_results(nb: nbformat.NotebookNode) -> dict[str, str]:
    """``{exercise id: status word}`` from the text of every check output."""
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/plain", "") if "data" in out else out.get("text", "")
            for m in RESULT.finditer(text if isinstance(text, str) else "".join(text)):
                found[m["id"]] = m["word"]
    return found


def module_ids(name: str) -> set[str]:
    return set(training.list_exercises(int(name[:2])))


def test_there_are_six_modules_each_with_a_solution():
    assert len(NAMES) == 6
    assert sorted(p.name for p in (COURSE / "solutions").glob("0*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_solution_passes_every_check(executed, name):
    nb = executed[("solution", name)]
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    results = check_results(nb)
    assert set(results) == module_ids(name)
    assert set(results.values()) == {"PASSED"}, results


@pytest.mark.parametrize("name", NAMES)
def test_unanswered_exercise_notebook_reports_not_yet_answered(executed, name):
    nb = executed[("exercise", name)]
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    results = check_results(nb)
    assert set(results) == module_ids(name)
    assert set(results.values()) == {"NOT YET ANSWERED"}, results


def test_capstone_deck_is_written_to_the_given_folder_only(executed):
    nb = executed[("solution", "06-capstone.ipynb")]
    params = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    reports = Path(re.search(r'reports_dir = "([^"]+)"', params.source).group(1))
    decks = list(reports.rglob("deck.html"))
    assert len(decks) == 1 and decks[0].parent.parts[-2:] == ("larkspur-clinics", "2026-h1")
    assert not (ROOT / "reports" / "larkspur-clinics").exists()


# --- the committed notebooks -------------------------------------------------------------------

@pytest.mark.parametrize("folder", ["", "solutions"])
@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs_with_one_parameters_cell(folder, name):
    nb = nbformat.read(COURSE / folder / name, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "training_dir" in tagged[0].source
    assert all(not c.source.lstrip().startswith(("def ", "class ")) for c in nb.cells)


@pytest.mark.parametrize("name", NAMES)
def test_exercise_and_solution_share_their_cells(name):
    ex = nbformat.read(COURSE / name, as_version=4)
    sol = nbformat.read(COURSE / "solutions" / name, as_version=4)
    assert [c.cell_type for c in ex.cells] == [c.cell_type for c in sol.cells]
    same = [(a.source == b.source) for a, b in zip(ex.cells, sol.cells, strict=True)
            if "exercise" not in a.metadata.get("tags", []) and "parameters" not in a.metadata.get("tags", [])]
    assert all(same)
    exercises = [c for c in ex.cells if "exercise" in c.metadata.get("tags", [])]
    assert exercises and all(re.search(r"= \.\.\.\s*$", c.source) for c in exercises)


def test_committed_notebooks_match_their_source(tmp_path, monkeypatch):
    builder = runpy.run_path(str(COURSE / "build_notebooks.py"))
    for name, _title, cells in builder["MODULES"]:
        for solution, folder in ((False, COURSE), (True, COURSE / "solutions")):
            built = builder["build"](cells, solution)
            committed = nbformat.read(folder / f"{name}.ipynb", as_version=4)
            assert [c.source for c in built.cells] == [c.source for c in committed.cells], (name, solution)


def test_question_table_shows_whole_item_texts(executed):
    """Module 3's question table: no item wording cut to "Customers get the same q..."."""
    questions = training.training_data().client.questions
    longest = max(questions.loc[questions["area"] == "customer_experience", "text"], key=len)
    assert len(longest) > 50
    nb = executed[("exercise", "03-scoring-by-hand.ipynb")]
    shown = [out["data"].get("text/html", "") for c in nb.cells for out in c.get("outputs", []) if "data" in out]
    import html
    assert any(html.escape(longest) in "".join(s) for s in shown)
