"""rm_gallery.gallery.rm.alignment.helpfulness.translation: TranslationListWiseReward -> translation_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("translation_listwise_reward")
class TranslationListWiseReward(BaseHelpfulnessListWiseReward):
    """Translation: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "translation_listwise_reward"
