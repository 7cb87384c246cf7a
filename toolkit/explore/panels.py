"""HTML of the explorer's text panels: the live scorecard, an area's detail, the quotes.

Every string that comes from client data (names, departments, themes,
quotes) goes through `html.escape`. A suppressed value is written
"suppressed", never as a number.
"""
from __future__ import annotations

import html
import math

import pandas as pd

from toolkit.metrics.assess import DEFAULT_BOOT
from toolkit.model import AREA, AREA_LABELS, AREAS, DEPARTMENT, LEVEL, TEXT, THEME
from toolkit.privacy import SUPPRESSED
from toolkit.explore.engine import View

SUPPRESSED_TEXT = "suppressed"
ABSENT_TEXT = "—"
ALL = "all"


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


def with_interval(value: object, lo: object, hi: object, hidden: bool = False) -> str:
    """``"67.3 [63.0–71.2]"`` (the interval only when both ends exist)."""
    text = number(value, hidden)
    if hidden or text == ABSENT_TEXT:
        return text
    lo_t, hi_t = number(lo), number(hi)
    return text if ABSENT_TEXT in (lo_t, hi_t) else f"{text} [{lo_t}–{hi_t}]"


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
        body = (f'<div class="oat-oai"><b>OAI {with_interval(oai["value"], oai["lo"], oai["hi"])}</b> · '
                f'{esc(oai.get("band", ""))} · {int(oai["n"])} respondents</div>')
        if baseline is not None and baseline.weights != view.weights and not baseline.hidden:
            body += (f'<div class="oat-whatif">What-if weights. At the client\'s own weights the OAI is '
                     f'{number(baseline.assessment.oai["value"])}; principal gap here: '
                     f'{esc(AREA_LABELS.get(a.principal_gap, a.principal_gap) or ABSENT_TEXT)}.</div>')
    rows = []
    for area in AREAS:
        r = a.areas.loc[area]
        hidden = bool(r.get(SUPPRESSED, False))
        rows.append(
            f"<tr><td>{esc(AREA_LABELS[area])}</td><td>{number(100 * float(r['weight']), digits=0)} %</td>"
            f"<td><b>{with_interval(r['alignment'], r['alignment_lo'], r['alignment_hi'], hidden)}</b></td>"
            f"<td>{esc(r['band']) if not hidden else SUPPRESSED_TEXT}</td>"
            f"<td>{with_interval(r['perception'], r['perception_lo'], r['perception_hi'], hidden)}</td>"
            f"<td>{with_interval(r['consistency'], r['consistency_lo'], r['consistency_hi'], hidden)}</td>"
            f"<td>{number(r['evidence'], hidden)}</td></tr>")
    table = ("<table class='oat-table'><tr><th>Area</th><th>Weight</th><th>Alignment [90 %]</th><th>Band</th>"
             "<th>Perception</th><th>Consistency</th><th>Evidence</th></tr>" + "".join(rows) + "</table>")
    return (f'<div class="oat-scorecard">{head}{body}{table}'
            f'<div class="oat-note">{esc(boot_note(view))}</div></div>')


def area_html(view: View, area: str) -> str:
    """One area's detail: components with intervals, departments from lowest, KPIs."""
    a = view.assessment
    if area in getattr(a, "not_scored", []):
        return (f"<h4>{esc(AREA_LABELS[area])}</h4><p class='oat-note'>Not scored: no item of this area was "
                "answered and no KPI is mapped to it; it is left out of the Overall Alignment Index.</p>")
    r = a.areas.loc[area]
    hidden = bool(r.get(SUPPRESSED, False))
    facts = [
        ("Alignment", with_interval(r["alignment"], r["alignment_lo"], r["alignment_hi"], hidden)),
        ("Perception", with_interval(r["perception"], r["perception_lo"], r["perception_hi"], hidden)),
        ("Favourable (%)", number(r["favourable"], hidden)),
        ("Consistency", with_interval(r["consistency"], r["consistency_lo"], r["consistency_hi"], hidden)),
        ("Within-department consistency", number(r["within_dept_consistency"], hidden)),
        ("Spread of department means (SD)", number(r["between_dept_sd"], hidden)),
        ("Evidence (KPIs on target, %)", number(r["evidence"], hidden)),
        ("Cronbach's α", number(r["alpha"], hidden, digits=2)),
    ]
    out = [f"<h4>{esc(AREA_LABELS[area])}</h4><table class='oat-table'>"]
    out += [f"<tr><td>{esc(k)}</td><td><b>{v}</b></td></tr>" for k, v in facts]
    out.append("</table>")
    depts = a.departments.loc[a.departments[AREA] == area]
    if len(depts):
        shown = depts.loc[~depts[SUPPRESSED].to_numpy(dtype=bool)].sort_values("perception", kind="mergesort")
        n_hidden = int(depts[SUPPRESSED].sum())
        items = [f"<li>{esc(d)}: {number(p)}</li>" for d, p in zip(shown[DEPARTMENT], shown["perception"])]
        if n_hidden:
            items.append(f"<li><i>{n_hidden} department{'s' if n_hidden != 1 else ''} {SUPPRESSED_TEXT}</i></li>")
        out.append("<p>Departments, lowest perception first:</p><ul>" + "".join(items) + "</ul>")
    kpis = a.kpis.loc[a.kpis[AREA] == area]
    if len(kpis):
        items = [f"<li>{esc(n)}: {number(v)} % of periods on target</li>"
                 for n, v in zip(kpis["name"], kpis["attainment"])]
        out.append("<p>KPIs:</p><ul>" + "".join(items) + "</ul>")
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
        out = out.loc[[sentiment_label(float(s)) == sentiment for s in out[SENTIMENT]]]
    return out


def quotes_html(quotes: pd.DataFrame, view: View) -> str:
    """The quotes list (already filtered), each attributed by level only."""
    from toolkit.voice import SENTIMENT, sentiment_label

    if view.hidden:
        return f'<div class="oat-quotes"><i>Quotes {SUPPRESSED_TEXT}: {esc(view.reason)}.</i></div>'
    if quotes.empty:
        return ('<div class="oat-quotes"><i>No quote matches, or none comes from a group large enough '
                f"to quote (at least {view.client.config.privacy.min_quote_group} people).</i></div>")
    items = [f"<li>“{esc(t)}” <span class='oat-attr'>— {esc(lv)} · {esc(AREA_LABELS.get(a, a))} · "
             f"{esc(th)} · {sentiment_label(float(s))}</span></li>"
             for t, lv, a, th, s in zip(quotes[TEXT], quotes[LEVEL], quotes[AREA], quotes[THEME], quotes[SENTIMENT])]
    return f'<div class="oat-quotes"><p>{len(items)} quote(s)</p><ul>{"".join(items)}</ul></div>'


def quote_themes(quotes: pd.DataFrame, area: str = ALL) -> list[str]:
    """Themes present in the quotes of an area (sorted), for the theme picker."""
    rows = quotes if area == ALL else quotes.loc[quotes[AREA] == area]
    return sorted({str(t) for t in rows[THEME] if isinstance(t, str) and t})


__all__ = ["area_html", "esc", "filter_quotes", "quote_themes", "quotes_html", "scorecard_html"]
