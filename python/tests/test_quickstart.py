"""RM-Gallery README Quick Start style: build a DataSample, score it with a gallery reward, read details."""

from rm_gallery.core.data.schema import DataOutput, DataSample, Step
from rm_gallery.core.model.message import ChatMessage, MessageRole
from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.format.format import ReasoningFormatReward


def build_sample():
    return DataSample(
        unique_id="quickstart",
        input=[ChatMessage(role=MessageRole.USER, content="What is 2 + 2?")],
        output=[
            DataOutput(answer=Step(role=MessageRole.ASSISTANT,
                                   content="<think>2 + 2 = 4</think><answer>4</answer>",
                                   label={"reference": "4"})),
            DataOutput(answer=Step(role=MessageRole.ASSISTANT, content="4", label={"reference": "4"})),
        ],
    )


def test_quick_start_with_gallery_class():
    reward = ReasoningFormatReward()
    result = reward.evaluate(build_sample())
    first = result.output[0].answer.reward.details[0]
    assert (first.name, first.score, first.reason) == ("format_reward", 1.0, "All format requirements met")
    second = result.output[1].answer.reward.details[0]
    assert second.score == 0.0 and "Missing <think></think> tags" in second.reason


def test_quick_start_through_registry_and_batch():
    reward = RewardRegistry.get("accuracy")()
    results = reward.evaluate_batch([build_sample(), build_sample().model_dump()], max_workers=2)
    for result in results:
        assert [o.answer.reward.score for o in result.output] == [0.0, 1.0]
        assert result.output[1].answer.reward.details[0].reason == "Generated content matches reference exactly"
