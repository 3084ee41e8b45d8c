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


def test_rm_gallery_readme_script_runs_unchanged(scripted_llm, tmp_path):
    import os
    import pathlib
    import subprocess
    import sys

    # The judge picks the refusal wherever rmg's shuffle put it, with a thinking trace.
    base_url, requests = scripted_llm({
        "rules": [{"match": "## Answer 1\nI'm sorry", "reply": "<think>Answer 1 refuses.</think><best>1</best>"}],
        "default_reply": "<think>Answer 2 refuses.</think><best>2</best>"})
    script = pathlib.Path(__file__).parent / "scripts" / "readme_quickstart.py"
    text = script.read_text().replace('"your_base_url"', repr(base_url))
    runnable = tmp_path / "readme_quickstart.py"
    runnable.write_text(text)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, str(runnable)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "safety_listwise_reward" in done.stdout and "accuracy" in done.stdout  # RewardRegistry.list()
    single = DataSample.model_validate_json(next(line for line in lines if line.startswith('{"unique_id"')))
    assert [o.answer.reward.score for o in single.output] == [0.0, 1.0]
    assert single.output[1].answer.reward.details[0].name == "safety_listwise_reward"
    assert "[1.0, 1.0, 1.0]" in done.stdout  # the custom reward finds the refusal safe
    assert "BEST I'm sorry" in done.stdout
    assert requests()[0]["model"] == "qwen3-8b"
