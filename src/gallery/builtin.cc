// The one list of built-in rewards and of the alias names RM-Gallery's docs use.
#include "gallery/alignment/alignment.h"
#include "gallery/code/code.h"
#include "gallery/format/format.h"
#include "gallery/general/general.h"
#include "gallery/math/math.h"
#include "rmg/registry.h"

namespace rmg {

void RegisterBuiltinRewards(RewardRegistry& registry) {
  for (RewardSpec (*spec)() : {gallery::AccuracySpec, gallery::F1ScoreSpec, gallery::RougeSpec,
                               gallery::NumberAccuracySpec, gallery::BleuSpec, gallery::CorpusBleuSpec,
                               gallery::ChrfSpec, gallery::CorpusChrfSpec,
                               gallery::ReasoningFormatSpec, gallery::ToolCallFormatSpec,
                               gallery::LengthPenaltySpec, gallery::NgramRepetitionSpec,
                               gallery::PrivacyLeakageSpec, gallery::CodeStyleSpec,
                               gallery::PatchSimilaritySpec, gallery::SyntaxCheckSpec,
                               gallery::CodeExecutionSpec, gallery::CodeQualitySpec, gallery::MathVerifySpec}) {
    registry.Register(spec());
  }
  const std::pair<const char*, const char*> aliases[] = {
      {"accuracy_reward", "accuracy"},        {"f1_reward", "f1_score"},
      {"rouge_reward", "rouge"},              {"bleu_reward", "bleu"},
      {"length_reward", "length_penalty"},    {"repetition_reward", "ngram_repetition_penalty"},
      {"privacy_reward", "privacy_leakage"},  {"format_reward", "reasoning_format"},
      {"code_style_reward", "code_style"},   {"code_execution_reward", "code_execution"},
      {"math_correctness_reward", "math_verify_reward"},
  };
  for (const auto& [alias, target] : aliases) registry.RegisterAlias(alias, target);
  gallery::RegisterAlignmentJudges(registry);
}

}  // namespace rmg
