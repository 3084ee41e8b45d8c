// Test helpers for the protocol adapters' parsers.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "server/request_error.h"

namespace rmg::server::testing {

// How `parse` refused `body`: the status, field and what() of its RequestError, or
// status 0 and field "no error" when it accepted the body.
struct Refusal {
  int status = 0;
  std::string field = "no error";
  std::string message;
};

template <typename Parse>
Refusal RefusalOf(Parse parse, std::string_view body) {
  try {
    parse(body);
  } catch (const RequestError& error) {
    return {error.status, error.field, error.what()};
  }
  return {};
}

}  // namespace rmg::server::testing
