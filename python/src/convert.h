// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Python values <-> techmatch values for the Python module: errors,
// records, vectors, options, filters and results. Every function here is
// called with the GIL held.

#ifndef TECHMATCH_PYTHON_CONVERT_H_
#define TECHMATCH_PYTHON_CONVERT_H_

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "techmatch/engine.h"
#include "techmatch/match.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::python {

namespace py = pybind11;

/// Creates techmatch.Error and one subclass per status code in `m`.
void RegisterErrors(py::module_& m);
/// Raises the techmatch.Error subclass of status.code() with its message.
[[noreturn]] void Raise(const Status& status);
/// Raises unless OK.
inline void Check(const Status& status) {
  if (!status.ok()) Raise(status);
}
template <typename T>
T Check(Result<T> result) {
  if (!result.ok()) Raise(result.status());
  return std::move(*result);
}

/// A dict (or a JSON object string) as a record; errors name `where`.
Record ToRecord(py::handle obj, const std::string& where);
/// Records from a dict, a JSON string or an iterable of them.
std::vector<Record> ToRecords(py::handle obj);

/// Row-major float vectors from a list of lists of numbers, or any 2-d
/// buffer of float32/float64 (a numpy array); a 1-d one is one row.
struct Matrix {
  std::vector<float> data;
  size_t n = 0;
  size_t dim = 0;
  VectorView view() const { return VectorView{data.data(), n, dim}; }
  VectorView row(size_t i) const {
    return VectorView{data.data() + i * dim, 1, dim};
  }
};
Matrix ToMatrix(py::handle obj, const char* what);

/// EngineOptions from a dict of the keys c.h's techmatch_options_set_json
/// takes (None: the defaults).
EngineOptions ToEngineOptions(py::handle options);

/// MatchOptions from the keyword arguments of match_text / match /
/// match_batch; `filters` is a dict or None, `target` "supply", "demand"
/// or None, `today` "YYYY-MM-DD" or None, `synonym_weight` 0..10.
MatchOptions ToMatchOptions(size_t k, py::handle filters, bool explain,
                            py::handle target, py::handle today,
                            size_t max_terms, float synonym_weight);

/// A techmatch.results.MatchResult (explanations left out, as None, when
/// `explain` is false).
py::object ToPython(const MatchResult& result, bool explain);

/// A record as a dict (the JSON schema of docs/records.md).
py::object RecordToDict(const Record& record);

}  // namespace techmatch::python

#endif  // TECHMATCH_PYTHON_CONVERT_H_
