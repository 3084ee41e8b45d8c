#include "gallery/general/references.h"

#include <stdexcept>

namespace rmg::gallery {

std::vector<std::string_view> LabelReferences(const Step& answer) {
  if (answer.label.is_object()) {
    const auto list = answer.label.find("references");
    if (list != answer.label.end() && list->is_array() && !list->empty()) {
      std::vector<std::string_view> references;
      for (const Json& item : *list) {
        if (!item.is_string()) throw std::invalid_argument("label.references must hold strings");
        references.push_back(item.get_ref<const std::string&>());
      }
      return references;
    }
    const auto single = answer.label.find("reference");
    if (single != answer.label.end() && single->is_string()) return {single->get_ref<const std::string&>()};
  }
  throw std::invalid_argument("answer.label has no reference (label.reference or label.references)");
}

}  // namespace rmg::gallery
