// _rmg's reading of a judge's reply (llm/judgment.h) for rm_gallery.core.reward.template
// and the Python rubric rewards: a rubric reward written in Python reads the reply
// with the parser and scoring rules of rmg's C++ judges, so the same rubric scores the
// same by either route.
#include "llm/judgment.h"

#include <pybind11/stl.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "llm/output_schema.h"

namespace py = pybind11;

namespace {

// The judgment, or ValueError carrying what was wrong with the reply.
rmg::llm::Judgment Checked(rmg::llm::Judgment judgment) {
  if (!judgment.ok) throw py::value_error(judgment.error);
  return judgment;
}

}  // namespace

void BindJudgment(py::module_& m) {
  m.def(
      "reply_tags", [](const std::string& reply) { return rmg::llm::ParseOutputTags(reply); }, py::arg("reply"),
      "{tag: body} of a reply: each tag's last complete pair, bodies stripped (rmg's judges' parser).");
  m.def(
      "judge_violations",
      [](const std::map<std::string, std::string>& tags, const std::vector<std::string>& rubrics) {
        rmg::llm::Judgment judgment = Checked(rmg::llm::InterpretViolations(tags, rubrics));
        return std::make_pair(judgment.score, std::move(judgment.violations));
      },
      py::arg("tags"), py::arg("rubrics"),
      "(score, distinct violations) of a <violation> list: 1 - violated/rubrics, clamped to [0, 1]. "
      "ValueError for a reply without the tag, an unreadable list or a rubric number out of range.");
  m.def(
      "judge_best",
      [](const std::map<std::string, std::string>& tags, size_t answer_count) {
        return Checked(rmg::llm::InterpretBest(tags, answer_count)).rank;
      },
      py::arg("tags"), py::arg("answer_count"),
      "The one-hot rank of <best>; ValueError for a reply without it or a number outside 1..answer_count.");
}
