"""rm_gallery.core.reward.base: Python subclasses of each family, scored and placed as in RM-Gallery."""

import concurrent.futures

import pytest

from rm_gallery.core.data.schema import DataOutput, DataSample, Step
from rm_gallery.core.reward.base import (BaseListWiseReward, BasePairWiseReward, BasePointWiseReward,
                                         BaseStepWiseReward)
from rm_gallery.core.reward.schema import RewardDimensionWithRank, RewardDimensionWithScore, RewardResult
from rm_gallery.gallery.rm.general import AccuracyReward


def sample_of(*contents, steps=None):
    return DataSample(
        unique_id="u1",
        input=[{"role": "user", "content": "Say something long."}],
        output=[DataOutput(answer=Step(role="assistant", content=c), steps=steps) for c in contents],
        metadata={"kept": True},
    )


class LengthReward(BasePointWiseReward):
    name: str = "length"
    scale: float = 10.0

    def _evaluate(self, sample, **kwargs):
        content = sample.output[0].answer.content
        assert len(sample.output) == 1 and sample.metadata is None  # a unit is one output, no metadata
        return RewardResult(name=self.name, details=[RewardDimensionWithScore(
            name=self.name, reason=f"{len(content)} chars", score=len(content) / self.scale)],
            extra_data={"length": len(content), "bonus": kwargs.get("bonus")})


def test_a_reward_raising_on_one_sample_does_not_stop_the_batch():
    class Picky(BasePointWiseReward):
        name: str = "picky"

        def _evaluate(self, sample, **kwargs):
            if sample.output[0].answer.content == "boom":
                raise RuntimeError("cannot score boom")
            return RewardResult(name=self.name, details=[RewardDimensionWithScore(name=self.name, reason="ok", score=1.0)])

    scored = Picky().evaluate_batch([sample_of("a"), sample_of("boom"), sample_of("c")], max_workers=2)
    assert [s.output[0].answer.reward.score for s in scored] == [1.0, 0.0, 1.0]
    assert scored[1].output[0].answer.reward.details[0].reason == "error: cannot score boom"
    assert scored[1].output[0].answer.additional_kwargs["picky"] == {"error": "cannot score boom"}
    with pytest.raises(RuntimeError, match="cannot score boom"):  # one sample alone still raises
        Picky().evaluate(sample_of("boom"))


def test_text_for_a_number_field_is_converted_or_refused_when_built():
    assert LengthReward(scale="4").scale == 4.0
    with pytest.raises(ValueError, match="field 'scale'"):
        LengthReward(scale="four")


def test_pointwise_subclass_fields_scores_and_extra_data():
    reward = LengthReward(scale=4.0, unknown_keyword="ignored")
    assert (reward.name, reward.scale, reward.max_workers) == ("length", 4.0, 8)
    original = sample_of("abcd", "ab")
    scored = reward.evaluate(original.model_dump(), bonus=3)
    assert [o.answer.reward.score for o in scored.output] == [1.0, 0.5]
    assert scored.output[1].answer.reward.details[0].reason == "2 chars"
    assert scored.output[0].answer.additional_kwargs["length"] == {"length": 4, "bonus": 3}
    assert original.output[0].answer.reward.details == []  # the argument is not mutated
    assert scored.metadata == {"kept": True}


def test_score_is_the_mean_of_all_details_including_earlier_ones():
    once = LengthReward(scale=4.0).evaluate(sample_of("abcd"))
    twice = LengthReward(name="other", scale=1.0).evaluate(once)
    assert [d.name for d in twice.output[0].answer.reward.details] == ["length", "other"]
    assert twice.output[0].answer.reward.score == pytest.approx((1.0 + 4.0) / 2)


def test_thread_pool_and_batch_give_the_same_results():
    reward = LengthReward()
    samples = [sample_of("x" * n, "y" * (n + 1)) for n in range(20)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        pooled = [reward.evaluate(s, thread_pool=pool) for s in samples]
    batch = reward.evaluate_batch(samples, max_workers=3)
    sequential = [reward.evaluate(s) for s in samples]
    dump = lambda xs: [x.model_dump() for x in xs]  # noqa: E731
    assert dump(pooled) == dump(sequential) and dump(batch) == dump(sequential)


def test_best_of_n_keeps_the_best_last():
    best = LengthReward().best_of_n(sample_of("aaa", "a", "aaaaa"), n=2)
    assert [o.answer.content for o in best.output] == ["aaa", "aaaaa"]
    assert len(LengthReward().best_of_n(sample_of("aaa", "a"), n=0).output) == 2
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="n must be 0"):
            LengthReward().best_of_n(sample_of("aaa", "a"), n=bad)


def test_missing_evaluate_or_required_field_is_refused():
    class NoEvaluate(BasePointWiseReward):
        name: str = "x"

    class NoName(BasePointWiseReward):
        def _evaluate(self, sample, **kwargs):
            return RewardResult(name="n")

    with pytest.raises(TypeError):
        NoEvaluate()
    with pytest.raises(ValueError, match="name"):
        NoName()


class LongestWins(BaseListWiseReward):
    name: str = "longest"

    def _evaluate(self, sample, **kwargs):
        lengths = [len(o.answer.content) for o in sample.output]
        rank = [1.0 if n == max(lengths) else 0.0 for n in lengths]
        return RewardResult(name=self.name, details=[RewardDimensionWithRank(name=self.name, reason="len", rank=rank)],
                            extra_data={"lengths": lengths})


def test_listwise_rank_goes_to_each_output_and_extra_data_to_the_last_input():
    scored = LongestWins().evaluate(sample_of("ab", "abcd", "a"))
    assert [o.answer.reward.score for o in scored.output] == [0.0, 1.0, 0.0]
    assert scored.output[1].answer.reward.details[0] == RewardDimensionWithScore(name="longest", reason="len",
                                                                                 score=1.0)
    assert scored.input[-1].additional_kwargs["longest"] == {"lengths": [2, 4, 1]}


class FirstWins(BasePairWiseReward):
    name: str = "first"

    def _evaluate(self, sample, **kwargs):
        assert len(sample.output) == 2
        return RewardResult(name=self.name, details=[RewardDimensionWithRank(name=self.name, reason="", rank=[1, 0])])


def test_pairwise_scores_each_pair_once():
    scored = FirstWins().evaluate(sample_of("a", "b", "c"))
    # pairs (0,1) (0,2) (1,2): output 0 wins twice, output 1 once of two, output 2 never
    assert [len(o.answer.reward.details) for o in scored.output] == [2, 2, 2]
    assert [o.answer.reward.score for o in scored.output] == [1.0, 0.5, 0.0]


class StepLength(BaseStepWiseReward):
    name: str = "step_length"

    def _evaluate(self, sample, **kwargs):
        step = sample.output[0].steps[0]
        return RewardResult(name=self.name, details=[RewardDimensionWithScore(
            name=self.name, reason="", score=len(step.content))], extra_data={"seen": step.content})


def test_stepwise_scores_land_on_each_step():
    steps = [Step(role="assistant", content="ab"), Step(role="assistant", content="abc")]
    scored = StepLength().evaluate(sample_of("final", steps=steps))
    assert [s.reward.score for s in scored.output[0].steps] == [2.0, 3.0]
    assert scored.output[0].steps[1].additional_kwargs["step_length"] == {"seen": "abc"}
    assert scored.output[0].answer.reward.details == []
    with pytest.raises(AssertionError):
        StepLength().evaluate(sample_of("no steps"))


def test_gallery_classes_are_their_family_and_expose_evaluate_results():
    reward = AccuracyReward()
    assert isinstance(reward, BasePointWiseReward)
    sample = sample_of("Paris")
    sample.output[0].answer.label = {"reference": "Paris"}
    result = reward._evaluate(sample)
    assert result.name == "accuracy" and result.details[0].score == 1.0
    assert set(result.extra_data) == {"generated", "reference", "accuracy"}


def test_overriding_evaluate_of_a_gallery_class_uses_the_python_fan_out():
    class Inverted(AccuracyReward):
        def _evaluate(self, sample, **kwargs):
            native = super()._evaluate(sample)
            detail = native.details[0]
            return RewardResult(name=self.name, details=[RewardDimensionWithScore(
                name=detail.name, reason="inverted", score=1 - detail.score)])

    sample = sample_of("Paris", "Rome")
    for output in sample.output:
        output.answer.label = {"reference": "Paris"}
    scored = Inverted().evaluate(sample)
    assert [o.answer.reward.score for o in scored.output] == [0.0, 1.0]
    assert scored.output[0].answer.reward.details[0].reason == "inverted"
    batch = Inverted().evaluate_batch([sample, sample], max_workers=2)
    assert [o.answer.reward.score for o in batch[1].output] == [0.0, 1.0]


def test_async_evaluate_matches_evaluate_for_python_and_gallery_rewards():
    import asyncio

    sample = sample_of("Paris", "Rome")
    for output in sample.output:
        output.answer.label = {"reference": "Paris"}

    async def both(reward):
        return await asyncio.gather(reward.async_evaluate(sample), reward.async_evaluate(sample.model_dump()))

    for reward in (LengthReward(), AccuracyReward()):
        expected = reward.evaluate(sample).model_dump()
        assert [r.model_dump() for r in asyncio.run(both(reward))] == [expected, expected]
