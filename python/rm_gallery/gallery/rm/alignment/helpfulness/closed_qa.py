"""rm_gallery.gallery.rm.alignment.helpfulness.closed_qa: ClosedQAListWiseReward -> closed_qa_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("closed_qa_listwise_reward")
class ClosedQAListWiseReward(BaseHelpfulnessListWiseReward):
    """Closed QA: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "closed_qa_listwise_reward"
