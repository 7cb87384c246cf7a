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
