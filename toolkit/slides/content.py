"""Text-led slides: title, executive summary, area deep dives, costs, roadmap, appendix."""
from __future__ import annotations

import pandas as pd

from toolkit.model import AREA_LABELS
from toolkit.privacy import client_safe_warnings
from toolkit.slides.base import Slide, band_class, chart, esc, fmt, section, stylesheet, table

HORIZONS = (30, 60, 90)


def title_slide(story) -> Slide:
    """Client name, wave, strategy statement; also carries the slides' stylesheet."""
    cfg = story.client.config
    caps = ", ".join(cfg.unique_capabilities)
    body = (f'<p class="oat-strategy">“{esc(cfg.strategy.strip())}”</p>'
            f'<p class="oat-meta">Customer promise: <b>{esc(cfg.customer_promise)}</b> · '
            f'Management style: <b>{esc(cfg.management_style)}</b>'
            + (f' · Unique capabilities: <b>{esc(caps)}</b>' if caps else "") + "</p>"
            f'<p class="oat-meta">Wave {esc(cfg.wave)}{_interviews(story.assessment.oai.get("n"))}</p>')
    return Slide(stylesheet() + f'<div class="oat-slide oat-cover"><div class="oat-kicker">Operational alignment assessment</div>'
                 f'<h1 class="oat-client">{esc(cfg.name)}</h1>{body}</div>', cfg.name)


def _interviews(n: object) -> str:
    """`` · 48 interviews``, or nothing when the count is withheld (below the privacy threshold)."""
    return f" · {fmt(n)} interviews" if fmt(n) != "–" else ""


def executive_summary_slide(story) -> Slide:
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
            f'<p class="oat-gap"><b>Principal gap.</b> {esc(f.principal_gap_sentence)}</p></div></div>')
    return section("Executive summary", body, kicker="In one page")


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


def area_slide(story, area: str) -> Slide:
    """One area: its components, item answers, KPIs and the voice of the organisation."""
    from toolkit.plots import plot_likert

    a = story.assessment
    row = a.areas.loc[area]
    items = a.items[a.items["area"] == area]
    if "suppressed" in items:
        items = items[~items["suppressed"].fillna(False).astype(bool)]
    parts = [_component_tiles(row)]
    left = ""
    if len(items):
        # Smaller type than full-width charts: seven wrapped item texts share the slide with KPIs and quotes.
        left = chart(lambda ax: plot_likert(items, ax=ax, wrap_width=46, title=None), size=(7.4, 4.0),
                     alt=f"Answers to {AREA_LABELS[area]} items",
                     rc={"font.size": 10.5, "axes.labelsize": 10.5, "xtick.labelsize": 10, "ytick.labelsize": 10,
                         "legend.fontsize": 10})
    right = []
    kpis = a.kpis[a.kpis["area"] == area]
    if len(kpis):
        rows = [[esc(k["name"]), f'{esc("≤" if k["better"] == "lower" else "≥")} {fmt(k["target"], 1)} {esc(k["unit"])}',
                 fmt(k["attainment"], suffix="%")] for _, k in kpis.head(3).iterrows()]
        right.append(table(rows, ["KPI", "Target", "On target"], classes="oat-compact"))
    else:
        right.append('<p class="oat-note">No operations KPI is mapped to this area: alignment rests on interviews alone.</p>')
    quotes = quotes_for(story, area, limit=1 if len(kpis) else 2)  # keep the side column on the slide
    right += [f'<blockquote class="oat-quote">“{esc(q)}”<cite>— {esc(lvl)}</cite></blockquote>' for q, lvl in quotes]
    parts.append(f'<div class="oat-cols"><div class="oat-col-chart">{left}</div><div class="oat-col-side">{"".join(right)}</div></div>')
    n = row.get("n")
    kicker = (f"Area deep dive · band: {row.get('band') or 'suppressed'} · "
              f"n = {int(n) if n == n and n is not None else '–'} · alpha {fmt(row.get('alpha'), 2)}")
    return section(AREA_LABELS[area], "".join(parts), kicker=kicker)


def quotes_for(story, area: str, limit: int) -> list[tuple[str, str]]:
    """Up to ``limit`` quotes of an area as ``(text, level)``: plain text, trimmed; escape before HTML."""
    quotes = getattr(story.voice, "quotes", None)
    if quotes is None or len(quotes) == 0:
        return []
    chosen = quotes[quotes["area"] == area].head(limit)
    return [(trim(str(q["text"]), 150), str(q["level"]).capitalize()) for _, q in chosen.iterrows()]


def trim(text: str, limit: int) -> str:
    """Collapse whitespace, strip surrounding quote marks, cut at a word before ``limit``."""
    text = " ".join(text.split()).strip('"“”\' ')
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def costs_slide(story) -> Slide:
    """The three costs of misalignment, each with its evidence."""
    cards = []
    for cost in story.findings.costs:
        c = cost if isinstance(cost, dict) else vars(cost)
        evidence = "".join(f"<li>{esc(s)}</li>" for s in list(c.get("evidence", []))[:3])
        sev = str(c.get("severity", ""))
        cards.append(f'<div class="oat-card sev-{esc(sev.lower())}"><div class="oat-card-kicker">{esc(sev)}</div>'
                     f'<h3>{esc(c.get("label") or c.get("title") or "")}</h3><ul>{evidence}</ul></div>')
    return section("The cost of misalignment", f'<div class="oat-cards">{"".join(cards)}</div>', kicker="Why it matters")


def roadmap_slide(story) -> Slide:
    """Top recommendations by horizon (30/60/90 days), ranked by strategic weight × gap."""
    recs = story.findings.recommendations
    cols = []
    for horizon in HORIZONS:
        chosen = recs[recs["horizon"].astype(int) == horizon].head(3) if len(recs) else recs
        items = "".join(f'<li><b>{esc(AREA_LABELS.get(r["area"], "Across areas"))}.</b> {esc(trim(str(r["action"]), 150))}'
                        f'<span class="oat-owner">Owner: {esc(r["owner"])}</span></li>' for _, r in chosen.iterrows())
        cols.append(f'<div class="oat-lane"><h3>{horizon} days</h3><ul>{items or "<li>Nothing planned at this horizon.</li>"}</ul></div>')
    return section("Recommendations roadmap", f'<div class="oat-lanes">{"".join(cols)}</div>',
                   kicker="What to do next, in priority order")


METHOD_TEXT = [
    "<b>Perception</b> rescales each respondent’s mean answer on an area’s items from 1–5 to 0–100.",
    "<b>Consistency</b> asks whether people answer alike: 100 means everyone agrees, 0 means no more agreement than random answers (item-level r<sub>wg</sub>).",
    "<b>Evidence</b> is the share of department-months where the area’s operations KPIs met their strategic target.",
    "<b>Alignment</b> weighs perception 50 %, consistency 25 % and evidence 25 % (re-weighted when a part is missing); the Overall Alignment Index weighs areas by the client’s strategy.",
    "Intervals are 90 % bootstrap intervals over respondents; changes are only called when their interval excludes zero.",
    "Confidentiality: no figure is shown for a group smaller than the privacy threshold; quotes are redacted and attributed by level only.",
    "The full method: docs/method.md in the Operational Alignment Toolkit repository.",
]


def method_slide(story) -> Slide:
    """The method in plain words."""
    k = story.client.config.privacy.min_group_size
    body = '<ul class="oat-points">' + "".join(f"<li>{t}</li>" for t in METHOD_TEXT) + "</ul>"
    body += f'<p class="oat-caption">Privacy threshold for this client: {k} respondents; quotes need groups of {story.client.config.privacy.min_quote_group}.</p>'
    return section("Appendix · Method", body, kicker="How to read the numbers")


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


def coverage_slide(story) -> Slide:
    """Respondents by department and by level, and data-quality warnings."""
    a = story.assessment
    by_dept = table(_count_rows(a.departments, "department"), ["Department", "Respondents"], classes="oat-compact")
    by_level = table(_count_rows(a.levels, "level"), ["Level", "Respondents"], classes="oat-compact")
    warnings = list(a.warnings) + client_safe_warnings(story.client.warnings, story.client.config.privacy)
    warn = "".join(f"<li>{esc(trim(w, 140))}</li>" for w in warnings[:6])
    more = f"<li>… and {len(warnings) - 6} more</li>" if len(warnings) > 6 else ""
    body = (f'<div class="oat-cols"><div class="oat-col-half">{by_dept}</div><div class="oat-col-half">{by_level}'
            f'<h3>Data-quality warnings</h3><ul class="oat-small">{warn + more or "<li>None.</li>"}</ul></div></div>')
    return section("Appendix · Coverage and data quality", body, kicker="What the numbers rest on")
