"""The deck plan: one list of slides (key, action title, kicker, caption, applies) for every renderer.

The assessment notebook, the HTML slides (`toolkit.slides`) and the PowerPoint
builder (`toolkit.pptx`) all walk `deck_plan(story)`; none of them decides a
title, a kicker or whether a slide applies. Titles are action titles
(DESIGN 2.3): one sentence of at most 15 words with the number that matters,
built from the story's findings; the topic sits in the kicker.

This module imports no renderer and no plotting library.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.model import AREA_LABELS, AREAS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from toolkit.findings.candidates import Finding

MAX_TITLE_WORDS = 15
LEVEL_OTHERS = {"frontline": "the frontline", "manager": "managers"}
KINDS_FOR_AREA = ("principal_gap", "low_agreement", "kpi_contradiction", "drift", "outlier_unit",
                  "blind_spot", "strength")


@dataclass(frozen=True)
class PlannedSlide:
    """One slide as every renderer shows it.

    Attributes
    ----------
    key
        Stable id: ``title``, ``executive_summary``, ``area:<area id>``, ...
    title
        The action title (the client's name on the title slide).
    kicker
        The topic, shown small above the title.
    caption
        How to read the chart or table ("" when the slide needs none).
    area
        The area of an area slide, else None.
    """

    key: str
    title: str
    kicker: str
    caption: str = ""
    area: str | None = None


@dataclass(frozen=True)
class SlideRule:
    """How to plan one slide: its key, title builder, kicker, caption and applicability."""

    key: str
    title: Callable[[Any], str | list[str]]
    kicker: Callable[[Any], str] | str
    caption: Callable[[Any], str] | str = ""
    applies: Callable[[Any], bool] = lambda story: True
    area: str | None = None

    def planned(self, story: Any, used: set[str] | frozenset[str] = frozenset()) -> PlannedSlide:
        """Resolve the builders for ``story``; a title builder may offer alternatives
        (a list), and the first one not in ``used`` (titles of earlier slides) is taken."""
        def get(x: Callable[[Any], str] | str) -> str:
            return x(story) if callable(x) else x
        options = self.title(story)
        options = [options] if isinstance(options, str) else list(options)
        title = next((t for t in options if t not in used), options[-1])
        return PlannedSlide(self.key, title, get(self.kicker), get(self.caption), self.area)


# --- helpers -------------------------------------------------------------------------------------

def _n(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _r(x: float) -> str:
    return f"{x:.0f}"


def _visible(frame: Any) -> Any:
    """The rows of a story frame that may be shown (None and empty frames pass through)."""
    if frame is None or len(frame) == 0:
        return frame
    if "suppressed" in frame.columns:
        return frame.loc[~frame["suppressed"].fillna(False).astype(bool)]
    return frame


def lower_first(name: str) -> str:
    """``Guest satisfaction`` -> ``guest satisfaction``; ``Overtime per FTE`` keeps its acronym."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _first(story: Any, kinds: tuple[str, ...] | str, area: str | None = None) -> Finding | None:
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    candidates: list[Finding] = story.findings.candidates
    for f in candidates:
        if f.kind in kinds and (area is None or f.area == area):
            return f
    return None


def _areas_shown(story: Any) -> dict[str, float]:
    rows = _visible(story.assessment.areas)
    return {a: float(rows.loc[a, "alignment"]) for a in AREAS
            if a in rows.index and _n(rows.loc[a, "alignment"]) is not None}


# --- title builders ------------------------------------------------------------------------------

def summary_title(story: Any) -> str:
    """The top finding's title."""
    return story.findings.headline or "Too few respondents to report alignment"


def scorecard_title(story: Any) -> str:
    oai = story.assessment.oai or {}
    value = None if oai.get("suppressed") else _n(oai.get("value"))
    shown = _areas_shown(story)
    if value is None or not shown:
        return "Alignment cannot be scored: too few respondents in every area"
    low = min(shown, key=shown.get)  # type: ignore[arg-type]
    if shown[low] >= 74.5:
        return f"Alignment index {_r(value)}: every area is aligned, the lowest at {_r(shown[low])}"
    return f"Alignment index {_r(value)}; {AREA_LABELS[low]} is lowest at {_r(shown[low])}"


def weight_title(story: Any) -> str:
    gap = _first(story, "principal_gap")
    if gap is not None:
        return (f"{gap.label} has the largest weighted shortfall: {_r(100 * gap.weight)}% of the weight, "
                f"{_r(gap.effect)} points short")
    rows = _visible(story.assessment.areas)
    if rows is None or not len(rows):
        return "No area can be weighed: too few respondents"
    heavy = rows["weight"].astype(float).idxmax()
    return f"Every scored area is aligned; {AREA_LABELS[heavy]} carries {_r(100 * rows.loc[heavy, 'weight'])}% of the weight"


def area_title(area: str) -> Callable[[Any], list[str]]:
    def build(story: Any) -> list[str]:
        options = [f.title for kind in KINDS_FOR_AREA for f in story.findings.candidates
                   if f.kind == kind and f.area == area]
        rows = _visible(story.assessment.areas)
        label = AREA_LABELS[area]
        if rows is None or area not in rows.index or _n(rows.loc[area, "alignment"]) is None:
            return options + [f"{label} is not scored: too few respondents answered its questions"]
        a = float(rows.loc[area, "alignment"])
        band = "aligned" if round(a) >= 75 else "partly aligned" if round(a) >= 60 else "misaligned"
        p, c = _n(rows.loc[area, "perception"]), _n(rows.loc[area, "consistency"])
        blind = _first(story, "blind_spot", area)
        if blind is not None:
            options.append(f"{label} scores {_r(a)}; {blind.evidence['group_a']}s rate it "
                           f"{_r(blind.effect)} points above {LEVEL_OTHERS.get(blind.evidence['group_b'], 'others')}")
        unit = _first(story, "outlier_unit", area)
        if unit is not None:
            options.append(f"{label} scores {_r(a)}, held back by {unit.unit} at {_r(unit.evidence['perception'])}")
        if p is not None and c is not None:
            return options + [f"{label} scores {_r(a)}, {band}: perception {_r(p)}, consistency {_r(c)}"]
        return options + [f"{label} scores {_r(a)} and is {band}"]
    return build


def heatmap_title(story: Any) -> list[str] | str:
    f = _first(story, "outlier_unit")
    if f is not None:
        return [f.title, f"{f.unit} is the outlier: {f.label} perception {_r(f.evidence['perception'])} "
                f"against {_r(f.evidence['others'])} elsewhere"]
    depts = _visible(story.assessment.departments)
    spread = 0.0
    if depts is not None and len(depts):
        for _, grp in depts.groupby("area"):
            p = grp["perception"].dropna()
            spread = max(spread, float(p.max() - p.min())) if len(p) >= 2 else spread
    return f"No department is a significant outlier; the widest spread in one area is {_r(spread)} points"


def consistency_judged(departments: pd.DataFrame) -> bool:
    """True when some department is large enough to judge its agreement (its consistency is shown).

    One rule for the plan's kicker and both renderers' consistency grid.
    """
    return bool("consistency" in departments and departments["consistency"].notna().any())


def levels_title(story: Any) -> list[str] | str:
    f = _first(story, "blind_spot")
    if f is not None and f.evidence.get("p_a") is not None and f.evidence.get("p_b") is not None:
        return [f.title, f"Blind spot on {f.label}: {f.evidence['group_a']}s {_r(f.evidence['p_a'])}, "
                f"{f.evidence['group_b']} {_r(f.evidence['p_b'])}"]
    if f is not None:
        return f.title
    gaps = _visible(story.assessment.perception_gaps)
    g = gaps["gap"].abs().max() if gaps is not None and len(gaps) and gaps["gap"].notna().any() else None
    if g is None:
        return "Level groups are too small to compare: no gap is shown"
    return f"Leaders and staff see the same picture: no significant gap, the largest {_r(float(g))} points"


def _drivers(story: Any) -> Any:
    """The key-driver table when it may be shown (computed, not refused, weights known), else None."""
    d = getattr(story.assessment, "drivers", None)
    if d is None or len(d) == 0 or d.attrs.get("refused") or d["relative_weight"].isna().all():
        return None
    return d


def drivers_title(story: Any) -> str:
    d = _drivers(story)
    top = d.attrs.get("top") or ""
    if top:
        share = float(d.loc[d["area"] == top, "relative_weight"].iloc[0])
        return f"{AREA_LABELS[top]} drives the overall verdict most: {_r(share)}% of what the areas explain"
    lead = d.sort_values(["first_share", "relative_weight"], ascending=False, kind="mergesort").iloc[0]
    return (f"No single area reliably drives the verdict; {AREA_LABELS[lead['area']]} leads in "
            f"{_r(100 * float(lead['first_share']))}% of resamples")


def drivers_caption(story: Any) -> str:
    d = _drivers(story)
    r2, n = d.attrs.get("r_squared"), d.attrs.get("n")
    fit = f"together they explain {_r(100 * r2)}% of its variance (R²), n = {int(n)}. " if r2 == r2 and n else ""
    return ("Relative weights (Johnson, 2000): each area’s share of what the four areas explain of respondents’ "
            "answers to the outcome questions (e.g. “our day-to-day operations deliver on our strategy”); "
            f"{fit}Whiskers: 90 % bootstrap intervals. An area is named the top driver only when it ranks "
            "first in at least 90 % of resamples.")


def costs_title(story: Any) -> str:
    kd = _visible(story.assessment.kpi_departments)
    kpis = _visible(story.assessment.kpis)
    if kd is None or not len(kd) or kpis is None or not len(kpis):
        return "No KPI is mapped: the cost rests on interview evidence alone"
    depts = story.assessment.departments
    if depts is not None and len(depts):  # a department too small to report is not spotlighted
        kd = kd.loc[kd["department"].isin(set(_visible(depts)["department"]))]
    kd = kd.loc[kd["attainment"].notna()]
    if not len(kd):
        return "No KPI observation can be shown: the cost rests on interviews alone"
    worst = kd.sort_values(["attainment", "kpi_id", "department"], kind="mergesort").iloc[0]
    name = lower_first(str(kpis.loc[kpis["kpi_id"] == worst["kpi_id"], "name"].iloc[0]))
    hits = int(round(float(worst["attainment"]) * int(worst["n_obs"]) / 100))
    if float(worst["attainment"]) >= 75:
        return f"KPIs hold: every department meets each target at least {_r(float(worst['attainment']))}% of the time"
    from toolkit.findings.candidates import period_word

    periods = period_word(story.client.operations)
    return f"{worst['department']} meets its {name} target in {hits} of {int(worst['n_obs'])} {periods}"


def drift_title(story: Any) -> list[str]:
    moved = [f for f in story.findings.candidates if f.kind == "drift"]
    if not moved:
        return [f"No area moved beyond its interval since {story.previous_wave}: changes are noise"]
    top = moved[0]
    n = len(moved)
    return [top.title, f"{n} area{'s' if n > 1 else ''} moved beyond {'their' if n > 1 else 'its'} interval; "
            f"{top.label} moved most, {top.evidence['difference']:+.0f} points"]


def benchmark_title(story: Any) -> str:
    bench = story.assessment.benchmark
    n = int(max(float(x) for x in bench["n_clients"]))
    row = bench.sort_values("percentile", kind="mergesort").iloc[0]
    return (f"{AREA_LABELS.get(row['area'], row['area'])} sits at the {_r(float(row['percentile']))}th "
            f"percentile of {n} other clients")


def roadmap_title(story: Any) -> str:
    recs = story.findings.roadmap
    n = len(recs)
    if not n:
        return "No finding calls for action now: re-assess at the next wave"
    horizon = int(recs["horizon"].max())
    return f"{n} action{'s' if n > 1 else ''} over {horizon} days, each answering a finding, highest priority first"


def method_title(story: Any) -> str:
    return "Every score runs 0–100; 75 or more means aligned"


def coverage_title(story: Any) -> str:
    n = _n((story.assessment.oai or {}).get("n"))
    # Department names are the org chart, not a count: hidden head-count cells still name their department.
    cov = story.assessment.coverage
    depts = cov["department"].nunique() if cov is not None and len(cov) and "department" in cov else 0
    if n is None:
        return "Coverage is withheld: too few respondents to report counts"
    return f"The findings rest on {_r(n)} interviews across {depts} departments"


def how_to_read(story: Any) -> list[tuple[str, str]]:
    """The "how to read" strip, where numbers first appear (the scorecard): ``(label, text)`` pairs.

    Both renderers show the same four lines: the index, the bands, the n behind
    a number, and the intervals.
    """
    n = _n((story.assessment.oai or {}).get("n"))
    n_label = f"n = {_r(n)} interviews" if n is not None else "n = interviews behind a number"
    return [("Index", "0–100: 50 % perception, 25 % consistency (do people answer alike), 25 % KPI evidence"),
            ("Bands", "≥ 75 aligned · 60–74 partly · < 60 misaligned"),
            (n_label, f"behind the scores; groups under {story.client.config.privacy.min_group_size} are never shown"),
            ("Whiskers", "90 % intervals; a difference counts only when its interval excludes 0")]


def _has_drift(story: Any) -> bool:
    return story.assessment.drift is not None and len(story.assessment.drift) > 0


def _drift_leads(story: Any) -> bool:
    top = story.findings.top
    return _has_drift(story) and bool(top) and top[0].kind == "drift"


RULES: tuple[SlideRule, ...] = (
    SlideRule("title", lambda s: s.client.config.name, "Operational alignment assessment"),
    SlideRule("executive_summary", summary_title, "Executive summary"),
    SlideRule("scorecard", scorecard_title, "Alignment scorecard",
              "Alignment 0–100 per area with its 90 % interval. Bands: ≥ 75 aligned · 60–74.9 partly "
              "aligned · < 60 misaligned."),
    SlideRule("weight", weight_title, "Strategic weight vs alignment",
              "Dashed curves join equal weighted shortfalls, weight × (75 − alignment); shaded: the largest."),
    *(SlideRule(f"area:{a}", area_title(a), f"{AREA_LABELS[a]} · deep dive", area=a) for a in AREAS),
    SlideRule("heatmap", heatmap_title, lambda s: "Departments × areas · perception"
              + (" and consistency" if consistency_judged(s.assessment.departments) else ""),
              lambda s: ("Perception 0–100 by department and area. "
                         f"Cells marked “suppressed” hide groups of fewer than {s.client.config.privacy.min_group_size} "
                         "respondents, or groups hidden so a small one cannot be recovered by subtraction."),
              lambda s: not s.assessment.departments.empty),
    SlideRule("perception_gap", levels_title, "Levels × areas · leadership blind spots",
              "Executives' perception minus that of managers and of the frontline, in points; a blind "
              "spot needs 10 points or more and a Holm-adjusted p below 0.05."),
    SlideRule("drivers", drivers_title, "Key drivers · what moves the overall verdict", drivers_caption,
              lambda s: _drivers(s) is not None),
    SlideRule("costs", costs_title, "The cost of misalignment"),
    SlideRule("drift", drift_title, lambda s: f"Change since {s.previous_wave}",
              "Change in alignment (0–100) per area since the last wave, with its 90 % interval; "
              "a change is called out only when its interval excludes 0.",
              _has_drift),
    SlideRule("benchmark", benchmark_title, "Benchmark",
              lambda s: ("Percentile of each area’s alignment among "
                         f"{int(max(float(x) for x in s.assessment.benchmark['n_clients']))} other clients "
                         "of the firm (their latest assessments). No other client’s data is shown."),
              lambda s: s.assessment.benchmark is not None and len(s.assessment.benchmark) > 0),
    SlideRule("roadmap", roadmap_title, "Recommendations roadmap · 30 / 60 / 90 days"),
    SlideRule("method", method_title, "Appendix · Method"),
    SlideRule("coverage", coverage_title, "Appendix · Coverage and data quality"),
)


def deck_plan(story: Any) -> list[PlannedSlide]:
    """The slides of ``story``'s deck, in order, with their titles, kickers and captions.

    Parameters
    ----------
    story
        A `toolkit.story.Story` (privacy applied, findings built).

    Returns
    -------
    list of PlannedSlide
    """
    slides: list[PlannedSlide] = []
    for rule in RULES:
        if rule.applies(story):
            slides.append(rule.planned(story, {p.title for p in slides}))
    if _drift_leads(story):  # the change is the story: right after the executive summary
        drift = next(p for p in slides if p.key == "drift")
        slides.remove(drift)
        slides.insert([p.key for p in slides].index("executive_summary") + 1, drift)
    return slides


def plan_keys(story: Any) -> list[str]:
    """Only the keys of `deck_plan`."""
    return [p.key for p in deck_plan(story)]


def title_words(title: str) -> int:
    """Words in a title (what the 15-word rule counts)."""
    return len(title.split())
