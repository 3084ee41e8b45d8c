#include "gallery/general/references.h"

#include <stdexcept>

namespace rmg::gallery {

std::vector<std::string_view> LabelReferences(const Step& answer) {
  if (answer.label.is_object()) {
    const auto list = answer.label.find("references");
    if (list != answer.label.end() && !list->is_null()) {
      if (!list->is_array()) {
        throw std::invalid_argument(std::string("label.references must be a list of strings, got ") +
                                    list->type_name());
      }
      if (!list->empty()) {
        std::vector<std::string_view> references;
        for (const Json& item : *list) {
          if (!item.is_string()) {
            throw std::invalid_argument(std::string("label.references must hold strings, got ") + item.type_name());
          }
          references.push_back(item.get_ref<const std::string&>());
        }
        return references;
      }
    }
    const auto single = answer.label.find("reference");
    if (single != answer.label.end() && !single->is_null()) {
      if (!single->is_string()) {
        throw std::invalid_argument(std::string("label.reference must be a string, got ") + single->type_name());
      }
      return {single->get_ref<const std::string&>()};
    }
  }
  throw std::invalid_argument("answer.label has no reference (label.reference or label.references)");
}

}  // namespace rmg::gallery
