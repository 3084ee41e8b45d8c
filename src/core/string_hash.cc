#include "rmg/string_hash.h"

#include "text/token_key.h"

namespace rmg {

size_t SeededStringHash::operator()(std::string_view text) const { return text::TokenHash{}(text); }

}  // namespace rmg
