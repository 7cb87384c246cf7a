"""Text-led slides: title, executive summary, area deep dives, costs, roadmap, appendix."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from toolkit.deck.plan import PlannedSlide
from toolkit.model import AREA_LABELS
from toolkit.privacy import client_safe_warnings
from toolkit.slides.html_parts import Slide, band_class, esc, fmt, section, stylesheet, table

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.findings.candidates import Finding
    from toolkit.metrics.assessment import Assessment
    from toolkit.story import Story

HORIZONS = (30, 60, 90)


def title_slide(story: Story, spec: PlannedSlide) -> Slide:
    """Client name, wave, strategy statement; also carries the slides' stylesheet."""
    cfg = story.client.config
    caps = ", ".join(cfg.unique_capabilities)
    body = (f'<p class="oat-strategy">“{esc(cfg.strategy.strip())}”</p>'
            f'<p class="oat-meta">Customer promise: <b>{esc(cfg.customer_promise)}</b> · '
            f'Management style: <b>{esc(cfg.management_style)}</b>'
            + (f' · Unique capabilities: <b>{esc(caps)}</b>' if caps else "") + "</p>"
            f'<p class="oat-meta">Wave {esc(cfg.wave)}{_interviews(story.assessment.oai.get("n"))}</p>')
    return Slide(stylesheet() + f'<div class="oat-slide oat-cover"><div class="oat-kicker">{esc(spec.kicker)}</div>'
                 f'<h1 class="oat-client">{esc(spec.title)}</h1>{body}</div>', spec.title)


def _interviews(n: object) -> str:
    """`` · 48 interviews``, or nothing when the count is withheld (below the privacy threshold)."""
    return f" · {fmt(n)} interviews" if fmt(n) != "–" else ""


def executive_summary_slide(story: Story, spec: PlannedSlide) -> Slide:
    """OAI with band and interval, three findings as sentences, the principal gap."""
    oai = story.assessment.oai
    f = story.findings
    sentences = list(f.summary_sentences)[:3]
    tile = (f'<div class="oat-oai {band_class(oai.get("band"))}"><div class="oat-oai-value">{fmt(oai.get("value"))}</div>'
            f'<div class="oat-oai-label">Overall Alignment Index</div>'
            f'<div class="oat-oai-band">{esc(oai.get("band") or "suppressed")}</div>'
            f'<div class="oat-oai-ci">90 % interval {fmt(oai.get("lo"))}–{fmt(oai.get("hi"))}</div></div>')
    points = "".join(f"<li>{esc(s)}</li>" for s in sentences)
    body = (f'<div class="oat-cols">{tile}<div class="oat-col-wide"><p class="oat-lead">{esc(f.oai_sentence)}</p>'
            f'<ol class="oat-findings">{points}</ol>'
            + ("" if f.principal_gap_sentence in sentences else
               f'<p class="oat-gap"><b>Principal gap.</b> {esc(f.principal_gap_sentence)}</p>') + not_scored_note(story.assessment) + '</div></div>')
    return section(spec.title, body, kicker=spec.kicker)


def not_scored_sentence(assessment: Assessment) -> str:
    """DESIGN 2.1: the areas that are not scored, in words ("" when every area is scored)."""
    names = [AREA_LABELS[a] for a in getattr(assessment, "not_scored", [])]
    if not names:
        return ""
    verb = "is" if len(names) == 1 else "are"
    return (f"{' and '.join(names)} {verb} not scored: no item was answered and no KPI is mapped, "
            "so the Overall Alignment Index is computed over the other areas.")


def not_scored_note(assessment: Assessment) -> str:
    text = not_scored_sentence(assessment)
    return f'<p class="oat-note">{esc(text)}</p>' if text else ""


def _component_tiles(row: pd.Series) -> str:
    tiles = [("Alignment", row.get("alignment"), row.get("band")),
             ("Perception", row.get("perception"), None),
             ("Favourable", row.get("favourable"), None),
             ("Consistency", row.get("consistency"), None),
             ("Evidence (KPIs)", row.get("evidence"), None)]
    out = []
    for label, value, band in tiles:
        suffix = "%" if label == "Favourable" else ""
        cls = band_class(band) if band is not None else ""
        out.append(f'<div class="oat-tile {cls}"><div class="oat-tile-value">{fmt(value, suffix=suffix)}</div>'
                   f'<div class="oat-tile-label">{label}</div></div>')
    return '<div class="oat-tiles">' + "".join(out) + "</div>"


def area_slide(story: Story, spec: PlannedSlide) -> Slide:
    """One area: its components, item answers, KPIs and the voice of the organisation."""
    a = story.assessment
    area = str(spec.area)
    if area in getattr(a, "not_scored", []):
        label = AREA_LABELS[area]
        return section(f"{label} is not scored: no answered item and no KPI",
                       f'<p class="oat-lead">{esc(label)} is not scored: no item of this area was answered and no '
                       'operations KPI is mapped to it. It is left out of the Overall Alignment Index, whose weights '
                       'are shared by the other areas.</p>', kicker=f"{label} · not scored")
    row = cast(pd.Series, a.areas.loc[area])  # the area index is unique: a row (pandas-stubs: Series | DataFrame)
    items = a.items[a.items["area"] == area]
    if "suppressed" in items:
        items = items[~items["suppressed"].fillna(False).astype(bool)]
    parts = [_component_tiles(row)]
    left = item_bars(items) if len(items) else ""
    right = []
    kpis = a.kpis[a.kpis["area"] == area]
    misses = kpi_misses(story, limit=1, area=area)
    if len(kpis):
        right.append(table([[esc(c) for c in r] for r in area_kpi_rows(story, area)], list(KPI_HEADER),
                           classes="oat-compact oat-small-table"))
        if misses:  # the average hides the unit that misses: name it, with its own value and periods
            right.append(f'<p class="oat-note">{esc(miss_sentence(misses[0]))}</p>')
    else:
        right.append('<p class="oat-note">No operations KPI is mapped to this area: alignment rests on interviews alone.</p>')
    quotes = quotes_for(story, area, limit=1 if len(kpis) else 2)  # keep the side column on the slide
    right += [f'<blockquote class="oat-quote">“{esc(q)}”<cite>— {esc(lvl)}</cite></blockquote>' for q, lvl in quotes]
    parts.append(f'<div class="oat-cols"><div class="oat-col-chart">{left}</div><div class="oat-col-side">{"".join(right)}</div></div>')
    n = row.get("n")
    kicker = f"{spec.kicker} · n = {int(n) if n == n and n is not None else '–'}"
    return section(spec.title, "".join(parts), kicker=kicker)


MARKUP = re.compile(r"<[^>]*>|\[([^\]]*)\]\([^)]*\)|(?:javascript|data|vbscript):\S*", re.I)


def strip_markup(text: str) -> str:
    """Client text without HTML tags, markdown link targets or script URLs (the link text is kept).

    Examples
    --------
    >>> strip_markup('Awful <script>alert(1)</script> see [our page](http://x.y)')
    'Awful alert(1) see our page'
    """
    return " ".join(MARKUP.sub(lambda m: m.group(1) or "", text).split())


def slide_finding(story: Story, area: str) -> Finding | None:
    """The highest-priority finding about ``area`` (the one its slide's quote must support), or None."""
    return next((f for f in getattr(story.findings, "candidates", []) if f.area == area), None)


def favourable_split(item: pd.Series) -> tuple[float, float, float] | None:
    """``(favourable, neutral, unfavourable)`` % of an item's answers after reverse keying.

    The shares are of raw answers; for a reverse-keyed item disagreeing is favourable.
    """
    shares: list[Any] = [item.get(f"share_{k}") for k in range(1, 6)]
    if any(v is None or v != v for v in shares):
        return None
    low, mid, high = shares[0] + shares[1], shares[2], shares[3] + shares[4]
    return (low, mid, high) if bool(item.get("reverse")) else (high, mid, low)


def item_bars(items: pd.DataFrame) -> str:
    """Each item as one bar: favourable / neutral / unfavourable after reverse keying, with a legend."""
    rows = []
    for _, it in items.iterrows():
        split = favourable_split(it)
        if split is None:
            continue
        fav, neu, unf = split
        note = ' <span class="oat-rev">(disagreeing is favourable)</span>' if bool(it.get("reverse")) else ""
        segs = "".join(f'<span class="oat-seg {cls}" style="width:{v:.1f}%">{f"{v:.0f}" if v >= 9 else ""}</span>'
                       for v, cls in ((unf, "seg-unf"), (neu, "seg-neu"), (fav, "seg-fav")))
        rows.append(f'<div class="oat-item"><div class="oat-item-text">{esc(it["text"])}{note}</div>'
                    f'<div class="oat-item-bar">{segs}</div></div>')
    legend = ('<p class="oat-legend"><span class="oat-swatch seg-unf"></span>unfavourable'
              '<span class="oat-swatch seg-neu"></span>neutral<span class="oat-swatch seg-fav"></span>favourable'
              ' · % of answers, after reverse keying</p>')
    return '<div class="oat-items">' + "".join(rows) + "</div>" + legend


def quotes_for(story: Story, area: str, limit: int, finding: Finding | None = None) -> list[tuple[str, str]]:
    """Up to ``limit`` quotes of an area as ``(text, level)`` that support the slide's finding.

    Quotes are chosen by area, then by sentiment matching the finding's tone
    (negative for a gap, positive for a strength or a rise); when the finding
    is about a unit, a quote naming another department is never used and one
    naming the unit comes first. Markup is stripped (plain text; escape before HTML).
    """
    quotes = getattr(story.voice, "quotes", None)
    if quotes is None or len(quotes) == 0:
        return []
    finding = finding if finding is not None else slide_finding(story, area)
    chosen = quotes[quotes["area"] == area]
    if not len(chosen):
        return []
    tone = getattr(finding, "tone", None)
    unit = getattr(finding, "unit", None)
    depts = set(story.assessment.departments["department"].astype(str)) if len(story.assessment.departments) else set()
    scored = []
    for i, (_, q) in enumerate(chosen.iterrows()):
        text = strip_markup(str(q["text"]))
        if not text:
            continue
        named = {d for d in depts if d.lower() in text.lower()}
        if unit is not None and named - {unit}:
            continue  # names another department: it would blame the wrong unit
        sentiment = float(q.get("sentiment", 0.0) or 0.0)
        fit = (sentiment if tone == "positive" else -sentiment) if tone else 0.0
        scored.append((unit is not None and unit in named, fit, -i, text, str(q["level"]).capitalize()))
    scored.sort(reverse=True)
    return [(trim(t), lvl) for *_, t, lvl in scored[:limit]]


def trim(text: str, limit: int = 0) -> str:
    """Collapse whitespace and strip surrounding quote marks; text is never cut short.

    ``limit`` is kept for callers and ignored: what does not fit is laid out
    differently or left out whole (DESIGN 2.3), never ended with an ellipsis.
    """
    return " ".join(text.split()).strip('"“”\' ')


def costs_slide(story: Story, spec: PlannedSlide) -> Slide:
    """The three costs of misalignment, each with its evidence."""
    cards = []
    for cost in story.findings.costs:
        c = cost if isinstance(cost, dict) else vars(cost)
        evidence = "".join(f"<li>{esc(s)}</li>" for s in list(c.get("evidence", []))[:3])
        sev = str(c.get("severity", ""))
        cards.append(f'<div class="oat-card sev-{esc(sev.lower())}"><div class="oat-card-kicker">{esc(sev)}</div>'
                     f'<h3>{esc(c.get("label") or c.get("title") or "")}</h3><ul>{evidence}</ul></div>')
    misses = kpi_misses(story)
    table_html = ""
    if misses:
        table_html = ('<h3 class="oat-misses">Where the KPIs miss target</h3>'
                      + table([[esc(c) for c in row] for row in misses],
                              list(MISS_HEADER), classes="oat-compact oat-small-table"))
    compact = " oat-cards-compact" if table_html else ""
    return section(spec.title, f'<div class="oat-cards{compact}">{"".join(cards)}</div>{table_html}', kicker=spec.kicker)


KPI_HEADER = ("KPI", "Actual vs target", "On target", "Trend")
MISS_HEADER = ("KPI", "Department", "Average vs target", "On target")


def area_kpi_rows(story: Story, area: str, limit: int = 3) -> list[list[str]]:
    """An area's KPIs as plain-text rows of `KPI_HEADER`: actual against target, share on target, trend."""
    from toolkit.findings.wording import trend_text

    kpis = story.assessment.kpis
    rows = []
    for _, k in kpis[kpis["area"] == area].head(limit).iterrows():
        op = "≤" if k["better"] == "lower" else "≥"
        actual = "–" if pd.isna(k["mean"]) else f"{float(k['mean']):.1f}"
        change = k.get("change")
        rows.append([str(k["name"]), f"{actual} vs {op} {float(k['target']):g} {k['unit']}",
                     fmt(k["attainment"], suffix="%"),
                     trend_text(None if change is None or pd.isna(change) else float(change), better=str(k["better"]),
                                target=float(k["target"]), unit=str(k["unit"]))])
    return rows


def miss_sentence(row: list[str]) -> str:
    """A `kpi_misses` row as a sentence: ``Dubai Desk misses guest satisfaction: 70.8 vs ≥ 85 score, ...``."""
    kpi, dept, actual, on_target = row
    return f"{dept} misses {kpi[:1].lower() + kpi[1:] if kpi[1:2].islower() else kpi}: {actual}, on target {on_target}."


def kpi_misses(story: Story, limit: int = 3, area: str | None = None) -> list[list[str]]:
    """The (KPI, department) pairs furthest from target: on target in under 60 % of periods, worst first.

    Rows of `MISS_HEADER`; ``area`` keeps only that area's KPIs.
    """
    from toolkit.findings.candidates import period_word
    from toolkit.findings.context import visible

    kd, kpis = visible(story.assessment.kpi_departments), visible(story.assessment.kpis)
    if kd is None or not len(kd) or kpis is None or not len(kpis):
        return []
    depts = story.assessment.departments
    shown = set(visible(depts)["department"]) if len(depts) else set()
    # a department too small to report ratings for is not put in the spotlight by its KPIs either
    kd = kd.loc[kd["attainment"].notna() & (kd["attainment"] < 60) & (kd["department"].isin(shown) | (not len(depts)))]
    if area is not None:
        kd = kd.loc[kd["kpi_id"].isin(set(kpis.loc[kpis["area"] == area, "kpi_id"]))]
    kd = kd.sort_values(["attainment", "kpi_id", "department"], kind="mergesort").head(limit)
    periods = period_word(story.client.operations)
    rows = []
    for _, r in kd.iterrows():
        k = kpis.loc[kpis["kpi_id"] == r["kpi_id"]].iloc[0]
        op = "≤" if k["better"] == "lower" else "≥"
        hits = int(round(float(r["attainment"]) * int(r["n_obs"]) / 100))
        rows.append([str(k["name"]), str(r["department"]), f"{float(r['mean']):.1f} vs {op} {float(k['target']):g} {k['unit']}",
                     f"{hits} of {int(r['n_obs'])} {periods}"])
    return rows


def roadmap_slide(story: Story, spec: PlannedSlide) -> Slide:
    """One action per finding it answers, by horizon (30/60/90 days), with owner and success KPI.

    Only horizons with an action get a lane (no empty horizon); actions are
    shown in full, never shortened.
    """
    recs = story.findings.roadmap
    cols = []
    for horizon in HORIZONS:
        chosen = recs[recs["horizon"].astype(int) == horizon] if len(recs) else recs
        if not len(chosen):
            continue
        items = "".join(f'<li><b>{esc(AREA_LABELS.get(r["area"], "Across areas"))}.</b> {esc(r["action"])}'
                        f'<span class="oat-owner">Owner: {esc(r["owner"])} · Success: {esc(r["success"])}</span></li>'
                        for _, r in chosen.iterrows())
        cols.append(f'<div class="oat-lane"><h3>{horizon} days</h3><ul>{items}</ul></div>')
    if not cols:
        cols.append('<div class="oat-lane"><p>No finding calls for action now: re-assess at the next wave.</p></div>')
    return section(spec.title, f'<div class="oat-lanes oat-roadmap">{"".join(cols)}</div>', kicker=spec.kicker)


METHOD_TEXT = [
    "<b>Perception</b> rescales each respondent’s mean answer on an area’s items from 1–5 to 0–100; <b>favourable</b> is the share of answers in the agreeing half of the native scale.",
    "<b>Consistency</b> asks whether people answer alike: 100 means everyone agrees, 0 means no more agreement than random answers (item-level r<sub>wg</sub>).",
    "<b>Evidence</b> is the share of department-months where the area’s operations KPIs met their strategic target.",
    "<b>Alignment</b> weighs perception 50 %, consistency 25 % and evidence 25 % (re-weighted when a part is missing); the Overall Alignment Index weighs areas by the client’s strategy.",
    "Intervals are 90 % bootstrap intervals over respondents; changes are only called when their interval excludes zero.",
    "Confidentiality: no figure is shown for a group smaller than the privacy threshold; quotes are redacted and attributed by level only.",
    "The full method: docs/method.md in the Operational Alignment Toolkit repository.",
]


def method_slide(story: Story, spec: PlannedSlide) -> Slide:
    """The method in plain words."""
    k = story.client.config.privacy.min_group_size
    body = '<ul class="oat-points">' + "".join(f"<li>{t}</li>" for t in METHOD_TEXT) + "</ul>"
    scale = (story.assessment.scale or {}).get("description")
    if scale:
        body += f'<p class="oat-caption">Answer scale: {esc(scale)} (shown on 1–5; consistency uses the native points).</p>'
    body += f'<p class="oat-caption">Privacy threshold for this client: {k} respondents; quotes need groups of {story.client.config.privacy.min_quote_group}.</p>'
    chores = getattr(story.findings, "housekeeping", None)
    if chores is not None and len(chores):
        body += ('<p class="oat-caption"><b>Method housekeeping.</b> '
                 + " ".join(f"{esc(r['finding'])} {esc(r['action'])}" for _, r in chores.iterrows()) + "</p>")
    return section(spec.title, body, kicker=spec.kicker)


def group_counts(frame: pd.DataFrame, key: str) -> list[tuple[str, str]]:
    """``(group, n)`` per group (largest n over areas), or ``"suppressed"``: never the n of a hidden group."""
    rows = []
    for name, grp in frame.groupby(key, sort=True):
        hidden = bool(grp["suppressed"].fillna(False).astype(bool).all()) if "suppressed" in grp else False
        n = grp["n"].max()
        rows.append((str(name).capitalize() if key == "level" else str(name),
                     "suppressed" if hidden or n != n else fmt(n)))
    return rows


def _count_rows(frame: pd.DataFrame, key: str) -> list[list[str]]:
    return [[esc(name), '<span class="oat-suppressed">suppressed</span>' if shown == "suppressed" else shown]
            for name, shown in group_counts(frame, key)]


#: The coverage slide's warnings: at most this many, and this many characters in all (half a slide's column).
WARNINGS_SHOWN, WARNINGS_CHARS = 6, 620


def coverage_warnings(story: Story) -> list[str]:
    """The data-quality warnings the coverage slide lists (HTML and PPTX alike), whole, in order.

    Warnings are taken while they fit `WARNINGS_SHOWN` and `WARNINGS_CHARS`;
    the rest are counted in a last line pointing to ``summary.json``, where
    every warning is kept.
    """
    warnings = [trim(w) for w in list(story.assessment.warnings)
                + client_safe_warnings(story.client.warnings, story.client.config.privacy)]
    shown: list[str] = []
    for w in warnings:
        if len(shown) == WARNINGS_SHOWN or sum(map(len, shown)) + len(w) > WARNINGS_CHARS:
            break
        shown.append(w)
    rest = len(warnings) - len(shown)
    if rest:
        shown.append(f"{rest} more warning{'s are' if rest != 1 else ' is'} listed in summary.json.")
    return shown


def coverage_slide(story: Story, spec: PlannedSlide) -> Slide:
    """Respondents by department and by level, and data-quality warnings."""
    a = story.assessment
    by_dept = table(_count_rows(a.departments, "department"), ["Department", "Respondents"], classes="oat-compact")
    by_level = table(_count_rows(a.levels, "level"), ["Level", "Respondents"], classes="oat-compact")
    warn = "".join(f"<li>{esc(w)}</li>" for w in coverage_warnings(story))
    body = (f'<div class="oat-cols"><div class="oat-col-half">{by_dept}</div><div class="oat-col-half">{by_level}'
            f'<h3>Data-quality warnings</h3><ul class="oat-small">{warn or "<li>None.</li>"}</ul></div></div>')
    return section(spec.title, body, kicker=spec.kicker)
