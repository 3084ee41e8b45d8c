"""rm_gallery.gallery.rm.alignment.helpfulness.math: MathListWiseReward -> math_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("math_listwise_reward")
class MathListWiseReward(BaseHelpfulnessListWiseReward):
    """Math: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "math_listwise_reward"
