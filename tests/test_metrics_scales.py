"""Native answer scales through intake and metrics (DESIGN 2.1, method v2)."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from toolkit.intake import load_client
from toolkit.intake.mapping import Scale
from toolkit.metrics import assess
from toolkit.metrics.consistency import consistency, display_sigma2
from toolkit.model import RatingScale

DATA = Path(__file__).resolve().parent / "data" / "mapping" / "long-flags"
LABELS4 = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
ITEMS = ["CX01", "CX02", "CX03", "CX05", "MS01", "MS02", "PP01", "PP02"]


def _four_point_long_export(tmp_path: Path, seed: int = 7, n: int = 60) -> tuple[Path, dict[str, float]]:
    """A public-sector style one-row-per-answer export on a 4-point label scale.

    Returns the folder and, per area prefix, the agree-or-strongly-agree share (%).
    """
    rng = np.random.default_rng(seed)
    folder = tmp_path / "public4"
    folder.mkdir()
    shutil.copy(DATA / "client.yaml", folder / "client.yaml")
    shutil.copy(DATA / "operations.csv", folder / "operations.csv")
    (folder / "mapping.yaml").write_text(
        "interviews:\n  long: {respondent: Id, question: Item, answer: Answer, attributes: {Unit: department}}\n"
        "  scale: {preset: agreement4}\n  levels: {column: Grade, default: frontline}\n")
    rows = ["Id,Item,Answer,Grade"]
    agree = {"CX": [0, 0], "MS": [0, 0], "PP": [0, 0]}
    for i in range(n):
        grade = "executive" if i % 10 == 0 else ("manager" if i % 3 == 0 else "frontline")
        rows.append(f"P{i},Unit,{['North', 'South', 'East'][i % 3]},{grade}")
        for q in ITEMS:
            k = int(rng.choice(4, p=[0.06, 0.16, 0.36, 0.42]))
            rows.append(f"P{i},{q},{LABELS4[k]},{grade}")
            agree[q[:2]][0] += k >= 2
            agree[q[:2]][1] += 1
    (folder / "interviews.csv").write_text("\n".join(rows) + "\n")
    return folder, {p: 100.0 * a / t for p, (a, t) in agree.items()}


def test_four_point_long_export_favourable_is_agree_or_strongly_agree(tmp_path: Path) -> None:
    folder, shares = _four_point_long_export(tmp_path)
    client = load_client(folder)
    assert client.scale.points == 4 and client.scale.describe() == "4-point scale (1-4); favourable = 3-4"
    # ratings are shown on 1-5: 1, 2.33, 3.67, 5
    assert sorted(np.unique(client.ratings["rating"]).round(4).tolist()) == [1.0, 2.3333, 3.6667, 5.0]
    a = assess(client, n_boot=50)
    fav = a.areas["favourable"]
    assert fav["customer_experience"] == pytest.approx(shares["CX"])
    assert fav["management_style"] == pytest.approx(shares["MS"])
    assert fav["proven_processes"] == pytest.approx(shares["PP"])
    assert fav["customer_experience"] > 70  # the v1 rule (>= 4 on 1-5) would have counted "Strongly agree" only
    assert a.scale["points"] == 4 and a.items["points"].eq(4).all()


def test_four_point_consistency_uses_native_null_variance(tmp_path: Path) -> None:
    folder, _ = _four_point_long_export(tmp_path)
    client = load_client(folder)
    a = assess(client, n_boot=50)
    r = client.ratings[client.ratings["question_id"] == "CX01"]["rating"].to_numpy()
    native = 1 + (r - 1) * 3 / 4  # back to 1..4
    expected = max(0.0, 1 - native.var(ddof=1) / ((4 ** 2 - 1) / 12))
    assert a.items.set_index("question_id").loc["CX01", "rwg"] == pytest.approx(expected)


@pytest.mark.parametrize("points", [4, 5, 6, 7])
def test_rwg_is_the_same_on_native_and_display_metric(points: int) -> None:
    rng = np.random.default_rng(points)
    native = rng.integers(1, points + 1, size=(25, 3)).astype(float)
    display = 1 + 4 * (native - 1) / (points - 1)
    s2_native = (points ** 2 - 1) / 12
    want = 100 * np.mean([max(0.0, 1 - native[:, j].var(ddof=1) / s2_native) for j in range(3)])
    assert consistency(display, display_sigma2(points)) == pytest.approx(want)


@pytest.mark.parametrize("yaml_scale, points, low, fav", [
    ({"min": 0, "max": 4}, 5, 0.0, 4.0),        # 0-4 is 5 points; favourable 3-4
    ({"points": 7}, 7, 1.0, 1 + 4 * 4 / 6),      # 5-7 of 7
    ({"points": 6}, 6, 1.0, 1 + 4 * 3 / 5),      # 4-6 of 6
    ({"preset": "agreement4"}, 4, 1.0, 1 + 4 * 2 / 3),
    ({"preset": "agreement4", "favourable": ["Strongly agree"]}, 4, 1.0, 5.0),
    ({}, 5, 1.0, 4.0),
])
def test_mapping_scale_gives_native_points_and_favourable_floor(yaml_scale, points, low, fav) -> None:
    s = Scale(**yaml_scale).rating_scale()
    assert (s.points, s.low) == (points, low) and s.favourable_min == pytest.approx(fav)


def test_scale_points_contradicting_min_max_is_refused() -> None:
    with pytest.raises(ValueError, match="do not match"):
        Scale(min=0, max=4, points=4)


def test_default_scale_is_five_points() -> None:
    assert RatingScale().sigma2_display == 2.0 and RatingScale().describe() == "5-point scale (1-5); favourable = 4-5"
