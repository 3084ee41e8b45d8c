// libFuzzer target: the server's protocol parsers on arbitrary request bodies. A
// RequestError is the expected answer to garbage; any other exception, crash,
// sanitizer report or hang is a bug. Programs are never run here.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/openrlhf.h"
#include "server/sandbox_fusion.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    const rmg::server::OpenRlhfBatch batch = rmg::server::ParseOpenRlhfRequest(body);
    // The answer must always be dumpable: the server writes it as is.
    rmg::server::OpenRlhfResponse(rmg::server::OpenRlhfSamples(batch)).dump();
  } catch (const rmg::server::RequestError&) {
  }
  try {
    rmg::server::ParseRunCodeRequest(body);
  } catch (const rmg::server::RequestError&) {
  }
  return 0;
}
