// rm_gallery's data classes (Model subclasses, python/rm_gallery/_model.py) to and from
// JSON text, in C++. A batch moves tens of thousands of DataSamples across the
// boundary, and Python's json module plus Model.__init__ cost several times rmg's
// whole evaluation (bench/RESULTS.md, "Python package: batch overhead"). ModelCodec
// does the same work without them and with the same results; whatever falls outside
// the common cases (a class that overrides __init__ or model_dump, a dict with
// non-string keys, an unknown type, JSON simdjson cannot read) is handed to the
// Python code itself, so the two never disagree.
#pragma once

#include <pybind11/pybind11.h>
#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// Pauses Python's cyclic garbage collector while in scope. Building tens of thousands
// of objects otherwise sets off collections that traverse every live object (over half
// of the time of reading a batch back); the objects built form no cycles.
class GcPause {
 public:
  GcPause() : was_enabled_(PyGC_Disable() == 1) {}
  ~GcPause() {
    if (was_enabled_) PyGC_Enable();
  }
  GcPause(const GcPause&) = delete;
  GcPause& operator=(const GcPause&) = delete;

 private:
  bool was_enabled_;
};

// One conversion (a sample, or a batch). Needs the GIL for its whole life.
class ModelCodec {
 public:
  ModelCodec();

  // Appends `value` as model_dump_json() (for a Model) or json.dumps(_dump(value,
  // "json"), ensure_ascii=False) writes it, with separators (",", ":"). Raises what
  // they raise (TypeError for a value JSON cannot hold).
  void AppendJson(pybind11::handle value, std::string* out, int depth = 0);

  // model_class.model_validate_json(text).
  pybind11::object Load(pybind11::handle model_class, std::string_view text);

 private:
  enum class Convert { kNone, kFloat, kStr, kModel, kModelList, kEnum, kDatetime, kCall };
  struct FieldPlan {
    std::string key;
    pybind11::object name;     // the key as a Python str
    pybind11::object field;    // the Field (for make_default)
    pybind11::object convert;  // Field.convert, None when absent
    pybind11::object target;   // kModel / kModelList: the class; kEnum: its _value2member_map_
    pybind11::object factory, default_value;
    Convert kind = Convert::kNone;
    bool required = false;
    bool plain_default = false;  // the Field is a Field, not a subclass with its own make_default
  };
  struct ClassPlan {
    pybind11::object model_class;  // kept alive while its plan is cached
    std::vector<FieldPlan> fields;
    bool plain_build = false;  // __new__, __init__ and model_validate are Model's
    bool plain_dump = false;   // model_dump is Model's
  };

  const ClassPlan& PlanOf(pybind11::handle model_class);
  pybind11::object Build(pybind11::handle model_class, simdjson::dom::element json);
  pybind11::object Converted(const FieldPlan& plan, simdjson::dom::element json);
  pybind11::object Default(const FieldPlan& plan);
  pybind11::object DatetimeFrom(std::string_view text);
  pybind11::object ToPython(simdjson::dom::element json);
  void AppendModel(pybind11::handle value, std::string* out, int depth);
  void AppendViaPython(pybind11::handle value, std::string* out);

  // What every codec shares: the Python objects it compares with and the plans of the
  // classes it has seen (FIELDS are read once per class, as Model._all_fields does).
  struct Shared {
    Shared();
    pybind11::object model_type_, model_of_type_, list_of_type_, field_type_, dump_, to_datetime_, json_dumps_;
    pybind11::object enum_type_, datetime_type_, fromisoformat_;
    pybind11::object model_init_, model_validate_, model_validate_json_, model_dump_, object_new_, no_args_;
    std::unordered_map<PyObject*, ClassPlan> plans_;  // keyed by class
  };
  static Shared& SharedState();

  Shared& s_;
  simdjson::dom::parser parser_;  // per codec: a converter may call back into another codec
};
