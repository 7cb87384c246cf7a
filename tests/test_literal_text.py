"""Client text reaches charts as written: dollar signs and LaTeX-like text are drawn literally.

A KPI called "Refunds above $10% of the bill or $5% ..." used to validate and
then fail in the kernel with matplotlib's ``ParseException``; "$2M ... $1M"
was drawn as garbled math.
"""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from conftest import CLIENT_DATA, ROOT
from toolkit.plots import plot_heatmap, theme
from toolkit.report import run_report

CLIENT = "harbor-concierge"
NAME = "Harbor $2M Concierge $1M"
KPI = r"Refunds above $10% of the bill or $5% \frac{a}{b}"
DEPARTMENT = r"Desk $x^2$ \alpha"
QUESTION = r"Refunds over $5 need a manager's $\sqrt{ok}$"


def _dollar_client(folder: Path) -> Path:
    """A copy of a demo client with dollar and LaTeX-like text in name, KPI, department and a question."""
    import yaml

    client = folder / CLIENT
    shutil.copytree(CLIENT_DATA / CLIENT, client)
    config = yaml.safe_load((client / "client.yaml").read_text())
    config["name"] = NAME
    config["kpis"][0]["name"] = KPI
    (client / "client.yaml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    ratings = pd.read_csv(client / "interviews.csv", dtype=str)
    first = ratings["department"].iloc[0]
    ratings["department"] = ratings["department"].replace(first, DEPARTMENT)
    ratings.to_csv(client / "interviews.csv", index=False)
    ops = pd.read_csv(client / "operations.csv", dtype=str)
    ops["department"] = ops["department"].replace(first, DEPARTMENT)
    ops.to_csv(client / "operations.csv", index=False)
    bank = pd.read_csv(ROOT / "templates" / "question_bank.csv", dtype=str)
    bank.loc[bank["question_id"] == "CX01", "text"] = QUESTION
    bank.to_csv(client / "questions.csv", index=False)
    return client


def test_theme_draws_dollar_text_literally() -> None:
    data = pd.DataFrame({"department": [DEPARTMENT, "Ops $3"], "area": ["customer_experience"] * 2,
                         "perception": [70.0, 55.0], "suppressed": [False, False]})
    with theme():
        fig = Figure()
        ax = plot_heatmap(data, ax=fig.add_subplot())
        ax.set_title(KPI)
        fig.savefig(__import__("io").BytesIO(), format="svg")  # mathtext would raise ParseException here
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert KPI in texts and DEPARTMENT in texts
    assert all(not t.get_parse_math() for t in fig.findobj(Text) if "$" in t.get_text())


@pytest.mark.notebook
def test_real_deck_with_dollar_and_latex_text_renders(tmp_path, chromium_path) -> None:
    client = _dollar_client(tmp_path)
    result = run_report(client, out_dir=tmp_path / "reports", formats="html,pdf,pptx")
    assert result.status == "ok", result.message
    out = result.out_dir
    assert out is not None
    html = (out / "deck.html").read_text(encoding="utf-8")
    assert "Harbor $2M Concierge $1M" in html  # escaped HTML keeps the dollars as written
    with zipfile.ZipFile(out / "deck.pptx") as deck:
        slides = " ".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.startswith("ppt/slides/slide"))
    assert NAME in slides
    pdf_text = subprocess.run(["pdftotext", str(out / "deck.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
    assert "$2M" in pdf_text and "$1M" in pdf_text
