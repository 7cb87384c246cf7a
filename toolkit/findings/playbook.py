"""The recommendations playbook: rules declared as data, checked on load, evaluated safely.

A rule reads ``when <condition> then <finding>, <action>, <owner>, <horizon>``.
Conditions are nested mappings, never code::

    when: {all: [{metric: consistency, op: "<", value: 60},
                 {metric: perception, op: ">=", value: 60}]}

and are evaluated by `evaluate` with three-valued logic: a metric that is
absent, NaN or suppressed makes its comparison *unknown*, and a rule fires only
when its condition is *true*, so no rule ever fires on (or quotes) a value
that cannot be shown.
"""
from __future__ import annotations

import math
import operator
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from toolkit.errors import DefinitionError
from toolkit.model import AREAS
from toolkit.run import resources

DEFAULT_PLAYBOOK = resources.template("playbook.yaml")
CROSS_CUTTING = "cross_cutting"

# --- the vocabulary rules may use -----------------------------------------
#: Numbers known for one area (see `toolkit.findings.context.area_context`).
AREA_METRICS: frozenset[str] = frozenset({
    "perception", "perception_lo", "perception_hi", "favourable", "consistency",
    "within_dept_consistency", "between_dept_sd", "evidence", "alignment", "alpha",
    "weight", "weight_pct", "n", "gap_executive_frontline", "gap_executive_manager",
    "gap_manager_frontline", "kpi_attainment", "kpi_attainment_min", "dept_shortfall",
    "perception_minus_consistency", "alignment_change", "alignment_decline",
})
#: Words known for one area (usable in sentences, not in conditions).
AREA_WORDS: frozenset[str] = frozenset({
    "label", "band", "worst_department", "worst_kpi", "promise", "style", "client_name",
})
#: Numbers known for the organisation as a whole (cross-cutting rules).
OVERALL_METRICS: frozenset[str] = frozenset({
    "oai", "oai_lo", "oai_hi", "n_respondents", "n_misaligned", "n_partly_aligned",
    "n_aligned", "alignment_spread", "min_alpha", "mean_consistency", "min_consistency",
    "max_gap_executive_frontline", "n_flagged_gaps", "oai_change", "oai_decline",
})
OVERALL_WORDS: frozenset[str] = frozenset({
    "band", "weakest_area", "strongest_area", "gap_area", "low_alpha_area", "promise",
    "style", "client_name",
})
#: Numbers shown with two decimals (the rest are whole points or percentages).
TWO_DECIMALS: frozenset[str] = frozenset({"alpha", "min_alpha", "weight"})

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}
Op = Literal["<", "<=", ">", ">=", "==", "!="]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Condition(_Strict):
    """One node of a condition: a comparison, or ``all`` / ``any`` / ``not`` of nodes."""

    metric: str | None = None
    op: Op | None = None
    value: float | None = None
    all_: list[Condition] | None = Field(default=None, alias="all", min_length=1)
    any_: list[Condition] | None = Field(default=None, alias="any", min_length=1)
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [self.metric is not None or self.op is not None or self.value is not None,
                 self.all_ is not None, self.any_ is not None, self.not_ is not None]
        if sum(forms) != 1:
            raise ValueError("a condition is exactly one of {metric, op, value}, {all: [...]}, "
                             "{any: [...]} or {not: {...}}")
        if forms[0] and (self.metric is None or self.op is None or self.value is None):
            raise ValueError("a comparison needs all three keys: metric, op, value")
        return self

    def metrics(self) -> list[tuple[str, str]]:
        """Return ``(key path, metric)`` for every comparison below this node."""
        if self.metric is not None:
            return [("metric", self.metric)]
        out: list[tuple[str, str]] = []
        for key, children in (("all", self.all_), ("any", self.any_)):
            for i, child in enumerate(children or []):
                out += [(f"{key}[{i}].{path}", m) for path, m in child.metrics()]
        if self.not_ is not None:
            out += [(f"not.{path}", m) for path, m in self.not_.metrics()]
        return out


class Rule(_Strict):
    """One playbook rule."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    area: Literal["customer_experience", "management_style", "unique_capabilities",
                  "proven_processes", "cross_cutting"]
    when: Condition
    finding: str = Field(min_length=1)
    action: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    horizon: Literal[30, 60, 90]


class Playbook(_Strict):
    """The validated playbook: a version and its rules, in file order."""

    version: int = 1
    rules: list[Rule] = Field(min_length=1)

    def for_area(self, area: str) -> list[Rule]:
        """Return the rules of one area (or of ``cross_cutting``), in file order."""
        return [r for r in self.rules if r.area == area]


def _placeholders(template: str) -> list[str]:
    """Return the field names of a sentence template (raises ValueError if malformed)."""
    names = []
    for _, field, spec, conv in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conv:
            raise ValueError(f"placeholder {{{field}}} must be a plain name like {{perception}}")
        names.append(field)
    return names


def _semantic_problems(rule: Rule) -> list[str]:
    """Metric and placeholder names that the rule's scope does not know."""
    cross = rule.area == CROSS_CUTTING
    metrics = OVERALL_METRICS if cross else AREA_METRICS
    words = metrics | (OVERALL_WORDS if cross else AREA_WORDS)
    problems = []
    for path, metric in rule.when.metrics():
        if metric not in metrics:
            problems.append(f"key 'when.{path}': unknown metric {metric!r}; "
                            f"metrics are {sorted(metrics)}")
    for key in ("finding", "action"):
        try:
            names = _placeholders(getattr(rule, key))
        except ValueError as exc:
            problems.append(f"key {key!r}: {exc}")
            continue
        problems += [f"key {key!r}: unknown placeholder {{{n}}}; known are {sorted(words)}"
                     for n in names if n not in words]
    return problems


def _key_path(loc: tuple[Any, ...]) -> str:
    """``('when', 'all', 0, 'op')`` -> ``when.all[0].op``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part).rstrip("_")
    return out


def parse_playbook(data: Any, source: str = "playbook") -> Playbook:
    """Validate a playbook given as plain data (as read from YAML).

    Every problem is collected, then one `DefinitionError` names each rule id
    and key at fault.

    Raises
    ------
    DefinitionError
        When the playbook is malformed, a rule id repeats, or a rule uses an
        unknown metric or placeholder.
    """
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise DefinitionError(f"{source}: expected a mapping with a 'rules' list")
    problems: list[str] = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["rules"]):
        rid = raw.get("id", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        try:
            rule = Rule.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                key = _key_path(err["loc"])
                problems.append(f"rule {rid!r}: key {key!r}: {err['msg']}")
            continue
        if rule.id in seen:
            problems.append(f"rule {rid!r}: key 'id': defined twice")
        seen.add(rule.id)
        problems += [f"rule {rid!r}: {p}" for p in _semantic_problems(rule)]
        rules.append(rule)
    if problems:
        raise DefinitionError(f"{source}: {len(problems)} problem{'s' if len(problems) > 1 else ''}\n  "
                              + "\n  ".join(problems))
    return Playbook(version=int(data.get("version", 1)), rules=rules)


def load_playbook(path: Path | str | None = None) -> Playbook:
    """Read and validate the playbook (default: ``templates/playbook.yaml``).

    Examples
    --------
    >>> pb = load_playbook()
    >>> all(len(pb.for_area(a)) >= 3 for a in AREAS)
    True
    """
    path = Path(path) if path is not None else DEFAULT_PLAYBOOK
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"{path}: cannot read the playbook: {exc}") from exc
    return parse_playbook(data, source=str(path))


def _known(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def evaluate(condition: Condition, context: Mapping[str, Any]) -> bool | None:
    """Evaluate a condition against metric values, with unknown for missing values.

    Returns
    -------
    bool or None
        ``True``/``False``, or ``None`` when the answer depends on a metric
        that is absent, NaN or suppressed.

    Examples
    --------
    >>> c = Condition.model_validate({"all": [{"metric": "consistency", "op": "<", "value": 60}]})
    >>> evaluate(c, {"consistency": 41.0}), evaluate(c, {"consistency": float("nan")})
    (True, None)
    """
    if condition.metric is not None:
        x = context.get(condition.metric)
        if not _known(x):
            return None
        return bool(_OPS[condition.op](float(x), float(condition.value)))  # type: ignore[index,arg-type]
    if condition.not_ is not None:
        inner = evaluate(condition.not_, context)
        return None if inner is None else not inner
    results = [evaluate(c, context) for c in (condition.all_ or condition.any_ or [])]
    if condition.all_ is not None:
        return False if False in results else (None if None in results else True)
    return True if True in results else (None if None in results else False)


def format_value(name: str, value: Any) -> str:
    """Format one context value for a sentence: whole numbers, or 2 dp for ratios."""
    if _known(value):
        return f"{value:.2f}" if name in TWO_DECIMALS else f"{value:.0f}"
    return str(value)


def render(template: str, context: Mapping[str, Any]) -> str | None:
    """Fill a sentence template; ``None`` when a placeholder has no showable value."""
    values: dict[str, str] = {}
    for name in _placeholders(template):
        v = context.get(name)
        if v is None or v == "" or (isinstance(v, float) and not math.isfinite(v)):
            return None
        values[name] = format_value(name, v)
    return template.format(**values)


__all__ = ["AREAS", "AREA_METRICS", "CROSS_CUTTING", "Condition", "DEFAULT_PLAYBOOK",
           "OVERALL_METRICS", "Playbook", "Rule", "evaluate", "load_playbook",
           "parse_playbook", "render"]
