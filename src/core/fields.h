// Result field tables: each result's keys are spelled once, in the core, and every output
// format walks them.
//
// A result struct `R` gets, next to its definition, `void visit_fields(const R&, FieldVisitor&)`:
// its table, one `v.field("key", r.member)` line per field, in output order. The kind of a
// field follows from the member's C++ type: double (number; may be non-finite), int
// (integer), bool, std::string (text), std::vector<double> (numbers), std::vector<int>
// (integers), std::optional of any of these (null when empty: "not measured", "never"), a struct with its own visit_fields (a nested object), and a std::vector of any
// of these (an array: a vector of vectors is a matrix, a vector of structs an array of
// objects). A type with no kind here does not compile, so a field cannot be written in a way
// one format does not know.
//
// A writer implements FieldVisitor once per format: the CLI's JSON (src/cli/format.cpp) and
// the page's JS objects (src/wasm/js_writer.cpp). Neither names a key of its own. The tables
// are plain functions, so an experiment's descriptor can hold a pointer to its result's.
// A run's whole output, {experiment, params, ...the result's fields}, is `visit_run` in
// core/params.h.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rnn_lesson {

class FieldVisitor {
 public:
  virtual ~FieldVisitor() = default;

  // The kinds a writer renders. `key` is nullptr for an element of an array.
  virtual void number(const char* key, double x) = 0;
  virtual void integer(const char* key, int x) = 0;
  virtual void boolean(const char* key, bool x) = 0;
  virtual void text(const char* key, const std::string& s) = 0;
  virtual void numbers(const char* key, const std::vector<double>& x) = 0;
  virtual void integers(const char* key, const std::vector<int>& x) = 0;
  // No value (an empty std::optional): JSON null, JS null.
  virtual void null_value(const char* key) = 0;
  // A nested object or array: begin, its fields or elements, end.
  virtual void begin_object(const char* key) = 0;
  virtual void end_object() = 0;
  virtual void begin_array(const char* key) = 0;
  virtual void end_array() = 0;

  // One table row: the kind chosen by the member's type (see the file comment).
  void field(const char* key, double x) { number(key, x); }
  void field(const char* key, int x) { integer(key, x); }
  void field(const char* key, bool x) { boolean(key, x); }
  void field(const char* key, const std::string& s) { text(key, s); }
  // A literal would otherwise become a bool (a pointer converts to bool before std::string).
  void field(const char* key, const char* s) { text(key, s); }
  void field(const char* key, const std::vector<double>& x) { numbers(key, x); }
  void field(const char* key, const std::vector<int>& x) { integers(key, x); }
  template <class T>
  void field(const char* key, const std::optional<T>& x) {
    if (x) field(key, *x);
    else null_value(key);
  }
  template <class T>
  void field(const char* key, const std::vector<T>& items) {
    begin_array(key);
    for (const T& x : items) field(nullptr, x);
    end_array();
  }
  // Found by argument-dependent lookup in the struct's namespace.
  template <class T, class = decltype(visit_fields(std::declval<const T&>(), std::declval<FieldVisitor&>()))>
  void field(const char* key, const T& x) {
    begin_object(key);
    visit_fields(x, *this);
    end_object();
  }
};

}  // namespace rnn_lesson
