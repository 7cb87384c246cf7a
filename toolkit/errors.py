"""The toolkit's exceptions: one base class, a few precise subclasses.

Errors in the *client's* data (`ClientDataError`) are kept apart from errors in
*our own* definitions (`DefinitionError`: question bank, playbook, templates),
and from a notebook run that failed (`RunError`).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.model import Problem


class AlignmentError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class ClientDataError(AlignmentError):
    """The client's data (or parameters) failed validation.

    Parameters
    ----------
    problems
        Every problem found, each naming file, row, column, found and expected.
    """

    def __init__(self, problems: Sequence[Problem], title: str = "invalid client data") -> None:
        self.problems = list(problems)
        self.title = title
        super().__init__(self.render())

    def render(self) -> str:
        """Return the problems grouped by file, as a person reads them."""
        from toolkit.model import format_problems

        return format_problems(self.problems, title=self.title)


class OutputError(AlignmentError):
    """The output folder cannot be written (read-only, missing permission): a bad ``--out``."""


class DefinitionError(AlignmentError):
    """One of the firm's own definitions (question bank, playbook, template) is wrong."""


class RunError(AlignmentError):
    """Executing the assessment notebook for a client failed.

    Parameters
    ----------
    message
        What went wrong, in one line.
    notebook
        Where the partially executed notebook was kept, to open at the failing cell.
    cell_index
        Index of the failing cell (0-based), when known.
    ename
        Name of the exception raised inside the kernel.
    """

    def __init__(self, message: str, *, notebook: Path | None = None,
                 cell_index: int | None = None, ename: str | None = None) -> None:
        self.notebook = notebook
        self.cell_index = cell_index
        self.ename = ename
        super().__init__(message)
