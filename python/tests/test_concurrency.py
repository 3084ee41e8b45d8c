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
    work = samples * 20
    sequential = [reward.evaluate(s).model_dump(mode="json") for s in work]
    batch = [r.model_dump(mode="json") for r in reward.evaluate_batch(work, max_workers=4)]
    assert batch == sequential
