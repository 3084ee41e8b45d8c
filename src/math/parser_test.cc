#include "math/parser.h"

#include <gtest/gtest.h>

namespace rmg::math {
namespace {

std::string P(std::string_view text) {
  std::string error;
  std::optional<Expr> e = ParseMath(text, Deadline::Never(), &error);
  return e ? ToString(*e) : "ERROR: " + error;
}

TEST(ParseMathTest, Smoke) {
  EXPECT_EQ(P("1+2"), "(1 + 2)");
}

}  // namespace
}  // namespace rmg::math
