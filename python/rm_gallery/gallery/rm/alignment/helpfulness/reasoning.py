"""rm_gallery.gallery.rm.alignment.helpfulness.reasoning: ReasoningListWiseReward -> reasoning_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("reasoning_listwise_reward")
class ReasoningListWiseReward(BaseHelpfulnessListWiseReward):
    """Reasoning: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "reasoning_listwise_reward"
