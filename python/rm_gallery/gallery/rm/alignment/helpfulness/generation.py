"""rm_gallery.gallery.rm.alignment.helpfulness.generation: GenerationListWiseReward -> generation_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("generation_listwise_reward")
class GenerationListWiseReward(BaseHelpfulnessListWiseReward):
    """Generation: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "generation_listwise_reward"
