"""rm_gallery.core.data.schema: DataSample and its parts, with RM-Gallery's field names.

Maps to rmg::DataSample / DataOutput / Step / Reward (include/rmg/schema.h). A sample
crosses into C++ as model_dump_json() text and comes back through model_validate().
"""

import datetime

from rm_gallery._model import Field, Model, list_of, model_of, to_datetime
from rm_gallery.core.model.message import ChatMessage, MessageRole  # noqa: F401 (re-exported)
from rm_gallery.core.reward.schema import RewardDimensionWithScore


class Reward(Model):
    """score (the mean of the details unless a composition weights them) and details."""

    FIELDS = {
        "score": Field(default=0.0, convert=float),
        "details": Field(factory=list, convert=list_of(RewardDimensionWithScore)),
    }


class Step(ChatMessage):
    """A message with ground truth in `label` (e.g. label["reference"]) and a reward."""

    FIELDS = {
        "label": Field(factory=dict),
        "reward": Field(factory=Reward, convert=model_of(Reward)),
    }


class DataOutput(Model):
    FIELDS = {
        "answer": Field(required=True, convert=model_of(Step)),
        "steps": Field(default=None, convert=list_of(Step)),
    }


class DataSample(Model):
    """One prompt (input) with the outputs to score."""

    FIELDS = {
        "unique_id": Field(required=True, convert=str),
        "input": Field(factory=list, convert=list_of(ChatMessage)),
        "output": Field(factory=list, convert=list_of(DataOutput)),
        "task_category": Field(default=None),
        "source": Field(default=None),
        "created_at": Field(factory=datetime.datetime.now, convert=to_datetime),
        "metadata": Field(default=None),
    }
