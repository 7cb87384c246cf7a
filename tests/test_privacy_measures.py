"""Issue 11, round 3: every per-group mean is audited, counts are re-checked at publication, exports are audited.

* favourable (a mean of 0/100 per rating) is a second linear table beside
  perception: an insider's linear programme over the published favourable
  figures never pins a small group (harbor's did before);
* a share that would pin a group is left blank on its own (the row's
  perception stays); no view shows a department x level cell's share;
* consistency is not linear in the answers: it is shown only on rows that
  show perception, i.e. rows that passed the audit;
* the final check re-solves hidden head counts from the shown totals;
* `export_view` runs the publication check itself and writes nothing when it fails.

The attackers here are written independently of `toolkit.privacy` (SciPy's
LP on sums read from the published figures and the raw ratings).
"""
from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from test_metrics_core import make_client  # tests dir is on sys.path
from test_privacy_linked import DEPT_IS_LEVEL, _people
from toolkit.client_config import Privacy
from toolkit.metrics import assess
from toolkit.metrics.items import build_matrix
from toolkit.privacy import protect
from toolkit.privacy.linked import PERCEPTION, client_cells, measure_cells
from toolkit.privacy.notices import FAVOURABLE_BLANK

ROOT = Path(__file__).resolve().parents[1]
WHEN = datetime(2026, 12, 1, tzinfo=UTC)


# --- an independent favourable insider -------------------------------------------------------------

def favourable_cells(client, area: str) -> dict[tuple[str, str], tuple[float, float, int]]:
    """(department, level) -> (favourable ratings, ratings, respondents) of one area, from the raw ratings."""
    matrix, _ = build_matrix(client.ratings, client.questions)
    cols = np.flatnonzero(matrix.items["area"].to_numpy(dtype=object) == area)
    values = matrix.values[:, cols]
    floor = matrix.items["favourable_min"].to_numpy(dtype=float)[cols]
    out: dict[tuple[str, str], list[float]] = {}
    for (d, lv), row in zip(zip(matrix.respondents["department"], matrix.respondents["level"], strict=True),
                            values, strict=True):
        rated = ~np.isnan(row)
        if not rated.any():
            continue
        acc = out.setdefault((str(d), str(lv)), [0.0, 0.0, 0])
        acc[0] += float((row[rated] >= floor[rated] - 1e-9).sum())
        acc[1] += float(rated.sum())
        acc[2] += 1
    return {c: (a[0], a[1], int(a[2])) for c, a in out.items()}


class FavourableInsider:
    """Sums of favourable ratings the protected figures give away, as rows over cells; LP bounds of a group."""

    def __init__(self, safe, client, area: str, views: list[dict] | None = None) -> None:
        self.truth = favourable_cells(client, area)
        self.cells = sorted(self.truth)
        self.ratings = np.array([self.truth[c][1] for c in self.cells])
        self.heads = np.array([self.truth[c][2] for c in self.cells])
        rows, sums = [], []

        def add(mask: list[bool]) -> None:  # the published share times the group's ratings
            m = np.asarray(mask, dtype=float)
            rows.append(m)
            sums.append(float(m @ np.array([self.truth[c][0] for c in self.cells])))

        if not bool(safe.areas.loc[area, "suppressed"]) and pd.notna(safe.areas.loc[area, "favourable"]):
            add([True] * len(self.cells))
        for frame, col, pos in ((safe.departments, "department", 0), (safe.levels, "level", 1)):
            part = frame.loc[(frame["area"] == area) & ~frame["suppressed"].astype(bool)]
            for g in part.loc[part["favourable"].notna(), col]:  # a blank share publishes nothing
                add([c[pos] == str(g) for c in self.cells])
        for v in views or []:  # every exported view that shows a share for the area
            shares = [a for a in v["areas"] if a["area"] == area and a.get("favourable") is not None]
            if not v["suppressed"] and shares:
                named = {col: str(name) for col, name in v["filters"].items() if name is not None}
                add([all(c[0 if col == "department" else 1] == name for col, name in named.items())
                     for c in self.cells])
        self.a, self.b = np.array(rows).reshape(-1, len(self.cells)), np.array(sums)

    def width(self, group: list[tuple[str, str]]) -> float:
        g = np.array([c in set(group) for c in self.cells], dtype=float)
        box = [(0.0, 100.0 * r) for r in self.ratings]
        b = 100.0 * self.b
        lo = linprog(g, A_eq=self.a if len(self.a) else None, b_eq=b if len(self.a) else None, bounds=box,
                     method="highs")
        hi = linprog(-g, A_eq=self.a if len(self.a) else None, b_eq=b if len(self.a) else None, bounds=box,
                     method="highs")
        assert lo.fun is not None and hi.fun is not None, (lo.message, hi.message)
        return (-hi.fun - lo.fun) / float(g @ self.ratings)

    def small_groups(self, k: int = 3) -> list[list[tuple[str, str]]]:
        idx = [i for i, h in enumerate(self.heads) if h < k]
        out = [[self.cells[i]] for i in idx]
        out += [[self.cells[i], self.cells[j]] for a, i in enumerate(idx) for j in idx[a + 1:]
                if self.heads[i] + self.heads[j] < k]
        return out


@cache
def _demo(name: str, audit_favourable: bool = True):
    from toolkit.intake import load_client
    from toolkit.story import deck_wave_changes

    client = load_client(ROOT / "client_data" / name)
    raw = assess(client, n_boot=0)
    cells = client_cells(client)
    assert cells is not None
    if not audit_favourable:  # the perception-only audit of the previous round
        cells = measure_cells(cells, PERCEPTION)
    safe = protect(raw, client.config.privacy, cells=cells, wave_changes=deck_wave_changes(client))
    return client, raw, safe


def test_harbor_favourable_figures_pinned_small_groups_before_and_no_longer_do():
    client, _, before = _demo("harbor-concierge", audit_favourable=False)  # the perception-only audit
    insider = FavourableInsider(before, client, "unique_capabilities")
    widths = {tuple(g): insider.width(g) for g in insider.small_groups()}
    assert min(widths.values()) < 50  # e.g. London Desk x manager: 2 people, 14 ratings, bounded to 7 points
    _, _, after = _demo("harbor-concierge")
    for area in after.areas.index:
        insider = FavourableInsider(after, client, area)
        for g in insider.small_groups():
            assert insider.width(g) >= 50 - 1e-6, (area, g)


def test_favourable_is_audited_where_perception_alone_passes():
    # A department of 4 = two executives + two managers; everyone rates CX favourably (4s), so the
    # department's favourable (100 %) pins both small cells, while its perception (75) leaves them 50 wide.
    sizes = {("D", "executive"): 2, ("D", "manager"): 2, ("A", "executive"): 3, ("A", "manager"): 9,
             ("A", "frontline"): 9, ("B", "manager"): 6, ("B", "frontline"): 8}
    people = _people(sizes, 4)
    for _, d, _, answers in people:
        if d == "D":  # keyed 4 on every CX item (CX2 is reverse keyed)
            answers.update(CX1=4.0, CX2=2.0)
    client = make_client(people=people)
    raw = assess(client, n_boot=0)
    cells = client_cells(client)
    old = protect(raw, client.config.privacy, cells=measure_cells(cells, PERCEPTION))
    new = protect(raw, client.config.privacy, cells=cells)
    area = "customer_experience"
    before, after = FavourableInsider(old, client, area), FavourableInsider(new, client, area)
    assert any(before.width(g) < 50 for g in before.small_groups())
    assert all(after.width(g) >= 50 - 1e-6 for g in after.small_groups())
    # only the share goes: every department the perception-only audit showed still shows its perception
    for frame in (new.departments, new.levels):
        for col in ("perception", "suppressed"):
            was = old.departments if frame is new.departments else old.levels
            assert frame[col].tolist() == pytest.approx(was[col].tolist(), nan_ok=True)
    blank = [frame.loc[(frame["area"] == area) & ~frame["suppressed"].astype(bool) & frame["favourable"].isna()]
             for frame in (new.departments, new.levels)]
    assert sum(len(b) for b in blank) >= 1
    notice = [w for w in new.warnings if getattr(w, "code", "") == FAVOURABLE_BLANK]
    assert len(notice) == 1 and notice[0].startswith(f"{sum(len(b) for b in blank)} favourable share")


@pytest.mark.parametrize("name", ["harbor-concierge", "northwind-logistics", "swiftmart"])
def test_consistency_is_shown_only_on_rows_that_pass_the_audit(name):
    # Consistency (item r_wg, floored, averaged) is not linear in the answers: it is covered because the
    # same row shows or hides perception, favourable and consistency together.
    _, _, safe = _demo(name)
    d = safe.departments
    shown_c = d["consistency"].notna().to_numpy()
    assert shown_c.any() or name == "harbor-concierge"  # harbor's departments are below min_consistency_group
    assert not d.loc[shown_c, "suppressed"].astype(bool).any()
    assert d.loc[shown_c, "perception"].notna().all()  # (a share may be blank on its own: `hide_shares`)
    assert d.loc[d["suppressed"].astype(bool), ["perception", "favourable", "consistency"]].isna().all().all()


# --- counts at publication time --------------------------------------------------------------------

COUNT_LEAK = {("A", "executive"): 1, ("A", "manager"): 3, ("A", "frontline"): 9,
              ("B", "executive"): 4, ("B", "manager"): 5, ("B", "frontline"): 9,
              ("C", "executive"): 5, ("C", "manager"): 6, ("C", "frontline"): 9}


def test_publication_check_resolves_hidden_head_counts_from_the_final_summary():
    from toolkit.privacy.final import PublicationBlocked, assert_publishable, check_summary, count_problems
    from toolkit.privacy.publication import summary_of

    client = make_client(people=_people(COUNT_LEAK, 5))
    raw = assess(client, n_boot=0)
    leaky = summary_of(protect(raw, client.config.privacy, linked_audit=False))  # bands pin A x executive
    problems = count_problems(leaky, client)
    assert problems and all("head count" in p for p in problems)
    assert any("A x executive" in p for p in problems)
    template = (r"head count of [A-C] x (executive|manager|frontline): a hidden count below 3 "
                r"has a single solution from the shown totals")
    assert all(re.fullmatch(template, p) for p in problems)  # names the cell, never its count
    with pytest.raises(PublicationBlocked):
        assert_publishable(leaky, client)
    safe = summary_of(protect(raw, client.config.privacy, cells=client_cells(client)))
    assert check_summary(safe, client) == []


@pytest.mark.parametrize("name", ["harbor-concierge", "northwind-logistics", "swiftmart"])
def test_demo_summaries_pass_the_publication_check_counts_included(name):
    from toolkit.privacy.final import check_summary, count_problems
    from toolkit.privacy.publication import summary_of

    client, _, safe = _demo(name)
    summary = summary_of(safe)
    assert count_problems(summary, client) == []
    assert check_summary(summary, client) == []
    # with the bands read the old way (every hidden cell "fewer than k" or "at least k"), counts pin
    banded = {**summary, "coverage": [dict(r, reason="fewer than 3 respondents" if r["suppressed"] else "")
                                      for r in summary["coverage"]]}
    assert count_problems(banded, client)


# --- export_view calls the publication check itself ----------------------------------------------

@pytest.fixture(scope="module")
def leak():
    from toolkit.explore.engine import ExploreEngine
    from toolkit.explore.scenario import Filters

    client = make_client(people=_people(DEPT_IS_LEVEL, 1))
    engine = ExploreEngine(n_boot=0)
    full = engine.full(client)
    hidden = full.departments.loc[full.departments["suppressed"].astype(bool)]
    name = str(hidden.loc[hidden["suppressed_reason"].str.contains("secondary|audit"), "department"].iloc[0])
    view = engine.view(client, Filters(department=name))
    assert view.hidden
    # a renderer bug: the department's view shown with its own (unaudited) figures
    sub, wave = engine.scored(client, Filters(department=name))
    shown = protect(wave.assessment, client.config.privacy, linked_audit=False)
    return engine, client, name, replace(view, assessment=shown, hidden_reason="")


def test_export_view_refuses_a_view_that_pins_a_small_group_and_writes_nothing(leak, tmp_path):
    from toolkit.explore import export_view
    from toolkit.privacy.final import PublicationBlocked

    engine, client, name, leaky = leak
    assert not leaky.hidden
    with pytest.raises(PublicationBlocked) as err:
        export_view(leaky, {}, tmp_path, now=WHEN)
    assert "S x frontline" in str(err.value)  # the small department, two frontline people
    for p in leaky.assessment.areas["perception"]:
        assert f"{p:.1f}" not in str(err.value)
    assert not any(tmp_path.rglob("*"))  # not even the wave folder


def test_export_view_passes_a_protected_view_and_audits_it_with_earlier_exports(leak, tmp_path):
    import json

    from toolkit.explore import export_view
    from toolkit.explore.scenario import Filters
    from toolkit.privacy.final import PublicationBlocked

    engine, client, name, leaky = leak
    people = client.respondents
    for d in sorted(set(people["department"])):
        export_view(engine.view(client, Filters(department=str(d))), {}, tmp_path, now=WHEN)
    written = sorted(tmp_path.rglob("scenario.json"))
    assert len(written) == len(set(people["department"]))
    assert sum(not json.loads(p.read_text(encoding="utf-8"))["suppressed"] for p in written) >= 1
    # an earlier (hand-edited) export that leaks blocks the next one: the set is audited together
    earlier = json.loads(written[0].read_text(encoding="utf-8"))
    from toolkit.explore.export import scenario_dict

    bad = scenario_dict(leaky, created=WHEN)
    (written[0].parent / "scenario.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(PublicationBlocked):
        export_view(engine.view(client, Filters()), {}, tmp_path, now=WHEN)
    (written[0].parent / "scenario.json").write_text(json.dumps(earlier), encoding="utf-8")
    assert export_view(engine.view(client, Filters()), {}, tmp_path, now=WHEN).is_dir()


# --- property: random org charts, random explorer exports, random second waves ---------------------

# no shrinking: one example costs seconds. In CI the examples are derandomized (the same ten each run), as
# Hypothesis recommends there; locally they are fresh each run, which is how the case below was found.
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate], derandomize=bool(os.environ.get("CI")))
@given(sizes=st.dictionaries(st.tuples(st.sampled_from("ABC"), st.sampled_from(["executive", "manager",
                                                                                 "frontline"])),
                             st.integers(0, 5), min_size=2, max_size=9),
       seed=st.integers(0, 10_000), picks=st.lists(st.integers(0, 50), max_size=4),
       change=st.integers(0, 3))
# three people, one of whom rated fewer management-style items: the area's overall favourable pinned the
# other two (found by this test); the audit now blanks that share (and hides an area whole when its
# overall perception pins a group: `test_an_area_whose_overall_figure_alone_pins_a_small_group_is_hidden_whole`)
@example(sizes={("B", "manager"): 2, ("B", "executive"): 1}, seed=4482, picks=[22, 3], change=0)
def test_insider_with_random_exports_and_waves_never_pins_a_small_group(sizes, seed, picks, change):

    sizes = {c: n for c, n in sizes.items() if n > 0}
    if sum(sizes.values()) < 3:
        return
    _random_exports_and_waves(sizes, seed, picks, change)


def test_one_level_org_chart_publishes_its_head_counts():
    """Three departments all in one level (found by the property test): each department's total *is* its cell,
    so a count of 5 hidden to protect the one-person department was pinned by its department's total and
    publication was blocked. Only counts below the threshold need protecting; this one publishes."""
    _random_exports_and_waves({("B", "frontline"): 3, ("A", "frontline"): 5, ("C", "frontline"): 1}, 673,
                                  [43, 13, 38, 23], 2)


def _random_exports_and_waves(sizes, seed, picks, change):
    from test_privacy_linked import AREA, Insider, _assess, small_cell_groups
    from toolkit.explore.engine import ExploreEngine
    from toolkit.explore.export import scenario_dict
    from toolkit.explore.scenario import Filters
    from toolkit.privacy.linked import membership_changes
    from toolkit.privacy.publication import check_publication, summary_of

    raw, safe, _, _ = _assess(sizes, seed=seed, n_boot=0)
    client = make_client(people=_people(sizes, seed))
    if bool(safe.areas.loc[AREA, "suppressed"]):
        return
    # random explorer exports: one- and two-filter views, as the engine protects them
    engine = ExploreEngine(n_boot=0)
    options = [Filters(department=d) for d in sorted({d for d, _ in sizes})]
    options += [Filters(level=lv) for lv in sorted({lv for _, lv in sizes})]
    options += [Filters(department=d, level=lv) for d, lv in sorted(sizes)]
    views = [scenario_dict(engine.view(client, options[p % len(options)]), created=WHEN) for p in picks]
    full = engine.full(client)
    assert check_publication(summary_of(full), client, views) == []
    perception = Insider(full, raw)
    for v in views:  # a shown one-filter view publishes its group's perception (the deck's row)
        if not v["suppressed"] and len(v["filters"]) == 1:
            (col, name), = v["filters"].items()
            frame = full.departments if col == "department" else full.levels
            assert not frame.loc[frame[col] == name, "suppressed"].any()
    favourable = FavourableInsider(full, client, AREA, views)
    for g in small_cell_groups(sizes):
        assert not perception.solves(g), g
        lo, hi = perception.bounds(g)
        assert hi - lo >= 50 - 1e-6, g
        assert favourable.width(g) >= 50 - 1e-6, g
    # a second wave: ``change`` people of the first department leave (same ids otherwise)
    first = sorted({d for d, _ in sizes})[0]
    now = _people(sizes, seed)
    leavers = [p[0] for p in now if p[1] == first][:change]
    previous = make_client(people=now, wave="2026-h1")
    current = make_client(people=[p for p in now if p[0] not in leavers])
    changes = membership_changes(current, previous, 3)
    gone = len(leavers)
    if 0 < gone < 3 and len(leavers) < sum(n for (d, _), n in sizes.items() if d == first):
        assert ("department", first) in changes
        later = protect(assess(current, n_boot=0), Privacy(), cells=client_cells(current), wave_changes=changes)
        rows = later.departments.loc[later.departments["department"] == first]
        assert rows["suppressed"].all()  # the two waves' figures cannot be differenced


def test_an_area_whose_overall_figure_alone_pins_a_small_group_is_hidden_whole():
    from test_privacy_linked import _people
    from toolkit.privacy.publication import check_publication, summary_of

    client = make_client(people=_people({("B", "manager"): 2, ("B", "executive"): 1}, 4482))
    raw = assess(client, n_boot=0)
    old = protect(raw, client.config.privacy, cells=client_cells(client), linked_audit=False)
    assert check_publication(summary_of(old), client) != []  # the overall figures alone pinned B x manager
    safe = protect(raw, client.config.privacy, cells=client_cells(client))
    hidden = safe.areas.index[safe.areas["suppressed"].astype(bool)].tolist()
    assert hidden == ["management_style"]
    assert "linked-table audit" in safe.areas.loc["management_style", "suppressed_reason"]
    assert np.isnan(safe.areas.loc["management_style", "perception"])
    assert safe.departments.loc[safe.departments["area"] == "management_style", "suppressed"].all()
    shown = safe.areas.loc[~safe.areas["suppressed"].astype(bool) & safe.areas["alignment"].notna()]
    assert not safe.oai["suppressed"]  # the OAI is re-weighted over the areas still shown
    assert safe.oai["value"] == pytest.approx(np.average(shown["alignment"], weights=shown["weight"]))
    assert check_publication(summary_of(safe), client) == []


def test_explorer_views_show_a_share_only_where_the_deck_does():
    """harbor: the deck blanks some Unique Capabilities shares; the explorer's views follow it, show no
    department x level cell's share, and every view exported with the deck passes the publication check."""
    from toolkit.explore.engine import ExploreEngine
    from toolkit.explore.export import scenario_dict
    from toolkit.explore.panels import area_html
    from toolkit.explore.scenario import Filters
    from toolkit.privacy.publication import check_publication, summary_of

    client, _, _ = _demo("harbor-concierge")
    engine = ExploreEngine(n_boot=0)
    full = engine.full(client)
    blank = full.departments.loc[~full.departments["suppressed"].astype(bool) & full.departments["favourable"].isna()]
    assert len(blank) >= 1  # the leak of the previous round is closed by blanking shares, not rows
    assert full.departments.loc[~full.departments["suppressed"].astype(bool), "perception"].notna().all()
    views = []
    for (col, name), frame in [(("department", d), full.departments) for d in sorted(set(full.departments["department"]))] \
            + [(("level", lv), full.levels) for lv in sorted(set(full.levels["level"]))]:
        view = engine.view(client, Filters(**{col: name}))
        if view.hidden:
            continue
        deck = frame.loc[frame[col] == name].set_index("area")["favourable"]
        got = view.assessment.areas["favourable"]
        for area, share in deck.items():
            assert np.isnan(got[area]) == np.isnan(share), (name, area)
            if not np.isnan(share):
                assert got[area] == pytest.approx(share)
            elif not np.isnan(view.assessment.areas.loc[area, "perception"]):  # the panel says why it is blank
                assert "Favourable (%)</td><td><b>suppressed</b>" in area_html(view, area)
        breakdown = view.assessment.levels if col == "department" else view.assessment.departments
        assert len(breakdown) and breakdown["favourable"].isna().all()  # its rows are cells: no share
        views.append(scenario_dict(view, created=WHEN))
    cell = engine.view(client, Filters(department=blank["department"].iloc[0], level="frontline"))
    assert cell.hidden or cell.assessment.areas["favourable"].isna().all()
    assert check_publication(summary_of(full), client, views) == []


def test_a_share_the_overall_figure_alone_pins_blanks_every_share_of_the_area():
    from toolkit.privacy.audit import Table
    from toolkit.privacy.linked import favourable_rows

    # cells: D1 (2 people, 10 ratings) and D2 (1 person, 5 ratings); rows: overall, D1, D2.
    # Every rating favourable: the overall 100 % alone pins both groups at 100 %.
    rows = np.array([[True, True], [True, False], [False, True]])
    unanimous = Table(np.array([10.0, 5.0]), np.array([1000.0, 500.0]), rows, 0.0, 100.0, ["D1", "D2"],
                      people=np.array([2.0, 1.0]))
    fixed = np.array([True, False, False])
    shown = np.array([True, False, False])  # the departments' rows are hidden already (both below 3)
    assert favourable_rows(unanimous, shown, 3, fixed).tolist() == [True, False, False]
    # half favourable in each: the overall 50 % leaves each group anywhere in a wide range, nothing blank
    split = Table(np.array([10.0, 5.0]), np.array([500.0, 250.0]), rows, 0.0, 100.0, ["D1", "D2"],
                  people=np.array([2.0, 1.0]))
    assert favourable_rows(split, shown, 3, fixed).tolist() == [False, False, False]
