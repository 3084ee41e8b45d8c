// rmg: the command line over librmg. Each subcommand is a thin layer: it parses
// flags, calls the library and reports.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"rmg: reward models for LLM post-training (RM-Gallery in C++)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "rmg " RMG_VERSION);
  rmg::cli::AddListCommand(app);
  rmg::cli::AddEvalCommand(app);
  rmg::cli::AddRunCodeCommand(app);
  rmg::cli::AddServeCommand(app);
  rmg::cli::AddConvertCommand(app);
  rmg::cli::AddBenchCommand(app);
  rmg::cli::AddDataCommand(app);
  rmg::cli::AddBestOfNCommand(app);
  rmg::cli::AddRefineCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "rmg: error: %s (see rmg --help)\n", e.what());
    return rmg::cli::kExitBadInput;
  } catch (const rmg::cli::ExitCode& e) {
    return e.code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rmg: error: %s\n", e.what());
    return rmg::cli::kExitBadInput;
  }
  return 0;
}
