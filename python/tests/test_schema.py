"""DataSample and friends: RM-Gallery's defaults, dict/JSON round trips, rmg's reader."""

import datetime
import json

import pytest

from rm_gallery import _rmg
from rm_gallery.core.data.schema import DataOutput, DataSample, Reward, Step
from rm_gallery.core.model.message import ChatMessage, MessageRole
from rm_gallery.core.reward.schema import RewardDimensionWithRank, RewardDimensionWithScore, RewardResult


def test_defaults_match_rm_gallery():
    step = Step()
    assert step.role is MessageRole.USER and step.content == "" and step.label == {}
    assert step.reward.score == 0.0 and step.reward.details == []
    assert Step().label is not step.label  # fresh mutable defaults
    sample = DataSample(unique_id="u")
    assert sample.input == [] and sample.output == [] and sample.metadata is None
    assert isinstance(sample.created_at, datetime.datetime)
    assert DataOutput(answer=Step()).steps is None
    assert ChatMessage(role="assistant").role is MessageRole.ASSISTANT


def test_unknown_keywords_are_ignored():
    assert DataSample(unique_id="u", not_a_field=1).model_dump().get("not_a_field") is None


def test_round_trip_through_dict_and_json(samples):
    original = DataSample.model_validate(samples[0])
    assert isinstance(original.output[0].answer, Step)
    assert original.output[0].answer.label["reference"] == "51"
    again = DataSample.model_validate(original.model_dump())
    assert again == original
    from_json = DataSample.model_validate_json(original.model_dump_json())
    assert from_json.model_dump(mode="json") == original.model_dump(mode="json")
    assert original.dict() == original.model_dump()
    dumped = json.loads(original.model_dump_json())
    assert dumped["input"][0]["role"] == "user"
    assert dumped["output"][0]["answer"]["reward"] == {"score": 0.0, "details": []}


def test_round_trip_through_rmg_reader(samples):
    sample = DataSample.model_validate(samples[3])
    text = _rmg.normalize_sample(sample.model_dump_json())
    back = DataSample.model_validate_json(text)
    assert back.model_dump(mode="json") == sample.model_dump(mode="json")


def test_reward_schema():
    detail = RewardDimensionWithScore(name="a", reason="r", score=1)
    assert detail.score == 1.0
    rank = RewardDimensionWithRank(name="b", reason="r", rank=[0.2, 0.8])
    assert rank[1] == RewardDimensionWithScore(name="b", reason="r", score=0.8)
    result = RewardResult[RewardDimensionWithScore](name="x", details=[detail])
    assert result.extra_data == {} and result.details[0] is detail
    assert Reward(details=[{"name": "a", "reason": "", "score": 0.5}]).details[0].score == 0.5


def test_invalid_sample_is_value_error():
    import pytest

    with pytest.raises(ValueError, match="unique_id"):
        _rmg.normalize_sample('{"input": []}')


def test_steps_metadata_and_tool_calls_survive_rmg():
    sample = DataSample(
        unique_id="full",
        input=[ChatMessage(role=MessageRole.SYSTEM, content="be brief"), ChatMessage(content="hi")],
        output=[DataOutput(
            answer=Step(role="assistant", content="done", label={"reference": "done"},
                        tool_calls=[{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
                        additional_kwargs={"k": [1, 2.5, None]}),
            steps=[Step(role="assistant", content="step 1",
                        reward={"score": 0.5, "details": [{"name": "s", "reason": "ok", "score": 0.5}]})],
        )],
        task_category="chat",
        source="unit",
        metadata={"split": "test", "n": 3},
    )
    back = DataSample.model_validate_json(_rmg.normalize_sample(sample.model_dump_json()))
    assert back.model_dump(mode="json") == sample.model_dump(mode="json")
    assert back.output[0].steps[0].reward.details[0].score == 0.5
    assert back.input[0].role is MessageRole.SYSTEM


def test_update_merges_details_and_kwargs_in_place():
    from rm_gallery.core.data.schema import BaseDataSet, DataSample

    def sample(detail_name):
        return DataSample(unique_id="m", input=[{"role": "user", "content": "q",
                                                 "additional_kwargs": {detail_name: 1}}],
                          output=[{"answer": {"role": "assistant", "content": "a", "additional_kwargs": {detail_name: 2},
                                              "reward": {"score": 0.5, "details": [
                                                  {"name": detail_name, "reason": "", "score": 0.5}]}}}])

    merged = sample("x")
    assert merged.update(sample("y")) is merged
    assert [d.name for d in merged.output[0].answer.reward.details] == ["x", "y"]
    assert merged.output[0].answer.additional_kwargs == {"x": 2, "y": 2}
    assert merged.input[-1].additional_kwargs == {"x": 1, "y": 1}
    dataset = BaseDataSet(name="d", datasamples=[merged.model_dump()])
    assert len(dataset) == 1 and dataset[0].unique_id == "m"
    assert BaseDataSet.from_dict(dataset.to_dict()) == dataset


def test_a_value_that_does_not_fit_names_its_path():
    from rm_gallery._model import ValidationError

    with pytest.raises(ValidationError, match="^DataSample: input: expected a list of ChatMessage, got str$"):
        DataSample(unique_id="a", input="x")
    with pytest.raises(ValueError, match=r"^DataSample: input: \[1\]: ChatMessage: expected a dict, got int$"):
        DataSample(unique_id="a", input=[{"role": "user", "content": "x"}, 3])
    with pytest.raises(TypeError, match=r"^DataSample: output: \[0\]: DataOutput: answer: Step: expected a dict"):
        DataSample(unique_id="a", output=[{"answer": 5}])


def test_message_helpers_of_rm_gallery():
    from rm_gallery.core.model.message import ChatTool, GeneratorChatResponse, Tool

    call = ChatTool(id="c1", function={"name": "add", "arguments": "{\"a\": 1}"})
    assert isinstance(call.function, Tool) and call.function.name == "add" and call.type == "function"
    joined = ChatMessage(role="assistant", content="Hel") + ChatMessage(content="lo")
    assert (joined.role, joined.content) == (MessageRole.ASSISTANT, "Hello")
    assert (ChatMessage(content="x") + None).content == "x"
    messages = ChatMessage.convert_from_strings(["q1", "a1", "q2"], "be brief")
    assert [(m.role, m.content) for m in messages] == [(MessageRole.SYSTEM, "be brief"), (MessageRole.USER, "q1"),
                                                      (MessageRole.ASSISTANT, "a1"), (MessageRole.USER, "q2")]
    assert ChatMessage.convert_to_strings(messages) == (["q1", "a1", "q2"], "be brief")
    assert GeneratorChatResponse(message={"role": "assistant", "content": "hi"}).message.content == "hi"
