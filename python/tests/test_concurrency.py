"""Eight Python threads scoring at once get exactly the sequential results (GIL released)."""

import threading

from rm_gallery.core.data.schema import DataSample
from rm_gallery.gallery.rm.format.format import NgramRepetitionPenaltyReward
from rm_gallery.gallery.rm.general import F1ScoreReward


def test_eight_threads_match_sequential(samples):
    rewards = [F1ScoreReward(), NgramRepetitionPenaltyReward()]
    work = [DataSample.model_validate(s) for s in samples] * 6
    sequential = [[r.evaluate(s).model_dump(mode="json") for s in work] for r in rewards]

    results = [[None] * len(work) for _ in rewards]
    barrier = threading.Barrier(8)

    def run(thread_index):
        barrier.wait()
        for k, reward in enumerate(rewards):
            for i in range(thread_index, len(work), 8):
                results[k][i] = reward.evaluate(work[i]).model_dump(mode="json")

    threads = [threading.Thread(target=run, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == sequential


def test_batch_with_workers_matches_sequential(samples):
    reward = F1ScoreReward()
    work = [DataSample.model_validate(s) for s in samples] * 20
    sequential = [reward.evaluate(s).model_dump(mode="json") for s in work]
    batch = [r.model_dump(mode="json") for r in reward.evaluate_batch(work, max_workers=4)]
    assert batch == sequential


def test_evaluation_releases_the_gil(samples):
    """While C++ scores a batch, another Python thread keeps running (no long GIL hold)."""
    import time

    reward = NgramRepetitionPenaltyReward()
    texts = [DataSample.model_validate(s).model_dump_json() for s in samples] * 3000
    start = time.perf_counter()
    reward._native.evaluate_batch(texts, 1)
    alone = time.perf_counter() - start

    done = threading.Event()

    def score():
        reward._native.evaluate_batch(texts, 1)
        done.set()

    worker = threading.Thread(target=score)
    last = time.perf_counter()
    longest_gap = 0.0
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        longest_gap = max(longest_gap, now - last)
        last = now
    worker.join()
    # Holding the GIL for the whole call would stall this loop for about `alone`.
    assert longest_gap < max(0.5 * alone, 0.05), (longest_gap, alone)
