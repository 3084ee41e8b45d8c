// The rmg subcommands. Each Add*Command registers its flags on `app` and runs from
// the parse callback; errors are thrown as exceptions whose what() is one line.
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <string>

namespace rmg::cli {

// Exit code for bad input: a missing file, invalid record, unknown reward or parameter.
inline constexpr int kExitBadInput = 2;

// Exit code for work that failed on good input: every sample of `rmg eval` or
// `best-of-n` failed (an LLM endpoint refusing each call, say), an LLM call of `refine`,
// or the sandbox of `run-code`.
inline constexpr int kExitRunFailed = 1;

// Thrown to end the program with `code` after the command has reported on its own.
struct ExitCode {
  int code;
};

// A check for an unsigned option: its text must be a whole decimal number from `min`
// to `max`. Without it CLI11 reads "-1" as 2^64 - 1 and a number past 2^64 as 2^64 - 1.
inline CLI::Validator WholeNumber(uint64_t min, uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        uint64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
          return "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", got '" +
                 text + "'";
        }
        return "";
      },
      "UINT");
}

void AddListCommand(CLI::App& app);
void AddEvalCommand(CLI::App& app);
void AddRunCodeCommand(CLI::App& app);
void AddServeCommand(CLI::App& app);
void AddConvertCommand(CLI::App& app);
void AddBenchCommand(CLI::App& app);
void AddDataCommand(CLI::App& app);
void AddBestOfNCommand(CLI::App& app);
void AddRefineCommand(CLI::App& app);

}  // namespace rmg::cli
