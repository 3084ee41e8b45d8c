"""rm_gallery.gallery.rm.alignment.helpfulness.open_qa: OpenQAListWiseReward -> open_qa_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("open_qa_listwise_reward")
class OpenQAListWiseReward(BaseHelpfulnessListWiseReward):
    """Open QA: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "open_qa_listwise_reward"
