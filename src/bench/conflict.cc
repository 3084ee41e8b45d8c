#include "bench/conflict.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "bench/answer_score.h"

namespace rmg::bench {
namespace {

constexpr size_t kUnvisited = static_cast<size_t>(-1);

[[noreturn]] void BadSample(const std::string& unique_id, const std::string& why) {
  throw std::invalid_argument("conflict sample '" + unique_id + "': " + why);
}

double Share(size_t part, size_t whole) { return whole == 0 ? 0.0 : static_cast<double>(part) / whole; }

PairOutcome Decide(double first, double second) {
  if (first > second) return PairOutcome::kFirstWins;
  if (second > first) return PairOutcome::kSecondWins;
  return PairOutcome::kTie;
}

}  // namespace

std::vector<std::vector<size_t>> StronglyConnectedComponents(size_t nodes,
                                                             const std::vector<std::pair<size_t, size_t>>& edges) {
  // Adjacency in compressed rows: the successors of v are targets[starts[v] .. starts[v+1]).
  std::vector<size_t> starts(nodes + 1, 0), targets(edges.size());
  for (const auto& [from, to] : edges) ++starts[from + 1];
  for (size_t v = 0; v < nodes; ++v) starts[v + 1] += starts[v];
  std::vector<size_t> fill(starts.begin(), starts.end() - 1);
  for (const auto& [from, to] : edges) targets[fill[from]++] = to;

  std::vector<size_t> index(nodes, kUnvisited), low(nodes, 0);
  std::vector<bool> on_stack(nodes, false);
  std::vector<size_t> stack;
  std::vector<std::pair<size_t, size_t>> calls;  // (node, next successor position): the recursion, made explicit
  std::vector<std::vector<size_t>> components;
  size_t counter = 0;
  const auto visit = [&](size_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    calls.emplace_back(v, starts[v]);
  };
  for (size_t root = 0; root < nodes; ++root) {
    if (index[root] != kUnvisited) continue;
    visit(root);
    while (!calls.empty()) {
      const size_t v = calls.back().first;
      if (calls.back().second < starts[v + 1]) {
        const size_t w = targets[calls.back().second++];
        if (index[w] == kUnvisited) {
          visit(w);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {  // v is the root of a component: everything above it on the stack
        std::vector<size_t> component;
        size_t w = kUnvisited;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component.push_back(w);
        } while (w != v);
        std::sort(component.begin(), component.end());
        components.push_back(std::move(component));
      }
      calls.pop_back();
      if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[v]);
    }
  }
  return components;
}

SampleConflicts AnalyzeTournament(const Tournament& tournament) {
  const size_t n = tournament.outputs;
  SampleConflicts result;
  result.unique_id = tournament.unique_id;
  result.outputs = n;
  std::vector<std::pair<size_t, size_t>> edges;
  std::vector<size_t> wins(n, 0);
  std::set<std::pair<size_t, size_t>> seen;
  for (const PairComparison& verdict : tournament.verdicts) {
    const size_t a = verdict.first, b = verdict.second;
    if (a >= n || b >= n || a == b) {
      BadSample(tournament.unique_id,
                "verdict on outputs " + std::to_string(a) + " and " + std::to_string(b) + " of " + std::to_string(n));
    }
    if (!seen.emplace(std::min(a, b), std::max(a, b)).second)
      BadSample(tournament.unique_id, "outputs " + std::to_string(a) + " and " + std::to_string(b) + " compared twice");
    switch (verdict.outcome) {
      case PairOutcome::kFailed:
        ++result.failed;
        continue;
      case PairOutcome::kTie:
        ++result.ties;
        break;
      case PairOutcome::kFirstWins:
        edges.emplace_back(a, b), ++wins[a];
        break;
      case PairOutcome::kSecondWins:
        edges.emplace_back(b, a), ++wins[b];
        break;
    }
    ++result.comparisons;
  }
  for (std::vector<size_t>& component : StronglyConnectedComponents(n, edges)) {
    if (component.size() > 1) result.cycles.push_back(std::move(component));
  }
  std::sort(result.cycles.begin(), result.cycles.end());
  for (size_t i = 0; i < n && n >= 2; ++i) {
    if (wins[i] == n - 1) result.condorcet_winner = i;
  }
  return result;
}

ConflictResult EvaluateConflicts(const std::vector<Tournament>& tournaments) {
  ConflictResult result;
  for (const Tournament& tournament : tournaments) {
    if (tournament.outputs < 2) {
      ++result.skipped;
      continue;
    }
    SampleConflicts sample = AnalyzeTournament(tournament);
    ++result.samples;
    result.samples_with_cycles += !sample.cycles.empty();
    result.cycles += sample.cycles.size();
    result.comparisons += sample.comparisons;
    result.ties += sample.ties;
    result.failed += sample.failed;
    result.dominated += sample.condorcet_winner.has_value();
    result.per_sample.push_back(std::move(sample));
  }
  result.conflict_rate = Share(result.samples_with_cycles, result.samples);
  result.dominance_rate = Share(result.dominated, result.samples);
  return result;
}

Tournament TournamentOf(const RewardModel& reward, const DataSample& sample, const EvalContext& context) {
  Tournament tournament{sample.unique_id, sample.output.size(), {}};
  DataSample pair = sample;
  pair.output.clear();
  for (size_t i = 0; i < sample.output.size(); ++i) {
    for (size_t j = i + 1; j < sample.output.size(); ++j) {
      pair.output = {sample.output[i], sample.output[j]};
      for (DataOutput& output : pair.output) output.answer.reward.reset();  // old details would join the mean
      PairComparison verdict{i, j, PairOutcome::kFailed};
      const size_t failed = reward.Apply(pair, context);
      const auto& first = pair.output[0].answer.reward;
      const auto& second = pair.output[1].answer.reward;
      if (failed == 0 && first && second) verdict.outcome = Decide(first->score, second->score);
      tournament.verdicts.push_back(verdict);
    }
  }
  return tournament;
}

ConflictResult EvaluateConflicts(const RewardModel& reward, const std::vector<DataSample>& samples,
                                 const EvalContext& context) {
  std::vector<Tournament> tournaments;
  tournaments.reserve(samples.size());
  for (const DataSample& sample : samples) tournaments.push_back(TournamentOf(reward, sample, context));
  return EvaluateConflicts(tournaments);
}

Tournament TournamentOfScores(const DataSample& sample, std::string_view score_path) {
  if (sample.output.size() < 2) return Tournament{sample.unique_id, sample.output.size(), {}};
  std::vector<double> scores;
  for (size_t k = 0; k < sample.output.size(); ++k) {
    try {
      scores.push_back(AnswerScore(sample.output[k].answer, score_path));
    } catch (const std::invalid_argument& e) {
      BadSample(sample.unique_id, "output[" + std::to_string(k) + "]: " + e.what());
    }
  }
  Tournament tournament{sample.unique_id, scores.size(), {}};
  for (size_t i = 0; i < scores.size(); ++i) {
    for (size_t j = i + 1; j < scores.size(); ++j) tournament.verdicts.push_back({i, j, Decide(scores[i], scores[j])});
  }
  return tournament;
}

ConflictResult EvaluateConflicts(const std::vector<DataSample>& samples, std::string_view score_path) {
  std::vector<Tournament> tournaments;
  tournaments.reserve(samples.size());
  for (const DataSample& sample : samples) tournaments.push_back(TournamentOfScores(sample, score_path));
  return EvaluateConflicts(tournaments);
}

Json ConflictReport(const ConflictResult& result) {
  Json per_sample = Json::object();
  for (const SampleConflicts& sample : result.per_sample) {
    size_t largest = 0;
    for (const std::vector<size_t>& cycle : sample.cycles) largest = std::max(largest, cycle.size());
    // A repeated unique_id gets " (2)", " (3)", ... so no sample hides another.
    std::string key = sample.unique_id;
    for (int copy = 2; per_sample.contains(key); ++copy) key = sample.unique_id + " (" + std::to_string(copy) + ")";
    per_sample[key] = JsonObjectBuilder(7)
                          .Add("outputs", sample.outputs)
                          .Add("comparisons", sample.comparisons)
                          .Add("ties", sample.ties)
                          .Add("failed", sample.failed)
                          .Add("cycles", sample.cycles.size())
                          .Add("largest_cycle", largest)
                          .Add("condorcet_winner",
                               sample.condorcet_winner ? static_cast<int64_t>(*sample.condorcet_winner) : int64_t{-1})
                          .Build();
  }
  Json metrics = JsonObjectBuilder(10)
                     .Add("conflict_rate", result.conflict_rate)
                     .Add("cycles", result.cycles)
                     .Add("comparisons", result.comparisons)
                     .Add("ties", result.ties)
                     .Add("dominance_rate", result.dominance_rate)
                     .Add("failed", result.failed)
                     .Add("samples", result.samples)
                     .Add("samples_with_cycles", result.samples_with_cycles)
                     .Add("skipped", result.skipped)
                     .Build();
  return JsonObjectBuilder(2).Add("metrics", std::move(metrics)).Add("per_sample", std::move(per_sample)).Build();
}

std::vector<DataSample> ConflictPairSamples(const std::vector<DataSample>& samples) {
  std::vector<DataSample> pairs;
  for (const DataSample& sample : samples) {
    const size_t n = sample.output.size();
    if (n < 2) {
      // Kept whole, so the evaluation still counts it as skipped.
      pairs.push_back(sample);
      continue;
    }
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i + 1; j < n; ++j) {
        DataSample pair = sample;
        pair.unique_id = sample.unique_id + "#" + std::to_string(i) + "-" + std::to_string(j);
        pair.output = {sample.output[i], sample.output[j]};
        for (DataOutput& output : pair.output) output.answer.reward.reset();  // old details would join the mean
        if (!pair.metadata.is_object()) pair.metadata = Json::object();
        pair.metadata[kConflictPairKey] = JsonObjectBuilder(4)
                                              .Add("sample", sample.unique_id)
                                              .Add("outputs", n)
                                              .Add("first", i)
                                              .Add("second", j)
                                              .Build();
        pairs.push_back(std::move(pair));
      }
    }
  }
  return pairs;
}

void MarkConflictPairFailed(DataSample& scored_pair) {
  if (!scored_pair.metadata.is_object()) return;
  auto marker = scored_pair.metadata.find(kConflictPairKey);
  if (marker != scored_pair.metadata.end() && marker->is_object()) (*marker)["failed"] = true;
}

ConflictResult EvaluateConflictPairs(const std::vector<DataSample>& scored, std::string_view score_path) {
  std::vector<Tournament> tournaments;
  for (const DataSample& sample : scored) {
    const Json* marker = sample.metadata.is_object() && sample.metadata.contains(kConflictPairKey)
                             ? &sample.metadata[kConflictPairKey]
                             : nullptr;
    if (marker == nullptr) {
      tournaments.push_back(TournamentOfScores(sample, score_path));
      continue;
    }
    if (!marker->is_object() || !(*marker)["sample"].is_string() || !(*marker)["outputs"].is_number_unsigned() ||
        !(*marker)["first"].is_number_unsigned() || !(*marker)["second"].is_number_unsigned() ||
        sample.output.size() != 2) {
      BadSample(sample.unique_id, std::string("metadata.") + kConflictPairKey + ": not a pair from ConflictPairSamples");
    }
    const std::string origin = (*marker)["sample"].get<std::string>();
    // The pairs of one sample are consecutive, as ConflictPairSamples made them.
    if (tournaments.empty() || tournaments.back().unique_id != origin) {
      tournaments.push_back(Tournament{origin, (*marker)["outputs"].get<size_t>(), {}});
    }
    const bool failed = marker->contains("failed") && (*marker)["failed"] == true;
    const PairOutcome outcome =
        failed ? PairOutcome::kFailed : TournamentOfScores(sample, score_path).verdicts.at(0).outcome;
    tournaments.back().verdicts.push_back(
        {(*marker)["first"].get<size_t>(), (*marker)["second"].get<size_t>(), outcome});
  }
  return EvaluateConflicts(tournaments);
}

}  // namespace rmg::bench
