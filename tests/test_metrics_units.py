"""Between-unit inconsistency (ICC(1), permutation test, outlier unit), Holm and the principal-gap rule."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.client_config import Privacy
from toolkit.metrics.alignment import principal_gap
from toolkit.metrics.drivers import key_drivers, relative_weights
from toolkit.metrics.gaps import level_gaps
from toolkit.metrics.multiplicity import holm
from toolkit.metrics.units import between_units, icc1, permutation_p
from toolkit.privacy import protect


def test_icc1_matches_anova_formula_with_unequal_groups():
    rng = np.random.default_rng(1)
    sizes = [4, 7, 12]
    v = np.concatenate([rng.normal(m, 1.0, size=s) for m, s in zip([0, 1, 3], sizes, strict=True)])
    g = np.repeat(np.arange(3), sizes)
    frame = pd.DataFrame({"v": v, "g": g})
    n, j = len(v), 3
    means = frame.groupby("g")["v"].mean()
    ssb = sum(s * (means[i] - v.mean()) ** 2 for i, s in enumerate(sizes))
    ssw = sum(((frame.loc[frame.g == i, "v"] - means[i]) ** 2).sum() for i in range(3))
    msb, msw = ssb / (j - 1), ssw / (n - j)
    k0 = (n - sum(s * s for s in sizes) / n) / (j - 1)
    assert icc1(v, g, 3) == pytest.approx((msb - msw) / (msb + (k0 - 1) * msw))


def test_departments_differ_only_beyond_the_shuffling_null():
    rng = np.random.default_rng(2)
    codes = np.repeat(np.arange(5), 8)
    null_calls = sum(permutation_p(rng.normal(size=40), codes, 5, rng, 200)[1] < 0.05 for _ in range(100))
    assert null_calls <= 10  # ~5 % under no difference
    shifted = rng.normal(size=40) + np.where(codes == 4, -2.0, 0.0)
    assert permutation_p(shifted, codes, 5, rng, 200)[1] < 0.05


def test_outlier_unit_is_named_only_when_far_and_clear():
    rng = np.random.default_rng(3)
    depts = np.repeat(np.array(["A", "B", "C", "D"], dtype=object), 10)
    pts = rng.normal(70, 8, size=40)
    pts[depts == "D"] -= 25
    out = between_units({"customer_experience": pts}, depts, 3, np.random.default_rng(0), n_perm=200).iloc[0]
    assert out["outlier"] == "D" and out["outlier_gap"] <= -10 and out["outlier_hi"] < 0 and out["departments_differ"]
    small = pts.copy()
    small[depts == "D"] += 20  # 5 points below: not an outlier
    out = between_units({"customer_experience": small}, depts, 3, np.random.default_rng(0), n_perm=200).iloc[0]
    assert out["outlier"] == ""


def test_protect_unnames_an_outlier_whose_department_is_hidden():
    from test_metrics_core import make_client  # noqa: E402  (tests dir is on sys.path)
    from toolkit.metrics import assess

    people = []
    for i in range(24):
        dept = "Tiny" if i < 2 else ("North" if i % 2 else "South")
        low = 1.0 if dept == "Tiny" else 4.0
        people.append((f"r{i}", dept, "frontline", {"CX1": low, "CX2": 6 - low, "MS1": 4.0, "PP1": 4.0}))
    raw = assess(make_client(people=people), n_boot=20)
    safe = protect(raw, Privacy(min_group_size=3))
    assert (safe.between_units["outlier"] != "Tiny").all()
    assert "Tiny" not in set(raw.between_units["outlier"])  # metrics never name a group below the threshold


def test_holm_flags_fewer_blind_spots_than_unadjusted_tests():
    rng = np.random.default_rng(4)
    levels = np.repeat(np.array(["executive", "manager", "frontline"], dtype=object), [6, 12, 22])
    points = {a: rng.normal(60, 12, size=40) for a in ("a", "b", "c", "d")}
    points["a"][levels == "executive"] += 35
    gaps = level_gaps(points, levels, 3)
    adj, level = holm(gaps["p_value"].to_numpy())
    assert (adj >= gaps["p_value"].to_numpy() - 1e-15).all() and level.min() == pytest.approx(0.05 / 8)
    flagged = gaps[gaps["flagged"]]
    assert set(flagged["area"]) == {"a"} and (flagged["lo"] > 0).all() and (flagged["gap"] >= 10).all()


@pytest.mark.parametrize("alignment, weights, expected", [
    ({"a": 50.0, "b": 80.0}, {"a": 0.1, "b": 0.9}, "a"),    # v1 (100 - A) would name the aligned b
    ({"a": 76.0, "b": 90.0}, {"a": 0.5, "b": 0.5}, ""),     # every area aligned: no principal gap
    ({"a": 70.0, "b": 60.0}, {"a": 0.8, "b": 0.2}, "a"),    # .8 * 5 = 4 > .2 * 15 = 3
])
def test_principal_gap_is_among_areas_below_75(alignment, weights, expected):
    assert principal_gap(alignment, weights) == expected


def test_relative_weights_refuse_near_duplicate_predictors_and_stay_in_unit_range():
    for seed in range(30):
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(45, 3))
        x = np.column_stack([x, x[:, 0] + 1e-9 * rng.normal(size=45)])
        y = x.sum(axis=1) + rng.normal(size=45)
        raw, r2 = relative_weights(x, y)
        assert 0 <= r2 <= 1 + 1e-9 and (raw >= -1e-12).all()
        frame = pd.DataFrame(x, columns=list("abcd"))
        assert key_drivers(frame, pd.Series(y), n_boot=50).attrs["refused"] == "collinear"


def test_top_driver_named_only_when_first_in_90_percent_of_resamples():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 3))
    clear = pd.Series(3 * x[:, 0] + 0.3 * x[:, 1] + rng.normal(size=60))
    out = key_drivers(pd.DataFrame(x, columns=list("abc")), clear, rng=np.random.default_rng(1), n_boot=300)
    assert out.attrs["top"] == "a" and out.loc[0, "first_share"] >= 0.9
    assert (out["relative_lo"] <= out["relative_hi"]).all() and out.loc[0, "relative_lo"] > 50
    tied = pd.Series(x[:, 0] + x[:, 1] + rng.normal(size=60))
    out = key_drivers(pd.DataFrame(x, columns=list("abc")), tied, rng=np.random.default_rng(1), n_boot=300)
    assert out.attrs["top"] == "" and out["first_share"].max() < 0.9
