"""Phase 1 of a batch shared with the local pool: the same scores whoever computes them, never waiting on a
worker that is still starting, reported in portfolio order, cached for the next batch."""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from toolkit.batch.run import score_portfolio
from toolkit.batch.snapshot import ClientScore, code_hash, score_client

SEED = 20261126


class RecordingPool(ThreadPoolExecutor):
    """A one-thread pool that remembers which clients it was given."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.given: list[str] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        self.given.append(Path(args[0]).name)
        return super().submit(fn, *args, **kwargs)


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    from toolkit.demo import write_portfolio

    return [p.resolve() for p in write_portfolio(tmp_path_factory.mktemp("scoring") / "client_data", 6, seed=7)]


def _score(clients, out, pool=None, ready=()):
    seen: list[tuple[str, ClientScore]] = []
    hits = score_portfolio(clients, out, seed=SEED, code=code_hash(), pool=pool, ready=ready,
                           on_score=lambda folder, score: seen.append((folder.name, score)))
    return hits, seen


def test_a_ready_pool_takes_clients_from_the_end_and_the_scores_are_the_same(clients, tmp_path):
    alone = _score(clients, tmp_path / "alone")
    started = Future()
    started.set_result(1)
    with RecordingPool() as pool:
        shared = _score(clients, tmp_path / "shared", pool=pool, ready=[started])
    names = [c.name for c in clients]
    assert alone == (0, shared[1]) == (0, [(n, score_client(c, seed=SEED)) for n, c in zip(names, clients, strict=False)])
    assert [n for n, _ in shared[1]] == names                      # reported in portfolio order
    assert pool.given and pool.given[0] == names[-1]              # the pool starts from the last client
    assert names[0] not in pool.given                             # this process from the first


def test_a_worker_still_starting_is_never_given_a_client(clients, tmp_path):
    with RecordingPool() as pool:
        hits, seen = _score(clients, tmp_path / "out", pool=pool, ready=[Future()])  # never ready
    assert pool.given == [] and hits == 0 and len(seen) == len(clients)


def test_cached_scores_are_reported_too(clients, tmp_path):
    first = _score(clients, tmp_path / "out")
    again = _score(clients, tmp_path / "out")
    assert again == (len(clients), first[1])


# --- validated once: phase 1's validation is passed on to the worker -----------------------------------

def _task_for(clients, tmp_path, *, change=None):
    from toolkit.batch.run import make_task
    from toolkit.batch.snapshot import build_snapshot, freeze_snapshot
    from toolkit.report import NOTEBOOK

    _, seen = _score(clients, tmp_path / "out")
    scores = dict(seen)
    snapshot = freeze_snapshot(build_snapshot(list(scores.values()), seed=SEED), tmp_path / "out")
    folder = clients[0]
    if change is not None:
        change(folder)
    return make_task(folder, scores[folder.name], snapshot, notebook=NOTEBOOK, notebook_bytes=NOTEBOOK.read_bytes(),
                     formats=("html",), parameters={}, code=code_hash(), seed=SEED), scores[folder.name]


def test_a_task_for_the_files_phase_1_scored_says_they_are_validated(clients, tmp_path):
    from toolkit.intake import load_client

    task, score = _task_for(clients, tmp_path)
    client = load_client(clients[0])
    assert score.key and score.name == client.config.name and score.wave == client.wave
    assert task.validated and (task.client_name, task.wave) == (client.config.name, client.wave)


def test_a_task_for_files_changed_since_scoring_is_validated_by_the_worker(tmp_path):
    from toolkit.demo import write_portfolio

    clients = [p.resolve() for p in write_portfolio(tmp_path / "client_data", 3, seed=7)]
    def append(folder):
        with open(folder / "client.yaml", "a", encoding="utf-8") as fh:
            fh.write("\n# edited after scoring\n")
    task, _ = _task_for(clients, tmp_path, change=append)
    assert not task.validated and task.client_name == ""


class _Stop(Exception):
    """Raised by a stand-in for the kernel: the task got that far."""


def _stop(*args, **kwargs):
    raise _Stop


@pytest.mark.parametrize("validated", [True, False])
def test_the_worker_loads_the_client_only_when_the_batch_did_not_validate_it(clients, tmp_path, monkeypatch,
                                                                           validated):
    import dataclasses

    import toolkit.intake
    import toolkit.report
    from toolkit.batch.task import run_task

    task, _ = _task_for(clients, tmp_path)
    if not validated:
        task = dataclasses.replace(task, validated=False, client_name="")
    loads: list[Path] = []
    real = toolkit.intake.load_client
    monkeypatch.setattr(toolkit.intake, "load_client", lambda folder, *a, **k: loads.append(folder) or real(folder))
    monkeypatch.setattr(toolkit.report, "_execute", _stop)
    output = run_task(task)
    assert (output.status, output.ename) == ("failed", "_Stop")     # it reached the kernel either way
    assert len(loads) == (0 if validated else 1)
