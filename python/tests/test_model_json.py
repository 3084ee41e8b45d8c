"""_rmg's C++ JSON writer and reader for rm_gallery's data classes (python/src/model_json.cc).

They replace model_dump_json() / model_validate_json() on the evaluate paths, so each test
holds them to the Python code's exact result: the same text, the same objects, the same errors.
"""

import datetime
import enum
import json

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


def test_batch_error_names_the_sample_and_leaves_the_gc_on(samples):
    import gc

    work = [DataSample.model_validate(s) for s in samples * 70]  # 630 samples: three chunks
    for bad in (3, 500):
        work[bad].unique_id = None
        with pytest.raises(ValueError, match=f"^sample {bad}: "):
            F1ScoreReward().evaluate_batch(work, max_workers=2)
        assert gc.isenabled()
        work[bad].unique_id = "fixed"
    assert len(F1ScoreReward().evaluate_batch(work, max_workers=2)) == 630


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
