#include "math/expr.h"

#include <vector>

namespace rmg::math {

namespace {

const char* RelationText(Rel rel) {
  switch (rel) {
    case Rel::kEq: return "=";
    case Rel::kNe: return "!=";
    case Rel::kLt: return "<";
    case Rel::kLe: return "<=";
    case Rel::kGt: return ">";
    case Rel::kGe: return ">=";
    case Rel::kApprox: return "~=";
  }
  return "?";
}

void AppendJoined(const std::vector<Expr>& args, const char* separator, std::string* out);

// Trees come from the parser, whose depth is bounded by ParseLimits::max_depth, so
// plain recursion is safe here.
void Append(const Expr& e, std::string* out) {
  switch (e.op) {
    case Op::kInteger:
    case Op::kDecimal:
    case Op::kSymbol:
      *out += e.text;
      return;
    case Op::kPi: *out += "pi"; return;
    case Op::kE: *out += "E"; return;
    case Op::kI: *out += "I"; return;
    case Op::kInfinity: *out += "oo"; return;
    case Op::kEmptySet: *out += "emptyset"; return;
    case Op::kText:
      *out += '"';
      *out += e.text;
      *out += '"';
      return;
    case Op::kAdd: *out += '('; AppendJoined(e.args, " + ", out); *out += ')'; return;
    case Op::kMul: *out += '('; AppendJoined(e.args, " * ", out); *out += ')'; return;
    case Op::kDiv: *out += '('; AppendJoined(e.args, " / ", out); *out += ')'; return;
    case Op::kPow: *out += '('; AppendJoined(e.args, " ^ ", out); *out += ')'; return;
    case Op::kPlusMinus: *out += '('; AppendJoined(e.args, " ± ", out); *out += ')'; return;
    case Op::kUnion: *out += '('; AppendJoined(e.args, " ∪ ", out); *out += ')'; return;
    case Op::kIntersection: *out += '('; AppendJoined(e.args, " ∩ ", out); *out += ')'; return;
    case Op::kNeg:
      *out += "(-";
      AppendJoined(e.args, ", ", out);
      *out += ')';
      return;
    case Op::kFactorial:
    case Op::kPercent:
    case Op::kDegrees:
      *out += '(';
      AppendJoined(e.args, ", ", out);
      *out += e.op == Op::kFactorial ? "!" : e.op == Op::kPercent ? "%" : "°";
      *out += ')';
      return;
    case Op::kFunction:
    case Op::kApply:
      *out += e.text;
      *out += '(';
      AppendJoined(e.args, ", ", out);
      *out += ')';
      return;
    case Op::kTuple: *out += '('; AppendJoined(e.args, ", ", out); *out += ')'; return;
    case Op::kList: AppendJoined(e.args, ", ", out); return;
    case Op::kSet: *out += '{'; AppendJoined(e.args, ", ", out); *out += '}'; return;
    case Op::kInterval:
      *out += e.left_closed ? '[' : '(';
      AppendJoined(e.args, ", ", out);
      *out += e.right_closed ? ']' : ')';
      return;
    case Op::kMatrix: {
      *out += '[';
      for (uint32_t r = 0; r < e.rows; ++r) {
        if (r > 0) *out += ", ";
        *out += '[';
        for (uint32_t c = 0; c < e.cols; ++c) {
          const size_t index = static_cast<size_t>(r) * e.cols + c;
          if (c > 0) *out += ", ";
          if (index < e.args.size()) Append(e.args[index], out);
        }
        *out += ']';
      }
      *out += ']';
      return;
    }
    case Op::kRelation:
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) {
          *out += ' ';
          *out += i - 1 < e.relations.size() ? RelationText(e.relations[i - 1]) : "?";
          *out += ' ';
        }
        Append(e.args[i], out);
      }
      return;
  }
}

void AppendJoined(const std::vector<Expr>& args, const char* separator, std::string* out) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) *out += separator;
    Append(args[i], out);
  }
}

}  // namespace

std::string ToString(const Expr& expr) {
  std::string out;
  Append(expr, &out);
  return out;
}

size_t NodeCount(const Expr& expr) {
  // An explicit stack: trees built by other code need not be shallow.
  size_t count = 0;
  std::vector<const Expr*> pending = {&expr};
  while (!pending.empty()) {
    const Expr* node = pending.back();
    pending.pop_back();
    ++count;
    for (const Expr& arg : node->args) pending.push_back(&arg);
  }
  return count;
}

}  // namespace rmg::math
