"""Speaker notes: for every slide, the method behind its numbers and the n each rests on.

Notes read only the protected assessment, so a suppressed value is absent
here as everywhere: a suppressed group is named as suppressed, never with its n.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

import pandas as pd

from toolkit.model import AREA_LABELS, AREAS
from toolkit.slides.content import group_counts

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.story import Story


def num(value: object, digits: int = 0, suffix: str = "") -> str:
    """A number for a slide or a note; absent (NaN / None) is an en dash."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(number) else f"{number:.{digits}f}{suffix}"


def n_of(value: object) -> str:
    """``n = 40`` or ``n suppressed``."""
    text = num(value)
    return f"n = {text}" if text != "–" else "n suppressed"


def respondents(story: Story) -> str:
    """The sentence every note ends with: how many people the deck rests on."""
    oai = story.assessment.oai
    return (f"Respondents: {n_of(oai.get('n'))} interviews, wave {story.client.config.wave}; "
            f"groups under {story.client.config.privacy.min_group_size} respondents are suppressed.")


def area_line(row: pd.Series) -> str:
    """One area's components with its n and interval."""
    label = AREA_LABELS.get(str(row.name), str(row.get("label", row.name)))
    return (f"{label}: alignment {num(row.get('alignment'))} (90 % interval {num(row.get('alignment_lo'))}–"
            f"{num(row.get('alignment_hi'))}), perception {num(row.get('perception'))}, consistency "
            f"{num(row.get('consistency'))}, evidence {num(row.get('evidence'))}; {n_of(row.get('n'))} respondents, "
            f"{num(row.get('n_items'))} items, weight {num(100 * float(row.get('weight', float('nan'))))} %.")


ALIGNMENT_METHOD = ("Method: alignment = 0.50 perception + 0.25 consistency + 0.25 KPI evidence, re-weighted over "
                    "the parts present; bands ≥ 75 aligned, 60–74.9 partly aligned, < 60 misaligned; 90 % "
                    "intervals are percentile bootstraps over respondents (B = 1000).")


def title_notes(story: Story) -> list[str]:
    cfg = story.client.config
    return [f"Operational alignment assessment of {cfg.name}, wave {cfg.wave}.",
            "Scores come from structured interviews (Likert items), coded excerpts and operations KPIs.",
            respondents(story)]


def summary_notes(story: Story) -> list[str]:
    oai = story.assessment.oai
    return [f"OAI {num(oai.get('value'))}, 90 % interval {num(oai.get('lo'))}–{num(oai.get('hi'))}, "
            f"{n_of(oai.get('n'))} respondents.",
            "Method: the Overall Alignment Index is the strategy-weighted mean of the four areas' alignment "
            "scores; the principal gap is the area below 75 with the largest weight × (75 − alignment).",
            *[area_line(row) for _, row in story.assessment.areas.iterrows()],
            respondents(story)]


def scorecard_notes(story: Story) -> list[str]:
    return [ALIGNMENT_METHOD, *[area_line(row) for _, row in story.assessment.areas.iterrows()], respondents(story)]


def weight_notes(story: Story) -> list[str]:
    lines = ["Method: x = the client's strategic weight of the area (normalised to 100 %), y = its alignment; "
             "weighted shortfall = weight × (75 − alignment); the dashed curve joins points whose shortfall equals the "
             "largest one (the principal gap): on or below it = fix first."]
    lines += [f"{AREA_LABELS.get(str(area), str(area))}: weight {num(100 * float(row['weight']))} %, alignment "
              f"{num(row.get('alignment'))}, {n_of(row.get('n'))}." for area, row in story.assessment.areas.iterrows()]
    return lines + [respondents(story)]


def area_notes(story: Story, area: str) -> list[str]:
    a = story.assessment
    row = cast(pd.Series, a.areas.loc[area])  # the area index is unique: a row (pandas-stubs: Series | DataFrame)
    lines = [area_line(row),
             "Method: perception rescales each respondent's mean on the area's items from 1–5 to 0–100; "
             "consistency is the mean item-level r_wg (100 = everyone answers alike, 0 = random); favourable "
             f"= share of answers in the agreeing half of the native scale ({num(row.get('favourable'))} %); Cronbach's alpha {num(row.get('alpha'), 2)}."]
    items = a.items[a.items["area"] == area]
    if "suppressed" in items:
        items = items[~items["suppressed"].fillna(False).astype(bool)]
    lines += [f"Item {r['question_id']}: mean {num(r.get('mean'), 2)}, favourable {num(r.get('favourable'))} %, "
              f"{n_of(r.get('n'))}." for _, r in items.iterrows()]
    kpis = a.kpis[a.kpis["area"] == area]
    lines += [f"KPI {k['name']}: {num(k.get('attainment'))} % of {num(k.get('n_obs'))} department-period "
              f"observations on target (n = {num(k.get('n_obs'))}, {num(k.get('n_departments'))} departments)."
              for _, k in kpis.iterrows()]
    if not len(kpis):
        lines.append("No KPI is mapped to this area: alignment rests on perception and consistency.")
    lines.append("Quotes come from groups of at least "
                 f"{story.client.config.privacy.min_quote_group} people, redacted and attributed by level only.")
    return lines + [respondents(story)]


def heatmap_notes(story: Story) -> list[str]:
    counts = group_counts(story.assessment.departments, "department")
    return ["Method: perception 0–100 per department and area; cells of groups under "
            f"{story.client.config.privacy.min_group_size} respondents are suppressed, and so is the next-smallest "
            "group, so none can be recovered by subtraction.",
            *[f"{name}: " + (f"n = {shown}" if shown != "suppressed" else "suppressed") for name, shown in counts],
            respondents(story)]


def gap_notes(story: Story) -> list[str]:
    lines = ["Method: gap = perception of executives − perception of the other level, in points; Welch test on "
             "respondent means; a blind spot needs ≥ 10 points and a 95 % interval, Holm-adjusted over every "
             "level-pair × area comparison, that excludes 0 (both groups clear the privacy threshold)."]
    for _, g in story.assessment.perception_gaps.iterrows():
        label = AREA_LABELS.get(str(g["area"]), str(g["area"]))
        if str(num(g.get("gap"))) == "–":
            lines.append(f"{label}, {g['group_a']} vs {g['group_b']}: suppressed.")
            continue
        lines.append(f"{label}, {g['group_a']} vs {g['group_b']}: {num(g.get('gap'), 1)} points, "
                     f"p = {num(g.get('p_value'), 3)}, n = {num(g.get('n_a'))} vs {num(g.get('n_b'))}.")
    return lines + [respondents(story)]


def drivers_notes(story: Story) -> list[str]:
    d = story.assessment.drivers
    assert d is not None, "the plan shows the drivers slide only with a drivers table"
    lines = ["Method: relative weights (Johnson, 2000) of the four areas' respondent means on the outcome "
             "questions' mean, via the SVD of the standardised scores; 90 % bootstrap intervals over respondents; "
             "a top driver is named only when it ranks first in at least 90 % of resamples.",
             f"R² = {num(d.attrs.get('r_squared'), 2)}, n = {num(d.attrs.get('n'))}, condition number "
             f"{num(d.attrs.get('condition'), 1)}."]
    for _, r in d.iterrows():
        lines.append(f"{AREA_LABELS.get(str(r['area']), str(r['area']))}: {num(r['relative_weight'])}% "
                     f"(90 % interval {num(r['relative_lo'])}–{num(r['relative_hi'])}), first in "
                     f"{num(100 * float(r['first_share']))}% of resamples.")
    return lines + [respondents(story)]


def costs_notes(story: Story) -> list[str]:
    lines = ["Method: each cost's severity follows the consistency, KPI attainment and spread of the area "
             "behind it (customer experience, proven processes, unique capabilities)."]
    areas = story.assessment.areas
    for area in AREAS:
        if area in areas.index:
            lines.append(area_line(cast(pd.Series, areas.loc[area])))  # unique area index: a row
    return lines + [respondents(story)]


def drift_notes(story: Story) -> list[str]:
    drift = story.assessment.drift
    assert drift is not None, "the plan shows the drift slide only with a previous wave"
    lines = [f"Method: alignment now vs wave {story.previous_wave}; a change is called only when its 90 % "
             "bootstrap interval excludes 0."]
    for _, d in drift[drift["metric"].isin(["alignment", "oai"])].iterrows():
        label = AREA_LABELS.get(str(d["area"]), "Overall Alignment Index")
        lines.append(f"{label}: {num(d.get('previous'))} → {num(d.get('current'))} ({num(d.get('difference'), 1)}"
                     f" points, 90 % interval {num(d.get('lo'), 1)} to {num(d.get('hi'), 1)}).")
    return lines + [respondents(story)]


def benchmark_notes(story: Story) -> list[str]:
    bench = story.assessment.benchmark
    assert bench is not None, "the plan shows the benchmark slide only with a benchmark"
    lines = ["Method: percentile of each area's alignment among the firm's other clients (their latest "
             "assessments); only percentiles leave this client's deck, never another client's data."]
    lines += [f"{AREA_LABELS.get(str(b['area']), str(b['area']))}: percentile {num(b.get('percentile'))}, "
              f"n = {num(b.get('n_clients'))} other clients." for _, b in bench.iterrows()]
    return lines + [respondents(story)]


def roadmap_notes(story: Story) -> list[str]:
    recs = story.findings.recommendations
    lines = ["Method: playbook rules fired by the metrics; ranked by strategic weight × (100 − alignment) of "
             "their area; horizons 30 / 60 / 90 days."]
    lines += [f"{r['rule_id']}: {r['finding']}" for _, r in recs.head(9).iterrows()]
    return lines + [respondents(story)]


def method_notes(story: Story) -> list[str]:
    p = story.client.config.privacy
    return [ALIGNMENT_METHOD,
            f"Privacy threshold: n = {p.min_group_size} respondents per shown group; quotes need n = "
            f"{p.min_quote_group}.", respondents(story)]


def coverage_notes(story: Story) -> list[str]:
    a = story.assessment
    lines = ["Respondents per department and level (largest n over areas); suppressed groups are not counted here."]
    lines += [f"{name}: " + (f"n = {shown}" if shown != "suppressed" else "suppressed")
              for name, shown in group_counts(a.levels, "level")]
    return lines + [respondents(story)]
