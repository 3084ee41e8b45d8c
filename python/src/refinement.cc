// _rmg's refinement texts (rmg/refinement.h) for rm_gallery.core.reward.refinement:
// the Python LLMRefinement runs its loop with a Python reward and any BaseLLM, and
// asks with the same feedback, prompt and answer cleaning as `rmg refine`.
#include "bindings.h"

#include <string>

#include "rmg/refinement.h"
#include "rmg/sample_io.h"

namespace py = pybind11;

namespace {

rmg::DataSample SampleFrom(const std::string& json_text) {
  try {
    return rmg::ParseDataSample(json_text);
  } catch (const std::exception& e) {
    throw py::value_error(e.what());
  }
}

}  // namespace

void BindRefinement(py::module_& m) {
  m.def(
      "refinement_feedback",
      [](const std::string& scored_json) { return rmg::RefinementFeedback(SampleFrom(scored_json)); },
      py::arg("scored_json"), "The reason of output[0]'s first detail with one, else RM-Gallery's fallback text.");
  m.def(
      "refinement_prompt",
      [](const std::string& sample_json, const std::string& feedback) {
        return rmg::RefinementPrompt(SampleFrom(sample_json), feedback);
      },
      py::arg("sample_json"), py::arg("feedback"), "The prompt asking for a better answer, as `rmg refine` sends it.");
  m.def(
      "without_thinking", [](const std::string& reply) { return rmg::WithoutThinking(reply); }, py::arg("reply"),
      "A reply without its <think>…</think> reasoning, trimmed.");
}
