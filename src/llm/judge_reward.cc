#include "llm/judge_reward.h"

#include <atomic>
#include <cstdio>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include "core/simd_json.h"
#include "core/unit_results.h"
#include "llm/completion_queue.h"
#include "llm/output_schema.h"
#include "text/unicode.h"

namespace rmg::llm {
namespace {

// How much of an unreadable reply a reason quotes.
constexpr size_t kQuotedReplyLimit = 500;

std::string Quote(std::string_view text) { return "\"" + text::Excerpt(text, kQuotedReplyLimit) + "\""; }

// How much of a verdict's reason a detail keeps. The reason is copied into the detail
// of every output the reply judged (of every pair, for a pairwise judge): a 4 MB
// reason for 50 outputs made a 200 MB record, and 132 pairs a 1 GB one.
constexpr size_t kReasonLimit = 16 * 1024;

// FNV-1a: a hash that is the same on every platform and build, so a shuffled
// order (and the cache entry of its prompt) survives a rebuild.
uint64_t StableHash(std::string_view text, uint64_t seed) {
  uint64_t hash = 1469598103934665603ull ^ seed;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// A Fisher-Yates shuffle of 0..n-1 driven by splitmix64 (fully specified, unlike
// std::shuffle with a standard distribution).
std::vector<size_t> ShuffledOrder(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  uint64_t state = seed;
  auto next = [&state] {
    state += 0x9e3779b97f4a7c15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  for (size_t k = n; k > 1; --k) std::swap(order[k - 1], order[next() % k]);
  return order;
}

Json CachedReply(const ChatReply& reply) {
  return Json{{"content", reply.content}, {"reasoning_content", reply.reasoning_content}};
}

}  // namespace

JudgeReply SplitReply(const ChatReply& reply) {
  JudgeReply split;
  split.raw = reply.content;
  const ThinkingSplit parts = SplitThinking(reply.content);
  split.answer = std::string(parts.answer);
  split.thinking = std::string(parts.thinking);
  if (!reply.reasoning_content.empty()) {
    split.thinking = reply.reasoning_content + (split.thinking.empty() ? "" : "\n" + split.thinking);
  }
  return split;
}

// One prompt sent about some outputs of the sample.
struct JudgeReward::Call {
  size_t unit = 0;                 // the unit this call belongs to
  std::vector<size_t> shown;       // output indices, in the order the prompt shows them
  std::string prompt;
  Json body;                       // the request body
  std::string cache_key;           // "" when the cache is off
  bool ok = false;
  Verdict verdict;
  std::string error;               // why the call failed, when !ok
};

// One sample's evaluation in flight.
namespace {

// One line on stderr per distinct failure, however many judges meet it.
void WarnOnceAboutCache(const std::string& error) {
  static std::mutex mutex;
  static std::set<std::string> warned;
  std::lock_guard<std::mutex> lock(mutex);
  if (!warned.insert(error).second) return;
  std::fprintf(stderr, "rmg: %s; judging without a cache (cache=off silences this)\n", error.c_str());
}

}  // namespace

struct JudgeReward::Job {
  DataSample* sample = nullptr;
  EvalContext context;
  Done done;
  std::vector<Call> calls;
  size_t units = 0;
  std::atomic<size_t> remaining{0};
};

JudgeReward::JudgeReward(std::string name, std::unique_ptr<JudgeFormat> format, LlmSettings settings,
                         JudgeOptions options)
    : RewardModel(std::move(name)),
      format_(std::move(format)),
      settings_(std::move(settings)),
      options_(options),
      client_(SharedChatClient(settings_.client)) {
  if (settings_.cache_path.empty()) return;
  try {
    cache_ = ResponseCache::Shared(settings_.cache_path);
  } catch (const std::exception& e) {
    // The default cache is an optimisation: a read-only home or a damaged file must not
    // stop the judging. A file the user named is an error.
    if (!settings_.cache_optional) throw;
    WarnOnceAboutCache(e.what());
  }
}

size_t JudgeReward::requests_at_once(const DataSample& sample) const {
  const size_t n = sample.output.size();
  switch (format_->family()) {
    case RewardFamily::kPointwise:
      return n;
    case RewardFamily::kPairwise:
      return n * (n - std::min<size_t>(n, 1)) / (options_.both_orders ? 1 : 2);
    default:
      return 1;
  }
}

std::vector<JudgeReward::Call> JudgeReward::PlanCalls(const DataSample& sample) const {
  std::vector<Call> calls;
  const size_t n = sample.output.size();
  auto add = [&](size_t unit, std::vector<size_t> shown) {
    Call call;
    call.unit = unit;
    call.shown = std::move(shown);
    calls.push_back(std::move(call));
  };
  switch (format_->family()) {
    case RewardFamily::kPointwise:
      for (size_t i = 0; i < n; ++i) add(i, {i});
      break;
    case RewardFamily::kListwise:
      if (n > 0) {
        std::vector<size_t> order(n);
        for (size_t i = 0; i < n; ++i) order[i] = i;
        if (options_.shuffle) order = ShuffledOrder(n, StableHash(sample.unique_id, options_.seed));
        add(0, std::move(order));
      }
      break;
    case RewardFamily::kPairwise: {
      size_t unit = 0;
      for (size_t i = 0; i < n; ++i) {
        for (size_t j = i + 1; j < n; ++j, ++unit) {
          add(unit, {i, j});
          if (options_.both_orders) add(unit, {j, i});
        }
      }
      break;
    }
    default:
      throw std::logic_error("a judge is pointwise, pairwise or listwise");
  }
  for (Call& call : calls) {
    std::vector<const DataOutput*> shown;
    for (size_t index : call.shown) shown.push_back(&sample.output[index]);
    try {
      call.prompt = format_->Prompt(sample, shown, settings_.enable_thinking);
    } catch (const std::exception& e) {
      call.error = std::string("error: cannot build the prompt: ") + e.what();
      continue;
    }
    call.body = ChatRequestBody(settings_, call.prompt);
    if (cache_) {
      // The endpoint is part of what answers: two servers may serve different weights under
      // one model name (vLLM, llama.cpp).
      Json keyed = call.body;
      keyed["base_url"] = settings_.client.base_url;
      call.cache_key = ResponseCache::KeyFor(keyed);
    }
  }
  return calls;
}

std::vector<std::string> JudgeReward::Prompts(const DataSample& sample) const {
  std::vector<std::string> prompts;
  for (Call& call : PlanCalls(sample)) {
    if (!call.error.empty()) {
      // The unit's reason without its "error: cannot build the prompt: " lead.
      const size_t lead = call.error.find("prompt: ");
      throw std::invalid_argument(lead == std::string::npos ? call.error : call.error.substr(lead + 8));
    }
    prompts.push_back(std::move(call.prompt));
  }
  return prompts;
}

size_t JudgeReward::Apply(DataSample& sample, const EvalContext& context) const {
  std::promise<size_t> finished;
  std::future<size_t> failures = finished.get_future();
  ApplyAsync(sample, context, [&finished](size_t failed) { finished.set_value(failed); });
  return failures.get();
}

void JudgeReward::ApplyAsync(DataSample& sample, const EvalContext& context, Done done) const {
  auto job = std::make_shared<Job>();
  job->sample = &sample;
  job->context = context;
  job->done = std::move(done);
  job->calls = PlanCalls(sample);
  job->remaining = job->calls.size() + 1;  // +1 until every call has been started
  const int attempts = 1 + settings_.client.max_retries;
  for (size_t i = 0; i < job->calls.size(); ++i) {
    Call& call = job->calls[i];
    if (!call.error.empty()) {
      CallDone(job);
      continue;
    }
    if (cache_) {
      if (std::optional<std::string> cached = cache_->Get(call.cache_key)) {
        const Json stored = ParseJson(*cached, /*allow_exceptions=*/false);
        ChatReply reply;
        if (stored.is_object()) {
          reply.content = stored.value("content", "");
          reply.reasoning_content = stored.value("reasoning_content", "");
        }
        if (!ReadVerdict(reply, call.shown.size(), &call.verdict)) {
          call.ok = true;
          CallDone(job);
          continue;
        }
      }
    }
    Send(job, i, attempts);
  }
  CallDone(job);
}

void JudgeReward::Send(std::shared_ptr<Job> job, size_t call_index, int attempts_left) const {
  ChatRequest request;
  request.body = job->calls[call_index].body;
  request.deadline = job->context.deadline;
  request.max_attempts = attempts_left;
  request.reask = attempts_left < 1 + settings_.client.max_retries;  // not the first send of this call
  // Runs on the client's I/O thread: reading a reply is quick; the cache write is not, so it is posted.
  client_->Submit(std::move(request), [this, job, call_index, attempts_left](ChatReply reply) {
    Call& call = job->calls[call_index];
    if (!reply.ok()) {
      call.error = std::string("error: ") + ChatStatusName(reply.status) + ": " + reply.error;
      CallDone(job);
      return;
    }
    const std::optional<std::string> unreadable = ReadVerdict(reply, call.shown.size(), &call.verdict);
    if (!unreadable) {
      call.ok = true;
      if (!cache_) {
        CallDone(job);
        return;
      }
      // The sample is done once its replies are cached: the same request made after
      // Evaluate() returns is always served from the cache, and no write outlives it
      // (the reference is dropped first, so the database never closes behind a caller).
      PostCompletion([this, job, cache = cache_, key = call.cache_key, value = CachedReply(reply).dump()]() mutable {
        cache->Put(key, value);
        cache.reset();
        CallDone(job);
      });
      return;
    }
    const int left = attempts_left - std::max(1, reply.attempts);
    if (left > 0 && !job->context.deadline.Expired()) {
      Send(job, call_index, left);
      return;
    }
    const int used = 1 + settings_.client.max_retries - left;
    client_->CountUnusableReply();
    call.error = "error: unreadable reply (" + *unreadable + ") after " + std::to_string(used) +
                 " attempts; the model replied: " + Quote(reply.content);
    CallDone(job);
  });
}

std::optional<std::string> JudgeReward::ReadVerdict(const ChatReply& reply, size_t shown_count,
                                                    Verdict* verdict) const {
  *verdict = Verdict();
  try {
    if (std::optional<std::string> unreadable = format_->Read(SplitReply(reply), shown_count, verdict)) {
      return unreadable;
    }
  } catch (const std::exception& e) {
    return std::string("the judge format failed: ") + e.what();
  }
  if (verdict->scores.size() != shown_count) {
    return "expected " + std::to_string(shown_count) + " scores, the judge format gave " +
           std::to_string(verdict->scores.size());
  }
  if (verdict->reason.size() > kReasonLimit) verdict->reason = text::Excerpt(verdict->reason, kReasonLimit);
  return std::nullopt;
}

void JudgeReward::CallDone(std::shared_ptr<Job> job) const {
  if (job->remaining.fetch_sub(1) != 1) return;
  PostCompletion([this, job] { Finish(job); });
}

// Writes every unit's result into the sample and reports the failures.
void JudgeReward::Finish(const std::shared_ptr<Job>& job) const {
  DataSample& sample = *job->sample;
  const EvalContext& context = job->context;
  size_t failures = 0;
  auto extra = [](const Call& call) {
    Json data = Json::object();
    if (!call.ok) data["error"] = internal::ErrorText(call.error);
    data["prompt"] = call.prompt;
    return data;
  };
  switch (format_->family()) {
    case RewardFamily::kPointwise:
      for (const Call& call : job->calls) {
        RewardResult result;
        if (call.ok) {
          result.details.push_back(RewardDetail{name(), call.verdict.scores.at(0), call.verdict.reason, nullptr});
        } else {
          result.details.push_back(internal::ErrorDetail(name(), context, call.error));
          ++failures;
        }
        result.extra_data = extra(call);
        internal::WriteOutputResult(sample.output[call.shown[0]], name(), std::move(result));
      }
      break;
    case RewardFamily::kListwise:
      for (const Call& call : job->calls) {
        RankDetail detail{name(), call.ok ? call.verdict.reason : call.error,
                          std::vector<double>(sample.output.size(), context.error_score)};
        if (call.ok) {
          for (size_t k = 0; k < call.shown.size(); ++k) detail.rank[call.shown[k]] = call.verdict.scores.at(k);
        } else {
          ++failures;
        }
        internal::WriteListResult(sample, name(), RankResult{{std::move(detail)}, extra(call)});
      }
      break;
    case RewardFamily::kPairwise: {
      // Calls of one unit are adjacent: (i, j) and, with both_orders, (j, i).
      for (size_t c = 0; c < job->calls.size();) {
        size_t end = c + 1;
        while (end < job->calls.size() && job->calls[end].unit == job->calls[c].unit) ++end;
        const size_t i = job->calls[c].shown[0];
        const size_t j = job->calls[c].shown[1];
        RankDetail detail{name(), "", {0.0, 0.0}};
        bool all_ok = true;
        for (size_t k = c; k < end; ++k) {
          const Call& call = job->calls[k];
          if (!call.ok) {
            all_ok = false;
            detail.reason = call.error;
            break;
          }
          // Map the shown order back to (i, j).
          detail.rank[0] += call.verdict.scores.at(call.shown[0] == i ? 0 : 1) / static_cast<double>(end - c);
          detail.rank[1] += call.verdict.scores.at(call.shown[0] == i ? 1 : 0) / static_cast<double>(end - c);
          if (!detail.reason.empty()) detail.reason += "\n";
          if (end - c > 1) detail.reason += k == c ? "[shown as A, B] " : "[shown as B, A] ";
          detail.reason += call.verdict.reason;
        }
        if (!all_ok) {
          detail.rank = {context.error_score, context.error_score};
          ++failures;
        }
        internal::WritePairResult(sample, i, j, RankResult{{std::move(detail)}, nullptr});
        c = end;
      }
      internal::RecomputeAnswerScores(sample);
      break;
    }
    default:
      break;
  }
  Done done = std::move(job->done);
  done(failures);
}

}  // namespace rmg::llm
