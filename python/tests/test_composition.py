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
