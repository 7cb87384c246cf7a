"""Intake limits: how big a client file may be before the toolkit refuses it, all in one place.

A hostile or broken file must end in a clear problem, never in a crash that
takes a batch down: an XLSX whose only cell sits at ``XFD1048576`` (the reader
would allocate the whole grid), a zip bomb whose sheet expands a thousandfold,
a YAML "billion laughs", a gigabyte-long excerpt. Every limit is generous for
real client data and each problem names the limit and how to raise it:

- in ``client.yaml`` (for everything read after it)::

      limits:
        xlsx_max_cells: 50000000

- or for every client at once, in the environment:
  ``ALIGNMENT_LIMIT_XLSX_MAX_CELLS=50000000`` (the only way for the YAML
  limits, which guard ``client.yaml`` itself).
"""
from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ENV_PREFIX = "ALIGNMENT_LIMIT_"


class Limits(BaseModel):
    """The size limits of one client's intake (``limits:`` in ``client.yaml``).

    Attributes
    ----------
    file_max_mb
        Largest table file (CSV or XLSX, as stored on disk).
    xlsx_max_uncompressed_mb
        Largest total of an XLSX's parts once unzipped (as the zip directory declares).
    xlsx_max_ratio
        Largest compression ratio of one XLSX part above 1 MB unzipped (a zip bomb's mark).
    xlsx_max_cells
        Largest grid a sheet may span, rows times columns of its used range.
    excerpt_max_chars
        Longest excerpt text (one cell of ``excerpts``).
    yaml_max_kb
        Largest ``client.yaml`` / ``mapping.yaml`` (environment only).
    yaml_max_nodes
        Most values a YAML file may hold once its aliases are expanded (environment only).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    file_max_mb: float = Field(default=500, gt=0)
    xlsx_max_uncompressed_mb: float = Field(default=500, gt=0)
    xlsx_max_ratio: float = Field(default=100, gt=1)
    xlsx_max_cells: int = Field(default=10_000_000, gt=0)
    excerpt_max_chars: int = Field(default=20_000, gt=0)
    yaml_max_kb: float = Field(default=1024, gt=0)
    yaml_max_nodes: int = Field(default=100_000, gt=0)


#: Limits only the environment can raise: they guard the file that could set them.
ENV_ONLY = frozenset({"yaml_max_kb", "yaml_max_nodes"})

_active: contextvars.ContextVar[list[Limits] | None] = contextvars.ContextVar("alignment_limits", default=None)


def env_limits() -> Limits:
    """Return the defaults overridden by ``ALIGNMENT_LIMIT_<NAME>`` variables (bad values ignored)."""
    values: dict[str, Any] = {}
    for name in Limits.model_fields:
        text = os.environ.get(ENV_PREFIX + name.upper())
        if text:
            values[name] = text
    try:
        return Limits.model_validate(values)
    except ValidationError:
        return Limits()


def client_limits(raw: Any) -> Limits:
    """Return the environment's limits overridden by a ``client.yaml``'s ``limits:`` mapping.

    The raw mapping is used leniently (a bad value keeps the default; the schema
    check of ``client.yaml`` reports it), so limits apply even to an invalid config.
    """
    base = env_limits()
    block = raw.get("limits") if isinstance(raw, dict) else None
    if not isinstance(block, dict):
        return base
    values = base.model_dump()
    for name, value in block.items():
        if name in values and name not in ENV_ONLY:
            try:
                values = Limits.model_validate({**values, name: value}).model_dump()
            except ValidationError:
                pass
    return Limits.model_validate(values)


def current() -> Limits:
    """Return the limits in force: the innermost `limits_scope`'s, else the environment's."""
    holder = _active.get()
    return holder[0] if holder else env_limits()


@contextmanager
def limits_scope(limits: Limits | None = None) -> Iterator[None]:
    """Open a scope whose limits `apply_limits` may set later (one client's validation)."""
    token = _active.set([limits or env_limits()])
    try:
        yield
    finally:
        _active.reset(token)


def apply_limits(limits: Limits) -> None:
    """Make ``limits`` the ones in force for the rest of the current `limits_scope` (no-op outside one)."""
    holder = _active.get()
    if holder:
        holder[0] = limits


def how_to_raise(name: str, value: object) -> str:
    """Return the sentence telling a user how to raise limit ``name`` (now ``value``).

    Examples
    --------
    >>> how_to_raise("yaml_max_kb", 1024)
    'the limit is yaml_max_kb = 1024; raise it with ALIGNMENT_LIMIT_YAML_MAX_KB=<value> in the environment'
    """
    env = f"{ENV_PREFIX}{name.upper()}=<value> in the environment"
    if name in ENV_ONLY:
        return f"the limit is {name} = {value}; raise it with {env}"
    return f"the limit is {name} = {value}; raise it with 'limits: {{{name}: <value>}}' in client.yaml or {env}"
