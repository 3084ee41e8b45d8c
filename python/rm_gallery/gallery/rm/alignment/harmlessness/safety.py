"""rm_gallery.gallery.rm.alignment.harmlessness.safety: SafetyListWiseReward -> safety_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHarmlessnessListWiseReward


@RewardRegistry.register("safety_listwise_reward")
class SafetyListWiseReward(BaseHarmlessnessListWiseReward):
    """Safety: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "safety_listwise_reward"
