"""Reading YAML files (``client.yaml``, ``mapping.yaml``) into pydantic models, with problems.

The schema lives in the models (`toolkit.client_config.ClientConfig`,
`toolkit.intake.mapping.Mapping`); this module only reads the YAML and turns
pydantic's errors into `Problem`s whose column is the key path
(``kpis[2].target``, 0-based like Python), whose row is the YAML line, and
whose message says what was expected and found (``expected a number, found
'tbd'``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from toolkit.client_config import ClientConfig
from toolkit.intake.files import display_path
from toolkit.intake.problems import ProblemLog, show_value
from toolkit.intake.safe_yaml import YamlLimitError, check_size, safe_load

M = TypeVar("M", bound=BaseModel)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster

_EXPECTED = {
    "float_parsing": "a number", "float_type": "a number", "int_parsing": "a whole number",
    "int_type": "a whole number", "int_from_float": "a whole number",
    "bool_parsing": "true or false", "bool_type": "true or false",
    "string_type": "text", "list_type": "a list", "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values", "model_attributes_type": "a mapping of keys to values",
    "missing": "this key (it is required)", "extra_forbidden": "no such key (it is not part of the schema)",
}


def key_path(loc: tuple[Any, ...]) -> str:
    """Return a pydantic error location as a key path.

    Examples
    --------
    >>> key_path(("kpis", 2, "target"))
    'kpis[2].target'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _expected(err: ErrorDetails) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind == "literal_error":
        return "one of " + str(ctx.get("expected", "")).replace(" or ", ", ")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        return f"a number {op} {bound:g}" if isinstance(bound, (int, float)) else f"a value {op} {bound}"
    if kind == "string_too_short":
        return "non-empty text"
    if kind == "string_pattern_mismatch":
        return f"text matching {ctx.get('pattern')}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"].rstrip(".").replace("Input should be ", "")


def pydantic_problems(exc: ValidationError, file: str, log_: ProblemLog, lines: dict[str, int],
                      reason: str = "invalid_config") -> None:
    """Record one problem per pydantic error, column = key path, row = YAML line."""
    for err in exc.errors():
        path = key_path(err["loc"])
        expected = _expected(err)
        if err["type"] == "value_error":
            message = expected
            found = None
        elif err["type"] == "missing":
            message = f"required key {path!r} is missing"
            found = None
        elif err["type"] == "extra_forbidden":
            message = f"unknown key {path!r}: it is not part of the schema (check its spelling)"
            found = path
        else:
            found = err.get("input")
            message = f"expected {expected}, found {show_value(found)}"
        parent = path.rsplit(".", 1)[0] if err["type"] == "missing" and "." in path else path
        log_.add(file, reason, message, row=lines.get(path, lines.get(parent)), column=path or None,
                 found=None if isinstance(found, (dict, list)) else found, expected=expected)


def yaml_lines(text: str) -> dict[str, int]:
    """Return ``{key path: 1-based line}`` for every key and list item of a YAML document."""
    out: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return out

    def walk(node: yaml.Node, path: str) -> None:
        out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                sub = f"{path}.{k.value}" if path else str(k.value)
                out[sub] = k.start_mark.line + 1
                walk(v, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, f"{path}[{i}]")

    if root is not None:
        walk(root, "")
    return out


def read_yaml(path: Path, root: Path, log_: ProblemLog, *, reason: str) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """Read a YAML mapping; record ``reason`` problems for bad syntax or a non-mapping."""
    file = display_path(path, root)
    try:
        check_size(path.stat().st_size)  # before reading: a huge file is never loaded
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        log_.add(file, "unreadable_file", f"cannot read the file: {exc}")
        return None, {}
    except YamlLimitError as exc:
        log_.add(file, "yaml_too_large", str(exc), found=exc.found, expected=exc.expected)
        return None, {}
    if not text.strip():
        log_.add(file, "empty_file", "the file is empty; expected YAML keys")
        return None, {}
    try:
        data = safe_load(text)  # aliases expanded within limits, then the safe loader
    except YamlLimitError as exc:
        log_.add(file, "yaml_too_large", str(exc), found=exc.found, expected=exc.expected)
        return None, {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        log_.add(file, reason, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                 row=None if mark is None else mark.line + 1, expected="valid YAML")
        return None, {}
    if not isinstance(data, dict):
        log_.add(file, reason, f"expected a mapping of keys to values, found {type(data).__name__}",
                 expected="a mapping of keys to values", found=type(data).__name__)
        return None, {}
    return data, yaml_lines(text)


def validate_model(model: type[M], data: dict[str, Any], file: str, log_: ProblemLog,
                   lines: dict[str, int], *, reason: str) -> M | None:
    """Validate ``data`` against ``model``; record problems and return None when invalid."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        pydantic_problems(exc, file, log_, lines, reason=reason)
        return None


def load_config(root: Path, folder: Path, log_: ProblemLog) -> tuple[ClientConfig | None, dict[str, Any]]:
    """Read and validate ``<folder>/client.yaml``.

    Returns
    -------
    config, raw
        The validated config (None when invalid) and the raw mapping (``{}``
        when unreadable), from which later checks take what they can, so one
        bad key does not hide problems elsewhere.
    """
    path = folder / "client.yaml"
    if not path.is_file():
        log_.add(display_path(path, root), "missing_file", "client.yaml is missing; every client folder needs one",
                 expected="client.yaml")
        return None, {}
    data, lines = read_yaml(path, root, log_, reason="invalid_config")
    if data is None:
        return None, {}
    config = validate_model(ClientConfig, data, display_path(path, root), log_, lines, reason="invalid_config")
    if config is not None:
        _check_window(config, display_path(path, root), log_, lines)
    _check_placeholders(data, display_path(path, root), log_, lines)
    return config, data


def _check_placeholders(data: Any, file: str, log_: ProblemLog, lines: dict[str, int], path: str = "") -> None:
    """Warn about text still holding a ``TODO`` placeholder (`alignment new-client` writes some).

    Only a warning, so that a draft can be validated, but the text would go
    straight onto the client's deck.
    """
    if isinstance(data, dict):
        for key, value in data.items():
            _check_placeholders(value, file, log_, lines, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _check_placeholders(value, file, log_, lines, f"{path}[{i}]")
    elif isinstance(data, str) and "TODO" in data:
        log_.add(file, "placeholder_text", f"{path} still holds placeholder text ({data!r}); it would appear "
                 "on the client's deck as written", row=lines.get(path), column=path, found=data,
                 expected="the client's own words", severity="warning")


def _check_window(config: ClientConfig, file: str, log_: ProblemLog, lines: dict[str, int]) -> None:
    """The assessment window's bounds must be periods the operations file can use."""
    from toolkit.intake.periods import PERIOD_EXPECTED, parse_period

    for key in ("start", "end"):
        value = getattr(config.assessment_window, key)
        path = f"assessment_window.{key}"
        if value is not None and parse_period(value) is None:
            log_.add(file, "bad_period", f"expected {PERIOD_EXPECTED}, found {value!r}", row=lines.get(path),
                     column=path, found=value, expected=PERIOD_EXPECTED)
