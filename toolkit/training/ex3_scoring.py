"""Module 3, scoring by hand: perception, favourable %, r_wg, consistency and evidence of one area.

Each judge recomputes the right value with the toolkit's metrics and the
typical wrong values (no reverse keying, population variance, a wrong
sigma squared, the multi-item r_wg(J), a pooled share ...) from the same data.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.metrics.consistency import SIGMA2_UNIFORM
from toolkit.metrics.perception import favourable, perception, to_points
from toolkit.model import AREA, KPI, VALUE
from toolkit.training.context import TrainingData
from toolkit.training.numeric import Mistake, judge_number
from toolkit.training.registry import exercise
from toolkit.training.result import CheckResult

AREA3 = "customer_experience"
ITEM3 = "CX04"
TOL = 0.05  # points: answers rounded to one decimal pass

_REVERSE = ("you did not reverse-key the negatively worded items (reverse = true in the question bank)",
            "recode reverse-keyed ratings as 6 - rating before anything else.")


def _item_variances(values: np.ndarray, ddof: int) -> np.ndarray:
    return np.array([np.var(c[~np.isnan(c)], ddof=ddof) for c in values.T])


def _points(rwg: np.ndarray) -> float:
    return float(100 * np.nanmean(rwg))


@exercise("3-perception", f"perception P of {AREA3}, in points (0-100)")
def judge_perception(answer: object, data: TrainingData) -> CheckResult:
    values = data.area_values(AREA3)
    x = values[~np.isnan(values)]
    means = np.nanmean(values, axis=1)
    mistakes = [
        Mistake(perception(data.area_values(AREA3, keyed=False)), *_REVERSE),
        Mistake(100 * float(np.nanmean(means)) / 5,
                "you turned the mean rating into points as mean / 5; the scale starts at 1, not 0",
                "points = 100 * (mean - 1) / 4."),
        Mistake(float(to_points(np.nanmean(x))),
                "you averaged all ratings together; the method first averages each respondent's own "
                "ratings, so people who skipped items weigh the same as everyone else",
                "groupby respondent_id, take each respondent's mean, then the mean of those."),
    ]
    return judge_number("3-perception", answer, float(data.area_row(AREA3)["perception"]), mistakes,
                        tol=TOL, rating_scale=True,
                        hint="reverse-key, keep only the area's items, mean per respondent, mean of those, "
                             "then 100 * (mean - 1) / 4.")


@exercise("3-favourable", f"favourable share F of {AREA3}, in % of its ratings")
def judge_favourable(answer: object, data: TrainingData) -> CheckResult:
    values = data.area_values(AREA3)
    x = values[~np.isnan(values)]
    means = np.nanmean(values, axis=1)
    mistakes = [
        Mistake(favourable(data.area_values(AREA3, keyed=False)), *_REVERSE),
        Mistake(float(100 * (x >= 3).mean()), "you counted 3 (neutral) as favourable; only 4 and 5 are",
                "favourable means rating >= 4 after reverse keying."),
        Mistake(float(100 * (x == 5).mean()), "you counted only 5s; 4 (agree) is favourable too",
                "favourable means rating >= 4 after reverse keying."),
        Mistake(float(100 * (means[~np.isnan(means)] >= 4).mean()),
                "you counted respondents whose mean is at least 4; F is a share of ratings, not of people",
                "count the area's ratings that are 4 or 5 and divide by the number of its ratings."),
    ]
    return judge_number("3-favourable", answer, float(data.area_row(AREA3)["favourable"]), mistakes,
                        tol=TOL, hint="after reverse keying: 100 * (ratings >= 4).sum() / number of ratings.")


@exercise("3-rwg", f"item-level r_wg of {ITEM3} (0-1)")
def judge_rwg(answer: object, data: TrainingData) -> CheckResult:
    v = data.item_values(ITEM3)
    s2, s2_pop = float(np.var(v, ddof=1)), float(np.var(v, ddof=0))
    correct = float(data.assessment.items.set_index("question_id")["rwg"].loc[ITEM3])
    sigma_hint = "sigma^2 = (A^2 - 1) / 12 = (25 - 1) / 12 = 2 for A = 5 answer options."
    mistakes = [
        Mistake(max(0.0, 1 - s2_pop / SIGMA2_UNIFORM),
                "you used the population variance (ddof=0); r_wg uses the sample variance (ddof=1)",
                "pandas' .var() uses ddof=1 by default; numpy's np.var needs ddof=1."),
        Mistake(max(0.0, 1 - s2 / 4.0), "you used sigma^2 = 4 (the largest possible variance); "
                "r_wg compares with random answering", sigma_hint),
        Mistake(max(0.0, 1 - s2 / (16 / 12)), "you used sigma^2 = 16/12, the variance of a continuous "
                "scale; answers fall on 5 discrete points", sigma_hint),
        Mistake(max(0.0, 1 - s2 / 1.25), "you used sigma^2 = 1.25, which is for a 4-point scale",
                sigma_hint),
        Mistake(max(0.0, 1 - np.sqrt(s2) / SIGMA2_UNIFORM), "you used the standard deviation, not the "
                "variance", "square the SD (or use .var(ddof=1))."),
    ]
    result = judge_number("3-rwg", answer, correct, mistakes, tol=0.005, percent=False,
                          hint="r_wg = 1 - s^2 / 2 with s^2 the item's sample variance, floored at 0.")
    try:
        value = float(answer)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return result
    if not result.passed and abs(value - 100 * correct) <= 0.5:
        return CheckResult("3-rwg", "failed", f"{value:.2f} is r_wg in points; this exercise asks for "
                           "r_wg itself, on 0-1.", "divide by 100 (consistency C is the one in points).")
    if not result.passed and not 0 <= value <= 1:
        return CheckResult("3-rwg", "failed", f"{value:.2f} is outside 0-1: r_wg is 1 - s^2 / 2, floored at 0.",
                           "r_wg = max(0, 1 - var(ddof=1) / 2).")
    return result


@exercise("3-consistency", f"consistency C of {AREA3}, in points (0-100)")
def judge_consistency(answer: object, data: TrainingData) -> CheckResult:
    values = data.area_values(AREA3)
    s2 = _item_variances(values, ddof=1)
    s2_pop = _item_variances(values, ddof=0)
    ratio = float(np.mean(s2)) / SIGMA2_UNIFORM
    j = values.shape[1]
    rwg_j = j * (1 - ratio) / (j * (1 - ratio) + ratio)
    pooled = np.concatenate([c[~np.isnan(c)] for c in values.T])
    sigma_hint = "sigma^2 = (A^2 - 1) / 12 = 2 for A = 5 answer options."
    mistakes = [
        Mistake(_points(np.maximum(0, 1 - s2_pop / SIGMA2_UNIFORM)),
                "you used the population variance (ddof=0); r_wg uses the sample variance (ddof=1)",
                "pandas' .var() uses ddof=1 by default; numpy's np.var needs ddof=1."),
        Mistake(100 * rwg_j, "that is the multi-item r_wg(J), which inflates with the number of items; "
                "the method averages the item-level r_wg", "compute 1 - s_j^2 / 2 per item, floor at 0, "
                "then average over items."),
        Mistake(_points(np.maximum(0, 1 - s2 / 4.0)), "you used sigma^2 = 4; it should be the variance "
                "of random answering", sigma_hint),
        Mistake(_points(np.maximum(0, 1 - s2 / (16 / 12))), "you used sigma^2 = 16/12 (a continuous "
                "scale)", sigma_hint),
        Mistake(_points(1 - s2 / SIGMA2_UNIFORM), "you did not floor each item's r_wg at 0",
                "r_wg = max(0, 1 - s^2 / 2)."),
        Mistake(100 * max(0.0, 1 - float(np.var(pooled, ddof=1)) / SIGMA2_UNIFORM),
                "you took one variance over all the area's ratings; r_wg is computed per item (each "
                "question separately), then averaged", "groupby question_id, .var(), then r_wg per item."),
        Mistake(_points(np.maximum(0, 1 - np.sqrt(s2) / SIGMA2_UNIFORM)), "you used standard deviations, "
                "not variances", "square the SD (or use .var(ddof=1))."),
    ]
    return judge_number("3-consistency", answer, float(data.area_row(AREA3)["consistency"]), mistakes,
                        tol=TOL, hint="per item: r_wg = max(0, 1 - var(ddof=1) / 2); "
                                      "C = 100 * mean over the area's items.")


def _kpi_frame(data: TrainingData) -> pd.DataFrame:
    defs = pd.DataFrame([k.model_dump() for k in data.client.config.kpis])
    defs = defs[defs[AREA] == AREA3].rename(columns={"id": KPI})
    ops = data.client.operations.merge(defs[[KPI, "better", "target"]], on=KPI)
    return ops.dropna(subset=[VALUE])


@exercise("3-evidence", f"evidence E of {AREA3}, in % (KPI observations meeting target)")
def judge_evidence(answer: object, data: TrainingData) -> CheckResult:
    ops = _kpi_frame(data)
    lower = ops["better"] == "lower"
    met = np.where(lower, ops[VALUE] <= ops["target"], ops[VALUE] >= ops["target"])
    naive = ops[VALUE] >= ops["target"]
    strict = np.where(lower, ops[VALUE] < ops["target"], ops[VALUE] > ops["target"])
    dept_means = ops.groupby([KPI, "department"]).agg(value=(VALUE, "mean"), target=("target", "first"),
                                                       better=("better", "first")).reset_index()
    dept_met = np.where(dept_means["better"] == "lower", dept_means["value"] <= dept_means["target"],
                        dept_means["value"] >= dept_means["target"])

    def per_kpi(m: object, frame: pd.DataFrame) -> float:
        return float(100 * pd.Series(m, index=frame.index).groupby(frame[KPI]).mean().mean())

    mistakes = [
        Mistake(per_kpi(naive, ops), "you used >= target for every KPI; for a lower-is-better KPI "
                "(better: lower) an observation meets target when it is <= target",
                "look at each KPI's `better` in client.yaml (client.config.kpis)."),
        Mistake(float(100 * met.mean()), "you pooled all observations of the area; E is the mean of each "
                "KPI's share, so a KPI with more rows does not count more",
                "groupby kpi_id, mean of met, then the mean over KPIs."),
        Mistake(per_kpi(strict, ops), "you used a strict comparison; a value equal to the target meets it",
                "use <= and >=."),
        Mistake(per_kpi(dept_met, dept_means), "you compared department averages with the target; E counts "
                "each (department, period) observation", "compare every row of operations with the target."),
    ]
    return judge_number("3-evidence", answer, float(data.area_row(AREA3)["evidence"]), mistakes, tol=TOL,
                        hint="for each KPI of the area: share of rows meeting target (<= for lower-is-better, "
                             ">= for higher-is-better); E = 100 * the mean of those shares.")
