// Format and style rewards (RM-Gallery's gallery/rm/format/format.py).
#pragma once

#include "rmg/registry.h"

namespace rmg::gallery {

RewardSpec ReasoningFormatSpec();   // reasoning_format: <think> and <answer> present
RewardSpec ToolCallFormatSpec();    // reasoning_tool_call_format: think + answer | tool_call
RewardSpec LengthPenaltySpec();     // length_penalty: characters outside [min, max]
RewardSpec NgramRepetitionSpec();   // ngram_repetition_penalty: repeated n-grams
RewardSpec PrivacyLeakageSpec();    // privacy_leakage: e-mails, phones, ids, cards, IPs

}  // namespace rmg::gallery
