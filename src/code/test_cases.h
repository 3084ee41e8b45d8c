// The tests of one sample, read from its label or metadata in the conventions the
// peers use:
//   inputs_outputs  APPS/PRIME: {"inputs": [...], "outputs": [...], "fn_name"?}, a
//                   JSON object or a string holding one; with fn_name each input is
//                   the argument list of a call and each output the return value,
//                   without it each input is fed on stdin and each output is the
//                   expected stdout (a list of lines is joined with "\n").
//   test_code       assert-style Python run after the solution (plus
//                   test_setup_code before it); split into one test per top-level
//                   assert line where that is safe (see SplitAssertTests).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::code {

// A malformed test field; what() names the field, e.g.
// "label.inputs_outputs: 'outputs' has 2 entries but 'inputs' has 3".
class TestCaseError : public std::runtime_error {
 public:
  explicit TestCaseError(const std::string& what) : std::runtime_error(what) {}
};

enum class TestMode { kStdio, kCall, kAssert };

// "stdio", "call" or "assert".
const char* TestModeName(TestMode mode);

struct TestCase {
  std::string input;     // kStdio: the program's stdin
  std::string expected;  // kStdio: the expected stdout
  Json args;             // kCall: the argument list (a JSON array)
  Json expected_value;   // kCall: the expected return value
  std::string test_code; // kAssert: Python run after the solution
};

struct TestSuite {
  TestMode mode = TestMode::kStdio;
  std::string fn_name;     // kCall
  std::string setup_code;  // kAssert: test_setup_code, run before the solution
  std::vector<TestCase> tests;
  std::string field;       // where the tests came from, e.g. "label.inputs_outputs"
  Json source;             // that field's value (parsed when it was a JSON string)
};

// Reads the tests of `answer`, looking at metadata.inputs_outputs, then
// label.inputs_outputs, then label.test_code (RM-Gallery reads metadata first).
// Returns nullopt when none of them is present (or all are null/empty); throws
// TestCaseError when the one found is malformed.
std::optional<TestSuite> ReadTestSuite(const DataSample& sample, const Step& answer);

// Parses an APPS inputs_outputs value (object or JSON string). `field` names it in
// errors.
TestSuite ParseInputsOutputs(const Json& value, const std::string& field);

// Splits assert-style test code into tests. When every line from the first
// top-level `assert` on is blank, a comment or a complete one-line top-level assert,
// each assert becomes one test, preceded by the lines before the first assert (the
// shared prefix, e.g. imports). Otherwise — a `def check(...)`, a multi-line assert,
// statements between asserts — the whole code is one test.
std::vector<std::string> SplitAssertTests(std::string_view test_code);

}  // namespace rmg::code
