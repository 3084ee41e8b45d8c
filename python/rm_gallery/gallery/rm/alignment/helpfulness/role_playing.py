"""rm_gallery.gallery.rm.alignment.helpfulness.role_playing: RolePlayingListWiseReward -> role_playing_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("role_playing_listwise_reward")
class RolePlayingListWiseReward(BaseHelpfulnessListWiseReward):
    """Role playing: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "role_playing_listwise_reward"
