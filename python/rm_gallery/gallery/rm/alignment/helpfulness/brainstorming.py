"""rm_gallery.gallery.rm.alignment.helpfulness.brainstorming: BrainstormingListWiseReward -> brainstorming_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("brainstorming_listwise_reward")
class BrainstormingListWiseReward(BaseHelpfulnessListWiseReward):
    """Brainstorming: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "brainstorming_listwise_reward"
