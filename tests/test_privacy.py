"""Confidentiality (DESIGN 2.2): redaction, quotable groups and suppression of small groups."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_metrics_core import make_client  # tests dir is on sys.path
from toolkit.client_config import Privacy
from toolkit.metrics import assess
from toolkit.privacy import protect, quote_groups_allowed, redact_text, secondary_suppression

ROSTER = ["Jane Doe", "Rahul Mehta-Singh", "Li Wu", "Bo Ng"]


@pytest.mark.parametrize("text, expected", [
    ("Jane Doe said so", "[name] said so"),
    ("JANE DOE said so", "[name] said so"),                       # full name in any case
    ("I told Jane.", "I told [name]."),                           # first name alone, capitalised
    ("Doe's team", "[name]'s team"),                              # surname alone
    ("the doe ran", "the doe ran"),                               # not capitalised: not a name
    ("Mehta was late", "[name] was late"),                        # hyphenated surname part
    ("Li Wu agreed, Li did", "[name] agreed, [name] did"),        # 2-letter parts are names too
    ("Wu and Ng met Bo", "[name] and [name] met [name]"),
    ("a li-ion cell, wu, ng, bo", "a li-ion cell, wu, ng, bo"),    # lowercase: not names
    ("Lichfield and Wuhan", "Lichfield and Wuhan"),               # whole words only
    ("mail jane.doe@acme.co.uk now", "mail [email] now"),
    ("call +44 20 7946 0958", "call [phone]"),
    ("call (020) 7946-0958 or 555-1234", "call [phone] or [phone]"),
    ("ring 0171.234.5678", "ring [phone]"),
    ("on 2026-03-15 we shipped 1,250 units", "on 2026-03-15 we shipped 1,250 units"),  # dates, amounts kept
    ("ext 12-34", "ext 12-34"),                                   # under 7 digits
])
def test_redact_text(text, expected):
    assert redact_text(text, ROSTER) == expected


def test_quote_groups_allowed_attributes_by_level_only():
    people = pd.DataFrame({
        "respondent_id": [f"r{i}" for i in range(12)],
        "department": ["ops"] * 6 + ["sales"] * 4 + ["hr"] * 2,
        "level": ["frontline"] * 7 + ["manager"] * 5})
    excerpts = pd.DataFrame({
        "respondent_id": ["r0", "r6", "r7", "r10", "zz"],
        "area": ["customer_experience"] * 5, "theme": ["speed"] * 5,
        "text": ["ops frontline, Jane Doe", "sales frontline", "sales manager", "hr manager", "unknown"]})
    out = quote_groups_allowed(excerpts, people, 5, roster=ROSTER)
    # r0: ops (6) & frontline (7) ok; r6, r7: sales has 4 < 5; r10: hr 2; zz unknown
    assert out.columns.tolist() == ["area", "theme", "text", "level"]
    assert out["text"].tolist() == ["ops frontline, [name]"] and out["level"].tolist() == ["frontline"]
    assert len(quote_groups_allowed(excerpts, people, 4)) == 3  # sales (4) now clears: r0, r6, r7


@pytest.mark.parametrize("n, hidden, expected", [
    ([2, 9, 5, 5], [1, 0, 0, 0], [0, 0, 1, 0]),   # next-smallest, first on ties
    ([2, 1, 9], [1, 1, 0], [0, 0, 0]),            # two already hidden: nothing more
    ([9, 8], [0, 0], [0, 0]),                     # nothing hidden
    ([2], [1], [0]),                              # no sibling
])
def test_secondary_suppression(n, hidden, expected):
    assert secondary_suppression(np.array(n), np.array(hidden, dtype=bool)).tolist() == [bool(e) for e in expected]


def _people(sizes: dict[tuple[str, str], int], seed: int = 0):
    rng = np.random.default_rng(seed)
    out, i = [], 0
    for (dept, level), count in sizes.items():
        for _ in range(count):
            out.append((f"r{i}", dept, level, {q: float(rng.integers(1, 6)) for q in ("CX1", "CX2", "MS1", "PP1")}))
            i += 1
    return out


def test_protect_hides_small_department_and_its_smallest_sibling():
    sizes = {("A", "frontline"): 10, ("B", "frontline"): 6, ("C", "frontline"): 4, ("D", "executive"): 2}
    raw = assess(make_client(people=_people(sizes)), n_boot=50)
    before = raw.departments.copy()
    safe = protect(raw, Privacy())
    pd.testing.assert_frame_equal(raw.departments, before)                # input untouched
    assert raw.protected is False and safe.protected is True
    d = safe.departments[safe.departments["area"] == "customer_experience"].set_index("department")
    assert d["suppressed"].to_dict() == {"A": False, "B": False, "C": True, "D": True}
    assert d.loc["D", "suppressed_reason"] == "fewer than 3 respondents"
    assert "secondary" in d.loc["C", "suppressed_reason"]
    assert d.loc[["C", "D"], ["perception", "favourable", "consistency"]].isna().all().all()
    assert d.loc["A", "perception"] == raw.departments.set_index(["department", "area"]).loc[
        ("A", "customer_experience"), "perception"]
    lv = safe.levels[safe.levels["area"] == "customer_experience"].set_index("level")
    # executive (2) hidden and frontline (20) is its only sibling: hidden too
    assert lv["suppressed"].all() and lv["perception"].isna().all()
    gaps = safe.perception_gaps
    assert gaps["gap"].isna().all() and not gaps["flagged"].any()
    assert not safe.areas["suppressed"].any() and not np.isnan(safe.oai["value"])


def test_protect_flagged_gap_survives_when_groups_are_large():
    people = _people({("A", "executive"): 5, ("A", "frontline"): 5, ("B", "manager"): 5})
    for r in people:
        if r[2] == "executive":
            r[3].update(CX1=5.0, CX2=1.0)   # keyed 5 and 5 -> 100 points
        elif r[2] == "frontline":
            r[3].update(CX1=2.0, CX2=4.0)   # keyed 2 and 2 -> 25 points
    safe = protect(assess(make_client(people=people), n_boot=20), Privacy())
    g = safe.perception_gaps.set_index(["area", "group_b"]).loc[("customer_experience", "frontline")]
    assert g["gap"] == pytest.approx(75.0) and g["flagged"] and not g["suppressed"]


def test_everything_suppressed_when_all_groups_are_small():
    people = _people({("A", "frontline"): 1, ("B", "manager"): 1})
    safe = protect(assess(make_client(people=people), previous=make_client(people=people), n_boot=20),
                   Privacy())
    assert safe.areas["suppressed"].all() and safe.areas[["perception", "consistency", "alignment"]].isna().all().all()
    assert safe.areas["band"].eq("").all() and safe.principal_gap == ""
    assert np.isnan(safe.oai["value"]) and safe.oai["suppressed"] and safe.oai["band"] == ""
    for frame in (safe.departments, safe.levels, safe.coverage, safe.items, safe.perception_gaps, safe.drift):
        assert frame["suppressed"].all()
    assert safe.coverage["n"].isna().all() and safe.items["mean"].isna().all()
    assert safe.drift[["current", "previous", "difference"]].isna().all().all()
    assert safe.kpis["attainment"].notna().any()  # operations KPIs are not ratings: still shown
    assert any("every ratings result is hidden" in w for w in safe.warnings)


def test_everything_suppressed_hides_the_true_small_n():
    people = _people({("A", "frontline"): 1, ("B", "manager"): 1})
    raw = assess(make_client(people=people), n_boot=5)
    safe = protect(raw, Privacy())
    assert raw.oai["n"] == 2 and raw.areas.loc["customer_experience", "n"] == 2   # the true sizes ...
    assert safe.oai["n"] is None and safe.areas["n"].isna().all()                   # ... are not shown


def _one_small_area(people):
    """Customer experience rated by the first two respondents only, their two items disagreeing."""
    for r in people[2:]:
        r[3].pop("CX1"), r[3].pop("CX2")
    # keyed CX1 = 5, 1 and CX2 (reversed) = 3, 4: alpha = 2 * (1 - (8 + 0.5) / 4.5) = -1.78 < 0.70
    people[0][3].update(CX1=5.0, CX2=3.0)
    people[1][3].update(CX1=1.0, CX2=2.0)
    return people


def test_warnings_about_a_suppressed_area_are_dropped():
    raw = assess(make_client(people=_one_small_area(_people({("A", "frontline"): 6, ("B", "manager"): 5}))),
                 n_boot=10)
    assert raw.areas.loc["customer_experience", "alpha"] == pytest.approx(2 * (1 - 8.5 / 4.5))
    cx_warnings = [w for w in raw.warnings if w.startswith("Customer Experience:")]
    assert any("alpha -1.78" in w for w in cx_warnings) and any("only 2 items" in w for w in cx_warnings)
    safe = protect(raw, Privacy())
    assert safe.areas.loc["customer_experience", "suppressed"] and np.isnan(safe.areas.loc["customer_experience", "n"])
    assert safe.areas.loc["management_style", "n"] == 11                     # shown areas keep their n
    assert not [w for w in safe.warnings if "Customer Experience" in w or "alpha" in w]
    # warnings about shown areas stay, in order
    kept = [w for w in raw.warnings if not w.startswith("Customer Experience:")]
    assert safe.warnings[:len(kept)] == kept and "Proven Processes: only 1 item answered" in safe.warnings[len(kept) - 1]


def test_everything_suppressed_drops_every_ratings_warning():
    people = _one_small_area(_people({("A", "frontline"): 1, ("B", "manager"): 1}))
    people[0][3]["ZZ9"] = 3.0   # a question not in the bank: a warning counting ratings
    raw = assess(make_client(people=people), n_boot=5)
    assert any(w.startswith("1 ratings of questions not in the question bank") for w in raw.warnings)
    safe = protect(raw, Privacy())
    # 2 departments and 2 levels in each of 3 rated areas = 12 hidden groups; nothing else survives
    assert safe.warnings == ["12 department or level results are hidden to protect groups of fewer than 3 "
                             "respondents.", "Fewer than 3 respondents in total: every ratings result is hidden."]


def test_department_spread_uses_only_shown_departments():
    """Northwind-like: Legal (2) is hidden, and with it the smallest sibling Finance (4)."""
    sizes = {("Operations", "frontline"): 12, ("Sales", "frontline"): 8, ("Finance", "manager"): 4,
             ("Legal", "manager"): 2}
    raw = assess(make_client(people=_people(sizes, seed=3), min_consistency_group=2), n_boot=10)
    safe = protect(raw, Privacy())
    for area in ("customer_experience", "management_style", "proven_processes"):
        d = safe.departments[safe.departments["area"] == area].set_index("department")
        assert d["suppressed"].to_dict() == {"Operations": False, "Sales": False, "Finance": True, "Legal": True}
        full = raw.departments[raw.departments["area"] == area].set_index("department")
        shown = full.loc[["Operations", "Sales"]]
        # SD (ddof 1) of two values a, b is |a - b| / sqrt(2)
        expected_sd = abs(shown["perception"].iloc[0] - shown["perception"].iloc[1]) / np.sqrt(2)
        row = safe.areas.loc[area]
        assert row["between_dept_sd"] == pytest.approx(expected_sd)
        assert row["within_dept_consistency"] == pytest.approx(shown["consistency"].mean())
        # the unprotected figures used all four departments, hidden ones included
        assert raw.areas.loc[area, "between_dept_sd"] == pytest.approx(full["perception"].std(ddof=1))
        assert raw.areas.loc[area, "between_dept_sd"] != pytest.approx(expected_sd)


def test_department_spread_is_absent_below_two_shown_departments():
    # A (5) shown; B (2) hidden and A is its only sibling: hidden too -> nothing shown
    raw = assess(make_client(people=_people({("A", "frontline"): 5, ("B", "manager"): 2}), min_consistency_group=2),
                 n_boot=5)
    assert raw.areas[["between_dept_sd", "within_dept_consistency"]].loc["customer_experience"].notna().all()
    safe = protect(raw, Privacy())
    assert safe.areas[["between_dept_sd", "within_dept_consistency"]].isna().all().all()


def _check_breakdown(values: pd.Series, suppressed: pd.Series) -> None:
    """A breakdown with a shown total never has exactly one hidden group among several."""
    if len(values) > 1:
        assert suppressed.sum() != 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.dictionaries(st.tuples(st.sampled_from("ABCDE"), st.sampled_from(["executive", "manager",
                                                                                   "frontline"])),
                             st.integers(1, 7), min_size=1, max_size=9),
       k=st.integers(2, 5), seed=st.integers(0, 1000))
def test_protect_property(sizes, k, seed):
    raw = assess(make_client(people=_people(sizes, seed)), n_boot=5, seed=seed)
    safe = protect(raw, Privacy(min_group_size=k, min_quote_group=max(k, 5)))
    # 1. nothing computed on fewer than k respondents is shown
    for frame, cols in ((safe.departments, ["perception", "favourable", "consistency"]),
                        (safe.levels, ["perception", "favourable"]),
                        (safe.items, ["mean", "favourable", "rwg", "share_1"])):
        small = frame["n"] < k
        assert frame.loc[small, cols].isna().all().all() and frame.loc[small, "suppressed"].all()
    small = raw.coverage.loc[raw.coverage["n"] < k, ["department", "level"]]
    assert small.merge(safe.coverage, on=["department", "level"])["n"].isna().all()
    shown_areas = safe.areas[~safe.areas["suppressed"] & (safe.areas["n"] > 0)]
    assert (shown_areas["n"] >= k).all()
    # 2. no suppressed group recoverable from the shown total minus shown siblings
    for _, part in safe.departments.groupby("area"):
        _check_breakdown(part["perception"], part["suppressed"])
    for _, part in safe.levels.groupby("area"):
        _check_breakdown(part["perception"], part["suppressed"])
    # (coverage also lists empty combinations when bands are dropped; an empty one is no group to protect)
    held = safe.coverage.merge(raw.coverage[["department", "level"]], on=["department", "level"])
    for col in ("department", "level"):
        for _, part in held.groupby(col):
            _check_breakdown(part["n"], part["suppressed"])
    # 3. a gap is shown only when both groups are shown
    hidden = {(a, lv) for a, lv, s in zip(safe.levels["area"], safe.levels["level"], safe.levels["suppressed"], strict=True) if s}
    for _, g in safe.perception_gaps.iterrows():
        if (g["area"], g["group_a"]) in hidden or (g["area"], g["group_b"]) in hidden or min(g["n_a"], g["n_b"]) < k:
            assert np.isnan(g["gap"]) and not g["flagged"]
