"""Each gallery class scores exactly as `rmg eval` does for the same reward and samples."""

import json
import subprocess

import pytest

from rm_gallery.core.data.schema import DataSample
from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.format.format import (LengthPenaltyReward, NgramRepetitionPenaltyReward,
                                                 PrivacyLeakageReward, ReasoningFormatReward,
                                                 ReasoningToolCallFormatReward)
from rm_gallery.gallery.rm.general import AccuracyReward, F1ScoreReward, NumberAccuracyReward, RougeReward
from rm_gallery.gallery.rm.math.math import MathVerifyReward

# (class, constructor keywords, registry name, the same parameters for the CLI)
CASES = [
    (AccuracyReward, {}, "accuracy", []),
    (F1ScoreReward, {}, "f1_score", []),
    (F1ScoreReward, {"tokenizer_type": "simple"}, "f1_score", ["tokenizer_type=simple"]),
    (F1ScoreReward, {"tokenizer_type": "jieba", "chinese_only": True}, "f1_score",
     ["tokenizer_type=jieba", "chinese_only=true"]),
    (RougeReward, {}, "rouge", ["tokenizer_type=simple"]),
    # rmg's own parameters reach C++ through the gallery classes too; `tokenizer` is the
    # same choice as RM-Gallery's `tokenizer_type`, so the class's default gives way to it.
    (RougeReward, {"variant": "rouge2", "use_stemmer": True}, "rouge",
     ["tokenizer_type=simple", "variant=rouge2", "use_stemmer=true"]),
    (RougeReward, {"tokenizer": "unicode"}, "rouge", []),
    (F1ScoreReward, {"tokenizer": "simple"}, "f1_score", ["tokenizer=simple"]),
    (MathVerifyReward, {"strict": False}, "math_verify_reward", ["strict=false"]),
    (NumberAccuracyReward, {"tolerance": 0.1}, "number_accuracy", ["tolerance=0.1"]),
    (ReasoningFormatReward, {}, "reasoning_format", []),
    (ReasoningToolCallFormatReward, {}, "reasoning_tool_call_format", []),
    (LengthPenaltyReward, {"min_length": 20}, "length_penalty", ["min_length=20"]),
    (NgramRepetitionPenaltyReward, {}, "ngram_repetition_penalty", []),
    (NgramRepetitionPenaltyReward, {"tokenizer_type": "jieba"}, "ngram_repetition_penalty", ["tokenizer_type=jieba"]),
    (NgramRepetitionPenaltyReward, {"n": 2, "use_soft_penalty": True}, "ngram_repetition_penalty",
     ["n=2", "use_soft_penalty=true"]),
    (PrivacyLeakageReward, {}, "privacy_leakage", []),
    (MathVerifyReward, {}, "math_verify_reward", []),
]


def cli_details(rmg_binary, tmp_path, registry_name, params, samples):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in samples))
    args = [rmg_binary, "eval", "-r", registry_name, "-i", str(path), "--no-progress", "-w", "1"]
    for p in params:
        args += ["-p", p]
    run = subprocess.run(args, capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return [[(d["name"], d["score"], d["reason"]) for d in r["output"][0]["answer"]["reward"]["details"]]
            for r in rows]


def py_details(results):
    return [[(d.name, d.score, d.reason) for d in r.output[0].answer.reward.details] for r in results]


@pytest.mark.parametrize("cls,kwargs,registry_name,params", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_gallery_class_matches_cli(rmg_binary, tmp_path, samples, cls, kwargs, registry_name, params):
    expected = cli_details(rmg_binary, tmp_path, registry_name, params, samples)
    reward = cls(**kwargs)
    single = [reward.evaluate(DataSample.model_validate(s)) for s in samples]
    assert py_details(single) == expected
    batch = reward.evaluate_batch(samples, max_workers=2)
    assert py_details(batch) == expected
    for result in single:
        answer = result.output[0].answer
        assert answer.reward.score == pytest.approx(answer.reward.details[0].score)
        assert answer.reward.details[0].name == reward.name


def test_evaluate_leaves_the_input_unchanged(samples):
    sample = DataSample.model_validate(samples[0])
    before = sample.model_dump()
    AccuracyReward().evaluate(sample)
    assert sample.model_dump() == before


def test_best_of_n_keeps_top_outputs_ascending(samples):
    sample = samples[0]
    sample["output"] = [
        {"answer": {"role": "assistant", "content": c, "label": {"reference": "51"}}} for c in ["50", "51", "52"]
    ]
    best = AccuracyReward().best_of_n(sample, n=1)
    assert [o.answer.content for o in best.output] == ["51"]
    two = AccuracyReward().best_of_n(sample, n=2)
    assert len(two.output) == 2 and two.output[-1].answer.content == "51"


def test_extra_data_lands_in_additional_kwargs(samples):
    result = AccuracyReward().evaluate(samples[1])
    extra = result.output[0].answer.additional_kwargs["accuracy"]
    assert set(extra) == {"generated", "reference", "accuracy"}


def test_rouge_tokenizes_on_whitespace_as_rm_gallery():
    sample = {"unique_id": "r", "output": [{"answer": {"content": "The cat, sat", "label": {"reference": "the cat sat"}}}]}
    detail = RougeReward().evaluate(sample).output[0].answer.reward.details[0]
    # LCS of ["the", "cat,", "sat"] and ["the", "cat", "sat"] is 2: P = R = F = 2/3.
    assert detail.reason == "ROUGE-L score: 0.667"
    assert detail.score == pytest.approx(2 / 3)


def test_an_alias_gives_the_class_of_the_reward_it_names():
    assert RewardRegistry.get("rouge_reward") is RougeReward
    assert RewardRegistry.get("f1_reward") is F1ScoreReward
    assert RewardRegistry.get("bleu_reward") is RewardRegistry.get("bleu")  # a class made for the name


def test_a_subclass_field_without_a_default_is_the_subclasss_own():
    class Graded(AccuracyReward):
        bonus: float

    assert Graded(bonus=1.0).bonus == 1.0
    with pytest.raises(ValueError, match="'bonuss'"):
        Graded(bonuss=1.0)


def test_a_subclass_keeps_its_fields_and_its_keywords():
    class MyAccuracy(AccuracyReward):
        bonus: float = 0.5

        def _evaluate(self, sample, **kwargs):
            result = super()._evaluate(sample, **kwargs)
            for detail in result.details:
                detail.score += self.bonus
            return result

    sample = DataSample(unique_id="u", output=[{"answer": {"content": "4", "label": {"reference": "4"}}},
                                               {"answer": {"content": "5", "label": {"reference": "4"}}}])
    scored = MyAccuracy(bonus=0.25).evaluate(sample)
    assert [o.answer.reward.score for o in scored.output] == [1.25, 0.25]
    assert MyAccuracy().bonus == 0.5
    assert LengthPenaltyReward(min_length=5).min_length == 5 and LengthPenaltyReward().max_length == 1000


def test_rewards_pickle_and_copy_with_their_settings():
    import copy
    import pickle

    from rm_gallery.core.reward.registry import RewardRegistry

    reward = pickle.loads(pickle.dumps(LengthPenaltyReward(min_length=5, name="short")))
    assert (type(reward), reward.name, reward.min_length) == (LengthPenaltyReward, "short", 5)
    sample = DataSample(unique_id="u", output=[{"answer": {"content": "abc"}}])
    assert reward.evaluate(sample).output[0].answer.reward.score == copy.deepcopy(reward).evaluate(
        sample).output[0].answer.reward.score == -0.02
    chrf = pickle.loads(pickle.dumps(RewardRegistry.get("chrf")(char_order=4)))  # a class made for a C++ name
    assert (chrf.name, chrf.params["char_order"]) == ("chrf", 4)


def test_nan_and_sets_in_a_sample_are_written_as_pydantic_writes_them():
    sample = DataSample(unique_id="u", metadata={"t": float("nan"), "s": {3}, "b": b"x", "i": float("-inf")},
                        output=[{"answer": {"content": "4", "label": {"reference": "4", "w": float("inf")}}}])
    scored = AccuracyReward().evaluate(sample)
    assert scored.output[0].answer.reward.score == 1.0
    assert scored.metadata == {"t": None, "s": [3], "b": "x", "i": None}
    batch = AccuracyReward().evaluate_batch([sample, sample], max_workers=2)
    assert [s.output[0].answer.reward.score for s in batch] == [1.0, 1.0]


# RM-Gallery's F1 and n-gram rewards over Python's own jieba (Debian's python3-jieba),
# written out from rm_gallery_api.md: F1 strips and lower-cases, the n-gram reward only
# strips; chinese_only cuts the text's U+4E00..U+9FFF characters, joined.
CHINESE_PAIRS = [
    ("我来到北京清华大学", "他来到了网易杭研大厦"),
    ("小明硕士毕业于中国科学院计算所，后在日本京都大学深造", "小明在日本京都大学深造，硕士毕业于中国科学院"),
    ("The answer is 42，答案是四十二。", "答案是 42 (forty-two)"),
    ("  Python 和 C++ 都是编程语言  ", "C++和Python是两种编程语言"),
]


def rm_gallery_f1(jieba, generated, reference, chinese_only):
    def tokens(text):
        text = text.strip().lower()
        if chinese_only:
            text = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")
        return set(jieba.cut(text))

    gen, ref = tokens(generated), tokens(reference)
    if not gen and not ref:
        return 1.0
    if not gen or not ref:
        return 0.0
    common = len(gen & ref)
    precision, recall = common / len(gen), common / len(ref)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@pytest.mark.parametrize("chinese_only", [False, True])
def test_jieba_f1_scores_as_rm_gallery_with_pythons_jieba(chinese_only):
    import jieba

    reward = F1ScoreReward(tokenizer_type="jieba", chinese_only=chinese_only)
    for generated, reference in CHINESE_PAIRS:
        sample = {"unique_id": "z", "output": [{"answer": {"content": generated, "label": {"reference": reference}}}]}
        answer = reward.evaluate(sample).output[0].answer
        assert answer.reward.score == rm_gallery_f1(jieba, generated, reference, chinese_only), generated
        if not chinese_only:
            extra = answer.additional_kwargs["f1_score"]
            assert set(extra["generated_tokens"]) == set(jieba.cut(generated.strip().lower()))


def test_jieba_ngram_rate_as_rm_gallery_with_pythons_jieba():
    import jieba

    reward = NgramRepetitionPenaltyReward(tokenizer_type="jieba", n=2)
    for text, _ in CHINESE_PAIRS + [("我来到北京我来到北京 AB ab AB ab", "")]:
        tokens = list(jieba.cut(text.strip()))
        ngrams = [tuple(tokens[i:i + 2]) for i in range(len(tokens) - 1)]
        sample = {"unique_id": "z", "output": [{"answer": {"content": text}}]}
        extra = reward.evaluate(sample).output[0].answer.additional_kwargs["ngram_repetition_penalty"]
        assert extra["repetition_rate"] == 1 - len(set(ngrams)) / len(ngrams), text
        assert extra["total_ngrams"] == len(ngrams)
