"""`CheckResult`: what `toolkit.training.check` says about one answer, readable in Jupyter and in text."""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["passed", "failed", "unanswered"]

#: Words shown for each status; tests and trainers search outputs for ``[<id>] <WORD>``.
STATUS_WORDS: dict[str, str] = {"passed": "PASSED", "failed": "TRY AGAIN", "unanswered": "NOT YET ANSWERED"}
_COLOURS = {"passed": ("#e8f5e9", "#2e7d32"), "failed": ("#fff3e0", "#e65100"),
            "unanswered": ("#eceff1", "#455a64")}


def is_unanswered(answer: Any) -> bool:
    """True for ``None``, ``...`` and containers holding nothing but them (``{...}``, ``[...]``)."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, (list, tuple, set, frozenset)) and len(answer) > 0:
        return all(a is None or a is Ellipsis for a in answer)
    if isinstance(answer, dict) and len(answer) > 0:
        return all(v is Ellipsis for v in answer.values()) or set(answer) == {Ellipsis}
    return False


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one exercise.

    Attributes
    ----------
    exercise_id
        E.g. ``"3-perception"``.
    status
        ``passed``, ``failed`` or ``unanswered`` (the answer is still ``None`` or ``...``).
    message
        What is right or wrong, in plain words.
    hint
        What to try next ("" when passed).
    """

    exercise_id: str
    status: Status
    message: str
    hint: str = ""

    @property
    def passed(self) -> bool:
        """True only when the answer is right."""
        return self.status == "passed"

    @property
    def answered(self) -> bool:
        """False while the answer is still ``None`` or ``...``."""
        return self.status != "unanswered"

    def __str__(self) -> str:
        text = f"[{self.exercise_id}] {STATUS_WORDS[self.status]}: {self.message}"
        return text + (f"\nHint: {self.hint}" if self.hint else "")

    def __repr__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return self.passed

    def _repr_html_(self) -> str:
        background, colour = _COLOURS[self.status]
        esc = html.escape
        hint = (f'<div style="margin-top:4px"><b>Hint:</b> {esc(self.hint)}</div>' if self.hint else "")
        return (f'<div class="training-check" data-exercise="{esc(self.exercise_id)}" '
                f'data-status="{esc(self.status)}" style="border-left:4px solid {colour};'
                f'background:{background};padding:6px 10px;font-family:sans-serif">'
                f'<b style="color:{colour}">[{esc(self.exercise_id)}] {STATUS_WORDS[self.status]}</b> '
                f'{esc(self.message)}{hint}</div>')
