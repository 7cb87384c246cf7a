"""Export the explorer's view: charts as PNGs and the what-if scenario as JSON, atomically.

The folder ``<reports>/<client>/<wave>/explore-<timestamp>/`` is first written
as a hidden temporary sibling and renamed into place only when complete, so
a failed export leaves nothing half-written.
"""
from __future__ import annotations

import json
import logging
import math
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from toolkit import __version__
from toolkit.explore.engine import View
from toolkit.model import AREAS
from toolkit.privacy import SUPPRESSED, SUPPRESSED_REASON

log = logging.getLogger("toolkit")

SCENARIO_FILE = "scenario.json"
#: The self-contained page of the view, to send to a client (opens offline, loads nothing).
VIEW_FILE = "view.html"
SCENARIO_VERSION = 1
AREA_FIELDS = ("weight", "n", "alignment", "alignment_lo", "alignment_hi", "band", "perception",
               "perception_lo", "perception_hi", "consistency", "consistency_lo", "consistency_hi", "evidence")


def _json_value(value: object) -> object:
    """NaN (absent or suppressed) becomes null; numpy scalars become Python numbers."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def scenario_dict(view: View, baseline: View | None = None, *, created: datetime | None = None
                  ) -> dict[str, Any]:
    """The scenario and its resulting (protected) scores as a JSON-ready dict.

    Suppressed values are ``null`` with ``suppressed: true`` and the reason;
    a suppressed group never has an ``n`` (the area's, or the OAI's when the
    whole view is suppressed), whatever the assessment still holds.
    """
    a = view.assessment
    areas = []
    for area in AREAS:
        r = a.areas.loc[area]
        row: dict[str, Any] = {"area": area, "label": str(r["label"])}
        row.update({f: _json_value(r[f]) for f in AREA_FIELDS})
        row[SUPPRESSED] = bool(r.get(SUPPRESSED, False)) or view.hidden
        if row[SUPPRESSED]:
            row["n"] = None  # a suppressed group's head count is never written
        row[SUPPRESSED_REASON] = str(r.get(SUPPRESSED_REASON, ""))
        areas.append(row)
    oai = {k: _json_value(v) for k, v in a.oai.items()}
    if view.hidden:
        oai["n"] = None
    out = {
        "schema_version": SCENARIO_VERSION,
        "toolkit_version": __version__,
        "created": (created or datetime.now(UTC)).isoformat(timespec="seconds"),
        "client_id": a.client_id, "client_name": a.client_name, "wave": a.wave,
        "filters": view.filters.as_dict(),
        "weights": view.weights.as_dict(),
        "client_weights": baseline.weights.as_dict() if baseline is not None else None,
        "n_boot": view.n_boot,
        "suppressed": view.hidden, "suppressed_reason": view.reason,
        "oai": oai,
        "principal_gap": a.principal_gap,
        "areas": areas,
    }
    if baseline is not None:
        out["client_weights_oai"] = _json_value(baseline.assessment.oai.get("value"))
    return out


def export_stamp(view: View, baseline: View | None, now: datetime) -> str:
    """The line written on every exported chart: client, wave, date, filters and the what-if marker."""
    a = view.assessment
    parts = [str(a.client_name), f"wave {a.wave}", f"exported {now:%Y-%m-%d %H:%M} UTC", view.filters.describe()]
    if baseline is not None and baseline.weights != view.weights:
        raw = view.weights.area.as_dict()
        total = sum(raw.values()) or 1.0
        shares = {k: v / total for k, v in raw.items()}
        text = ", ".join(f"{k.replace('_', ' ')} {100 * float(v):.0f} %" for k, v in shares.items()) \
            if isinstance(shares, dict) else ""
        parts.append("WHAT-IF weights" + (f" ({text})" if text else ""))
    else:
        parts.append("client's own weights")
    return " · ".join(parts)


def check_export(view: View, scenario: Mapping[str, Any], folder: Path,
                 summary: Mapping[str, Any] | None = None) -> None:
    """The privacy audit of an export (`toolkit.privacy.publication.assert_export_publishable`).

    Raises `toolkit.privacy.final.PublicationBlocked` when the view, with the
    deck's summary and the views already in ``folder``, pins a small group.
    """
    from toolkit.privacy.publication import SUMMARY_FILE, assert_export_publishable, published_scenarios, summary_of

    client = view.source if view.source is not None else view.client
    if summary is None:
        published = folder / SUMMARY_FILE
        if published.is_file():
            summary = json.loads(published.read_text(encoding="utf-8"))
        else:
            summary = summary_of(view.full if view.full is not None else view.assessment)
    assert_export_publishable(scenario, client, summary, published_scenarios(folder))


def zip_bytes(folder: str | Path) -> bytes:
    """The files of an export folder as one zip (for the notebook's download link)."""
    import io
    import zipfile

    root = Path(folder)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            z.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")
    return buf.getvalue()


def export_view(view: View, figures: Mapping[str, Figure], reports_dir: str | Path, *,
                baseline: View | None = None, now: datetime | None = None, dpi: int = 150,
                quotes: pd.DataFrame | None = None, summary: Mapping[str, Any] | None = None) -> Path:
    """Write the charts and the scenario to ``reports_dir/<client>/<wave>/explore-<timestamp>/``.

    Nothing is written unless the privacy audit passes (`check_export`): the
    view, the deck's summary and every view already exported for the client
    and wave must together pin no group below ``min_group_size``; otherwise
    `toolkit.privacy.final.PublicationBlocked` names the group (never a value).

    Parameters
    ----------
    view
        The scenario shown (protected).
    figures
        Chart name -> Figure; each becomes ``<name>.png``.
    reports_dir
        The reports folder (created when missing).
    baseline
        The same filters at the client's weights, recorded beside the what-if.
    now
        Timestamp of the export (default: now, UTC).
    quotes
        The view's quotes (`ExploreEngine.quotes`) for the shared page, or None.
    dpi
        Resolution of the PNGs.
    summary
        The deck's ``summary.json`` dict to audit against (default: the one in
        the wave's report folder when the deck was built there, else the
        deck's figures recomputed from the view's protected full assessment).

    Returns
    -------
    Path
        The published folder.
    """
    from toolkit.explore.figures import stamped_png

    now = now or datetime.now(UTC)
    parent = Path(reports_dir) / view.assessment.client_id / view.assessment.wave
    check_export(view, scenario_dict(view, baseline, created=now), parent, summary)  # before anything is written
    parent.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    tmp = Path(tempfile.mkdtemp(prefix=f".explore-{stamp}.", suffix=".tmp", dir=parent))
    try:
        from toolkit.explore.share import view_html

        stamp = export_stamp(view, baseline, now)
        pngs = {name: stamped_png(fig, stamp, dpi=dpi) for name, fig in figures.items()}
        for name, png in pngs.items():
            (tmp / f"{name}.png").write_bytes(png)
        (tmp / VIEW_FILE).write_text(view_html(view, pngs, stamp, baseline=baseline, quotes=quotes),
                                     encoding="utf-8")
        scenario = scenario_dict(view, baseline, created=now)
        scenario["charts"] = [f"{name}.png" for name in figures]
        scenario["stamp"] = stamp
        (tmp / SCENARIO_FILE).write_text(json.dumps(scenario, indent=2, ensure_ascii=False), encoding="utf-8")
        os.chmod(tmp, 0o755)
        target, k = parent / f"explore-{stamp}", 2
        while target.exists():
            target, k = parent / f"explore-{stamp}-{k}", k + 1
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("explore: exported %s", target)
    return target
