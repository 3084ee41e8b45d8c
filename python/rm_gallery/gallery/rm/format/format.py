"""rm_gallery.gallery.rm.format.format: format and penalty rewards, scored by librmg.

ReasoningFormatReward -> reasoning_format, ReasoningToolCallFormatReward ->
reasoning_tool_call_format, LengthPenaltyReward -> length_penalty,
NgramRepetitionPenaltyReward -> ngram_repetition_penalty, PrivacyLeakageReward ->
privacy_leakage (src/gallery/format/).
"""

from rm_gallery.core.reward.base import BasePointWiseReward
from rm_gallery.core.reward.native import NativeReward
from rm_gallery.core.reward.registry import RewardRegistry


@RewardRegistry.register("reasoning_format")
class ReasoningFormatReward(NativeReward, BasePointWiseReward):
    """1.0 iff the answer has both <think>...</think> and <answer>...</answer>."""

    REGISTRY_NAME = "reasoning_format"
    PARAMS = {"think_token": "think", "answer_token": "answer"}


@RewardRegistry.register("reasoning_tool_call_format")
class ReasoningToolCallFormatReward(NativeReward, BasePointWiseReward):
    """1.0 for <think> followed by either <answer> or well-formed <tool_call> JSON blocks."""

    REGISTRY_NAME = "reasoning_tool_call_format"


@RewardRegistry.register("length_penalty")
class LengthPenaltyReward(NativeReward, BasePointWiseReward):
    """Negative score for answers outside [min_length, max_length] characters."""

    REGISTRY_NAME = "length_penalty"
    PARAMS = {"min_length": 10, "max_length": 1000, "penalty_rate": 0.01}


@RewardRegistry.register("ngram_repetition_penalty")
class NgramRepetitionPenaltyReward(NativeReward, BasePointWiseReward):
    """Penalty for repeated token n-grams in the answer (or its <think> parts)."""

    REGISTRY_NAME = "ngram_repetition_penalty"
    PARAMS = {
        "n": 3,
        "penalty_threshold": 0.3,
        "penalty_rate": 1.0,
        "use_soft_penalty": False,
        "max_penalty": -1.0,
        "min_scaling": 0.0,
        "tokenizer_type": "tiktoken",
        "encoding_name": "cl100k_base",
        "chinese_only": False,
        "analyze_scope": "full",
    }


@RewardRegistry.register("privacy_leakage")
class PrivacyLeakageReward(NativeReward, BasePointWiseReward):
    """penalty_per_leak for each e-mail, phone, ID card, card number or public IP found."""

    REGISTRY_NAME = "privacy_leakage"
    PARAMS = {"penalty_per_leak": -0.5}
