"""Where learners work: scratch copies of shipped data, and a mapping tried out on a scratch folder.

Shipped course files are never written: every exercise that edits data works
on a copy made here, in a temporary folder (or a ``scratch_dir`` the notebook
was given as a parameter).
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from toolkit.model import Problem
from toolkit.training.client import CLIENT_ID
from toolkit.training.datasets import BROKEN_ID, SURVEY_EXPORT
from toolkit.training.result import is_unanswered


class DataPaths:
    """The course's data files inside ``self.data_dir`` (shared by the notebooks' paths and the checks)."""

    data_dir: Path

    @property
    def client_dir(self) -> Path:
        """The training client's folder."""
        return self.data_dir / CLIENT_ID

    @property
    def broken_dir(self) -> Path:
        """The deliberately broken copy (never written)."""
        return self.data_dir / BROKEN_ID

    @property
    def survey_export(self) -> Path:
        """The survey tool's export used by the mapping exercise."""
        return self.data_dir / SURVEY_EXPORT


@dataclass(frozen=True)
class CoursePaths(DataPaths):
    """The course's data files, relative to the training folder the notebook was given."""

    training_dir: Path

    @property
    def data_dir(self) -> Path:  # type: ignore[override]
        return self.training_dir / "data"


def course_paths(training_dir: str | Path = ".") -> CoursePaths:
    """Return the course's paths under ``training_dir`` (the ``notebooks/training`` folder)."""
    return CoursePaths(Path(training_dir))


def scratch_folder(scratch_dir: str | Path = "") -> Path:
    """Return ``scratch_dir`` (created) or, when empty, a new temporary folder."""
    if scratch_dir:
        path = Path(scratch_dir)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return Path(tempfile.mkdtemp(prefix="alignment-training-"))


def scratch_copy(folder: str | Path, scratch_dir: str | Path = "") -> Path:
    """Copy a client folder into a scratch folder and return the copy (edit the copy, never the original)."""
    src = Path(folder)
    target = scratch_folder(scratch_dir) / src.name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(src, target)
    return target


def mapping_text(mapping: Any) -> str:
    """A mapping given as a dict or as YAML text, as YAML text."""
    if isinstance(mapping, str):
        return mapping
    return yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True)


def mapping_folder(mapping: Any, client_dir: str | Path, export: str | Path,
                   scratch_dir: str | Path = "") -> Path:
    """Build a scratch client folder: the client's config and operations, the export and the mapping."""
    src = Path(client_dir)
    target = scratch_folder(scratch_dir) / f"{CLIENT_ID}-survey"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("client.yaml", "operations.csv"):
        shutil.copyfile(src / name, target / name)
    shutil.copyfile(export, target / "interviews.csv")
    (target / "mapping.yaml").write_text(mapping_text(mapping), encoding="utf-8")
    return target


def try_mapping(mapping: Any, paths: CoursePaths, scratch_dir: str | Path = "") -> list[Problem]:
    """Validate the survey export under ``mapping`` (dict or YAML text); return every problem found."""
    from toolkit.intake import validate_client

    if is_unanswered(mapping):
        return []
    folder = mapping_folder(mapping, paths.client_dir, paths.survey_export, scratch_dir)
    return validate_client(folder)
