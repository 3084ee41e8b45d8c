"""rm_gallery.gallery.rm.code.code: RM-Gallery's reasons, scores and extra_data keys, run in rmg's sandbox."""

import json

from rm_gallery.core.data.schema import DataSample
from rm_gallery.gallery.rm.code.code import (CodeExecutionReward, CodeStyleReward, PatchSimilarityReward,
                                             SyntaxCheckReward)


def one(content, label=None):
    return DataSample(unique_id="c", input=[{"role": "user", "content": "Write code."}],
                      output=[{"answer": {"role": "assistant", "content": content, "label": label or {}}}])


def scored(reward, sample):
    output = reward.evaluate(sample).output[0]
    return output.answer.reward.details[0], output.answer.additional_kwargs[reward.name]


def test_syntax_check_counts_valid_blocks_and_penalises_errors():
    detail, extra = scored(SyntaxCheckReward(), one("```python\nx = 1\n```\n```python\ndef f(:\n```"))
    assert detail.name == "syntax_check"
    assert detail.score == 0.5 - 0.5
    assert detail.reason == "Syntax check: 1/2 blocks valid, 1 errors"
    assert extra["total_blocks"] == 2 and extra["syntax_errors"][0]["line"] == 1
    detail, _ = scored(SyntaxCheckReward(), one("no code"))
    assert (detail.score, detail.reason) == (0.0, "No code blocks found to check")


def test_code_style_scores_indentation_and_snake_case():
    detail, extra = scored(CodeStyleReward(), one("```python\ndef good_name():\n    badName = 1\n```"))
    assert detail.score == 0.5 + 0.5 * 1 / 2
    assert detail.reason.startswith("Code style score: 0.750; Block 0: Consistent indentation")
    assert extra["code_blocks_count"] == 1


def test_patch_similarity_is_difflib_ratio():
    detail, extra = scored(PatchSimilarityReward(), one("abcd", {"reference": "abce"}))
    assert detail.score == 0.75  # 2 * 3 matching characters / 8
    assert detail.reason == "Patch similarity: 0.750 based on sequence matching"
    assert set(extra) >= {"similarity", "generated", "reference", "opcodes"}


def test_code_execution_runs_the_tests_in_the_sandbox():
    code = "```python\nprint(int(input()) * 2)\n```"
    tests = {"inputs": ["1\n", "5\n", "7\n"], "outputs": ["2\n", "10\n", "15\n"]}
    detail, extra = scored(CodeExecutionReward(), one(code, {"inputs_outputs": json.dumps(tests)}))
    assert abs(detail.score - 2 / 3) < 1e-9
    assert detail.reason == "Partial success: 66.7% of test cases passed"
    assert set(extra) >= {"extracted_code", "test_cases", "pass_rate"}
    detail, _ = scored(CodeExecutionReward(), one(code))
    assert (detail.score, detail.reason) == (0.0, "No test cases available for evaluation")
