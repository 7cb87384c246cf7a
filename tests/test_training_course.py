"""The course fixes from a new analyst's day one: the learner's workspace, the method page, clearer checks.

A learner's workspace (`alignment course start`) holds the exercises, the data and
the method page, and nothing a trainer keeps to themselves. Checks name the real
slip without giving the answer away, and the notebooks give every question a
place to answer.
"""
from __future__ import annotations

import filecmp
import json
import re

import nbformat
import numpy as np
import pytest

from conftest import ROOT
from toolkit import training
from toolkit.cli import main
from toolkit.training.course import WorkspaceExistsError, start_course

COURSE = ROOT / "notebooks" / "training"
NOTEBOOKS = sorted(COURSE.glob("0*.ipynb"))


@pytest.fixture(scope="module")
def data():
    return training.training_data()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return start_course(tmp_path_factory.mktemp("learner") / "course")


def _solution_code() -> list[str]:
    """Every filled-in exercise cell of solutions/ (what a learner must not find)."""
    found = []
    for path in sorted((COURSE / "solutions").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        found += [c.source for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    return found


# --- the learner's workspace ------------------------------------------------------------------

def test_workspace_holds_the_exercises_data_and_method_page(workspace):
    names = sorted(p.name for p in workspace.iterdir())
    assert names == sorted([p.name for p in NOTEBOOKS] + ["data", "method.md", "README.md"])
    for path in (COURSE / "data").rglob("*"):
        if path.is_file():
            assert filecmp.cmp(path, workspace / "data" / path.relative_to(COURSE / "data"), shallow=False)
    assert (workspace / "method.md").read_text() == (ROOT / "docs" / "method.md").read_text()


def test_workspace_holds_no_solution_or_trainer_text(workspace):
    files = [p for p in workspace.rglob("*") if p.is_file()]
    assert not [p for p in workspace.rglob("*") if p.name in ("solutions", "TRAINER_GUIDE.md", "build_notebooks.py")]
    guide = (COURSE / "TRAINER_GUIDE.md").read_text()
    secrets = ["do not tell learners", "What is planted", "Trainer guide"] + \
        [line.strip("- ") for line in guide.splitlines() if line.startswith("- **")][:3]
    solutions = [s for s in _solution_code() if s.strip() and "..." not in s]
    assert len(solutions) >= 15
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret.casefold() not in text.casefold(), (path, secret)
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            cells = [c.source for c in nb.cells if c.cell_type == "code"]
            assert not set(cells) & set(solutions), path
            exercises = [c.source for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
            assert exercises and all(src.rstrip().endswith("...") for src in exercises), path


def test_workspace_links_the_method_page_it_holds(workspace):
    nb = nbformat.read(workspace / "03-scoring-by-hand.ipynb", as_version=4)
    links = re.findall(r"\]\(([^)]*method\.md)\)", "\n".join(c.source for c in nb.cells))
    assert links == ["method.md"] and (workspace / links[0]).is_file()


def test_course_start_cli_refuses_a_non_empty_folder(tmp_path, capsys):
    target = tmp_path / "ws"
    assert main(["course", "start", str(target)]) == 0
    assert "jupyter lab" in capsys.readouterr().out
    (target / "01-what-is-alignment.ipynb").write_text("my answers", encoding="utf-8")
    assert main(["course", "start", str(target)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (target / "01-what-is-alignment.ipynb").read_text() == "my answers"
    with pytest.raises(WorkspaceExistsError):
        start_course(target)


# --- the method page ---------------------------------------------------------------------------

def test_method_page_is_shipped_and_linked_everywhere():
    page = (ROOT / "docs" / "method.md").read_text()
    for term in ("Perception", "Consistency", "Evidence", "OAI", "Principal gap", "α", "suppressed",
                 "Not applicable", "90 % bootstrap"):
        assert term.casefold() in page.casefold(), term
    assert "docs/method.md" in (ROOT / "README.md").read_text()
    from toolkit.slides.content import METHOD_TEXT
    assert any("docs/method.md" in t for t in METHOD_TEXT)
    for path in NOTEBOOKS + sorted((COURSE / "solutions").glob("*.ipynb")):
        text = path.read_text()
        assert "DESIGN 2.1" not in text and "DESIGN 1" not in text, path
    m3 = (COURSE / "03-scoring-by-hand.ipynb").read_text()
    assert "../../docs/method.md" in m3 and (COURSE / "../../docs/method.md").resolve().is_file()


# --- the notebooks -----------------------------------------------------------------------------

def _cells(name: str) -> list:
    return nbformat.read(COURSE / name, as_version=4).cells


def test_every_question_has_an_answer_cell_and_a_model_answer():
    prompts = 0
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            asks = cell.cell_type == "markdown" and re.search(r"\*\*(Discuss|Why)\b|Critique the deck", cell.source)
            if not asks:
                continue
            prompts += 1
            answer, model = cells[i + 1], cells[i + 2]
            assert "answer" in answer.metadata.get("tags", []) and "Your answer" in answer.source, (path, i)
            assert model.source.startswith("<details>") and "Model answer" in model.source, (path, i)
            assert len(model.source) > 250, (path, i)
    assert prompts == 7  # one per module, two in module 3 (the r_wg "why" and r_wg(J))


def test_exercise_3_2_says_what_to_compute():
    text = next(c.source for c in _cells("03-scoring-by-hand.ipynb") if "Exercise 3.2" in c.source)
    assert "ratings" in text and "4 or 5" in text and "%" in text


def test_module_timings_are_realistic():
    heads = {p.name[:2]: nbformat.read(p, as_version=4).cells[0].source.splitlines()[0] for p in NOTEBOOKS}
    assert "60-90 minutes" in heads["03"] and "about 30 minutes" in heads["01"]
    assert not any("(45 minutes)" in h for h in heads.values())
    guide = (COURSE / "TRAINER_GUIDE.md").read_text()
    assert "| 3 Scoring by hand | 60–90 min |" in guide


def test_tables_show_whole_item_texts():
    for name in ("02-intake.ipynb", "03-scoring-by-hand.ipynb", "04-reading-the-evidence.ipynb"):
        setup = "\n".join(c.source for c in _cells(name) if c.cell_type == "code")
        assert 'pd.set_option("display.max_colwidth", None)' in setup, name


# --- the checks --------------------------------------------------------------------------------

def test_rwg_tells_standard_deviation_from_population_variance(data):
    v = data.item_values("CX04")
    sd = max(0.0, 1 - float(np.std(v, ddof=1)) / 2)
    pop = max(0.0, 1 - float(np.var(v, ddof=0)) / 2)
    assert abs(sd - pop) < 0.005  # the two slips give nearly the same number on this item
    by_sd, by_pop = training.check("3-rwg", sd), training.check("3-rwg", pop)
    assert "standard deviation" in by_sd.message and "population variance" not in by_sd.message
    assert "population variance" in by_pop.message and "standard deviation" not in by_pop.message
    rounded = training.check("3-rwg", round(sd, 2))
    assert "standard deviation" in rounded.message and "population variance" in rounded.message


def test_wrong_number_does_not_give_the_answer_by_subtraction(data):
    right = float(data.area_row("customer_experience")["perception"])
    for wrong in (right + 6.33, right - 4.2):
        result = training.check("3-perception", round(wrong, 2))
        assert not result.passed
        numbers = [float(x) for x in re.findall(r"\d+\.\d+", result.message + result.hint)]
        assert numbers == [round(wrong, 2)], result.message
        assert ("too high" if wrong > right else "too low") in result.message


@pytest.mark.parametrize("answer", [["customer", "effort", "different"], ["cost", "customer", "unique"],
                                    ["inconsistent", "slow", "blurred"], ["customer", "efficiency", "edge"]])
def test_costs_refuse_bare_words(answer):
    result = training.check("1-costs", answer)
    assert not result.passed and result.message.startswith("0 of the 3")


@pytest.mark.parametrize("answer", [
    ["customers get a different service depending on the team", "duplicated work and rework",
     "competitors can copy what made us unique"],
    ["inconsistent client experience", "wasted effort", "diluted differentiation"],
])
def test_costs_accept_paraphrases(answer):
    assert training.check("1-costs", answer).passed


def test_costs_count_one_cost_per_phrase():
    result = training.check("1-costs", ["inconsistent customer experience", "inconsistent customer experience",
                                        "internal inefficiency"])
    assert result.message.startswith("2 of the 3")
    assert json.dumps(result.hint)  # a hint for the missing cost
    assert "competitor" in result.hint
