"""rm_gallery.core.reward.composition.SimpleComposition: children by name, class or instance; weighted scores."""

import concurrent.futures

import pytest

from rm_gallery.core.reward.composition import SimpleComposition
from rm_gallery.gallery.rm.format.format import LengthPenaltyReward


def sample():
    return {"unique_id": "c1", "input": [{"role": "user", "content": "Name the capital of France."}],
            "output": [{"answer": {"role": "assistant", "content": "<think>easy</think><answer>Paris</answer>",
                                   "label": {"reference": "Paris"}}},
                       {"answer": {"role": "assistant", "content": "Paris", "label": {"reference": "Paris"}}}]}


def make(is_parallel=False):
    return SimpleComposition(
        name="combo", is_parallel=is_parallel, weights={"format": 3.0, "length": 1.0},
        rewards={"format": {"cls": "reasoning_format", "params": {}},
                 "length": LengthPenaltyReward(name="length", min_length=10)})


@pytest.mark.parametrize("is_parallel", [False, True])
def test_weighted_mean_of_the_children(is_parallel):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        scored = make(is_parallel).evaluate(sample(), thread_pool=pool)
    first, second = (o.answer.reward for o in scored.output)
    assert [d.name for d in first.details] == ["format", "length"]
    assert first.score == pytest.approx((3 * 1.0 + 0.0) / 4)
    # "Paris": no tags (format 0), 5 chars < 10 -> length penalty -(10-5)*0.01
    assert second.score == pytest.approx((3 * 0.0 + 1 * -0.05) / 4)
    assert set(scored.output[1].answer.additional_kwargs) == {"format", "length"}


def test_a_child_may_be_a_bare_name_or_class_and_anything_else_is_refused():
    # RM-Gallery's __init__ handles these forms but its field type refuses them (its bug 6).
    bare = SimpleComposition(name="c", weights={"format": 3.0, "length": 1.0},
                             rewards={"format": "reasoning_format", "length": LengthPenaltyReward},
                             params={"min_length": 10})
    assert bare.evaluate(sample()).output[1].answer.reward.score == pytest.approx(-0.05 / 4)
    with pytest.raises(ValueError, match="'bad'"):
        SimpleComposition(name="c", rewards={"bad": 3})


def test_a_child_raising_in_a_batch_keeps_the_other_childrens_results():
    from rm_gallery.core.reward.base import BasePointWiseReward

    class Boom(BasePointWiseReward):
        name: str = "boom"

        def _evaluate(self, sample, **kwargs):
            raise RuntimeError("child boom")

    combo = SimpleComposition(name="c", rewards={"boom": Boom(), "length": LengthPenaltyReward(name="length",
                                                                                                min_length=10)})
    scored = combo.evaluate_batch([sample()], max_workers=1)[0]
    details = [(d.name, d.score, d.reason) for d in scored.output[1].answer.reward.details]
    assert details[0] == ("boom", 0.0, "error: child boom")
    assert details[1][0] == "length" and details[1][1] == pytest.approx(-0.05)


def test_shared_params_skip_the_children_that_do_not_take_them():
    from rm_gallery.core.model.openai_llm import OpenaiLLM

    # shuffle is a listwise judge's parameter: the pointwise judge is built without it.
    llm = OpenaiLLM(model="m", openai_api_key="EMPTY", base_url="http://127.0.0.1:9/v1")
    combo = SimpleComposition(name="c", rewards={"pt": "base_helpfulness_pointwise", "lw": "base_helpfulness_listwise"},
                              params={"llm": llm, "shuffle": False, "max_retries": 1})
    assert combo.rewards["lw"].params["shuffle"] is False
    assert "shuffle" not in combo.rewards["pt"].params
    assert combo.rewards["pt"].params["max_retries"] == 1


def test_a_router_sends_each_sample_to_the_child_its_condition_names():
    from rm_gallery.core.reward.composition import RouterComposition

    with pytest.raises(TypeError, match="abstract"):
        RouterComposition(name="r", rewards={"format": "reasoning_format"})

    class ByCategory(RouterComposition):
        def _condition(self, sample):
            return sample.task_category

    router = ByCategory(name="r", rewards={"format": "reasoning_format",
                                           "length": LengthPenaltyReward(name="length", min_length=10)})
    routed = router.evaluate({**sample(), "task_category": "length"})
    assert [d.name for d in routed.output[1].answer.reward.details] == ["length"]
    assert routed.output[1].answer.reward.score == pytest.approx(-0.05)
    assert [d.name for d in router.evaluate({**sample(), "task_category": "format"}).output[0].answer.reward.details] \
        == ["format"]
    with pytest.raises(KeyError):
        router.evaluate({**sample(), "task_category": "math"})
