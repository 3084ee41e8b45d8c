// code_quality_reward: a weighted composition (rmg/composition.h) of
//   syntax_check    (code_syntax_check)  weight syntax_weight    (default 0.2)
//   code_style      (code_style)         weight style_weight     (default 0.2)
//   code_execution  (code_execution)     weight execution_weight (default 0.6)
// Each answer's score becomes Σ w·score / Σ w over its details, so a response whose
// tests all pass, with clean style and valid syntax, scores 1; execution dominates
// because passing tests is what matters most. Note that syntax_check can be -0.5
// and that a sample without tests gets 0 from code_execution.
#include "gallery/code/code.h"
#include "rmg/composition.h"

namespace rmg::gallery {

std::vector<ParamSpec> CodeExecutionParams();

RewardSpec CodeQualitySpec() {
  RewardSpec spec;
  spec.name = "code_quality_reward";
  spec.family = RewardFamily::kComposite;
  spec.instance_name = "code_quality";
  spec.description =
      "Weighted composition: 0.2 syntax_check + 0.2 code_style + 0.6 code_execution (weights are parameters)";
  spec.params = {
      {"syntax_weight", ParamType::kDouble, 0.2, "weight of code_syntax_check (detail syntax_check)", {}},
      {"style_weight", ParamType::kDouble, 0.2, "weight of code_style (detail code_style)", {}},
      {"execution_weight", ParamType::kDouble, 0.6, "weight of code_execution (detail code_execution)", {}},
  };
  for (ParamSpec& param : CodeExecutionParams()) {
    param.description = "code_execution: " + param.description;
    spec.params.push_back(std::move(param));
  }
  spec.factory = [](const Params& p) -> std::unique_ptr<RewardModel> {
    const RewardRegistry& registry = RewardRegistry::Global();
    Json execution = Json::object();
    for (const char* key :
         {"continuous", "timeout", "total_timeout", "max_tests", "stop_at_first_failure", "memory_mb", "use_pool"}) {
      execution[key] = p.Get(key);
    }
    execution["name"] = "code_execution";
    std::vector<std::unique_ptr<RewardModel>> children;
    children.push_back(registry.Create("code_syntax_check",
                                       Json{{"name", "syntax_check"}, {"use_pool", p.GetBool("use_pool")}}));
    children.push_back(registry.Create("code_style", Json{{"name", "code_style"}}));
    children.push_back(registry.Create("code_execution", execution));
    std::map<std::string, double> weights = {{"syntax_check", p.GetDouble("syntax_weight")},
                                             {"code_style", p.GetDouble("style_weight")},
                                             {"code_execution", p.GetDouble("execution_weight")}};
    return std::make_unique<WeightedComposition>(p.GetString("name"), std::move(children), std::move(weights));
  };
  return spec;
}

}  // namespace rmg::gallery
