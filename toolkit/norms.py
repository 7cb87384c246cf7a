"""Norms: a first benchmark for a first client (DESIGN 2.1).

A norms file (``templates/norms/*.csv``) holds favourable-% percentiles per
area or item from published data, with its source, year and licence::

    scope,id,n_orgs,p10,p25,p50,p75,p90,source,year,licence
    area,management_style,101,48,55,62,68,73,"UK Civil Service People Survey 2019",2019,"OGL v3.0"

`import_norms` builds one from an organisation-level "% positive" table and a
crosswalk from our question bank to its questions; `norm_percentile` places a
client's favourable % among the norm's organisations (linear between the
stored percentiles). The deck names the norm it uses (``source, year``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from toolkit.errors import DefinitionError
from toolkit.run import resources

NORMS_DIR = resources.template("norms")
PERCENTILES = (10, 25, 50, 75, 90)
NORM_COLUMNS = ["scope", "id", "n_orgs", *[f"p{p}" for p in PERCENTILES], "source", "year", "licence"]


@dataclass(frozen=True)
class Crosswalk:
    """Our question id -> the published table's column, plus what to cite."""

    questions: dict[str, str]
    source: str
    year: int
    licence: str
    organisation_column: str = "Organisation"
    skip_organisations: tuple[str, ...] = ()


def read_crosswalk(path: Path) -> Crosswalk:
    """Read a crosswalk YAML (see ``templates/norms/crosswalk-uk-csps-2019.yaml``)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"{path}: cannot read the crosswalk: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("questions"), dict) or not data["questions"]:
        raise DefinitionError(f"{path}: expected a mapping with a non-empty 'questions' mapping")
    for key in ("source", "year", "licence"):
        if not data.get(key):
            raise DefinitionError(f"{path}: key {key!r} is required (a norm always says where it comes from)")
    return Crosswalk({str(k): str(v) for k, v in data["questions"].items()}, str(data["source"]),
                     int(data["year"]), str(data["licence"]), str(data.get("organisation_column", "Organisation")),
                     tuple(data.get("skip_organisations") or ()))


def _percent(column: pd.Series) -> pd.Series:
    """``"80%"`` / ``80`` / ``0.8``-free strings -> 80.0 (NaN when blank or not a number)."""
    text = column.astype(str).str.strip().str.rstrip("%").str.replace(",", "", regex=False)
    return pd.to_numeric(text, errors="coerce")


def import_norms(table: Path, crosswalk: Crosswalk, question_bank: pd.DataFrame) -> pd.DataFrame:
    """Build norms (area and item rows) from an organisation-level "% positive" table.

    Parameters
    ----------
    table
        CSV, one row per organisation, one column per published question (``80%``).
    crosswalk
        Which published column answers which of our questions.
    question_bank
        Our ``question_id, area`` (``templates/question_bank.csv``).

    Returns
    -------
    pandas.DataFrame
        `NORM_COLUMNS`; an area's value per organisation is the mean % positive
        of its mapped questions.

    Raises
    ------
    DefinitionError
        When the table lacks a mapped column or a mapped question is not ours.
    """
    raw = pd.read_csv(table, encoding="utf-8-sig", dtype=str)
    if crosswalk.organisation_column in raw.columns:
        raw = raw.loc[~raw[crosswalk.organisation_column].isin(crosswalk.skip_organisations)]
    areas = dict(zip(question_bank["question_id"].astype(str), question_bank["area"].astype(str), strict=True))
    missing = [c for c in crosswalk.questions.values() if c not in raw.columns]
    unknown = [q for q in crosswalk.questions if q not in areas]
    if missing or unknown:
        raise DefinitionError(f"{table}: crosswalk columns not in the table: {missing}; "
                              f"question ids not in our bank: {unknown}")
    values = pd.DataFrame({q: _percent(raw[c]) for q, c in crosswalk.questions.items()})
    rows = []
    cite = {"source": crosswalk.source, "year": crosswalk.year, "licence": crosswalk.licence}
    by_area: dict[str, list[str]] = {}
    for q in crosswalk.questions:
        by_area.setdefault(areas[q], []).append(q)
    for area, qs in by_area.items():
        rows.append({"scope": "area", "id": area, **_quantiles(values[qs].mean(axis=1)), **cite})
    for q in crosswalk.questions:
        rows.append({"scope": "item", "id": q, **_quantiles(values[q]), **cite})
    return pd.DataFrame(rows, columns=NORM_COLUMNS)


def _quantiles(series: pd.Series) -> dict[str, float]:
    v = series.dropna().to_numpy(dtype=float)
    if not len(v):
        raise DefinitionError("a mapped question has no value in any organisation")
    return {"n_orgs": int(len(v)), **{f"p{p}": round(float(np.percentile(v, p)), 1) for p in PERCENTILES}}


def write_norms(norms: pd.DataFrame, out: Path) -> Path:
    """Write a norms CSV."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    norms[NORM_COLUMNS].to_csv(out, index=False)
    return out


def read_norms(path: Path) -> pd.DataFrame:
    """Read and check a norms CSV (columns, increasing percentiles, a source)."""
    frame = pd.read_csv(path)
    missing = [c for c in NORM_COLUMNS if c not in frame.columns]
    if missing:
        raise DefinitionError(f"{path}: a norms file needs the columns {NORM_COLUMNS}; missing {missing}")
    p = frame[[f"p{q}" for q in PERCENTILES]].to_numpy(dtype=float)
    if (np.diff(p, axis=1) < 0).any():
        raise DefinitionError(f"{path}: percentiles must not decrease from p10 to p90")
    if frame["source"].isna().any():
        raise DefinitionError(f"{path}: every row needs its source")
    return frame


def norm_percentile(value: float, row: pd.Series) -> float:
    """Where ``value`` (favourable %) sits among the norm's organisations, 0-100.

    Linear between the stored percentiles; below p10 or above p90 it is
    clamped to 5 or 95 (the file does not say more).

    Examples
    --------
    >>> row = pd.Series({"p10": 40, "p25": 50, "p50": 60, "p75": 70, "p90": 80})
    >>> norm_percentile(65, row), norm_percentile(30, row), norm_percentile(99, row)
    (62.5, 5.0, 95.0)
    """
    xs = [float(row[f"p{p}"]) for p in PERCENTILES]
    if value < xs[0]:
        return 5.0
    if value > xs[-1]:
        return 95.0
    return float(np.interp(value, xs, PERCENTILES))


def synthetic_norms(seed: int = 2026, n_orgs: int = 60) -> pd.DataFrame:
    """A small norms table for the demo, drawn at random and labelled synthetic."""
    rng = np.random.default_rng(seed)
    from toolkit.model import AREAS

    rows = []
    for i, area in enumerate(AREAS):
        draws = np.clip(rng.normal(55 + 3 * i, 12, n_orgs), 0, 100)
        rows.append({"scope": "area", "id": area, **_quantiles(pd.Series(draws)),
                     "source": "Synthetic demo norms (not real data)", "year": 2026,
                     "licence": "Synthetic; generated by toolkit.norms.synthetic_norms"})
    return pd.DataFrame(rows, columns=NORM_COLUMNS)


def default_norms(folder: Path = NORMS_DIR) -> pd.DataFrame | None:
    """The norms a deck compares against: the firm's own norms file in ``templates/norms/``
    when there is one, else the synthetic demo file; None when the folder has none."""
    files = sorted(folder.glob("*.csv"))
    real = [f for f in files if "synthetic" not in f.name]
    candidates = real or files
    return read_norms(candidates[0]) if candidates else None


def area_norm_percentiles(favourable: dict[str, float], norms: pd.DataFrame) -> dict[str, float]:
    """Percentile of each area's favourable % among the norm's organisations (areas with a norm only)."""
    rows = {str(i): row for i, row in norms.loc[norms["scope"] == "area"].set_index("id").iterrows()}
    return {a: norm_percentile(v, rows[a]) for a, v in favourable.items() if a in rows and v == v}
