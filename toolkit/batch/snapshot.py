"""Phase 1 of a batch: score every client, then freeze one benchmark snapshot.

A client's benchmark (DESIGN 2.1) places its areas among the firm's other
clients. Read from whatever summaries happen to be published while a batch
runs, it depended on the order clients finished in. A batch therefore first
scores every client of the portfolio in its own process (intake, the method's
scores and the privacy rules, no deck: about 0.1 s a client, cached by the
client's inputs), and writes one snapshot, ``<reports>/benchmark-<hash>.json``:

- ``clients``: every valid client of ``client_data`` (id, wave) and the
  alignment of each area as its own summary.json publishes it (2 decimals,
  None when suppressed), the values a benchmark read from published summaries;
- ``percentiles``: for each client, its benchmark against all the others
  (``area, percentile, n_clients``; None with fewer than 5 others).

Every deck of the batch is then rendered against that one snapshot, so the
same inputs give the same decks whatever the order. A client's kernel is sent
only its *peers* (the other clients' area values under anonymous ids, never
their names) and computes its percentiles exactly as before. The hash of a
client's own percentiles is part of its fingerprint: an incremental rerun
reruns exactly the clients whose benchmark changed.

This module is light (no pandas at import): kernels import `snapshot_others`.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from toolkit.model import Problem

SNAPSHOT_SCHEMA_VERSION = "1.0"
SNAPSHOT_PREFIX = "benchmark-"
#: Phase-1 scores cached per client, keyed by its inputs and the toolkit (hidden: never read as a client).
SCORES_DIR = ".scores"


@dataclass(frozen=True)
class ClientScore:
    """One client's area alignment: ``own`` (unprotected, for its own percentiles) and ``shown`` (protected)."""

    client_id: str
    wave: str
    own: dict[str, float | None]
    shown: dict[str, float | None]
    #: The client's display name (``client.yaml``), as the deck and its PDF name it.
    name: str = ""
    #: `score_key` of the exact files scored (and so validated): a worker given the same bytes need not validate them again.
    key: str = field(default="", compare=False)


@dataclass(frozen=True)
class Snapshot:
    """A frozen benchmark snapshot: its file, hash and content."""

    path: Path
    hash: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        """The file name, ``benchmark-<hash>.json``."""
        return self.path.name

    def client_hash(self, client_id: str) -> str:
        """Hash of one client's percentiles ("" when it has no benchmark): part of its fingerprint."""
        rows = self.data["percentiles"].get(client_id)
        if rows is None:
            return ""
        return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]

    def peers(self, client_id: str) -> bytes | None:
        """The snapshot as one client's kernel sees it: the others' area values, anonymous.

        None when the client has no benchmark (fewer than 5 others): nothing is sent.
        """
        if self.data["percentiles"].get(client_id) is None:
            return None
        others = [c for c in self.data["clients"] if c["client_id"] != client_id]
        view = {"schema_version": SNAPSHOT_SCHEMA_VERSION, "snapshot": self.hash,
                "clients": [{"client_id": f"peer-{i + 1:03d}", "areas": c["areas"]} for i, c in enumerate(others)]}
        return json.dumps(view, sort_keys=True).encode()


def _clean(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def code_hash() -> str:
    """Hash of the toolkit's source, version and templates (what every score and deck depends on)."""
    from toolkit.run.fingerprint import code_hashes

    return hashlib.sha256(json.dumps(code_hashes(), sort_keys=True).encode()).hexdigest()


def score_key(folder: Path, *, seed: int, code: str) -> str:
    """Key of a client's phase-1 score: its files, the toolkit and the seed."""
    from toolkit.run.fingerprint import tree_hashes

    return _key(tree_hashes(Path(folder)), seed=seed, code=code)


def files_key(files: dict[str, bytes], *, seed: int, code: str) -> str:
    """`score_key` of a client's files given as bytes (`toolkit.batch.task.read_inputs`), without the folder."""
    return _key({rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(files.items())}, seed=seed, code=code)


def _key(inputs: dict[str, str], *, seed: int, code: str) -> str:
    blob = {"inputs": inputs, "code": code, "seed": seed}
    return hashlib.sha256(json.dumps(blob, sort_keys=True).encode()).hexdigest()


def score_client(folder: Path, *, seed: int) -> ClientScore | list[Problem]:
    """Score one client's current wave in this process; its problems instead when its data is invalid.

    The same calls as the client's kernel makes (intake, `toolkit.metrics.score`
    with the notebook's seed, `toolkit.privacy.protect`), without findings or deck.
    """
    from toolkit.errors import ClientDataError
    from toolkit.intake import load_client
    from toolkit.metrics import assess
    from toolkit.privacy import protect

    try:
        client = load_client(Path(folder))
    except ClientDataError as exc:
        return list(exc.problems)
    raw = assess(client, seed=seed)
    shown = protect(raw, client.config.privacy).areas
    own = raw.areas["alignment"].to_dict()
    suppressed = shown["suppressed"].to_dict() if "suppressed" in shown.columns else {}
    return ClientScore(client.client_id, client.wave,
                       {str(a): _clean(v) for a, v in own.items()},
                       {str(a): None if suppressed.get(a) else _published(v) for a, v in shown["alignment"].items()},
                       name=client.config.name)


def _published(value: Any) -> float | None:
    """A value as a published summary.json holds it (`toolkit.summary`: 2 decimals), as others see it."""
    number = _clean(value)
    return None if number is None else (round(number, 2) or 0.0)


def cached_score(folder: Path, out_dir: Path, *, seed: int, code: str) -> tuple[ClientScore | list[Problem], bool]:
    """Return a client's score (from ``<out>/.scores/`` when its inputs are unchanged) and whether it was cached."""
    key, cached = lookup_score(folder, out_dir, seed=seed, code=code)
    if cached is not None:
        return cached, True
    score = score_client(folder, seed=seed)
    store_score(folder, out_dir, key, score)
    return score, False


def lookup_score(folder: Path, out_dir: Path, *, seed: int, code: str) -> tuple[str, ClientScore | None]:
    """Return a client's score key and its cached score (None when the cache has no score for these inputs)."""
    key = score_key(folder, seed=seed, code=code)
    cache = Path(out_dir) / SCORES_DIR / f"{Path(folder).name}.json"
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return key, ClientScore(data["client_id"], data["wave"], data["own"], data["shown"],
                                    name=str(data.get("name", "")), key=key)
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return key, None


def store_score(folder: Path, out_dir: Path, key: str, score: ClientScore | list[Problem]) -> None:
    """Cache a valid client's score under ``<out>/.scores/`` (an invalid client is never cached)."""
    if isinstance(score, ClientScore):
        from toolkit.run.atomic import write_json_atomic

        cache = Path(out_dir) / SCORES_DIR / f"{Path(folder).name}.json"
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(cache, {"key": key, "client_id": score.client_id, "wave": score.wave,
                                  "name": score.name, "own": score.own, "shown": score.shown})


def _frame(clients: Sequence[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    from toolkit.model import AREA

    rows = [{"client_id": c["client_id"], AREA: area, "alignment": float("nan") if v is None else float(v)}
            for c in clients for area, v in c["areas"].items()]
    return pd.DataFrame(rows, columns=["client_id", AREA, "alignment"]).astype({"alignment": "float64"})


def build_snapshot(scores: Sequence[ClientScore], *, seed: int) -> dict[str, Any]:
    """Return the snapshot's content: clients (sorted by id), their shown values and everyone's percentiles."""
    import pandas as pd

    from toolkit.metrics import benchmark_percentiles
    from toolkit.model import AREA

    ordered = sorted(scores, key=lambda s: s.client_id)
    clients = [{"client_id": s.client_id, "wave": s.wave, "areas": s.shown} for s in ordered]
    percentiles: dict[str, Any] = {}
    for score in ordered:
        others = _frame([c for c in clients if c["client_id"] != score.client_id])
        own = pd.DataFrame({AREA: list(score.own), "alignment": [float("nan") if v is None else v
                                                                 for v in score.own.values()]})
        table = benchmark_percentiles(own, others, client_id=score.client_id)
        percentiles[score.client_id] = None if table is None else [
            {AREA: str(r[AREA]), "percentile": _clean(r["percentile"]), "n_clients": int(r["n_clients"])}
            for r in table.to_dict("records")]
    return {"schema_version": SNAPSHOT_SCHEMA_VERSION, "seed": seed, "clients": clients, "percentiles": percentiles}


def freeze_snapshot(content: dict[str, Any], out_dir: Path) -> Snapshot:
    """Write ``<out>/benchmark-<hash>.json`` (atomically; touched when it exists) and return it."""
    from toolkit.run.atomic import write_json_atomic

    blob = json.dumps(content, sort_keys=True).encode()
    digest = hashlib.sha256(blob).hexdigest()
    path = Path(out_dir) / f"{SNAPSHOT_PREFIX}{digest[:12]}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        os.utime(path)  # the latest snapshot is the most recently frozen one
    else:
        write_json_atomic(path, {**content, "hash": digest})
    return Snapshot(path, digest, content)


def latest_snapshot(out_dir: Path) -> Snapshot | None:
    """Return the most recently frozen snapshot in ``out_dir`` (None when there is none or it is unreadable)."""
    candidates = sorted(Path(out_dir).glob(f"{SNAPSHOT_PREFIX}*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    for path in reversed(candidates):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if str(data.get("schema_version", "")).split(".")[0] == SNAPSHOT_SCHEMA_VERSION.split(".")[0]:
                return Snapshot(path, str(data["hash"]), data)
        except (OSError, ValueError, KeyError, AttributeError):
            continue
    return None


def snapshot_others(path: Path, *, exclude: str | None = None) -> pd.DataFrame:
    """Other clients' area alignment from a snapshot (or a client's peer view of one).

    The same frame as `toolkit.summary.load_portfolio` gives from published
    summaries: ``client_id, area, alignment`` (NaN when suppressed), sorted.
    """
    from toolkit.model import AREAS

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    frame = _frame([c for c in data.get("clients", []) if c.get("client_id") != exclude])
    order = {a: i for i, a in enumerate(AREAS)}
    frame = frame[frame["area"].isin(order)]
    frame = frame.assign(_o=frame["area"].map(order)).sort_values(["client_id", "_o"], kind="mergesort")
    return frame.drop(columns="_o").reset_index(drop=True)

