"""summary.json: built from an assessment, valid against its schema, suppressed values
null and flagged, written atomically and deterministically, and read back for benchmarks."""
from __future__ import annotations

import copy
import json
import logging
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from test_findings import CONFIG, CX, MS, NAN, PP, UC, make_assessment
from toolkit.findings import build_findings
from toolkit.summary import (
    SummaryError,
    build_summary,
    dumps_summary,
    latest_summaries,
    latest_summary,
    load_portfolio,
    load_summary,
    validate_summary,
    write_summary,
)
from toolkit.voice import Voice


def _voice() -> Voice:
    return Voice(themes=pd.DataFrame({"area": [CX], "theme": ["service_variability"], "n_excerpts": [4],
                                      "mean_sentiment": [-0.31234]}),
                 quotes=pd.DataFrame({"area": [CX], "theme": ["service_variability"], "level": ["frontline"],
                                      "text": ["It depends who serves you, ask [name]."], "sentiment": [0.0]}),
                 n_excerpts=4, n_coded=3)


def _case():
    # PP suppressed as a whole; department North suppressed with its value 12.3 left in on purpose.
    a = make_assessment(
        areas={CX: dict(alignment=54.123, perception=68.0, consistency=41.0, evidence=NAN),
               PP: dict(alignment=33.3, perception=31.1, consistency=29.9)},
        depts={CX: [("North", 12.3, True), ("South", 70.0), ("East", 76.0), ("West", 59.0)]},
        kpis={CX: [40.0, 60.0]}, drift=[(CX, "alignment", 61.0, 69.0, 3.0, 13.0)],
        suppressed_areas=(PP,), principal_gap=PP)
    return a, build_findings(a, CONFIG)


@pytest.fixture()
def summary():
    a, f = _case()
    return build_summary(a, f, _voice(), toolkit_version="0.1.0")


def test_summary_validates_and_carries_every_section(summary):
    validate_summary(summary)
    assert summary["schema_version"] == "1.1"
    assert summary["toolkit_version"] == "0.1.0"
    assert [r["area"] for r in summary["areas"]] == [CX, MS, UC, PP]
    cx = summary["areas"][0]
    # n, the value and the flag travel together
    assert (cx["n"], cx["alignment"], cx["band"], cx["suppressed"], cx["reason"]) == (
        20, pytest.approx(54.123), "misaligned", False, "")
    assert len(summary["findings"]["summary_sentences"]) == 3
    assert summary["recommendations"][0]["rule_id"].startswith("cx_")
    assert summary["voice"]["quotes"][0]["level"] == "frontline"
    assert summary["drift"][0]["difference"] == 8.0


def test_suppressed_values_are_null_and_flagged(summary):
    pp = summary["areas"][3]
    assert pp["suppressed"] is True and pp["reason"] == "fewer than 3 respondents"
    assert all(pp[k] is None for k in ("n", "perception", "consistency", "alignment", "band", "alpha"))
    north = next(r for r in summary["departments"] if r["department"] == "North")
    assert (north["perception"], north["n"], north["suppressed"]) == (None, None, True)
    # the principal gap named a suppressed area: it is withheld too
    assert summary["principal_gap"] is None
    text = dumps_summary(summary)
    for hidden in ("12.3", "33.3", "31.1", "29.9"):
        assert hidden not in text
    assert "respondent_id" not in text


@pytest.mark.parametrize("breakage, path", [
    (lambda d: d.pop("oai"), "(root)"),
    (lambda d: d.update(schema_version="2.0"), "schema_version"),
    (lambda d: d["areas"][0].update(perception=130.0), "areas/0/perception"),
    (lambda d: d["areas"][3].update(alignment=33.3), "areas/3/alignment"),  # suppressed but shown
    (lambda d: d["findings"]["summary_sentences"].pop(), "findings/summary_sentences"),
    (lambda d: d["recommendations"][0].update(horizon=45), "recommendations/0/horizon"),
    (lambda d: d["voice"]["quotes"][0].update(respondent_id="R01"), "voice"),
    (lambda d: d["departments"][0].update(respondent_id="R01"), "departments/0"),
])
def test_broken_summary_fails_validation(summary, breakage, path):
    broken = copy.deepcopy(summary)
    breakage(broken)
    with pytest.raises(SummaryError) as err:
        validate_summary(broken)
    assert re.search(rf"^  {re.escape(path)}", str(err.value), re.M), str(err.value)


def test_write_is_deterministic_rounded_and_round_trips(tmp_path, summary):
    path = write_summary(summary, tmp_path / "acme" / "2026-Q1" / "summary.json")
    text = path.read_text()
    assert write_summary(summary, tmp_path / "again.json").read_text() == text
    back = load_summary(path)
    validate_summary(back)
    assert back["areas"][0]["alignment"] == 54.12          # 54.123 -> 2 dp
    assert back["voice"]["themes"][0]["mean_sentiment"] == -0.31
    assert back["areas"][3]["alignment"] is None
    assert list(back) == sorted(back)                       # keys sorted
    assert "NaN" not in text
    assert back["findings"] == json.loads(json.dumps(summary["findings"]))
    assert [p.name for p in path.parent.iterdir()] == ["summary.json"]  # no temp file left


def test_invalid_summary_never_replaces_the_good_one(tmp_path, summary):
    path = write_summary(summary, tmp_path / "summary.json")
    good = path.read_text()
    broken = copy.deepcopy(summary)
    broken["findings"]["summary_sentences"] = []
    with pytest.raises(SummaryError):
        write_summary(broken, path)
    assert path.read_text() == good
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_summary_without_voice_drift_or_drivers_validates():
    a = make_assessment()
    d = build_summary(a, build_findings(a, CONFIG), toolkit_version="0.1.0")
    validate_summary(d)
    assert (d["voice"], d["drift"], d["drivers"], d["benchmark"]) == (None, None, None, None)
    assert d["recommendations"] == []


def _write_client(root, client_id, wave, alignment, mtime=None):
    a = make_assessment(areas={CX: dict(alignment=alignment)})
    a.client_id = client_id
    d = build_summary(a, build_findings(a, CONFIG), toolkit_version="0.1.0")
    path = write_summary(d, root / client_id / wave / "summary.json")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def test_load_portfolio_picks_latest_wave_and_excludes_the_client(tmp_path):
    _write_client(tmp_path, "alpha", "2025-11", 50.0, mtime=2_000_000_000)  # newer file, older wave
    _write_client(tmp_path, "alpha", "2026-03", 61.0, mtime=1_000_000_000)
    _write_client(tmp_path, "beta", "wave9", 70.0)
    _write_client(tmp_path, "beta", "wave10", 72.0)                          # natural order: 10 > 9
    _write_client(tmp_path, "gamma", "2026-01", 40.0)
    (tmp_path / "delta" / "2026-01").mkdir(parents=True)
    (tmp_path / "delta" / "2026-01" / "summary.json").write_text("{not json")  # skipped
    frame = load_portfolio(tmp_path, exclude="gamma")
    assert list(frame.columns) == ["client_id", "area", "alignment"]
    assert sorted(set(frame["client_id"])) == ["alpha", "beta"]
    cx = frame.loc[frame["area"] == CX].set_index("client_id")["alignment"]
    assert cx.to_dict() == {"alpha": 61.0, "beta": 72.0}
    assert len(frame) == 8 and frame["alignment"].dtype == np.float64


def test_load_portfolio_suppressed_area_is_nan_and_missing_dir_is_empty(tmp_path):
    a, f = _case()
    write_summary(build_summary(a, f, toolkit_version="0.1.0"), tmp_path / "acme" / "w1" / "summary.json")
    frame = load_portfolio(tmp_path)
    assert np.isnan(frame.set_index("area").loc[PP, "alignment"])
    assert load_portfolio(tmp_path / "nowhere").empty


def test_latest_summary_never_reads_staging_backup_or_failed_folders(tmp_path):
    # Under the old glob("*/summary.json") each of these would win: "(1, '.staging-')" sorts after
    # "(0, 2026)" in natural order, and "2026-04.failed" after "2026-03".
    good = _write_client(tmp_path, "alpha", "2026-03", 61.0)
    _write_client(tmp_path, "alpha", ".staging-2026-04@123@ab12cd34", 99.0)
    _write_client(tmp_path, "alpha", ".previous-2026-03@123@ab12cd34", 98.0)
    _write_client(tmp_path, "alpha", "2026-04.failed", 97.0)
    _write_client(tmp_path, "beta", "2026-01", 96.0)
    os.rename(tmp_path / "beta", tmp_path / ".beta")                     # a hidden client folder too
    assert latest_summary(tmp_path / "alpha") == good
    assert latest_summaries(tmp_path) == {"alpha": good}
    frame = load_portfolio(tmp_path)
    assert frame.loc[frame["area"] == CX, ["client_id", "alignment"]].values.tolist() == [["alpha", 61.0]]


def test_latest_summary_of_only_hidden_or_failed_waves_is_none(tmp_path):
    _write_client(tmp_path, "alpha", ".staging-w1@1@x", 50.0)
    _write_client(tmp_path, "alpha", "w1.failed", 50.0)
    assert latest_summary(tmp_path / "alpha") is None
    assert latest_summary(tmp_path / "nowhere") is None
    assert load_portfolio(tmp_path).empty


def test_skipped_summaries_log_only_at_debug_and_name_no_client(tmp_path, caplog):
    _write_client(tmp_path, "alpha", "w1", 60.0)
    (tmp_path / "secret-client" / "w1").mkdir(parents=True)
    (tmp_path / "secret-client" / "w1" / "summary.json").write_text("{not json")
    (tmp_path / "other-secret" / "w1").mkdir(parents=True)
    (tmp_path / "other-secret" / "w1" / "summary.json").write_text('{"schema_version": "9.0"}')
    with caplog.at_level(logging.DEBUG, logger="toolkit"):
        frame = load_portfolio(tmp_path)
    assert sorted(set(frame["client_id"])) == ["alpha"]
    skipped = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == 2 and {r.levelno for r in skipped} == {logging.DEBUG}
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "secret" not in text and str(tmp_path) not in text


VALIDATE_AND_REPORT = """
import json, sys
{before}
from toolkit.summary import SummaryError, validate_summary
try:
    validate_summary({{}})
except SummaryError as exc:
    problems = str(exc).count("is a required property")
import jsonschema
print(json.dumps({{"rfc3987": "rfc3987_syntax" in sys.modules, "problems": problems,
                  "iri": "iri" in jsonschema.FormatChecker().checkers}}))
"""


@pytest.mark.parametrize(("before", "expected"), [
    ("", {"rfc3987": False, "iri": False}),  # validation alone skips the costly grammar
    ("import nbformat", {"rfc3987": True, "iri": True}),  # jsonschema already loaded: left as it was
])
def test_validation_skips_the_iri_grammar_only_when_it_loads_jsonschema(before, expected):
    out = subprocess.run([sys.executable, "-c", VALIDATE_AND_REPORT.format(before=before)],
                         capture_output=True, text=True, check=True).stdout
    seen = json.loads(out)
    assert seen["problems"] > 10  # the schema still rejects an empty summary, every missing key listed
    assert {k: seen[k] for k in expected} == expected
