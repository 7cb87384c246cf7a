"""HTML of the explorer's text panels: the live scorecard, an area's detail, the quotes.

Every string that comes from client data (names, departments, themes,
quotes) goes through `html.escape`. A suppressed value is written
"suppressed", never as a number; a figure that does not exist for the view
(the spread between departments inside one department) is "not applicable";
"—" is a figure with no data. Every number is explained by the legend
(`LEGEND`), also as a tooltip on the column headings.
"""
from __future__ import annotations

import html
import math
from typing import cast

import pandas as pd

from toolkit.explore.engine import View
from toolkit.metrics.score import DEFAULT_BOOT
from toolkit.model import AREA, AREA_LABELS, AREAS, DEPARTMENT, LEVEL, TEXT, THEME
from toolkit.privacy import SUPPRESSED

SUPPRESSED_TEXT = "suppressed"
ABSENT_TEXT = "—"
NOT_APPLICABLE_TEXT = "not applicable"
ALL = "all"
METHOD_PAGE = "docs/method.md"

#: What every number and mark of the explorer means (the legend, and the headings' tooltips).
LEGEND: dict[str, str] = {
    "OAI": "Overall Alignment Index: the areas' alignment weighted by the strategic weights (0-100). "
           "75+ aligned, 60-74.9 partly aligned, below 60 misaligned.",
    "Alignment": "A = perception 50 %, consistency 25 %, evidence 25 % (the component weights), 0-100.",
    "Perception": "P: how favourably people rate the area's statements, 0 (all strongly disagree) to 100.",
    "Consistency": "C: how alike people answer (item-level r_wg), 100 = all alike, 0 = no more alike than random.",
    "Evidence": "E: % of department-periods where the area's KPIs met their strategic target.",
    "Within-department consistency": "C computed inside each department (from 10 people), then averaged: "
                                     "do people in the same team agree?",
    "Cronbach's α": "alpha: do the area's questions measure one thing? Below 0.70, read the area with care.",
    "Principal gap": "among areas below 75, the largest strategic weight x (75 - alignment): where to start.",
    "[lo–hi]": "90 % bootstrap interval: the range the score would plausibly take with other respondents.",
    "—": "no figure: no data for it in this view (e.g. no KPI, or too few people to judge agreement).",
    "suppressed": "hidden to protect confidentiality: fewer respondents than the privacy threshold "
                  "(or hidden so a small group cannot be worked out by subtraction).",
    "not applicable": "the figure does not exist for this view (e.g. a gap between levels inside one level); "
                      "nothing is hidden.",
}


def esc(value: object) -> str:
    """``html.escape`` of ``str(value)`` (quotes too)."""
    return html.escape(str(value), quote=True)


def number(value: object, hidden: bool = False, digits: int = 1) -> str:
    """``"67.3"``, ``"suppressed"`` when hidden, ``"—"`` when absent."""
    if hidden:
        return SUPPRESSED_TEXT
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ABSENT_TEXT
    return ABSENT_TEXT if math.isnan(v) else f"{v:.{digits}f}"


def shown_interval(value: float, lo: float, hi: float) -> tuple[float, float]:
    """The interval as displayed: never excluding its own point estimate.

    A percentile bootstrap interval of a biased statistic (consistency at small
    n is biased upward) can lie wholly on one side of the estimate, e.g.
    "40.0 [42.1–70.7]"; shown as such it reads as an error. The displayed
    interval is stretched to the estimate (conservative: it only widens).
    """
    return min(lo, value), max(hi, value)


def with_interval(value: object, lo: object, hi: object, hidden: bool = False) -> str:
    """``"67.3 [63.0–71.2]"`` (the interval only when both ends exist; it always contains the value)."""
    text = number(value, hidden)
    if hidden or text == ABSENT_TEXT:
        return text
    lo_t, hi_t = number(lo), number(hi)
    if ABSENT_TEXT in (lo_t, hi_t):
        return text
    lo_v, hi_v = shown_interval(float(value), float(lo), float(hi))  # type: ignore[arg-type]
    return f"{text} [{number(lo_v)}–{number(hi_v)}]"


def legend_html(terms: list[str] | None = None) -> str:
    """The legend: what each number and mark means, and where the method is written down."""
    keys = terms or list(LEGEND)
    items = "".join(f"<li><b>{esc(k)}</b>: {esc(LEGEND[k])}</li>" for k in keys)
    return (f'<details class="oat-legend"><summary>What the numbers mean</summary><ul>{items}</ul>'
            f"<p>The whole method: <code>{METHOD_PAGE}</code> in the toolkit's repository.</p></details>")


def _th(label: str, key: str | None = None) -> str:
    tip = LEGEND.get(key or label, "")
    return f'<th title="{esc(tip)}">{esc(label)}</th>' if tip else f"<th>{esc(label)}</th>"


def cleared_html(message: str) -> str:
    """The scorecard when the scenario cannot be scored (e.g. every strategic weight at 0): no stale number."""
    return (f'<div class="oat-scorecard oat-cleared"><div class="oat-oai"><b>No scores</b>: {esc(message)}</div>'
            "</div>")


def boot_note(view: View) -> str:
    """Where the intervals come from; says so when fewer resamples than the deck are used."""
    if view.n_boot < DEFAULT_BOOT:
        return (f"90 % intervals from {view.n_boot} bootstrap resamples while exploring this large client "
                f"(the deck uses {DEFAULT_BOOT}).")
    return f"90 % intervals from {view.n_boot} bootstrap resamples."


def scorecard_html(view: View, baseline: View | None = None) -> str:
    """The live scorecard: OAI with interval and band, then one row per area.

    Parameters
    ----------
    view
        The scenario shown.
    baseline
        The same filters at the client's own weights; when the weights differ,
        the OAI at the client's weights is shown beside the what-if.
    """
    a = view.assessment
    oai = a.oai
    client = view.client.config.name
    head = f"<b>{esc(client)}</b> · wave {esc(a.wave)} · {esc(view.filters.describe())}"
    if view.hidden:
        body = (f'<div class="oat-oai"><b>OAI: {SUPPRESSED_TEXT}</b> — {esc(view.reason)}. '
                "Widen the filter to see results.</div>")
    else:
        gap = AREA_LABELS.get(a.principal_gap, a.principal_gap)
        body = (f'<div class="oat-oai"><b title="{esc(LEGEND["OAI"])}">OAI '
                f'{with_interval(oai["value"], oai["lo"], oai["hi"])}</b> · '
                f'{esc(oai.get("band", ""))} · {int(oai["n"])} respondents</div>'
                f'<div class="oat-gap" title="{esc(LEGEND["Principal gap"])}">Principal gap: '
                f'<b>{esc(gap) if gap else "none (every scored area is aligned)"}</b></div>')
        if baseline is not None and baseline.weights != view.weights and not baseline.hidden:
            base_gap = baseline.assessment.principal_gap
            body += (f'<div class="oat-whatif">What-if weights. At the client\'s own weights the OAI is '
                     f'{number(baseline.assessment.oai["value"])} and the principal gap '
                     f'{esc(AREA_LABELS.get(base_gap, base_gap) or "none")}.</div>')
    rows = []
    for area in AREAS:
        r = a.areas.loc[area]
        hidden = bool(r.get(SUPPRESSED, False))
        rows.append(
            f"<tr><td>{esc(AREA_LABELS[area])}</td><td>{number(100 * float(cast(float, r['weight'])), digits=0)} %</td>"
            f"<td><b>{with_interval(r['alignment'], r['alignment_lo'], r['alignment_hi'], hidden)}</b></td>"
            f"<td>{esc(r['band']) if not hidden else SUPPRESSED_TEXT}</td>"
            f"<td>{with_interval(r['perception'], r['perception_lo'], r['perception_hi'], hidden)}</td>"
            f"<td>{with_interval(r['consistency'], r['consistency_lo'], r['consistency_hi'], hidden)}</td>"
            f"<td>{number(r['evidence'], hidden)}</td></tr>")
    table = ("<table class='oat-table'><tr><th>Area</th>"
             '<th title="The strategic weights renormalised to 100 %">Weight (share)</th>'
             + _th("Alignment [90 %]", "Alignment") + "<th>Band</th>" + _th("Perception") + _th("Consistency")
             + _th("Evidence") + "</tr>" + "".join(rows) + "</table>")
    note = "" if view.hidden else f'<div class="oat-note">{esc(boot_note(view))}</div>'
    return f'<div class="oat-scorecard">{head}{body}{table}{note}{legend_html()}' + "</div>"


def area_html(view: View, area: str) -> str:
    """One area's detail: components with intervals, departments from lowest, KPIs."""
    a = view.assessment
    if area in getattr(a, "not_scored", []):
        return (f"<h4>{esc(AREA_LABELS[area])}</h4><p class='oat-note'>Not scored: no item of this area was "
                "answered and no KPI is mapped to it; it is left out of the Overall Alignment Index.</p>")
    r = a.areas.loc[area]
    hidden = bool(r.get(SUPPRESSED, False)) or view.hidden
    one_dept = view.filters.department is not None
    # a share exists wherever perception does: a blank one beside a shown perception is the privacy audit's
    share_blank = bool(pd.notna(r["perception"]) and pd.isna(r["favourable"]))
    facts = [
        ("Alignment", with_interval(r["alignment"], r["alignment_lo"], r["alignment_hi"], hidden), "Alignment"),
        ("Perception", with_interval(r["perception"], r["perception_lo"], r["perception_hi"], hidden),
         "Perception"),
        ("Favourable (%)", number(r["favourable"], hidden or share_blank), None),
        ("Consistency", with_interval(r["consistency"], r["consistency_lo"], r["consistency_hi"], hidden),
         "Consistency"),
        ("Within-department consistency", NOT_APPLICABLE_TEXT if one_dept and not hidden
         else number(r["within_dept_consistency"], hidden), "Within-department consistency"),
        ("Spread of department means (SD)", NOT_APPLICABLE_TEXT if one_dept and not hidden
         else number(r["between_dept_sd"], hidden), None),
        ("Evidence (KPIs on target, %)", number(r["evidence"], hidden), "Evidence"),
        ("Cronbach's α", number(r["alpha"], hidden, digits=2), "Cronbach's α"),
    ]
    out = [f"<h4>{esc(AREA_LABELS[area])}</h4><table class='oat-table'>"]
    out += [f'<tr><td title="{esc(LEGEND.get(key or "", ""))}">{esc(k)}</td><td><b>{v}</b></td></tr>'
            for k, v, key in facts]
    out.append("</table>")
    depts = a.departments.loc[a.departments[AREA] == area]
    if len(depts):
        shown = depts.loc[~depts[SUPPRESSED].to_numpy(dtype=bool)].sort_values("perception", kind="mergesort")
        n_hidden = int(depts[SUPPRESSED].sum())
        items = [f"<li>{esc(d)}: {number(p)}</li>" for d, p in zip(shown[DEPARTMENT], shown["perception"], strict=True)]
        if n_hidden:
            items.append(f"<li><i>{n_hidden} department{'s' if n_hidden != 1 else ''} {SUPPRESSED_TEXT}</i></li>")
        out.append("<p>Departments, lowest perception first:</p><ul>" + "".join(items) + "</ul>")
    kpis = a.kpis.loc[a.kpis[AREA] == area]
    if len(kpis):
        items = [f"<li>{esc(n)}: {number(v)} % of periods on target</li>"
                 for n, v in zip(kpis["name"], kpis["attainment"], strict=True)]
        out.append("<p>KPIs:</p><ul>" + "".join(items) + "</ul>")
    out.append(legend_html(["Alignment", "Perception", "Consistency", "Within-department consistency", "Evidence",
                            "Cronbach's α", "[lo–hi]", "—", "suppressed", "not applicable"]))
    return f'<div class="oat-area">{"".join(out)}</div>'


def filter_quotes(quotes: pd.DataFrame, *, area: str = ALL, theme: str = ALL, sentiment: str = ALL) -> pd.DataFrame:
    """Quotes of one area, theme and sentiment label (``"all"`` keeps every value)."""
    from toolkit.voice import SENTIMENT, sentiment_label

    out = quotes
    if area != ALL:
        out = out.loc[out[AREA] == area]
    if theme != ALL:
        out = out.loc[out[THEME] == theme]
    if sentiment != ALL:
        labels = out["sentiment_label"] if "sentiment_label" in out.columns else \
            pd.Series([sentiment_label(float(s)) for s in out[SENTIMENT]], index=out.index)
        out = out.loc[(labels == sentiment).to_numpy(dtype=bool)]
    return out


def sentiment_text(label: object, source: object) -> str:
    """How a quote's sentiment is shown: "negative" (coded), "suggested: negative", or "sentiment not coded"."""
    if isinstance(label, str) and label:
        return label if source == "coded" else f"suggested: {label}"
    return "sentiment not coded"


def quotes_html(quotes: pd.DataFrame, view: View) -> str:
    """The quotes list (already filtered), each attributed by level only."""
    from toolkit.voice import SENTIMENT, sentiment_label

    if view.hidden:
        return f'<div class="oat-quotes"><i>Quotes {SUPPRESSED_TEXT}: {esc(view.reason)}.</i></div>'
    if quotes.empty:
        return ('<div class="oat-quotes"><i>No quote matches, or none comes from a group large enough '
                f"to quote (at least {view.client.config.privacy.min_quote_group} people).</i></div>")
    if "sentiment_label" in quotes.columns:
        moods = [sentiment_text(lb, sr) for lb, sr in zip(quotes["sentiment_label"], quotes["sentiment_source"], strict=True)]
    else:
        moods = [sentiment_label(float(s)) for s in quotes[SENTIMENT]]
    items = [f"<li>“{esc(t)}” <span class='oat-attr'>— {esc(lv)} · {esc(AREA_LABELS.get(a, a))} · "
             f"{esc(th)} · {esc(m)}</span></li>"
             for t, lv, a, th, m in zip(quotes[TEXT], quotes[LEVEL], quotes[AREA], quotes[THEME], moods, strict=True)]
    return f'<div class="oat-quotes"><p>{len(items)} quote(s)</p><ul>{"".join(items)}</ul></div>'


def quote_themes(quotes: pd.DataFrame, area: str = ALL) -> list[str]:
    """Themes present in the quotes of an area (sorted), for the theme picker."""
    rows = quotes if area == ALL else quotes.loc[quotes[AREA] == area]
    return sorted({str(t) for t in rows[THEME] if isinstance(t, str) and t})


__all__ = ["LEGEND", "area_html", "cleared_html", "esc", "legend_html", "shown_interval", "filter_quotes", "quote_themes", "quotes_html", "scorecard_html"]
