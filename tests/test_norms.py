"""Norms files and `alignment norms import` (tested on the real UK CSPS 2019 table, never copied here)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.errors import DefinitionError
from toolkit.norms import NORMS_DIR, norm_percentile, read_crosswalk, read_norms, synthetic_norms

ROOT = Path(__file__).resolve().parents[1]
CSPS = ROOT.parent.parent / "shared" / "data" / "uk-csps-2019" / "civil-service-people-survey-2019-organisation-scores.csv"
CSPS = CSPS if CSPS.exists() else Path("/work/shared/data/uk-csps-2019") / CSPS.name


@pytest.mark.skipif(not CSPS.exists(), reason="the UK CSPS 2019 table lives outside the repository")
def test_import_from_the_uk_civil_service_people_survey(tmp_path, capsys):
    out = tmp_path / "uk-csps-2019.csv"
    assert main(["norms", "import", str(CSPS), "--crosswalk",
                 str(NORMS_DIR / "crosswalk-uk-csps-2019.yaml"), "--out", str(out)]) == 0
    assert "from 109 organisations" in capsys.readouterr().out
    norms = read_norms(out)
    area = norms.set_index(["scope", "id"])
    # B19 (team improves the service) across 109 organisations: median 82 %, p10 76 %
    assert area.loc[("area", "customer_experience"), "p50"] == 82.0
    assert area.loc[("area", "customer_experience"), "p10"] == 76.0
    assert area.loc[("item", "MS07"), "n_orgs"] == 109
    assert set(norms["year"]) == {2019}
    assert norms["licence"].str.contains("Open Government Licence v3.0").all()
    # the median and mean benchmark rows are not organisations
    raw = pd.read_csv(CSPS, encoding="utf-8-sig", dtype=str)
    assert len(raw) - 2 == 109


def test_demo_norms_are_synthetic_and_valid():
    shipped = read_norms(NORMS_DIR / "demo-synthetic.csv")
    pd.testing.assert_frame_equal(shipped, synthetic_norms(), check_dtype=False)
    assert shipped["source"].str.contains("Synthetic").all()


def test_norm_percentile_interpolates_and_clamps():
    row = pd.Series({"p10": 40, "p25": 50, "p50": 60, "p75": 70, "p90": 80})
    assert norm_percentile(60, row) == 50.0
    assert norm_percentile(45, row) == pytest.approx(17.5)
    assert (norm_percentile(10, row), norm_percentile(100, row)) == (5.0, 95.0)


def test_crosswalk_without_a_source_is_refused(tmp_path):
    bad = tmp_path / "cw.yaml"
    bad.write_text("questions: {MS07: B14}\nyear: 2019\nlicence: x\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="'source' is required"):
        read_crosswalk(bad)


@pytest.mark.slow
def test_scorecard_names_the_norm_for_a_first_client():
    from toolkit.slides.chart_slides import norms_caption
    from toolkit.story import build_story

    text = norms_caption(build_story(ROOT / "client_data" / "swiftmart"))
    assert "Synthetic demo norms (not real data), 2026" in text
    assert "Management Style 5th" in text  # 28 % favourable sits below the synthetic p10
