// RequestError: a request the client got wrong, with the HTTP status to answer and the
// field at fault. The protocol adapters throw it from their parsers; the server turns
// it into that status and RequestErrorBody, so a client sees which field to fix
// instead of a bare 400.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "rmg/schema.h"

namespace rmg::server {

struct RequestError : std::runtime_error {
  // `field` is a path into the body such as "prompts[3]" or
  // "files[\"a.txt\"]", or "body" for the body as a whole. what() is
  // "<field>: <message>" so that a log line alone says what was wrong where.
  RequestError(int status, std::string field, const std::string& message)
      : std::runtime_error(field.empty() ? message : field + ": " + message),
        status(status),
        field(std::move(field)) {}

  int status;  // 400 unreadable body, 413 too large, 422 readable but invalid
  std::string field;
};

// The JSON body answering `error`: {"error": {"message": what(), "field": field}}.
inline Json RequestErrorBody(const RequestError& error) {
  return Json{{"error", Json{{"message", error.what()}, {"field", error.field}}}};
}

}  // namespace rmg::server
