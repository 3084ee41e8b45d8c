// The rmg subcommands. Each Add*Command registers its flags on `app` and runs from
// the parse callback; errors are thrown as exceptions whose what() is one line.
#pragma once

#include <CLI/CLI.hpp>

namespace rmg::cli {

// Exit code for bad input: a missing file, invalid record, unknown reward or parameter.
inline constexpr int kExitBadInput = 2;

// Thrown to end the program with `code` after the command has reported on its own.
struct ExitCode {
  int code;
};

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
