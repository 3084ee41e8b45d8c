"""rm_gallery.integrations: the trainers' exact signatures, return shapes and scores.

GSM8K cases are worked by hand from the rule: strict takes the number after the last
"#### " (commas and "$" dropped), flexible the last run of digits, dots and commas.
"""

import inspect
import json
import re
import subprocess
import sys
import types

import pytest

from rm_gallery.integrations import openrlhf, trl, verl
from rm_gallery.integrations.openrlhf_reward import reward_func as file_reward_func

ADD_TESTS = {"inputs": ["1 2\n", "2 0\n"], "outputs": ["3\n", "2\n"]}  # a - b passes only the second
ADD_OK = "Read two ints.\n```python\na, b = map(int, input().split())\nprint(a + b)\n```"
ADD_WRONG = "```python\na, b = map(int, input().split())\nprint(a - b)\n```"
RESULT_KEYS = {"score", "acc", "pred", "reward", "reason"}


def params(func):
    return [(p.name, p.kind, p.default) for p in inspect.signature(func).parameters.values()]


P = inspect.Parameter


# --- signatures -----------------------------------------------------------------------

def test_verl_signatures():
    assert params(verl.compute_score) == [
        ("data_source", P.POSITIONAL_OR_KEYWORD, P.empty), ("solution_str", P.POSITIONAL_OR_KEYWORD, P.empty),
        ("ground_truth", P.POSITIONAL_OR_KEYWORD, P.empty), ("extra_info", P.POSITIONAL_OR_KEYWORD, None),
        ("kwargs", P.VAR_KEYWORD, P.empty)]
    assert params(verl.compute_score_batch) == [
        ("data_sources", P.POSITIONAL_OR_KEYWORD, P.empty), ("solution_strs", P.POSITIONAL_OR_KEYWORD, P.empty),
        ("ground_truths", P.POSITIONAL_OR_KEYWORD, P.empty), ("extra_infos", P.POSITIONAL_OR_KEYWORD, None),
        ("kwargs", P.VAR_KEYWORD, P.empty)]


def test_openrlhf_signature():
    expected = [(n, P.POSITIONAL_OR_KEYWORD, P.empty) for n in ("queries", "prompts", "labels")]
    assert params(openrlhf.reward_func) == expected
    assert file_reward_func is openrlhf.reward_func


@pytest.mark.parametrize("func", [trl.math_accuracy_reward, trl.format_reward, trl.code_execution_reward,
                                  trl.make_reward_func("accuracy")])
def test_trl_signatures(func):
    assert params(func) == [("prompts", P.POSITIONAL_OR_KEYWORD, P.empty),
                            ("completions", P.POSITIONAL_OR_KEYWORD, P.empty), ("kwargs", P.VAR_KEYWORD, P.empty)]


# --- verl: GSM8K ----------------------------------------------------------------------

@pytest.mark.parametrize("text,method,expected", [
    ("48 / 2 = 24 in May, 48 + 24 = 72 in all.\n#### 72", "strict", "72"),
    ("#### 1,000 apples\n#### $1,250", "strict", "1000"),    # "#### $1,250" is no match: "$" is not a digit
    ("so 72\n", "strict", None),                             # no "#### "
    ("####72", "strict", None),                              # the space is required
    ("#### -5", "strict", "-5"),
    ("first 3 then 4.5 and finally 12", "flexible", "12"),
    ("It costs 1,000.", "flexible", "1,000."),               # the run keeps its commas and dot
    ("no digits here", "flexible", None),
    ("#### 8 ... 9", "flexible", "9"),
])
def test_gsm8k_extraction_by_hand(text, method, expected):
    assert verl.extract_gsm8k_answer(text, method) == expected


def test_gsm8k_strict_scores():
    right = verl.compute_score("openai/gsm8k", "24 + 48 = 72\n#### 72", "72")
    assert set(right) == RESULT_KEYS
    assert right["score"] == 1.0 and right["acc"] is True and right["pred"] == "72"
    assert right["reward"] == "accuracy"
    wrong = verl.compute_score("openai/gsm8k", "#### 71", "72")
    assert wrong["score"] == 0.0 and wrong["acc"] is False and wrong["pred"] == "71"
    # a correct number without the "#### " format scores nothing in strict mode
    assert verl.compute_score("openai/gsm8k", "The answer is 72", "72")["score"] == 0.0
    assert verl.compute_score("openai/gsm8k", "#### 1,234", "1234")["score"] == 1.0
    # format_score: a well-formed wrong answer
    assert verl.compute_score("openai/gsm8k", "#### 71", "72", format_score=0.1)["score"] == 0.1
    assert verl.compute_score("openai/gsm8k", "71", "72", format_score=0.1)["score"] == 0.0


def test_gsm8k_flexible_scores():
    assert verl.compute_score("openai/gsm8k", "The answer is 72", "72", method="flexible")["score"] == 1.0
    assert verl.compute_score("openai/gsm8k", "72 is wrong, it is 73", "72", method="flexible")["score"] == 0.0
    assert verl.compute_score("openai/gsm8k", "no number", "72", method="flexible")["score"] == 0.0
    with pytest.raises(ValueError):
        verl.compute_score("openai/gsm8k", "#### 72", "72", method="loose")


def test_gsm8k_ground_truth_may_be_a_whole_solution():
    assert verl.compute_score("openai/gsm8k", "#### 72", "24 + 48 = 72\n#### 72")["score"] == 1.0


# --- verl: math, code, extra_info -----------------------------------------------------

@pytest.mark.parametrize("source", ["lighteval/MATH", "DigitalLearningGmbH/MATH-lighteval", "HuggingFaceH4/MATH-500"])
def test_math_boxed_answer(source):
    text = "Half of one is $\\frac{1}{2}$, so the answer is $\\boxed{\\frac{1}{2}}$."
    right = verl.compute_score(source, text, "\\frac12")
    assert right["score"] == 1.0 and right["acc"] and right["reward"] == "math_verify_reward"
    assert right["pred"] == "(1 / 2)"
    assert verl.compute_score(source, text, "0.5")["score"] == 1.0
    assert verl.compute_score(source, text, "\\frac{1}{3}")["score"] == 0.0


@pytest.mark.parametrize("source", ["math_dapo", "math", "math_dapo_reasoning", "aime2024", "aime_2025"])
def test_dapo_sources_read_the_last_answer_line(source):
    # verl's math_dapo scorer: the text after the last "Answer:", 1.0 right, -1.0 otherwise.
    right = verl.compute_score(source, "So x = \\boxed{12}, wait.\nanswer: 13", "13")
    assert right["score"] == 1.0 and right["acc"] and right["pred"] == "13"
    assert verl.compute_score(source, "Answer: $\\frac{1}{2}$", "0.5")["score"] == 1.0
    wrong = verl.compute_score(source, "Answer: 205", "204")
    assert wrong["score"] == -1.0 and not wrong["acc"]
    # A boxed answer alone is not math_dapo's format; only the last 300 characters count.
    boxed = verl.compute_score(source, "... so $\\boxed{204}$", "204")
    assert boxed["score"] == -1.0 and boxed["pred"] == "[INVALID]"
    assert "Answer:" in boxed["reason"]
    assert verl.compute_score(source, "Answer: 204\n" + "x" * 300, "204")["score"] == -1.0
    assert verl.compute_score(source, "x" * 1000 + "\nAnswer: 204", "204")["score"] == 1.0


def test_dapo_strict_box_verify_reads_the_last_box():
    text = "First \\boxed{3}, then \\boxed{x^{2}}"
    assert verl.compute_score("math_dapo", text, "x^2", strict_box_verify=True)["score"] == 1.0
    assert verl.compute_score("math_dapo", text, "3", strict_box_verify=True)["score"] == -1.0
    assert verl.compute_score("math_dapo", "Answer: 3", "3", strict_box_verify=True)["score"] == -1.0
    assert verl.last_boxed("a \\boxed {y}") == "\\boxed{y}"
    assert verl.last_boxed("\\boxed{unclosed") is None


def test_geometry3k_weighs_accuracy_and_format():
    source = "hiyouga/geometry3k"
    assert verl.compute_score(source, "<think>angles</think> so \\boxed{3}", "3")["score"] == 1.0
    assert verl.compute_score(source, "so \\boxed{3}", "3")["score"] == pytest.approx(0.9)
    assert verl.compute_score(source, "<think>a</think> \\boxed{4}", "3")["score"] == pytest.approx(0.1)
    assert verl.compute_score(source, "<think>a</think> \\boxed{4}", "3", format_score=0.0)["score"] == 0.0


def test_answers_in_other_scripts():
    assert verl.compute_score("numina_cn_k12", "\\boxed{北京}", "北京")["score"] == 1.0
    assert verl.compute_score("numina_cn_k12", "\\boxed{北京市}", "北京")["score"] == 0.0


@pytest.mark.parametrize("source", ["codecontests", "apps", "codeforces", "taco", "livecodebench", "codeparrot/apps"])
def test_code_problem_pass_and_fail(source):
    passed = verl.compute_score(source, ADD_OK, json.dumps(ADD_TESTS))
    assert passed["score"] == 1.0 and passed["reward"] == "code_execution"
    assert passed["reason"] == "All test cases passed successfully"
    failed = verl.compute_score(source, ADD_WRONG, ADD_TESTS)
    assert failed["score"] == 0.5 and failed["acc"] is False
    assert failed["reason"] == "Partial success: 50.0% of test cases passed"


def test_code_ground_truth_layouts():
    tests = [{"input": "1 2\n", "output": "3\n"}, {"input": "10 -3\n", "output": "7\n"}]
    assert verl.compute_score("livecodebench", ADD_WRONG, tests)["score"] == 0.0
    assert verl.compute_score("livecodebench", ADD_OK, json.dumps(tests))["score"] == 1.0
    asserts = "assert add(1, 2) == 3\nassert add(2, 2) == 5\n"
    code = "```python\ndef add(a, b):\n    return a + b\n```"
    assert verl.compute_score("apps", code, asserts)["score"] == 0.5
    call = {"fn_name": "add", "inputs": [[1, 2], [3, 4]], "outputs": [3, 7]}
    assert verl.compute_score("taco", code, call)["score"] == 1.0
    strict = verl.compute_score("taco", code, asserts, {"reward_params": {"continuous": False}})
    assert strict["score"] == 0.0


def test_extra_info_names_the_reward():
    result = verl.compute_score("my_dataset", "Paris", "Paris", {"reward": "accuracy"})
    assert result["score"] == 1.0 and result["reward"] == "accuracy"
    penalty = verl.compute_score("my_dataset", "short", None,
                                 {"reward": "length_penalty", "reward_params": {"min_length": 10}})
    assert penalty["score"] < 0 and penalty["reward"] == "length_penalty"


def test_unknown_source_names_it():
    with pytest.raises(ValueError, match="my_new_source"):
        verl.compute_score("my_new_source", "x", "y")
    with pytest.raises(KeyError, match="accuracy"):
        verl.compute_score("my_new_source", "x", "y", {"reward": "acuracy"})


def test_batched_equals_unbatched():
    cases = [
        ("openai/gsm8k", "#### 72", "72", None),
        ("openai/gsm8k", "72", "72", None),
        ("openai/gsm8k", "#### 7", "72", None),
        ("lighteval/MATH", "$\\boxed{\\frac{1}{2}}$", "0.5", None),
        ("math_dapo", "Answer: 3", "4", None),
        ("aime2024", "Answer: 204", "204", None),
        ("codecontests", ADD_OK, json.dumps(ADD_TESTS), None),
        ("apps", ADD_WRONG, json.dumps(ADD_TESTS), None),
        ("custom", "Paris", "Paris", {"reward": "accuracy"}),
        ("custom", "<think>a</think><answer>b</answer>", None, {"reward": "reasoning_format"}),
    ] * 3
    columns = list(zip(*cases))
    batch = verl.compute_score_batch(*columns, max_workers=2)
    single = [verl.compute_score(*case) for case in cases]
    assert batch == single
    assert [r["score"] for r in batch[:10]] == [1.0, 0.0, 0.0, 1.0, -1.0, 1.0, 1.0, 0.5, 1.0, 1.0]
    assert all(set(r) == RESULT_KEYS and isinstance(r["score"], float) for r in batch)
    assert verl.compute_score_batch([], [], [], []) == []
    with pytest.raises(ValueError):
        verl.compute_score_batch(["gsm8k"], ["#### 1", "#### 2"], ["1"])


def test_one_bad_sample_does_not_fail_the_batch():
    batch = verl.compute_score_batch(
        ["custom", "custom", "lighteval/MATH", "math", "openai/gsm8k"],
        ["x", "x", "\\boxed{4}", "Answer: \ud800", "#### 4"],
        ["y", "y", "4", "4", "4"],
        [{"reward": "nope"}, {"reward": "accuracy", "reward_params": {"zz": 1}}, None, None, None])
    assert [r["score"] for r in batch] == [0.0, 0.0, 1.0, 0.0, 1.0]
    assert batch[0]["reason"].startswith("sample 0: unknown reward 'nope'")
    assert batch[1]["reason"].startswith("sample 1: unknown parameter 'zz'")
    assert batch[3]["reason"] == "sample 3: the sample's text is not valid Unicode: it holds the lone surrogate U+D800"
    with pytest.raises(ValueError, match="lone surrogate"):
        verl.compute_score("math", "Answer: \ud800", "4")


class ArrayLike:
    """What pandas and pyarrow give for a list column: an object with tolist(), which
    json cannot write (numpy arrays and scalars; numpy itself is not a test dependency)."""

    def __init__(self, value):
        self.value = value

    def tolist(self):
        return self.value


def test_a_batch_survives_values_json_cannot_carry():
    apps = {"inputs": ArrayLike(["1 2\n", "2 0\n"]), "outputs": ArrayLike(["3\n", "2\n"])}
    batch = verl.compute_score_batch(
        ["apps", "apps", "custom", "custom", "openai/gsm8k"],
        [ADD_OK, ADD_OK, "x", "x", "#### 4"],
        [apps, {"inputs": ["1 2\n"], "outputs": [float("nan")]}, {"reference": float("nan")}, "x", "4"],
        [{"reward_params": {"continuous": ArrayLike(True)}}, None, {"reward": "accuracy"}, {"reward": 7}, None])
    assert [r["score"] for r in batch] == [1.0, 0.0, 0.0, 0.0, 1.0]
    assert batch[1]["reason"] == "sample 1: the sample cannot be written as JSON: it holds NaN or infinity, " \
                                 "which JSON cannot carry"
    assert batch[2]["reason"].startswith("sample 2: the sample cannot be written as JSON")
    assert batch[3]["reason"] == "sample 3: a reward name must be a string, got int"


def test_a_missing_ground_truth_is_not_the_answer_null():
    # As JSON, None was the reference "null": "\boxed{null}" scored 1.0.
    for source, answer in (("lighteval/MATH", "\\boxed{null}"), ("math_dapo", "Answer: null"), ("gsm8k", "#### 1")):
        with pytest.raises(ValueError, match="no ground truth"):
            verl.compute_score(source, answer, None)
        [result] = verl.compute_score_batch([source], [answer], [None])
        assert result["score"] == 0.0 and "no ground truth" in result["reason"]


def test_geometry3k_format_is_verls_regex_without_its_backtracking():
    regex = re.compile(r"<think>.*</think>.*\\boxed\{.*\}.*", re.DOTALL)
    texts = ["<think>a</think>\\boxed{1}", "<think></think>\\boxed{}", "<think>a</think>", "x<think>a</think>\\boxed{1}",
             "<think>a</think>\\boxed{1", "<think>\\boxed{1}</think>", "<think></think></think>\\boxed{}}",
             "<think>a\n</think>\nso \\boxed{\n3\n} done", "<think>a</think>\\boxed}{", "</think><think>\\boxed{}"]
    for text in texts:
        assert verl._geo_well_formed(text) == (regex.fullmatch(text) is not None), text
    # The regex takes minutes on this (cubic backtracking); the scan is linear.
    degenerate = "<think>" + "</think>\\boxed{" * 20000
    assert verl.compute_score("hiyouga/geometry3k", degenerate, "3")["score"] == 0.0


def test_trl_gives_none_to_a_completion_it_cannot_score_and_scores_the_rest():
    with pytest.warns(RuntimeWarning, match="completion 2 not scored"):
        rewards = trl.math_accuracy_reward(["q"] * 3, ["\\boxed{3}", "\\boxed{4}", "\\boxed{3}\udc80"],
                                           solution=["3"] * 3)
    assert rewards == [1.0, 0.0, None]
    with pytest.warns(RuntimeWarning, match="NaN"):
        nan_row = trl.code_execution_reward(["q"] * 2, ["print(1)"] * 2, inputs_outputs=[
            {"inputs": [""], "outputs": ["1\n"]}, {"inputs": [""], "outputs": [float("nan")]}])
    assert nan_row == [1.0, None]
    # An MBPP row whose test list holds a None keeps its other tests.
    code = "```python\ndef one():\n    return 1\n```"
    assert trl.code_execution_reward(["q"], [code], test_list=[["assert one() == 1", None]]) == [1.0]


def test_openrlhf_scores_zero_and_marks_a_sample_it_cannot_score(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setenv("RMG_REWARD", "accuracy")
    result = openrlhf.reward_func(["3", "3\udc80"], ["", ""], ["3", "3"])
    assert result["rewards"] == [1.0, 0.0]
    assert result["extra_logs"]["rmg_failed"] == [0.0, 1.0]


INTERRUPTED_PROGRAM = r"""
import os, signal, threading
from rm_gallery.integrations.verl import compute_score
threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
try:
    compute_score("apps", "while True: pass", {"inputs": ["1\n"] * 3, "outputs": ["1\n"] * 3})
    print("returned", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_ctrl_c_interrupts_one_program_being_scored(tmp_path):
    # A lone sample was scored without a wait that Ctrl-C reaches: the loop ran to
    # code_execution's total timeout (30 s here) first, past the subprocess's timeout.
    script = tmp_path / "interrupt.py"
    script.write_text(INTERRUPTED_PROGRAM)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=20)
    assert done.stdout.strip() == "interrupted", done.stderr


# --- OpenRLHF -------------------------------------------------------------------------

def test_openrlhf_lists_without_torch(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch fails
    monkeypatch.delenv("RMG_REWARD", raising=False)
    queries = ["User: 6 times 7?\nAssistant: It is \\boxed{42}", "User: 1+1?\nAssistant: 3", "no prompt 2"]
    prompts = ["User: 6 times 7?\nAssistant:", "User: 1+1?\nAssistant:", "other"]
    result = openrlhf.reward_func(queries, prompts, ["42", "2", "2"])
    assert set(result) == {"rewards", "scores", "extra_logs"}
    assert result["rewards"] == [1.0, 0.0, 1.0] and result["scores"] == result["rewards"]
    assert result["extra_logs"] == {"math_verify": [1.0, 0.0, 1.0], "rmg_failed": [0.0, 0.0, 0.0]}


def test_openrlhf_marks_samples_whose_score_is_a_failure(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setenv("RMG_REWARD", "bleu")  # a sample without a label has no reference: its unit fails
    result = openrlhf.reward_func(["the cat sat", "the cat sat"], ["", ""], ["the cat sat", None])
    assert result["rewards"] == [1.0, 0.0]
    assert result["extra_logs"]["rmg_failed"] == [0.0, 1.0]


def test_openrlhf_response_is_query_minus_prompt():
    assert openrlhf.response_text("PROMPT answer", "PROMPT ") == "answer"
    assert openrlhf.response_text("answer only", "PROMPT") == "answer only"


def test_openrlhf_reward_from_env_and_tensors(monkeypatch):
    fake = types.ModuleType("torch")
    fake.float32 = "float32"
    fake.tensor = lambda values, dtype=None: ("tensor", list(values), dtype)
    monkeypatch.setitem(sys.modules, "torch", fake)
    monkeypatch.setenv("RMG_REWARD", "reasoning_format")
    result = openrlhf.reward_func(["P<think>x</think><answer>y</answer>", "Pbare"], ["P", "P"], [None, None])
    assert result["rewards"] == ("tensor", [1.0, 0.0], "float32")
    assert result["scores"] == ("tensor", [1.0, 0.0], "float32")
    assert result["extra_logs"] == {"format_reward": ("tensor", [1.0, 0.0], "float32"),
                                    "rmg_failed": ("tensor", [0.0, 0.0], "float32")}
    monkeypatch.setenv("RMG_REWARD", "length_penalty")
    monkeypatch.setenv("RMG_REWARD_PARAMS", '{"min_length": 3}')
    monkeypatch.setitem(sys.modules, "torch", None)
    assert openrlhf.reward_func(["Pabcd", "Pa"], ["P", "P"], None)["rewards"][0] == 0.0


def test_openrlhf_refuses_what_get_reward_refuses(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    # Numbers are labels as their text; a dict label is no reference (it matched "\\boxed{1}").
    assert openrlhf.reward_func(["\\boxed{42}", "\\boxed{0.5}"], ["", ""], [42, 0.5])["rewards"] == [1.0, 1.0]
    for labels, message in (([{"a": 1}], "labels[0]: expected a string, a number or null, got object"),
                            ([True], "labels[0]: expected a string, a number or null, got boolean"),
                            ([["1"]], "labels[0]: expected a string, a number or null, got array")):
        with pytest.raises(ValueError, match=re.escape(message)):
            openrlhf.reward_func(["\\boxed{1}"], [""], labels)
    for query, kind in ((5, "number"), (None, "null")):
        with pytest.raises(ValueError, match=re.escape(f"query[0]: expected a string, got {kind}")):
            openrlhf.reward_func([query], [""], ["1"])


# --- TRL ------------------------------------------------------------------------------

def test_trl_math_accuracy_strings_and_conversations():
    prompts = ["What is 6 x 7?"] * 4
    completions = ["It is \\boxed{42}.", "\\boxed{41}", "42", "no answer"]
    assert trl.math_accuracy_reward(prompts, completions, solution=["42", "42", "42", None]) == [1.0, 0.0, 1.0, None]
    conversational_prompts = [[{"role": "user", "content": p}] for p in prompts]
    conversational = [[{"role": "assistant", "content": c}] for c in completions]
    assert trl.math_accuracy_reward(conversational_prompts, conversational,
                                    answer=["42", "42", "42", None]) == [1.0, 0.0, 1.0, None]
    # the last assistant message counts
    chat = [{"role": "assistant", "content": "\\boxed{41}"}, {"role": "user", "content": "sure?"},
            {"role": "assistant", "content": "\\boxed{42}"}]
    assert trl.math_accuracy_reward(["q"], [chat], solution=["42"]) == [1.0]
    assert trl.math_accuracy_reward(["q"], ["\\boxed{1}"]) == [None]


def test_trl_format_reward():
    completions = ["<think>6*7</think><answer>42</answer>", [{"role": "assistant", "content": "42"}]]
    scores = trl.format_reward(["q", "q"], completions, trainer_state=object())
    assert scores == [1.0, 0.0] and all(isinstance(s, float) for s in scores)


def test_trl_code_execution_reward():
    scores = trl.code_execution_reward(["add"] * 3, [ADD_OK, ADD_WRONG, ADD_OK],
                                       input_output=[json.dumps(ADD_TESTS), ADD_TESTS, None])
    assert scores == [1.0, 0.5, None]
    code = "```python\ndef add(a, b):\n    return a + b\n```"
    assert trl.code_execution_reward(["add"], [code], test_list=[["assert add(1, 2) == 3"]]) == [1.0]


def test_trl_make_reward_func():
    func = trl.make_reward_func("accuracy")
    assert func.__name__ == "accuracy"
    assert func(["q", "q"], ["Paris", [{"role": "assistant", "content": "Rome"}]],
                reference=["Paris", "Paris"]) == [1.0, 0.0]
    penalty = trl.make_reward_func("length_penalty", min_length=10)
    assert penalty(["q"], ["short"])[0] < 0
    with pytest.raises(KeyError):
        trl.make_reward_func("acuracy")
    with pytest.raises(ValueError):
        trl.make_reward_func("length_penalty", no_such_param=1)
    assert func([], []) == []
    # As math_accuracy_reward: a row without a reference is skipped (None), not scored 0.
    math = trl.make_reward_func("math_verify_reward")
    assert math(["q", "q"], ["\\boxed{2}", "\\boxed{2}"], solution=["2", None]) == [1.0, None]


# --- loaded by file path, as verl's custom_reward_function and OpenRLHF's --remote_rm_url do

@pytest.mark.parametrize("module,name", [(verl, "compute_score"), (verl, "compute_score_batch"),
                                         (sys.modules["rm_gallery.integrations.openrlhf_reward"], "reward_func")])
def test_functions_load_from_their_file(module, name):
    import importlib.util

    spec = importlib.util.spec_from_file_location("custom_module", module.__file__)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    func = getattr(loaded, name)
    if name == "compute_score":
        assert func("openai/gsm8k", "#### 72", "72")["score"] == 1.0
    elif name == "compute_score_batch":
        assert [r["score"] for r in func(["aime24", "aime24"], ["Answer: 1", "Answer: 2"], ["1", "1"])] == [1.0, -1.0]
    else:
        assert params(func) == params(openrlhf.reward_func)


def test_threads_calling_compute_score_match_sequential():
    import concurrent.futures

    cases = [("openai/gsm8k", f"#### {i}", str(i % 3)) for i in range(12)] + \
            [("aime2024", f"\\boxed{{{i}}}", "4") for i in range(12)] + \
            [("apps", ADD_OK if i % 2 else ADD_WRONG, ADD_TESTS) for i in range(6)]
    sequential = [verl.compute_score(*c) for c in cases]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        threaded = list(pool.map(lambda c: verl.compute_score(*c), cases))
    assert threaded == sequential


def test_a_bad_sample_in_a_verl_batch_scores_zero_and_says_which():
    results = verl.compute_score_batch(["apps", "apps", "somewhere"], [ADD_OK, ADD_OK, "x"],
                                       [json.dumps(ADD_TESTS), 5, "x"])
    assert results[0]["score"] == 1.0
    assert results[1]["score"] == 0.0 and results[1]["reason"].startswith("sample 1: code ground truth")
    assert results[2]["score"] == 0.0 and "sample 2: " in results[2]["reason"] and "somewhere" in results[2]["reason"]


def test_make_reward_func_pickles_by_name_and_parameters():
    import pickle

    func = pickle.loads(pickle.dumps(trl.make_reward_func("ngram_repetition_penalty", n=2)))
    assert func.__name__ == "ngram_repetition_penalty"
    assert func(["p"], ["the cat the cat the cat"]) == trl.make_reward_func("ngram_repetition_penalty", n=2)(
        ["p"], ["the cat the cat the cat"])
