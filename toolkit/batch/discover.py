"""Finding client folders and deciding, in the parent process, which need a run.

The unchanged check happens here, before any worker or kernel exists, so a
batch in which nothing changed costs one small YAML read and one fingerprint
per client (a few milliseconds each).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import ClientDataError
from toolkit.model import Problem
from toolkit.reasons import Reason
from toolkit.report import is_current, read_run_record, report_dir
from toolkit.rules import is_wave_id
from toolkit.run.fingerprint import report_fingerprint

CLIENT_FILE = "client.yaml"


def discover_clients(client_data: Path, *, only: Sequence[str] | None = None) -> list[Path]:
    """Return the client folders under ``client_data``, sorted by id.

    A client folder holds a ``client.yaml``. ``client_data`` may itself be one
    client folder. Hidden folders are ignored.

    Parameters
    ----------
    client_data
        The folder of client folders (``client_data/``).
    only
        Keep only these client ids (folder names), in the order found.

    Returns
    -------
    list of Path

    Raises
    ------
    ClientDataError
        ``client_data`` is not a folder, or ``only`` names a client that does
        not exist (reason ``unknown_client``, naming the closest ids).

    Examples
    --------
    >>> discover_clients(Path("client_data"), only=["harbor-concierge"])  # doctest: +SKIP
    [PosixPath('client_data/harbor-concierge')]
    """
    root = Path(client_data)
    if not root.is_dir():
        raise ClientDataError([Problem(str(root), Reason.missing_folder, f"expected a folder of client folders, "
                                       f"found {'a file' if root.exists() else 'nothing'}",
                                       expected="a folder")], title="bad client data folder")
    if (root / CLIENT_FILE).is_file():
        folders = [root]
    else:
        folders = sorted(p for p in root.iterdir()
                         if p.is_dir() and not p.name.startswith(".") and (p / CLIENT_FILE).is_file())
    if only is None:
        return folders
    by_id = {p.name: p for p in folders}
    unknown = [c for c in only if c not in by_id]
    if unknown:
        import difflib

        problems = []
        for cid in unknown:
            close = difflib.get_close_matches(cid, list(by_id), n=2)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            problems.append(Problem(str(root), Reason.unknown_client,
                                    f"no client folder {cid!r} with a {CLIENT_FILE}{hint}",
                                    found=cid, expected=", ".join(sorted(by_id)) or "a client folder"))
        raise ClientDataError(problems, title="unknown clients")
    return [by_id[c] for c in dict.fromkeys(only)]


def peek_wave(client_dir: Path) -> str | None:
    """Return the ``wave`` of a client's ``client.yaml`` without validating the rest.

    Returns None when the file cannot be read or the wave is not a valid wave id
    (the full validation then reports why).
    """
    import yaml

    from toolkit.intake.safe_yaml import safe_load  # size and alias limits: a YAML bomb is refused

    try:
        data: Any = safe_load((Path(client_dir) / CLIENT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return None
    wave = data.get("wave") if isinstance(data, dict) else None
    return wave if is_wave_id(wave) else None


def is_unchanged(client_dir: Path, wave: str, *, out_dir: Path, notebook: Path,
                 formats: Sequence[str], parameters: dict[str, Any], benchmark: str = "") -> bool:
    """Tell whether a client's last good run used exactly the inputs it has now.

    Computes the fingerprint with `toolkit.run.fingerprint.report_fingerprint`, as the report does, for the current wave
    (``benchmark``: the hash of the client's percentiles in the snapshot, "" for
    none), and compares it with the ``run.json`` of the published output.
    A match means the data was valid then, and is the same now.
    """
    out = report_dir(out_dir, Path(client_dir).name, wave)
    if read_run_record(out) is None:
        return False
    fingerprint = report_fingerprint(Path(client_dir).resolve(), notebook=notebook, parameters=parameters,
                                     formats=formats, wave=None, benchmark=benchmark)
    return is_current(out, fingerprint["input_hash"], formats)
