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

    def update(self, other):
        """Merges `other`'s results into this sample in place (RM-Gallery's DataSample.update) and returns it.

        The last input message and each answer take other's additional_kwargs; each answer's
        details are extended with other's. Scores are not recomputed. Steps are merged the
        same way (RM-Gallery raises ValueError there, its bug 4).
        """
        if self.input and other.input:
            self.input[-1].additional_kwargs.update(other.input[-1].additional_kwargs)
        for mine, theirs in zip(self.output, other.output):
            mine.answer.additional_kwargs.update(theirs.answer.additional_kwargs)
            mine.answer.reward.details.extend(theirs.answer.reward.details)
            for step, their_step in zip(mine.steps or [], theirs.steps or []):
                step.additional_kwargs.update(their_step.additional_kwargs)
                step.reward.details.extend(their_step.reward.details)
        return self


class BaseDataSet(Model):
    """A named list of DataSamples."""

    FIELDS = {
        "datasamples": Field(factory=list, convert=list_of(DataSample)),
        "name": Field(required=True),
        "metadata": Field(factory=dict),
    }

    def __len__(self):
        return len(self.datasamples)

    def __getitem__(self, index):
        return self.datasamples[index]

    def get_data_samples(self):
        return list(self.datasamples)

    def to_dict(self):
        return {"name": self.name, "metadata": self.metadata, "datasamples": [s.model_dump() for s in self.datasamples]}

    @classmethod
    def from_dict(cls, data):
        return cls(name=data["name"], metadata=data.get("metadata", {}), datasamples=data.get("datasamples", []))
