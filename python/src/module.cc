// _rmg: the Python extension module under rm_gallery. A thin layer over librmg:
// DataSamples cross the boundary as JSON text (ParseDataSample / AppendDataSampleJson),
// rewards come from rmg::RewardRegistry, and scoring runs in C++ with the GIL released.
//
// Python surface (see python/rm_gallery/_native.py for the wrapper that uses it):
//   normalize_sample(json) -> json        parse and re-serialise one DataSample
//   list_rewards() -> [dict]              the registry's names, aliases, kinds, families, parameter names
//   create_reward(name, params_json) -> Reward
//       unknown name -> KeyError (message lists close names); bad parameter -> ValueError
//   Reward.name / .family / .registry_name / .params_json (every parameter, defaults included)
//   Reward.prompts(sample_json) -> [str]   an LLM judge's prompts, nothing sent
//   Reward.evaluate(sample_json, timeout_seconds=0) -> json
//   Reward.evaluate_batch([json], max_workers=1, timeout_seconds=0) -> [json]
//   Reward.evaluate_models([DataSample], model_class, max_workers=1, timeout_seconds=0) -> [model_class]
//       in both, a ValueError saying why in the place of a sample rmg cannot read
//   dump_model_json(value) -> json / load_model_json(model_class, json) -> instance   (model_json.cc)
//   chat(params_json, messages_json) -> {content, reasoning_content, attempts}   (chat.cc)
//   refinement_feedback / refinement_prompt / without_thinking   (refinement.cc)
//   reply_tags / judge_violations / judge_best   (judgment.cc)
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bindings.h"
#include "interruptible.h"
#include "llm/judge_catalog.h"
#include "llm/judge_reward.h"
#include "model_json.h"
#include "rmg/evaluator.h"
#include "rmg/registry.h"
#include "rmg/reward.h"
#include "rmg/sample_io.h"
#include "rmg/schema.h"

namespace py = pybind11;

namespace {

// A reward built from the registry, with the name it was created under.
struct PyReward {
  std::string registry_name;
  std::shared_ptr<const rmg::RewardModel> model;
  std::string params_json;  // every parameter's value, defaults included (ResolveParams)
};

// Runs `fn`, turning rmg's exceptions into the Python ones a user expects.
template <typename Fn>
auto Translate(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const rmg::SchemaError& e) {
    throw py::value_error(e.what());
  } catch (const rmg::RegistryError& e) {
    throw py::value_error(e.what());
  } catch (const rmg::Json::exception& e) {
    throw py::value_error(e.what());
  }
}

std::string NormalizeSample(const std::string& json_text) {
  return Translate([&] {
    std::string out;
    rmg::AppendDataSampleJson(rmg::ParseDataSample(json_text), &out);
    return out;
  });
}

py::list ListRewards() {
  py::list rows;
  for (const rmg::RegistryEntry& entry : rmg::RewardRegistry::Global().List()) {
    py::dict row;
    row["name"] = entry.name;
    row["alias_of"] = entry.alias_of;
    row["kind"] = entry.spec->kind;
    row["family"] = std::string(rmg::FamilyName(entry.spec->family));
    row["description"] = entry.spec->description;
    row["instance_name"] = entry.spec->instance_name;
    py::list parameters;
    for (const rmg::ParamSpec& param : entry.spec->params) parameters.append(param.name);
    parameters.append("name");
    row["parameters"] = parameters;
    rows.append(row);
  }
  return rows;
}

PyReward CreateReward(const std::string& name, const std::string& params_json) {
  const rmg::RewardRegistry& registry = rmg::RewardRegistry::Global();
  if (!registry.Contains(name)) {
    // Spec() throws the registry's message naming the closest registered names.
    try {
      registry.Spec(name);
    } catch (const rmg::RegistryError& e) {
      throw py::key_error(e.what());
    }
    throw py::key_error("unknown reward: " + name);
  }
  return Translate([&] {
    const rmg::Json params = params_json.empty() ? rmg::Json::object() : rmg::Json::parse(params_json);
    if (!params.is_object()) throw rmg::RegistryError("reward parameters must be a JSON object");
    std::shared_ptr<const rmg::RewardModel> model = registry.Create(name, params);
    return PyReward{name, std::move(model), registry.ResolveParams(name, params).dump()};
  });
}

// The prompts an LLM judge would send for one sample (RM-Gallery's format), sending nothing.
std::vector<std::string> Prompts(const PyReward& reward, const std::string& sample_json) {
  const auto* judge = dynamic_cast<const rmg::llm::JudgeReward*>(reward.model.get());
  if (judge == nullptr) throw py::type_error(reward.registry_name + " is not an LLM judge: it sends no prompts");
  const rmg::DataSample sample = Translate([&] { return rmg::ParseDataSample(sample_json); });
  try {
    return judge->Prompts(sample);
  } catch (const std::invalid_argument& e) {
    throw py::value_error(e.what());
  }
}

std::string Evaluate(const PyReward& reward, const std::string& sample_json, double timeout_seconds) {
  rmg::DataSample sample = Translate([&] { return rmg::ParseDataSample(sample_json); });
  rmg::EvalContext context;
  if (timeout_seconds > 0) context.deadline = rmg::Deadline::After(timeout_seconds);
  std::string out;
  if (reward.model->is_async()) {
    // An LLM judge may wait minutes on its endpoint: wait where Ctrl-C can cancel it.
    std::atomic<bool> cancelled{false};
    context.deadline = context.deadline.CancelledBy(&cancelled);
    std::promise<void> finished;
    std::future<void> scored = finished.get_future();
    reward.model->ApplyAsync(sample, context, [&finished](size_t) { finished.set_value(); });
    WaitAllowingSignals([&](auto slice) { return scored.wait_for(slice) == std::future_status::ready; }, cancelled);
    rmg::AppendDataSampleJson(sample, &out);
    return out;
  }
  if (reward.model->runs_programs()) {
    // A program may run for its whole time limit: it is scored on a thread of its own,
    // so that this one can wait where Ctrl-C reaches it.
    std::atomic<bool> cancelled{false};
    context.deadline = context.deadline.CancelledBy(&cancelled);
    RunAllowingSignals([&] { reward.model->Apply(sample, context); }, cancelled);
    rmg::AppendDataSampleJson(sample, &out);
    return out;
  }
  {
    py::gil_scoped_release release;
    reward.model->Apply(sample, context);
    rmg::AppendDataSampleJson(sample, &out);
  }
  return out;
}

// Parses, scores and serialises `records` on rmg's evaluator, passing the scored
// samples to `write` as JSONL (whole lines, in order, on this thread). Pure C++: call
// it without the GIL.
rmg::EvalStats ScoreRecords(const PyReward& reward, const std::vector<rmg::JsonRecord>& records, int max_workers,
                            double timeout_seconds, const std::atomic<bool>* cancelled,
                            std::function<void(std::string_view jsonl)> write) {
  rmg::EvalOptions options;
  options.workers = std::max(max_workers, 1);
  options.timeout_seconds = timeout_seconds;
  options.cancelled = cancelled;
  rmg::StreamCallbacks callbacks;
  callbacks.write = std::move(write);
  return rmg::EvaluateJsonRecords(*reward.model, records, options, callbacks);
}

// `results` (the scored records, in order, without the bad ones) with a ValueError in
// the place of each record that was not a DataSample, saying why (records are numbered
// from 1, places from 0): one bad sample costs only its own result.
void InsertBadRecords(std::vector<rmg::RecordError> bad, py::list& results) {
  std::sort(bad.begin(), bad.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  // In increasing order, each record's place holds only earlier records when it is filled.
  for (const rmg::RecordError& record : bad) {
    // "replace": a message may quote bytes of the record, which need not be UTF-8.
    const auto message = py::reinterpret_steal<py::object>(
        PyUnicode_DecodeUTF8(record.message.data(), static_cast<Py_ssize_t>(record.message.size()), "replace"));
    if (!message) throw py::error_already_set();
    const auto error = py::reinterpret_steal<py::object>(PyObject_CallOneArg(PyExc_ValueError, message.ptr()));
    if (!error || PyList_Insert(results.ptr(), static_cast<Py_ssize_t>(record.line - 1), error.ptr()) != 0) {
      throw py::error_already_set();
    }
  }
}

template <typename Fn>
void ForEachLine(std::string_view jsonl, Fn&& fn) {
  size_t start = 0;
  while (start < jsonl.size()) {
    size_t end = jsonl.find('\n', start);
    if (end == std::string_view::npos) end = jsonl.size();
    if (end > start) fn(jsonl.substr(start, end - start));
    start = end + 1;
  }
}

py::list EvaluateBatch(const PyReward& reward, const std::vector<std::string>& samples, int max_workers,
                       double timeout_seconds) {
  std::vector<rmg::JsonRecord> records;
  records.reserve(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) records.push_back({i + 1, samples[i]});
  std::vector<std::string> out;
  out.reserve(samples.size());
  rmg::EvalStats stats;
  std::atomic<bool> cancelled{false};
  // Scored on a thread of its own, so that this one can wait where Ctrl-C reaches it.
  RunAllowingSignals(
      [&] {
        stats = ScoreRecords(reward, records, max_workers, timeout_seconds, &cancelled, [&](std::string_view jsonl) {
          ForEachLine(jsonl, [&](std::string_view line) { out.emplace_back(line); });
        });
      },
      cancelled);
  py::list results;
  for (const std::string& text : out) results.append(py::str(text));
  InsertBadRecords(stats.bad_records, results);
  return results;
}

// Samples per chunk of EvaluateModels' pipeline: small enough that little work waits
// at its start and end, large enough that starting rmg's workers per chunk is noise.
constexpr size_t kMinChunk = 256;
constexpr size_t kChunks = 8;

// One chunk of EvaluateModels: its samples as JSON, one after the other.
struct Chunk {
  std::string texts;
  std::vector<size_t> ends;                 // where each written sample's JSON ends in `texts`
  std::vector<size_t> numbers;              // each written sample's place in the whole batch, from 1
  std::vector<rmg::RecordError> unwritten;  // samples that could not be written as JSON

  // The records rmg reads, numbered by their place in the whole batch so that errors
  // name the right sample. They point into `texts`: make them where the chunk stays.
  std::vector<rmg::JsonRecord> Records() const {
    std::vector<rmg::JsonRecord> records;
    records.reserve(ends.size());
    for (size_t k = 0; k < ends.size(); ++k) {
      const size_t from = k == 0 ? 0 : ends[k - 1];
      records.push_back({numbers[k], std::string_view(texts).substr(from, ends[k] - from)});
    }
    return records;
  }
};

// Writes samples[begin, end) as JSON (needs the GIL). A sample holding a value JSON
// cannot carry (an object of a class of its own in metadata, say) is not written: it
// fails alone, as a sample rmg cannot read.
Chunk WriteChunk(ModelCodec& codec, const py::sequence& samples, size_t begin, size_t end) {
  Chunk chunk;
  chunk.ends.reserve(end - begin);
  chunk.numbers.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    const size_t size = chunk.texts.size();
    try {
      codec.AppendJson(samples[i], &chunk.texts);
    } catch (py::error_already_set& e) {
      if (!e.matches(PyExc_TypeError) && !e.matches(PyExc_ValueError) && !e.matches(PyExc_RecursionError)) throw;
      chunk.texts.resize(size);
      // The exception's own words, without the traceback what() appends.
      const std::string why =
          py::str(e.type().attr("__name__")).cast<std::string>() + ": " + py::str(e.value()).cast<std::string>();
      chunk.unwritten.push_back({i + 1, "the sample cannot be written as JSON: " + why});
      continue;
    }
    chunk.ends.push_back(chunk.texts.size());
    chunk.numbers.push_back(i + 1);
  }
  return chunk;
}

// Scored JSONL handed from the thread running rmg to the thread holding the GIL.
struct Handover {
  std::mutex mutex;
  std::condition_variable ready;
  std::vector<std::string> texts;
  bool done = false;
};

// EvaluateBatch for rm_gallery objects: `samples` (DataSample instances) are written as
// JSON and the results read back as `model_class` instances in C++ (model_json.h),
// without Python's json module or Model.__init__. A pipeline over chunks: while a helper
// thread has rmg score chunk k (without the GIL), this thread writes chunk k + 1 and
// builds chunk k's results as they arrive, so the conversions overlap the scoring.
py::list EvaluateModels(const PyReward& reward, const py::sequence& samples, const py::handle& model_class,
                        int max_workers, double timeout_seconds) {
  ModelCodec codec;
  GcPause no_collections;
  const size_t count = samples.size();
  const size_t chunk_size = std::max(kMinChunk, (count + kChunks - 1) / kChunks);
  py::list out;
  Chunk next = WriteChunk(codec, samples, 0, std::min(count, chunk_size));
  for (size_t begin = 0; begin < count; begin += chunk_size) {
    const Chunk current = std::move(next);
    const std::vector<rmg::JsonRecord> records = current.Records();
    Handover handover;
    rmg::EvalStats stats;
    std::exception_ptr scoring_failure, building_failure;
    std::atomic<bool> cancelled{false};  // by Ctrl-C, or by a failure here that ends the batch anyway
    std::thread scorer([&] {
      try {
        stats = ScoreRecords(reward, records, max_workers, timeout_seconds, &cancelled, [&](std::string_view jsonl) {
          const std::lock_guard<std::mutex> lock(handover.mutex);
          handover.texts.emplace_back(jsonl);
          handover.ready.notify_one();
        });
      } catch (...) {
        scoring_failure = std::current_exception();
      }
      const std::lock_guard<std::mutex> lock(handover.mutex);
      handover.done = true;
      handover.ready.notify_one();
    });
    try {
      const size_t next_begin = begin + chunk_size;
      if (next_begin < count) next = WriteChunk(codec, samples, next_begin, std::min(count, next_begin + chunk_size));
      for (;;) {
        std::vector<std::string> arrived;
        WaitAllowingSignals(
            [&](auto slice) {
              std::unique_lock<std::mutex> lock(handover.mutex);
              return handover.ready.wait_for(lock, slice, [&] { return !handover.texts.empty() || handover.done; });
            },
            cancelled);
        {
          const std::lock_guard<std::mutex> lock(handover.mutex);
          arrived.swap(handover.texts);
        }
        if (arrived.empty()) break;  // done, and nothing left
        for (const std::string& jsonl : arrived) {
          ForEachLine(jsonl, [&](std::string_view line) { out.append(codec.Load(model_class, line)); });
        }
      }
    } catch (...) {
      building_failure = std::current_exception();
      cancelled = true;
    }
    {
      py::gil_scoped_release join_without_gil;
      scorer.join();
    }
    if (scoring_failure) std::rethrow_exception(scoring_failure);
    if (building_failure) std::rethrow_exception(building_failure);
    std::vector<rmg::RecordError> bad = current.unwritten;
    bad.insert(bad.end(), stats.bad_records.begin(), stats.bad_records.end());
    InsertBadRecords(std::move(bad), out);
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(_rmg, m) {
  m.doc() = "librmg bindings: DataSamples as JSON text, the reward registry, and GIL-free evaluation";
  m.attr("__version__") = RMG_VERSION;  // CMake's project version
  m.def("normalize_sample", &NormalizeSample, py::arg("sample_json"),
        "Parses one DataSample (JSON text) with rmg's reader and writes it back; ValueError if invalid.");
  m.def("list_rewards", &ListRewards, "Every registered reward name and alias, sorted by name.");
  m.def("judge_description", [](const std::string& key) { return rmg::llm::BuiltinDescription(key); }, py::arg("key"),
        "A task description of rmg's judge catalogue (\"P\", \"L\", \"D0\".. \"D7\"); IndexError if unknown.");
  m.def("create_reward", &CreateReward, py::arg("name"), py::arg("params_json") = "",
        "Builds a registered reward. KeyError for an unknown name, ValueError for a bad parameter.");

  py::class_<PyReward>(m, "Reward")
      .def_property_readonly("name", [](const PyReward& r) { return r.model->name(); })
      .def_property_readonly("registry_name", [](const PyReward& r) { return r.registry_name; })
      .def_property_readonly(
          "params_json", [](const PyReward& r) { return r.params_json; },
          "Every parameter's value as JSON, the registered defaults included.")
      .def_property_readonly("family",
                             [](const PyReward& r) { return std::string(rmg::FamilyName(r.model->family())); })
      .def("prompts", &Prompts, py::arg("sample_json"),
           "The prompts an LLM judge would send for one DataSample (JSON text), one per call, sending "
           "nothing. TypeError for a reward that is no judge, ValueError for a sample it cannot judge.")
      .def("evaluate", &Evaluate, py::arg("sample_json"), py::arg("timeout_seconds") = 0.0,
           "Scores one DataSample (JSON text) and returns the scored copy as JSON text. Releases the GIL.")
      .def("evaluate_batch", &EvaluateBatch, py::arg("samples_json"), py::arg("max_workers") = 1,
           py::arg("timeout_seconds") = 0.0,
           "Scores a list of DataSamples (JSON texts) on rmg's evaluator with max_workers threads; "
           "results keep the input order, with a ValueError in the place of a sample rmg cannot read. "
           "Releases the GIL.")
      .def("evaluate_models", &EvaluateModels, py::arg("samples"), py::arg("model_class"), py::arg("max_workers") = 1,
           py::arg("timeout_seconds") = 0.0,
           "evaluate_batch for rm_gallery objects: scores DataSample instances and returns model_class "
           "instances (a ValueError for a sample rmg cannot read), converting in C++ (no JSON text in "
           "Python). Releases the GIL while scoring.");
  BindChat(m);
  BindJudgment(m);
  BindModelJson(m);
  BindRefinement(m);
}
