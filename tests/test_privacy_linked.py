"""The insider's attacks of issue 11, each as a test: linked breakdowns, explorer views, counts, redaction, files.

The attacker here is written independently of `toolkit.privacy.audit`: it
stacks what a run publishes (overall, shown departments, shown levels, shown
department x level cells) as sums over cells, and solves with least squares
(exact recovery) and SciPy's linear programme (bounds on a mean).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from test_metrics_core import make_client  # tests dir is on sys.path
from toolkit.client_config import Privacy
from toolkit.metrics import assess
from toolkit.privacy import protect, redact_text
from toolkit.privacy.linked import client_cells

AREA = "customer_experience"
QS = ("CX1", "CX2", "MS1", "PP1")


def _people(sizes: dict[tuple[str, str], int], seed: int = 0, score=None):
    rng = np.random.default_rng(seed)
    out, i = [], 0
    for (dept, level), count in sizes.items():
        for _ in range(count):
            answers = {q: float(score(dept, level) if score else rng.integers(1, 6)) for q in QS}
            out.append((f"r{i}", dept, level, answers))
            i += 1
    return out


class Insider:
    """What an insider who knows the org chart reads from a protected assessment, for one area."""

    def __init__(self, safe, raw, area: str = AREA, cells: bool = True) -> None:
        cov = raw.coverage
        self.cells = list(zip(cov["department"], cov["level"], strict=True))
        self.n = cov["n"].to_numpy(dtype=float)
        rows, sums = [], []

        def add(mask, mean, n) -> None:
            rows.append(np.asarray(mask, dtype=float))
            sums.append(float(mean) * float(n))

        a = safe.areas.loc[area]
        if not bool(a["suppressed"]):
            add(np.ones(len(self.cells)), a["perception"], a["n"])
        for frame, col, pos in ((safe.departments, "department", 0), (safe.levels, "level", 1)):
            part = frame.loc[(frame["area"] == area) & ~frame["suppressed"].astype(bool)]
            for g, p, n in zip(part[col], part["perception"], part["n"], strict=True):
                add([c[pos] == g for c in self.cells], p, n)
        if cells:  # the explorer's two-filter views and one-filter breakdowns show the shown cells
            raw_cells = client_cells_of(raw)
            shown = safe.coverage.loc[~safe.coverage["suppressed"].astype(bool)]
            for d, lv in zip(shown["department"], shown["level"], strict=True):
                if (d, lv) in raw_cells:
                    add([c == (d, lv) for c in self.cells], *raw_cells[(d, lv)])
        self.a = np.array(rows).reshape(-1, len(self.cells))
        self.b = np.array(sums)

    def group(self, cells) -> np.ndarray:
        return np.array([c in set(cells) for c in self.cells], dtype=float)

    def solves(self, cells) -> bool:
        """Whether the group's sum is a combination of published sums (exact recovery)."""
        g = self.group(cells)
        if not len(self.a):
            return False
        y, *_ = np.linalg.lstsq(self.a.T, g, rcond=None)
        return bool(np.linalg.norm(self.a.T @ y - g) < 1e-6)

    def recover(self, cells) -> float:
        g = self.group(cells)
        y, *_ = np.linalg.lstsq(self.a.T, g, rcond=None)
        return float(y @ self.b) / float(g @ self.n)

    def bounds(self, cells) -> tuple[float, float]:
        """Feasible interval of the group's mean with every answer on 0-100."""
        g = self.group(cells)
        box = [(0.0, 100.0 * m) for m in self.n]
        lo = linprog(g, A_eq=self.a, b_eq=self.b, bounds=box, method="highs")
        hi = linprog(-g, A_eq=self.a, b_eq=self.b, bounds=box, method="highs")
        n_g = float(g @ self.n)
        assert lo.fun is not None and hi.fun is not None, (lo.message, hi.message)
        return lo.fun / n_g, -hi.fun / n_g


_CELL_VALUES: dict[int, dict] = {}


def small_cell_groups(sizes: dict[tuple[str, str], int], k: int = 3) -> list[list[tuple[str, str]]]:
    """Every cell, and every pair of cells, holding fewer than ``k`` people: what the insider attacks."""
    cells = list(sizes)
    small = [[c] for c in cells if sizes[c] < k]
    return small + [[a, b] for i, a in enumerate(cells) for b in cells[i + 1:] if sizes[a] + sizes[b] < k]


def client_cells_of(raw) -> dict[tuple[str, str], tuple[float, float]]:
    """(department, level) -> (mean, n) of the area, from the test's own record of the data."""
    return _CELL_VALUES[id(raw)]


def _assess(sizes, k=3, seed=0, score=None, n_boot=5):
    client = make_client(people=_people(sizes, seed, score))
    raw = assess(client, n_boot=n_boot, seed=seed)
    cells = client_cells(client)
    sub = cells.loc[(cells["area"] == AREA) & (cells["measure"] == "perception")]
    _CELL_VALUES[id(raw)] = {(d, lv): (s / n, n) for d, lv, n, s in zip(sub["department"], sub["level"],
                                                                        sub["n"], sub["sum"], strict=True)}
    privacy = Privacy(min_group_size=k, min_quote_group=max(k, 5))
    return raw, protect(raw, privacy, cells=cells), protect(raw, privacy, linked_audit=False), cells


# --- 1. cross-breakdown subtraction -----------------------------------------------------------

# S: two frontline people; X: exactly the executives; A, B large.
DEPT_IS_LEVEL = {("S", "frontline"): 2, ("X", "executive"): 4, ("A", "manager"): 10, ("A", "frontline"): 10,
                 ("B", "manager"): 8, ("B", "frontline"): 9}


def test_department_equal_to_a_level_no_longer_gives_away_the_small_department():
    raw, safe, old, cells = _assess(DEPT_IS_LEVEL)
    small = [("S", "frontline")]
    truth = client_cells_of(raw)[("S", "frontline")][0]
    # today's code: S = overall - shown departments - executives, to the last digit
    before = Insider(old, raw)
    assert before.solves(small) and before.recover(small) == pytest.approx(truth)
    after = Insider(safe, raw)
    assert not after.solves(small)
    lo, hi = after.bounds(small)
    assert hi - lo >= 50 - 1e-6
    # the extra suppression is published with its reason
    reasons = pd.concat([safe.departments["suppressed_reason"], safe.levels["suppressed_reason"]])
    assert reasons.str.contains("linked-table audit").any()
    assert any("combining published figures" in w for w in safe.warnings)


def test_general_case_union_of_small_cells_is_not_derivable():
    # Three departments of 1-2 people scattered over levels: each breakdown alone looks fine.
    sizes = {("A", "executive"): 1, ("A", "manager"): 6, ("A", "frontline"): 8, ("B", "executive"): 3,
             ("B", "manager"): 2, ("B", "frontline"): 7, ("C", "executive"): 4, ("C", "manager"): 5,
             ("C", "frontline"): 1}
    raw, safe, old, _ = _assess(sizes, seed=3)
    smalls = [[c] for c, n in sizes.items() if n < 3] + [[("A", "executive"), ("C", "frontline")]]
    before = Insider(old, raw)
    assert any(before.solves(g) or np.ptp(before.bounds(g)) < 50 for g in smalls)
    after = Insider(safe, raw)
    for g in smalls:
        assert not after.solves(g)
        lo, hi = after.bounds(g)
        assert hi - lo >= 50 - 1e-6, g


# --- 2. the explorer's level view -----------------------------------------------------------

def test_level_view_does_not_list_the_secondary_suppressed_department():
    from datetime import datetime

    from toolkit.explore import ExploreEngine
    from toolkit.explore.export import scenario_dict
    from toolkit.explore.scenario import Filters
    from toolkit.privacy.publication import check_publication, summary_of

    WHEN = datetime(2026, 1, 1)
    client = make_client(people=_people(DEPT_IS_LEVEL, 1))
    engine = ExploreEngine(n_boot=5)
    full = engine.view(client, Filters()).assessment
    assert full.departments.set_index(["department", "area"]).loc[("X", AREA), "suppressed"]
    view = engine.view(client, Filters(level="executive"))
    shown_x = view.assessment.departments.loc[(view.assessment.departments["department"] == "X")
                                              & ~view.assessment.departments["suppressed"].astype(bool)]
    if not (view.hidden or shown_x.empty):
        # X is the whole executive level here: its row may be listed only because it tells nothing new
        # (it is the executive row the deck shows), and the small department S stays unpinned
        execs = full.levels.loc[(full.levels["level"] == "executive") & ~full.levels["suppressed"].astype(bool)]
        assert dict(zip(shown_x["area"], shown_x["perception"], strict=True)) == pytest.approx(
            dict(zip(execs["area"], execs["perception"], strict=True)))
    assert check_publication(summary_of(full), client, [scenario_dict(view, created=WHEN)]) == []


# --- 3. head counts ----------------------------------------------------------------------------

def _unique_hidden_counts(safe, raw, k=3) -> list[tuple[str, str]]:
    """Hidden cells whose integer count is the only one the shown totals allow (independent brute force)."""
    cov = raw.coverage.assign(hidden=safe.coverage["suppressed"].to_numpy(dtype=bool)[:len(raw.coverage)])
    hidden = cov.loc[cov["hidden"]].reset_index(drop=True)
    if hidden.empty:
        return []
    primary = hidden["n"].to_numpy() < k
    shown = cov.loc[~cov["hidden"]]
    depts = safe.departments.loc[safe.departments["area"] == AREA]
    shown_depts = set(depts.loc[~depts["suppressed"].astype(bool), "department"])
    levels = safe.levels.loc[safe.levels["area"] == AREA]
    shown_levels = set(levels.loc[~levels["suppressed"].astype(bool), "level"])
    a, b = [np.ones(len(hidden))], [raw.coverage["n"].sum() - shown["n"].sum()]
    for col, names in (("department", shown_depts), ("level", shown_levels)):
        for g in names:
            mask = (hidden[col] == g).to_numpy()
            if mask.any():
                a.append(mask.astype(float))
                b.append(cov.loc[cov[col] == g, "n"].sum() - shown.loc[shown[col] == g, "n"].sum())
    box = [(1, k - 1) if p else (k, None) for p in primary]
    out = []
    for i in range(len(hidden)):
        e = np.eye(len(hidden))[i]
        lo = linprog(e, A_eq=np.array(a), b_eq=b, bounds=box, method="highs", integrality=1)
        hi = linprog(-e, A_eq=np.array(a), b_eq=b, bounds=box, method="highs", integrality=1)
        assert lo.fun is not None and hi.fun is not None, (lo.message, hi.message)
        if round(lo.fun) == round(-hi.fun):
            out.append((hidden.loc[i, "department"], hidden.loc[i, "level"]))
    return out


def test_suppressed_head_counts_have_more_than_one_solution():
    # Row A: the hidden executive (1 or 2) and manager (3 or more) add up to 4, so the executive is 1.
    sizes = {("A", "executive"): 1, ("A", "manager"): 3, ("A", "frontline"): 9,
             ("B", "executive"): 4, ("B", "manager"): 5, ("B", "frontline"): 9,
             ("C", "executive"): 5, ("C", "manager"): 6, ("C", "frontline"): 9}
    raw, safe, old, _ = _assess(sizes, seed=5)
    assert _unique_hidden_counts(old, raw)
    assert _unique_hidden_counts(safe, raw) == []


# --- 4. redaction -----------------------------------------------------------------------------

ROSTER = ["María López", "Sean O'Brien", "Jane Doe", "Zoë Ångström"]


@pytest.mark.parametrize("text, expected", [
    ("Maria Lopez said so", "[name] said so"),                               # roster has accents, text none
    ("MARÍA LÓPEZ said so", "[name] said so"),
    ("Mari\u0301a Lo\u0301pez said so", "[name] said so"),                   # NFD in the text
    ("Ma\u00adria L\u00adopez said so", "[name] said so"),                   # soft hyphens inside
    ("Ja\u200bne said so", "[name] said so"),                                # zero-width space inside
    ("ask O'Brien", "ask [name]"),                                           # apostrophe name whole
    ("ask O’Brien’s team", "ask [name]’s team"),                             # curly apostrophe, possessive
    ("ask Zoe Angstrom", "ask [name]"),
    ("ｊａｎｅ ｄｏｅ said", "[name] said"),                                      # fullwidth letters (NFKC)
    ("mail maría.lópez@exämple.es now", "mail [email] now"),                 # internationalised e-mail
    ("call 020 - 7946 - 0958", "call [phone]"),
    ("call 020–7946–0958", "call [phone]"),                                  # en-dashes
    ("call (020) 7946.0958", "call [phone]"),
    ("call +44 (0) 20 7946 0958", "call [phone]"),
    ("in 2026-03-15 we shipped", "in 2026-03-15 we shipped"),                # dates kept
])
def test_redaction_survives_unicode_and_formats(text, expected):
    assert redact_text(text, ROSTER) == expected


# --- 5. files ---------------------------------------------------------------------------------

def test_portfolio_csv_neutralises_formula_cells(tmp_path, monkeypatch):
    from toolkit.batch import portfolio

    table = pd.DataFrame({"client_id": ["evil", "ok"], "name": ['=HYPERLINK("http://x","y")', "Acme"],
                          "wave": ["@w", "w1"], "oai": [-3.5, 70.0]})
    monkeypatch.setattr(portfolio, "portfolio_table", lambda root: table)
    path = portfolio.write_portfolio_csv(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert "'@w" in text and ",-3.5" in text  # numbers stay numbers
    back = pd.read_csv(path)
    assert back.loc[0, "name"].startswith("'=")


def test_xlsx_cells_are_text_not_formulas(tmp_path):
    from openpyxl import load_workbook

    from toolkit.privacy.safe_csv import write_xlsx

    path = write_xlsx(pd.DataFrame({"name": ["=1+1", "+cmd", "ok"], "n": [1, 2, 3]}), tmp_path / "x.xlsx")
    ws = load_workbook(path).active
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["'=1+1", "'+cmd", "ok"]
    assert all(ws.cell(r, 1).data_type == "s" for r in (2, 3, 4))


# --- 6. random org charts ----------------------------------------------------------------------

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.dictionaries(st.tuples(st.sampled_from("ABCD"), st.sampled_from(["executive", "manager",
                                                                                  "frontline"])),
                             st.integers(0, 6), min_size=2, max_size=12),
       seed=st.integers(0, 10_000), extreme=st.booleans())
def test_insider_never_pins_a_small_group(sizes, seed, extreme):
    sizes = {c: n for c, n in sizes.items() if n > 0}
    if sum(sizes.values()) < 3:
        return
    rng = np.random.default_rng(seed)
    score = (lambda d, lv: 5 if rng.random() < 0.8 else 4) if extreme else None
    raw, safe, _, _ = _assess(sizes, seed=seed, score=score)
    if bool(safe.areas.loc[AREA, "suppressed"]):
        return
    insider = Insider(safe, raw)
    for g in small_cell_groups(sizes):
        assert not insider.solves(g), g
        lo, hi = insider.bounds(g)
        assert hi - lo >= 50 - 1e-6, g


# --- 7. the final re-audit ---------------------------------------------------------------------

def test_final_summary_is_audited_again_and_a_leak_blocks_publication():
    from toolkit.privacy.final import PublicationBlocked, assert_publishable, check_summary
    from toolkit.summary import _records

    client = make_client(people=_people(DEPT_IS_LEVEL, 2))
    raw = assess(client, n_boot=5)
    cells = client_cells(client)
    summary_of = lambda a: {"areas": _records(a.areas), "oai": {"suppressed": False},  # noqa: E731
                            "departments": _records(a.departments), "levels": _records(a.levels),
                            "coverage": _records(a.coverage)}
    safe = summary_of(protect(raw, client.config.privacy, cells=cells))
    assert check_summary(safe, client) == []
    assert_publishable(safe, client)
    leaky = summary_of(protect(raw, client.config.privacy, linked_audit=False))
    problems = check_summary(leaky, client)
    assert problems and any("S x frontline" in p for p in problems)
    with pytest.raises(PublicationBlocked) as err:
        assert_publishable(leaky, client)
    truth = client_cells_of_client(client, ("S", "frontline"))
    assert f"{truth:.1f}" not in str(err.value) and f"{truth:.2f}" not in str(err.value)


def client_cells_of_client(client, cell) -> float:
    c = client_cells(client)
    assert c is not None
    row = c.loc[(c["department"] == cell[0]) & (c["level"] == cell[1]) & (c["area"] == AREA) & (c["measure"] == "perception")]
    return float(row["sum"].iloc[0] / row["n"].iloc[0])


# --- 8. waves ---------------------------------------------------------------------------------

BIG = {("A", "manager"): 8, ("A", "frontline"): 9, ("B", "manager"): 7, ("B", "frontline"): 8}


def test_previous_oai_is_recomputed_as_its_own_deck_shows_it_when_an_area_was_rated_by_two_people_then():
    from toolkit.metrics.alignment import weighted_present

    before = _people(BIG, 7)
    for i, (_rid, _d, _lv, answers) in enumerate(before):
        if i >= 2:
            answers.pop("MS1")  # management style rated by two people in the previous wave
    previous = make_client(people=before, wave="2026-h1")
    current = make_client(people=_people(BIG, 8))
    raw = assess(current, previous=previous, n_boot=20)
    safe = protect(raw, Privacy())
    row = lambda a, area: a.drift.loc[a.drift["area"] == area]  # noqa: E731
    assert raw.drift.attrs["previous_n"]["overall"] >= 3
    # the previous OAI row is the previous wave's own deck's OAI: re-weighted over the areas it showed
    prev_deck = protect(assess(previous, n_boot=20), Privacy())
    assert prev_deck.areas.loc["management_style", "suppressed"]
    overall = row(safe, "overall")
    assert not overall["suppressed"].any()
    assert float(overall["previous"].iloc[0]) == pytest.approx(prev_deck.oai["value"], abs=1e-9)
    # ... which carries nothing of the two people: it is the same whatever they answered
    shown = prev_deck.areas.loc[~prev_deck.areas["suppressed"].astype(bool)]
    assert prev_deck.oai["value"] == pytest.approx(weighted_present(shown["alignment"].to_dict(),
                                                                     shown["weight"].to_dict()))
    for answer in (1.0, 5.0):
        other = [(rid, d, lv, {**a, **({"MS1": answer} if "MS1" in a else {})}) for rid, d, lv, a in before]
        moved = assess(current, previous=make_client(people=other, wave="2026-h1"), n_boot=20)
        assert float(protect(moved, Privacy()).drift.loc[lambda f: f["area"] == "overall", "previous"].iloc[0]) \
            == pytest.approx(float(overall["previous"].iloc[0]), abs=1e-9)
    assert row(safe, "management_style")["suppressed"].all()
    assert not row(safe, "customer_experience")["suppressed"].any()


def test_a_department_with_one_newcomer_is_audited_as_a_difference():
    from toolkit.privacy.linked import membership_changes

    sizes = {("N", "frontline"): 4, **BIG}
    now = _people(sizes, 9)
    earlier = [p for p in _people(sizes, 10) if p[0] != "r3"]  # r3, in department N, is new this wave
    current, previous = make_client(people=now), make_client(people=earlier, wave="2026-h1")
    changes = membership_changes(current, previous, 3)
    assert changes == [("department", "N"), ("level", "frontline")]  # the newcomer is a frontline N
    raw = assess(current, n_boot=5)
    shown_today = protect(raw, Privacy(), linked_audit=False)
    assert not shown_today.departments.loc[shown_today.departments["department"] == "N", "suppressed"].any()
    safe = protect(raw, Privacy(), wave_changes=changes, cells=client_cells(current))
    n_rows = safe.departments.loc[safe.departments["department"] == "N"]
    assert n_rows["suppressed"].all() and n_rows["perception"].isna().all()
    assert "previous wave" in n_rows["suppressed_reason"].iloc[0]
    # membership that changed by 3 or more, or ids that never repeat, is left alone
    renamed = [(f"x{i}", d, lv, a) for i, (_, d, lv, a) in enumerate(earlier)]
    assert membership_changes(current, make_client(people=renamed, wave="2026-h1"), 3) == []


# --- 9. published notebooks carry no absolute path ---------------------------------------------

def test_published_notebook_has_no_absolute_path(tmp_path):
    import nbformat

    from toolkit.privacy.paths import relative_map, scrub_paths

    client = tmp_path / "home" / "ana" / "clients" / "acme"
    staging = tmp_path / "reports" / "acme" / ".staging-2026-h2@4242@deadbeef"
    reports = tmp_path / "reports"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f'client_dir = "{client}"\noutput_dir = "{staging}"\n'
                                          f'benchmark_path = "{reports}"', metadata={"tags": ["injected-parameters"]}),
                nbformat.v4.new_code_cell("print(story)")]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"loaded {client}/ratings.csv\n"),
                           nbformat.v4.new_output("display_data", data={"image/png": "iVBO+/home/x=="})]
    nb.metadata["papermill"] = {"parameters": {"client_dir": str(client), "output_dir": str(staging)},
                                "input_path": "/work/repo/notebooks/assessment.ipynb",
                                "output_path": str(staging / "assessment.ipynb"), "cwd": "/work/repo/notebooks"}
    path = tmp_path / "assessment.ipynb"
    nbformat.write(nb, path)
    before = path.read_text()
    assert str(client) in before and ".staging-" in before
    scrub_paths(path, relative_map(client, staging, {"benchmark_path": reports}))
    after = path.read_text()
    assert str(tmp_path) not in after and ".staging-" not in after and "4242" not in after
    assert "/work/repo" not in after
    back = nbformat.read(path, as_version=4)
    assert 'client_dir = "."' in back.cells[0].source and 'output_dir = "."' in back.cells[0].source
    assert 'benchmark_path = "../../../../reports"' in back.cells[0].source
    assert back.metadata["papermill"]["parameters"]["client_dir"] == "."
    assert back.cells[1].outputs[1]["data"]["image/png"] == "iVBO+/home/x=="  # images untouched


# --- 10. the demo clients: least information lost, and still safe ------------------------------

def _demo(name):
    from pathlib import Path

    from toolkit.intake import load_client

    client = load_client(Path(__file__).resolve().parents[1] / "client_data" / name)
    raw = assess(client, n_boot=0)
    cells = client_cells(client)
    return client, raw, cells, protect(raw, client.config.privacy, cells=cells)


def _demo_insider(raw, safe, cells, area):
    sub = cells.loc[(cells["area"] == area) & (cells["measure"] == "perception")]
    _CELL_VALUES[id(raw)] = {(d, lv): (s / n, n) for d, lv, n, s in zip(sub["department"], sub["level"],
                                                                        sub["n"], sub["sum"], strict=False)}
    return Insider(safe, raw, area)  # hypothesis-free: the insider of section 6, on a demo client


@pytest.mark.parametrize("name, most_hidden", [("swiftmart", 0), ("harbor-concierge", 2),
                                               ("northwind-logistics", 8 + 2)])
def test_demo_clients_hide_no_more_than_needed_and_the_insider_still_pins_nothing(name, most_hidden):
    from itertools import combinations

    client, raw, cells, safe = _demo(name)
    hidden = int(safe.departments["suppressed"].sum() + safe.levels["suppressed"].sum())
    assert hidden <= most_hidden  # swiftmart hid 18 of 24 department results before the give-back pass
    for area in safe.areas.index[~safe.areas["suppressed"].astype(bool)]:
        insider = _demo_insider(raw, safe, cells, area)
        sizes = dict(zip(insider.cells, insider.n, strict=False))
        small = [c for c in insider.cells if 0 < sizes[c] < 3]
        groups = [(c,) for c in small] + [g for g in combinations(small, 2) if sum(sizes[c] for c in g) < 3]
        for g in groups:
            assert not insider.solves(g), (area, g)
            lo, hi = insider.bounds(g)
            assert hi - lo >= 50 - 1e-6, (area, g, hi - lo)


def test_harbor_every_audit_hidden_level_is_needed():
    """Irredundant: each result the audit hides on harbor would, shown again alone, let the insider pin a
    group -- from its perception or from its favourable figures."""
    from dataclasses import replace

    from test_privacy_measures import FavourableInsider

    client, raw, cells, safe = _demo("harbor-concierge")
    audit_hidden = safe.levels.loc[safe.levels["suppressed_reason"].str.contains("linked-table audit")]
    assert len(audit_hidden)
    for _, row in audit_hidden.iterrows():
        levels = safe.levels.copy()
        back = (levels["level"] == row["level"]) & (levels["area"] == row["area"])
        truth = raw.levels.loc[(raw.levels["level"] == row["level"]) & (raw.levels["area"] == row["area"])]
        levels.loc[back, ["perception", "favourable", "suppressed"]] = [
            float(truth["perception"].iloc[0]), float(truth["favourable"].iloc[0]), False]
        shown = replace(safe, levels=levels)
        insider = _demo_insider(raw, shown, cells, row["area"])
        pinned = [g for g in _small_groups(insider) if insider.solves(g) or _width(insider, g) < 50 - 1e-6]
        favourable = FavourableInsider(shown, client, row["area"])
        pinned += [g for g in favourable.small_groups() if favourable.width(g) < 50 - 1e-6]
        assert pinned, row["level"]


def _small_groups(insider):
    from itertools import combinations

    sizes = dict(zip(insider.cells, insider.n, strict=False))
    small = [c for c in insider.cells if 0 < sizes[c] < 3]
    return [(c,) for c in small] + [g for g in combinations(small, 2) if sum(sizes[c] for c in g) < 3]


def _width(insider, group) -> float:
    lo, hi = insider.bounds(group)
    return hi - lo


def _published_count_solutions(raw, safe, k=3) -> dict[tuple[str, str], tuple[int, int]]:
    """(department, level) -> (min, max) integer count of each hidden cell, from what is published.

    The reader adds every department, level and overall total (as if all
    were shown), the shown cells, and each hidden cell's published band: its
    reason "fewer than k" reads 1..k-1; a cell hidden for another reason reads
    "at least k" unless every hidden cell reads alike and every combination
    is listed, when it reads 0 or more. Integer programmes (SciPy), not the
    toolkit's own code.
    """
    cov = safe.coverage
    truth = {(d, lv): n for d, lv, n in zip(raw.coverage["department"], raw.coverage["level"], raw.coverage["n"], strict=False)}
    listed = list(zip(cov["department"], cov["level"], strict=False))
    hidden = [c for c, h in zip(listed, cov["suppressed"], strict=False) if h]
    reasons = {c: r for c, r, h in zip(listed, cov["suppressed_reason"], cov["suppressed"], strict=False) if h}
    total = sum(truth.values())
    alike = len(set(reasons.values())) == 1 and len(listed) == cov["department"].nunique() * cov["level"].nunique()
    box = [(1, k - 1) if str(reasons[c]).startswith("fewer than") else (0, total) if alike else (k, total)
           for c in hidden]
    shown = {c: truth.get(c, 0) for c in listed if c not in reasons}
    a, b = [np.ones(len(hidden))], [total - sum(shown.values())]
    for pos in (0, 1):
        for g in {c[pos] for c in listed}:
            a.append(np.array([c[pos] == g for c in hidden], dtype=float))
            b.append(sum(n for c, n in truth.items() if c[pos] == g) - sum(n for c, n in shown.items()
                                                                             if c[pos] == g))
    out = {}
    for i, c in enumerate(hidden):
        e = np.eye(len(hidden))[i]
        lo = linprog(e, A_eq=np.array(a), b_eq=b, bounds=box, method="highs", integrality=1)
        hi = linprog(-e, A_eq=np.array(a), b_eq=b, bounds=box, method="highs", integrality=1)
        assert lo.fun is not None and hi.fun is not None, (lo.message, hi.message)
        out[c] = (round(lo.fun), round(-hi.fun))
    return out


@pytest.mark.parametrize("name", ["harbor-concierge", "northwind-logistics", "swiftmart"])
def test_demo_head_counts_have_at_least_two_solutions_from_the_published_totals(name):
    client, raw, cells, safe = _demo(name)
    ranges = _published_count_solutions(raw, safe)
    assert ranges and all(hi > lo for lo, hi in ranges.values()), {c: r for c, r in ranges.items() if r[0] == r[1]}
    # with the "fewer than 3" bands these counts were each pinned (every cell 1 or 2 in its level's total)
    from dataclasses import replace

    listed = raw.coverage.assign(suppressed=True)  # the non-empty cells only, each with its band
    banded = listed.assign(suppressed_reason=["fewer than 3 respondents" if n < 3 else "hidden" for n in listed["n"]])

    pinned = [c for c, (lo, hi) in _published_count_solutions(raw, replace(safe, coverage=banded)).items()
              if lo == hi]
    assert pinned
