"""rm_gallery.gallery.rm.alignment.helpfulness.chat: ChatListWiseReward -> chat_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("chat_listwise_reward")
class ChatListWiseReward(BaseHelpfulnessListWiseReward):
    """Chat: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "chat_listwise_reward"
