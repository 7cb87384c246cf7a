"""`alignment course start`: a learner's workspace with the exercises and data, never the answers.

The repository's ``notebooks/training/`` holds what a trainer needs too: the
filled-in ``solutions/`` and ``TRAINER_GUIDE.md`` (what is planted in the
data). A learner works in a copy made here, which holds only the numbered
exercise notebooks, the course data and the method page. Trainers keep the
whole folder (``make lab``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from toolkit.errors import AlignmentError
from toolkit.run import resources

COURSE_DIR = resources.course_dir()
METHOD_PAGE = resources.method_page()
#: The method page as the course notebooks link it from notebooks/training/, and in a workspace.
REPO_LINK, WORKSPACE_LINK = "../../docs/method.md", "method.md"
#: Names that never enter a learner's workspace.
TRAINER_ONLY = ("solutions", "TRAINER_GUIDE.md", "build_notebooks.py")

README = """# Operational alignment course: your workspace

Open the notebooks in order, starting with `01-what-is-alignment.ipynb`:

    jupyter lab {folder}

Each exercise ends with `training.check("<id>", answer)`, which tells you whether your answer is right and, when
it is not, which slip it recognises. Questions marked **Discuss** or **Why** have a cell for your answer and a
model answer folded underneath: write yours first. The method is in `method.md`. The data in `data/` is a
synthetic client; the notebooks never change it (exercises that edit data work on scratch copies).
"""


class WorkspaceExistsError(AlignmentError, FileExistsError):
    """The target folder already holds files; a workspace is never written over someone's work."""


def start_course(target: str | Path, *, course_dir: str | Path = COURSE_DIR) -> Path:
    """Create a learner's workspace at ``target`` and return it.

    Parameters
    ----------
    target
        A new or empty folder.
    course_dir
        The course folder to copy from (default: this repository's ``notebooks/training``).

    Returns
    -------
    Path
        ``target``, holding ``NN-*.ipynb``, ``data/``, ``method.md`` and ``README.md``; no solutions, no
        trainer guide.

    Raises
    ------
    WorkspaceExistsError
        ``target`` exists and is not empty.
    """
    src, dest = Path(course_dir), Path(target)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise WorkspaceExistsError(f"{dest} already exists and is not empty; choose a new folder "
                                   "(your answers in an existing workspace are never overwritten)")
    notebooks = sorted(src.glob("[0-9][0-9]-*.ipynb"))
    if not notebooks or not (src / "data").is_dir():
        raise AlignmentError(f"{src} holds no course (numbered notebooks and data/ expected)")
    dest.mkdir(parents=True, exist_ok=True)
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = cell.source.replace(REPO_LINK, WORKSPACE_LINK)
        nbformat.write(nb, dest / path.name)
    shutil.copytree(src / "data", dest / "data",
                    ignore=shutil.ignore_patterns(*TRAINER_ONLY, "__pycache__", ".ipynb_checkpoints"))
    shutil.copyfile(METHOD_PAGE, dest / WORKSPACE_LINK)
    (dest / "README.md").write_text(README.format(folder=dest), encoding="utf-8")
    return dest
