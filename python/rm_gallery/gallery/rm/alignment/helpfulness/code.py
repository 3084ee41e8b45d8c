"""rm_gallery.gallery.rm.alignment.helpfulness.code: CodeListWiseReward -> code_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHelpfulnessListWiseReward


@RewardRegistry.register("code_listwise_reward")
class CodeListWiseReward(BaseHelpfulnessListWiseReward):
    """Code: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "code_listwise_reward"
