"""Findings: the playbook loads and validates, every rule fires when (and only when)
it should, recommendations are ranked by weight x (100 - A), and sentences carry the
right numbers and never a suppressed one."""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
import yaml

from toolkit.client_config import ClientConfig
from toolkit.errors import DefinitionError
from toolkit.findings import build_findings, evaluate, load_playbook, parse_playbook
from toolkit.findings.playbook import Condition
from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA_LABELS, AREAS

NAN = float("nan")
CX, MS, UC, PP = AREAS
CONFIG = ClientConfig(name="Acme", wave="2026-Q1", strategy="Fastest service in the region.",
                      customer_promise="speed", management_style="collaborative")
HEALTHY = dict(perception=80.0, favourable=75.0, consistency=80.0, within_dept_consistency=80.0,
               between_dept_sd=4.0, evidence=85.0, alignment=80.0, alpha=0.85, weight=0.25, n=20)


def _band(a: float) -> str:
    return "aligned" if a >= 75 else "partly aligned" if a >= 60 else "misaligned"


def make_assessment(areas: dict[str, dict] | None = None, *, depts: dict[str, list] | None = None,
                    gaps: dict[str, dict] | None = None, kpis: dict[str, list] | None = None,
                    drift: list[tuple] | None = None, oai: dict | None = None,
                    suppressed_areas: tuple[str, ...] = (), principal_gap: str | None = None) -> Assessment:
    """A protected Assessment built by hand; every area healthy unless overridden.

    depts: {area: [(department, perception, suppressed?), ...]}
    gaps: {area: {(group_a, group_b): gap}}
    kpis: {area: [attainment, ...]}  (KPI ids <area>_k1, <area>_k2 ...)
    drift: [(area, metric, previous, current, lo, hi)]
    """
    rows = []
    for a in AREAS:
        m = {**HEALTHY, **(areas or {}).get(a, {})}
        hidden = a in suppressed_areas
        row = {"area": a, "label": AREA_LABELS[a], "n_items": 7, **m,
               "perception_lo": m["perception"] - 4, "perception_hi": m["perception"] + 4,
               "consistency_lo": m["consistency"] - 5, "consistency_hi": m["consistency"] + 5,
               "alignment_lo": m["alignment"] - 4, "alignment_hi": m["alignment"] + 4,
               "band": _band(m["alignment"]), "alpha_warning": m["alpha"] < 0.7,
               "suppressed": hidden, "suppressed_reason": "fewer than 3 respondents" if hidden else ""}
        if hidden:
            for k in ("perception", "favourable", "consistency", "within_dept_consistency",
                      "between_dept_sd", "evidence", "alignment", "alpha", "perception_lo",
                      "perception_hi", "consistency_lo", "consistency_hi", "alignment_lo", "alignment_hi"):
                row[k] = NAN
            row["n"], row["band"] = NAN, ""
        rows.append(row)
    area_frame = pd.DataFrame(rows).set_index("area")
    drows = []
    for a, items in (depts or {}).items():
        for d, p, *hid in items:
            hidden = bool(hid and hid[0])
            drows.append({"department": d, "area": a, "n": 2 if hidden else 8, "perception": p,
                          "favourable": 60.0, "consistency": 70.0, "suppressed": hidden,
                          "suppressed_reason": "fewer than 3 respondents" if hidden else ""})
    dept_frame = pd.DataFrame(drows, columns=["department", "area", "n", "perception", "favourable",
                                              "consistency", "suppressed", "suppressed_reason"])
    grows = [{"area": a, "group_a": ga, "group_b": gb, "gap": g, "p_value": 0.01, "n_a": 5, "n_b": 12,
              "flagged": g >= 10, "suppressed": False, "suppressed_reason": ""}
             for a, pairs in (gaps or {}).items() for (ga, gb), g in pairs.items()]
    gap_frame = pd.DataFrame(grows, columns=["area", "group_a", "group_b", "gap", "p_value", "n_a",
                                             "n_b", "flagged", "suppressed", "suppressed_reason"])
    krows = [{"kpi_id": f"{a[:2]}_k{i + 1}", "name": f"{AREA_LABELS[a]} KPI {i + 1}", "area": a,
              "better": "higher", "target": 90.0, "unit": "%", "n_obs": 12, "attainment": att,
              "mean": 88.0, "cv": 0.1, "n_departments": 3}
             for a, atts in (kpis or {}).items() for i, att in enumerate(atts)]
    kpi_frame = pd.DataFrame(krows, columns=["kpi_id", "name", "area", "better", "target", "unit",
                                             "n_obs", "attainment", "mean", "cv", "n_departments"])
    drift_frame = None
    if drift is not None:
        drift_frame = pd.DataFrame(
            [{"area": a, "metric": m, "previous": p, "current": c, "difference": c - p, "lo": lo,
              "hi": hi, "significant": lo > 0 or hi < 0} for a, m, p, c, lo, hi in drift],
            columns=["area", "metric", "previous", "current", "difference", "lo", "hi", "significant"])
    w = area_frame["weight"]
    shown = area_frame["alignment"].notna()
    oai_value = float((w[shown] * area_frame["alignment"][shown]).sum() / w[shown].sum()) if shown.any() else NAN
    gap_area = principal_gap or (str((w * (100 - area_frame["alignment"])).idxmax()) if shown.any() else CX)
    return Assessment(
        client_id="acme", client_name="Acme", wave="2026-Q1", areas=area_frame,
        oai=oai if oai is not None else {"value": oai_value, "lo": oai_value - 4, "hi": oai_value + 4,
                                         "band": _band(oai_value), "n": 40},
        principal_gap=gap_area, items=pd.DataFrame(), departments=dept_frame, levels=pd.DataFrame(),
        perception_gaps=gap_frame, kpis=kpi_frame, kpi_departments=pd.DataFrame(),
        coverage=pd.DataFrame(), drift=drift_frame, protected=True)


def fired(assessment: Assessment) -> list[str]:
    return list(build_findings(assessment, CONFIG).recommendations["rule_id"])


# --- the playbook -----------------------------------------------------------

def test_playbook_loads_with_at_least_three_rules_per_area_and_cross_cutting_ones():
    pb = load_playbook()
    for area in AREAS:
        assert len(pb.for_area(area)) >= 3, area
    assert len(pb.for_area("cross_cutting")) >= 3
    assert len({r.id for r in pb.rules}) == len(pb.rules)
    assert all(r.owner and r.horizon in (30, 60, 90) for r in pb.rules)


def test_healthy_assessment_fires_no_rule():
    assert fired(make_assessment()) == []


# rule id -> (assessment that should fire it, near miss that should not)
RULE_CASES = {
    "cx_uneven_delivery": (dict(areas={CX: dict(consistency=41.0, perception=68.0)}),
                           dict(areas={CX: dict(consistency=60.0, perception=68.0)})),
    "cx_promise_not_understood": (dict(areas={CX: dict(perception=50.0, favourable=40.0)}),
                                  dict(areas={CX: dict(perception=50.0, favourable=50.0)})),
    "cx_department_outlier": (dict(depts={CX: [("North", 55.0), ("South", 70.0), ("East", 72.0)]}),
                              dict(depts={CX: [("North", 62.0), ("South", 70.0), ("East", 72.0)]})),
    "cx_leadership_blind_spot": (dict(gaps={CX: {("executive", "frontline"): 14.0}}),
                                 dict(gaps={CX: {("executive", "frontline"): 9.0}})),
    "cx_kpis_below_target": (dict(kpis={CX: [40.0, 60.0]}), dict(kpis={CX: [60.0, 60.0]})),
    "cx_belief_ahead_of_delivery": (dict(areas={CX: dict(evidence=45.0)}),
                                    dict(areas={CX: dict(evidence=50.0)})),
    "ms_inconsistent_leadership": (dict(areas={MS: dict(consistency=55.0)}),
                                   dict(areas={MS: dict(consistency=60.0)})),
    "ms_style_not_recognised": (dict(areas={MS: dict(perception=55.0)}),
                                dict(areas={MS: dict(perception=60.0)})),
    "ms_leadership_blind_spot": (dict(gaps={MS: {("executive", "frontline"): 12.0}}),
                                 dict(gaps={MS: {("executive", "frontline"): 9.4}})),
    "ms_middle_layer_break": (dict(gaps={MS: {("manager", "frontline"): 11.0}}),
                              dict(gaps={MS: {("manager", "frontline"): 5.0}})),
    "ms_department_outlier": (dict(depts={MS: [("North", 50.0), ("South", 70.0)]}),
                              dict(depts={MS: [("North", 65.0), ("South", 70.0)]})),
    "uc_not_named": (dict(areas={UC: dict(perception=50.0)}), dict(areas={UC: dict(perception=60.0)})),
    "uc_applied_unevenly": (dict(areas={UC: dict(perception=65.0, consistency=50.0)}),
                            dict(areas={UC: dict(perception=59.0, consistency=50.0)})),
    "uc_pockets_of_strength": (dict(depts={UC: [("North", 50.0), ("South", 70.0)]}),
                               dict(depts={UC: [("North", 61.0), ("South", 70.0)]})),
    "uc_underinvested": (
        dict(areas={UC: dict(weight=0.4, alignment=55.0), CX: dict(weight=0.2), MS: dict(weight=0.2),
                    PP: dict(weight=0.2)}),
        dict(areas={UC: dict(weight=0.25, alignment=55.0)})),
    "pp_not_followed_consistently": (dict(areas={PP: dict(consistency=50.0)}),
                                     dict(areas={PP: dict(consistency=60.0)})),
    "pp_kpis_below_target": (dict(kpis={PP: [30.0, 70.0]}), dict(kpis={PP: [60.0, 70.0]})),
    "pp_processes_not_trusted": (dict(areas={PP: dict(perception=50.0)}),
                                 dict(areas={PP: dict(perception=61.0)})),
    "pp_leadership_blind_spot": (dict(gaps={PP: {("executive", "frontline"): 10.0}}),
                                 dict(gaps={PP: {("executive", "frontline"): 9.0}})),
    "xc_systemic_misalignment": (dict(areas={CX: dict(alignment=55.0), MS: dict(alignment=50.0)}),
                                 dict(areas={CX: dict(alignment=55.0)})),
    "xc_uneven_areas": (dict(areas={CX: dict(alignment=58.0)}), dict(areas={CX: dict(alignment=61.0)})),
    "xc_leadership_blind_spot": (
        dict(gaps={CX: {("executive", "frontline"): 12.0}, MS: {("executive", "frontline"): 11.0}}),
        dict(gaps={CX: {("executive", "frontline"): 12.0}, MS: {("executive", "frontline"): 8.0}})),
    "xc_alignment_declining": (dict(drift=[("overall", "oai", 70.0, 64.0, -9.0, -3.0)]),
                               dict(drift=[("overall", "oai", 70.0, 64.0, -9.0, 1.0)])),
    "xc_measurement_weak": (dict(areas={PP: dict(alpha=0.62)}), dict(areas={PP: dict(alpha=0.70)})),
}


def test_every_playbook_rule_has_a_case():
    assert sorted(RULE_CASES) == sorted(r.id for r in load_playbook().rules)


@pytest.mark.slow
@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires_on_its_trigger_and_not_on_a_near_miss(rule_id):
    trigger, near_miss = RULE_CASES[rule_id]
    assert rule_id in fired(make_assessment(**trigger))
    assert rule_id not in fired(make_assessment(**near_miss))


@pytest.mark.parametrize("rule_id, expected", [
    # KPIs 40 and 60: mean 50, weakest 40.
    ("cx_kpis_below_target", "Only 50% of customer KPI observations meet target; the weakest, "
                             "Customer Experience KPI 1, meets it 40% of the time."),
    # Departments 55, 70, 72: the rest average 71, so North sits 16 below.
    ("cx_department_outlier", "North rates Customer Experience 16 points below the rest of the organisation."),
    ("uc_underinvested", "Unique Capabilities carries 40% of the strategic weight but scores only 55."),
    ("xc_uneven_areas", "Alignment differs by 22 points between Management Style and Customer Experience."),
    ("xc_alignment_declining", "The Overall Alignment Index fell 6 points since the last wave, beyond its 90% interval."),
])
def test_fired_finding_carries_the_numbers(rule_id, expected):
    recs = build_findings(make_assessment(**RULE_CASES[rule_id][0]), CONFIG).recommendations
    assert recs.set_index("rule_id").loc[rule_id, "finding"] == expected


@pytest.mark.parametrize("perception, fires", [(59.4, True), (59.6, False)])
def test_rules_judge_values_as_shown(perception, fires):
    # 59.6 is shown as 60, so "perception < 60" must not fire on it (nor print "perception is 60").
    assert ("ms_style_not_recognised" in fired(make_assessment(areas={MS: dict(perception=perception)}))) is fires


def test_action_fills_client_words():
    recs = build_findings(make_assessment(**RULE_CASES["cx_uneven_delivery"][0]), CONFIG).recommendations
    row = recs.set_index("rule_id").loc["cx_uneven_delivery"]
    assert row["action"].startswith("Codify the speed promise into five observable service standards")
    assert (row["owner"], row["horizon"]) == ("Head of Customer Service", 30)


def test_recommendations_ranked_by_weight_times_shortfall_then_horizon():
    # CX: weight 0.4, A 60 -> priority 0.4 * 40 = 16; PP: weight 0.1, A 40 -> 0.1 * 60 = 6.
    # MS, UC: weight 0.25, A 80 -> 5. Cross-cutting: (16 + 6 + 5 + 5) / 4 = 8.
    a = make_assessment(areas={CX: dict(weight=0.4, alignment=60.0, consistency=41.0, perception=68.0),
                               PP: dict(weight=0.1, alignment=40.0, consistency=50.0),
                               MS: dict(weight=0.25), UC: dict(weight=0.25)},
                        kpis={CX: [40.0, 60.0]})
    recs = build_findings(a, CONFIG).recommendations
    assert list(recs.columns) == ["rule_id", "area", "finding", "action", "owner", "horizon", "priority"]
    # CX rules first (16), ordered by horizon 30, 60; then cross-cutting (8); then PP (6).
    assert list(recs["rule_id"]) == ["cx_uneven_delivery", "cx_kpis_below_target",
                                     "xc_uneven_areas", "pp_not_followed_consistently"]
    assert list(recs["priority"]) == pytest.approx([16, 16, 8, 6])
    assert list(recs["horizon"]) == [30, 60, 90, 60]


# --- sentences --------------------------------------------------------------

def _summary_case() -> Assessment:
    # CX: A 54, P 68, C 41, no KPI; departments 50 | 70, 76, 73 -> rest 73, shortfall 23.
    return make_assessment(
        areas={CX: dict(alignment=54.0, perception=68.0, consistency=41.0, evidence=NAN),
               PP: dict(alignment=66.0, perception=58.0, consistency=52.0, evidence=NAN)},
        depts={CX: [("North", 50.0), ("South", 70.0), ("East", 76.0), ("West", 73.0)]},
        gaps={MS: {("executive", "frontline"): 14.0}},
        oai={"value": 63.4, "lo": 58.2, "hi": 68.9, "band": "partly aligned", "n": 42})


def test_summary_sentences_are_the_top_three_findings_with_their_numbers():
    f = build_findings(_summary_case(), CONFIG)
    # Priorities: principal gap CX .25*(75-54) = 5.25, blind spot MS .25*14 = 3.5,
    # low agreement CX .25*(50-41) = 2.25; North is not named without respondent data.
    assert f.summary_sentences == [
        "The principal gap is Customer Experience: it scores 54 (misaligned; 90% interval 50–58), "
        "21 points short of aligned, and carries 25% of the strategic weight.",
        "Executives rate Management Style 14 points higher than the frontline: a leadership blind spot "
        "(Holm-adjusted p = 0.010).",
        "People disagree on Customer Experience: consistency is 41 (n = 20), below the 50 that marks a "
        "shared standard.",
    ]
    assert [x.kind for x in f.top] == ["principal_gap", "blind_spot", "low_agreement"]
    assert f.headline == "Customer Experience is the principal gap: 54, 21 points short of aligned"


def test_oai_and_principal_gap_sentences():
    f = build_findings(_summary_case(), CONFIG)
    assert f.oai_sentence == ("The Overall Alignment Index is 63 (partly aligned; 90% interval 58–69; n = 42).")
    assert f.principal_gap_sentence == f.summary_sentences[0]


def test_drift_sentences_only_call_out_intervals_excluding_zero():
    a = make_assessment(drift=[(CX, "alignment", 61.0, 69.0, 3.0, 13.0),
                               (MS, "alignment", 75.0, 71.0, -9.0, 1.0)])
    assert build_findings(a, CONFIG).drift_sentences == [
        "Customer Experience alignment rose 8 points since the last wave (61 → 69; 95% interval +3 to +13, adjusted for every change compared)."]
    quiet = make_assessment(drift=[(MS, "alignment", 75.0, 71.0, -9.0, 1.0)])
    assert build_findings(quiet, CONFIG).drift_sentences[0].startswith("No score moved beyond its adjusted 95% interval")
    assert build_findings(make_assessment(), CONFIG).drift_sentences == []


def test_costs_graded_from_the_metrics():
    # CX: consistency 41 (<60), department SD 12 (>=10), KPIs 50 % (<60): three signals -> high.
    # PP: consistency 55 (<60), KPIs 85 %: one signal -> medium. UC healthy -> low.
    a = make_assessment(areas={CX: dict(consistency=41.0, between_dept_sd=12.0),
                               PP: dict(consistency=55.0)},
                        kpis={CX: [40.0, 60.0], PP: [85.0]})
    costs = {c.id: c for c in build_findings(a, CONFIG).costs}
    assert [c for c in costs] == ["inconsistent_customer_experience", "internal_inefficiency",
                                  "blurred_differentiation"]
    assert (costs["inconsistent_customer_experience"].severity, costs["internal_inefficiency"].severity,
            costs["blurred_differentiation"].severity) == ("high", "medium", "low")
    cx = " ".join(costs["inconsistent_customer_experience"].evidence)
    assert "consistency is 41" in cx and "standard deviation of 12 points" in cx and "50% of customer KPI" in cx


def test_suppressed_values_never_reach_a_sentence():
    # North is suppressed (its value 12 kept on purpose to prove the flag is honoured);
    # Proven Processes is suppressed as a whole.
    a = make_assessment(
        areas={CX: dict(alignment=54.0, perception=68.0, consistency=41.0, evidence=NAN),
               PP: dict(alignment=33.0, perception=31.0, consistency=29.0)},
        depts={CX: [("North", 12.0, True), ("South", 70.0), ("East", 76.0), ("West", 59.0)]},
        suppressed_areas=(PP,), principal_gap=PP)
    f = build_findings(a, CONFIG)
    text = " ".join(f.summary_sentences + [f.principal_gap_sentence, f.oai_sentence]
                    + list(f.recommendations["finding"]) + list(f.recommendations["action"])
                    + [e for c in f.costs for e in c.evidence])
    assert "North" not in text
    for hidden in ("12", "33", "31", "29"):
        assert not re.search(rf"\b{hidden}\b", text), hidden
    assert "Proven Processes" not in " ".join(f.summary_sentences)
    assert not (f.recommendations["area"] == PP).any()
    # The principal gap falls back to the worst visible area; West (59) is 14 below South/East (73).
    assert f.principal_gap_sentence.startswith("The principal gap is Customer Experience")
    assert "21 points short of aligned" in f.summary_sentences[0]
    assert {c.id: c.severity for c in f.costs}["internal_inefficiency"] == "not assessed"


def test_withheld_oai_is_not_quoted():
    a = make_assessment(oai={"value": NAN, "lo": NAN, "hi": NAN, "band": "", "n": NAN, "suppressed": True})
    assert build_findings(a, CONFIG).oai_sentence.startswith("The Overall Alignment Index is withheld")


# --- the evaluator and bad playbooks ----------------------------------------

@pytest.mark.parametrize("value, expected", [(41.0, True), (60.0, False), (NAN, None), (None, None)])
def test_evaluator_three_valued(value, expected):
    cond = Condition.model_validate({"all": [{"metric": "consistency", "op": "<", "value": 60},
                                             {"not": {"metric": "perception", "op": "<", "value": 60}}]})
    assert evaluate(cond, {"consistency": value, "perception": 70.0}) is expected


def test_any_is_true_when_one_branch_is_true_even_if_another_is_unknown():
    cond = Condition.model_validate({"any": [{"metric": "alpha", "op": "<", "value": 0.7},
                                             {"metric": "consistency", "op": "<", "value": 60}]})
    assert evaluate(cond, {"alpha": NAN, "consistency": 50.0}) is True
    assert evaluate(cond, {"alpha": NAN, "consistency": 70.0}) is None


GOOD_RULE = {"id": "bad_rule", "area": "customer_experience",
             "when": {"all": [{"metric": "consistency", "op": "<", "value": 60}]},
             "finding": "Consistency is {consistency}.", "action": "Fix it.", "owner": "COO", "horizon": 30}


@pytest.mark.parametrize("change, key", [
    ({"when": {"all": [{"metric": "consistncy", "op": "<", "value": 60}]}}, "when.all[0].metric"),
    ({"when": {"metric": "consistency", "op": "=>", "value": 60}}, "when.op"),
    ({"when": {"any": [{"metric": "consistency", "op": "=>", "value": 60}]}}, "when.any[0].op"),
    ({"when": {"metric": "consistency", "op": "<"}}, "when"),
    ({"horizon": 45}, "horizon"),
    ({"owner": None}, "owner"),
    ({"area": "finance"}, "area"),
    ({"finding": "Consistency is {consistncy}."}, "finding"),
    ({"action": "Fix {label.upper}."}, "action"),
    ({"when": {"metric": "oai", "op": "<", "value": 60}}, "when.metric"),  # not an area metric
])
def test_bad_playbook_raises_definition_error_naming_rule_and_key(change, key):
    rule = {**GOOD_RULE, **change}
    with pytest.raises(DefinitionError) as err:
        parse_playbook({"rules": [GOOD_RULE | {"id": "fine_rule"}, rule]})
    msg = str(err.value)
    assert "rule 'bad_rule'" in msg and f"key '{key}" in msg
    assert "fine_rule" not in msg


def test_duplicate_rule_id_and_bad_file(tmp_path):
    with pytest.raises(DefinitionError, match="rule 'bad_rule': key 'id': defined twice"):
        parse_playbook({"rules": [GOOD_RULE, GOOD_RULE]})
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump({"rules": [{**GOOD_RULE, "horizon": 14}]}))
    with pytest.raises(DefinitionError, match=r"playbook.yaml: 1 problem\n  rule 'bad_rule': key 'horizon'"):
        load_playbook(path)
    path.write_text("rules: [unclosed")
    with pytest.raises(DefinitionError, match="cannot read the playbook"):
        load_playbook(path)


def test_custom_playbook_is_used():
    pb = parse_playbook({"rules": [GOOD_RULE]})
    recs = build_findings(make_assessment(areas={CX: dict(consistency=41.4)}), CONFIG, pb).recommendations
    assert list(recs["finding"]) == ["Consistency is 41."]
    assert math.isclose(recs["priority"].iloc[0], 0.25 * 20)
    assert np.all(recs["horizon"] == 30)


def test_third_summary_sentence_falls_back_to_an_area_sentence():
    # Findings: principal gap CX (.25*21), strength UC (.25*15); PP (A 60) has no finding of its own,
    # so its area sentence completes the three.
    a = make_assessment(areas={CX: dict(alignment=54.0), PP: dict(alignment=60.0),
                               MS: dict(alignment=70.0), UC: dict(alignment=90.0)})
    s = build_findings(a, CONFIG).summary_sentences
    assert s[0].startswith("The principal gap is Customer Experience")
    assert s[1].startswith("Unique Capabilities is a strength to protect: it scores 90")
    assert s[2].startswith("Proven Processes scores 60 (partly aligned)")


def test_all_areas_suppressed_still_gives_three_sentences_without_numbers():
    a = make_assessment(suppressed_areas=AREAS, oai={"value": NAN, "suppressed": True})
    f = build_findings(a, CONFIG)
    assert len(f.summary_sentences) == 3
    assert not any(re.search(r"\d", s) for s in f.summary_sentences + [f.principal_gap_sentence, f.oai_sentence])
    assert f.summary_sentences[0].startswith("No area clears the confidentiality threshold")
    assert f.recommendations.empty


def test_assessment_is_not_mutated():
    a = _summary_case()
    areas, depts = a.areas.copy(), a.departments.copy()
    build_findings(a, CONFIG)
    pd.testing.assert_frame_equal(a.areas, areas)
    pd.testing.assert_frame_equal(a.departments, depts)


@pytest.mark.parametrize("value, expected", [
    (75.0, "aligned"), (74.99, "partly aligned"), (60.0, "partly aligned"), (59.99, "misaligned")])
def test_context_band_is_the_metrics_band(value, expected, monkeypatch):
    import toolkit.metrics.alignment as alignment
    from toolkit.findings.context import band_of
    assert band_of(value) == alignment.band(value) == expected
    # one definition: moving the metrics' aligned floor to 80 moves the findings' band too
    monkeypatch.setattr(alignment, "BANDS", ((80.0, "aligned"), (60.0, "partly aligned"), (-np.inf, "misaligned")))
    assert band_of(78.0) == "partly aligned"


def test_all_aligned_has_no_principal_gap_and_names_what_to_protect():
    a = make_assessment(areas={CX: dict(alignment=82.0, weight=0.4), MS: dict(weight=0.2),
                               UC: dict(weight=0.2), PP: dict(weight=0.2)})
    f = build_findings(a, CONFIG)
    # The strength sentence that follows names what to protect, with its number: "protect" is said once.
    assert f.summary_sentences[:2] == [
        "Every scored area is aligned (75 or more): the strategy is carried out in daily operations.",
        "Customer Experience is a strength to protect: it scores 82 (aligned) and carries 40% of the strategic weight."]
    assert sum("protect" in s for s in f.summary_sentences) == 1
    assert f.principal_gap_sentence.startswith("There is no principal gap: every scored area is aligned")
    assert not any(x.kind == "principal_gap" for x in f.candidates)


def test_an_area_with_a_blind_spot_is_not_called_a_strength_to_protect():
    from toolkit.findings.candidates import BLIND_SPOT, Finding
    from toolkit.findings.storyline import all_aligned_sentence
    blind = Finding(BLIND_SPOT, CX, 20.0, 0.4, 8.0, True, "Executives rate Customer Experience 20 points higher",
                    "t", {})
    # with no strength left, the areas no finding calls uneven are named
    assert all_aligned_sentence([blind], ["Customer Experience", "Management Style"]) == (
        "Every scored area is aligned (75 or more): the strategy is carried out in daily operations; "
        "protect Management Style.")
    assert all_aligned_sentence([blind], ["Customer Experience"]).endswith("where it is carried out unevenly.")
    # and end to end: an aligned, heavy area with a flagged level gap is a blind spot, not a strength
    a = make_assessment(areas={CX: dict(alignment=82.0, weight=0.4), MS: dict(weight=0.2),
                               UC: dict(weight=0.2), PP: dict(weight=0.2)},
                        gaps={CX: {("executive", "frontline"): 20.0}})
    kinds = [(x.kind, x.area) for x in build_findings(a, CONFIG).candidates]
    assert (BLIND_SPOT, CX) in kinds and ("strength", CX) not in kinds


def test_an_aligned_area_is_never_the_principal_gap():
    # weight x (100 - A) would pick PP (.55 x 24 = 13.2); below-75 rule picks CX (.15 x 15 = 2.25)
    a = make_assessment(areas={PP: dict(alignment=76.0, weight=0.55), CX: dict(alignment=60.0, weight=0.15),
                               MS: dict(weight=0.15), UC: dict(weight=0.15)})
    gap = [x for x in build_findings(a, CONFIG).candidates if x.kind == "principal_gap"]
    assert [x.area for x in gap] == [CX]
