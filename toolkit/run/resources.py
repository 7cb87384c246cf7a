"""Where the shipped files are: templates, notebooks and the method page (one home for the paths).

`templates/`, `notebooks/` and `docs/` sit at the top of the repository (DESIGN 5)
and ship inside the wheel as the packages ``toolkit.templates``,
``toolkit.notebooks`` and ``toolkit.docs`` (``pyproject.toml`` maps them), so a
regular ``pip install .`` has them as well as an editable install. Every path
to a shipped file is built here with `importlib.resources`, never from
``__file__``.
"""
from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

__all__ = ["templates_dir", "template", "notebooks_dir", "notebook", "assessment_notebook",
           "course_dir", "method_page", "question_bank_path", "package_dir", "source_root"]


@cache
def _folder(package: str) -> Path:
    """The folder of a data package as a real path (papermill and nbconvert need files on disk)."""
    found = files(package)
    if not isinstance(found, Path):  # pragma: no cover - a zipped install
        raise RuntimeError(f"{package} is not installed as files on disk ({found!r}); install the "
                           "toolkit as a regular or editable package, not zipped")
    return found


def package_dir() -> Path:
    """The ``toolkit`` package folder (its ``.py`` files are part of every report's fingerprint)."""
    return _folder("toolkit")


def templates_dir() -> Path:
    """The ``templates/`` folder: question bank, playbook, norms, summary schema, deck template."""
    return _folder("toolkit.templates")


def template(*parts: str) -> Path:
    """A file under ``templates/``, e.g. ``template("deck", "firm.yaml")``."""
    return templates_dir().joinpath(*parts)


def question_bank_path() -> Path:
    """The firm's question bank, ``templates/question_bank.csv``."""
    return template("question_bank.csv")


def notebooks_dir() -> Path:
    """The ``notebooks/`` folder (assessment, explorer, training course)."""
    return _folder("toolkit.notebooks")


def notebook(*parts: str) -> Path:
    """A file under ``notebooks/``."""
    return notebooks_dir().joinpath(*parts)


def assessment_notebook() -> Path:
    """The notebook a report executes, ``notebooks/assessment.ipynb``."""
    return notebook("assessment.ipynb")


def course_dir() -> Path:
    """The training course, ``notebooks/training``."""
    return notebook("training")


def method_page() -> Path:
    """The method page, ``docs/method.md`` (the course copies it into a learner's workspace)."""
    return _folder("toolkit.docs") / "method.md"


@cache
def source_root() -> Path | None:
    """The repository folder when the toolkit runs from a source checkout, else None.

    A relative client folder such as ``client_data/harbor-concierge`` is found
    here when it is not found from the current folder (a notebook's kernel runs
    in ``notebooks/``).
    """
    root = package_dir().parent
    return root if (root / "pyproject.toml").is_file() and (root / "client_data").is_dir() else None


def resolve_client_dir(client_dir: str | Path) -> Path:
    """Resolve a client folder given absolute, relative to the cwd, or relative to the repository."""
    path = Path(client_dir)
    if path.is_absolute() or path.exists():
        return path.resolve()
    root = source_root()
    return (root / path).resolve() if root is not None else path.resolve()
