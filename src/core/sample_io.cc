#include "rmg/sample_io.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "core/json_string.h"
#include "core/simd_json.h"

namespace rmg {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

[[noreturn]] void Fail(const std::string& path, const std::string& message) {
  throw SchemaError(path + ": " + message);
}

std::string GetString(element value, const std::string& path) {
  if (value.type() != element_type::STRING) Fail(path, "expected a string");
  return std::string(value.get_string().value_unsafe());
}

std::optional<std::string> GetOptionalString(element value, const std::string& path) {
  if (value.is_null()) return std::nullopt;
  return GetString(value, path);
}

Json GetObjectOrNull(element value, const std::string& path) {
  if (value.is_null()) return nullptr;
  if (value.type() != element_type::OBJECT) Fail(path, "expected an object");
  return ToJson(value);
}

double GetNumber(element value, const std::string& path) {
  switch (value.type()) {
    case element_type::INT64:
      return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64:
      return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::DOUBLE:
      return value.get_double().value_unsafe();
    default:
      Fail(path, "expected a number");
  }
}

template <typename Fn>
void ForEachField(element value, const std::string& path, Fn&& fn) {
  if (value.type() != element_type::OBJECT) Fail(path, "expected an object");
  ForEachDistinctField(value.get_object().value_unsafe(), fn);
}

template <typename Fn>
void ForEachItem(element value, const std::string& path, Fn&& fn) {
  if (value.type() != element_type::ARRAY) Fail(path, "expected an array");
  size_t index = 0;
  const simdjson::dom::array items = value.get_array().value_unsafe();
  for (element item : items) fn(item, path + "[" + std::to_string(index++) + "]");
}

// `key` must not be in `extra` yet (ForEachField gives each key once).
void AddExtra(Json& extra, std::string_view key, element value) {
  if (extra.is_null()) extra = Json::object();
  extra.get_ref<Json::object_t&>().emplace_back(std::string(key), ToJson(value));
}

RewardDetail ReadDetail(element value, const std::string& path) {
  RewardDetail detail;
  ForEachField(value, path, [&](std::string_view key, element v) {
    if (key == "name") {
      detail.name = GetString(v, path + ".name");
    } else if (key == "score") {
      detail.score = GetNumber(v, path + ".score");
    } else if (key == "reason") {
      detail.reason = v.is_null() ? "" : GetString(v, path + ".reason");
    } else if (key == "extra") {
      detail.extra = ToJson(v);
    } else {
      AddExtra(detail.unknown_fields, key, v);
    }
  });
  return detail;
}

Reward ReadReward(element value, const std::string& path) {
  Reward reward;
  ForEachField(value, path, [&](std::string_view key, element v) {
    if (key == "score") {
      reward.score = GetNumber(v, path + ".score");
    } else if (key == "details") {
      ForEachItem(v, path + ".details",
                  [&](element item, const std::string& p) { reward.details.push_back(ReadDetail(item, p)); });
    } else {
      AddExtra(reward.extra, key, v);
    }
  });
  return reward;
}

// Reads a ChatMessage field into `message`; returns false for a key it does not know.
bool ReadMessageField(std::string_view key, element v, const std::string& path, ChatMessage& message) {
  if (key == "role") {
    message.role = GetString(v, path + ".role");
  } else if (key == "content") {
    // RM-Gallery types content as Any, but its rewards read text: a number or an object
    // would be scored as "" here, and crash there.
    if (v.type() == element_type::STRING) {
      message.content = std::string(v.get_string().value_unsafe());
    } else if (v.type() == element_type::ARRAY) {
      message.raw_content = ToJson(v);
      message.content = ContentPartsText(message.raw_content);
    } else if (!v.is_null()) {
      Fail(path + ".content",
           std::string("expected a string, a list of content parts or null, got ") + ToJson(v).type_name());
    }
  } else if (key == "name") {
    message.name = GetOptionalString(v, path + ".name");
  } else if (key == "reasoning_content") {
    message.reasoning_content = GetOptionalString(v, path + ".reasoning_content").value_or("");
  } else if (key == "tool_calls") {
    message.tool_calls = ToJson(v);
  } else if (key == "additional_kwargs") {
    message.additional_kwargs = GetObjectOrNull(v, path + ".additional_kwargs");
  } else {
    return false;
  }
  return true;
}

ChatMessage ReadMessage(element value, const std::string& path) {
  ChatMessage message;
  ForEachField(value, path, [&](std::string_view key, element v) {
    if (!ReadMessageField(key, v, path, message)) AddExtra(message.extra, key, v);
  });
  return message;
}

Step ReadStep(element value, const std::string& path) {
  Step step;
  ForEachField(value, path, [&](std::string_view key, element v) {
    if (ReadMessageField(key, v, path, step)) return;
    if (key == "label") {
      step.label = GetObjectOrNull(v, path + ".label");
    } else if (key == "reward") {
      if (!v.is_null()) step.reward = ReadReward(v, path + ".reward");
    } else {
      AddExtra(step.extra, key, v);
    }
  });
  return step;
}

DataOutput ReadOutput(element value, const std::string& path) {
  DataOutput output;
  bool has_answer = false;
  ForEachField(value, path, [&](std::string_view key, element v) {
    if (key == "answer") {
      output.answer = ReadStep(v, path + ".answer");
      has_answer = true;
    } else if (key == "steps") {
      if (v.is_null()) return;
      output.steps.emplace();
      ForEachItem(v, path + ".steps", [&](element item, const std::string& p) { output.steps->push_back(ReadStep(item, p)); });
    } else {
      AddExtra(output.extra, key, v);
    }
  });
  if (!has_answer) Fail(path, "missing required field 'answer'");
  return output;
}

DataSample ReadSample(element value) {
  DataSample sample;
  bool has_id = false;
  if (value.type() != element_type::OBJECT) Fail("record", "expected a JSON object");
  ForEachField(value, "record", [&](std::string_view key, element v) {
    if (key == "unique_id") {
      // RM-Gallery coerces numeric ids to strings; so do we.
      if (v.type() == element_type::INT64 || v.type() == element_type::UINT64) {
        sample.unique_id = ToJson(v).dump();
      } else {
        sample.unique_id = GetString(v, "unique_id");
      }
      has_id = true;
    } else if (key == "input") {
      if (v.is_null()) return;
      ForEachItem(v, "input", [&](element item, const std::string& p) { sample.input.push_back(ReadMessage(item, p)); });
    } else if (key == "output") {
      if (v.is_null()) return;
      ForEachItem(v, "output", [&](element item, const std::string& p) { sample.output.push_back(ReadOutput(item, p)); });
    } else if (key == "task_category") {
      sample.task_category = GetOptionalString(v, "task_category");
    } else if (key == "source") {
      sample.source = GetOptionalString(v, "source");
    } else if (key == "created_at") {
      sample.created_at = GetOptionalString(v, "created_at");
    } else if (key == "metadata") {
      sample.metadata = GetObjectOrNull(v, "metadata");
    } else {
      AddExtra(sample.extra, key, v);
    }
  });
  if (!has_id) Fail("unique_id", "missing required field");
  return sample;
}

// ---- Writing ----

void AppendDouble(double value, std::string* out) {
  if (!std::isfinite(value)) {
    out->append("null");
    return;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, static_cast<size_t>(end - buffer));
  out->append(text);
  // Keep a visible fraction so the value reads back as a float (Python writes 1.0).
  if (text.find_first_of(".e") == std::string_view::npos) out->append(".0");
}

void AppendKey(std::string_view key, bool* first, std::string* out) {
  if (!*first) out->push_back(',');
  *first = false;
  AppendJsonString(key, out);
  out->push_back(':');
}

void AppendExtraFields(const Json& extra, bool* first, std::string* out) {
  if (!extra.is_object()) return;
  for (const auto& [key, value] : extra.items()) {
    AppendKey(key, first, out);
    AppendJson(value, out);
  }
}

void AppendReward(const Reward& reward, std::string* out) {
  out->append("{\"score\":");
  AppendDouble(reward.score, out);
  out->append(",\"details\":[");
  for (size_t i = 0; i < reward.details.size(); ++i) {
    const RewardDetail& detail = reward.details[i];
    if (i > 0) out->push_back(',');
    out->append("{\"name\":");
    AppendJsonString(detail.name, out);
    if (detail.score) {
      out->append(",\"score\":");
      AppendDouble(*detail.score, out);
    }
    out->append(",\"reason\":");
    AppendJsonString(detail.reason, out);
    if (!detail.extra.is_null()) {
      out->append(",\"extra\":");
      AppendJson(detail.extra, out);
    }
    bool first_field = false;
    AppendExtraFields(detail.unknown_fields, &first_field, out);
    out->push_back('}');
  }
  out->push_back(']');
  bool first = false;
  AppendExtraFields(reward.extra, &first, out);
  out->push_back('}');
}

void AppendMessageFields(const ChatMessage& message, bool* first, std::string* out) {
  AppendKey("role", first, out);
  AppendJsonString(message.role, out);
  AppendKey("content", first, out);
  if (message.raw_content.is_null()) {
    AppendJsonString(message.content, out);
  } else {
    AppendJson(message.raw_content, out);
  }
  if (message.name) {
    AppendKey("name", first, out);
    AppendJsonString(*message.name, out);
  }
  if (!message.reasoning_content.empty()) {
    AppendKey("reasoning_content", first, out);
    AppendJsonString(message.reasoning_content, out);
  }
  if (!message.tool_calls.is_null()) {
    AppendKey("tool_calls", first, out);
    AppendJson(message.tool_calls, out);
  }
  if (!message.additional_kwargs.is_null()) {
    AppendKey("additional_kwargs", first, out);
    AppendJson(message.additional_kwargs, out);
  }
}

void AppendMessage(const ChatMessage& message, std::string* out) {
  bool first = true;
  out->push_back('{');
  AppendMessageFields(message, &first, out);
  AppendExtraFields(message.extra, &first, out);
  out->push_back('}');
}

void AppendStep(const Step& step, std::string* out) {
  bool first = true;
  out->push_back('{');
  AppendMessageFields(step, &first, out);
  if (!step.label.is_null()) {
    AppendKey("label", &first, out);
    AppendJson(step.label, out);
  }
  if (step.reward) {
    AppendKey("reward", &first, out);
    AppendReward(*step.reward, out);
  }
  AppendExtraFields(step.extra, &first, out);
  out->push_back('}');
}

void AppendOptionalString(std::string_view key, const std::optional<std::string>& value, bool* first,
                          std::string* out) {
  if (!value) return;
  AppendKey(key, first, out);
  AppendJsonString(*value, out);
}

}  // namespace

DataSample ParseDataSample(std::string_view json_text) {
  ScopedJsonParser parser(json_text.size());
  element root;
  const simdjson::error_code error = parser.get().parse(json_text.data(), json_text.size()).get(root);
  if (error) {
    // A lone surrogate escape, which Python's json reads: read the record as it does.
    if (const std::optional<std::string> repaired = ReplaceLoneSurrogateEscapes(json_text)) {
      return ParseDataSample(*repaired);
    }
    // simdjson says what is wrong but not where; nlohmann's message has the position.
    Json json;
    try {
      json = ParseJson(json_text);
    } catch (const Json::exception& e) {
      throw SchemaError("invalid JSON: " + JsonErrorText(e));
    }
    // Valid JSON that simdjson does not read: an integer beyond 64 bits. nlohmann
    // reads it as a double (Python's json, as an int), and the record is read from
    // nlohmann's value, written back (ParseJson refused any nesting simdjson would).
    if (error == simdjson::NUMBER_ERROR) return ParseDataSample(json.dump());
    throw SchemaError(std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  return ReadSample(root);
}

DataSample DataSampleFromJson(const Json& json) { return ParseDataSample(json.dump()); }

Json DataSampleToJson(const DataSample& sample) {
  std::string text;
  AppendDataSampleJson(sample, &text);
  return ParseJson(text);
}

void AppendDataSampleJson(const DataSample& sample, std::string* out) {
  bool first = true;
  out->push_back('{');
  AppendKey("unique_id", &first, out);
  AppendJsonString(sample.unique_id, out);
  AppendKey("input", &first, out);
  out->push_back('[');
  for (size_t i = 0; i < sample.input.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendMessage(sample.input[i], out);
  }
  out->push_back(']');
  AppendKey("output", &first, out);
  out->push_back('[');
  for (size_t i = 0; i < sample.output.size(); ++i) {
    const DataOutput& output = sample.output[i];
    if (i > 0) out->push_back(',');
    out->append("{\"answer\":");
    AppendStep(output.answer, out);
    if (output.steps) {
      out->append(",\"steps\":[");
      for (size_t k = 0; k < output.steps->size(); ++k) {
        if (k > 0) out->push_back(',');
        AppendStep((*output.steps)[k], out);
      }
      out->push_back(']');
    }
    bool output_first = false;
    AppendExtraFields(output.extra, &output_first, out);
    out->push_back('}');
  }
  out->push_back(']');
  AppendOptionalString("task_category", sample.task_category, &first, out);
  AppendOptionalString("source", sample.source, &first, out);
  AppendOptionalString("created_at", sample.created_at, &first, out);
  if (!sample.metadata.is_null()) {
    AppendKey("metadata", &first, out);
    AppendJson(sample.metadata, out);
  }
  AppendExtraFields(sample.extra, &first, out);
  out->push_back('}');
}

void AppendJson(const Json& value, std::string* out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        AppendKey(key, &first, out);
        AppendJson(item, out);
      }
      out->push_back('}');
      return;
    }
    case Json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const Json& item : value) {
        if (!first) out->push_back(',');
        first = false;
        AppendJson(item, out);
      }
      out->push_back(']');
      return;
    }
    case Json::value_t::string:
      AppendJsonString(value.get_ref<const std::string&>(), out);
      return;
    case Json::value_t::number_float:
      AppendDouble(value.get<double>(), out);
      return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::boolean:
    case Json::value_t::null:
    case Json::value_t::binary:
    case Json::value_t::discarded:
      out->append(value.dump());
      return;
  }
}

std::string ContentPartsText(const Json& parts) {
  std::string text;
  bool first = true;
  for (const Json& part : parts) {
    if (!part.is_object() || part.value("type", "") != "text") continue;
    const auto found = part.find("text");
    if (found == part.end() || !found->is_string()) continue;
    if (!first) text += "\n";
    text += found->get_ref<const std::string&>();
    first = false;
  }
  return text;
}

}  // namespace rmg
