// Base64 (RFC 4648, standard alphabet, padded): the encoding of the tiktoken
// vocabulary's tokens and of SandboxFusion's file contents in JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rmg::text {

// The padded base64 text of `bytes`.
std::string EncodeBase64(std::string_view bytes);

// The bytes `text` encodes, or nullopt when it is not padded standard base64. Line
// breaks and other whitespace are not accepted: JSON clients send one string.
// Python's b64encode(b"") is "", so "" decodes to "".
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace rmg::text
