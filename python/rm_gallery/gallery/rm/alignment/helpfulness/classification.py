"""rm_gallery.gallery.rm.alignment.helpfulness.classification: ClassificationListWiseReward -> classification_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("classification_listwise_reward")
class ClassificationListWiseReward(BaseHelpfulnessListWiseReward):
    """Classification: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "classification_listwise_reward"
