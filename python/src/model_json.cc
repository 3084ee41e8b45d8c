#include "model_json.h"

#include <datetime.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "bindings.h"
#include "core/json_string.h"
#include "text/unicode.h"

namespace py = pybind11;
using rmg::AppendJsonString;
using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

// Deeper values raise RecursionError, as the Python code does on a cycle.
constexpr int kMaxDepth = 500;

py::object Steal(PyObject* object) {
  if (object == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(object);
}

// The UTF-8 bytes of a str. A surrogate (text decoded with "surrogateescape", say) has
// none, and failing would fail a whole batch: a high surrogate followed by a low one is
// the character they encode, and a lone one becomes U+FFFD, as the escapes "\ud83d\ude00"
// and "\ud800" do when rmg (or Python's json) reads a JSON file.
py::object Utf8Bytes(PyObject* text) {
  PyObject* bytes = PyUnicode_AsUTF8String(text);
  if (bytes == nullptr && PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
    PyErr_Clear();
    std::string utf8;
    const Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < length; ++i) {
      Py_UCS4 code_point = PyUnicode_READ_CHAR(text, i);
      const Py_UCS4 next = i + 1 < length ? PyUnicode_READ_CHAR(text, i + 1) : 0;
      if (code_point >= 0xD800 && code_point <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) {
        code_point = 0x10000 + ((code_point - 0xD800) << 10) + (next - 0xDC00);
        ++i;
      } else if (code_point >= 0xD800 && code_point <= 0xDFFF) {
        code_point = 0xFFFD;
      }
      ::rmg::text::AppendUtf8(code_point, &utf8);
    }
    bytes = PyBytes_FromStringAndSize(utf8.data(), static_cast<Py_ssize_t>(utf8.size()));
  }
  return Steal(bytes);
}

// The UTF-8 of a str; ASCII strings are read in place, others through a temporary
// bytes object (PyUnicode_AsUTF8 would keep a UTF-8 copy alive in every string).
void AppendPyString(PyObject* text, std::string* out) {
  if (PyUnicode_IS_COMPACT_ASCII(text)) {
    AppendJsonString({static_cast<const char*>(PyUnicode_DATA(text)), static_cast<size_t>(PyUnicode_GET_LENGTH(text))},
                     out);
    return;
  }
  const py::object bytes = Utf8Bytes(text);
  AppendJsonString({PyBytes_AS_STRING(bytes.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(bytes.ptr()))}, out);
}

// float.__repr__, as json.dumps writes floats; NaN and infinities are null, as pydantic's
// JSON mode writes them (JSON has no spelling for them, and rmg's reader takes none).
void AppendPyFloat(double value, std::string* out) {
  if (!std::isfinite(value)) {
    out->append("null");
  } else {
    char* text = PyOS_double_to_string(value, 'r', 0, Py_DTSF_ADD_DOT_0, nullptr);
    if (text == nullptr) throw py::error_already_set();
    out->append(text);
    PyMem_Free(text);
  }
}

void AppendPyInt(PyObject* value, std::string* out) {
  int overflow = 0;
  const long long small = PyLong_AsLongLongAndOverflow(value, &overflow);
  if (overflow == 0) {
    if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
    out->append(std::to_string(small));
    return;
  }
  const py::object digits = Steal(PyLong_Type.tp_repr(value));
  out->append(PyUnicode_AsUTF8(digits.ptr()));
}

// datetime.isoformat() of an exact datetime that is naive or in UTC; false for the
// others (subclasses and other time zones), which call isoformat() itself.
bool AppendIsoDatetime(PyObject* value, std::string* out) {
  if (!PyDateTime_CheckExact(value)) return false;
  PyObject* zone = PyDateTime_DATE_GET_TZINFO(value);
  if (zone != Py_None && zone != PyDateTime_TimeZone_UTC) return false;
  const auto digits = [out](int value, int width) {
    char text[8];
    for (int i = width - 1; i >= 0; --i, value /= 10) text[i] = static_cast<char>('0' + value % 10);
    out->append(text, static_cast<size_t>(width));
  };
  const int fields[] = {PyDateTime_GET_YEAR(value),        PyDateTime_GET_MONTH(value),
                        PyDateTime_GET_DAY(value),         PyDateTime_DATE_GET_HOUR(value),
                        PyDateTime_DATE_GET_MINUTE(value), PyDateTime_DATE_GET_SECOND(value)};
  out->push_back('"');
  for (int i = 0; i < 6; ++i) {
    if (i > 0) out->push_back("--T::"[i - 1]);
    digits(fields[i], i == 0 ? 4 : 2);
  }
  if (const int micro = PyDateTime_DATE_GET_MICROSECOND(value); micro != 0) {
    out->push_back('.');
    digits(micro, 6);
  }
  out->append(zone == Py_None ? "\"" : "+00:00\"");
  return true;
}

py::object FromUtf8(std::string_view text) {
  return Steal(PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "strict"));
}

bool IsNumber(element json) {
  const element_type type = json.type();
  return type == element_type::INT64 || type == element_type::UINT64 || type == element_type::DOUBLE;
}

double NumberOf(element json) {
  switch (json.type()) {
    case element_type::INT64: return static_cast<double>(json.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(json.get_uint64().value_unsafe());
    default: return json.get_double().value_unsafe();
  }
}

}  // namespace

ModelCodec::Shared::Shared() {
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw py::error_already_set();
  }
  const py::module_ model = py::module_::import("rm_gallery._model");
  model_type_ = model.attr("Model");
  model_of_type_ = model.attr("model_of");
  list_of_type_ = model.attr("list_of");
  dump_ = model.attr("_dump");
  model_init_ = model_type_.attr("__init__");
  model_validate_ = model_type_.attr("model_validate").attr("__func__");
  model_validate_json_ = model_type_.attr("model_validate_json").attr("__func__");
  object_new_ = py::module_::import("builtins").attr("object").attr("__new__");
  no_args_ = py::tuple();
  model_dump_ = model_type_.attr("model_dump");
  enum_type_ = py::module_::import("enum").attr("Enum");
  datetime_type_ = py::module_::import("datetime").attr("datetime");
  fromisoformat_ = datetime_type_.attr("fromisoformat");
  to_datetime_ = model.attr("to_datetime");
  field_type_ = model.attr("Field");
  json_dumps_ = py::module_::import("json").attr("dumps");
}

// Made once, with the GIL, and never destroyed: its Python references must not be
// released after the interpreter has finalised.
ModelCodec::Shared& ModelCodec::SharedState() {
  static Shared* const shared = new Shared();
  return *shared;
}

ModelCodec::ModelCodec() : s_(SharedState()) {}

const ModelCodec::ClassPlan& ModelCodec::PlanOf(py::handle model_class) {
  auto found = s_.plans_.find(model_class.ptr());
  if (found != s_.plans_.end()) return found->second;
  ClassPlan plan;
  plan.model_class = py::reinterpret_borrow<py::object>(model_class);
  const auto is = [](const py::object& a, const py::object& b) { return a.is(b); };
  const auto function_of = [&](const char* name) {  // a classmethod's function; None otherwise
    return py::getattr(model_class.attr(name), "__func__", py::none());
  };
  plan.plain_build = is(model_class.attr("__new__"), s_.object_new_) && is(model_class.attr("__init__"), s_.model_init_) &&
                     is(function_of("model_validate"), s_.model_validate_) &&
                     is(function_of("model_validate_json"), s_.model_validate_json_);
  plan.plain_dump = is(model_class.attr("model_dump"), s_.model_dump_);
  const py::dict fields = model_class.attr("_all_fields")();
  for (auto [name, field] : fields) {
    FieldPlan f;
    f.key = py::cast<std::string>(name);
    f.name = py::reinterpret_borrow<py::object>(name);
    f.field = py::reinterpret_borrow<py::object>(field);
    f.convert = field.attr("convert");
    f.required = py::cast<bool>(field.attr("required"));
    f.plain_default = py::type::handle_of(field).is(s_.field_type_);
    f.factory = field.attr("factory");
    f.default_value = field.attr("default");
    const py::handle convert = f.convert;
    if (convert.is_none()) {
      f.kind = Convert::kNone;
    } else if (convert.ptr() == reinterpret_cast<PyObject*>(&PyFloat_Type)) {
      f.kind = Convert::kFloat;
    } else if (convert.ptr() == reinterpret_cast<PyObject*>(&PyUnicode_Type)) {
      f.kind = Convert::kStr;
    } else if (py::isinstance(convert, s_.model_of_type_)) {
      f.kind = Convert::kModel;
      f.target = convert.attr("model");
    } else if (py::isinstance(convert, s_.list_of_type_)) {
      f.kind = Convert::kModelList;
      f.target = convert.attr("model");
    } else if (convert.is(s_.to_datetime_)) {
      f.kind = Convert::kDatetime;
    } else if (PyType_Check(convert.ptr()) && PyObject_IsSubclass(convert.ptr(), s_.enum_type_.ptr()) == 1 &&
               py::hasattr(convert, "_value2member_map_")) {
      f.kind = Convert::kEnum;
      f.target = convert.attr("_value2member_map_");
    } else {
      f.kind = Convert::kCall;
    }
    plan.fields.push_back(std::move(f));
  }
  return s_.plans_.emplace(model_class.ptr(), std::move(plan)).first->second;
}

// ---- Reading: JSON -> Python objects ----

py::object ModelCodec::Load(py::handle model_class, std::string_view text) {
  element root;
  if (!PlanOf(model_class).plain_build || parser_.parse(text.data(), text.size()).get(root)) {
    // Python's own reader: its result for a class of its own, its error for bad JSON.
    return model_class.attr("model_validate_json")(FromUtf8(text));
  }
  return Build(model_class, root);
}

// model_class(**json) without Model.__init__'s Python code: each field's value from
// `json` (converted as Field.convert would) or its default, set with object.__setattr__.
py::object ModelCodec::Build(py::handle model_class, element json) {
  const ClassPlan& plan = PlanOf(model_class);
  if (!plan.plain_build || json.type() != element_type::OBJECT) {
    return model_class.attr("model_validate")(ToPython(json));
  }
  std::vector<std::pair<std::string_view, element>> members;
  const simdjson::dom::object object = json.get_object().value_unsafe();
  for (auto member : object) members.emplace_back(member.key, member.value);
  py::object instance = Steal(PyBaseObject_Type.tp_new(reinterpret_cast<PyTypeObject*>(model_class.ptr()),
                                                       s_.no_args_.ptr(), nullptr));
  for (const FieldPlan& field : plan.fields) {
    const element* given = nullptr;
    for (const auto& [key, value] : members) {
      if (key == field.key) given = &value;  // the last one wins, as in a dict
    }
    py::object value;
    if (given != nullptr && !(given->is_null() && field.required)) {
      value = given->is_null() ? py::none() : Converted(field, *given);
    } else if (field.required) {
      throw py::value_error(py::cast<std::string>(model_class.attr("__name__")) + ": field '" + field.key +
                            "' is required");
    } else {
      value = Default(field);
    }
    if (PyObject_GenericSetAttr(instance.ptr(), field.name.ptr(), value.ptr()) != 0) throw py::error_already_set();
  }
  return instance;
}

// Field.make_default(), then Field.convert as Model.__init__ applies it; the common
// factories (dict, list) and conversions (a datetime to itself) without Python calls.
py::object ModelCodec::Default(const FieldPlan& field) {
  py::object value;
  if (!field.plain_default) {
    value = field.field.attr("make_default")();
  } else if (field.factory.is_none()) {
    value = field.default_value;
  } else if (field.factory.ptr() == reinterpret_cast<PyObject*>(&PyDict_Type)) {
    value = py::dict();
  } else if (field.factory.ptr() == reinterpret_cast<PyObject*>(&PyList_Type)) {
    value = py::list();
  } else {
    value = field.factory();
  }
  if (field.convert.is_none() || value.is_none()) return value;
  if (field.kind == Convert::kDatetime && PyDateTime_Check(value.ptr())) return value;
  return field.convert(value);
}

py::object ModelCodec::Converted(const FieldPlan& field, element json) {
  switch (field.kind) {
    case Convert::kNone:
      return ToPython(json);
    case Convert::kFloat:
      if (IsNumber(json)) return Steal(PyFloat_FromDouble(NumberOf(json)));
      break;
    case Convert::kStr:
      if (json.type() == element_type::STRING) return FromUtf8(json.get_string().value_unsafe());
      break;
    case Convert::kModel:
      return Build(field.target, json);
    case Convert::kModelList:
      if (json.type() == element_type::ARRAY) {
        py::list items;
        const simdjson::dom::array array = json.get_array().value_unsafe();
        for (element item : array) items.append(Build(field.target, item));
        return items;
      }
      break;
    case Convert::kEnum: {
      py::object value = ToPython(json);
      if (PyUnicode_CheckExact(value.ptr())) {
        PyObject* member = PyDict_GetItemWithError(field.target.ptr(), value.ptr());
        if (member != nullptr) return py::reinterpret_borrow<py::object>(member);
        if (PyErr_Occurred()) throw py::error_already_set();
      }
      return field.convert(value);
    }
    case Convert::kDatetime:
      if (json.type() == element_type::STRING) return DatetimeFrom(json.get_string().value_unsafe());
      break;
    case Convert::kCall:
      break;
  }
  return field.convert(ToPython(json));
}

// _model.to_datetime of a string: datetime.fromisoformat after "Z" -> "+00:00", or the
// string itself when it is not an ISO date.
py::object ModelCodec::DatetimeFrom(std::string_view text) {
  std::string iso(text);
  for (size_t z = iso.find('Z'); z != std::string::npos; z = iso.find('Z', z + 6)) iso.replace(z, 1, "+00:00");
  PyObject* parsed = PyObject_CallOneArg(s_.fromisoformat_.ptr(), FromUtf8(iso).ptr());
  if (parsed != nullptr) return py::reinterpret_steal<py::object>(parsed);
  if (!PyErr_ExceptionMatches(PyExc_ValueError)) throw py::error_already_set();
  PyErr_Clear();
  return FromUtf8(text);
}

// What json.loads returns for `json`.
py::object ModelCodec::ToPython(element json) {
  switch (json.type()) {
    case element_type::OBJECT: {
      py::dict dict;
      const simdjson::dom::object object = json.get_object().value_unsafe();
      for (auto member : object) {
        if (PyDict_SetItem(dict.ptr(), FromUtf8(member.key).ptr(), ToPython(member.value).ptr()) != 0) {
          throw py::error_already_set();
        }
      }
      return dict;
    }
    case element_type::ARRAY: {
      py::list items;
      const simdjson::dom::array array = json.get_array().value_unsafe();
      for (element item : array) items.append(ToPython(item));
      return items;
    }
    case element_type::STRING: return FromUtf8(json.get_string().value_unsafe());
    case element_type::INT64: return Steal(PyLong_FromLongLong(json.get_int64().value_unsafe()));
    case element_type::UINT64: return Steal(PyLong_FromUnsignedLongLong(json.get_uint64().value_unsafe()));
    case element_type::DOUBLE: return Steal(PyFloat_FromDouble(json.get_double().value_unsafe()));
    case element_type::BOOL: return py::bool_(json.get_bool().value_unsafe());
    case element_type::NULL_VALUE: return py::none();
  }
  return py::none();
}

// ---- Writing: Python objects -> JSON ----

// Follows _model._dump (Model, list, tuple, dict, Enum, datetime, in that order) and
// then json.dumps; exact built-in types come first, as none of them can be the others.
void ModelCodec::AppendJson(py::handle value, std::string* out, int depth) {
  if (depth > kMaxDepth) {
    PyErr_SetString(PyExc_RecursionError, "maximum recursion depth exceeded while writing JSON");
    throw py::error_already_set();
  }
  PyObject* object = value.ptr();
  if (PyUnicode_CheckExact(object)) return AppendPyString(object, out);
  if (object == Py_None) return out->append("null"), void();
  if (object == Py_True) return out->append("true"), void();
  if (object == Py_False) return out->append("false"), void();
  if (PyFloat_CheckExact(object)) return AppendPyFloat(PyFloat_AS_DOUBLE(object), out);
  if (PyLong_CheckExact(object)) return AppendPyInt(object, out);
  if (PyObject_TypeCheck(object, reinterpret_cast<PyTypeObject*>(s_.model_type_.ptr()))) {
    return AppendModel(value, out, depth);
  }
  if (PyList_Check(object) || PyTuple_Check(object)) {
    const py::object items = Steal(PySequence_Fast(object, "expected a sequence"));
    out->push_back('[');
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items.ptr()); ++i) {
      if (i > 0) out->push_back(',');
      AppendJson(PySequence_Fast_GET_ITEM(items.ptr(), i), out, depth + 1);
    }
    out->push_back(']');
    return;
  }
  if (PyDict_Check(object)) {
    Py_ssize_t position = 0;
    PyObject* key = nullptr;
    PyObject* item = nullptr;
    while (PyDict_Next(object, &position, &key, nullptr)) {
      if (!PyUnicode_Check(key)) return AppendViaPython(value, out);  // json.dumps turns other keys into text
    }
    const py::dict copy = py::reinterpret_steal<py::dict>(PyDict_Copy(object));  // stable while we call out
    out->push_back('{');
    bool first = true;
    position = 0;
    while (PyDict_Next(copy.ptr(), &position, &key, &item)) {
      if (!first) out->push_back(',');
      first = false;
      AppendPyString(key, out);
      out->push_back(':');
      AppendJson(item, out, depth + 1);
    }
    out->push_back('}');
    return;
  }
  // An Enum's .value is a Python-level property; _value_ is the attribute behind it.
  if (py::isinstance(value, s_.enum_type_)) return AppendJson(value.attr("_value_"), out, depth + 1);
  if (py::isinstance(value, s_.datetime_type_)) {
    if (!AppendIsoDatetime(object, out)) AppendPyString(value.attr("isoformat")().ptr(), out);
    return;
  }
  AppendViaPython(value, out);
}

void ModelCodec::AppendModel(py::handle value, std::string* out, int depth) {
  const ClassPlan& plan = PlanOf(py::type::handle_of(value));
  if (!plan.plain_dump) return AppendViaPython(value, out);
  out->push_back('{');
  bool first = true;
  for (const FieldPlan& field : plan.fields) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(field.key, out);
    out->push_back(':');
    AppendJson(Steal(PyObject_GetAttr(value.ptr(), field.name.ptr())), out, depth + 1);
  }
  out->push_back('}');
}

// The Python code's own answer: json.dumps(_dump(value, "json"), ensure_ascii=False).
void ModelCodec::AppendViaPython(py::handle value, std::string* out) {
  const py::object text = s_.json_dumps_(s_.dump_(value, "json"), py::arg("ensure_ascii") = false,
                                      py::arg("separators") = py::make_tuple(",", ":"));
  const py::object bytes = Utf8Bytes(text.ptr());
  // Repairs only the strings' insides (lone surrogates): JSON's own syntax is ASCII.
  const std::string_view json(PyBytes_AS_STRING(bytes.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(bytes.ptr())));
  out->append(::rmg::text::ValidUtf8(json));
}

void BindModelJson(py::module_& m) {
  m.def(
      "dump_model_json",
      [](py::handle value) {
        std::string out;
        ModelCodec().AppendJson(value, &out);
        return py::str(out);
      },
      py::arg("value"),
      "value.model_dump_json() with separators (',', ':'), written in C++ (a Model, or any value _dump takes).");
  m.def(
      "load_model_json",
      [](py::handle model_class, std::string_view text) { return ModelCodec().Load(model_class, text); },
      py::arg("model_class"), py::arg("text"), "model_class.model_validate_json(text), built in C++.");
}
