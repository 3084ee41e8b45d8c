"""Every RM-Gallery module path of the first slice imports and exposes its names."""

import importlib

import pytest

PATHS = {
    "rm_gallery.core.data.schema": ["DataSample", "DataOutput", "Step", "Reward", "ChatMessage",
                                    "RewardDimensionWithScore"],
    "rm_gallery.core.model.message": ["ChatMessage", "MessageRole"],
    "rm_gallery.core.reward.schema": ["RewardResult", "RewardDimensionWithScore", "RewardDimensionWithRank"],
    "rm_gallery.core.reward.registry": ["RewardRegistry"],
    "rm_gallery.gallery.rm.general": ["AccuracyReward", "F1ScoreReward", "RougeReward", "NumberAccuracyReward"],
    "rm_gallery.gallery.rm.format.format": ["ReasoningFormatReward", "ReasoningToolCallFormatReward",
                                            "LengthPenaltyReward", "NgramRepetitionPenaltyReward",
                                            "PrivacyLeakageReward"],
    "rm_gallery.gallery.rm.math.math": ["MathVerifyReward"],
    "rm_gallery.core.reward.base": ["BaseReward", "BasePointWiseReward", "BaseListWiseReward", "BasePairWiseReward",
                                    "BaseStepWiseReward", "BaseLLMReward", "BasePointWiseRubricReward",
                                    "BaseListWiseRubricReward"],
    "rm_gallery.core.reward.template": ["BasePromptTemplate", "RubricPointWiseTemplate", "RubricListWiseTemplate"],
    "rm_gallery.core.reward.composition": ["SimpleComposition", "RouterComposition"],
    "rm_gallery.core.model.openai_llm": ["OpenaiLLM"],
    "rm_gallery.core.model.base": ["BaseLLM"],
    "rm_gallery.gallery.rm.code.code": ["SyntaxCheckReward", "CodeStyleReward", "PatchSimilarityReward",
                                        "CodeExecutionReward"],
    "rm_gallery.gallery.rm.alignment.base": ["BaseHelpfulnessListWiseReward", "BaseHarmlessnessListWiseReward",
                                             "BaseHonestyListWiseReward", "BaseHelpfulnessPointWiseReward",
                                             "BaseHarmlessnessPointWiseReward", "BaseHonestyPointWiseReward"],
    "rm_gallery.gallery.rm.alignment.harmlessness.safety": ["SafetyListWiseReward"],
    "rm_gallery.gallery.rm.alignment.honesty.factuality": ["FactualityListWiseReward"],
    **{f"rm_gallery.gallery.rm.alignment.helpfulness.{m}": [c] for m, c in [
        ("brainstorming", "BrainstormingListWiseReward"), ("chat", "ChatListWiseReward"),
        ("classification", "ClassificationListWiseReward"), ("closed_qa", "ClosedQAListWiseReward"),
        ("code", "CodeListWiseReward"), ("focus", "FocusListWiseReward"), ("generation", "GenerationListWiseReward"),
        ("math", "MathListWiseReward"), ("open_qa", "OpenQAListWiseReward"), ("precise_if", "PreciseIFListWiseReward"),
        ("reasoning", "ReasoningListWiseReward"), ("rewrite", "RewriteListWiseReward"),
        ("role_playing", "RolePlayingListWiseReward"), ("summarization", "SummarizationListWiseReward"),
        ("translation", "TranslationListWiseReward")]},
}


def test_every_registered_gallery_name_resolves_to_its_class():
    from rm_gallery.core.reward.registry import RewardRegistry
    from rm_gallery.gallery.rm.alignment.harmlessness.safety import SafetyListWiseReward
    from rm_gallery.gallery.rm.code.code import CodeExecutionReward

    assert RewardRegistry.get("safety_listwise_reward") is SafetyListWiseReward
    assert RewardRegistry.get("code_execution") is CodeExecutionReward
    assert CodeExecutionReward().name == "code_execution"


@pytest.mark.parametrize("path", sorted(PATHS))
def test_module_path_imports(path):
    module = importlib.import_module(path)
    for name in PATHS[path]:
        assert hasattr(module, name), f"{path}.{name}"


def test_registry_get_returns_gallery_classes():
    from rm_gallery.core.reward.registry import RewardRegistry
    from rm_gallery.gallery.rm.format.format import ReasoningFormatReward
    from rm_gallery.gallery.rm.general import AccuracyReward

    assert RewardRegistry.get("accuracy") is AccuracyReward
    assert RewardRegistry.get("reasoning_format") is ReasoningFormatReward
    assert "f1_score" in RewardRegistry.names()
    table = RewardRegistry.list()
    assert "math_verify_reward" in table and "privacy_leakage" in table


def test_registry_get_builds_class_for_other_registered_names(samples):
    from rm_gallery.core.reward.registry import RewardRegistry

    cls = RewardRegistry.get("bleu")
    result = cls().evaluate(samples[1])
    assert result.output[0].answer.reward.details[0].name == "bleu"


def test_default_instance_names_follow_rm_gallery():
    from rm_gallery.gallery.rm.format.format import ReasoningFormatReward, ReasoningToolCallFormatReward
    from rm_gallery.gallery.rm.math.math import MathVerifyReward

    assert ReasoningFormatReward().name == "format_reward"
    assert ReasoningToolCallFormatReward().name == "tool_call_format"
    assert MathVerifyReward().name == "math_verify"
    assert ReasoningFormatReward(name="fmt").name == "fmt"


def test_register_stores_a_python_class():
    from rm_gallery.core.reward.registry import RewardRegistry

    @RewardRegistry.register("my_python_reward")
    class MyReward:
        """My reward."""

    assert RewardRegistry.get("my_python_reward") is MyReward
    assert "my_python_reward" in RewardRegistry.names()
    assert "my_python_reward" in RewardRegistry.list()


def test_rmg_is_a_second_name_for_the_same_modules():
    import rm_gallery
    import rm_gallery.integrations.verl
    import rmg
    from rm_gallery.core.reward.registry import RewardRegistry
    from rmg.integrations.verl import compute_score

    assert compute_score is rm_gallery.integrations.verl.compute_score
    assert rmg.integrations.verl is rm_gallery.integrations.verl
    assert rmg.RewardRegistry is RewardRegistry
    assert rmg.__version__ == rm_gallery.__version__
    with pytest.raises(ModuleNotFoundError):
        import rmg.no_such_module  # noqa: F401
