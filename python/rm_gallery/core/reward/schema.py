"""rm_gallery.core.reward.schema: what one reward unit produces (RM-Gallery's RewardResult).

RewardDimensionWithScore is rmg::RewardDetail, RewardDimensionWithRank is
rmg::RankDetail, RewardResult is rmg::RewardResult / rmg::RankResult (include/rmg/reward.h).
"""

from rm_gallery._model import Field, Model


class RewardDimension(Model):
    FIELDS = {
        "name": Field(required=True),
        "reason": Field(required=True),
    }


class RewardDimensionWithScore(RewardDimension):
    FIELDS = {"score": Field(required=True, convert=float)}


class RewardDimensionWithRank(RewardDimension):
    FIELDS = {"rank": Field(factory=list, convert=lambda r: [float(x) for x in r])}

    def __getitem__(self, index):
        return RewardDimensionWithScore(name=self.name, reason=self.reason, score=self.rank[index])


def _dimension(value):
    if isinstance(value, RewardDimension):
        return value
    if isinstance(value, dict) and "rank" in value and "score" not in value:
        return RewardDimensionWithRank.model_validate(value)
    return RewardDimensionWithScore.model_validate(value)


class RewardResult(Model):
    """name, details (scored or ranked dimensions) and extra_data of one unit."""

    FIELDS = {
        "name": Field(required=True),
        "details": Field(factory=list, convert=lambda ds: [_dimension(d) for d in ds]),
        "extra_data": Field(factory=dict),
    }

    def __class_getitem__(cls, item):
        # RewardResult[RewardDimensionWithScore] is RewardResult, as for a pydantic generic.
        return cls
