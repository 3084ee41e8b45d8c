"""rm_gallery.gallery.rm.alignment.helpfulness.summarization: SummarizationListWiseReward -> summarization_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("summarization_listwise_reward")
class SummarizationListWiseReward(BaseHelpfulnessListWiseReward):
    """Summarization: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "summarization_listwise_reward"
