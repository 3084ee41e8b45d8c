"""rm_gallery.gallery.rm.alignment.honesty.factuality: FactualityListWiseReward -> factuality_listwise_reward (a C++ rubric judge)."""

from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.alignment.base import BaseHonestyListWiseReward


@RewardRegistry.register("factuality_listwise_reward")
class FactualityListWiseReward(BaseHonestyListWiseReward):
    """Factuality: picks the best answer by the scenario's rubrics (rmg's judge catalog)."""

    REGISTRY_NAME = "factuality_listwise_reward"
