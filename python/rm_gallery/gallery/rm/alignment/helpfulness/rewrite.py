"""rm_gallery.gallery.rm.alignment.helpfulness.rewrite: RewriteListWiseReward -> rewrite_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("rewrite_listwise_reward")
class RewriteListWiseReward(BaseHelpfulnessListWiseReward):
    """Rewrite: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "rewrite_listwise_reward"
