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


def test_tool_calls_are_chat_tools_as_pydantic_builds_them():
    from rm_gallery._model import ValidationError
    from rm_gallery.core.model.message import ChatTool, Tool

    call = {"id": "c1", "type": "function", "function": {"name": "get", "arguments": "{}"}}
    message = ChatMessage(role="assistant", tool_calls=[call])
    assert isinstance(message.tool_calls[0], ChatTool) and isinstance(message.tool_calls[0].function, Tool)
    assert message.tool_calls[0].function.name == "get"
    assert message.model_dump()["tool_calls"] == [{"id": "c1", "function": {"arguments": "{}", "name": "get"},
                                                   "type": "function"}]
    back = DataSample.model_validate_json(_rmg.normalize_sample(
        DataSample(unique_id="t", output=[DataOutput(answer=Step(**message.model_dump()))]).model_dump_json()))
    assert back.output[0].answer.tool_calls[0].function.arguments == "{}"
    with pytest.raises(ValidationError, match=r"tool_calls: \[0\]: ChatTool: type: expected 'function', got 'other'"):
        ChatMessage(tool_calls=[dict(call, type="other")])
    with pytest.raises(ValidationError, match="tool_calls: expected a list of ChatTool, got str"):
        ChatMessage(tool_calls="notalist")
    with pytest.raises(ValidationError, match=r"tool_calls: \[0\]: ChatTool: field 'id' is required"):
        ChatMessage(tool_calls=[{"function": {"name": "f", "arguments": ""}}])


def test_the_pydantic_calls_ported_code_makes():
    sample = DataSample(unique_id="p", metadata=None, source="s",
                        output=[DataOutput(answer=Step(content="a", label={"reference": "a"})),
                                DataOutput(answer=Step(content="b"))])
    dumped = sample.model_dump(exclude={"created_at", "input"})
    assert "created_at" not in dumped and "input" not in dumped and dumped["unique_id"] == "p"
    assert sample.model_dump(include={"unique_id", "source"}) == {"unique_id": "p", "source": "s"}
    nested = sample.model_dump(include={"output": {"__all__": {"answer": {"content"}}}})
    assert nested == {"output": [{"answer": {"content": "a"}}, {"answer": {"content": "b"}}]}
    assert sample.model_dump(include={"output": {1: True}})["output"] == [sample.output[1].model_dump()]
    assert sample.model_dump(exclude={"output": {0}})["output"] == [sample.output[1].model_dump()]
    compact = json.loads(sample.model_dump_json(exclude_none=True))
    assert "metadata" not in compact and "steps" not in compact["output"][0] and "task_category" not in compact
    assert "name" not in compact["output"][0]["answer"]
    assert sample.dict(exclude={"output"}).keys() == sample.model_dump(exclude={"output"}).keys()
    changed = sample.model_copy(update={"unique_id": "q"}, deep=True)
    assert changed.unique_id == "q" and sample.unique_id == "p" and changed.output[0] is not sample.output[0]
    assert DataSample.model_validate({"unique_id": "v"}, strict=False).unique_id == "v"
    assert list(DataSample.model_fields) == ["unique_id", "input", "output", "task_category", "source",
                                             "created_at", "metadata"]
    assert "label" in Step.model_fields and "role" in Step.model_fields


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
