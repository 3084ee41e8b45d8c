"""Errors surface as Python exceptions carrying rmg's message, never as a crash."""

import pytest

from rm_gallery import _rmg
from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.gallery.rm.format.format import LengthPenaltyReward
from rm_gallery.gallery.rm.general import F1ScoreReward


def test_unknown_reward_is_key_error_listing_close_names():
    with pytest.raises(KeyError) as info:
        RewardRegistry.get("acuracy")
    assert "accuracy" in str(info.value)
    with pytest.raises(KeyError, match="accuracy"):
        _rmg.create_reward("acuracy", "{}")


def test_bad_parameter_is_value_error():
    with pytest.raises(ValueError, match="min_length"):
        LengthPenaltyReward(min_length="ten")
    with pytest.raises(ValueError, match="tokenizer"):
        F1ScoreReward(tokenizer_type="no-such-tokenizer")
    with pytest.raises(ValueError, match="tokenize"):
        RewardRegistry.get("bleu")(tokenize="no-such-tokenizer")
    with pytest.raises(ValueError, match="no_such_param"):
        _rmg.create_reward("accuracy", '{"no_such_param": 1}')
    # A gallery class hands keywords it does not declare to rmg, which refuses a misspelt one.
    with pytest.raises(ValueError, match="'varient'.*variant"):
        RewardRegistry.get("rouge")(varient="rouge2")
    with pytest.raises(ValueError, match="tolerance.*nan"):
        RewardRegistry.get("number_accuracy")(tolerance=float("nan"))
    with pytest.raises(ValueError, match="max_length.*inf"):
        LengthPenaltyReward(max_length=float("inf"))


def test_unsupported_rm_gallery_option_is_value_error():
    from rm_gallery.gallery.rm.code.code import CodeExecutionReward

    with pytest.raises(ValueError, match="test_framework_available"):
        CodeExecutionReward(test_framework_available=False)


def test_bad_sample_is_value_error():
    reward = LengthPenaltyReward()
    with pytest.raises(ValueError):
        reward._native.evaluate('{"unique_id": 5, "output": "x"}')
    # In a batch the error takes the bad sample's place, and the others are scored.
    results = reward._native.evaluate_batch(['{"unique_id": "a"}', "not json"], 2)
    assert isinstance(results[0], str) and isinstance(results[1], ValueError)
