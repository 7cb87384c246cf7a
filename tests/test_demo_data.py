"""The synthetic-client generator and the shipped demo clients (toolkit.demo).

The shipped files must equal what the generator writes (so they never drift),
and each demo client's planted story must be visible in the raw files with
plain pandas, before any toolkit metric is involved.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from toolkit.client_config import ClientConfig
from toolkit.demo import write_demo_clients, write_large_client, write_portfolio
from toolkit.demo.generate import month_labels
from toolkit.scaffold import read_question_bank

ROOT = Path(__file__).resolve().parents[1]
CLIENT_DATA = ROOT / "client_data"
DEMO_IDS = ("harbor-concierge", "swiftmart", "northwind-logistics")
BANK = pd.DataFrame([q.__dict__ for q in read_question_bank()])
REVERSE = dict(zip(BANK["question_id"], BANK["reverse"], strict=True))
ITEM_AREA = dict(zip(BANK["question_id"], BANK["area"], strict=True))
ID_COLS = ["respondent_id", "department", "level"]


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def read_ratings(folder: Path) -> pd.DataFrame:
    """Tidy raw ratings of one wave folder (any shipped format), plus ``aligned`` and ``area``."""
    if (folder / "interviews.xlsx").exists():
        wide = pd.read_excel(folder / "interviews.xlsx", sheet_name="Interviews", engine="openpyxl")
    else:
        wide = pd.read_csv(folder / "interviews.csv")
    if "question_id" in wide.columns:
        tidy = wide
    else:
        tidy = wide.melt(id_vars=ID_COLS, var_name="question_id", value_name="rating").dropna()
    tidy = tidy.assign(rating=tidy["rating"].astype(int))
    reverse = tidy["question_id"].map(REVERSE).astype(bool)
    return tidy.assign(aligned=np.where(reverse, 6 - tidy["rating"], tidy["rating"]),
                       area=tidy["question_id"].map(ITEM_AREA))


def respondent_means(tidy: pd.DataFrame) -> pd.DataFrame:
    """Mean aligned answer per respondent and area (the x_i of DESIGN 2.1)."""
    return tidy.groupby(ID_COLS + ["area"], as_index=False)[["aligned"]].mean()


def wave_folders() -> list[Path]:
    return [CLIENT_DATA / c for c in DEMO_IDS] + [CLIENT_DATA / "northwind-logistics/waves/2025-h1"]


# --- determinism -----------------------------------------------------------

def test_shipped_clients_equal_the_generator_output(tmp_path):
    write_demo_clients(tmp_path)  # default seed 2026, as shipped
    for client_id in DEMO_IDS:
        fresh, shipped = files_under(tmp_path / client_id), files_under(CLIENT_DATA / client_id)
        assert sorted(fresh) == sorted(shipped), client_id
        for name in fresh:
            assert fresh[name] == shipped[name], f"client_data/{client_id}/{name} drifted from the generator"


@pytest.mark.slow
def test_portfolio_is_byte_identical_for_a_seed_and_differs_across_seeds(tmp_path):
    a = write_portfolio(tmp_path / "a", 4, seed=11)
    b = write_portfolio(tmp_path / "b", 4, seed=11)
    write_portfolio(tmp_path / "c", 4, seed=12)
    assert [p.name for p in a] == [p.name for p in b]
    assert files_under(tmp_path / "a") == files_under(tmp_path / "b")
    assert files_under(tmp_path / "a") != files_under(tmp_path / "c")


@pytest.mark.slow
def test_portfolio_makes_distinct_clients(tmp_path):
    # Speed (~0.3 s for 24 clients) is measured by benchmarks/batch.py, not asserted here.
    paths = write_portfolio(tmp_path / "p", 24)
    assert len(paths) == 24 and len({p.name for p in paths}) == 24


# --- the folder contract ---------------------------------------------------

@pytest.mark.parametrize("yaml_path", sorted(CLIENT_DATA.glob("*/client.yaml"))
                         + sorted(CLIENT_DATA.glob("*/waves/*/client.yaml")), ids=str)
def test_every_shipped_client_yaml_validates(yaml_path):
    config = ClientConfig.model_validate(yaml.safe_load(yaml_path.read_text()))
    wave_dir = yaml_path.parent
    if wave_dir.parent.name == "waves":
        assert config.wave == wave_dir.name
    ops = pd.read_csv(wave_dir / "operations.csv")
    assert list(ops.columns) == ["kpi_id", "department", "period", "value"]
    assert set(ops["kpi_id"]) == {k.id for k in config.kpis}
    assert len(config.kpis) >= 3
    assert {k.better for k in config.kpis} == {"higher", "lower"}
    assert ops["period"].str.fullmatch(r"\d{4}-\d{2}").all() and ops["period"].nunique() >= 12


@pytest.mark.parametrize("folder, fmt", [
    ("harbor-concierge", "tidy"), ("swiftmart", "wide"),
    ("northwind-logistics", "xlsx"), ("northwind-logistics/waves/2025-h1", "wide"),
])
def test_interview_formats_vary(folder, fmt):
    path = CLIENT_DATA / folder
    if fmt == "xlsx":
        assert not (path / "interviews.csv").exists()
        ws = load_workbook(path / "interviews.xlsx", read_only=True)["Interviews"]
        header = next(ws.iter_rows(max_row=1, values_only=True))
        assert list(header) == ID_COLS + list(BANK["question_id"])
        return
    frame = pd.read_csv(path / "interviews.csv")
    expected = ID_COLS + (["question_id", "rating"] if fmt == "tidy" else list(BANK["question_id"]))
    assert list(frame.columns) == expected


@pytest.mark.parametrize("folder", wave_folders(), ids=lambda p: p.relative_to(CLIENT_DATA).as_posix())
def test_respondents_levels_and_ratings_are_valid(folder):
    tidy = read_ratings(folder)
    people = tidy.drop_duplicates("respondent_id")
    assert 20 <= len(people) <= 60
    assert set(people["level"]) == {"executive", "manager", "frontline"}
    assert tidy["rating"].between(1, 5).all()
    assert set(tidy["question_id"]) == set(BANK["question_id"])  # every item, both outcome items
    sizes = people["department"].value_counts()
    planted_small = {"Customs Brokerage"} if folder.name == "northwind-logistics" else set()
    assert set(sizes[sizes < 3].index) == planted_small


def test_reverse_keyed_items_are_answered_in_reverse():
    # An aligned respondent answers forward items high and reverse-keyed items low: raw means
    # of the two kinds correlate negatively across respondents in every area.
    tidy = pd.concat([read_ratings(f).assign(client=f.as_posix()) for f in wave_folders()])
    tidy["reverse"] = tidy["question_id"].map(REVERSE).astype(bool)
    raw = tidy[tidy["area"] != "outcome"].pivot_table(index=["client", "respondent_id", "area"],
                                                      columns="reverse", values="rating")
    for area, block in raw.groupby(level="area"):
        assert block[False].corr(block[True]) < -0.3, area


# --- the planted stories ---------------------------------------------------

def test_swiftmart_leadership_blind_spot_on_management_style():
    means = respondent_means(read_ratings(CLIENT_DATA / "swiftmart"))
    by_level = means.pivot_table(index="area", columns="level", values="aligned")
    gap = by_level.loc["management_style", "executive"] - by_level.loc["management_style", "frontline"]
    assert gap >= 0.8  # 0.8 on 1-5 is 20 perception points (100 * 0.8 / 4); shipped data: ~1.2
    # Processes are fine: high and without a level gap.
    pp = by_level.loc["proven_processes"]
    assert pp.min() >= 3.6 and pp.max() - pp.min() < 0.3
    # The blind spot is specific: no other area differs by 10 points (0.4 raw) between the two.
    others = by_level.drop(index=["management_style", "outcome"])
    assert (others["executive"] - others["frontline"]).abs().max() < 0.4


def test_harbor_dubai_desk_customer_experience_low_and_inconsistent():
    tidy = read_ratings(CLIENT_DATA / "harbor-concierge")
    cx = tidy[tidy["area"] == "customer_experience"]
    dept_mean = respondent_means(cx).groupby("department")["aligned"].mean()
    others = dept_mean.drop("Dubai Desk")
    assert (others - dept_mean["Dubai Desk"]).min() >= 0.6
    spread = cx.groupby(["department", "question_id"])["aligned"].std().groupby("department").mean()
    assert spread.idxmax() == "Dubai Desk" and spread["Dubai Desk"] >= 1.5 * spread.drop("Dubai Desk").max()
    # Strong unique capabilities: the highest-scoring area.
    area_mean = respondent_means(tidy).query("area != 'outcome'").groupby("area")["aligned"].mean()
    assert area_mean.idxmax() == "unique_capabilities" and area_mean.max() >= 4.0
    ops = pd.read_csv(CLIENT_DATA / "harbor-concierge/operations.csv")
    gsat = ops[ops["kpi_id"] == "guest_satisfaction"].groupby("department")["value"].mean()
    assert gsat["Dubai Desk"] < 85 < gsat.drop("Dubai Desk").min()  # target 85, higher is better


def test_harbor_has_an_area_without_kpi():
    config = yaml.safe_load((CLIENT_DATA / "harbor-concierge/client.yaml").read_text())
    assert "management_style" not in {k["area"] for k in config["kpis"]}


def test_northwind_processes_improved_between_waves():
    now = respondent_means(read_ratings(CLIENT_DATA / "northwind-logistics"))
    before = respondent_means(read_ratings(CLIENT_DATA / "northwind-logistics/waves/2025-h1"))
    pp_now = now.query("area == 'proven_processes'")["aligned"]
    pp_before = before.query("area == 'proven_processes'")["aligned"]
    assert pp_now.mean() - pp_before.mean() >= 0.7  # ~25 perception points
    uc = [w.query("area == 'unique_capabilities'")["aligned"].mean() for w in (before, now)]
    assert uc[0] - uc[1] >= 0.25  # planted secondary story: differentiation slips (~9 points)
    for area in ("customer_experience", "management_style"):  # the rest stays put
        change = now.query("area == @area")["aligned"].mean() - before.query("area == @area")["aligned"].mean()
        assert abs(change) < 0.3, area

    def on_time_share(folder: Path) -> float:
        ops = pd.read_csv(folder / "operations.csv")
        return (ops.loc[ops["kpi_id"] == "on_time_delivery", "value"] >= 95).mean()

    assert on_time_share(CLIENT_DATA / "northwind-logistics") - on_time_share(
        CLIENT_DATA / "northwind-logistics/waves/2025-h1") >= 0.4


@pytest.mark.parametrize("folder", wave_folders(), ids=lambda p: p.relative_to(CLIENT_DATA).as_posix())
def test_outcome_items_follow_the_area_scores(folder):
    # Key-driver analysis needs signal: an OLS of the outcome mean (OUT01, OUT02) on the four
    # area means explains a good share of its variance (shipped data: R^2 0.40-0.70).
    means = respondent_means(read_ratings(folder)).pivot_table(
        index="respondent_id", columns="area", values="aligned")
    x = np.column_stack([np.ones(len(means)), means.drop(columns="outcome").to_numpy()])
    y = means["outcome"].to_numpy()
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    r_squared = 1 - ((y - x @ coef) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert r_squared >= 0.35


# --- excerpts: redaction and escaping work ---------------------------------

EMAIL = re.compile(r"[\w.]+@[\w-]+\.example")
PHONE = re.compile(r"\+44 20 7946 0\d{3}|07700 900\d{3}|\(202\) 555-01\d{2}")


@pytest.mark.parametrize("client_id", DEMO_IDS)
def test_excerpts_give_redaction_work(client_id):
    folder = CLIENT_DATA / client_id
    excerpts = pd.read_csv(folder / "excerpts.csv")
    roster = pd.read_csv(folder / "roster.csv")["name"].tolist()
    people = set(read_ratings(folder)["respondent_id"])
    assert list(excerpts.columns) == ["respondent_id", "area", "theme", "text"]
    assert set(excerpts["respondent_id"]) <= people and excerpts["theme"].str.len().gt(0).all()
    assert set(excerpts["area"]) == {"customer_experience", "management_style",
                                     "unique_capabilities", "proven_processes"}
    text = excerpts["text"]
    assert text.apply(lambda t: any(name in t for name in roster)).sum() == 2
    assert text.str.contains(EMAIL).sum() == 1 and text.str.contains(PHONE).sum() == 1


def test_markup_is_planted_in_exactly_one_client():
    has_script = {c: pd.read_csv(CLIENT_DATA / c / "excerpts.csv")["text"]
                  .str.contains("<script>alert(1)</script>", regex=False).sum() for c in DEMO_IDS}
    assert has_script == {"harbor-concierge": 0, "swiftmart": 1, "northwind-logistics": 0}


# --- portfolio and the large client ----------------------------------------

@pytest.mark.slow
def test_portfolio_clients_are_varied_and_valid(tmp_path):
    paths = write_portfolio(tmp_path, 8, seed=3, respondents=(20, 30))
    configs = [ClientConfig.model_validate(yaml.safe_load((p / "client.yaml").read_text())) for p in paths]
    assert len({c.name for c in configs}) == 8
    assert len({c.customer_promise for c in configs}) >= 2
    assert sorted(p.name for p in paths if (p / "waves" / "2025-h1").is_dir()) == sorted(
        [paths[3].name, paths[7].name])  # every fourth client has an earlier wave
    for p in paths:
        people = read_ratings(p).drop_duplicates("respondent_id")
        assert 20 <= len(people) <= 30
        assert people["department"].value_counts().min() >= 3


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_large_client_has_the_requested_size(tmp_path, fmt):
    root = write_large_client(tmp_path, n_respondents=400, n_kpi_rows=12_345, fmt=fmt)
    ClientConfig.model_validate(yaml.safe_load((root / "client.yaml").read_text()))
    if fmt == "csv":
        wide = pd.read_csv(root / "interviews.csv")
    else:
        wide = pd.read_excel(root / "interviews.xlsx", sheet_name="Interviews", engine="openpyxl")
    assert wide.shape == (400, 3 + len(BANK)) and wide["respondent_id"].is_unique
    ops = pd.read_csv(root / "operations.csv")
    assert len(ops) == 12_345 and ops["period"].max() <= "2026-06-30"


def test_month_labels_cross_the_year():
    assert month_labels("2025-11", 3) == ["2025-11", "2025-12", "2026-01"]


# --- the intake layer accepts every shipped client -------------------------

@pytest.mark.parametrize("client_id, wave", [
    ("harbor-concierge", None), ("swiftmart", None), ("northwind-logistics", None),
    ("northwind-logistics", "2025-h1"),
])
@pytest.mark.slow
def test_intake_accepts_the_shipped_clients(client_id, wave):
    from toolkit import intake
    problems = intake.validate_client(CLIENT_DATA / client_id, wave)
    assert [p for p in problems if p.severity == "error"] == []
    # The only warning is the planted two-person department.
    assert [(p.reason, p.found) for p in problems] == (
        [("small_group", "Customs Brokerage")] if (client_id, wave) == ("northwind-logistics", None) else [])
    data = intake.load_client(CLIENT_DATA / client_id, wave)
    assert data.respondents["respondent_id"].nunique() == read_ratings(
        CLIENT_DATA / client_id / ("waves/" + wave if wave else "")).respondent_id.nunique()
