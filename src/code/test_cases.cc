#include "code/test_cases.h"

#include "core/simd_json.h"
#include "text/unicode.h"

namespace rmg::code {
namespace {

// A JSON string value is parsed as JSON (the APPS files store inputs_outputs so).
Json Materialize(const Json& value, const std::string& field) {
  if (!value.is_string()) return value;
  try {
    return ParseJson(value.get_ref<const std::string&>());
  } catch (const Json::parse_error& e) {
    throw TestCaseError(field + ": not valid JSON: " + e.what());
  }
}

// APPS stdin/stdout items are strings or lists of lines.
std::string TextItem(const Json& item, const std::string& where) {
  if (item.is_string()) return item.get<std::string>();
  if (item.is_array()) {
    std::string text;
    for (size_t i = 0; i < item.size(); ++i) {
      if (!item[i].is_string()) throw TestCaseError(where + ": expected a string or a list of strings");
      if (i) text += '\n';
      text += item[i].get<std::string>();
    }
    return text;
  }
  if (item.is_number()) return item.dump();
  throw TestCaseError(where + ": expected a string or a list of strings");
}

bool Present(const Json& object, const char* key) {
  if (!object.is_object()) return false;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return false;
  if (it->is_string() && it->get_ref<const std::string&>().empty()) return false;
  return true;
}

// The end of a one-line statement's code: false when the line leaves a bracket or a
// string open (or opens a triple-quoted string), so the statement continues.
bool CompleteLine(std::string_view line) {
  int depth = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '#') break;
    if (c == '\'' || c == '"') {
      if (line.substr(i, 3) == std::string(3, c)) return false;
      size_t j = i + 1;
      while (j < line.size() && line[j] != c) j += line[j] == '\\' ? 2 : 1;
      if (j >= line.size()) return false;
      i = j;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
  }
  size_t end = line.size();
  while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  return depth == 0 && !(end > 0 && line[end - 1] == '\\');
}

bool BlankOrComment(std::string_view line) {
  for (char c : line) {
    if (c == '#') return true;
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

}  // namespace

const char* TestModeName(TestMode mode) {
  switch (mode) {
    case TestMode::kStdio: return "stdio";
    case TestMode::kCall: return "call";
    case TestMode::kAssert: return "assert";
  }
  return "stdio";
}

TestSuite ParseInputsOutputs(const Json& raw, const std::string& field) {
  const Json value = Materialize(raw, field);
  if (!value.is_object()) throw TestCaseError(field + ": expected an object with 'inputs' and 'outputs'");
  if (!value.contains("inputs") || !value["inputs"].is_array()) throw TestCaseError(field + ".inputs: expected a list");
  if (!value.contains("outputs") || !value["outputs"].is_array()) throw TestCaseError(field + ".outputs: expected a list");
  const Json& inputs = value["inputs"];
  const Json& outputs = value["outputs"];
  if (inputs.size() != outputs.size()) {
    throw TestCaseError(field + ": 'outputs' has " + std::to_string(outputs.size()) + " entries but 'inputs' has " +
                        std::to_string(inputs.size()));
  }
  TestSuite suite;
  suite.field = field;
  suite.source = value;
  const bool call = value.contains("fn_name") && value["fn_name"].is_string() &&
                    !value["fn_name"].get_ref<const std::string&>().empty();
  suite.mode = call ? TestMode::kCall : TestMode::kStdio;
  if (call) suite.fn_name = value["fn_name"].get<std::string>();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string where = field + ".inputs[" + std::to_string(i) + "]";
    TestCase test;
    if (call) {
      Json args = inputs[i];
      // Some datasets store each argument list as JSON text, one argument per line.
      if (args.is_string()) {
        args = Json::array();
        const std::string& text = inputs[i].get_ref<const std::string&>();
        size_t start = 0;
        while (start < text.size()) {
          size_t end = text.find('\n', start);
          if (end == std::string::npos) end = text.size();
          const std::string line = text.substr(start, end - start);
          if (!BlankOrComment(line)) {
            try {
              args.push_back(ParseJson(line));
            } catch (const Json::parse_error&) {
              throw TestCaseError(where + ": an argument line is not JSON: " + text::Excerpt(line));
            }
          }
          start = end + 1;
        }
      }
      if (!args.is_array()) throw TestCaseError(where + ": expected the list of arguments");
      test.args = std::move(args);
      test.expected_value = outputs[i];
    } else {
      test.input = TextItem(inputs[i], where);
      test.expected = TextItem(outputs[i], field + ".outputs[" + std::to_string(i) + "]");
    }
    suite.tests.push_back(std::move(test));
  }
  return suite;
}

std::vector<std::string> SplitAssertTests(std::string_view test_code) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= test_code.size()) {
    size_t end = test_code.find('\n', start);
    if (end == std::string_view::npos) end = test_code.size();
    std::string_view line = test_code.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  const std::vector<std::string> whole = {std::string(test_code)};
  size_t first = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].substr(0, 7) == "assert " || lines[i].substr(0, 7) == "assert(") {
      first = i;
      break;
    }
  }
  if (first == lines.size()) return whole;
  std::string prefix;
  for (size_t i = 0; i < first; ++i) {
    // A prefix that is itself inside a block or a bracket cannot be shared safely;
    // the statement before the first assert must be complete.
    prefix += std::string(lines[i]) + "\n";
  }
  if (first > 0 && !BlankOrComment(lines[first - 1]) &&
      (!CompleteLine(lines[first - 1]) || lines[first - 1].back() == ':')) {
    return whole;
  }
  std::vector<std::string> tests;
  for (size_t i = first; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (BlankOrComment(line)) continue;
    const bool assert_line = line.substr(0, 7) == "assert " || line.substr(0, 7) == "assert(";
    if (!assert_line || !CompleteLine(line)) return whole;
    tests.push_back(prefix + std::string(line) + "\n");
  }
  if (tests.empty()) return whole;
  return tests;
}

std::optional<TestSuite> ReadTestSuite(const DataSample& sample, const Step& answer) {
  if (Present(sample.metadata, "inputs_outputs")) {
    return ParseInputsOutputs(sample.metadata["inputs_outputs"], "metadata.inputs_outputs");
  }
  if (Present(answer.label, "inputs_outputs")) {
    return ParseInputsOutputs(answer.label["inputs_outputs"], "label.inputs_outputs");
  }
  if (!Present(answer.label, "test_code")) return std::nullopt;
  const Json& code = answer.label["test_code"];
  if (!code.is_string()) throw TestCaseError("label.test_code: expected a string of Python code");
  TestSuite suite;
  suite.mode = TestMode::kAssert;
  suite.field = "label.test_code";
  suite.source = Json::object();
  suite.source["test_code"] = code;
  if (answer.label.contains("test_setup_code")) {
    const Json& setup = answer.label["test_setup_code"];
    if (!setup.is_null() && !setup.is_string()) throw TestCaseError("label.test_setup_code: expected a string");
    if (setup.is_string()) {
      suite.setup_code = setup.get<std::string>();
      suite.source["test_setup_code"] = setup;
    }
  }
  for (std::string& test : SplitAssertTests(code.get_ref<const std::string&>())) {
    TestCase test_case;
    test_case.test_code = std::move(test);
    suite.tests.push_back(std::move(test_case));
  }
  return suite;
}

}  // namespace rmg::code
