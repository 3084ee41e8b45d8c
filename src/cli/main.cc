// rmg: the command line over librmg. Each subcommand is a thin layer: it parses
// flags, calls the library and reports.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

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
  // CLI11 would call a misspelt command "a subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || command->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + command->get_name();
    }
    if (!known) {
      std::fprintf(stderr, "rmg: error: unknown command '%s' (commands: %s)\n", argv[1], names.c_str());
      return rmg::cli::kExitBadInput;
    }
  }
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
