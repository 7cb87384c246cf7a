"""The shared view: one self-contained HTML page of the explorer's view that opens offline in Chromium.

The page is what a consultant e-mails to a client without Jupyter, so it must
load nothing (zero requests beyond the file itself, counted by Playwright) and
show nothing the privacy rules hide (no suppressed group's name or number, no
respondent id, no roster name).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from conftest import CLIENT_DATA
from toolkit.explore import Explorer
from toolkit.intake import load_client

NORTHWIND = "northwind-logistics"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def ex(tmp_path_factory):
    return Explorer(CLIENT_DATA, client=NORTHWIND, reports_dir=tmp_path_factory.mktemp("reports"), prefetch=False)


@pytest.fixture(scope="module")
def pages(ex):
    """The exported page of a what-if department view, of the full view and of a suppressed view."""
    out = {}
    ex.department_picker.value = "Linehaul"
    ex.area_sliders["proven_processes"].value = 0.9
    out["whatif"] = ex.export() / "view.html"
    ex.reset_weights()
    ex.department_picker.value = ""
    out["full"] = ex.export() / "view.html"
    ex.department_picker.value = "Customs Brokerage"
    out["hidden"] = ex.export() / "view.html"
    ex.department_picker.value = ""
    return out


def test_page_titles_say_client_wave_filters_date_and_what_if(ex, pages):
    page = pages["whatif"].read_text(encoding="utf-8")
    name = ex.client.config.name
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert name in title and "2026-h1" in title and "Linehaul" in title
    stamp = re.search(r'<p class="oat-stamp">(.*?)</p>', page).group(1)
    assert "WHAT-IF weights" in stamp and re.search(r"exported \d{4}-\d{2}-\d{2}", stamp)
    assert page.count("data:image/png;base64,") == 4 and "What the numbers mean" in page


def test_page_opens_offline_with_zero_requests(pages, chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--no-first-run"])
        try:
            for key, path in pages.items():
                page = browser.new_page()
                requests: list[str] = []
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                others = [u for u in requests if u != path.as_uri() and not u.startswith("data:")]
                assert others == [], (key, others)
                assert page.evaluate("() => Array.from(document.images).every((i) => i.naturalWidth > 300)")
                assert "alignment" in page.inner_text("h1")
                page.close()
        finally:
            browser.close()


def test_page_passes_the_privacy_audit(ex, pages):
    client = load_client(CLIENT_DATA / NORTHWIND)
    full = ex.engine.full(client)
    # departments hidden in every area (one hidden in a single area still shows its other areas' results)
    hidden_all = full.departments.groupby("department")["suppressed"].all()
    hidden_depts = {str(d) for d, h in hidden_all.items() if h}
    assert hidden_depts                                       # northwind has a suppressed department
    ids = set(client.respondents["respondent_id"].astype(str))
    for key, path in pages.items():
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", path.read_text(encoding="utf-8"))
        assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)], key
        assert not [n for n in client.roster if n and n in text], key
        assert "<script" not in text.lower() and "http://" not in text and "https://" not in text
        if key != "hidden":
            assert not [d for d in hidden_depts if d in text], key
    hidden = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", pages["hidden"].read_text(encoding="utf-8"))
    assert "OAI: suppressed" in hidden and not re.search(r"\d+\.\d \[", hidden)
    assert "intervals from" not in hidden and "respondents</div>" not in hidden


def test_page_prints_to_pdf_through_chromium(ex, pages, chromium_path, tmp_path):
    import subprocess

    from toolkit.explore.share import view_pdf

    out = view_pdf(pages["whatif"], tmp_path / "view.pdf", chromium=chromium_path)
    assert out.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert ex.client.config.name in text and "WHAT-IF weights" in text and "Linehaul" in text
