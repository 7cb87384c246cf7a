"""The assessment notebook, executed by papermill in real kernels for every demo client."""
from __future__ import annotations

import json
import re

import nbformat
import pytest

from conftest import CLIENT_DATA, HOSTILE_NAME, ROOT
from toolkit.intake import load_client
from toolkit.summary import validate_summary

pytestmark = pytest.mark.notebook
DEMO = sorted(p.name for p in CLIENT_DATA.iterdir() if (p / "client.yaml").exists())


def test_notebook_is_committed_clean_with_one_parameters_cell():
    nb = nbformat.read(ROOT / "notebooks" / "assessment.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert all(not c.source.lstrip().startswith(("def ", "for ", "class ")) for c in nb.cells)


@pytest.mark.parametrize("client", DEMO)
def test_notebook_runs_for_every_demo_client(demo_reports, client):
    out = demo_reports[client]
    nb = nbformat.read(out / "assessment.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    summary = json.loads((out / "summary.json").read_text())
    validate_summary(summary)
    assert summary["client_id"] == client
    assert 0 <= summary["oai"]["value"] <= 100
    assert len(summary["findings"]["summary_sentences"]) == 3


@pytest.mark.parametrize("client", DEMO)
def test_deck_html_shows_no_respondent_id_and_no_small_group_value(demo_reports, client):
    out = demo_reports[client]
    html = (out / "deck.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", html))
    ids = set(load_client(CLIENT_DATA / client).ratings["respondent_id"].astype(str))
    leaked = {i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)}
    assert leaked == set()
    summary = json.loads((out / "summary.json").read_text())
    k = load_client(CLIENT_DATA / client).config.privacy.min_group_size
    for table in ("departments", "levels", "coverage", "items"):
        for row in summary[table]:
            if row.get("n") is not None and row["n"] < k:
                pytest.fail(f"{table}: a group of {row['n']} < {k} respondents is shown: {row}")


def test_small_department_is_suppressed_in_deck_text_and_summary(demo_reports):
    out = demo_reports["northwind-logistics"]
    summary = json.loads((out / "summary.json").read_text())
    rows = [r for r in summary["departments"] if r["department"] == "Customs Brokerage"]
    assert rows and all(r["suppressed"] and r["perception"] is None for r in rows)
    html = (out / "deck.html").read_text(encoding="utf-8")
    cell = re.search(r"<td>Customs Brokerage</td><td>(.*?)</td>", html)
    assert cell is not None and "suppressed" in cell.group(1)


def test_client_text_is_escaped_in_the_deck(demo_reports):
    html = (demo_reports["hostile-co"] / "deck.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" not in html  # a quote's markup is stripped, not shown escaped
    assert HOSTILE_NAME not in html


def test_slides_are_stored_once_not_twice(demo_reports):
    nb = nbformat.read(demo_reports["swiftmart"] / "assessment.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type in ("execute_result", "display_data") and "text/html" in o.get("data", {})]
    assert outputs, "slide cells produce display results"
    for output in outputs:
        assert len(output.data.get("text/plain", "")) < 200  # a short repr, not a second copy of the HTML
