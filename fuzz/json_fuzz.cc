// libFuzzer target, differential: rmg's JSON readers and writer on arbitrary text.
//  - ParseJson (simdjson, or nlohmann's SAX events for what simdjson refuses) must
//    give what Json::parse gives: the same value, or the same error message.
//  - ParseDataSample either refuses the text (SchemaError) or reads a sample that
//    writes back to a line which reads back to the same line.
//  - AppendJsonString must write what nlohmann's writer writes, for UTF-8 text, and
//    for any other bytes what it writes for them made valid (text::ValidUtf8).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/json_string.h"
#include "core/simd_json.h"
#include "rmg/sample_io.h"
#include "text/unicode.h"

namespace {

// The dump of `text` read by `parse`, or "error: " and the exception's message.
template <typename Parse>
std::string Outcome(Parse&& parse) {
  try {
    return parse().dump();
  } catch (const rmg::Json::exception& e) {
    return std::string("error: ") + e.what();
  }
}

[[noreturn]] void Fail(const char* what, const std::string& expected, const std::string& got) {
  std::fprintf(stderr, "%s\nexpected: %s\n     got: %s\n", what, expected.c_str(), got.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  const std::string expected = Outcome([&] { return rmg::Json::parse(text); });
  const std::string got = Outcome([&] { return rmg::ParseJson(text); });
  if (got != expected) Fail("ParseJson differs from Json::parse", expected, got);
  const bool discarded = rmg::ParseJson(text, /*allow_exceptions=*/false).is_discarded();
  if (discarded != (expected.rfind("error: ", 0) == 0)) Fail("ParseJson without exceptions", expected, got);

  try {
    std::string line;
    rmg::AppendDataSampleJson(rmg::ParseDataSample(text), &line);
    std::string again;
    rmg::AppendDataSampleJson(rmg::ParseDataSample(line), &again);
    if (again != line) Fail("a written sample does not read back the same", line, again);
  } catch (const rmg::SchemaError&) {
  }

  std::string written;
  rmg::AppendJsonString(text, &written);
  try {
    const std::string reference = rmg::Json(text).dump();
    if (written != reference) Fail("AppendJsonString differs from nlohmann's writer", reference, written);
  } catch (const rmg::Json::type_error&) {  // not UTF-8: nlohmann refuses to write it
    const std::string reference = rmg::Json(rmg::text::ValidUtf8(text)).dump();
    if (written != reference) Fail("AppendJsonString did not write invalid UTF-8 as U+FFFD", reference, written);
  }
  return 0;
}
