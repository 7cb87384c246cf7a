"""One pass over a client folder: every file read, mapped and checked, every problem kept.

`collect` is the single place that knows the folder contract (DESIGN 3);
`toolkit.intake.validate_client` and `load_client` are thin views of it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.client_config import ClientConfig
from toolkit.intake.excerpts import EMPTY_EXCERPTS, read_excerpts, read_roster
from toolkit.intake.files import display_path, find_table, read_table
from toolkit.intake.mapcheck import check_interview_keys, check_operations_fit, check_respondent_key
from toolkit.intake.mapping import load_mapping
from toolkit.intake.operations import EMPTY_OPERATIONS, read_operations
from toolkit.intake.problems import ProblemLog
from toolkit.intake.questions import BANK, UNUSED_AREA, check_questions, drop_unused, load_question_bank
from toolkit.intake.ratings import read_ratings
from toolkit.intake.read_config import load_config
from toolkit.intake.safe_paths import SAFE_WAVE, check_links, check_wave_folders
from toolkit.intake.safe_text import check_text_lengths
from toolkit.model import AREA, DEFAULT_SCALE, QUESTION, VALUE, RatingScale
from toolkit.rules import CLIENT_ID_PATTERN, MIN_GROUP_SIZE
from toolkit.run.limits import apply_limits, client_limits, limits_scope

log = logging.getLogger("toolkit")

SAFE_ID = CLIENT_ID_PATTERN


@dataclass
class Collected:
    """Everything one validation pass produced (frames are None where unusable)."""

    client_id: str
    root: Path
    folder: Path
    log: ProblemLog
    config: ClientConfig | None = None
    questions: pd.DataFrame | None = None
    ratings: pd.DataFrame | None = None
    excerpts: pd.DataFrame | None = None
    operations: pd.DataFrame | None = None
    roster: list[str] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)
    scale: RatingScale = DEFAULT_SCALE


def wave_folder(root: Path, wave: str | None, raw_config: dict[str, Any] | None = None) -> Path:
    """Return the folder holding ``wave``: the client folder itself or ``waves/<wave>``."""
    if wave is None:
        return root
    current = (raw_config or {}).get("wave")
    if current is not None and str(current) == wave:
        return root
    return root / "waves" / wave


def _one_table(folder: Path, root: Path, stem: str, log_: ProblemLog, *, required: bool) -> Path | None:
    found = find_table(folder, stem)
    if len(found) > 1:
        log_.add(display_path(found[0], root), "unreadable_file",
                 f"both {stem}.csv and {stem}.xlsx exist; keep exactly one", expected=f"one {stem} file")
        return None
    if not found:
        if required:
            log_.add(display_path(folder / f"{stem}.csv", root), "missing_file",
                     f"{stem}.csv or {stem}.xlsx is missing", expected=f"{stem}.csv or {stem}.xlsx")
        return None
    return found[0]


def collect(path: str | Path, wave: str | None = None) -> Collected:
    """Read and check every file of one client (and wave); never raises for bad client data.

    Size limits (`toolkit.run.limits`) come from the environment and the client's
    ``limits:`` in ``client.yaml``.

    Raises
    ------
    DefinitionError
        When the firm's own question bank is broken (not the client's fault).
    """
    with limits_scope():
        return _collect(path, wave)


def _collect(path: str | Path, wave: str | None) -> Collected:
    root = Path(path)
    client_id = root.resolve().name
    log_ = ProblemLog()
    out = Collected(client_id=client_id, root=root, folder=root, log=log_)
    if not SAFE_ID.fullmatch(client_id):
        log_.add(client_id, "unsafe_client_id",
                 f"client folder name {client_id!r} is not a safe id; expected lower-case letters, digits "
                 "and hyphens, starting with a letter or digit", found=client_id,
                 expected="a slug like 'acme-retail'")
    if not root.is_dir():
        log_.add(root.as_posix(), "missing_file", "the client folder does not exist", expected="a folder")
        return out
    if not check_links(root, log_, client_id):
        return out  # nothing is read through a link that leaves the client folder
    check_wave_folders(root, log_, client_id)
    if wave is not None and not SAFE_WAVE.fullmatch(wave):
        log_.add(client_id, "unsafe_wave", f"wave {wave!r} is not a safe wave name; expected letters, digits, "
                 "'.', '_' or '-', starting with a letter or digit", found=wave, expected="a wave like '2025-Q4'")
        return out
    if wave is not None and wave_folder(root, wave) != root:
        _, raw_root = load_config(root, root, ProblemLog())
        out.folder = wave_folder(root, wave, raw_root)
        if not out.folder.is_dir():
            log_.add(display_path(out.folder, root), "missing_file", f"wave {wave!r} has no folder",
                     found=wave, expected="waves/<wave>/ with the client files")
            return out
    folder = out.folder

    config, raw = load_config(root, folder, log_)
    out.config = config
    apply_limits(client_limits(raw))
    kpi_ids = ([k.id for k in config.kpis] if config is not None else _raw_kpi_ids(raw))
    min_group = config.privacy.min_group_size if config is not None else MIN_GROUP_SIZE
    mapping = load_mapping(folder, root, log_)

    questions_path = folder / "questions.csv"
    if questions_path.is_file():
        out.questions = check_questions(questions_path, root, log_)
        out.sources["questions"] = questions_path
    else:
        with limits_scope():  # the firm's own bank: the client's limits are not for it
            out.questions = load_question_bank(BANK)
    question_ids = [] if out.questions is None else out.questions[QUESTION].tolist()
    unused: list[str] = []
    if out.questions is not None:
        unused = out.questions.loc[out.questions[AREA] == UNUSED_AREA, QUESTION].tolist()
        out.questions = out.questions.loc[out.questions[AREA] != UNUSED_AREA].reset_index(drop=True)

    interviews = _one_table(folder, root, "interviews", log_, required=True)
    if interviews is not None and mapping is not None:
        out.sources["interviews"] = interviews
        m = mapping.interviews
        table = read_table(interviews, root, log_, skip_rows=m.skip_rows, sheet=m.sheet, default_sheet="Interviews",
                           encoding=m.encoding)
        if table is not None and out.questions is not None and check_interview_keys(table.frame, mapping, log_):
            result = read_ratings(table, m, question_ids, log_, min_group_size=min_group, root_mapping=mapping)
            if result is not None:
                out.ratings = drop_unused(result.ratings, unused)
                out.scale = result.scale
                check_respondent_key(out.ratings, table.file, mapping, log_)

    ops = _one_table(folder, root, "operations", log_, required=bool(kpi_ids))
    if ops is not None and mapping is not None:
        out.sources["operations"] = ops
        om = mapping.operations
        table = read_table(ops, root, log_, skip_rows=om.skip_rows, sheet=om.sheet, default_sheet="Operations",
                           numeric=lambda header: _value_column(header, om.rename), encoding=om.encoding)
        if table is not None:
            out.operations = read_operations(table, om, kpi_ids, log_, root_mapping=mapping)
            window = (None, None) if config is None else (config.assessment_window.start,
                                                          config.assessment_window.end)
            check_operations_fit(out.operations, out.ratings, None if config is None else config.wave,
                                 window, table.file, log_)
    elif ops is None:
        out.operations = EMPTY_OPERATIONS.copy()

    exc = _one_table(folder, root, "excerpts", log_, required=False)
    if exc is not None and mapping is not None:
        out.sources["excerpts"] = exc
        em = mapping.excerpts
        table = read_table(exc, root, log_, skip_rows=em.skip_rows, sheet=em.sheet, default_sheet="Excerpts",
                           encoding=em.encoding)
        if table is not None and check_text_lengths(table, log_):
            known = None if out.ratings is None else set(pd.unique(out.ratings["respondent_id"]))
            out.excerpts = read_excerpts(table, em, known, log_)
    elif exc is None:
        out.excerpts = EMPTY_EXCERPTS.copy()

    roster = folder / "roster.csv"
    if roster.is_file():
        out.sources["roster"] = roster
        out.roster = read_roster(roster, root, log_)
    log.debug("validated %s: %d errors, %d warnings", client_id, len(log_.errors), len(log_.warnings))
    return out


def _value_column(header: list[str], rename: dict[str, str]) -> list[str]:
    """Return the export column(s) that become ``value`` (read straight as floats when clean)."""
    return [c for c in header if rename.get(c, c).strip().casefold() == VALUE]


def _raw_kpi_ids(raw: object) -> list[str] | None:
    kpis = raw.get("kpis") if isinstance(raw, dict) else None
    if not isinstance(kpis, list):
        return None
    ids = [str(k.get("id")) for k in kpis if isinstance(k, dict) and k.get("id") is not None]
    return ids if len(ids) == len(kpis) else None

