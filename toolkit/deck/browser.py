"""Find and launch the system Chromium that renders decks to PDF.

Playwright's own browser download is not used: the Debian ``chromium`` package
(or any Chromium named by ``$ALIGNMENT_CHROMIUM``) is launched through
``executable_path`` with flags that keep it quiet on a closed network.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import AlignmentError

if TYPE_CHECKING:  # pragma: no cover
    from playwright.sync_api import Browser

#: Environment variable naming the Chromium executable to use.
CHROMIUM_ENV = "ALIGNMENT_CHROMIUM"

#: Executable names looked up on PATH, in order.
CHROMIUM_NAMES = ("chromium", "chromium-browser")

#: Flags for a headless Chromium that makes no background requests.
CHROMIUM_ARGS = (
    "--no-sandbox",  # needed as root (containers, CI)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
)


class BrowserNotFound(AlignmentError):
    """No Chromium was found, so no PDF can be made."""

    def __init__(self, detail: str = "") -> None:
        message = ("no Chromium found to make PDFs: run 'apt-get install chromium' "
                   f"or set {CHROMIUM_ENV} to a Chromium executable")
        super().__init__(message + (f" ({detail})" if detail else ""))


def find_chromium() -> str | None:
    """Return the path of the Chromium to use, or None when there is none.

    ``$ALIGNMENT_CHROMIUM`` wins when it names an existing file; otherwise
    ``chromium`` then ``chromium-browser`` are looked up on ``PATH``.

    Returns
    -------
    str or None
        An executable path.
    """
    env = os.environ.get(CHROMIUM_ENV)
    if env:
        candidate = Path(env).expanduser()
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
        found = shutil.which(env)
        if found:
            return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def resolve_chromium(chromium: str | None = None) -> str:
    """Return ``chromium`` when it exists, else :func:`find_chromium`'s answer.

    Raises
    ------
    BrowserNotFound
        When neither gives an executable.
    """
    if chromium:
        if Path(chromium).is_file():
            return chromium
        found = shutil.which(chromium)
        if found:
            return found
        raise BrowserNotFound(f"{chromium!r} does not exist")
    found = find_chromium()
    if found is None:
        raise BrowserNotFound()
    return found


@contextlib.contextmanager
def launch_chromium(chromium: str | None = None, *, timeout_s: float = 60) -> Iterator[Browser]:
    """Launch a headless system Chromium under Playwright; close it on exit.

    Parameters
    ----------
    chromium
        Executable path; default :func:`find_chromium`.
    timeout_s
        Launch timeout in seconds.

    Yields
    ------
    playwright.sync_api.Browser
        The running browser (Playwright gives it a fresh throw-away profile).

    Raises
    ------
    BrowserNotFound
        When no Chromium is found.
    """
    executable = resolve_chromium(chromium)
    from playwright.sync_api import sync_playwright

    # Playwright's launch() already gives every browser a fresh temporary profile.
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True,
                                     args=list(CHROMIUM_ARGS), timeout=timeout_s * 1000)
        try:
            yield browser
        finally:
            browser.close()
