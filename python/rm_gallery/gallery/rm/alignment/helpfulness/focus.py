"""rm_gallery.gallery.rm.alignment.helpfulness.focus: FocusListWiseReward -> focus_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("focus_listwise_reward")
class FocusListWiseReward(BaseHelpfulnessListWiseReward):
    """Focus: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "focus_listwise_reward"
