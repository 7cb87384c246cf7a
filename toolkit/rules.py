"""The toolkit's rules, each written once: ids, default thresholds and exit codes.

Every module that checks a client id or a wave name, falls back on the
default group size or sets an exit code imports it from here (reason codes
of data problems are `toolkit.reasons.Reason`).
"""
from __future__ import annotations

import re
from enum import IntEnum

__all__ = ["CLIENT_ID", "CLIENT_ID_PATTERN", "WAVE_ID", "WAVE_ID_PATTERN", "MIN_GROUP_SIZE", "MIN_QUOTE_GROUP",
           "ExitCode", "is_client_id", "is_wave_id"]

#: A client id, which is also the client's folder name: lower-case letters, digits and hyphens.
CLIENT_ID = r"^[a-z0-9][a-z0-9-]*$"
CLIENT_ID_PATTERN = re.compile(CLIENT_ID)

#: A wave name, which is also a folder name under ``waves/``: letters, digits, ``_`` and ``-``,
#: dot-separated parts, starting with a letter or digit (so never ``..``, never a path separator).
WAVE_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$"
WAVE_ID_PATTERN = re.compile(WAVE_ID)

#: Fewest respondents behind any shown aggregate (DESIGN 2.2); ``privacy.min_group_size`` in client.yaml.
MIN_GROUP_SIZE = 3
#: Fewest distinct respondents behind a shown quote's group; ``privacy.min_quote_group``.
MIN_QUOTE_GROUP = 5


def is_client_id(text: object) -> bool:
    """Tell whether ``text`` is a valid client id.

    Examples
    --------
    >>> is_client_id("acme-foods"), is_client_id("Acme"), is_client_id("-x")
    (True, False, False)
    """
    return isinstance(text, str) and CLIENT_ID_PATTERN.fullmatch(text) is not None


def is_wave_id(text: object) -> bool:
    """Tell whether ``text`` is a valid wave name.

    Examples
    --------
    >>> is_wave_id("2025-Q4"), is_wave_id("v1.2"), is_wave_id("a..b"), is_wave_id("../x")
    (True, True, False, False)
    """
    return isinstance(text, str) and WAVE_ID_PATTERN.fullmatch(text) is not None


class ExitCode(IntEnum):
    """Exit codes of the ``alignment`` command (interrupts: 128 + the signal, `toolkit.run.interrupts`)."""

    OK = 0
    """Everything asked for was done."""
    FAILED = 1
    """A run failed (a notebook cell, an export, a client of a batch)."""
    INVALID = 2
    """Bad data, parameters or options: nothing was started."""
