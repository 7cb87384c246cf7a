"""Find the files an offline deck inlines: reveal.js, its notes plugin, our theme.

reveal.js is never committed to this repository: its ``dist`` files come from
an installed package at build time. The PyPI package ``sphinx-revealjs`` ships
reveal.js 5.x under ``sphinx_revealjs/_static/revealjs``. reveal.js 4.x and 5.x
work with the deck template; 6.x moved the notes plugin and is refused.

Every reader is cached (``functools.lru_cache``) so that a batch exporting many
decks in one process reads each file from disk once.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import re
from pathlib import Path

from toolkit.errors import DefinitionError
from toolkit.run import resources

#: Environment variable naming a reveal.js folder (one holding ``dist/reveal.js``).
REVEAL_ENV = "ALIGNMENT_REVEAL_DIR"

#: Major versions of reveal.js the template is known to work with.
SUPPORTED_REVEAL_MAJORS = (4, 5)

_SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.MULTILINE)
_VERSION = re.compile(r"reveal\.js (\d+)\.(\d+)\.(\d+)")


def default_template_dir() -> Path:
    """Return the deck template folder shipped with the repository (``templates/deck``)."""
    return resources.template("deck")


@functools.cache
def reveal_dir() -> Path:
    """Return the folder of an installed reveal.js (the one holding ``dist/``).

    Looks at ``$ALIGNMENT_REVEAL_DIR`` first, then inside the installed
    ``sphinx_revealjs`` package.

    Returns
    -------
    Path
        A folder with ``dist/reveal.js``, ``dist/reveal.css`` and
        ``plugin/notes/notes.js``.

    Raises
    ------
    DefinitionError
        When no reveal.js is found, or its version is not 4.x or 5.x.
    """
    candidates: list[Path] = []
    env = os.environ.get(REVEAL_ENV)
    if env:
        candidates.append(Path(env))
    spec = importlib.util.find_spec("sphinx_revealjs")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidates.append(Path(location) / "_static" / "revealjs")
    for folder in candidates:
        if (folder / "dist" / "reveal.js").is_file():
            _check_version(folder)
            return folder
    raise DefinitionError(
        "reveal.js not found: install the Python package 'sphinx-revealjs' "
        f"or set {REVEAL_ENV} to a reveal.js 5.x folder"
    )


def _check_version(folder: Path) -> None:
    head = (folder / "dist" / "reveal.js").read_text(encoding="utf-8", errors="replace")[:400]
    match = _VERSION.search(head)
    if match is None:
        return  # an unmarked build: trust it, the browser tests will tell
    major = int(match.group(1))
    if major not in SUPPORTED_REVEAL_MAJORS:
        raise DefinitionError(
            f"reveal.js {match.group(0).split()[-1]} in {folder} is not supported; "
            f"the deck template needs reveal.js {' or '.join(f'{m}.x' for m in SUPPORTED_REVEAL_MAJORS)}"
        )


def reveal_version() -> str:
    """Return the version of the reveal.js that decks inline (e.g. ``'5.2.0'``)."""
    match = _VERSION.search(reveal_js()[:400])
    return ".".join(match.groups()) if match else "unknown"


def _read_inline(path: Path, closing_tag: str) -> str:
    """Read a text asset for inlining: drop source-map links, refuse a closing tag."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(f"cannot read deck asset {path}: {exc.strerror}") from exc
    text = _SOURCE_MAP.sub("", text)
    if closing_tag in text.lower():
        raise DefinitionError(f"deck asset {path} contains '{closing_tag}' and cannot be inlined")
    return text


@functools.cache
def reveal_js() -> str:
    """Return the UMD build of reveal.js (``dist/reveal.js``), ready to inline."""
    return _read_inline(reveal_dir() / "dist" / "reveal.js", "</script")


@functools.cache
def reveal_css() -> str:
    """Return reveal.js's core stylesheet (``dist/reveal.css``, no theme), ready to inline."""
    return _read_inline(reveal_dir() / "dist" / "reveal.css", "</style")


@functools.cache
def notes_js() -> str:
    """Return the speaker-notes plugin (``plugin/notes/notes.js``), ready to inline."""
    return _read_inline(reveal_dir() / "plugin" / "notes" / "notes.js", "</script")


@functools.cache
def theme_css(template_dir: Path | None = None) -> str:
    """Return the house theme (``theme.css`` of the deck template), ready to inline.

    Parameters
    ----------
    template_dir
        Deck template folder; default :func:`default_template_dir`.
    """
    folder = template_dir or default_template_dir()
    return _read_inline(folder / "theme.css", "</style")
