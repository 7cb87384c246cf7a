"""Known-answer tests of the statistical parts: bootstrap, Welch gaps, alpha, drivers, drift, benchmark."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from test_metrics_core import QUESTIONS, make_client  # noqa: E402  (tests dir is on sys.path)
from toolkit.metrics import assess, benchmark_percentiles, relative_weights
from toolkit.metrics.bootstrap import bootstrap_areas, interval, resample_counts
from toolkit.metrics.consistency import consistency
from toolkit.metrics.drivers import key_drivers
from toolkit.metrics.gaps import perception_gap
from toolkit.metrics.perception import perception
from toolkit.metrics.reliability import alpha_warning, cronbach_alpha
from toolkit.metrics.score import DEFAULT_SEED


def _random_people(n: int, seed: int, shift: dict[str, float] | None = None):
    """n respondents answering every tiny-bank item; ``shift`` moves an item's ratings."""
    rng = np.random.default_rng(seed)
    shift = shift or {}
    people = []
    for i in range(n):
        level = ("executive", "manager", "frontline")[i % 3]
        answers = {q: float(np.clip(np.rint(rng.normal(3.2 + shift.get(q, 0.0), 0.9)), 1, 5))
                   for q in QUESTIONS["question_id"]}
        people.append((f"r{i}", ("A", "B", "C")[i % 3 if i % 5 else 0], level, answers))
    return people


# --- bootstrap --------------------------------------------------------------------------------

def test_vectorised_bootstrap_matches_explicit_resamples():
    rng = np.random.default_rng(1)
    values = rng.integers(1, 6, size=(25, 3)).astype(float)
    values[rng.random(values.shape) < 0.2] = np.nan
    draws_p, draws_c = bootstrap_areas({"x": values}, 7, np.random.default_rng(42))["x"]
    counts = np.vstack(list(resample_counts(25, 7, np.random.default_rng(42))))
    for b in range(7):
        resample = np.repeat(values, counts[b].astype(int), axis=0)  # the b-th resample, row by row
        assert draws_p[b] == pytest.approx(perception(resample))
        assert draws_c[b] == pytest.approx(consistency(resample))


def test_counts_rows_sum_to_n_and_blocks_are_deterministic():
    blocks = list(resample_counts(10, 30, np.random.default_rng(0)))
    counts = np.vstack(blocks)
    assert counts.shape == (30, 10) and (counts.sum(axis=1) == 10).all()
    again = np.vstack(list(resample_counts(10, 30, np.random.default_rng(0))))
    assert np.array_equal(counts, again)


@pytest.mark.slow
def test_bootstrap_is_deterministic_and_brackets_the_point():
    client = make_client(people=_random_people(60, 3))
    a1, a2 = assess(client, n_boot=300, seed=7), assess(client, n_boot=300, seed=7)
    pd.testing.assert_frame_equal(a1.areas, a2.areas)
    assert a1.oai == a2.oai
    a3 = assess(client, n_boot=300, seed=8)
    assert a3.areas.loc["customer_experience", "perception_lo"] != a1.areas.loc["customer_experience", "perception_lo"]
    rated = a1.areas.dropna(subset=["perception"])
    for metric in ("perception", "alignment"):
        assert (rated[f"{metric}_lo"] <= rated[metric]).all() and (rated[metric] <= rated[f"{metric}_hi"]).all()
    assert a1.oai["lo"] <= a1.oai["value"] <= a1.oai["hi"]
    assert (rated["perception_hi"] - rated["perception_lo"] > 0).all()


def test_interval_is_the_90_percent_percentile_interval():
    assert interval(np.arange(1001.0)) == pytest.approx((50.0, 950.0))
    assert all(np.isnan(interval(np.array([np.nan, np.nan]))))


# --- Welch gap ---------------------------------------------------------------------------------

def test_welch_gap_known_answer():
    a, b = np.array([75.0, 100.0, 75.0]), np.array([50.0, 50.0, 25.0])
    # means 83.33 and 41.67 -> gap 41.67; s2 = 208.33 each; t = 41.67 / sqrt(2 * 208.33 / 3) = 3.5355;
    # equal sizes and variances -> Welch df = 4
    t = (250 / 3 - 125 / 3) / np.sqrt(2 * (1250 / 6) / 3)
    assert t == pytest.approx(3.5355, abs=1e-4)
    g = perception_gap(a, b, min_group_size=3)
    assert g["gap"] == pytest.approx(125 / 3)
    assert g["p_value"] == pytest.approx(2 * stats.t.sf(t, 4))
    assert g["flagged"] is True
    assert perception_gap(a, b, min_group_size=4)["flagged"] is False  # groups below the threshold
    assert perception_gap(b, a, min_group_size=3)["flagged"] is False  # negative gap


def test_gap_of_9_99_points_is_not_flagged():
    g = perception_gap(np.array([60.0, 60.0, 60.0]), np.array([50.01, 50.01, 50.01]), 3)
    assert g["gap"] == pytest.approx(9.99) and g["flagged"] is False


# --- reliability -------------------------------------------------------------------------------

def test_cronbach_alpha_known_answer():
    # method v2: pairwise-complete covariances, so the 5th respondent (one gap) still counts.
    x = np.array([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5], [5, np.nan, 5]], dtype=float)
    cov = pd.DataFrame(x).cov()  # pandas' cov is pairwise-complete, ddof 1
    expected = 1.5 * (1 - np.trace(cov.to_numpy()) / cov.to_numpy().sum())
    alpha, n, lo, hi = cronbach_alpha(x)
    assert n == 5 and alpha == pytest.approx(expected) and alpha == pytest.approx(10 / 11)
    # complete data: the classic listwise formula and the pairwise one agree
    full = x[:4]
    listwise = 1.5 * (1 - full.var(axis=0, ddof=1).sum() / full.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(full).alpha == pytest.approx(listwise) and listwise == pytest.approx(0.93878, abs=1e-5)
    assert lo < alpha < hi


def test_alpha_warning_sentence():
    assert alpha_warning("Proven Processes", 0.5).startswith("Proven Processes: the items hang together weakly")
    assert alpha_warning("Proven Processes", 0.7) == "" and alpha_warning("x", float("nan")) == ""


# --- key drivers --------------------------------------------------------------------------------

def _johnson_direct(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson (2000) as published: SVD of standardised X, orthogonal Z = P Q', regress y and X on Z."""
    zx = (x - x.mean(0)) / x.std(0, ddof=1)
    zy = (y - y.mean()) / y.std(ddof=1)
    p, _, qt = np.linalg.svd(zx, full_matrices=False)
    z = p @ qt
    z = (z - z.mean(0)) / z.std(0, ddof=1)
    beta = np.linalg.lstsq(z, zy, rcond=None)[0]         # y on Z
    lam = np.linalg.lstsq(z, zx, rcond=None)[0]           # X on Z (p x p)
    return (lam ** 2).T @ (beta ** 2)


def test_relative_weights_match_direct_implementation_and_sum_to_r2():
    x = np.array([[1, 2, 1], [2, 1, 3], [3, 4, 2], [4, 3, 5], [5, 5, 4], [2, 3, 3], [4, 2, 1]], dtype=float)
    y = np.array([1.0, 2.5, 2.0, 4.5, 5.0, 2.0, 2.5])
    raw, r2 = relative_weights(x, y)
    assert raw == pytest.approx(_johnson_direct(x, y), abs=1e-10)
    design = np.column_stack([np.ones(len(y)), x])
    resid = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    ols_r2 = 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))
    assert r2 == pytest.approx(ols_r2) and raw.sum() == pytest.approx(ols_r2)


def test_relative_weights_orthogonal_predictors_are_squared_correlations():
    # uncorrelated predictors: each raw weight is r(x_j, y)^2
    x = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]], dtype=float)
    y = np.array([3.0, 1.0, 0.0, -2.0])
    raw, _ = relative_weights(x, y)
    r = [np.corrcoef(x[:, j], y)[0, 1] for j in range(2)]
    assert raw == pytest.approx(np.square(r))


def test_key_drivers_need_30_respondents():
    rng = np.random.default_rng(0)
    means = pd.DataFrame(rng.normal(size=(29, 2)), columns=["customer_experience", "proven_processes"])
    few = key_drivers(means, pd.Series(rng.normal(size=29)))
    assert few.attrs["refused"] == "too_few" and few["relative_weight"].isna().all()
    means = pd.DataFrame(rng.normal(size=(40, 2)), columns=["customer_experience", "proven_processes"])
    out = key_drivers(means, means.sum(axis=1) + pd.Series(rng.normal(size=40)))
    assert out is not None and out["relative_weight"].sum() == pytest.approx(100.0)
    assert out["raw_weight"].sum() == pytest.approx(out.attrs["r_squared"]) and out.attrs["n"] == 40


def test_assess_drivers_none_below_30_and_present_above():
    assert assess(make_client(people=_random_people(20, 1)), n_boot=0).drivers is None
    d = assess(make_client(people=_random_people(45, 1)), n_boot=0).drivers
    assert d is not None and d["area"].tolist() == ["customer_experience", "management_style", "proven_processes"]


# --- drift -----------------------------------------------------------------------------------------

def test_drift_identical_waves_is_zero_and_not_significant():
    client = make_client(people=_random_people(40, 5))
    drift = assess(client, previous=client, n_boot=200).drift
    assert drift.columns.tolist() == ["area", "metric", "previous", "current", "difference", "lo", "hi",
                                      "significant", "p_value", "p_holm"]
    rated = drift.dropna(subset=["difference"])
    assert (rated["difference"] == 0).all() and not rated["significant"].any()
    assert set(drift["metric"]) == {"alignment", "perception", "consistency", "oai"}


def _renamed(people, prefix: str):
    return [(prefix + r, d, lv, a) for r, d, lv, a in people]


@pytest.mark.slow
def test_drift_waves_are_bootstrapped_independently(monkeypatch):
    """Different people (no recurring id): the two waves' resample matrices differ yet are reproducible."""
    import toolkit.metrics.bootstrap as bootstrap

    seen: list[np.ndarray] = []

    def recording(n, n_boot, rng):
        for block in resample_counts(n, n_boot, rng):
            seen.append(block)
            yield block

    monkeypatch.setattr(bootstrap, "resample_counts", recording)
    current = make_client(people=_random_people(30, 1))
    previous = make_client(people=_renamed(_random_people(30, 2), "p"))
    first = assess(current, previous=previous, n_boot=50).drift
    respondent_blocks = [b for b in seen if b.shape == (50, 30)]
    assert len(respondent_blocks) == 2 and not np.array_equal(respondent_blocks[0], respondent_blocks[1])
    # the current wave keeps the stream of `seed` itself: same draws as assessing it alone
    np.testing.assert_array_equal(respondent_blocks[0],
                                  next(resample_counts(30, 50, np.random.default_rng(DEFAULT_SEED))))
    again = assess(current, previous=previous, n_boot=50).drift
    pd.testing.assert_frame_equal(first, again)
    assert first.attrs["paired"] is False


def test_recurring_respondents_are_resampled_as_pairs():
    from toolkit.metrics.bootstrap import paired_counts

    prev_ids = np.array(["a", "b", "c", "x"], dtype=object)
    cur_ids = np.array(["c", "a", "y", "z", "b"], dtype=object)
    pc, cc = paired_counts(prev_ids, cur_ids, 200, np.random.default_rng(3))
    for person in ("a", "b", "c"):
        np.testing.assert_array_equal(pc[person].to_numpy(), cc[person].to_numpy())
    assert (pc.sum(axis=1) == 4).all() and (cc.sum(axis=1) == 5).all()
    assert not np.array_equal(pc["x"].to_numpy(), cc["y"].to_numpy())


@pytest.mark.slow
def test_same_people_same_answers_pair_to_no_drift():
    # recurring ids are paired: identical answers by the same people give a difference of exactly 0
    client = make_client(people=_random_people(40, 5))
    d = assess(client, previous=client, n_boot=200).drift
    assert d.attrs["paired"] is True
    rated = d.dropna(subset=["difference"])
    assert (rated["lo"] == 0).all() and (rated["hi"] == 0).all() and not rated["significant"].any()


@pytest.mark.slow
def test_drift_of_identical_waves_has_a_real_interval():
    # other people answering identically (no recurring id): independent resamples, a real interval
    client = make_client(people=_random_people(40, 5))
    other = make_client(people=_renamed(_random_people(40, 5), "p"))
    d = assess(client, previous=other, n_boot=200).drift.set_index(["area", "metric"])
    oai = d.loc[("overall", "oai")]
    assert oai["difference"] == 0 and oai["lo"] < 0 < oai["hi"] and not oai["significant"]


def test_drift_detects_a_real_improvement():
    before = make_client(people=_random_people(60, 11, shift={"PP1": -1.2}))
    after = make_client(people=_random_people(60, 12, shift={"PP1": +1.0}))
    d = assess(after, previous=before, n_boot=400).drift.set_index(["area", "metric"])
    pp = d.loc[("proven_processes", "alignment")]
    assert pp["difference"] > 10 and pp["lo"] > 0 and pp["significant"]
    assert pp["difference"] == pytest.approx(pp["current"] - pp["previous"])
    assert not d.loc[("management_style", "perception"), "significant"]


# --- benchmark -----------------------------------------------------------------------------------

def test_benchmark_percentile_ties_count_half():
    cur = pd.DataFrame({"alignment": [60.0, 90.0]}, index=pd.Index(["customer_experience", "proven_processes"],
                                                                    name="area"))
    others = pd.DataFrame({"client_id": list("abcdef") * 2,
                           "area": ["customer_experience"] * 6 + ["proven_processes"] * 6,
                           "alignment": [50, 60, 60, 70, 80, 40, 10, 20, 30, 40, 50, 95]})
    out = benchmark_percentiles(cur, others).set_index("area")
    # CX: below 50, 40 (2) + ties 60, 60 (2 * .5) = 3 of 6 -> 50 %; PP: 5 below of 6 -> 83.3 %
    assert out.loc["customer_experience", "percentile"] == pytest.approx(50.0)
    assert out.loc["proven_processes", "percentile"] == pytest.approx(500 / 6)
    assert out["n_clients"].tolist() == [6, 6]


def test_benchmark_needs_five_other_clients():
    cur = pd.DataFrame({"area": ["customer_experience"], "alignment": [60.0]})
    others = pd.DataFrame({"client_id": list("abcde"), "area": "customer_experience",
                           "alignment": [1.0, 2, 3, 4, 5]})
    assert benchmark_percentiles(cur, others.iloc[:4]) is None
    assert benchmark_percentiles(cur, others, client_id="a") is None  # its own row does not count
    assert benchmark_percentiles(cur, others)["percentile"].iloc[0] == 100.0
    assert benchmark_percentiles(cur, None) is None


@pytest.mark.parametrize("seed", range(5))
def test_welch_p_value_agrees_with_scipy(seed):
    from scipy import stats

    from toolkit.metrics.gaps import welch_p_value

    rng = np.random.default_rng(seed)
    a, b = rng.normal(60, 10, 7), rng.normal(50, 20, 12)
    assert welch_p_value(a, b) == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue, rel=1e-9)


@pytest.mark.parametrize("df", [1, 1.5, 2, 4.7, 10, 33.3, 1e4])
def test_t_two_sided_p_agrees_with_scipy(df):
    from toolkit.metrics.tdist import t_two_sided_p

    for t in np.linspace(0, 40, 81):
        expected = 2 * stats.t.sf(t, df)
        assert t_two_sided_p(float(t), df) == pytest.approx(expected, rel=1e-8, abs=1e-300)
    assert t_two_sided_p(float("inf"), 3) == 0.0
    assert np.isnan(t_two_sided_p(1.0, 0))
