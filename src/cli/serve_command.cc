// `rmg serve`: the reward server in the foreground until SIGTERM or SIGINT, which
// stop it gracefully (no new connections, requests in flight finish within the
// grace period, exit 0).
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/config_setup.h"
#include "rmg/config.h"
#include "rmg/registry.h"
#include "rmg/server.h"

namespace rmg::cli {
namespace {

struct ServeFlags {
  std::string host;
  int port = -1;
  std::string config;
  std::string reward;
  std::vector<std::string> params;
  bool no_cache = false;
};

void RunServe(const ServeFlags& flags) {
  const Json config = flags.config.empty() ? Json::object() : LoadConfigFile(flags.config);
  ServerConfig server_config = ParseServerConfig(config, flags.config.empty() ? "<flags>" : flags.config);
  ApplyConfig(config, flags.config, flags.no_cache);
  if (!flags.host.empty()) server_config.host = flags.host;
  if (flags.port >= 0) server_config.port = flags.port;
  if (!flags.reward.empty()) {
    ServedReward served;
    served.reward = flags.reward;
    for (const std::string& text : flags.params) {
      auto [key, value] = SplitKeyValue(text);
      served.params[key] = value;
    }
    server_config.get_reward = served;
  } else if (!flags.params.empty()) {
    throw std::runtime_error("--param needs --reward");
  }

  // Block the stop signals in every thread (the server's threads inherit the mask)
  // and wait for them here: no handler runs in the middle of anything.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<RewardServer> built;
  try {
    built = std::make_unique<RewardServer>(server_config);
  } catch (const RegistryError& e) {
    // "rewards.x: unknown reward ...": the key is the config file's (get_reward may be --reward's).
    const bool from_flag = !flags.reward.empty() && std::string(e.what()).rfind("get_reward: ", 0) == 0;
    if (flags.config.empty() || from_flag) throw;
    throw RegistryError(flags.config + ": " + e.what());
  }
  RewardServer& server = *built;
  server.Start();
  // An IPv6 address is bracketed in a URL (http://[::1]:8000).
  const std::string host =
      server_config.host.find(':') != std::string::npos ? "[" + server_config.host + "]" : server_config.host;
  std::fprintf(
      stderr, "rmg serve: listening on http://%s:%d%s\n", host.c_str(), server.port(),
      server_config.get_reward ? (" (/get_reward runs " + server_config.get_reward->reward + ")").c_str() : "");
  std::fflush(stderr);
  int received = 0;
  sigwait(&stop_signals, &received);
  std::fprintf(stderr, "rmg serve: %s received, finishing requests in flight\n", received == SIGTERM ? "SIGTERM" : "SIGINT");
  const bool drained = server.Shutdown();
  std::fprintf(stderr, "rmg serve: stopped%s\n", drained ? "" : " (some requests were cut short by the grace period)");
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "Serve rewards over HTTP (RM-Gallery batch API, OpenRLHF, SandboxFusion)");
  serve->add_option("--host", flags->host, "Address to listen on (default 127.0.0.1)");
  serve->add_option("--port", flags->port, "Port (default 8000; 0 picks a free one)")->check(CLI::Range(0, 65535));
  serve->add_option("--config,-c", flags->config, "YAML server config (see README: rmg serve)");
  serve->add_option("--reward,-r", flags->reward, "Reward that POST /get_reward runs");
  serve->add_option("--param,-p", flags->params, "Parameter of --reward, KEY=VALUE (repeatable)");
  serve->add_flag("--no-cache", flags->no_cache, "LLM rewards: neither read nor write the response cache");
  serve->callback([flags] { RunServe(*flags); });
}

}  // namespace rmg::cli
