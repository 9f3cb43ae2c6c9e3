// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "convert.h"

#include <array>
#include <cstring>
#include <string>
#include <utility>

#include "bindings/json_args.h"
#include "techmatch/record_io.h"
#include "techmatch/scorer.h"
#include "techmatch/term.h"

namespace techmatch::python {
namespace {

// The exception types, made once at import and kept for the process (a
// module's types outlive any of its objects).
struct ErrorTypes {
  PyObject* base = nullptr;
  std::array<PyObject*, 8> by_code{};  // indexed by StatusCode
};
ErrorTypes* errors = nullptr;

// techmatch.results' classes, looked up on first use.
struct ResultTypes {
  py::object result, match, explanation, feature, term, span;
};

const ResultTypes& Types() {
  static const ResultTypes* types = [] {
    py::module_ m = py::module_::import("techmatch.results");
    return new ResultTypes{m.attr("MatchResult"), m.attr("Match"),
                           m.attr("Explanation"), m.attr("Feature"),
                           m.attr("MatchedTerm"), m.attr("Span")};
  }();
  return *types;
}

[[noreturn]] void Invalid(const std::string& message) {
  Raise(Status::InvalidArgument(message));
}

// A dict as compact JSON text (UTF-8 as is); non-JSON values (sets, dates)
// are InvalidArgument naming `where`.
std::string Dumps(py::handle obj, const std::string& where) {
  static py::object* dumps =
      new py::object(py::module_::import("json").attr("dumps"));
  try {
    return (*dumps)(obj, py::arg("ensure_ascii") = false).cast<std::string>();
  } catch (py::error_already_set& e) {
    Invalid(where + ": not JSON: " + std::string(py::str(e.value())));
  }
}

std::string JsonObject(py::handle obj, const std::string& where) {
  if (py::isinstance<py::str>(obj)) return obj.cast<std::string>();
  if (py::isinstance<py::dict>(obj)) return Dumps(obj, where);
  throw py::type_error(where + ": expected a dict or a JSON string, got " +
                       std::string(py::str(obj.get_type().attr("__name__"))));
}

float ToFloat(py::handle item, const std::string& where) {
  double v = PyFloat_AsDouble(item.ptr());
  if (v == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    Invalid(where + ": not a number");
  }
  return float(v);
}

// A buffer (numpy array, array.array, memoryview) of float32 or float64.
Matrix FromBuffer(py::handle obj, const char* what) {
  py::buffer_info info = py::reinterpret_borrow<py::buffer>(obj).request();
  const char type = info.format.empty() ? '?' : info.format.back();
  const bool f32 = type == 'f' && info.itemsize == 4;
  const bool f64 = type == 'd' && info.itemsize == 8;
  if (!f32 && !f64) {
    Invalid(std::string(what) + ": expected float32 or float64 values, got "
            "format '" + info.format + "'");
  }
  if (info.ndim != 1 && info.ndim != 2) {
    Invalid(std::string(what) + ": expected 1 or 2 dimensions, got " +
            std::to_string(info.ndim));
  }
  Matrix m;
  m.n = info.ndim == 1 ? 1 : size_t(info.shape[0]);
  m.dim = size_t(info.shape[info.ndim - 1]);
  const ssize_t row_stride = info.ndim == 1 ? 0 : info.strides[0];
  const ssize_t col_stride = info.strides[info.ndim - 1];
  m.data.resize(m.n * m.dim);
  const char* base = static_cast<const char*>(info.ptr);
  for (size_t i = 0; i < m.n; ++i) {
    for (size_t j = 0; j < m.dim; ++j) {
      const char* p = base + ssize_t(i) * row_stride + ssize_t(j) * col_stride;
      if (f32) {
        float v;
        std::memcpy(&v, p, sizeof v);
        m.data[i * m.dim + j] = v;
      } else {
        double v;
        std::memcpy(&v, p, sizeof v);
        m.data[i * m.dim + j] = float(v);
      }
    }
  }
  return m;
}

void AppendRow(py::handle row, const std::string& where, Matrix* m) {
  if (!py::isinstance<py::sequence>(row) || py::isinstance<py::str>(row)) {
    Invalid(where + ": expected a sequence of numbers");
  }
  py::sequence seq = py::reinterpret_borrow<py::sequence>(row);
  if (m->n == 0) m->dim = seq.size();
  if (seq.size() != m->dim) {
    Invalid(where + ": " + std::to_string(seq.size()) + " values, expected " +
            std::to_string(m->dim) + " like the first row");
  }
  for (size_t j = 0; j < seq.size(); ++j) {
    m->data.push_back(ToFloat(seq[j], where + "[" + std::to_string(j) + "]"));
  }
  ++m->n;
}

py::list Spans(const std::vector<TextSpan>& spans) {
  const ResultTypes& t = Types();
  py::list out(spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    const TextSpan& s = spans[i];
    out[i] = t.span(TextFieldName(s.field), s.index, s.begin, s.end);
  }
  return out;
}

py::object ExplanationToPython(const Explanation& e) {
  const ResultTypes& t = Types();
  py::list features(e.features.size());
  for (size_t i = 0; i < e.features.size(); ++i) {
    const FeatureContribution& f = e.features[i];
    features[i] = t.feature(FeatureName(f.feature), f.value, f.weight,
                            f.contribution);
  }
  py::list terms(e.matched_terms.size());
  for (size_t i = 0; i < e.matched_terms.size(); ++i) {
    const MatchedTerm& m = e.matched_terms[i];
    terms[i] = t.term(m.text, TermKindName(m.kind), double(m.contribution),
                      m.synonym_of.empty() ? py::object(py::none()) : py::str(m.synonym_of),
                      Spans(m.query_spans), Spans(m.record_spans));
  }
  return t.explanation(std::move(features), e.bias, std::move(terms),
                       e.found_by);
}

}  // namespace

void RegisterErrors(py::module_& m) {
  struct Kind {
    StatusCode code;
    const char* name;
    PyObject* builtin;  // also derives from this, or null
  };
  const Kind kinds[] = {
      {StatusCode::kInvalidArgument, "InvalidArgumentError", PyExc_ValueError},
      {StatusCode::kNotFound, "NotFoundError", PyExc_LookupError},
      {StatusCode::kFailedPrecondition, "FailedPreconditionError", nullptr},
      {StatusCode::kCorruption, "CorruptionError", nullptr},
      {StatusCode::kNotSupported, "NotSupportedError", nullptr},
      {StatusCode::kIOError, "IOError", PyExc_OSError},
      {StatusCode::kInternal, "InternalError", nullptr},
  };
  auto* types = new ErrorTypes();
  types->base = PyErr_NewExceptionWithDoc(
      "techmatch.Error",
      "A techmatch call failed; the subclass names the status code.",
      PyExc_Exception, nullptr);
  if (types->base == nullptr) throw py::error_already_set();
  m.attr("Error") = py::handle(types->base);
  for (const Kind& k : kinds) {
    py::tuple bases = k.builtin != nullptr
                          ? py::make_tuple(py::handle(types->base),
                                           py::handle(k.builtin))
                          : py::make_tuple(py::handle(types->base));
    py::dict attrs;
    attrs["code"] = int(k.code);
    attrs["code_name"] = StatusCodeName(k.code);
    const std::string name = std::string("techmatch.") + k.name;
    PyObject* type = PyErr_NewException(name.c_str(), bases.ptr(), attrs.ptr());
    if (type == nullptr) throw py::error_already_set();
    types->by_code[size_t(k.code)] = type;
    m.attr(k.name) = py::handle(type);
  }
  errors = types;
}

void Raise(const Status& status) {
  PyObject* type = errors->by_code[size_t(status.code())];
  if (type == nullptr) type = errors->base;
  PyErr_SetString(type, status.message().c_str());
  throw py::error_already_set();
}

Record ToRecord(py::handle obj, const std::string& where) {
  const std::string json = JsonObject(obj, where);
  // Raise() only after the Result is gone: GCC 12 at -O2 otherwise warns
  // (falsely) that the variant frees a non-heap Status.
  Record out;
  Status status;
  {
    Result<Record> record = ParseRecordJson(json, JsonlReadOptions{}, where);
    if (record.ok()) {
      out = std::move(*record);
    } else {
      status = record.status();
    }
  }
  Check(status);
  return out;
}

std::vector<Record> ToRecords(py::handle obj) {
  std::vector<Record> records;
  if (py::isinstance<py::dict>(obj) || py::isinstance<py::str>(obj)) {
    records.push_back(ToRecord(obj, "record"));
    return records;
  }
  size_t i = 0;
  for (py::handle item : py::iter(obj)) {
    records.push_back(ToRecord(item, "records[" + std::to_string(i++) + "]"));
  }
  return records;
}

Matrix ToMatrix(py::handle obj, const char* what) {
  if (PyObject_CheckBuffer(obj.ptr()) && !py::isinstance<py::bytes>(obj)) {
    return FromBuffer(obj, what);
  }
  if (!py::isinstance<py::sequence>(obj) || py::isinstance<py::str>(obj)) {
    throw py::type_error(std::string(what) +
                         ": expected a list of lists of numbers or a 2-d "
                         "float array");
  }
  py::sequence seq = py::reinterpret_borrow<py::sequence>(obj);
  Matrix m;
  // One vector given as a flat list of numbers.
  if (seq.size() > 0 && !py::isinstance<py::sequence>(seq[0])) {
    AppendRow(obj, what, &m);
    return m;
  }
  for (size_t i = 0; i < seq.size(); ++i) {
    AppendRow(seq[i], std::string(what) + "[" + std::to_string(i) + "]", &m);
  }
  return m;
}

EngineOptions ToEngineOptions(py::handle options) {
  EngineOptions o;
  if (options.is_none()) return o;
  if (!py::isinstance<py::dict>(options)) {
    throw py::type_error("options: expected a dict");
  }
  Check(internal::ApplyEngineOptionsJson(Dumps(options, "options"), &o));
  return o;
}

MatchOptions ToMatchOptions(size_t k, py::handle filters, bool explain,
                            py::handle target, py::handle today,
                            size_t max_terms, float synonym_weight) {
  MatchOptions o;
  o.k = k;
  o.synonym_weight = synonym_weight;
  o.explain = explain;
  o.max_explained_terms = max_terms;
  if (!filters.is_none()) {
    if (!py::isinstance<py::dict>(filters)) {
      throw py::type_error("filters: expected a dict");
    }
    o.filter = Check(internal::ParseFilterJson(Dumps(filters, "filters")));
  }
  if (!target.is_none()) {
    auto kind = ParseRecordKind(py::str(target).cast<std::string>());
    if (!kind.ok()) Invalid("target: expected \"supply\" or \"demand\"");
    o.target = *kind;
  }
  if (!today.is_none()) {
    // A str, or a datetime.date / datetime.datetime.
    std::string text = py::hasattr(today, "isoformat")
                           ? today.attr("isoformat")().cast<std::string>()
                           : py::str(today).cast<std::string>();
    auto date = Date::Parse(text.substr(0, 10));
    if (!date.ok()) Raise(date.status().WithContext("today"));
    o.today = *date;
  }
  Check(o.Validate());
  return o;
}

py::object ToPython(const MatchResult& result, bool explain) {
  const ResultTypes& t = Types();
  py::list matches(result.matches.size());
  for (size_t i = 0; i < result.matches.size(); ++i) {
    const Match& m = result.matches[i];
    matches[i] = t.match(m.key.id, RecordKindName(m.key.kind), m.score, m.rank,
                         double(m.lexical_score), double(m.dense_score), m.probability,
                         explain ? ExplanationToPython(m.explanation)
                                 : py::none());
  }
  return t.result(result.query_id, std::move(matches), result.confidence,
                  result.needs_follow_up, result.category,
                  result.category_inferred);
}

py::object RecordToDict(const Record& record) {
  static py::object* loads =
      new py::object(py::module_::import("json").attr("loads"));
  return (*loads)(RecordToJson(record));
}

}  // namespace techmatch::python
