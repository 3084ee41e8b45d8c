"""_rmg's C++ JSON writer and reader for rm_gallery's data classes (python/src/model_json.cc).

They replace model_dump_json() / model_validate_json() on the evaluate paths, so each test
holds them to the Python code's exact result: the same text, the same objects, the same errors.
"""

import datetime
import enum
import json
import re

import pytest

from rm_gallery import _rmg
from rm_gallery._model import Field, Model, list_of
from rm_gallery.core.data.schema import DataOutput, DataSample, Step
from rm_gallery.core.model.message import ChatMessage, MessageRole
from rm_gallery.gallery.rm.format.format import LengthPenaltyReward
from rm_gallery.gallery.rm.general import F1ScoreReward, RougeReward


def python_text(value):
    """What the Python code writes, with the C++ writer's separators."""
    from rm_gallery._model import _dump

    return json.dumps(_dump(value, "json"), ensure_ascii=False, separators=(",", ":"))


def rich_sample():
    """Every kind of value a DataSample holds: enums, datetimes with and without a zone,
    escapes, non-ASCII text, numbers, nested lists, tuples, None (all times fixed)."""
    utc = datetime.timezone.utc
    return DataSample(
        unique_id="rich-\u00e9\u2028\U0001f600",
        input=[ChatMessage(role=MessageRole.SYSTEM, content='q "quoted" \\ back\nline\t\x01\x1f\x7f',
                           time_created=datetime.datetime(2025, 1, 2, 3, 4, 5, 60, tzinfo=utc)),
               ChatMessage(content="naive time", time_created=datetime.datetime(999, 12, 31, 23, 59, 59))],
        output=[DataOutput(
            answer=Step(role="assistant", content="$\\frac{1}{2}$ " * 40, label={"reference": "0.5", "k": [1, 2.5]},
                        tool_calls=[{"id": "c1", "function": {"name": "f", "arguments": "{}"}}],
                        additional_kwargs={"n": 2**62, "neg": -3, "f": [1e-06, 1e16, 0.1, -0.0, 3.0], "t": (1, "a"),
                                           "b": [True, False, None], "role": MessageRole.USER},
                        reward={"score": 0.25, "details": [{"name": "d", "reason": "r", "score": 0.25}]},
                        time_created=datetime.datetime(2025, 6, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
            steps=[Step(content="s1", time_created=datetime.datetime(2025, 1, 1))],
        )],
        task_category="chat",
        metadata={"split": "test", "nested": {"deep": [{"x": 1}]}},
        created_at=datetime.datetime(2024, 2, 29, 12, 0, 0, 123456),
    )


def test_writer_matches_model_dump_json_exactly(samples):
    for value in [DataSample.model_validate(s) for s in samples] + [rich_sample(), {"big": [2**70, -2**64]}]:
        assert _rmg.dump_model_json(value) == python_text(value)
    rich = rich_sample()
    assert json.loads(_rmg.dump_model_json(rich)) == json.loads(rich.model_dump_json())


def test_writer_escapes_every_control_byte_as_json_dumps_does():
    text = "".join(chr(c) for c in range(0x80)) * 3 + "\u00e9\u2028\U0001f600 plain run of ascii text"
    for cut in range(0, 24):  # the word-at-a-time scan meets the escapes at every offset
        assert _rmg.dump_model_json(text[cut:]) == json.dumps(text[cut:], ensure_ascii=False)


def test_a_lone_surrogate_is_written_as_a_replacement_character_not_an_error():
    # Text decoded with "surrogateescape" holds lone surrogates, which have no UTF-8:
    # one such sample must not fail a batch. Each becomes one U+FFFD, as the escape
    # "\udcff" does in a file `rmg eval` reads, on both the C++ path and the one through Python.
    assert _rmg.dump_model_json("x\udcffy") == '"x\ufffdy"'
    assert _rmg.dump_model_json("\ud800\U0001f600\udc00") == '"\ufffd\U0001f600\ufffd"'
    # A pair held as two code points is the character it encodes, as Python's json reads it.
    assert _rmg.dump_model_json("\ud83d\ude00\udcff") == '"\U0001f600\ufffd"'
    assert _rmg.dump_model_json({1: "\udcff"}) == '{"1":"\ufffd"}'
    sample = DataSample(unique_id="s", output=[DataOutput(answer=Step(content="caf\udce9", label={"reference": "x"}))])
    scored = LengthPenaltyReward().evaluate_batch([sample, DataSample(unique_id="t", output=[
        DataOutput(answer=Step(content="fine", label={"reference": "x"}))])], max_workers=2)
    assert [s.output[0].answer.content for s in scored] == ["caf\ufffd", "fine"]
    assert scored[0].output[0].answer.reward.details[0].reason == "Too short: 4 < 10"


def test_writer_hands_what_it_does_not_know_to_python():
    assert _rmg.dump_model_json({1: "a", None: 2.5}) == python_text({1: "a", None: 2.5})

    class Custom(Model):
        FIELDS = {"x": Field(default=1)}

        def model_dump(self, mode="python"):
            return {"custom": True}

    assert _rmg.dump_model_json([Custom()]) == '[{"custom":true}]'
    with pytest.raises(TypeError):
        _rmg.dump_model_json(DataSample(unique_id="u", metadata={"o": object()}))
    cycle = []
    cycle.append(cycle)
    with pytest.raises(RecursionError):
        _rmg.dump_model_json(cycle)


def test_reader_builds_what_model_validate_json_builds():
    text = _rmg.dump_model_json(rich_sample())
    fast = _rmg.load_model_json(DataSample, text)
    slow = DataSample.model_validate_json(text)
    assert fast == slow
    assert fast.model_dump(mode="json") == slow.model_dump(mode="json")
    assert type(fast.output[0].answer) is Step and type(fast.input[0]) is ChatMessage
    assert fast.input[0].role is MessageRole.SYSTEM
    assert fast.input[0].time_created == datetime.datetime(2025, 1, 2, 3, 4, 5, 60, tzinfo=datetime.timezone.utc)
    assert fast.output[0].answer.additional_kwargs["n"] == 2**62
    huge = _rmg.load_model_json(DataSample, '{"unique_id": "u", "metadata": {"n": 1180591620717411303424}}')
    assert huge.metadata["n"] == 2**70  # beyond 64 bits: Python's reader takes over
    assert fast.output[0].answer.reward.details[0].score == 0.25


def test_reader_fills_defaults_and_converts_as_model_init_does():
    text = '{"unique_id": 7, "input": [{"role": "assistant", "time_created": "not a date"}], ' \
           '"output": [{"answer": {"content": "x", "reward": {"score": 1}, "time_created": "2025-01-01T00:00:00"}}], ' \
           '"created_at": "2025-01-01T00:00:00Z"}'
    fast = _rmg.load_model_json(DataSample, text)
    slow = DataSample.model_validate_json(text)
    assert fast == slow
    assert fast.unique_id == "7" and fast.input[0].time_created == "not a date"
    assert fast.output[0].answer.reward.score == 1.0 and isinstance(fast.output[0].answer.reward.score, float)
    assert fast.output[0].steps is None and fast.output[0].answer.label == {}
    assert fast.output[0].answer.label is not _rmg.load_model_json(DataSample, text).output[0].answer.label
    assert fast.created_at == datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)


def test_reader_raises_what_python_raises():
    with pytest.raises(ValueError, match="DataSample: field 'unique_id' is required"):
        _rmg.load_model_json(DataSample, '{"input": []}')
    with pytest.raises(ValueError, match="DataOutput: field 'answer' is required"):
        _rmg.load_model_json(DataSample, '{"unique_id": "u", "output": [{"answer": null}]}')
    with pytest.raises(json.JSONDecodeError):
        _rmg.load_model_json(DataSample, '{"unique_id": ')
    with pytest.raises(ValueError):
        _rmg.load_model_json(DataSample, '{"unique_id": "u", "input": [{"role": "robot"}]}')


def test_reader_respects_a_class_with_its_own_init():
    class Counted(Model):
        FIELDS = {"x": Field(default=0)}
        built = 0

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            type(self).built += 1

    class Holder(Model):
        FIELDS = {"items": Field(factory=list, convert=list_of(Counted))}

    holder = _rmg.load_model_json(Holder, '{"items": [{"x": 1}, {"x": 2}]}')
    assert [c.x for c in holder.items] == [1, 2] and Counted.built == 2


def test_batch_equals_the_json_text_path(samples):
    work = [DataSample.model_validate(s) for s in samples] * 30 + [rich_sample()]
    for reward in (F1ScoreReward(), RougeReward()):
        texts = [w.model_dump_json() for w in work]
        expected = [DataSample.model_validate_json(t) for t in reward._native.evaluate_batch(texts, 2)]
        batch = reward.evaluate_batch(work, max_workers=2)
        assert [b.model_dump(mode="json") for b in batch] == [e.model_dump(mode="json") for e in expected]
        assert all(type(b) is DataSample for b in batch)


def test_a_sample_rmg_cannot_read_fails_alone_and_the_gc_stays_on(samples):
    import gc

    work = [DataSample.model_validate(s) for s in samples * 70]  # 630 samples: three chunks
    reward = F1ScoreReward()
    expected = reward.evaluate_batch(work, max_workers=2)
    work[3].unique_id = None
    work[500].output[0].answer.content = 42  # Optional[Any] in RM-Gallery; rmg reads text
    batch = reward.evaluate_batch(work, max_workers=2)
    assert gc.isenabled()
    assert len(batch) == 630 and all(type(b) is DataSample for b in batch)
    for bad, why in ((3, "unique_id"), (500, "output[0].answer.content: expected a string")):
        detail = batch[bad].output[0].answer.reward.details[-1]
        assert (detail.name, detail.score) == ("f1_score", 0.0) and detail.reason.startswith("error: ")
        assert why in detail.reason
        assert batch[bad].output[0].answer.additional_kwargs["f1_score"] == {"error": detail.reason[len("error: "):]}
    good = [i for i in range(630) if i not in (3, 500)]
    assert [batch[i].model_dump(mode="json") for i in good] == [expected[i].model_dump(mode="json") for i in good]
    assert work[500].output[0].answer.reward.details == []  # the caller's sample is not changed


def test_the_raw_batch_puts_a_value_error_in_a_bad_records_place(samples):
    texts = [json.dumps(s) for s in samples[:3]]
    texts.insert(1, '{"unique_id": "x", "output": 7}')
    texts.append("not json")
    results = F1ScoreReward()._native.evaluate_batch(texts, 2)
    assert [type(r) for r in results] == [str, ValueError, str, str, ValueError]
    assert "output" in str(results[1])
    assert [json.loads(results[i])["unique_id"] for i in (0, 2, 3)] == [s["unique_id"] for s in samples[:3]]


def test_a_batch_item_that_is_no_data_sample_is_named_before_anything_is_scored(samples):
    from rm_gallery._model import ValidationError

    work = [DataSample.model_validate(s) for s in samples[:3]]
    for item, why in ((None, "expected a DataSample or dict, got NoneType"),
                      ({"output": []}, "field 'unique_id' is required"),
                      ({"unique_id": "a", "output": [{}]}, "output: [0]: DataOutput: field 'answer' is required")):
        with pytest.raises(ValidationError, match=re.escape("samples[1]: ") + ".*" + re.escape(why)):
            F1ScoreReward().evaluate_batch([work[0], item, work[2]], max_workers=2)


class Colour(str, enum.Enum):
    RED = "red"


def test_enum_values_are_written_by_value():
    assert _rmg.dump_model_json({"c": Colour.RED, "r": MessageRole.FUNCTION}) == '{"c":"red","r":"function"}'


def test_an_error_while_building_results_stops_the_batch_cleanly(samples):
    """A converter that raises mid-pipeline: its error comes out, rmg's thread is joined."""
    import gc

    def refuse_boom(value):
        if value == "boom":
            raise RuntimeError("refused boom")
        return value

    class Strict(Model):
        FIELDS = {"unique_id": Field(required=True, convert=refuse_boom)}

    work = [DataSample.model_validate(s) for s in samples * 70]
    work[400].unique_id = "boom"
    reward = F1ScoreReward()
    with pytest.raises(RuntimeError, match="refused boom"):
        reward._native.evaluate_models(work, Strict, 2)
    assert gc.isenabled()
    work[400].unique_id = "fine"
    assert [r.unique_id for r in reward._native.evaluate_models(work, Strict, 2)] == [w.unique_id for w in work]


class ScalarLike:
    """What numpy gives for a scalar or an array (numpy itself is not a test dependency)."""

    def __init__(self, value):
        self.value = value

    def tolist(self):
        return self.value


def scored_sample(unique_id, metadata):
    return DataSample(unique_id=unique_id, metadata=metadata,
                      output=[DataOutput(answer=Step(content="4", label={"reference": "4"}))])


def test_metadata_values_of_pandas_rows_are_written_as_pydantic_writes_them():
    import decimal
    import pathlib
    import uuid

    from rm_gallery.gallery.rm.general import AccuracyReward

    metadata = {"n": ScalarLike(3), "row": ScalarLike([1.5, 2]), "day": datetime.date(2025, 1, 2),
                "at": datetime.time(3, 4), "price": decimal.Decimal("1.50"), "id": uuid.UUID(int=5),
                "path": pathlib.PurePosixPath("/a/b")}
    scored = AccuracyReward().evaluate(scored_sample("a", metadata))
    assert scored.output[0].answer.reward.score == 1.0
    assert scored.metadata == {"n": 3, "row": [1.5, 2], "day": "2025-01-02", "at": "03:04:00", "price": "1.50",
                               "id": "00000000-0000-0000-0000-000000000005", "path": "/a/b"}


def test_a_sample_json_cannot_carry_fails_alone_in_a_batch():
    from rm_gallery.gallery.rm.general import AccuracyReward

    class Opaque:
        pass

    cyclic = {}
    cyclic["self"] = cyclic
    reward = AccuracyReward()
    for metadata, why in (({"o": Opaque()}, "TypeError: Object of type Opaque is not JSON serializable"),
                          (cyclic, "RecursionError: ")):
        batch = reward.evaluate_batch([scored_sample("a", {}), scored_sample("b", metadata), scored_sample("c", {})],
                                      max_workers=2)
        assert [b.output[0].answer.reward.score for b in batch] == [1.0, 0.0, 1.0]
        reason = batch[1].output[0].answer.reward.details[-1].reason
        assert reason.startswith("error: the sample cannot be written as JSON: " + why)
        assert "\n" not in reason
