"""Confidentiality (DESIGN 2.2): redaction, quotable groups and suppression of small groups."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.config import Privacy
from toolkit.metrics import assess
from toolkit.privacy import protect, quote_groups_allowed, redact_text, secondary_suppression

from test_metrics_core import make_client  # noqa: E402  (tests dir is on sys.path)

ROSTER = ["Jane Doe", "Rahul Mehta-Singh", "Li Wu"]


@pytest.mark.parametrize("text, expected", [
    ("Jane Doe said so", "[name] said so"),
    ("JANE DOE said so", "[name] said so"),                       # full name in any case
    ("I told Jane.", "I told [name]."),                           # first name alone, capitalised
    ("Doe's team", "[name]'s team"),                              # surname alone
    ("the doe ran", "the doe ran"),                               # not capitalised: not a name
    ("Mehta was late", "[name] was late"),                        # hyphenated surname part
    ("Li Wu agreed, Li did", "[name] agreed, Li did"),            # parts under 3 letters stay
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
    assert safe.coverage.loc[raw.coverage["n"] < k, "n"].isna().all()
    shown_areas = safe.areas[~safe.areas["suppressed"] & (safe.areas["n"] > 0)]
    assert (shown_areas["n"] >= k).all()
    # 2. no suppressed group recoverable from the shown total minus shown siblings
    for _, part in safe.departments.groupby("area"):
        _check_breakdown(part["perception"], part["suppressed"])
    for _, part in safe.levels.groupby("area"):
        _check_breakdown(part["perception"], part["suppressed"])
    for col in ("department", "level"):
        for _, part in safe.coverage.groupby(col):
            _check_breakdown(part["n"], part["suppressed"])
    # 3. a gap is shown only when both groups are shown
    hidden = {(a, lv) for a, lv, s in zip(safe.levels["area"], safe.levels["level"], safe.levels["suppressed"]) if s}
    for _, g in safe.perception_gaps.iterrows():
        if (g["area"], g["group_a"]) in hidden or (g["area"], g["group_b"]) in hidden or min(g["n_a"], g["n_b"]) < k:
            assert np.isnan(g["gap"]) and not g["flagged"]
