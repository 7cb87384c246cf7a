"""Start a new client folder: a commented ``client.yaml`` and the firm's Excel intake workbook.

`new_client` never overwrites anything: an unsafe id or an existing folder is
refused with a `ClientDataError` that says why. The workbook has an
``Interviews`` sheet (one row per respondent, drop-downs for level and
ratings, each question's text as a comment on its header cell), a
``Questions`` sheet (the bank) and a ``How to fill in`` sheet.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from toolkit.client_config import ClientConfig
from toolkit.errors import ClientDataError
from toolkit.intake.questions import load_question_bank
from toolkit.model import (
    AREA,
    DEPARTMENT,
    LEVEL,
    LEVELS,
    OPERATIONS_COLUMNS,
    OUTCOME,
    QUESTION,
    QUESTIONS_COLUMNS,
    RESPONDENT,
    REVERSE,
    TEXT,
    Problem,
)
from toolkit.reasons import Reason
from toolkit.rules import CLIENT_ID, CLIENT_ID_PATTERN, is_wave_id

log = logging.getLogger("toolkit")

INTERVIEWS_SHEET, QUESTIONS_SHEET, HOWTO_SHEET = "Interviews", "Questions", "How to fill in"
# Zip entry dates and document dates of every workbook written here, so equal content gives equal bytes.
FIXED_STAMP = dt.datetime(2026, 1, 1, 0, 0, 0)

__all__ = ["new_client", "build_intake_workbook", "save_workbook", "read_question_bank",
           "BankItem", "current_wave"]


@dataclass(frozen=True)
class BankItem:
    """One question of the firm's question bank."""

    question_id: str
    area: str
    text: str
    reverse: bool
    outcome: bool


def read_question_bank(path: Path | None = None) -> list[BankItem]:
    """Return the firm's question bank (``templates/question_bank.csv``) in file order.

    The bank is read and checked by `toolkit.intake.questions.load_question_bank`, the one parser of it.

    Raises
    ------
    DefinitionError
        The bank's columns or flags are malformed.
    """
    bank = load_question_bank(path)
    return [BankItem(str(r[QUESTION]), str(r[AREA]), str(r[TEXT]), bool(r[REVERSE]), bool(r[OUTCOME]))
            for r in bank.to_dict("records")]


def current_wave(today: dt.date | None = None) -> str:
    """Return the half-year wave label of ``today``.

    Examples
    --------
    >>> current_wave(dt.date(2026, 11, 26))
    '2026-h2'
    """
    today = today or dt.date.today()
    return f"{today.year}-h{1 if today.month <= 6 else 2}"


def build_intake_workbook(bank: Sequence[BankItem] | None = None, *,
                          rows: Iterable[Sequence[object]] = (),
                          n_rows: int = 500) -> Workbook:
    """Build the intake workbook, optionally pre-filled with respondent rows.

    Parameters
    ----------
    bank
        Questions to ask (default: the firm's bank); one column each.
    rows
        Respondent rows: ``respondent_id, department, level`` then one answer per
        question (None = not answered).
    n_rows
        How many data rows get the drop-downs (at least as many as ``rows``).

    Returns
    -------
    openpyxl.Workbook
        Sheets ``Interviews``, ``Questions`` and ``How to fill in``.
    """
    bank = list(bank or read_question_bank())
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = INTERVIEWS_SHEET
    header = [RESPONDENT, DEPARTMENT, LEVEL] + [q.question_id for q in bank]
    ws.append(header)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for c, q in enumerate(bank, start=4):
        note = q.text + (" (reverse-keyed: agreeing is a bad sign)" if q.reverse else "")
        ws.cell(row=1, column=c).comment = Comment(f"{q.area}: {note}", "Alignment Toolkit")
    n_data = 0
    for row in rows:
        ws.append(list(row))
        n_data += 1
    last = max(n_rows, n_data) + 1
    for c in range(1, len(header) + 1):
        cell = ws.cell(row=1, column=c)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(c)].width = 16 if c <= 3 else 7
    ws.freeze_panes = "D2"
    level_dv = DataValidation(type="list", formula1='"' + ",".join(LEVELS) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle="Level",
                              error="Choose executive, manager or frontline.")
    level_dv.add(f"C2:C{last}")
    rating_dv = DataValidation(type="list", formula1='"1,2,3,4,5"', allow_blank=True,
                               showErrorMessage=True, errorTitle="Rating",
                               error="Enter a rating from 1 (strongly disagree) to 5 (strongly agree), "
                                     "or leave blank if not answered.")
    rating_dv.add(f"D2:{get_column_letter(len(header))}{last}")
    ws.add_data_validation(level_dv)
    ws.add_data_validation(rating_dv)

    qs = wb.create_sheet(QUESTIONS_SHEET)
    qs.append(QUESTIONS_COLUMNS)
    for q in bank:
        qs.append([q.question_id, q.area, q.text, q.reverse, q.outcome])
    for col, width in zip("ABCDE", (12, 22, 90, 9, 9), strict=True):
        qs.column_dimensions[col].width = width
        qs[f"{col}1"].font = bold

    how = wb.create_sheet(HOWTO_SHEET)
    for line in _HOWTO:
        how.append([line])
    how.column_dimensions["A"].width = 110
    how["A1"].font = Font(bold=True, size=14)
    return wb


_HOWTO = (
    "How to fill in this workbook",
    "",
    "1. Use the 'Interviews' sheet: one row per person interviewed. Do not rename, move or delete the header row.",
    "2. respondent_id: any code that is unique per person (e.g. R001). Never a name or an e-mail address.",
    "3. department: the person's department, spelt the same way every time (it is used to group answers).",
    "4. level: choose executive, manager or frontline from the drop-down.",
    "5. Question columns: the person's answer from 1 (strongly disagree) to 5 (strongly agree), as given.",
    "   Do not reverse any answers yourself: the toolkit knows which questions are reverse-keyed.",
    "   Leave a cell empty when the question was not asked or not answered.",
    "6. Hover over a question id in the header to read the question; the 'Questions' sheet lists them all.",
    "7. Groups of fewer than 3 people are never shown separately, so small departments may be merged or hidden.",
    "8. Save the file as interviews.xlsx in the client's folder, next to client.yaml, then run:",
    "   alignment validate client_data/<client-id>",
)


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save ``wb`` so that equal content gives byte-identical files.

    openpyxl stamps the save time into ``docProps/core.xml`` and each zip
    entry; both are replaced by `FIXED_STAMP`.
    """
    wb.properties.creator = "Operational Alignment Toolkit"
    wb.properties.created = FIXED_STAMP
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)


def _client_yaml(name: str, wave: str) -> str:
    return _YAML_TEMPLATE.format(name=json.dumps(name, ensure_ascii=False), wave=wave)


_YAML_TEMPLATE = """\
# client.yaml: who the client is, what their strategy is, and how to score them.
# Replace every TODO, then run `alignment validate client_data/<client-id>`. Keys not listed here are errors.

# The client's name as it appears on the deck.
name: {name}
# Assessment wave: a label such as 2026-h1. Earlier waves live in waves/<wave>/ with the same files.
wave: {wave}
# Sector, free text (shown on the title slide; optional).
sector: ""
# The strategy in one or two sentences, in the client's own words.
strategy: "TODO: state the strategy the operations should carry out"
# The customer promise: personalized | speed | value | innovation.
customer_promise: personalized
# The declared management style: collaborative | autonomous | accountability.
management_style: collaborative
# The two or three strengths that differentiate the client (free text, one per line).
unique_capabilities:
  - "TODO: first unique capability"
  - "TODO: second unique capability"
# Strategic weight of each area (any non-negative numbers; they are normalised).
area_weights:
  customer_experience: 1.0
  management_style: 1.0
  unique_capabilities: 1.0
  proven_processes: 1.0
# Operations KPIs: one entry per kpi_id used in operations.csv.
#   id: lowercase letters, digits, _   area: one of the four areas above
#   better: higher | lower             target: the strategic target   unit: shown on charts
# An area without KPIs is scored from interviews alone. Example:
#   - id: on_time_delivery
#     name: On-time delivery
#     area: proven_processes
#     better: higher
#     target: 95
#     unit: "%"
kpis: []
# Confidentiality: groups smaller than min_group_size are never shown; quotes only
# from groups of at least min_quote_group. Raise them if the client asks; never lower below 3.
privacy:
  min_group_size: 3
  min_quote_group: 5
# Weights of perception, consistency and evidence (KPIs) within each area's alignment score.
component_weights:
  perception: 0.50
  consistency: 0.25
  evidence: 0.25
# Which operations periods count as evidence (inclusive, e.g. 2026-01); null = every period.
assessment_window:
  start: null
  end: null
# Consistency (agreement) within a department or level is shown only from this many
# respondents: below it random answering still looks like agreement (method v2).
min_consistency_group: 10
# Intake size limits (file sizes, workbook cells, excerpt length); {{}} keeps the defaults.
# Raise one only for a file you trust, e.g. limits: {{xlsx_max_cells: 20000000}}.
limits: {{}}
"""


def _refuse(path: Path, reason: str, message: str, found: str, expected: str,
            column: str = "client_id") -> ClientDataError:
    problem = Problem(str(path), Reason(reason), message, column=column, found=found, expected=expected)
    return ClientDataError([problem], title="cannot create client")


def new_client(client_data_dir: Path, client_id: str, name: str, *, wave: str | None = None) -> Path:
    """Create ``client_data_dir/<client_id>/`` ready for a consultant to fill in.

    Writes a commented ``client.yaml`` (placeholders that already validate),
    the intake workbook ``interviews.xlsx`` and an ``operations.csv`` holding
    just its header. Nothing is ever overwritten.

    Parameters
    ----------
    client_data_dir
        The folder holding all clients (created if missing).
    client_id
        Folder name: lowercase letters, digits and hyphens, e.g. ``acme-foods``.
    name
        The client's name as shown on the deck.
    wave
        Wave label; default the current half-year, e.g. ``2026-h2``.

    Returns
    -------
    Path
        The new client folder.

    Raises
    ------
    ClientDataError
        The id is unsafe, the folder already exists, or name/wave are invalid.

    Examples
    --------
    >>> new_client(Path("client_data"), "acme-foods", "Acme Foods")  # doctest: +SKIP
    PosixPath('client_data/acme-foods')
    """
    client_data_dir = Path(client_data_dir)
    target = client_data_dir / client_id
    if not isinstance(client_id, str) or not CLIENT_ID_PATTERN.fullmatch(client_id):
        raise _refuse(target, "invalid_client_id",
                      f"client id {client_id!r} is not a safe folder name; use lowercase letters, "
                      "digits and hyphens, starting with a letter or digit (e.g. 'acme-foods')",
                      str(client_id), CLIENT_ID)
    if target.exists():
        raise _refuse(target, "client_exists",
                      f"{target} already exists; nothing was written (choose another id or "
                      "remove the folder yourself)", client_id, "a new client id")
    wave = wave or current_wave()
    if not isinstance(name, str) or not name.strip():
        raise _refuse(target / "client.yaml", "invalid_value", "the client's name is empty",
                      repr(name), "a non-empty name", column="name")
    if not is_wave_id(wave):
        raise _refuse(target / "client.yaml", "invalid_value",
                      f"wave {wave!r} is not a wave label such as 2026-h1", wave,
                      "letters, digits, '.', '_' and '-', starting with a letter or digit", column="wave")
    text = _client_yaml(name.strip(), wave)
    try:
        ClientConfig.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        problems = [Problem(str(target / "client.yaml"), Reason.invalid_value, e["msg"],
                            column=".".join(str(p) for p in e["loc"]), found=repr(e.get("input")))
                    for e in exc.errors()]
        raise ClientDataError(problems, title="cannot create client") from None

    client_data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{client_id}-", dir=client_data_dir))
    try:
        (staging / "client.yaml").write_text(text, encoding="utf-8")
        save_workbook(build_intake_workbook(), staging / "interviews.xlsx")
        with open(staging / "operations.csv", "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerow(OPERATIONS_COLUMNS)
        if target.exists():  # created meanwhile by someone else: still never overwrite
            raise _refuse(target, "client_exists", f"{target} appeared while writing; nothing was written",
                          client_id, "a new client id")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private (0700); colleagues need to read it
        os.rename(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    log.info("created client folder %s", target)
    return target
