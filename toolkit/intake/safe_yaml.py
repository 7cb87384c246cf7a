"""YAML read with limits: size, nesting depth and values once aliases are expanded.

A YAML file can name a value (``&a``) and repeat it (``*a``); nine lines
that each repeat the previous one nine times make a "billion laughs": 400
bytes that expand to 387 million values, which takes a minute and gigabytes
before any schema check can look at them. So the event stream is measured
first, without building anything: every value counts once per place it
appears once aliases are expanded. Files that pass are then loaded with the
safe loader as before.
"""
from __future__ import annotations

from typing import Any

import yaml

from toolkit.run.limits import Limits, current, how_to_raise

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster
MAX_DEPTH = 100  # nesting deeper than any real configuration (a bomb of brackets otherwise)


class YamlLimitError(ValueError):
    """A YAML file is larger than the limits allow; the message names the limit and how to raise it.

    Attributes
    ----------
    found, expected
        What was measured and what the limit allows, for a `Problem`.
    """

    def __init__(self, message: str, *, found: str, expected: str) -> None:
        super().__init__(message)
        self.found = found
        self.expected = expected


def check_size(n_bytes: int, limits: Limits | None = None) -> None:
    """Raise `YamlLimitError` when a YAML file of ``n_bytes`` is over ``yaml_max_kb``."""
    limits = limits or current()
    if n_bytes > limits.yaml_max_kb * 1024:
        raise YamlLimitError(f"the file is {n_bytes / 1024:,.0f} KB, more than a configuration needs; "
                             f"{how_to_raise('yaml_max_kb', limits.yaml_max_kb)}",
                             found=f"{n_bytes / 1024:,.0f} KB", expected=f"at most {limits.yaml_max_kb:g} KB")


def expanded_size(text: str, limits: Limits | None = None) -> int:
    """Return how many values ``text`` holds once every alias is expanded.

    Measured from the parser's events (nothing is built), stopping as soon as
    a limit is passed.

    Raises
    ------
    YamlLimitError
        More than ``yaml_max_nodes`` values, or nesting deeper than `MAX_DEPTH`.
    yaml.YAMLError
        The text is not valid YAML.

    Examples
    --------
    >>> expanded_size("a: &x [1, 2]\\nb: *x\\n")  # the mapping, two keys, two lists of two
    9
    """
    limits = limits or current()
    anchors: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # per open collection: its anchor, values so far
    total = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            size = anchors.get(event.anchor, 1) if event.anchor is not None else 1
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor:
                anchors[event.anchor] = 1
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([event.anchor, 1])
            if len(stack) > MAX_DEPTH:
                raise YamlLimitError(f"values are nested more than {MAX_DEPTH} levels deep; a configuration "
                                     "needs a few levels: check the brackets and indentation",
                                     found=f"over {MAX_DEPTH} levels", expected=f"at most {MAX_DEPTH} levels")
            continue
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = stack.pop()
            if anchor:
                anchors[anchor] = size
        else:
            continue
        stack[-1][1] += size
        total = stack[0][1] + sum(s for _, s in stack[1:])
        if total > limits.yaml_max_nodes:
            raise YamlLimitError(
                f"the file expands to more than {limits.yaml_max_nodes:,} values once its aliases (*name) "
                f"are expanded (a 'billion laughs'?); write the values out instead of repeating aliases; "
                f"{how_to_raise('yaml_max_nodes', limits.yaml_max_nodes)}",
                found=f"over {limits.yaml_max_nodes:,} values", expected=f"at most {limits.yaml_max_nodes:,} values")
    return int(stack[0][1])


def safe_load(text: str, limits: Limits | None = None) -> Any:
    """Load YAML with the safe loader once `expanded_size` is within the limits.

    Raises
    ------
    YamlLimitError
        Over a limit (size, depth, expanded values).
    yaml.YAMLError
        Not valid YAML.
    """
    check_size(len(text.encode("utf-8")), limits)
    expanded_size(text, limits)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
