"""``alignment map EXPORT``: draft a commented ``mapping.yaml`` (and ``questions.csv``) from an export.

Recognised shapes: Qualtrics (question texts and ``ImportId`` rows under the
header), SurveyMonkey (a second header row of answer labels, ``Response``),
Microsoft Forms (``ID, Start time, Completion time``), Google Forms
(``Timestamp``), other wide exports, and one-row-per-answer exports. The
draft says, in its comments and in `Draft.undecided`, what it could not
decide; ``alignment validate`` on the draft plus the export is the loop.
"""
from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.intake.files import cell_text, excel_engine, sniff_delimiter, sniff_encoding
from toolkit.intake.mapping import IDENTIFYING, PRESETS, TRUTHY, _header_key, normalise_label
from toolkit.intake.questions import load_question_bank
from toolkit.model import AREA, OUTCOME_AREA, QUESTION, TEXT

MATCH = 0.75     # text similarity above which an export question is the bank's question
UNRELATED = 0.5  # below this, a question is like no bank question: drafted as area "unused"
NA_LABELS = {"n/a", "na", "not applicable", "don't know", "dont know", "prefer not to say", "no opinion"}
_ID = re.compile(r"(respondent|response|employee|participant|record|session)?[\s_-]*id$", re.I)
_DEPT = re.compile(r"department|dept|division|business unit|\bunit\b|\bteam\b|directorate", re.I)
_ROLE = re.compile(r"job title|role|position|\blevel\b|grade|seniority", re.I)
_EXEC = re.compile(r"director|executive|chief|\bvp\b|head", re.I)
_MGR = re.compile(r"manager|supervisor|lead", re.I)
_QUESTION_COL = re.compile(r"question|item|statement", re.I)
_ANSWER_COL = re.compile(r"answer|response value|value|score|rating|response$", re.I)
_META = re.compile(r"date|time|duration|progress|finished|status|channel|language|collector|distribution"
                   r"|custom data|recorded|ip ?address|latitude|longitude|reference", re.I)


@dataclass
class Draft:
    """A drafted mapping: the YAML text, an optional questions.csv, what was detected and left open."""

    shape: str
    mapping_yaml: str
    questions_csv: str | None = None
    undecided: list[str] = field(default_factory=list)


def read_cells(path: Path) -> list[list[str]]:
    """Return every row of a CSV or XLSX export as text cells ('' for blank), header included."""
    if path.suffix.lower() == ".xlsx":
        frame = pd.read_excel(path, header=None, dtype=object, engine=excel_engine())
        return [[cell_text(v) or "" for v in row] for row in frame.itertuples(index=False)]
    raw = path.read_bytes()
    encoding = sniff_encoding(raw)
    text = raw.decode(encoding).lstrip("\ufeff")
    delim = sniff_delimiter(text.splitlines()[0] if text else "")
    return [[c.strip() for c in r] for r in csv.reader(text.splitlines(), delimiter=delim)]


def _norm_text(text: str) -> str:
    text = text.split(" - ", 1)[-1] if " - " in text else text  # Qualtrics matrix: "Block - item"
    return re.sub(r"[^a-z0-9 ]", "", normalise_label(text).replace("'", ""))


def match_bank(texts: list[str], bank: pd.DataFrame) -> list[tuple[str, str, float]]:
    """Return ``(bank id, bank area, similarity)`` of the most similar bank question for each text."""
    bank_texts = [_norm_text(t) for t in bank[TEXT]]
    out = []
    for t in texts:
        n = _norm_text(t)
        scores = [difflib.SequenceMatcher(None, n, b).ratio() for b in bank_texts]
        i = max(range(len(scores)), key=scores.__getitem__)
        out.append((bank[QUESTION].iloc[i], bank[AREA].iloc[i], scores[i]))
    return out


def _answer_kind(values: list[str]) -> tuple[str, float, float, list[str]] | None:
    """Classify answer cells: ('labels'|'numbers', min, max, not-applicable codes) or None."""
    filled = [v for v in values if v]
    if len(filled) < max(1, 0.5 * len(values)):
        return None
    agreement = PRESETS["agreement"]
    na = sorted({v for v in filled if normalise_label(v) in NA_LABELS})
    rest = [v for v in filled if normalise_label(v) not in NA_LABELS]
    if rest and all(normalise_label(v) in agreement for v in rest) and any(len(v) > 2 for v in rest):
        return "labels", 1, 5, na
    try:
        nums = [float(v) for v in rest]
    except ValueError:
        return None
    if not nums or not all(x.is_integer() for x in nums) or min(nums) < 0 or max(nums) > 10:
        return None
    return "numbers", min(nums), max(nums), na


def _flag_column(values: list[str]) -> bool:
    filled = {normalise_label(v) for v in values if v}
    return bool(filled) and filled <= (TRUTHY | {"0", "false", "no", "n"}) and len(filled) <= 2


def detect_shape(rows: list[list[str]]) -> tuple[str, int]:
    """Return ``(shape, extra header rows)`` of an export's cells."""
    header = [normalise_label(c) for c in rows[0]]
    second = [normalise_label(c) for c in rows[1]] if len(rows) > 1 else []
    third = rows[2] if len(rows) > 2 else []
    if any('"importid"' in c.replace(" ", "").lower() or "{\"importid\"" in c.lower() for c in third):
        return "qualtrics", 2
    if second and ("response" in second or "open-ended response" in second) and "respondent id" in header:
        return "surveymonkey", 1
    if {"id", "start time", "completion time"} <= set(header):
        return "microsoft-forms", 0
    if header and header[0] == "timestamp":
        return "google-forms", 0
    if len(header) <= 12 and any(_QUESTION_COL.search(h) for h in header) and \
            any(_ANSWER_COL.search(h) for h in header):
        return "one-row-per-answer", 0
    return "wide", 0


def draft_mapping(path: str | Path, bank: pd.DataFrame | None = None) -> Draft:
    """Draft a mapping for the export at ``path`` (CSV or XLSX).

    Parameters
    ----------
    path
        The survey tool's export.
    bank
        The firm's question bank (default `load_question_bank()`), for question ids and suggested areas.

    Returns
    -------
    Draft
        ``mapping_yaml`` to save as ``mapping.yaml`` (with ``interviews.<ext>``
        = the export), ``questions_csv`` when questions unlike the bank's need
        areas, and ``undecided``: what a person must check.
    """
    path = Path(path)
    bank = load_question_bank() if bank is None else bank
    rows = read_cells(path)
    shape, skip = detect_shape(rows)
    header, body = rows[0], rows[1 + skip:]
    texts = rows[1] if shape == "qualtrics" else header
    if shape == "one-row-per-answer":
        return _draft_long(header, body, bank)
    return _draft_wide(shape, skip, header, texts, body, bank)


def _column(body: list[list[str]], i: int) -> list[str]:
    return [r[i] if i < len(r) else "" for r in body]


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _questions(labels: list[str], bank: pd.DataFrame, undecided: list[str]) -> tuple[dict[str, str], str | None]:
    """Ids for question labels: the bank's when similar, else new ids in a drafted questions.csv."""
    ids: dict[str, str] = {}
    extra: list[tuple[str, str, str, float]] = []
    used: set[str] = set()
    for label, (bid, barea, score) in zip(labels, match_bank(labels, bank), strict=True):
        if score >= MATCH:
            ids[label] = bid
            used.add(bid)
            continue
        new = f"Q{len(extra) + 1:02d}"
        area = barea if score >= UNRELATED else "unused"
        ids[label] = new
        extra.append((new, area, label, score))
        undecided.append(f"question {label!r} is like no bank question (best {bid}, similarity {score:.2f}): "
                         f"drafted as {new} with area {area!r} in questions.csv; check its area")
    if not extra:
        return ids, None
    lines = ["question_id,area,text,reverse,outcome"]
    for _, b in bank.iterrows():
        if b[QUESTION] in used:
            lines.append(_csv_row([b[QUESTION], b[AREA], b[TEXT], str(b["reverse"]).lower(),
                                   str(b["outcome"]).lower()]))
    for new, area, label, _ in extra:
        lines.append(_csv_row([new, area, label, "false", "true" if area == OUTCOME_AREA else "false"]))
    return ids, "\n".join(lines) + "\n"


def _csv_row(cells: list[str]) -> str:
    import io
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    return buf.getvalue()


def _scale_lines(kinds: list[tuple[str, float, float, list[str]]], undecided: list[str]) -> list[str]:
    labels = [k for k in kinds if k[0] == "labels"]
    nums = [k for k in kinds if k[0] == "numbers"]
    na = sorted({c for k in kinds for c in k[3]})
    out = []
    if labels and len(labels) >= len(nums):
        out += ["  scale:", "    preset: agreement          # Strongly agree .. Strongly disagree, SA/A/N/D/SD"]
    elif nums:
        lo, hi = min(k[1] for k in nums), max(k[2] for k in nums)
        out += ["  scale:", f"    min: {lo:g}                       # answers seen from {lo:g} to {hi:g}",
                f"    max: {hi:g}"]
        if lo == 0:
            undecided.append(f"answers run {lo:g}-{hi:g}: if 0 means 'not applicable', set not_applicable: [0] "
                             "and scale.min: 1")
        if (lo, hi) != (1, 5) and lo != 0:
            undecided.append(f"answers run {lo:g}-{hi:g}: check the scale's real end points (scale.min, scale.max)")
    if na:
        out.append("  not_applicable: [" + ", ".join(_q(v) for v in na) + "]")
    return out


def _levels_lines(header: list[str], body: list[list[str]], skip_cols: set[int | None],
                  undecided: list[str], texts: list[str] | None = None) -> tuple[list[str], set[int]]:
    flags, role = {}, None
    for i, h in enumerate(header):
        if i in skip_cols:
            continue
        if _flag_column(_column(body, i)) and (_EXEC.search(h) or _MGR.search(h) or
                                               re.search(r"staff|employee|frontline", h, re.I)):
            flags[i] = "executive" if _EXEC.search(h) else "manager" if _MGR.search(h) else "frontline"
        elif role is None and (_ROLE.search(h) or (texts is not None and _ROLE.search(texts[i]))):
            role = i
    out, used = ["  levels:"], set(flags)
    if flags:
        out.append("    flags:                     # role-flag columns (1/yes/true/x); first match wins")
        out += [f"      {_q(header[i])}: {lv}" for i, lv in flags.items()]
    if role is not None:
        used.add(role)
        out += [f"    column: {_q(header[role])}",
                "    patterns:                  # regular expressions, in order, any case",
                '      "chief|director|\\\\bvp\\\\b|head|executive": executive',
                '      "manager|supervisor|lead": manager']
    if not flags and role is None:
        undecided.append("no role-flag or job-title column found: set levels (column, values, patterns or flags)")
        return ["  levels:", "    default: frontline         # TODO: no level information found"], used
    out.append("    default: frontline")
    return out, used


def _header_lines(shape: str, skip: int) -> list[str]:
    return [f"# mapping.yaml drafted by `alignment map` from a {shape} export.",
            "# Save the export as interviews.csv/.xlsx next to this file, then run",
            "# `alignment validate` and edit until it is clean.", "interviews:"] + (
        [f"  skip_rows: {skip}                    # extra header rows under the header"] if skip else [])


def _draft_wide(shape: str, skip: int, header: list[str], texts: list[str], body: list[list[str]],
                bank: pd.DataFrame) -> Draft:
    undecided: list[str] = []
    ident = {i for i, h in enumerate(header) if _header_key(h) in IDENTIFYING or "email" in h.lower()}
    answers = {i: _answer_kind(_column(body, i)) for i in range(len(header)) if i not in ident}
    qcols = [i for i, k in answers.items() if k is not None and not _ID.fullmatch(header[i].strip())
             and not _flag_column(_column(body, i))]
    resp = next((i for i, h in enumerate(header) if _ID.fullmatch(h.strip()) and i not in qcols), None)
    if resp is None and shape == "google-forms":
        resp = 0
        undecided.append("Google Forms exports have no respondent id: the Timestamp is used; two answers "
                         "submitted in the same second would collide")
    if resp is None:
        undecided.append("no respondent id column found: rename one to respondent_id")
    dept = next((i for i, h in enumerate(texts) if _DEPT.search(h) and i not in qcols), None)
    if dept is None:
        undecided.append("no department column found: rename one to department")
    levels, used = _levels_lines(header, body, set(qcols) | {resp, dept} | ident, undecided, texts)
    label = {i: texts[i] if texts[i] else header[i] for i in qcols}
    ids, questions = _questions([label[i] for i in qcols], bank, undecided)
    lines = _header_lines(shape, skip)
    meta = [header[i] for i in range(len(header)) if i not in set(qcols) | used | {resp, dept} | ident]
    if meta:
        lines.append("  drop: [" + ", ".join(_q(m) for m in meta) + "]   # survey-tool metadata")
    if ident:
        lines.append("  # dropped anyway (identifying): " + ", ".join(header[i] for i in sorted(ident)))
    lines.append("  rename:")
    if resp is not None:
        lines.append(f"    {_q(header[resp])}: respondent_id")
    if dept is not None:
        lines.append(f"    {_q(header[dept])}: department")
    for i in qcols:
        lines.append(f"    {_q(header[i])}: {ids[label[i]]}" + (f"   # {label[i][:70]}" if label[i] != header[i] else ""))
    lines += _scale_lines([k for i in qcols if (k := answers[i]) is not None], undecided)
    lines += levels
    return _finish(shape, lines, questions, undecided)


def _finish(shape: str, lines: list[str], questions: str | None, undecided: list[str]) -> Draft:
    if undecided:
        lines += ["", "# Could not decide (check these):"] + [f"#  - {u}" for u in undecided]
    return Draft(shape=shape, mapping_yaml="\n".join(lines) + "\n", questions_csv=questions, undecided=undecided)


def _draft_long(header: list[str], body: list[list[str]], bank: pd.DataFrame) -> Draft:
    undecided: list[str] = []
    shape = "one-row-per-answer"
    qi = next(i for i, h in enumerate(header) if _QUESTION_COL.search(h))
    ai = next(i for i, h in enumerate(header) if _ANSWER_COL.search(h) and i != qi)
    questions = sorted({r[qi] for r in body if qi < len(r) and r[qi]})
    n_q = len(questions)
    # the person key: an id column whose values repeat about once per question
    ids = [i for i, h in enumerate(header) if _ID.fullmatch(h.strip())]
    per = {i: len(body) / max(1, len({r[i] for r in body})) for i in ids}
    person = max(per, key=lambda i: per[i]) if per else None
    if person is None:
        undecided.append("no respondent id column found: set long.respondent")
    for i in ids:
        if i != person and per[i] < 1.5 and person is not None:
            undecided.append(f"column {header[i]!r} has one value per answer (it identifies answers, not "
                             f"people); {header[person]!r} is used as the respondent")
    if person is not None and per[person] < 0.5 * n_q:
        undecided.append(f"{header[person]!r} repeats only {per[person]:.1f} times for {n_q} questions: "
                         "check that it identifies a person")
    dept = next((i for i, h in enumerate(header) if _DEPT.search(h)), None)
    dup = len(body) - len({tuple(r) for r in body})
    levels, used = _levels_lines(header, body, {qi, ai, person, dept}, undecided)
    qids, qcsv = _questions(questions, bank, undecided)
    kinds = [_answer_kind([r[ai] for r in body if r[qi] == q]) for q in questions]
    unknown = [q for q, k in zip(questions, kinds, strict=True) if k is None]
    for q in unknown:
        undecided.append(f"answers to {q!r} are not on a rating scale: listed under ignore")
    lines = _header_lines(shape, 0)
    meta = [h for i, h in enumerate(header) if i not in {qi, ai, person, dept} | used
            and _header_key(h) not in IDENTIFYING]
    if meta:
        lines.append("  drop: [" + ", ".join(_q(m) for m in meta) + "]")
    if dup:
        lines.append(f"  drop_duplicates: true        # {dup} exact duplicate rows in the export")
    lines += ["  long:", f"    respondent: {_q(header[person]) if person is not None else 'TODO'}",
              f"    question: {_q(header[qi])}", f"    answer: {_q(header[ai])}"]
    if unknown:
        lines.append("  ignore: [" + ", ".join(_q(q) for q in unknown) + "]")
    lines.append("  rename:")
    if dept is not None:
        lines.append(f"    {_q(header[dept])}: department")
    else:
        undecided.append("no department column found: add it to long.attributes or rename")
    for q in questions:
        if q not in unknown:
            lines.append(f"    {_q(q)}: {qids[q]}")
    lines += _scale_lines([k for k in kinds if k is not None], undecided)
    lines += levels
    return _finish(shape, lines, qcsv, undecided)
