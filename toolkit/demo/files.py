"""Write generated clients to disk in the client folder contract (DESIGN 3), reproducibly.

Same frames give the same bytes: CSVs use ``\\n`` line ends and fixed column
order, YAML keeps key order, workbooks go through `toolkit.scaffold.save_workbook`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from toolkit.client_config import ClientConfig
from toolkit.demo.generate import ClientSpec, GeneratedWave, WaveSpec, client_rngs, generate_wave, make_roster
from toolkit.errors import DefinitionError
from toolkit.model import (
    DEPARTMENT,
    EXCERPTS_COLUMNS,
    LEVEL,
    OPERATIONS_COLUMNS,
    QUESTION,
    RATING,
    RATINGS_COLUMNS,
    RESPONDENT,
)
from toolkit.rules import MIN_GROUP_SIZE, MIN_QUOTE_GROUP
from toolkit.scaffold import build_intake_workbook, save_workbook

HEADER = "# Synthetic demo client written by toolkit.demo (seed {seed}). Regenerate, do not edit.\n"


def client_config(client: ClientSpec, wave: WaveSpec) -> dict[str, object]:
    """Return the ``client.yaml`` content of ``client`` for ``wave``, checked against `ClientConfig`.

    Raises
    ------
    DefinitionError
        The spec does not make a valid ``client.yaml`` (a bug in the spec, not client data).
    """
    config: dict[str, object] = {
        "name": client.name,
        "wave": wave.wave,
        "sector": client.sector,
        "strategy": client.strategy,
        "customer_promise": client.customer_promise,
        "management_style": client.management_style,
        "unique_capabilities": list(client.unique_capabilities),
        "area_weights": {k: float(v) for k, v in client.area_weights.items()},
        "kpis": [k.definition() for k in client.kpis],
        "privacy": {"min_group_size": MIN_GROUP_SIZE, "min_quote_group": MIN_QUOTE_GROUP},
    }
    try:
        ClientConfig.model_validate(config)
    except Exception as exc:  # pydantic.ValidationError: our spec is wrong
        raise DefinitionError(f"demo client {client.client_id!r}: invalid client.yaml: {exc}") from exc
    return config


def write_client(client: ClientSpec, out_dir: Path, *, seed: int) -> Path:
    """Generate every wave of ``client`` and write ``out_dir/<client_id>/``.

    The last wave is the current one (top folder); earlier ones go to
    ``waves/<wave>/``. Existing files of the same name are replaced.
    """
    root = Path(out_dir) / client.client_id
    rngs = client_rngs(seed, client.client_id, 1 + len(client.waves))
    roster = make_roster(rngs[0], client.roster_size)
    for k, wave in enumerate(client.waves):
        folder = root if k == len(client.waves) - 1 else root / "waves" / wave.wave
        generated = generate_wave(client, wave, rngs[k + 1], roster)
        write_wave(folder, client_config(client, wave), wave, generated, roster, seed=seed)
    return root


def write_wave(folder: Path, config: dict[str, object], wave: WaveSpec, generated: GeneratedWave,
               roster: list[str], *, seed: int) -> None:
    """Write one wave's files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    (folder / "client.yaml").write_text(HEADER.format(seed=seed) + body, encoding="utf-8")
    for stale in ("interviews.csv", "interviews.xlsx"):
        (folder / stale).unlink(missing_ok=True)
    if wave.interviews == "tidy":
        write_csv(tidy_ratings(generated), folder / "interviews.csv")
    elif wave.interviews == "wide":
        write_csv(wide_ratings(generated), folder / "interviews.csv")
    else:
        write_interviews_xlsx(generated, folder / "interviews.xlsx")
    write_csv(generated.excerpts[EXCERPTS_COLUMNS], folder / "excerpts.csv")
    write_csv(generated.operations[OPERATIONS_COLUMNS], folder / "operations.csv")
    write_csv(pd.DataFrame({"name": roster}), folder / "roster.csv")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV without index, ``\\n`` line ends."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def wide_ratings(generated: GeneratedWave) -> pd.DataFrame:
    """One row per respondent, one nullable-integer column per question id."""
    answers = pd.DataFrame(generated.answers, columns=generated.question_ids).astype("Int64")
    return pd.concat([generated.respondents.reset_index(drop=True), answers], axis=1)


def tidy_ratings(generated: GeneratedWave) -> pd.DataFrame:
    """``respondent_id, department, level, question_id, rating``; unanswered items are absent."""
    n, q = generated.answers.shape
    flat = generated.answers.ravel()
    keep = ~np.isnan(flat)
    resp = generated.respondents
    rows = np.repeat(np.arange(n), q)[keep]
    return pd.DataFrame({
        RESPONDENT: resp[RESPONDENT].to_numpy(dtype=object)[rows],
        DEPARTMENT: resp[DEPARTMENT].to_numpy(dtype=object)[rows],
        LEVEL: resp[LEVEL].to_numpy(dtype=object)[rows],
        QUESTION: np.tile(np.array(generated.question_ids, dtype=object), n)[keep],
        RATING: flat[keep].astype(int),
    })[RATINGS_COLUMNS]


def write_interviews_xlsx(generated: GeneratedWave, path: Path) -> None:
    """Write the answers into the firm's intake workbook (as `toolkit.scaffold` builds it)."""
    resp = generated.respondents
    rows = []
    for i in range(len(resp)):
        answers = [None if np.isnan(v) else int(v) for v in generated.answers[i]]
        rows.append([resp[RESPONDENT].iat[i], resp[DEPARTMENT].iat[i], resp[LEVEL].iat[i], *answers])
    save_workbook(build_intake_workbook(rows=rows), path)
