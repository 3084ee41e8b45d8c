"""OpenaiLLM, the C++ rubric judges with llm=, and Python LLM rewards, against a scripted OpenAI server on loopback."""

import json
import os
import subprocess
import sys

import pytest

from rm_gallery.core.data.schema import DataOutput, DataSample, Step
from rm_gallery.core.model.openai_llm import OpenaiLLM
from rm_gallery.core.reward.base import BaseListWiseRubricReward, BaseListWiseReward, BasePointWiseRubricReward
from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.core.reward.template import RubricListWiseTemplate, RubricPointWiseTemplate
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward
from rm_gallery.gallery.rm.alignment.helpfulness.chat import ChatListWiseReward


def sample():
    return DataSample(unique_id="j1", input=[{"role": "user", "content": "How do I boil an egg?"}],
                      output=[DataOutput(answer=Step(role="assistant", content=c))
                              for c in ["Put it in water.", "Boil water, add the egg, wait 9 minutes, cool it."]])


def test_openai_llm_reads_the_environment_and_chats(scripted_llm, monkeypatch):
    base_url, requests = scripted_llm({"rules": [{"match": "egg", "reply": "Nine minutes."}], "default_reply": "?"})
    monkeypatch.setenv("OPENAI_API_KEY", "EMPTY")
    monkeypatch.setenv("BASE_URL", base_url)
    llm = OpenaiLLM(model="scripted")
    assert (llm.temperature, llm.max_tokens, llm.max_retries) == (0.85, 8192, 10)
    assert llm.simple_chat("How long for an egg?") == "Nine minutes."
    body = requests()[-1]
    assert body["model"] == "scripted"
    assert [m["role"] for m in body["messages"]] == ["system", "user"]


def test_openai_llm_without_key_or_endpoint_is_a_value_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(ValueError, match="OPENAI_API_KEY"):
        OpenaiLLM(model="m")
    with pytest.raises(ValueError, match="BASE_URL"):
        OpenaiLLM(model="m", openai_api_key="k")


def test_a_failing_endpoint_raises_api_call_failed():
    llm = OpenaiLLM(model="m", openai_api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=0)
    with pytest.raises(Exception, match="API call failed"):
        llm.simple_chat("hi")


def test_native_listwise_judge_uses_the_llm_and_ranks(scripted_llm):
    base_url, requests = scripted_llm({"rules": [], "default_reply": "<think>Answer 2 is complete.</think><best>2</best>"})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)
    reward = RewardRegistry.get("chat_listwise_reward")(name="chat_listwise_reward", llm=llm)
    assert isinstance(reward, ChatListWiseReward) and isinstance(reward, BaseListWiseReward)
    scored = reward.evaluate(sample())
    assert sum(o.answer.reward.score for o in scored.output) == 1.0
    assert scored.output[0].answer.reward.details[0].name == "chat_listwise_reward"
    # as RM-Gallery's llm.simple_chat: the judge's prompt follows its default system message
    assert requests()[-1]["messages"][0] == {"role": "system", "content": "You are a helpful assistant."}


def test_python_rubric_template_writes_the_prompt_the_cpp_judge_sends(scripted_llm):
    base_url, requests = scripted_llm({"rules": [], "default_reply": "<think>fine</think><best>1</best>"})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)
    judge = BaseHelpfulnessListWiseReward(llm=llm, shuffle=False)
    judge.evaluate(sample())
    cpp_prompt = requests()[-1]["messages"][-1]["content"]

    class PythonHelpfulness(BaseListWiseRubricReward):
        name: str = "py_helpfulness"

    python_judge = PythonHelpfulness(llm=llm, desc=cpp_param(judge, "desc"), scenario=cpp_param(judge, "scenario"),
                                     rubrics=cpp_param(judge, "rubrics"))
    prompt = python_judge.format(sample()).input[-1].additional_kwargs["py_helpfulness"]["prompt"]
    assert prompt == cpp_prompt


def test_gallery_judges_format_the_prompts_evaluate_sends_without_sending(scripted_llm):
    base_url, requests = scripted_llm({"rules": [], "default_reply": "<reason>ok</reason><violation>[]</violation>"})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)
    pointwise = RewardRegistry.get("base_honesty_pointwise")(llm=llm)
    formatted = pointwise.format(sample().model_dump())
    assert requests() == []
    prompts = [o.answer.additional_kwargs["base_honesty_pointwise"]["prompt"] for o in formatted.output]
    assert [o.answer.reward.details for o in formatted.output] == [[], []]
    pointwise.evaluate(sample())
    assert sorted(prompts) == sorted(r["messages"][-1]["content"] for r in requests())

    listwise = ChatListWiseReward(llm=llm)  # shuffled: format shows the order evaluate sends
    original = sample()
    prompt = listwise.format(original).input[-1].additional_kwargs["chat_listwise_reward"]["prompt"]
    assert original.input[-1].additional_kwargs == {}
    listwise.evaluate(original)
    assert prompt == requests()[-1]["messages"][-1]["content"]

    listed_context = sample()
    listed_context.input[-1].additional_kwargs["context"] = ["passage 1", "passage 2"]
    with pytest.raises(ValueError, match="context must be a string, not array"):
        listwise.format(listed_context)
    with pytest.raises(ValueError, match="no input messages"):
        listwise.format(DataSample(unique_id="e", input=[], output=sample().output))

    class PythonJudge(BaseListWiseRubricReward):  # the Python port refuses it too
        name: str = "py_judge"

    with pytest.raises(ValueError, match="context must be a string, not list"):
        PythonJudge(llm=llm, rubrics=["r"]).format(listed_context)


def cpp_param(reward, key):
    """The default of `key` in the C++ judge's parameters, as `rmg list --json` shows it."""
    listing = json.loads(subprocess.run([os.environ.get("RMG_BINARY", "build/release/rmg"), "list", "--json"],
                                        capture_output=True, text=True, check=True).stdout)
    spec = next(r for r in listing if r["name"] == reward.REGISTRY_NAME)
    return next(p["default"] for p in spec["parameters"] if p["name"] == key)


def test_python_pointwise_rubric_reward_scores_by_violations(scripted_llm):
    base_url, _ = scripted_llm({"rules": [{"match": "water, add", "reply": "<think>ok</think><violation>[]</violation>"}],
                                "default_reply": "<think>terse</think><violation>['Be complete']</violation>"})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)

    class Complete(BasePointWiseRubricReward):
        name: str = "complete"
        rubrics: list = ["Be complete", "Be kind"]

    scored = Complete(llm=llm).evaluate(sample())
    assert [o.answer.reward.score for o in scored.output] == [0.5, 1.0]
    assert scored.output[0].answer.reward.details[0].reason == "terse"
    assert "prompt" in scored.output[0].answer.additional_kwargs["complete"]


def judged_by(base, rubrics, reply, scripted_llm):
    """sample() scored by a `base` rubric reward with `rubrics`, whose LLM always answers `reply`."""
    base_url, _ = scripted_llm({"rules": [], "default_reply": reply})
    judge = type("Judge", (base,), {"__annotations__": {"name": str, "rubrics": list, "max_retries": int},
                                    "name": "judge", "rubrics": rubrics, "max_retries": 1})
    return judge(llm=OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)).evaluate(sample())


@pytest.mark.parametrize("reply, scores, error", [
    # A wrong tag was no violation (1.0) in RM-Gallery; rmg's judges call it an error.
    ("<reason>r</reason><violations>[1]</violations>", None, "reply has no <violation> tag"),
    # More violations than rubrics went below 0; a rubric named twice counted twice.
    ("<reason>r</reason><violation>['a', 'b', 'c', 'd', 'e']</violation>", [0.0, 0.0], None),
    ("<reason>r</reason><violation>[1, 1]</violation>", [0.5, 0.5], None),
    ("<reason>r</reason><violation>[7]</violation>", None, "names rubric 7 of 2"),
])
def test_python_pointwise_rubric_reward_reads_replies_as_the_cpp_judges(scripted_llm, reply, scores, error):
    scored = judged_by(BasePointWiseRubricReward, ["Be complete", "Be kind"], reply, scripted_llm)
    if error is None:
        assert [o.answer.reward.score for o in scored.output] == scores
    else:
        assert scored.output[0].answer.reward.details == []
        assert error in scored.output[0].answer.additional_kwargs["judge"]["error"]


@pytest.mark.parametrize("reply, rank, error", [
    ("<best>0</best>", None, "not an answer number in 1..2"),  # RM-Gallery picked the last answer
    ("<best>3</best>", None, "not an answer number in 1..2"),
    ("<best>**Answer 2**</best>", [0.0, 1.0], None),
    ("<reason>not <best>1</best></reason><best>2</best>", [0.0, 1.0], None),  # quoted in the reasoning
])
def test_python_listwise_rubric_reward_reads_replies_as_the_cpp_judges(scripted_llm, reply, rank, error):
    scored = judged_by(BaseListWiseRubricReward, ["Be complete"], reply, scripted_llm)
    if error is None:
        assert [o.answer.reward.score for o in scored.output] == rank
    else:
        assert scored.output[0].answer.reward.details == []
        assert error in scored.input[-1].additional_kwargs["judge"]["error"]


def test_a_template_whose_parse_changes_the_verdict_is_scored_by_that_verdict(scripted_llm):
    base_url, _ = scripted_llm({"rules": [], "default_reply": "<reason>r</reason><best>1</best>"})

    class Contrarian(RubricListWiseTemplate):
        @classmethod
        def parse(cls, text):
            response = super().parse(text)
            response.best = 2
            return response

    class Judge(BaseListWiseRubricReward):
        name: str = "judge"
        rubrics: list = ["Be complete"]
        template: type = Contrarian

    scored = Judge(llm=OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)).evaluate(sample())
    assert [o.answer.reward.score for o in scored.output] == [0.0, 1.0]


def test_llm_failures_become_error_results(scripted_llm):
    base_url, _ = scripted_llm({"rules": [], "default_reply": "no tags at all"})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)

    class Picky(BaseListWiseRubricReward):
        name: str = "picky"
        rubrics: list = []
        max_retries: int = 2

    scored = Picky(llm=llm).evaluate(sample())
    assert scored.output[0].answer.reward.details == []
    assert "best" in scored.input[-1].additional_kwargs["picky"]["error"]


def test_template_parse_and_schema_follow_rm_gallery():
    parsed = RubricListWiseTemplate.parse("<reason>why</reason><best>2</best>")
    assert (parsed.reason, parsed.best) == ("why", 2)
    schema = RubricListWiseTemplate.schema()
    assert schema.startswith("Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n")
    assert "<reason>\nyour reasoning trace\n</reason>\n" in schema
    assert "<reason>" not in RubricListWiseTemplate.schema(enable_thinking=True)


def test_a_gallery_judge_shows_rm_gallerys_field_values(monkeypatch):
    # They were None: the values lived only in C++.
    monkeypatch.setenv("OPENAI_API_KEY", "EMPTY")
    pointwise = RewardRegistry.get("base_helpfulness_pointwise")()
    assert pointwise.rubrics[0].startswith("Efficient Task Execution: ") and len(pointwise.rubrics) == 3
    assert pointwise.scenario.startswith("The assistant aims to answer questions")
    assert pointwise.desc.startswith("Please act as an impartial judge")
    assert pointwise.examples == [] and pointwise.max_retries == 3
    assert pointwise.template is RubricPointWiseTemplate
    chat = ChatListWiseReward()
    assert chat.scenario.startswith("Chat: Simulates human conversation") and chat.template is RubricListWiseTemplate
    assert ChatListWiseReward(max_retries=5, rubrics=["R"]).max_retries == 5
    assert ChatListWiseReward(rubrics=["R"]).rubrics == ["R"]


def test_a_subclass_of_a_gallery_judge_sends_its_own_scenario_rubrics_and_name(scripted_llm):
    # RM-Gallery's scenario judges are written this way: fields overridden on a 3H base.
    base_url, requests = scripted_llm({"rules": [], "default_reply": "<best>1</best>"})

    class MyJudge(BaseHelpfulnessListWiseReward):
        name: str = "my_judge"
        scenario: str = "MY SCENARIO"
        rubrics: list = ["MY RUBRIC ONE"]

    judge = MyJudge(llm=OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url), shuffle=False)
    assert judge.name == "my_judge" and judge.scenario == "MY SCENARIO"
    scored = judge.evaluate(sample())
    assert scored.output[0].answer.reward.details[0].name == "my_judge"
    prompt = requests()[-1]["messages"][-1]["content"]
    assert "MY SCENARIO" in prompt and "MY RUBRIC ONE" in prompt
    assert MyJudge(llm=judge.llm, scenario="GIVEN").scenario == "GIVEN"  # a keyword beats the class's value


def test_an_unreadable_reply_is_asked_again_by_the_judges_retries_not_the_llms(scripted_llm):
    # OpenaiLLM.max_retries (10) is its HTTP client's; the judge's own max_retries (3) bound the attempts.
    base_url, requests = scripted_llm({"rules": [], "default_reply": "I cannot decide."})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)
    scored = BaseHelpfulnessListWiseReward(llm=llm).evaluate(sample())
    assert "unreadable reply" in scored.output[0].answer.reward.details[0].reason
    assert len(requests()) == 4  # rmg's judges: one attempt and max_retries=3 more
    BaseHelpfulnessListWiseReward(llm=llm, max_retries=1).evaluate(sample())
    assert len(requests()) == 4 + 2


def test_an_llm_shared_with_a_rule_reward_is_ignored_and_a_foreign_llm_is_a_clear_error(scripted_llm):
    from rm_gallery.core.model.base import BaseLLM
    from rm_gallery.gallery.rm.general import AccuracyReward

    base_url, _ = scripted_llm({"rules": [], "default_reply": "<best>1</best>"})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)
    assert AccuracyReward(llm=llm).params == {}

    class LocalLLM(BaseLLM):
        def chat(self, messages, **kwargs):
            raise AssertionError("not called")

    with pytest.raises(TypeError, match="llm must be an OpenaiLLM.*LocalLLM"):
        BaseHelpfulnessListWiseReward(llm=LocalLLM(model="local"))


INTERRUPTED_CALLS = r"""
import os, signal, sys, threading
from rm_gallery.core.data.schema import DataSample
from rm_gallery.core.model.openai_llm import OpenaiLLM
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward

llm = OpenaiLLM(model="m", openai_api_key="k", base_url=sys.argv[1])  # defaults: 60 s a try, 10 retries
judge = BaseHelpfulnessListWiseReward(llm=llm)
sample = DataSample(unique_id="s", input=[{"role": "user", "content": "slow please"}],
                    output=[{"answer": {"content": "a"}}, {"answer": {"content": "b"}}])
for call in (lambda: llm.simple_chat("slow please"), lambda: judge.evaluate(sample),
             lambda: judge.evaluate_batch([sample, sample], max_workers=2)):
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    try:
        call()
        print("returned", flush=True)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
"""


def test_ctrl_c_interrupts_a_chat_and_a_judge_waiting_on_the_endpoint(scripted_llm, tmp_path):
    # The endpoint answers "slow please" after 30 s, every time: without the interrupt
    # each call would wait for many minutes of retries, and the subprocess's timeout fails the test.
    base_url, _ = scripted_llm({"rules": [{"match": "slow please", "reply": "<best>1</best>",
                                           "faults": ["slow"] * 50}]})
    script = tmp_path / "interrupt.py"
    script.write_text(INTERRUPTED_CALLS)
    done = subprocess.run([sys.executable, str(script), base_url], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ))
    assert done.stdout.split() == ["interrupted"] * 3, done.stderr


def test_a_template_converts_tags_to_its_fields_types_as_pydantic():
    from typing import Optional

    from rm_gallery.core.reward.template import BasePromptTemplate, Field

    class Graded(BasePromptTemplate):
        score: float = Field(default=..., description="a score")
        ok: bool = Field(default=..., description="acceptable?")
        count: Optional[int] = Field(default=None, description="how many")
        note: str = Field(default="", description="a note")

    parsed = Graded.parse("<score> 0.8 </score><ok>False</ok><count>3</count><note>42</note>")
    assert (parsed.score, parsed.ok, parsed.count, parsed.note) == (0.8, False, 3, "42")
    assert Graded.parse("<score>1</score><ok>yes</ok>").ok is True
    with pytest.raises(ValueError, match="field 'score': cannot read 'high' as float"):
        Graded.parse("<score>high</score><ok>true</ok>")


def test_llm_refinement_asks_with_rmgs_prompt_and_appends_answers(scripted_llm):
    from rm_gallery import _rmg
    from rm_gallery.core.base import BaseModule
    from rm_gallery.core.reward.evaluator import BaseEvaluator
    from rm_gallery.core.reward.refinement import LLMRefinement
    from rm_gallery.gallery.rm.math.math import MathVerifyReward

    base_url, requests = scripted_llm({"rules": [], "default_reply": "<think>hmm</think>\n6 x 7 = \\boxed{42}"})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)
    reward = MathVerifyReward()
    sample = DataSample(unique_id="r", input=[{"role": "user", "content": "What is 6 x 7?"}],
                        output=[{"answer": {"role": "assistant", "content": "\\boxed{41}", "label": {"reference": "42"}}}])
    refined = LLMRefinement(reward=reward, llm=llm, max_iterations=2).run(sample)
    assert [o.answer.content for o in refined.output] == ["\\boxed{41}", "6 x 7 = \\boxed{42}", "6 x 7 = \\boxed{42}"]
    assert len(sample.output) == 1  # the caller's sample is unchanged
    sent = [r["messages"][-1]["content"] for r in requests()]
    first = DataSample.model_validate(sample.model_dump())
    feedback = reward.evaluate(first).output[0].answer.reward.details[0].reason
    assert sent[0] == _rmg.refinement_prompt(_rmg.dump_model_json(first), feedback)  # rmg refine's text
    assert "not equal" in sent[0]
    # With no answer yet, the first comes from llm.chat(input).
    empty = DataSample(unique_id="e", input=[{"role": "user", "content": "What is 6 x 7?"}])
    assert len(LLMRefinement(reward=reward, llm=llm, max_iterations=1).run(empty).output) == 2
    assert isinstance(reward, BaseModule) and reward.run() is None

    class MeanScore(BaseEvaluator):
        def summary(self, results):
            return {"mean": sum(o.answer.reward.score for s in results for o in s.output) / len(results)}

    right = DataSample(unique_id="ok", output=[{"answer": {"content": "\\boxed{42}", "label": {"reference": "42"}}}])
    assert MeanScore(reward=reward).run([right, sample]) == {"mean": 0.5}


def test_llm_rewards_refine_with_their_own_llm_or_the_one_given(scripted_llm):
    base_url, requests = scripted_llm({"rules": [], "default_reply": "<think>ok</think><best>1</best>"})
    llm = OpenaiLLM(model="scripted", openai_api_key="EMPTY", base_url=base_url)

    class Brief(BasePointWiseRubricReward):
        name: str = "brief"
        rubrics: list = ["Be brief."]

    start = DataSample(unique_id="r", input=[{"role": "user", "content": "Hi?"}],
                       output=[{"answer": {"role": "assistant", "content": "Hello."}}])
    for reward in (Brief(llm=llm), BaseHelpfulnessListWiseReward(llm=llm)):
        refined = reward.refine(start, max_iterations=2)
        assert [o.answer.content for o in refined.output] == ["Hello.", "<best>1</best>", "<best>1</best>"]
        assert len(start.output) == 1
    assert requests()
    with pytest.raises(ValueError, match="Brief.refine: no llm given"):
        Brief().refine(start)
