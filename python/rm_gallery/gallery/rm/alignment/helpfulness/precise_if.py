"""rm_gallery.gallery.rm.alignment.helpfulness.precise_if: PreciseIFListWiseReward -> precise_if_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("precise_if_listwise_reward")
class PreciseIFListWiseReward(BaseHelpfulnessListWiseReward):
    """Precise instruction following: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "precise_if_listwise_reward"
