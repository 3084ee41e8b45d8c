#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "cli/commands.h"
#include "cli/config_setup.h"
#include "cli/scoring_flags.h"
#include "rmg/config.h"
#include "rmg/registry.h"
#include "rmg/server.h"

namespace rmg::cli {
namespace {

Json EntryToJson(const RegistryEntry& entry) {
  const RewardSpec& spec = *entry.spec;
  Json params = Json::array();
  for (const ParamSpec& p : spec.params) {
    Json param = {{"name", p.name}, {"type", ParamTypeName(p.type)}, {"default", p.default_value},
                  {"description", p.description}};
    if (!p.choices.empty()) param["choices"] = p.choices;
    if (p.min) param["min"] = *p.min;
    if (p.max) param["max"] = *p.max;
    params.push_back(std::move(param));
  }
  Json row = {{"name", entry.name}, {"kind", spec.kind}, {"family", FamilyName(spec.family)},
              {"description", spec.description}, {"parameters", std::move(params)}};
  if (!entry.alias_of.empty()) row["alias_of"] = entry.alias_of;
  return row;
}

void PrintTable() {
  const auto entries = RewardRegistry::Global().List();
  size_t width = 4;
  for (const RegistryEntry& e : entries) width = std::max(width, e.name.size());
  std::printf("%-*s  %-4s  %-9s  %s\n", static_cast<int>(width), "NAME", "KIND", "FAMILY", "DESCRIPTION");
  for (const RegistryEntry& e : entries) {
    const std::string description =
        e.alias_of.empty() ? e.spec->description : "alias of " + e.alias_of + ": " + e.spec->description;
    std::printf("%-*s  %-4s  %-9s  %s\n", static_cast<int>(width), e.name.c_str(), e.spec->kind.c_str(),
                std::string(FamilyName(e.spec->family)).c_str(), description.c_str());
  }
}

// The README's reward table: one row per reward, aliases folded into their reward.
void PrintMarkdown() {
  const auto entries = RewardRegistry::Global().List();
  std::printf("| reward | kind | family | parameters (defaults) | description |\n|---|---|---|---|---|\n");
  for (const RegistryEntry& e : entries) {
    if (!e.alias_of.empty()) continue;
    std::string params;
    for (const ParamSpec& p : e.spec->params) {
      // The detail name is shown where it differs from the reward's: weights and
      // additional_kwargs are keyed by it (reasoning_format writes "format_reward").
      if (p.name == "name" && p.default_value == e.name) continue;
      params += (params.empty() ? "" : ", ") + ("`" + p.name + "=" + p.default_value.dump() + "`");
    }
    std::string aliases;
    for (const RegistryEntry& alias : entries) {
      if (alias.alias_of == e.name) aliases += (aliases.empty() ? " (alias " : ", ") + ("`" + alias.name + "`");
    }
    if (!aliases.empty()) aliases += ")";
    std::printf("| `%s`%s | %s | %s | %s | %s |\n", e.name.c_str(), aliases.c_str(), e.spec->kind.c_str(),
                std::string(FamilyName(e.spec->family)).c_str(), params.empty() ? "-" : params.c_str(),
                e.spec->description.c_str());
  }
}

}  // namespace

void AddListCommand(CLI::App& app) {
  CLI::App* list = app.add_subcommand("list", "List the registered rewards with their parameters");
  auto json = std::make_shared<bool>(false);
  auto markdown = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "Print a JSON array with every reward's parameters and defaults");
  list->add_flag("--markdown", *markdown, "Print the reward table of the README");
  auto config = std::make_shared<std::string>();
  list->add_option("-c,--config", *config,
                   "An rmg eval or rmg serve config: its judges: and templates: are listed too");
  list->callback([json, markdown, config] {
    if (!config->empty()) {
      const Json loaded = LoadConfigFile(*config);
      if (!loaded.is_object()) throw std::runtime_error(*config + ": expected a mapping at the top level");
      // An eval or a serve config: a key neither reads is a typo (`judge:`), which would
      // otherwise list nothing and say nothing.
      std::vector<std::string> known = EvalConfigKeys();
      for (const std::string& key : ServerConfigKeys()) {
        if (std::find(known.begin(), known.end(), key) == known.end()) known.push_back(key);
      }
      CheckKnownKeys(loaded, known, *config);
      ApplyConfig(loaded, *config, /*no_cache=*/false);
    }
    errno = 0;
    if (*markdown) {
      PrintMarkdown();
    } else if (*json) {
      Json rows = Json::array();
      for (const RegistryEntry& entry : RewardRegistry::Global().List()) rows.push_back(EntryToJson(entry));
      std::printf("%s\n", rows.dump(2).c_str());
    } else {
      PrintTable();
    }
    // A list that did not reach its file (a full disk, a closed pipe) is a failed command;
    // errno is the first failed write's.
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
      throw std::runtime_error(std::string("stdout: write failed") +
                               (errno != 0 ? ": " + std::string(std::strerror(errno)) : ""));
    }
  });
}

}  // namespace rmg::cli
