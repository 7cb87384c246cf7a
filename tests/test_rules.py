"""One home per rule: ids, defaults, exit codes (toolkit.rules) and reason codes (toolkit.reasons)."""
from __future__ import annotations

import ast
import inspect
import json

import pytest

from toolkit import reasons, rules
from toolkit.client_config import ClientConfig, Privacy
from toolkit.model import Problem
from toolkit.reasons import Reason


def test_every_reason_has_a_docstring_and_its_name_is_its_value():
    body = ast.parse(inspect.getsource(reasons)).body
    cls = next(n for n in body if isinstance(n, ast.ClassDef) and n.name == "Reason")
    documented = {}
    for node, after in zip(cls.body, cls.body[1:] + [None], strict=True):
        if isinstance(node, ast.Assign):
            doc = after.value.value if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) else ""
            documented[node.targets[0].id] = doc
    assert set(documented) == {r.name for r in Reason}
    assert [n for n, d in documented.items() if len(d) < 20] == []
    assert all(r.name == r.value for r in Reason)  # so sets of codes compare with sets of text


def test_a_problem_takes_a_known_code_and_refuses_a_misspelt_one():
    p = Problem("a.csv", "missing_column", "m")
    assert p.reason is Reason.missing_column and p.reason == "missing_column"
    assert json.loads(json.dumps(p.as_dict()))["reason"] == "missing_column"
    assert f"[{p.reason}]" == "[missing_column]"
    with pytest.raises(ValueError):
        Problem("a.csv", "missing_colum", "m")


def test_wave_ids_are_one_rule_for_client_yaml_wave_folders_and_the_batch():
    from toolkit.batch.discover import peek_wave
    from toolkit.intake.safe_paths import SAFE_WAVE

    assert SAFE_WAVE is rules.WAVE_ID_PATTERN
    assert ClientConfig.model_fields["wave"].metadata[-1].pattern == rules.WAVE_ID
    for wave, ok in [("2025-Q4", True), ("v1.2", True), ("a..b", False), ("x.", False), ("../x", False), ("_x", False)]:
        assert rules.is_wave_id(wave) is ok, wave
    assert callable(peek_wave)  # the batch's quick read uses rules.is_wave_id (see its source)
    assert "is_wave_id" in inspect.getsource(peek_wave)


def test_defaults_and_exit_codes_have_one_home():
    assert Privacy().min_group_size == rules.MIN_GROUP_SIZE == 3
    assert Privacy().min_quote_group == rules.MIN_QUOTE_GROUP
    from toolkit.intake.ratings import read_ratings

    assert inspect.signature(read_ratings).parameters["min_group_size"].default == rules.MIN_GROUP_SIZE
    assert (rules.ExitCode.OK, rules.ExitCode.FAILED, rules.ExitCode.INVALID) == (0, 1, 2)
